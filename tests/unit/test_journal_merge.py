"""Merging companies and the stray companies a corrected header leaves behind (issue 10, item 6).

On real SQLite files: what moves, what is merged, what the search finds, that one undo puts
everything back, and that a failure half way leaves the journal as it was.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput, NotFound
from interview_journal.core.journal import Journal
from interview_journal.core.models import Company

from .journal_support import dump


def _rows(journal: Journal) -> str:
    """Every row of the journal's own tables (the search index's internals left out: its
    segments are rewritten whenever a row is, even to the same text)."""
    with closing(sqlite3.connect(journal.path)) as conn:
        return "\n".join(
            line for line in conn.iterdump() if '"search_index' not in line
        )


def _hits(journal: Journal, query: str) -> set[int]:
    return {hit.interview_id for hit in journal.search(query).hits}


@pytest.fixture
def two(journal: Journal) -> tuple[int, int, int, int, int]:
    """Acme (two interviews, one trashed; Ada and Grace) and Acme Inc (one; Ada with no
    title, Alan). Returns the ids: acme, acme inc, and the three interviews."""
    acme = journal.create_company("Acme").company.id
    inc = journal.create_company("Acme Inc").company.id
    first = journal.create_interview(acme, role="Backend engineer").id
    journal.update_interview(first, went_well="Explained the zebracache")
    journal.add_interviewer(first, "Ada Lovelace", "Staff engineer")
    journal.add_interviewer(first, "Grace Hopper", "Manager")
    old = journal.create_interview(acme, role="Intern").id
    journal.add_interviewer(old, "Grace Hopper")
    journal.trash_interview(old)
    theirs = journal.create_interview(inc, role="SRE").id
    journal.add_interviewer(theirs, "Alan Turing", "Principal")
    journal.add_interviewer(theirs, "ada lovelace")
    return acme, inc, first, old, theirs


def test_merge_plan_counts_what_would_move(journal: Journal, two: tuple[int, ...]) -> None:
    acme, inc, *_ = two
    plan = journal.merge_plan(acme, inc)
    assert (plan.source_name, plan.target_name) == ("Acme", "Acme Inc")
    assert plan.interview_count == 1  # the trashed one is not shown to the user
    assert plan.interviewer_count == 2
    assert plan.title_conflicts == ()  # Acme Inc's Ada has no title: Acme's fills it in


def test_merge_moves_interviews_and_people_and_merges_duplicates(
    journal: Journal, two: tuple[int, ...]
) -> None:
    acme, inc, first, old, theirs = two
    record = journal.merge_companies(acme, inc)

    assert set(record.interview_ids) == {first, old}
    assert journal.company_id_of(first) == journal.company_id_of(old) == inc
    assert [row.id for row in journal.companies()] == [inc]
    assert [row.id for row in journal.companies(trashed=True)] == [acme]
    assert journal.company(inc).interview_count == 2
    # One Ada at Acme Inc, with the title Acme knew; Grace moved; Alan untouched.
    people = {p.name: p for p in journal.people(inc)}
    assert sorted(people) == ["Alan Turing", "Grace Hopper", "ada lovelace"]
    assert people["ada lovelace"].title == "Staff engineer"
    assert [p.id for p in journal.interviewers(first)] == [
        people["ada lovelace"].id, people["Grace Hopper"].id
    ]
    assert [p.id for p in journal.interviewers(theirs)] == [
        people["Alan Turing"].id, people["ada lovelace"].id
    ]
    assert [p.id for p in journal.interviewers(old)] == [people["Grace Hopper"].id]
    # The trashed interview came along, still in the trash.
    assert [row.id for row in journal.interviews(inc, trashed=True)] == [old]


def test_merge_keeps_the_targets_title_and_the_plan_names_the_other(
    journal: Journal, two: tuple[int, ...]
) -> None:
    acme, inc, first, _old, theirs = two
    journal.add_interviewer(theirs, "Ada Lovelace", "CTO")  # Acme Inc's Ada now has a title
    plan = journal.merge_plan(acme, inc)
    assert plan.title_conflicts == (("Ada Lovelace", "CTO", "Staff engineer"),)

    journal.merge_companies(acme, inc)
    ada = next(p for p in journal.interviewers(first) if p.name.lower().startswith("ada"))
    assert ada.title == "CTO"


def test_search_finds_the_moved_interviews_under_the_new_name(
    journal: Journal, two: tuple[int, ...]
) -> None:
    acme, inc, first, _old, theirs = two
    assert _hits(journal, "zebracache") == {first}
    journal.merge_companies(acme, inc)
    assert journal.pending_index_count() == 0
    assert _hits(journal, 'company:"acme inc"') == {first, theirs}
    assert {hit.company for hit in journal.search("zebracache").hits} == {"Acme Inc"}
    assert _hits(journal, "people:staff") == {first, theirs}  # Ada's title, on both
    assert journal.check_search_index(deep=True).ok


def test_unmerge_restores_exactly(
    journal: Journal, two: tuple[int, ...], clock: FakeClock
) -> None:
    acme, inc, first, _old, _theirs = two
    before = _rows(journal)
    clock.advance(minutes=5)
    record = journal.merge_companies(acme, inc)
    assert _rows(journal) != before

    row = journal.unmerge(record)
    assert (row.id, row.name, row.trashed) == (acme, "Acme", False)
    assert _rows(journal) == before
    assert _hits(journal, "company:acme -inc") == {first}
    assert journal.check_search_index(deep=True).ok


def test_a_trashed_source_loses_no_interview(journal: Journal, two: tuple[int, ...]) -> None:
    acme, inc, first, old, _theirs = two
    journal.trash_company(acme)
    before = _rows(journal)
    record = journal.merge_companies(acme, inc)
    assert journal.company_id_of(first) == journal.company_id_of(old) == inc
    assert first in {row.id for row in journal.interviews(inc)}  # out of the trash with it
    journal.unmerge(record)
    assert _rows(journal) == before  # and back in the trash with its company


def test_a_failure_half_way_leaves_everything_as_it_was(
    journal: Journal, two: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    acme, inc, *_ = two
    before = dump(journal)

    def fail(self: Company, *args: object, **kwargs: object) -> int:
        raise RuntimeError("the disk went away")  # after every interview and person moved

    monkeypatch.setattr(Company, "save", fail)
    with pytest.raises(RuntimeError):
        journal.merge_companies(acme, inc)
    monkeypatch.undo()
    assert dump(journal) == before
    assert journal.company(acme).interview_count == 1


def test_merge_refuses_itself_a_trashed_target_and_missing_companies(
    journal: Journal, two: tuple[int, ...]
) -> None:
    acme, inc, *_ = two
    with pytest.raises(InvalidInput):
        journal.merge_companies(acme, acme)
    journal.trash_company(inc)
    with pytest.raises(InvalidInput, match="in the trash"):
        journal.merge_companies(acme, inc)
    with pytest.raises(NotFound):
        journal.merge_companies(acme, inc + 100)


def test_other_company_named_uses_the_normalised_name(
    journal: Journal, two: tuple[int, ...]
) -> None:
    acme, inc, *_ = two
    found = journal.other_company_named(acme, "  ACME   inc ")
    assert found is not None
    assert found.id == inc
    assert journal.other_company_named(acme, "Acme") is None  # its own name
    assert journal.other_company_named(acme, "Initech") is None


# --------------------------------------------------------------------------- stray companies


def test_a_corrected_company_leaves_no_stray(journal: Journal) -> None:
    doc = journal.create_interview_for("Initech", role="SRE")
    journal.add_interviewer(doc.id, "Ada Lovelace", "Staff engineer")
    journal.move_interview(doc.id, "Glo")  # left the box half typed
    glo = journal.company_id_of(doc.id)
    moved = journal.move_interview(doc.id, "Globex")  # corrected

    assert [c.name for c in journal.companies()] == ["Globex", "Initech"]
    assert journal.companies(trashed=True) == []
    with pytest.raises(NotFound):
        journal.company(glo)
    assert [p.name for p in journal.interviewers(moved.id)] == ["Ada Lovelace"]
    assert _hits(journal, "company:globex") == {doc.id}
    assert _hits(journal, "company:glo") == {doc.id}  # the prefix: Globex, not a stray row


def test_moving_back_to_the_first_company_drops_the_stray_too(journal: Journal) -> None:
    doc = journal.create_interview_for("Initech")
    journal.move_interview(doc.id, "Glo")
    journal.move_interview(doc.id, "Initech")
    assert [c.name for c in journal.companies()] == ["Initech"]


def test_a_company_with_anything_else_in_it_stays(journal: Journal) -> None:
    doc = journal.create_interview_for("Initech")
    other = journal.create_interview_for("Initech")
    journal.move_interview(doc.id, "Glo")
    glo = journal.company_id_of(doc.id)
    journal.move_interview(other.id, "Glo")  # a second interview chose it as well
    journal.move_interview(doc.id, "Globex")
    assert journal.company(glo).interview_count == 1

    # A person the user added there and took off again is theirs: the company stays.
    third = journal.create_interview_for("Initech")
    journal.move_interview(third.id, "Hooli")
    hooli = journal.company_id_of(third.id)
    grace = journal.add_interviewer(third.id, "Grace Hopper")
    journal.remove_interviewer(third.id, grace.id)
    journal.move_interview(third.id, "Initech")
    assert [p.name for p in journal.people(hooli)] == ["Grace Hopper"]

    # A trashed interview counts as something in it.
    fourth = journal.create_interview_for("Initech")
    fifth = journal.create_interview_for("Initech")
    journal.move_interview(fourth.id, "Umbrella")
    umbrella = journal.company_id_of(fourth.id)
    journal.move_interview(fifth.id, "Umbrella")
    journal.trash_interview(fifth.id)
    journal.move_interview(fourth.id, "Initech")
    assert journal.company(umbrella).name == "Umbrella"


def test_a_company_made_before_this_session_stays(data_dir: Path, clock: FakeClock) -> None:
    with Journal.open(data_dir, clock=clock) as journal:
        doc = journal.create_interview_for("Initech")
        journal.move_interview(doc.id, "Glo")
    with Journal.open(data_dir, clock=clock) as journal:
        journal.move_interview(doc.id, "Globex")
        assert [c.name for c in journal.companies()] == ["Glo", "Globex", "Initech"]


def _trashed_at(journal: Journal, company_id: int) -> object:
    return journal.database.execute_sql(
        "SELECT trashed_at FROM company WHERE id = ?", (company_id,)
    ).fetchone()[0]


def test_a_company_brought_back_from_the_trash_goes_back(
    journal: Journal, clock: FakeClock
) -> None:
    gone = journal.create_company("Glo").company.id
    journal.trash_company(gone)
    when = _trashed_at(journal, gone)
    clock.advance(days=2)
    doc = journal.create_interview_for("Initech")
    journal.move_interview(doc.id, "glo")  # brings it back from the trash
    assert journal.company(gone).trashed is False
    journal.move_interview(doc.id, "Globex")
    assert journal.company(gone).trashed is True  # back where it was, not deleted
    assert _trashed_at(journal, gone) == when  # as it was
    assert [c.name for c in journal.companies()] == ["Globex", "Initech"]


def test_a_stray_is_only_dropped_for_the_interview_it_was_made_for(journal: Journal) -> None:
    doc = journal.create_interview_for("Initech")
    other = journal.create_interview_for("Initech")
    journal.move_interview(doc.id, "Glo")
    glo = journal.company_id_of(doc.id)
    journal.move_interview(other.id, "Glo")
    journal.move_interview(doc.id, "Initech")
    journal.move_interview(other.id, "Initech")  # not the one Glo was made for
    assert journal.company(glo).interview_count == 0


def test_a_rolled_back_move_leaves_no_record_that_matters(journal: Journal) -> None:
    """A move undone by its transaction leaves its company's id free for the next company,
    which is not a stray."""
    doc = journal.create_interview_for("Initech")

    def failing_autosave() -> None:
        with journal.transaction():
            journal.move_interview(doc.id, "Glo")
            raise RuntimeError("the autosave around it failed")

    with pytest.raises(RuntimeError):
        failing_autosave()
    assert [c.name for c in journal.companies()] == ["Initech"]
    hooli = journal.create_company("Hooli").company.id  # Glo's id, used again
    journal.move_interview(doc.id, "Hooli")
    journal.move_interview(doc.id, "Initech")
    assert journal.company(hooli).name == "Hooli"
