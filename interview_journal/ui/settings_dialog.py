"""Settings (``actionSettings``). The Reminders page: lengths, snooze, lead time, delivery,
the break suggestions and start at login. Values are validated by ``core.timers`` before they
are stored, and applied as soon as the user presses OK or Apply."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core.errors import InvalidInput
from interview_journal.core.timers import MAX_MINUTES, TimerSettings
from interview_journal.ui.widgets import plain_label


@dataclass(frozen=True)
class ReminderPreferences:
    """Everything the Reminders page edits."""

    timers: TimerSettings
    notifications: bool
    suggestions: tuple[str, ...]
    start_at_login: bool


class SettingsDialog(QDialog):
    """The settings dialog; ``applied`` carries validated preferences."""

    applied = Signal(object)  # ReminderPreferences

    def __init__(
        self,
        current: ReminderPreferences,
        *,
        autostart_supported: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setObjectName("settingsDialog")
        layout = QVBoxLayout(self)
        tabs = QTabWidget(self)
        page = QWidget(tabs)
        form = QFormLayout(page)
        tr = self.tr

        def minutes(label: str, value: int, minimum: int = 1) -> QSpinBox:
            box = QSpinBox(page)
            box.setRange(minimum, MAX_MINUTES)
            box.setSuffix(tr(" min"))
            box.setValue(value)
            box.setAccessibleName(label)
            caption = plain_label(label, page)
            caption.setBuddy(box)
            form.addRow(caption, box)
            return box

        t = current.timers
        self.reflection = minutes(tr("Reflection block"), t.reflection_minutes)
        self.break_length = minutes(tr("Break"), t.break_minutes)
        self.warn = minutes(tr("Nudge before the end"), t.warn_minutes)
        self.extend = minutes(tr("Extend by"), t.extend_minutes)
        self.snooze = minutes(tr("Snooze for"), t.snooze_minutes)
        self.lead = minutes(tr("Remind before an interview"), t.lead_minutes)
        self.remind_before = QCheckBox(tr("Remind me before a scheduled interview"), page)
        self.remind_before.setChecked(t.remind_before)
        form.addRow("", self.remind_before)
        self.notifications = QCheckBox(tr("Show desktop notifications"), page)
        self.notifications.setToolTip(
            tr("Reminders always show inside the window; this adds the desktop's own.")
        )
        self.notifications.setChecked(current.notifications)
        form.addRow("", self.notifications)
        self.start_at_login = QCheckBox(tr("Start Interview Journal when I log in"), page)
        self.start_at_login.setChecked(current.start_at_login)
        self.start_at_login.setEnabled(autostart_supported)
        if not autostart_supported:
            self.start_at_login.setToolTip(
                tr("Add Interview Journal to your system's login items (see the README).")
            )
        form.addRow("", self.start_at_login)
        self.suggestions = QPlainTextEdit(page)
        self.suggestions.setObjectName("breakSuggestions")
        self.suggestions.setAccessibleName(tr("Break suggestions"))
        self.suggestions.setPlainText("\n".join(current.suggestions))
        self.suggestions.setTabChangesFocus(True)
        caption = plain_label(tr("Break suggestions\n(one a line)"), page)
        caption.setBuddy(self.suggestions)
        form.addRow(caption, self.suggestions)
        for widget in (self.remind_before, self.notifications, self.start_at_login):
            widget.setAccessibleName(widget.text())
        tabs.addTab(page, tr("Reminders"))
        self.error = plain_label("", self, wrap=True)
        self.error.setObjectName("settingsError")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons = buttons
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        apply = buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply.clicked.connect(self.apply)
        layout.addWidget(tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def values(self) -> ReminderPreferences:
        """What the page says, validated; raises InvalidInput with a message to show."""
        timers = TimerSettings(
            reflection_minutes=self.reflection.value(),
            break_minutes=self.break_length.value(),
            warn_minutes=self.warn.value(),
            extend_minutes=self.extend.value(),
            snooze_minutes=self.snooze.value(),
            lead_minutes=self.lead.value(),
            remind_before=self.remind_before.isChecked(),
        )
        lines = [line.strip() for line in self.suggestions.toPlainText().splitlines()]
        return ReminderPreferences(
            timers=timers,
            notifications=self.notifications.isChecked(),
            suggestions=tuple(line for line in lines if line),
            start_at_login=self.start_at_login.isChecked(),
        )

    def apply(self) -> bool:
        """Validate and emit ``applied``; show the problem and return False if invalid."""
        try:
            values = self.values()
        except InvalidInput as error:
            self.error.setText(str(error))
            self.error.show()
            return False
        self.error.hide()
        self.applied.emit(values)
        return True

    def _on_buttons_accepted(self) -> None:
        if self.apply():
            self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget, current: ReminderPreferences, autostart_supported: bool,
        on_applied: object,
    ) -> None:
        """Show the dialog modally; ``on_applied`` receives each validated set of values."""
        dialog = cls(current, autostart_supported=autostart_supported, parent=parent)
        dialog.applied.connect(on_applied)
        dialog.exec()
