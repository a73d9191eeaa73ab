"""File ▸ Export and File ▸ Import: the journal as JSON, out and back in, off the GUI thread.

Both run in a worker (``Exchange``) with progress in the status bar. An import is read and
planned first (nothing changes), the summary is shown (``ImportSummary``), and only on "Import"
is it written: one transaction after a backup, announced like any other write, so every view
shows what came in.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from interview_journal.core.errors import JournalError
from interview_journal.core.journal import ImportReport, Journal

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Callable[[int, int], None]], object],
                 signals: _Signals, journal: Journal) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._signals = signals
        self._journal = journal

    def run(self) -> None:
        def progress(done: int, total: int) -> None:
            with contextlib.suppress(RuntimeError):
                self._signals.progress.emit(done, total)

        try:
            result = self._work(progress)
        except Exception as error:  # said to the user; the window stays usable
            log.info("export or import stopped: %s", type(error).__name__,
                     exc_info=not isinstance(error, JournalError | OSError))
            message = str(error) if isinstance(error, JournalError | OSError) else (
                QCoreApplication.translate("Exchange", "Something went wrong (%1); nothing "
                                           "was changed.").replace("%1", type(error).__name__))
            with contextlib.suppress(RuntimeError):
                self._signals.failed.emit(message)
            return
        finally:
            self._journal.database.close()  # this pool thread's connection only
        with contextlib.suppress(RuntimeError):
            self._signals.finished.emit(result)


class Exchange(QObject):
    """Runs one export or import at a time in the window's pool."""

    progress = Signal(int, int)  # done, total
    exported = Signal(object, object)  # the path, the counts per kind
    planned = Signal(object, object)  # the document, its ImportReport (a dry run)
    imported = Signal(object)  # the ImportReport
    failed = Signal(str, str)  # what was being done ("export" / "import"), why

    def __init__(self, journal: Journal, pool: QThreadPool, parent: QObject | None = None):
        super().__init__(parent)
        self._journal = journal
        self._pool = pool
        self._cancel = threading.Event()
        self.busy = False

    def export(self, target: Path) -> bool:
        journal = self._journal
        return self._start("export", lambda progress: journal.export_json(
            target, progress=progress, cancel=self._cancel.is_set
        ), lambda counts: self.exported.emit(target, counts))

    def plan(self, source: Path) -> bool:
        """Read and check ``source`` and say what importing it would do (changes nothing)."""
        from interview_journal.core import exchange

        journal = self._journal

        def work(_progress: Callable[[int, int], None]) -> object:
            document = exchange.read_export(source)
            return document, journal.plan_import(document)

        return self._start("import", work, lambda result: self.planned.emit(*result))

    def import_document(self, document: dict[str, Any]) -> bool:
        """Merge ``document`` into the journal, after a backup (one transaction)."""
        from interview_journal.core import backups

        journal = self._journal

        def backup() -> Path:
            return backups.take_backup(journal.folder, now=journal.clock.now(),
                                       reason="pre-import", mapped=False).path

        return self._start("import", lambda progress: journal.import_json(
            document, backup=backup, progress=progress, cancel=self._cancel.is_set
        ), self.imported.emit)

    def cancel(self) -> None:
        self._cancel.set()

    def _start(self, what: str, work: Callable[[Callable[[int, int], None]], object],
               done: Callable[[Any], object]) -> bool:
        if self.busy:
            return False
        self.busy = True
        self._cancel.clear()
        signals = _Signals(self)
        signals.progress.connect(self.progress)

        def finished(result: object) -> None:
            self.busy = False
            done(result)

        def failed(message: str) -> None:
            self.busy = False
            self.failed.emit(what, message)

        signals.finished.connect(finished)
        signals.failed.connect(failed)
        self._pool.start(_Job(work, signals, self._journal))
        return True


class Files:
    """The file choosers (replaced in tests)."""

    @classmethod
    def save_to(cls, parent: QWidget, suggested: Path) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            parent, parent.tr("Export the journal"), str(suggested),
            parent.tr("Interview Journal export (*.json)"),
        )
        return Path(name) if name else None

    @classmethod
    def open_from(cls, parent: QWidget) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            parent, parent.tr("Import an export"), str(Path.home()),
            parent.tr("Interview Journal export (*.json);;All files (*)"),
        )
        return Path(name) if name else None


def summary_lines(report: ImportReport) -> list[str]:
    """"Interviews: 1 new, 2 updated" for each kind the import changes (unchanged left out),
    and "kept" for the journal's copies that are newer than the file's."""
    tr = QCoreApplication.translate
    lines = []
    for kind, counts in report.counts.items():
        parts = [
            tr("ImportSummary", template).replace("%1", f"{count:,}")
            for template, count in (("%1 new", counts.new), ("%1 updated", counts.updated),
                                    ("%1 kept (yours is newer)", counts.kept))
            if count
        ]
        if parts:
            lines.append(f"{kind.replace('_', ' ').capitalize()}: {', '.join(parts)}")
    return lines


class ImportSummary:
    """What importing a file would do, and the question whether to do it."""

    @classmethod
    def box(cls, parent: QWidget, source: Path, report: ImportReport) -> QMessageBox:
        """The question (``importSummary``); with nothing to bring, only the news of it."""
        tr = parent.tr
        if not report.changes:
            box = QMessageBox(QMessageBox.Icon.Information, tr("Import"),
                              tr("%1 holds nothing the journal does not have already.")
                              .replace("%1", source.name), QMessageBox.StandardButton.Ok, parent)
            box.setObjectName("importSummary")
            box.setTextFormat(Qt.TextFormat.PlainText)
            return box
        text = (
            tr("Importing %1 would bring:").replace("%1", source.name) + "\n\n"
            + "\n".join(summary_lines(report)) + "\n\n"
            + tr("Nothing in the journal is deleted; where both have a copy, the newer one "
                 "wins. A backup is taken first.")
        )
        box = QMessageBox(QMessageBox.Icon.Question, tr("Import"), text,
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("importSummary")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.addButton(tr("Import"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        return box

    @classmethod
    def ask(cls, parent: QWidget, source: Path, report: ImportReport) -> bool:
        """True when the user chose Import (Cancel is the default)."""
        box = cls.box(parent, source, report)
        box.exec()
        clicked = box.clickedButton()
        return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole
