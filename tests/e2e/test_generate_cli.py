"""The installed command: ``generate`` writes a sample journal; ``--demo`` opens a throwaway one.

``generate`` must refuse a folder that already holds a journal with anything in it, changing
nothing. ``--demo`` is launched as a user would (offscreen here), in an environment whose home,
config, state, cache and temporary folders all point into the test's folder, so the test sees
exactly what the demo leaves behind: after SIGTERM, nothing of the journal.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from interview_journal import cli
from interview_journal.core import paths
from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal

from .app_support import installed

EXIT_OK, EXIT_USAGE = 0, 2
JOURNAL = paths.JOURNAL_FILE


COMMAND = [installed("interview-journal")]
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run the command; the data folder variable points at a folder that must stay unused."""
    env = {k: v for k, v in os.environ.items() if k != paths.ENV_DATA_DIR}
    env[paths.ENV_DATA_DIR] = str(tmp_path / "unused-env-folder")

    def _run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*COMMAND, *args],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return _run


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its SHA-256."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _query(folder: Path, sql: str) -> list[tuple[object, ...]]:
    uri = paths.journal_path(folder).absolute().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return list(conn.execute(sql))


def _one_error_line(result: subprocess.CompletedProcess[str], message: str) -> None:
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr
    assert message in errors[0]
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- generate


def test_generate_writes_a_small_journal_that_passes_check(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"

    result = run("--data-dir", str(folder), "generate", "--size", "small", "--seed", "3")

    assert result.returncode == EXIT_OK, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [JOURNAL]  # nothing else left over
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Generated a small journal (seed 3) in {folder} in ")
    assert "8 companies, 25 interviews" in lines[0]
    assert _query(folder, "SELECT COUNT(*) FROM interview") == [(25,)]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / JOURNAL).stat().st_mode) == 0o600
    assert not (tmp_path / "unused-env-folder").exists()

    check = run("--data-dir", str(folder), "check")
    assert check.returncode == EXIT_OK, check.stdout + check.stderr
    assert "Integrity: ok" in check.stdout.splitlines()
    assert any(line.startswith("Pending updates: none") for line in check.stdout.splitlines())


def test_generate_gives_the_same_journal_for_the_same_seed(run: Run, tmp_path: Path) -> None:
    for name, seed in [("one", "3"), ("two", "3"), ("other", "4")]:
        result = run("--data-dir", str(tmp_path / name), "generate", "--size", "small",
                     "--seed", seed)
        assert result.returncode == EXIT_OK, result.stderr
    # Dates follow the clock; the rest (names, questions, answers) follows the seed alone.
    sql = [
        "SELECT name FROM company ORDER BY id",
        "SELECT role, stage, format, outcome, went_well FROM interview ORDER BY id",
        "SELECT question, answer, next_time, practise FROM question ORDER BY id",
    ]
    for query in sql:
        assert _query(tmp_path / "one", query) == _query(tmp_path / "two", query)
    assert _query(tmp_path / "one", sql[0]) != _query(tmp_path / "other", sql[0])


