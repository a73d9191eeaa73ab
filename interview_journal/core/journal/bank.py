"""The question bank: reading every question of the live interviews for it, keeping a bank
up to date with what each write changed, and the user's choices (split an entry, merge two).

The grouping itself is ``core/question_bank.py`` (plain Python over the rows read here),
imported when first used. A bank is built in a worker (``question_bank()``, about half a
second on the stress journal's 46,000 questions) and then kept current with
``refresh_question_bank(bank, changes)`` from the observer of the journal's changes, which
reads and regroups only what the write touched.

The choices are rows of ``bank_choice``, keyed by question UUID (they survive an export),
and are announced as ``Kind.BANK_CHOICE`` with the ids of the questions placed.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.clock import stored_date
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal.base import _uuid_text
from interview_journal.core.journal.exchange import _Exchange
from interview_journal.core.models import BankChoice

if TYPE_CHECKING:
    from interview_journal.core.question_bank import (
        BankChanges,
        BankEntry,
        BankPin,
        BankQuestion,
        QuestionBank,
    )

_QUESTIONS = """
SELECT q.id, q.uuid, q.interview_id, i.uuid, i.company_id, c.name, i.stage, i.date,
       q.position, q.question, q.answer, q.next_time, q.practise
FROM question AS q
JOIN interview AS i ON i.id = q.interview_id
JOIN company AS c ON c.id = i.company_id
WHERE c.trashed_at IS NULL
  AND i.id NOT IN (SELECT id FROM interview WHERE trashed_at IS NOT NULL)
"""
# Narrowed to some questions, interviews or companies (JSON arrays of ids); each part finds
# its ids through an index, so a refresh after one autosave reads a handful of rows.
_SOME = """
  AND q.id IN (
    SELECT value FROM json_each(?)
    UNION SELECT id FROM question WHERE interview_id IN (SELECT value FROM json_each(?))
    UNION SELECT question.id FROM question JOIN interview ON interview.id = question.interview_id
          WHERE interview.company_id IN (SELECT value FROM json_each(?)))
