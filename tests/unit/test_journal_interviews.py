"""Journal: interviews, their schedule in local time, the tree rows and their status."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import NotFound
from interview_journal.core.journal import TEXT_SECTIONS, Journal

MONDAY_9_UTC = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@contextmanager
def zoned_journal(folder: Path, zone: str, start: datetime = MONDAY_9_UTC) -> Iterator[Journal]:
    """A journal whose fake clock lives in ``zone`` (instead of the fixture's UTC)."""
    with Journal.open(folder, clock=FakeClock(start, zone=ZoneInfo(zone))) as journal:
        yield journal


def _fake(journal: Journal) -> FakeClock:
    assert isinstance(journal.clock, FakeClock)
    return journal.clock


# --------------------------------------------------------------------------- create


def test_create_interview_defaults(journal: Journal, clock: FakeClock) -> None:
    acme = journal.create_company("Acme").company.id

    doc = journal.create_interview(acme)

    assert doc.company_id == acme
    assert doc.company_name == "Acme"
    assert (doc.role, doc.stage, doc.format, doc.location) == ("", "", "", "")
    assert doc.date is None
    assert doc.starts_at is None
    assert doc.ends_at is None
    assert doc.duration_minutes == 60
    assert doc.outcome == "pending"
    assert doc.self_rating is None
    assert doc.want_to_work_here is None
    assert all(getattr(doc, section) == "" for section in TEXT_SECTIONS)
    assert (doc.topics, doc.interviewers, doc.questions, doc.action_items) == ((), (), (), ())
    assert doc.reflection_started_at is None
    assert doc.reflected_at is None
    assert doc.updated_at == clock.now()
    assert doc.trashed is False
    assert journal.interview(doc.id) == doc


def test_create_interview_with_everything(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    start = datetime(2026, 3, 5, 15, 30, tzinfo=UTC)

    doc = journal.create_interview(
        acme, role="  Backend engineer ", stage="technical", starts_at=start, duration_minutes=45
    )

    assert doc.role == "Backend engineer"
    assert doc.stage == "technical"
    assert doc.starts_at == start
    assert doc.starts_at is not None
    assert doc.starts_at.utcoffset() == timedelta(0)
    assert doc.date == date(2026, 3, 5)
    assert doc.duration_minutes == 45
    assert doc.ends_at == datetime(2026, 3, 5, 16, 15, tzinfo=UTC)


def test_create_interview_with_a_date_only(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id

    doc = journal.create_interview(acme, on=date(2026, 3, 10))

    assert doc.date == date(2026, 3, 10)
    assert doc.starts_at is None
    assert doc.ends_at is None


def test_create_interview_start_in_another_zone_is_stored_in_utc(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    tokyo = datetime(2026, 3, 5, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))

    doc = journal.create_interview(acme, starts_at=tokyo)

    assert doc.starts_at == datetime(2026, 3, 4, 23, 0, tzinfo=UTC)
    assert doc.starts_at is not None
    assert doc.starts_at.tzinfo == UTC
    assert doc.date == date(2026, 3, 4)  # the date in the clock's zone (UTC), not Tokyo's


def test_create_interview_for_makes_the_company(journal: Journal) -> None:
    doc = journal.create_interview_for("  Acme  Robotics ", role="SRE", stage="final")

    [company] = journal.companies()
    assert company.name == "Acme Robotics"
    assert doc.company_id == company.id
    assert (doc.role, doc.stage) == ("SRE", "final")
    assert company.interview_count == 1


def test_create_interview_for_reuses_a_normalised_company(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    journal.trash_company(acme)

    doc = journal.create_interview_for("ACME ", on=date(2026, 3, 3))

    assert doc.company_id == acme
    assert doc.date == date(2026, 3, 3)
    assert [c.id for c in journal.companies()] == [acme]  # restored from the trash


# --------------------------------------------------------------------------- update


def test_company_id_of_follows_moves_and_the_trash(journal: Journal) -> None:
    doc = journal.create_interview_for("Acme")
    assert journal.company_id_of(doc.id) == doc.company_id

    moved = journal.move_interview(doc.id, "Globex")
    assert journal.company_id_of(doc.id) == moved.company_id != doc.company_id
    journal.trash_interview(doc.id)
    assert journal.company_id_of(doc.id) == moved.company_id  # still known in the trash
    with pytest.raises(NotFound):
        journal.company_id_of(doc.id + 1000)


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("role", "  Staff engineer  ", "Staff engineer"),
        ("location", " https://meet.example/abc ", "https://meet.example/abc"),
        ("stage", "system_design", "system_design"),
        ("stage", "", ""),
        ("format", "video", "video"),
        ("format", "", ""),
        ("outcome", "offer", "offer"),
        ("self_rating", 1, 1),
        ("self_rating", 5, 5),
        ("self_rating", None, None),
        ("want_to_work_here", 3, 3),
        ("want_to_work_here", None, None),
        ("duration_minutes", 1, 1),
        ("duration_minutes", 1440, 1440),
        *[(section, f"  {section} text\n", f"  {section} text\n") for section in TEXT_SECTIONS],
    ],
)
def test_update_interview_each_field(
    journal: Journal, clock: FakeClock, field: str, value: object, stored: object
) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme, role="Engineer", stage="technical")
    journal.update_interview(doc.id, self_rating=2, want_to_work_here=2, format="phone")
    before = journal.interview(doc.id)
    clock.advance(minutes=5)

    after = journal.update_interview(doc.id, **{field: value})

    assert getattr(after, field) == stored
    assert after.updated_at == clock.now()
    assert journal.interview(doc.id) == after
    # Nothing else moved.
    for other in ("role", "stage", "format", "outcome", "self_rating", "want_to_work_here",
                  "duration_minutes", "location", *TEXT_SECTIONS):
        if other != field:
            assert getattr(after, other) == getattr(before, other), other


def test_update_interview_several_fields_at_once(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme)

    after = journal.update_interview(
        doc.id, role="SRE", outcome="rejected", notes="Ask about on-call", self_rating=3
    )

    assert (after.role, after.outcome, after.notes, after.self_rating) == (
        "SRE", "rejected", "Ask about on-call", 3,
    )


# --------------------------------------------------------------------------- schedule


def test_set_schedule_date_only(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme, starts_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC))

    after = journal.set_schedule(doc.id, date(2026, 3, 10))

    assert after.date == date(2026, 3, 10)
    assert after.starts_at is None
    assert after.ends_at is None
    assert after.duration_minutes == 60


