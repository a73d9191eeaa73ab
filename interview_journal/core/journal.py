"""The Journal service: the one door for every write, and the reads the screens need.

Every change runs in one transaction (``BEGIN IMMEDIATE``) and either happens whole or not
at all. Reads come back as small frozen dataclasses shaped for the screens, so no view ever
triggers a query while painting.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import unicodedata
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import peewee
from peewee import JOIN, SqliteDatabase, fn

import interview_journal.core.paths as paths
from interview_journal.core import db as dbmod
from interview_journal.core.clock import Clock, SystemClock, stored_date, stored_utc
from interview_journal.core.domain import REFLECTION_DUE_DAYS
from interview_journal.core.errors import (
    InvalidInput,
    LeftoverLog,
    NotFound,
    StorageError,
    WritesHeld,
)
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
    TimerSessionRow,
    database_proxy,
)

if TYPE_CHECKING:
    # Imported where first used: the search and timer code is not needed to show the window.
    from interview_journal.core import search as searchmod
    from interview_journal.core.timers import ScheduledInterview, TimerSession, TimerSettings

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
TIMER_SETTINGS_KEY = "timers"
BREAK_SUGGESTIONS_KEY = "break_suggestions"

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


Day = date
"""A calendar day (an alias: the rows below have a field named ``date``)."""

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
        return _interview_label(self.date, self.stage, self.role)

    def label_in(self, show_day: Callable[[Day], str]) -> str:
        """The label with the day written by ``show_day`` (the UI's locale format)."""
        return _interview_label(self.date, self.stage, self.role, show_day)


@dataclass(frozen=True)
class AgendaRow:
    """An interview that is upcoming or waiting for its reflection, as the smart groups show it.

    ``status`` is "upcoming" (not ended yet, so an interview in progress too) or "due" (ended
    within ``REFLECTION_DUE_DAYS``, not reflected).
    """

    id: int
    company_id: int
    company_name: str
    date: date
    starts_at: datetime | None  # aware, UTC; None when only the date is known
    ends_at: datetime  # the start plus the duration, or the end of its local day
    stage: str
    role: str
    status: str

    @property
    def label(self) -> str:
        """The tree's "date · stage · role"."""
        return _interview_label(self.date, self.stage, self.role)

    def label_in(self, show_day: Callable[[Day], str]) -> str:
        """The label with the day written by ``show_day`` (the UI's locale format)."""
        return _interview_label(self.date, self.stage, self.role, show_day)


def _interview_label(
    on: date | None, stage: str, role: str, show_day: Callable[[date], str] = date.isoformat
) -> str:
    """An interview as the tree names it: "date · stage · role"."""
    parts = [show_day(on) if on else "No date"]
    if stage:
        parts.append(STAGE_LABELS.get(stage, stage))
    parts.append(role or "Role not set")
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
class MergePlan:
    """What merging one company into another would move, for the question asked first.

    ``title_conflicts`` names the interviewers whose two titles differ: (name, the title
    kept, the title the source company had), so that the user is told, never surprised.
    """

    source_id: int
    source_name: str
    target_id: int
    target_name: str
    interview_count: int
    interviewer_count: int
    title_conflicts: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class MergeRecord:
    """Exactly what ``merge_companies`` changed, so that ``unmerge`` can put it back.

    ``moved_people`` changed company; each of ``relinked`` is (interview, source person,
    target person, position, whether the target's link is new): a link that now points at
    the target's person of the same name; ``titles`` holds the target people whose empty
    title was filled in (id, old title).
    """

    source_id: int
    target_id: int
    source_trashed_at: datetime | None
    source_updated_at: datetime
    interview_ids: tuple[int, ...]
    moved_people: tuple[int, ...]
    relinked: tuple[tuple[int, int, int, int, bool], ...]
    titles: tuple[tuple[int, str], ...]


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
    _refuse_controls(cleaned, what)
    # Only invisible format characters (zero-width space, joiners, BOM) would show as nothing.
    if not "".join(c for c in cleaned if unicodedata.category(c) != "Cf").strip():
        raise InvalidInput(f"{what} cannot be empty.")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"{what} is too long (the limit is {MAX_NAME} characters).")
    return cleaned


