"""The open interview changes only when the user asks: refreshes never open another one.

Each test opens one interview the way a user does (a click in *Reflection due*), puts the
cursor in a field, makes a change that moves the interview in the tree or the smart groups
(or changes the lists around it), and then checks three things: the editor still shows the
same interview, the focus is still in the same widget, and in the journal file only the
interview that was edited changed. The fake clock is Wednesday 4 March 2026, 15:00 UTC.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListView, QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from interview_journal.ui.main_window import MainWindow
from interview_journal.ui.smart_groups import DUE, UPCOMING

WEDNESDAY_3PM = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def _interview(journal: Journal, company: str, on: date, start: time | None) -> int:
    found = journal.create_company(company).company
    doc = journal.create_interview(found.id, role="Engineer", stage="technical")
    journal.set_schedule(doc.id, on, start, 60)
    return doc.id


@pytest.fixture
def ids(journal: Journal, clock: FakeClock) -> dict[str, int]:
    """Three interviews due for a reflection, one upcoming and one later today."""
    clock.set(WEDNESDAY_3PM)
    return {
        "acme": _interview(journal, "Acme", date(2026, 3, 4), time(10, 0)),
        "globex": _interview(journal, "Globex", date(2026, 3, 3), time(10, 45)),
        "initech": _interview(journal, "Initech", date(2026, 3, 2), time(11, 0)),
        "hooli": _interview(journal, "Hooli", date(2026, 3, 6), time(10, 0)),
        "later": _interview(journal, "Umbrella", date(2026, 3, 4), time(15, 30)),
    }


def _rows(path: Path) -> dict[int, tuple[object, ...]]:
    """Every interview row in the file, read through a connection of its own."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {row[0]: row for row in db.execute("SELECT * FROM interview ORDER BY id")}


def _changed(before: dict[int, tuple[object, ...]], path: Path) -> set[int]:
    after = _rows(path)
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def _group_list(window: MainWindow, group: int) -> QListView:
    name = "smartDue" if group == DUE else "smartUpcoming"
    section = window.tree.smart_groups.findChild(QWidget, name)
    assert section is not None
    found = section.findChild(QListView)
    assert found is not None
    return found


def _click_in_group(qtbot: QtBot, window: MainWindow, group: int, interview_id: int) -> None:
    """Open an interview as a user does: a click on its row in a smart group."""
    view = _group_list(window, group)
    model = window.tree.smart_groups.model()
    target = model.index_for_interview(interview_id)
    assert target.isValid()
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(target).center()
    )
    assert window.controller.interview_id == interview_id


@pytest.fixture
def shown(window: MainWindow, ids: dict[str, int]) -> MainWindow:
    """The window over the interviews above (made before them: re-read)."""
    window.tree_model.reload()
    window.tree.refresh_smart_groups()
    window.activateWindow()
    return window


def _focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _assert_unchanged(window: MainWindow, interview_id: int, focused: QWidget) -> None:
    assert window.controller.interview_id == interview_id
    assert window.editor.interview_id == interview_id
    assert QApplication.focusWidget() is focused


def test_a_new_date_that_takes_it_out_of_the_list_keeps_it_open(
    qtbot: QtBot, shown: MainWindow, journal: Journal, ids: dict[str, int]
) -> None:
    _click_in_group(qtbot, shown, DUE, ids["globex"])
    date_edit = shown.editor.date
    _focus(qtbot, date_edit.line)
    before = _rows(journal.path)
    date_edit.line.setText("2025-11-20")  # long ago: in neither group any more
    assert shown.controller.flush()
    assert ids["globex"] not in shown.tree.smart_groups.model().interview_ids(DUE)
    _assert_unchanged(shown, ids["globex"], date_edit.line)
    assert _changed(before, journal.path) == {ids["globex"]}
    # The list that lost it selects nothing, so Return there opens nothing either.
    assert not _group_list(shown, DUE).selectionModel().hasSelection()


def test_a_date_that_moves_it_to_upcoming_keeps_it_open(
    qtbot: QtBot, shown: MainWindow, journal: Journal, ids: dict[str, int]
) -> None:
    _click_in_group(qtbot, shown, DUE, ids["acme"])
    date_edit = shown.editor.date
    _focus(qtbot, date_edit.line)
    before = _rows(journal.path)
    date_edit.line.setText("2026-03-05")
    assert shown.controller.flush()
    assert ids["acme"] in shown.tree.smart_groups.model().interview_ids(UPCOMING)
    _assert_unchanged(shown, ids["acme"], date_edit.line)
    assert _changed(before, journal.path) == {ids["acme"]}


def test_a_start_time_and_a_duration_keep_it_open(
    qtbot: QtBot, shown: MainWindow, journal: Journal, ids: dict[str, int]
) -> None:
    _click_in_group(qtbot, shown, DUE, ids["acme"])
    start = shown.editor.start
    _focus(qtbot, start)
    before = _rows(journal.path)
    start.setText("16:00")  # now upcoming: it moves between the groups
    assert shown.controller.flush()
    _assert_unchanged(shown, ids["acme"], start)
    duration = shown.editor.duration
    _focus(qtbot, duration)
    duration.setValue(30)
    assert shown.controller.flush()
    _assert_unchanged(shown, ids["acme"], duration)
    assert _changed(before, journal.path) == {ids["acme"]}
    stored = journal.interview(ids["acme"])
    assert stored.starts_at == datetime(2026, 3, 4, 16, 0, tzinfo=UTC)
    assert stored.duration_minutes == 30


