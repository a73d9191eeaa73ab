"""Small building blocks shared by the screens: plain-text labels and self-sizing editors."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QSizePolicy, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A QLabel that never interprets its text as rich text (user text stays literal)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    return label


def heading_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A section heading: plain text, bold, a little larger than body text."""
    label = plain_label(text, parent)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


def prompt_label(text: str, parent: QWidget | None = None) -> QLabel:
    """The short prompt under a section heading, in the palette's secondary text colour."""
    label = plain_label(text, parent, wrap=True)
    palette = label.palette()
    palette.setColor(label.foregroundRole(), palette.placeholderText().color())
    label.setPalette(palette)
    return label


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
