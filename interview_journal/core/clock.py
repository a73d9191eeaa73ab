"""The Clock seam: everything that needs "now" takes one, so tests control time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Tells the current time as an aware UTC datetime, and the user's local time zone."""

    def now(self) -> datetime: ...

    def local_zone(self) -> tzinfo: ...


class SystemClock:
    """The real wall clock and the machine's local time zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_zone(self) -> tzinfo:
        zone = datetime.now().astimezone().tzinfo
        assert zone is not None  # astimezone() always sets one
        return zone


class FakeClock:
    """A clock for tests: starts at a fixed instant and moves only when told."""

    def __init__(self, start: datetime | None = None, zone: tzinfo = UTC) -> None:
        self._now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._zone = zone

    def now(self) -> datetime:
        return self._now

    def local_zone(self) -> tzinfo:
        return self._zone

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward (or back, with a negative delta) and return the new now."""
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now

    def set(self, instant: datetime) -> None:
        """Jump to ``instant`` (aware)."""
        self._now = instant


def stored_utc(value: datetime | str | None) -> datetime | None:
    """A UTC time as the database stores it (naive, or ISO text) made aware again."""
    if value is None:
        return None
    if isinstance(value, str):  # rows written before Peewee parsed them
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def stored_date(value: date | str | None) -> date | None:
    """A date as the database stores it (a date, or ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
