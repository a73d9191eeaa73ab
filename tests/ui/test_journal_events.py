"""Views follow the journal's announcements: nobody refreshes them by hand after a write.

A change made through the Journal by some other part of the app (the timer marking a
reflection, a restore from the trash, a worker thread) shows in the tree, the smart groups
and the open search results; the editor's own saves never reload the text under the cursor.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from interview_journal.ui.main_window import MainWindow
from interview_journal.ui.smart_groups import DUE
from interview_journal.ui.tree_model import STATUS_ROLE, CompanyTreeModel

from .conftest import WindowFactory

DRAIN_MS = 10_000


@pytest.fixture
def due(journal: Journal, clock: FakeClock) -> dict[str, int]:
    """Acme with an interview that ended an hour ago (reflection due) and a second one."""
    clock.set(datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    acme = journal.create_company("Acme").company.id
    first = journal.create_interview(acme, role="Backend engineer")
    journal.set_schedule(first.id, date(2026, 3, 4), time(13, 0), 60)
    journal.update_interview(first.id, notes="They asked about zeppelins")
    second = journal.create_interview(acme, role="SRE", on=date(2026, 3, 1))
    journal.update_interview(second.id, notes="zeppelin again")
    return {"acme": acme, "first": first.id, "second": second.id}


@pytest.fixture
def win(make_window: WindowFactory, journal: Journal, due: dict[str, int]) -> Iterator[MainWindow]:
    """A shown window made after the interviews above, its workers drained at the end."""
    made = make_window(journal)
    made.show()
    yield made
    assert made.stop_background_work(DRAIN_MS)


def _shown_interviews(model: CompanyTreeModel, company_id: int) -> list[int]:
    """The interviews the tree lists under a company."""
    parent = model.index_for_company(company_id)
    if not parent.isValid():
        return []
    ids = [row.id for row in model.journal().interviews(company_id)]
    return [i for i in ids if model.index_for_interview(i).parent() == parent]


def search_for(qtbot: QtBot, win: MainWindow, text: str) -> list[int]:
    win.action_search.trigger()
    panel = win.search_panel
    panel.box.clear()
    with qtbot.waitSignal(panel.results_changed, timeout=5000):
        QTest.keyClicks(panel.box, text)
    return [hit.interview_id for hit in panel.model.hits]


def test_a_reflection_marked_elsewhere_shows_in_the_tree_and_the_smart_groups(
    win: MainWindow, journal: Journal, due: dict[str, int], qtbot: QtBot
) -> None:
    groups = win.tree.smart_groups.model()
    assert due["first"] in groups.interview_ids(DUE)
    assert win.open_interview(due["first"])
    row = win.tree_model.index_for_interview(due["first"])
    assert row.data(STATUS_ROLE) == "due"
    resets: list[object] = []
    win.tree_model.modelReset.connect(lambda: resets.append(True))
    groups.modelReset.connect(lambda: resets.append(True))

    journal.mark_reflected(due["first"])  # as the timer's "finish" does, not via the window

    assert due["first"] not in groups.interview_ids(DUE)
    assert win.tree_model.index_for_interview(due["first"]).data(STATUS_ROLE) == "reflected"
    assert win.editor.reflected_label.isVisibleTo(win.editor)  # the open page says so too
    assert not win.action_finish.isEnabled()
    assert resets == []  # row by row, never a reset


def test_a_restore_from_the_trash_shows_in_the_tree_groups_and_search(
    win: MainWindow, journal: Journal, due: dict[str, int], qtbot: QtBot
) -> None:
    assert sorted(search_for(qtbot, win, "zeppelin")) == sorted([due["first"], due["second"]])
    panel = win.search_panel
    groups = win.tree.smart_groups.model()

    with qtbot.waitSignal(panel.results_changed, timeout=5000):
        journal.trash_interview(due["first"])
    assert [h.interview_id for h in panel.model.hits] == [due["second"]]
    assert due["first"] not in _shown_interviews(win.tree_model, due["acme"])
    assert due["first"] not in groups.interview_ids(DUE)

    with qtbot.waitSignal(panel.results_changed, timeout=5000):
        journal.restore_interview(due["first"])
    assert sorted(h.interview_id for h in panel.model.hits) == sorted(
        [due["first"], due["second"]]
    )
    assert due["first"] in _shown_interviews(win.tree_model, due["acme"])
    assert due["first"] in groups.interview_ids(DUE)


def test_a_company_made_and_renamed_elsewhere_shows_in_the_tree(
    win: MainWindow, journal: Journal, due: dict[str, int]
) -> None:
    model = win.tree_model
    globex = journal.create_interview_for("Globex", role="Data").company_id
    names = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert any("Globex" in str(name) for name in names)
    assert win.open_interview(due["first"])

    journal.rename_company(due["acme"], "Acme Robotics")

    assert "Acme Robotics" in str(model.index_for_company(due["acme"]).data())
    assert win.editor.company_text() == "Acme Robotics"  # the open page follows
    assert win.editor.title_label.full_text().startswith("Acme Robotics")
    journal.trash_company(globex)
    assert not model.index_for_company(globex).isValid()


def test_trashing_the_open_interview_elsewhere_shows_the_empty_page(
    win: MainWindow, journal: Journal, due: dict[str, int]
) -> None:
    assert win.open_interview(due["first"])
    journal.trash_interview(due["first"])
    assert win.controller.interview_id is None


def _type_and_save(win: MainWindow, qtbot: QtBot, text: str) -> int:
    """Type ``text`` at the end of the open page's notes and save; returns the cursor's place."""
    notes = win.editor.sections["notes"]
    notes.setFocus()
    notes.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(notes, text)
    assert win.controller.has_pending()
    assert win.controller.flush()
    return notes.textCursor().position()


def _kept(win: MainWindow, position: int) -> None:
    """The notes' cursor is where it was, and Ctrl+Z still undoes the typing."""
    notes = win.editor.sections["notes"]
    assert notes.textCursor().position() == position
    assert notes.document().isUndoAvailable()


