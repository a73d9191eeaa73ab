"""The journal's check when the app opens it: what ``interview-journal check`` does, off the GUI
thread, while the journal is already on screen (DESIGN.md 6: start-up stays lean).

Until the check has passed the Journal holds every write (``Journal.hold_writes``), so a
damaged journal never takes a change. The worker reads the file through a read-only
connection of its own (``core.db.inspect``) and reports once, through a signal of a
``QObject`` on the GUI thread; it never touches a widget.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from interview_journal.core import db as dbmod
from interview_journal.core.errors import DatabaseDamaged

log = logging.getLogger(__name__)


class _CheckSignals(QObject):
    """Lives on the GUI thread; the worker reports through it."""

    finished = Signal(str)  # "" when the journal is whole, else why it is not (one line)


class _CheckWorker(QRunnable):
    def __init__(self, path: Path, signals: _CheckSignals, stop: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._path = path
        self._signals = signals
        self._stop = stop

    def run(self) -> None:
        try:
            problem = damage(self._path, self._stop.is_set)
        except dbmod.CheckCancelled:
            log.info("journal check cancelled")
            return
        except Exception as error:  # unforeseen: never leave the app waiting for the check
            log.exception("journal check failed")
            problem = f"The journal could not be checked ({type(error).__name__})."
        if self._stop.is_set():
            return
        try:
            self._signals.finished.emit(problem)
        except RuntimeError:  # the window was destroyed meanwhile
            log.info("journal check finished after its window closed")


def damage(path: Path, cancelled: Callable[[], bool] | None = None) -> str:
    """Why the journal at ``path`` must not be written to (one line), or "" if it is whole:
    the integrity check and the schema check ``interview-journal check`` runs."""
    try:
        status = dbmod.inspect(path, cancelled)
    except DatabaseDamaged as error:
        return str(error)
    if status.healthy or not status.exists:
        return ""
    detail = status.schema[0] if status.schema else status.integrity[0]
    return (
        f"The journal {path} failed its check ({detail}), so it was not opened for writing "
        "and was left as it is. Restore it from a backup."
    )


class JournalCheck(QObject):
    """Checks the open journal's file in a worker; ``finished(problem)`` comes once, with ""
    when the journal is whole. ``cancel()`` (on quit) stops it without a report."""

    finished = Signal(str)

    def __init__(self, path: Path, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._pool = pool
        self._stop = threading.Event()
        self._signals = _CheckSignals(self)
        self._signals.finished.connect(self._on_worker_finished)
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Start the check (once)."""
        if self._running:
            return
        self._running = True
        log.info("checking the journal")
        self._pool.start(_CheckWorker(self._path, self._signals, self._stop))

    def cancel(self) -> None:
        """Stop the check; it reports nothing."""
        self._stop.set()
        self._running = False

    @Slot(str)
    def _on_worker_finished(self, problem: str) -> None:
        if self._stop.is_set():
            return
        self._running = False
        log.info("journal check: %s", "damaged" if problem else "ok")
        self.finished.emit(problem)
