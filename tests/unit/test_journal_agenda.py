"""Journal: the one-query reads the window shows first (companies with counts, and what is
upcoming or due for the smart groups), and what importing the Journal leaves unloaded.

The fake clock starts on Monday 2 March 2026, 09:00 UTC, in UTC.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import AgendaRow, Journal


@contextmanager
def zoned_journal(
    folder: Path, zone: str, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
) -> Iterator[tuple[Journal, FakeClock]]:
    """A journal whose fake clock lives in ``zone`` (instead of the fixture's UTC)."""
    clock = FakeClock(start, zone=ZoneInfo(zone))
    with Journal.open(folder, clock=clock) as journal:
        yield journal, clock


def _listed(journal: Journal) -> dict[int, str]:
    return {row.id: row.status for row in journal.upcoming_and_due()}


# --------------------------------------------------------------------------- upcoming_and_due


def test_upcoming_and_due_lists_only_those_with_what_the_groups_show(
    journal: Journal, clock: FakeClock
) -> None:
    now = clock.now()
    acme = journal.create_company("Acme Robotics").company.id
    globex = journal.create_company("Globex").company.id
    call = journal.create_interview(
        acme, role="SRE", stage="onsite", starts_at=now + timedelta(hours=5),
        duration_minutes=90,
    )
    running = journal.create_interview(globex, starts_at=now - timedelta(minutes=30))
    yesterday = journal.create_interview(globex, role="Data engineer", on=date(2026, 3, 1))
    journal.create_interview(acme)  # undated
    journal.create_interview(acme, on=date(2026, 2, 20))  # past
    reflected = journal.create_interview(acme, starts_at=now - timedelta(days=1))
    journal.mark_reflected(reflected.id)

    rows = journal.upcoming_and_due()

    assert [row.id for row in rows] == [call.id, running.id, yesterday.id]  # by id
    assert rows[0] == AgendaRow(
        id=call.id,
        company_id=acme,
        company_name="Acme Robotics",
        date=date(2026, 3, 2),
        starts_at=datetime(2026, 3, 2, 14, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 2, 15, 30, tzinfo=UTC),
        stage="onsite",
        role="SRE",
        status="upcoming",
    )
    assert rows[0].label == "2026-03-02 · Onsite / loop · SRE"
    assert rows[1].status == "upcoming"  # in progress: not over yet
    # A date-only interview ends at the end of its local day.
    assert (rows[2].status, rows[2].starts_at) == ("due", None)
    assert rows[2].ends_at == datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    assert rows[2].label == "2026-03-01 · Data engineer"


def test_upcoming_and_due_leaves_out_the_trash(journal: Journal, clock: FakeClock) -> None:
    now = clock.now()
    acme = journal.create_company("Acme").company.id
    globex = journal.create_company("Globex").company.id
    kept = journal.create_interview(acme, starts_at=now + timedelta(days=1))
    trashed = journal.create_interview(acme, starts_at=now - timedelta(days=1))
    of_trashed_company = journal.create_interview(globex, starts_at=now + timedelta(hours=2))
    journal.trash_interview(trashed.id)
    journal.trash_company(globex)

    assert _listed(journal) == {kept.id: "upcoming"}

    journal.restore_interview(trashed.id)
    journal.restore_company(globex)
    assert _listed(journal) == {
        kept.id: "upcoming", trashed.id: "due", of_trashed_company.id: "upcoming"
    }


def test_a_timed_interview_is_upcoming_until_it_ends_then_due_for_seven_days(
    journal: Journal, clock: FakeClock
) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme, starts_at=clock.now(), duration_minutes=45)
    end = clock.now() + timedelta(minutes=45)

    _assert_upcoming_then_due_for_a_week(journal, clock, doc.id, end)


def _assert_upcoming_then_due_for_a_week(
    journal: Journal, clock: FakeClock, interview_id: int, end: datetime
) -> None:
    """Upcoming until ``end``, due from it for exactly seven days, then in neither group."""
    clock.set(end - timedelta(seconds=1))
    assert _listed(journal) == {interview_id: "upcoming"}
    clock.set(end)
    assert _listed(journal) == {interview_id: "due"}
    clock.set(end + timedelta(days=7))
    assert _listed(journal) == {interview_id: "due"}
    clock.advance(seconds=1)
    assert _listed(journal) == {}


def test_a_day_long_interview_eight_days_ago_is_still_due(
    journal: Journal, clock: FakeClock
) -> None:
    # Started eight days ago, ended seven days ago to the second: the read's date cut-off
    # must not drop it.
    acme = journal.create_company("Acme").company.id
    start = clock.now() - timedelta(days=8)
    doc = journal.create_interview(acme, starts_at=start, duration_minutes=1440)

    assert _listed(journal) == {doc.id: "due"}
    clock.advance(seconds=1)
    assert _listed(journal) == {}


@pytest.mark.parametrize(
    ("zone", "day_ends"),
    [
        ("Asia/Tokyo", datetime(2026, 3, 2, 15, 0, tzinfo=UTC)),  # UTC+9
        ("America/Los_Angeles", datetime(2026, 3, 3, 8, 0, tzinfo=UTC)),  # UTC-8
        ("Pacific/Kiritimati", datetime(2026, 3, 2, 10, 0, tzinfo=UTC)),  # UTC+14
    ],
)
def test_a_date_only_interview_ends_with_its_local_day(
    data_dir: Path, zone: str, day_ends: datetime
) -> None:
    with zoned_journal(data_dir, zone) as (journal, clock):
        acme = journal.create_company("Acme").company.id
        doc = journal.create_interview(acme, on=date(2026, 3, 2))

        _assert_upcoming_then_due_for_a_week(journal, clock, doc.id, day_ends)


