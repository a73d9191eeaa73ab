"""The journal's check when the app opens it: what ``interview-journal check`` does, off the GUI
thread, while the journal is already on screen (docs/architecture.md: start-up stays lean).

Until the check has passed the Journal holds every write (``Journal.hold_writes``), so a
damaged journal never takes a change. The worker reads the file through a read-only
connection of its own (``core.db.inspect``, without the search index: the index upkeep
checks that in the background) and reports once, through a signal of a ``QObject`` on the
GUI thread; it never touches a widget.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from interview_journal.core import db as dbmod
from interview_journal.core import errors

log = logging.getLogger(__name__)

OK = "ok"
DAMAGED = "damaged"  # the journal failed its check: the app ends with exit 4
UNAVAILABLE = "unavailable"  # the disk or a lock stopped the check: writes stay held, retried
FAILED = "failed"  # something unexpected (a bug): the app ends with exit 1


@dataclass(frozen=True)
class CheckOutcome:
    """What the start-up check found: ``status`` is one of OK, DAMAGED, UNAVAILABLE, FAILED,
    and ``message`` the one line for the user ("" when OK)."""

    status: str
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK


class _CheckSignals(QObject):
    """Lives on the GUI thread; the worker reports through it."""

    finished = Signal(object)  # a CheckOutcome


class _CheckWorker(QRunnable):
    def __init__(self, path: Path, signals: _CheckSignals, stop: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._path = path
        self._signals = signals
        self._stop = stop

    def run(self) -> None:
        try:
            outcome = check(self._path, self._stop.is_set)
        except dbmod.CheckCancelled:
            log.info("journal check cancelled")
            return
        except Exception as error:  # a bug: say so (exit 1), never call the journal damaged
            log.error("journal check failed (%s)\n%s", type(error).__name__,
                      errors.log_text(error))
            outcome = CheckOutcome(
                FAILED,
                f"The journal could not be checked ({type(error).__name__}). The log has the "
                "details.",
            )
        if self._stop.is_set():
            return
        try:
            self._signals.finished.emit(outcome)
        except RuntimeError:  # the window was destroyed meanwhile
            log.info("journal check finished after its window closed")


def check(path: Path, cancelled: Callable[[], bool] | None = None) -> CheckOutcome:
    """Check the journal at ``path`` as ``interview-journal check`` does (integrity and
    schema). Only damage is DAMAGED; a disk or lock that stopped the check is UNAVAILABLE.
    Anything else raises."""
    try:
        status = dbmod.inspect(path, cancelled, search_index=False)
    except errors.DatabaseDamaged as error:
        return CheckOutcome(DAMAGED, str(error))
    except errors.StorageError as error:  # full, read-only, busy, no permission
        return CheckOutcome(UNAVAILABLE, str(error))
    if status.leftovers:
        return CheckOutcome(DAMAGED, dbmod.leftovers_message(path.parent, status.leftovers))
    if status.healthy or not status.exists:
        return CheckOutcome(OK)
    detail = status.schema[0] if status.schema else status.integrity[0]
    return CheckOutcome(
        DAMAGED,
        f"The journal {path} failed its check ({detail}), so it was not opened for writing "
        "and was left as it is. Restore it from a backup.",
    )


class JournalCheck(QObject):
    """Checks the open journal's file in a worker; ``finished(outcome)`` comes once per
    ``start()``, with a CheckOutcome. ``cancel()`` (on quit) stops it without a report."""

    finished = Signal(object)

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
        """Start the check (once at a time; again after it reported)."""
        if self._running or self._stop.is_set():
            return
        self._running = True
        log.info("checking the journal")
        self._pool.start(_CheckWorker(self._path, self._signals, self._stop))

    def cancel(self) -> None:
        """Stop the check; it reports nothing."""
        self._stop.set()
        self._running = False

    @Slot(object)
    def _on_worker_finished(self, outcome: CheckOutcome) -> None:
        if self._stop.is_set():
            return
        self._running = False
        log.info("journal check: %s", outcome.status)
        self.finished.emit(outcome)