def test_the_editors_own_save_keeps_the_cursor_and_the_undo_history(
    win: MainWindow, journal: Journal, due: dict[str, int], qtbot: QtBot
) -> None:
    assert win.open_interview(due["first"])
    heard: list[Changes] = []
    win.events.changed.connect(heard.append)

    position = _type_and_save(win, qtbot, " and airships")

    assert heard, "the save was announced"
    assert heard[-1].by(win.controller)
    assert (Kind.INTERVIEW, due["first"], Op.EDITED) in heard[-1].entries
    _kept(win, position)
    assert journal.interview(due["first"]).notes.endswith(" and airships")


def test_a_change_elsewhere_that_leaves_the_text_keeps_the_cursor_and_undo(
    win: MainWindow, journal: Journal, due: dict[str, int], qtbot: QtBot
) -> None:
    assert win.open_interview(due["first"])
    position = _type_and_save(win, qtbot, " and airships")

    journal.snooze_reminder(due["first"], journal.clock.now() + timedelta(minutes=10))
    journal.mark_reflected(due["first"])

    _kept(win, position)
    assert win.editor.reflected_label.isVisibleTo(win.editor)


def test_a_content_change_elsewhere_reloads_the_page_but_never_over_pending_edits(
    win: MainWindow, journal: Journal, due: dict[str, int], qtbot: QtBot
) -> None:
    assert win.open_interview(due["first"])
    journal.update_interview(due["first"], went_well="Written by an import")
    assert win.editor.sections["went_well"].toPlainText() == "Written by an import"

    notes = win.editor.sections["notes"]
    notes.setFocus()
    notes.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(notes, "!")  # pending, not saved yet
    journal.update_interview(due["first"], went_well="Changed again")
    assert notes.toPlainText().endswith("!")  # what was typed stays on the page
    assert win.controller.flush()
    assert journal.interview(due["first"]).notes.endswith("!")


