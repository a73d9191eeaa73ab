"""The reflection/break state machine and the reminders (core/timers.py): pure, on a FakeClock.

No database, no Qt, no real time: the clock moves only when a test moves it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput
from interview_journal.core.timers import (
    MISSED_AFTER,
    BlockHeld,
    BlockReleased,
    BreakOver,
    MissedReminders,
    ReflectionExpired,
    ReflectionWarning,
    Reminder,
    ScheduledInterview,
    TimerEvent,
    Timers,
    TimerSession,
    TimerSettings,
    countdown_text,
    due_reminders,
    in_progress,
    snooze_until,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # the clock fixture's start: Monday 09:00 UTC
BERLIN = ZoneInfo("Europe/Berlin")


def mins(n: float) -> timedelta:
    return timedelta(minutes=n)


def at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """An instant on Monday 2 March 2026 (or another March day), UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def interview(
    interview_id: int, start: datetime | None, minutes: int = 60, **kwargs: object
) -> ScheduledInterview:
    return ScheduledInterview(interview_id, start, minutes, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def timers(clock: FakeClock) -> Timers:
    return Timers(clock)


def remaining(timers: Timers) -> timedelta:
    left = timers.remaining()
    assert left is not None
    return left


def reloaded(sessions: list[TimerSession]) -> list[TimerSession]:
    """What a database round trip gives back: the records through their plain-data form."""
    return [TimerSession.from_dict(s.to_dict()) for s in sessions]


def saved(timers: Timers, store: dict[str, TimerSession]) -> dict[str, TimerSession]:
    """Upsert the changed records into ``store``, as the persistence layer would."""
    for session in timers.take_changes():
        store[session.uuid] = session
    return store


# --------------------------------------------------------------------------- settings


def test_settings_defaults() -> None:
    s = TimerSettings()
    assert (s.reflection, s.break_length, s.warning, s.extension, s.snooze, s.lead) == (
        mins(30), mins(15), mins(5), mins(5), mins(10), mins(60)
    )
    assert s.remind_before is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reflection_minutes": 0}, "The reflection block must be at least 1 minute."),
        ({"break_minutes": -5}, "The break must be at least 1 minute."),
        ({"extend_minutes": 0}, "An extension must be at least 1 minute."),
        ({"snooze_minutes": -1}, "Snooze must be at least 1 minute."),
        ({"lead_minutes": 0}, "The reminder before an interview must be at least 1 minute."),
        ({"warn_minutes": 0}, "The nudge before the end of the block must be at least 1 minute."),
        ({"break_minutes": 1441}, "The break can be at most 1440 minutes (a day)."),
        ({"reflection_minutes": "30"}, "The reflection block must be a whole number of minutes."),
        ({"reflection_minutes": 2.5}, "The reflection block must be a whole number of minutes."),
        ({"snooze_minutes": True}, "Snooze must be a whole number of minutes."),
        ({"remind_before": "yes"}, "The reminder before an interview must be on or off."),
        ({"reflection_minutes": 5}, "The nudge before the end must come during the reflection"),
        ({"warn_minutes": 30}, "The nudge before the end must come during the reflection"),
    ],
)
def test_settings_validation(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        TimerSettings(**changes)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)


def test_settings_round_trip_through_plain_data() -> None:
    custom = TimerSettings(reflection_minutes=45, break_minutes=20, remind_before=False)

    assert TimerSettings.from_dict(custom.to_dict()) == custom
    assert TimerSettings.from_dict({}) == TimerSettings()
    assert TimerSettings.from_dict({"snooze_minutes": 3, "from_a_newer_app": 1}).snooze == mins(3)
    with pytest.raises(InvalidInput, match="Snooze must be at least 1 minute"):
        TimerSettings.from_dict({"snooze_minutes": 0})


