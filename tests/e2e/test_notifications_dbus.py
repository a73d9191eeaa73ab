"""Desktop notifications on a real, private session bus.

Each test starts its own bus with ``dbus-run-session`` (a configuration with no service
files, so nothing on this machine can be activated in it) running ``notification_recorder.py``,
a stand-in ``org.freedesktop.Notifications`` server that prints every ``Notify`` it receives.
``FreedesktopNotifier`` runs in this process with ``DBUS_SESSION_BUS_ADDRESS`` pointed at
that bus. Waits are bounded reads of the recorder's stdout; nothing sleeps.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from interview_journal import DESKTOP_ID, DISPLAY_NAME
from interview_journal.ui.notifier import FreedesktopNotifier

RECORDER = Path(__file__).with_name("notification_recorder.py")
LINE_TIMEOUT_S = 20.0
EXIT_TIMEOUT_S = 10.0

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def _dbus_tools() -> str:
    """``dbus-run-session``'s path; skips the test where D-Bus is not installed."""
    runner = shutil.which("dbus-run-session")
    if runner is None or shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-run-session / dbus-daemon are not installed (CI installs 'dbus')")
    return runner


class Recorder:
    """The recorder running on its own bus; its stdout read as JSON lines with deadlines."""

    def __init__(self, folder: Path, *args: str) -> None:
        runner = _dbus_tools()
        config = folder / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket=folder / "bus"), encoding="utf-8")
        self.stderr_path = folder / "recorder.stderr"
        env = {k: v for k, v in os.environ.items() if not k.startswith("DBUS_")}
        with self.stderr_path.open("wb") as stderr:
            # Its own process group, so the bus daemon can be killed with it if need be.
            self.proc = subprocess.Popen(
                [runner, f"--config-file={config}", "--", sys.executable, str(RECORDER), *args],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env,
                bufsize=0, start_new_session=True,
            )
        assert self.proc.stdout is not None
        self._fd = self.proc.stdout.fileno()
        self._buffer = b""
        ready = self.record()
        assert ready.get("ready") is True, ready
        self.address: str = ready["address"]

    def record(self, timeout_s: float = LINE_TIMEOUT_S) -> dict[str, Any]:
        """The next JSON line; fails the test if none arrives within ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            readable = select.select([self._fd], [], [], max(0.0, left))[0] if left > 0 else []
            chunk = os.read(self._fd, 65536) if readable else b""
            if not chunk:
                self.close()
                pytest.fail(
                    f"no line from the notification recorder in {timeout_s} s\n"
                    + self.stderr_path.read_text(encoding="utf-8", errors="replace")
                )
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        record: dict[str, Any] = json.loads(line)
        return record

    def close(self) -> None:
        """End the recorder (closing its stdin ends it and then its bus); kill what remains."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            self.proc.wait(EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(EXIT_TIMEOUT_S)
        with suppress(ProcessLookupError):  # a bus daemon that outlived dbus-run-session
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture
def bus_folder() -> Iterator[Path]:
    """A short private folder for the bus socket (unix socket paths are limited to ~100
    bytes, which pytest's tmp_path can exceed)."""
    folder = Path(tempfile.mkdtemp(prefix="ij-bus-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _start(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Recorder:
    recorder = Recorder(folder, *args)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", recorder.address)
    return recorder


@pytest.fixture
def recorder(bus_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """A notification server on a private session bus that this process now uses."""
    started = _start(bus_folder, monkeypatch)
    yield started
    started.close()


@pytest.fixture
def empty_bus(bus_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """A private session bus with no notification server on it."""
    started = _start(bus_folder, monkeypatch, "--idle")
    yield started
    started.close()


@pytest.fixture
def notifier() -> Iterator[FreedesktopNotifier]:
    """The app's freedesktop client, closed after the test (its worker thread ends)."""
    made = FreedesktopNotifier()
    yield made
    made.close()


def test_reminders_reach_the_notification_server_with_escaped_bodies(
    recorder: Recorder, notifier: FreedesktopNotifier
) -> None:
    assert notifier.probe() is True
    assert notifier.channels() == ("freedesktop",)
    assert notifier.server[0] == "ij-recorder"
    assert "body-markup" in notifier.capabilities

    notifier.notify(
        "Time to reflect",
        "Your interview at Acme <script>& just ended. Write it down while it is fresh.",
        urgent=True,
    )
    notifier.notify("Take a real break", 'Acme <script>& is done: "step away" for 15 minutes.')
    assert notifier.flush(LINE_TIMEOUT_S)

    first = recorder.record()
    second = recorder.record()
    assert first["summary"] == "Time to reflect"
    assert first["body"] == (
        "Your interview at Acme &lt;script&gt;&amp; just ended. "
        "Write it down while it is fresh."
    )
    assert second["summary"] == "Take a real break"
    assert second["body"] == (
        "Acme &lt;script&gt;&amp; is done: &quot;step away&quot; for 15 minutes."
    )
    for record in (first, second):
        assert record["signature"] == "susssasa{sv}i"
        assert record["app_name"] == DISPLAY_NAME
        assert record["app_icon"] == DESKTOP_ID
        assert record["actions"] == []
        assert record["hints"]["desktop-entry"] == DESKTOP_ID
        assert record["hint_signatures"] == {"desktop-entry": "s", "urgency": "y"}
        assert record["expire_timeout"] == -1
    assert first["hints"]["urgency"] == 2  # urgent: critical
    assert second["hints"]["urgency"] == 1  # normal
    # The break replaces the reflection reminder instead of piling up beside it.
    assert first["replaces_id"] == 0
    assert second["replaces_id"] == first["id"]


def test_summary_stays_plain_text_as_the_specification_says(
    recorder: Recorder, notifier: FreedesktopNotifier
) -> None:
    notifier.notify("Time to reflect: R&D <team>", "")
    assert notifier.flush(LINE_TIMEOUT_S)

    record = recorder.record()
    assert record["summary"] == "Time to reflect: R&D <team>"
    assert record["body"] == ""


def test_probe_is_false_on_a_bus_without_the_service(
    empty_bus: Recorder, notifier: FreedesktopNotifier
) -> None:
    assert notifier.probe() is False
    assert notifier.available is False
    assert notifier.channels() == ()
    # Sending anyway neither raises nor hangs.
    notifier.notify("Time to reflect", "Acme")
    assert notifier.flush(LINE_TIMEOUT_S)
