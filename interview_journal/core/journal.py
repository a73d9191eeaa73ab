"""The Journal service: the one door for every write, and the reads the screens need.

Every change runs in one transaction (``BEGIN IMMEDIATE``) and either happens whole or not
at all. Reads come back as small frozen dataclasses shaped for the screens, so no view ever
triggers a query while painting.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from peewee import JOIN, SqliteDatabase, fn

from interview_journal import paths
from interview_journal.core import db as dbmod
from interview_journal.core.clock import Clock, SystemClock
from interview_journal.core.errors import InvalidInput, NotFound
from interview_journal.core.models import (
    ActionItem,
    BaseModel,
    Company,
    Interview,
    InterviewPerson,
    InterviewTag,
    Person,
    Question,
    Setting,
    Tag,
    database_proxy,
)

log = logging.getLogger(__name__)

STAGES: tuple[tuple[str, str], ...] = (
    ("recruiter_screen", "Recruiter screen"),
    ("hiring_manager", "Hiring manager"),
    ("technical", "Technical"),
    ("system_design", "System design"),
    ("behavioural", "Behavioural"),
    ("take_home_review", "Take-home review"),
    ("onsite", "Onsite / loop"),
    ("final", "Final"),
    ("other", "Other"),
)
FORMATS: tuple[tuple[str, str], ...] = (
    ("phone", "Phone"),
    ("video", "Video"),
    ("on_site", "On-site"),
)
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("pending", "Pending"),
    ("advanced", "Advanced"),
    ("rejected", "Rejected"),
    ("offer", "Offer"),
    ("withdrew", "Withdrew"),
)
STAGE_LABELS = dict(STAGES)
FORMAT_LABELS = dict(FORMATS)
OUTCOME_LABELS = dict(OUTCOMES)

TEXT_SECTIONS: tuple[str, ...] = (
    "went_well",
    "went_poorly",
    "do_differently",
    "impressions",
    "notes",
)

MAX_NAME = 200
MAX_LINE = 1000
MAX_TEXT = 2_000_000
MIN_DURATION = 1
MAX_DURATION = 1440
DEFAULT_DURATION = 60
REFLECTION_DUE_DAYS = 7

# Ignored when suggesting "you have N earlier interviews here".
_SUFFIX_WORDS = """inc incorporated ltd limited llc llp lp plc corp corporation co company
gmbh ag kg sa sas sarl sl srl spa bv nv ab as asa oy oyj aps kk pty pvt pte ug se sro"""
LEGAL_SUFFIXES = frozenset(_SUFFIX_WORDS.split())

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[.,()&'\"]+")

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


# --------------------------------------------------------------------------- values


def normalize_name(name: str) -> str:
    """The identity of a name: NFKC, casefolded, inner spaces collapsed, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()


def suggestion_key(name: str) -> str:
    """The company name with punctuation and trailing legal suffixes (Inc, GmbH...) removed."""
    words = _PUNCT.sub(" ", normalize_name(name)).split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class CompanyRow:
    """A company as the tree shows it."""

    id: int
    uuid: str
    name: str
    interview_count: int
    upcoming_count: int
    due_count: int
    trashed: bool = False


@dataclass(frozen=True)
class CompanyResult:
    """What creating a company did: made it, found it, or brought it back from the trash."""

    company: CompanyRow
    created: bool
    restored: bool

    @property
    def message(self) -> str | None:
        if self.restored:
            return f"{self.company.name} was in the trash and has been restored."
        if not self.created:
            return f"{self.company.name} is already in the journal."
        return None


@dataclass(frozen=True)
class CompanySuggestion:
    """A known company matching what the user typed, with its history there."""

    company_id: int
    name: str
    interview_count: int
    last_date: date | None
    exact: bool

    @property
    def summary(self) -> str:
        """"You have 2 earlier interviews here, last on 3 March 2026"."""
        if self.interview_count == 0:
            return f"{self.name} is in the journal, with no interviews yet."
        noun = "interview" if self.interview_count == 1 else "interviews"
        text = f"You have {self.interview_count} earlier {noun} here"
        if self.last_date is not None:
            text += f", last on {self.last_date.day} {self.last_date:%B %Y}"
        return text + "."