def test_a_write_on_a_worker_thread_reaches_the_views_on_the_gui_thread(
    win: MainWindow, journal: Journal, due: dict[str, int], qtbot: QtBot
) -> None:
    gui = QCoreApplication.instance()
    assert gui is not None
    threads: list[bool] = []
    win.events.changed.connect(
        lambda _changes: threads.append(QThread.currentThread() is gui.thread())
    )
    worker = threading.Thread(target=journal.mark_reflected, args=(due["first"],))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(threads))
    assert threads == [True]
    groups = win.tree.smart_groups.model()
    qtbot.waitUntil(lambda: due["first"] not in groups.interview_ids(DUE))


def test_a_structural_change_from_the_editor_does_not_reload_the_page(
    win: MainWindow, journal: Journal, due: dict[str, int], qtbot: QtBot
) -> None:
    assert win.open_interview(due["first"])
    position = _type_and_save(win, qtbot, " and airships")

    win.editor.question_add_requested.emit()  # the editor adds the card; the save is its own

    assert len(journal.interview(due["first"]).questions) == 1
    assert len(win.editor.questions.cards()) == 1
    _kept(win, position)


def test_after_a_structural_change_a_change_elsewhere_does_not_reload_the_page(
    win: MainWindow, journal: Journal, due: dict[str, int], qtbot: QtBot
) -> None:
    assert win.open_interview(due["first"])
    win.editor.question_add_requested.emit()
    question = journal.questions(due["first"])[0]
    win.editor.question_delete_requested.emit(question.id)  # offers "Undo"
    generation = win.controller.generation

    journal.dismiss_reminder(due["first"])  # from a notification, say
    journal.rename_company(due["acme"], "Acme Robotics")

    assert win.controller.generation == generation  # not loaded again
    assert win.editor.company_text() == "Acme Robotics"
    win.editor.question_undo_requested.emit()  # the undo is still there
    assert [q.question for q in journal.questions(due["first"])] == [question.question]


def test_a_change_elsewhere_while_edits_are_pending_shows_around_them(
    win: MainWindow, journal: Journal, due: dict[str, int], qtbot: QtBot
) -> None:
    assert win.open_interview(due["first"])
    notes = win.editor.sections["notes"]
    notes.setFocus()
    notes.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(notes, " pending")

    journal.rename_company(due["acme"], "Acme Robotics")
    assert win.editor.title_label.full_text().startswith("Acme Robotics")
    assert win.editor.company_text() == "Acme Robotics"
    journal.update_interview(due["first"], went_well="From an import")
    assert win.editor.sections["went_well"].toPlainText() != "From an import"  # not yet

    assert win.controller.flush()
    assert journal.interview(due["first"]).notes.endswith(" pending")
    assert win.editor.sections["went_well"].toPlainText() == "From an import"  # then read
    assert win.editor.sections["notes"].toPlainText().endswith(" pending")


def test_a_replaced_journal_shows_everywhere_at_once(
    win: MainWindow, journal: Journal, due: dict[str, int], tmp_path: Path, clock: FakeClock
) -> None:
    import shutil

    assert win.open_interview(due["first"])
    copy = tmp_path / "copy.sqlite3"
    journal.database.execute_sql("VACUUM INTO ?", (str(copy),))  # as a backup would
    journal.rename_company(due["acme"], "Acme Later")
    journal.create_interview_for("Globex", role="Data")
    assert win.editor.company_text() == "Acme Later"

    journal.replace_file(lambda: shutil.copyfile(copy, journal.path))

    model = win.tree_model
    assert model.rowCount() == 1  # Globex came after the copy
    assert model.index_for_company(due["acme"]).isValid()
    assert win.controller.interview_id == due["first"]
    assert win.editor.company_text() == "Acme"  # the page reads the restored journal too
    assert due["first"] in win.tree.smart_groups.model().interview_ids(DUE)


def test_a_window_that_is_gone_hears_nothing_more(
    make_window: WindowFactory, journal: Journal, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    made = make_window(journal)
    events = made.events
    with qtbot.waitSignal(events.destroyed):
        events.deleteLater()
    journal.create_company("After the window")  # the journal outlives its window here
    assert "observer failed" not in caplog.text
