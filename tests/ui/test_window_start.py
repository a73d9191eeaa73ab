"""The window paints before its journal opens, then shows the journal (docs/architecture.md,
Start-up).

``MainWindow(None, settings)`` is the frame the app shows first; ``attach()`` builds the panes
into it. Until then nothing that needs the journal can be started from the window.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel, QTreeView
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.commands import ReflectRequest
from interview_journal.core.journal import Journal
from interview_journal.ui.main_window import MainWindow

OPENING = "Opening your journal…"
NEEDS_JOURNAL = ("actionNewInterview", "actionJustFinished", "actionSearch", "actionSettings")


@pytest.fixture
def frame(qtbot: QtBot, settings_path: Path, journal: Journal) -> Iterator[MainWindow]:
    """A window built without its journal, as the app builds it before the first paint.

    It depends on ``journal`` so that it is torn down while the journal is still open.
    """
    window = MainWindow(None, QSettings(str(settings_path), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    yield window
    window.flush()
    window.stop_timers()


def _action_enabled(window: MainWindow, name: str) -> bool:
    return next(a for a in window.actions() if a.objectName() == name).isEnabled()


def _opening_label(window: MainWindow) -> QLabel | None:
    return next((label for label in window.findChildren(QLabel) if label.text() == OPENING), None)


def test_the_frame_says_the_journal_is_opening_and_offers_nothing_that_needs_it(
    frame: MainWindow, qtbot: QtBot
) -> None:
    with qtbot.waitSignal(frame.first_painted):
        frame.show()

    label = _opening_label(frame)
    assert label is not None
    assert label.isVisible()
    assert frame.findChild(QTreeView, "companyTree") is None
    assert [name for name in NEEDS_JOURNAL if _action_enabled(frame, name)] == []
    assert _action_enabled(frame, "actionQuit")
    assert frame.flush()  # nothing to save yet
    assert frame.close()


def test_attach_builds_the_panes_into_the_frame_and_enables_its_actions(
    frame: MainWindow, journal: Journal, qtbot: QtBot
) -> None:
    journal.create_company("Acme")
    with qtbot.waitSignal(frame.first_painted):
        frame.show()
    frame.activateWindow()
    qtbot.waitUntil(frame.isActiveWindow)

    with qtbot.waitSignal(frame.journal_attached):
        frame.attach(journal)
    with qtbot.waitSignal(frame.journal_shown):
        pass  # the next frame has the journal in it

    tree = frame.findChild(QTreeView, "companyTree")
    assert tree is not None
    assert tree.isVisible()
    assert tree.model().rowCount() == 1
    assert QApplication.focusWidget() is tree  # keyboard users start in the tree
    assert frame.editor.isVisible()
    qtbot.waitUntil(lambda: _opening_label(frame) is None)  # the frame's line is gone
    assert [name for name in NEEDS_JOURNAL if not _action_enabled(frame, name)] == []
    assert frame.splitter.count() == 2


def test_the_panes_take_the_sizes_the_frame_restored(
    qtbot: QtBot, settings_path: Path, journal: Journal
) -> None:
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    earlier = MainWindow(journal, settings)
    qtbot.addWidget(earlier)
    earlier.resize(760, 600)  # within the offscreen screen, so the geometry restores as is
    with qtbot.waitSignal(earlier.first_painted):
        earlier.show()
    earlier.splitter.setSizes([250, 510])  # the editor keeps its minimum width
    wanted = earlier.splitter.sizes()
    earlier.save_layout()
    earlier.close()

    window = MainWindow(None, settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted):
        window.show()
    first_frame = window.splitter.sizes()
    assert abs(first_frame[0] - wanted[0]) <= 2  # the restored state keeps requested sizes
    window.attach(journal)

    with qtbot.waitSignal(window.journal_shown):
        pass
    after = window.splitter.sizes()
    assert abs(after[0] - first_frame[0]) <= 2  # the panes do not jump (a pixel of rounding)
    window.stop_timers()


def test_a_reflect_command_handed_over_before_the_journal_opens_runs_once_it_is(
    frame: MainWindow, journal: Journal, clock: FakeClock, qtbot: QtBot
) -> None:
    clock.set(datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    frame.show()
    frame.handle_message({
        "argv": ["reflect", "--company", "Acme"],
        "activation_token": "",
        "command": ReflectRequest(company="Acme"),
    })
    assert not hasattr(frame, "journal")

    frame.attach(journal)

    qtbot.waitUntil(lambda: frame.controller.interview_id is not None)
    doc = journal.interview(frame.controller.interview_id)
    assert doc.company_name == "Acme"
    assert frame.timer_controller.timers.current is not None  # the reflection block runs
