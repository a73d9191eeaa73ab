"""The reflection habit on screen: reminders, the countdown, and the break that follows.

A ``QTimer`` decides when to look; ``core.timers`` decides what is due. Every look asks the
state machine for its events and ``due_reminders`` for reminders, delivers them, stores the
changed sessions through the Journal and refreshes the countdown wherever it is shown (the
editor's timer panel, the status bar and the tray tooltip).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from interview_journal.core.changes import Changes
from interview_journal.core.errors import JournalError
from interview_journal.core.journal import Journal
from interview_journal.core.timers import (
    BlockHeld,
    BlockReleased,
    BreakOver,
    MissedReminders,
    ReflectionExpired,
    ReflectionWarning,
    Reminder,
    Timers,
    TimerSession,
    TimerSettings,
    countdown_text,
    due_reminders,
    snooze_until,
)
from interview_journal.ui.timer_panel import TimerPanel

log = logging.getLogger(__name__)

LOOK_INTERVAL_MS = 1000
CHECKED_KEY = "reminders_checked_until"

Action = tuple[str, Callable[[], None]]
Deliver = Callable[[str, str, Sequence[Action]], None]


class TimerController(QObject):
    """Owns the Timers state machine for the window and turns its events into messages."""

    countdown_changed = Signal(str)  # "" when nothing runs
    break_running = Signal(bool)  # a break started (True) or ended (False)
    open_interview_requested = Signal(int)
    nudge = Signal()  # five minutes left: the action items deserve the last minutes
    finish_reflection_requested = Signal(int)  # the panel's Finish, for the running block

    def __init__(
        self,
        journal: Journal,
        panel: TimerPanel,
        deliver: Deliver,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._panel = panel
        self._deliver = deliver
        self._settings = journal.timer_settings()
        self.timers = Timers(journal.clock, self._settings)
        self._suggestions: list[str] = journal.break_suggestions()
        self._open_interview: int | None = None
        self._on_break = False
        self._labels: dict[int, tuple[str, str]] = {}  # (company, role), read once a run
        self._look = QTimer(self)
        self._look.setInterval(LOOK_INTERVAL_MS)
        self._look.timeout.connect(self.look)
        panel.pause_requested.connect(self._on_panel_pause_requested)
        panel.resume_requested.connect(self._on_panel_resume_requested)
        panel.extend_requested.connect(self._on_panel_extend_requested)
        panel.finish_requested.connect(self._on_panel_finish_requested)
        panel.skip_requested.connect(self._on_panel_skip_requested)

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Resume what was running before the app closed, say what was missed, start looking."""
        self.refresh_schedule()
        try:
            events = self.timers.restore(self._journal.timer_sessions(open_only=True))
        except JournalError as error:
            log.warning("timer sessions could not be restored: %s", type(error).__name__)
            events = []
        self._handle(events)
        if self._journal.setting(CHECKED_KEY, None) is None:
            self._store_checked(self._journal.clock.now())
        self.look()
        self._look.start()

    def stop(self) -> None:
        """Stop looking (on quit); what runs stays stored and resumes next time."""
        self._look.stop()
        self._persist()

    def apply_settings(self, settings: TimerSettings) -> None:
        """New lengths apply to new blocks; the nudge and extension size at once."""
        self._settings = settings
        self.timers.apply_settings(settings)
        self._suggestions = self._journal.break_suggestions()
        self.look()

    def refresh_schedule(self) -> None:
        """Read the interviews' times again (after an edit to a schedule)."""
        self.timers.set_schedule(self._journal.schedule())
        self._labels.clear()  # a company or role may have changed with it

    def apply_changes(self, changes: Changes) -> None:
        """Follow a write anywhere (``JournalEvents.changed``): read the schedule again when
        an interview's time, reflection or company may have changed."""
        if changes.affects_lists:
            self.refresh_schedule()
            self._show()  # the panel names the interview: a rename shows now

    def set_open_interview(self, interview_id: int | None) -> None:
        """The interview the editor shows: the full countdown shows with its own interview."""
        if interview_id != self._open_interview:
            self._open_interview = interview_id
            self._show()

    def running_interview(self) -> int | None:
        """The interview whose reflection block runs, if one does."""
        session = self.timers.current
        if session is not None and session.kind == "reflection":
            return session.interview_id
        return None

    def open_running(self) -> None:
        """Open the interview whose reflection runs (the compact countdown was chosen)."""
        interview_id = self.running_interview()
        if interview_id is not None:
            self.open_interview_requested.emit(interview_id)

    # ----------------------------------------------------------------- looking

    @Slot()
    def look(self) -> None:
        """One look: deliver what is due, store what changed, refresh the countdown."""
        self._handle(self.timers.tick())
        now = self._journal.clock.now()
        last = self._checked()
        check = due_reminders(self._journal.schedule(), now, self._settings, last)
        if check.checked_until != last:
            self._store_checked(check.checked_until)
        for event in check.events:
            if isinstance(event, MissedReminders):
                self._deliver_missed(event)
            else:
                self._deliver_reminder(event)
        self._persist()
        self._show()

    def _checked(self) -> datetime | None:
        value = self._journal.setting(CHECKED_KEY, None)
        return datetime.fromisoformat(value) if isinstance(value, str) else None

    def _store_checked(self, at: datetime) -> None:
        try:
            self._journal.set_setting(CHECKED_KEY, at.isoformat())
        except JournalError as error:
            log.warning("could not store the reminder cursor: %s", type(error).__name__)

    def _persist(self) -> None:
        changes = self.timers.take_changes()
        if not changes:
            return
        try:
            self._journal.save_timer_sessions(changes)
        except JournalError as error:
            log.warning("timer sessions not stored: %s", type(error).__name__)

    def _show(self) -> None:
        status = self.timers.status()
        on_break = status is not None and status.kind == "break"
        if on_break != self._on_break:
            self._on_break = on_break
            self.break_running.emit(on_break)
        if status is None:
            self._panel.clear()
            self.countdown_changed.emit("")
            return
        left = countdown_text(status.remaining)
        if status.kind == "reflection":
            session = status.session
            subject = session.interview_id
            if subject is None or subject == self._open_interview:
                detail = "" if subject is None else self._label(subject)
                self._panel.show_reflection(left, paused=status.paused, held=status.held,
                                            detail=detail)
                text = self.tr("Reflecting: %1 left").replace("%1", left)
            else:
                # Another interview is open: a compact line that opens the one reflected on.
                self._panel.clear()
                minutes = max(1, -(-int(status.remaining.total_seconds()) // 60))
                company = self._names(subject)[0]  # a name may hold " · " itself
                text = (
                    self.tr("Reflecting on %1 · %2 min left")
                    .replace("%1", company)
                    .replace("%2", str(minutes))
                )
        else:
            suggestion = self._suggestion_for(status.session)
            self._panel.show_break(left, paused=status.paused, suggestion=suggestion)
            text = self.tr("Break: %1 left").replace("%1", left)
        if status.paused:
            text += self.tr(" (paused)")
        self.countdown_changed.emit(text)

    # ----------------------------------------------------------------- events

    def _handle(self, events: Sequence[object]) -> None:
        for event in events:
            if isinstance(event, ReflectionWarning):
                self._deliver(
                    self.tr("Five minutes left"),
                    self.tr("Use them for your action items: what will you practise before "
                            "the next interview?"),
                    (),
                )
                self.nudge.emit()
            elif isinstance(event, ReflectionExpired):
                when = self.tr(" while the app was closed") if event.late else ""
                self._deliver(
                    self.tr("Reflection time is up"),
                    self.tr("The reflection block ended%1. Mark the reflection complete when "
                            "you have written what matters.").replace("%1", when),
                    (),
                )
                if event.break_session is not None:
                    self._announce_break(event.break_session)
            elif isinstance(event, BreakOver):
                if not event.late:
                    self._deliver(
                        self.tr("Break over"),
                        self.tr("Welcome back. Whatever happened in that interview, you "
                                "did the work of learning from it."),
                        (),
                    )
            elif isinstance(event, BlockHeld | BlockReleased):
                log.info("timer %s", type(event).__name__)

    def _suggestion_for(self, session: TimerSession) -> str:
        """The break's suggestion: picked by the session's id, so a restart shows the same."""
        if not self._suggestions:
            return ""
        return random.Random(session.uuid).choice(self._suggestions)

    def _announce_break(self, session: TimerSession) -> None:
        minutes = max(1, round(session.total.total_seconds() / 60))
        body = self.tr("You have done the hard part. Step away for %1 minutes. %2")
        # No Skip here: the countdown above the page has the one Skip.
        self._deliver(
            self.tr("Take a real break"),
            body.replace("%1", str(minutes)).replace("%2", self._suggestion_for(session)).strip(),
            (),
        )

    def _label(self, interview_id: int) -> str:
        """"Company · Role" of an interview (read once, until the schedule changes)."""
        company, role = self._names(interview_id)
        return " · ".join(part for part in (company, role) if part)

    def _names(self, interview_id: int) -> tuple[str, str]:
        if interview_id in self._labels:
            return self._labels[interview_id]
        try:
            doc = self._journal.interview(interview_id)
        except JournalError:
            return self.tr("your interview"), ""
        names = self._labels[interview_id] = (doc.company_name, doc.role)
        return names

    def _deliver_reminder(self, reminder: Reminder) -> None:
        interview_id = reminder.interview_id
        label = self._label(interview_id)
        if reminder.kind == "prepare":
            earlier = self._latest_earlier(interview_id)
            target = interview_id if earlier is None else earlier
            advice = (
                self.tr("Read what you wrote last time.")
                if earlier is not None
                else self.tr("Your first interview there: good luck.")
            )
            self._deliver(
                self.tr("Interview coming up"),
                self.tr("%1 starts in %2 minutes. %3")
                .replace("%1", label)
                .replace("%2", str(self._settings.lead_minutes))
                .replace("%3", advice),
                ((self.tr("Open"), lambda: self.open_interview_requested.emit(target)),),
            )
            return
        self._deliver(
            self.tr("Time to reflect"),
            self.tr("%1 just ended. Write it down while it is fresh: %2 minutes.")
            .replace("%1", label)
            .replace("%2", str(self._settings.reflection_minutes)),
            (
                (self.tr("Start"), lambda: self.start_reflection(interview_id)),
                (self.tr("Snooze"), lambda: self.snooze(interview_id)),
                (self.tr("Skip"), lambda: self.skip_reminder(interview_id)),
            ),
        )

    def _latest_earlier(self, interview_id: int) -> int | None:
        """The company's most recent interview before this one (what to read to prepare)."""
        try:
            return self._journal.latest_earlier_interview(interview_id)
        except JournalError:
            return None

    def _deliver_missed(self, missed: MissedReminders) -> None:
        lines = []
        for reminder in missed.reminders:
            what = self.tr("reflect on") if reminder.kind == "reflect" else self.tr("prepare for")
            lines.append(f"• {what} {self._label(reminder.interview_id)}")
        self._deliver(
            self.tr("While the app was closed"),
            self.tr("You missed these reminders:") + "\n" + "\n".join(lines),
            (),
        )

    # ----------------------------------------------------------------- user actions

    def start_reflection(self, interview_id: int) -> None:
        """Start the reflection block for an interview (ending any block that runs)."""
        try:
            self._journal.start_reflection(interview_id)
        except JournalError as error:
            log.warning("reflection start not stored: %s", type(error).__name__)
        self.timers.start_reflection(interview_id)
        self.open_interview_requested.emit(interview_id)
        self._persist()
        self._show()

    def snooze(self, interview_id: int) -> None:
        """Ask again about this interview after the snooze length."""
        until = snooze_until(self._journal.clock.now(), self._settings, self._checked())
        self._journal.snooze_reminder(interview_id, until)

    def skip_reminder(self, interview_id: int) -> None:
        """No reflection for this interview: stop reminding."""
        self._journal.dismiss_reminder(interview_id)

    def finish(self, interview_id: int | None) -> None:
        """The reflection is complete: end the block as finished and start the break."""
        break_session = self.timers.finish(interview_id)
        if break_session is None:
            # No block ran for it: the break still follows a finished reflection.
            break_session = self.timers.start_break(interview_id)
        self._announce_break(break_session)
        self._persist()
        self._show()

    def skip_break(self) -> None:
        """The user does not want the break now."""
        self.timers.skip_break()
        self._persist()
        self._show()

    @Slot()
    def _on_panel_pause_requested(self) -> None:
        self._act(self.timers.pause)

    @Slot()
    def _on_panel_resume_requested(self) -> None:
        self._act(self.timers.resume)

    @Slot()
    def _on_panel_extend_requested(self) -> None:
        self._act(self.timers.extend)

    @Slot()
    def _on_panel_finish_requested(self) -> None:
        session = self.timers.current
        if session is not None and session.kind == "reflection":
            self.finish_reflection_requested.emit(session.interview_id or 0)

    @Slot()
    def _on_panel_skip_requested(self) -> None:
        self.skip_break()

    def _act(self, change: Callable[[], object]) -> None:
        try:
            change()
        except JournalError as error:
            log.info("timer action refused: %s", error)
        self._persist()
        self._show()
