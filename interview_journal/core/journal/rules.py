"""Validation of what the user typed, before it reaches the database: each rule raises
InvalidInput with a sentence the window can show.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

from interview_journal.core.domain import (
    FORMATS,
    OUTCOMES,
    STAGES,
    TEXT_SECTIONS,
)
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal.values import (
    _SPACES,
    MAX_DURATION,
    MAX_LINE,
    MAX_NAME,
    MAX_TEXT,
    MIN_DURATION,
)


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


# Fields of an interview that the tree, the agenda and the reminders show, or that search
# filters on: changing one is announced as UPDATED; any other field is its content (EDITED).
_LISTED_FIELDS = frozenset(
    {"role", "stage", "date", "starts_at", "duration_minutes", "reflected_at", "outcome",
     "self_rating"}
)

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


