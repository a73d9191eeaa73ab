"""Delivering reminders: an in-window banner always, plus the desktop's own notifications.

``Notifier`` is the seam the rest of the app talks to: ``notify()`` and ``channels()`` (what it
can reach right now). The implementations:

- ``BannerNotifier`` (in ``banner.py``, built with the window): the in-window
  ``NotificationBanner`` plus ``QApplication.alert``. Always available, and the only one that
  carries action buttons (Start, Snooze, Skip).
- ``TrayNotifier``: ``QSystemTrayIcon.showMessage`` where a system tray exists.
- ``FreedesktopNotifier``: ``org.freedesktop.Notifications`` on the session bus, for Linux
  desktops without a tray. PySide6's QtDBus cannot send that call's uint32 arguments, so this
  uses jeepney, imported on first use. Every D-Bus call runs on one worker thread with a
  timeout: the GUI thread only queues work and never waits for the bus.
- ``CompositeNotifier``: the banner and the alert always; additionally the tray where there is
  one, else the notification service where the probe found it. Where there is neither it says
  so once, and still works.

Everything shown is plain text. Labels are set to ``Qt.PlainText``; where a desktop may render
markup (freedesktop notification bodies, and Linux tray messages, which Qt forwards to the
same service) the body is escaped. The summary of a freedesktop notification is plain text by
specification and is sent as it is.
"""

from __future__ import annotations

import html
import logging
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent import futures
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from interview_journal import DESKTOP_ID, DISPLAY_NAME
from interview_journal.ui.banner import BannerNotifier, NotificationAction, NotificationBanner

if TYPE_CHECKING:
    from interview_journal.ui.tray import TrayIcon

log = logging.getLogger(__name__)

TRAY = "tray"
FREEDESKTOP = "freedesktop"

# Desktops whose trays and notification servers may render markup in message bodies.
_MARKUP_DESKTOP = sys.platform not in ("win32", "darwin")


class Notifier(Protocol):
    """Something that can put a reminder in front of the user."""

    def notify(
        self,
        title: str,
        body: str,
        *,
        urgent: bool = False,
        actions: Sequence[NotificationAction] = (),
    ) -> None:
        """Show ``title`` and ``body`` (plain text). Only the banner shows ``actions``."""

    def channels(self) -> tuple[str, ...]:
        """The channels this notifier reaches right now (``"banner"``, ``"tray"``,
        ``"freedesktop"``); empty when it reaches nothing."""


class ServiceNotifier(Notifier, Protocol):
    """A notifier that must be probed (off the GUI thread) before it is worth using."""

    def probe(self) -> bool:
        """Whether the service answers; blocking, so call it from a worker."""

    def close(self) -> None:
        """Release the connection and the worker."""


def markup_escape(text: str) -> str:
    """``text`` with ``& < > " '`` escaped, so a server that renders markup shows it literally."""
    return html.escape(text, quote=True)


def _dbus_text(text: str) -> str:
    """``text`` as D-Bus can carry it: no NUL, and lone surrogates replaced (valid UTF-8)."""
    return text.replace("\0", "").encode("utf-8", "replace").decode("utf-8")


# --------------------------------------------------------------------------- notifiers


class TrayNotifier:
    """Shows reminders as the system tray icon's messages.

    On Linux the message is forwarded by Qt to the notification service, whose body may be
    rendered as markup (and a StatusNotifier tooltip shows it too), so the body is escaped
    there. Windows and macOS show it as plain text and get it unchanged.
    """

    def __init__(
        self,
        tray: QSystemTrayIcon,
        *,
        escape_body: bool = _MARKUP_DESKTOP,
        timeout_ms: int = 15_000,
    ) -> None:
        self._tray = tray
        self._escape_body = escape_body
        self._timeout_ms = timeout_ms

    def notify(
        self,
        title: str,
        body: str,
        *,
        urgent: bool = False,
        actions: Sequence[NotificationAction] = (),
    ) -> None:
        """Show a tray message; ``actions`` are left to the banner (clicking opens the window)."""
        if not self.channels():
            return
        icon = (
            QSystemTrayIcon.MessageIcon.Warning
            if urgent
            else QSystemTrayIcon.MessageIcon.Information
        )
        text = markup_escape(body) if self._escape_body else body
        self._tray.showMessage(title, text, icon, self._timeout_ms)

    def channels(self) -> tuple[str, ...]:
        """The tray, while its icon is shown and the platform can show messages."""
        if self._tray.isVisible() and QSystemTrayIcon.supportsMessages():
            return (TRAY,)
        return ()


