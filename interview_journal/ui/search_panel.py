"""The search panel (F4): a dock with a search box, filters and the results as you type.

Everything here is a view over ``SearchResults``. The queries run in a worker
(``SearchRunner``); the results model holds the frozen ``SearchHit`` values it was given
and never queries; the delegate draws each hit from them. User text is never rich text:
the snippet is laid out with ``QTextLayout`` and the matches are character formats on
plain text (bold on a tinted background), so ``<b>`` in a note shows as ``<b>``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPalette,
    QShowEvent,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDockWidget,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.domain import OUTCOMES, SEARCH_FIELD, SEARCH_PREFIXES, STAGES
from interview_journal.core.journal import Journal
from interview_journal.core.search import (
    MAX_LIMIT,
    SearchFilters,
    SearchHit,
    SearchResults,
    query_terms,
)
from interview_journal.ui.search_runner import PAGE_SIZE, SearchRequest, SearchRunner
from interview_journal.ui.vocabulary import add_choices, tr_domain
from interview_journal.ui.when import date_display_format, format_date
from interview_journal.ui.widgets import plain_label

_IndexLike = QModelIndex | QPersistentModelIndex

DEBOUNCE_MS = 150
# Company changes that add, remove or rename an entry of the company filter.
_COMPANY_LIST_OPS = (Op.CREATED, Op.UPDATED, Op.TRASHED, Op.RESTORED, Op.DELETED)

HIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the SearchHit
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the interview id
SECTION_ROLE = Qt.ItemDataRole.UserRole + 3  # the human label of the section that matched
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 4  # the snippet, plain text
HIGHLIGHTS_ROLE = Qt.ItemDataRole.UserRole + 5  # (start, end) offsets into the snippet


def section_label(section: str) -> str:
    """The on-screen name of an index column (``went_poorly`` -> "What didn't go well")."""
    field = SEARCH_FIELD.get(section)
    if field is None:
        return section.replace("_", " ").capitalize()
    return tr_domain(field.result_label)


def format_day(day: date | None) -> str:
    """A result's date as every screen shows it (the user's locale), or "No date"."""
    if day is None:
        return QCoreApplication.translate("SearchPanel", "No date")
    return format_date(day)


def hit_day(hit: SearchHit) -> date | None:
    """The interview's day: its own date, else the (UTC) day it started."""
    if hit.date is not None:
        return hit.date
    return hit.starts_at.date() if hit.starts_at is not None else None


def match_terms(hit: SearchHit, query: str = "") -> list[str]:
    """The words to find in the opened interview: what the snippet highlighted, in order.

    The highlights are the text as written (a prefix query ``kube`` highlights
    ``Kubernetes``), so they are what to select. Without any, the words and phrases the
    query looks for, as the search reads it (``search.query_terms``).
    """
    terms: list[str] = []
    seen: set[str] = set()
    for start, end in hit.highlights:
        term = hit.snippet[start:end].strip()
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    return terms or query_terms(query)


def _same_search(one: SearchRequest, other: SearchRequest) -> bool:
    return (one.query, one.filters) == (other.query, other.filters)


def _utf16_offsets(text: str) -> list[int]:
    """For each index 0..len(text) of ``text``, the same place in UTF-16 code units (Qt's)."""
    offsets = [0]
    total = 0
    for char in text:
        total += 2 if ord(char) > 0xFFFF else 1
        offsets.append(total)
    return offsets


# --------------------------------------------------------------------------- the model


