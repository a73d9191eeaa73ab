"""The main window: builds the panes and actions and wires them together. No rules here."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QObject,
    QSettings,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QSessionManager
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from interview_journal import DISPLAY_NAME, __version__
from interview_journal.core.commands import ReflectRequest
from interview_journal.core.errors import DatabaseBusy, JournalError
from interview_journal.ui.widgets import focus_chain, plain_label

if TYPE_CHECKING:  # built after the first paint (docs/architecture.md: start-up stays lean)
    from interview_journal.core.backups import Backup
    from interview_journal.core.journal import (
        ImportReport,
        InterviewDoc,
        Journal,
        MergePlan,
        MergeRecord,
    )
    from interview_journal.ui.backup_view import BackupRunner
    from interview_journal.ui.banner import BannerNotifier, NotificationAction, NotificationBanner
    from interview_journal.ui.editor import ReflectionEditor
    from interview_journal.ui.editor_controller import EditorController
    from interview_journal.ui.exchange_view import Exchange
    from interview_journal.ui.journal_check import CheckOutcome, JournalCheck
    from interview_journal.ui.search_panel import SearchPanel
    from interview_journal.ui.search_runner import IndexBackfill
    from interview_journal.ui.timer_controller import TimerController
    from interview_journal.ui.timer_panel import TimerPanel
    from interview_journal.ui.trash_view import Purger, TrashDialog
    from interview_journal.ui.tree_model import CompanyTreeModel
    from interview_journal.ui.tree_view import CompanyTree

log = logging.getLogger(__name__)


NOTIFICATIONS_KEY = "notifications"
# Whether the search dock was open at the last close: then it is built with the journal.
SEARCH_SHOWN_KEY = "window/search_shown"
# The interview open at the last close (its id): it opens again at the next start.
LAST_OPEN_KEY = "last_open_interview"
# A journal busy at start (another program writing): the search upkeep is tried again after.
UPKEEP_RETRY_MS = 2000
# At the close, a save the journal was too busy for waits this long for the workers.
FINAL_SAVE_WAIT_MS = 15_000
# A start-up check stopped by the disk or a lock (not by damage) runs again after this long.
CHECK_RETRY_MS = 2000
# The narrowest the page is laid out at without a sideways scroll bar, about; beside the
# search dock at 1024 pixels the tree pane narrows to leave the page this much.
READABLE_PAGE_WIDTH = 560
TREE_MIN_WIDTH = 170
STATUS_REFRESH_MS = 60_000  # statuses follow the clock: upcoming becomes due, due becomes past


def _fill(template: str, *values: str) -> str:
    """``template`` with %1, %2, ... replaced by ``values`` in one pass, so that a "%2" in a
    company's name stays as typed."""
    return _PLACEHOLDER.sub(lambda m: values[int(m.group(1)) - 1], template)


_PLACEHOLDER = re.compile(r"%([1-9])")


