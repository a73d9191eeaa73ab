"""The smart groups on top of the tree (F1): *Upcoming* and *Reflection due*.

``SmartGroupsModel`` is a small adapter over the Journal: two group rows, each with the
interviews in it as children. It caches frozen rows, so ``data()`` never queries, and
``refresh()`` re-reads and reports the difference with row inserts, removes, moves and
``dataChanged`` (never a reset), so the lists keep their selection and their root index.

``SmartGroups`` shows the model as two headed lists ("Upcoming (2)", "Reflection due (1)")
that hide while empty, so a new journal shows only the tree. Like the tree it only forwards
intent: choosing an item emits ``interview_selected``.

"Reflection due" is the Journal's status ``due``: ended within the last seven days and not
reflected (docs/architecture.md). "Upcoming" is the status ``upcoming``: not ended yet, which
includes an interview in progress.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, overload

from PySide6 import QtGui
from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFontMetrics, QIcon, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QListView,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core.changes import Changes
from interview_journal.core.domain import STAGE_LABELS
from interview_journal.core.journal import AgendaRow, Journal
from interview_journal.ui.tree_model import (
    COUNT_ROLE,
    ID_ROLE,
    INTERVIEW,
    KIND_ROLE,
    ROLE_NAMES,
    STATUS_ROLE,
    status_icon,
    with_role_names,
)
from interview_journal.ui.vocabulary import tr_domain
from interview_journal.ui.when import format_date, format_time
from interview_journal.ui.widgets import plain_label

UPCOMING = 0
"""The row of the *Upcoming* group."""
DUE = 1
"""The row of the *Reflection due* group."""
GROUP = "group"
"""``KIND_ROLE`` of a group row (its children are ``"interview"``)."""
PARTS_ROLE = int(Qt.ItemDataRole.UserRole) + 20
"""An interview's label as its three parts (when, company, stage), for eliding the company."""

_IndexLike = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_MAX_VISIBLE_ROWS = 5  # a longer group scrolls, so the tree keeps its room


@dataclass(frozen=True)
class SmartItem:
    """One interview in a smart group, with everything ``data()`` shows, computed once."""

    id: int
    company_id: int
    company: str
    status: str
    when: str  # "Today 14:00", "Tomorrow", "Mon 9 Mar"
    stage: str  # the stage's label, else the role, else ""
    detail: str  # the tree's "date · stage · role", for the tooltip

    @property
    def label(self) -> str:
        """"when · company · stage"."""
        return " · ".join(part for part in (self.when, self.company, self.stage) if part)


def _plain_tooltip(text: str) -> str:
    """User text as a tooltip: escaped, so markup in a name shows literally."""
    return QtGui.Qt.convertFromPlainText(text)


