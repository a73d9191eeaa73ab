"""The Trash window: it lists what was trashed, restores it exactly, and deletes for good."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import NotFound
from interview_journal.core.journal import Journal
from interview_journal.ui.main_window import MainWindow
from interview_journal.ui.trash_view import Confirm, TrashDialog

from .conftest import WindowFactory

DRAIN_MS = 10_000


@pytest.fixture
def ids(journal: Journal) -> dict[str, int]:
    acme = journal.create_interview_for("Acme", role="Backend engineer", on=date(2026, 2, 20))
    journal.update_interview(acme.id, notes="zeppelin notes")
    journal.add_question(acme.id, "Why us?", "Because")
    globex = journal.create_interview_for("Globex", role="SRE", stage="technical",
                                          on=date(2026, 2, 24))
    return {"acme": acme.company_id, "acme_one": acme.id, "globex": globex.company_id,
            "globex_one": globex.id}


@pytest.fixture
def win(make_window: WindowFactory, journal: Journal, ids: dict[str, int]) -> Iterator[MainWindow]:
    made = make_window(journal)
    made.show()
    yield made
    assert made.stop_background_work(DRAIN_MS)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every confirmation asked; each answered yes (append "no" first to refuse the next)."""
    asked: list[str] = []

    def ask(_cls: object, _parent: object, title: str, text: str, _act: str) -> bool:
        refuse = bool(asked) and asked[-1] == "no"
        asked.append(text)
        return not refuse

    monkeypatch.setattr(Confirm, "ask", classmethod(ask))
    return asked


def shown_trash(win: MainWindow) -> TrashDialog:
    win.action_show_trash.trigger()
    return win.trash_view


def labels(view: TrashDialog) -> list[str]:
    return [str(view.model.index(row, 0).data()) for row in range(view.model.rowCount())]


def test_an_empty_trash_says_so(win: MainWindow, qtbot: QtBot) -> None:
    view = shown_trash(win)
    qtbot.waitUntil(view.isVisible)
    assert view.objectName() == "trashView"
    assert view.empty_label.isVisible()
    assert not view.list.isVisible()
    assert not view.empty_button.isEnabled()
    assert not view.restore_button.isEnabled()


def test_it_lists_what_is_trashed_and_follows_the_tree(
    win: MainWindow, journal: Journal, ids: dict[str, int], qtbot: QtBot, clock: FakeClock
) -> None:
    journal.trash_interview(ids["globex_one"])
    view = shown_trash(win)
    qtbot.waitUntil(view.isVisible)
    assert len(labels(view)) == 1
    assert labels(view)[0].startswith("Globex: ")
    assert "Technical · SRE" in labels(view)[0]
    assert "trashed" in labels(view)[0]

    clock.advance(timedelta(minutes=1))
    win.tree.trash_company_requested.emit(ids["acme"])  # trashed from the tree meanwhile

    assert len(labels(view)) == 2
    assert labels(view)[0].startswith("Acme (1 interview)")  # the latest first
    assert view.list.isVisible()
    assert view.restore_button.isEnabled()


def test_restore_puts_it_back_in_the_tree_and_opens_it(
    win: MainWindow, journal: Journal, ids: dict[str, int], qtbot: QtBot
) -> None:
    before = journal.interview(ids["acme_one"])
    win.tree.trash_interview_requested.emit(ids["acme_one"])
    assert not win.tree_model.index_for_interview(ids["acme_one"]).isValid()
    view = shown_trash(win)
    qtbot.waitUntil(view.isVisible)
    view.list.setFocus()
    view.select_row(0)

    QTest.keyClick(view.list, Qt.Key.Key_Return)  # Enter restores

    assert view.model.rowCount() == 0
    assert win.tree_model.index_for_interview(ids["acme_one"]).isValid()
    assert win.controller.interview_id == ids["acme_one"]
    assert journal.interview(ids["acme_one"]) == before  # exactly as it was
    assert not win.action_undo_trash.isEnabled()  # nothing left to undo


def test_delete_permanently_asks_once_then_deletes_and_purges(
    win: MainWindow, journal: Journal, ids: dict[str, int], answers: list[str], qtbot: QtBot
) -> None:
    win.tree.trash_interview_requested.emit(ids["acme_one"])
    view = shown_trash(win)
    qtbot.waitUntil(view.isVisible)
    view.select_row(0)

    view.delete_button.click()

    assert len(answers) == 1
    assert "Backups keep deleted notes" in answers[0]
    with pytest.raises(NotFound):
        journal.interview(ids["acme_one"])
    assert view.model.rowCount() == 0
    assert not win.action_undo_trash.isEnabled()  # it cannot come back
    assert win.purger.pending
    win.purger.timer.setInterval(0)
    win.purger.schedule()
    qtbot.waitUntil(lambda: not win.purger.pending, timeout=10_000)
    assert b"zeppelin" not in journal.path.read_bytes()


def test_a_refused_question_deletes_nothing(
    win: MainWindow, journal: Journal, ids: dict[str, int], answers: list[str], qtbot: QtBot
) -> None:
    journal.trash_company(ids["globex"])
    view = shown_trash(win)
    qtbot.waitUntil(view.isVisible)
    answers.append("no")
    view.empty_button.click()
    assert view.model.rowCount() == 1
    assert journal.companies(trashed=True)[0].id == ids["globex"]
    assert not win.purger.pending


def test_empty_trash_deletes_everything_in_it(
    win: MainWindow, journal: Journal, ids: dict[str, int], answers: list[str], qtbot: QtBot
) -> None:
    journal.trash_company(ids["globex"])
    journal.trash_interview(ids["acme_one"])
    view = shown_trash(win)
    qtbot.waitUntil(view.isVisible)
    view.empty_button.click()
    assert "(2 items)" in answers[0]
    assert view.model.rowCount() == 0
    assert view.empty_label.isVisible()
    assert [c.name for c in journal.companies()] == ["Acme"]
    assert journal.interviews(ids["acme"]) == []
    win.purger.stop()


def test_the_trash_as_a_picture(
    win: MainWindow, journal: Journal, ids: dict[str, int], qtbot: QtBot, tmp_path: object
) -> None:
    journal.trash_company(ids["globex"])
    journal.trash_interview(ids["acme_one"])
    view = shown_trash(win)
    qtbot.waitUntil(view.isVisible)
    image = view.grab()
    assert not image.isNull()
    image.save(str(tmp_path) + "/trash.png")
    if os.environ.get("IJ_SHOTS"):
        image.save(os.environ["IJ_SHOTS"] + "/trash.png")


def test_a_purge_still_waiting_runs_when_the_window_closes(
    win: MainWindow, journal: Journal, ids: dict[str, int], answers: list[str], qtbot: QtBot
) -> None:
    journal.trash_interview(ids["acme_one"])
    view = shown_trash(win)
    qtbot.waitUntil(view.isVisible)
    view.select_row(0)
    view.delete_button.click()
    assert win.purger.timer.isActive()  # waiting for the user to leave the journal alone

    assert win.stop_background_work(DRAIN_MS)  # the window closes before that

    assert not win.purger.pending
    assert b"zeppelin" not in journal.path.read_bytes()
