"""Helpers for the tests that run the real app in child processes.

Children run offscreen with their own home, config, state, cache and runtime folders, so
QSettings and logs never touch the real user's files. Their stdout is read line by line with
deadlines (never a sleep); their stderr goes to a file that the tests search for tracebacks.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest

from interview_journal import APP_NAME
from interview_journal.core import paths
from interview_journal.core.journal import TEXT_SECTIONS

CHILD = Path(__file__).with_name("app_child.py")
# Another program writing: takes the journal's write lock, says LOCKED, holds it until a line
# arrives on stdin, then commits and says RELEASED.
LOCKER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
conn.execute("BEGIN IMMEDIATE")
print("LOCKED", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
print("RELEASED", flush=True)
"""
LINE_TIMEOUT_S = 30.0
EXIT_TIMEOUT_S = 30.0


def make_env(root: Path) -> dict[str, str]:
    """An environment for a child app whose every per-user folder lies under ``root``.

    The child reaches no display and no session bus of the real user: its tray and
    notifications find no desktop, as on CI.
    """
    left_out = (paths.ENV_DATA_DIR, "HOME", "DISPLAY", "WAYLAND_DISPLAY")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "QT_", "DBUS_")) and key not in left_out
    }
    env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={root / 'no-session-bus'}"
    folders = {
        "HOME": "home",
        "XDG_CONFIG_HOME": "config",
        "XDG_STATE_HOME": "state",
        "XDG_CACHE_HOME": "cache",
        "XDG_DATA_HOME": "share",
        "XDG_RUNTIME_DIR": "runtime",
    }
    for key, name in folders.items():
        folder = root / name
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)  # Qt warns about a runtime folder that is not 0700
        env[key] = str(folder)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONFAULTHANDLER"] = "1"
    return env


def log_file(env: dict[str, str]) -> Path:
    """Where a child with ``env`` writes its log (platformdirs' user log folder on Linux)."""
    return Path(env["XDG_STATE_HOME"]) / APP_NAME / "log" / "interview-journal.log"


def installed(name: str) -> str:
    """The path of an installed script of this environment (beside its python), else PATH's."""
    beside = Path(sys.executable).with_name(name)
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"the {name} command is not installed in this environment")
    return found


