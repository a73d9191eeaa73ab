"""Fixtures for the window tests: a MainWindow over a fresh journal, with its own QSettings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from interview_journal.ui.main_window import MainWindow

WindowFactory = Callable[[Journal], MainWindow]


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    """Where this test's QSettings live (never the user's)."""
    return tmp_path / "settings.ini"


@pytest.fixture
def make_window(
    qtbot: QtBot, settings_path: Path, journal: Journal
) -> Iterator[WindowFactory]:
    """Builds main windows over a journal; their timers stop before the journal closes."""
    made: list[MainWindow] = []

    def make(journal: Journal) -> MainWindow:
        settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        window = MainWindow(journal, settings)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.controller.flush()
        window.stop_timers()


@pytest.fixture
def window(make_window: WindowFactory, journal: Journal) -> MainWindow:
    """A shown main window over the test's journal."""
    made = make_window(journal)
    made.show()
    return made


@pytest.fixture
def two_interviews(journal: Journal, clock: FakeClock) -> tuple[int, int]:
    """Two interviews at two companies (ids), both ended before the fake clock's now."""
    clock.set(datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    acme = journal.create_company("Acme").company
    globex = journal.create_company("Globex").company
    first = journal.create_interview(acme.id, role="Backend engineer", stage="technical")
    journal.set_schedule(first.id, date(2026, 3, 4), time(13, 0), 60)
    second = journal.create_interview(globex.id, role="SRE", on=date(2026, 3, 2))
    return first.id, second.id