@dataclass(frozen=True)
class InterviewRow:
    """An interview as the tree shows it: "date · stage · role" and a status."""

    id: int
    uuid: str
    company_id: int
    date: date | None
    starts_at: datetime | None
    stage: str
    role: str
    status: str  # "upcoming" | "due" | "reflected" | "past" | "undated"
    trashed: bool = False

    @property
    def label(self) -> str:
        parts = [self.date.isoformat() if self.date else "No date"]
        if self.stage:
            parts.append(STAGE_LABELS.get(self.stage, self.stage))
        parts.append(self.role or "Role not set")
        return " · ".join(parts)


@dataclass(frozen=True)
class PersonRow:
    """An interviewer."""

    id: int
    uuid: str
    company_id: int
    name: str
    title: str


@dataclass(frozen=True)
class QuestionRow:
    """One question asked, with the answer given and the one to give next time."""

    id: int
    uuid: str
    interview_id: int
    position: int
    question: str
    answer: str
    next_time: str
    practise: bool


@dataclass(frozen=True)
class ActionItemRow:
    """Something to practise, checkable."""

    id: int
    uuid: str
    interview_id: int
    position: int
    text: str
    done: bool


@dataclass(frozen=True)
class InterviewDoc:
    """Everything the editor shows for one interview."""

    id: int
    uuid: str
    company_id: int
    company_name: str
    role: str
    stage: str
    format: str
    date: date | None
    starts_at: datetime | None  # aware, UTC
    duration_minutes: int
    location: str
    outcome: str
    self_rating: int | None
    want_to_work_here: int | None
    went_well: str
    went_poorly: str
    do_differently: str
    impressions: str
    notes: str
    topics: tuple[str, ...]
    interviewers: tuple[PersonRow, ...]
    questions: tuple[QuestionRow, ...]
    action_items: tuple[ActionItemRow, ...]
    reflection_started_at: datetime | None
    reflected_at: datetime | None
    updated_at: datetime
    trashed: bool

    @property
    def ends_at(self) -> datetime | None:
        """When the interview ends, if its start time is known."""
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


# --------------------------------------------------------------------------- validation


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text.")
    if len(value) > limit:
        raise InvalidInput(
            f"{what} is too long ({len(value):,} characters; the limit is {limit:,})."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidInput(
            f"{what} contains characters that cannot be saved (an unpaired surrogate)."
        ) from error
    if "\x00" in value:
        raise InvalidInput(f"{what} contains a NUL character, which cannot be saved.")
    return value


def _name(value: object, what: str) -> str:
    text = _text(value, what, MAX_NAME * 4)
    cleaned = _SPACES.sub(" ", text).strip()
    if not cleaned:
        raise InvalidInput(f"{what} cannot be empty.")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"{what} is too long (the limit is {MAX_NAME} characters).")
    return cleaned


def _choice(
    value: object, what: str, choices: tuple[tuple[str, str], ...], *, allow_empty: bool = True
) -> str:
    keys = [key for key, _ in choices]
    if value == "" and allow_empty:
        return ""
    if value not in keys:
        raise InvalidInput(f"{what} must be one of: {', '.join(label for _, label in choices)}.")
    assert isinstance(value, str)
    return value