class Child:
    """A child process with its stdout read as lines (with deadlines) and stderr in a file."""

    def __init__(
        self,
        args: Sequence[str],
        env: dict[str, str],
        stderr_path: Path,
        *,
        stdin: bool = False,
    ) -> None:
        self.args = list(args)
        self.stderr_path = stderr_path
        with stderr_path.open("wb") as stderr:
            self.proc = subprocess.Popen(
                self.args,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=env,
                bufsize=0,
            )
        assert self.proc.stdout is not None
        self._fd = self.proc.stdout.fileno()
        self._buffer = b""
        self._eof = False

    @classmethod
    def driver(
        cls, mode: str, folder: Path, seed: int, env: dict[str, str], stderr: Path, *extra: str
    ) -> Child:
        """The app driven from inside by ``app_child.py`` in ``mode``."""
        args = [sys.executable, str(CHILD), mode, str(folder), str(seed), *extra]
        return cls(args, env, stderr)

    @classmethod
    def locker(cls, folder: Path, env: dict[str, str], stderr: Path) -> Child:
        """A process that holds the journal's write lock until told to let go (``tell``)."""
        args = [sys.executable, "-c", LOCKER, str(paths.journal_path(folder))]
        child = cls(args, env, stderr, stdin=True)
        child.expect("LOCKED")
        return child

    def release(self) -> None:
        """Tell a locker to commit, and wait until it has."""
        self.tell("release")
        self.expect("RELEASED")
        assert self.wait() == 0, self.stderr()
        self.assert_no_traceback()

    def tell(self, text: str) -> None:
        """Write a line to the child's stdin (a child started with ``stdin=True``)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def _fill(self, timeout_s: float) -> None:
        """Read what is there, waiting at most ``timeout_s`` for something to arrive."""
        if self._eof:
            return
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout_s))
        if ready:
            chunk = os.read(self._fd, 65536)
            self._eof = not chunk
            self._buffer += chunk

    def line(self, timeout_s: float = LINE_TIMEOUT_S) -> str | None:
        """The next whole line (without its newline); None at end of output.

        Fails the test, showing stderr, if no line arrives within ``timeout_s``.
        """
        deadline = time.monotonic() + timeout_s
        while b"\n" not in self._buffer and not self._eof:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                pytest.fail(f"no line from {self.args} in {timeout_s} s\n{self.stderr()}")
            self._fill(left)
        if b"\n" not in self._buffer:
            return None
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode("utf-8")

    def lines_for(self, seconds: float) -> list[str]:
        """Every whole line that arrives within ``seconds`` (the wait is on the pipe)."""
        deadline = time.monotonic() + seconds
        lines = []
        while (left := deadline - time.monotonic()) > 0 and not self._eof:
            self._fill(left)
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                lines.append(line.decode("utf-8"))
        return lines

    def expect(self, prefix: str, timeout_s: float = LINE_TIMEOUT_S) -> str:
        """The next line, which must start with ``prefix``."""
        line = self.line(timeout_s)
        if line is None or not line.startswith(prefix):
            self.kill()
            pytest.fail(f"expected {prefix!r} from {self.args}, got {line!r}\n{self.stderr()}")
        return line

    def kill(self) -> list[str]:
        """SIGKILL the child, reap it and return the whole lines it printed before dying."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(EXIT_TIMEOUT_S)
        return self.rest()

    def rest(self) -> list[str]:
        """The remaining whole lines once the child has exited (a cut-off last line is not)."""
        deadline = time.monotonic() + EXIT_TIMEOUT_S
        while not self._eof:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"the output of {self.args} did not end (a process kept it open)")
            self._fill(left)
        lines = [line.decode("utf-8") for line in self._buffer.split(b"\n")[:-1]]
        self._buffer = b""
        return lines

    def wait(self, timeout_s: float = EXIT_TIMEOUT_S) -> int:
        """The exit code, failing the test (and killing the child) if it does not exit."""
        try:
            return self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"{self.args} did not exit within {timeout_s} s\n{self.stderr()}")

    def stderr(self) -> str:
        """What the child wrote to stderr so far."""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def assert_no_traceback(self) -> None:
        """Fail if the child printed a Python traceback or a fatal error."""
        text = self.stderr()
        assert "Traceback" not in text, text
        assert "Fatal Python error" not in text, text

    def close(self) -> None:
        """Make sure the child is gone (test teardown)."""
        if self.proc.poll() is None:
            self.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


@dataclass(frozen=True)
class Stored:
    """What a plain sqlite3 reader finds in a journal file."""

    integrity: list[str]  # PRAGMA integrity_check: ["ok"] when whole
    search: str  # the search index's own integrity-check: "ok", the error, or "absent"
    texts: dict[str, dict[str, str]]  # interview uuid -> section -> text


def read_journal(folder: Path) -> Stored:
    """Check and read the journal with plain sqlite3, as a separate program would.

    The file is opened read-only, so closing does not checkpoint: the next app start replays
    the WAL itself. The search index's integrity-check writes, so it runs on a copy made with
    SQLite's backup API (copying the file with Python would close a descriptor on it, which
    drops every POSIX lock this process holds there, the in-process window's included).
    """
    journal = paths.journal_path(folder)
    with closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True, timeout=10)) as conn:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        columns = ", ".join(TEXT_SECTIONS)
        rows = conn.execute(f"SELECT uuid, {columns} FROM interview").fetchall()
        has_index = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'search_index'"
        ).fetchone()
        search = _check_search_index(conn) if has_index else "absent"
    texts = {
        str(UUID(row[0])): dict(zip(TEXT_SECTIONS, row[1:], strict=True)) for row in rows
    }
    return Stored(integrity, search, texts)


def _check_search_index(conn: sqlite3.Connection) -> str:
    """FTS5's integrity-check of the search index, run on an in-memory copy of the journal."""
    with closing(sqlite3.connect(":memory:")) as copy:
        conn.backup(copy)
        try:
            copy.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as error:
            return str(error)
    return "ok"