def test_new_settings_apply_to_new_blocks_and_extensions(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    timers.apply_settings(TimerSettings(reflection_minutes=40, extend_minutes=10))

    assert remaining(timers) == mins(30)  # the running block keeps its length
    timers.extend()
    assert remaining(timers) == mins(40)  # the new extension size
    assert timers.start_reflection(2).planned_seconds == 40 * 60


# --------------------------------------------------------------------------- transitions


def test_start_reflection(clock: FakeClock, timers: Timers) -> None:
    assert timers.current is None
    assert timers.remaining() is None
    assert timers.status() is None

    session = timers.start_reflection(7)

    assert (session.kind, session.interview_id, session.started_at) == ("reflection", 7, T0)
    assert (session.planned_seconds, session.extended_seconds, session.pauses) == (1800, 0, ())
    assert (session.ended_at, session.ending) == (None, None)
    assert timers.current == session
    status = timers.status()
    assert status is not None
    assert (status.kind, status.remaining, status.ends_at, status.paused) == (
        "reflection", mins(30), T0 + mins(30), False
    )
    assert timers.take_changes() == [session]
    assert timers.take_changes() == []


def test_remaining_follows_the_wall_clock(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    timers.take_changes()

    clock.advance(minutes=10, seconds=30)

    assert remaining(timers) == timedelta(minutes=19, seconds=30)
    assert timers.tick() == []
    assert timers.take_changes() == []  # nothing stored per tick: it is all arithmetic


def test_pause_and_resume_arithmetic(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=10)

    paused = timers.pause()
    clock.advance(minutes=7)
    assert remaining(timers) == mins(20)
    status = timers.status()
    assert status is not None
    assert status.paused
    assert status.ends_at is None

    resumed = timers.resume()
    clock.advance(minutes=5)
    assert remaining(timers) == mins(15)
    timers.pause()
    clock.advance(minutes=60)
    timers.resume()
    clock.advance(minutes=1)

    assert remaining(timers) == mins(14)
    assert paused.pauses == ((T0 + mins(10), None),)
    assert resumed.pauses == ((T0 + mins(10), T0 + mins(17)),)
    current = timers.current
    assert current is not None
    assert current.pauses == (
        (T0 + mins(10), T0 + mins(17)),
        (T0 + mins(22), T0 + mins(82)),
    )
    assert current.expires_at() == T0 + mins(83 + 14)


def test_pause_and_resume_are_idempotent(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=1)
    first = timers.pause()
    clock.advance(minutes=1)

    assert timers.pause() == first
    timers.resume()
    clock.advance(minutes=1)
    assert timers.resume().pauses == ((T0 + mins(1), T0 + mins(2)),)


def test_extend_arithmetic(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=20)

    extended = timers.extend()
    assert extended.extended_seconds == 300
    assert remaining(timers) == mins(15)

    timers.pause()
    timers.extend()  # extending a paused block works too
    clock.advance(minutes=30)
    timers.resume()
    clock.advance(minutes=19)
    assert remaining(timers) == mins(1)
    assert [type(e) for e in timers.tick()] == [ReflectionWarning]
    clock.advance(minutes=1)
    [expired] = [e for e in timers.tick() if isinstance(e, ReflectionExpired)]
    assert expired.session.total == mins(40)
    assert expired.session.ended_at == T0 + mins(20 + 30 + 20)


def test_actions_need_a_running_block(timers: Timers) -> None:
    for action in (timers.pause, timers.resume, timers.extend):
        with pytest.raises(InvalidInput, match="No reflection or break is running"):
            action()
    assert timers.finish() is None
    assert timers.skip() is None
    assert timers.skip_break() is None


def test_warning_fires_once_five_minutes_before_the_end(clock: FakeClock, timers: Timers) -> None:
    session = timers.start_reflection(1)
    clock.advance(minutes=24, seconds=59)
    assert timers.tick() == []

    clock.advance(seconds=1)
    [warning] = timers.tick()

    assert isinstance(warning, ReflectionWarning)
    assert warning.remaining == mins(5)
    assert warning.session.uuid == session.uuid
    assert warning.session.warned is True
    [stored] = timers.take_changes()
    assert stored.warned is True  # persisted, so a restart does not nudge again
    clock.advance(minutes=1)
    assert timers.tick() == []
    timers.extend()  # back above five minutes: still no second nudge
    clock.advance(minutes=7)
    assert timers.tick() == []


def test_warning_found_by_an_action_waits_for_the_next_tick(
    clock: FakeClock, timers: Timers
) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=26)

    timers.pause()  # the block reached the nudge before the pause
    events = timers.tick()

    assert [type(e) for e in events] == [ReflectionWarning]
    assert timers.tick() == []


def test_running_out_expires_the_block_and_starts_the_break(
    clock: FakeClock, timers: Timers
) -> None:
    reflection = timers.start_reflection(3)
    clock.advance(minutes=25)
    timers.tick()
    clock.advance(minutes=5)

    [expired] = timers.tick()

    assert isinstance(expired, ReflectionExpired)
    assert expired.late is False
    assert (expired.session.uuid, expired.session.ending) == (reflection.uuid, "expired")
    assert expired.session.ended_at == T0 + mins(30)
    brk = expired.break_session
    assert brk is not None
    assert (brk.kind, brk.interview_id, brk.started_at) == ("break", 3, T0 + mins(30))
    assert timers.current == brk
    assert remaining(timers) == mins(15)
    assert [(s.kind, s.ending) for s in timers.take_changes()] == [
        ("reflection", "expired"),
        ("break", None),
    ]

    clock.advance(minutes=15)
    [over] = timers.tick()
    assert isinstance(over, BreakOver)
    assert (over.session.ending, over.session.ended_at, over.late) == (
        "expired", T0 + mins(45), False
    )
    assert timers.current is None
    assert timers.tick() == []


def test_expiry_is_found_between_ticks_at_its_true_instant(
    clock: FakeClock, timers: Timers
) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=31)  # the UI looked a minute late

    events = timers.tick()

    [expired] = [e for e in events if isinstance(e, ReflectionExpired)]
    assert expired.session.ended_at == T0 + mins(30)
    assert not any(isinstance(e, ReflectionWarning) for e in events)  # too late to nudge
    assert remaining(timers) == mins(14)  # the break started when the block ran out


def test_finish_ends_as_finished_and_starts_the_break(clock: FakeClock, timers: Timers) -> None:
    reflection = timers.start_reflection(4)
    clock.advance(minutes=12)
    timers.pause()

    assert timers.finish(interview_id=5) is None  # "mark complete" on another interview
    brk = timers.finish(interview_id=4)

    assert brk is not None
    assert (brk.kind, brk.interview_id, brk.started_at, brk.planned_seconds) == (
        "break", 4, T0 + mins(12), 900
    )
    [ended, started] = timers.take_changes()
    assert ended.uuid == reflection.uuid
    assert (ended.ending, ended.ended_at) == ("finished", T0 + mins(12))
    assert ended.pauses == ((T0 + mins(12), T0 + mins(12)),)  # the open pause is closed
    assert started == brk
    assert timers.finish() is None  # a break is running, not a reflection


