"""Backups while the window runs, and restoring one in the same window."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from interview_journal.core import backups, paths
from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from interview_journal.ui.backup_view import RestoreDialog
from interview_journal.ui.dialogs import Messages
from interview_journal.ui.main_window import MainWindow

from .conftest import WindowFactory

DRAIN_MS = 10_000


@pytest.fixture
def ids(journal: Journal) -> dict[str, int]:
    doc = journal.create_interview_for("Acme", role="Backend engineer")
    journal.update_interview(doc.id, notes="before the backup")
    return {"acme": doc.company_id, "first": doc.id}


@pytest.fixture
def win(make_window: WindowFactory, journal: Journal, ids: dict[str, int]) -> Iterator[MainWindow]:
    made = make_window(journal)
    made.show()
    yield made
    made._quitting_backup = False  # the test's own teardown takes no backup
    assert made.stop_background_work(DRAIN_MS)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(Messages, "error", classmethod(lambda _c, _p, _t, text: said.append(text)))
    return said


def listed(journal: Journal) -> list[backups.Backup]:
    return backups.list_backups(journal.folder)


def test_a_journal_without_backups_is_backed_up_at_start_and_says_when(
    win: MainWindow, journal: Journal, qtbot: QtBot
) -> None:
    assert listed(journal) == []
    win.start_backups()
    qtbot.waitUntil(lambda: win.status_backup.isVisible(), timeout=10_000)
    assert win.status_backup.text() == "Backed up today at 09:00"
    assert [b.interview_count for b in listed(journal)] == [1]
    assert win.backup_runner.timer.isActive()


def test_a_change_is_backed_up_at_the_next_half_hour_and_nothing_else_is(
    win: MainWindow, journal: Journal, ids: dict[str, int], qtbot: QtBot, clock: FakeClock
) -> None:
    win.start_backups()
    qtbot.waitUntil(lambda: len(listed(journal)) == 1, timeout=10_000)
    runner = win.backup_runner
    clock.advance(minutes=31)
    runner.timer.timeout.emit()  # nothing written since: nothing taken
    assert not runner._running
    journal.update_interview(ids["first"], notes="after the backup")
    runner.timer.timeout.emit()
    qtbot.waitUntil(lambda: len(listed(journal)) == 2, timeout=10_000)
    assert win.status_backup.text() == "Backed up today at 09:31"


def test_back_up_now_and_at_quit(
    win: MainWindow, journal: Journal, ids: dict[str, int], qtbot: QtBot, clock: FakeClock
) -> None:
    win.start_backups()
    qtbot.waitUntil(lambda: len(listed(journal)) == 1, timeout=10_000)
    clock.advance(seconds=5)
    with qtbot.waitSignal(win.backup_runner.taken, timeout=10_000):
        win.action_back_up.trigger()
    assert len(listed(journal)) == 2
    clock.advance(seconds=5)
    journal.update_interview(ids["first"], notes="written just before quitting")
    win._quitting_backup = True
    assert win.stop_background_work(DRAIN_MS)  # the window closes
    assert len(listed(journal)) == 3


def test_a_failing_backup_is_said_once_and_never_stops_the_app(
    win: MainWindow, journal: Journal, ids: dict[str, int], qtbot: QtBot
) -> None:
    backups_dir = paths.backups_dir(journal.folder)
    backups_dir.write_text("not a folder")  # every backup now fails
    runner = win.backup_runner
    failures: list[str] = []
    runner.failed.connect(failures.append)
    win.start_backups()
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert win.status_message.text().startswith("No backup could be taken: ")
    win.status_message.setText("")
    journal.update_interview(ids["first"], notes="still working")
    runner.timer.timeout.emit()
    qtbot.waitUntil(lambda: not runner._running, timeout=10_000)
    assert failures == [failures[0]]  # said once
    assert win.status_message.text() == ""
    assert journal.interview(ids["first"]).notes == "still working"


def test_restore_puts_the_backup_back_in_this_window(
    win: MainWindow, journal: Journal, ids: dict[str, int], qtbot: QtBot, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    first = backups.take_backup(journal.folder, now=clock.now())
    clock.advance(minutes=5)
    assert win.open_interview(ids["first"])
    journal.update_interview(ids["first"], notes="written after the backup")
    later = journal.create_interview_for("Globex")

    dialog = RestoreDialog(journal, win)
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 2).data() == "1"
    image = dialog.grab()
    image.save(str(tmp_path / "restore.png"))
    if os.environ.get("IJ_SHOTS"):
        image.save(os.environ["IJ_SHOTS"] + "/restore.png")
    monkeypatch.setattr(RestoreDialog, "ask", classmethod(lambda _c, _p, _j: first))

    win.action_restore.trigger()

    assert journal.interview(ids["first"]).notes == "before the backup"
    assert not win.tree_model.index_for_company(later.company_id).isValid()
    assert win.editor.sections["notes"].toPlainText() == "before the backup"
    kinds = [b.kind for b in listed(journal)]
    assert backups.Kind.PRE_RESTORE in kinds  # the journal as it was is kept
    assert win.status_message.text().startswith("Restored the backup taken ")


def test_a_corrupt_backup_is_refused_and_the_journal_kept(
    win: MainWindow, journal: Journal, ids: dict[str, int], clock: FakeClock,
    errors: list[str],
) -> None:
    made = backups.take_backup(journal.folder, now=clock.now())
    data = bytearray(made.path.read_bytes())
    data[0:16] = b"\x00" * 16  # no longer a SQLite file
    made.path.write_bytes(bytes(data))
    journal.update_interview(ids["first"], notes="kept")

    assert not win.restore_backup(made)

    assert len(errors) == 1
    assert journal.interview(ids["first"]).notes == "kept"
    journal.update_interview(ids["first"], notes="and still writable")


def test_an_empty_restore_dialog_says_when_backups_come(win: MainWindow, journal: Journal) -> None:
    dialog = RestoreDialog(journal, win)
    assert dialog.model.rowCount() == 0
    assert not dialog.restore_button.isEnabled()
    assert "every half hour" in dialog.empty_label.text()


def test_changes_made_when_no_backup_was_due_are_backed_up_later(
    win: MainWindow, journal: Journal, ids: dict[str, int], qtbot: QtBot, clock: FakeClock
) -> None:
    win.start_backups()
    qtbot.waitUntil(lambda: len(listed(journal)) == 1, timeout=10_000)
    runner = win.backup_runner
    journal.update_interview(ids["first"], notes="edited ten minutes after the backup")
    clock.advance(minutes=10)
    runner.timer.timeout.emit()  # not due yet: the newest is ten minutes old
    qtbot.waitUntil(lambda: not runner._running, timeout=10_000)
    assert len(listed(journal)) == 1
    clock.advance(minutes=25)
    runner.timer.timeout.emit()  # due now, and the edit is still owed
    qtbot.waitUntil(lambda: len(listed(journal)) == 2, timeout=10_000)


def test_a_backup_that_fails_with_the_disk_is_said_and_the_next_one_still_runs(
    win: MainWindow, journal: Journal, ids: dict[str, int], qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock,
) -> None:
    real = backups.take_backup
    calls: list[int] = []

    def flaky(*args: object, **kwargs: object) -> backups.Backup:
        calls.append(1)
        if len(calls) == 1:
            raise PermissionError("the drive refuses links")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backups, "take_backup", flaky)
    runner = win.backup_runner
    failures: list[str] = []
    runner.failed.connect(failures.append)
    win.action_back_up.trigger()
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert "PermissionError" in failures[0]
    with qtbot.waitSignal(runner.taken, timeout=10_000):
        win.action_back_up.trigger()  # not stuck