# C0 and C1 control characters other than white space (which names fold into one space):
# ESC, BEL and the like would drive a terminal that prints the name (colours, OSC links).
_NAME_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _refuse_controls(text: str, what: str) -> None:
    found = _NAME_CONTROLS.search(text)
    if found is not None:
        raise InvalidInput(
            f"{what} contains a control character (U+{ord(found.group()):04X}), which a name "
            "cannot hold."
        )


def _role(value: object, what: str) -> str:
    """A role: trimmed text without control characters."""
    cleaned = _text(value, what, MAX_NAME).strip()
    _refuse_controls(cleaned, what)
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


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{what} must be true or false.")
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




# Fields of an interview whose change alters its searchable text.
_SEARCHABLE_FIELDS = frozenset({"role", *TEXT_SECTIONS})

# Fields of an interview that ``update_interview`` accepts, with their validators.
_FIELD_RULES: dict[str, Callable[[object], object]] = {
    "role": lambda v: _role(v, "Role"),
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


@dataclass(frozen=True)
class SearchIndexCheck:
    """What ``check_search_index`` found; every affected interview was queued for reindex."""

    damaged: bool  # FTS5's integrity check failed: the index was recreated, all queued
    missing: int  # interviews with no index row
    extra: int  # index rows with no interview
    stale: int  # index rows whose text differs from the journal's (deep check only)
    pending: int  # interviews now waiting in the queue

    @property
    def ok(self) -> bool:
        return not (self.damaged or self.missing or self.extra or self.stale)


@dataclass(frozen=True)
class _MadeForMove:
    """A company that ``move_interview`` made, or brought back from the trash, for one
    interview: ``trashed_at`` is when it had gone to the trash (None: made by the move)."""

    interview_id: int
    uuid: str
    trashed_at: datetime | None


class _WriteState(threading.local):
    """Per thread (Peewee gives each thread its own connection): the open write's nesting
    depth and the interviews whose searchable text it changed."""

    def __init__(self) -> None:
        self.depth = 0
        self.dirty: set[int] = set()


# --------------------------------------------------------------------------- the service


class Journal:
    """The journal in one SQLite file: open it, read it, change it one transaction at a time."""

    def __init__(self, database: SqliteDatabase, folder: Path, clock: Clock) -> None:
        self._db = database
        self.folder = folder
        self.clock = clock
        self._state = _WriteState()
        self._held: str | None = None  # why writes are refused for now, if they are
        # Where Journal.open moved a leftover write-ahead log (the app tells the user).
        self.set_aside: Path | None = None
        self.read_only = False  # opened by open_read_only()
        self.closed = False
        # Companies that move_interview made or brought back from the trash for an
        # interview in this session, by company id (see _drop_stray).
        self._made_for_move: dict[int, _MadeForMove] = {}

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    def open(
        cls,
        folder: Path,
        *,
        clock: Clock | None = None,
        busy_timeout_ms: int = dbmod.WORKER_BUSY_TIMEOUT_MS,
        set_aside_leftovers: bool = False,
    ) -> Journal:
        """Open (creating if needed) the journal in ``folder`` and bring its schema up to date.

        A write-ahead log left without its journal is never written over: it raises
        LeftoverLog, or with ``set_aside_leftovers`` (the app) it is moved into a dated
        folder first, and ``set_aside`` says where.
        """
        paths.ensure_private_dir(folder)
        path = paths.journal_path(folder)
        set_aside = None
        if dbmod.leftovers(path):
            if not set_aside_leftovers:
                raise LeftoverLog(dbmod.leftovers_message(folder, dbmod.leftovers(path)))
            set_aside = dbmod.set_aside_leftovers(path, _utc_naive((clock or SystemClock()).now()))
        database = dbmod.connect(path, busy_timeout_ms)
        try:
            dbmod.migrate(database, paths.backups_dir(folder))
        except BaseException:
            # What stopped the update (an interruption included) is what the caller sees,
            # not a failure to close after it.
            with suppress(peewee.DatabaseError, sqlite3.Error):
                database.close()
            raise
        database_proxy.initialize(database)
        paths.tighten(folder)
        journal = cls(database, folder, clock or SystemClock())
        journal.set_aside = set_aside
        return journal

    @classmethod
    def open_read_only(
        cls, folder: Path, *, clock: Clock | None = None
    ) -> tuple[Journal, str | None]:
        """Open the journal in ``folder`` for reading only, where the disk refuses writes.

        Returns the journal and a note saying how it had to be read (``db.open_read_only``).
        Nothing is created or migrated; every write raises ReadOnly. A journal that needs an
        update first is refused with a StorageError that says so.
        """
        path = paths.journal_path(folder)
        uri, note = dbmod.open_read_only(path)
        database = SqliteDatabase(
            uri,
            uri=True,
            pragmas=[("query_only", 1), ("busy_timeout", dbmod.WORKER_BUSY_TIMEOUT_MS),
                     ("trusted_schema", 0)],
            autoconnect=True,
        )
        try:
            with dbmod.storage_errors(path):
                version = dbmod.schema_version(database)
            dbmod.refuse_newer(version)
            if version < dbmod.latest_version():
                raise StorageError(
                    "The journal needs an update that the app makes when it opens it, and it "
                    "cannot be written here; open it where it can be written first."
                )
        except BaseException:
            database.close()
            raise
        database_proxy.initialize(database)
        journal = cls(database, folder, clock or SystemClock())
        journal.read_only = True
        return journal, note

    @property
    def database(self) -> SqliteDatabase:
        return self._db

    @property
    def path(self) -> Path:
        return paths.journal_path(self.folder)

    def hold_writes(self, reason: str) -> None:
        """Refuse every write, with ``WritesHeld(reason)``, until ``allow_writes()``.

        The app holds writes from opening the journal until its check has passed, so that a
        damaged journal never takes a change. Reads go on as usual.
        """
        self._held = reason

    def allow_writes(self) -> None:
        """Take writes again (the journal passed its check)."""
        self._held = None

    @property
    def writes_allowed(self) -> bool:
        return self._held is None

    def close(self) -> None:
        """Close the file: cleanly (optimise, checkpoint) unless writes are held, as then the
        file may be damaged and it and its write-ahead log are left exactly as they were found
        (``db.close``). Later writes raise StorageError."""
        self.closed = True
        dbmod.close(self._db, clean=self._held is None)
        if database_proxy.obj is self._db:
            database_proxy.initialize(None)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction for one change, with SQLite failures turned into StorageErrors.

        Nested calls become savepoints. Interviews whose searchable text changed (``_mark``)
        are indexed once, just before the outermost one commits.
        """
        if self.closed:  # autoconnect would reopen the file under an uninitialised proxy
            raise StorageError("The journal is closed; the change was not saved.")
        if self._held is not None:
            raise WritesHeld(self._held)
        state = self._state
        outermost = state.depth == 0
        if outermost:
            state.dirty = set()
        state.depth += 1
        try:
            with dbmod.storage_errors(self.path), self._db.atomic("IMMEDIATE"):
                yield
                if outermost and state.dirty:
                    self._index(state.dirty)
        finally:
            state.depth -= 1
            if outermost:
                state.dirty = set()

    def _mark(self, *interview_ids: int) -> None:
        """Note that these interviews' searchable text changed in the open write."""
        self._state.dirty.update(interview_ids)

    def _index(self, interview_ids: set[int]) -> set[int]:
        """Rewrite these interviews' index rows, each in a savepoint; returns the failures.

        A failure rolls back only its savepoint and queues the interview for reindexing, so
        the user's change is still saved.
        """
        from interview_journal.core import search as searchmod

        failed: set[int] = set()
        for interview_id in sorted(interview_ids):
            try:
                with self._db.atomic():
                    searchmod.index_interview(interview_id)
            except Exception as error:  # a broken index must never cost the user the save
                log.warning(
                    "search index not updated for interview %s (%s); queued for reindex",
                    interview_id,
                    type(error).__name__,
                    exc_info=not _is_database_error(error),
                )
                failed.add(interview_id)
        try:
            with self._db.atomic():
                searchmod.unmark_pending(interview_ids - failed)
                searchmod.mark_pending(failed)
        except Exception as error:  # still not worth the save: check_search_index finds them
            log.error("search reindex queue not updated (%s)", type(error).__name__)
        return failed

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

    def restore_company(self, company_id: int) -> CompanyRow:
        """Bring a company back from the trash."""
        with self._write():
            company = self._get(Company, company_id, "company")
            company.trashed_at = None
            company.save()
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

    @staticmethod
    def _maybe_pending(now: datetime) -> Any:
        """Where an interview can be upcoming or due at ``now`` (``_status_of`` decides).

        Live, not reflected, and dated from ``REFLECTION_DUE_DAYS`` (plus a margin for time
        zones and day-long interviews) before today: anything older is past, whatever its
        time. The date comes first, so the (company, date) index does the narrowing.
        """
        cutoff = (now - timedelta(days=REFLECTION_DUE_DAYS + 3)).date()
        return (
            (Interview.date >= cutoff)
            & Interview.reflected_at.is_null()
            & Interview.trashed_at.is_null()
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
            self._mark(interview.id)
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
            if _SEARCHABLE_FIELDS.intersection(clean):
                self._mark(interview_id)
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
        """Put an interview under another company (made if new); its interviewers follow.

        No stray companies: typing "Glo" into the header, leaving the box and correcting it
        to "Globex" moves the interview twice, and the "Glo" the first move made must not
        stay behind. So a company this journal made (or brought back from the trash) for
        this very interview, in this session, is undone when the interview moves away
        again, as long as undoing it loses nothing (``_drop_stray``).
        """
        with self._write():
            trashed = Company.get_or_none(
                (Company.normalized_name == normalize_name(_name(company_name, "Company name")))
                & Company.trashed_at.is_null(False)
            )
            result = self.create_company(company_name)
            target = result.company
            interview = self._get(Interview, interview_id, "interview")
            if interview.company_id == target.id:
                return self.interview(interview_id)
            if result.created or result.restored:
                self._made_for_move[target.id] = _MadeForMove(
                    interview_id, target.uuid, None if trashed is None else trashed.trashed_at
                )
            source_id = interview.company_id
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
            self._mark(interview_id)
            self._drop_stray(source_id, interview_id, {link.person_id for link in links})
            return self.interview(interview_id)

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
            return
        people = {p.id for p in Person.select(Person.id).where(Person.company == company_id)}
        if not people <= carried:
            return
        Person.delete().where(Person.company == company_id).execute()
        Company.delete().where(Company.id == company_id).execute()

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
            if interview_ids:
                # Their own updated_at stays: what was written in them did not change.
                Interview.update(company=target_id).where(
                    Interview.id.in_(interview_ids)
                ).execute()
            self._mark(*interview_ids)
            was_trashed, was_updated = source.trashed_at, source.updated_at
            if was_trashed is None:
                source.trashed_at = self._now()
            source.updated_at = self._now()
            source.save()
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
        with self._write():
            source = self._get(Company, record.source_id, "company")
            clash = Company.get_or_none(
                (Company.normalized_name == source.normalized_name)
                & (Company.id != source.id)
            )
            if clash is not None:
                raise InvalidInput(f"There is already a company called {clash.name}.")
            if record.interview_ids:
                Interview.update(company=record.source_id).where(
                    Interview.id.in_(record.interview_ids)
                    & (Interview.company == record.target_id)
                ).execute()
            if record.moved_people:
                Person.update(company=record.source_id).where(
                    Person.id.in_(record.moved_people) & (Person.company == record.target_id)
                ).execute()
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
            for person_id, title in record.titles:
                Person.update(title=title).where(Person.id == person_id).execute()
                self._mark_person(person_id)
            source.trashed_at = record.source_trashed_at
            source.updated_at = record.source_updated_at
            source.save()
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
            interview = self._get(Interview, interview_id, "interview")
            interview.reflected_at = self._now() if done else None
            interview.updated_at = self._now()
            interview.save()
            return self.interview(interview_id)

    def company_id_of(self, interview_id: int) -> int:
        """The id of the company an interview belongs to (one indexed read, no text)."""
        row = self._db.execute_sql(
            'SELECT "company_id" FROM "interview" WHERE "id" = ?', (interview_id,)
        ).fetchone()
        if row is None:
            raise NotFound("That interview no longer exists.")
        return int(row[0])

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
        return self._status_of(
            row.reflected_at, row.starts_at, row.date, row.duration_minutes, now
        )

    def _status_of(
        self,
        reflected_at: object,
        starts_at: datetime | str | None,
        on: date | str | None,
        minutes: int,
        now: datetime,
    ) -> str:
        if reflected_at is not None:
            return "reflected"
        end = self.interview_end(stored_utc(starts_at), stored_date(on), minutes)
        return _unreflected_status(end, now)

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
        flag = _flag(practise, "Practise this")
        with self._write():
            self._touch(interview_id)
            position = self._open_slot(Question, interview_id, index)
            row = Question.create(
                interview=interview_id, position=position, practise=flag, **fields
            )
            return _question_row(row)

    def update_question(self, question_id: int, **changes: object) -> QuestionRow:
        """Change a question's text, answer, "next time" or practise flag."""
        practise = changes.pop("practise", None)
        fields = _question_fields(**changes)
        if practise is not None:
            practise = _flag(practise, "Practise this")
        with self._write():
            row = self._get(Question, question_id, "question")
            for name, value in fields.items():
                setattr(row, name, value)
            if practise is not None:
                row.practise = practise
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
        """Undo a deletion: put the question back where it was (once: again, nothing changes)."""
        with self._write():
            existing = Question.get_or_none(Question.uuid == snapshot.uuid)
            if existing is not None:
                return _question_row(existing)
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
        flag = _flag(done, "Done")
        with self._write():
            self._touch(interview_id)
            position = self._open_slot(ActionItem, interview_id, index)
            row = ActionItem.create(
                interview=interview_id,
                position=position,
                text=clean,
                done=flag,
                done_at=self._now() if flag else None,
            )
            return _action_row(row)

    def update_action_item(
        self, item_id: int, *, text: str | None = None, done: bool | None = None
    ) -> ActionItemRow:
        """Change an action item's text or tick it off."""
        clean = None if text is None else _text(text, "Action item", MAX_TEXT)
        flag = None if done is None else _flag(done, "Done")
        with self._write():
            row = self._get(ActionItem, item_id, "action item")
            if clean is not None:
                row.text = clean
            if flag is not None and flag != row.done:
                row.done = flag
                row.done_at = self._now() if flag else None
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
        """Undo a deletion: put the action item back where it was (once: again, no change)."""
        with self._write():
            existing = ActionItem.get_or_none(ActionItem.uuid == snapshot.uuid)
            if existing is not None:
                return _action_row(existing)
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
            self._mark_person(person_id)
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
            self._mark_person(person.id)
        return person

    def _mark_person(self, person_id: int) -> None:
        from interview_journal.core import search as searchmod

        links = InterviewPerson.select(InterviewPerson.interview).where(
            InterviewPerson.person == person_id
        )
        self._mark(*searchmod.ids(links))

    # ----------------------------------------------------------------- the reflection habit

    def schedule(self) -> list[ScheduledInterview]:
        """Every live interview with a known start, as the reminders and timers need it."""
        from interview_journal.core.timers import ScheduledInterview

        since = _utc_naive(self.clock.now() - timedelta(days=REFLECTION_DUE_DAYS + 1))
        # The local date is within a day of the UTC start: bounding it lets the (company,
        # date) index skip the older interviews, whose rows would otherwise be read past
        # their text for trashed_at (~2 ms on a heavy journal).
        recent = (Interview.date >= (since - timedelta(days=2)).date()) | Interview.date.is_null()
        query = (
            Interview.select(
                Interview.id,
                Interview.starts_at,
                Interview.duration_minutes,
                Interview.reflected_at,
                Interview.reflection_started_at,
                Interview.snoozed_until,
                Interview.reminder_dismissed,
            )
            .join(Company)
            .where(
                Interview.trashed_at.is_null()
                & Company.trashed_at.is_null()
                & Interview.starts_at.is_null(False)
                & (Interview.starts_at >= since)
                & recent
            )
        )
        return [
            ScheduledInterview(
                interview_id=row.id,
                starts_at=stored_utc(row.starts_at),
                duration_minutes=row.duration_minutes,
                reflected_at=stored_utc(row.reflected_at),
                reflection_started_at=stored_utc(row.reflection_started_at),
                snoozed_until=stored_utc(row.snoozed_until),
                dismissed=bool(row.reminder_dismissed),
            )
            for row in query
        ]

    def start_reflection(self, interview_id: int) -> InterviewDoc:
        """Record that a reflection block started for this interview (silences its reminder)."""
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            interview.reflection_started_at = self._now()
            interview.save()
            return self.interview(interview_id)

    def snooze_reminder(self, interview_id: int, until: datetime) -> None:
        """Ask "time to reflect" again for this interview at ``until``."""
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            interview.snoozed_until = _utc_naive(until)
            interview.save()

    def dismiss_reminder(self, interview_id: int) -> None:
        """Skip: no "time to reflect" for this interview."""
        with self._write():
            interview = self._get(Interview, interview_id, "interview")
            interview.reminder_dismissed = True
            interview.save()

    def just_finished(self, company: str | None = None, role: str | None = None) -> InterviewDoc:
        """"I just finished an interview": the one that just ended, or a new one ending now.

        An interview of that company (any company when none is named) that ended within the
        last two hours, or is still scheduled as in progress, and is not reflected yet, is
        picked; otherwise one is created that started ``DEFAULT_DURATION`` minutes ago. With
        no company named and none of those, nothing is invented: ``InvalidInput``.
        """
        now = self.clock.now()
        name = company.strip() if company else ""
        with self._write():
            candidates = self.recently_ended()
            if name:
                wanted = suggestion_key(name)
                candidates = [
                    doc for doc in candidates if suggestion_key(doc.company_name) == wanted
                ]
            if candidates:
                doc = candidates[0]
                if role and not doc.role:
                    doc = self.update_interview(doc.id, role=role)
                return doc
            if not name:
                raise InvalidInput("Say which company the interview was with.")
            target = self.known_company_name(name)
            started = now - timedelta(minutes=DEFAULT_DURATION)
            return self.create_interview_for(target, role=role or "", starts_at=started)

    def recently_ended(self) -> list[InterviewDoc]:
        """Interviews not reflected yet that are in progress or ended within the last two
        hours, the latest start first: what "I just finished an interview" offers."""
        now = self.clock.now()
        found = [
            item
            for item in self.schedule()
            if item.reflected_at is None
            and item.starts_at is not None
            and item.starts_at <= now
            and item.ends_at is not None
            and now - item.ends_at <= timedelta(hours=2)
        ]
        found.sort(key=lambda item: (item.starts_at or now, item.interview_id), reverse=True)
        return [self.interview(item.interview_id) for item in found]

    def exact_company(self, typed: str) -> CompanySuggestion | None:
        """The existing company ``typed`` means ("acme inc" is Acme), with its history."""
        return next((s for s in self.company_suggestions(typed, limit=3) if s.exact), None)

    def known_company_name(self, typed: str) -> str:
        """The existing company ``typed`` means ("acme inc" is Acme), else ``typed`` itself."""
        found = self.exact_company(typed)
        return found.name if found else typed

    def timer_sessions(self, *, open_only: bool = False) -> list[TimerSession]:
        """Stored timer sessions, oldest first (only running ones with ``open_only``)."""
        query = TimerSessionRow.select().order_by(TimerSessionRow.started_at)
        if open_only:
            query = query.where(TimerSessionRow.ended_at.is_null())
        return [_session_from_row(row) for row in query]

    def save_timer_sessions(self, sessions: Sequence[TimerSession]) -> None:
        """Store (insert or update, by uuid) timer sessions as they changed."""
        with self._write():
            for session in sessions:
                data = session.to_dict()
                values = {
                    "kind": session.kind,
                    "interview": session.interview_id
                    if session.interview_id is not None
                    and Interview.get_or_none(Interview.id == session.interview_id)
                    else None,
                    "started_at": _utc_naive(session.started_at),
                    "planned_seconds": session.planned_seconds,
                    "extended_seconds": session.extended_seconds,
                    "pauses": json.dumps(data["pauses"]),
                    "held": session.held,
                    "warned": session.warned,
                    "ended_at": None if session.ended_at is None
                    else _utc_naive(session.ended_at),
                    "ending": session.ending,
                }
                updated = (
                    TimerSessionRow.update(**values)
                    .where(TimerSessionRow.uuid == session.uuid)
                    .execute()
                )
                if not updated:
                    TimerSessionRow.create(uuid=session.uuid, **values)

    def timer_settings(self) -> TimerSettings:
        """The reminder and timer preferences (defaults where none are stored, or invalid)."""
        from interview_journal.core.timers import TimerSettings

        stored: object = self.setting(TIMER_SETTINGS_KEY, {})
        try:
            return TimerSettings.from_dict(stored if isinstance(stored, dict) else {})
        except InvalidInput:
            log.warning("stored timer settings are invalid; using the defaults")
            return TimerSettings()

    def set_timer_settings(self, settings: TimerSettings) -> None:
        """Store the reminder and timer preferences."""
        self.set_setting(TIMER_SETTINGS_KEY, settings.to_dict())

    def break_suggestions(self) -> list[str]:
        """What to do on a break: the user's list, or the one shipped with the app."""
        stored = self.setting(BREAK_SUGGESTIONS_KEY, None)
        if isinstance(stored, list) and all(isinstance(s, str) for s in stored):
            return [s for s in stored if s.strip()]
        return default_break_suggestions()

    def set_break_suggestions(self, suggestions: Sequence[str]) -> list[str]:
        """Store the user's list of break suggestions (blank lines dropped)."""
        clean = [_text(s, "Break suggestion", MAX_LINE).strip() for s in suggestions]
        clean = [s for s in clean if s]
        self.set_setting(BREAK_SUGGESTIONS_KEY, clean)
        return clean

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

    # ----------------------------------------------------------------- search

    def search(
        self,
        query: str,
        *,
        limit: int | None = None,
        filters: searchmod.SearchFilters | None = None,
        cancel: searchmod.Cancel | None = None,
    ) -> searchmod.SearchResults:
        """Search everything written (``core/search.py``): best first, one hit per interview.

        At most ``limit`` hits (``search.DEFAULT_LIMIT`` when not given: the default is
        resolved here so that opening a journal does not import the search code). Nothing
        typed raises; an unusable query gives no hits and a hint. Call it from a worker
        thread (it gets its own connection) and stop it with ``cancel``.
        """
        from interview_journal.core import search as searchmod

        if limit is None:
            limit = searchmod.DEFAULT_LIMIT
        return searchmod.search(query, limit=limit, filters=filters, cancel=cancel)

    def pending_index_count(self) -> int:
        """How many interviews wait to be (re)indexed for search."""
        from interview_journal.core import search as searchmod

        with dbmod.storage_errors(self.path):
            return searchmod.pending_count()

    def reindex_pending(
        self,
        limit: int | None = None,
        progress: searchmod.ProgressCallback | None = None,
        *,
        cancel: searchmod.Cancel | None = None,
        batch: int = 15,
    ) -> int:
        """Index the interviews queued in ``search_pending``; returns how many were indexed.

        This is the background backfill after the search migration and the repair after
        ``check_search_index``. It works in short transactions of ``batch`` interviews, so
        the editor's autosave never waits long; ``progress(done, total)`` follows each one
        and ``cancel`` stops it between two. An interview that fails again stays queued.
        """
        from interview_journal.core import search as searchmod

        total = self.pending_index_count()
        if limit is not None:
            total = min(total, limit)
        processed = indexed = 0
        after = 0
        while processed < total and not (cancel is not None and cancel.cancelled):
            size = min(batch, total - processed)
            with self._write():
                ids = searchmod.pending_ids(after=after, limit=size)
                if ids:
                    searchmod.unmark_pending(ids)
                    failed = self._index(set(ids))
            if not ids:
                break
            processed += len(ids)
            indexed += len(ids) - len(failed)
            after = ids[-1]
            if progress is not None:
                progress(processed, total)
        return indexed

    def check_search_index(self, *, deep: bool = False) -> SearchIndexCheck:
        """Look for an inconsistent search index and queue what needs reindexing.

        FTS5's ``integrity-check`` compares the index with its own copy of the text; a
        failure recreates the table empty and queues every interview. Index rows are also
        matched against the interviews (missing and extra rows are queued), and with
        ``deep`` every row's text is compared with the journal's. The repair is
        ``reindex_pending``, which re-inserts rows from the base tables (FTS5's own
        'rebuild' would re-index the stale copy). The checks take no write lock; only the
        repair does.
        """
        from interview_journal.core import search as searchmod

        # Checked on a copy in memory, in a read transaction: the write lock (which the GUI's
        # autosave waits for) is taken only to repair.
        with dbmod.storage_errors(self.path):
            state = dbmod.search_index_state(dbmod.read_only_uri(self.path))
        if state != "ok":
            with self._write():
                log.warning("search index failed its integrity check; recreating it")
                searchmod.recreate_index()
                everyone = searchmod.ids(Interview.select(Interview.id))
                searchmod.mark_pending(everyone)
                return SearchIndexCheck(True, len(everyone), 0, 0, searchmod.pending_count())
        # Reading happens outside the write lock (WAL gives a consistent snapshot).
        with dbmod.storage_errors(self.path), self._db.atomic("DEFERRED"):
            missing, extra = searchmod.rowid_mismatch()
            stale = searchmod.stale_rows() - extra if deep else set()
        if missing or extra or stale:
            with self._write():
                searchmod.mark_pending(missing | extra | stale)
                pending = searchmod.pending_count()
        else:
            pending = self.pending_index_count()
        return SearchIndexCheck(False, len(missing), len(extra), len(stale), pending)

    def optimize_search(self) -> None:
        """Merge the search index (FTS5 'optimize'): part of the maintenance that purges text
        of deleted notes from the file (docs/data-safety.md), with VACUUM and a checkpoint.
        """
        from interview_journal.core import search as searchmod

        with self._write():
            searchmod.optimize()

    # ----------------------------------------------------------------- helpers

    def _get(self, model: type[M], row_id: int, what: str) -> M:
        row = model.get_or_none(model.id == row_id)
        if row is None:
            raise NotFound(f"That {what} no longer exists.")
        return row

    def _touch(self, interview_id: int) -> Interview:
        """Bump an interview's ``updated_at`` after a change to one of its parts (reindexed)."""
        interview = self._get(Interview, interview_id, "interview")
        Interview.update(updated_at=self._now()).where(Interview.id == interview_id).execute()
        self._mark(interview_id)
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


def _uuid_text(stored: str) -> str:
    """A UUID as stored (32 hex digits) in the form ``str(UUID)`` gives, without the UUID."""
    if len(stored) == 32:
        hex_ = stored.lower()
        return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"
    return str(uuidlib.UUID(stored))


def _unreflected_status(end: datetime | None, now: datetime) -> str:
    """The status of an interview without a reflection that ends at ``end`` (None: undated).

    "upcoming" until it ends, then "due" for ``REFLECTION_DUE_DAYS``, then "past".
    """
    if end is None:
        return "undated"
    if end > now:
        return "upcoming"
    if now - end <= timedelta(days=REFLECTION_DUE_DAYS):
        return "due"
    return "past"


def _is_database_error(error: BaseException) -> bool:
    return isinstance(error, (sqlite3.Error, peewee.DatabaseError))


def default_break_suggestions() -> list[str]:
    """The break suggestions shipped with the app (resources/break_suggestions.txt)."""
    import importlib.resources

    resource = importlib.resources.files("interview_journal.resources") / "break_suggestions.txt"
    lines = resource.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _session_from_row(row: TimerSessionRow) -> TimerSession:
    from interview_journal.core.timers import TimerSession

    def iso(value: datetime | str | None) -> str | None:
        aware = stored_utc(value)
        return None if aware is None else aware.isoformat()

    return TimerSession.from_dict(
        {
            "uuid": row.uuid,
            "kind": row.kind,
            "interview_id": row.interview_id,
            "started_at": iso(row.started_at),
            "planned_seconds": row.planned_seconds,
            "extended_seconds": row.extended_seconds,
            "pauses": json.loads(row.pauses),
            "held": bool(row.held),
            "warned": bool(row.warned),
            "ended_at": iso(row.ended_at),
            "ending": row.ending,
        }
    )


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
    "AgendaRow",
    "CompanyResult",
    "CompanyRow",
    "CompanySuggestion",
    "InterviewDoc",
    "InterviewRow",
    "Journal",
    "MergePlan",
    "MergeRecord",
    "PersonRow",
    "QuestionRow",
    "SearchIndexCheck",
    "normalize_name",
    "suggestion_key",
]
