"""The screens show the vocabulary of core/domain.py: its sections, labels, choices, prefixes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core import domain
from interview_journal.core.domain import FIELD, HEADER, SEARCH_FIELDS, SEARCH_PREFIXES, SECTIONS
from interview_journal.core.journal import Journal
from interview_journal.ui.editor import HEADER_FIELDS, ReflectionEditor
from interview_journal.ui.search_panel import SearchPanel, section_label


def test_the_editor_builds_exactly_the_domains_sections_in_order(qtbot: QtBot) -> None:
    editor = ReflectionEditor()
    qtbot.addWidget(editor)
    layout = editor._content.layout()
    assert layout is not None
    # The page's own items: the header (a nested layout), then per section a spacing, the
    # heading, the prompt and the section's widget.
    widgets = [
        item.widget()
        for i in range(layout.count())
        if (item := layout.itemAt(i)) is not None and item.widget() is not None
    ]
    triples = [widgets[i:i + 3] for i in range(0, len(widgets), 3)]
    assert len(triples) == len(SECTIONS)
    for (heading, prompt, body), section in zip(triples, SECTIONS, strict=True):
        assert isinstance(heading, QLabel)
        assert isinstance(prompt, QLabel)
        assert (heading.text(), prompt.text()) == (section.label, section.prompt)
        name = f"section_{section.key}"
        named = body if body.objectName() == name else body.findChild(QWidget, name)
        assert named is not None, name
        assert named.accessibleName() == section.label
    assert list(editor.sections) == list(domain.TEXT_SECTIONS)


def test_the_editors_header_shows_the_domains_labels_and_choices(qtbot: QtBot) -> None:
    editor = ReflectionEditor()
    qtbot.addWidget(editor)
    captions = [label.text() for label in editor._content.findChildren(QLabel)]
    for field in HEADER:
        assert field.label in captions, field.key
    for key in ("stage", "format", "outcome"):
        box = editor.findChild(QComboBox, f"field_{key}")
        assert box is not None, key
        shown = [(box.itemData(i), box.itemText(i)) for i in range(box.count())]
        empty = [("", "Not set")] if key != "outcome" else []
        assert shown == empty + list(FIELD[key].choices)
    assert HEADER_FIELDS == (
        "role", "stage", "format", "location", "outcome", "self_rating", "want_to_work_here",
    )


def test_the_search_help_lists_exactly_the_domains_prefixes(
    qtbot: QtBot, journal: Journal
) -> None:
    pool = QThreadPool()
    panel = SearchPanel(journal, pool)
    qtbot.addWidget(panel)
    help_text = panel.box.toolTip()
    found = re.search(r"^notes:word: only in one part \((.*)\)$", help_text, re.MULTILINE)
    assert found is not None, help_text
    assert tuple(found.group(1).split(", ")) == SEARCH_PREFIXES
    for field in SEARCH_FIELDS:
        assert field.search_prefix is not None
        assert section_label(field.search_prefix) == field.result_label
    assert section_label("questions") == "Questions"
    stages = panel.stage_filter
    assert [stages.itemData(i) for i in range(1, stages.count())] == [k for k, _ in domain.STAGES]


@pytest.mark.skipif(shutil.which("pyside6-lupdate") is None, reason="needs pyside6-lupdate")
def test_lupdate_finds_every_label_and_prompt_of_the_domain(tmp_path: Path) -> None:
    source = Path(domain.__file__)
    ts = tmp_path / "domain.ts"
    subprocess.run(
        ["pyside6-lupdate", str(source), "-ts", str(ts)],
        check=True, capture_output=True, timeout=60,
    )
    text = ts.read_text(encoding="utf-8")
    assert "<name>domain</name>" in text
    found = {
        re.sub(r"&apos;", "'", m) for m in re.findall(r"<source>(.*?)</source>", text, re.S)
    }
    wanted = {f.label for f in domain.FIELDS} | {f.prompt for f in domain.FIELDS if f.prompt}
    wanted |= {f.short_label for f in domain.FIELDS if f.short_label}
    for choices in (domain.STAGES, domain.FORMATS, domain.OUTCOMES, domain.QUESTION_PARTS):
        wanted |= {label for _, label in choices}
    assert wanted <= found, wanted - found
