"""Fixtures for the window tests: a MainWindow over a fresh journal, with its own QSettings.

Every test here also fails if it leaves a ``QTimer`` running or a ``QThreadPool`` worker busy
once its fixtures are torn down (docs/architecture.md, Conventions; after napari): such a
timer or worker could act on a closed journal, or in the next test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool, QTimer
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from interview_journal.ui.main_window import MainWindow

WindowFactory = Callable[[Journal], MainWindow]


def still_running(timers: list[QTimer], pools: list[QThreadPool]) -> list[str]:
    """The timers still active and the pools still working, described; deleted ones are gone."""
    found: list[str] = []
    for timer in timers:
        try:
            if timer.isActive():
                owner = type(timer.parent()).__name__ if timer.parent() else "no parent"
                found.append(f"timer {timer.objectName() or '(unnamed)'} of {owner}, "
                             f"{timer.interval()} ms")
        except RuntimeError:  # its C++ object was deleted with its owner
            continue
    for pool in pools:
        try:
            if pool.activeThreadCount():
                owner = type(pool.parent()).__name__ if pool.parent() else "no parent"
                found.append(f"{pool.activeThreadCount()} worker(s) of the pool of {owner}")
        except RuntimeError:
            continue
    return found


@pytest.fixture(autouse=True)
def no_qt_work_left_running(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if a timer it started still runs, or a pool it used still works, at the end.

    Autouse, so it is set up before and torn down after every other fixture of the test (the
    windows are closed by then). What it finds is stopped, so the next test starts clean.
    """
    timers: list[QTimer] = []
    pools: list[QThreadPool] = []
    start_timer, start_work = QTimer.start, QThreadPool.start

    def timer_start(timer: QTimer, *args: object) -> None:
        timers.append(timer)
        start_timer(timer, *args)

    def pool_start(pool: QThreadPool, *args: object) -> None:
        pools.append(pool)
        start_work(pool, *args)

    monkeypatch.setattr(QTimer, "start", timer_start)
    monkeypatch.setattr(QThreadPool, "start", pool_start)
    yield
    left = still_running(timers, pools)
    for timer in timers:
        try:
            timer.stop()
        except RuntimeError:
            continue
    for pool in pools:
        try:
            pool.waitForDone(5000)
        except RuntimeError:
            continue
    assert not left, f"left running after the test: {left}"


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
