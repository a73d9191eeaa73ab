"""One running app per data folder, and handing a second launch's command line to it.

The first launch takes a ``QLockFile`` named ``instance.lock`` in the data folder, so a second
app never opens the same journal, and then listens on a ``QLocalServer``. The app takes the lock
before it builds its window but listens only once the window shows the journal, so that
QtNetwork (imported only to listen or to hand over) does not delay it. A later launch on the
same folder fails to take the lock, connects, hands over its command line and exits; the first
emits ``message_received`` so its window can come forward (``bring_to_front``) and act on the
command (for example ``reflect``). While the first holds the lock but does not listen yet, the
later launch retries connecting every 50 ms for up to 2 s, so a command given during the
first's start-up is delivered once it listens.

A lock left behind by a killed app is taken over at once: Qt treats a lock whose process is
gone (or whose PID now belongs to another program, or which predates the last boot) as stale.
The default stale-lock age (30 s) is kept on purpose: it also frees a lock whose PID was reused
by an unrelated process of the same name, while a live holder keeps its lock however old it is,
because the lock file is ``flock``-ed (Unix) or held open (Windows) for as long as it lives.

Hand-over protocol, version 1
-----------------------------
The server name is ``interview-journal-`` followed by the first 24 hex digits of the SHA-256 of
the resolved data folder path and the user id (the numeric uid where there is one, else the user
name). On Unix it is a socket file of that name in the temporary folder (``$TMPDIR`` or
``/tmp``), on Windows a named pipe; only the same user may connect. A launch refuses to hand
over to a socket file owned by another user.

A second launch connects and writes exactly one message: one JSON object, UTF-8, terminated by a
single ``"\\n"`` (JSON escapes any newline inside a string), at most 65536 bytes including the
newline::

    {"version": 1, "argv": ["reflect", "--company", "Acme"], "cwd": "/home/me",
     "activation_token": "", "command": {"command": "reflect", "company": "Acme", "role": null}}

- ``version``: the integer 1.
- ``argv``: the launch's command-line arguments as strings, as given to ``SingleInstance.send``
  (bytes that are not UTF-8 arrive as U+FFFD). Informative only: nobody parses it again.
- ``cwd``: the launch's working folder, to resolve relative paths in ``argv`` ("" if unknown).
- ``activation_token``: the ``XDG_ACTIVATION_TOKEN`` the launch was started with, or "". On
  Wayland the first instance needs it to be allowed to raise its window.
- ``command`` (optional; absent or null when the launch asked for no command): what the
  launch's command line asked for, as its argparse read it
  (``core.commands.ReflectRequest.to_message()``): ``{"command": "reflect", "company": text
  or null, "role": text or null}``. A command name this version does not know is ignored
  (the window only comes to the front). Parsed, it arrives as a ``ReflectRequest``.

Other keys are ignored. The first instance handles the message (emits
``message_received``), replies ``ok\\n`` and closes the connection. A message that is too long,
not UTF-8, not a JSON object, of another version or with a wrong type, and a client that stays
silent for 5 s, are logged without their content and the connection is closed with no reply.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NotRequired, TypedDict

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QDir,
    QEventLoop,
    QLockFile,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from interview_journal.core import paths
from interview_journal.core.commands import ReflectRequest, request_from_message
from interview_journal.core.errors import StorageError

if TYPE_CHECKING:  # imported where a server or a client is made (see the module docstring)
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 64 * 1024
REPLY_OK = b"ok\n"
LOCK_FILE = paths.INSTANCE_LOCK_FILE  # core.paths.app_holds reads it
ENV_ACTIVATION_TOKEN = "XDG_ACTIVATION_TOKEN"

_SERVER_PREFIX = "interview-journal-"
_DIGEST_CHARS = 24  # short enough for macOS's 104-byte socket paths under its long $TMPDIR
_IDLE_TIMEOUT_MS = 5000
_RETRY_MS = 50
_MAX_CONNECTIONS = 8
_MAX_REPLY_BYTES = 64


class HandOverMessage(TypedDict):
    """A parsed hand-over message (the module docstring describes each key); ``command`` is
    there only when the launch handed over a request this version knows."""

    version: int
    argv: list[str]
    cwd: str
    activation_token: str
    command: NotRequired[ReflectRequest]


def encode_message(
    argv: list[str], cwd: str, activation_token: str, request: ReflectRequest | None = None
) -> bytes:
    """The wire form of a hand-over message: one JSON object and a newline, UTF-8."""
    message: dict[str, object] = {
        "version": PROTOCOL_VERSION,
        "argv": [_utf8_safe(arg) for arg in argv],
        "cwd": _utf8_safe(cwd),
        "activation_token": _utf8_safe(activation_token),
    }
    if request is not None:
        message["command"] = {
            key: None if value is None else _utf8_safe(value)
            for key, value in request.to_message().items()
        }
    return json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"


def parse_message(line: bytes) -> HandOverMessage | None:
    """The message in ``line`` (without its newline), or None if it is not a valid version 1."""
    if len(line) >= MAX_MESSAGE_BYTES:
        return None
    try:
        data = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    version = data.get("version")
    argv = data.get("argv")
    cwd = data.get("cwd")
    token = data.get("activation_token")
    # bool is an int subclass: "version": true is not version 1.
    if type(version) is not int or version != PROTOCOL_VERSION:
        return None
    if not isinstance(argv, list) or not all(isinstance(arg, str) for arg in argv):
        return None
    if not isinstance(cwd, str) or not isinstance(token, str):
        return None
    try:
        request = request_from_message(data.get("command"))
    except ValueError:
        return None
    strings = [*argv, cwd, token]
    if request is not None:
        strings.extend(text for text in (request.company, request.role) if text is not None)
    if not all(_is_encodable(text) for text in strings):  # lone surrogates from "\ud800"
        return None
    message = HandOverMessage(version=version, argv=list(argv), cwd=cwd, activation_token=token)
    if request is not None:
        message["command"] = request
    return message


def bring_to_front(window: QWidget, activation_token: str) -> None:
    """Show ``window``, raise it and ask for focus, as a second launch expects.

    On Wayland a window may only take focus with the activation token its launcher gave the
    second launch; Qt's Wayland plugin reads ``XDG_ACTIVATION_TOKEN`` when the window asks to be
    activated and then unsets it. Elsewhere the token is not used. Where the window manager
    refuses to raise the window, ``QApplication.alert`` at least marks it as wanting attention.
    """
    if activation_token and _is_wayland():
        os.environ[ENV_ACTIVATION_TOKEN] = activation_token
    if window.isMinimized():
        # Clearing the flag (rather than showNormal()) keeps a maximized window maximized.
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    if not window.isVisible():
        window.show()
    window.raise_()
    window.activateWindow()
    QApplication.alert(window)


class SingleInstance(QObject):
    """The lock that makes this the only app on a data folder, and the hand-over channel.

    The first instance calls ``acquire()`` (True) and keeps the object until it quits, then
    calls ``release()``; the app acquires with ``listen=False`` and calls ``listen()`` once its
    window shows the journal. A second launch's ``acquire()`` returns False; it then calls
    ``send()`` with its command line and exits. Both need a ``QCoreApplication`` (or
    ``QApplication``).
    """

    message_received = Signal(dict)
    """A second launch handed over a ``HandOverMessage``. Connected slots run before the reply
    is sent, so they should return promptly (open dialogs with ``open()``, not ``exec()``)."""

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = Path(folder)
        self._name = self.server_name(self._folder)
        self._lock = QLockFile(str(self._folder / LOCK_FILE))
        self._server: QLocalServer | None = None
        self._connections: set[_Connection] = set()

    @staticmethod
    def server_name(folder: Path) -> str:
        """The local server name for ``folder``: the same for every path to it, per user."""
        resolved = os.path.normcase(os.path.realpath(Path(folder).expanduser()))
        key = os.fsencode(resolved) + b"\0" + _user_id().encode("utf-8", "replace")
        return _SERVER_PREFIX + hashlib.sha256(key).hexdigest()[:_DIGEST_CHARS]

    @property
    def is_listening(self) -> bool:
        """Whether later launches can hand over to this one (not before ``listen()``)."""
        return self._server is not None and self._server.isListening()

    def acquire(self, *, listen: bool = True) -> bool:
        """Take the data folder: True if this is the first instance (the lock is won).

        Creates the data folder (0700) if it is missing. False means another live app holds
        the folder; call ``send()``. Also starts listening for hand-overs unless ``listen`` is
        False, in which case later launches wait (up to 2 s) until ``listen()`` is called.
        Raises ``StorageError`` if the folder or its lock file cannot be created.
        """
        if not self._lock.isLocked():
            try:
                paths.ensure_private_dir(self._folder)
            except OSError as error:
                raise StorageError(
                    f"The data folder {self._folder} cannot be created: "
                    f"{error.strerror or error}."
                ) from error
            if not self._try_lock():
                return False
        if listen:
            self.listen()
        return True

    def listen(self) -> bool:
        """Take hand-overs from later launches on this folder; True once listening.

        Needs the folder (``acquire()`` returned True). If the server cannot listen, this logs
        why later launches cannot hand over and returns False; the journal is safe all the
        same. Calling it again while listening does nothing.
        """
        if not self._lock.isLocked():
            raise RuntimeError("SingleInstance.listen() needs the data folder: acquire() it")
        if self._server is None:
            self._listen()
        return self.is_listening

    def send(
        self, argv: list[str], timeout_ms: int = 2000, *, request: ReflectRequest | None = None
    ) -> bool:
        """Hand ``argv`` and the ``request`` parsed from it to the running instance; True once
        it replied "ok".

        Retries while the first instance is still starting its server, for up to
        ``timeout_ms`` in all. Runs a local event loop, so it also works when the server lives
        in this same thread. Needs a ``QCoreApplication``.
        """
        if QCoreApplication.instance() is None:
            raise RuntimeError("SingleInstance.send() needs a QCoreApplication")
        try:
            cwd = os.getcwd()
        except OSError:  # the working folder was deleted
            cwd = ""
        payload = encode_message(
            argv, cwd, os.environ.get(ENV_ACTIVATION_TOKEN, ""), request
        )
        if len(payload) > MAX_MESSAGE_BYTES:
            log.warning(
                "The command line is too long to hand over (%d bytes, at most %d).",
                len(payload),
                MAX_MESSAGE_BYTES,
            )
            return False
        return _HandOver(self._name, payload, timeout_ms).run()

    def release(self) -> None:
        """Stop listening, drop open connections and unlock the data folder (idempotent)."""
        for connection in list(self._connections):
            connection.close()
        self._connections.clear()
        if self._server is not None:
            self._server.close()  # removes the socket file
            self._server.deleteLater()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def _try_lock(self) -> bool:
        # Qt removes a stale lock inside tryLock() (see the module docstring); a second try
        # covers a lock file that vanished between tryLock() and getLockInfo(), as Qt advises.
        for _attempt in range(2):
            if self._lock.tryLock(0):
                return True
            error = self._lock.error()
            if error != QLockFile.LockError.LockFailedError:
                reason = (
                    "permission denied"
                    if error == QLockFile.LockError.PermissionError
                    else "the disk may be full or read-only"
                )
                raise StorageError(
                    f"Interview Journal cannot lock its data folder {self._folder}: {reason}."
                )
            pid, host, _app = self._lock.getLockInfo()
            if pid > 0:
                log.info("The data folder is in use by process %d on %s.", pid, host or "?")
                return False
        return False

    def _listen(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # A killed instance leaves its socket file behind; we hold the lock, so it is not live.
        QLocalServer.removeServer(self._name)
        if not server.listen(self._name):
            log.warning(
                "Other launches cannot hand over to this one: listening on %s failed (%s).",
                self._name,
                server.errorString(),
            )
            server.deleteLater()
            return
        server.newConnection.connect(self._on_server_new_connection)
        self._server = server

    @Slot()
    def _on_server_new_connection(self) -> None:
        server = self._server
        if server is None:
            return
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()
            if len(self._connections) >= _MAX_CONNECTIONS:
                log.warning("Too many hand-over connections at once; one was dropped.")
                socket.abort()
                socket.deleteLater()
                continue
            connection = _Connection(
                socket, self._handle_message, self._forget_connection, parent=self
            )
            self._connections.add(connection)
            connection.start()

    def _handle_message(self, message: HandOverMessage) -> None:
        self.message_received.emit(message)

    def _forget_connection(self, connection: _Connection) -> None:
        self._connections.discard(connection)
        connection.deleteLater()


class _Connection(QObject):
    """The server side of one hand-over: read one bounded line, hand it on, reply, close.

    Reports to its server through plain callbacks.
    """

    def __init__(
        self,
        socket: QLocalSocket,
        on_message: Callable[[HandOverMessage], None],
        on_finished: Callable[[_Connection], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._socket = socket
        socket.setParent(self)
        self._on_message = on_message
        self._on_finished = on_finished
        self._buffer = bytearray()
        self._answered = False
        self._finished = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._on_idle_timeout)
        socket.readyRead.connect(self._on_socket_ready_read)
        socket.disconnected.connect(self._on_socket_disconnected)

    def start(self) -> None:
        """Start the idle timeout and read whatever already arrived."""
        self._idle.start(_IDLE_TIMEOUT_MS)
        if self._socket.bytesAvailable() > 0:
            self._on_socket_ready_read()

    def close(self) -> None:
        """Drop the connection without a reply."""
        self._socket.abort()
        self._finish()

    @Slot()
    def _on_socket_ready_read(self) -> None:
        if self._answered or self._finished:
            self._socket.readAll()  # one message per connection; the rest is ignored
            return
        room = MAX_MESSAGE_BYTES - len(self._buffer)
        self._buffer += self._socket.read(room).data()
        end = self._buffer.find(b"\n")
        if end < 0:
            if len(self._buffer) >= MAX_MESSAGE_BYTES:
                self._reject(f"no newline within {MAX_MESSAGE_BYTES} bytes")
            return
        message = parse_message(bytes(self._buffer[:end]))
        if message is None:
            self._reject(f"not a valid version {PROTOCOL_VERSION} message ({end} bytes)")
            return
        self._answered = True
        self._idle.stop()
        self._on_message(message)
        if self._finished:  # a slot released the server meanwhile
            return
        self._socket.write(REPLY_OK)
        self._socket.disconnectFromServer()  # flushes the reply first

    @Slot()
    def _on_idle_timeout(self) -> None:
        self._reject(f"no complete message within {_IDLE_TIMEOUT_MS} ms")

    @Slot()
    def _on_socket_disconnected(self) -> None:
        if not self._answered and not self._finished:
            log.info("A launch closed its hand-over connection before sending a whole message.")
        self._finish()

    def _reject(self, reason: str) -> None:
        log.warning("Ignored a hand-over message from another launch: %s.", reason)
        self.close()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._idle.stop()
        self._on_finished(self)


class _HandOver(QObject):
    """The client side of one hand-over, run in a local event loop with an overall deadline."""

    def __init__(self, name: str, payload: bytes, timeout_ms: int) -> None:
        from PySide6.QtNetwork import QLocalSocket

        super().__init__()
        self._name = name
        self._payload = payload
        self._deadline = QDeadlineTimer(max(0, timeout_ms))
        self._reply = bytearray()
        self._connected = False
        self._result: bool | None = None
        self._loop = QEventLoop(self)
        self._socket = QLocalSocket(self)
        # Errors meaning that the first instance holds the lock but is not listening yet.
        self._not_up_yet = (
            QLocalSocket.LocalSocketError.ServerNotFoundError,
            QLocalSocket.LocalSocketError.ConnectionRefusedError,
        )
        self._socket.connected.connect(self._on_socket_connected)
        self._socket.readyRead.connect(self._on_socket_ready_read)
        self._socket.errorOccurred.connect(self._on_socket_error_occurred)
        self._socket.disconnected.connect(self._on_socket_disconnected)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._on_timeout)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._on_retry_timeout)

    def run(self) -> bool:
        """Connect, send, wait for the reply; True on "ok"."""
        self._timeout.start(max(0, self._deadline.remainingTime()))
        self._connect()
        if self._result is None:
            self._loop.exec()
        self._timeout.stop()
        self._retry.stop()
        self._socket.abort()
        return bool(self._result)

    def _connect(self) -> None:
        owner = _socket_owner(self._name)
        if owner is not None and owner != os.getuid():
            log.warning(
                "Not handing over: the socket %s belongs to another user (uid %d).",
                self._name,
                owner,
            )
            self._finish(False)
            return
        self._socket.connectToServer(self._name)

    @Slot()
    def _on_retry_timeout(self) -> None:
        if self._result is None:
            self._connect()

    @Slot()
    def _on_timeout(self) -> None:
        if self._result is None:
            log.warning("The running app did not answer the hand-over in time.")
        self._finish(False)

    @Slot()
    def _on_socket_connected(self) -> None:
        self._connected = True
        self._socket.write(self._payload)

    @Slot()
    def _on_socket_ready_read(self) -> None:
        self._reply += self._socket.readAll().data()
        if b"\n" in self._reply:
            self._finish(self._reply.split(b"\n", 1)[0] + b"\n" == REPLY_OK)
        elif len(self._reply) > _MAX_REPLY_BYTES:
            self._finish(False)

    @Slot()  # no argument: its type would need QtNetwork when this module is imported
    def _on_socket_error_occurred(self) -> None:
        if self._result is not None:
            return
        if self._socket.bytesAvailable() > 0:
            self._on_socket_ready_read()
            if self._result is not None:
                return
        not_up_yet = self._socket.error() in self._not_up_yet
        if not self._connected and not_up_yet and self._deadline.remainingTime() > _RETRY_MS:
            self._socket.abort()
            self._retry.start(_RETRY_MS)
            return
        log.warning("Could not hand over to the running app: %s", self._socket.errorString())
        self._finish(False)

    @Slot()
    def _on_socket_disconnected(self) -> None:
        if self._result is None and self._socket.bytesAvailable() > 0:
            self._on_socket_ready_read()
        if self._result is None and self._connected:
            self._finish(False)

    def _finish(self, result: bool) -> None:
        if self._result is None:
            self._result = result
        self._loop.quit()


def _socket_owner(name: str) -> int | None:
    """The uid owning the socket file for ``name`` (None on Windows or if there is none)."""
    if not hasattr(os, "getuid"):
        return None
    try:
        return os.lstat(Path(QDir.tempPath()) / name).st_uid
    except OSError:
        return None


def _user_id() -> str:
    """The numeric user id where there is one (Unix), else the user name (Windows)."""
    if hasattr(os, "getuid"):
        return str(os.getuid())
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return os.environ.get("USERNAME", "")


def _is_wayland() -> bool:
    return QGuiApplication.platformName().startswith("wayland")


def _utf8_safe(text: str) -> str:
    """``text`` with lone surrogates (the OS's undecodable bytes) replaced by U+FFFD."""
    if _is_encodable(text):
        return text
    return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)


def _is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
