"""The page with the keyboard alone: Tab walks it in reading order, and every word lands in
the field it was typed into, of the interview it was typed for.

The fake clock starts on Monday 2 March 2026, 09:00 UTC, in UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import TEXT_SECTIONS, Journal
from interview_journal.ui.main_window import MainWindow

MAX_TABS = 80


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _name(widget: QWidget) -> str:
    return widget.accessibleName() or widget.objectName() or type(widget).__name__


def _tab_until(
    window: MainWindow, wanted: Callable[[QWidget], bool], what: str
) -> QWidget:
    """Press Tab until the focus is on what ``wanted`` accepts; every stop on the way is a
    field of the page (never the tree, the toolbar or the header's buttons)."""
    page = window.editor
    for _ in range(MAX_TABS):
        QTest.keyClick(_focused(), Qt.Key.Key_Tab)
        here = _focused()
        assert page.isAncestorOf(here), f"Tab left the page for {_name(here)} before {what}"
        assert here is not page.finish_button
        if wanted(here):
            return here
    raise AssertionError(f"Tab never reached {what}")


def _named(name: str) -> Callable[[QWidget], bool]:
    return lambda widget: widget.accessibleName() == name


def _wait_for_focus(qtbot: QtBot, object_name: str) -> None:
    """A card added just now shows (and takes the focus) once the event loop runs."""
    qtbot.waitUntil(lambda: _focused().objectName() == object_name and _focused().isVisible())


def _type(widget: QWidget, text: str) -> None:
    QTest.keyClicks(widget, text)


@pytest.fixture
def shown(window: MainWindow) -> MainWindow:
    window.activateWindow()
    return window


def _when_a_dialog_opens(act: Callable[[], None]) -> QTimer:
    """Run ``act`` once a modal dialog is up (its own event loop runs this timer)."""
    timer = QTimer()
    timer.setInterval(0)

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            if QApplication.activeWindow() is not dialog:  # shown, not yet given the keys
                dialog.activateWindow()
                return
            timer.stop()
            try:
                act()
            finally:  # a failed step must fail the test, not leave the dialog waiting
                if dialog.isVisible():
                    dialog.reject()

    timer.timeout.connect(look)
    timer.start()
    return timer


def _fill_new_interview_dialog() -> None:
    """Type into the New interview dialog, the keyboard only, and press Return."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog)
    _type(_focused(), "Initech")  # the company box has the focus
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    _type(_focused(), "Data engineer")  # role
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)  # stage: left as it is
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)  # date: today
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused().accessibleName() == "Start (optional)"
    _type(_focused(), "8")
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused().accessibleName() == "Duration"
    QTest.keyClick(_focused(), Qt.Key.Key_Return)


def test_a_whole_reflection_typed_with_the_keyboard_alone(
    qtbot: QtBot, shown: MainWindow, journal: Journal, clock: FakeClock
) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    waiting = _when_a_dialog_opens(_fill_new_interview_dialog)
    QTest.keyClick(_focused(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not waiting.isActive(), "Ctrl+N opened no dialog"
    interview_id = shown.controller.interview_id
    assert interview_id is not None
    # The window has the keys again once the dialog has gone (a desktop gives them back;
    # the offscreen platform is told to): the cursor is in the role.
    assert shown.focusWidget() is shown.editor.role
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is shown.editor.role)

    _tab_until(shown, _named("Location or link"), "the location")
    _type(_focused(), "Room 4")
    _tab_until(shown, _named("Interviewer's name"), "the interviewer's name")
    _type(_focused(), "Ada Lovelace")
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    _type(_focused(), "Staff engineer")
    QTest.keyClick(_focused(), Qt.Key.Key_Return)  # adds her
    _tab_until(shown, _named("Add a topic"), "the topics")
    _type(_focused(), "Caching")
    QTest.keyClick(_focused(), Qt.Key.Key_Return)
    for number in (1, 2):
        _tab_until(shown, _named("Add question"), "Add question")
        QTest.keyClick(_focused(), Qt.Key.Key_Space)
        _wait_for_focus(qtbot, "question_question")
        _type(_focused(), f"Question {number} asked")
        QTest.keyClick(_focused(), Qt.Key.Key_Tab)
        assert _focused().objectName() == "question_answer"
        _type(_focused(), f"My answer {number}, with spaces")
        QTest.keyClick(_focused(), Qt.Key.Key_Tab)
        assert _focused().objectName() == "question_next_time"
        _type(_focused(), f"Next time {number}")
        QTest.keyClick(_focused(), Qt.Key.Key_Tab)
        assert _focused().accessibleName() == "Practise this"
        if number == 1:
            QTest.keyClick(_focused(), Qt.Key.Key_Space)
    for key in ("went_well", "went_poorly", "do_differently"):
        section = _tab_until(shown, lambda w, k=key: w.objectName() == f"section_{k}", key)
        _type(section, f"{key} words and more words")
    for number in (1, 2):
        _tab_until(shown, _named("Add action item"), "Add action item")
        QTest.keyClick(_focused(), Qt.Key.Key_Space)
        _wait_for_focus(qtbot, "action_item_text")
        _type(_focused(), f"Practise thing {number}")
    for key in ("impressions", "notes"):
        section = _tab_until(shown, lambda w, k=key: w.objectName() == f"section_{k}", key)
        _type(section, f"{key} words")
    assert shown.controller.flush()

    doc = journal.interview(interview_id)
    assert (doc.company_name, doc.role, doc.location) == ("Initech", "Data engineer", "Room 4")
    assert doc.starts_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert [(p.name, p.title) for p in doc.interviewers] == [("Ada Lovelace", "Staff engineer")]
    assert doc.topics == ("Caching",)
    assert [(q.question, q.answer, q.next_time, q.practise) for q in doc.questions] == [
        ("Question 1 asked", "My answer 1, with spaces", "Next time 1", True),
        ("Question 2 asked", "My answer 2, with spaces", "Next time 2", False),
    ]
    assert [(a.text, a.done) for a in doc.action_items] == [
        ("Practise thing 1", False),
        ("Practise thing 2", False),
    ]
    for key in TEXT_SECTIONS:
        expected = f"{key} words and more words" if key in (
            "went_well", "went_poorly", "do_differently"
        ) else f"{key} words"
        assert getattr(doc, key) == expected
    assert doc.reflected_at is None
    assert [c.name for c in journal.companies()] == ["Initech"]
    assert journal.timer_sessions() == []


def test_tab_walks_the_page_in_reading_order_with_cards_added_later(
    qtbot: QtBot, shown: MainWindow, journal: Journal
) -> None:
    acme = journal.create_company("Acme").company
    doc = journal.create_interview(acme.id, role="SRE", on=date(2026, 3, 2))
    journal.add_question(doc.id)
    journal.add_action_item(doc.id)
    shown.tree_model.reload()
    assert shown.open_interview(doc.id)
    editor = shown.editor
    editor.questions.add_requested.emit()  # a second card, made after the page opened
    editor.action_items.add_requested.emit()
    qtbot.waitUntil(lambda: all(c.isVisible() for c in editor.questions.cards()))
    editor.company.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.company)
    order = [_name(_focused())]
    while _focused() is not editor.sections["notes"]:
        QTest.keyClick(_focused(), Qt.Key.Key_Tab)
        assert editor.isAncestorOf(_focused()), f"left the page for {_name(_focused())}"
        order.append(_name(_focused()))
        assert len(order) < MAX_TABS
    card = ["Question", "My answer", "How I'd answer next time", "Practise this",
            "Move up", "Move down", "Delete"]
    item = ["Done", "Action item", "Move up", "Move down", "Delete"]
    assert order == [
        "Company", "Role", "Stage", "Format", "Date", "Start", "Duration",
        "Location or link", "Interviewer's name", "Interviewer's title", "Add interviewer",
        "Outcome", "Self-rating", "Would I want to work here", "Add a topic",
        *card, *card, "Add question",
        "What went well", "What didn't go well", "What I'd do differently",
        *item, *item, "Add action item",
        "Impressions of the interviewer and the company", "Notes",
    ]
    # Shift+Tab walks back the same way, and Tab from the last field leaves the page.
    QTest.keyClick(_focused(), Qt.Key.Key_Backtab)
    assert _name(_focused()) == "Impressions of the interviewer and the company"
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused() is shown.tree.filter_box()


def test_the_header_shows_the_reflection_state_and_offers_only_what_means_something(
    qtbot: QtBot, shown: MainWindow, journal: Journal, clock: FakeClock
) -> None:
    acme = journal.create_company("Acme").company
    ended = journal.create_interview(acme.id, role="SRE")
    journal.set_schedule(ended.id, date(2026, 3, 2), time(7, 0), 60)
    later = journal.create_interview(acme.id, role="SRE")
    journal.set_schedule(later.id, date(2026, 3, 2), time(15, 0), 60)
    shown.tree_model.reload()
    editor = shown.editor

    assert shown.open_interview(later.id)
    assert not shown.action_finish.isEnabled()  # it has not happened yet
    assert shown.open_interview(ended.id)
    assert shown.action_finish.isEnabled()
    assert editor.finish_button.isVisible()
    assert not editor.reflected_label.isVisible()
    assert editor.finish_button.focusPolicy() == Qt.FocusPolicy.NoFocus

    shown.action_finish.trigger()
    stored = journal.interview(ended.id).reflected_at
    assert stored is not None
    assert editor.reflected_label.isVisible()
    assert editor.reflected_label.text().startswith("Reflected on ")
    assert editor.unreflect_button.isVisible()
    assert not editor.finish_button.isVisible()
    assert not shown.action_finish.isEnabled()
    shown.action_finish.trigger()  # a second press changes nothing
    assert journal.interview(ended.id).reflected_at == stored

    clock.advance(minutes=1)
    shown.action_unreflect.trigger()
    assert journal.interview(ended.id).reflected_at is None
    assert editor.finish_button.isVisible()
    assert not editor.reflected_label.isVisible()
    assert shown.action_finish.isEnabled()
    shown.stop_timers()


def test_times_typed_as_people_type_them(
    qtbot: QtBot, shown: MainWindow, journal: Journal
) -> None:
    acme = journal.create_company("Acme").company
    doc = journal.create_interview(acme.id, role="SRE", on=date(2026, 3, 4))
    shown.tree_model.reload()
    assert shown.open_interview(doc.id)
    start = shown.editor.start
    for typed, meant in (("14:00", time(14, 0)), ("1400", time(14, 0)), ("2pm", time(14, 0)),
                         ("9", time(9, 0)), ("930", time(9, 30))):
        start.setFocus()
        start.selectAll()
        QTest.keyClicks(start, typed)
        QTest.keyClick(start, Qt.Key.Key_Tab)  # leaves the field: no parts to walk
        assert not start.hasFocus()
        assert shown.controller.flush()
        stored = journal.interview(doc.id).starts_at
        assert stored is not None
        assert stored.time() == meant, typed
        assert start.text() == f"{meant.hour:02d}:{meant.minute:02d}"  # read back, tidied
    # Nonsense is marked and changes nothing.
    start.setFocus()
    start.selectAll()
    QTest.keyClicks(start, "half past")
    assert not start.is_valid()
    assert start.toolTip()
    assert shown.controller.flush()
    assert journal.interview(doc.id).starts_at == datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
    # Delete clears it: "No time".
    start.setFocus()
    start.selectAll()
    QTest.keyClick(start, Qt.Key.Key_Backspace)
    QTest.keyClick(start, Qt.Key.Key_Delete)
    assert start.text() == ""
    assert start.placeholderText() == "No time"
    assert shown.controller.flush()
    assert journal.interview(doc.id).starts_at is None
    assert journal.interview(doc.id).date == date(2026, 3, 4)
    # The date takes ISO and the locale's own format; empty is "No date".
    date_line = shown.editor.date.line
    date_line.setFocus()
    date_line.selectAll()
    QTest.keyClicks(date_line, "2026-03-09")
    assert shown.controller.flush()
    assert journal.interview(doc.id).date == date(2026, 3, 9)
    date_line.selectAll()
    QTest.keyClick(date_line, Qt.Key.Key_Backspace)
    assert shown.controller.flush()
    assert journal.interview(doc.id).date is None
