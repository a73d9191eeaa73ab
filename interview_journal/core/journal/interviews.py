"""Interviews: create, change, schedule, move between companies, trash, mark reflected,
and the reads the tree, smart groups and editor need.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any, cast

from interview_journal.core.changes import Kind, Op
from interview_journal.core.clock import stored_date, stored_utc
from interview_journal.core.domain import (
    TEXT_SECTIONS,
)
from interview_journal.core.errors import InvalidInput, NotFound
from interview_journal.core.journal.base import _MadeForMove
from interview_journal.core.journal.companies import _Companies
from interview_journal.core.journal.rules import (
    _FIELD_RULES,
    _LISTED_FIELDS,
    _SEARCHABLE_FIELDS,
    _duration,
    _name,
    _utc_naive,
)
from interview_journal.core.journal.values import (
    DEFAULT_DURATION,
    AgendaRow,
    Edits,
    InterviewDoc,
    InterviewRow,
    SavedEdits,
    _unreflected_status,
    normalize_name,
)
from interview_journal.core.models import Company, Interview, InterviewPerson, Person


def _interview_fields(changes: Mapping[str, object]) -> dict[str, object]:
    """The header fields and text sections in ``changes``, each checked (InvalidInput)."""
    unknown = set(changes) - set(_FIELD_RULES)
    if unknown:
        raise InvalidInput(f"Unknown interview field: {', '.join(sorted(unknown))}.")
    return {name: _FIELD_RULES[name](value) for name, value in changes.items()}


class _Interviews(_Companies):
    """Interviews and their reads."""

    def create_interview(
        self,
        company_id: int,
        *,
        role: str = "",
        stage: str = "",
        on: date | None = None,
        starts_at: datetime | None = None,
        duration_minutes: int = DEFAULT_DURATION,
    ) -> InterviewDoc:
        """Add an interview to a company; the date (and time) can come later."""
        changes = {
            "role": _FIELD_RULES["role"](role),
            "stage": _FIELD_RULES["stage"](stage),
            "duration_minutes": _duration(duration_minutes),
        }
        schedule = self._schedule(on, starts_at)
        with self._write():
            company = self._get(Company, company_id, "company")
            if company.trashed_at is not None:
                raise InvalidInput(f"{company.name} is in the trash; restore it first.")
            now = self._now()
            interview = Interview.create(
                company=company, created_at=now, updated_at=now, **changes, **schedule
            )
            self._mark(interview.id)
            self._changed(Kind.INTERVIEW, interview.id, Op.CREATED)
            self._changed(Kind.COMPANY, company_id, Op.UPDATED)
            return self.interview(interview.id)

    def create_interview_for(self, company_name: str, **kwargs: Any) -> InterviewDoc:
        """Create (or find) the company by name and add an interview to it, in one go."""
        with self._write():
            company = self.create_company(company_name).company
            return self.create_interview(company.id, **kwargs)

    def update_interview(self, interview_id: int, **changes: object) -> InterviewDoc:
        """Change any header field or text section of an interview."""
        clean = _interview_fields(changes)
        with self._write():
            self._set_fields(interview_id, clean)
            return self.interview(interview_id)

    def set_schedule(
        self,
        interview_id: int,
        on: date | None,
        start: time | None = None,
        duration_minutes: int | None = None,
    ) -> InterviewDoc:
        """Set the local date, the local start time (optional) and the duration."""
        schedule = self._schedule_fields(on, start, duration_minutes)
        with self._write():
            self._set_fields(interview_id, schedule)
            return self.interview(interview_id)

    def save_edits(self, interview_id: int, edits: Edits) -> SavedEdits:
        """Write what the editor gathered for one interview, in one short transaction.

        The company box's text means the company it names ("acme inc" is Acme): the
        interview moves there (made if new, ``move_interview``). Fields, the schedule,
        questions and action items are written without reading the interview back; it is
        read once at the end only when something shown outside the text changed (the
        header, the schedule, the company), for the editor's title and the window's actions.
        """
        clean = _interview_fields(edits.fields)
        schedule = None if edits.schedule is None else self._schedule_fields(*edits.schedule)
        with self._write():
            moved_from = None
            if edits.company is not None:
                moved_from = self._move(interview_id, self.known_company_name(edits.company))
            if clean or schedule:
                self._set_fields(interview_id, {**clean, **(schedule or {})})
            for question_id, changes in edits.questions.items():
                self.update_question(question_id, **changes)
            for item_id, (text, done) in edits.action_items.items():
                self.update_action_item(item_id, text=text, done=done)
            shown = moved_from is not None or schedule is not None or bool(
                set(clean) - set(TEXT_SECTIONS)
            )
            return SavedEdits(moved_from, self.interview(interview_id) if shown else None)

    def _set_fields(self, interview_id: int, fields: dict[str, object]) -> None:
        """Write checked fields (and ``updated_at``) with one UPDATE, reading nothing back."""
        written = (
            Interview.update(**fields, updated_at=self._now())
            .where(Interview.id == interview_id)
            .execute()
        )
        if not written:
            raise NotFound("That interview no longer exists.")
        if _SEARCHABLE_FIELDS.intersection(fields):
            self._mark(interview_id)
        listed = _LISTED_FIELDS.intersection(fields)
        self._changed(Kind.INTERVIEW, interview_id, Op.UPDATED if listed else Op.EDITED)

    def _schedule_fields(
        self, on: date | None, start: time | None, duration_minutes: int | None
    ) -> dict[str, Any]:
        starts_at = None
        if on is not None and start is not None:
            zone = self.clock.local_zone()
            starts_at = datetime.combine(on, start).replace(tzinfo=zone)
        elif on is None and start is not None:
            raise InvalidInput("Pick a date before setting a start time.")
        schedule = self._schedule(on, starts_at)
        if duration_minutes is not None:
            schedule["duration_minutes"] = _duration(duration_minutes)
        return schedule

    def _schedule(self, on: date | None, starts_at: datetime | None) -> dict[str, Any]:
        if starts_at is not None:
            utc = _utc_naive(starts_at)
            local = starts_at.astimezone(self.clock.local_zone()).date()
            return {"starts_at": utc, "date": local}
        return {"starts_at": None, "date": on}

    def move_interview(self, interview_id: int, company_name: str) -> InterviewDoc:
        """Put an interview under another company (made if new); its interviewers follow.

        No stray companies: typing "Glo" into the header, leaving the box and correcting it
        to "Globex" moves the interview twice, and the "Glo" the first move made must not
        stay behind. So a company this journal made (or brought back from the trash) for
        this very interview, in this session, is undone when the interview moves away
        again, as long as undoing it loses nothing (``_drop_stray``).
        """
        with self._write():
            self._move(interview_id, company_name)
            return self.interview(interview_id)

    def _move(self, interview_id: int, company_name: str) -> int | None:
        """``move_interview`` without the read back; the company it left, if it moved."""
        trashed = Company.get_or_none(
            (Company.normalized_name == normalize_name(_name(company_name, "Company name")))
            & Company.trashed_at.is_null(False)
        )
        result = self.create_company(company_name)
        target = result.company
        source_id = self.company_id_of(interview_id)
        if source_id == target.id:
            return None
        if result.created or result.restored:
            self._made_for_move[target.id] = _MadeForMove(
                interview_id, target.uuid, None if trashed is None else trashed.trashed_at
            )
        links = list(
            InterviewPerson.select(InterviewPerson, Person)
            .join(Person)
            .where(InterviewPerson.interview == interview_id)
        )
        for link in links:
            person = self._person_in(target.id, link.person.name, link.person.title)
            link.delete_instance()
            InterviewPerson.create(interview=interview_id, person=person, position=link.position)
        Interview.update(company=target.id, updated_at=self._now()).where(
            Interview.id == interview_id
        ).execute()
        self._mark(interview_id)
        self._changed(Kind.INTERVIEW, interview_id, Op.MOVED)
        self._changed(Kind.COMPANY, (source_id, target.id), Op.UPDATED)
        self._drop_stray(source_id, interview_id, {link.person_id for link in links})
        return source_id

    def trash_interview(self, interview_id: int) -> None:
        """Move an interview to the trash."""
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            if interview.trashed_at is None:
                interview.trashed_at = self._now()
                interview.save()
                self._changed(Kind.INTERVIEW, interview_id, Op.TRASHED)
                self._changed(Kind.COMPANY, interview.company_id, Op.UPDATED)

    def restore_interview(self, interview_id: int) -> InterviewDoc:
        """Bring an interview (and its company, if trashed) back from the trash."""
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            if interview.trashed_at is not None:
                interview.trashed_at = None
                interview.save()
                self._changed(Kind.INTERVIEW, interview_id, Op.RESTORED)
            restored = (
                Company.update(trashed_at=None)
                .where((Company.id == interview.company_id) & Company.trashed_at.is_null(False))
                .execute()
            )
            op = Op.RESTORED if restored else Op.UPDATED
            self._changed(Kind.COMPANY, interview.company_id, op)
            return self.interview(interview_id)

    def can_mark_reflected(self, doc: InterviewDoc) -> bool:
        """Whether "Mark reflection complete" means something for ``doc``: it is not marked
        yet and has begun (or has no date to say when)."""
        if doc.reflected_at is not None:
            return False
        now = self.clock.now()
        if doc.starts_at is not None:
            return doc.starts_at <= now
        if doc.date is not None:
            return doc.date <= now.astimezone(self.clock.local_zone()).date()
        return True

    def mark_reflected(self, interview_id: int, done: bool = True) -> InterviewDoc:
        """Set (or clear) ``reflected_at``: "Mark reflection complete"."""
        with self._write():
            self._set_fields(interview_id, {"reflected_at": self._now() if done else None})
            return self.interview(interview_id)

    def interviews(self, company_id: int, *, trashed: bool = False) -> list[InterviewRow]:
        """A company's interviews for the tree, newest first."""
        return self._interview_rows(
            (Interview.company == company_id) & Interview.trashed_at.is_null(not trashed)
        )

    def _interview_rows(self, where: Any) -> list[InterviewRow]:
        query = (
            Interview.select(
                Interview.id,
                Interview.uuid,
                Interview.company,
                Interview.date,
                Interview.starts_at,
                Interview.duration_minutes,
                Interview.stage,
                Interview.role,
                Interview.reflected_at,
                Interview.trashed_at,
            )
            .where(where)
            .order_by(
                Interview.date.desc(nulls="first"),
                Interview.starts_at.desc(nulls="last"),
                Interview.id.desc(),
            )
        )
        now = self.clock.now()
        return [
            InterviewRow(
                id=row.id,
                uuid=str(row.uuid),
                company_id=row.company_id,
                date=stored_date(row.date),
                starts_at=stored_utc(row.starts_at),
                stage=row.stage,
                role=row.role,
                status=self._status(row, now),
                trashed=row.trashed_at is not None,
            )
            for row in query
        ]

    def upcoming_and_due(self) -> list[AgendaRow]:
        """The interviews that are upcoming or due now, by id: what the smart groups list.

        One query returning tuples. Interviews in the trash, or of a company in the trash,
        are left out.
        """
        now = self.clock.now()
        query = (
            Interview.select(
                Interview.id,
                Interview.company,
                Company.name,
                Interview.date,
                Interview.starts_at,
                Interview.duration_minutes,
                Interview.stage,
                Interview.role,
            )
            .join(Company)
            .where(self._maybe_pending(now) & Company.trashed_at.is_null())
            .order_by(Interview.id)
            .tuples()
        )
        rows = cast(  # peewee's stubs miss .tuples()
            Iterable[tuple[int, int, str, date | str | None, datetime | str | None, int, str, str]],
            query,
        )
        found: list[AgendaRow] = []
        for interview_id, company_id, company, on, starts_at, minutes, stage, role in rows:
            day, start = stored_date(on), stored_utc(starts_at)
            end = self.interview_end(start, day, minutes)
            status = _unreflected_status(end, now)
            if day is None or end is None or status not in ("upcoming", "due"):
                continue
            found.append(
                AgendaRow(
                    id=interview_id,
                    company_id=company_id,
                    company_name=company,
                    date=day,
                    starts_at=start,
                    ends_at=end,
                    stage=stage,
                    role=role,
                    status=status,
                )
            )
        return found

    def interview(self, interview_id: int) -> InterviewDoc:
        """The whole document the editor shows for one interview."""
        row = (
            Interview.select(Interview, Company)
            .join(Company)
            .where(Interview.id == interview_id)
            .get_or_none()
        )
        if row is None:
            raise NotFound("That interview no longer exists.")
        topics = self._topic_names_of(interview_id)
        return InterviewDoc(
            id=row.id,
            uuid=str(row.uuid),
            company_id=row.company.id,
            company_name=row.company.name,
            role=row.role,
            stage=row.stage,
            format=row.format,
            date=stored_date(row.date),
            starts_at=stored_utc(row.starts_at),
            duration_minutes=row.duration_minutes,
            location=row.location,
            outcome=row.outcome,
            self_rating=row.self_rating,
            want_to_work_here=row.want_to_work_here,
            went_well=row.went_well,
            went_poorly=row.went_poorly,
            do_differently=row.do_differently,
            impressions=row.impressions,
            notes=row.notes,
            topics=topics,
            interviewers=tuple(self.interviewers(interview_id)),
            questions=tuple(self.questions(interview_id)),
            action_items=tuple(self.action_items(interview_id)),
            reflection_started_at=stored_utc(row.reflection_started_at),
            reflected_at=stored_utc(row.reflected_at),
            updated_at=stored_utc(row.updated_at) or self.clock.now(),
            trashed=row.trashed_at is not None or row.company.trashed_at is not None,
        )