def test_set_schedule_clears_the_date(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme, on=date(2026, 3, 10))

    after = journal.set_schedule(doc.id, None)

    assert (after.date, after.starts_at) == (None, None)
    assert journal.interviews(acme)[0].status == "undated"


@pytest.mark.parametrize(
    ("zone", "on", "start", "utc"),
    [
        # Evening in Los Angeles is the next morning in UTC; the local date is kept.
        ("America/Los_Angeles", date(2026, 3, 10), time(20, 0), datetime(2026, 3, 11, 3, 0)),
        # Before and after Berlin's switch to summer time on 29 March 2026.
        ("Europe/Berlin", date(2026, 3, 27), time(9, 0), datetime(2026, 3, 27, 8, 0)),
        ("Europe/Berlin", date(2026, 3, 30), time(9, 0), datetime(2026, 3, 30, 7, 0)),
        # Early morning in Auckland is the previous day in UTC.
        ("Pacific/Auckland", date(2026, 3, 10), time(7, 15), datetime(2026, 3, 9, 18, 15)),
        ("Asia/Kolkata", date(2026, 3, 10), time(10, 0), datetime(2026, 3, 10, 4, 30)),
    ],
)
def test_set_schedule_with_a_local_time(
    data_dir: Path, zone: str, on: date, start: time, utc: datetime
) -> None:
    with zoned_journal(data_dir, zone) as journal:
        acme = journal.create_company("Acme").company.id
        doc = journal.create_interview(acme)

        after = journal.set_schedule(doc.id, on, start, duration_minutes=90)

        assert after.date == on
        assert after.starts_at == utc.replace(tzinfo=UTC)
        assert after.starts_at is not None
        assert after.starts_at.tzinfo == UTC
        local = after.starts_at.astimezone(ZoneInfo(zone))
        assert (local.date(), local.time()) == (on, start)
        assert after.duration_minutes == 90
        assert after.ends_at == utc.replace(tzinfo=UTC) + timedelta(minutes=90)
        [row] = journal.interviews(acme)
        assert (row.date, row.starts_at) == (on, after.starts_at)