class SmartGroupsModel(QAbstractItemModel):
    """Two group rows (Upcoming, Reflection due) with their interviews as children.

    Upcoming is soonest first; Reflection due is most recently ended first. Internal ids are
    0 for the groups and the group's row + 1 for interviews. Both groups come from one
    Journal query (``Journal.upcoming_and_due``).
    """

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        self._icons: dict[str, QIcon] = {}
        self._groups: list[list[SmartItem]] = self._read()

    # ------------------------------------------------------------------ Qt model API

    def index(self, row: int, column: int, parent: _IndexLike = _ROOT) -> QModelIndex:
        """A group at the root; an interview under its group."""
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    @overload
    def parent(self) -> QObject | None: ...

    @overload
    def parent(self, child: _IndexLike) -> QModelIndex: ...

    def parent(self, child: _IndexLike | None = None) -> QObject | QModelIndex | None:
        """The group an interview is in (invalid for the groups)."""
        if child is None:
            return super().parent()
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(child.internalId()) - 1, 0, 0)

    def rowCount(self, parent: _IndexLike = _ROOT) -> int:
        """Two groups at the root; a group's interviews below it."""
        if not parent.isValid():
            return len(self._groups)
        if parent.column() > 0 or parent.internalId() != 0:
            return 0
        return len(self._groups[parent.row()])

    def columnCount(self, parent: _IndexLike = _ROOT) -> int:
        """Always one column."""
        return 1

    def flags(self, index: _IndexLike) -> Qt.ItemFlag:
        """Interviews are selectable; the group rows are headings only."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Values for the lists and their headings, from the cached rows only."""
        if not index.isValid() or index.column() != 0:
            return None
        if index.internalId() == 0:
            return self._group_data(index.row(), role)
        item = self._item(int(index.internalId()) - 1, index.row())
        return None if item is None else self._item_data(item, role)

    def roleNames(self) -> dict[int, Any]:
        """Qt's roles plus ours (for QML and debugging tools)."""
        ours = {role: ROLE_NAMES[role] for role in (KIND_ROLE, ID_ROLE, STATUS_ROLE, COUNT_ROLE)}
        return with_role_names(super().roleNames(), ours)

    # ------------------------------------------------------------------ public API

    def refresh(self) -> None:
        """Read the groups again (after a change, or because time passed) and apply the diff."""
        wanted = self._read()
        for group, items in enumerate(wanted):
            before = len(self._groups[group])
            self._sync(group, items)
            if len(self._groups[group]) != before:
                heading = self.index(group, 0)
                self.dataChanged.emit(heading, heading)

    def apply_changes(self, changes: Changes) -> None:
        """Follow a write anywhere (``JournalEvents.changed``): read the groups again when it
        changed something they show (one query; the difference is applied row by row)."""
        if changes.affects_lists:
            self.refresh()

    def group_index(self, group: int) -> QModelIndex:
        """The index of a group row (``UPCOMING`` or ``DUE``): the root of its list."""
        return self.index(group, 0)

    def interview_ids(self, group: int) -> list[int]:
        """The interviews in a group, in display order."""
        return [item.id for item in self._groups[group]]

    def index_for_interview(self, interview_id: int) -> QModelIndex:
        """Where an interview is listed (invalid if it is in neither group)."""
        for group, items in enumerate(self._groups):
            for row, item in enumerate(items):
                if item.id == interview_id:
                    return self.createIndex(row, 0, group + 1)
        return QModelIndex()

    # ------------------------------------------------------------------ data helpers

    def _group_data(self, group: int, role: int) -> Any:
        if not 0 <= group < len(self._groups):
            return None
        count = len(self._groups[group])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if group == UPCOMING:
                return self.tr("Upcoming ({count})").format(count=count)
            return self.tr("Reflection due ({count})").format(count=count)
        if role == KIND_ROLE:
            return GROUP
        if role == COUNT_ROLE:
            return count
        return None

    def _item_data(self, item: SmartItem, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return item.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return _plain_tooltip(f"{item.company}\n{item.detail}\n{self._status_text(item)}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.label}, {self._status_text(item)}"
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.get(item.status)
            if icon is None:
                icon = self._icons[item.status] = status_icon(item.status)
            return icon
        if role == KIND_ROLE:
            return INTERVIEW
        if role == ID_ROLE:
            return item.id
        if role == STATUS_ROLE:
            return item.status
        if role == PARTS_ROLE:
            return (item.when, item.company, item.stage)
        return None

    def _status_text(self, item: SmartItem) -> str:
        if item.status == "due":
            return self.tr("Reflection due")
        return self.tr("Upcoming")

    def _item(self, group: int, row: int) -> SmartItem | None:
        if not 0 <= group < len(self._groups):
            return None
        items = self._groups[group]
        return items[row] if 0 <= row < len(items) else None

    # ------------------------------------------------------------------ reading

    def _read(self) -> list[list[SmartItem]]:
        """Both groups as they should be now, sorted for display (one Journal query)."""
        clock = self._journal.clock
        zone = clock.local_zone()
        today = clock.now().astimezone(zone).date()
        found = self._journal.upcoming_and_due()

        def start(row: AgendaRow) -> datetime:
            if row.starts_at is not None:
                return row.starts_at
            # A date-only interview counts from the start of its local day.
            return datetime.combine(row.date, time()).replace(tzinfo=zone)

        upcoming = sorted(
            (row for row in found if row.status == "upcoming"),
            key=lambda row: (start(row), row.id),
        )
        due = sorted(
            (row for row in found if row.status == "due"),
            key=lambda row: (row.ends_at, row.id),
            reverse=True,
        )
        return [
            [self._make_item(row, today) for row in upcoming],
            [self._make_item(row, today) for row in due],
        ]

    def _make_item(self, row: AgendaRow, today: date) -> SmartItem:
        return SmartItem(
            id=row.id,
            company_id=row.company_id,
            company=row.company_name,
            status=row.status,
            when=self._when(row, today),
            stage=tr_domain(STAGE_LABELS.get(row.stage, row.stage)) if row.stage else row.role,
            detail=row.label_in(format_date),
        )

    def _when(self, row: AgendaRow, today: date) -> str:
        """"Today 14:00", "Tomorrow 10:30", "Yesterday", "Mon 9 Mar 10:30": short and relative.

        The start time is shown for upcoming interviews only; for a due one the day is
        enough. The year is added for a date more than a week away in another year.
        """
        clock_time = ""
        day = row.date
        if row.starts_at is not None:
            local = row.starts_at.astimezone(self._journal.clock.local_zone())
            day = local.date()
            if row.status == "upcoming":
                clock_time = format_time(local.time())
        if day == today:
            word = self.tr("Today")
        elif day == today + timedelta(days=1):
            word = self.tr("Tomorrow")
        elif day == today - timedelta(days=1):
            word = self.tr("Yesterday")
        else:
            shown = QDate(day.year, day.month, day.day)
            far = day.year != today.year and abs((day - today).days) > 7
            word = QLocale().toString(shown, "ddd d MMM yyyy" if far else "ddd d MMM")
        return f"{word} {clock_time}" if clock_time else word

    # ------------------------------------------------------------------ diffing

    def _sync(self, group: int, wanted: list[SmartItem]) -> None:
        """Turn a group's rows into ``wanted`` with removes, moves, inserts and dataChanged."""
        parent = self.index(group, 0)
        current = self._groups[group]
        keep = {item.id for item in wanted}
        for row in range(len(current) - 1, -1, -1):
            if current[row].id not in keep:
                self.beginRemoveRows(parent, row, row)
                del current[row]
                self.endRemoveRows()
        for row, item in enumerate(wanted):
            if row < len(current) and current[row].id == item.id:
                self._merge(parent, current, row, item)
                continue
            found = next(
                (k for k in range(row + 1, len(current)) if current[k].id == item.id), None
            )
            if found is None:
                self.beginInsertRows(parent, row, row)
                current.insert(row, item)
                self.endInsertRows()
                continue
            self.beginMoveRows(parent, found, found, parent, row)
            current.insert(row, current.pop(found))
            self.endMoveRows()
            self._merge(parent, current, row, item)

    def _merge(
        self, parent: QModelIndex, current: list[SmartItem], row: int, item: SmartItem
    ) -> None:
        if current[row] != item:
            current[row] = item
            index = self.index(row, 0, parent)
            self.dataChanged.emit(index, index)


def _fit(metrics: QFontMetrics, parts: tuple[str, str, str], width: int) -> str:
    """"when · company · stage" in ``width`` pixels, shortening the company first."""
    when, company, stage = parts
    full = " · ".join(part for part in parts if part)
    if metrics.horizontalAdvance(full) <= width:
        return full
    separator = " · "
    fixed = when + separator + (separator + stage if stage else "")
    room = width - metrics.horizontalAdvance(fixed)
    if room >= metrics.horizontalAdvance("MMMM"):
        short = metrics.elidedText(company, Qt.TextElideMode.ElideMiddle, room)
        return " · ".join(part for part in (when, short, stage) if part)
    return metrics.elidedText(full, Qt.TextElideMode.ElideRight, width)


# ---------------------------------------------------------------------- the widget


class _ItemDelegate(QStyledItemDelegate):
    """Rows as tall as the tree's; a label too long for the row shortens the company name.

    The date and the stage are what a glance needs, so they stay whole while the pane has
    room for them; only then is the whole label elided at the right.
    """

    _PADDING = 3  # the tree's _CountDelegate uses the same

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _IndexLike) -> None:
        """Paint the row as usual, with the label fitted to the row's width."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        parts = index.data(PARTS_ROLE)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        if parts:
            text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
            margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
            # The style lays text out with fractional widths: leave it a pixel or two, or it
            # elides the stage that was just fitted.
            opt.text = _fit(opt.fontMetrics, parts, text_rect.width() - 2 * margin - 2)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

    def sizeHint(self, option: QStyleOptionViewItem, index: _IndexLike) -> QSize:
        """The usual size plus a little air above and below."""
        size = super().sizeHint(option, index)
        size.setHeight(size.height() + 2 * self._PADDING)
        return size


class _GroupList(QListView):
    """One group's interviews: as tall as its rows (up to a few), Return opens, arrows leave.

    Down on the last row and Up on the first emit ``leave`` (+1 / -1), so the arrow keys
    walk from one group to the next and on into the tree.
    """

    return_pressed = Signal()
    leave = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)
        self.setItemDelegate(_ItemDelegate(self))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def row_count(self) -> int:
        """How many interviews the list shows."""
        model = self.model()
        return 0 if model is None else model.rowCount(self.rootIndex())

    def sizeHint(self) -> QSize:
        """Tall enough for its rows, up to ``_MAX_VISIBLE_ROWS``; the rest scroll."""
        rows = min(self.row_count(), _MAX_VISIBLE_ROWS)
        row_height = self.sizeHintForRow(0) if rows else 0
        frame = 2 * self.frameWidth()
        return QSize(super().sizeHint().width(), rows * max(row_height, 0) + frame)

    def minimumSizeHint(self) -> QSize:
        """The same as the size hint: a group never squeezes below its rows."""
        return self.sizeHint()

    def rowsAboutToBeRemoved(  # noqa: N802  (Qt's name)
        self, parent: _IndexLike, start: int, end: int
    ) -> None:
        """When the current row goes, select nothing (Qt would select, and so open, the next).

        The open interview leaves a group because the user edited it (a new date, marked
        reflected) or the clock moved on; its neighbour must not open under the cursor.
        """
        current = self.currentIndex()
        if current.isValid() and current.parent() == parent and start <= current.row() <= end:
            self.selectionModel().clear()
        super().rowsAboutToBeRemoved(parent, start, end)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Return/Enter opens; Down past the end and Up past the top leave the list."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers:
            event.accept()
            self.return_pressed.emit()
            return
        if not modifiers and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            current = self.currentIndex()
            last = self.row_count() - 1
            if key == Qt.Key.Key_Down and current.isValid() and current.row() >= last:
                event.accept()
                self.leave.emit(1)
                return
            if key == Qt.Key.Key_Up and (not current.isValid() or current.row() == 0):
                event.accept()
                self.leave.emit(-1)
                return
        super().keyPressEvent(event)


class _Section(QWidget):
    """A heading ("Upcoming (2)") over the list of one group; hidden while the group is empty.

    Emits ``chosen(id)`` when the user selects or activates an interview, and ``leave(group,
    step)`` when the arrow keys run off either end of the list.
    """

    chosen = Signal(int)
    leave = Signal(int, int)

    def __init__(
        self, model: SmartGroupsModel, group: int, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._group = group
        self._quiet = 0

        self.heading = plain_label("", self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setContentsMargins(6, 2, 6, 0)

        self.view = _GroupList(self)
        self.view.setAccessibleName(name)
        self.view.setModel(model)
        self.view.setRootIndex(model.group_index(group))
        self.heading.setBuddy(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)

        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.view.activated.connect(self._on_view_activated)
        self.view.return_pressed.connect(self._on_view_return_pressed)
        self.view.leave.connect(self._on_view_leave)
        self.update_heading()

    def update_heading(self) -> None:
        """Show the group's name and count, and hide the section while it is empty."""
        heading = self._model.group_index(self._group)
        self.heading.setText(str(heading.data()))
        self.setHidden(self.view.row_count() == 0)
        self.view.updateGeometry()

    def show_interview(self, interview_id: int | None) -> None:
        """Highlight ``interview_id`` if this group lists it, else select nothing. Quiet."""
        index = None if interview_id is None else self._model.index_for_interview(interview_id)
        with self._quietly():
            selection = self.view.selectionModel()
            if index is not None and index.isValid() and index.parent().row() == self._group:
                if selection.currentIndex() != index or not selection.isSelected(index):
                    selection.setCurrentIndex(
                        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    )
                    self.view.scrollTo(index)
            elif selection.hasSelection() or selection.currentIndex().isValid():
                selection.clear()

    def enter(self, step: int) -> None:
        """Take the focus from a neighbour: on the first row going down, the last going up."""
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        rows = self.view.row_count()
        if rows == 0:
            return
        row = 0 if step > 0 else rows - 1
        index = self._model.index(row, 0, self._model.group_index(self._group))
        self.view.setCurrentIndex(index)  # selects it: the user moved here, so it opens

    @Slot(QItemSelection, QItemSelection)
    def _on_view_selection_changed(
        self, selected: QItemSelection, deselected: QItemSelection
    ) -> None:
        if self._quiet:
            return
        indexes = selected.indexes()
        if indexes:
            self.chosen.emit(int(indexes[0].data(ID_ROLE)))

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.chosen.emit(int(index.data(ID_ROLE)))

    @Slot()
    def _on_view_return_pressed(self) -> None:
        self._on_view_activated(self.view.currentIndex())

    @Slot(int)
    def _on_view_leave(self, step: int) -> None:
        self.leave.emit(self._group, step)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1


class SmartGroups(QWidget):
    """*Upcoming* and *Reflection due* as two headed lists, for the top of the left pane.

    Hidden while both groups are empty (and while ``set_suppressed(True)``, which the pane
    uses while its filter narrows the tree). Emits ``interview_selected`` for the user's own
    choice (click, arrows, Return); ``leave_up`` / ``leave_down`` when the arrow keys run
    off the top of the first list or the bottom of the last.
    """

    interview_selected = Signal(int)
    leave_up = Signal()
    leave_down = Signal()

    def __init__(self, model: SmartGroupsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("smartGroups")
        self._model = model
        self._suppressed = False
        self._current: int | None = None
        self._sections = [
            _Section(model, UPCOMING, self.tr("Upcoming interviews"), self),
            _Section(model, DUE, self.tr("Reflections due"), self),
        ]
        self._sections[UPCOMING].setObjectName("smartUpcoming")
        self._sections[DUE].setObjectName("smartDue")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for section in self._sections:
            layout.addWidget(section)
            section.chosen.connect(self._on_section_chosen)
            section.leave.connect(self._on_section_leave)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        model.rowsInserted.connect(self._on_model_rows_inserted)
        model.rowsRemoved.connect(self._on_model_rows_removed)
        model.rowsMoved.connect(self._on_model_rows_moved)
        model.dataChanged.connect(self._on_model_data_changed)
        model.modelReset.connect(self._on_model_model_reset)
        self._update()

    # ------------------------------------------------------------------ public API

    def model(self) -> SmartGroupsModel:
        """The model the lists show."""
        return self._model

    def refresh(self) -> None:
        """Re-read the groups (after a change, and every minute: statuses follow the clock)."""
        self._model.refresh()

    def has_items(self) -> bool:
        """True when either group lists an interview."""
        return any(self._model.rowCount(self._model.group_index(g)) for g in (UPCOMING, DUE))

    def set_suppressed(self, suppressed: bool) -> None:
        """Hide the groups whatever they hold (the pane does so while its filter is used)."""
        self._suppressed = suppressed
        self._update()

    def set_current_interview(self, interview_id: int | None) -> None:
        """Highlight the interview the editor shows, wherever it is listed. Emits nothing."""
        self._current = interview_id
        for section in self._sections:
            section.show_interview(interview_id)

    def enter(self, step: int = 1) -> bool:
        """Move the focus in: the first row of the top list (step 1) or the last of the bottom
        list (step -1); False if no group is shown."""
        shown = self._shown_groups()
        if not shown or self.isHidden():
            return False
        self._sections[shown[0] if step > 0 else shown[-1]].enter(step)
        return True

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_section_chosen(self, interview_id: int) -> None:
        # Quietly move the highlight to the chosen row (and out of the other list).
        self.set_current_interview(interview_id)
        self.interview_selected.emit(interview_id)

    @Slot(int, int)
    def _on_section_leave(self, group: int, step: int) -> None:
        shown = self._shown_groups()
        position = shown.index(group) + step if group in shown else -1
        if 0 <= position < len(shown):
            self._sections[shown[position]].enter(step)
        elif step > 0:
            self.leave_down.emit()
        else:
            self.leave_up.emit()

    @Slot(QModelIndex, int, int)
    def _on_model_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        self._update()

    @Slot(QModelIndex, int, int)
    def _on_model_rows_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        self._update()

    @Slot(QModelIndex, int, int, QModelIndex, int)
    def _on_model_rows_moved(
        self, parent: QModelIndex, first: int, last: int, destination: QModelIndex, row: int
    ) -> None:
        self._update()

    @Slot(QModelIndex, QModelIndex, "QList<int>")
    def _on_model_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]
    ) -> None:
        if not top_left.parent().isValid():  # a heading's count
            self._update()

    @Slot()
    def _on_model_model_reset(self) -> None:
        for group, section in enumerate(self._sections):
            section.view.setRootIndex(self._model.group_index(group))
        self._update()

    # ------------------------------------------------------------------ helpers

    def _shown_groups(self) -> list[int]:
        return [g for g, section in enumerate(self._sections) if not section.isHidden()]

    def _update(self) -> None:
        for section in self._sections:
            section.update_heading()
            # A row that arrived (an interview that just became due) shows the highlight too.
            section.show_interview(self._current)
        self.setHidden(self._suppressed or not self.has_items())
        self.updateGeometry()


__all__ = ["DUE", "GROUP", "UPCOMING", "SmartGroups", "SmartGroupsModel", "SmartItem"]
