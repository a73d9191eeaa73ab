"""The one bridge from the Journal's change announcements to Qt.

``Journal.observe`` calls back, after each commit, on the thread that wrote. ``JournalEvents``
turns that into the ``changed`` signal: delivered at once to views on the GUI thread when the
GUI thread wrote, and queued to them when a worker did (the search index backfill), so a
view only ever updates on the GUI thread. Every view that shows the journal connects to
``changed`` and updates itself from the ``Changes`` it is given; nobody calls a refresh by
hand after a write (docs/architecture.md, "How a change reaches the screens").
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from interview_journal.core.changes import Changes
from interview_journal.core.journal import Journal


class JournalEvents(QObject):
    """Re-announces a journal's changes as a Qt signal."""

    changed = Signal(object)  # Changes

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        stop = self._stop = journal.observe(self._on_journal_changed)
        # Gone with its window: the journal may outlive it (tests; a window rebuilt).
        self.destroyed.connect(lambda: stop())

    def stop(self) -> None:
        """Hear nothing more (the journal is about to close)."""
        self._stop()

    def _on_journal_changed(self, changes: Changes) -> None:
        try:
            self.changed.emit(changes)
        except RuntimeError:  # deleted by Qt before ``destroyed`` reached us
            self._stop()
