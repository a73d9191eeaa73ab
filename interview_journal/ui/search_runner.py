"""Search and index backfill off the GUI thread (docs/architecture.md, Start-up).

Both run as ``QRunnable`` workers in the window's ``QThreadPool``. A worker calls the
Journal from its pool thread, where Peewee opens a connection of that thread's own, and
closes that connection before it ends. It reports through signals of a ``QObject`` that
lives on the GUI thread (so the slots run there, queued) and never touches a widget.

``SearchRunner`` keeps one query current: submitting a newer one cancels the older one
through its ``Cancel`` token, and any result that still arrives for an older query is
dropped by its generation number. ``IndexBackfill`` works through the reindex queue in
small transactions with a pause between them, so the GUI's autosave (which waits at most
~50 ms for the write lock, then retries) always finds a gap.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from interview_journal.core.errors import DatabaseBusy, StorageError
from interview_journal.core.journal import Journal
from interview_journal.core.search import Cancel, SearchFilters, SearchResults

log = logging.getLogger(__name__)

PAGE_SIZE = 50  # hits per request; scrolling to the end asks for the next page
BACKFILL_BATCH = 5  # interviews per transaction: ~25 ms of write lock on a heavy journal
BACKFILL_PAUSE_S = 0.02  # between two transactions, so another writer gets the lock
BUSY_RETRY_S = 0.25  # after "database is locked", before trying again
BUSY_RETRIES = 40  # ~10 s of another program holding the journal, then give up for now


@dataclass(frozen=True)
class SearchRequest:
    """One search to run: what was typed, the filters, how many hits, and what it is for.

    ``append`` marks a request for the next page of the same query (the results view
    scrolled to its end), whose hits extend the list instead of replacing it.
    """

    query: str
    filters: SearchFilters | None = None
    limit: int = PAGE_SIZE
    append: bool = False


class _SearchWorker(QRunnable):
    """Runs one search on a pool thread and hands the results back through ``done``."""

    def __init__(
        self,
        journal: Journal,
        request: SearchRequest,
        generation: int,
        cancel: Cancel,
        done: _SearchSignals,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._journal = journal
        self._request = request
        self._generation = generation
        self._cancel = cancel
        self._done = done

    def run(self) -> None:
        """Search (unless already superseded), close this thread's connection, report."""
        request = self._request
        results = SearchResults(cancelled=True)
        try:
            if not self._cancel.cancelled:
                results = self._journal.search(
                    request.query,
                    limit=request.limit,
                    filters=request.filters,
                    cancel=self._cancel,
                )
        except StorageError as error:  # the environment failed: say so where results go
            log.warning("search failed: %s", type(error).__name__)
            results = SearchResults(hint=str(error))
        finally:
            self._journal.database.close()  # this pool thread's connection only
            self._report(results)

    def _report(self, results: SearchResults) -> None:
        try:
            self._done.finished.emit(self._generation, self._request, results)
        except RuntimeError:  # the window was destroyed meanwhile; nobody is listening
            log.info("search finished after its window closed")


class _SearchSignals(QObject):
    """Lives on the GUI thread; workers emit through it, so its slots run queued there."""

    finished = Signal(int, object, object)  # generation, SearchRequest, SearchResults


