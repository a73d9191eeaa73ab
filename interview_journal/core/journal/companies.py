"""Companies: create, rename, trash and restore, the tree's counts, suggestions, and
merging two names of one company (with its undo).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from peewee import JOIN, fn

from interview_journal.core.changes import Kind, Op
from interview_journal.core.clock import stored_date
from interview_journal.core.errors import InvalidInput, NotFound
from interview_journal.core.journal.base import _uuid_text
from interview_journal.core.journal.parts import _Parts
from interview_journal.core.journal.rules import _name
from interview_journal.core.journal.values import (
    CompanyResult,
    CompanyRow,
    CompanySuggestion,
    MergePlan,
    MergeRecord,
    normalize_name,
    suggestion_key,
)
from interview_journal.core.models import Company, Interview, InterviewPerson, Person


class _Companies(_Parts):
    """Companies and merging."""

    def create_company(self, name: str) -> CompanyResult:
        """Add a company; a normalised duplicate returns the existing one (restored if trashed)."""
        clean = _name(name, "Company name")
        key = normalize_name(clean)
        with self._write():
            existing = Company.get_or_none(Company.normalized_name == key)
            if existing is not None:
                restored = existing.trashed_at is not None
                if restored:
                    existing.trashed_at = None
                    existing.updated_at = self._now()
                    existing.save()
                    self._changed(Kind.COMPANY, existing.id, Op.RESTORED)
                return CompanyResult(self._company_row(existing.id), False, restored)
            now = self._now()
            company = Company.create(
                name=clean, normalized_name=key, created_at=now, updated_at=now
            )
            self._changed(Kind.COMPANY, company.id, Op.CREATED)
            return CompanyResult(self._company_row(company.id), True, False)

    def rename_company(self, company_id: int, name: str) -> CompanyRow:
        """Rename a company; the new name must not be another company's."""
        from interview_journal.core import search as searchmod

        clean = _name(name, "Company name")
        key = normalize_name(clean)
        with self._write():
            company = self._get(Company, company_id, "company")
            other = Company.get_or_none(
                (Company.normalized_name == key) & (Company.id != company_id)
            )
            if other is not None:
                where = " (in the trash)" if other.trashed_at else ""
                raise InvalidInput(f"There is already a company called {other.name}{where}.")
            company.name = clean
            company.normalized_name = key
            company.updated_at = self._now()
            company.save()
            self._changed(Kind.COMPANY, company_id, Op.UPDATED)
            ids = Interview.select(Interview.id).where(Interview.company == company_id)
            self._mark(*searchmod.ids(ids))
            return self._company_row(company_id)

    def trash_company(self, company_id: int) -> None:
        """Move a company (and so its interviews) to the trash."""
        with self._write():
            company = self._get(Company, company_id, "company")
            if company.trashed_at is None:
                company.trashed_at = self._now()
                company.save()
                self._changed(Kind.COMPANY, company_id, Op.TRASHED)

    def restore_company(self, company_id: int) -> CompanyRow:
        """Bring a company back from the trash."""
        with self._write():
            company = self._get(Company, company_id, "company")
            if company.trashed_at is not None:
                company.trashed_at = None
                company.save()
                self._changed(Kind.COMPANY, company_id, Op.RESTORED)
            return self._company_row(company_id)

    def companies(self, *, trashed: bool = False) -> list[CompanyRow]:
        """Companies in the journal (or in the trash), sorted by name.

        One query whatever the journal's size (see ``_company_rows``).
        """
        rows = self._company_rows(Company.trashed_at.is_null(not trashed))
        return sorted(rows, key=lambda r: (normalize_name(r.name), r.id))

    def company(self, company_id: int) -> CompanyRow:
        """One company."""
        return self._company_row(company_id)

    def company_suggestions(self, text: str, limit: int = 8) -> list[CompanySuggestion]:
        """Known companies matching ``text`` (legal suffixes ignored), exact match first."""
        key = suggestion_key(text) if text.strip() else ""
        if not key:
            return []
        found: list[CompanySuggestion] = []
        for company in Company.select().where(Company.trashed_at.is_null()):
            candidate = suggestion_key(company.name)
            exact = candidate == key
            if not (exact or candidate.startswith(key)):
                continue
            live = Interview.select().where(
                (Interview.company == company.id) & Interview.trashed_at.is_null()
            )
            last = live.select(fn.MAX(Interview.date)).scalar()
            found.append(
                CompanySuggestion(company.id, company.name, live.count(), stored_date(last), exact)
            )
        found.sort(key=lambda s: (not s.exact, normalize_name(s.name)))
        return found[:limit]

    def _company_row(self, company_id: int) -> CompanyRow:
        rows = self._company_rows(Company.id == company_id)
        if not rows:
            raise NotFound("That company no longer exists.")
        return rows[0]

    def _company_rows(self, where: Any) -> list[CompanyRow]:
        """The companies ``where`` selects, with their counts, in one query returning tuples.

        Trashed interviews are not in the tree, so they are not in its counts either. Each
        company comes with its count of live interviews and, joined to it, those of its
        interviews that may be upcoming or due (``_maybe_pending``), which ``_status_of``
        sorts out. An interview's row holds its text, and reading a column stored after the
        text (``trashed_at``, ``reflected_at``) walks that text: so the count is taken in the
        company index, less the interviews found through the trash index, and only the few
        joined interviews have those columns read.
        """
        now = self.clock.now()
        live, gone = Interview.alias("live"), Interview.alias("gone")
        trashed = gone.select(gone.id).where(gone.trashed_at.is_null(False))
        count = live.select(fn.COUNT(live.id)).where(
            (live.company == Company.id) & live.id.not_in(trashed)
        )
        query = (
            Company.select(
                Company.id,
                Company.uuid,
                Company.name,
                Company.trashed_at,
                count,
                Interview.date,
                Interview.starts_at,
                Interview.duration_minutes,
            )
            .join(
                Interview,
                JOIN.LEFT_OUTER,
                on=(Interview.company == Company.id) & self._maybe_pending(now),
            )
            .where(where)
        )
        # The cursor's own tuples: Peewee's per-column conversion would cost more than the
        # query, and the stored text is read back by stored_date/stored_utc/_uuid_text.
        rows: Iterable[tuple[int, str, str, str | None, int, str | None, str | None, int | None]]
        rows = self._db.execute(query)
        found: dict[int, tuple[str, str, bool, int]] = {}
        upcoming: dict[int, int] = {}
        due: dict[int, int] = {}
        for company_id, uuid, name, trashed_at, total, on, starts_at, minutes in rows:
            if company_id not in found:
                found[company_id] = (_uuid_text(uuid), name, trashed_at is not None, total)
            if on is None or minutes is None:  # no interview joined
                continue
            status = self._status_of(None, starts_at, on, minutes, now)
            if status == "upcoming":
                upcoming[company_id] = upcoming.get(company_id, 0) + 1
            elif status == "due":
                due[company_id] = due.get(company_id, 0) + 1
        return [
            CompanyRow(
                id=company_id,
                uuid=uuid,
                name=name,
                interview_count=total,
                upcoming_count=upcoming.get(company_id, 0),
                due_count=due.get(company_id, 0),
                trashed=is_trashed,
            )
            for company_id, (uuid, name, is_trashed, total) in found.items()
        ]

    def _drop_stray(self, company_id: int, interview_id: int, carried: set[int]) -> None:
        """Undo a company that a move made for ``interview_id``, now that it has moved on.

        Only when nothing would be lost: the company holds no interview at all (trashed ones
        count) and each of its people was on the interview and so moved with it
        (``carried``); one the user added and took off again keeps the company. A company
        the move made is deleted; one it brought back from the trash goes back there. The
        record lasts as long as this Journal (one run of the app): a company made in an
        earlier session is the user's to keep or trash. The record only allows: whether
        anything would be lost is read from the journal, in this transaction.
        """
        made = self._made_for_move.pop(company_id, None)
        if made is None or made.interview_id != interview_id:
            if made is not None:
                self._made_for_move[company_id] = made
            return
        company = Company.get_or_none(Company.id == company_id)
        if company is None or str(company.uuid) != made.uuid:
            return  # not the company recorded (a rolled-back move, its id used again)
        if Interview.select().where(Interview.company == company_id).exists():
            return
        if made.trashed_at is not None:
            if company.trashed_at is None:
                company.trashed_at = made.trashed_at
                company.save()
                self._changed(Kind.COMPANY, company_id, Op.TRASHED)
            return
        people = {p.id for p in Person.select(Person.id).where(Person.company == company_id)}
        if not people <= carried:
            return
        Person.delete().where(Person.company == company_id).execute()
        Company.delete().where(Company.id == company_id).execute()
        self._changed(Kind.PERSON, people, Op.DELETED)
        self._changed(Kind.COMPANY, company_id, Op.DELETED)

    def merge_plan(self, source_id: int, target_id: int) -> MergePlan:
        """What ``merge_companies(source_id, target_id)`` would move (asked before merging)."""
        source = self._get(Company, source_id, "company")
        target = self._get(Company, target_id, "company")
        interviews = Interview.select().where(
            (Interview.company == source_id) & Interview.trashed_at.is_null()
        ).count()
        theirs = {p.normalized_name: p for p in Person.select().where(Person.company == target_id)}
        people = list(Person.select().where(Person.company == source_id))
        conflicts = tuple(
            (person.name, theirs[person.normalized_name].title, person.title)
            for person in people
            if person.normalized_name in theirs
            and person.title
            and theirs[person.normalized_name].title
            and person.title != theirs[person.normalized_name].title
        )
        return MergePlan(
            source_id, source.name, target_id, target.name, interviews, len(people), conflicts
        )

    def merge_companies(self, source_id: int, target_id: int) -> MergeRecord:
        """Move everything of ``source_id`` into ``target_id``, in one transaction, and put
        the source in the trash (so that it can come back: ``unmerge``).

        Every interview moves, trashed ones too, so nothing is stranded in the trashed
        source. An interviewer whose normalised name the target already knows becomes that
        person on every interview (each link kept, at its position); the target's title is
        kept unless it is empty (``merge_plan`` names the differing ones first). The source's
        own person row stays, linkless, in the trashed source, for ``unmerge``. The moved
        interviews are reindexed under the target's name.
        """
        from interview_journal.core import search as searchmod

        if source_id == target_id:
            raise InvalidInput("A company cannot be merged into itself.")
        with self._write():
            source = self._get(Company, source_id, "company")
            target = self._get(Company, target_id, "company")
            if target.trashed_at is not None:
                raise InvalidInput(f"{target.name} is in the trash; restore it first.")
            interview_ids = tuple(
                searchmod.ids(Interview.select(Interview.id).where(Interview.company == source_id))
            )
            theirs = {
                p.normalized_name: p for p in Person.select().where(Person.company == target_id)
            }
            moved: list[int] = []
            relinked: list[tuple[int, int, int, int, bool]] = []
            titles: list[tuple[int, str]] = []
            for person in list(Person.select().where(Person.company == source_id)):
                twin = theirs.get(person.normalized_name)
                if twin is None:
                    moved.append(person.id)
                    continue
                if person.title and not twin.title:
                    titles.append((twin.id, twin.title))
                    twin.title = person.title
                    twin.save()
                    self._mark_person(twin.id)
                for link in list(
                    InterviewPerson.select().where(InterviewPerson.person == person.id)
                ):
                    interview = link.interview_id
                    # Both on one interview (only in a journal edited by hand): one link.
                    added = not InterviewPerson.select().where(
                        (InterviewPerson.interview == interview)
                        & (InterviewPerson.person == twin.id)
                    ).exists()
                    this = (InterviewPerson.interview == interview) & (
                        InterviewPerson.person == person.id
                    )
                    if added:  # the link itself is kept, pointing at the twin
                        InterviewPerson.update(person=twin.id).where(this).execute()
                    else:
                        InterviewPerson.delete().where(this).execute()
                    relinked.append((interview, person.id, twin.id, link.position, added))
            if moved:
                Person.update(company=target_id).where(Person.id.in_(moved)).execute()
                self._changed(Kind.PERSON, moved, Op.MOVED)
            if interview_ids:
                # Their own updated_at stays: what was written in them did not change.
                Interview.update(company=target_id).where(
                    Interview.id.in_(interview_ids)
                ).execute()
            self._mark(*interview_ids)
            self._changed(Kind.INTERVIEW, interview_ids, Op.MOVED)
            self._changed(Kind.INTERVIEW, {link[0] for link in relinked}, Op.EDITED)
            was_trashed, was_updated = source.trashed_at, source.updated_at
            if was_trashed is None:
                source.trashed_at = self._now()
                self._changed(Kind.COMPANY, source_id, Op.TRASHED)
            else:  # already in the trash: it is emptied, which the Trash view shows
                self._changed(Kind.COMPANY, source_id, Op.UPDATED)
            source.updated_at = self._now()
            source.save()
            self._changed(Kind.COMPANY, target_id, Op.UPDATED)
            self._made_for_move.pop(source_id, None)
            return MergeRecord(
                source_id,
                target_id,
                was_trashed,
                was_updated,
                interview_ids,
                tuple(moved),
                tuple(relinked),
                tuple(titles),
            )

    def unmerge(self, record: MergeRecord) -> CompanyRow:
        """Undo ``merge_companies``: the source back as it was, with everything that moved.

        Interviews and people that are gone since (a later change) are skipped; everything
        else returns to exactly where it was, in one transaction.
        """
        from interview_journal.core import search as searchmod

        with self._write():
            source = self._get(Company, record.source_id, "company")
            clash = Company.get_or_none(
                (Company.normalized_name == source.normalized_name)
                & (Company.id != source.id)
            )
            if clash is not None:
                raise InvalidInput(f"There is already a company called {clash.name}.")
            back = searchmod.ids(
                Interview.select(Interview.id).where(
                    Interview.id.in_(record.interview_ids)
                    & (Interview.company == record.target_id)
                )
            )
            if back:
                Interview.update(company=record.source_id).where(Interview.id.in_(back)).execute()
                self._changed(Kind.INTERVIEW, back, Op.MOVED)
            if record.moved_people:
                Person.update(company=record.source_id).where(
                    Person.id.in_(record.moved_people) & (Person.company == record.target_id)
                ).execute()
                self._changed(Kind.PERSON, record.moved_people, Op.MOVED)
            for interview, source_person, target_person, position, added in record.relinked:
                if added:
                    InterviewPerson.update(person=source_person).where(
                        (InterviewPerson.interview == interview)
                        & (InterviewPerson.person == target_person)
                    ).execute()
                elif Interview.get_or_none(Interview.id == interview) is not None:
                    InterviewPerson.insert(
                        interview=interview, person=source_person, position=position
                    ).on_conflict_ignore().execute()
            self._changed(Kind.INTERVIEW, {link[0] for link in record.relinked}, Op.EDITED)
            for person_id, title in record.titles:
                Person.update(title=title).where(Person.id == person_id).execute()
                self._mark_person(person_id)
            if source.trashed_at is not None and record.source_trashed_at is None:
                self._changed(Kind.COMPANY, record.source_id, Op.RESTORED)
            elif source.trashed_at is None and record.source_trashed_at is not None:
                self._changed(Kind.COMPANY, record.source_id, Op.TRASHED)  # back where it was
            source.trashed_at = record.source_trashed_at
            source.updated_at = record.source_updated_at
            source.save()
            self._changed(Kind.COMPANY, (record.source_id, record.target_id), Op.UPDATED)
            self._mark(*record.interview_ids)
            return self._company_row(record.source_id)

    def other_company_named(self, company_id: int, name: str) -> CompanyRow | None:
        """The company other than ``company_id`` whose normalised name is ``name``'s, if any
        (renaming to it would make two of one company: the window offers a merge)."""
        key = normalize_name(_name(name, "Company name"))
        other = Company.get_or_none(
            (Company.normalized_name == key) & (Company.id != company_id)
        )
        return None if other is None else self._company_row(other.id)

    def exact_company(self, typed: str) -> CompanySuggestion | None:
        """The existing company ``typed`` means ("acme inc" is Acme), with its history."""
        return next((s for s in self.company_suggestions(typed, limit=3) if s.exact), None)

    def known_company_name(self, typed: str) -> str:
        """The existing company ``typed`` means ("acme inc" is Acme), else ``typed`` itself."""
        found = self.exact_company(typed)
        return found.name if found else typed

    def company_history(
        self, typed: str, *, excluding: int | None = None
    ) -> CompanySuggestion | None:
        """The existing company ``typed`` means ("acme inc" is Acme) and the user's history
        there, not counting the interview ``excluding`` (the one being edited: an interview
        is not one of its own earlier ones); None when ``typed`` names no known company.

        The count and the last date are the company's live interviews other than that one,
        so its own date is never the "last on" either. The company is the one
        ``exact_company`` finds.
        """
        found = self.exact_company(typed)
        if found is None or excluding is None:
            return found
        others = (Interview.company == found.company_id) & Interview.trashed_at.is_null()
        query = Interview.select(fn.COUNT(Interview.id), fn.MAX(Interview.date)).where(
            others & (Interview.id != excluding)
        )
        row: tuple[int, str | None] = self._db.execute(query).fetchone()
        count, last = row
        return replace(found, interview_count=count, last_date=stored_date(last))