class MainWindow(QMainWindow):
    """Interview Journal's window: the company tree on the left, the editor in the centre.

    The window is built in two steps, so that it shows at once (docs/architecture.md). Without a
    journal it is the frame: menus, toolbar, status bar, and "Opening your journal…" where
    the tree goes; it needs no journal code, so the app paints it before opening the journal.
    ``attach()`` then builds the tree and the editor into it (``journal_attached``).
    Given a journal, the constructor does both. What the first frames do not show is built
    when first needed: the search dock (unless it was open at the last close), the search
    index worker and the timers. ``first_painted`` and ``journal_shown`` say when the first
    frame, and the first with the journal, are out: what the app starts next waits for them.
    """

    first_painted = Signal()  # queued after the first frame has been drawn
    journal_attached = Signal()  # the tree and the editor show the journal
    journal_shown = Signal()  # queued after the first frame with the journal in it
    # check_journal() is done: a journal_check.CheckOutcome, OK, DAMAGED or FAILED (a check
    # the disk or a lock stopped is tried again, without a report).
    journal_checked = Signal(object)

    # Set by attach(); a window without a journal has none of them.
    journal: Journal
    tree_model: CompanyTreeModel
    tree: CompanyTree
    editor: ReflectionEditor
    controller: EditorController
    timer_panel: TimerPanel

    def __init__(
        self, journal: Journal | None, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(DISPLAY_NAME)
        self._settings = settings
        self._attached = False
        self._commands: list[ReflectRequest] = []  # arrived before the journal was open
        self._undo_trash: tuple[str, int] | None = None
        self._undo_merge: MergeRecord | None = None  # the merge Edit ▸ Undo takes back
        self._closing_confirmed = False
        self._quitting = False
        self._session_marked = False
        self._index_checked = False  # the search index is checked once per run
        self._painted = False
        self._shown = False
        self._search_panel: SearchPanel | None = None
        self._index_backfill: IndexBackfill | None = None
        self._timer_controller: TimerController | None = None
        self._trash_view: TrashDialog | None = None
        self._purger: Purger | None = None
        self._backups: BackupRunner | None = None
        self._exchange: Exchange | None = None
        self._import_source = Path()  # the file File ▸ Import is reading
        self._quitting_backup = False  # start_backups ran: a backup is taken at the close
        self._journal_check: JournalCheck | None = None

        # Long work (search, index backfill) runs here; stop_background_work() drains it.
        self.pool = QThreadPool(self)

        # Until attach(), the panes' places hold a line saying the journal is opening.
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        opening = plain_label(self.tr("Opening your journal…"), self.splitter)
        opening.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        opening.setContentsMargins(12, 12, 12, 12)  # where the tree's first rows will be
        QWidget(self.splitter)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        central = QWidget(self)
        self._column = QVBoxLayout(central)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        # Reminders go to the banner (built when first needed) until the app's notifier is set.
        self._banner: NotificationBanner | None = None
        self._banner_notifier: BannerNotifier | None = None
        self.notifier: object = None
        self.minute_timer = QTimer(self)  # started by start_timers(), with the reminders
        self.minute_timer.setObjectName("minuteTimer")
        self.minute_timer.setInterval(STATUS_REFRESH_MS)
        self._tray_in_use = False
        self._notifications = True

        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._wire_actions()
        self._restore_layout()
        if journal is not None:
            self.attach(journal)

    def attach(self, journal: Journal) -> None:
        """Show ``journal``: build the tree and the editor into the window."""
        from interview_journal.ui.editor import ReflectionEditor
        from interview_journal.ui.editor_controller import EditorController
        from interview_journal.ui.journal_events import JournalEvents
        from interview_journal.ui.timer_panel import TimerPanel
        from interview_journal.ui.tree_model import CompanyTreeModel
        from interview_journal.ui.tree_view import CompanyTree

        assert not self._attached, "a window shows one journal"
        self.journal = journal
        self.events = JournalEvents(journal, self)
        self.tree_model = CompanyTreeModel(journal, self)
        self.tree = CompanyTree(self.tree_model, self)
        self.tree.setMinimumWidth(TREE_MIN_WIDTH)  # it elides; the page needs the room more
        self.editor = ReflectionEditor(self)
        self.controller = EditorController(journal, self.editor, self)
        self.timer_panel = TimerPanel(self)
        self.editor.set_timer_panel(self.timer_panel)
        self.editor.set_finish_action(self.action_finish, self.action_unreflect)
        for index, pane in enumerate((self.tree, self.editor)):
            placeholder = self.splitter.replaceWidget(index, pane)
            if placeholder is not None:
                placeholder.deleteLater()
        self._notifications = bool(journal.setting(NOTIFICATIONS_KEY, True))
        self._wire_journal()
        self._attached = True
        for action in self._needs_journal:
            action.setEnabled(True)
        if self._settings.value(SEARCH_SHOWN_KEY, False, type=bool):
            self._ensure_search_panel()  # open at the last close: shown with the journal
        if not self._reopen_last_interview():
            self.controller.open_interview(None)
        if self.focusWidget() is None:  # the frame had nothing to focus: start in the tree
            self.tree.setFocus()
        self.journal_attached.emit()
        commands, self._commands = self._commands, []  # those that must wait are queued again
        for request in commands:
            self.run_command(request)

    # ----------------------------------------------------------------- building

    def _action(
        self,
        name: str,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text.replace("&", "").replace("…", ""))
        action.setStatusTip(tip)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        tr = self.tr
        self.action_new = self._action(
            "actionNewInterview", tr("&New interview…"), QKeySequence.StandardKey.New,
            tr("Add an interview to the journal"),
        )
        self.action_finish = self._action(
            "actionFinishReflection", tr("Mark reflection &complete"), "Ctrl+Return",
            tr("You have written down what you remember: mark this reflection complete"),
        )
        self.action_unreflect = self._action(
            "actionMarkNotReflected", tr("Mark as &not reflected"), None,
            tr("Take back the reflection's completion (it shows as due again)"),
        )
        self.action_unreflect.setEnabled(False)
        self.action_skip_break = self._action(
            "actionSkipBreak", tr("S&kip break"), None, tr("End the break now")
        )
        self.action_skip_break.setEnabled(False)
        self.action_just_finished = self._action(
            "actionJustFinished", tr("I &just finished an interview"), "Ctrl+Shift+J",
            tr("Start the reflection block for the interview that just ended"),
        )
        self.action_settings = self._action(
            "actionSettings", tr("&Settings…"), QKeySequence.StandardKey.Preferences,
            tr("Reminders, lengths and break suggestions"),
        )
        if self.action_settings.shortcut().isEmpty():
            self.action_settings.setShortcut(QKeySequence("Ctrl+,"))
        self.action_settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action_trash = self._action("actionMoveToTrash", tr("Move to &trash"))
        self.action_undo_trash = self._action(
            "actionUndoTrash", tr("&Undo move to trash"), "Ctrl+Shift+Z"
        )
        self.action_back_up = self._action(
            "actionBackUpNow", tr("&Back up now"), None,
            tr("Copy the journal into the backups folder now, checked"),
        )
        self.action_restore = self._action(
            "actionRestore", tr("&Restore from a backup…"), None,
            tr("Put the journal back as it was when a backup was taken"),
        )
        self.action_export = self._action(
            "actionExport", tr("&Export…"), None,
            tr("Write the whole journal to a JSON file you can keep or import elsewhere"),
        )
        self.action_import = self._action(
            "actionImport", tr("&Import…"), None,
            tr("Merge an export into the journal (nothing in it is deleted)"),
        )
        self.action_show_trash = self._action(
            "actionShowTrash", tr("&Trash…"), None,
            tr("What you moved to the trash: restore it, or delete it for good"),
        )
        self.action_quit = self._action(
            "actionQuit", tr("&Quit"), QKeySequence.StandardKey.Quit, tr("Save and quit")
        )
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.action_search = self._action(
            "actionSearch", tr("&Search…"), QKeySequence.StandardKey.Find,
            tr("Search everything you have written"),
        )
        if self.action_search.shortcut().isEmpty():
            self.action_search.setShortcut(QKeySequence("Ctrl+F"))
        self.action_about = self._action("actionAbout", tr("&About Interview Journal"))
        self.action_shortcuts = self._action(
            "actionKeyboardShortcuts", tr("&Keyboard shortcuts"), "Ctrl+/",
            tr("Every key the window answers to"),
        )
        self.action_focus_tree = self._action(
            "actionFocusTree", tr("Go to the &interviews"), "Ctrl+1",
            tr("Put the cursor in the list of companies and interviews"),
        )
        self.action_focus_editor = self._action(
            "actionFocusEditor", tr("Go to the &page"), "Ctrl+2",
            tr("Put the cursor back in the open interview's page"),
        )
        self.action_focus_filter = self._action(
            "actionFocusFilter", tr("&Filter the interviews"), "Ctrl+L",
            tr("Type to narrow the list of companies and interviews"),
        )
        self.action_toggle_search = self._action(
            "actionToggleSearch", tr("Show search &panel"), "Ctrl+Shift+F",
            tr("Show or hide the Search panel"),
        )
        self.action_toggle_search.setCheckable(True)
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.action_undo_trash.setEnabled(False)
        self.action_finish.setEnabled(False)
        self.action_trash.setEnabled(False)
        # Disabled until the journal is open (attach()).
        self._needs_journal = (
            self.action_new, self.action_just_finished, self.action_settings, self.action_search,
            self.action_focus_tree, self.action_focus_editor, self.action_focus_filter,
            self.action_toggle_search, self.action_show_trash, self.action_back_up,
            self.action_restore, self.action_export, self.action_import,
        )
        for action in self._needs_journal:
            action.setEnabled(False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.action_new)
        file_menu.addAction(self.action_just_finished)
        file_menu.addSeparator()
        file_menu.addAction(self.action_export)
        file_menu.addAction(self.action_import)
        file_menu.addSeparator()
        file_menu.addAction(self.action_back_up)
        file_menu.addAction(self.action_restore)
        file_menu.addSeparator()
        file_menu.addAction(self.action_settings)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.action_undo_trash)
        edit_menu.addSeparator()
        edit_menu.addAction(self.action_search)
        view_menu = bar.addMenu(self.tr("&View"))
        for action in (self.action_focus_tree, self.action_focus_filter, self.action_focus_editor):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.action_toggle_search)
        view_menu.addAction(self.action_show_trash)
        interview_menu = bar.addMenu(self.tr("&Interview"))
        interview_menu.addAction(self.action_finish)
        interview_menu.addAction(self.action_unreflect)
        interview_menu.addAction(self.action_skip_break)
        interview_menu.addAction(self.action_trash)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.action_shortcuts)
        help_menu.addSeparator()
        help_menu.addAction(self.action_about)
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.action_new)
        toolbar.addAction(self.action_just_finished)
        toolbar.addAction(self.action_finish)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.status_message = plain_label("", status)
        self.undo_button = QPushButton(self.tr("Undo"), status)
        self.undo_button.setAccessibleName(self.tr("Undo move to trash"))
        self.undo_button.setFlat(True)
        self.undo_button.hide()
        self.undo_button.clicked.connect(self.action_undo_trash.trigger)
        # The countdown; while another interview is open it opens the one reflected on.
        self.status_countdown = QPushButton("", status)
        self.status_countdown.setObjectName("statusCountdown")
        self.status_countdown.setFlat(True)
        self.status_countdown.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.status_countdown.setAccessibleName(self.tr("Countdown"))
        self.index_progress = QProgressBar(status)
        self.index_progress.setObjectName("indexProgress")
        self.index_progress.setAccessibleName(self.tr("Indexing for search"))
        self.index_progress.setTextVisible(True)
        sample = self.tr("Indexing for search… %1 of %2").replace("%1", "00,000").replace(
            "%2", "00,000"
        )
        self.index_progress.setMinimumWidth(
            self.index_progress.fontMetrics().horizontalAdvance(sample) + 32
        )
        self.index_progress.hide()
        self.exchange_progress = QProgressBar(status)
        self.exchange_progress.setObjectName("exchangeProgress")
        self.exchange_progress.setAccessibleName(self.tr("Export or import"))
        self.exchange_progress.setMaximumWidth(200)
        self.exchange_progress.hide()
        status.addWidget(self.status_message, 1)
        status.addPermanentWidget(self.index_progress)
        status.addPermanentWidget(self.exchange_progress)
        status.addPermanentWidget(self.undo_button)
        status.addPermanentWidget(self.status_countdown)
        # When the last good backup was taken (shown once one is known).
        self.status_backup = plain_label("", status)
        self.status_backup.setObjectName("statusLastBackup")
        self.status_backup.hide()
        status.addPermanentWidget(self.status_backup)

    def _wire_actions(self) -> None:
        self.action_new.triggered.connect(self._on_action_new_triggered)
        self.action_show_trash.triggered.connect(self._on_action_show_trash_triggered)
        self.action_back_up.triggered.connect(self._on_action_back_up_triggered)
        self.action_export.triggered.connect(self._on_action_export_triggered)
        self.action_import.triggered.connect(self._on_action_import_triggered)
        self.action_restore.triggered.connect(self._on_action_restore_triggered)
        self.action_finish.triggered.connect(self._on_action_finish_triggered)
        self.action_unreflect.triggered.connect(self._on_action_unreflect_triggered)
        self.action_trash.triggered.connect(self._on_action_trash_triggered)
        self.action_undo_trash.triggered.connect(self._on_action_undo_trash_triggered)
        self.action_quit.triggered.connect(self.quit_app)
        self.action_about.triggered.connect(self._on_action_about_triggered)
        self.action_just_finished.triggered.connect(self._on_action_just_finished_triggered)
        self.action_settings.triggered.connect(self._on_action_settings_triggered)
        self.minute_timer.timeout.connect(self._on_minute_timer_timeout)
        self.action_search.triggered.connect(self._on_action_search_triggered)
        self.action_shortcuts.triggered.connect(self._on_action_shortcuts_triggered)
        self.action_focus_tree.triggered.connect(self._on_action_focus_tree_triggered)
        self.action_focus_editor.triggered.connect(self._on_action_focus_editor_triggered)
        self.action_focus_filter.triggered.connect(self._on_action_focus_filter_triggered)
        self.action_toggle_search.triggered.connect(self._on_action_toggle_search_triggered)

    def _wire_journal(self) -> None:
        self.editor.empty_new_button.clicked.connect(self.action_new.trigger)

        self.tree.interview_selected.connect(self._on_tree_interview_selected)
        self.tree.company_selected.connect(self._on_tree_company_selected)
        self.tree.new_interview_requested.connect(self._on_tree_new_interview_requested)
        self.tree.rename_requested.connect(self._on_tree_rename_requested)
        self.tree.trash_company_requested.connect(self._on_tree_trash_company_requested)
        self.tree.trash_interview_requested.connect(self._on_tree_trash_interview_requested)

        self.controller.shown.connect(self._on_controller_shown)
        self.controller.interview_moved.connect(self._on_controller_interview_moved)
        self.controller.error.connect(self._on_controller_error)
        self.controller.state_changed.connect(self._on_controller_state_changed)
        self.editor.show_company_requested.connect(self.tree.select_company)

        # Every view follows the journal's own announcements of what each write changed:
        # nothing here refreshes a view by hand after a write (docs/architecture.md).
        changed = self.events.changed
        changed.connect(self.tree_model.apply_changes)
        changed.connect(self.tree.smart_groups.model().apply_changes)
        changed.connect(self.controller.apply_changes)

    # ----------------------------------------------------------------- layout

    def _restore_layout(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 780)
        state = self._settings.value("window/splitter")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([300, 880])
        # The docks (the search panel's place and visibility) and the toolbar.
        docks = self._settings.value("window/state")
        if isinstance(docks, QByteArray) and not docks.isEmpty():
            self.restoreState(docks)  # keeps the place of a dock that is not built yet

    def save_layout(self) -> None:
        """Remember the window's geometry and splitter (QSettings holds layout only)."""
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/splitter", self.splitter.saveState())
        self._settings.setValue("window/state", self.saveState())
        panel = self._search_panel
        self._settings.setValue(SEARCH_SHOWN_KEY, panel is not None and panel.isVisible())
        self._settings.sync()

    # ----------------------------------------------------------------- lifecycle

    def flush(self) -> bool:
        """Save every pending edit now; False if it could not be saved."""
        return self.controller.flush() if self._attached else True

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save before closing; if saving fails, stay open unless the user says otherwise.

        With a tray icon, closing only hides the window while a block runs or an interview
        is scheduled, so its reminders still come; Quit ends the app.
        """
        if self._tray_in_use and not self._quitting and self._anything_scheduled():
            self.flush()
            self.save_layout()
            self.hide()
            event.ignore()
            return
        if not self._final_flush() and not self._closing_confirmed:
            text = self.tr(
                "Your latest changes could not be saved: %1\n\nKeep the window open to try "
                "again, or close and lose those changes."
            ).replace("%1", self.controller.message)
            from interview_journal.ui.dialogs import Messages

            if not Messages.confirm_discard(self, text):
                event.ignore()
                return
        self.save_layout()
        self._remember_open_interview()
        self.stop_background_work()
        if self._attached:
            self.controller.stop()
            self.events.stop()  # the closing writes (session flag, upkeep) reach no view
        event.accept()

    def _remember_open_interview(self) -> None:
        """Store which interview is open, so the next start opens it again."""
        if not self._attached:
            return
        try:
            self.journal.set_setting(LAST_OPEN_KEY, self.controller.interview_id)
        except JournalError as error:  # a journal that takes no writes: start empty next time
            log.info("open interview not remembered: %s", type(error).__name__)

    def _reopen_last_interview(self) -> bool:
        """Open the interview that was open at the last close; False if there is none."""
        try:
            last = self.journal.setting(LAST_OPEN_KEY, None)
            if not isinstance(last, int) or isinstance(last, bool):
                return False
            doc = self.journal.interview(last)
        except JournalError:  # gone for good since (or unreadable): start on the empty page
            return False
        if doc.trashed:
            return False
        self.tree.select_interview(doc.id)
        return self.controller.open_interview(doc.id) and self.controller.interview_id == doc.id

    def detach(self) -> None:
        """Stop the editor's saves before the journal closes (the app quits): a focus change
        while the window is torn down must not write to a closed journal."""
        if self._attached:
            self.controller.stop()
            self.events.stop()  # the closing writes (session flag, upkeep) reach no view

    def _final_flush(self) -> bool:
        """The last save before the window closes or the session ends. If a worker holds the
        journal (the purge's VACUUM, a backup, an import), it is waited for and the save is
        tried again, rather than reported as failed after the GUI's short busy timeout."""
        if self.flush():
            return True
        if not self._attached or self.controller.state != "saving":  # failed, not busy
            return False
        self.pool.waitForDone(FINAL_SAVE_WAIT_MS)
        return self.flush()

    def commit_data(self, manager: QSessionManager) -> None:
        """The desktop session is ending (log out, shut down): save everything now.

        If that fails, ask once, when the session manager lets us, whether to log out
        anyway; "no" cancels the logout. The window then closes without asking again.
        """
        if self._final_flush():
            return
        if manager.allowsInteraction():
            from interview_journal.ui.dialogs import Messages

            text = self.tr(
                "Your latest changes could not be saved: %1\n\nCancel logging out to try "
                "again, or log out and lose those changes."
            ).replace("%1", self.controller.message)
            if Messages.confirm_end_session(self, text):
                self._closing_confirmed = True
            else:
                manager.cancel()
            manager.release()
        else:
            log.warning("the session ended with changes that could not be saved")
            self._closing_confirmed = True  # nobody can answer: never hold the logout up

    # ----------------------------------------------------------------- handlers

    @Slot(int)
    def _on_tree_interview_selected(self, interview_id: int) -> None:
        if self.controller.interview_id == interview_id:
            return
        if not self.controller.open_interview(interview_id):
            self._say(self.tr("Could not save the open interview, so it stays open."))
            current = self.controller.interview_id
            if current is not None:
                self.tree.select_interview(current)
            return
        self.action_trash.setEnabled(True)

    @Slot(object)
    def _on_controller_shown(self, doc: InterviewDoc | None) -> None:
        self._show_reflection_state(doc)
        if self._timer_controller is not None:
            self._timer_controller.set_open_interview(None if doc is None else doc.id)

    def _show_reflection_state(self, doc: InterviewDoc | None) -> None:
        """Offer "Mark reflection complete" only where it means something, and its undo."""
        self.action_finish.setEnabled(doc is not None and self.journal.can_mark_reflected(doc))
        self.action_unreflect.setEnabled(doc is not None and doc.reflected_at is not None)

    @Slot(int)
    def _on_tree_company_selected(self, _company_id: int) -> None:
        self.action_trash.setEnabled(True)

    @Slot()
    def _on_action_new_triggered(self) -> None:
        self._new_interview(None)

    @Slot(int)
    def _on_tree_new_interview_requested(self, company_id: int) -> None:
        self._new_interview(company_id)

    def _new_interview(self, company_id: int | None) -> None:
        if not self.flush():
            self._say(self.tr("Could not save the open interview; try again in a moment."))
            return
        company = self.journal.company(company_id).name if company_id is not None else ""
        today = self.journal.clock.now().astimezone(self.journal.clock.local_zone()).date()
        names = [c.name for c in self.journal.companies()]
        from interview_journal.ui.dialogs import NewInterviewDialog

        entered = NewInterviewDialog.ask(self, names, company, today, self._company_hint)
        if entered is None:
            return
        try:
            with self.journal.transaction():  # all of it, or nothing
                result = self.journal.create_company(entered.company)
                doc = self.journal.create_interview(
                    result.company.id,
                    role=entered.role,
                    stage=entered.stage,
                    on=entered.on,
                    duration_minutes=entered.duration,
                )
                if entered.start is not None:
                    doc = self.journal.set_schedule(
                        doc.id, entered.on, entered.start, entered.duration
                    )
        except JournalError as error:
            self._error(self.tr("Could not create the interview"), str(error))
            return
        if result.message and result.restored:
            self._say(result.message)
        self.tree.select_interview(doc.id)
        self._on_tree_interview_selected(doc.id)
        self.editor.role.setFocus()

    @Slot()
    def _on_action_finish_triggered(self) -> None:
        if not self.action_finish.isEnabled():  # once per interview: a repeat does nothing
            return
        doc = self.controller.mark_reflected()
        if doc is not None:
            self._show_reflection_state(doc)
            self._say(self.tr("Reflection complete. Now step away and take a real break."))
            self.timer_controller.finish(doc.id)

    @Slot()
    def _on_action_unreflect_triggered(self) -> None:
        if not self.action_unreflect.isEnabled():
            return
        doc = self.controller.mark_reflected(False)
        if doc is not None:
            self._show_reflection_state(doc)
            self._say(self.tr("Marked as not reflected yet."))

    @Slot(int)
    def _on_timer_controller_finish_reflection_requested(self, interview_id: int) -> None:
        if interview_id and self.controller.interview_id != interview_id:
            self.open_interview(interview_id)
        if self.controller.interview_id == interview_id and self.action_finish.isEnabled():
            self.action_finish.trigger()
        else:  # already marked (or not openable): the block still ends, and the break starts
            self.timer_controller.finish(interview_id or None)

    def tab_stops(self) -> list[QWidget]:
        """Where Tab goes, in order: the banner, the left pane, the page, the search panel."""
        stops: list[QWidget] = []
        if self._banner is not None:
            stops += focus_chain(self._banner)
        if self._attached:
            stops += focus_chain(self.tree) + self.editor.tab_stops()
        panel = self._search_panel
        if panel is not None and panel.widget() is not None:
            stops += focus_chain(panel.widget())
        return stops

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802  (Qt's name)
        """Tab and Shift+Tab walk ``tab_stops()`` in reading order, round and round.

        Qt's own chain follows the order widgets were made in, so a question card added
        later would be followed by the tree and the toolbar, and a space typed after Tab
        would press whatever button came next.
        """
        current = QApplication.focusWidget()

        def holds_focus(stop: QWidget) -> bool:
            return current is not None and (current is stop or stop.isAncestorOf(current))

        # The focused stop counts even before it shows (a card just added takes the focus
        # before the event loop has shown it).
        stops = [
            w for w in self.tab_stops() if (w.isVisible() and w.isEnabled()) or holds_focus(w)
        ]
        place = next((index for index, stop in enumerate(stops) if holds_focus(stop)), None)
        if place is None:
            return super().focusNextPrevChild(forward)
        next_stop = stops[(place + (1 if forward else -1)) % len(stops)]
        reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
        next_stop.setFocus(reason)
        return True

    # ----------------------------------------------------------------- built when needed

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802  (Qt's name)
        """Paint; after the first frame (and the first with the journal), say so."""
        super().paintEvent(event)
        # Queued: the children paint and the frame is flushed before anyone acts on it.
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)
        if self._attached and not self._shown:
            self._shown = True
            QTimer.singleShot(0, self.journal_shown.emit)

    @property
    def search_panel(self) -> SearchPanel:
        """The search dock (object name ``searchPanel``), built the first time it is needed."""
        return self._ensure_search_panel()

    def _ensure_search_panel(self) -> SearchPanel:
        if self._search_panel is None:
            from interview_journal.ui.search_panel import SearchPanel

            panel = SearchPanel(self.journal, self.pool, self)
            # Where the last session left it (restoreState() kept its place), else hidden on
            # the right.
            if not self.restoreDockWidget(panel):
                self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
                panel.hide()
                self.resizeDocks([panel], [360], Qt.Orientation.Horizontal)
            panel.open_requested.connect(self._on_search_panel_open_requested)
            self.events.changed.connect(panel.apply_changes)
            panel.visibilityChanged.connect(self._on_search_panel_visibility_changed)
            panel.installEventFilter(self)  # its filters widen it: the page keeps its room
            self._search_panel = panel
        return self._search_panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt's name)
        """The search dock changed its width (its filters opened): make room for the page."""
        if watched is self._search_panel and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._make_room_for_the_page)
        return super().eventFilter(watched, event)

    @Slot(bool)
    def _on_search_panel_visibility_changed(self, visible: bool) -> None:
        if visible:
            QTimer.singleShot(0, self._make_room_for_the_page)  # once the dock has its width

    def _make_room_for_the_page(self) -> None:
        """Keep the page readable beside the search dock: the tree pane gives way first."""
        if not self._attached:
            return
        tree, page = self.splitter.sizes()[:2]
        short = max(READABLE_PAGE_WIDTH, self.editor.readable_width()) - page
        if short <= 0:
            return
        tree_gives = min(short, max(0, tree - self.tree.minimumWidth()))
        dock_gives = 0
        panel = self._search_panel
        if short > tree_gives and panel is not None:  # then the dock, down to its minimum
            narrower = max(panel.minimumSizeHint().width(), panel.width() - (short - tree_gives))
            dock_gives = panel.width() - narrower
            self.resizeDocks([panel], [narrower], Qt.Orientation.Horizontal)
        total = tree + page + dock_gives
        self.splitter.setSizes([tree - tree_gives, total - (tree - tree_gives)])

    @property
    def index_backfill(self) -> IndexBackfill:
        """The worker that indexes queued interviews for search, built when first needed."""
        if self._index_backfill is None:
            from interview_journal.ui.search_runner import IndexBackfill

            backfill = IndexBackfill(self.journal, self.pool, self)
            backfill.progress.connect(self._on_index_backfill_progress)
            backfill.failed.connect(self._on_index_backfill_failed)
            backfill.finished.connect(self._on_index_backfill_finished)
            self._index_backfill = backfill
        return self._index_backfill

    @property
    def timer_controller(self) -> TimerController:
        """The reflection timers and reminders, built when first needed (``start_timers``)."""
        if self._timer_controller is None:
            from interview_journal.ui.timer_controller import TimerController

            timers = TimerController(self.journal, self.timer_panel, self._deliver, self)
            timers.countdown_changed.connect(self._on_timer_controller_countdown_changed)
            timers.break_running.connect(self.action_skip_break.setEnabled)
            self.action_skip_break.triggered.connect(timers.skip_break)
            self.status_countdown.clicked.connect(timers.open_running)
            timers.set_open_interview(self.controller.interview_id)
            timers.open_interview_requested.connect(self.open_interview)
            timers.finish_reflection_requested.connect(
                self._on_timer_controller_finish_reflection_requested
            )
            timers.nudge.connect(self.editor.focus_action_items)
            self.events.changed.connect(timers.apply_changes)
            self._timer_controller = timers
        return self._timer_controller

    @Slot(str)
    def _on_timer_controller_countdown_changed(self, text: str) -> None:
        self.status_countdown.setText(text.replace("&", "&&"))  # a company's & is no mnemonic
        self.status_countdown.setAccessibleName(text or self.tr("Countdown"))

    # ----------------------------------------------------------------- search

    def check_journal(self) -> None:
        """Check the journal's file in a worker while it shows (``journal_checked``).

        The journal takes no writes until the check has passed (``Journal.hold_writes``);
        commands handed over meanwhile wait for it too.
        """
        from interview_journal.ui.journal_check import JournalCheck

        check = self._journal_check
        if check is None:
            check = JournalCheck(self.journal.path, self.pool, self)
            check.finished.connect(self._on_journal_check_finished)
            self._journal_check = check
        check.start()

    @Slot(object)
    def _on_journal_check_finished(self, outcome: CheckOutcome) -> None:
        from interview_journal.ui import journal_check

        if outcome.status == journal_check.UNAVAILABLE:
            # Not damage: writes stay held, the user is told, and the check runs again.
            log.warning("journal check stopped by the disk or a lock; trying again shortly")
            self.status_message.setText(
                f"The journal could not be checked yet: {outcome.message} Changes wait until "
                "it has been; it is tried again in a moment."
            )
            self._check_retry().start()
            return
        if outcome.ok:
            self.journal.allow_writes()
            commands, self._commands = self._commands, []
            for request in commands:
                self.run_command(request)
        self.journal_checked.emit(outcome)

    def _check_retry(self) -> QTimer:
        """The single-shot timer that runs ``check_journal`` again (built when needed)."""
        timer = self.findChild(QTimer, "journalCheckRetryTimer")
        if timer is None:
            timer = QTimer(self)
            timer.setObjectName("journalCheckRetryTimer")
            timer.setSingleShot(True)
            timer.setInterval(CHECK_RETRY_MS)
            timer.timeout.connect(self.check_journal)
        return timer

    def start_background_work(self) -> None:
        """Once the journal shows: check the search index and repair it, then index what
        waits in the queue, with progress.

        The index is checked at every start, not only after an unclean shutdown: a dropped
        or damaged index is rebuilt from the notes either way. A journal busy right now
        (another program writing) is tried again shortly, not skipped for the session.
        """
        try:
            pending = self.journal.pending_index_count()
            unclean = False
            if not self._session_marked:  # once per run: was the last run closed cleanly?
                unclean = self.journal.begin_session()
                self._session_marked = True
        except DatabaseBusy:
            log.info("journal busy at start: search upkeep tried again shortly")
            self._upkeep_retry().start()
            return
        except JournalError as error:
            log.warning("search queue not read: %s", type(error).__name__)
            return
        if unclean:
            log.info("the last session did not close cleanly: checking the search index")
        check = not self._index_checked  # once per run, clean shutdown or not
        if (pending > 0 or check) and self.index_backfill.start(check_first=check):
            self._index_checked = True
            if pending > 0 or unclean:
                log.info("indexing %d interviews for search in the background", pending)
                self._on_index_backfill_progress(0, max(pending, 1))

    def _upkeep_retry(self) -> QTimer:
        """The single-shot timer that runs ``start_background_work`` again (built when needed)."""
        timer = self.findChild(QTimer, "upkeepRetryTimer")
        if timer is None:
            timer = QTimer(self)
            timer.setObjectName("upkeepRetryTimer")
            timer.setSingleShot(True)
            timer.setInterval(UPKEEP_RETRY_MS)
            timer.timeout.connect(self.start_background_work)
        return timer

    def stop_background_work(self, timeout_ms: int = 10_000) -> bool:
        """Cancel searches and the backfill and wait for their workers; False on timeout.

        Runs before the journal closes (window close, quit): a worker uses the journal.
        """
        if self._journal_check is not None:
            self._journal_check.cancel()
        for name in ("upkeepRetryTimer", "journalCheckRetryTimer"):
            retry = self.findChild(QTimer, name)
            if retry is not None:
                retry.stop()
        if self._search_panel is not None:
            self._search_panel.stop()
        if self._index_backfill is not None:
            self._index_backfill.cancel()
        if self._purger is not None:
            self._purger.stop()  # a purge that runs finishes; the next deletion purges again
        if self._backups is not None:
            self._backups.stop()
        if self._exchange is not None:
            self._exchange.cancel()  # an import rolls back, an export leaves the old file
        drained = self.pool.waitForDone(timeout_ms)
        if drained and self._purger is not None:
            self._purger.finish()  # deleted text does not outlive the session
        if drained and self._backups is not None and self._quitting_backup:
            self._backups.back_up_at_quit()
        if drained and self._session_marked:
            try:
                self.journal.end_session()  # a clean close
            except JournalError as error:
                log.warning("clean close not recorded: %s", type(error).__name__)
        return drained

    # ----------------------------------------------------------------- backups

    @property
    def backup_runner(self) -> BackupRunner:
        """The automatic backups (``start_backups``), built when first needed."""
        if self._backups is None:
            from interview_journal.ui.backup_view import BackupRunner

            runner = BackupRunner(self.journal, self.pool, self)
            self.events.changed.connect(runner.apply_changes)
            runner.taken.connect(self._on_backup_runner_taken)
            runner.failed.connect(self._on_backup_runner_failed)
            self._backups = runner
        return self._backups

    def start_backups(self) -> None:
        """The journal passed its check: back up if the newest is over a day old, then
        whenever something changed, at most every half hour, and when the app closes."""
        self._quitting_backup = True
        runner = self.backup_runner
        runner.start()
        self._show_last_backup(runner.last)

    def _show_last_backup(self, backup: Backup | None) -> None:
        if backup is None:
            return
        from interview_journal.ui.backup_view import when_text

        clock = self.journal.clock
        text = self.tr("Backed up %1").replace(
            "%1", when_text(backup.taken_at, clock.local_zone(), clock.now())
        )
        self.status_backup.setText(text)
        self.status_backup.setToolTip(str(backup.path))
        self.status_backup.show()

    @Slot(object)
    def _on_backup_runner_taken(self, backup: Backup) -> None:
        self._show_last_backup(backup)

    @Slot(str)
    def _on_backup_runner_failed(self, message: str) -> None:
        self._say(self.tr("No backup could be taken: %1").replace("%1", message))

    @Slot()
    def _on_action_back_up_triggered(self) -> None:
        if not self.flush():
            self._say(self.tr("Could not save the open interview; try again in a moment."))
            return
        self.backup_runner.back_up_now()
        self._say(self.tr("Backing up…"))

    @Slot()
    def _on_action_restore_triggered(self) -> None:
        from interview_journal.ui.backup_view import RestoreDialog

        backup = RestoreDialog.ask(self, self.journal)
        if backup is not None:
            self.restore_backup(backup)

    def restore_backup(self, backup: Backup) -> bool:
        """Put ``backup`` in place of the journal, in this window; False if it was not.

        What is typed is saved first; the workers stop (each holds a connection of its own);
        the journal as it is now is kept as a backup (``backups.restore``); then every view
        reads the restored journal (``changes.REPLACED``).
        """
        from interview_journal.core import backups

        if not self.flush():
            self._say(self.tr("Could not save the open interview; nothing was restored."))
            return False
        now = self.journal.clock.now()
        try:
            if not self.stop_background_work():
                self._say(self.tr("The journal is busy; try the restore again in a moment."))
                return False
            self.journal.replace_file(
                lambda: backups.restore(self.journal.folder, backup, now=now)
            )
        except JournalError as error:
            self._error(self.tr("Could not restore"), str(error))
            return False
        finally:
            # Whichever journal is open now gets its own session mark and index check, and
            # the background work that stopped for the restore goes on.
            self._session_marked = self._index_checked = False
            self.start_background_work()
            if self._backups is not None:
                self._backups.timer.start()
            if self._purger is not None:
                self._purger.resume()
        from interview_journal.ui.backup_view import when_text

        self._clear_undo()  # what it would undo is not in this journal
        clock = self.journal.clock
        self._say(self.tr("Restored the backup taken %1.").replace(
            "%1", when_text(backup.taken_at, clock.local_zone(), clock.now())))
        return True

    # ----------------------------------------------------------------- export, import

    @property
    def exchange(self) -> Exchange:
        """Runs File ▸ Export and File ▸ Import in a worker (built when first needed)."""
        if self._exchange is None:
            from interview_journal.ui.exchange_view import Exchange

            exchange = Exchange(self.journal, self.pool, self)
            exchange.progress.connect(self._on_exchange_progress)
            exchange.exported.connect(self._on_exchange_exported)
            exchange.planned.connect(self._on_exchange_planned)
            exchange.imported.connect(self._on_exchange_imported)
            exchange.failed.connect(self._on_exchange_failed)
            self._exchange = exchange
        return self._exchange

    @Slot()
    def _on_action_export_triggered(self) -> None:
        from interview_journal.ui.exchange_view import Files

        if not self.flush():
            self._say(self.tr("Could not save the open interview; nothing was exported."))
            return
        today = self.journal.clock.now().astimezone(self.journal.clock.local_zone()).date()
        target = Files.save_to(self, Path.home() / f"interview-journal-{today.isoformat()}.json")
        if target is None:
            return
        if self.exchange.export(target):
            self._say(self.tr("Exporting…"))

    @Slot()
    def _on_action_import_triggered(self) -> None:
        from interview_journal.ui.exchange_view import Files

        if not self.flush():
            self._say(self.tr("Could not save the open interview; nothing was imported."))
            return
        source = Files.open_from(self)
        if source is None:
            return
        self._import_source = source
        if self.exchange.plan(source):
            self._say(self.tr("Reading %1…").replace("%1", source.name))

    @Slot(int, int)
    def _on_exchange_progress(self, done: int, total: int) -> None:
        bar = self.exchange_progress
        bar.setRange(0, max(total, 1))
        bar.setValue(min(done, total))
        bar.show()

    @Slot(object, object)
    def _on_exchange_exported(self, target: Path, counts: dict[str, int]) -> None:
        self.exchange_progress.hide()
        count = counts.get("interviews", 0)
        self._say(self.tr("Exported %1 interviews to %2.")
                  .replace("%1", f"{count:,}").replace("%2", str(target)))

    @Slot(object, object)
    def _on_exchange_planned(self, document: dict[str, Any], report: ImportReport) -> None:
        from interview_journal.ui.exchange_view import ImportSummary

        self.exchange_progress.hide()
        self._say("")
        if ImportSummary.ask(self, self._import_source, report) and (
            self.exchange.import_document(document)
        ):
            self._say(self.tr("Importing…"))

    @Slot(object)
    def _on_exchange_imported(self, report: ImportReport) -> None:
        self.exchange_progress.hide()
        from interview_journal.ui.exchange_view import summary_lines

        brought = summary_lines(report)
        self._say(self.tr("Imported: %1.").replace(
            "%1", "; ".join(brought) if brought else self.tr("nothing new")))

    @Slot(str, str)
    def _on_exchange_failed(self, what: str, message: str) -> None:
        self.exchange_progress.hide()
        self._say("")
        title = self.tr("Could not export") if what == "export" else self.tr("Could not import")
        self._error(title, message)

    # ----------------------------------------------------------------- the trash

    @property
    def trash_view(self) -> TrashDialog:
        """The Trash window (``trashView``), built the first time it is shown."""
        if self._trash_view is None:
            from interview_journal.ui.trash_view import TrashDialog

            view = TrashDialog(self.journal, self)
            self.events.changed.connect(view.model.apply_changes)
            view.restored.connect(self._on_trash_view_restored)
            view.deleted.connect(self._on_trash_view_deleted)
            self._trash_view = view
        return self._trash_view

    @property
    def purger(self) -> Purger:
        """Purges deleted text from the files at the next idle moment (built when needed)."""
        if self._purger is None:
            from interview_journal.ui.trash_view import Purger

            self._purger = Purger(self.journal, self.pool, self)
        return self._purger

    @Slot()
    def _on_action_show_trash_triggered(self) -> None:
        if not self.flush():
            self._say(self.tr("Could not save the open interview; try again in a moment."))
            return
        view = self.trash_view
        view.show()
        view.raise_()
        view.activateWindow()
        view.list.setFocus()

    @Slot(str, int)
    def _on_trash_view_restored(self, kind: str, row_id: int) -> None:
        if self._undo_trash == (kind, row_id):
            self._clear_undo()  # it is back: nothing left to undo
        if kind == "company":
            self.tree.select_company(row_id)
        else:
            self.open_interview(row_id)
        self._say(self.tr("Restored from the trash."))

    @Slot()
    def _on_trash_view_deleted(self) -> None:
        if self._undo_trash is not None:
            kind, row_id = self._undo_trash
            if not any(i.kind == kind and i.id == row_id for i in self.journal.trash_contents()):
                self._clear_undo()  # deleted for good: it cannot come back
        self._say(self.tr("Deleted for good."))
        self.purger.schedule()

    @Slot()
    def _on_action_search_triggered(self) -> None:
        self.search_panel.focus_search()

    @Slot()
    def _on_action_toggle_search_triggered(self) -> None:
        panel = self.search_panel
        if panel.isVisible():
            panel.hide()
        else:
            panel.focus_search()
        self.action_toggle_search.setChecked(panel.isVisible())

    @Slot()
    def _on_action_focus_tree_triggered(self) -> None:
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def _on_action_focus_filter_triggered(self) -> None:
        box = self.tree.filter_box()
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()

    @Slot()
    def _on_action_focus_editor_triggered(self) -> None:
        self.editor.focus_page()

    @Slot()
    def _on_action_shortcuts_triggered(self) -> None:
        from interview_journal.ui.dialogs import ShortcutsDialog

        ShortcutsDialog.ask(self, self.shortcut_list())

    def shortcut_list(self) -> list[tuple[str, str]]:
        """Every shortcut the window answers to, as (keys, what it does), for Help."""
        native = QKeySequence.SequenceFormat.NativeText
        rows = [
            (action.shortcut().toString(native), action.text().replace("&", ""))
            for action in self.actions()
            if not action.shortcut().isEmpty()
        ]
        tr = self.tr
        rows += [
            (tr("Tab / Shift+Tab"), tr("Next / previous field, top to bottom")),
            (tr("Return"), tr("Open the interview chosen in the list")),
            (tr("Delete"), tr("Move the chosen interview or company to the trash")),
            (tr("Menu, Shift+F10"), tr("Actions for the chosen interview or company")),
            (tr("Escape"), tr("Clear the filter or the search box; close a reminder")),
            (tr("Alt+Up / Alt+Down"), tr("Move a question or action item up or down")),
            (tr("Alt+Down, F4"), tr("Open the calendar in a date field")),
            (tr("Delete at the end of a time"), tr("No time (or no date) yet")),
            (tr("Ctrl+Z"), tr("Undo typing in the field")),
        ]
        return rows

    @Slot(int, str, list)
    def _on_search_panel_open_requested(
        self, interview_id: int, section: str, terms: list[str]
    ) -> None:
        if self.open_interview(interview_id):
            self.editor.reveal(section, terms)

    @Slot(int, int)
    def _on_index_backfill_progress(self, done: int, total: int) -> None:
        bar = self.index_progress
        bar.setRange(0, max(total, 1))
        bar.setValue(min(done, total))
        bar.setFormat(
            self.tr("Indexing for search… %1 of %2")
            .replace("%1", f"{done:,}")
            .replace("%2", f"{total:,}")
        )
        bar.show()

    @Slot(str)
    def _on_index_backfill_failed(self, message: str) -> None:
        self._say(self.tr("Search indexing stopped: %1").replace("%1", message))

    @Slot(int)
    def _on_index_backfill_finished(self, _indexed: int) -> None:
        self.index_progress.hide()

    # ----------------------------------------------------------------- the reflection habit

    def start_timers(self) -> None:
        """Resume a block that ran before the app closed and start looking for reminders."""
        self.timer_controller.start()
        self.minute_timer.start()

    def stop_timers(self) -> None:
        """Stop looking (on quit); a running block is stored and resumes next time."""
        if self._timer_controller is not None:
            self._timer_controller.stop()
        self.minute_timer.stop()

    @Slot()
    def _on_minute_timer_timeout(self) -> None:
        self.tree_model.refresh_statuses()
        self.tree.refresh_smart_groups()

    @property
    def banner(self) -> NotificationBanner:
        """The strip above the panes that shows reminders, built when first needed."""
        if self._banner is None:
            from interview_journal.ui.banner import NotificationBanner

            self._banner = NotificationBanner(self)
            self._column.insertWidget(0, self._banner)
        return self._banner

    def _banner_only(self) -> BannerNotifier:
        """Reminders in the banner alone (when desktop notifications are turned off)."""
        if self._banner_notifier is None:
            from interview_journal.ui.banner import BannerNotifier

            self._banner_notifier = BannerNotifier(self.banner, self)
        return self._banner_notifier

    def set_notifier(self, notifier: object) -> None:
        """Where reminders go besides the banner (the app's composite notifier)."""
        self.notifier = notifier

    def set_tray_in_use(self, in_use: bool) -> None:
        """With a tray, closing the window hides it while anything is scheduled."""
        self._tray_in_use = in_use

    def _deliver(self, title: str, body: str, actions: Sequence[NotificationAction]) -> None:
        if self._notifications and self.notifier is not None:
            notify = getattr(self.notifier, "notify")  # noqa: B009 - a Notifier, duck-typed
            notify(title, body, urgent=bool(actions), actions=actions)
            return
        self._banner_only().notify(title, body, actions=actions)

    def open_interview(self, interview_id: int) -> bool:
        """Show an interview (selecting it in the tree); False if the open one can't be saved."""
        if self.controller.interview_id == interview_id:
            return True
        self.tree.select_interview(interview_id)
        self._on_tree_interview_selected(interview_id)
        return self.controller.interview_id == interview_id

    def just_finished(self, company: str | None = None, role: str | None = None) -> None:
        """"I just finished an interview": pick or create it, open it, start the block.

        Without a company (the toolbar, the shortcut, ``reflect`` alone) a small dialog asks
        which interview it was: one that just ended, or a company and role.
        """
        if not self.flush():
            self._say(self.tr("Could not save the open interview; try again in a moment."))
            return
        try:
            if company:
                doc = self.journal.just_finished(company, role)
            else:
                chosen = self._ask_which_interview(role)
                if chosen is None:
                    return
                doc = chosen
        except JournalError as error:
            self._error(self.tr("Could not start the reflection"), str(error))
            return
        self.timer_controller.start_reflection(doc.id)
        self.open_interview(doc.id)
        self.editor.focus_top()
        self._say(
            self.tr("Reflection started. Write down what you remember, starting anywhere.")
        )

    def _ask_which_interview(self, role: str | None) -> InterviewDoc | None:
        """Ask which interview just ended; None if the user cancels."""
        from interview_journal.ui.dialogs import JustFinishedDialog, Recent
        from interview_journal.ui.when import format_time

        zone = self.journal.clock.local_zone()
        now = self.journal.clock.now()
        recent = []
        for doc in self.journal.recently_ended():
            ends = doc.ends_at  # recently ended: always a start time, so an end
            assert ends is not None
            when = (
                self.tr("in progress") if ends > now
                else self.tr("ended %1").replace("%1", format_time(ends.astimezone(zone).time()))
            )
            parts = [doc.company_name, doc.role, when] if doc.role else [doc.company_name, when]
            recent.append(Recent(doc.id, " · ".join(parts)))
        names = [c.name for c in self.journal.companies()]
        choice = JustFinishedDialog.ask(self, recent, names, self._company_hint)
        if choice is None:
            return None
        if choice.interview_id is not None:
            return self.journal.interview(choice.interview_id)
        return self.journal.just_finished(choice.company, choice.role or role)

    def _company_hint(self, typed: str) -> str:
        """"You have N earlier interviews here…" for a company typed into a dialog."""
        found = self.journal.company_history(typed)
        return found.summary if found else ""

    @Slot()
    def _on_action_just_finished_triggered(self) -> None:
        self.just_finished()

    @Slot()
    def _on_action_settings_triggered(self) -> None:
        from interview_journal.ui import autostart
        from interview_journal.ui.settings_dialog import ReminderPreferences, SettingsDialog

        current = ReminderPreferences(
            timers=self.journal.timer_settings(),
            notifications=self._notifications,
            suggestions=tuple(self.journal.break_suggestions()),
            start_at_login=autostart.is_enabled(),
        )
        SettingsDialog.ask(self, current, autostart.supported(), self.apply_preferences)

    def apply_preferences(self, values: object) -> None:
        """Store and apply what the settings dialog validated."""
        from interview_journal.ui import autostart
        from interview_journal.ui.settings_dialog import ReminderPreferences

        assert isinstance(values, ReminderPreferences)
        try:
            self.journal.set_timer_settings(values.timers)
            self.journal.set_break_suggestions(values.suggestions)
            self.journal.set_setting(NOTIFICATIONS_KEY, values.notifications)
        except JournalError as error:
            self._error(self.tr("Could not save the settings"), str(error))
            return
        self._notifications = values.notifications
        self.timer_controller.apply_settings(values.timers)
        if autostart.supported() and values.start_at_login != autostart.is_enabled():
            try:
                autostart.set_enabled(values.start_at_login, self.journal.folder)
            except OSError as error:
                self._error(self.tr("Could not change start at login"), str(error))

    @Slot()
    def _on_action_trash_triggered(self) -> None:
        current = self.tree.current_interview_id()
        if current is not None:
            self._on_tree_trash_interview_requested(current)

    @Slot(int)
    def _on_tree_trash_interview_requested(self, interview_id: int) -> None:
        if self.controller.interview_id == interview_id and not self.flush():
            self._say(self.tr("Could not save the open interview; it was not moved."))
            return
        try:
            self.journal.trash_interview(interview_id)
        except JournalError as error:
            self._error(self.tr("Could not move to the trash"), str(error))
            return
        self._offer_undo("interview", interview_id, self.tr("Interview moved to the trash."))

    @Slot(int)
    def _on_tree_trash_company_requested(self, company_id: int) -> None:
        if not self.flush():
            self._say(self.tr("Could not save the open interview; nothing was moved."))
            return
        try:
            self.journal.trash_company(company_id)
        except JournalError as error:
            self._error(self.tr("Could not move to the trash"), str(error))
            return
        self._offer_undo("company", company_id, self.tr("Company moved to the trash."))

    def _anything_scheduled(self) -> bool:
        if not self._attached:
            return False
        timers = self._timer_controller
        if timers is not None and timers.timers.current is not None:
            return True
        now = self.journal.clock.now()
        return any(
            item.starts_at is not None and item.starts_at > now
            for item in self.journal.schedule()
        )

    def _open_company(self) -> int | None:
        current = self.controller.interview_id
        return None if current is None else self.journal.company_id_of(current)

    def _offer_undo(self, kind: str, row_id: int, text: str) -> None:
        self._undo_trash = (kind, row_id)
        self._undo_merge = None
        self.action_undo_trash.setText(self.tr("&Undo move to trash"))
        self.undo_button.setAccessibleName(self.tr("Undo move to trash"))
        self.action_undo_trash.setEnabled(True)
        self.undo_button.show()
        self._say(text)

    def _offer_undo_merge(self, record: MergeRecord, text: str) -> None:
        self._undo_trash = None
        self._undo_merge = record
        self.action_undo_trash.setText(self.tr("&Undo merge"))
        self.undo_button.setAccessibleName(self.tr("Undo merge"))
        self.action_undo_trash.setEnabled(True)
        self.undo_button.show()
        self._say(text)

    def _clear_undo(self) -> None:
        """Nothing left to undo: the action and the status bar's button go."""
        self._undo_trash = None
        self._undo_merge = None
        self.action_undo_trash.setText(self.tr("&Undo move to trash"))
        self.undo_button.setAccessibleName(self.tr("Undo move to trash"))
        self.action_undo_trash.setEnabled(False)
        self.undo_button.hide()

    @Slot()
    def _on_action_undo_trash_triggered(self) -> None:
        if self._undo_merge is not None:
            self._unmerge(self._undo_merge)
            return
        if self._undo_trash is None:
            return
        kind, row_id = self._undo_trash
        try:
            if kind == "company":
                self.journal.restore_company(row_id)
                self.tree.select_company(row_id)
            else:
                self.journal.restore_interview(row_id)
                self.tree.select_interview(row_id)
                self._on_tree_interview_selected(row_id)
        except JournalError as error:
            self._error(self.tr("Could not restore"), str(error))
            return
        self._clear_undo()
        self._say(self.tr("Restored from the trash."))

    @Slot(int)
    def _on_tree_rename_requested(self, company_id: int) -> None:
        current = self.journal.company(company_id).name
        from interview_journal.ui.dialogs import RenameDialog

        name = RenameDialog.ask(self, self.tr("Rename company"), self.tr("Company name"), current)
        if name is None or name == current:
            return
        try:
            other = self.journal.other_company_named(company_id, name)
        except JournalError as error:
            self._error(self.tr("Could not rename"), str(error))
            return
        if other is not None and not other.trashed:
            self._merge(company_id, other.id)  # two names of one company become one
            return
        try:
            self.journal.rename_company(company_id, name)
        except JournalError as error:
            self._error(self.tr("Could not rename"), str(error))

    def _merge_question(self, plan: MergePlan) -> str:
        """"Merge Acme into Acme Inc? Its 3 interviews and 2 interviewers move to Acme Inc.",
        with a line for each interviewer whose title at the target differs and is kept."""
        tr = self.tr
        interviews = (
            tr("1 interview") if plan.interview_count == 1 else tr("%1 interviews")
        ).replace("%1", str(plan.interview_count))
        people = (
            tr("1 interviewer") if plan.interviewer_count == 1 else tr("%1 interviewers")
        ).replace("%1", str(plan.interviewer_count))
        lines = [
            _fill(tr("Merge %1 into %2? Its %3 and %4 move to %2."),
                  plan.source_name, plan.target_name, interviews, people)
        ]
        for name, kept, other in plan.title_conflicts:
            lines.append(_fill(tr('%1 keeps the title "%2" (%3 has "%4").'),
                               name, kept, plan.source_name, other))
        return "\n".join(lines)

    def _merge(self, source_id: int, target_id: int) -> None:
        """Ask, then merge ``source_id`` into ``target_id``; Edit ▸ Undo takes it back."""
        from interview_journal.ui.dialogs import MergeQuestion

        if not self.flush():
            self._say(self.tr("Could not save the open interview; nothing was merged."))
            return
        try:
            plan = self.journal.merge_plan(source_id, target_id)
        except JournalError as error:
            self._error(self.tr("Could not merge"), str(error))
            return
        if not MergeQuestion.ask(self, self.tr("Merge companies"), self._merge_question(plan)):
            return
        try:
            record = self.journal.merge_companies(source_id, target_id)
        except JournalError as error:
            self._error(self.tr("Could not merge"), str(error))
            return
        self._offer_undo_merge(
            record, _fill(self.tr("Merged %1 into %2."), plan.source_name, plan.target_name)
        )

    def _unmerge(self, record: MergeRecord) -> None:
        if not self.flush():
            self._say(self.tr("Could not save the open interview; the merge was not undone."))
            return
        try:
            self.journal.unmerge(record)
        except JournalError as error:
            self._error(self.tr("Could not undo the merge"), str(error))
            return
        self._clear_undo()
        self._say(self.tr("The merge was undone."))

    @Slot(int, int, int)
    def _on_controller_interview_moved(self, interview_id: int, _old: int, _new: int) -> None:
        self.tree.select_interview(interview_id)  # the tree moved it: the selection follows

    @Slot(str)
    def _on_controller_error(self, message: str) -> None:
        self._error(self.tr("Could not make that change"), message)

    @Slot(str, str)
    def _on_controller_state_changed(self, state: str, message: str) -> None:
        if state == "failed":
            self._say(self.tr("Not saved: %1").replace("%1", message))

    @Slot()
    def _on_action_about_triggered(self) -> None:
        from interview_journal.ui.dialogs import Messages

        Messages.about(
            self,
            self.tr("About Interview Journal"),
            self.tr(
                "%1 %2\n\nA private journal for the half hour after each job interview. "
                "Your notes stay on this computer, in %3."
            )
            .replace("%1", DISPLAY_NAME)
            .replace("%2", __version__)
            .replace("%3", str(self.journal.path)),
        )

    def _say(self, text: str) -> None:
        self.status_message.setText(text)

    def _error(self, title: str, text: str) -> None:
        from interview_journal.ui.dialogs import Messages  # dialogs load when first shown

        Messages.error(self, title, text)

    def handle_message(self, message: dict[str, object]) -> None:
        """A second launch handed over (a ``HandOverMessage``): come to the front, and act on
        the request its command line made, if any (``message["command"]``)."""
        from interview_journal.ui.instance import bring_to_front

        token = message.get("activation_token")
        self.show()
        bring_to_front(self, token if isinstance(token, str) else "")
        request = message.get("command")
        if isinstance(request, ReflectRequest):
            self.run_command(request)

    def run_command(self, request: ReflectRequest) -> None:
        """Act on a request the command line made (``reflect [--company NAME] [--role ROLE]``),
        as soon as the journal is open and checked."""
        if not self._attached or not self.journal.writes_allowed:
            self._commands.append(request)  # run once the journal is open and checked
            return
        QTimer.singleShot(0, lambda: self.just_finished(request.company, request.role))

    def quit_app(self) -> None:
        """Close the window (saving) and end the application if it closed."""
        self._quitting = True
        if self.close():
            self.stop_timers()
            app = QApplication.instance()
            if app is not None:
                app.quit()
        else:
            self._quitting = False
