"""One app per data folder: the lock, the hand-over to the first instance, and coming forward."""

from __future__ import annotations

import json
import logging
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, Qt, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core.commands import ReflectRequest
from interview_journal.core.errors import StorageError
from interview_journal.ui import instance
from interview_journal.ui.instance import SingleInstance, bring_to_front

SECRET = "Acme-secret-note"

# A separate app on a data folder: prints READY once it holds the folder (BUSY if it does not),
# then one JSON line per hand-over it receives, until it is killed.
CHILD = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from interview_journal.ui.instance import SingleInstance

app = QCoreApplication([])
single = SingleInstance(Path(sys.argv[1]))
single.message_received.connect(lambda message: print(json.dumps(message), flush=True))
print("READY" if single.acquire() else "BUSY", flush=True)
sys.exit(app.exec())
"""


@pytest.fixture
def first(data_dir: Path) -> Iterator[SingleInstance]:
    """The first instance on the test's data folder, released after the test."""
    single = SingleInstance(data_dir)
    assert single.acquire()
    yield single
    single.release()


@pytest.fixture
def child_env() -> dict[str, str]:
    """The environment for a child app: offscreen and this test run's private runtime folder."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_RUNTIME_DIR"] = os.environ["XDG_RUNTIME_DIR"]
    return env


def _spawn_child(folder: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _read_line(proc: subprocess.Popen[str], timeout_s: float = 20.0) -> str:
    """The child's next stdout line, failing the test instead of hanging if none comes."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout_s):
            pytest.fail("the child app printed nothing in time")
    return proc.stdout.readline().strip()


def _kill(proc: subprocess.Popen[str]) -> str:
    """SIGKILL the child, reap it (no zombie left) and return what it wrote to stderr."""
    proc.send_signal(signal.SIGKILL)
    _stdout, stderr = proc.communicate()
    return stderr


def _raw_client(name: str) -> QLocalSocket:
    """A bare client connected to the server ``name``, to send it anything at all."""
    client = QLocalSocket()
    client.connectToServer(name)
    assert client.waitForConnected(2000)
    return client


# --- naming ------------------------------------------------------------------------------------


def test_server_name_is_per_folder_and_stable_across_paths_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    link = tmp_path / "link"
    link.symlink_to(folder)

    name = SingleInstance.server_name(folder)

    assert name == SingleInstance.server_name(tmp_path / "x" / ".." / "data")
    assert name == SingleInstance.server_name(link)
    assert name != SingleInstance.server_name(tmp_path / "other")
    assert name.startswith("interview-journal-")
    assert len(name) == len("interview-journal-") + 24


def test_server_name_includes_the_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = SingleInstance.server_name(tmp_path)
    monkeypatch.setattr(instance, "_user_id", lambda: "someone-else")
    assert SingleInstance.server_name(tmp_path) != mine


# --- lock and hand-over within one process ------------------------------------------------------


