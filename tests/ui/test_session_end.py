"""Logging out or shutting down: the window saves first; if it cannot, it asks once, when the
session manager allows it, and "no" cancels the logout (docs/data-safety.md: nothing lost).

Qt gives no way to make a real ``QSessionManager``, so a stand-in with its three methods is
handed to ``MainWindow.commit_data``, the slot the app connects to ``commitDataRequest``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core.journal import Journal
from interview_journal.ui import dialogs
from interview_journal.ui.main_window import MainWindow

from .test_editor import open_in


@dataclass
class FakeSessionManager:
    """What ``commit_data`` uses of a QSessionManager."""

    interaction: bool
    calls: list[str] = field(default_factory=list)

    def allowsInteraction(self) -> bool:  # noqa: N802  (Qt's name)
        self.calls.append("allowsInteraction")
        return self.interaction

    def cancel(self) -> None:
        self.calls.append("cancel")

    def release(self) -> None:
        self.calls.append("release")


@pytest.fixture
def unsaved(
    qtbot: QtBot, two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> Iterator[Journal]:
    """The window holds typed text that cannot be saved (the journal is read-only)."""
    editor = open_in(window, two_interviews[0])
    journal.database.execute_sql("PRAGMA query_only = 1")
    qtbot.keyClicks(editor.sections["notes"], "typed before logging out")
    yield journal
    journal.database.execute_sql("PRAGMA query_only = 0")


def _answer(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[str]:
    asked: list[str] = []

    def ask(_cls: type, _parent: QWidget, text: str) -> bool:
        asked.append(text)
        return answer

    monkeypatch.setattr(dialogs.Messages, "confirm_end_session", classmethod(ask))
    monkeypatch.setattr(dialogs.Messages, "confirm_discard", classmethod(ask))
    return asked


def test_a_session_ending_with_everything_saved_asks_nothing(
    two_interviews: tuple[int, int], window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _answer(monkeypatch, False)
    manager = FakeSessionManager(interaction=True)

    window.commit_data(manager)  # type: ignore[arg-type]

    assert asked == []
    assert manager.calls == []


def test_no_cancels_the_logout_and_keeps_the_text(
    unsaved: Journal, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _answer(monkeypatch, False)
    manager = FakeSessionManager(interaction=True)

    window.commit_data(manager)  # type: ignore[arg-type]

    assert len(asked) == 1
    assert "could not be saved" in asked[0]
    assert manager.calls == ["allowsInteraction", "cancel", "release"]
    assert window.editor.sections["notes"].toPlainText().endswith("typed before logging out")
    unsaved.database.execute_sql("PRAGMA query_only = 0")
    assert window.flush()  # still there to save once the journal can be written


def test_yes_lets_the_session_end_and_the_window_close_without_asking_again(
    unsaved: Journal, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _answer(monkeypatch, True)
    manager = FakeSessionManager(interaction=True)

    window.commit_data(manager)  # type: ignore[arg-type]
    closed = window.close()

    assert manager.calls == ["allowsInteraction", "release"]
    assert closed
    assert len(asked) == 1  # the close that follows does not ask a second time


def test_without_interaction_the_session_ends_without_a_dialog(
    unsaved: Journal, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _answer(monkeypatch, True)
    manager = FakeSessionManager(interaction=False)

    window.commit_data(manager)  # type: ignore[arg-type]
    closed = window.close()

    assert manager.calls == ["allowsInteraction"]
    assert closed
    assert asked == []  # nobody could answer: a modal box would hold the logout up


@pytest.mark.parametrize(
    ("button", "expected"), [("Cancel logging out", False), ("Log out without saving", True)]
)
def test_the_logout_question_offers_both_answers_and_defaults_to_staying(
    qtbot: QtBot, button: str, expected: bool
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        seen["default"] = box.defaultButton().text()
        seen["text"] = box.text()
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, answer)
    result = dialogs.Messages.confirm_end_session(None, "<b>not</b> saved")

    assert result is expected
    assert seen == {
        "buttons": ["Cancel logging out", "Log out without saving"],
        "default": "Cancel logging out",
        "text": "<b>not</b> saved",  # plain text, shown as typed
    }


def test_quitting_with_an_edit_the_full_disk_refused_never_touches_the_closed_journal(
    qtbot: QtBot, two_interviews: tuple[int, int], window: MainWindow, journal: Journal,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As after SIGTERM's grace period on a full disk: the edit is still pending when the
    # session closes the journal; a focus change or close while the window is torn down
    # used to write through an uninitialised proxy ("Cannot use uninitialized Proxy").
    from PySide6.QtWidgets import QApplication

    from interview_journal.ui import app
    from interview_journal.ui.instance import SingleInstance

    asked = _answer(monkeypatch, True)
    editor = open_in(window, two_interviews[0])
    pages = journal.database.execute_sql("PRAGMA page_count").fetchone()[0]
    journal.database.execute_sql(f"PRAGMA max_page_count = {pages}")  # the disk is full
    editor.sections["notes"].setPlainText("typed on a full disk " * 20_000)
    assert not window.flush()
    assert "disk is full" in window.controller.message
    session = app.Session(QApplication.instance(), window, SingleInstance(journal.folder))
    session.journal = journal

    session.close()  # what Session.exec does once the event loop has ended

    assert journal.closed
    assert not window.controller.flush()  # still pending, and no exception
    window.close()
    assert asked  # closing asked about the unsaved text instead of raising


def test_a_session_ending_while_a_worker_holds_the_journal_waits_and_saves(
    two_interviews: tuple[int, int], window: MainWindow, journal: Journal,
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
) -> None:
    import sqlite3
    import threading
    from contextlib import closing

    from PySide6.QtCore import QRunnable

    asked = _answer(monkeypatch, False)
    journal.database.execute_sql("PRAGMA busy_timeout = 50")  # the window's, not a worker's
    editor = open_in(window, two_interviews[0])
    qtbot.keyClicks(editor.sections["notes"], "typed while the purge ran")
    holding, release = threading.Event(), threading.Event()

    class Holder(QRunnable):  # as the purge's VACUUM holds the write lock
        def run(self) -> None:
            with closing(sqlite3.connect(journal.path, timeout=5)) as conn:
                conn.execute("BEGIN IMMEDIATE")
                holding.set()
                release.wait(10)
                conn.rollback()

    window.pool.start(Holder())
    assert holding.wait(10)
    real_wait = window.pool.waitForDone

    def wait_for_workers(msecs: int = -1) -> bool:
        release.set()  # the worker finishes while the window waits for it
        return real_wait(msecs)

    monkeypatch.setattr(window.pool, "waitForDone", wait_for_workers)
    manager = FakeSessionManager(interaction=False)

    window.commit_data(manager)  # type: ignore[arg-type]

    assert asked == []
    assert not window._closing_confirmed  # nothing was given up
    assert journal.interview(two_interviews[0]).notes.endswith("typed while the purge ran")
