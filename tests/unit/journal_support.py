"""Helpers shared by the Journal unit tests: a full dump of the file and a small populated world."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime

from interview_journal.core.journal import Journal


def dump(journal: Journal) -> str:
    """Every row of every table, read through a separate plain-sqlite3 connection.

    A separate connection sees only what was committed, so a change left pending in an open
    transaction would show up as a difference once it is committed later, never hide one.
    """
    with closing(sqlite3.connect(journal.path)) as conn:
        return "\n".join(conn.iterdump())


@dataclass(frozen=True)
class World:
    """Ids of a small journal: two companies, one trashed company, one full interview."""

    acme: int
    beta: int
    trashed: int
    interview: int
    question: int
    action: int
    person: int
    other_person: int


def populate(journal: Journal) -> World:
    """Fill ``journal`` with one of everything, so a stray write has something to change.

    The calls share one outer transaction (each becomes a savepoint) to keep setup to a
    single commit.
    """
    with journal.database.atomic():
        return _populate(journal)


def _populate(journal: Journal) -> World:
    acme = journal.create_company("Acme").company.id
    beta = journal.create_company("Beta").company.id
    trashed = journal.create_company("Gone Ltd").company.id
    journal.trash_company(trashed)
    doc = journal.create_interview(
        acme,
        role="Backend engineer",
        stage="technical",
        starts_at=datetime(2026, 3, 1, 14, 0, tzinfo=UTC),
    )
    journal.update_interview(doc.id, went_well="Explained the cache", self_rating=4)
    journal.create_interview(beta, role="SRE", on=date(2026, 2, 1))
    question = journal.add_question(doc.id, "Design a rate limiter", "Token bucket", "Sliding log")
    action = journal.add_action_item(doc.id, "Practise SQL window functions")
    journal.set_topics(doc.id, ["Caching", "SQL"])
    person = journal.add_interviewer(doc.id, "Ada Lovelace", "Staff engineer")
    other = journal.add_interviewer(doc.id, "Grace Hopper", "Manager")
    journal.set_setting("reflection_minutes", 30)
    return World(
        acme=acme,
        beta=beta,
        trashed=trashed,
        interview=doc.id,
        question=question.id,
        action=action.id,
        person=person.id,
        other_person=other.id,
    )