def test_skip_ends_the_reflection_without_a_break(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=3)

    skipped = timers.skip()

    assert skipped is not None
    assert (skipped.ending, skipped.ended_at) == ("skipped", T0 + mins(3))
    assert timers.current is None
    assert timers.skip_break() is None


def test_break_can_be_started_and_skipped(clock: FakeClock, timers: Timers) -> None:
    brk = timers.start_break()
    clock.advance(minutes=4)

    assert timers.skip() is None  # not a reflection
    skipped = timers.skip_break()

    assert skipped is not None
    assert (skipped.uuid, skipped.kind, skipped.interview_id) == (brk.uuid, "break", None)
    assert (skipped.ending, skipped.ended_at) == ("skipped", T0 + mins(4))
    assert timers.current is None
    clock.advance(hours=1)
    assert timers.tick() == []


def test_a_second_block_supersedes_the_first(clock: FakeClock, timers: Timers) -> None:
    first = timers.start_reflection(1)
    clock.advance(minutes=8)

    second = timers.start_reflection(2)

    assert timers.current == second
    [ended, started] = timers.take_changes()
    assert (ended.uuid, ended.ending, ended.ended_at) == (first.uuid, "superseded", T0 + mins(8))
    assert started == second
    assert remaining(timers) == mins(30)

    clock.advance(minutes=1)
    brk = timers.start_break(2)  # a break also supersedes a running reflection
    [ended, started] = timers.take_changes()
    assert (ended.uuid, ended.ending) == (second.uuid, "superseded")
    assert started == brk
    assert timers.start_reflection(3).kind == "reflection"
    [ended, _] = timers.take_changes()
    assert (ended.uuid, ended.ending) == (brk.uuid, "superseded")


def test_invalid_interview_ids_are_refused(timers: Timers) -> None:
    with pytest.raises(InvalidInput, match="The interview id must be at least 1"):
        timers.start_reflection(0)
    with pytest.raises(InvalidInput, match="The interview id must be a whole number"):
        timers.start_break(True)


# --------------------------------------------------------------------------- suspend, restart


def test_three_hour_suspend_expires_the_block(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=10)
    timers.tick()

    clock.advance(hours=3)  # the lid was closed
    events = timers.tick()

    assert len(events) == 1
    [expired] = events
    assert isinstance(expired, ReflectionExpired)
    assert expired.late is True
    assert expired.session.ended_at == T0 + mins(30)  # when it really ran out
    assert expired.break_session is None  # that break would be long over
    assert timers.current is None
    assert [s.ending for s in timers.take_changes()] == ["expired"]  # no phantom break stored
    assert timers.tick() == []


def test_short_suspend_past_the_end_leaves_the_rest_of_the_break(
    clock: FakeClock, timers: Timers
) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=40)

    [expired] = timers.tick()

    assert isinstance(expired, ReflectionExpired)
    assert expired.late is True
    assert expired.break_session is not None
    assert expired.break_session.started_at == T0 + mins(30)
    assert remaining(timers) == mins(5)


def test_restart_mid_block_resumes_with_the_right_time(clock: FakeClock) -> None:
    before = Timers(clock)
    before.start_reflection(1)
    clock.advance(minutes=8)
    before.pause()
    clock.advance(minutes=4)
    before.resume()
    clock.advance(minutes=2)
    before.extend()
    store = saved(before, {})

    clock.advance(minutes=6)  # the app was closed for six minutes
    after = Timers(clock)
    events = after.restore(reloaded(list(store.values())))

    assert events == []
    current = after.current
    assert current is not None
    assert current.uuid in store
    assert remaining(after) == mins(30 + 5 - 8 - 2 - 6)
    assert after.take_changes() == []  # nothing changed: nothing to store


def test_restart_while_paused_stays_paused(clock: FakeClock) -> None:
    before = Timers(clock)
    before.start_reflection(1)
    clock.advance(minutes=10)
    before.pause()
    store = saved(before, {})

    clock.advance(hours=5)
    after = Timers(clock)

    assert after.restore(reloaded(list(store.values()))) == []
    status = after.status()
    assert status is not None
    assert status.paused
    assert status.remaining == mins(20)


def test_restart_nudges_if_the_nudge_came_while_closed(clock: FakeClock) -> None:
    before = Timers(clock)
    before.start_reflection(1)
    store = saved(before, {})

    clock.advance(minutes=27)
    after = Timers(clock)
    [warning] = after.restore(reloaded(list(store.values())))

    assert isinstance(warning, ReflectionWarning)
    assert warning.remaining == mins(3)


def test_app_closed_through_a_whole_block_reports_expired_once(clock: FakeClock) -> None:
    before = Timers(clock)
    before.start_reflection(9)
    clock.advance(minutes=5)
    store = saved(before, {})

    clock.set(T0 + timedelta(hours=20))  # closed until the next morning
    first = Timers(clock)
    events = first.restore(reloaded(list(store.values())))

    [expired] = events
    assert isinstance(expired, ReflectionExpired)
    assert (expired.late, expired.break_session) == (True, None)
    assert (expired.session.ending, expired.session.ended_at) == ("expired", T0 + mins(30))
    assert first.current is None
    saved(first, store)

    clock.advance(minutes=1)
    second = Timers(clock)
    assert second.restore(reloaded(list(store.values()))) == []  # said once, never again
    assert second.current is None