def test_generate_refuses_a_folder_that_holds_a_journal(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with Journal.open(folder, clock=FakeClock()) as journal:
        journal.create_company("Acme")
    before = _snapshot(folder)

    result = run("--data-dir", str(folder), "generate", "--size", "small")

    assert result.returncode == EXIT_USAGE
    assert result.stdout == ""
    _one_error_line(result, f"{folder} already holds a journal")
    assert result.stderr.count("\n") == 1
    assert _snapshot(folder) == before


def test_generate_refuses_a_journal_that_is_open_elsewhere(run: Run, tmp_path: Path) -> None:
    # The new company is only in the write-ahead log while the journal is open.
    folder = tmp_path / "data"
    with Journal.open(folder, clock=FakeClock()) as journal:
        journal.create_company("Acme")
        assert (folder / f"{JOURNAL}-wal").stat().st_size > 0

        result = run("--data-dir", str(folder), "generate", "--size", "small")

        assert result.returncode == EXIT_USAGE
        _one_error_line(result, "already holds a journal")
        assert [c.name for c in journal.companies()] == ["Acme"]


def test_generate_refuses_a_journal_file_it_cannot_read(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / JOURNAL).write_bytes(b"These are my notes, not a database.\n" * 200)
    before = _snapshot(folder)

    result = run("--data-dir", str(folder), "generate", "--size", "small")

    assert result.returncode == EXIT_USAGE
    _one_error_line(result, "cannot be read")
    assert _snapshot(folder) == before


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_generate_leaves_no_journal_behind(
    qtbot: QtBot, tmp_path: Path, stop: signal.Signals
) -> None:
    folder = tmp_path / "data"
    child = subprocess.Popen(
        [*COMMAND, "--data-dir", str(folder), "generate", "--size", "heavy"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Halfway: the journal being written exists, hidden in the data folder.
        qtbot.waitUntil(lambda: any(folder.glob(f".generating-*/{JOURNAL}")), timeout=30_000)
        child.send_signal(stop)
        _out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    assert child.returncode == 1, err
    assert "Traceback" not in err
    assert list(folder.iterdir()) == []  # no journal, whole or partial, and no hidden folder


def test_generate_fills_a_journal_that_has_nothing_in_it_yet(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    Journal.open(folder, clock=FakeClock()).close()  # the app was opened once, then closed

    result = run("--data-dir", str(folder), "generate", "--size", "small")

    assert result.returncode == EXIT_OK, result.stderr
    assert _query(folder, "SELECT COUNT(*) FROM company") == [(8,)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate"], "the following arguments are required: --size"),
        (["generate", "--size", "huge"], "invalid choice: 'huge'"),
        (["generate", "--size", "small", "--seed", "x"], "invalid int value: 'x'"),
        (["--demo", "check"], "--demo opens the app; it cannot be used with check"),
        (["--demo", "generate", "--size", "small"], "cannot be used with generate"),
    ],
)
def test_bad_usage_exits_2_and_creates_nothing(
    run: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    folder = tmp_path / "data"
    result = run("--data-dir", str(folder), *args)
    assert result.returncode == EXIT_USAGE
    assert result.stdout == ""
    _one_error_line(result, message)
    assert not folder.exists()
    assert not (tmp_path / "unused-env-folder").exists()


# --------------------------------------------------------------------------- --demo


class Demo:
    """A launched ``interview-journal --demo`` and the private folders it was given."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path
        self.folders = {
            name: tmp_path / name for name in ("home", "config", "state", "cache", "data", "tmp")
        }
        for folder in self.folders.values():
            folder.mkdir()
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700)
        runtime.chmod(0o700)  # Qt warns about a runtime folder anyone else can read
        self.tmp = self.folders["tmp"]
        self.given = tmp_path / "given-data-dir"
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in (paths.ENV_DATA_DIR, "DBUS_SESSION_BUS_ADDRESS", "XDG_ACTIVATION_TOKEN")
        }
        env.update(
            QT_QPA_PLATFORM="offscreen",
            XDG_RUNTIME_DIR=str(runtime),
            HOME=str(self.folders["home"]),
            XDG_CONFIG_HOME=str(self.folders["config"]),
            XDG_STATE_HOME=str(self.folders["state"]),
            XDG_CACHE_HOME=str(self.folders["cache"]),
            XDG_DATA_HOME=str(self.folders["data"]),
            TMPDIR=str(self.tmp),
        )
        env[paths.ENV_DATA_DIR] = str(tmp_path / "env-data-dir")
        self.stderr_path = tmp_path / "stderr.txt"
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(
                [*COMMAND, "--data-dir", str(self.given), "--demo"],
                env=env,
                cwd=tmp_path,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def demo_folders(self) -> list[Path]:
        return [p for p in self.tmp.iterdir() if p.name.startswith(cli.DEMO_PREFIX)]

    def journal_ready(self) -> bool:
        return any((p / JOURNAL).exists() for p in self.demo_folders())

    def window_started(self) -> bool:
        logs = list(self.folders["state"].rglob("interview-journal.log"))
        return any(
            f"(pid {self.process.pid})" in log.read_text(encoding="utf-8", errors="replace")
            for log in logs
        )

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
        """Poll ``condition`` while the demo runs; fail if it exits first or takes too long."""
        deadline = time.monotonic() + timeout
        while not condition():
            try:
                code = self.process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                if time.monotonic() > deadline:
                    pytest.fail(f"no {what} after {timeout} s; stderr:\n{self.stderr}")
                continue
            pytest.fail(f"the demo exited ({code}) before {what}; stderr:\n{self.stderr}")

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def journal_files_left(self) -> list[Path]:
        return [p for p in self.root.rglob(f"{JOURNAL}*")]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    """``interview-journal --demo`` started; killed after the test if it is still running."""
    launched = Demo(tmp_path)
    yield launched
    if launched.process.poll() is None:
        launched.process.kill()
        launched.process.wait(timeout=30)


def test_demo_opens_a_throwaway_journal_and_leaves_nothing_behind(demo: Demo) -> None:
    demo.wait_until(demo.journal_ready, "demo journal")
    demo.wait_until(demo.window_started, "window")
    (folder,) = demo.demo_folders()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert _query(folder, "SELECT COUNT(*) FROM company") == [(8,)]

    code = demo.terminate()

    assert code == EXIT_OK, demo.stderr
    assert "Traceback" not in demo.stderr
    # The demo folder is gone, and nothing else was left in the temporary folder.
    assert list(demo.tmp.iterdir()) == []
    assert demo.journal_files_left() == []
    # It said it ignores the data folder it was given, and never created one.
    assert f"the data folder {demo.given} is not used" in demo.stderr
    assert not demo.given.exists()
    assert not (demo.root / "env-data-dir").exists()
    assert list(demo.folders["data"].iterdir()) == []
    # Logs are the normal ones.
    assert list(demo.folders["state"].rglob("interview-journal.log"))


def test_demo_cleans_up_when_terminated_while_it_is_being_set_up(demo: Demo) -> None:
    demo.wait_until(lambda: bool(demo.demo_folders()), "demo folder")

    code = demo.terminate()

    assert code == EXIT_OK, demo.stderr
    assert "Traceback" not in demo.stderr
    assert demo.demo_folders() == []
    assert demo.journal_files_left() == []


# --------------------------------------------------------------------------- full disk

# Inside a private mount namespace (gone, with its tmpfs, when the shell exits): mount a
# small tmpfs, generate into it, and report what is left there, read as it is.
ON_SMALL_DISK = r"""
mount -t tmpfs -o size="$1" tmpfs "$2" || exit 97
"$3" --data-dir "$2/data" generate --size small >"$4/stdout" 2>"$4/stderr"
echo $? >"$4/code"
"$5" -c "$6" "$2/data" >"$4/left"
"""
REPORT_LEFT = r"""
import json, sqlite3, sys
from pathlib import Path
folder = Path(sys.argv[1])
files = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
integrity = None
if (folder / "journal.sqlite3").exists():
    uri = (folder / "journal.sqlite3").as_uri() + "?immutable=1"
    try:
        integrity = [row[0] for row in sqlite3.connect(uri, uri=True).execute(
            "PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        integrity = [str(error)]
print(json.dumps({"files": files, "integrity": integrity}))
"""


def _small_disk_run(tmp_path: Path, size: str) -> subprocess.CompletedProcess[str]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir(exist_ok=True)
    return subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", ON_SMALL_DISK, "sh", size,
         str(mount_point), COMMAND[0], str(tmp_path), sys.executable, REPORT_LEFT],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def small_disks(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip unless this machine lets the tests mount a tmpfs in a private namespace."""
    probe = tmp_path_factory.mktemp("probe")
    try:
        done = subprocess.run(
            ["unshare", "--mount", "--map-root-user", "sh", "-c",
             'mount -t tmpfs -o size=1m tmpfs "$1"', "sh", str(probe)],
            capture_output=True, timeout=30, check=False,
        )
    except FileNotFoundError:
        pytest.skip("unshare is not installed")
    if done.returncode != 0:
        pytest.skip("no private tmpfs mounts here (needs user or mount namespaces)")


# 2 MB is where the last checkpoint of a small journal ran out of room (the case);
# around it the disk fills while writing, or just before or after the final checkpoint.
@pytest.mark.parametrize("size", ["1600k", "1800k", "2m", "2200k", "2400k", "3m"])
@pytest.mark.usefixtures("small_disks")
def test_generate_on_a_full_disk_fails_with_nothing_left_or_succeeds_whole(
    tmp_path: Path, size: str
) -> None:
    done = _small_disk_run(tmp_path, size)
    assert done.returncode == 0, done.stderr

    code = int((tmp_path / "code").read_text())
    stdout = (tmp_path / "stdout").read_text()
    stderr = (tmp_path / "stderr").read_text()
    left = json.loads((tmp_path / "left").read_text())
    assert "Traceback" not in stderr
    if code == EXIT_OK:  # it fitted: then the journal is whole, on its own
        assert left == {"files": [JOURNAL], "integrity": ["ok"]}, stderr
        assert stdout.startswith("Generated a small journal")
    else:
        assert code == 1, stderr
        assert left["files"] == [], left  # no journal, whole or partial, no hidden folder
        assert stdout == ""
        errors = [line for line in stderr.splitlines() if "error:" in line]
        assert len(errors) == 1, stderr
        assert "disk is full" in errors[0]


# --------------------------------------------------------------------------- in the way


def test_generate_into_a_file_exits_2_with_one_line(run: Run, tmp_path: Path) -> None:
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("my notes", encoding="utf-8")

    for folder in (in_the_way, in_the_way / "data"):
        result = run("--data-dir", str(folder), "generate", "--size", "small")

        assert result.returncode == EXIT_USAGE, result.stderr
        _one_error_line(result, f"{in_the_way} is a file, not a folder")
    assert in_the_way.read_text(encoding="utf-8") == "my notes"


def test_generate_into_a_dangling_link_exits_2_with_one_line(run: Run, tmp_path: Path) -> None:
    link = tmp_path / "data"
    link.symlink_to(tmp_path / "gone")
    folder = tmp_path / "real"
    folder.mkdir()
    (folder / JOURNAL).symlink_to(tmp_path / "gone.sqlite3")

    result = run("--data-dir", str(link), "generate", "--size", "small")
    assert result.returncode == EXIT_USAGE, result.stderr
    _one_error_line(result, f"{link} is a link to {tmp_path / 'gone'}, which does not exist")

    result = run("--data-dir", str(folder), "generate", "--size", "small")
    assert result.returncode == EXIT_USAGE, result.stderr
    _one_error_line(result, f"{folder / JOURNAL} is a link to")

    assert not (tmp_path / "gone").exists()
    assert not (tmp_path / "gone.sqlite3").exists()
