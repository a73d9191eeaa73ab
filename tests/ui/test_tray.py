"""The tray icon and its menu, and the app icon it shows.

The offscreen platform has no system tray: the icon is built but never shown there (showing
it would make Qt warn, and any Qt warning fails a test), which is also what a Linux desktop
without a tray gets.
"""

from __future__ import annotations

import sys

import pytest
from PySide6 import QtGui
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from interview_journal import DISPLAY_NAME
from interview_journal.ui.icons import app_icon, icon_path
from interview_journal.ui.tray import TrayIcon, tray_tooltip

rich_tooltips = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="tray tooltips are plain text there"
)


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    made = QMainWindow()
    qtbot.addWidget(made)
    return made


@pytest.fixture
def tray(window: QMainWindow) -> TrayIcon:
    made = TrayIcon(window)
    made.build()
    return made


def menu_texts(tray: TrayIcon) -> list[str]:
    assert tray.menu is not None
    return [a.text() if not a.isSeparator() else "—" for a in tray.menu.actions()]


def test_created_after_the_event_loop_starts(qtbot: QtBot, window: QMainWindow) -> None:
    tray = TrayIcon.create_later(window)
    assert not tray.is_built  # nothing before the first paint

    with qtbot.waitSignal(tray.ready, timeout=2000) as ready:
        pass

    assert tray.is_built
    assert tray.parent() is window
    assert ready.args == [QSystemTrayIcon.isSystemTrayAvailable()]


def test_not_shown_where_there_is_no_system_tray(qtbot: QtBot, window: QMainWindow) -> None:
    tray = TrayIcon(window)
    with qtbot.waitSignal(tray.ready, timeout=1000) as ready:
        tray.build()
    assert ready.args == [False]
    assert not tray.is_shown
    assert tray.system_tray is not None
    assert not tray.system_tray.isVisible()
    tray.build()  # twice is harmless
    tray.hide()


def test_menu(tray: TrayIcon) -> None:
    assert menu_texts(tray) == [
        "Open Interview Journal",
        "I just finished an interview",
        "—",
        "",
        "—",
        "Quit",
    ]
    assert tray.system_tray is not None
    assert tray.system_tray.contextMenu() is tray.menu
    assert not tray.action_countdown.isVisible()
    assert not tray.system_tray.icon().isNull()


@pytest.mark.parametrize(("action", "signal"), [
    ("action_open", "open_requested"),
    ("action_just_finished", "just_finished_requested"),
    ("action_quit", "quit_requested"),
])
def test_menu_actions_emit_intent(qtbot: QtBot, tray: TrayIcon, action: str, signal: str) -> None:
    with qtbot.waitSignal(getattr(tray, signal), timeout=1000):
        menu_action: QAction = getattr(tray, action)
        menu_action.trigger()


def test_clicking_the_icon_or_its_message_opens_the_window(qtbot: QtBot, tray: TrayIcon) -> None:
    assert tray.system_tray is not None
    with qtbot.waitSignal(tray.open_requested, timeout=1000):
        tray.system_tray.activated.emit(QSystemTrayIcon.ActivationReason.DoubleClick)
    with qtbot.waitSignal(tray.open_requested, timeout=1000):
        tray.system_tray.messageClicked.emit()
    with qtbot.assertNotEmitted(tray.open_requested):
        tray.system_tray.activated.emit(QSystemTrayIcon.ActivationReason.Context)


def test_countdown_in_menu_and_tooltip(tray: TrayIcon) -> None:
    assert tray.system_tray is not None
    assert tray.system_tray.toolTip() == tray_tooltip(None)

    tray.set_countdown("Reflecting: 12:34 left")

    assert tray.action_countdown.text() == "Reflecting: 12:34 left"
    assert tray.action_countdown.isVisible()
    assert not tray.action_countdown.isEnabled()
    assert tray.system_tray.toolTip() == tray_tooltip("Reflecting: 12:34 left")
    assert "Reflecting: 12:34 left" in tray.system_tray.toolTip().replace("\xa0", " ")

    tray.set_countdown(None)

    assert not tray.action_countdown.isVisible()
    assert tray.system_tray.toolTip() == tray_tooltip(None)


def test_countdown_set_before_the_icon_exists_is_kept(window: QMainWindow) -> None:
    tray = TrayIcon(window)
    tray.set_countdown("Break: 4:59 left")
    tray.build()
    assert tray.system_tray is not None
    assert tray.system_tray.toolTip() == tray_tooltip("Break: 4:59 left")
    assert tray.action_countdown.isVisible()


@rich_tooltips
def test_tooltip_shows_user_text_literally(tray: TrayIcon) -> None:
    assert tray.system_tray is not None
    tray.set_countdown("Reflecting on Acme <img src=x>: 3:00 left")

    tooltip = tray.system_tray.toolTip().replace("\xa0", " ")  # spaces kept as no-break

    assert tray.system_tray.toolTip() == QtGui.Qt.convertFromPlainText(
        f"{DISPLAY_NAME}\nReflecting on Acme <img src=x>: 3:00 left"
    )
    assert "<img" not in tooltip
    assert "&lt;img src=x&gt;" in tooltip
    # The menu entry is an action text, which Qt never renders as markup.
    assert tray.action_countdown.text() == "Reflecting on Acme <img src=x>: 3:00 left"


def test_app_icon_ships_and_renders(qtbot: QtBot) -> None:
    path = icon_path()
    assert path is not None
    assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml")

    icon = app_icon()

    assert not icon.isNull()
    image = icon.pixmap(32, 32).toImage()
    assert not image.isNull()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    corner = image.pixelColor(0, 0)
    assert centre.alpha() == 255  # drawn, not an empty pixmap
    assert corner.alpha() < 255  # rounded corners, so it is our SVG and not a generic square