def _rating(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(f"{what} must be a whole number from 1 to 5, or left empty.")
    return value


def _duration(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("Duration must be a whole number of minutes.")
    if not MIN_DURATION <= value <= MAX_DURATION:
        raise InvalidInput(
            f"Duration must be between {MIN_DURATION} minute and {MAX_DURATION} minutes "
            "(one day)."
        )
    return value


def _utc_naive(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise InvalidInput("A time must say which time zone it is in.")
    return value.astimezone(UTC).replace(tzinfo=None)


def _aware(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # rows written before Peewee parsed them
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


# Fields of an interview that ``update_interview`` accepts, with their validators.
_FIELD_RULES: dict[str, Callable[[object], object]] = {
    "role": lambda v: _text(v, "Role", MAX_NAME).strip(),
    "location": lambda v: _text(v, "Location or link", MAX_LINE).strip(),
    "stage": lambda v: _choice(v, "Stage", STAGES),
    "format": lambda v: _choice(v, "Format", FORMATS),
    "outcome": lambda v: _choice(v, "Outcome", OUTCOMES, allow_empty=False),
    "self_rating": lambda v: _rating(v, "Self-rating"),
    "want_to_work_here": lambda v: _rating(v, '"Would I want to work here"'),
    "duration_minutes": _duration,
    **{
        section: (lambda label: lambda v: _text(v, label, MAX_TEXT))(
            section.replace("_", " ").capitalize()
        )
        for section in TEXT_SECTIONS
    },
}


# --------------------------------------------------------------------------- the service


class Journal:
    """The journal in one SQLite file: open it, read it, change it one transaction at a time."""

    def __init__(self, database: SqliteDatabase, folder: Path, clock: Clock) -> None:
        self._db = database
        self.folder = folder
        self.clock = clock

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    def open(
        cls,
        folder: Path,
        *,
        clock: Clock | None = None,
        busy_timeout_ms: int = dbmod.WORKER_BUSY_TIMEOUT_MS,
    ) -> Journal:
        """Open (creating if needed) the journal in ``folder`` and bring its schema up to date."""
        paths.ensure_private_dir(folder)
        database = dbmod.connect(paths.journal_path(folder), busy_timeout_ms)
        try:
            dbmod.migrate(database, paths.backups_dir(folder))
        except BaseException:
            database.close()
            raise
        database_proxy.initialize(database)
        paths.tighten(folder)
        return cls(database, folder, clock or SystemClock())

    @property
    def database(self) -> SqliteDatabase:
        return self._db

    @property
    def path(self) -> Path:
        return paths.journal_path(self.folder)

    def close(self) -> None:
        """Close the file cleanly (optimise, checkpoint)."""
        dbmod.close(self._db)
        if database_proxy.obj is self._db:
            database_proxy.initialize(None)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction for one change, with SQLite failures turned into StorageErrors."""
        with dbmod.storage_errors(), self._db.atomic("IMMEDIATE"):
            yield

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several changes into one transaction (the editor's autosave uses this)."""
        with self._write():
            yield

    def _now(self) -> datetime:
        return _utc_naive(self.clock.now())

    # ----------------------------------------------------------------- companies

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
                return CompanyResult(self._company_row(existing.id), False, restored)
            now = self._now()
            company = Company.create(
                name=clean, normalized_name=key, created_at=now, updated_at=now
            )
            return CompanyResult(self._company_row(company.id), True, False)

    def rename_company(self, company_id: int, name: str) -> CompanyRow:
        """Rename a company; the new name must not be another company's."""
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
            return self._company_row(company_id)

    def trash_company(self, company_id: int) -> None:
        """Move a company (and so its interviews) to the trash."""
        with self._write():
            company = self._get(Company, company_id, "company")
            if company.trashed_at is None:
                company.trashed_at = self._now()
                company.save()

    def restore_company(self, company_id: int) -> CompanyRow:
        """Bring a company back from the trash."""
        with self._write():
            company = self._get(Company, company_id, "company")
            company.trashed_at = None
            company.save()
            return self._company_row(company_id)

    def companies(self, *, trashed: bool = False) -> list[CompanyRow]:
        """Companies in the journal (or in the trash), sorted by name."""
        where = Company.trashed_at.is_null(not trashed)
        rows = [self._company_row_from(c) for c in Company.select().where(where)]
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
                CompanySuggestion(company.id, company.name, live.count(), _as_date(last), exact)
            )
        found.sort(key=lambda s: (not s.exact, normalize_name(s.name)))
        return found[:limit]

    def _company_row(self, company_id: int) -> CompanyRow:
        return self._company_row_from(self._get(Company, company_id, "company"))

    def _company_row_from(self, company: Company) -> CompanyRow:
        # Trashed interviews are not in the tree, so they are not in its counts either.
        rows = self._interview_rows(
            (Interview.company == company.id) & Interview.trashed_at.is_null()
        )
        return CompanyRow(
            id=company.id,
            uuid=str(company.uuid),
            name=company.name,
            interview_count=len(rows),
            upcoming_count=sum(r.status == "upcoming" for r in rows),
            due_count=sum(r.status == "due" for r in rows),
            trashed=company.trashed_at is not None,
        )

    # ----------------------------------------------------------------- interviews

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
            return self.interview(interview.id)

    def create_interview_for(self, company_name: str, **kwargs: Any) -> InterviewDoc:
        """Create (or find) the company by name and add an interview to it, in one go."""
        with self._write():
            company = self.create_company(company_name).company
            return self.create_interview(company.id, **kwargs)

    def update_interview(self, interview_id: int, **changes: object) -> InterviewDoc:
        """Change any header field or text section of an interview."""
        unknown = set(changes) - set(_FIELD_RULES)
        if unknown:
            raise InvalidInput(f"Unknown interview field: {', '.join(sorted(unknown))}.")
        clean = {name: _FIELD_RULES[name](value) for name, value in changes.items()}
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            for name, value in clean.items():
                setattr(interview, name, value)
            interview.updated_at = self._now()
            interview.save()
            return self.interview(interview_id)

    def set_schedule(
        self,
        interview_id: int,
        on: date | None,
        start: time | None = None,
        duration_minutes: int | None = None,
    ) -> InterviewDoc:
        """Set the local date, the local start time (optional) and the duration."""
        starts_at = None
        if on is not None and start is not None:
            zone = self.clock.local_zone()
            starts_at = datetime.combine(on, start).replace(tzinfo=zone)
        elif on is None and start is not None:
            raise InvalidInput("Pick a date before setting a start time.")
        schedule = self._schedule(on, starts_at)
        if duration_minutes is not None:
            schedule["duration_minutes"] = _duration(duration_minutes)
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            for name, value in schedule.items():
                setattr(interview, name, value)
            interview.updated_at = self._now()
            interview.save()
            return self.interview(interview_id)

    def _schedule(self, on: date | None, starts_at: datetime | None) -> dict[str, Any]:
        if starts_at is not None:
            utc = _utc_naive(starts_at)
            local = starts_at.astimezone(self.clock.local_zone()).date()
            return {"starts_at": utc, "date": local}
        return {"starts_at": None, "date": on}

    def move_interview(self, interview_id: int, company_name: str) -> InterviewDoc:
        """Put an interview under another company (made if new); its interviewers follow."""
        with self._write():
            target = self.create_company(company_name).company
            interview = self._get(Interview, interview_id, "interview")
            if interview.company_id == target.id:
                return self.interview(interview_id)
            links = list(
                InterviewPerson.select(InterviewPerson, Person)
                .join(Person)
                .where(InterviewPerson.interview == interview_id)
            )
            for link in links:
                person = self._person_in(target.id, link.person.name, link.person.title)
                link.delete_instance()
                InterviewPerson.create(
                    interview=interview_id, person=person, position=link.position
                )
            interview.company_id = target.id
            interview.updated_at = self._now()
            interview.save()
            return self.interview(interview_id)

    def trash_interview(self, interview_id: int) -> None:
        """Move an interview to the trash."""
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            if interview.trashed_at is None:
                interview.trashed_at = self._now()
                interview.save()

    def restore_interview(self, interview_id: int) -> InterviewDoc:
        """Bring an interview (and its company, if trashed) back from the trash."""
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            interview.trashed_at = None
            interview.save()
            Company.update(trashed_at=None).where(Company.id == interview.company_id).execute()
            return self.interview(interview_id)

    def mark_reflected(self, interview_id: int, done: bool = True) -> InterviewDoc:
        """Set (or clear) ``reflected_at``: "Mark reflection complete"."""
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            interview.reflected_at = self._now() if done else None
            interview.updated_at = self._now()
            interview.save()
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
                date=_as_date(row.date),
                starts_at=_aware(row.starts_at),
                stage=row.stage,
                role=row.role,
                status=self._status(row, now),
                trashed=row.trashed_at is not None,
            )
            for row in query
        ]

    def interview_end(self, starts_at: datetime | None, on: date | None, minutes: int) -> (
        datetime | None
    ):
        """When an interview ends: start plus duration, or the end of its local day."""
        if starts_at is not None:
            return starts_at + timedelta(minutes=minutes)
        if on is not None:
            zone = self.clock.local_zone()
            return datetime.combine(on + timedelta(days=1), time()).replace(tzinfo=zone)
        return None

    def _status(self, row: Interview, now: datetime) -> str:
        if row.reflected_at is not None:
            return "reflected"
        end = self.interview_end(_aware(row.starts_at), _as_date(row.date), row.duration_minutes)
        if end is None:
            return "undated"
        if end > now:
            return "upcoming"
        if now - end <= timedelta(days=REFLECTION_DUE_DAYS):
            return "due"
        return "past"

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
        topics = tuple(
            t.name
            for t in Tag.select(Tag.name)
            .join(InterviewTag)
            .where(InterviewTag.interview == interview_id)
            .order_by(InterviewTag.position)
        )
        return InterviewDoc(
            id=row.id,
            uuid=str(row.uuid),
            company_id=row.company.id,
            company_name=row.company.name,
            role=row.role,
            stage=row.stage,
            format=row.format,
            date=_as_date(row.date),
            starts_at=_aware(row.starts_at),
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
            reflection_started_at=_aware(row.reflection_started_at),
            reflected_at=_aware(row.reflected_at),
            updated_at=_aware(row.updated_at) or self.clock.now(),
            trashed=row.trashed_at is not None or row.company.trashed_at is not None,
        )

    # ----------------------------------------------------------------- questions

    def questions(self, interview_id: int) -> list[QuestionRow]:
        """An interview's questions in order."""
        query = Question.select().where(Question.interview == interview_id)
        return [_question_row(q) for q in query.order_by(Question.position)]

    def add_question(
        self,
        interview_id: int,
        question: str = "",
        answer: str = "",
        next_time: str = "",
        practise: bool = False,
        *,
        index: int | None = None,
    ) -> QuestionRow:
        """Add a question at ``index`` (default: the end)."""
        fields = _question_fields(question=question, answer=answer, next_time=next_time)
        with self._write():
            self._touch(interview_id)
            position = self._open_slot(Question, interview_id, index)
            row = Question.create(
                interview=interview_id, position=position, practise=bool(practise), **fields
            )
            return _question_row(row)

    def update_question(self, question_id: int, **changes: object) -> QuestionRow:
        """Change a question's text, answer, "next time" or practise flag."""
        practise = changes.pop("practise", None)
        fields = _question_fields(**changes)
        with self._write():
            row = self._get(Question, question_id, "question")
            for name, value in fields.items():
                setattr(row, name, value)
            if practise is not None:
                row.practise = bool(practise)
            row.save()
            self._touch(row.interview_id)
            return _question_row(row)

    def move_question(self, question_id: int, index: int) -> list[QuestionRow]:
        """Move a question to ``index``; returns the new order."""
        with self._write():
            row = self._get(Question, question_id, "question")
            self._reorder(Question, row.interview_id, question_id, index)
            self._touch(row.interview_id)
            return self.questions(row.interview_id)

    def delete_question(self, question_id: int) -> QuestionRow:
        """Delete a question; the returned row can be given to ``restore_question``."""
        with self._write():
            row = self._get(Question, question_id, "question")
            snapshot = _question_row(row)
            row.delete_instance()
            self._close_gap(Question, row.interview_id)
            self._touch(row.interview_id)
            return snapshot

    def restore_question(self, snapshot: QuestionRow) -> QuestionRow:
        """Undo a deletion: put the question back where it was."""
        with self._write():
            self._touch(snapshot.interview_id)
            position = self._open_slot(Question, snapshot.interview_id, snapshot.position)
            row = Question.create(
                uuid=snapshot.uuid,
                interview=snapshot.interview_id,
                position=position,
                question=snapshot.question,
                answer=snapshot.answer,
                next_time=snapshot.next_time,
                practise=snapshot.practise,
            )
            return _question_row(row)

    # ----------------------------------------------------------------- action items

    def action_items(self, interview_id: int) -> list[ActionItemRow]:
        """An interview's action items in order."""
        query = ActionItem.select().where(ActionItem.interview == interview_id)
        return [_action_row(a) for a in query.order_by(ActionItem.position)]

    def add_action_item(
        self, interview_id: int, text: str = "", done: bool = False, *, index: int | None = None
    ) -> ActionItemRow:
        """Add an action item at ``index`` (default: the end)."""
        clean = _text(text, "Action item", MAX_TEXT)
        with self._write():
            self._touch(interview_id)
            position = self._open_slot(ActionItem, interview_id, index)
            row = ActionItem.create(
                interview=interview_id,
                position=position,
                text=clean,
                done=bool(done),
                done_at=self._now() if done else None,
            )
            return _action_row(row)

    def update_action_item(
        self, item_id: int, *, text: str | None = None, done: bool | None = None
    ) -> ActionItemRow:
        """Change an action item's text or tick it off."""
        clean = None if text is None else _text(text, "Action item", MAX_TEXT)
        with self._write():
            row = self._get(ActionItem, item_id, "action item")
            if clean is not None:
                row.text = clean
            if done is not None and bool(done) != row.done:
                row.done = bool(done)
                row.done_at = self._now() if done else None
            row.save()
            self._touch(row.interview_id)
            return _action_row(row)

    def move_action_item(self, item_id: int, index: int) -> list[ActionItemRow]:
        """Move an action item to ``index``; returns the new order."""
        with self._write():
            row = self._get(ActionItem, item_id, "action item")
            self._reorder(ActionItem, row.interview_id, item_id, index)
            self._touch(row.interview_id)
            return self.action_items(row.interview_id)

    def delete_action_item(self, item_id: int) -> ActionItemRow:
        """Delete an action item; the returned row can be given to ``restore_action_item``."""
        with self._write():
            row = self._get(ActionItem, item_id, "action item")
            snapshot = _action_row(row)
            row.delete_instance()
            self._close_gap(ActionItem, row.interview_id)
            self._touch(row.interview_id)
            return snapshot

    def restore_action_item(self, snapshot: ActionItemRow) -> ActionItemRow:
        """Undo a deletion: put the action item back where it was."""
        with self._write():
            self._touch(snapshot.interview_id)
            position = self._open_slot(ActionItem, snapshot.interview_id, snapshot.position)
            row = ActionItem.create(
                uuid=snapshot.uuid,
                interview=snapshot.interview_id,
                position=position,
                text=snapshot.text,
                done=snapshot.done,
                done_at=self._now() if snapshot.done else None,
            )
            return _action_row(row)

    # ----------------------------------------------------------------- topics

    def topic_names(self) -> list[str]:
        """Every topic ever used, most used first (for completion)."""
        query = (
            Tag.select(Tag.name, fn.COUNT(InterviewTag.interview).alias("uses"))
            .join(InterviewTag, JOIN.LEFT_OUTER)
            .group_by(Tag.id)
            .order_by(fn.COUNT(InterviewTag.interview).desc(), Tag.normalized_name)
        )
        return [t.name for t in query]

    def set_topics(self, interview_id: int, names: Sequence[str]) -> tuple[str, ...]:
        """Replace an interview's topics with ``names``, in that order (duplicates dropped)."""
        cleaned: dict[str, str] = {}
        for name in names:
            clean = _name(name, "Topic")
            cleaned.setdefault(normalize_name(clean), clean)
        with self._write():
            self._touch(interview_id)
            InterviewTag.delete().where(InterviewTag.interview == interview_id).execute()
            for position, (key, clean) in enumerate(cleaned.items()):
                tag = Tag.get_or_none(Tag.normalized_name == key)
                if tag is None:
                    tag = Tag.create(name=clean, normalized_name=key)
                InterviewTag.create(interview=interview_id, tag=tag, position=position)
            return self.interview(interview_id).topics

    def add_topic(self, interview_id: int, name: str) -> tuple[str, ...]:
        """Add a topic at the end (no-op if the interview already has it)."""
        current = list(self._topics(interview_id))
        return self.set_topics(interview_id, [*current, name])

    def remove_topic(self, interview_id: int, name: str) -> tuple[str, ...]:
        """Remove a topic from an interview (the topic stays known for completion)."""
        key = normalize_name(name)
        current = [t for t in self._topics(interview_id) if normalize_name(t) != key]
        return self.set_topics(interview_id, current)

    def move_topic(self, interview_id: int, name: str, index: int) -> tuple[str, ...]:
        """Move a topic to ``index`` within the interview."""
        current = list(self._topics(interview_id))
        key = normalize_name(name)
        found = [t for t in current if normalize_name(t) == key]
        if not found:
            raise NotFound(f"This interview has no topic {name!r}.")
        current.remove(found[0])
        current.insert(max(0, min(index, len(current))), found[0])
        return self.set_topics(interview_id, current)

    def _topics(self, interview_id: int) -> tuple[str, ...]:
        self._get(Interview, interview_id, "interview")
        return self.interview(interview_id).topics

    # ----------------------------------------------------------------- interviewers

    def interviewers(self, interview_id: int) -> list[PersonRow]:
        """The people who interviewed, in order."""
        query = (
            Person.select()
            .join(InterviewPerson)
            .where(InterviewPerson.interview == interview_id)
            .order_by(InterviewPerson.position)
        )
        return [_person_row(p) for p in query]

    def people(self, company_id: int) -> list[PersonRow]:
        """Everyone met at a company (for completion), by name."""
        query = Person.select().where(Person.company == company_id)
        return [_person_row(p) for p in query.order_by(Person.normalized_name)]

    def add_interviewer(self, interview_id: int, name: str, title: str = "") -> PersonRow:
        """Add an interviewer, reusing the company's person of that name (title updated)."""
        clean = _name(name, "Interviewer's name")
        clean_title = _text(title, "Title", MAX_NAME).strip()
        with self._write():
            interview = self._touch(interview_id)
            person = self._person_in(interview.company_id, clean, clean_title)
            linked = InterviewPerson.get_or_none(
                (InterviewPerson.interview == interview_id) & (InterviewPerson.person == person)
            )
            if linked is None:
                position = self._next_position(InterviewPerson, interview_id)
                InterviewPerson.create(interview=interview_id, person=person, position=position)
            return _person_row(person)

    def update_person(
        self, person_id: int, *, name: str | None = None, title: str | None = None
    ) -> PersonRow:
        """Rename an interviewer or change their title (everywhere they appear)."""
        clean = None if name is None else _name(name, "Interviewer's name")
        clean_title = None if title is None else _text(title, "Title", MAX_NAME).strip()
        with self._write():
            person = self._get(Person, person_id, "interviewer")
            if clean is not None:
                key = normalize_name(clean)
                clash = Person.get_or_none(
                    (Person.company == person.company_id)
                    & (Person.normalized_name == key)
                    & (Person.id != person_id)
                )
                if clash is not None:
                    raise InvalidInput(f"{clash.name} is already an interviewer at this company.")
                person.name, person.normalized_name = clean, key
            if clean_title is not None:
                person.title = clean_title
            person.save()
            return _person_row(person)

    def remove_interviewer(self, interview_id: int, person_id: int) -> None:
        """Take an interviewer off an interview (the person stays known for the company)."""
        with self._write():
            self._touch(interview_id)
            InterviewPerson.delete().where(
                (InterviewPerson.interview == interview_id) & (InterviewPerson.person == person_id)
            ).execute()
            self._close_gap(InterviewPerson, interview_id)

    def move_interviewer(self, interview_id: int, person_id: int, index: int) -> list[PersonRow]:
        """Move an interviewer to ``index`` in the interview's list."""
        with self._write():
            self._touch(interview_id)
            links = list(
                InterviewPerson.select()
                .where(InterviewPerson.interview == interview_id)
                .order_by(InterviewPerson.position)
            )
            ids = [link.person_id for link in links]
            if person_id not in ids:
                raise NotFound("That interviewer is not on this interview.")
            ids.remove(person_id)
            ids.insert(max(0, min(index, len(ids))), person_id)
            for position, pid in enumerate(ids):
                InterviewPerson.update(position=position).where(
                    (InterviewPerson.interview == interview_id) & (InterviewPerson.person == pid)
                ).execute()
            return self.interviewers(interview_id)

    def _person_in(self, company_id: int, name: str, title: str) -> Person:
        key = normalize_name(name)
        person = Person.get_or_none(
            (Person.company == company_id) & (Person.normalized_name == key)
        )
        if person is None:
            return Person.create(company=company_id, name=name, normalized_name=key, title=title)
        if title and title != person.title:
            person.title = title
            person.save()
        return person

    # ----------------------------------------------------------------- settings

    def setting(self, key: str, default: T) -> T | Any:
        """A stored preference, or ``default``."""
        row = Setting.get_or_none(Setting.key == key)
        return default if row is None else json.loads(row.value)

    def settings(self) -> dict[str, Any]:
        """Every stored preference."""
        return {row.key: json.loads(row.value) for row in Setting.select()}

    def set_setting(self, key: str, value: object) -> None:
        """Store a preference (any JSON value)."""
        if not _text(key, "Setting name", MAX_NAME).strip():
            raise InvalidInput("Setting name cannot be empty.")
        try:
            encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as error:  # NaN, infinity, objects JSON cannot hold
            raise InvalidInput(
                f"Setting {key} must be plain JSON (text, a finite number, true/false, null, "
                "or lists and mappings of those)."
            ) from error
        _text(encoded, f"Setting {key}", MAX_TEXT)  # lone surrogates survive json.dumps
        with self._write():
            Setting.insert(key=key, value=encoded).on_conflict_replace().execute()

    def set_settings(self, values: Mapping[str, object]) -> None:
        """Store several preferences in one transaction."""
        with self._write():
            for key, value in values.items():
                self.set_setting(key, value)

    # ----------------------------------------------------------------- helpers

    def _get(self, model: type[M], row_id: int, what: str) -> M:
        row = model.get_or_none(model.id == row_id)
        if row is None:
            raise NotFound(f"That {what} no longer exists.")
        return row

    def _touch(self, interview_id: int) -> Interview:
        interview = self._get(Interview, interview_id, "interview")
        Interview.update(updated_at=self._now()).where(Interview.id == interview_id).execute()
        return interview

    @staticmethod
    def _siblings(model: Any, interview_id: int) -> list[Any]:
        return list(model.select().where(model.interview == interview_id).order_by(model.position))

    def _next_position(self, model: Any, interview_id: int) -> int:
        top = model.select(fn.MAX(model.position)).where(model.interview == interview_id).scalar()
        return 0 if top is None else int(top) + 1

    def _open_slot(self, model: Any, interview_id: int, index: int | None) -> int:
        """Make room at ``index`` among an interview's ordered rows; returns the position."""
        siblings = self._siblings(model, interview_id)
        if index is None or index >= len(siblings):
            return len(siblings)
        index = max(0, index)
        for position, row in enumerate(siblings):
            wanted = position if position < index else position + 1
            if row.position != wanted:
                model.update(position=wanted).where(model.id == row.id).execute()
        return index

    def _reorder(self, model: Any, interview_id: int, row_id: int, index: int) -> None:
        ids = [row.id for row in self._siblings(model, interview_id)]
        ids.remove(row_id)
        ids.insert(max(0, min(index, len(ids))), row_id)
        for position, rid in enumerate(ids):
            model.update(position=position).where(model.id == rid).execute()

    def _close_gap(self, model: Any, interview_id: int) -> None:
        for position, row in enumerate(self._siblings(model, interview_id)):
            if row.position != position:
                if model is InterviewPerson:
                    model.update(position=position).where(
                        (model.interview == interview_id) & (model.person == row.person_id)
                    ).execute()
                else:
                    model.update(position=position).where(model.id == row.id).execute()


def _question_fields(**changes: object) -> dict[str, str]:
    labels = {"question": "Question", "answer": "Answer", "next_time": "How I'd answer next time"}
    unknown = set(changes) - set(labels)
    if unknown:
        raise InvalidInput(f"Unknown question field: {', '.join(sorted(unknown))}.")
    return {name: _text(value, labels[name], MAX_TEXT) for name, value in changes.items()}


def _question_row(row: Question) -> QuestionRow:
    return QuestionRow(
        id=row.id,
        uuid=str(row.uuid),
        interview_id=row.interview_id,
        position=row.position,
        question=row.question,
        answer=row.answer,
        next_time=row.next_time,
        practise=bool(row.practise),
    )


def _action_row(row: ActionItem) -> ActionItemRow:
    return ActionItemRow(
        id=row.id,
        uuid=str(row.uuid),
        interview_id=row.interview_id,
        position=row.position,
        text=row.text,
        done=bool(row.done),
    )


def _person_row(row: Person) -> PersonRow:
    return PersonRow(
        id=row.id, uuid=str(row.uuid), company_id=row.company_id, name=row.name, title=row.title
    )


__all__ = [
    "FORMATS",
    "OUTCOMES",
    "STAGES",
    "TEXT_SECTIONS",
    "ActionItemRow",
    "CompanyResult",
    "CompanyRow",
    "CompanySuggestion",
    "InterviewDoc",
    "InterviewRow",
    "Journal",
    "PersonRow",
    "QuestionRow",
    "normalize_name",
    "suggestion_key",
]
