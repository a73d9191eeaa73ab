"""The countdown of the reflection block and the break (object name ``timerPanel``).

A view: it shows what the timer controller tells it and emits what the user asks for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from interview_journal.ui.widgets import plain_label


class TimerPanel(QFrame):
    """Reflecting · 23:41 left  [Pause] [+5 min] [Finish]   or   Break · 12:00 left  [Skip]."""

    pause_requested = Signal()
    resume_requested = Signal()
    extend_requested = Signal()
    finish_requested = Signal()
    skip_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timerPanel")
        self.setAccessibleName(self.tr("Timer"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.countdown = plain_label("", self)
        self.countdown.setObjectName("timerCountdown")
        font = self.countdown.font()
        font.setBold(True)
        self.countdown.setFont(font)
        self.detail = plain_label("", self, wrap=True)
        self.detail.setObjectName("timerDetail")
        self._paused = False
        self.pause_button = self._button(self.tr("Pause"), self._on_pause_button_clicked)
        self.extend_button = self._button(self.tr("+5 min"), self.extend_requested.emit)
        self.finish_button = self._button(self.tr("Finish"), self.finish_requested.emit)
        self.skip_button = self._button(self.tr("Skip break"), self.skip_requested.emit)
        layout.addWidget(self.countdown)
        layout.addWidget(self.detail, 1)
        for button in (self.pause_button, self.extend_button, self.finish_button,
                       self.skip_button):
            layout.addWidget(button)
        # Ending something is never a Tab stop (a space typed after a stray Tab would press
        # it): Ctrl+Return finishes, and Interview ▸ Skip break skips.
        for button in (self.finish_button, self.skip_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        return button

    def _on_pause_button_clicked(self) -> None:
        if self._paused:
            self.resume_requested.emit()
        else:
            self.pause_requested.emit()

    def show_reflection(self, remaining: str, *, paused: bool, held: bool, detail: str) -> None:
        """Show the reflection block's countdown."""
        self._paused = paused
        state = self.tr("paused") if paused else self.tr("held") if held else self.tr("left")
        self.countdown.setText(self.tr("Reflecting · %1 %2").replace("%1", remaining)
                               .replace("%2", state))
        self.detail.setText(detail)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.pause_button.setAccessibleName(self.pause_button.text())
        for button in (self.pause_button, self.extend_button, self.finish_button):
            button.show()
        self.skip_button.hide()
        self.show()

    def show_break(self, remaining: str, *, paused: bool, suggestion: str) -> None:
        """Show the break's countdown with a suggestion for what to do."""
        self._paused = paused
        state = self.tr("paused") if paused else self.tr("left")
        self.countdown.setText(self.tr("Break · %1 %2").replace("%1", remaining)
                               .replace("%2", state))
        self.detail.setText(suggestion)
        for button in (self.pause_button, self.extend_button, self.finish_button):
            button.hide()
        self.skip_button.show()
        self.show()

    def clear(self) -> None:
        """Nothing is running."""
        self.countdown.setText("")
        self.detail.setText("")
        self.hide()
