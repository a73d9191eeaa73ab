"""Search and its upkeep: queries, the reindex queue, the index check and optimisation."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from interview_journal.core import db as dbmod
from interview_journal.core.changes import Kind, Op
from interview_journal.core.journal.schedule import _Schedule
from interview_journal.core.journal.values import SearchIndexCheck
from interview_journal.core.models import Interview

if TYPE_CHECKING:
    # Imported where first used: the search and timer code is not needed to show the window.
    from interview_journal.core import search as searchmod

log = logging.getLogger(__name__)


class _SearchUpkeep(_Schedule):
    """Search and the index's upkeep."""

    def search(
        self,
        query: str,
        *,
        limit: int | None = None,
        filters: searchmod.SearchFilters | None = None,
        cancel: searchmod.Cancel | None = None,
    ) -> searchmod.SearchResults:
        """Search everything written (``core/search.py``): best first, one hit per interview.

        At most ``limit`` hits (``search.DEFAULT_LIMIT`` when not given: the default is
        resolved here so that opening a journal does not import the search code). Nothing
        typed raises; an unusable query gives no hits and a hint. Call it from a worker
        thread (it gets its own connection) and stop it with ``cancel``.
        """
        from interview_journal.core import search as searchmod

        if limit is None:
            limit = searchmod.DEFAULT_LIMIT
        return searchmod.search(query, limit=limit, filters=filters, cancel=cancel)

    def pending_index_count(self) -> int:
        """How many interviews wait to be (re)indexed for search."""
        from interview_journal.core import search as searchmod

        with dbmod.storage_errors(self.path):
            return searchmod.pending_count()

    def reindex_pending(
        self,
        limit: int | None = None,
        progress: searchmod.ProgressCallback | None = None,
        *,
        cancel: searchmod.Cancel | None = None,
        batch: int = 15,
    ) -> int:
        """Index the interviews queued in ``search_pending``; returns how many were indexed.

        This is the background backfill after the search migration and the repair after
        ``check_search_index``. It works in short transactions of ``batch`` interviews, so
        the editor's autosave never waits long; ``progress(done, total)`` follows each one
        and ``cancel`` stops it between two. An interview that fails again stays queued.
        """
        from interview_journal.core import search as searchmod

        total = self.pending_index_count()
        if limit is not None:
            total = min(total, limit)
        processed = indexed = 0
        after = 0
        while processed < total and not (cancel is not None and cancel.cancelled):
            size = min(batch, total - processed)
            with self._write():
                ids = searchmod.pending_ids(after=after, limit=size)
                if ids:
                    searchmod.unmark_pending(ids)
                    failed = self._index(set(ids))
                    self._changed(Kind.INTERVIEW, set(ids) - failed, Op.REINDEXED)
            if not ids:
                break
            processed += len(ids)
            indexed += len(ids) - len(failed)
            after = ids[-1]
            if progress is not None:
                progress(processed, total)
        return indexed

    def check_search_index(self, *, deep: bool = False) -> SearchIndexCheck:
        """Look for an inconsistent search index and queue what needs reindexing.

        FTS5's ``integrity-check`` compares the index with its own copy of the text; a
        failure recreates the table empty and queues every interview. Index rows are also
        matched against the interviews (missing and extra rows are queued), and with
        ``deep`` every row's text is compared with the journal's. The repair is
        ``reindex_pending``, which re-inserts rows from the base tables (FTS5's own
        'rebuild' would re-index the stale copy). The checks take no write lock; only the
        repair does.
        """
        from interview_journal.core import search as searchmod

        # Checked on a copy in memory, in a read transaction: the write lock (which the GUI's
        # autosave waits for) is taken only to repair.
        with dbmod.storage_errors(self.path):
            state = dbmod.search_index_state(dbmod.read_only_uri(self.path))
        if state != "ok":
            with self._write():
                log.warning("search index failed its integrity check; recreating it")
                searchmod.recreate_index()
                everyone = searchmod.ids(Interview.select(Interview.id))
                # Emptied: nothing is found until the backfill puts them back.
                self._changed(Kind.INTERVIEW, everyone, Op.REINDEXED)
                searchmod.mark_pending(everyone)
                return SearchIndexCheck(True, len(everyone), 0, 0, searchmod.pending_count())
        # Reading happens outside the write lock (WAL gives a consistent snapshot).
        with dbmod.storage_errors(self.path), self._db.atomic("DEFERRED"):
            missing, extra = searchmod.rowid_mismatch()
            stale = searchmod.stale_rows() - extra if deep else set()
        if missing or extra or stale:
            with self._write():
                searchmod.mark_pending(missing | extra | stale)
                pending = searchmod.pending_count()
        else:
            pending = self.pending_index_count()
        return SearchIndexCheck(False, len(missing), len(extra), len(stale), pending)

    def optimize_search(self) -> None:
        """Merge the search index (FTS5 'optimize'): part of the maintenance that purges text
        of deleted notes from the file (docs/data-safety.md), with VACUUM and a checkpoint.
        """
        from interview_journal.core import search as searchmod

        with self._write():
            searchmod.optimize()