class FreedesktopNotifier:
    """A client of the desktop notification service (``org.freedesktop.Notifications``).

    ``probe()`` (blocking: run it in a worker) finds out whether the service answers.
    ``notify()`` only queues the call; one worker thread owns the connection and makes each
    call with a timeout. Each notification replaces the previous one, as the banner does, so
    the desktop never piles up stale reminders. Failures are logged by type only (the text is
    the user's) and never raised.
    """

    SERVICE = "org.freedesktop.Notifications"
    PATH = "/org/freedesktop/Notifications"
    NOTIFY_SIGNATURE = "susssasa{sv}i"

    def __init__(
        self,
        *,
        app_name: str = DISPLAY_NAME,
        app_icon: str = DESKTOP_ID,
        desktop_entry: str = DESKTOP_ID,
        call_timeout_s: float = 2.0,
        probe_timeout_s: float = 5.0,
    ) -> None:
        self._app_name = app_name
        self._app_icon = app_icon
        self._desktop_entry = desktop_entry
        self._call_timeout_s = call_timeout_s
        self._probe_timeout_s = probe_timeout_s
        # Held for every use of the connection: the worker sends, a probe may run elsewhere.
        self._lock = threading.Lock()
        self._connection: Any = None  # jeepney's DBusConnection, opened on first use
        self._executor: futures.ThreadPoolExecutor | None = None
        self._pending: set[futures.Future[None]] = set()
        self._pending_lock = threading.Lock()
        self._available: bool | None = None
        self._server: tuple[str, ...] = ()
        self._capabilities: tuple[str, ...] = ()
        self._last_id = 0
        self._closed = False

    @property
    def available(self) -> bool | None:
        """What the last probe found; None before any probe."""
        return self._available

    @property
    def server(self) -> tuple[str, ...]:
        """The server's name, vendor, version and spec version, as the probe found them."""
        return self._server

    @property
    def capabilities(self) -> tuple[str, ...]:
        """The server's capabilities (``body``, ``body-markup``, ``actions`` …) from the probe."""
        return self._capabilities

    def channels(self) -> tuple[str, ...]:
        """The notification service, once a probe found that it answers."""
        return (FREEDESKTOP,) if self._available else ()

    def probe(self) -> bool:
        """Whether a notification service answers on the session bus. Blocks up to the probe
        timeout (a service that is D-Bus activatable gets started), so call it from a worker."""
        try:
            with self._lock:
                server = self._call("GetServerInformation", None, (), self._probe_timeout_s)
                capabilities = self._call("GetCapabilities", None, (), self._probe_timeout_s)
        except Exception as error:  # any failure of bus or server only means "not available"
            log.info("no desktop notification service (%s)", type(error).__name__)
            self._available = False
            return False
        self._server = tuple(str(part) for part in server)
        self._capabilities = tuple(str(c) for c in capabilities[0]) if capabilities else ()
        self._available = True
        log.info("desktop notification service: %s", " ".join(self._server[:3]))
        return True

    def notify(
        self,
        title: str,
        body: str,
        *,
        urgent: bool = False,
        actions: Sequence[NotificationAction] = (),
    ) -> None:
        """Queue a notification; returns at once. ``actions`` are left to the banner."""
        if self._closed:
            return
        if self._executor is None:
            self._executor = futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="ij-notifications"
            )
        future = self._executor.submit(self._send, title, body, urgent)
        with self._pending_lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def flush(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for queued notifications to be handed over; True if done.

        For tests and shutdown only: never call it on the GUI thread with a long timeout.
        """
        with self._pending_lock:
            pending = list(self._pending)
        _, not_done = futures.wait(pending, timeout=timeout_s)
        return not not_done

    def close(self) -> None:
        """Deliver what is queued (each call bounded by its timeout), then disconnect."""
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        with self._lock:
            self._disconnect()

    # Runs on the worker thread.
    def _send(self, title: str, body: str, urgent: bool) -> None:
        hints = {
            "desktop-entry": ("s", self._desktop_entry),
            "urgency": ("y", 2 if urgent else 1),
        }
        arguments: tuple[Any, ...] = (
            self._app_name,
            self._last_id,
            self._app_icon,
            _dbus_text(title),  # the summary is plain text by specification
            markup_escape(_dbus_text(body)),
            [],
            hints,
            -1,  # the server's default expiry
        )
        try:
            with self._lock:
                reply = self._call(
                    "Notify", self.NOTIFY_SIGNATURE, arguments, self._call_timeout_s
                )
        except Exception as error:  # a lost desktop popup must not break the app
            log.warning("could not show a desktop notification (%s)", type(error).__name__)
            return
        self._last_id = int(reply[0])

    def _forget(self, future: futures.Future[None]) -> None:
        with self._pending_lock:
            self._pending.discard(future)

    def _call(
        self, method: str, signature: str | None, body: tuple[Any, ...], timeout_s: float
    ) -> tuple[Any, ...]:
        """One method call on the service (hold ``_lock``). A connection that broke since the
        last call is reopened once; a timeout is not retried."""
        from jeepney import (  # type: ignore[import-untyped]  # jeepney ships no type hints
            DBusAddress,
            DBusErrorResponse,
            MessageType,
            new_method_call,
        )
        from jeepney.io.blocking import (  # type: ignore[import-untyped]  # as above
            open_dbus_connection,
        )

        address = DBusAddress(self.PATH, bus_name=self.SERVICE, interface=self.SERVICE)
        message = new_method_call(address, method, signature, body)
        for attempt in range(2):
            if self._connection is None:
                self._connection = open_dbus_connection(bus="SESSION", auth_timeout=timeout_s)
            try:
                reply = self._connection.send_and_get_reply(message, timeout=timeout_s)
            except TimeoutError:
                raise
            except OSError:
                self._disconnect()
                if attempt:
                    raise
                continue
            break
        if reply.header.message_type == MessageType.error:
            raise DBusErrorResponse(reply)
        return tuple(reply.body)

    def _disconnect(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()


def default_service() -> FreedesktopNotifier | None:
    """The desktop notification client where desktops have that service (Linux and the BSDs);
    None on Windows and macOS, where the tray is the desktop's channel. Loads no D-Bus code."""
    return FreedesktopNotifier() if _MARKUP_DESKTOP else None


# --------------------------------------------------------------------------- the composite


class CompositeNotifier(QObject):
    """Banner and alert always; plus the tray where there is one, else the notification service.

    What the desktop offers becomes known once the journal shows: the tray icon is created on
    the GUI thread, then (only if there is no tray) the service is probed in a worker. Until
    then reminders go to the banner alone. If the desktop turns out to have neither, the
    ``limited`` signal carries ``NO_DESKTOP_MESSAGE`` once and ``limitation`` keeps it.
    """

    limited = Signal(str)
    changed = Signal()
    _probe_finished = Signal(bool)  # from the probe worker, queued to the GUI thread

    def __init__(
        self,
        banner: Notifier,
        *,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._banner = banner
        self._pool = pool
        self._tray: Notifier | None = None
        self._tray_known = False
        self._tray_icon: TrayIcon | None = None
        self._service: Notifier | None = None
        self._service_known = False
        self._candidate: ServiceNotifier | None = None
        self._probing = False
        self._limitation: str | None = None
        self._probe_finished.connect(self._on_probe_finished)

    @property
    def no_desktop_message(self) -> str:
        """What the app says once when reminders can only show inside the window."""
        return self.tr(
            "Reminders will only show inside the window: this desktop has neither a system "
            "tray nor a notification service."
        )

    @property
    def limitation(self) -> str | None:
        """The one-time message, once it is known that the desktop offers no channel."""
        return self._limitation

    @property
    def decided(self) -> bool:
        """Whether it is settled which desktop channel (if any) reminders use."""
        tray_ready = self._tray_known and self._tray is not None and bool(self._tray.channels())
        return tray_ready or (self._tray_known and self._service_known)

    def channels(self) -> tuple[str, ...]:
        """The banner, plus the desktop channel in use (tray or freedesktop), if any."""
        desktop = self._desktop()
        return self._banner.channels() + (desktop.channels() if desktop is not None else ())

    def notify(
        self,
        title: str,
        body: str,
        *,
        urgent: bool = False,
        actions: Sequence[NotificationAction] = (),
    ) -> None:
        """Show the reminder in the banner (with ``actions``) and on the desktop's channel."""
        self._banner.notify(title, body, urgent=urgent, actions=actions)
        desktop = self._desktop()
        if desktop is not None:
            desktop.notify(title, body, urgent=urgent)

    # ----------------------------------------------------------------- what the desktop has

    def use_tray(self, tray: TrayIcon | None) -> None:
        """Use ``tray``'s icon for messages once it is built (None: this app has no tray)."""
        if tray is None:
            self.set_tray(None)
            return
        self._tray_icon = tray
        if tray.is_built:
            self._on_tray_ready(tray.is_shown)
        else:
            tray.ready.connect(self._on_tray_ready)

    def use_service(self, service: ServiceNotifier | None) -> None:
        """Fall back to ``service`` where there is no tray, once a probe in a worker finds it
        answering (None: no such service on this platform)."""
        if service is None:
            self.set_service(None)
            return
        self._candidate = service
        self._advance()

    def set_tray(self, tray: Notifier | None) -> None:
        """Settle the tray channel: ``tray``, or None when there is no tray."""
        self._tray = tray
        self._tray_known = True
        self._advance()

    def set_service(self, service: Notifier | None) -> None:
        """Settle the service channel: ``service``, or None when there is no service."""
        self._service = service
        self._service_known = True
        self._advance()

    def close(self) -> None:
        """Release the notification service's connection and worker."""
        if self._candidate is not None:
            self._candidate.close()

    def _desktop(self) -> Notifier | None:
        if self._tray is not None and self._tray.channels():
            return self._tray
        if self._service is not None and self._service.channels():
            return self._service
        return None

    def _advance(self) -> None:
        tray_usable = self._tray is not None and bool(self._tray.channels())
        if (
            self._tray_known
            and not tray_usable
            and not self._service_known
            and self._candidate is not None
            and not self._probing
        ):
            self._start_probe(self._candidate)
        if self.decided and self._desktop() is None and self._limitation is None:
            self._limitation = self.no_desktop_message
            log.info("no system tray and no notification service: banner only")
            self.limited.emit(self._limitation)
        self.changed.emit()

    def _start_probe(self, service: ServiceNotifier) -> None:
        self._probing = True
        finished = self._probe_finished

        def work() -> None:
            available = service.probe()
            try:
                finished.emit(available)
            except RuntimeError:  # the app quit and deleted this object meanwhile
                log.info("notification probe finished after shutdown")

        (self._pool or QThreadPool.globalInstance()).start(work)

    @Slot(bool)
    def _on_probe_finished(self, available: bool) -> None:
        self._probing = False
        self.set_service(self._candidate if available else None)

    @Slot(bool)
    def _on_tray_ready(self, shown: bool) -> None:
        tray = self._tray_icon
        system_tray = tray.system_tray if tray is not None else None
        self.set_tray(TrayNotifier(system_tray) if shown and system_tray is not None else None)


def choose_notifier(
    window: QWidget,
    banner: NotificationBanner,
    *,
    tray: TrayIcon | None = None,
    service: ServiceNotifier | None = None,
    on_limited: Callable[[str], None] | None = None,
    pool: QThreadPool | None = None,
) -> CompositeNotifier:
    """The app's notifier: ``banner`` in ``window`` always, plus ``tray`` once it is built
    where the desktop has a tray, else ``service`` (see ``default_service()``) once a probe in
    a worker finds it. ``on_limited`` gets the one-time "inside the window only" message."""
    notifier = CompositeNotifier(BannerNotifier(banner, window), pool=pool, parent=window)
    if on_limited is not None:
        notifier.limited.connect(on_limited)
    notifier.use_service(service)
    notifier.use_tray(tray)
    return notifier