def test_restart_just_after_the_end_keeps_the_rest_of_the_break(clock: FakeClock) -> None:
    before = Timers(clock)
    before.start_reflection(9)
    store = saved(before, {})

    clock.advance(minutes=32)
    after = Timers(clock)
    [expired] = after.restore(reloaded(list(store.values())))

    assert isinstance(expired, ReflectionExpired)
    assert expired.late is True  # it ended while the app was closed
    assert expired.break_session is not None
    assert remaining(after) == mins(13)
    assert {s.kind for s in after.take_changes()} == {"reflection", "break"}


def test_restart_with_a_break_that_ended_meanwhile(clock: FakeClock) -> None:
    before = Timers(clock)
    before.start_break(2)
    store = saved(before, {})

    clock.advance(minutes=50)
    after = Timers(clock)
    [over] = after.restore(reloaded(list(store.values())))

    assert isinstance(over, BreakOver)
    assert (over.late, over.session.ended_at) == (True, T0 + mins(15))


def test_restore_closes_leftover_open_sessions(clock: FakeClock) -> None:
    a = TimerSession("a", "reflection", 1, T0, 1800)
    b = TimerSession("b", "reflection", 2, T0 + mins(5), 1800)
    done = TimerSession("c", "break", 1, T0 - mins(60), 900, ended_at=T0 - mins(45),
                        ending="expired")
    clock.advance(minutes=10)
    timers = Timers(clock)

    assert timers.restore([b, done, a]) == []

    assert timers.current == b
    [closed] = timers.take_changes()
    assert (closed.uuid, closed.ending, closed.ended_at) == ("a", "superseded", T0 + mins(5))
    with pytest.raises(RuntimeError):
        timers.restore([a])


# --------------------------------------------------------------------------- clock changes


def test_clock_moving_backwards_never_gives_time_back(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=10)
    assert remaining(timers) == mins(20)

    clock.advance(minutes=-60)  # the clock was an hour fast and got corrected
    assert remaining(timers) == mins(20)
    clock.advance(minutes=5)
    assert remaining(timers) == mins(15)  # and it keeps counting at the real pace

    current = timers.current
    assert current is not None
    assert current.started_at == T0 - mins(60)  # the record moved with the clock
    [stored] = timers.take_changes()
    assert stored.started_at == T0 - mins(60)
    clock.advance(minutes=15)
    [expired] = timers.tick()
    assert isinstance(expired, ReflectionExpired)
    assert expired.session.ended_at == T0 - mins(30)


def test_clock_moving_backwards_while_paused(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=10)
    timers.pause()
    clock.advance(minutes=-30)

    assert remaining(timers) == mins(20)
    timers.resume()
    clock.advance(minutes=1)
    assert remaining(timers) == mins(19)


def test_clock_behind_a_stored_block_at_restart(clock: FakeClock) -> None:
    # Stored by a run whose clock was two hours ahead of this one.
    ahead = TimerSession("x", "reflection", 1, T0 + timedelta(hours=2), 1800,
                         pauses=((T0 + timedelta(hours=2, minutes=10), None),))
    timers = Timers(clock)

    assert timers.restore([ahead]) == []

    assert remaining(timers) == mins(20)
    timers.resume()
    clock.advance(minutes=5)
    assert remaining(timers) == mins(15)


def test_block_across_spring_dst_change_lasts_thirty_real_minutes() -> None:
    # 29 March 2026: Berlin jumps from 02:00 CET to 03:00 CEST (01:00 UTC).
    start = datetime(2026, 3, 29, 1, 50, tzinfo=BERLIN)
    clock = FakeClock(start.astimezone(UTC), zone=BERLIN)
    timers = Timers(clock)
    session = timers.start_reflection(1)
    assert session.started_at == datetime(2026, 3, 29, 0, 50, tzinfo=UTC)

    clock.set(datetime(2026, 3, 29, 3, 15, tzinfo=BERLIN))  # 85 minutes later on the wall
    assert remaining(timers) == mins(5)
    clock.advance(minutes=5)
    [expired] = [e for e in timers.tick() if isinstance(e, ReflectionExpired)]

    assert expired.session.ended_at == datetime(2026, 3, 29, 3, 20, tzinfo=BERLIN)
    assert expired.session.ended_at - expired.session.started_at == mins(30)


def test_block_across_autumn_dst_change_never_grows() -> None:
    # 25 October 2026: Berlin falls back from 03:00 CEST to 02:00 CET (01:00 UTC).
    clock = FakeClock(datetime(2026, 10, 25, 0, 45, tzinfo=UTC), zone=BERLIN)
    timers = Timers(clock)
    timers.start_reflection(1)
    seen = []
    for _ in range(29):
        clock.advance(minutes=1)
        seen.append(remaining(timers))

    local_end = (clock.now() + mins(1)).astimezone(BERLIN)
    assert local_end.hour == 2  # the local clock reads earlier than the 02:45 start
    assert seen == sorted(seen, reverse=True)
    assert seen[-1] == mins(1)


