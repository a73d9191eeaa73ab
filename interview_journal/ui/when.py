"""Dates and times on screen: one format (the user's locale) everywhere, and forgiving fields.

``format_date`` / ``format_time`` are what every screen uses to show a day or a time of day,
so the tree, the smart groups, the editor and the dialogs agree. ``DateField`` and
``TimeField`` are line edits that read what people type ("14:00", "1400", "2pm", "14"; a
date in their own format or as ISO), treat an empty field as "No date" / "No time", leave
on Tab like any other field, and change their value only when what is typed reads as one.
"""

from __future__ import annotations

import functools
from datetime import date, time

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, QTime, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core.entry import parse_iso_date, parse_time


def date_display_format() -> str:
    """The locale's short date format, with a four-digit year ("dd/MM/yyyy", "M/d/yyyy");
    ISO where no locale is set."""
    return _display_format(QLocale().name())


@functools.cache
def _display_format(locale_name: str) -> str:
    locale = QLocale(locale_name)
    if locale.language() == QLocale.Language.C:  # no locale set: ISO reads best
        return "yyyy-MM-dd"
    text = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in text:
        text = text.replace("yy", "yyyy")
    return text


def format_date(day: date) -> str:
    """A day as every screen shows it (the user's locale)."""
    return QLocale().toString(QDate(day.year, day.month, day.day), date_display_format())


def format_time(moment: time) -> str:
    """A time of day as every screen shows it (the user's locale)."""
    return QLocale().toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)


def parse_date(text: str) -> date | None:
    """The day ``text`` names in the user's format or ISO; None for an empty field.

    Raises ValueError when it names no day, so a half-typed date changes nothing.
    """
    if not text.strip():
        return None
    found = parse_iso_date(text)
    if found is not None:
        return found
    locale = QLocale()
    shown = date_display_format()
    loose = shown.replace("dd", "d").replace("MM", "M")  # "4.3.2026" as well as "04.03.2026"
    for fmt in (
        shown,
        loose,
        locale.dateFormat(QLocale.FormatType.ShortFormat),
        locale.dateFormat(QLocale.FormatType.LongFormat),
    ):
        qdate = locale.toDate(text.strip(), fmt)
        if qdate.isValid():
            return date(qdate.year(), qdate.month(), qdate.day())
    raise ValueError(f"not a date: {text!r}")


