"""The left pane (F1): a filter box, the smart groups, and the tree of companies and interviews.

``CompanyTree`` only shows and forwards intent: it emits ``interview_selected``,
``rename_requested`` and the like, and the main window does the Journal work and then calls
the model's update methods. It never writes to the Journal itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from interview_journal.ui.smart_groups import SmartGroups, SmartGroupsModel
from interview_journal.ui.tree_model import (
    COMPANY,
    COUNT_ROLE,
    DUE_COUNT_ROLE,
    FILTER_ROLE,
    ID_ROLE,
    INTERVIEW,
    KIND_ROLE,
    CompanyTreeModel,
)

_IndexLike = QModelIndex | QPersistentModelIndex

# Intents carried by context-menu actions (QAction.data()).
_NEW_INTERVIEW = "new_interview"
_RENAME = "rename"
_TRASH = "trash"


class _CountDelegate(QStyledItemDelegate):
    """Draws a company's interview count at the right edge of its row, in a quiet colour.

    The count is bold when reflections are due there; a company with none shows no count.
    """

    _GAP = 8  # between the name and the count
    _MARGIN = 6  # between the count and the right edge
    _PADDING = 3  # above and below each row's text, so the list breathes

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _IndexLike) -> None:
        """Paint the row as usual, with the name elided to leave room for the count."""
        count = index.data(COUNT_ROLE)
        if not count:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        count_font = QFont(opt.font)
        if selected:
            colour = QPalette.ColorRole.HighlightedText
        elif index.data(DUE_COUNT_ROLE):
            # Reflections are waiting here: the count reads as text, not as a hint.
            colour = QPalette.ColorRole.Text
            count_font.setBold(True)
        else:
            colour = QPalette.ColorRole.PlaceholderText
        count_text = str(count)
        count_width = QFontMetrics(count_font).horizontalAdvance(count_text)

        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        text_rect.setRight(min(text_rect.right(), opt.rect.right() - self._MARGIN))
        room = max(0, text_rect.width() - count_width - self._GAP)
        opt.text = opt.fontMetrics.elidedText(opt.text, Qt.TextElideMode.ElideMiddle, room)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        painter.save()
        try:
            painter.setFont(count_font)
            painter.setPen(opt.palette.color(colour))
            flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(text_rect, flags, count_text)
        finally:
            painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _IndexLike) -> QSize:
        """The usual size, widened for the count."""
        size = super().sizeHint(option, index)
        size.setHeight(size.height() + 2 * self._PADDING)
        count = index.data(COUNT_ROLE)
        if count:
            extra = option.fontMetrics.horizontalAdvance(str(count)) + self._GAP + self._MARGIN
            size.setWidth(size.width() + extra)
        return size


class _TreeView(QTreeView):
    """The tree with the keys the pane needs: Return opens, Delete trashes, Menu/Shift+F10."""

    return_pressed = Signal()
    delete_pressed = Signal()
    menu_key_pressed = Signal()
    menu_requested = Signal(QPoint)  # a mouse request, in viewport coordinates

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = ""

    def set_placeholder(self, text: str) -> None:
        """Text shown in the empty viewport (no companies, or nothing matches the filter)."""
        self._placeholder = text
        self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Handle Return/Enter, Delete and the context-menu keys; the rest as usual."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers:
            event.accept()
            self.return_pressed.emit()
            return
        if key == Qt.Key.Key_Delete or event.matches(QKeySequence.StandardKey.Delete):
            event.accept()
            self.delete_pressed.emit()
            return
        if key == Qt.Key.Key_Menu or (
            key == Qt.Key.Key_F10 and modifiers == Qt.KeyboardModifier.ShiftModifier
        ):
            event.accept()
            self.menu_key_pressed.emit()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """A menu from the keyboard opens at the current row; from the mouse, where clicked."""
        event.accept()
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self.menu_key_pressed.emit()
        else:
            self.menu_requested.emit(event.pos())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the rows, or the placeholder when there are none."""
        super().paintEvent(event)
        model = self.model()
        if not self._placeholder or model is None or model.rowCount() > 0:
            return
        painter = QPainter(self.viewport())
        try:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            margin = 12
            area = self.viewport().rect().adjusted(margin, margin, -margin, -margin)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            painter.drawText(area, int(flags) | int(Qt.TextFlag.TextWordWrap), self._placeholder)
        finally:
            painter.end()


