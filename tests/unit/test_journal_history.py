"""Journal: the user's history at a company, as the screens ask for it.

``company_history``: "you have N earlier interviews here" for what was typed, not counting
the interview being edited. ``latest_earlier_interview``: which interview the pre-interview
reminder opens ("Read what you wrote last time").

The fake clock starts on Monday 2 March 2026, 09:00 UTC, in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


@contextmanager
def _statements(journal: Journal) -> Iterator[list[str]]:
    """The SQL statements the journal's connection runs inside the block."""
    seen: list[str] = []
    connection = journal.database.connection()
    connection.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        connection.set_trace_callback(None)


# --------------------------------------------------------------------------- company_history


def test_history_does_not_count_the_interview_being_edited(journal: Journal) -> None:
    acme = journal.create_company("Acme Inc").company.id
    journal.create_interview(acme, on=date(2026, 1, 5))
    journal.create_interview(acme, starts_at=_at(date(2026, 2, 14)))
    edited = journal.create_interview(acme, on=date(2026, 2, 20))

    history = journal.company_history("acme", excluding=edited.id)

    assert history is not None
    assert history.company_id == acme
    assert history.name == "Acme Inc"
    assert history.exact is True
    assert history.interview_count == 2
    # Its own date is not the last earlier one.
    assert history.last_date == date(2026, 2, 14)
    assert history.summary == "You have 2 earlier interviews here, last on 14 February 2026."


def test_history_without_an_interview_to_leave_out_is_the_exact_company(
    journal: Journal,
) -> None:
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme, on=date(2026, 1, 5))
    journal.create_interview(acme, on=date(2026, 2, 14))

    history = journal.company_history("ACME GmbH")

    assert history == journal.exact_company("ACME GmbH")
    assert history is not None
    assert history.summary == "You have 2 earlier interviews here, last on 14 February 2026."


