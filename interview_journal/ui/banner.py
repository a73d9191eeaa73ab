"""The in-window reminder banner, and the notifier that fills it.

It lives apart from ``notifier.py`` (the desktop channels, the D-Bus worker), so that the
window, which builds the banner for its first reminder, does not load those.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAccessible, QAccessibleEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interview_journal.ui.widgets import heading_label, plain_label

# A button on the banner: its label (may hold a & mnemonic) and what clicking it does.
NotificationAction: TypeAlias = tuple[str, Callable[[], None]]

BANNER = "banner"


def _without_mnemonic(label: str) -> str:
    """A button label as read aloud: ``&Start`` is "Start", ``R&&D`` is "R&D"."""
    return "&".join(part.replace("&", "") for part in label.split("&&"))


class NotificationBanner(QFrame):
    """A strip inside the window that shows the latest reminder, with its buttons.

    Title and body are plain-text labels, so user text such as ``<b>x</b>`` shows literally.
    Buttons and the close button are in the tab order; Escape closes the banner while focus is
    inside it, and ``focus_first()`` jumps to the first button. An action hides the banner
    before it runs, so an action that raises a new reminder is not hidden by its own click.
    """

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.setAccessibleName(self.tr("Notification"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.title_label = heading_label("", self)
        self.title_label.setObjectName("notificationTitle")
        self.title_label.setWordWrap(True)
        self.body_label = plain_label("", self, wrap=True)
        self.body_label.setObjectName("notificationBody")
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("notificationClose")
        self.close_button.setAutoRaise(True)
        self.close_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton)
        )
        self.close_button.setText(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close notification"))
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.close_button.clicked.connect(self._on_close_button_clicked)

        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.title_label)
        texts.addWidget(self.body_label)
        self._button_row = QHBoxLayout()
        self._button_row.setSpacing(6)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 6, 8)
        layout.setSpacing(12)
        layout.addLayout(texts, 1)
        layout.addLayout(self._button_row)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

        self._callbacks: dict[QPushButton, Callable[[], None]] = {}
        self._buttons: list[QPushButton] = []
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self._on_escape_activated)
        self.hide()

    def show_message(
        self,
        title: str,
        body: str,
        actions: Sequence[NotificationAction] = (),
        *,
        urgent: bool = False,
    ) -> None:
        """Show one reminder, replacing whatever the banner showed before."""
        self.title_label.setText(title)
        self.body_label.setText(body)
        self.body_label.setVisible(bool(body))
        self.setAccessibleDescription(f"{title}\n{body}" if body else title)
        self.setProperty("urgent", urgent)
        self._set_actions(actions)
        self.show()
        if QAccessible.isActive():  # screen readers announce the new reminder
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    @Slot()
    def focus_first(self) -> None:
        """Move keyboard focus to the first button (an action, else close), e.g. from a
        window shortcut that jumps to the reminder."""
        (self._buttons[0] if self._buttons else self.close_button).setFocus(
            Qt.FocusReason.ShortcutFocusReason
        )

    def buttons(self) -> list[QPushButton]:
        """The action buttons now shown, left to right."""
        return list(self._buttons)

    def is_showing(self) -> bool:
        """Whether a reminder is up (the banner is not hidden), even if the window is not shown."""
        return not self.isHidden()

    @Slot()
    def dismiss(self) -> None:
        """Hide the banner; ``dismissed`` is emitted if it was showing."""
        if self.isHidden():
            return
        self.hide()
        self.dismissed.emit()

    def _set_actions(self, actions: Sequence[NotificationAction]) -> None:
        for button in self._buttons:
            self._button_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self._buttons = []
        self._callbacks = {}
        for label, callback in actions:
            button = QPushButton(label, self)
            button.setObjectName("notificationAction")
            button.setAccessibleName(_without_mnemonic(label))
            button.setAutoDefault(False)
            button.clicked.connect(self._on_action_button_clicked)
            self._button_row.addWidget(button)
            self._callbacks[button] = callback
            self._buttons.append(button)
        # Tab order: the actions, then close (new buttons join the end of the window's chain).
        # No focus proxy here: Qt 6 sends Tab through a proxy back to it, a focus trap.
        previous: QWidget | None = None
        for widget in [*self._buttons, self.close_button]:
            if previous is not None:
                QWidget.setTabOrder(previous, widget)
            previous = widget

    @Slot()
    def _on_action_button_clicked(self) -> None:
        sender = self.sender()
        callback = self._callbacks.get(sender) if isinstance(sender, QPushButton) else None
        self.dismiss()
        if callback is not None:
            callback()

    @Slot()
    def _on_close_button_clicked(self) -> None:
        self.dismiss()

    @Slot()
    def _on_escape_activated(self) -> None:
        self.dismiss()



class BannerNotifier:
    """Shows reminders in the window's banner and asks the desktop to draw attention to it."""

    def __init__(self, banner: NotificationBanner, window: QWidget | None = None) -> None:
        self._banner = banner
        self._window = window

    @property
    def banner(self) -> NotificationBanner:
        """The banner this notifier fills."""
        return self._banner

    def notify(
        self,
        title: str,
        body: str,
        *,
        urgent: bool = False,
        actions: Sequence[NotificationAction] = (),
    ) -> None:
        """Fill the banner and flash the taskbar entry until the user looks at the window."""
        self._banner.show_message(title, body, actions, urgent=urgent)
        # 0: until the window is activated; nothing happens if it already is.
        QApplication.alert(self._window or self._banner.window(), 0)

    def channels(self) -> tuple[str, ...]:
        """Always the banner."""
        return (BANNER,)