"""
_TOPICS = """
SELECT it.interview_id, t.name FROM interview_tag AS it JOIN tag AS t ON t.id = it.tag_id
{where} ORDER BY it.interview_id, it.position
"""


class _Bank(_Exchange):
    """The question bank's reads and choices."""

    def bank_questions(
        self,
        *,
        question_ids: Iterable[int] | None = None,
        interview_ids: Iterable[int] = (),
        company_ids: Iterable[int] = (),
    ) -> list[BankQuestion]:
        """The questions of live interviews (neither they nor their company in the trash)
        that have text: all of them, or those among ``question_ids`` or of the interviews or
        companies given. Two queries, the interviews' long text never read."""
        from interview_journal.core.question_bank import BankQuestion

        sql, params = _QUESTIONS, tuple[str, ...]()
        narrowed = question_ids is not None or interview_ids or company_ids
        if narrowed:
            sql += _SOME
            params = (
                json.dumps(sorted(set(question_ids or ()))),
                json.dumps(sorted(set(interview_ids))),
                json.dumps(sorted(set(company_ids))),
            )
        rows: list[tuple[Any, ...]] = [
            row for row in self._db.execute_sql(sql, params).fetchall() if row[9].strip()
        ]
        topics = self._bank_topics({row[2] for row in rows} if narrowed else None)
        return [
            BankQuestion(
                id=qid,
                uuid=_uuid_text(quuid),
                interview_id=interview_id,
                interview_uuid=_uuid_text(iuuid),
                company_id=company_id,
                company=company,
                stage=stage,
                date=stored_date(on),
                position=position,
                text=text,
                answer=answer,
                next_time=next_time,
                practise=bool(practise),
                topics=topics.get(interview_id, ()),
            )
            for (qid, quuid, interview_id, iuuid, company_id, company, stage, on, position,
                 text, answer, next_time, practise) in rows
        ]

    def _bank_topics(self, interview_ids: set[int] | None) -> dict[int, tuple[str, ...]]:
        if interview_ids is None:
            cursor = self._db.execute_sql(_TOPICS.format(where=""))
        else:
            cursor = self._db.execute_sql(
                _TOPICS.format(where="WHERE it.interview_id IN (SELECT value FROM json_each(?))"),
                (json.dumps(sorted(interview_ids)),),
            )
        found: dict[int, list[str]] = {}
        for interview_id, name in cursor.fetchall():
            found.setdefault(interview_id, []).append(name)
        return {key: tuple(names) for key, names in found.items()}

    def bank_pins(self, question_uuids: Iterable[str] | None = None) -> dict[str, BankPin]:
        """The user's choices: question uuid -> its group and wording (all, or these)."""
        from interview_journal.core.question_bank import BankPin

        query = BankChoice.select(
            BankChoice.question_uuid, BankChoice.group_uuid, BankChoice.wording
        )
        if question_uuids is not None:
            query = query.where(BankChoice.question_uuid.in_(sorted(set(question_uuids))))
        rows: Iterable[tuple[str, str, str]] = query.tuples()  # type: ignore[assignment]
        return {quuid: BankPin(group, wording) for quuid, group, wording in rows}

    def question_bank(self) -> QuestionBank:
        """The whole bank, grouped (run it in a worker on a large journal)."""
        from interview_journal.core.question_bank import QuestionBank

        return QuestionBank(self.bank_questions(), self.bank_pins())

    def refresh_question_bank(self, bank: QuestionBank, changes: Changes) -> BankChanges:
        """Bring ``bank`` up to date with one announced ``changes``; returns what changed in
        it. Reads only the questions the write can have touched (those named, and those of
        the interviews and companies named), and regroups only what they reach."""
        pins: dict[str, BankPin | None] = {}
        if changes.replaced:
            every = self.bank_questions()
            pins.update(dict.fromkeys(bank.pins()))
            pins.update(self.bank_pins())
            return bank.update(every, bank.question_ids() - {r.id for r in every}, pins)
        chosen = changes.ids(Kind.BANK_CHOICE)
        named = changes.ids(Kind.QUESTION) | chosen
        interviews = changes.ids(Kind.INTERVIEW)
        companies = changes.ids(Kind.COMPANY)
        if not (named or interviews or companies):
            from interview_journal.core.question_bank import BankChanges

            return BankChanges(frozenset(), ())
        known = named | bank.questions_of(interviews=interviews, companies=companies)
        fresh = self.bank_questions(
            question_ids=named, interview_ids=interviews, company_ids=companies
        )
        gone = known - {r.id for r in fresh}
        if chosen:
            uuids = {r.uuid for r in fresh if r.id in chosen}
            uuids |= {q.uuid for qid in chosen if (q := bank.question(qid)) is not None}
            stored = self.bank_pins(uuids)
            pins = {u: stored.get(u) for u in uuids}
        return bank.update(fresh, gone, pins)

    def split_bank_entry(self, entry: BankEntry, question_ids: Collection[int]) -> None:
        """Take the askings ``question_ids`` out of ``entry`` (as the bank showed it) into an
        entry of their own; the rest stay together. Kept in the journal: later grouping
        honours it while those questions keep their wording."""
        chosen = set(question_ids)
        members = entry.question_ids
        if not chosen:
            raise InvalidInput("Choose the questions to take out of this entry.")
        if not chosen <= members:
            raise InvalidInput("Those questions are not all in this entry.")
        if chosen == members:
            raise InvalidInput("Leave at least one question in the entry.")
        self._place({_group(): chosen, _group(): set(members - chosen)})

    def merge_bank_entries(self, entries: Sequence[BankEntry]) -> None:
        """Make ``entries`` (two or more, as the bank showed them) one entry, for good."""
        ids = {qid for entry in entries for qid in entry.question_ids}
        if len({entry.key for entry in entries}) < 2:
            raise InvalidInput("Choose two or more entries to merge.")
        self._place({_group(): ids})

    def forget_bank_choices(self, question_ids: Iterable[int]) -> None:
        """Group these questions automatically again (undoes a split or a merge)."""
        ids = set(question_ids)
        uuids = [r.uuid for r in self.bank_questions(question_ids=ids)]
        with self._write():
            BankChoice.delete().where(BankChoice.question_uuid.in_(uuids)).execute()
            self._changed(Kind.BANK_CHOICE, ids, Op.DELETED)

    def _place(self, groups: dict[str, set[int]]) -> None:
        from interview_journal.core.question_bank import wording_of

        with self._write():
            for group, ids in groups.items():
                found = self.bank_questions(question_ids=ids)
                if len(found) != len(ids):
                    raise InvalidInput("Some of those questions are no longer in the bank.")
                now = self._now()
                for record in found:
                    BankChoice.insert(
                        question_uuid=record.uuid,
                        group_uuid=group,
                        wording=wording_of(record.text, record.company),
                        chosen_at=now,
                    ).on_conflict(
                        conflict_target=[BankChoice.question_uuid],
                        update={
                            BankChoice.group_uuid: group,
                            BankChoice.wording: wording_of(record.text, record.company),
                            BankChoice.chosen_at: now,
                        },
                    ).execute()
                self._changed(Kind.BANK_CHOICE, ids, Op.UPDATED)


def _group() -> str:
    return str(uuidlib.uuid4())
