"""The trash: what is in it, putting things back, and deleting for good.

Moving to the trash (``trash_company``, ``trash_interview``) only sets ``trashed_at``; the
rows stay whole, so a restore puts back exactly what was there (questions, action items,
interviewers, topics; the search index row is never removed for a trashed interview). Deleting
for good removes the rows and their index rows in one transaction. The text can then still
sit in free pages of the file, in the write-ahead log and in the index's old segments:
``purge_deleted`` (run at idle) merges the index, rebuilds the file and truncates the log,
so a deleted note is gone from the journal's files. Backups keep it until they rotate out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from interview_journal.core import db as dbmod
from interview_journal.core.changes import Kind, Op
from interview_journal.core.clock import stored_date, stored_utc
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal.upkeep import _SearchUpkeep
from interview_journal.core.journal.values import _interview_label
from interview_journal.core.models import Company, Interview, Person


@dataclass(frozen=True)
class TrashItem:
    """Something in the trash, as the Trash view lists it.

    ``kind`` is "company" (with ``interview_count`` interviews going with it) or "interview"
    (one interview of a company that is not in the trash). ``trashed_at`` is aware, UTC.
    """

    kind: str
    id: int
    company_id: int
    company_name: str
    trashed_at: datetime
    date: date | None = None  # an interview's
    stage: str = ""
    role: str = ""
    interview_count: int = 0

    @property
    def label(self) -> str:
        """"Acme" for a company; "date · stage · role" for an interview."""
        if self.kind == "company":
            return self.company_name
        return _interview_label(self.date, self.stage, self.role)


class _Trash(_SearchUpkeep):
    """The trash view's reads, and deleting for good."""

    def trash_contents(self) -> list[TrashItem]:
        """Everything in the trash, the latest trashed first (two queries, no text read)."""
        companies = (
            Company.select(Company.id, Company.name, Company.trashed_at)
            .where(Company.trashed_at.is_null(False))
            .tuples()
        )
        found: list[TrashItem] = []
        for company_id, name, trashed_at in cast(Iterable[tuple[int, str, Any]], companies):
            count = Interview.select().where(Interview.company == company_id).count()
            found.append(
                TrashItem("company", company_id, company_id, name, _aware(trashed_at),
                          interview_count=count)
            )
        interviews = (
            Interview.select(
                Interview.id, Interview.company, Company.name, Interview.trashed_at,
                Interview.date, Interview.stage, Interview.role,
            )
            .join(Company)
            .where(Interview.trashed_at.is_null(False) & Company.trashed_at.is_null())
            .tuples()
        )
        rows = cast(Iterable[tuple[int, int, str, Any, Any, str, str]], interviews)
        for interview_id, company_id, name, trashed_at, on, stage, role in rows:
            found.append(
                TrashItem("interview", interview_id, company_id, name, _aware(trashed_at),
                          stored_date(on), stage, role)
            )
        found.sort(key=lambda item: (item.trashed_at, item.kind, item.id), reverse=True)
        return found

    def delete_permanently(self, kind: str, row_id: int) -> None:
        """Delete a company (with all its interviews) or an interview for good.

        Only what is in the trash can go: anything else is refused, so a slip cannot delete
        a note in one step. Its rows, parts and search index rows go in one transaction.
        """
        with self._write():
            if kind == "company":
                company = self._get(Company, row_id, "company")
                if company.trashed_at is None:
                    raise InvalidInput(f"{company.name} is not in the trash; move it there first.")
                self._delete_companies([row_id])
            elif kind == "interview":
                interview = self._get(Interview, row_id, "interview")
                company = self._get(Company, interview.company_id, "company")
                if interview.trashed_at is None and company.trashed_at is None:
                    raise InvalidInput("That interview is not in the trash; move it there first.")
                self._delete_interviews([row_id], company.id)
            else:
                raise InvalidInput(f"Nothing of the kind {kind!r} can be deleted.")

    def empty_trash(self) -> int:
        """Delete everything in the trash for good; returns how many interviews went."""
        with self._write():
            items = self.trash_contents()
            companies = [item.id for item in items if item.kind == "company"]
            gone = sum(item.interview_count for item in items if item.kind == "company")
            by_company: dict[int, list[int]] = {}
            for item in items:
                if item.kind == "interview":
                    by_company.setdefault(item.company_id, []).append(item.id)
            for company_id, interview_ids in by_company.items():
                self._delete_interviews(interview_ids, company_id)
                gone += len(interview_ids)
            self._delete_companies(companies)
            return gone

    def purge_deleted(self) -> None:
        """Make deleted text unrecoverable from the journal's own files (run at idle).

        FTS5 'optimize' merges the index's segments (deleted text stays in old ones), then
        VACUUM rewrites the file without its free pages and a truncating checkpoint empties
        the write-ahead log. VACUUM needs no other connection to be reading: a busy journal
        raises DatabaseBusy, and the purge can be tried again later.
        """
        self.optimize_search()
        with dbmod.storage_errors(self.path):
            if self._held is not None or self.closed:
                return
            self._db.execute_sql("VACUUM")
            self._db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def _delete_interviews(self, interview_ids: list[int], company_id: int) -> None:
        Interview.delete().where(Interview.id.in_(interview_ids)).execute()
        self._mark(*interview_ids)  # their index rows go when the write commits
        self._changed(Kind.INTERVIEW, interview_ids, Op.DELETED)
        self._changed(Kind.COMPANY, company_id, Op.UPDATED)

    def _delete_companies(self, company_ids: list[int]) -> None:
        if not company_ids:
            return
        interviews = [
            row.id for row in Interview.select(Interview.id).where(
                Interview.company.in_(company_ids)
            )
        ]
        people = [p.id for p in Person.select(Person.id).where(Person.company.in_(company_ids))]
        Company.delete().where(Company.id.in_(company_ids)).execute()  # cascades to the rest
        for company_id in company_ids:
            self._made_for_move.pop(company_id, None)
        self._mark(*interviews)
        self._changed(Kind.INTERVIEW, interviews, Op.DELETED)
        self._changed(Kind.PERSON, people, Op.DELETED)
        self._changed(Kind.COMPANY, company_ids, Op.DELETED)


def _aware(stored: Any) -> datetime:
    value = stored_utc(stored)
    assert value is not None  # only rows with a trashed_at are listed
    return value


__all__ = ["TrashItem"]