class CompanyTree(QWidget):
    """The F1 pane: a filter box, the smart groups and the tree of companies and interviews.

    Signals carry intent only; the window performs the change through the Journal and then
    tells the model (and calls ``refresh_smart_groups()``). Selection signals are emitted for
    the user's own navigation (click, arrows, Return) in the tree or in the smart groups, not
    for programmatic ``select_*`` calls or rows the model moved.
    """

    interview_selected = Signal(int)
    company_selected = Signal(int)
    new_interview_requested = Signal(int)
    rename_requested = Signal(int)
    trash_company_requested = Signal(int)
    trash_interview_requested = Signal(int)

    def __init__(self, model: CompanyTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._quiet = 0
        self._filtering = False
        self._expanded_before_filter: set[int] = set()
        self._menu: QMenu | None = None
        # What the user (or the window) last selected: the row the editor shows.
        self._shown: tuple[str, int] | None = None

        self._filter = QLineEdit(self)
        self._filter.setObjectName("companyFilter")
        self._filter.setPlaceholderText(self.tr("Filter companies and interviews"))
        self._filter.setAccessibleName(self.tr("Filter"))
        self._filter.setClearButtonEnabled(True)
        self._filter.installEventFilter(self)

        # Built between the filter and the tree, so Tab goes filter -> groups -> tree.
        self.smart_groups = SmartGroups(
            SmartGroupsModel(model.journal(), self), self
        )

        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(model)
        self._proxy.setFilterRole(FILTER_ROLE)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._proxy.setRecursiveFilteringEnabled(True)
        # A company that matches keeps all its interviews visible.
        self._proxy.setAutoAcceptChildRows(True)

        self._tree = _TreeView(self)
        self._tree.setObjectName("companyTree")
        self._tree.setAccessibleName(self.tr("Companies and interviews"))
        self._tree.setModel(self._proxy)
        self._tree.setHeaderHidden(True)
        self._tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._tree.setUniformRowHeights(True)
        self._tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._tree.setItemDelegate(_CountDelegate(self._tree))
        self._update_placeholder()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._filter)
        layout.addWidget(self.smart_groups)
        layout.addWidget(self._tree, 1)
        self.setFocusProxy(self._tree)

        self._filter.textChanged.connect(self._on_filter_text_changed)
        self._tree.selectionModel().currentChanged.connect(self._on_selection_current_changed)
        self._tree.activated.connect(self._on_tree_activated)
        self._tree.return_pressed.connect(self._on_tree_return_pressed)
        self._tree.delete_pressed.connect(self._on_tree_delete_pressed)
        self._tree.menu_key_pressed.connect(self._on_tree_menu_key_pressed)
        self._tree.menu_requested.connect(self._on_tree_menu_requested)
        self._model.rowsRemoved.connect(self._on_model_rows_removed)
        self._model.modelReset.connect(self._on_model_model_reset)
        self.smart_groups.interview_selected.connect(self._on_smart_groups_interview_selected)
        self.smart_groups.leave_up.connect(self._on_smart_groups_leave_up)
        self.smart_groups.leave_down.connect(self._on_smart_groups_leave_down)

    # ------------------------------------------------------------------ public API

    def model(self) -> CompanyTreeModel:
        """The source model the pane shows (the window calls its update methods)."""
        return self._model

    def refresh_smart_groups(self) -> None:
        """Re-read *Upcoming* and *Reflection due*: after a change, and as time passes."""
        self.smart_groups.refresh()

    def filter_box(self) -> QLineEdit:
        """The filter box: the pane's first Tab stop (and the target of its shortcut)."""
        return self._filter

    def filter_text(self) -> str:
        """What is typed in the filter box."""
        return self._filter.text()

    def set_filter_text(self, text: str) -> None:
        """Type ``text`` into the filter box (as if the user had)."""
        self._filter.setText(text)

    def select_interview(self, interview_id: int) -> bool:
        """Make an interview current (expanding its company); False if it is not in the tree.

        Clears the filter if it hides the interview. Emits no selection signal.
        """
        return self._select(self._model.index_for_interview(interview_id))

    def select_company(self, company_id: int) -> bool:
        """Make a company current; False if it is not in the tree. Emits no selection signal."""
        return self._select(self._model.index_for_company(company_id))

    def current_interview_id(self) -> int | None:
        """The id of the current interview, or None when a company (or nothing) is current."""
        index = self._tree.currentIndex()
        if index.isValid() and index.data(KIND_ROLE) == INTERVIEW:
            return int(index.data(ID_ROLE))
        return None

    def current_company_id(self) -> int | None:
        """The current company, or the company of the current interview; None if nothing."""
        index = self._tree.currentIndex()
        if not index.isValid():
            return None
        if index.data(KIND_ROLE) == INTERVIEW:
            index = index.parent()
        return int(index.data(ID_ROLE)) if index.isValid() else None

    def build_context_menu(self, index: _IndexLike) -> QMenu | None:
        """The context menu for a row of the tree (a view index), or None for empty space."""
        if not index.isValid():
            return None
        kind = index.data(KIND_ROLE)
        item_id = int(index.data(ID_ROLE))
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Actions"))
        if kind == COMPANY:
            self._add_action(menu, self.tr("&New interview for this company"),
                             _NEW_INTERVIEW, item_id)
            self._add_action(menu, self.tr("&Rename…"), _RENAME, item_id)
            menu.addSeparator()
        trash = self._add_action(menu, self.tr("Move to &trash"), _TRASH, item_id)
        trash.setProperty("kind", kind)
        trash.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        trash.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        trash.setShortcutVisibleInContextMenu(True)
        menu.triggered.connect(self._on_menu_triggered)
        return menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """From the filter box: Down moves into the smart groups (or the tree), Escape clears
        the filter."""
        if watched is self._filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down:
                if not self.smart_groups.enter(1):
                    self._enter_tree()
                return True
            if event.key() == Qt.Key.Key_Escape and self._filter.text():
                self._filter.clear()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ slots

    @Slot(str)
    def _on_filter_text_changed(self, text: str) -> None:
        needle = text.strip()
        with self._quietly():
            if needle and not self._filtering:
                self._expanded_before_filter = self._expanded_company_ids()
                # Interviews load lazily; the filter can only match the ones that are loaded.
                self._model.fetch_all()
            self._proxy.setFilterFixedString(needle)
            if needle:
                self._tree.expandAll()
            elif self._filtering:
                self._tree.collapseAll()
                self._expand_companies(self._expanded_before_filter)
            self._filtering = bool(needle)
            self._show_selected_row()
        # The groups would only compete with the narrowed tree; they return when it clears.
        self.smart_groups.set_suppressed(bool(needle))
        self._update_placeholder()

    @Slot(QModelIndex, QModelIndex)
    def _on_selection_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._quiet or self._model.is_updating():
            return
        self._emit_selection(current)

    @Slot(QModelIndex)
    def _on_tree_activated(self, index: QModelIndex) -> None:
        self._emit_selection(index)

    @Slot()
    def _on_tree_return_pressed(self) -> None:
        self._emit_selection(self._tree.currentIndex())

    @Slot()
    def _on_tree_delete_pressed(self) -> None:
        index = self._tree.currentIndex()
        if not index.isValid():
            return
        item_id = int(index.data(ID_ROLE))
        if index.data(KIND_ROLE) == COMPANY:
            self.trash_company_requested.emit(item_id)
        else:
            self.trash_interview_requested.emit(item_id)

    @Slot()
    def _on_tree_menu_key_pressed(self) -> None:
        index = self._tree.currentIndex()
        if not index.isValid():
            return
        self._tree.scrollTo(index)
        rect = self._tree.visualRect(index)
        self._popup_menu(index, QPoint(rect.left() + 16, rect.bottom()))

    @Slot(QPoint)
    def _on_tree_menu_requested(self, pos: QPoint) -> None:
        index = self._tree.indexAt(pos)
        if not index.isValid():
            return
        self._tree.setCurrentIndex(index)
        self._popup_menu(index, pos)

    @Slot(QAction)
    def _on_menu_triggered(self, action: QAction) -> None:
        intent = action.property("intent")
        item_id = int(action.data())
        if intent == _NEW_INTERVIEW:
            self.new_interview_requested.emit(item_id)
        elif intent == _RENAME:
            self.rename_requested.emit(item_id)
        elif intent == _TRASH and action.property("kind") == COMPANY:
            self.trash_company_requested.emit(item_id)
        elif intent == _TRASH:
            self.trash_interview_requested.emit(item_id)

    @Slot()
    def _on_menu_about_to_hide(self) -> None:
        menu, self._menu = self._menu, None
        if menu is not None:
            menu.deleteLater()  # after the triggered action has been handled

    @Slot(QModelIndex, int, int)
    def _on_model_rows_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        # When the selected row goes (trash), select nothing rather than the neighbour the
        # view would pick: the window has closed it, and Delete must not hit another row.
        if self._shown is not None and not self._shown_source().isValid():
            self._shown = None
            self.smart_groups.set_current_interview(None)
            with self._quietly():
                self._tree.selectionModel().clear()

    @Slot(int)
    def _on_smart_groups_interview_selected(self, interview_id: int) -> None:
        # Show it in the tree too (quietly), then ask the window to open it.
        self._select(self._model.index_for_interview(interview_id))
        self._shown = (INTERVIEW, interview_id)
        self.interview_selected.emit(interview_id)

    @Slot()
    def _on_smart_groups_leave_up(self) -> None:
        self._filter.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_smart_groups_leave_down(self) -> None:
        self._enter_tree()

    @Slot()
    def _on_model_model_reset(self) -> None:
        # A reload forgets fetched interviews; an active filter needs them again.
        if self._filtering:
            self._model.fetch_all()
            with self._quietly():
                self._tree.expandAll()

    # ------------------------------------------------------------------ helpers

    def _add_action(self, menu: QMenu, text: str, intent: str, item_id: int) -> QAction:
        action = menu.addAction(text)
        action.setProperty("intent", intent)
        action.setData(item_id)
        return action

    def _popup_menu(self, index: QModelIndex, pos: QPoint) -> None:
        menu = self.build_context_menu(index)
        if menu is None:
            return
        if self._menu is not None:
            self._menu.close()  # at most one menu, even if two triggers arrive
        self._menu = menu
        menu.aboutToHide.connect(self._on_menu_about_to_hide)
        menu.popup(self._tree.viewport().mapToGlobal(pos))

    def _show_selected_row(self) -> None:
        """Keep the selected row current through filtering; select nothing while it is hidden.

        Otherwise the view would leave a neighbouring row highlighted (and Return or Delete
        would act on it) while the editor still shows the hidden one.
        """
        index = self._proxy.mapFromSource(self._shown_source())
        if index.isValid():
            if index.parent().isValid():
                self._tree.expand(index.parent())
            self._tree.setCurrentIndex(index)
            self._tree.scrollTo(index)
        else:
            self._tree.selectionModel().clear()

    def _shown_source(self) -> QModelIndex:
        """The model index of the selected row (invalid if none, or it left the tree)."""
        if self._shown is None:
            return QModelIndex()
        kind, item_id = self._shown
        if kind == COMPANY:
            return self._model.index_for_company(item_id)
        if self._model.company_of(item_id) is None:  # not loaded: gone (and no query)
            return QModelIndex()
        return self._model.index_for_interview(item_id)

    def _emit_selection(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        item_id = int(index.data(ID_ROLE))
        self._shown = (str(index.data(KIND_ROLE)), item_id)
        is_interview = index.data(KIND_ROLE) == INTERVIEW
        self.smart_groups.set_current_interview(item_id if is_interview else None)
        if is_interview:
            self.interview_selected.emit(item_id)
        else:
            self.company_selected.emit(item_id)

    def _select(self, source: QModelIndex) -> bool:
        if not source.isValid():
            return False
        index = self._proxy.mapFromSource(source)
        if not index.isValid() and self._filter.text():
            self._filter.clear()
            index = self._proxy.mapFromSource(source)
        if not index.isValid():
            return False
        with self._quietly():
            if index.parent().isValid():
                self._tree.expand(index.parent())
            self._tree.setCurrentIndex(index)
            self._tree.scrollTo(index)
        self._shown = (str(index.data(KIND_ROLE)), int(index.data(ID_ROLE)))
        is_interview = index.data(KIND_ROLE) == INTERVIEW
        self.smart_groups.set_current_interview(self._shown[1] if is_interview else None)
        return True

    def _enter_tree(self) -> None:
        self._tree.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self._tree.currentIndex().isValid() and self._proxy.rowCount() > 0:
            first = self._proxy.index(0, 0)
            self._tree.setCurrentIndex(first)

    def _expanded_company_ids(self) -> set[int]:
        ids: set[int] = set()
        for row in range(self._proxy.rowCount()):
            index = self._proxy.index(row, 0)
            if self._tree.isExpanded(index):
                ids.add(int(index.data(ID_ROLE)))
        return ids

    def _expand_companies(self, company_ids: set[int]) -> None:
        for company_id in company_ids:
            index = self._proxy.mapFromSource(self._model.index_for_company(company_id))
            if index.isValid():
                self._tree.expand(index)

    def _update_placeholder(self) -> None:
        if self._filter.text().strip():
            self._tree.set_placeholder(self.tr("Nothing matches the filter."))
        else:
            self._tree.set_placeholder(
                self.tr("No companies yet. A new interview adds its company here.")
            )

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Changes to the current row made here are not the user's: emit no selection."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1


__all__ = ["CompanyTree"]
