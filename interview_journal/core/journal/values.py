"""The values the Journal hands out (small frozen rows shaped for the screens), the
limits it enforces, and the name rules (normalised names, legal suffixes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

# The vocabulary is defined once, in core/domain.py; the names stay importable from here.
from interview_journal.core.domain import (
    REFLECTION_DUE_DAYS,
    STAGE_LABELS,
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


@dataclass(frozen=True)
class Edits:
    """What the editor gathered for one interview since its last save (``save_edits``).

    ``company`` is the company box's text when it changed; ``fields`` the header fields and
    text sections that changed; ``schedule`` the local date, start time and duration when
    they changed; ``questions`` and ``action_items`` the changed parts of each row, by id
    (for an action item: its text and its tick, each None when unchanged).
    """

    company: str | None = None
    fields: Mapping[str, object] = field(default_factory=dict)
    schedule: tuple[date | None, time | None, int | None] | None = None
    questions: Mapping[int, Mapping[str, object]] = field(default_factory=dict)
    action_items: Mapping[int, tuple[str | None, bool | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class SavedEdits:
    """What ``save_edits`` did: the company the interview left (None: it did not move), and
    the interview read back when its header, schedule or company changed (else None)."""

    moved_from: int | None
    doc: InterviewDoc | None
