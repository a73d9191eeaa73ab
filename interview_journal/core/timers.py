"""Reflection and break timers, and the reminders around interviews: what is due, given a Clock.

A ``QTimer`` in the UI decides *when to look*; this module decides *what is due*. It owns no
timer, no thread and no database. ``Timers`` holds at most one running block (a reflection or
a break) as a ``TimerSession`` record and recomputes the remaining time from the wall clock
minus pauses every time it is asked, so sleep, suspend and restarts are handled by arithmetic
rather than by counting ticks. ``due_reminders`` is a pure function over small schedule
records. Every record here is a frozen dataclass of plain values that round-trips through
``to_dict``/``from_dict``, so the persistence layer can store it as it is.

All arithmetic is in UTC. Local time only matters for showing times, which is the UI's job.
"""

from __future__ import annotations

import math
import uuid as uuidlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeAlias

from interview_journal.core.clock import Clock
from interview_journal.core.domain import REFLECTION_DUE
from interview_journal.core.errors import InvalidInput

Kind: TypeAlias = Literal["reflection", "break"]
Ending: TypeAlias = Literal["finished", "expired", "skipped", "superseded"]
ReminderKind: TypeAlias = Literal["reflect", "prepare"]
# One pause: when it began and when it ended (None while it lasts).
Pause: TypeAlias = tuple[datetime, datetime | None]

KINDS: tuple[Kind, ...] = ("reflection", "break")
ENDINGS: tuple[Ending, ...] = ("finished", "expired", "skipped", "superseded")

# Settings are whole minutes between 1 and a day.
MAX_MINUTES = 24 * 60
# Something noticed later than this after it fell due counts as missed: the app was closed or
# the machine slept. The UI looks far more often than this.
MISSED_AFTER = timedelta(minutes=2)


_ZERO = timedelta(0)


def _utc(value: datetime, what: str = "A time") -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInput(f"{what} must be a date and time.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{what} must carry its time zone.")
    return value.astimezone(UTC)


def _whole(value: object, what: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} must be a whole number.")
    if value < minimum:
        raise InvalidInput(f"{what} must be at least {minimum}.")
    return value


# --------------------------------------------------------------------------- settings

_SETTING_LABELS: dict[str, str] = {
    "reflection_minutes": "The reflection block",
    "break_minutes": "The break",
    "warn_minutes": "The nudge before the end of the block",
    "extend_minutes": "An extension",
    "snooze_minutes": "Snooze",
    "lead_minutes": "The reminder before an interview",
}


@dataclass(frozen=True)
class TimerSettings:
    """How long blocks last and when reminders come, in whole minutes; validated on creation.

    Lengths apply to blocks started after a change; the extension size, the nudge and the
    reminder times apply at once.
    """

    reflection_minutes: int = 30
    break_minutes: int = 15
    warn_minutes: int = 5
    extend_minutes: int = 5
    snooze_minutes: int = 10
    lead_minutes: int = 60
    remind_before: bool = True

    def __post_init__(self) -> None:
        for name, label in _SETTING_LABELS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidInput(f"{label} must be a whole number of minutes.")
            if value < 1:
                raise InvalidInput(f"{label} must be at least 1 minute.")
            if value > MAX_MINUTES:
                raise InvalidInput(f"{label} can be at most {MAX_MINUTES} minutes (a day).")
        if not isinstance(self.remind_before, bool):
            raise InvalidInput("The reminder before an interview must be on or off.")
        if self.warn_minutes >= self.reflection_minutes:
            raise InvalidInput(
                "The nudge before the end must come during the reflection block: make it "
                f"shorter than {self.reflection_minutes} minutes."
            )

    @property
    def reflection(self) -> timedelta:
        """The length of a new reflection block."""
        return timedelta(minutes=self.reflection_minutes)

    @property
    def break_length(self) -> timedelta:
        """The length of a new break."""
        return timedelta(minutes=self.break_minutes)

    @property
    def warning(self) -> timedelta:
        """How long before the end of a reflection block the nudge comes."""
        return timedelta(minutes=self.warn_minutes)

    @property
    def extension(self) -> timedelta:
        """How much one extension adds."""
        return timedelta(minutes=self.extend_minutes)

    @property
    def snooze(self) -> timedelta:
        """How long a snoozed "time to reflect" waits."""
        return timedelta(minutes=self.snooze_minutes)

    @property
    def lead(self) -> timedelta:
        """How long before a scheduled interview the "prepare" reminder comes."""
        return timedelta(minutes=self.lead_minutes)

    def to_dict(self) -> dict[str, int | bool]:
        """Plain JSON values, keyed by field name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> TimerSettings:
        """Settings from stored values: missing keys take the defaults, unknown keys are
        ignored (a newer version may add some), bad values raise ``InvalidInput``."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})  # type: ignore[arg-type]  # __post_init__ checks each value


