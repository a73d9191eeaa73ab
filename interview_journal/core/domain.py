"""The journal's vocabulary and the rules more than one module needs, defined once.

What an interview is made of: its fields and sections (keys, order, labels, prompts), the
choices for stage, format and outcome, and which fields search can look in under which
``prefix:``. The editor, the search panel, the search index and the sample generator read
them from here. Small and free of database code, so the timers (which must not load the
Journal) and the Journal read the same definitions.

Labels and prompts are English source strings. Core cannot translate (it has no Qt), and
lupdate cannot see a string that reaches ``translate()`` through a variable, so each one is
written inside ``QT_TRANSLATE_NOOP("domain", ...)``: a no-op here that lupdate recognises by
name and collects into the "domain" context. The UI shows them through
``interview_journal.ui.vocabulary.tr_domain``, which translates in that context.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

REFLECTION_DUE_DAYS = 7
"""An interview is *reflection due* for this many days after it ends, until reflected."""

REFLECTION_DUE = timedelta(days=REFLECTION_DUE_DAYS)
"""``REFLECTION_DUE_DAYS`` as a duration."""


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation in ``context`` (read by lupdate); returns it as is."""
    return source


# --------------------------------------------------------------------------- choices

Choices = tuple[tuple[str, str], ...]
"""(key, English label) pairs, in the order they are offered."""

STAGES: Choices = (
    ("recruiter_screen", QT_TRANSLATE_NOOP("domain", "Recruiter screen")),
    ("hiring_manager", QT_TRANSLATE_NOOP("domain", "Hiring manager")),
    ("technical", QT_TRANSLATE_NOOP("domain", "Technical")),
    ("system_design", QT_TRANSLATE_NOOP("domain", "System design")),
    ("behavioural", QT_TRANSLATE_NOOP("domain", "Behavioural")),
    ("take_home_review", QT_TRANSLATE_NOOP("domain", "Take-home review")),
    ("onsite", QT_TRANSLATE_NOOP("domain", "Onsite / loop")),
    ("final", QT_TRANSLATE_NOOP("domain", "Final")),
    ("other", QT_TRANSLATE_NOOP("domain", "Other")),
)
FORMATS: Choices = (
    ("phone", QT_TRANSLATE_NOOP("domain", "Phone")),
    ("video", QT_TRANSLATE_NOOP("domain", "Video")),
    ("on_site", QT_TRANSLATE_NOOP("domain", "On-site")),
)
OUTCOMES: Choices = (
    ("pending", QT_TRANSLATE_NOOP("domain", "Pending")),
    ("advanced", QT_TRANSLATE_NOOP("domain", "Advanced")),
    ("rejected", QT_TRANSLATE_NOOP("domain", "Rejected")),
    ("offer", QT_TRANSLATE_NOOP("domain", "Offer")),
    ("withdrew", QT_TRANSLATE_NOOP("domain", "Withdrew")),
)
STAGE_LABELS = dict(STAGES)
FORMAT_LABELS = dict(FORMATS)
OUTCOME_LABELS = dict(OUTCOMES)


# --------------------------------------------------------------------------- fields

Kind = Literal["company", "line", "choice", "date", "time", "minutes", "chips", "rating",
               "cards", "text"]
"""How a field is kept and edited:

- ``company``: the company the interview belongs to (picked, or typed to make one);
- ``line``, ``choice``, ``rating``, ``date``, ``time``, ``minutes``: a column of the
  interview (one line of text; one of ``choices``; 1 to 5 or not rated; the local day; the
  start; a length in minutes);
- ``chips``: reusable names in order (topics, interviewers);
- ``cards``: rows of their own in order (questions, action items);
- ``text``: a section written in prose, a column of the interview.
"""


@dataclass(frozen=True)
class Field:
    """One field or section of an interview as the user sees it."""

    key: str  # the Interview column where there is one; else the name of the part
    label: str  # English; a section's heading, a field's caption and accessible name
    kind: Kind
    prompt: str = ""  # English; the line under a section's heading
    search_prefix: str | None = None  # the ``prefix:`` and index column; None: not searched
    search_weight: float = 0.0  # BM25 weight of a hit here (what was written counts more)
    short_label: str = ""  # English; how a search result names it, when shorter than label
    choices: Choices = ()

    @property
    def searchable(self) -> bool:
        """Whether search looks in this field (under ``search_prefix``)."""
        return self.search_prefix is not None

    @property
    def result_label(self) -> str:
        """How a search result names the field."""
        return self.short_label or self.label


def _text(key: str, label: str, prompt: str, weight: float, short: str = "") -> Field:
    """A prose section: searched under its own key."""
    return Field(key, label, "text", prompt, search_prefix=key, search_weight=weight,
                 short_label=short)