def test_reminders_across_dst_use_real_minutes() -> None:
    # Interview at 03:30 local on the morning the clocks go forward: 01:30 UTC.
    start = datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)
    item = interview(1, start, 60)
    config = TimerSettings()
    early = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)

    check = due_reminders([item], datetime(2026, 3, 29, 0, 30, tzinfo=UTC), config, early)

    assert check.events == (Reminder("prepare", 1, datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),)
    assert check.events[0].due_at.astimezone(BERLIN).hour == 1  # 01:30 CET: two wall hours
    end = due_reminders([item], start + mins(60), config, start + mins(59))
    assert end.events == (Reminder("reflect", 1, datetime(2026, 3, 29, 2, 30, tzinfo=UTC)),)


# --------------------------------------------------------------------------- other interviews


def test_block_pauses_while_another_interview_runs(clock: FakeClock, timers: Timers) -> None:
    timers.set_schedule([interview(1, at(8), 60), interview(2, at(9, 10), 45)])
    timers.start_reflection(1)
    clock.advance(minutes=10)

    [held] = timers.tick()

    assert isinstance(held, BlockHeld)
    assert held.session.held is True
    assert held.session.pauses == ((at(9, 10), None),)
    clock.advance(minutes=44)
    assert timers.tick() == []
    assert remaining(timers) == mins(20)

    clock.advance(minutes=1)  # 09:55: interview 2 is over
    [released] = timers.tick()
    assert isinstance(released, BlockReleased)
    assert released.session.pauses == ((at(9, 10), at(9, 55)),)
    clock.advance(minutes=5)
    assert remaining(timers) == mins(15)


def test_hold_and_release_are_worked_out_across_a_suspend(clock: FakeClock) -> None:
    timers = Timers(clock)
    timers.set_schedule([interview(2, at(9, 20), 60)])
    timers.start_reflection(1)
    clock.advance(minutes=10)
    timers.tick()

    clock.set(at(10, 22))  # asleep through interview 2 (09:20-10:20)
    events = timers.tick()

    assert [type(e) for e in events] == [BlockHeld, BlockReleased]
    assert remaining(timers) == mins(30 - 20 - 2)
    current = timers.current
    assert current is not None
    assert current.pauses == ((at(9, 20), at(10, 20)),)


def test_restart_during_another_interview_stays_held(clock: FakeClock) -> None:
    schedule = [interview(2, at(9, 15), 30)]
    before = Timers(clock)
    before.set_schedule(schedule)
    before.start_reflection(1)
    clock.advance(minutes=20)
    assert [type(e) for e in before.tick()] == [BlockHeld]
    store = saved(before, {})

    clock.advance(minutes=5)
    after = Timers(clock)
    assert after.restore(reloaded(list(store.values())), schedule=schedule) == []
    status = after.status()
    assert status is not None
    assert status.held
    assert status.remaining == mins(15)

    clock.set(at(9, 50))
    assert [type(e) for e in after.tick()] == [BlockReleased]
    assert remaining(after) == mins(10)


def test_block_started_during_an_interview_is_not_held(clock: FakeClock, timers: Timers) -> None:
    # "I just finished" while the calendar still says interview 2 runs: the user's call.
    timers.set_schedule([interview(2, at(8, 30), 60)])
    timers.start_reflection(1)
    clock.advance(minutes=10)

    assert timers.tick() == []
    assert remaining(timers) == mins(20)


def test_own_interview_running_late_does_not_hold(clock: FakeClock, timers: Timers) -> None:
    timers.set_schedule([interview(1, at(8, 30), 60)])  # scheduled until 09:30
    timers.start_reflection(1)  # finished early, at 09:00
    clock.advance(minutes=10)

    assert timers.tick() == []


def test_user_pause_during_a_hold_outlasts_it(clock: FakeClock, timers: Timers) -> None:
    timers.set_schedule([interview(2, at(9, 10), 20)])
    timers.start_reflection(1)
    clock.advance(minutes=15)
    timers.tick()

    paused = timers.pause()
    clock.advance(minutes=30)

    assert paused.held is False
    assert timers.tick() == []
    status = timers.status()
    assert status is not None
    assert status.paused
    assert status.remaining == mins(20)


def test_user_resume_during_a_hold_is_respected(clock: FakeClock, timers: Timers) -> None:
    timers.set_schedule([interview(2, at(9, 10), 60)])
    timers.start_reflection(1)
    clock.advance(minutes=15)
    assert [type(e) for e in timers.tick()] == [BlockHeld]

    timers.resume()
    clock.advance(minutes=5)

    assert timers.tick() == []
    assert remaining(timers) == mins(15)


def test_interview_removed_from_schedule_releases_the_hold(
    clock: FakeClock, timers: Timers
) -> None:
    timers.set_schedule([interview(2, at(9, 10), 60)])
    timers.start_reflection(1)
    clock.advance(minutes=15)
    timers.tick()

    timers.set_schedule([])
    [released] = timers.tick()

    assert isinstance(released, BlockReleased)
    assert released.session.pauses == ((at(9, 10), at(9, 15)),)
    assert remaining(timers) == mins(20)