def test_moving_it_to_another_company_keeps_it_open(
    qtbot: QtBot, shown: MainWindow, journal: Journal, ids: dict[str, int]
) -> None:
    _click_in_group(qtbot, shown, DUE, ids["globex"])
    role = shown.editor.role
    company_line = shown.editor.company.lineEdit()
    assert company_line is not None
    _focus(qtbot, shown.editor.company)  # the box passes its focus to its line
    before = _rows(journal.path)
    company_line.setText("Initech")
    _focus(qtbot, role)  # leaving the box applies it
    assert shown.controller.flush()
    assert journal.interview(ids["globex"]).company_name == "Initech"
    _assert_unchanged(shown, ids["globex"], role)
    assert _changed(before, journal.path) == {ids["globex"]}


def test_mark_reflection_complete_marks_only_the_interview_shown(
    qtbot: QtBot, shown: MainWindow, journal: Journal, ids: dict[str, int]
) -> None:
    _click_in_group(qtbot, shown, DUE, ids["acme"])
    section = shown.editor.sections["went_well"]
    _focus(qtbot, section)
    before = _rows(journal.path)
    shown.action_finish.trigger()
    shown.action_finish.trigger()  # again: nothing more happens
    assert ids["acme"] not in shown.tree.smart_groups.model().interview_ids(DUE)
    _assert_unchanged(shown, ids["acme"], section)
    assert _changed(before, journal.path) == {ids["acme"]}
    reflected = [key for key, i in ids.items() if journal.interview(i).reflected_at]
    assert reflected == ["acme"]
    shown.stop_timers()


def test_the_clock_moving_an_interview_into_due_keeps_the_open_one(
    qtbot: QtBot, shown: MainWindow, journal: Journal, clock: FakeClock, ids: dict[str, int]
) -> None:
    _click_in_group(qtbot, shown, UPCOMING, ids["later"])
    section = shown.editor.sections["notes"]
    _focus(qtbot, section)
    before = _rows(journal.path)
    clock.set(datetime(2026, 3, 4, 16, 31, tzinfo=UTC))  # "later" has ended: now due
    shown.minute_timer.timeout.emit()
    assert ids["later"] in shown.tree.smart_groups.model().interview_ids(DUE)
    _assert_unchanged(shown, ids["later"], section)
    assert _changed(before, journal.path) == set()


def test_renaming_a_company_keeps_the_open_interview(
    qtbot: QtBot,
    shown: MainWindow,
    journal: Journal,
    ids: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from interview_journal.ui.dialogs import RenameDialog

    _click_in_group(qtbot, shown, DUE, ids["globex"])
    section = shown.editor.sections["went_poorly"]
    _focus(qtbot, section)
    before = _rows(journal.path)
    monkeypatch.setattr(RenameDialog, "ask", classmethod(lambda cls, *a, **k: "Aardvark"))
    shown.tree.rename_requested.emit(journal.company_id_of(ids["globex"]))
    _assert_unchanged(shown, ids["globex"], section)
    assert journal.interview(ids["globex"]).company_name == "Aardvark"
    assert _changed(before, journal.path) == set()  # the company row changed, no interview


def test_trashing_another_interview_keeps_the_open_one(
    qtbot: QtBot, shown: MainWindow, journal: Journal, ids: dict[str, int]
) -> None:
    _click_in_group(qtbot, shown, DUE, ids["globex"])
    section = shown.editor.sections["impressions"]
    _focus(qtbot, section)
    before = _rows(journal.path)
    shown.tree.trash_interview_requested.emit(ids["acme"])
    assert ids["acme"] not in shown.tree.smart_groups.model().interview_ids(DUE)
    _assert_unchanged(shown, ids["globex"], section)
    assert _changed(before, journal.path) == {ids["acme"]}


def test_typing_in_the_filter_opens_nothing(
    qtbot: QtBot, shown: MainWindow, journal: Journal, ids: dict[str, int]
) -> None:
    _click_in_group(qtbot, shown, DUE, ids["globex"])
    before = _rows(journal.path)
    box = shown.tree.findChild(QWidget, "companyFilter")
    assert box is not None
    _focus(qtbot, box)
    for text in ("I", "In", "Ini", "", "Ac"):
        shown.tree.set_filter_text(text)
        assert shown.controller.interview_id == ids["globex"]
    assert QApplication.focusWidget() is box
    assert _changed(before, journal.path) == set()


def test_typing_the_edit_itself_lands_in_the_interview_shown(
    qtbot: QtBot, shown: MainWindow, journal: Journal, ids: dict[str, int]
) -> None:
    """The reported case: a date edit moves it out of the list, then the user goes on typing."""
    _click_in_group(qtbot, shown, DUE, ids["initech"])
    date_edit = shown.editor.date
    _focus(qtbot, date_edit.line)
    date_edit.line.setText("2025-11-20")
    assert shown.controller.flush()
    start = shown.editor.start
    _focus(qtbot, start)
    start.setText("14")
    assert shown.controller.flush()
    assert journal.interview(ids["initech"]).starts_at == datetime(
        2025, 11, 20, 14, 0, tzinfo=UTC
    )
    for key in ("acme", "globex", "hooli", "later"):
        assert journal.interview(ids[key]).starts_at is not None
    assert journal.interview(ids["globex"]).starts_at == datetime(
        2026, 3, 3, 10, 45, tzinfo=UTC
    )