class SearchRunner(QObject):
    """Runs searches in a thread pool; only the newest request's results come out.

    ``finished(request, results)`` is emitted on the GUI thread for the current request
    only; a result that arrives for a superseded or cancelled request is dropped and
    ``dropped(generation)`` says so (for tests and logs).
    """

    finished = Signal(object, object)  # SearchRequest, SearchResults
    dropped = Signal(int)  # the generation of a stale result that was not shown
    busy_changed = Signal(bool)

    def __init__(self, journal: Journal, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        self._pool = pool
        self._generation = 0
        self._cancel: Cancel | None = None
        self._outstanding = 0
        self._pending = False
        self._signals = _SearchSignals(self)
        self._signals.finished.connect(self._on_worker_finished)

    @property
    def generation(self) -> int:
        """The number of the newest request (results of any other are dropped)."""
        return self._generation

    @property
    def pending(self) -> bool:
        """True from ``submit()`` until the newest request's results came (or it was cancelled)."""
        return self._pending

    @property
    def busy(self) -> bool:
        """True while any worker (current or superseded) has not reported back."""
        return self._outstanding > 0

    def submit(self, request: SearchRequest) -> int:
        """Start ``request`` in the pool, cancelling the one before; returns its generation."""
        self.cancel()
        cancel = Cancel()
        self._cancel = cancel
        self._pending = True
        worker = _SearchWorker(self._journal, request, self._generation, cancel, self._signals)
        self._outstanding += 1
        if self._outstanding == 1:
            self.busy_changed.emit(True)
        self._pool.start(worker)
        return self._generation

    def cancel(self) -> None:
        """Stop the current request; whatever it still reports is dropped."""
        if self._cancel is not None:
            self._cancel.cancel()
            self._cancel = None
        self._pending = False
        self._generation += 1

    @Slot(int, object, object)
    def _on_worker_finished(
        self, generation: int, request: SearchRequest, results: SearchResults
    ) -> None:
        self._outstanding -= 1
        if generation != self._generation or results.cancelled:
            self.dropped.emit(generation)
        else:
            self._cancel = None
            self._pending = False
            self.finished.emit(request, results)
        if self._outstanding == 0:
            self.busy_changed.emit(False)


class _BackfillSignals(QObject):
    """Lives on the GUI thread; the backfill worker reports through it."""

    progress = Signal(int, int)  # done, total
    finished = Signal(int)  # interviews indexed
    failed = Signal(str)  # what went wrong, for the user


class _BackfillWorker(QRunnable):
    """Indexes the queued interviews in small batches, pausing between them."""

    def __init__(
        self,
        journal: Journal,
        signals: _BackfillSignals,
        cancel: Cancel,
        stop: threading.Event,
        batch: int,
        pause_s: float,
        check_first: bool = False,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._check_first = check_first
        self._journal = journal
        self._signals = signals
        self._cancel = cancel
        self._stop = stop
        self._batch = batch
        self._pause_s = pause_s

    def run(self) -> None:
        """Work through the queue; retry while another writer holds the journal."""
        indexed = 0
        error: str | None = None
        try:
            indexed, error = self._work()
        finally:
            self._journal.database.close()  # this pool thread's connection only
            try:
                if error is not None:
                    self._signals.failed.emit(error)
                self._signals.finished.emit(indexed)
            except RuntimeError:  # the window was destroyed meanwhile
                log.info("index backfill finished after its window closed")

    def _check_index(self) -> None:
        """Check the index and queue what it lost or holds stale (rebuilt if damaged).

        Another program holding the journal makes it wait and try again, as the backfill
        does, rather than skip the check for the whole session.
        """
        for _attempt in range(BUSY_RETRIES + 1):
            if self._cancel.cancelled:
                return
            try:
                found = self._journal.check_search_index()
            except DatabaseBusy:
                log.info("search index check: the journal is busy; trying again")
                self._stop.wait(BUSY_RETRY_S)
                continue
            except StorageError as error:
                log.warning("search index check failed: %s", type(error).__name__)
                return
            if not found.ok:
                log.warning("search index damaged or inconsistent; repairing")
            return
        log.warning("search index check gave up: the journal stayed busy")

    def _work(self) -> tuple[int, str | None]:
        journal = self._journal
        if self._check_first:
            self._check_index()
        total = journal.pending_index_count()
        done_before = 0  # processed in earlier attempts (a busy journal interrupts one)
        indexed = 0
        retries = 0

        def progress(done: int, _total: int) -> None:
            self._signals.progress.emit(min(done_before + done, total), total)
            # Leave the write lock free for a moment: the GUI's autosave may be waiting.
            self._stop.wait(self._pause_s)

        while not self._cancel.cancelled:
            try:
                indexed += journal.reindex_pending(
                    progress=progress, cancel=self._cancel, batch=self._batch
                )
                return indexed, None
            except DatabaseBusy:
                retries += 1
                if retries > BUSY_RETRIES:
                    log.warning("index backfill gave up: the journal stayed busy")
                    return indexed, None  # still queued; the next start carries on
                done_before = max(0, total - journal.pending_index_count())
                self._stop.wait(BUSY_RETRY_S)
            except StorageError as error:
                log.warning("index backfill failed: %s", type(error).__name__)
                return indexed, str(error)
        return indexed, None


class IndexBackfill(QObject):
    """Indexes the interviews waiting in the search queue, in a worker, with progress.

    ``progress(done, total)`` follows each small batch; ``finished(indexed)`` comes once at
    the end (also after ``cancel()``); ``failed(message)`` comes before it if the journal
    could not be written.
    """

    progress = Signal(int, int)
    finished = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        journal: Journal,
        pool: QThreadPool,
        parent: QObject | None = None,
        *,
        batch: int = BACKFILL_BATCH,
        pause_s: float = BACKFILL_PAUSE_S,
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._pool = pool
        self._batch = batch
        self._pause_s = pause_s
        self._cancel: Cancel | None = None
        self._stop = threading.Event()
        self._signals = _BackfillSignals(self)
        self._signals.progress.connect(self.progress)
        self._signals.failed.connect(self.failed)
        self._signals.finished.connect(self._on_worker_finished)

    @property
    def running(self) -> bool:
        """True from ``start()`` until ``finished`` is emitted."""
        return self._cancel is not None

    def start(self, *, check_first: bool = False) -> bool:
        """Start the backfill unless it is running; False if it already was.

        ``check_first`` first checks the whole index against the journal (after an unclean
        shutdown) and queues what needs repairing.
        """
        if self._cancel is not None:
            return False
        self._cancel = Cancel()
        self._stop.clear()
        self._pool.start(
            _BackfillWorker(
                self._journal, self._signals, self._cancel, self._stop, self._batch,
                self._pause_s, check_first,
            )
        )
        return True

    def cancel(self) -> None:
        """Ask the worker to stop after its current batch (what is left stays queued)."""
        if self._cancel is not None:
            self._cancel.cancel()
            self._stop.set()

    @Slot(int)
    def _on_worker_finished(self, indexed: int) -> None:
        self._cancel = None
        self.finished.emit(indexed)


__all__ = ["PAGE_SIZE", "IndexBackfill", "SearchRequest", "SearchRunner"]