def test_second_instance_hands_over_argv_cwd_and_token(
    qtbot: QtBot, first: SingleInstance, data_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_ACTIVATION_TOKEN", "token-123")
    second = SingleInstance(data_dir)
    assert not second.acquire()

    argv = ["reflect", "--company", "Ünïcode & Co\nLtd", "--role", ""]
    with qtbot.waitSignal(first.message_received, timeout=3000) as blocker:
        assert second.send(argv)

    assert blocker.args == [
        {"version": 1, "argv": argv, "cwd": str(tmp_path), "activation_token": "token-123"}
    ]
    assert (data_dir / instance.LOCK_FILE).exists()
    assert first.is_listening


def test_acquire_creates_a_private_data_folder(first: SingleInstance, data_dir: Path) -> None:
    assert data_dir.is_dir()
    assert (data_dir.stat().st_mode & 0o777) == 0o700
    assert first.acquire()  # idempotent while held


def test_different_folders_do_not_collide(qtbot: QtBot, tmp_path: Path) -> None:
    one, two = SingleInstance(tmp_path / "one"), SingleInstance(tmp_path / "two")
    try:
        assert one.acquire()
        assert two.acquire()
        with (
            qtbot.assertNotEmitted(one.message_received),
            qtbot.waitSignal(two.message_received, timeout=3000) as blocker,
        ):
            assert SingleInstance(tmp_path / "two").send(["for-two"])
        assert blocker.args[0]["argv"] == ["for-two"]
    finally:
        one.release()
        two.release()


def test_release_lets_another_acquire(qtbot: QtBot, data_dir: Path) -> None:
    old = SingleInstance(data_dir)
    assert old.acquire()
    old.release()
    old.release()  # idempotent

    assert not (data_dir / instance.LOCK_FILE).exists()
    assert not SingleInstance(data_dir).send(["nobody-listens"], timeout_ms=200)

    new = SingleInstance(data_dir)
    try:
        assert new.acquire()
        with qtbot.waitSignal(new.message_received, timeout=3000):
            assert SingleInstance(data_dir).send(["hello"])
    finally:
        new.release()


def test_send_waits_for_a_first_instance_that_is_still_starting(
    qtbot: QtBot, data_dir: Path
) -> None:
    late = SingleInstance(data_dir)
    QTimer.singleShot(150, late.acquire)  # fires inside send()'s event loop, mid-retry
    try:
        with qtbot.waitSignal(late.message_received, timeout=3000) as blocker:
            assert SingleInstance(data_dir).send(["early"], timeout_ms=3000)
        assert blocker.args[0]["argv"] == ["early"]
    finally:
        late.release()


def test_hand_over_sent_before_the_first_listens_is_delivered_once_it_listens(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As the app starts: the folder is taken before the window, listening follows its paint.
    first = SingleInstance(data_dir)
    assert first.acquire(listen=False)
    try:
        assert not first.is_listening
        second = SingleInstance(data_dir)
        assert not second.acquire()
        listening_at_attempt: list[bool] = []
        connect = instance._HandOver._connect

        def record_attempt(hand_over: instance._HandOver) -> None:
            listening_at_attempt.append(first.is_listening)
            connect(hand_over)

        monkeypatch.setattr(instance._HandOver, "_connect", record_attempt)
        QTimer.singleShot(0, first.listen)  # runs once send() waits in its event loop

        with qtbot.waitSignal(first.message_received, timeout=3000) as blocker:
            assert second.send(["reflect", "--company", "Acme"])

        assert blocker.args[0]["argv"] == ["reflect", "--company", "Acme"]
        assert listening_at_attempt[0] is False  # sent before the first listened
        assert listening_at_attempt[-1] is True
        assert first.listen()  # idempotent
    finally:
        first.release()
    assert not first.is_listening


def test_listen_needs_the_data_folder(data_dir: Path) -> None:
    with pytest.raises(RuntimeError):
        SingleInstance(data_dir).listen()


def test_send_fails_when_nobody_listens(qtbot: QtBot, data_dir: Path) -> None:
    assert not SingleInstance(data_dir).send(["x"], timeout_ms=150)


def test_send_refuses_a_socket_owned_by_another_user(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    second = SingleInstance(data_dir)
    squatter = Path(QDir.tempPath()) / SingleInstance.server_name(data_dir)
    squatter.write_text("")
    try:
        owner = squatter.stat().st_uid
        monkeypatch.setattr(instance.os, "getuid", lambda: owner + 1)
        with caplog.at_level(logging.WARNING, logger=instance.__name__):
            assert not second.send([SECRET], timeout_ms=1000)
    finally:
        squatter.unlink()
    assert "another user" in caplog.text
    assert SECRET not in caplog.text


def test_acquire_raises_storage_error_when_the_folder_cannot_exist(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(StorageError):
        SingleInstance(blocker / "data").acquire()


def test_too_long_command_line_is_not_sent(first: SingleInstance, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(first.message_received):
        assert not SingleInstance(Path("unused")).send(["x" * instance.MAX_MESSAGE_BYTES])


# --- malformed messages --------------------------------------------------------------------------

_GOOD = {"version": 1, "argv": [SECRET], "cwd": "/", "activation_token": ""}


def _json_line(**changes: object) -> bytes:
    message: dict[str, object] = {**_GOOD, **changes}
    return json.dumps(message).encode() + b"\n"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(f"not json {SECRET}\n".encode(), id="not-json"),
        pytest.param(f'["{SECRET}"]\n'.encode(), id="not-an-object"),
        pytest.param(_json_line(version=2), id="other-version"),
        pytest.param(_json_line(version=True), id="bool-version"),
        pytest.param(_json_line(argv=SECRET), id="argv-not-a-list"),
        pytest.param(_json_line(argv=[SECRET, 3]), id="argv-not-strings"),
        pytest.param(_json_line(cwd=None), id="cwd-not-a-string"),
        pytest.param(
            json.dumps({k: v for k, v in _GOOD.items() if k != "activation_token"}).encode()
            + b"\n",
            id="missing-key",
        ),
        pytest.param(b'{"version": 1, "argv": ["\\ud800"], "cwd": "", "activation_token": ""}\n',
                     id="lone-surrogate"),
        pytest.param(_json_line().replace(b"Acme", b"\xff\xfe"), id="not-utf8"),
        pytest.param(b"[" * 60_000 + b"\n", id="deeply-nested"),
        pytest.param(SECRET.encode() * 5000, id="oversized-no-newline"),
        pytest.param(_json_line(argv=[SECRET * 5000]), id="oversized-with-newline"),
        pytest.param(_json_line(command=SECRET), id="command-not-an-object"),
        pytest.param(_json_line(command={"company": SECRET}), id="command-without-a-name"),
        pytest.param(_json_line(command={"command": "reflect", "company": [SECRET]}),
                     id="company-not-text"),
        pytest.param(_json_line(command={"command": "reflect", "role": 3}), id="role-not-text"),
        pytest.param(
            b'{"version": 1, "argv": [], "cwd": "", "activation_token": "", '
            b'"command": {"command": "reflect", "company": "\\ud800"}}\n',
            id="command-lone-surrogate",
        ),
    ],
)
def test_malformed_message_is_dropped_without_reply_or_emit(
    qtbot: QtBot, first: SingleInstance, data_dir: Path, payload: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = _raw_client(SingleInstance.server_name(data_dir))
    with (
        caplog.at_level(logging.INFO, logger=instance.__name__),
        qtbot.assertNotEmitted(first.message_received),
        qtbot.waitSignal(client.disconnected, timeout=3000),
    ):
        client.write(payload)
    assert bytes(client.readAll().data()) == b""
    assert "Ignored a hand-over message" in caplog.text
    assert SECRET not in caplog.text
    assert "\\ud800" not in caplog.text

    # The server survives and still takes a good message.
    with qtbot.waitSignal(first.message_received, timeout=3000):
        assert SingleInstance(data_dir).send(["after"])


def test_client_that_closes_mid_message_is_ignored(
    qtbot: QtBot, first: SingleInstance, data_dir: Path
) -> None:
    client = _raw_client(SingleInstance.server_name(data_dir))
    client.write(_json_line().rstrip(b"\n"))
    assert client.waitForBytesWritten(1000)
    with qtbot.assertNotEmitted(first.message_received, wait=100):
        client.disconnectFromServer()
    with qtbot.waitSignal(first.message_received, timeout=3000):
        assert SingleInstance(data_dir).send(["after"])


def test_silent_client_is_dropped(
    qtbot: QtBot, first: SingleInstance, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(instance, "_IDLE_TIMEOUT_MS", 100)
    client = _raw_client(SingleInstance.server_name(data_dir))
    with (
        qtbot.assertNotEmitted(first.message_received),
        qtbot.waitSignal(client.disconnected, timeout=3000),
    ):
        pass


def test_message_round_trip() -> None:
    argv = ["reflect", "--company", 'quote " back\\slash \n newline', "bad-\udcff-byte"]
    line = instance.encode_message(argv, "/home/me", "tok")
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1
    assert instance.parse_message(line[:-1]) == {
        "version": 1,
        "argv": [*argv[:3], "bad-\ufffd-byte"],
        "cwd": "/home/me",
        "activation_token": "tok",
    }
    assert instance.parse_message(_json_line(extra="ignored")[:-1]) == _GOOD


def test_a_request_travels_as_data_and_arrives_as_the_same_request() -> None:
    request = ReflectRequest(company='Ünï "Co"\n\udcff', role=None)
    line = instance.encode_message(["reflect", "--company=whatever"], "/", "", request)
    wire = json.loads(line)
    assert wire["command"] == {"command": "reflect", "company": 'Ünï "Co"\n\ufffd', "role": None}
    parsed = instance.parse_message(line[:-1])
    assert parsed is not None
    # Only the request counts: the argv beside it is never parsed again.
    assert parsed["command"] == ReflectRequest(company='Ünï "Co"\n\ufffd', role=None)
    assert "command" not in instance.parse_message(instance.encode_message([], "", "")[:-1])
    assert instance.parse_message(_json_line(command=None)[:-1]) == _GOOD


def test_a_command_this_version_does_not_know_only_brings_the_window_forward() -> None:
    line = _json_line(command={"command": "export", "to": "/tmp"})
    assert instance.parse_message(line[:-1]) == _GOOD


def test_a_request_is_handed_over_with_the_command_line(
    qtbot: QtBot, first: SingleInstance, data_dir: Path
) -> None:
    request = ReflectRequest(company="Acme", role="SRE")
    with qtbot.waitSignal(first.message_received, timeout=3000) as blocker:
        assert SingleInstance(data_dir).send(["reflect"], request=request)
    assert blocker.args[0]["command"] == request
    assert blocker.args[0]["argv"] == ["reflect"]


# --- other processes ----------------------------------------------------------------------------


def test_lock_of_a_killed_app_is_taken_over_at_once(
    qtbot: QtBot, data_dir: Path, child_env: dict[str, str]
) -> None:
    with _spawn_child(data_dir, child_env) as child:
        assert _read_line(child) == "READY"
        socket_file = Path(QDir.tempPath()) / SingleInstance.server_name(data_dir)
        assert socket_file.exists()
        stderr = _kill(child)
    assert stderr == ""
    assert (data_dir / instance.LOCK_FILE).exists()  # left behind by the killed app
    assert socket_file.exists()  # so is its socket file

    heir = SingleInstance(data_dir)
    try:
        assert heir.acquire()  # no waiting: tryLock(0) already sees the holder is gone
        assert heir.is_listening
        with qtbot.waitSignal(heir.message_received, timeout=3000) as blocker:
            assert SingleInstance(data_dir).send(["after-crash"])
        assert blocker.args[0]["argv"] == ["after-crash"]
    finally:
        heir.release()


def test_live_app_keeps_its_lock_however_old_and_takes_hand_overs(
    qtbot: QtBot,
    data_dir: Path,
    child_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    with _spawn_child(data_dir, child_env) as child:
        try:
            assert _read_line(child) == "READY"
            # Older than Qt's stale-lock age: only the holder being alive protects it now.
            lock_file = data_dir / instance.LOCK_FILE
            an_hour_ago = lock_file.stat().st_mtime - 3600
            os.utime(lock_file, (an_hour_ago, an_hour_ago))

            second = SingleInstance(data_dir)
            assert not second.acquire()
            assert second.send(["reflect", "--company", "Acme"])
            assert json.loads(_read_line(child)) == {
                "version": 1,
                "argv": ["reflect", "--company", "Acme"],
                "cwd": str(tmp_path),
                "activation_token": os.environ.get("XDG_ACTIVATION_TOKEN", ""),
            }
            assert lock_file.exists()
        finally:
            stderr = _kill(child)
            QLocalServer.removeServer(SingleInstance.server_name(data_dir))  # the child's socket
    assert stderr == ""


# --- coming forward ------------------------------------------------------------------------------

_OFFSCREEN_RAISE = r"This plugin does not support raise\(\)"  # the offscreen platform cannot


@pytest.mark.qt_log_ignore(_OFFSCREEN_RAISE)
def test_bring_to_front_restores_a_minimized_window_keeping_it_maximized(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_ACTIVATION_TOKEN", raising=False)
    window = QWidget()
    qtbot.addWidget(window)
    window.showMaximized()
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)

    bring_to_front(window, "token-not-for-this-platform")

    assert not window.isMinimized()
    assert window.windowState() & Qt.WindowState.WindowMaximized
    assert window.isVisible()
    assert "XDG_ACTIVATION_TOKEN" not in os.environ  # only Wayland uses it


@pytest.mark.qt_log_ignore(_OFFSCREEN_RAISE)
def test_bring_to_front_hands_the_token_to_wayland(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_ACTIVATION_TOKEN", raising=False)
    monkeypatch.setattr(instance, "_is_wayland", lambda: True)
    window = QWidget()
    qtbot.addWidget(window)
    window.hide()

    bring_to_front(window, "token-123")

    assert os.environ["XDG_ACTIVATION_TOKEN"] == "token-123"
    assert window.isVisible()