def test_set_schedule_keeps_the_duration_unless_given(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme, duration_minutes=30)

    after = journal.set_schedule(doc.id, date(2026, 3, 10), time(11, 0))

    assert after.duration_minutes == 30
    assert after.ends_at == datetime(2026, 3, 10, 11, 30, tzinfo=UTC)


def test_create_interview_date_follows_the_clock_zone(data_dir: Path) -> None:
    with zoned_journal(data_dir, "America/New_York") as journal:
        acme = journal.create_company("Acme").company.id

        doc = journal.create_interview(acme, starts_at=datetime(2026, 3, 3, 2, 0, tzinfo=UTC))

        assert doc.date == date(2026, 3, 2)  # 21:00 the evening before in New York


# --------------------------------------------------------------------------- move


def test_move_interview_to_a_new_company_takes_its_interviewers(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme, role="SRE")
    ada = journal.add_interviewer(doc.id, "Ada Lovelace", "Staff engineer")
    grace = journal.add_interviewer(doc.id, "Grace Hopper", "Manager")

    moved = journal.move_interview(doc.id, "  Beta  Corp ")

    beta = next(c for c in journal.companies() if c.name == "Beta Corp")
    assert moved.company_id == beta.id
    assert moved.company_name == "Beta Corp"
    assert moved.role == "SRE"
    assert [(p.name, p.title, p.company_id) for p in moved.interviewers] == [
        ("Ada Lovelace", "Staff engineer", beta.id),
        ("Grace Hopper", "Manager", beta.id),
    ]
    assert {p.id for p in moved.interviewers}.isdisjoint({ada.id, grace.id})
    assert [p.name for p in journal.people(beta.id)] == ["Ada Lovelace", "Grace Hopper"]
    # The old company keeps the people it met, and no longer has the interview.
    assert [p.id for p in journal.people(acme)] == [ada.id, grace.id]
    assert journal.interviews(acme) == []
    assert [r.id for r in journal.interviews(beta.id)] == [doc.id]


