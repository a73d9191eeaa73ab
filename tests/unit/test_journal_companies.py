"""Journal: companies, their counts in the tree, and "you have N earlier interviews" suggestions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal import Journal, normalize_name, suggestion_key

# --------------------------------------------------------------------------- create


def test_create_company_returns_a_new_row(journal: Journal, clock: FakeClock) -> None:
    result = journal.create_company("Acme")

    assert result.created is True
    assert result.restored is False
    assert result.message is None
    assert result.company.name == "Acme"
    assert result.company.interview_count == 0
    assert result.company.trashed is False
    assert len(result.company.uuid) == 36
    assert journal.companies() == [result.company]


def test_create_company_collapses_and_trims_spaces(journal: Journal) -> None:
    result = journal.create_company("  Acme \t  Robotics \n")

    assert result.company.name == "Acme Robotics"


@pytest.mark.parametrize("spelling", ["acme  ", "ACME", "  Acme", "aCmE", "ＡＣＭＥ"])
def test_normalised_duplicate_returns_the_existing_company(
    journal: Journal, spelling: str
) -> None:
    original = journal.create_company("Acme").company

    again = journal.create_company(spelling)

    assert again.created is False
    assert again.restored is False
    assert again.company.id == original.id
    assert again.company.name == "Acme"  # the first spelling is kept
    assert again.message == "Acme is already in the journal."
    assert [c.id for c in journal.companies()] == [original.id]


def test_creating_a_trashed_company_restores_it_and_says_so(journal: Journal) -> None:
    original = journal.create_company("Acme").company
    journal.trash_company(original.id)
    assert journal.companies() == []

    again = journal.create_company("acme  ")

    assert again.created is False
    assert again.restored is True
    assert again.company.id == original.id
    assert again.company.trashed is False
    assert again.message is not None
    assert "Acme" in again.message
    assert "trash" in again.message
    assert "restored" in again.message
    assert [c.id for c in journal.companies()] == [original.id]
    assert journal.companies(trashed=True) == []


def test_companies_are_sorted_by_normalised_name(journal: Journal) -> None:
    for name in ["beta", "Zeta", "alpha", "Ärzte", "Acme"]:
        journal.create_company(name)

    names = [c.name for c in journal.companies()]

    assert names == sorted(names, key=normalize_name)
    assert names[:3] == ["Acme", "alpha", "beta"]


def test_company_by_id(journal: Journal) -> None:
    made = journal.create_company("Acme").company

    assert journal.company(made.id) == made


# --------------------------------------------------------------------------- rename


def test_rename_company(journal: Journal, clock: FakeClock) -> None:
    acme = journal.create_company("Acme").company

    renamed = journal.rename_company(acme.id, "  Acme   Robotics ")

    assert renamed.id == acme.id
    assert renamed.uuid == acme.uuid
    assert renamed.name == "Acme Robotics"
    assert journal.company(acme.id).name == "Acme Robotics"
    # The old name is free again and the new one is taken.
    assert journal.create_company("Acme").created is True
    assert journal.create_company("acme robotics").company.id == acme.id


def test_rename_company_to_a_different_case_of_its_own_name(journal: Journal) -> None:
    acme = journal.create_company("Acme").company

    assert journal.rename_company(acme.id, "ACME").name == "ACME"


def test_rename_company_onto_another_company_is_refused(journal: Journal) -> None:
    acme = journal.create_company("Acme").company
    journal.create_company("Beta")

    with pytest.raises(InvalidInput, match="already a company called Beta"):
        journal.rename_company(acme.id, "  BETA ")
    assert journal.company(acme.id).name == "Acme"


def test_rename_company_onto_a_trashed_company_says_where_it_is(journal: Journal) -> None:
    acme = journal.create_company("Acme").company
    beta = journal.create_company("Beta").company
    journal.trash_company(beta.id)

    with pytest.raises(InvalidInput, match=r"already a company called Beta \(in the trash\)"):
        journal.rename_company(acme.id, "beta")


# --------------------------------------------------------------------------- trash


def test_trash_and_restore_company(journal: Journal) -> None:
    acme = journal.create_company("Acme").company
    beta = journal.create_company("Beta").company
    interview = journal.create_interview(acme.id, role="SRE")

    journal.trash_company(acme.id)

    assert [c.id for c in journal.companies()] == [beta.id]
    trashed = journal.companies(trashed=True)
    assert [c.id for c in trashed] == [acme.id]
    assert trashed[0].trashed is True
    assert journal.company(acme.id).trashed is True
    # Its interviews go with it; they are still there, only marked.
    assert journal.interview(interview.id).trashed is True

    restored = journal.restore_company(acme.id)

    assert restored.trashed is False
    assert [c.id for c in journal.companies()] == [acme.id, beta.id]
    assert journal.companies(trashed=True) == []
    assert journal.interview(interview.id).trashed is False


def test_trashing_twice_keeps_the_first_trash_time(journal: Journal, clock: FakeClock) -> None:
    acme = journal.create_company("Acme").company
    journal.trash_company(acme.id)
    clock.advance(hours=1)

    journal.trash_company(acme.id)

    assert journal.company(acme.id).trashed is True
    assert journal.companies(trashed=True)[0].id == acme.id


def test_no_interview_can_be_added_to_a_trashed_company(journal: Journal) -> None:
    acme = journal.create_company("Acme").company
    journal.trash_company(acme.id)

    with pytest.raises(InvalidInput, match="Acme is in the trash; restore it first"):
        journal.create_interview(acme.id)
    assert journal.interviews(acme.id) == []


# --------------------------------------------------------------------------- counts


def test_company_counts_follow_the_clock(journal: Journal, clock: FakeClock) -> None:
    now = clock.now()  # Monday 2 March 2026, 09:00 UTC
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme, starts_at=now + timedelta(days=1))  # upcoming
    journal.create_interview(acme, starts_at=now + timedelta(days=3))  # upcoming
    journal.create_interview(acme, starts_at=now - timedelta(days=2))  # due
    reflected = journal.create_interview(acme, starts_at=now - timedelta(days=1))
    journal.mark_reflected(reflected.id)
    journal.create_interview(acme, on=date(2026, 1, 5))  # past
    journal.create_interview(acme)  # undated

    row = journal.company(acme)

    assert (row.interview_count, row.upcoming_count, row.due_count) == (6, 2, 1)

    clock.set(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))  # both upcoming ones now due or over
    row = journal.company(acme)
    assert (row.interview_count, row.upcoming_count, row.due_count) == (6, 1, 2)
    assert journal.companies()[0] == row


def test_company_counts_leave_out_trashed_interviews(journal: Journal, clock: FakeClock) -> None:
    acme = journal.create_company("Acme").company.id
    kept = journal.create_interview(acme, starts_at=clock.now() + timedelta(days=1))
    gone_upcoming = journal.create_interview(acme, starts_at=clock.now() + timedelta(days=1))
    gone_due = journal.create_interview(acme, starts_at=clock.now() - timedelta(days=1))
    journal.trash_interview(gone_upcoming.id)
    journal.trash_interview(gone_due.id)

    row = journal.company(acme)

    assert [r.id for r in journal.interviews(acme)] == [kept.id]
    assert (row.interview_count, row.upcoming_count, row.due_count) == (1, 1, 0)


# --------------------------------------------------------------------------- suggestions


def test_suggestion_key_ignores_case_punctuation_and_legal_suffixes() -> None:
    assert suggestion_key("Acme, Inc.") == "acme"
    assert suggestion_key("ACME GmbH") == "acme"
    assert suggestion_key("Acme Ltd") == "acme"
    assert suggestion_key("Acme Holdings Pty Ltd") == "acme holdings"
    assert suggestion_key("Inc") == "inc"  # a name made only of a suffix is kept
    assert suggestion_key("Acme Incubator") == "acme incubator"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def test_company_suggestions_count_and_last_date(journal: Journal) -> None:
    acme = journal.create_company("Acme Inc").company.id
    journal.create_interview(acme, on=date(2026, 1, 5))
    journal.create_interview(acme, starts_at=_at(date(2026, 2, 14)))
    journal.create_interview(acme)  # undated: counted, no date
    gone = journal.create_interview(acme, on=date(2026, 2, 20))
    journal.trash_interview(gone.id)

    [suggestion] = journal.company_suggestions("Acme")

    assert suggestion.company_id == acme
    assert suggestion.name == "Acme Inc"
    assert suggestion.exact is True
    assert suggestion.interview_count == 3
    assert suggestion.last_date == date(2026, 2, 14)
    assert suggestion.summary == "You have 3 earlier interviews here, last on 14 February 2026."


@pytest.mark.parametrize("typed", ["Acme GmbH", "acme ltd", "ACME, Inc.", "  acme  "])
def test_company_suggestions_ignore_legal_suffixes(journal: Journal, typed: str) -> None:
    acme = journal.create_company("Acme Inc").company.id
    journal.create_interview(acme, on=date(2026, 3, 1))

    [suggestion] = journal.company_suggestions(typed)

    assert suggestion.company_id == acme
    assert suggestion.exact is True
    assert suggestion.summary == "You have 1 earlier interview here, last on 1 March 2026."


def test_company_suggestions_put_the_exact_match_first(journal: Journal) -> None:
    labs = journal.create_company("Acme Labs").company.id
    acmeco = journal.create_company("Acmeco Ltd").company.id
    acme = journal.create_company("Acme GmbH").company.id
    journal.create_company("Beta")
    journal.create_company("Zacme")

    found = journal.company_suggestions("acme")

    assert [s.company_id for s in found] == [acme, labs, acmeco]
    assert [s.exact for s in found] == [True, False, False]
    assert found[1].summary == "Acme Labs is in the journal, with no interviews yet."
    assert found[1].last_date is None
    assert [s.company_id for s in journal.company_suggestions("acme", limit=2)] == [acme, labs]


def test_company_suggestions_skip_trashed_companies_and_blank_text(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    journal.trash_company(acme)

    assert journal.company_suggestions("Acme") == []
    assert journal.company_suggestions("") == []
    assert journal.company_suggestions("   ") == []
    assert journal.company_suggestions("Nothing like it") == []


def test_company_suggestion_without_dates_has_no_last_on(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme)

    [suggestion] = journal.company_suggestions("acme")

    assert suggestion.last_date is None
    assert suggestion.summary == "You have 1 earlier interview here."
