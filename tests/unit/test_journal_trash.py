"""The trash: listing, restoring exactly, deleting for good, and purging deleted text."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from datetime import date, timedelta

import pytest

from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput, JournalError, NotFound
from interview_journal.core.journal import InterviewDoc, Journal


def rich(journal: Journal, company: str, note: str) -> InterviewDoc:
    """An interview with every kind of part."""
    doc = journal.create_interview_for(company, role="Engineer", on=date(2026, 2, 20))
    journal.update_interview(doc.id, notes=note, went_well="Calm")
    journal.add_question(doc.id, "Why us?", "Because", "Shorter")
    journal.add_action_item(doc.id, "Practise system design")
    journal.add_interviewer(doc.id, "Dana", "CTO")
    journal.set_topics(doc.id, ["Kafka", "Go"])
    return journal.interview(doc.id)


def test_the_trash_lists_companies_and_lone_interviews_latest_first(
    journal: Journal, clock: FakeClock
) -> None:
    acme = rich(journal, "Acme", "a")
    globex = rich(journal, "Globex", "b")
    second = journal.create_interview(globex.company_id, role="SRE")
    assert journal.trash_contents() == []
    journal.trash_interview(second.id)
    clock.advance(timedelta(minutes=5))
    journal.trash_company(acme.company_id)

    items = journal.trash_contents()
    assert [(i.kind, i.id) for i in items] == [
        ("company", acme.company_id),
        ("interview", second.id),
    ]
    assert items[0].label == "Acme"
    assert items[0].interview_count == 1
    assert items[1].label == "No date · SRE"
    assert items[1].company_name == "Globex"
    assert items[0].trashed_at - items[1].trashed_at == timedelta(minutes=5)


def test_restore_puts_everything_back_exactly(journal: Journal) -> None:
    doc = rich(journal, "Acme", "the whole story")
    journal.trash_company(doc.company_id)
    assert journal.search("story").hits == ()
    journal.restore_company(doc.company_id)
    back = journal.interview(doc.id)
    assert back == doc
    assert [hit.interview_id for hit in journal.search("story").hits] == [doc.id]
    journal.trash_interview(doc.id)
    journal.restore_interview(doc.id)
    assert journal.interview(doc.id).questions == doc.questions
    assert journal.trash_contents() == []


def test_only_what_is_in_the_trash_can_be_deleted(journal: Journal) -> None:
    doc = rich(journal, "Acme", "keep me")
    with pytest.raises(InvalidInput, match="not in the trash"):
        journal.delete_permanently("interview", doc.id)
    with pytest.raises(InvalidInput, match="not in the trash"):
        journal.delete_permanently("company", doc.company_id)
    with pytest.raises(InvalidInput):
        journal.delete_permanently("person", 1)
    with pytest.raises(NotFound):
        journal.delete_permanently("interview", 999)
    assert journal.interview(doc.id).notes == "keep me"


def test_deleting_an_interview_for_good_removes_it_its_parts_and_its_index_row(
    journal: Journal,
) -> None:
    doc = rich(journal, "Acme", "gone soon")
    kept = journal.create_interview(doc.company_id, role="Kept")
    journal.trash_interview(doc.id)
    heard: list[Changes] = []
    journal.observe(heard.append)

    journal.delete_permanently("interview", doc.id)

    with pytest.raises(NotFound):
        journal.interview(doc.id)
    assert journal.questions(doc.id) == []
    assert journal.action_items(doc.id) == []
    assert [row.id for row in journal.interviews(doc.company_id)] == [kept.id]
    assert journal.search("gone").hits == ()
    assert journal.check_search_index(deep=True).ok
    entries = heard[0].entries
    assert (Kind.INTERVIEW, doc.id, Op.DELETED) in entries
    assert (Kind.COMPANY, doc.company_id, Op.UPDATED) in entries


def test_deleting_a_company_for_good_takes_its_interviews_and_people(journal: Journal) -> None:
    doc = rich(journal, "Acme", "gone soon")
    other = rich(journal, "Globex", "stays")
    journal.trash_company(doc.company_id)
    journal.delete_permanently("company", doc.company_id)
    assert [c.name for c in journal.companies()] == ["Globex"]
    assert journal.companies(trashed=True) == []
    assert journal.people(doc.company_id) == []
    assert journal.interview(other.id).notes == "stays"
    assert journal.topic_names()  # topics are shared: they stay known
    assert journal.check_search_index(deep=True).ok


def test_empty_trash_deletes_everything_in_it_and_nothing_else(journal: Journal) -> None:
    one = rich(journal, "Acme", "one")
    two = rich(journal, "Globex", "two")
    three = journal.create_interview(two.company_id, role="Three")
    journal.trash_company(one.company_id)
    journal.trash_interview(three.id)
    heard: list[Changes] = []
    journal.observe(heard.append)

    assert journal.empty_trash() == 2

    assert journal.trash_contents() == []
    assert [c.name for c in journal.companies()] == ["Globex"]
    assert [row.id for row in journal.interviews(two.company_id)] == [two.id]
    assert len(heard) == 1  # one transaction
    assert heard[0].ids(Kind.INTERVIEW, Op.DELETED) == {one.id, three.id}
    assert journal.empty_trash() == 0


def _file_bytes(journal: Journal) -> bytes:
    found = b""
    for suffix in ("", "-wal"):
        path = journal.path.with_name(journal.path.name + suffix)
        if path.exists():
            found += path.read_bytes()
    return found


def test_purging_after_a_delete_leaves_no_trace_of_the_text_in_the_files(
    journal: Journal,
) -> None:
    canary = f"canary{uuid.uuid4().hex}"
    doc = rich(journal, "Acme", f"secret {canary} secret")
    journal.add_question(doc.id, f"Q {canary}")
    journal.trash_interview(doc.id)
    journal.delete_permanently("interview", doc.id)

    journal.purge_deleted()

    assert canary.encode() not in _file_bytes(journal)
    with closing(sqlite3.connect(journal.path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_purge_is_refused_while_writes_are_held(journal: Journal) -> None:
    journal.hold_writes("checking")
    with pytest.raises(JournalError):
        journal.purge_deleted()