class _Field(QLineEdit):
    """A line edit whose text stands for a value, or for "not known yet" when empty.

    ``value_changed`` is emitted when the text reads as a different value than before,
    whatever changed the text (typing, paste, an assistive tool). Leaving the field writes
    the value back in the display format; text that reads as nothing is marked and kept,
    and the last good value stays. Delete in an empty-looking field clears it.
    """

    value_changed = Signal()

    def __init__(self, empty: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: object = None
        self._quiet = False
        self.setPlaceholderText(empty)
        self.setClearButtonEnabled(True)
        self.textChanged.connect(self._on_text_changed)
        self.editingFinished.connect(self._on_editing_finished)

    def _parse(self, text: str) -> object:
        raise NotImplementedError

    def _show(self, value: object) -> str:
        raise NotImplementedError

    def _set(self, value: object) -> None:
        self._value = value
        self._quiet = True
        try:
            self.setText("" if value is None else self._show(value))
        finally:
            self._quiet = False
        self._mark(valid=True)

    def is_valid(self) -> bool:
        """True unless the text reads as no value at all."""
        try:
            self._parse(self.text())
        except ValueError:
            return False
        return True

    def _mark(self, valid: bool) -> None:
        self.setToolTip("" if valid else self._hint())
        self.setAccessibleDescription("" if valid else self._hint())

    def _hint(self) -> str:
        return ""

    def problem(self) -> str:
        """What to type instead, while the text reads as no value; "" when it reads fine."""
        return "" if self.is_valid() else self._hint()

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        if self._quiet:
            return
        try:
            value = self._parse(text)
        except ValueError:
            self._mark(valid=False)
            return
        self._mark(valid=True)
        if value != self._value:
            self._value = value
            self.value_changed.emit()

    @Slot()
    def _on_editing_finished(self) -> None:
        if self.is_valid():
            self._set(self._value)  # "1400" reads back as "14:00"

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  (Qt's name)
        """Delete with nothing after the cursor clears the field: "not known yet"."""
        if (
            event.key() == Qt.Key.Key_Delete
            and not event.modifiers()
            and not self.hasSelectedText()
            and self.cursorPosition() == len(self.text())
            and self.text()
        ):
            self.clear()
            return
        super().keyPressEvent(event)


class TimeField(_Field):
    """A start time: "14:00", "1400", "2pm" or "14"; empty means "No time"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("No time"), parent)
        self.setMaxLength(16)

    def _parse(self, text: str) -> object:
        return parse_time(text)

    def _show(self, value: object) -> str:
        assert isinstance(value, time)
        return format_time(value)

    def _hint(self) -> str:
        return self.tr("Type a time such as 14:00, 1400 or 2pm, or leave it empty.")

    def value(self) -> time | None:
        """The time shown (the last one typed that read as a time), or None."""
        assert self._value is None or isinstance(self._value, time)
        return self._value

    def set_value(self, value: time | None) -> None:
        """Show ``value`` (None: "No time"); emits nothing."""
        self._set(value)


class DateField(QWidget):
    """A day, typed in the user's format or as ISO, or picked from a calendar (Alt+Down).

    Empty means "No date". The line edit takes the focus; the calendar button is not a Tab
    stop, so Tab leaves the field like any other.
    """

    value_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = _DateLine(self)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText("▾")
        self.calendar_button.setToolTip(self.tr("Pick a date (Alt+Down)"))
        self.calendar_button.setAccessibleName(self.tr("Pick a date"))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.calendar_button)
        self.setFocusProxy(self.line)
        self.line.value_changed.connect(self.value_changed)
        self.line.popup_requested.connect(self.show_calendar)
        self.calendar_button.clicked.connect(self.show_calendar)
        self._popup: QWidget | None = None

    def setAccessibleName(self, name: str) -> None:  # noqa: N802  (Qt's name)
        """Name the field and its line edit (which is what assistive tools focus)."""
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def value(self) -> date | None:
        """The day shown, or None."""
        return self.line.value()

    def set_value(self, value: date | None) -> None:
        """Show ``value`` (None: "No date"); emits nothing."""
        self.line.set_value(value)

    def is_valid(self) -> bool:
        """False while the text reads as no day."""
        return self.line.is_valid()

    def problem(self) -> str:
        """What to type instead, while the text reads as no day; "" when it reads fine."""
        return self.line.problem()

    @Slot()
    def show_calendar(self) -> None:
        """Open a month calendar under the field; choosing a day sets it."""
        popup = QWidget(self, Qt.WindowType.Popup)
        popup.setAccessibleName(self.tr("Pick a date"))
        calendar = QCalendarWidget(popup)
        calendar.setGridVisible(False)
        current = self.value()
        if current is not None:
            calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        layout = QVBoxLayout(popup)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(calendar)
        calendar.activated.connect(lambda qdate: self._on_calendar_chosen(popup, qdate))
        calendar.clicked.connect(lambda qdate: self._on_calendar_chosen(popup, qdate))
        popup.move(self.mapToGlobal(QPoint(0, self.height())))
        popup.show()
        calendar.setFocus()
        self._popup = popup

    def _on_calendar_chosen(self, popup: QWidget, qdate: QDate) -> None:
        popup.close()
        popup.deleteLater()
        self._popup = None
        chosen = date(qdate.year(), qdate.month(), qdate.day())
        if chosen != self.value():
            self.line.set_value(chosen)
            self.value_changed.emit()
        self.line.setFocus()


class _DateLine(_Field):
    popup_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("No date"), parent)
        self.setMaxLength(40)
        sample = format_date(date(2026, 12, 28))  # the widest day, in the user's format
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(sample) + 32)

    def _parse(self, text: str) -> object:
        return parse_date(text)

    def _show(self, value: object) -> str:
        assert isinstance(value, date)
        return format_date(value)

    def _hint(self) -> str:
        example = format_date(date(2026, 3, 4))
        return self.tr("Type a date such as %1 or 2026-03-04, or leave it empty.").replace(
            "%1", example
        )

    def value(self) -> date | None:
        assert self._value is None or isinstance(self._value, date)
        return self._value

    def set_value(self, value: date | None) -> None:
        self._set(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  (Qt's name)
        """Alt+Down (or F4) opens the calendar."""
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        key = event.key()
        if (key == Qt.Key.Key_Down and alt) or (key == Qt.Key.Key_F4 and not event.modifiers()):
            self.popup_requested.emit()
            return
        super().keyPressEvent(event)


__all__ = [
    "DateField",
    "TimeField",
    "date_display_format",
    "format_date",
    "format_time",
    "parse_date",
]
