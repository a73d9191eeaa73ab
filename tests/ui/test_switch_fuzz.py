"""Interview-switch race fuzz (docs/data-safety.md).

Random sequences of typing, switching interviews, timer flushes and explicit flushes: the
stored text always equals what was typed into that interview, and per-interview canaries
never cross.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTreeView
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from interview_journal.ui.main_window import MainWindow

SECTIONS = ("went_well", "went_poorly", "notes")
INTERVIEWS = 3

typing = st.tuples(
    st.just("type"),
    st.sampled_from(SECTIONS),
    st.text(alphabet="abcxyz .", min_size=1, max_size=6),  # QTest types ASCII only
)
switch = st.tuples(st.just("switch"), st.integers(0, INTERVIEWS - 1))
flush = st.tuples(st.just("flush"))
timer = st.tuples(st.just("timer"))
operations = st.lists(st.one_of(typing, switch, flush, timer), min_size=1, max_size=25)


def _open(window: MainWindow, interview_id: int) -> None:
    assert window.tree.select_interview(interview_id)
    QTest.keyClick(window.findChild(QTreeView, "companyTree"), Qt.Key.Key_Return)
    assert window.controller.interview_id == interview_id


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_switching_never_loses_or_crosses_text(qtbot: QtBot, ops: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory(prefix="ij-fuzz-") as name:
        _run_sequence(qtbot, Path(name), ops)


def _run_sequence(qtbot: QtBot, folder: Path, ops: list[tuple[object, ...]]) -> None:
    journal = Journal.open(folder / "data", clock=FakeClock())
    try:
        ids = []
        for k in range(INTERVIEWS):
            company = journal.create_company(f"Company {k}").company
            doc = journal.create_interview(company.id, role=f"role {k}")
            journal.update_interview(doc.id, notes=f"canary-{k}:")
            ids.append(doc.id)
        expected = {i: {s: "" for s in SECTIONS} for i in ids}
        for k, i in enumerate(ids):
            expected[i]["notes"] = f"canary-{k}:"
        window = MainWindow(journal, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        current = ids[0]
        _open(window, current)
        for op in ops:
            if op[0] == "type":
                section, text = str(op[1]), str(op[2])
                editor = window.editor.sections[section]
                editor.moveCursor(QTextCursor.MoveOperation.End)
                QTest.keyClicks(editor, text)
                expected[current][section] += text
            elif op[0] == "switch":
                current = ids[int(str(op[1]))]
                if window.controller.interview_id != current:
                    _open(window, current)
            elif op[0] == "flush":
                assert window.controller.flush()
            else:
                window.controller._on_timer_flush()
        assert window.controller.flush()
        for k, interview_id in enumerate(ids):
            doc = journal.interview(interview_id)
            for section in SECTIONS:
                assert getattr(doc, section) == expected[interview_id][section]
            for other in range(INTERVIEWS):
                if other != k:
                    assert f"canary-{other}:" not in "".join(getattr(doc, s) for s in SECTIONS)
        window.close()
    finally:
        journal.close()
