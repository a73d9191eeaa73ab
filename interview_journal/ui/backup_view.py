"""Automatic backups while the app runs, and the Restore window (File ▸ Restore from a backup).

``BackupRunner`` takes the backups in a worker with its own connection (``core/backups``),
never blocking typing: at start when the newest is over a day old, then when something
changed, at most every 30 minutes, and on quit. A failed backup never stops the app; it is
said once, plainly, in the status bar. ``RestoreDialog`` lists the backups (date, size,
interviews); the window does the restoring (``MainWindow.restore_backup``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core import backups
from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.errors import JournalError
from interview_journal.core.journal import Journal
from interview_journal.ui.when import format_date, format_time

log = logging.getLogger(__name__)

_IndexLike = QModelIndex | QPersistentModelIndex
EVERY_MS = 30 * 60 * 1000  # at most one automatic backup per half hour while the app runs
ITEM_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def when_text(moment: datetime, zone: tzinfo | None, now: datetime) -> str:
    """"today at 14:05", "yesterday at 09:30" or "3 Dec 2026 at 14:05", in ``zone``."""
    tr = QCoreApplication.translate
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    time = format_time(local.time())
    if local.date() == today:
        return tr("Backups", "today at %1").replace("%1", time)
    if local.date() == today - timedelta(days=1):
        return tr("Backups", "yesterday at %1").replace("%1", time)
    return tr("Backups", "%1 at %2").replace("%1", format_date(local.date())).replace("%2", time)


class _Signals(QObject):
    finished = Signal(object)  # the Backup taken, or None when none was due
    failed = Signal(str)


class _BackupWorker(QRunnable):
    def __init__(self, run: Callable[[], backups.Backup | None], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._run = run
        self._signals = signals

    def run(self) -> None:
        try:
            made = self._run()
        except Exception as error:  # any failure is said, and the next one tried
            log.warning("backup not taken: %s", type(error).__name__,
                        exc_info=not isinstance(error, JournalError | OSError))
            message = str(error) if isinstance(error, JournalError) else (
                QCoreApplication.translate("Backups", "the copy could not be written (%1)")
                .replace("%1", type(error).__name__))
            with contextlib.suppress(RuntimeError):  # the window went meanwhile
                self._signals.failed.emit(message)
            return
        with contextlib.suppress(RuntimeError):
            self._signals.finished.emit(made)


class BackupRunner(QObject):
    """The automatic backups of one journal, taken in a worker."""

    taken = Signal(object)  # a new Backup
    failed = Signal(str)  # said once a run: what went wrong

    def __init__(
        self, journal: Journal, pool: QThreadPool, parent: QObject | None = None,
        *, every_ms: int = EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._pool = pool
        self._changed = False  # written to since the last backup this run took
        self._running = False
        self._owed = False  # the changes the running backup was asked to cover
        self._said_failure = False
        self.last: backups.Backup | None = None
        self._signals = _Signals(self)
        self._signals.finished.connect(self._on_worker_finished)
        self._signals.failed.connect(self._on_worker_failed)
        self.timer = QTimer(self)
        self.timer.setObjectName("backupTimer")
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        """The journal is on screen and checked: back up if the newest is over a day old,
        then look every half hour."""
        self.last = backups.newest_listed(self._journal.folder)  # names only: no file read
        self._take(backups.Moment.START, changed=True)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @Slot(object)
    def apply_changes(self, changes: Changes) -> None:
        """Anything written (but reindexing) is something a backup should hold."""
        if changes.replaced or any(op is not Op.REINDEXED or kind is not Kind.INTERVIEW
                                   for kind, _key, op in changes.entries):
            self._changed = True

    def back_up_now(self) -> None:
        """File ▸ Back up now: take one whatever the policy says."""
        self._take(None, changed=True)

    def back_up_at_quit(self) -> None:
        """The window closes and every worker has stopped: the last backup, here and now,
        if something changed since the one before. A failure is logged, never raised."""
        self.stop()
        if not self._changed:
            return
        try:
            made = self._due(backups.Moment.QUIT, True)()
        except Exception as error:  # closing must go on whatever happens
            log.warning("backup at quit not taken: %s", type(error).__name__)
            return
        if made is not None:
            self.last = made

    def _due(
        self, moment: backups.Moment | None, changed: bool
    ) -> Callable[[], backups.Backup | None]:
        folder, now = self._journal.folder, self._journal.clock.now()
        if moment is None:
            def take() -> backups.Backup | None:
                made = backups.take_backup(folder, now=now, reason="manual", mapped=False)
                backups.rotate(folder, now)
                return made
            return take
        # Not memory-mapped: the window's memory matters more than a fraction of a second.
        return lambda: backups.back_up_if_due(
            folder, now=now, moment=moment, changed_since=changed, mapped=False
        )

    def _take(self, moment: backups.Moment | None, *, changed: bool) -> None:
        if self._running:
            return
        self._running = True
        # What is written from now on waits for the next one; if this one turns out not to
        # be due (a recent backup), what had changed is still owed (_on_worker_finished).
        self._owed, self._changed = self._changed or changed, False
        self._pool.start(_BackupWorker(self._due(moment, changed), self._signals))

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._changed:
            self._take(backups.Moment.RUNNING, changed=True)

    @Slot(object)
    def _on_worker_finished(self, made: backups.Backup | None) -> None:
        self._running = False
        if made is None:
            self._changed = self._changed or self._owed  # not due yet: still to be backed up
        if made is not None:
            self.last = made
            self._said_failure = False
            self.taken.emit(made)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self._running = False
        self._changed = True  # still to be backed up
        if not self._said_failure:
            self._said_failure = True
            self.failed.emit(message)


class BackupModel(QAbstractTableModel):
    """The backups, newest first: when, size, interviews."""

    def __init__(self, folder: Path, zone: tzinfo | None, now: datetime,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._zone, self._now = zone, now
        self._rows = backups.list_backups(folder)

    def rowCount(self, parent: _IndexLike = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _IndexLike = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 3

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        tr = QCoreApplication.translate
        return (tr("Backups", "Taken"), tr("Backups", "Size"), tr("Backups", "Interviews"))[
            section
        ]

    def data(self, index: _IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        backup = self._rows[index.row()]
        if role == ITEM_ROLE:
            return backup
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        tr = QCoreApplication.translate
        if index.column() == 0:
            text = when_text(backup.taken_at, self._zone, self._now)
            if backup.kind is backups.Kind.PRE_RESTORE:
                text += tr("Backups", " (before a restore)")
            elif backup.kind is backups.Kind.PRE_IMPORT:
                text += tr("Backups", " (before an import)")
            elif backup.kind is backups.Kind.PRE_MIGRATION:
                text += tr("Backups", " (before an update)")
            return text
        if index.column() == 1:
            size = backup.size
            return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1048576:.1f} MB"
        if backup.interview_count is None:
            return tr("Backups", "unreadable")
        return f"{backup.interview_count:,}"

    def backup(self, row: int) -> backups.Backup | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None


class RestoreDialog(QDialog):
    """Pick a backup to restore (``restoreDialog``); ``chosen`` holds it after Restore."""

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("Restore from a backup"))
        self.resize(520, 360)
        self.chosen: backups.Backup | None = None
        clock = journal.clock
        self.model = BackupModel(journal.folder, clock.local_zone(), clock.now(), self)
        intro = QLabel(self.tr(
            "Restoring puts the journal back as it was when the backup was taken. The journal "
            "as it is now is kept as a backup first, so a restore can be undone."
        ))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("backupList")
        self.table.setAccessibleName(self.tr("Backups"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel(self.tr(
            "There are no backups yet. The app takes one at start, every half hour while you "
            "write, and when it closes."
        ))
        self.empty_label.setObjectName("backupListEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = QPushButton(self.tr("&Restore"), self)
        self.restore_button.setObjectName("restoreButton")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_restore)
        buttons.rejected.connect(self.reject)
        self.table.activated.connect(lambda _index: self._on_restore())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(buttons)
        has_rows = self.model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        self.restore_button.setEnabled(has_rows)
        if has_rows:
            self.table.selectRow(0)
        self.table.setFocus()

    def _on_restore(self) -> None:
        index = self.table.currentIndex()
        self.chosen = self.model.backup(index.row()) if index.isValid() else None
        if self.chosen is not None:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget, journal: Journal) -> backups.Backup | None:
        """The backup to restore, or None (cancelled)."""
        dialog = cls(journal, parent)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None