class SearchResultsModel(QAbstractListModel):
    """The hits of the current search, best first: an adapter over ``SearchHit`` values.

    ``data()`` only reads the hits it holds. When the view scrolls to the end and more
    interviews matched than are held, ``fetchMore`` asks for a longer page through
    ``more_requested(limit)``; the panel runs it in the worker and calls ``append``.
    """

    more_requested = Signal(int)  # how many hits to ask for

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._total = 0
        self._fetching = False

    # ----------------------------------------------------------------- reading

    @property
    def hits(self) -> tuple[SearchHit, ...]:
        """The hits shown, in order."""
        return tuple(self._hits)

    @property
    def total(self) -> int:
        """How many interviews matched (more than are held, when the list is paged)."""
        return self._total

    def hit(self, row: int) -> SearchHit | None:
        """The hit in ``row``, if there is one."""
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def row_of(self, interview_id: int) -> int:
        """The row showing ``interview_id``, or -1."""
        return next(
            (row for row, hit in enumerate(self._hits) if hit.interview_id == interview_id), -1
        )

    def rowCount(self, parent: _IndexLike = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """The number of hits (a list has no children)."""
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """A hit's fields; the display text is one plain line for views and screen readers."""
        if not index.isValid() or index.parent().isValid():
            return None
        hit = self.hit(index.row())
        if hit is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            heading = " · ".join(
                part for part in (hit.company, hit.role, format_day(hit_day(hit))) if part
            )
            return f"{heading} — {section_label(hit.section)}: {hit.snippet}"
        if role == HIT_ROLE:
            return hit
        if role == ID_ROLE:
            return hit.interview_id
        if role == SECTION_ROLE:
            return section_label(hit.section)
        if role == SNIPPET_ROLE:
            return hit.snippet
        if role == HIGHLIGHTS_ROLE:
            return [list(span) for span in hit.highlights]
        return None

    def flags(self, index: _IndexLike) -> Qt.ItemFlag:
        """Hits can be selected and opened; they are not edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def canFetchMore(self, parent: _IndexLike) -> bool:
        """True when more interviews matched than are held (up to the search's limit)."""
        return (
            not parent.isValid()
            and not self._fetching
            and len(self._hits) < min(self._total, MAX_LIMIT)
        )

    def fetchMore(self, parent: _IndexLike) -> None:
        """Ask (once) for the next page; it arrives later through ``append``."""
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        self.more_requested.emit(min(len(self._hits) + PAGE_SIZE, MAX_LIMIT))

    # ----------------------------------------------------------------- changing

    def set_results(self, results: SearchResults) -> None:
        """Show a new search's hits in place of the old ones."""
        self._fetching = False
        if self._hits:
            self.beginRemoveRows(QModelIndex(), 0, len(self._hits) - 1)
            self._hits = []
            self.endRemoveRows()
        self._total = results.total
        if results.hits:
            self.beginInsertRows(QModelIndex(), 0, len(results.hits) - 1)
            self._hits = list(results.hits)
            self.endInsertRows()

    def append(self, results: SearchResults) -> None:
        """Add the hits of a longer page of the same search that are not shown yet."""
        self._fetching = False
        held = {hit.interview_id for hit in self._hits}
        new = [hit for hit in results.hits if hit.interview_id not in held]
        self._total = max(results.total, len(self._hits) + len(new))
        if not new:
            self._total = len(self._hits)  # nothing more to fetch after all
            return
        first = len(self._hits)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._hits.extend(new)
        self.endInsertRows()

    def clear(self) -> None:
        """Show nothing."""
        self.set_results(SearchResults())


# --------------------------------------------------------------------------- the delegate


class SearchResultDelegate(QStyledItemDelegate):
    """Draws a hit: company · role and the date, the section that matched, the snippet.

    The snippet is plain text in a ``QTextLayout``; the matched words are character
    formats (bold, on a tint of the highlight colour), never markup. At most
    ``SNIPPET_LINES`` lines, the last one elided.
    """

    PADDING_X = 10
    PADDING_Y = 7
    GAP = 2
    SNIPPET_LINES = 3

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    # ----------------------------------------------------------------- layout

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9)
        return base, bold, small

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        width = self._view.viewport().width()
        if width <= 0:
            width = option.rect.width()
        return max(80, width - 2 * self.PADDING_X)

    def snippet_layouts(
        self, text: str, spans: Sequence[tuple[int, int]], font: QFont, width: float,
        highlight: QTextCharFormat,
    ) -> list[QTextLayout]:
        """The snippet laid out in ``width``: one layout, or two when the last line is elided.

        Lines are placed from y = 0 down; draw each layout at the snippet's top left.
        """
        offsets = _utf16_offsets(text)
        ranges = _format_ranges(spans, offsets, len(text), highlight)
        full, lines = _lay_out(text, font, ranges, width, None, 0.0)
        if lines <= self.SNIPPET_LINES:
            return [full]
        keep = self.SNIPPET_LINES - 1
        head, _ = _lay_out(text, font, ranges, width, keep, 0.0)
        last = head.lineAt(keep - 1) if keep else None
        tail_u16 = last.textStart() + last.textLength() if last is not None else 0
        tail_start = bisect.bisect_left(offsets, tail_u16)
        bold = QFont(font)
        bold.setBold(True)
        rest = text[tail_start:]
        # Elided with the bold metrics, so a line of highlighted words still fits.
        elided = QFontMetrics(bold).elidedText(rest, Qt.TextElideMode.ElideRight, int(width))
        kept = len(elided.rstrip("…")) if elided != rest else len(elided)
        tail_spans = [
            (max(0, start - tail_start), min(kept, end - tail_start))
            for start, end in spans
            if end > tail_start and start - tail_start < kept
        ]
        tail_ranges = _format_ranges(tail_spans, _utf16_offsets(elided), len(elided), highlight)
        y = keep * QFontMetricsF(font).lineSpacing()
        tail, _ = _lay_out(elided, font, tail_ranges, width, 1, y, wrap=False)
        return [head, tail] if keep else [tail]

    def _highlight_format(self, palette: QPalette, selected: bool) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        tint = QColor(
            palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
            )
        )
        tint.setAlphaF(0.3 if selected else 0.25)
        fmt.setBackground(tint)
        return fmt

    def sizeHint(self, option: QStyleOptionViewItem, index: _IndexLike) -> QSize:
        """Tall enough for the two heading lines and the snippet's lines at this width."""
        hit = index.data(HIT_ROLE)
        base, bold, small = self._fonts(option)
        width = self._text_width(option)
        snippet_lines = 1
        if isinstance(hit, SearchHit) and hit.snippet:
            layouts = self.snippet_layouts(
                hit.snippet, hit.highlights, base, width,
                self._highlight_format(option.palette, False),
            )
            snippet_lines = sum(layout.lineCount() for layout in layouts)
        height = (
            2 * self.PADDING_Y
            + QFontMetrics(bold).height()
            + self.GAP
            + QFontMetrics(small).height()
            + 2 * self.GAP
            + snippet_lines * QFontMetrics(base).lineSpacing()
        )
        return QSize(width + 2 * self.PADDING_X, height)

    # ----------------------------------------------------------------- painting

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _IndexLike) -> None:
        """Draw the item's background as the style does, then the hit as plain text."""
        hit = index.data(HIT_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style draws the background, selection and focus only
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not isinstance(hit, SearchHit):
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet = QColor(
            text_colour if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        )
        base, bold, small = self._fonts(opt)
        rect = opt.rect.adjusted(self.PADDING_X, self.PADDING_Y, -self.PADDING_X, 0)
        width = rect.width()

        painter.save()
        try:
            painter.setClipRect(opt.rect)
            y = rect.top()
            # Company (bold) · role, the company kept whole when there is room.
            bold_metrics = QFontMetrics(bold)
            base_metrics = QFontMetrics(base)
            role = f" · {hit.role}" if hit.role else ""
            natural = math.ceil(QFontMetricsF(bold).horizontalAdvance(hit.company)) + 1
            role_width = base_metrics.horizontalAdvance(role)
            company = hit.company
            if natural > width or (
                natural + role_width > width and natural > max(width * 3 // 5, width - role_width)
            ):
                room = width if not role else max(width * 3 // 5, width - role_width)
                company = bold_metrics.elidedText(hit.company, Qt.TextElideMode.ElideMiddle, room)
                natural = math.ceil(QFontMetricsF(bold).horizontalAdvance(company)) + 1
            company_width = natural - 1  # the role follows right after the company
            line_height = bold_metrics.height()
            left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.setPen(text_colour)
            painter.setFont(bold)
            painter.drawText(QRect(rect.left(), y, natural, line_height), left, company)
            if role:
                room = width - company_width
                painter.setFont(base)
                painter.drawText(
                    QRect(rect.left() + company_width, y, room, line_height),
                    left,
                    base_metrics.elidedText(role, Qt.TextElideMode.ElideMiddle, room),
                )
            y += line_height + self.GAP
            # The section that matched, and the date on the right, in the quiet colour.
            small_metrics = QFontMetrics(small)
            small_height = small_metrics.height()
            day = format_day(hit_day(hit))
            day_width = small_metrics.horizontalAdvance(day)
            painter.setFont(small)
            painter.setPen(quiet)
            painter.drawText(
                QRect(rect.right() - day_width, y, day_width + 1, small_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                day,
            )
            room = max(0, width - day_width - 12)
            painter.drawText(
                QRect(rect.left(), y, room, small_height),
                left,
                small_metrics.elidedText(
                    section_label(hit.section), Qt.TextElideMode.ElideRight, room
                ),
            )
            y += small_height + 2 * self.GAP
            # The snippet, its matches formatted (plain text: QTextLayout reads no markup).
            painter.setPen(text_colour)
            painter.setFont(base)
            highlight = self._highlight_format(palette, selected)
            for layout in self.snippet_layouts(hit.snippet, hit.highlights, base, width,
                                               highlight):
                layout.draw(painter, QPointF(rect.left(), y))
            # A quiet rule between hits.
            rule = QColor(palette.color(QPalette.ColorRole.Text))
            rule.setAlphaF(0.12)
            painter.setPen(rule)
            bottom = opt.rect.bottom()
            painter.drawLine(opt.rect.left() + self.PADDING_X, bottom,
                             opt.rect.right() - self.PADDING_X, bottom)
        finally:
            painter.restore()


def _format_ranges(
    spans: Sequence[tuple[int, int]], offsets: list[int], length: int, fmt: QTextCharFormat
) -> list[QTextLayout.FormatRange]:
    ranges: list[QTextLayout.FormatRange] = []
    for start, end in spans:
        start, end = max(0, start), min(length, end)
        if start >= end:
            continue
        item = QTextLayout.FormatRange()
        item.start = offsets[start]
        item.length = offsets[end] - offsets[start]
        item.format = fmt
        ranges.append(item)
    return ranges


def _lay_out(
    text: str,
    font: QFont,
    ranges: list[QTextLayout.FormatRange],
    width: float,
    max_lines: int | None,
    top: float,
    *,
    wrap: bool = True,
) -> tuple[QTextLayout, int]:
    """Lay ``text`` out in lines of ``width`` from ``top`` down; returns it and its lines."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(
        QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if wrap else QTextOption.WrapMode.NoWrap
    )
    layout.setTextOption(option)
    layout.setFormats(ranges)
    spacing = QFontMetricsF(font).lineSpacing()
    layout.beginLayout()
    count = 0
    while max_lines is None or count < max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, top + count * spacing))
        count += 1
    layout.endLayout()
    return layout, count


# --------------------------------------------------------------------------- the widgets


class _SearchBox(QLineEdit):
    """The search box: Down moves into the results, Escape clears what was typed."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Down and Page Down go to the results; Escape clears (and passes on when empty)."""
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.down_pressed.emit()
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)


class _ResultsView(QListView):
    """The results list: Return opens the current hit, Up on the first goes back to the box."""

    return_pressed = Signal()
    up_from_top = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Return/Enter opens; Up on the first row leaves the list; the rest as usual."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.return_pressed.emit()
            event.accept()
            return
        if key == Qt.Key.Key_Up and self.currentIndex().row() <= 0:
            self.up_from_top.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class SearchPanel(QDockWidget):
    """The "Search" dock (object name ``searchPanel``): box, filters, count and results.

    It emits ``open_requested(interview_id, section, terms)`` when a hit is opened (Return
    or a click); ``terms`` are the words to select in that section. ``results_changed``
    follows every change of what the panel shows (results, hint or empty state).
    """

    open_requested = Signal(int, str, list)
    results_changed = Signal()

    def __init__(
        self, journal: Journal, pool: QThreadPool, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Search"), parent)
        self.setObjectName("searchPanel")
        self.setAccessibleName(self.tr("Search"))
        self.setAllowedAreas(
            Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self._journal = journal
        self._shown_request: SearchRequest | None = None
        self._open_when_ready = False
        self._stale = False
        self._updating_filters = False

        self.runner = SearchRunner(journal, pool, self)
        self.model = SearchResultsModel(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)

        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(8, 6, 8, 8)
        column.setSpacing(6)
        self.box = _SearchBox(body)
        self.box.setObjectName("searchBox")
        self.box.setAccessibleName(self.tr("Search"))
        self.box.setClearButtonEnabled(True)
        self.box.setPlaceholderText(self.tr('Words, "a phrase", -leave out, OR, notes:word'))
        self.box.setToolTip(self._syntax_help())
        column.addWidget(self.box)
        column.addLayout(self._build_filter_toggle(body))
        self.filters_box = self._build_filters(body)
        column.addWidget(self.filters_box)
        self.count_label = plain_label("", body)
        self.count_label.setObjectName("searchCount")
        self.count_label.setAccessibleName(self.tr("Number of results"))
        column.addWidget(self.count_label)

        self._stack = QStackedWidget(body)
        self.empty_label = plain_label("", self._stack, wrap=True)
        self.empty_label.setObjectName("searchEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setContentsMargins(12, 24, 12, 12)
        quiet = self.empty_label.palette()
        quiet.setColor(self.empty_label.foregroundRole(), quiet.placeholderText().color())
        self.empty_label.setPalette(quiet)
        self.results = _ResultsView(self._stack)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setModel(self.model)
        self.delegate = SearchResultDelegate(self.results)
        self.results.setItemDelegate(self.delegate)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setUniformItemSizes(False)
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self.results)
        column.addWidget(self._stack, 1)
        self.setWidget(body)
        self.setMinimumWidth(280)

        self._wire()
        self._show_empty(self._initial_text())

    # ----------------------------------------------------------------- building

    def _syntax_help(self) -> str:
        # %1: the field prefixes, which are the search index's columns (core/domain.py).
        return self.tr(
            "Search everything you have written.\n"
            "words: interviews with all of them\n"
            '"a phrase": these words in this order\n'
            "-word: leave out interviews with it\n"
            "word OR other: either of them\n"
            "notes:word: only in one part (%1)\n"
            "The last word also finds longer words it begins (kube finds Kubernetes)."
        ).replace("%1", ", ".join(SEARCH_PREFIXES))

    def _build_filter_toggle(self, parent: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.filters_toggle = QToolButton(parent)
        self.filters_toggle.setObjectName("searchFiltersToggle")
        self.filters_toggle.setCheckable(True)
        self.filters_toggle.setAutoRaise(True)
        self.filters_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.filters_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.filters_toggle.setText(self.tr("Filters"))
        self.filters_toggle.setAccessibleName(self.tr("Filters"))
        self.clear_filters_button = QPushButton(self.tr("Clear filters"), parent)
        self.clear_filters_button.setObjectName("searchClearFilters")
        self.clear_filters_button.setAccessibleName(self.tr("Clear filters"))
        self.clear_filters_button.setFlat(True)
        self.clear_filters_button.hide()
        row.addWidget(self.filters_toggle)
        row.addStretch(1)
        row.addWidget(self.clear_filters_button)
        return row

    def _build_filters(self, parent: QWidget) -> QWidget:
        holder = QWidget(parent)
        holder.setObjectName("searchFilters")
        form = QFormLayout(holder)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        tr = self.tr

        self.company_filter = QComboBox(holder)
        self.company_filter.setObjectName("searchCompany")
        self.company_filter.addItem(tr("All companies"), None)
        self.company_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.company_filter.setMinimumContentsLength(12)
        self.stage_filter = QComboBox(holder)
        self.stage_filter.setObjectName("searchStage")
        self.stage_filter.addItem(tr("Any stage"), None)
        add_choices(self.stage_filter, STAGES)
        self.outcome_filter = QComboBox(holder)
        self.outcome_filter.setObjectName("searchOutcome")
        self.outcome_filter.addItem(tr("Any outcome"), None)
        add_choices(self.outcome_filter, OUTCOMES)

        today = self._today()
        self.date_from_check = QCheckBox(tr("From"), holder)
        self.date_from_check.setObjectName("searchDateFromOn")
        self.date_from_check.setAccessibleName(tr("From"))
        self.date_from = self._date_edit(holder, "searchDateFrom", tr("From date"),
                                         today - timedelta(days=90))
        self.date_to_check = QCheckBox(tr("To"), holder)
        self.date_to_check.setObjectName("searchDateToOn")
        self.date_to_check.setAccessibleName(tr("To"))
        self.date_to = self._date_edit(holder, "searchDateTo", tr("To date"), today)
        # From above To, so the dock stays narrow enough to leave the page its room.
        dates = QGridLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.setHorizontalSpacing(4)
        dates.setVerticalSpacing(4)
        dates.addWidget(self.date_from_check, 0, 0)
        dates.addWidget(self.date_from, 0, 1)
        dates.addWidget(self.date_to_check, 1, 0)
        dates.addWidget(self.date_to, 1, 1)
        dates.setColumnStretch(1, 1)

        self.rating_filter = QSpinBox(holder)
        self.rating_filter.setObjectName("searchMinRating")
        self.rating_filter.setRange(0, 5)
        self.rating_filter.setSpecialValueText(tr("Any"))
        self.rating_filter.setSuffix(tr(" of 5 or more"))

        for label, field, target in (
            (tr("Company"), self.company_filter, self.company_filter),
            (tr("Stage"), self.stage_filter, self.stage_filter),
            (tr("Outcome"), self.outcome_filter, self.outcome_filter),
            (tr("Date"), dates, self.date_from_check),
            (tr("Self-rating"), self.rating_filter, self.rating_filter),
        ):
            caption = plain_label(label, holder)
            caption.setBuddy(target)
            if target is not self.date_from_check:
                target.setAccessibleName(label)
            form.addRow(caption, field)
        holder.hide()
        return holder

    def _date_edit(self, parent: QWidget, name: str, accessible: str, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_display_format())
        edit.setEnabled(False)
        return edit

    def _wire(self) -> None:
        self.box.textChanged.connect(self._on_box_text_changed)
        self.box.returnPressed.connect(self._on_box_return_pressed)
        self.box.down_pressed.connect(self._on_box_down_pressed)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.runner.finished.connect(self._on_runner_finished)
        self.model.more_requested.connect(self._on_model_more_requested)
        self.results.return_pressed.connect(self._on_results_return_pressed)
        self.results.up_from_top.connect(self._on_results_up_from_top)
        self.results.clicked.connect(self._on_results_clicked)
        self.filters_toggle.toggled.connect(self._on_filters_toggle_toggled)
        self.clear_filters_button.clicked.connect(self._on_clear_filters_button_clicked)
        for combo in (self.company_filter, self.stage_filter, self.outcome_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.rating_filter.valueChanged.connect(self._on_filter_changed)
        self.date_from.dateChanged.connect(self._on_filter_changed)
        self.date_to.dateChanged.connect(self._on_filter_changed)
        self.date_from_check.toggled.connect(self._on_date_from_check_toggled)
        self.date_to_check.toggled.connect(self._on_date_to_check_toggled)

    # ----------------------------------------------------------------- public

    @property
    def query(self) -> str:
        """What the search box says."""
        return self.box.text()

    def focus_search(self) -> None:
        """Show the panel, put the cursor in the box and select what it says."""
        self.show()
        self.raise_()
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def filters(self) -> SearchFilters | None:
        """The filters chosen, or None when none is."""
        def chosen(box: QComboBox) -> object:
            return box.currentData()

        def day(edit: QDateEdit, check: QCheckBox) -> date | None:
            if not check.isChecked():
                return None
            qdate = edit.date()
            return date(qdate.year(), qdate.month(), qdate.day())

        company = chosen(self.company_filter)
        stage = chosen(self.stage_filter)
        outcome = chosen(self.outcome_filter)
        values = SearchFilters(
            company_id=company if isinstance(company, int) else None,
            stage=stage if isinstance(stage, str) else None,
            outcome=outcome if isinstance(outcome, str) else None,
            date_from=day(self.date_from, self.date_from_check),
            date_to=day(self.date_to, self.date_to_check),
            min_rating=self.rating_filter.value() or None,
        )
        return None if values == SearchFilters() else values

    def active_filter_count(self) -> int:
        """How many filters narrow the search."""
        values = self.filters()
        if values is None:
            return 0
        return sum(
            value is not None
            for value in (
                values.company_id, values.stage, values.outcome, values.date_from,
                values.date_to, values.min_rating,
            )
        )

    def refresh(self) -> None:
        """Run the current search again (the journal changed); the selection is kept."""
        if not self.query.strip():
            return
        if not self.isVisible():
            self._stale = True
            return
        self._debounce.start()

    def apply_changes(self, changes: Changes) -> None:
        """Follow a write anywhere (``JournalEvents.changed``): search again when results may
        differ, and read the company filter again when companies came, went or were renamed."""
        companies = changes.replaced or changes.touches(Kind.COMPANY, *_COMPANY_LIST_OPS)
        if self.filters_box.isVisible() and companies:
            self.reload_companies()  # a hidden filter is read when it is shown
        if changes.affects_search:
            self.refresh()

    def reload_companies(self) -> None:
        """Read the company list of the filter again, keeping the chosen company."""
        chosen = self.company_filter.currentData()
        self._updating_filters = True
        try:
            while self.company_filter.count() > 1:
                self.company_filter.removeItem(self.company_filter.count() - 1)
            for company in self._journal.companies():
                self.company_filter.addItem(company.name, company.id)
            index = self.company_filter.findData(chosen) if chosen is not None else 0
            self.company_filter.setCurrentIndex(max(index, 0))
        finally:
            self._updating_filters = False
        if chosen is not None and self.company_filter.currentData() != chosen:
            self._on_filter_changed()  # the company went away: search without it

    def stop(self) -> None:
        """Stop any search in flight and what the panel was waiting for."""
        self._debounce.stop()
        self._open_when_ready = False
        self.runner.cancel()

    # ----------------------------------------------------------------- searching

    def _search_now(self) -> None:
        self._debounce.stop()
        query = self.query
        if not query.strip():
            self.runner.cancel()
            self._shown_request = None
            self.model.clear()
            self._show_empty(self._initial_text())
            self.results_changed.emit()
            return
        request = SearchRequest(query, self.filters())
        shown = self._shown_request
        if shown is not None and _same_search(shown, request):
            # Again (the journal changed): as many hits as are shown, so the list stays put.
            request = replace(request, limit=min(max(PAGE_SIZE, self.model.rowCount()), MAX_LIMIT))
        self.runner.submit(request)

    @Slot(str)
    def _on_box_text_changed(self, text: str) -> None:
        if not text.strip():
            self._search_now()  # clearing the box shows the empty state at once
        else:
            self._debounce.start()

    @Slot()
    def _on_debounce_timeout(self) -> None:
        self._search_now()

    @Slot()
    def _on_filter_changed(self) -> None:
        if self._updating_filters:
            return
        self._update_filter_summary()
        if self.query.strip():
            self._debounce.start()

    @Slot(bool)
    def _on_date_from_check_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self._on_filter_changed()

    @Slot(bool)
    def _on_date_to_check_toggled(self, on: bool) -> None:
        self.date_to.setEnabled(on)
        self._on_filter_changed()

    @Slot(object, object)
    def _on_runner_finished(self, request: SearchRequest, results: SearchResults) -> None:
        if (request.query, request.filters) != (self.query, self.filters()):
            return  # the box or the filters changed and their own search is on the way
        if request.append:
            self.model.append(results)
            self._update_count()
            self.results_changed.emit()
            return
        # Running the same search again (the journal changed) keeps the hit that was current.
        current = self.results.currentIndex()
        shown = self._shown_request
        same = shown is not None and _same_search(shown, request)
        keep = self.model.hit(current.row()) if same and current.isValid() else None
        self._shown_request = request
        self.model.set_results(results)
        if not results.hits:
            self._show_empty(self._empty_text(results))
        else:
            self._stack.setCurrentWidget(self.results)
            row = self.model.row_of(keep.interview_id) if keep is not None else 0
            self.results.setCurrentIndex(self.model.index(max(row, 0), 0))
            self._update_count()
        self.results_changed.emit()
        if self._open_when_ready:
            self._open_when_ready = False
            self._open_row(0)

    @Slot(int)
    def _on_model_more_requested(self, limit: int) -> None:
        request = self._shown_request
        if request is None or self._debounce.isActive() or request.query != self.query:
            return
        self.runner.submit(SearchRequest(request.query, request.filters, limit, append=True))

    # ----------------------------------------------------------------- what shows

    def _initial_text(self) -> str:
        return self.tr(
            "Type to search everything you have written: companies, people, topics, "
            "questions and every part of your reflections."
        )

    def _empty_text(self, results: SearchResults) -> str:
        text = results.hint or self.tr("No interview matches that search.")
        if self.filters() is not None:
            text += "\n\n" + self.tr("Filters are on: clear them to search every interview.")
        return text

    def _show_empty(self, text: str) -> None:
        self.empty_label.setText(text)
        self._stack.setCurrentWidget(self.empty_label)
        self.count_label.setText("")
        self.count_label.hide()

    def _update_count(self) -> None:
        total = self.model.total
        if total == 1:
            text = self.tr("1 interview")
        else:
            text = self.tr("%1 interviews").replace("%1", f"{total:,}")
        self.count_label.setText(text)
        self.count_label.show()

    def _update_filter_summary(self) -> None:
        count = self.active_filter_count()
        text = self.tr("Filters") if not count else self.tr("Filters (%1)").replace(
            "%1", str(count)
        )
        self.filters_toggle.setText(text)
        self.filters_toggle.setAccessibleName(text)
        self.clear_filters_button.setVisible(count > 0)

    # ----------------------------------------------------------------- opening

    def _open_row(self, row: int) -> None:
        hit = self.model.hit(row)
        if hit is None:
            return
        self.results.setCurrentIndex(self.model.index(row, 0))
        self.open_requested.emit(hit.interview_id, hit.section, match_terms(hit, self.query))

    @Slot()
    def _on_box_return_pressed(self) -> None:
        if self._debounce.isActive() or self.runner.pending:
            self._open_when_ready = True  # Return before the results came: open the best
            if self._debounce.isActive():
                self._search_now()
            return
        current = self.results.currentIndex()
        self._open_row(current.row() if current.isValid() else 0)

    @Slot()
    def _on_box_down_pressed(self) -> None:
        if self.model.rowCount() == 0:
            return
        if not self.results.currentIndex().isValid():
            self.results.setCurrentIndex(self.model.index(0, 0))
        self.results.setFocus(Qt.FocusReason.TabFocusReason)

    @Slot()
    def _on_results_return_pressed(self) -> None:
        current = self.results.currentIndex()
        if current.isValid():
            self._open_row(current.row())

    @Slot()
    def _on_results_up_from_top(self) -> None:
        self.box.setFocus(Qt.FocusReason.BacktabFocusReason)

    @Slot(QModelIndex)
    def _on_results_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open_row(index.row())

    # ----------------------------------------------------------------- filters

    @Slot(bool)
    def _on_filters_toggle_toggled(self, shown: bool) -> None:
        self.filters_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        if shown:
            self.reload_companies()
        self.filters_box.setVisible(shown)

    @Slot()
    def _on_clear_filters_button_clicked(self) -> None:
        self._updating_filters = True
        try:
            for combo in (self.company_filter, self.stage_filter, self.outcome_filter):
                combo.setCurrentIndex(0)
            self.rating_filter.setValue(0)
            self.date_from_check.setChecked(False)
            self.date_to_check.setChecked(False)
        finally:
            self._updating_filters = False
        self._on_filter_changed()

    def _today(self) -> date:
        clock = self._journal.clock
        return clock.now().astimezone(clock.local_zone()).date()

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with changes made while the panel was hidden."""
        super().showEvent(event)
        if self.filters_box.isVisible():
            self.reload_companies()
        if self._stale:
            self._stale = False
            self.refresh()


__all__ = [
    "HIGHLIGHTS_ROLE",
    "HIT_ROLE",
    "ID_ROLE",
    "SECTION_ROLE",
    "SNIPPET_ROLE",
    "SearchPanel",
    "SearchResultDelegate",
    "SearchResultsModel",
    "format_day",
    "match_terms",
    "section_label",
]