def test_move_interview_reuses_the_target_companys_person(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    beta = journal.create_company("Beta").company.id
    earlier = journal.create_interview(beta)
    beta_ada = journal.add_interviewer(earlier.id, "ada lovelace", "Engineer")
    doc = journal.create_interview(acme)
    journal.add_interviewer(doc.id, "Grace Hopper")
    journal.add_interviewer(doc.id, "Ada  Lovelace", "Staff engineer")

    moved = journal.move_interview(doc.id, "beta")

    assert moved.company_id == beta
    assert [p.name for p in moved.interviewers] == ["Grace Hopper", "ada lovelace"]
    assert moved.interviewers[1].id == beta_ada.id
    assert moved.interviewers[1].title == "Staff engineer"  # the newer title wins
    assert len(journal.people(beta)) == 2


def test_move_interview_to_its_own_company_changes_nothing(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme)
    ada = journal.add_interviewer(doc.id, "Ada")

    moved = journal.move_interview(doc.id, "ACME")

    assert moved.company_id == acme
    assert [p.id for p in moved.interviewers] == [ada.id]
    assert len(journal.companies()) == 1


# --------------------------------------------------------------------------- trash, reflected


def test_trash_and_restore_interview(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    kept = journal.create_interview(acme, on=date(2026, 3, 1))
    doc = journal.create_interview(acme, on=date(2026, 3, 2))

    journal.trash_interview(doc.id)

    assert [r.id for r in journal.interviews(acme)] == [kept.id]
    [trashed] = journal.interviews(acme, trashed=True)
    assert (trashed.id, trashed.trashed) == (doc.id, True)
    assert journal.interview(doc.id).trashed is True

    restored = journal.restore_interview(doc.id)

    assert restored.trashed is False
    assert [r.id for r in journal.interviews(acme)] == [doc.id, kept.id]
    assert journal.interviews(acme, trashed=True) == []


def test_restoring_an_interview_restores_its_company(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme)
    journal.trash_interview(doc.id)
    journal.trash_company(acme)

    restored = journal.restore_interview(doc.id)

    assert restored.trashed is False
    assert [c.id for c in journal.companies()] == [acme]


def test_mark_reflected_and_undo(journal: Journal, clock: FakeClock) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme, starts_at=clock.now() - timedelta(hours=2))
    assert journal.interviews(acme)[0].status == "due"
    clock.advance(minutes=20)

    done = journal.mark_reflected(doc.id)

    assert done.reflected_at == clock.now()
    assert done.updated_at == clock.now()
    assert journal.interviews(acme)[0].status == "reflected"
    assert journal.company(acme).due_count == 0

    undone = journal.mark_reflected(doc.id, done=False)

    assert undone.reflected_at is None
    assert journal.interviews(acme)[0].status == "due"


# --------------------------------------------------------------------------- tree rows


def test_interviews_are_listed_newest_first(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    jan = journal.create_interview(acme, on=date(2026, 1, 10))
    mar_date_only = journal.create_interview(acme, on=date(2026, 3, 5))
    mar_morning = journal.create_interview(acme, starts_at=datetime(2026, 3, 5, 9, tzinfo=UTC))
    feb = journal.create_interview(acme, on=date(2026, 2, 1))
    undated = journal.create_interview(acme)
    mar_afternoon = journal.create_interview(
        acme, starts_at=datetime(2026, 3, 5, 15, tzinfo=UTC)
    )

    ids = [row.id for row in journal.interviews(acme)]

    # Undated ones (not scheduled yet) sit on top; a day's timed ones come before its
    # date-only one, later start first.
    assert ids == [undated.id, mar_afternoon.id, mar_morning.id, mar_date_only.id, feb.id, jan.id]


def test_interviews_only_of_the_company(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    beta = journal.create_company("Beta").company.id
    mine = journal.create_interview(acme)
    journal.create_interview(beta)

    assert [r.id for r in journal.interviews(acme)] == [mine.id]
    assert journal.interviews(9999) == []


@pytest.mark.parametrize(
    ("kwargs", "label"),
    [
        (
            {"on": date(2026, 3, 5), "stage": "technical", "role": "Backend engineer"},
            "2026-03-05 · Technical · Backend engineer",
        ),
        ({"on": date(2026, 3, 5), "stage": "onsite"}, "2026-03-05 · Onsite / loop · Role not set"),
        ({"on": date(2026, 3, 5), "role": "SRE"}, "2026-03-05 · SRE"),
        ({"role": "SRE", "stage": "take_home_review"}, "No date · Take-home review · SRE"),
        ({}, "No date · Role not set"),
    ],
)
def test_interview_row_label(journal: Journal, kwargs: dict[str, object], label: str) -> None:
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme, **kwargs)

    [row] = journal.interviews(acme)

    assert row.label == label


def test_interview_row_label_uses_the_local_date(data_dir: Path) -> None:
    with zoned_journal(data_dir, "Pacific/Auckland") as journal:
        acme = journal.create_company("Acme").company.id
        journal.create_interview(
            acme, role="SRE", starts_at=datetime(2026, 3, 9, 20, 0, tzinfo=UTC)
        )

        [row] = journal.interviews(acme)

        assert row.label == "2026-03-10 · SRE"


def _status_of(journal: Journal, company_id: int, interview_id: int) -> str:
    return next(r.status for r in journal.interviews(company_id) if r.id == interview_id)


def test_status_of_each_kind(journal: Journal, clock: FakeClock) -> None:
    now = clock.now()
    acme = journal.create_company("Acme").company.id
    undated = journal.create_interview(acme)
    upcoming = journal.create_interview(acme, starts_at=now + timedelta(hours=1))
    running = journal.create_interview(acme, starts_at=now - timedelta(minutes=30))
    due = journal.create_interview(acme, starts_at=now - timedelta(days=1))
    past = journal.create_interview(acme, on=date(2026, 2, 20))
    reflected = journal.create_interview(acme, starts_at=now - timedelta(days=2))
    journal.mark_reflected(reflected.id)
    reflected_early = journal.create_interview(acme, starts_at=now + timedelta(days=1))
    journal.mark_reflected(reflected_early.id)

    statuses = {row.id: row.status for row in journal.interviews(acme)}

    assert statuses == {
        undated.id: "undated",
        upcoming.id: "upcoming",
        running.id: "upcoming",  # still in progress: not over yet
        due.id: "due",
        past.id: "past",
        reflected.id: "reflected",
        reflected_early.id: "reflected",
    }


def test_due_starts_when_a_timed_interview_ends(journal: Journal, clock: FakeClock) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme, starts_at=clock.now(), duration_minutes=45)

    clock.advance(minutes=44, seconds=59)
    assert _status_of(journal, acme, doc.id) == "upcoming"
    clock.advance(seconds=1)
    assert _status_of(journal, acme, doc.id) == "due"


def test_due_lasts_seven_days_after_the_end(journal: Journal, clock: FakeClock) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme, starts_at=clock.now(), duration_minutes=60)
    end = clock.now() + timedelta(minutes=60)

    clock.set(end + timedelta(days=7))
    assert _status_of(journal, acme, doc.id) == "due"
    clock.advance(seconds=1)
    assert _status_of(journal, acme, doc.id) == "past"
    assert journal.company(acme).due_count == 0


