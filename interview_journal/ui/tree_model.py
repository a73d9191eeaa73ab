"""The F1 tree as a lazy Qt model: companies at the top, each company's interviews below.

``CompanyTreeModel`` is an adapter over the Journal. It caches the Journal's small frozen
rows, so ``data()`` never queries; a company's interviews are read the first time a view
expands it (``canFetchMore``/``fetchMore``). After a change the window calls one of the
update methods (``company_added``, ``interview_changed``...), which re-read just what changed
and report it with row inserts, removes, moves and ``dataChanged`` (never a reset, except
``reload()``), so views keep their selection, expansion and scroll position.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from PySide6 import QtGui
from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.errors import NotFound
from interview_journal.core.journal import CompanyRow, InterviewRow, Journal, normalize_name
from interview_journal.ui.when import format_date

# Custom roles, shared with the view and with tests.
KIND_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""``"company"`` or ``"interview"``."""
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 2
"""The row's database id (int)."""
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 3
"""An interview's status: upcoming, due, reflected, past or undated (None for companies)."""
COUNT_ROLE = int(Qt.ItemDataRole.UserRole) + 4
"""A company's interview count (None for interviews); the view draws it beside the name."""
DUE_COUNT_ROLE = int(Qt.ItemDataRole.UserRole) + 5
"""How many of a company's interviews are waiting for a reflection (None for interviews)."""
FILTER_ROLE = int(Qt.ItemDataRole.UserRole) + 6
"""The text the filter box matches: the company name, or the interview's label."""

# Our roles' names, for roleNames() (QML and debugging tools).
ROLE_NAMES: dict[int, bytes] = {
    KIND_ROLE: b"kind",
    ID_ROLE: b"itemId",
    STATUS_ROLE: b"status",
    COUNT_ROLE: b"interviewCount",
    DUE_COUNT_ROLE: b"dueCount",
    FILTER_ROLE: b"filterText",
}

COMPANY = "company"
INTERVIEW = "interview"

STATUSES = ("upcoming", "due", "reflected", "past", "undated")

_IndexLike = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invalid index, as a default argument
_C = TypeVar("_C")
_W = TypeVar("_W")

# Icon colours: mid-tone so they read on light and dark palettes alike.
_BLUE = QColor(0x2F, 0x6F, 0xDE)
_AMBER = QColor(0xE0, 0x8A, 0x00)
_GREEN = QColor(0x2E, 0x9D, 0x5B)
_GREY = QColor(0x8A, 0x8F, 0x98)
_ICON_SIZE = 16


@dataclass
class _CompanyNode:
    """A company row and, once fetched, its interviews (None until then)."""

    row: CompanyRow
    interviews: list[InterviewRow] | None = None


def _company_key(row: CompanyRow) -> tuple[str, int]:
    # The Journal's own order for companies(): normalised name, then id.
    return (normalize_name(row.name), row.id)


def _plain_tooltip(text: str) -> str:
    """User text as a tooltip: escaped, so markup in a name shows literally."""
    return QtGui.Qt.convertFromPlainText(text)


