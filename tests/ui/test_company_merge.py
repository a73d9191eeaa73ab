"""No stray companies (issue 10, item 6), through the window.

Renaming a company to another's name asks to merge them (the question replaced here), merges
in one go and Edit ▸ Undo takes it back; a company typed into the editor's header, left and
then corrected leaves only the corrected company, in the journal and in the tree.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core.journal import Journal
from interview_journal.ui.dialogs import MergeQuestion, RenameDialog
from interview_journal.ui.main_window import MainWindow
from interview_journal.ui.tree_model import CompanyTreeModel


def dump(journal: Journal) -> str:
    """Every row of the journal file, through a connection of its own."""
    with closing(sqlite3.connect(journal.path)) as conn:
        return "\n".join(conn.iterdump())


def _names(model: CompanyTreeModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _children(model: CompanyTreeModel, company_id: int) -> list[int]:
    """The interviews the tree shows under a company, in its order."""
    parent = model.index_for_company(company_id)
    assert parent.isValid()
    if model.canFetchMore(parent):
        model.fetchMore(parent)
    ids = [row.id for row in model.journal().interviews(company_id)]
    shown = {model.index_for_interview(i).row(): i for i in ids
             if model.index_for_interview(i).parent() == parent}
    assert len(shown) == model.rowCount(parent)
    return [shown[row] for row in sorted(shown)]


def _focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


@pytest.fixture
def acme(journal: Journal) -> dict[str, int]:
    """Acme with two interviews (Ada on the first), Acme Inc with one, and Initech."""
    ids = {
        "acme": journal.create_company("Acme").company.id,
        "inc": journal.create_company("Acme Inc").company.id,
        "initech": journal.create_company("Initech").company.id,
    }
    ids["first"] = journal.create_interview(ids["acme"], role="Backend engineer").id
    ids["second"] = journal.create_interview(ids["acme"], role="SRE").id
    journal.add_interviewer(ids["first"], "Ada Lovelace", "Staff engineer")
    ids["theirs"] = journal.create_interview(ids["inc"], role="Platform").id
    ids["initech_one"] = journal.create_interview(ids["initech"], role="Data").id
    return ids


@pytest.fixture
def shown(window: MainWindow, acme: dict[str, int]) -> MainWindow:
    """The window over the companies above (made before them: re-read)."""
    window.tree_model.reload()
    window.tree.refresh_smart_groups()
    return window


def _rename_to(monkeypatch: pytest.MonkeyPatch, name: str, answer: bool) -> list[str]:
    """Make the rename dialog answer ``name`` and the merge question ``answer``; returns the
    questions asked."""
    asked: list[str] = []

    def ask(cls: type, parent: QWidget, title: str, text: str) -> bool:
        asked.append(text)
        return answer

    monkeypatch.setattr(RenameDialog, "ask", classmethod(lambda cls, *a, **k: name))
    monkeypatch.setattr(MergeQuestion, "ask", classmethod(ask))
    return asked


def test_renaming_to_another_companys_name_merges_and_undo_takes_it_back(
    shown: MainWindow, journal: Journal, acme: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shown.open_interview(acme["first"])
    asked = _rename_to(monkeypatch, "ACME inc", answer=True)

    shown.tree.rename_requested.emit(acme["acme"])

    assert asked == ["Merge Acme into Acme Inc? Its 2 interviews and 1 interviewer move to "
                     "Acme Inc."]
    model = shown.tree_model
    assert _names(model) == ["Acme Inc", "Initech"]
    assert sorted(_children(model, acme["inc"])) == sorted(
        [acme["first"], acme["second"], acme["theirs"]]
    )
    assert [c.name for c in journal.companies()] == ["Acme Inc", "Initech"]
    assert [p.name for p in journal.people(acme["inc"])] == ["Ada Lovelace"]
    # The open interview stays open, now under its new company.
    assert shown.controller.interview_id == acme["first"]
    assert shown.editor.company_text() == "Acme Inc"
    assert shown.action_undo_trash.isEnabled()
    assert shown.action_undo_trash.text() == "&Undo merge"
    assert shown.status_message.text() == "Merged Acme into Acme Inc."

    shown.action_undo_trash.trigger()

    assert _names(model) == ["Acme", "Acme Inc", "Initech"]
    assert sorted(_children(model, acme["acme"])) == sorted([acme["first"], acme["second"]])
    assert _children(model, acme["inc"]) == [acme["theirs"]]
    assert [p.name for p in journal.people(acme["acme"])] == ["Ada Lovelace"]
    assert journal.people(acme["inc"]) == []
    assert shown.editor.company_text() == "Acme"
    assert not shown.action_undo_trash.isEnabled()
    assert shown.action_undo_trash.text() == "&Undo move to trash"  # what it offers next
    assert shown.status_message.text() == "The merge was undone."


def test_declining_the_merge_changes_nothing(
    shown: MainWindow, journal: Journal, acme: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(journal)
    asked = _rename_to(monkeypatch, "Acme Inc", answer=False)
    shown.tree.rename_requested.emit(acme["acme"])
    assert len(asked) == 1
    assert dump(journal) == before
    assert _names(shown.tree_model) == ["Acme", "Acme Inc", "Initech"]
    assert not shown.action_undo_trash.isEnabled()


def test_a_plain_rename_asks_nothing(
    shown: MainWindow, journal: Journal, acme: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _rename_to(monkeypatch, "Acme Robotics", answer=True)
    shown.tree.rename_requested.emit(acme["acme"])
    assert asked == []
    assert _names(shown.tree_model) == ["Acme Inc", "Acme Robotics", "Initech"]


def test_a_company_corrected_in_the_header_leaves_no_stray(
    qtbot: QtBot, shown: MainWindow, journal: Journal, acme: dict[str, int]
) -> None:
    interview = acme["initech_one"]
    assert shown.open_interview(interview)
    line = shown.editor.company.lineEdit()
    assert line is not None
    role = shown.editor.role

    _focus(qtbot, shown.editor.company)
    line.selectAll()
    qtbot.keyClicks(line, "Glo")
    _focus(qtbot, role)  # leaving the box moves the interview
    assert shown.controller.flush()
    assert journal.interview(interview).company_name == "Glo"
    assert "Glo" in _names(shown.tree_model)

    _focus(qtbot, shown.editor.company)
    line.selectAll()
    qtbot.keyClicks(line, "Globex")
    _focus(qtbot, role)
    assert shown.controller.flush()

    assert journal.interview(interview).company_name == "Globex"
    assert [c.name for c in journal.companies()] == ["Acme", "Acme Inc", "Globex", "Initech"]
    assert journal.companies(trashed=True) == []
    assert _names(shown.tree_model) == ["Acme", "Acme Inc", "Globex", "Initech"]
    globex = journal.company_id_of(interview)
    assert _children(shown.tree_model, globex) == [interview]
    assert shown.controller.interview_id == interview


def test_the_question_names_a_title_that_is_kept(
    shown: MainWindow, journal: Journal, acme: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.add_interviewer(acme["theirs"], "ada lovelace", "CTO")
    asked = _rename_to(monkeypatch, "Acme Inc", answer=True)
    shown.tree.rename_requested.emit(acme["acme"])
    kept = 'Ada Lovelace keeps the title "CTO" (Acme has "Staff engineer").'
    assert asked[0].splitlines()[1] == kept
    assert [(p.name, p.title) for p in journal.interviewers(acme["first"])] == [
        ("ada lovelace", "CTO")
    ]