def test_upcoming_and_due_agree_with_the_tree_at_every_hour(
    journal: Journal, clock: FakeClock
) -> None:
    # One rule decides the status: the smart groups' read, the tree's rows and the
    # companies' counts must never disagree, whatever the time.
    now = clock.now()
    companies = [journal.create_company(name).company.id for name in ("A", "B", "C")]
    for k in range(30):
        company = companies[k % 3]
        if k % 4 == 0:
            journal.create_interview(company, on=date(2026, 2, 20) + timedelta(days=k // 2))
        else:
            journal.create_interview(
                company, starts_at=now + timedelta(hours=11 * k - 200), duration_minutes=30 * k
            )
    journal.trash_interview(journal.interviews(companies[0])[0].id)
    for hour in range(0, 24 * 14, 7):
        clock.set(now + timedelta(hours=hour - 24 * 3))
        rows = journal.upcoming_and_due()
        expected = {
            row.id: row.status
            for company in companies
            for row in journal.interviews(company)
            if row.status in ("upcoming", "due")
        }
        assert {row.id: row.status for row in rows} == expected
        for company in journal.companies():
            mine = [row.status for row in rows if row.company_id == company.id]
            assert (company.upcoming_count, company.due_count) == (
                mine.count("upcoming"), mine.count("due")
            )


# --------------------------------------------------------------------------- companies


def test_companies_count_live_interviews_in_one_read(journal: Journal, clock: FakeClock) -> None:
    now = clock.now()
    acme = journal.create_company("Acme").company.id
    beta = journal.create_company("Beta").company.id
    empty = journal.create_company("Empty").company.id
    emptied = journal.create_company("Emptied").company.id
    for _ in range(3):
        journal.create_interview(acme, starts_at=now + timedelta(days=1))
    gone = journal.create_interview(acme, starts_at=now - timedelta(days=1))
    journal.create_interview(beta, starts_at=now - timedelta(days=2))
    journal.trash_interview(gone.id)
    journal.trash_interview(journal.create_interview(emptied).id)

    rows = {row.id: row for row in journal.companies()}

    counts = {cid: (r.interview_count, r.upcoming_count, r.due_count) for cid, r in rows.items()}
    assert counts == {acme: (3, 3, 0), beta: (1, 0, 1), empty: (0, 0, 0), emptied: (0, 0, 0)}
    assert all(journal.company(cid) == row for cid, row in rows.items())


def test_trashed_companies_keep_their_counts_in_the_trash(
    journal: Journal, clock: FakeClock
) -> None:
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme, starts_at=clock.now() - timedelta(days=1))
    journal.create_interview(acme)
    journal.trash_company(acme)

    assert journal.companies() == []
    [row] = journal.companies(trashed=True)
    assert (row.id, row.trashed, row.interview_count, row.due_count) == (acme, True, 2, 1)
    assert journal.company(acme) == row


def test_company_uuid_reads_back_in_its_usual_form(journal: Journal) -> None:
    row = journal.create_company("Acme").company
    stored = journal.database.execute_sql("SELECT uuid FROM company").fetchone()[0]

    assert row.uuid == journal.companies()[0].uuid
    assert row.uuid.replace("-", "") == stored
    assert [len(part) for part in row.uuid.split("-")] == [8, 4, 4, 4, 12]


# --------------------------------------------------------------------------- schedule


def test_schedule_lists_live_timed_interviews_from_eight_days_ago(
    journal: Journal, clock: FakeClock
) -> None:
    now = clock.now()
    since = now - timedelta(days=8)
    acme = journal.create_company("Acme").company.id
    globex = journal.create_company("Globex").company.id
    edge = journal.create_interview(acme, starts_at=since, duration_minutes=30)
    journal.create_interview(acme, starts_at=since - timedelta(seconds=1))
    later = journal.create_interview(acme, starts_at=now + timedelta(days=30))
    journal.create_interview(acme, on=date(2026, 3, 3))  # no start time
    journal.trash_interview(journal.create_interview(acme, starts_at=now).id)
    journal.create_interview(globex, starts_at=now)
    journal.trash_company(globex)

    items = {item.interview_id: item for item in journal.schedule()}

    assert set(items) == {edge.id, later.id}
    assert (items[edge.id].starts_at, items[edge.id].duration_minutes) == (since, 30)


@pytest.mark.parametrize(
    ("zone", "hour"), [("Pacific/Pago_Pago", 3), ("Pacific/Kiritimati", 12)]  # UTC-11, +14
)
def test_schedule_keeps_a_start_whose_local_date_is_a_day_away(
    data_dir: Path, zone: str, hour: int
) -> None:
    # The read bounds the local date to use the index: a start eight days ago, dated the day
    # before (or after) in the user's zone, is still in it.
    start = datetime(2026, 3, 2, hour, 0, tzinfo=UTC)
    with zoned_journal(data_dir, zone, start) as (journal, clock):
        since = clock.now() - timedelta(days=8)
        acme = journal.create_company("Acme").company.id
        doc = journal.create_interview(acme, starts_at=since)
        assert doc.date != since.date()

        assert [item.interview_id for item in journal.schedule()] == [doc.id]


# --------------------------------------------------------------------------- start-up


def test_importing_the_journal_leaves_search_and_timers_unloaded() -> None:
    late = ("interview_journal.core.search", "interview_journal.core.timers",
            "importlib.resources")
    code = (
        "import sys, interview_journal.core.journal; "
        f"print(','.join(m for m in {late!r} if m in sys.modules) or '-')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "-"
