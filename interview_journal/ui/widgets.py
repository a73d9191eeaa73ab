"""Small building blocks shared by the screens: plain-text labels, self-sizing editors and
the reading-order Tab chain."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QPlainTextEdit, QSizePolicy, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A QLabel that never interprets its text as rich text (user text stays literal)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    return label


def heading_font(base: QFont) -> QFont:
    """``base`` as headings use it: bold, a little larger than body text."""
    font = QFont(base)
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    return font


def heading_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A section heading: plain text, in the heading font."""
    label = plain_label(text, parent)
    label.setFont(heading_font(label.font()))
    return label


def prompt_label(text: str, parent: QWidget | None = None) -> QLabel:
    """The short prompt under a section heading, in the palette's secondary text colour."""
    label = plain_label(text, parent, wrap=True)
    palette = label.palette()
    palette.setColor(label.foregroundRole(), palette.placeholderText().color())
    label.setPalette(palette)
    return label


class ElidedLabel(QLabel):
    """A one-line plain-text label that shortens its text in the middle to fit, never
    widening its window; the whole text is in its tooltip (escaped: it is user text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._full = ""

    def set_full_text(self, text: str) -> None:
        """Show ``text``, shortened to the label's width when it does not fit."""
        self._full = text
        self.setToolTip(QtGui.Qt.convertFromPlainText(text) if text else "")
        self.setAccessibleName(text)
        self._fit()

    def full_text(self) -> str:
        """The text before shortening."""
        return self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802  (Qt's name)
        """Narrow: the label gives way to its neighbours and shortens instead."""
        hint = super().minimumSizeHint()
        return QSize(self.fontMetrics().horizontalAdvance("M…M"), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle,
                                              max(0, self.width()))
        if shown != self.text():
            self.setText(shown)


class GrowingTextEdit(QPlainTextEdit):
    """A plain-text editor that grows with its text, so a form scrolls as one page.

    Tab moves focus to the next field instead of inserting a tab character.
    """

    def __init__(self, parent: QWidget | None = None, *, min_lines: int = 3) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def _line_height(self) -> int:
        return QFontMetrics(self.font()).lineSpacing()

    def _fit(self, *_: object) -> None:
        lines = max(self._min_lines, int(self.document().size().height()) + 1)
        margins = self.contentsMargins()
        doc_margin = int(self.document().documentMargin() * 2)
        height = lines * self._line_height() + margins.top() + margins.bottom() + doc_margin
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Ctrl+Return belongs to the window (it would otherwise insert a line break).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.ignore()
            return
        super().keyPressEvent(event)


def focus_chain(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that Tab stops at, in reading order (their layouts' order).

    Qt's own chain follows creation order, so a row inserted above others later (a new
    question card) would be visited after everything else in the window; the window walks
    this list instead. A widget that takes
    Tab focus is a stop and is not entered (a combo or spin box owns its line edit); a widget
    with a ``tab_stops()`` method lists its own order; other widgets are walked through their
    layouts. Hidden widgets are kept: Qt skips them, and they are in their place when they
    show.
    """
    found: list[QWidget] = []

    def visit_widget(widget: QWidget) -> None:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
            found.append(widget)
            return
        stops = getattr(widget, "tab_stops", None)
        if callable(stops):  # a widget whose reading order is not its layout's (a card)
            for stop in stops():
                visit_widget(stop)
            return
        layout = widget.layout()
        if layout is not None:
            visit_layout(layout)

    def visit_layout(layout: QLayout) -> None:
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None:
                continue
            child = item.widget()
            if child is not None:
                visit_widget(child)
            elif (inner := item.layout()) is not None:
                visit_layout(inner)

    visit_widget(root)
    return found