def test_history_of_another_company_counts_every_interview_there(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    beta = journal.create_company("Beta").company.id
    journal.create_interview(acme, on=date(2026, 1, 5))
    edited = journal.create_interview(beta, on=date(2026, 2, 20))

    history = journal.company_history("Acme", excluding=edited.id)

    assert history is not None
    assert history.interview_count == 1
    assert history.summary == "You have 1 earlier interview here, last on 5 January 2026."


def test_history_of_the_only_interview_there_is_none_yet(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    edited = journal.create_interview(acme, on=date(2026, 2, 20))

    history = journal.company_history("acme", excluding=edited.id)

    assert history is not None
    assert history.interview_count == 0
    assert history.last_date is None
    assert history.summary == "Acme is in the journal, with no interviews yet."


def test_history_leaves_out_the_trash_and_a_trashed_edited_interview(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme, on=date(2026, 1, 5))
    gone = journal.create_interview(acme, on=date(2026, 2, 27))
    journal.trash_interview(gone.id)
    edited = journal.create_interview(acme, on=date(2026, 2, 20))
    journal.trash_interview(edited.id)

    # The open interview is in the trash: it was not counted, so nothing comes off.
    history = journal.company_history("Acme", excluding=edited.id)

    assert history is not None
    assert history.interview_count == 1
    assert history.last_date == date(2026, 1, 5)


def test_history_of_undated_interviews_has_no_last_date(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme)
    edited = journal.create_interview(acme, on=date(2026, 2, 20))

    history = journal.company_history("Acme", excluding=edited.id)

    assert history is not None
    assert history.summary == "You have 1 earlier interview here."


def test_history_of_an_unknown_or_trashed_company_is_none(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    edited = journal.create_interview(acme)
    gone = journal.create_company("Gone Ltd").company.id
    journal.trash_company(gone)

    assert journal.company_history("", excluding=edited.id) is None
    assert journal.company_history("   ", excluding=edited.id) is None
    assert journal.company_history("Acm", excluding=edited.id) is None  # a prefix only
    assert journal.company_history("Gone", excluding=edited.id) is None
    assert journal.company_history("Nobody") is None


def test_history_leaves_the_interview_out_of_the_company_typed_names(journal: Journal) -> None:
    # Two names with one suggestion key: "acme inc" means Acme (as exact_company says), so
    # an interview of Acme Inc is not taken off Acme's count.
    acme = journal.create_company("Acme").company.id
    acme_inc = journal.create_company("Acme Inc").company.id
    journal.create_interview(acme, on=date(2026, 1, 5))
    edited = journal.create_interview(acme_inc, on=date(2026, 2, 20))

    history = journal.company_history("acme inc", excluding=edited.id)

    assert history is not None
    assert history.company_id == acme
    assert history.interview_count == 1


# --------------------------------------------------------------------------- latest earlier


def test_latest_earlier_is_the_newest_ended_interview_there(
    journal: Journal, clock: FakeClock
) -> None:
    now = clock.now()
    acme = journal.create_company("Acme").company.id
    beta = journal.create_company("Beta").company.id
    journal.create_interview(acme, on=date(2026, 2, 1))
    last = journal.create_interview(acme, starts_at=now - timedelta(days=1))
    journal.create_interview(beta, starts_at=now - timedelta(hours=3))  # another company
    coming = journal.create_interview(acme, starts_at=now + timedelta(minutes=15))

    assert journal.latest_earlier_interview(coming.id) == last.id


def test_latest_earlier_skips_upcoming_running_and_trashed_interviews(
    journal: Journal, clock: FakeClock
) -> None:
    now = clock.now()
    acme = journal.create_company("Acme").company.id
    last = journal.create_interview(acme, starts_at=now - timedelta(days=3))
    gone = journal.create_interview(acme, starts_at=now - timedelta(days=1))
    journal.trash_interview(gone.id)
    journal.create_interview(acme, starts_at=now - timedelta(minutes=10))  # still running
    journal.create_interview(acme, starts_at=now + timedelta(hours=3))  # later today
    journal.create_interview(acme, on=date(2026, 3, 2))  # today, no time: ends tonight
    coming = journal.create_interview(acme, starts_at=now + timedelta(minutes=15))

    assert journal.latest_earlier_interview(coming.id) == last.id


def test_latest_earlier_counts_a_reflected_interview_whatever_its_time(
    journal: Journal, clock: FakeClock
) -> None:
    now = clock.now()
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme, starts_at=now - timedelta(days=3))
    running = journal.create_interview(acme, starts_at=now - timedelta(minutes=10))
    journal.mark_reflected(running.id)
    coming = journal.create_interview(acme, starts_at=now + timedelta(minutes=15))

    assert journal.latest_earlier_interview(coming.id) == running.id


def test_latest_earlier_orders_as_the_tree_does(journal: Journal, clock: FakeClock) -> None:
    acme = journal.create_company("Acme").company.id
    day = date(2026, 2, 27)
    journal.create_interview(acme, on=day)  # no time: after the timed ones of its day
    journal.create_interview(acme, starts_at=_at(day, 9))
    afternoon = journal.create_interview(acme, starts_at=_at(day, 15))
    coming = journal.create_interview(acme, starts_at=clock.now() + timedelta(minutes=15))

    assert journal.latest_earlier_interview(coming.id) == afternoon.id

    # An undated interview comes before every dated one, as at the top of the tree (the
    # rule the reminder has always kept).
    undated = journal.create_interview(acme)
    assert journal.latest_earlier_interview(coming.id) == undated.id


def test_latest_earlier_of_a_first_interview_or_a_missing_one_is_none(
    journal: Journal, clock: FakeClock
) -> None:
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme, starts_at=clock.now() + timedelta(days=2))
    coming = journal.create_interview(acme, starts_at=clock.now() + timedelta(minutes=15))

    assert journal.latest_earlier_interview(coming.id) is None
    assert journal.latest_earlier_interview(coming.id + 100) is None


def test_latest_earlier_follows_the_clock(journal: Journal, clock: FakeClock) -> None:
    now = clock.now()
    acme = journal.create_company("Acme").company.id
    first = journal.create_interview(acme, starts_at=now + timedelta(minutes=30))
    second = journal.create_interview(acme, starts_at=now + timedelta(hours=3))

    assert journal.latest_earlier_interview(second.id) is None
    clock.advance(hours=2)  # the first one has ended
    assert journal.latest_earlier_interview(second.id) == first.id


def test_latest_earlier_is_one_query(journal: Journal, clock: FakeClock) -> None:
    acme = journal.create_company("Acme").company.id
    for days in range(1, 6):
        journal.create_interview(acme, starts_at=clock.now() - timedelta(days=days))
    coming = journal.create_interview(acme, starts_at=clock.now() + timedelta(minutes=15))

    with _statements(journal) as seen:
        journal.latest_earlier_interview(coming.id)

    assert len(seen) == 1
    assert "went_well" not in seen[0]  # no text read
    assert "notes" not in seen[0]