def test_earlier_start_edited_in_never_gives_time_back(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(1)
    clock.advance(minutes=20)
    assert remaining(timers) == mins(10)

    timers.set_schedule([interview(2, at(9, 5), 60)])  # "it started at 09:05, actually"
    [held] = timers.tick()

    assert isinstance(held, BlockHeld)
    assert held.session.pauses == ((at(9, 20), None),)  # from what was already shown
    assert remaining(timers) == mins(10)


def test_a_break_pauses_during_an_interview_too(clock: FakeClock, timers: Timers) -> None:
    timers.set_schedule([interview(2, at(9, 5), 10)])
    timers.start_break(1)
    clock.advance(minutes=30)

    events = timers.tick()

    assert [type(e) for e in events] == [BlockHeld, BlockReleased, BreakOver]
    assert events[-1].session.ended_at == at(9, 25)


def test_in_progress() -> None:
    items = [interview(1, at(9), 60), interview(2, at(10), 30), interview(3, None)]

    assert [i.interview_id for i in in_progress(items, at(9, 59))] == [1]
    assert [i.interview_id for i in in_progress(items, at(10))] == [2]
    assert in_progress(items, at(10, 30)) == []


# --------------------------------------------------------------------------- reminders


CONFIG = TimerSettings()


def test_time_to_reflect_when_an_interview_ends() -> None:
    items = [interview(1, at(8), 60)]

    assert due_reminders(items, at(8, 59), CONFIG, at(8, 58)).events == ()
    check = due_reminders(items, at(9), CONFIG, at(8, 59))

    assert check.events == (Reminder("reflect", 1, at(9)),)
    assert check.checked_until == at(9)
    assert due_reminders(items, at(9, 1), CONFIG, check.checked_until).events == ()


@pytest.mark.parametrize(
    "item",
    [
        interview(1, None),  # date only
        interview(1, at(8), 60, reflected_at=at(8, 30)),
        interview(1, at(8), 60, reflection_started_at=at(8, 59)),
        interview(1, at(8), 60, dismissed=True),
    ],
    ids=["date-only", "reflected", "block-started", "skipped"],
)
def test_no_time_to_reflect(item: ScheduledInterview) -> None:
    assert due_reminders([item], at(9), CONFIG, at(8, 59)).events == ()


def test_prepare_reminder_before_an_interview() -> None:
    items = [interview(1, at(14), 60)]

    check = due_reminders(items, at(13), CONFIG, at(12, 59))
    off = due_reminders(items, at(13), TimerSettings(remind_before=False), at(12, 59))
    shorter = due_reminders(items, at(13, 45), TimerSettings(lead_minutes=15), at(13, 44))

    assert check.events == (Reminder("prepare", 1, at(13)),)
    assert off.events == ()
    assert shorter.events == (Reminder("prepare", 1, at(13, 45)),)


def test_no_reminder_while_another_interview_is_in_progress() -> None:
    # Interview 1 ends at 10:00 while interview 2 (09:30-10:30) is running.
    items = [interview(1, at(9), 60), interview(2, at(9, 30), 60)]
    last = at(9, 59)
    for minute in range(0, 31, 5):
        now = at(10, minute) if minute < 30 else at(10, 29)
        check = due_reminders(items, now, CONFIG, last)
        assert check.events == ()
        assert check.checked_until == last  # nothing consumed while it waits

    check = due_reminders(items, at(10, 30), CONFIG, last)

    assert check.events == (
        Reminder("reflect", 1, at(10, 30)),
        Reminder("reflect", 2, at(10, 30)),
    )


def test_prepare_reminder_that_would_come_during_the_interview_before_is_dropped() -> None:
    # Interview 2 starts right after interview 1; its lead time falls inside interview 1.
    items = [interview(1, at(9), 60), interview(2, at(10), 60)]

    events = due_reminders(items, at(10), CONFIG, at(8)).events

    assert Reminder("prepare", 2, at(10)) not in events
    assert all(not isinstance(e, Reminder) or e.kind != "prepare" or e.interview_id != 2
               for e in events)


def test_snooze_refires_after_the_snooze_time() -> None:
    item = interview(1, at(8), 60)
    first = due_reminders([item], at(9), CONFIG, at(8, 59))
    assert first.events == (Reminder("reflect", 1, at(9)),)

    snoozed = replace(item, snoozed_until=snooze_until(at(9), CONFIG, first.checked_until))
    last = first.checked_until
    for minute in range(1, 10):
        check = due_reminders([snoozed], at(9, minute), CONFIG, last)
        assert check.events == ()
        last = check.checked_until
    again = due_reminders([snoozed], at(9, 10), CONFIG, last)

    assert again.events == (Reminder("reflect", 1, at(9, 10), snoozed=True),)


def test_snooze_after_the_clock_went_back_does_not_fall_behind() -> None:
    assert snooze_until(at(9), CONFIG, at(9, 30)) == at(9, 40)
    assert snooze_until(at(9), TimerSettings(snooze_minutes=3)) == at(9, 3)


def test_missed_reminders_come_once_as_a_summary() -> None:
    items = [
        interview(1, at(9), 60),  # ended 10:00
        interview(2, at(15), 30),  # prepare 14:00, ended 15:30
        interview(3, at(17), 60, snoozed_until=at(18, 30)),
        interview(4, at(22), 60),  # starts later today: prepare at 21:00 is still ahead
        interview(5, None),  # date only
    ]
    closed_at = at(8)

    check = due_reminders(items, at(19), CONFIG, closed_at)

    [summary] = check.events
    assert isinstance(summary, MissedReminders)
    assert summary.reminders == (
        Reminder("reflect", 1, at(10)),
        Reminder("reflect", 2, at(15, 30)),
        Reminder("reflect", 3, at(18, 30), snoozed=True),
    )  # the prepare for 15:00 is gone: that interview already happened
    assert due_reminders(items, at(19, 1), CONFIG, check.checked_until).events == ()


def test_missed_and_fresh_reminders_together() -> None:
    items = [interview(1, at(9), 60), interview(2, at(12), 60)]

    check = due_reminders(items, at(11), CONFIG, at(9, 30))

    assert check.events == (
        MissedReminders((Reminder("reflect", 1, at(10)),)),
        Reminder("prepare", 2, at(11)),
    )
    late = at(11) + MISSED_AFTER + timedelta(seconds=1)
    [summary] = due_reminders(items, late, CONFIG, at(10, 59)).events
    assert isinstance(summary, MissedReminders)


def test_missed_reminders_wait_for_an_interview_in_progress() -> None:
    items = [interview(1, at(9), 60), interview(2, at(13), 60)]

    during = due_reminders(items, at(13, 30), CONFIG, at(8))
    after = due_reminders(items, at(14), CONFIG, during.checked_until)

    assert during.events == ()
    [summary, fresh] = after.events
    assert summary == MissedReminders((Reminder("reflect", 1, at(10)),))
    assert fresh == Reminder("reflect", 2, at(14))


def test_old_interviews_are_not_due_any_more() -> None:
    items = [interview(1, at(9, day=2), 60)]

    check = due_reminders(items, at(10, day=12), CONFIG, at(8, day=1))

    assert check.events == ()


def test_first_look_and_clock_going_back_repeat_nothing() -> None:
    items = [interview(1, at(8), 60)]

    assert due_reminders(items, at(9), CONFIG, None) == due_reminders([], at(9), CONFIG, None)
    assert due_reminders(items, at(9), CONFIG, None).events == ()
    first = due_reminders(items, at(9), CONFIG, at(8, 59))
    back = due_reminders(items, at(8, 30), CONFIG, first.checked_until)
    forward = due_reminders(items, at(9, 1), CONFIG, back.checked_until)

    assert first.events
    assert (back.events, back.checked_until) == ((), at(9))
    assert forward.events == ()


# --------------------------------------------------------------------------- records


def test_session_round_trips_through_plain_data(clock: FakeClock, timers: Timers) -> None:
    timers.start_reflection(5)
    clock.advance(minutes=3)
    timers.pause()
    clock.advance(minutes=2)
    timers.resume()
    timers.extend()
    clock.advance(minutes=1)
    timers.pause()
    timers.finish()
    sessions = timers.take_changes()

    plain = [s.to_dict() for s in sessions]

    assert [TimerSession.from_dict(d) for d in plain] == sessions
    assert plain[0]["pauses"] == [
        ["2026-03-02T09:03:00+00:00", "2026-03-02T09:05:00+00:00"],
        ["2026-03-02T09:06:00+00:00", "2026-03-02T09:06:00+00:00"],
    ]
    assert (plain[0]["ending"], plain[0]["extended_seconds"]) == ("finished", 300)


def test_session_times_are_stored_in_utc() -> None:
    local = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)

    session = TimerSession("s", "break", None, local, 900)

    assert session.started_at == T0
    assert session.started_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "nap"}, "A timer session is a reflection or a break"),
        ({"started_at": datetime(2026, 3, 2, 9)}, "A timer session's start must carry its"),
        ({"planned_seconds": 0}, "A timer session's planned length must be at least 1"),
        ({"extended_seconds": -1}, "A timer session's extension must be at least 0"),
        ({"ending": "expired"}, "A timer session that ended must say how"),
        ({"ended_at": T0 + mins(1)}, "A timer session that ended must say how"),
        ({"ended_at": T0 - mins(1), "ending": "expired"}, "A timer session's times must be in"),
        ({"pauses": ((T0, None), (T0, T0))}, "Only the last pause of a running session"),
        ({"pauses": ((T0, None),), "ended_at": T0, "ending": "skipped"}, "Only the last pause"),
        ({"held": True}, "Only a paused session can be held"),
        ({"ending": "abandoned", "ended_at": T0}, "A timer session cannot end as 'abandoned'"),
    ],
)
def test_session_validation(changes: dict[str, object], message: str) -> None:
    base = {"uuid": "s", "kind": "reflection", "interview_id": 1, "started_at": T0,
            "planned_seconds": 1800}
    with pytest.raises(InvalidInput) as caught:
        TimerSession(**{**base, **changes})  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"uuid": "s", "kind": "reflection", "started_at": "yesterday", "planned_seconds": 1},
        {"uuid": "s", "kind": "reflection", "started_at": "2026-03-02T09:00:00",
         "planned_seconds": 1},
        {"uuid": "s", "kind": "reflection", "started_at": 5, "planned_seconds": 1},
        {"uuid": "s", "kind": "reflection", "started_at": "2026-03-02T09:00:00+00:00",
         "planned_seconds": 1, "warned": "false"},
        {"uuid": "s", "kind": "break", "started_at": "2026-03-02T09:00:00+00:00",
         "planned_seconds": 1, "pauses": [["2026-03-02T09:00:00+00:00"]]},
    ],
)
def test_malformed_stored_sessions_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        TimerSession.from_dict(data)


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (mins(30), "30:00"),
        (timedelta(seconds=299.2), "5:00"),
        (timedelta(seconds=0.4), "0:01"),
        (timedelta(0), "0:00"),
        (timedelta(seconds=-3), "0:00"),
        (timedelta(hours=1, minutes=2, seconds=3), "1:02:03"),
    ],
)
def test_countdown_text(left: timedelta, text: str) -> None:
    assert countdown_text(left) == text


