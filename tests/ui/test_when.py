"""Dates in the user's own format (ui/when.py): shown one way everywhere, read back the same."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QLocale

from interview_journal.ui.when import date_display_format, format_date, parse_date


@pytest.fixture
def locale(request: pytest.FixtureRequest) -> Iterator[str]:
    before = QLocale()
    QLocale.setDefault(QLocale(request.param))
    try:
        yield request.param
    finally:
        QLocale.setDefault(before)


@pytest.mark.parametrize(
    ("locale", "shown", "typed"),
    [
        ("en_US", "3/4/2026", ["3/4/2026", "2026-03-04"]),
        ("de_DE", "04.03.2026", ["04.03.2026", "4.3.2026", "2026-03-04"]),
        ("en_GB", "04/03/2026", ["04/03/2026", "2026-03-04"]),
        ("C", "2026-03-04", ["2026-03-04"]),
    ],
    indirect=["locale"],
)
def test_a_day_is_shown_and_read_in_the_users_format(
    locale: str, shown: str, typed: list[str]
) -> None:
    assert "yyyy" in date_display_format()
    assert format_date(date(2026, 3, 4)) == shown
    for text in typed:
        assert parse_date(text) == date(2026, 3, 4), text
    assert parse_date("  ") is None
    with pytest.raises(ValueError, match="not a date"):
        parse_date("next Tuesday")
