"""What people type into time and date fields (core/entry.py)."""

from __future__ import annotations

from datetime import date, time

import pytest

from interview_journal.core.entry import parse_iso_date, parse_time


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("14:00", time(14, 0)),
        ("1400", time(14, 0)),
        ("14", time(14, 0)),
        ("2pm", time(14, 0)),
        ("2 PM", time(14, 0)),
        ("2:30 p.m.", time(14, 30)),
        ("9.30", time(9, 30)),
        ("930", time(9, 30)),
        ("9", time(9, 0)),
        ("09:05", time(9, 5)),
        ("14h30", time(14, 30)),
        ("14h", time(14, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("  7:45  ", time(7, 45)),
        ("", None),
        ("   ", None),
    ],
)
def test_times_people_type(typed: str, meant: time | None) -> None:
    assert parse_time(typed) == meant


@pytest.mark.parametrize(
    "typed", ["24:00", "13pm", "0pm", "abc", "1460", "99", "1:5", "14:000", "2:30pmx", "-1"]
)
def test_what_is_not_a_time_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="not a time"):
        parse_time(typed)


def test_iso_dates() -> None:
    assert parse_iso_date("2026-03-04") == date(2026, 3, 4)
    assert parse_iso_date(" 2026-3-4 ") == date(2026, 3, 4)
    assert parse_iso_date("2026-02-30") is None
    assert parse_iso_date("4/3/2026") is None