HEADER: tuple[Field, ...] = (
    Field("company", QT_TRANSLATE_NOOP("domain", "Company"), "company",
          search_prefix="company", search_weight=2.0),
    Field("role", QT_TRANSLATE_NOOP("domain", "Role"), "line",
          search_prefix="role", search_weight=2.0),
    Field("stage", QT_TRANSLATE_NOOP("domain", "Stage"), "choice", choices=STAGES),
    Field("format", QT_TRANSLATE_NOOP("domain", "Format"), "choice", choices=FORMATS),
    Field("date", QT_TRANSLATE_NOOP("domain", "Date"), "date"),
    Field("starts_at", QT_TRANSLATE_NOOP("domain", "Start"), "time"),
    Field("duration_minutes", QT_TRANSLATE_NOOP("domain", "Duration"), "minutes"),
    Field("location", QT_TRANSLATE_NOOP("domain", "Location or link"), "line"),
    Field("interviewers", QT_TRANSLATE_NOOP("domain", "Interviewers"), "chips",
          search_prefix="people", search_weight=1.0),
    Field("outcome", QT_TRANSLATE_NOOP("domain", "Outcome"), "choice", choices=OUTCOMES),
    Field("self_rating", QT_TRANSLATE_NOOP("domain", "Self-rating"), "rating"),
    Field("want_to_work_here", QT_TRANSLATE_NOOP("domain", "Would I want to work here"),
          "rating"),
)
"""The fields at the top of the page, in reading order."""

SECTIONS: tuple[Field, ...] = (
    Field(
        "topics",
        QT_TRANSLATE_NOOP("domain", "Topics covered"),
        "chips",
        QT_TRANSLATE_NOOP("domain", "The broad areas the conversation went through."),
        search_prefix="topics",
        search_weight=3.0,
    ),
    Field(
        "questions",
        QT_TRANSLATE_NOOP("domain", "Questions asked"),
        "cards",
        QT_TRANSLATE_NOOP(
            "domain",
            "Each question as close to the words used as you can recall, what you "
            "answered, and how you would answer it next time.",
        ),
        search_prefix="questions",
        search_weight=6.0,
        short_label=QT_TRANSLATE_NOOP("domain", "Questions"),
    ),
    _text(
        "went_well",
        QT_TRANSLATE_NOOP("domain", "What went well"),
        QT_TRANSLATE_NOOP("domain", "Moments you felt good about. Be specific."),
        5.0,
    ),
    _text(
        "went_poorly",
        QT_TRANSLATE_NOOP("domain", "What didn't go well"),
        QT_TRANSLATE_NOOP(
            "domain",
            "The uncomfortable part, and the most useful one. Be honest with yourself; "
            "nobody else reads this.",
        ),
        5.0,
    ),
    _text(
        "do_differently",
        QT_TRANSLATE_NOOP("domain", "What I'd do differently"),
        QT_TRANSLATE_NOOP("domain", "What you would change if you had this hour again."),
        5.0,
    ),
    Field(
        "action_items",
        QT_TRANSLATE_NOOP("domain", "Action items to practise"),
        "cards",
        QT_TRANSLATE_NOOP("domain", "Concrete things to practise before the next interview."),
        search_prefix="action_items",
        search_weight=4.0,
        short_label=QT_TRANSLATE_NOOP("domain", "Action items"),
    ),
    _text(
        "impressions",
        QT_TRANSLATE_NOOP("domain", "Impressions of the interviewer and the company"),
        QT_TRANSLATE_NOOP(
            "domain",
            "How the interviewer came across, and what you learned about the team and "
            "the company. Would it be good for you?",
        ),
        5.0,
        QT_TRANSLATE_NOOP("domain", "Impressions"),
    ),
    _text(
        "notes",
        QT_TRANSLATE_NOOP("domain", "Notes"),
        QT_TRANSLATE_NOOP("domain", "Anything else worth keeping."),
        3.0,
    ),
)
"""The headed sections below the header, in reading order."""

FIELDS: tuple[Field, ...] = HEADER + SECTIONS
"""Everything on an interview's page, in reading order."""

FIELD: dict[str, Field] = {f.key: f for f in FIELDS}
"""Each field by its key."""

TEXT_SECTIONS: tuple[str, ...] = tuple(f.key for f in SECTIONS if f.kind == "text")
"""The keys of the prose sections (columns of the interview), in order."""

SEARCH_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.searchable)
"""The fields search looks in; their order is the index's column order."""

SEARCH_PREFIXES: tuple[str, ...] = tuple(str(f.search_prefix) for f in SEARCH_FIELDS)
"""The ``prefix:`` names a query can use, which are also the index's columns, in order."""

SEARCH_FIELD: dict[str, Field] = {str(f.search_prefix): f for f in SEARCH_FIELDS}
"""Each searched field by its prefix."""

QUESTION_PARTS: Choices = (
    ("question", QT_TRANSLATE_NOOP("domain", "Question")),
    ("answer", QT_TRANSLATE_NOOP("domain", "My answer")),
    ("next_time", QT_TRANSLATE_NOOP("domain", "How I'd answer next time")),
)
"""What a question card holds (columns of ``question``), in order, with their labels."""

__all__ = [
    "FIELD",
    "FIELDS",
    "FORMATS",
    "FORMAT_LABELS",
    "HEADER",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "QT_TRANSLATE_NOOP",
    "QUESTION_PARTS",
    "REFLECTION_DUE",
    "REFLECTION_DUE_DAYS",
    "SEARCH_FIELD",
    "SEARCH_FIELDS",
    "SEARCH_PREFIXES",
    "SECTIONS",
    "STAGES",
    "STAGE_LABELS",
    "TEXT_SECTIONS",
    "Choices",
    "Field",
    "Kind",
]
