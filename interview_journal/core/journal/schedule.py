"""The reflection habit: the schedule the reminders read, reminders, "I just finished",
the timer sessions and the timer settings.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from interview_journal.core.changes import Kind, Op
from interview_journal.core.clock import stored_utc
from interview_journal.core.domain import REFLECTION_DUE_DAYS
from interview_journal.core.errors import InvalidInput, NotFound
from interview_journal.core.journal.interviews import _Interviews
from interview_journal.core.journal.rules import _text, _utc_naive
from interview_journal.core.journal.values import (
    BREAK_SUGGESTIONS_KEY,
    DEFAULT_DURATION,
    MAX_LINE,
    TIMER_SETTINGS_KEY,
    InterviewDoc,
    suggestion_key,
)
from interview_journal.core.models import Company, Interview, TimerSessionRow

if TYPE_CHECKING:
    # Imported where first used: the search and timer code is not needed to show the window.
    from interview_journal.core.timers import ScheduledInterview, TimerSession, TimerSettings

log = logging.getLogger(__name__)


def default_break_suggestions() -> list[str]:
    """The break suggestions shipped with the app (resources/break_suggestions.txt)."""
    import importlib.resources

    resource = importlib.resources.files("interview_journal.resources") / "break_suggestions.txt"
    lines = resource.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _session_from_row(row: TimerSessionRow) -> TimerSession:
    from interview_journal.core.timers import TimerSession

    def iso(value: datetime | str | None) -> str | None:
        aware = stored_utc(value)
        return None if aware is None else aware.isoformat()

    return TimerSession.from_dict(
        {
            "uuid": row.uuid,
            "kind": row.kind,
            "interview_id": row.interview_id,
            "started_at": iso(row.started_at),
            "planned_seconds": row.planned_seconds,
            "extended_seconds": row.extended_seconds,
            "pauses": json.loads(row.pauses),
            "held": bool(row.held),
            "warned": bool(row.warned),
            "ended_at": iso(row.ended_at),
            "ending": row.ending,
        }
    )


class _Schedule(_Interviews):
    """Reminders, "I just finished" and the timers' sessions."""

    def schedule(self) -> list[ScheduledInterview]:
        """Every live interview with a known start, as the reminders and timers need it."""
        from interview_journal.core.timers import ScheduledInterview

        since = _utc_naive(self.clock.now() - timedelta(days=REFLECTION_DUE_DAYS + 1))
        # The local date is within a day of the UTC start: bounding it lets the (company,
        # date) index skip the older interviews, whose rows would otherwise be read past
        # their text for trashed_at (~2 ms on a heavy journal).
        recent = (Interview.date >= (since - timedelta(days=2)).date()) | Interview.date.is_null()
        query = (
            Interview.select(
                Interview.id,
                Interview.starts_at,
                Interview.duration_minutes,
                Interview.reflected_at,
                Interview.reflection_started_at,
                Interview.snoozed_until,
                Interview.reminder_dismissed,
            )
            .join(Company)
            .where(
                Interview.trashed_at.is_null()
                & Company.trashed_at.is_null()
                & Interview.starts_at.is_null(False)
                & (Interview.starts_at >= since)
                & recent
            )
        )
        return [
            ScheduledInterview(
                interview_id=row.id,
                starts_at=stored_utc(row.starts_at),
                duration_minutes=row.duration_minutes,
                reflected_at=stored_utc(row.reflected_at),
                reflection_started_at=stored_utc(row.reflection_started_at),
                snoozed_until=stored_utc(row.snoozed_until),
                dismissed=bool(row.reminder_dismissed),
            )
            for row in query
        ]

    def start_reflection(self, interview_id: int) -> InterviewDoc:
        """Record that a reflection block started for this interview (silences its reminder)."""
        with self._write():
            self._set_reminder(interview_id, reflection_started_at=self._now())
            return self.interview(interview_id)

    def snooze_reminder(self, interview_id: int, until: datetime) -> None:
        """Ask "time to reflect" again for this interview at ``until``."""
        with self._write():
            self._set_reminder(interview_id, snoozed_until=_utc_naive(until))

    def dismiss_reminder(self, interview_id: int) -> None:
        """Skip: no "time to reflect" for this interview."""
        with self._write():
            self._set_reminder(interview_id, reminder_dismissed=True)

    def _set_reminder(self, interview_id: int, **fields: object) -> None:
        """Write the reminder state (not an edit: ``updated_at`` stays)."""
        if not Interview.update(**fields).where(Interview.id == interview_id).execute():
            raise NotFound("That interview no longer exists.")
        self._changed(Kind.INTERVIEW, interview_id, Op.UPDATED)

    def just_finished(self, company: str | None = None, role: str | None = None) -> InterviewDoc:
        """"I just finished an interview": the one that just ended, or a new one ending now.

        An interview of that company (any company when none is named) that ended within the
        last two hours, or is still scheduled as in progress, and is not reflected yet, is
        picked; otherwise one is created that started ``DEFAULT_DURATION`` minutes ago. With
        no company named and none of those, nothing is invented: ``InvalidInput``.
        """
        now = self.clock.now()
        name = company.strip() if company else ""
        with self._write():
            candidates = self.recently_ended()
            if name:
                wanted = suggestion_key(name)
                candidates = [
                    doc for doc in candidates if suggestion_key(doc.company_name) == wanted
                ]
            if candidates:
                doc = candidates[0]
                if role and not doc.role:
                    doc = self.update_interview(doc.id, role=role)
                return doc
            if not name:
                raise InvalidInput("Say which company the interview was with.")
            target = self.known_company_name(name)
            started = now - timedelta(minutes=DEFAULT_DURATION)
            return self.create_interview_for(target, role=role or "", starts_at=started)

    def recently_ended(self) -> list[InterviewDoc]:
        """Interviews not reflected yet that are in progress or ended within the last two
        hours, the latest start first: what "I just finished an interview" offers."""
        now = self.clock.now()
        found = [
            item
            for item in self.schedule()
            if item.reflected_at is None
            and item.starts_at is not None
            and item.starts_at <= now
            and item.ends_at is not None
            and now - item.ends_at <= timedelta(hours=2)
        ]
        found.sort(key=lambda item: (item.starts_at or now, item.interview_id), reverse=True)
        return [self.interview(item.interview_id) for item in found]

    def timer_sessions(self, *, open_only: bool = False) -> list[TimerSession]:
        """Stored timer sessions, oldest first (only running ones with ``open_only``)."""
        query = TimerSessionRow.select().order_by(TimerSessionRow.started_at)
        if open_only:
            query = query.where(TimerSessionRow.ended_at.is_null())
        return [_session_from_row(row) for row in query]

    def save_timer_sessions(self, sessions: Sequence[TimerSession]) -> None:
        """Store (insert or update, by uuid) timer sessions as they changed."""
        with self._write():
            for session in sessions:
                data = session.to_dict()
                values = {
                    "kind": session.kind,
                    "interview": session.interview_id
                    if session.interview_id is not None
                    and Interview.select().where(Interview.id == session.interview_id).exists()
                    else None,
                    "started_at": _utc_naive(session.started_at),
                    "planned_seconds": session.planned_seconds,
                    "extended_seconds": session.extended_seconds,
                    "pauses": json.dumps(data["pauses"]),
                    "held": session.held,
                    "warned": session.warned,
                    "ended_at": None if session.ended_at is None
                    else _utc_naive(session.ended_at),
                    "ending": session.ending,
                }
                updated = (
                    TimerSessionRow.update(**values)
                    .where(TimerSessionRow.uuid == session.uuid)
                    .execute()
                )
                if not updated:
                    TimerSessionRow.create(uuid=session.uuid, **values)
                self._changed(
                    Kind.TIMER_SESSION, session.uuid, Op.UPDATED if updated else Op.CREATED
                )

    def timer_settings(self) -> TimerSettings:
        """The reminder and timer preferences (defaults where none are stored, or invalid)."""
        from interview_journal.core.timers import TimerSettings

        stored: object = self.setting(TIMER_SETTINGS_KEY, {})
        try:
            return TimerSettings.from_dict(stored if isinstance(stored, dict) else {})
        except InvalidInput:
            log.warning("stored timer settings are invalid; using the defaults")
            return TimerSettings()

    def set_timer_settings(self, settings: TimerSettings) -> None:
        """Store the reminder and timer preferences."""
        self.set_setting(TIMER_SETTINGS_KEY, settings.to_dict())

    def break_suggestions(self) -> list[str]:
        """What to do on a break: the user's list, or the one shipped with the app."""
        stored = self.setting(BREAK_SUGGESTIONS_KEY, None)
        if isinstance(stored, list) and all(isinstance(s, str) for s in stored):
            return [s for s in stored if s.strip()]
        return default_break_suggestions()

    def set_break_suggestions(self, suggestions: Sequence[str]) -> list[str]:
        """Store the user's list of break suggestions (blank lines dropped)."""
        clean = [_text(s, "Break suggestion", MAX_LINE).strip() for s in suggestions]
        clean = [s for s in clean if s]
        self.set_setting(BREAK_SUGGESTIONS_KEY, clean)
        return clean

    def latest_earlier_interview(self, interview_id: int) -> int | None:
        """The interview to read before this one ("Read what you wrote last time"): the
        newest of the same company's other interviews that is not upcoming; None when there
        is none (the first interview there) or ``interview_id`` does not exist.

        Newest as the tree orders them (``interviews``): by date, undated ones first, then
        by start and id. Not upcoming: reflected, or ended by now, or undated; interviews in
        the trash are left out. One query, reading no text.
        """
        this = Interview.alias("this")
        company = this.select(this.company).where(this.id == interview_id)
        query = (
            Interview.select(
                Interview.id,
                Interview.date,
                Interview.starts_at,
                Interview.duration_minutes,
                Interview.reflected_at,
            )
            .where(
                (Interview.company == company)
                & (Interview.id != interview_id)
                & Interview.trashed_at.is_null()
            )
            .order_by(
                Interview.date.desc(nulls="first"),
                Interview.starts_at.desc(nulls="last"),
                Interview.id.desc(),
            )
        )
        now = self.clock.now()
        rows: Iterable[tuple[int, str | None, str | None, int, str | None]]
        rows = self._db.execute(query)
        for found, on, starts_at, minutes, reflected_at in rows:
            if self._status_of(reflected_at, starts_at, on, minutes, now) != "upcoming":
                return found
        return None
