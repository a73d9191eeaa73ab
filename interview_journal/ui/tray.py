"""The system tray icon and its menu: open the window, "I just finished an interview", the
running countdown, quit.

The icon is created on the GUI thread once the window shows the journal (``create_later``),
so it costs the first frames nothing. Where the desktop has no system tray the icon is built but
never shown (showing it there only makes Qt complain), ``ready`` says ``False``, and the
reminders fall back to the notification service or the banner (``ui/notifier.py``).
"""

from __future__ import annotations

import sys

from PySide6 import QtGui
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from interview_journal import DISPLAY_NAME
from interview_journal.ui.icons import app_icon

# Where tray tooltips may be shown as rich text (X11's own tooltips, StatusNotifier hosts).
# Windows and macOS show them as plain text, where Qt.convertFromPlainText's tags would show.
_RICH_TOOLTIPS = sys.platform not in ("win32", "darwin")


def tray_tooltip(countdown: str | None) -> str:
    """The tray tooltip for ``countdown`` (plain text), safe where tooltips render markup."""
    text = DISPLAY_NAME if not countdown else f"{DISPLAY_NAME}\n{countdown}"
    return QtGui.Qt.convertFromPlainText(text) if _RICH_TOOLTIPS else text


class TrayIcon(QObject):
    """Interview Journal in the system tray, with a small menu; it emits intent, holds no rules.

    The menu's actions exist from construction, so the app can wire them at once; the
    ``QSystemTrayIcon`` and the menu are made by ``build()``. ``ready`` tells whether the icon
    is shown in a tray.
    """

    open_requested = Signal()
    just_finished_requested = Signal()
    quit_requested = Signal()
    ready = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, icon: QIcon | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._system_tray: QSystemTrayIcon | None = None
        self._menu: QMenu | None = None
        self._countdown: str | None = None

        self.action_open = QAction(self.tr("Open Interview Journal"), self)
        self.action_open.setObjectName("trayActionOpen")
        self.action_just_finished = QAction(self.tr("I just finished an interview"), self)
        self.action_just_finished.setObjectName("trayActionJustFinished")
        self.action_countdown = QAction("", self)
        self.action_countdown.setObjectName("trayCountdown")
        self.action_countdown.setEnabled(False)  # information, not a command
        self.action_countdown.setVisible(False)
        self.action_quit = QAction(self.tr("Quit"), self)
        self.action_quit.setObjectName("trayActionQuit")
        self.action_quit.setMenuRole(QAction.MenuRole.NoRole)  # macOS would move it away

        self.action_open.triggered.connect(self._on_action_open_triggered)
        self.action_just_finished.triggered.connect(self._on_action_just_finished_triggered)
        self.action_quit.triggered.connect(self._on_action_quit_triggered)

    @classmethod
    def create_later(cls, window: QWidget) -> TrayIcon:
        """A tray icon owned by ``window``, built once the event loop runs (after the first
        paint). Connect its signals right away; ``ready`` follows."""
        tray = cls(window)
        QTimer.singleShot(0, tray, tray.build)
        return tray

    @property
    def is_built(self) -> bool:
        """Whether ``build()`` has run."""
        return self._system_tray is not None

    @property
    def is_shown(self) -> bool:
        """Whether the icon is shown in a system tray."""
        return self._system_tray is not None and self._system_tray.isVisible()

    @property
    def system_tray(self) -> QSystemTrayIcon | None:
        """The Qt tray icon, once built (for messages)."""
        return self._system_tray

    @property
    def menu(self) -> QMenu | None:
        """The tray menu, once built."""
        return self._menu

    @Slot()
    def build(self) -> None:
        """Make the icon and its menu, and show it if the desktop has a system tray.

        Emits ``ready`` with whether it is shown. Building twice does nothing.
        """
        if self._system_tray is not None:
            return
        parent = self.parent()
        menu = QMenu(parent if isinstance(parent, QWidget) else None)
        menu.setObjectName("trayMenu")
        menu.addAction(self.action_open)
        menu.addAction(self.action_just_finished)
        menu.addSeparator()
        menu.addAction(self.action_countdown)
        menu.addSeparator()
        menu.addAction(self.action_quit)
        self._menu = menu

        system_tray = QSystemTrayIcon(self._icon or app_icon(), self)
        system_tray.setContextMenu(menu)
        system_tray.activated.connect(self._on_system_tray_activated)
        system_tray.messageClicked.connect(self._on_system_tray_message_clicked)
        self._system_tray = system_tray
        self._apply_countdown()
        shown = QSystemTrayIcon.isSystemTrayAvailable()
        if shown:
            system_tray.show()
        self.ready.emit(shown)

    def set_countdown(self, text: str | None) -> None:
        """Show the running countdown (plain text, e.g. "Reflecting: 12:34 left") in the menu
        and the tooltip; None when nothing runs."""
        self._countdown = text or None
        self._apply_countdown()

    def hide(self) -> None:
        """Take the icon out of the tray (at quit, so no stale icon lingers on Windows)."""
        if self._system_tray is not None:
            self._system_tray.hide()

    def _apply_countdown(self) -> None:
        self.action_countdown.setText(self._countdown or "")
        self.action_countdown.setVisible(self._countdown is not None)
        if self._system_tray is not None:
            self._system_tray.setToolTip(tray_tooltip(self._countdown))

    @Slot()
    def _on_action_open_triggered(self) -> None:
        self.open_requested.emit()

    @Slot()
    def _on_action_just_finished_triggered(self) -> None:
        self.just_finished_requested.emit()

    @Slot()
    def _on_action_quit_triggered(self) -> None:
        self.quit_requested.emit()

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_system_tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        opening = {QSystemTrayIcon.ActivationReason.DoubleClick}
        if sys.platform != "darwin":  # a click on macOS opens the menu; leave it at that
            opening.add(QSystemTrayIcon.ActivationReason.Trigger)
        if reason in opening:
            self.open_requested.emit()

    @Slot()
    def _on_system_tray_message_clicked(self) -> None:
        self.open_requested.emit()