def test_date_only_interview_ends_at_the_end_of_its_local_day(data_dir: Path) -> None:
    # 2 March 2026 in Tokyo (UTC+9) ends at 2 March 15:00 UTC.
    with zoned_journal(data_dir, "Asia/Tokyo") as journal:
        clock = _fake(journal)
        acme = journal.create_company("Acme").company.id
        doc = journal.create_interview(acme, on=date(2026, 3, 2))

        assert _status_of(journal, acme, doc.id) == "upcoming"  # 18:00 in Tokyo
        clock.set(datetime(2026, 3, 2, 14, 59, 59, tzinfo=UTC))
        assert _status_of(journal, acme, doc.id) == "upcoming"
        clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
        assert _status_of(journal, acme, doc.id) == "due"
        clock.set(datetime(2026, 3, 9, 15, 0, tzinfo=UTC))
        assert _status_of(journal, acme, doc.id) == "due"
        clock.set(datetime(2026, 3, 9, 15, 0, 1, tzinfo=UTC))
        assert _status_of(journal, acme, doc.id) == "past"


def test_date_only_interview_west_of_utc_is_upcoming_past_utc_midnight(data_dir: Path) -> None:
    # 23:00 on 2 March in Los Angeles is already 3 March in UTC; the local day is not over.
    start = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    with zoned_journal(data_dir, "America/Los_Angeles", start) as journal:
        clock = _fake(journal)
        acme = journal.create_company("Acme").company.id
        doc = journal.create_interview(acme, on=date(2026, 3, 2))

        assert _status_of(journal, acme, doc.id) == "upcoming"
        clock.set(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))  # midnight in Los Angeles
        assert _status_of(journal, acme, doc.id) == "due"
