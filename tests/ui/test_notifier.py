"""Reminder delivery: the in-window banner, the alert, and how the channels are chosen.

The desktop's channels are replaced by small fakes here (the offscreen platform has no tray,
and the test process no notification server); the real D-Bus path is covered by
``tests/e2e/test_notifications_dbus.py``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from interview_journal.ui import notifier as notifier_module
from interview_journal.ui.banner import BannerNotifier, NotificationAction, NotificationBanner
from interview_journal.ui.notifier import (
    CompositeNotifier,
    FreedesktopNotifier,
    TrayNotifier,
    choose_notifier,
    markup_escape,
)
from interview_journal.ui.tray import TrayIcon

HOSTILE = "<b>x</b><img src=x>"
NO_DESKTOP = (
    "Reminders will only show inside the window: this desktop has neither a system tray nor "
    "a notification service."
)


@dataclass
class Host:
    """A small window holding a banner above an editor, as the main window will."""

    window: QWidget
    banner: NotificationBanner
    editor: QPlainTextEdit


@pytest.fixture
def host(qtbot: QtBot) -> Host:
    window = QWidget()
    qtbot.addWidget(window)
    banner = NotificationBanner(window)
    editor = QPlainTextEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(banner)
    layout.addWidget(editor, 1)
    window.resize(640, 400)
    return Host(window, banner, editor)


@pytest.fixture
def alerts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[QWidget, int]]:
    """Every QApplication.alert call, instead of flashing anything."""
    calls: list[tuple[QWidget, int]] = []

    def alert(widget: QWidget, duration: int = 0) -> None:
        calls.append((widget, duration))

    monkeypatch.setattr(QApplication, "alert", alert)
    return calls


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    """A thread pool for probes that is drained after the test."""
    made = QThreadPool()
    yield made
    assert made.waitForDone(10_000)


@dataclass
class FakeChannel:
    """A desktop channel that records what it was asked to show."""

    name: str
    up: bool = True
    shown: list[tuple[str, str, bool]] = field(default_factory=list)

    def notify(
        self,
        title: str,
        body: str,
        *,
        urgent: bool = False,
        actions: Sequence[NotificationAction] = (),
    ) -> None:
        self.shown.append((title, body, urgent))

    def channels(self) -> tuple[str, ...]:
        return (self.name,) if self.up else ()


@dataclass
class FakeService(FakeChannel):
    """A notification service whose probe answers ``answers``; it counts probes and closes."""

    answers: bool = True
    probes: int = 0
    closed: bool = False

    def probe(self) -> bool:
        self.probes += 1
        self.up = self.answers
        return self.answers

    def close(self) -> None:
        self.closed = True


def labels(banner: NotificationBanner) -> list[str]:
    return [button.text() for button in banner.buttons()]


# --------------------------------------------------------------------------- the banner


def test_banner_shows_title_and_body_literally(host: Host) -> None:
    host.window.show()
    assert host.banner.isHidden()

    host.banner.show_message(f"Time to reflect {HOSTILE}", f"Acme {HOSTILE} & co")

    assert host.banner.isVisible()
    assert host.banner.accessibleName() == "Notification"
    assert host.banner.title_label.text() == f"Time to reflect {HOSTILE}"
    assert host.banner.body_label.text() == f"Acme {HOSTILE} & co"
    for label in host.banner.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    # A default (AutoText) label would take this for rich text: the format is what keeps it
    # literal, and no image is loaded.
    assert QtGui.Qt.mightBeRichText(HOSTILE)


def test_banner_buttons_run_their_callbacks_and_close_it(qtbot: QtBot, host: Host) -> None:
    host.window.show()
    ran: list[str] = []
    host.banner.show_message(
        "Time to reflect",
        "Acme ended 2 minutes ago.",
        [
            ("&Start", lambda: ran.append("start")),
            ("S&nooze", lambda: ran.append("snooze")),
            ("S&kip", lambda: ran.append("skip")),
        ],
    )
    assert labels(host.banner) == ["&Start", "S&nooze", "S&kip"]
    assert [b.accessibleName() for b in host.banner.buttons()] == ["Start", "Snooze", "Skip"]

    with qtbot.waitSignal(host.banner.dismissed, timeout=1000):
        qtbot.mouseClick(host.banner.buttons()[1], Qt.MouseButton.LeftButton)

    assert ran == ["snooze"]
    assert host.banner.isHidden()


def test_an_action_that_raises_a_new_reminder_keeps_it_showing(host: Host) -> None:
    host.window.show()

    def start() -> None:
        host.banner.show_message("Reflecting", "30 minutes, starting now.")

    host.banner.show_message("Time to reflect", "Acme", [("Start", start)])
    host.banner.buttons()[0].click()

    assert host.banner.is_showing()
    assert host.banner.title_label.text() == "Reflecting"
    assert host.banner.buttons() == []


def test_a_new_reminder_replaces_the_old_buttons(qtbot: QtBot, host: Host) -> None:
    host.window.show()
    ran: list[str] = []
    host.banner.show_message("Time to reflect", "", [("Start", lambda: ran.append("old"))])
    host.banner.show_message(
        "Take a real break", "Walk", [("Skip break", lambda: ran.append("new"))]
    )

    assert labels(host.banner) == ["Skip break"]
    assert host.banner.body_label.text() == "Walk"
    qtbot.mouseClick(host.banner.buttons()[0], Qt.MouseButton.LeftButton)
    assert ran == ["new"]


def test_close_button_closes(qtbot: QtBot, host: Host) -> None:
    host.window.show()
    host.banner.show_message("Break over", "Welcome back.")

    with qtbot.waitSignal(host.banner.dismissed, timeout=1000):
        qtbot.mouseClick(host.banner.close_button, Qt.MouseButton.LeftButton)

    assert host.banner.isHidden()
    assert host.banner.close_button.accessibleName() == "Close notification"


def test_banner_is_keyboard_reachable(qtbot: QtBot, host: Host) -> None:
    host.window.show()
    host.window.activateWindow()
    qtbot.waitUntil(host.window.isActiveWindow)
    ran: list[str] = []
    host.banner.show_message(
        "Time to reflect", "Acme", [("Start", lambda: ran.append("start")), ("Skip", print)]
    )
    start, skip = host.banner.buttons()

    host.banner.focus_first()
    assert QApplication.focusWidget() is start
    QTest.keyClick(start, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is skip
    QTest.keyClick(skip, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is host.banner.close_button

    start.setFocus()
    QTest.keyClick(start, Qt.Key.Key_Space)
    assert ran == ["start"]

    host.banner.show_message("Break over", "Welcome back.")
    host.banner.focus_first()
    assert QApplication.focusWidget() is host.banner.close_button
    with qtbot.waitSignal(host.banner.dismissed, timeout=1000):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert host.banner.isHidden()


def test_escape_elsewhere_leaves_the_banner(host: Host) -> None:
    host.window.show()
    host.window.activateWindow()
    host.banner.show_message("Time to reflect", "Acme")
    host.editor.setFocus()

    QTest.keyClick(host.editor, Qt.Key.Key_Escape)

    assert host.banner.is_showing()


def test_banner_notifier_alerts_the_window(host: Host, alerts: list[tuple[QWidget, int]]) -> None:
    banner_notifier = BannerNotifier(host.banner, host.window)

    banner_notifier.notify("Time to reflect", "Acme", actions=[("Start", print)])

    assert alerts == [(host.window, 0)]
    assert host.banner.is_showing()
    assert labels(host.banner) == ["Start"]
    assert banner_notifier.channels() == ("banner",)


def test_banner_notifier_defaults_to_the_banners_window(
    host: Host, alerts: list[tuple[QWidget, int]]
) -> None:
    BannerNotifier(host.banner).notify("Break over", "")
    assert alerts == [(host.window, 0)]


# --------------------------------------------------------------------------- choosing channels


def test_neither_tray_nor_service_means_banner_only_said_once(
    host: Host, alerts: list[tuple[QWidget, int]]
) -> None:
    said: list[str] = []
    notifier = choose_notifier(host.window, host.banner, on_limited=said.append)

    assert notifier.channels() == ("banner",)
    assert notifier.decided
    assert said == [NO_DESKTOP]
    assert notifier.limitation == NO_DESKTOP

    notifier.set_tray(None)  # settling again, or delivering, does not say it again
    notifier.set_service(None)
    notifier.notify("Time to reflect", f"Acme {HOSTILE}", urgent=True)
    notifier.notify("Take a real break", "Walk")

    assert said == [NO_DESKTOP]
    assert host.banner.title_label.text() == "Take a real break"
    assert alerts == [(host.window, 0), (host.window, 0)]


def test_the_tray_is_used_where_there_is_one_and_the_service_is_not_probed(
    host: Host, alerts: list[tuple[QWidget, int]], pool: QThreadPool
) -> None:
    tray = FakeChannel("tray")
    service = FakeService("freedesktop")
    said: list[str] = []
    notifier = CompositeNotifier(BannerNotifier(host.banner, host.window), pool=pool)
    notifier.limited.connect(said.append)

    notifier.use_service(service)
    notifier.set_tray(tray)
    ran: list[str] = []
    notifier.notify(
        "Time to reflect", "Acme", urgent=True, actions=[("Start", lambda: ran.append("s"))]
    )

    assert notifier.channels() == ("banner", "tray")
    assert tray.shown == [("Time to reflect", "Acme", True)]
    assert host.banner.title_label.text() == "Time to reflect"
    host.banner.buttons()[0].click()
    assert ran == ["s"]
    assert alerts == [(host.window, 0)]
    assert service.probes == 0
    assert service.shown == []
    assert said == []
    assert notifier.limitation is None


def test_without_a_tray_the_service_is_probed_in_a_worker_and_used(
    qtbot: QtBot, host: Host, alerts: list[tuple[QWidget, int]], pool: QThreadPool
) -> None:
    service = FakeService("freedesktop", up=False)
    said: list[str] = []
    notifier = CompositeNotifier(BannerNotifier(host.banner, host.window), pool=pool)
    notifier.limited.connect(said.append)
    notifier.use_service(service)
    assert service.probes == 0  # nothing is probed until the tray is settled

    notifier.notify("Early", "before the desktop is known")  # banner only, meanwhile
    assert service.shown == []
    with qtbot.waitSignal(notifier.changed, timeout=5000):
        notifier.set_tray(None)
    qtbot.waitUntil(lambda: notifier.decided, timeout=5000)

    assert service.probes == 1
    assert notifier.channels() == ("banner", "freedesktop")
    notifier.notify("Take a real break", "Acme <script>&")
    assert service.shown == [("Take a real break", "Acme <script>&", False)]
    assert said == []
    notifier.close()
    assert service.closed


def test_a_service_that_does_not_answer_leaves_the_banner_and_says_so_once(
    qtbot: QtBot, host: Host, pool: QThreadPool
) -> None:
    service = FakeService("freedesktop", up=False, answers=False)
    notifier = CompositeNotifier(BannerNotifier(host.banner, host.window), pool=pool)

    with qtbot.waitSignal(notifier.limited, timeout=5000) as said:
        notifier.use_service(service)
        notifier.set_tray(None)

    assert said.args == [NO_DESKTOP]
    assert notifier.channels() == ("banner",)
    notifier.notify("Time to reflect", "Acme")
    assert service.shown == []


def test_a_tray_icon_without_a_system_tray_falls_back(
    qtbot: QtBot, host: Host, alerts: list[tuple[QWidget, int]]
) -> None:
    # The offscreen platform has no system tray, as many Linux desktops do not.
    tray = TrayIcon.create_later(host.window)
    said: list[str] = []
    with qtbot.waitSignal(tray.ready, timeout=2000) as ready:
        notifier = choose_notifier(host.window, host.banner, tray=tray, on_limited=said.append)
        assert said == []  # not settled before the tray is built

    assert ready.args == [False]
    assert not tray.is_shown
    assert said == [NO_DESKTOP]
    assert notifier.channels() == ("banner",)


# --------------------------------------------------------------------------- desktop channels


class FakeSystemTray:
    """Stands in for a shown QSystemTrayIcon; records its messages."""

    def __init__(self, visible: bool = True) -> None:
        self.visible = visible
        self.messages: list[tuple[str, str, object, int]] = []

    def isVisible(self) -> bool:
        return self.visible

    def showMessage(self, title: str, body: str, icon: object, msecs: int) -> None:
        self.messages.append((title, body, icon, msecs))


@pytest.mark.parametrize(("escape", "shown"), [
    (True, "Acme &lt;b&gt;x&lt;/b&gt;&lt;img src=x&gt;"),
    (False, f"Acme {HOSTILE}"),
])
def test_tray_messages_escape_the_body_where_it_may_be_markup(escape: bool, shown: str) -> None:
    system_tray = FakeSystemTray()
    tray = TrayNotifier(system_tray, escape_body=escape)  # type: ignore[arg-type]

    tray.notify(f"Time to reflect {HOSTILE}", f"Acme {HOSTILE}")

    (title, body, _icon, _msecs), = system_tray.messages
    assert title == f"Time to reflect {HOSTILE}"
    assert body == shown


def test_a_hidden_tray_icon_shows_nothing() -> None:
    system_tray = FakeSystemTray(visible=False)
    tray = TrayNotifier(system_tray)  # type: ignore[arg-type]

    tray.notify("Time to reflect", "Acme")

    assert tray.channels() == ()
    assert system_tray.messages == []


def test_markup_escape() -> None:
    assert markup_escape("Acme <script>&") == "Acme &lt;script&gt;&amp;"
    assert markup_escape("\"quoted\" 'single'") == "&quot;quoted&quot; &#x27;single&#x27;"
    assert markup_escape("plain") == "plain"


def test_freedesktop_probe_without_a_session_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    service = FreedesktopNotifier(probe_timeout_s=1.0, call_timeout_s=1.0)
    try:
        assert service.probe() is False
        assert service.channels() == ()
        service.notify("Time to reflect", "Acme")  # queued; fails quietly in the worker
        assert service.flush(10.0)
    finally:
        service.close()
    service.notify("After close", "ignored")  # closed: nothing is queued any more
    assert service.flush(0.0)


def test_freedesktop_probe_with_a_bus_that_is_gone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    service = FreedesktopNotifier(probe_timeout_s=1.0)
    try:
        assert service.probe() is False
        assert service.available is False
    finally:
        service.close()


def test_importing_the_notifier_does_not_load_jeepney() -> None:
    code = (
        "import sys, interview_journal.ui.notifier as n; n.default_service(); "
        "print('jeepney' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "False"


def test_default_service_matches_the_platform() -> None:
    service = notifier_module.default_service()
    try:
        if sys.platform in ("win32", "darwin"):
            assert service is None
        else:
            assert isinstance(service, FreedesktopNotifier)
            assert service.available is None  # not probed yet
    finally:
        if service is not None:
            service.close()