# --------------------------------------------------------------------------- simulated day


def test_a_simulated_day(clock: FakeClock) -> None:
    """A Monday with three interviews, the UI looking once a minute, the user acting on each
    reminder: every reminder, hold, nudge and ending arrives once, at the right minute."""
    schedule = [
        interview(1, at(10), 60),  # 10:00-11:00
        interview(2, at(11, 15), 30),  # 11:15-11:45, during the first reflection
        interview(3, at(15), 45),  # 15:00-15:45
        interview(4, None),  # date only: never a reminder
    ]
    config = TimerSettings()
    timers = Timers(clock, config)
    timers.set_schedule(schedule)
    clock.set(at(8))
    last: datetime | None = at(8)
    log: list[tuple[str, str]] = []
    store: dict[str, TimerSession] = {}

    def on_reminder(reminder: Reminder) -> None:
        if reminder.kind == "reflect":
            timers.start_reflection(reminder.interview_id)
            k = reminder.interview_id - 1
            schedule[k] = replace(schedule[k], reflection_started_at=clock.now())
            timers.set_schedule(schedule)

    while clock.now() < at(18):
        clock.advance(minutes=1)
        now = f"{clock.now():%H:%M}"
        for event in timers.tick():
            log.append((now, f"{type(event).__name__} {event.session.kind}"))
            if isinstance(event, ReflectionWarning) and event.session.interview_id == 3:
                timers.finish()  # the user wraps up when nudged
                log.append((now, "finish"))
        check = due_reminders(schedule, clock.now(), config, last)
        last = check.checked_until
        for item in check.events:
            assert isinstance(item, Reminder)
            log.append((now, f"{item.kind} {item.interview_id}"))
            on_reminder(item)
        saved(timers, store)

    assert log == [
        ("09:00", "prepare 1"),
        ("11:00", "reflect 1"),
        ("11:00", "prepare 2"),  # due 10:15, during interview 1: it waited for the end
        ("11:15", "BlockHeld reflection"),  # interview 2 begins
        ("11:45", "BlockReleased reflection"),
        ("11:45", "reflect 2"),  # starting it supersedes the block for interview 1
        ("12:10", "ReflectionWarning reflection"),
        ("12:15", "ReflectionExpired reflection"),
        ("12:30", "BreakOver break"),
        ("14:00", "prepare 3"),
        ("15:45", "reflect 3"),
        ("16:10", "ReflectionWarning reflection"),
        ("16:10", "finish"),
        ("16:25", "BreakOver break"),
    ]
    history = sorted(store.values(), key=lambda x: x.started_at)
    assert [(x.kind, x.interview_id, x.ending, f"{x.ended_at:%H:%M}") for x in history] == [
        ("reflection", 1, "superseded", "11:45"),
        ("reflection", 2, "expired", "12:15"),
        ("break", 2, "expired", "12:30"),
        ("reflection", 3, "finished", "16:10"),
        ("break", 3, "expired", "16:25"),
    ]
    assert history[0].pauses == ((at(11, 15), at(11, 45)),)


