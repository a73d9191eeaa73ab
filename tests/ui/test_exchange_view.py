"""File ▸ Export and File ▸ Import in the window: in a worker, with a summary before importing."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from interview_journal.core import backups
from interview_journal.core.journal import ImportReport, Journal
from interview_journal.ui.dialogs import Messages
from interview_journal.ui.exchange_view import Files, ImportSummary
from interview_journal.ui.main_window import MainWindow

from .conftest import WindowFactory

DRAIN_MS = 10_000


@pytest.fixture
def ids(journal: Journal) -> dict[str, int]:
    doc = journal.create_interview_for("Acme", role="Backend engineer")
    journal.update_interview(doc.id, notes="airships and zeppelins")
    journal.add_question(doc.id, "Why us?", "Because")
    return {"acme": doc.company_id, "first": doc.id}


@pytest.fixture
def win(make_window: WindowFactory, journal: Journal, ids: dict[str, int]) -> Iterator[MainWindow]:
    made = make_window(journal)
    made.show()
    yield made
    assert made.stop_background_work(DRAIN_MS)


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Path]:
    chosen = {"save": tmp_path / "out" / "export.json", "open": tmp_path / "out" / "export.json"}
    chosen["save"].parent.mkdir()
    monkeypatch.setattr(Files, "save_to", classmethod(lambda _c, _p, _s: chosen["save"]))
    monkeypatch.setattr(Files, "open_from", classmethod(lambda _c, _p: chosen["open"]))
    return chosen


@pytest.fixture
def summaries(monkeypatch: pytest.MonkeyPatch) -> list[ImportReport]:
    """Every summary shown; each answered "Import"."""
    shown: list[ImportReport] = []

    def ask(_cls: object, _parent: object, _source: Path, report: ImportReport) -> bool:
        shown.append(report)
        return True

    monkeypatch.setattr(ImportSummary, "ask", classmethod(ask))
    return shown


def test_export_writes_the_journal_off_the_gui_thread(
    win: MainWindow, journal: Journal, files: dict[str, Path], qtbot: QtBot
) -> None:
    with qtbot.waitSignal(win.exchange.exported, timeout=10_000):
        win.action_export.trigger()
    target = files["save"]
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["format"] == "interview-journal"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert win.status_message.text() == f"Exported 1 interviews to {target}."
    assert not win.exchange_progress.isVisible()


def test_import_shows_a_summary_then_merges_and_every_view_follows(
    win: MainWindow, journal: Journal, ids: dict[str, int], files: dict[str, Path],
    summaries: list[ImportReport], qtbot: QtBot,
) -> None:
    with qtbot.waitSignal(win.exchange.exported, timeout=10_000):
        win.action_export.trigger()
    journal.trash_interview(ids["first"])
    journal.delete_permanently("interview", ids["first"])
    assert not win.tree_model.index_for_company(ids["acme"]).isValid() or (
        win.tree_model.rowCount(win.tree_model.index_for_company(ids["acme"])) == 0
    )

    with qtbot.waitSignal(win.exchange.imported, timeout=10_000):
        win.action_import.trigger()

    assert len(summaries) == 1
    assert summaries[0].dry_run
    assert summaries[0].counts["interviews"].new == 1
    back = [row for c in journal.companies() for row in journal.interviews(c.id)]
    assert [row.role for row in back] == ["Backend engineer"]
    qtbot.waitUntil(lambda: win.tree_model.index_for_interview(back[0].id).isValid())
    assert win.status_message.text().startswith("Imported: ")
    kinds = [b.kind for b in backups.list_backups(journal.folder)]
    assert kinds == [backups.Kind.PRE_IMPORT]  # the journal as it was, never rotated out


def test_a_bad_file_is_refused_in_one_sentence_and_changes_nothing(
    win: MainWindow, journal: Journal, ids: dict[str, int], files: dict[str, Path],
    summaries: list[ImportReport], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    said: list[str] = []
    monkeypatch.setattr(Messages, "error", classmethod(lambda _c, _p, _t, text: said.append(text)))
    files["open"].write_text('{"format": "interview-journal", "version": 1, ', encoding="utf-8")
    before = journal.path.read_bytes()
    with qtbot.waitSignal(win.exchange.failed, timeout=10_000):
        win.action_import.trigger()
    assert len(said) == 1
    assert "\n" not in said[0]
    assert summaries == []
    assert journal.interview(ids["first"]).notes == "airships and zeppelins"
    assert journal.path.read_bytes() == before


def test_the_summary_as_a_picture(
    win: MainWindow, journal: Journal, files: dict[str, Path], qtbot: QtBot, tmp_path: Path
) -> None:
    with qtbot.waitSignal(win.exchange.exported, timeout=10_000):
        win.action_export.trigger()
    from interview_journal.core import exchange

    document = exchange.read_export(files["save"])
    first = journal.interviews(journal.companies()[0].id)[0].id
    journal.trash_interview(first)
    journal.delete_permanently("interview", first)  # the import would bring it back
    report = journal.plan_import(document)
    box = ImportSummary.box(win, files["save"], report)
    box.show()  # laid out as exec() would
    qtbot.waitExposed(box)
    image = box.grab()
    box.close()
    image.save(str(tmp_path / "summary.png"))
    if os.environ.get("IJ_SHOTS"):
        image.save(os.environ["IJ_SHOTS"] + "/import-summary.png")
    assert "Interviews: 1 new\nQuestions: 1 new\n" in box.text()
    assert "Nothing in the journal is deleted" in box.text()


def test_an_export_the_disk_refuses_is_said_and_the_next_one_works(
    win: MainWindow, files: dict[str, Path], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    said: list[str] = []
    monkeypatch.setattr(Messages, "error", classmethod(lambda _c, _p, _t, text: said.append(text)))
    good = files["save"]
    files["save"] = good.parent / "no such folder" / "export.json"
    with qtbot.waitSignal(win.exchange.failed, timeout=10_000):
        win.action_export.trigger()
    assert len(said) == 1
    assert not win.exchange.busy
    files["save"] = good
    with qtbot.waitSignal(win.exchange.exported, timeout=10_000):
        win.action_export.trigger()
