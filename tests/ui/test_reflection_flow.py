"""The reflection habit in the window: reminders, the countdown, the break, settings, reflect.

Time is the fake clock's: each test moves it and asks the timer controller to look, which is
what its 1 s QTimer does in the app.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.commands import ReflectRequest
from interview_journal.core.journal import Journal
from interview_journal.core.timers import TimerSettings
from interview_journal.ui.dialogs import JustFinished, JustFinishedDialog, Recent
from interview_journal.ui.instance import SingleInstance
from interview_journal.ui.main_window import MainWindow
from interview_journal.ui.settings_dialog import ReminderPreferences, SettingsDialog

from .conftest import WindowFactory

NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _interview(journal: Journal, company: str, start: time, minutes: int = 60) -> int:
    found = journal.create_company(company).company
    doc = journal.create_interview(found.id, role="Engineer")
    journal.set_schedule(doc.id, date(2026, 3, 2), start, minutes)
    return doc.id


def _banner_buttons(window: MainWindow) -> list[str]:
    return [b.text().replace("&", "") for b in window.banner.buttons()]


def _press(window: MainWindow, label: str) -> None:
    for button in window.banner.findChildren(QPushButton):
        if button.text().replace("&", "") == label and button.isVisible():
            button.click()
            return
    raise AssertionError(f"no banner button {label!r}: {_banner_buttons(window)}")


@pytest.fixture
def started(
    make_window: WindowFactory, journal: Journal, clock: FakeClock
) -> MainWindow:
    clock.set(NINE)
    window = make_window(journal)
    window.show()
    window.start_timers()
    return window


def test_reminder_fires_when_the_interview_ends(
    journal: Journal, clock: FakeClock, make_window: WindowFactory
) -> None:
    interview = _interview(journal, "Acme", time(9, 30))
    clock.set(NINE)
    window = make_window(journal)
    window.show()
    window.start_timers()
    clock.set(datetime(2026, 3, 2, 10, 29, tzinfo=UTC))
    window.timer_controller.look()
    assert not window.banner.is_showing()
    clock.set(datetime(2026, 3, 2, 10, 30, 30, tzinfo=UTC))
    window.timer_controller.look()
    assert window.banner.is_showing()
    assert "Time to reflect" in window.banner.title_label.text()
    assert _banner_buttons(window) == ["Start", "Snooze", "Skip"]
    _press(window, "Start")
    assert window.controller.interview_id == interview
    assert window.timer_panel.isVisible()
    assert window.timer_panel.countdown.text() == "Reflecting · 30:00 left"
    assert window.status_countdown.text() == "Reflecting: 30:00 left"
    assert journal.interview(interview).reflection_started_at is not None


def test_no_reminder_while_another_interview_is_in_progress(
    journal: Journal, clock: FakeClock, make_window: WindowFactory
) -> None:
    _interview(journal, "Acme", time(9, 0), 60)  # ends 10:00
    _interview(journal, "Globex", time(9, 45), 60)  # runs 09:45-10:45
    clock.set(NINE)
    window = make_window(journal)
    window.show()
    window.start_timers()
    delivered: list[str] = []
    deliver = window.timer_controller._deliver
    window.timer_controller._deliver = lambda t, b, a: (delivered.append(b), deliver(t, b, a))
    clock.set(datetime(2026, 3, 2, 10, 1, tzinfo=UTC))
    window.timer_controller.look()
    assert delivered == []
    clock.set(datetime(2026, 3, 2, 10, 46, tzinfo=UTC))
    window.timer_controller.look()
    assert window.banner.is_showing()
    assert [b.split(" ·")[0] for b in delivered] == ["Acme", "Globex"]


def test_snooze_fires_again(
    journal: Journal, clock: FakeClock, make_window: WindowFactory
) -> None:
    _interview(journal, "Acme", time(9, 0), 30)
    clock.set(NINE)
    window = make_window(journal)
    window.show()
    window.start_timers()
    clock.set(datetime(2026, 3, 2, 9, 31, tzinfo=UTC))
    window.timer_controller.look()
    _press(window, "Snooze")
    assert not window.banner.is_showing()
    clock.advance(minutes=5)
    window.timer_controller.look()
    assert not window.banner.is_showing()
    clock.advance(minutes=6)
    window.timer_controller.look()
    assert window.banner.is_showing()
    assert "Time to reflect" in window.banner.title_label.text()


def test_countdown_pause_extend_and_the_nudge(
    journal: Journal, clock: FakeClock, started: MainWindow
) -> None:
    window = started
    window.just_finished("Initech", "SRE")
    assert window.timer_panel.countdown.text() == "Reflecting · 30:00 left"
    clock.advance(seconds=61)
    window.timer_controller.look()
    assert window.timer_panel.countdown.text() == "Reflecting · 28:59 left"
    window.timer_panel.pause_button.click()
    clock.advance(minutes=10)
    window.timer_controller.look()
    assert window.timer_panel.countdown.text() == "Reflecting · 28:59 paused"
    window.timer_panel.pause_button.click()  # resume
    window.timer_panel.extend_button.click()
    assert window.timer_panel.countdown.text() == "Reflecting · 33:59 left"
    clock.advance(minutes=29)
    window.timer_controller.look()
    assert "Five minutes left" in window.banner.title_label.text()


def test_finishing_starts_the_break_and_it_ends_gently(
    journal: Journal, clock: FakeClock, started: MainWindow
) -> None:
    window = started
    window.just_finished("Initech", None)
    interview = window.controller.interview_id
    assert interview is not None
    window.action_finish.trigger()
    assert journal.interview(interview).reflected_at is not None
    assert "Take a real break" in window.banner.title_label.text()
    suggestion = window.timer_panel.detail.text()
    assert suggestion in journal.break_suggestions()
    assert window.timer_panel.countdown.text() == "Break · 15:00 left"
    clock.advance(minutes=15, seconds=1)
    window.timer_controller.look()
    assert "Break over" in window.banner.title_label.text()
    assert not window.timer_panel.isVisible()
    assert window.status_countdown.text() == ""
    endings = [(s.kind, s.ending) for s in journal.timer_sessions()]
    assert endings == [("reflection", "finished"), ("break", "expired")]


def test_the_break_is_shown_once_and_keeps_its_suggestion_across_a_restart(
    journal: Journal, clock: FakeClock, started: MainWindow, make_window: WindowFactory
) -> None:
    journal.set_break_suggestions(["Walk", "Stretch", "Tea", "Window", "Water"])
    started.timer_controller.apply_settings(journal.timer_settings())
    started.just_finished("Initech", None)
    started.action_finish.trigger()
    suggestion = started.timer_panel.detail.text()
    assert suggestion in journal.break_suggestions()
    # One Skip: the panel's. The announcement in the banner carries none.
    assert "Skip break" not in _banner_buttons(started)
    assert started.timer_panel.skip_button.isVisible()
    assert started.timer_panel.skip_button.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert started.action_skip_break.isEnabled()  # the keyboard's way to skip
    started.close()
    clock.advance(minutes=3)
    reopened = make_window(journal)
    reopened.show()
    reopened.start_timers()
    assert reopened.timer_panel.countdown.text() == "Break · 12:00 left"
    assert reopened.timer_panel.detail.text() == suggestion
    # Shown with no interview open too: the countdown sits above both pages.
    reopened.controller.open_interview(None)
    assert reopened.timer_panel.isVisible()
    reopened.action_skip_break.trigger()
    assert not reopened.timer_panel.isVisible()
    assert not reopened.action_skip_break.isEnabled()
    assert [s.ending for s in journal.timer_sessions()] == ["finished", "skipped"]


def test_skipping_the_break_is_stored(
    journal: Journal, clock: FakeClock, started: MainWindow
) -> None:
    window = started
    window.just_finished("Initech", None)
    window.action_finish.trigger()
    window.timer_panel.skip_button.click()
    assert not window.timer_panel.isVisible()
    assert [s.ending for s in journal.timer_sessions()] == ["finished", "skipped"]


def test_a_restart_resumes_the_block_with_the_right_time(
    journal: Journal, clock: FakeClock, started: MainWindow, make_window: WindowFactory
) -> None:
    started.just_finished("Initech", None)
    clock.advance(minutes=10)
    started.timer_controller.look()
    started.close()
    reopened = make_window(journal)
    reopened.show()
    clock.advance(minutes=2)
    reopened.start_timers()
    assert reopened.timer_controller.timers.current is not None
    # The interview open at the close opens again, with its countdown above the page.
    running = reopened.timer_controller.running_interview()
    assert reopened.controller.interview_id == running
    assert reopened.status_countdown.text() == "Reflecting: 18:00 left"
    assert reopened.timer_panel.isVisible()
    assert reopened.timer_panel.detail.text() == "Initech"
    # With another interview open, a compact line names it and opens it.
    other = journal.create_interview(journal.create_company("Hooli").company.id, role="SRE")
    reopened.tree_model.reload()
    assert reopened.open_interview(other.id)
    assert reopened.status_countdown.text() == "Reflecting on Initech · 18 min left"
    assert not reopened.timer_panel.isVisible()
    reopened.status_countdown.click()
    assert reopened.controller.interview_id == running
    assert reopened.timer_panel.isVisible()


def test_a_block_that_ran_out_while_closed_is_said_once(
    journal: Journal, clock: FakeClock, started: MainWindow, make_window: WindowFactory
) -> None:
    started.just_finished("Initech", None)
    started.close()
    clock.advance(hours=3)
    reopened = make_window(journal)
    reopened.show()
    reopened.start_timers()
    assert "Reflection time is up" in reopened.banner.title_label.text()
    assert "while the app was closed" in reopened.banner.body_label.text()
    assert reopened.timer_controller.timers.current is None


def test_just_finished_asks_who_it_was_with_and_creates_one_ending_now(
    journal: Journal, clock: FakeClock, started: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[Recent]] = []

    def ask(cls: object, parent: object, recent: list[Recent], *_: object) -> JustFinished:
        asked.append(recent)
        return JustFinished(company="Initech", role="SRE")

    monkeypatch.setattr(JustFinishedDialog, "ask", classmethod(ask))
    started.action_just_finished.trigger()
    assert asked == [[]]  # nothing ended lately: only "who was it with?"
    doc_id = started.controller.interview_id
    assert doc_id is not None
    doc = journal.interview(doc_id)
    assert (doc.company_name, doc.role) == ("Initech", "SRE")
    assert doc.ends_at == clock.now()
    assert started.tree.current_interview_id() == doc_id
    assert started.timer_controller.timers.current is not None
    # The page opens at the top with the cursor in the first section.
    assert started.editor.topics.input.hasFocus()


def test_just_finished_offers_the_interview_that_just_ended(
    journal: Journal, clock: FakeClock, started: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ended = _interview(journal, "Acme", time(8, 0), 45)  # 08:00-08:45, now 09:00
    started.tree_model.reload()
    offered: list[list[Recent]] = []

    def ask(cls: object, parent: object, recent: list[Recent], *_: object) -> JustFinished:
        offered.append(recent)
        return JustFinished(interview_id=recent[0].interview_id)

    monkeypatch.setattr(JustFinishedDialog, "ask", classmethod(ask))
    started.action_just_finished.trigger()
    assert [item.label for item in offered[0]] == ["Acme · Engineer · ended 08:45"]
    assert started.controller.interview_id == ended
    session = started.timer_controller.timers.current
    assert session is not None
    assert session.interview_id == ended
    assert [c.name for c in journal.companies()] == ["Acme"]


def test_just_finished_cancelled_creates_nothing(
    journal: Journal, started: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(JustFinishedDialog, "ask", classmethod(lambda cls, *a, **k: None))
    started.action_just_finished.trigger()
    assert journal.companies() == []
    assert started.timer_controller.timers.current is None


def test_reflect_without_a_company_opens_the_same_question(
    qtbot: QtBot, journal: Journal, started: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        JustFinishedDialog,
        "ask",
        classmethod(lambda cls, *a, **k: JustFinished(company="Hooli", role="")),
    )
    started.run_command(ReflectRequest())
    qtbot.waitUntil(lambda: started.timer_controller.timers.current is not None)
    assert [c.name for c in journal.companies()] == ["Hooli"]
    doc_id = started.controller.interview_id
    assert doc_id is not None
    assert journal.interview(doc_id).role == ""


def test_settings_validate_and_apply_live(
    qtbot: QtBot, journal: Journal, clock: FakeClock, started: MainWindow
) -> None:
    current = ReminderPreferences(TimerSettings(), True, ("Walk",), False)
    dialog = SettingsDialog(current, autostart_supported=False)
    qtbot.addWidget(dialog)
    dialog.applied.connect(started.apply_preferences)
    dialog.warn.setValue(45)  # longer than the block: refused
    assert not dialog.apply()
    assert dialog.error.isVisibleTo(dialog)
    assert "nudge" in dialog.error.text().lower() or "shorter" in dialog.error.text().lower()
    dialog.warn.setValue(5)
    dialog.reflection.setValue(20)
    dialog.suggestions.setPlainText("Walk\n\nStretch\n")
    assert dialog.apply()
    assert journal.timer_settings().reflection_minutes == 20
    assert journal.break_suggestions() == ["Walk", "Stretch"]
    started.just_finished("Initech", None)
    assert started.timer_panel.countdown.text() == "Reflecting · 20:00 left"


def test_reflect_is_handed_over_to_the_running_window(
    qtbot: QtBot, journal: Journal, clock: FakeClock, started: MainWindow, data_dir: Path
) -> None:
    first = SingleInstance(data_dir)
    assert first.acquire()
    first.message_received.connect(started.handle_message)
    second = SingleInstance(data_dir)
    try:
        assert not second.acquire()
        argv = ["reflect", "--company", "Hooli", "--role", "SRE"]
        assert second.send(argv, request=ReflectRequest(company="Hooli", role="SRE"))
        qtbot.waitUntil(lambda: started.timer_controller.timers.current is not None)
    finally:
        second.release()
        first.release()
    doc_id = started.controller.interview_id
    assert doc_id is not None
    assert journal.interview(doc_id).company_name == "Hooli"
    assert journal.interview(doc_id).role == "SRE"


def test_the_banner_shows_without_a_tray(started: MainWindow, clock: FakeClock) -> None:
    started.just_finished("Initech", None)
    clock.advance(minutes=26)
    started.timer_controller.look()
    assert started.banner.is_showing()
    assert started.banner.isVisible()


def test_user_text_in_reminders_stays_literal(
    journal: Journal, clock: FakeClock, make_window: WindowFactory
) -> None:
    _interview(journal, "<b>Evil</b><img src=x>", time(9, 0), 30)
    clock.set(NINE)
    window = make_window(journal)
    window.show()
    window.start_timers()
    clock.set(NINE + timedelta(minutes=31))
    window.timer_controller.look()
    assert "<b>Evil</b><img src=x>" in window.banner.body_label.text()


def test_reminder_before_an_interview_opens_the_companys_latest_interview(
    journal: Journal, clock: FakeClock, make_window: WindowFactory
) -> None:
    acme = journal.create_company("Acme").company
    earlier = journal.create_interview(acme.id, role="Engineer", on=date(2026, 2, 20))
    upcoming = _interview(journal, "Acme", time(11, 0))
    clock.set(NINE)
    window = make_window(journal)
    window.show()
    window.start_timers()
    clock.set(datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC))
    window.timer_controller.look()
    assert "Interview coming up" in window.banner.title_label.text()
    assert "Read what you wrote last time" in window.banner.body_label.text()
    _press(window, "Open")
    assert window.controller.interview_id == earlier.id
    assert upcoming != earlier.id


def test_the_compact_countdown_names_a_company_whatever_its_name_holds(
    journal: Journal, clock: FakeClock, started: MainWindow
) -> None:
    started.just_finished("Smith · Jones LLP", "Counsel")
    other = journal.create_interview_for("Hooli", role="SRE")
    assert started.open_interview(other.id)  # the tree follows the new interview itself
    assert started.status_countdown.text() == "Reflecting on Smith · Jones LLP · 30 min left"
