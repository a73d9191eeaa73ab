"""The checks an imported document's values get, beyond the schema: the Journal's own rules
for what is typed (names, choices, ratings, durations), times and days that exist, timer
sessions that make sense, settings within the limits; and the conversions of times between
the file and the database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from interview_journal.core import exchange as fmt
from interview_journal.core.domain import TEXT_SECTIONS
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal.rules import _FIELD_RULES, _name, _text
from interview_journal.core.journal.values import MAX_NAME, MAX_TEXT

_TIMES = frozenset(
    {"starts_at", "reflection_started_at", "reflected_at", "snoozed_until", "created_at",
     "updated_at", "trashed_at"}
)
_CHECKED_FIELDS = (
    "role", "location", "stage", "format", "outcome", "self_rating", "want_to_work_here",
    "duration_minutes", *TEXT_SECTIONS,
)


def _at(where: str, check: Any, *args: Any) -> Any:
    try:
        return check(*args)
    except InvalidInput as error:
        raise fmt.BadExport(f"{where}: {error}") from None


def check_values(document: Mapping[str, Any]) -> None:
    """Check (and clean, as the Journal cleans what is typed) every value of a document that
    passed ``exchange.check_document``: names, choices, ratings, times that exist."""
    from interview_journal.core.timers import TimerSession

    for index, company in enumerate(document["companies"]):
        where = f"companies[{index}]"
        company["name"] = _at(where, _name, company["name"], "Company name")
        for key in ("created_at", "updated_at", "trashed_at"):
            _at(where, fmt.parse_time, company[key])
    for index, person in enumerate(document["people"]):
        where = f"people[{index}]"
        person["name"] = _at(where, _name, person["name"], "Interviewer's name")
        person["title"] = _at(where, _text, person["title"], "Title", MAX_NAME).strip()
    for index, topic in enumerate(document["topics"]):
        topic["name"] = _at(f"topics[{index}]", _name, topic["name"], "Topic")
    for index, interview in enumerate(document["interviews"]):
        where = f"interviews[{index}]"
        for key in _CHECKED_FIELDS:
            interview[key] = _at(where, _FIELD_RULES[key], interview[key])
        for key in _TIMES:
            _at(where, fmt.parse_time, interview[key])
        _at(where, fmt.parse_day, interview["date"])
        for item in interview["action_items"]:
            _at(where, fmt.parse_time, item["done_at"])
    for index, session in enumerate(document["timer_sessions"]):
        _at(f"timer_sessions[{index}]", _timer_session, session, TimerSession)
    for key, value in document["settings"].items():
        where = f"settings.{key}"
        if not _at(where, _text, key, "Setting name", MAX_NAME).strip():
            raise fmt.BadExport("A setting's name is empty.")
        _at(where, _text, setting_text(value), f"Setting {key}", MAX_TEXT)


def aware(text: str | None) -> datetime | None:
    value = fmt.parse_time(text)
    return None if value is None else value.replace(tzinfo=UTC)


def _timer_session(session: Mapping[str, Any], kind: Any) -> Any:
    return kind(
        uuid=session["uuid"], kind=session["kind"], interview_id=None,
        started_at=aware(session["started_at"]), planned_seconds=session["planned_seconds"],
        extended_seconds=session["extended_seconds"],
        pauses=tuple((aware(p), aware(r)) for p, r in session["pauses"]),
        held=session["held"], warned=session["warned"], ended_at=aware(session["ended_at"]),
        ending=session["ending"],
    )


def setting_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def stored_time(text: str | None) -> str | None:
    value = fmt.parse_time(text)
    return None if value is None else str(value)


def compare_time(stored: datetime | str | None) -> datetime | None:
    if stored is None:
        return None
    value = datetime.fromisoformat(stored) if isinstance(stored, str) else stored
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