class CompanyTreeModel(QAbstractItemModel):
    """Companies (sorted by name) with their interviews (newest first), loaded lazily.

    One column. Top-level rows are companies; their children are interviews. Internal ids
    are 0 for companies and the owning company's id for interviews, so an interview's index
    stays valid when its company moves.
    """

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        self._companies: list[_CompanyNode] = []
        self._row_of: dict[int, int] = {}  # company id -> top-level row
        self._owner: dict[int, int] = {}  # loaded interview id -> company id
        self._icons: dict[str, QIcon] = {}
        self._updating = 0
        self._load_companies()

    # ------------------------------------------------------------------ Qt model API

    def index(self, row: int, column: int, parent: _IndexLike = _ROOT) -> QModelIndex:
        """The index of ``row`` under ``parent`` (a company, or the root)."""
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        # hasIndex() passed, so parent is a company with loaded interviews.
        return self.createIndex(row, column, self._companies[parent.row()].row.id)

    @overload
    def parent(self) -> QObject | None: ...

    @overload
    def parent(self, child: _IndexLike) -> QModelIndex: ...

    def parent(self, child: _IndexLike | None = None) -> QObject | QModelIndex | None:
        """The company an interview belongs to (invalid for companies)."""
        if child is None:
            return super().parent()
        if not child.isValid():
            return QModelIndex()
        company_id = child.internalId()
        if company_id == 0:
            return QModelIndex()
        row = self._row_of.get(company_id)
        if row is None:
            return QModelIndex()
        return self.createIndex(row, 0, 0)

    def rowCount(self, parent: _IndexLike = _ROOT) -> int:
        """Companies at the root; a company's fetched interviews below it."""
        if not parent.isValid():
            return len(self._companies)
        if parent.column() > 0:
            return 0
        node = self._node_at(parent)
        if node is None or node.interviews is None:
            return 0
        return len(node.interviews)

    def columnCount(self, parent: _IndexLike = _ROOT) -> int:
        """Always one column."""
        return 1

    def hasChildren(self, parent: _IndexLike = _ROOT) -> bool:
        """True for a company with interviews, even before they are fetched."""
        if not parent.isValid():
            return bool(self._companies)
        node = self._node_at(parent)
        if node is None or parent.column() > 0:
            return False
        if node.interviews is None:
            return node.row.interview_count > 0
        return bool(node.interviews)

    def canFetchMore(self, parent: _IndexLike) -> bool:
        """True for a company with interviews that have not been read yet."""
        node = self._node_at(parent)
        return node is not None and node.interviews is None and node.row.interview_count > 0

    def fetchMore(self, parent: _IndexLike) -> None:
        """Read a company's interviews from the Journal and insert them."""
        node = self._node_at(parent)
        if node is None or node.interviews is not None:
            return
        self._fetch(node)

    def flags(self, index: _IndexLike) -> Qt.ItemFlag:
        """Enabled and selectable; interviews never have children."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != 0:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def data(self, index: _IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Values for the roles the view and the filter need, from the cached rows only."""
        if not index.isValid() or index.column() != 0:
            return None
        company_id = index.internalId()
        if company_id == 0:
            if not 0 <= index.row() < len(self._companies):
                return None
            return self._company_data(self._companies[index.row()].row, role)
        interview = self._interview_at(company_id, index.row())
        if interview is None:
            return None
        return self._interview_data(interview, role)

    def roleNames(self) -> dict[int, Any]:
        """Qt's roles plus ours (for QML and debugging tools)."""
        return with_role_names(super().roleNames(), ROLE_NAMES)

    # ------------------------------------------------------------------ update methods

    def is_updating(self) -> bool:
        """True while an update method is changing rows (views may move their current row)."""
        return self._updating > 0

    def reload(self) -> None:
        """Throw everything away and read the companies again (a full reset)."""
        with self._update():
            self.beginResetModel()
            self._load_companies()
            self.endResetModel()

    def apply_changes(self, changes: Changes) -> None:
        """Follow a write anywhere (``JournalEvents.changed``): re-read only the companies it
        touched, with their interviews, and apply the difference as row inserts, removals,
        moves and ``dataChanged``. Content-only edits (text, questions…) change nothing here.
        """
        if not changes.affects_lists:
            return
        if changes.replaced:  # another journal altogether (a restore): read it all
            self.reload()
            return
        shown = (Op.CREATED, Op.UPDATED, Op.MOVED, Op.TRASHED, Op.RESTORED, Op.DELETED)
        touched = set(changes.companies)
        company_of: dict[int, int] = {}  # interviews not fetched here: where they are now
        for interview_id in changes.ids(Kind.INTERVIEW, *shown):
            owner = self._owner.get(interview_id)
            if owner is not None:
                touched.add(owner)  # where it was: it may have left
                continue
            # Not fetched here yet: its company's counts may still have changed.
            with contextlib.suppress(NotFound):
                company_of[interview_id] = self._journal.company_id_of(interview_id)
        touched.update(company_of.values())
        with self._update():
            for company_id in sorted(touched):
                self._refresh_company(company_id, with_interviews=True)
            # One interview that arrived (made, restored, moved by the editor) shows under
            # its company, so that it can be selected; a merge's many leave theirs folded.
            arrived = changes.ids(Kind.INTERVIEW, Op.CREATED, Op.RESTORED, Op.MOVED)
            if len(arrived) != 1:
                return
            (interview_id,) = arrived
            if interview_id in self._owner:
                return
            if interview_id not in company_of:
                try:
                    company_of[interview_id] = self._journal.company_id_of(interview_id)
                except NotFound:
                    return
            node = self._node_for(company_of[interview_id])
            if node is not None and node.interviews is None:
                self._fetch(node)

    def company_added(self, company_id: int) -> None:
        """A company was created or restored: insert it in name order."""
        with self._update():
            self._refresh_company(company_id, with_interviews=False)

    def company_changed(self, company_id: int) -> None:
        """A company was renamed (or otherwise changed): update it and keep the name order."""
        with self._update():
            self._refresh_company(company_id, with_interviews=False)

    def company_removed(self, company_id: int) -> None:
        """A company went to the trash: remove it and its interviews."""
        with self._update():
            row = self._row_of.get(company_id)
            if row is not None:
                self._remove_company_at(row)

    def interviews_moved(self, *company_ids: int) -> None:
        """Interviews moved between these companies (a merge, or its undo): re-read each with
        its interviews; one in the trash or gone leaves the tree, one not in it yet joins."""
        with self._update():
            for company_id in company_ids:
                self._refresh_company(company_id, with_interviews=True)

    def interview_added(self, interview_id: int, company_id: int) -> None:
        """An interview was created under ``company_id``: insert it (its company too if new)."""
        with self._update():
            self._refresh_company(company_id, with_interviews=True)
            node = self._node_for(company_id)
            if node is not None and node.interviews is None:
                self._fetch(node)

    def interview_changed(self, interview_id: int) -> None:
        """An interview's date, stage, role or reflection changed: update, re-order, recount.

        Also handles an interview that moved to another company or left the tree.
        """
        with self._update():
            owner = self._owner.get(interview_id)
            if owner is not None:
                self._refresh_company(owner, with_interviews=True)
                if self._owner.get(interview_id) == owner:
                    return
            # Not under the company we knew (moved, restored or never fetched): ask where.
            try:
                company_id = self._journal.company_id_of(interview_id)
            except NotFound:
                return
            if company_id != owner:
                self._refresh_company(company_id, with_interviews=True)

    def interview_removed(self, interview_id: int) -> None:
        """An interview went to the trash (or was deleted): remove it and recount its company."""
        with self._update():
            owner = self._owner.get(interview_id)
            if owner is None:
                try:
                    owner = self._journal.company_id_of(interview_id)
                except NotFound:
                    return
            self._refresh_company(owner, with_interviews=True)

    def refresh_statuses(self) -> None:
        """Time passed: re-read statuses and counts, and report the rows that changed."""
        with self._update():
            for node in self._companies:
                if node.interviews is not None:
                    self._sync_interviews(node, self._journal.interviews(node.row.id))
            self._sync_companies(self._journal.companies())

    def fetch_all(self) -> None:
        """Read every company's interviews now (the filter needs them to match interviews)."""
        with self._update():
            for node in list(self._companies):
                if node.interviews is None:
                    self._fetch(node)

    # ------------------------------------------------------------------ lookups

    def index_for_company(self, company_id: int) -> QModelIndex:
        """The index of a company in the tree (invalid if it is not there)."""
        row = self._row_of.get(company_id)
        return QModelIndex() if row is None else self.createIndex(row, 0, 0)

    def index_for_interview(self, interview_id: int) -> QModelIndex:
        """The index of an interview, fetching its company's interviews if needed."""
        company_id = self._owner.get(interview_id)
        if company_id is None:
            try:
                company_id = self._journal.company_id_of(interview_id)
            except NotFound:
                return QModelIndex()
            node = self._node_for(company_id)
            if node is None or node.interviews is not None:
                return QModelIndex()
            self._fetch(node)
            if self._owner.get(interview_id) != company_id:
                return QModelIndex()
        node = self._node_for(company_id)
        if node is None or node.interviews is None:
            return QModelIndex()
        for row, interview in enumerate(node.interviews):
            if interview.id == interview_id:
                return self.createIndex(row, 0, company_id)
        return QModelIndex()

    def journal(self) -> Journal:
        """The Journal the model reads (the pane's smart groups read the same one)."""
        return self._journal

    def company_of(self, interview_id: int) -> int | None:
        """The company id of a loaded interview (None if it is not in the tree)."""
        return self._owner.get(interview_id)

    # ------------------------------------------------------------------ data helpers

    def _company_data(self, row: CompanyRow, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, FILTER_ROLE):
            return row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return _plain_tooltip(f"{row.name}\n{self._company_summary(row)}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name}, {self._company_summary(row)}"
        if role == KIND_ROLE:
            return COMPANY
        if role == ID_ROLE:
            return row.id
        if role == COUNT_ROLE:
            return row.interview_count
        if role == DUE_COUNT_ROLE:
            return row.due_count
        return None

    def _interview_data(self, row: InterviewRow, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, FILTER_ROLE):
            return row.label_in(format_date)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _plain_tooltip(f"{row.label_in(format_date)}\n{self._status_text(row.status)}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.label_in(format_date)}, {self._status_text(row.status)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(row.status)
        if role == KIND_ROLE:
            return INTERVIEW
        if role == ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return row.status
        return None

    def _company_summary(self, row: CompanyRow) -> str:
        count = row.interview_count
        if count == 0:
            parts = [self.tr("no interviews yet")]
        elif count == 1:
            parts = [self.tr("1 interview")]
        else:
            parts = [self.tr("{count} interviews").format(count=count)]
        if row.due_count == 1:
            parts.append(self.tr("1 reflection due"))
        elif row.due_count > 1:
            parts.append(self.tr("{count} reflections due").format(count=row.due_count))
        if row.upcoming_count:
            parts.append(self.tr("{count} upcoming").format(count=row.upcoming_count))
        return " · ".join(parts)

    def _status_text(self, status: str) -> str:
        texts = {
            "upcoming": self.tr("Upcoming"),
            "due": self.tr("Reflection due"),
            "reflected": self.tr("Reflected"),
            "past": self.tr("Past, no reflection written"),
            "undated": self.tr("No date set"),
        }
        return texts.get(status, status)

    def _icon(self, status: str) -> QIcon:
        icon = self._icons.get(status)
        if icon is None:
            icon = status_icon(status)
            self._icons[status] = icon
        return icon

    # ------------------------------------------------------------------ internals

    @contextmanager
    def _update(self) -> Iterator[None]:
        self._updating += 1
        try:
            yield
        finally:
            self._updating -= 1

    def _load_companies(self) -> None:
        self._companies = [_CompanyNode(row) for row in self._journal.companies()]
        self._reindex()

    def _reindex(self) -> None:
        self._row_of = {node.row.id: row for row, node in enumerate(self._companies)}
        self._owner = {
            interview.id: node.row.id
            for node in self._companies
            for interview in node.interviews or ()
        }

    def _node_at(self, index: _IndexLike) -> _CompanyNode | None:
        """The company node for a company index (None for the root and for interviews)."""
        if not index.isValid() or index.internalId() != 0:
            return None
        row = index.row()
        return self._companies[row] if 0 <= row < len(self._companies) else None

    def _node_for(self, company_id: int) -> _CompanyNode | None:
        row = self._row_of.get(company_id)
        return None if row is None else self._companies[row]

    def _interview_at(self, company_id: int, row: int) -> InterviewRow | None:
        node = self._node_for(company_id)
        if node is None or node.interviews is None or not 0 <= row < len(node.interviews):
            return None
        return node.interviews[row]

    def _fetch(self, node: _CompanyNode) -> None:
        rows = self._journal.interviews(node.row.id)
        if not rows:
            node.interviews = []
            return
        parent = self.index_for_company(node.row.id)
        self.beginInsertRows(parent, 0, len(rows) - 1)
        node.interviews = list(rows)
        for interview in rows:
            self._owner[interview.id] = node.row.id
        self.endInsertRows()

    def _refresh_company(self, company_id: int, *, with_interviews: bool) -> None:
        """Re-read one company (and its interviews, if fetched) and apply the difference."""
        try:
            row: CompanyRow | None = self._journal.company(company_id)
        except NotFound:
            row = None
        if row is None or row.trashed:
            position = self._row_of.get(company_id)
            if position is not None:
                self._remove_company_at(position)
            return
        node = self._node_for(company_id)
        if with_interviews and node is not None and node.interviews is not None:
            # Interviews first, so the company's count changes after its rows do.
            self._sync_interviews(node, self._journal.interviews(company_id))
        if node is not None and node.row.name == row.name:
            # Same name, same place: only its data (counts) may have changed.
            if node.row != row:
                node.row = row
                index = self.index_for_company(company_id)
                self.dataChanged.emit(index, index)
            return
        wanted = [n.row for n in self._companies if n.row.id != company_id] + [row]
        self._sync_companies(sorted(wanted, key=_company_key))

    def _remove_company_at(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._companies[row]
        self._reindex()
        self.endRemoveRows()

    def _sync_companies(self, rows: Sequence[CompanyRow]) -> None:
        def merge(node: _CompanyNode, row: CompanyRow) -> tuple[_CompanyNode, bool]:
            changed = node.row != row
            node.row = row
            return node, changed

        self._sync(
            QModelIndex(),
            self._companies,
            rows,
            current_id=lambda node: node.row.id,
            wanted_id=lambda row: row.id,
            make=_CompanyNode,
            merge=merge,
            after_change=self._reindex,
        )

    def _sync_interviews(self, node: _CompanyNode, rows: Sequence[InterviewRow]) -> None:
        assert node.interviews is not None
        company_id = node.row.id
        before = list(node.interviews)
        self._sync(
            self.index_for_company(company_id),
            node.interviews,
            rows,
            current_id=lambda row: row.id,
            wanted_id=lambda row: row.id,
            make=lambda row: row,
            merge=lambda old, new: (new, old != new),
            after_change=lambda: None,
        )
        for interview in before:
            if self._owner.get(interview.id) == company_id:
                del self._owner[interview.id]
        for interview in node.interviews:
            self._owner[interview.id] = company_id

    def _sync(
        self,
        parent: QModelIndex,
        current: list[_C],
        wanted: Sequence[_W],
        *,
        current_id: Callable[[_C], int],
        wanted_id: Callable[[_W], int],
        make: Callable[[_W], _C],
        merge: Callable[[_C, _W], tuple[_C, bool]],
        after_change: Callable[[], None],
    ) -> None:
        """Turn ``current`` into ``wanted`` with removes, moves, inserts and dataChanged.

        ``after_change`` runs inside each begin/end pair, before views look at the model.
        """
        target = {wanted_id(item): position for position, item in enumerate(wanted)}
        for row in range(len(current) - 1, -1, -1):
            if current_id(current[row]) not in target:
                self.beginRemoveRows(parent, row, row)
                del current[row]
                after_change()
                self.endRemoveRows()
        for row, item in enumerate(wanted):
            item_id = wanted_id(item)
            if row < len(current) and current_id(current[row]) == item_id:
                self._merge_at(parent, current, row, item, merge)
                continue
            found = next(
                (k for k in range(row + 1, len(current)) if current_id(current[k]) == item_id),
                None,
            )
            if found is None:
                self.beginInsertRows(parent, row, row)
                current.insert(row, make(item))
                after_change()
                self.endInsertRows()
                continue
            # The row here belongs further down. If it alone is out of place (one item
            # moved down the list), move it in one step instead of pulling up every other.
            destination = None
            if found == row + 1:
                destination = self._forward_destination(
                    current, wanted, row, current_id, wanted_id, target
                )
            if destination is not None:
                self.beginMoveRows(parent, row, row, parent, destination)
                current.insert(destination - 1, current.pop(row))
            else:
                self.beginMoveRows(parent, found, found, parent, row)
                current.insert(row, current.pop(found))
            after_change()
            self.endMoveRows()
            self._merge_at(parent, current, row, item, merge)

    @staticmethod
    def _forward_destination(
        current: list[_C],
        wanted: Sequence[_W],
        row: int,
        current_id: Callable[[_C], int],
        wanted_id: Callable[[_W], int],
        target: dict[int, int],
    ) -> int | None:
        """Where ``current[row]`` goes (as beginMoveRows' destination), if placeable now."""
        position = target[current_id(current[row])]
        if position + 1 >= len(wanted):
            return len(current)
        follower = wanted_id(wanted[position + 1])
        for k in range(row + 1, len(current)):
            if current_id(current[k]) == follower:
                return k
        return None

    def _merge_at(
        self,
        parent: QModelIndex,
        current: list[_C],
        row: int,
        item: _W,
        merge: Callable[[_C, _W], tuple[_C, bool]],
    ) -> None:
        current[row], changed = merge(current[row], item)
        if changed:
            index = self.index(row, 0, parent)
            self.dataChanged.emit(index, index)


def with_role_names(qt_names: dict[int, Any], ours: dict[int, bytes]) -> dict[int, Any]:
    """Qt's role names plus ``ours``."""
    names = dict(qt_names)
    names.update({role: QByteArray(name) for role, name in ours.items()})
    return names


def status_icon(status: str) -> QIcon:
    """The tree's mark for an interview status, drawn anew (callers cache it).

    Shared with the smart groups, so an interview carries the same mark in both places.
    """
    icon = QIcon()
    for scale in (1, 2):
        pixmap = _status_pixmap(status, scale)
        icon.addPixmap(pixmap)
        # Keep the colours on a selected row (styles otherwise tint them muddy).
        icon.addPixmap(pixmap, QIcon.Mode.Selected)
    return icon


def _status_pixmap(status: str, scale: int) -> QPixmap:
    """A small round status mark, drawn once per model (no image files needed)."""
    pixmap = QPixmap(_ICON_SIZE * scale, _ICON_SIZE * scale)
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _paint_status(painter, status)
    finally:
        painter.end()
    return pixmap


def _paint_status(painter: QPainter, status: str) -> None:
    circle = QRectF(2.0, 2.0, 12.0, 12.0)
    white = QColor(Qt.GlobalColor.white)
    if status == "upcoming":
        # A clock face.
        painter.setPen(QPen(_BLUE, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(circle.adjusted(0.5, 0.5, -0.5, -0.5))
        pen = QPen(_BLUE, 1.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(8.0, 8.0), QPointF(8.0, 4.8))
        painter.drawLine(QPointF(8.0, 8.0), QPointF(10.4, 9.4))
    elif status == "due":
        # A filled dot with an exclamation mark: write it now.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_AMBER)
        painter.drawEllipse(circle)
        painter.setBrush(white)
        painter.drawRoundedRect(QRectF(7.1, 4.2, 1.8, 5.0), 0.9, 0.9)
        painter.drawEllipse(QRectF(7.1, 10.0, 1.8, 1.8))
    elif status == "reflected":
        # A filled dot with a tick.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_GREEN)
        painter.drawEllipse(circle)
        pen = QPen(white, 1.7)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        tick = QPainterPath(QPointF(5.2, 8.2))
        tick.lineTo(QPointF(7.2, 10.2))
        tick.lineTo(QPointF(10.9, 6.0))
        painter.drawPath(tick)
    elif status == "past":
        # A quiet hollow dot: over, never reflected.
        painter.setPen(QPen(_GREY, 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(circle.adjusted(1.5, 1.5, -1.5, -1.5))
    else:
        # Undated: a dashed ring.
        pen = QPen(_GREY, 1.3)
        pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(circle.adjusted(1.0, 1.0, -1.0, -1.0))


__all__ = [
    "COMPANY",
    "COUNT_ROLE",
    "DUE_COUNT_ROLE",
    "FILTER_ROLE",
    "ID_ROLE",
    "INTERVIEW",
    "KIND_ROLE",
    "STATUSES",
    "STATUS_ROLE",
    "CompanyTreeModel",
    "status_icon",
]