# --------------------------------------------------------------------------- property


operations = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.integers(-120, 240)),  # minutes, backwards too
        st.tuples(st.just("advance_s"), st.integers(1, 600)),  # seconds
        st.tuples(
            st.sampled_from([
                "tick", "pause", "resume", "extend", "finish", "skip", "skip_break",
                "start_reflection", "start_break",
            ]),
            st.just(0),
        ),
        st.tuples(st.just("schedule"), st.integers(-30, 40)),  # another interview starts
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(ops=operations)
def test_remaining_time_stays_within_bounds_and_never_grows(ops: list[tuple[str, int]]) -> None:
    clock = FakeClock()
    timers = Timers(clock)
    timers.start_reflection(1)
    previous: tuple[str, timedelta, int] | None = None  # block, remaining, extended seconds

    for name, value in ops:
        if name == "advance":
            clock.advance(minutes=value)
        elif name == "advance_s":
            clock.advance(seconds=value)
        elif name == "schedule":
            timers.set_schedule([interview(2, clock.now() + mins(value), 20)])
        elif name in ("pause", "resume", "extend") and timers.current is None:
            with pytest.raises(InvalidInput):
                getattr(timers, name)()
        elif name == "start_reflection":
            timers.start_reflection(1)
        else:
            result = getattr(timers, name)()
            if name == "tick":
                _check_events(result)

        status = timers.status()
        if status is None:
            previous = None
            continue
        session = status.session
        assert timedelta(0) <= status.remaining <= session.total
        if previous is not None and previous[0] == session.uuid:
            grown_by_extension = timedelta(seconds=session.extended_seconds - previous[2])
            assert status.remaining <= previous[1] + grown_by_extension
        previous = (session.uuid, status.remaining, session.extended_seconds)
    for stored in timers.take_changes():  # every record stays valid plain data
        assert TimerSession.from_dict(stored.to_dict()) == stored


def _check_events(events: list[TimerEvent]) -> None:
    warned = [e.session.uuid for e in events if isinstance(e, ReflectionWarning)]
    assert len(warned) == len(set(warned))
    for event in events:
        if isinstance(event, ReflectionWarning):
            assert timedelta(0) < event.remaining <= mins(5)
