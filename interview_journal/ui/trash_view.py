"""The Trash (View ▸ Trash, ``trashView``): what was moved to the trash, put back or deleted.

It lists trashed companies and interviews, the latest first, each with when it was trashed.
*Restore* puts one back exactly as it was; *Delete permanently* and *Empty trash* ask once,
then delete for good, and the window purges the deleted text from the journal's files at the
next idle moment (``Journal.purge_deleted``). The list follows the journal's announcements,
so something trashed from the tree while it is open shows at once.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import tzinfo

from PySide6.QtCore import (
    QAbstractListModel,
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
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.domain import STAGE_LABELS
from interview_journal.core.errors import DatabaseBusy, JournalError
from interview_journal.core.journal import Journal, TrashItem
from interview_journal.ui.vocabulary import tr_domain
from interview_journal.ui.when import format_date, format_time

log = logging.getLogger(__name__)

_IndexLike = QModelIndex | QPersistentModelIndex
PURGE_IDLE_MS = 5000  # quiet time after a deletion before the file is rewritten
ITEM_ROLE = int(Qt.ItemDataRole.UserRole) + 1
# What makes the trash hold something else: things going in, coming out, or gone for good.
_TRASH_OPS = (Op.TRASHED, Op.RESTORED, Op.DELETED)


class TrashModel(QAbstractListModel):
    """The trash's contents, one row per company or lone interview, the latest trashed first."""

    def __init__(self, journal: Journal, zone: tzinfo | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._journal = journal
        self._zone = zone
        self._items: list[TrashItem] = journal.trash_contents()

    def rowCount(self, parent: _IndexLike = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._describe(item)
        return None

    def item(self, row: int) -> TrashItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[TrashItem]:
        return list(self._items)

    @Slot(object)
    def apply_changes(self, changes: Changes) -> None:
        """Read the trash again when something went in, came out or was deleted, and apply
        the difference row by row (never a reset)."""
        if not (
            changes.replaced
            or changes.touches(Kind.COMPANY, *_TRASH_OPS)
            or changes.touches(Kind.INTERVIEW, *_TRASH_OPS)
        ):
            return
        self._sync(self._journal.trash_contents())

    def _sync(self, wanted: list[TrashItem]) -> None:
        keys = {(item.kind, item.id) for item in wanted}
        for row in reversed(range(len(self._items))):
            if (self._items[row].kind, self._items[row].id) not in keys:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                self.endRemoveRows()
        for row, item in enumerate(wanted):
            current = self._items[row] if row < len(self._items) else None
            if current is not None and (current.kind, current.id) == (item.kind, item.id):
                if current != item:
                    self._items[row] = item
                    index = self.index(row, 0)
                    self.dataChanged.emit(index, index)
                continue
            # Not here yet (or out of place): insert it here, and drop a later copy.
            later = next(
                (r for r in range(row + 1, len(self._items))
                 if (self._items[r].kind, self._items[r].id) == (item.kind, item.id)),
                None,
            )
            if later is not None:
                self.beginRemoveRows(QModelIndex(), later, later)
                del self._items[later]
                self.endRemoveRows()
            self.beginInsertRows(QModelIndex(), row, row)
            self._items.insert(row, item)
            self.endInsertRows()

    def _describe(self, item: TrashItem) -> str:
        tr = QCoreApplication.translate
        local = item.trashed_at.astimezone(self._zone)
        when = tr("TrashModel", "trashed %1 at %2").replace("%1", format_date(local.date()))
        when = when.replace("%2", format_time(local.time()))
        if item.kind == "company":
            count = (
                tr("TrashModel", "1 interview") if item.interview_count == 1
                else tr("TrashModel", "%1 interviews").replace("%1", str(item.interview_count))
            )
            return f"{item.company_name} ({count}) — {when}"
        day = format_date(item.date) if item.date else tr("TrashModel", "No date")
        stage = tr_domain(STAGE_LABELS.get(item.stage, item.stage)) if item.stage else ""
        parts = [day, stage, item.role or tr("TrashModel", "Role not set")]
        label = " · ".join(part for part in parts if part)
        return f"{item.company_name}: {label} — {when}"


class TrashDialog(QDialog):
    """The Trash window: restore, delete permanently, empty."""

    restored = Signal(str, int)  # kind, id: the window selects what came back
    deleted = Signal()  # something was deleted for good: purge at the next idle moment

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trashView")
        self.setWindowTitle(self.tr("Trash"))
        self.setAccessibleName(self.tr("Trash"))
        self.resize(560, 380)
        self._journal = journal
        self.model = TrashModel(journal, journal.clock.local_zone(), self)

        intro = QLabel(self.tr(
            "Things you moved to the trash. Restore puts one back as it was; deleting removes it "
            "for good. Backups keep deleted notes until they rotate out."
        ))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.list = QListView(self)
        self.list.setObjectName("trashList")
        self.list.setAccessibleName(self.tr("Items in the trash"))
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        intro.setBuddy(self.list)
        self.empty_label = QLabel(self.tr("The trash is empty."))
        self.empty_label.setObjectName("trashEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton(self.tr("&Restore"), self)
        self.restore_button.setObjectName("trashRestore")
        self.delete_button = QPushButton(self.tr("&Delete permanently…"), self)
        self.delete_button.setObjectName("trashDelete")
        self.empty_button = QPushButton(self.tr("&Empty trash…"), self)
        self.empty_button.setObjectName("trashEmptyAll")
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        for button in (self.restore_button, self.delete_button, self.empty_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setAutoDefault(False)
        close.clicked.connect(self.close)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.empty_button.clicked.connect(self._on_empty_button_clicked)
        self.list.activated.connect(lambda _index: self._on_restore_button_clicked())
        delete_key = QKeySequence(QKeySequence.StandardKey.Delete)
        self.delete_button.setShortcut(delete_key)
        self.delete_button.setToolTip(self.tr("Delete the selected item for good (Delete)"))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(buttons)
        self.model.rowsInserted.connect(self._update)
        self.model.rowsRemoved.connect(self._update)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update())
        self._update()

    # ----------------------------------------------------------------- actions

    def selected(self) -> TrashItem | None:
        index = self.list.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(row, 0))

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        item = self.selected()
        if item is None:
            return
        row = self.list.currentIndex().row()
        try:
            if item.kind == "company":
                self._journal.restore_company(item.id)
            else:
                self._journal.restore_interview(item.id)
        except JournalError as error:
            self._error(self.tr("Could not restore"), str(error))
            return
        self.select_row(min(row, self.model.rowCount() - 1))
        self.restored.emit(item.kind, item.id)

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        item = self.selected()
        if item is None:
            return
        row = self.list.currentIndex().row()
        what = (
            self.tr("%1 and its interviews").replace("%1", item.company_name)
            if item.kind == "company" else self.tr("this interview")
        )
        question = self.tr(
            "Delete %1 for good? This cannot be undone. Backups keep deleted notes until they "
            "rotate out."
        ).replace("%1", what)
        if not Confirm.ask(self, self.tr("Delete permanently"), question,
                           self.tr("Delete permanently")):
            return
        try:
            self._journal.delete_permanently(item.kind, item.id)
        except JournalError as error:
            self._error(self.tr("Could not delete"), str(error))
            return
        self.select_row(min(row, self.model.rowCount() - 1))
        self.deleted.emit()

    @Slot()
    def _on_empty_button_clicked(self) -> None:
        count = self.model.rowCount()
        if not count:
            return
        question = self.tr(
            "Delete everything in the trash for good (%1)? This cannot be undone. Backups keep "
            "deleted notes until they rotate out."
        ).replace("%1", self.tr("1 item") if count == 1 else self.tr("%1 items").replace(
            "%1", str(count)))
        if not Confirm.ask(self, self.tr("Empty trash"), question, self.tr("Empty trash")):
            return
        try:
            self._journal.empty_trash()
        except JournalError as error:
            self._error(self.tr("Could not empty the trash"), str(error))
            return
        self.deleted.emit()

    def _update(self) -> None:
        has_items = self.model.rowCount() > 0
        self.list.setVisible(has_items)
        self.empty_label.setVisible(not has_items)
        chosen = self.selected() is not None
        self.restore_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        self.empty_button.setEnabled(has_items)
        if has_items and not self.list.currentIndex().isValid():
            self.select_row(0)

    def _error(self, title: str, text: str) -> None:
        from interview_journal.ui.dialogs import Messages

        Messages.error(self, title, text)


class Confirm:
    """A yes/no question whose safe answer (Cancel) is the default."""

    @classmethod
    def ask(cls, parent: QWidget, title: str, text: str, act: str) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        yes = box.addButton(act, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is yes


class _PurgeSignals(QObject):
    # True: purged; False: the journal was busy, try again later; None: it failed, and the
    # close tries once more
    finished = Signal(object)


class _PurgeWorker(QRunnable):
    def __init__(self, journal: Journal, signals: _PurgeSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._journal = journal
        self._signals = signals

    def run(self) -> None:
        done: bool | None = False
        try:
            self._journal.purge_deleted()
            done = True
        except DatabaseBusy:
            log.info("purge of deleted text: the journal is busy; trying again later")
        except Exception as error:  # tried again at close (finish)
            log.warning("purge of deleted text failed: %s", type(error).__name__)
            done = None  # not retried in a loop; the close tries once more
        finally:
            self._journal.database.close()  # this pool thread's connection only
        with contextlib.suppress(RuntimeError):  # the window went meanwhile
            self._signals.finished.emit(done)


class Purger(QObject):
    """Purges deleted text from the journal's files at the next idle moment, in a worker.

    ``schedule()`` after each deletion: the purge runs once the user has left the journal
    alone for ``idle_ms`` (VACUUM rewrites the file and briefly holds the write lock, which
    autosave waits out), and again later if another program kept the journal busy.
    """

    def __init__(
        self, journal: Journal, pool: QThreadPool, parent: QObject | None = None,
        *, idle_ms: int = PURGE_IDLE_MS,
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._pool = pool
        self._signals = _PurgeSignals(self)
        self._signals.finished.connect(self._on_worker_finished)
        self._running = False
        self._stopped = False
        self._owed = False  # deleted since the last purge that ran to its end
        self.timer = QTimer(self)
        self.timer.setObjectName("purgeTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(idle_ms)
        self.timer.timeout.connect(self._on_timer_timeout)

    @property
    def pending(self) -> bool:
        """A purge is waiting for its moment or running."""
        return self.timer.isActive() or self._running

    def schedule(self) -> None:
        self._owed = True
        if not self._stopped:
            self.timer.start()  # restarts: the idle moment is counted from the last deletion

    def stop(self) -> None:
        """No more purges in the background (the window closes): see ``finish``."""
        self._stopped = True
        self.timer.stop()

    def finish(self) -> None:
        """Run a purge that was still waiting for its moment, now, on this thread (the app
        is closing, every worker has stopped): deleted text does not outlive the session."""
        waiting = self.timer.isActive() or self._owed
        self.stop()
        if not waiting:
            return
        self._owed = False
        try:
            self._journal.purge_deleted()
        except JournalError as error:  # the next deletion purges again
            log.warning("purge of deleted text at close failed: %s", type(error).__name__)

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._running or self._stopped:
            return
        self._running = True
        self._pool.start(_PurgeWorker(self._journal, self._signals))

    @Slot(object)
    def _on_worker_finished(self, done: bool | None) -> None:
        self._running = False
        if done:
            self._owed = self.timer.isActive()  # deleted again while it ran
        elif done is False:
            self.schedule()
        # None: failed; still owed, so the close tries once more (finish)

    def resume(self) -> None:
        """Purge in the background again (after a restore stopped the workers)."""
        self._stopped = False
        if self._owed:
            self.timer.start()
