"""Another program holding the journal's write lock for 2 s makes autosave wait, not fail
(docs/data-safety.md).

The window runs in this process over the journal the app opens for its GUI thread
(``ui.app.open_journal``, with its short busy timeout). A separate process, plain Python
``sqlite3``, takes the write lock with ``BEGIN IMMEDIATE`` and holds it until told to let go.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTreeView
from pytestqt.qtbot import QtBot

from interview_journal.core.journal import InterviewDoc, Journal
from interview_journal.ui import app, dialogs
from interview_journal.ui.main_window import MainWindow

from .app_support import Child, make_env, read_journal

HOLD_MS = 2000
TICK_MS = 20
TEXT = "Waited for the lock"


@pytest.fixture
def gui_journal(data_dir: Path) -> Iterator[Journal]:
    """The journal as the app opens it for the GUI thread."""
    journal = app.open_journal(data_dir)
    yield journal
    journal.close()


@pytest.fixture
def interview(gui_journal: Journal) -> InterviewDoc:
    """An interview in the journal before the window opens."""
    return gui_journal.create_interview_for("Acme", role="SRE")


@pytest.fixture
def window(
    qtbot: QtBot,
    gui_journal: Journal,
    interview: InterviewDoc,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[MainWindow]:
    """The real main window over the GUI journal.

    Closed by this fixture, after the locker is gone (not by qtbot, which closes its widgets
    before fixtures end); should closing still find the save failing, "close without saving"
    is answered instead of a modal box that nobody could click.
    """
    monkeypatch.setattr(dialogs.Messages, "confirm_discard", classmethod(lambda *_args: True))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    made = MainWindow(gui_journal, settings)
    made.show()
    yield made
    made.close()
    made.deleteLater()


@pytest.fixture
def locker(tmp_path: Path, data_dir: Path, gui_journal: Journal) -> Iterator[Child]:
    """A separate process holding the journal's write lock until told to let go."""
    child = Child.locker(data_dir, make_env(tmp_path / "locker"), tmp_path / "locker.txt")
    yield child
    child.close()


def test_a_held_write_lock_keeps_the_save_pending_and_the_gui_responsive(
    qtbot: QtBot, window: MainWindow, interview: InterviewDoc, data_dir: Path, locker: Child
) -> None:
    doc = interview
    tree_view = window.findChild(QTreeView, "companyTree")
    assert tree_view is not None
    assert window.tree.select_interview(doc.id)
    QTest.keyClick(tree_view, Qt.Key.Key_Return)
    controller = window.controller
    assert controller.interview_id == doc.id
    states: list[str] = []
    controller.state_changed.connect(lambda state, _message: states.append(state))
    ticks: list[float] = []
    ticker = QTimer()
    ticker.setInterval(TICK_MS)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))

    QTest.keyClicks(window.editor.sections["went_well"], TEXT)
    assert controller.state == "unsaved"
    held_from = time.monotonic()
    ticker.start()
    assert not controller.flush(), "the save went through although the journal was locked"
    assert controller.state == "saving"
    qtbot.wait(HOLD_MS)  # the debounce and the busy retries run meanwhile
    held_for = time.monotonic() - held_from
    ticker.stop()

    # The GUI thread kept handling events: the timer ticked all along, with no long gap.
    edges = [held_from, *ticks, held_from + held_for]
    longest = max(later - earlier for earlier, later in zip(edges, edges[1:], strict=False))
    assert len(ticks) >= HOLD_MS // TICK_MS // 4, f"only {len(ticks)} ticks in {held_for:.2f} s"
    # Each save attempt may wait ~50 ms; a GUI thread that waited out the lock would stall for
    # the rest of the hold. The bound leaves room for a busy machine descheduling this process.
    assert longest < 1.0, f"the GUI thread was blocked for {longest:.2f} s"
    assert "failed" not in states, f"a busy journal was reported as a failed save: {states}"
    assert controller.state == "saving"
    assert controller.has_pending()
    assert states.count("saving") >= 6, f"the save was not retried while it waited: {states}"
    assert read_journal(data_dir).texts[doc.uuid]["went_well"] == ""

    locker.release()
    with qtbot.waitSignal(controller.saved, timeout=3000):
        pass
    assert controller.state == "saved"
    assert read_journal(data_dir).texts[doc.uuid]["went_well"] == TEXT
