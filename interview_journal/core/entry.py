"""Reading what people type into time and date fields: forgiving, and never a guess.

A start time is typed as "14:00", "1400", "930", "14", "2pm", "2:30 p.m." or "14h30"; a date
as ISO ("2026-03-04") here, and in the user's own format by the UI (which knows the locale).
An empty field means "not known yet". Anything else is refused with ``ValueError``, so a
half-typed value never replaces a good one.
"""

from __future__ import annotations

import re
from datetime import date, time

_CLOCK = re.compile(
    r"""^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})?)?(?P<half>am|pm|a|p)?$"""
)
_DIGITS = re.compile(r"^(?P<hour>\d{1,2})(?P<minute>\d{2})(?P<half>am|pm|a|p)?$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_time(text: str) -> time | None:
    """The time of day ``text`` names; None for an empty field; ValueError if it names none.

    Without am/pm the hour is on the 24-hour clock ("9" is 09:00, "21" is 21:00); "12am" is
    midnight and "12pm" noon.
    """
    compact = re.sub(r"[\s.]+(?=[ap])|\s+", "", text.strip().lower()).replace("a.m", "am")
    compact = compact.replace("p.m", "pm").rstrip(".")
    if not compact:
        return None
    found = _DIGITS.match(compact) or _CLOCK.match(compact)
    if found is None:
        raise ValueError(f"not a time of day: {text!r}")
    hour = int(found["hour"])
    minute = int(found["minute"] or 0)
    half = found["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            raise ValueError(f"not a time of day: {text!r}")
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"not a time of day: {text!r}")
    return time(hour, minute)


def parse_iso_date(text: str) -> date | None:
    """The date of an ISO "YYYY-MM-DD" ``text``; None if it is not written that way."""
    found = _ISO_DATE.match(text)
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


__all__ = ["parse_iso_date", "parse_time"]