# --------------------------------------------------------------------------- sessions


@dataclass(frozen=True)
class TimerSession:
    """One reflection block or break, as stored: the facts, never a countdown.

    ``planned_seconds`` is the length chosen at the start and ``extended_seconds`` what
    extensions added (seconds rather than a count, so a later change of the extension size does
    not rewrite history). ``pauses`` lists ``(paused_at, resumed_at)``; only the last may be
    open. ``held`` says the open pause was made because another scheduled interview is in
    progress, so it ends by itself when that interview does. ``warned`` records that the
    five-minute nudge was given. ``ended_at`` and ``ending`` are set together when it ends.
    """

    uuid: str
    kind: Kind
    interview_id: int | None
    started_at: datetime
    planned_seconds: int
    extended_seconds: int = 0
    pauses: tuple[Pause, ...] = ()
    held: bool = False
    warned: bool = False
    ended_at: datetime | None = None
    ending: Ending | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.uuid, str) or not self.uuid:
            raise InvalidInput("A timer session needs an id.")
        if self.kind not in KINDS:
            raise InvalidInput(f"A timer session is a reflection or a break, not {self.kind!r}.")
        if self.interview_id is not None:
            _whole(self.interview_id, "A timer session's interview id", 1)
        if not isinstance(self.held, bool) or not isinstance(self.warned, bool):
            raise InvalidInput("A timer session's held and warned flags must be true or false.")
        _whole(self.planned_seconds, "A timer session's planned length", 1)
        _whole(self.extended_seconds, "A timer session's extension", 0)
        started = _utc(self.started_at, "A timer session's start")
        pauses: list[Pause] = []
        for pause in self.pauses:
            paused_at, resumed_at = pause
            pauses.append((
                _utc(paused_at, "A pause"),
                None if resumed_at is None else _utc(resumed_at, "A resume"),
            ))
        ended = None if self.ended_at is None else _utc(self.ended_at, "A timer session's end")
        object.__setattr__(self, "started_at", started)
        object.__setattr__(self, "pauses", tuple(pauses))
        object.__setattr__(self, "ended_at", ended)
        if (self.ending is None) != (ended is None):
            raise InvalidInput("A timer session that ended must say how, and only then.")
        if self.ending is not None and self.ending not in ENDINGS:
            raise InvalidInput(f"A timer session cannot end as {self.ending!r}.")
        stamps = [started]
        for index, (paused_at, resumed_at) in enumerate(pauses):
            stamps.append(paused_at)
            if resumed_at is None:
                if index != len(pauses) - 1 or ended is not None:
                    raise InvalidInput("Only the last pause of a running session can be open.")
            else:
                stamps.append(resumed_at)
        if ended is not None:
            stamps.append(ended)
        if any(later < earlier for earlier, later in zip(stamps, stamps[1:], strict=False)):
            raise InvalidInput("A timer session's times must be in order.")
        if self.held and not self.is_paused:
            raise InvalidInput("Only a paused session can be held for another interview.")

    # ----------------------------------------------------------------- derived

    @property
    def total(self) -> timedelta:
        """The planned length plus every extension."""
        return timedelta(seconds=self.planned_seconds + self.extended_seconds)

    @property
    def is_running(self) -> bool:
        """Not ended yet (it may be paused)."""
        return self.ended_at is None

    @property
    def is_paused(self) -> bool:
        """Paused right now (by the user, or held for another interview)."""
        return bool(self.pauses) and self.pauses[-1][1] is None

    @property
    def segment_start(self) -> datetime:
        """When the time now counting started: the last resume, or the start."""
        if self.pauses and self.pauses[-1][1] is not None:
            return self.pauses[-1][1]
        return self.started_at

    @property
    def last_stamp(self) -> datetime:
        """The latest instant the record mentions."""
        stamps = [self.started_at]
        for paused_at, resumed_at in self.pauses:
            stamps.append(resumed_at or paused_at)
        if self.ended_at is not None:
            stamps.append(self.ended_at)
        return max(stamps)

    def elapsed(self, at: datetime) -> timedelta:
        """Time that counted up to ``at``: the running stretches, never below zero each."""
        end = self.ended_at or _utc(at)
        total = _ZERO
        start = self.started_at
        for paused_at, resumed_at in self.pauses:
            total += max(_ZERO, min(paused_at, end) - start)
            if resumed_at is None:
                return total
            start = resumed_at
        return total + max(_ZERO, end - start)

    def remaining(self, at: datetime) -> timedelta:
        """Time left at ``at``; zero once used up, never negative."""
        return max(_ZERO, self.total - self.elapsed(at))

    def expires_at(self) -> datetime | None:
        """When it runs out if nothing changes; None while paused or after it ended."""
        if not self.is_running or self.is_paused:
            return None
        start = self.segment_start
        return start + max(_ZERO, self.total - self.elapsed(start))

    # ----------------------------------------------------------------- changes (new records)

    def _paused(self, at: datetime, *, held: bool) -> TimerSession:
        return replace(self, pauses=(*self.pauses, (at, None)), held=held)

    def _resumed(self, at: datetime) -> TimerSession:
        paused_at, _ = self.pauses[-1]
        return replace(self, pauses=(*self.pauses[:-1], (paused_at, at)), held=False)

    def _ended(self, at: datetime, ending: Ending) -> TimerSession:
        session = self._resumed(at) if self.is_paused else self
        return replace(session, ended_at=at, ending=ending, held=False)

    def _shifted(self, delta: timedelta) -> TimerSession:
        return replace(
            self,
            started_at=self.started_at + delta,
            pauses=tuple(
                (p + delta, None if r is None else r + delta) for p, r in self.pauses
            ),
            ended_at=None if self.ended_at is None else self.ended_at + delta,
        )

    # ----------------------------------------------------------------- plain data

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: times as ISO 8601 UTC strings, pauses as pairs."""
        return {
            "uuid": self.uuid,
            "kind": self.kind,
            "interview_id": self.interview_id,
            "started_at": self.started_at.isoformat(),
            "planned_seconds": self.planned_seconds,
            "extended_seconds": self.extended_seconds,
            "pauses": [
                [p.isoformat(), None if r is None else r.isoformat()] for p, r in self.pauses
            ],
            "held": self.held,
            "warned": self.warned,
            "ended_at": None if self.ended_at is None else self.ended_at.isoformat(),
            "ending": self.ending,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimerSession:
        """The record ``to_dict`` wrote; anything malformed raises ``InvalidInput``."""
        try:
            pauses = tuple(
                (_parse_time(p), None if r is None else _parse_time(r))
                for p, r in data.get("pauses", ())
            )
            ended = data.get("ended_at")
            return cls(
                uuid=data["uuid"],
                kind=data["kind"],
                interview_id=data.get("interview_id"),
                started_at=_parse_time(data["started_at"]),
                planned_seconds=data["planned_seconds"],
                extended_seconds=data.get("extended_seconds", 0),
                pauses=pauses,
                held=data.get("held", False),
                warned=data.get("warned", False),
                ended_at=None if ended is None else _parse_time(ended),
                ending=data.get("ending"),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInput(
                f"A stored timer session is incomplete or malformed ({error})."
            ) from error


def _parse_time(value: object) -> datetime:
    if isinstance(value, datetime):
        return _utc(value)
    if not isinstance(value, str):
        raise InvalidInput("A stored time must be ISO 8601 text.")
    return _utc(datetime.fromisoformat(value))


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class ReflectionWarning:
    """The reflection block is nearly over: time to write the action items. Once per block."""

    session: TimerSession
    remaining: timedelta


@dataclass(frozen=True)
class ReflectionExpired:
    """The reflection block ran out (it does not count as reflected).

    ``break_session`` is the break that started when it ran out, or None when that break would
    already be over. ``late`` is true when it ran out while the app was closed or the machine
    slept, so the message should say when it happened.
    """

    session: TimerSession
    break_session: TimerSession | None
    late: bool


@dataclass(frozen=True)
class BreakOver:
    """The break ran its course: a gentle "break over"."""

    session: TimerSession
    late: bool


@dataclass(frozen=True)
class BlockHeld:
    """The running block paused itself because another scheduled interview began."""

    session: TimerSession


@dataclass(frozen=True)
class BlockReleased:
    """The held block resumed because the other interview ended."""

    session: TimerSession


TimerEvent: TypeAlias = (
    ReflectionWarning | ReflectionExpired | BreakOver | BlockHeld | BlockReleased
)


@dataclass(frozen=True)
class TimerStatus:
    """What a countdown display needs: the block, the time left and when it ends."""

    session: TimerSession
    remaining: timedelta
    now: datetime

    @property
    def kind(self) -> Kind:
        """"reflection" or "break"."""
        return self.session.kind

    @property
    def paused(self) -> bool:
        """Paused by the user or held for another interview."""
        return self.session.is_paused

    @property
    def held(self) -> bool:
        """Paused because another scheduled interview is in progress."""
        return self.session.held

    @property
    def ends_at(self) -> datetime | None:
        """When it will end if nothing changes; None while paused."""
        return None if self.paused else self.now + self.remaining


def countdown_text(remaining: timedelta) -> str:
    """``M:SS`` (``H:MM:SS`` from an hour), rounded up so a running block never shows 0:00."""
    seconds = max(0, math.ceil(remaining.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


# --------------------------------------------------------------------------- the state machine


class Timers:
    """The one running block (reflection or break) and its rules, on an injected Clock.

    Every public call first reads the clock and brings the block up to date (expiry, holds for
    other interviews, the nudge); events found that way by an action are kept for the next
    ``tick()``. Changed records collect until ``take_changes()`` so the caller can store them.
    The clock moving backwards shifts the running block by the same amount, so its remaining
    time neither grows nor freezes; a forward jump counts as time passed (suspend).
    """

    def __init__(self, clock: Clock, settings: TimerSettings | None = None) -> None:
        self._clock = clock
        self._settings = settings or TimerSettings()
        self._current: TimerSession | None = None
        self._schedule: tuple[ScheduledInterview, ...] = ()
        self._observed: datetime | None = None
        self._changes: dict[str, TimerSession] = {}
        self._pending: list[TimerEvent] = []

    # ----------------------------------------------------------------- configuration

    @property
    def settings(self) -> TimerSettings:
        """The settings in force."""
        return self._settings

    def apply_settings(self, settings: TimerSettings) -> None:
        """Use new settings from now on; a running block keeps its planned length."""
        self._settings = settings

    def set_schedule(self, interviews: Iterable[ScheduledInterview]) -> None:
        """The scheduled interviews, so the block can pause while another one is in progress.

        Call it at start-up (before ``restore``) and whenever interviews change. Holds are
        worked out from the interviews' own times, so one that spanned a suspend or a restart
        is still accounted for.
        """
        self._schedule = tuple(interviews)

    # ----------------------------------------------------------------- reading

    @property
    def current(self) -> TimerSession | None:
        """The running (possibly paused) block as last brought up to date, or None."""
        return self._current

    def remaining(self) -> timedelta | None:
        """Time left in the running block, recomputed from the clock now; None when idle."""
        now = self._sync()
        return None if self._current is None else self._current.remaining(now)

    def status(self) -> TimerStatus | None:
        """The running block with its time left now, or None when idle."""
        now = self._sync()
        if self._current is None:
            return None
        return TimerStatus(self._current, self._current.remaining(now), now)

    def tick(self) -> list[TimerEvent]:
        """Bring the block up to date and return what fell due since the last look."""
        self._sync()
        events, self._pending = self._pending, []
        return events

    poll = tick

    def take_changes(self) -> list[TimerSession]:
        """Every record created or changed since the last call, latest version once each."""
        changes = list(self._changes.values())
        self._changes.clear()
        return changes

    # ----------------------------------------------------------------- actions

    def start_reflection(self, interview_id: int) -> TimerSession:
        """Start a reflection block for an interview; a running block ends as superseded."""
        _whole(interview_id, "The interview id", 1)
        now = self._sync()
        return self._start("reflection", interview_id, now, self._settings.reflection)

    def start_break(self, interview_id: int | None = None) -> TimerSession:
        """Start a break (after the given interview); a running block ends as superseded."""
        if interview_id is not None:
            _whole(interview_id, "The interview id", 1)
        now = self._sync()
        return self._start("break", interview_id, now, self._settings.break_length)

    def pause(self) -> TimerSession:
        """Pause the running block; pausing a paused one makes it stay paused until resumed."""
        now = self._sync()
        session = self._require()
        if session.is_paused:
            if session.held:  # the user's own pause outlasts the other interview
                self._put(replace(session, held=False))
        else:
            self._put(session._paused(now, held=False))
        return self._require()

    def resume(self) -> TimerSession:
        """Resume a paused block (also one held for another interview); no-op if running."""
        now = self._sync()
        session = self._require()
        if session.is_paused:
            self._put(session._resumed(now))
            self._sync()  # the nudge may be due at once
        return self._require()

    def extend(self) -> TimerSession:
        """Add one extension to the running block."""
        self._sync()
        session = self._require()
        added = self._settings.extend_minutes * 60
        self._put(replace(session, extended_seconds=session.extended_seconds + added))
        return self._require()

    def finish(self, interview_id: int | None = None) -> TimerSession | None:
        """End the running reflection as finished and start the break; return the break.

        "Mark reflection complete" calls this whether or not a block runs: with no reflection
        running (or one for another interview than ``interview_id``), nothing happens and
        None is returned.
        """
        now = self._sync()
        session = self._current
        if session is None or session.kind != "reflection":
            return None
        if interview_id is not None and session.interview_id != interview_id:
            return None
        self._put(session._ended(now, "finished"))
        return self._start("break", session.interview_id, now, self._settings.break_length)

    def skip(self) -> TimerSession | None:
        """End the running reflection as skipped (no break follows); the ended record, or None
        when no reflection was running."""
        return self._stop("reflection")

    def skip_break(self) -> TimerSession | None:
        """End the running break as skipped; the ended record, or None when none was running."""
        return self._stop("break")

    def restore(
        self,
        sessions: Iterable[TimerSession],
        *,
        schedule: Iterable[ScheduledInterview] | None = None,
    ) -> list[TimerEvent]:
        """Pick up stored sessions after a start: a block still within its time keeps running
        with the right time left; one that ran out meanwhile is closed as expired and reported
        here, once (the closed record comes back from ``take_changes``). Ended sessions are
        history and ignored. Use it on a fresh instance only."""
        if self._current is not None:
            raise RuntimeError("restore() needs a Timers with no block running")
        if schedule is not None:
            self.set_schedule(schedule)
        open_sessions = sorted(
            (s for s in sessions if s.is_running), key=lambda s: (s.started_at, s.uuid)
        )
        if not open_sessions:
            return []
        *older, latest = open_sessions
        for session in older:  # more than one open is a leftover of a crash: close it quietly
            at = max(latest.started_at, session.last_stamp)
            self._put(session._ended(at, "superseded"))
        self._current = latest
        self._observed = latest.last_stamp
        self._sync(restoring=True)
        events, self._pending = self._pending, []
        return events

    # ----------------------------------------------------------------- internals

    def _require(self) -> TimerSession:
        if self._current is None:
            raise InvalidInput("No reflection or break is running.")
        return self._current

    def _start(self, kind: Kind, interview_id: int | None, now: datetime,
               length: timedelta) -> TimerSession:
        if self._current is not None:
            self._put(self._current._ended(now, "superseded"))
        session = TimerSession(
            uuid=str(uuidlib.uuid4()),
            kind=kind,
            interview_id=interview_id,
            started_at=now,
            planned_seconds=int(length.total_seconds()),
        )
        self._put(session)
        return session

    def _stop(self, kind: Kind) -> TimerSession | None:
        now = self._sync()
        session = self._current
        if session is None or session.kind != kind:
            return None
        ended = session._ended(now, "skipped")
        self._put(ended)
        return ended

    def _put(self, session: TimerSession) -> None:
        self._changes[session.uuid] = session
        if session.is_running:
            self._current = session
        elif self._current is not None and self._current.uuid == session.uuid:
            self._current = None

    def _sync(self, *, restoring: bool = False) -> datetime:
        """Read the clock, absorb a backwards jump, and play the block forward to now."""
        now = _utc(self._clock.now(), "The clock's time")
        floor = self._observed
        if floor is not None and now < floor:
            if self._current is not None:
                self._put(self._current._shifted(now - floor))
            floor = now
        self._observed = now
        self._pending.extend(self._advance(now, floor or now, restoring))
        return now

    def _advance(self, now: datetime, floor: datetime, restoring: bool) -> list[TimerEvent]:
        """Walk the running block forward to ``now`` in time order: holds for other
        interviews, their ends, running out, the break that follows, and the nudge.

        ``floor`` is the last instant already shown to the user: a hold never starts before
        it, so the remaining time never grows."""
        events: list[TimerEvent] = []
        tentative: str | None = None  # a break started in the past inside this walk
        while (session := self._current) is not None:
            if session.is_paused:
                release = self._release_at(session, now) if session.held else None
                if release is None:
                    break
                self._put(session._resumed(release))
                events.append(BlockReleased(self._require()))
                continue
            expiry = session.expires_at()
            assert expiry is not None  # running and not paused
            hold = self._hold_at(session, now, floor)
            if hold is not None and hold < expiry:
                self._put(session._paused(hold, held=True))
                events.append(BlockHeld(self._require()))
                continue
            if expiry <= now:
                ended = session._ended(expiry, "expired")
                late = restoring or now - expiry > MISSED_AFTER
                self._put(ended)
                if session.kind == "reflection":
                    events.append(ReflectionExpired(ended, None, late))
                    follow = self._start("break", session.interview_id, expiry,
                                         self._settings.break_length)
                    tentative = follow.uuid
                    continue
                if session.uuid == tentative:
                    # The break that followed would be over already: it never happened.
                    self._changes.pop(session.uuid, None)
                    events = [e for e in events if e.session.uuid != tentative]
                    tentative = None
                else:
                    events.append(BreakOver(ended, late))
                break
            if (
                session.kind == "reflection"
                and not session.warned
                and session.remaining(now) <= self._settings.warning
            ):
                self._put(replace(session, warned=True))
                events.append(ReflectionWarning(self._require(), session.remaining(now)))
            break
        if tentative is not None and self._current is not None:
            events = [
                replace(e, break_session=self._current) if isinstance(e, ReflectionExpired) else e
                for e in events
            ]
        return events

    def _busy(self, session: TimerSession) -> list[tuple[datetime, datetime]]:
        """When other scheduled interviews run (the block's own interview does not count)."""
        return [
            (item.starts_at, item.ends_at)
            for item in self._schedule
            if item.starts_at is not None
            and item.ends_at is not None
            and item.interview_id != session.interview_id
        ]

    def _hold_at(self, session: TimerSession, now: datetime, floor: datetime) -> datetime | None:
        """The first instant, up to now, at which another interview that began after the
        block started (or resumed) holds it. One already running when the user started or
        resumed the block is the user's call and does not hold it."""
        since = session.segment_start
        best: datetime | None = None
        for start, end in self._busy(session):
            if since < start <= now:
                at = max(start, floor)
                if at < end and (best is None or at < best):
                    best = at
        return best

    def _release_at(self, session: TimerSession, now: datetime) -> datetime | None:
        """When a held block resumes: the end of the busy stretch it was held in, once that is
        past; at once if that interview is gone from the schedule; None while it lasts."""
        paused_at = session.pauses[-1][0]
        for start, end in _merged(self._busy(session)):
            if start <= paused_at < end:
                return end if end <= now else None
        return now


# --------------------------------------------------------------------------- reminders


@dataclass(frozen=True)
class ScheduledInterview:
    """What the reminders need to know about one interview.

    ``starts_at`` is None while only the date is known: such a date-only interview gets no
    reminders and never holds a block. ``reflection_started_at`` set (a block was started),
    ``reflected_at`` set or ``dismissed`` ("Skip") silence its "time to reflect";
    ``snoozed_until`` moves it.
    """

    interview_id: int
    starts_at: datetime | None
    duration_minutes: int = 60
    reflected_at: datetime | None = None
    reflection_started_at: datetime | None = None
    snoozed_until: datetime | None = None
    dismissed: bool = False

    def __post_init__(self) -> None:
        _whole(self.interview_id, "The interview id", 1)
        _whole(self.duration_minutes, "The duration", 1)
        if self.duration_minutes > MAX_MINUTES:
            raise InvalidInput(f"The duration can be at most {MAX_MINUTES} minutes.")
        for name in ("starts_at", "reflected_at", "reflection_started_at", "snoozed_until"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _utc(value))

    @property
    def date_only(self) -> bool:
        """Only the date is known: no reminders, no holds."""
        return self.starts_at is None

    @property
    def ends_at(self) -> datetime | None:
        """Start plus duration; None for a date-only interview."""
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def in_progress(self, at: datetime) -> bool:
        """Whether ``at`` falls between its start (included) and its end (excluded)."""
        if self.starts_at is None or self.ends_at is None:
            return False
        return self.starts_at <= _utc(at) < self.ends_at


@dataclass(frozen=True)
class Reminder:
    """A reminder to show now: "time to reflect" (``reflect``, with Start, Snooze and Skip)
    or "prepare for your interview" (``prepare``). ``due_at`` is when it fell due, after
    waiting for any other interview in progress."""

    kind: ReminderKind
    interview_id: int
    due_at: datetime
    snoozed: bool = False


@dataclass(frozen=True)
class MissedReminders:
    """Reminders that fell due while the app was closed or the machine slept, shown once,
    together."""

    reminders: tuple[Reminder, ...]


@dataclass(frozen=True)
class ReminderCheck:
    """The outcome of one look: what to show, and the instant to pass as ``last_checked``
    next time (store it, so a restart knows what was missed)."""

    events: tuple[Reminder | MissedReminders, ...]
    checked_until: datetime


def in_progress(
    interviews: Iterable[ScheduledInterview], now: datetime
) -> list[ScheduledInterview]:
    """The scheduled interviews running at ``now``."""
    return [item for item in interviews if item.in_progress(now)]


def snooze_until(now: datetime, settings: TimerSettings,
                 last_checked: datetime | None = None) -> datetime:
    """Where to move a snoozed "time to reflect": the snooze length after now (after the last
    look, if the clock was set back, so the snoozed reminder cannot fall behind it)."""
    base = _utc(now) if last_checked is None else max(_utc(now), _utc(last_checked))
    return base + settings.snooze


def due_reminders(
    interviews: Iterable[ScheduledInterview],
    now: datetime,
    settings: TimerSettings,
    last_checked: datetime | None,
) -> ReminderCheck:
    """What falls due in ``(last_checked, now]``.

    - "time to reflect" when an interview ends (or its snooze runs out), unless it was
      reflected, started, skipped or ended more than a week ago;
    - "prepare" the lead time before an interview starts (if enabled), while it has not;
    - a reminder that would fall due while another interview is in progress waits for that
      one to end, and nothing at all comes while one is in progress;
    - what fell due more than ``MISSED_AFTER`` ago comes once, as one ``MissedReminders``.

    With ``last_checked`` None (never looked before) nothing is due. Date-only interviews
    get no reminders. The clock moving backwards never repeats a reminder.
    """
    now = _utc(now)
    timed = [item for item in interviews if not item.date_only]
    if last_checked is None:
        return ReminderCheck((), now)
    last = _utc(last_checked)
    if now <= last or any(item.in_progress(now) for item in timed):
        return ReminderCheck((), last)  # nothing is consumed: it waits, none is lost
    busy = _merged([(i.starts_at, i.ends_at) for i in timed if i.starts_at and i.ends_at])
    due: list[Reminder] = []
    for item in timed:
        assert item.starts_at is not None  # timed
        assert item.ends_at is not None
        if (
            item.reflected_at is None
            and item.reflection_started_at is None
            and not item.dismissed
            and now - item.ends_at <= REFLECTION_DUE
        ):
            snoozed = item.snoozed_until is not None
            at = _after_busy(item.snoozed_until or item.ends_at, busy)
            if last < at <= now:
                due.append(Reminder("reflect", item.interview_id, at, snoozed))
        if settings.remind_before and now < item.starts_at:
            at = _after_busy(item.starts_at - settings.lead, busy)
            if last < at <= now and at < item.starts_at:
                due.append(Reminder("prepare", item.interview_id, at))
    due.sort(key=lambda r: (r.due_at, r.interview_id, r.kind))
    missed = tuple(r for r in due if now - r.due_at > MISSED_AFTER)
    fresh = tuple(r for r in due if now - r.due_at <= MISSED_AFTER)
    events: tuple[Reminder | MissedReminders, ...] = fresh
    if missed:
        events = (MissedReminders(missed), *fresh)
    return ReminderCheck(events, now)


def _merged(intervals: Sequence[tuple[datetime | None, datetime | None]]) -> list[
    tuple[datetime, datetime]
]:
    """Overlapping or touching intervals joined, in time order."""
    out: list[tuple[datetime, datetime]] = []
    for start, end in sorted((s, e) for s, e in intervals if s is not None and e is not None):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _after_busy(at: datetime, busy: Sequence[tuple[datetime, datetime]]) -> datetime:
    """``at``, or the end of the busy stretch it falls in."""
    for start, end in busy:
        if start <= at < end:
            return end
    return at
