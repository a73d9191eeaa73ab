"""Journal: "I just finished an interview" and when marking a reflection means something.

The fake clock starts on Monday 2 March 2026, 09:00 UTC, in UTC.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal import Journal


def test_recently_ended_lists_the_unreflected_latest_first(
    journal: Journal, clock: FakeClock
) -> None:
    now = clock.now()
    acme = journal.create_company("Acme").company.id
    early = journal.create_interview(acme, starts_at=now - timedelta(hours=2), duration_minutes=30)
    running = journal.create_interview(acme, starts_at=now - timedelta(minutes=10))
    journal.create_interview(acme, starts_at=now - timedelta(hours=5))  # too long ago
    journal.create_interview(acme, starts_at=now + timedelta(hours=1))  # not begun
    done = journal.create_interview(acme, starts_at=now - timedelta(minutes=70))
    journal.mark_reflected(done.id)
    assert [doc.id for doc in journal.recently_ended()] == [running.id, early.id]


def test_just_finished_without_a_company_invents_none(journal: Journal) -> None:
    with pytest.raises(InvalidInput, match="which company"):
        journal.just_finished(None, None)
    assert journal.companies() == []


def test_just_finished_picks_the_one_that_just_ended(
    journal: Journal, clock: FakeClock
) -> None:
    acme = journal.create_company("Acme").company.id
    ended = journal.create_interview(acme, starts_at=clock.now() - timedelta(minutes=90))
    assert journal.just_finished(None, "SRE").id == ended.id
    assert journal.interview(ended.id).role == "SRE"
    assert journal.just_finished("acme inc", None).id == ended.id


def test_mark_reflected_means_something_once_it_has_begun(
    journal: Journal, clock: FakeClock
) -> None:
    acme = journal.create_company("Acme").company.id
    now = clock.now()
    later = journal.create_interview(acme, starts_at=now + timedelta(minutes=5))
    begun = journal.create_interview(acme, starts_at=now - timedelta(minutes=5))
    tomorrow = journal.create_interview(acme, on=date(2026, 3, 3))
    today = journal.create_interview(acme, on=date(2026, 3, 2))
    undated = journal.create_interview(acme)
    assert not journal.can_mark_reflected(later)
    assert not journal.can_mark_reflected(tomorrow)
    for doc in (begun, today, undated):
        assert journal.can_mark_reflected(doc)
    assert not journal.can_mark_reflected(journal.mark_reflected(begun.id))
    assert journal.can_mark_reflected(journal.mark_reflected(begun.id, False))
