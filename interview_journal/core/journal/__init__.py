"""The Journal service: the one door for every write, and the reads the screens need.

Every change runs in one transaction (``BEGIN IMMEDIATE``) and either happens whole or not
at all. Reads come back as small frozen dataclasses shaped for the screens, so no view ever
triggers a query while painting.

The service is built in rooms, one module per area, each a class that builds on the one
before it (an area may use the areas below it, never those above):

=================  ==========================================================
``base``           opening, closing, the write transaction, shared helpers
``settings``       settings stored in the journal
``people``         topics and interviewers
``parts``          questions and action items
``companies``      companies, their counts and suggestions, merging
``interviews``     interviews: writes and the tree's, agenda's and editor's reads
``schedule``       reminders, "I just finished", timer sessions and settings
``upkeep``         search and the index's upkeep
``trash``          what is in the trash, deleting for good, purging deleted text
``exchange``       export to JSON and import from it (``importing``: the merge)
``bank``           the question bank: its reads, keeping it current, split and merge
=================  ==========================================================

``values`` holds the rows handed out and ``rules`` the validation of what is typed. Callers
import everything from this package, never from its modules.
"""

from __future__ import annotations

from interview_journal.core.domain import (
    FORMAT_LABELS,
    FORMATS,
    OUTCOME_LABELS,
    OUTCOMES,
    STAGE_LABELS,
    STAGES,
    TEXT_SECTIONS,
)
from interview_journal.core.journal.bank import _Bank
from interview_journal.core.journal.importing import ImportReport, KindCounts
from interview_journal.core.journal.schedule import default_break_suggestions
from interview_journal.core.journal.settings import SESSION_OPEN_KEY
from interview_journal.core.journal.trash import TrashItem
from interview_journal.core.journal.values import (
    BREAK_SUGGESTIONS_KEY,
    DEFAULT_DURATION,
    LEGAL_SUFFIXES,
    MAX_DURATION,
    MAX_LINE,
    MAX_NAME,
    MAX_TEXT,
    MIN_DURATION,
    TIMER_SETTINGS_KEY,
    ActionItemRow,
    AgendaRow,
    CompanyResult,
    CompanyRow,
    CompanySuggestion,
    Day,
    Edits,
    InterviewDoc,
    InterviewRow,
    MergePlan,
    MergeRecord,
    PersonRow,
    QuestionRow,
    SavedEdits,
    SearchIndexCheck,
    normalize_name,
    suggestion_key,
)


class Journal(_Bank):
    """The journal in one SQLite file: open it, read it, change it one transaction at a time."""


__all__ = [
    "BREAK_SUGGESTIONS_KEY",
    "DEFAULT_DURATION",
    "FORMATS",
    "FORMAT_LABELS",
    "LEGAL_SUFFIXES",
    "MAX_DURATION",
    "MAX_LINE",
    "MAX_NAME",
    "MAX_TEXT",
    "MIN_DURATION",
    "SESSION_OPEN_KEY",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "STAGES",
    "STAGE_LABELS",
    "TEXT_SECTIONS",
    "TIMER_SETTINGS_KEY",
    "ActionItemRow",
    "AgendaRow",
    "CompanyResult",
    "CompanyRow",
    "CompanySuggestion",
    "Day",
    "Edits",
    "ImportReport",
    "InterviewDoc",
    "InterviewRow",
    "Journal",
    "KindCounts",
    "MergePlan",
    "MergeRecord",
    "PersonRow",
    "QuestionRow",
    "SavedEdits",
    "SearchIndexCheck",
    "TrashItem",
    "default_break_suggestions",
    "normalize_name",
    "suggestion_key",
]
