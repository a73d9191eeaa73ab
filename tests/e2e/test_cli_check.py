"""The installed ``interview-journal`` command, run as a user would: usage, ``--version``,
and ``check`` on healthy, missing, newer and damaged journals.

``check`` never writes to the journal: every test that runs it on a file compares the file's
SHA-256 before and after. SQLite's read-only connection to a WAL journal may leave an empty
``-wal`` and a ``-shm`` beside it (it cannot delete them); those hold no data and are allowed.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from interview_journal import __version__
from interview_journal.core import db as dbmod
from interview_journal.core import paths
from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal

from .app_support import installed

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_DAMAGED, EXIT_NEWER = 0, 1, 2, 4, 5
JOURNAL = paths.JOURNAL_FILE
SIDE_FILES = {f"{JOURNAL}-wal", f"{JOURNAL}-shm"}


COMMAND = [installed("interview-journal")]
MODULE = [sys.executable, "-m", "interview_journal"]
ENTRY_POINTS = pytest.mark.parametrize("entry", [COMMAND, MODULE], ids=["command", "module"])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment for the command: the data folder variable points at an unused folder."""
    environment = {k: v for k, v in os.environ.items() if k != paths.ENV_DATA_DIR}
    environment[paths.ENV_DATA_DIR] = str(tmp_path / "unused-env-folder")
    return environment


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(env: dict[str, str], tmp_path: Path) -> Run:
    """Run the command with ``args``; ``entry`` picks the script or ``python -m``."""

    def _run(*args: str, entry: list[str] = COMMAND, **extra_env: str) -> (
        subprocess.CompletedProcess[str]
    ):
        return subprocess.run(
            [*entry, *args],
            env={**env, **extra_env},
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return _run


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


def _only_journal_files(folder: Path) -> None:
    """Nothing but the journal (and SQLite's empty side files) is in the folder."""
    names = {p.name for p in folder.iterdir()}
    assert JOURNAL in names
    assert names <= {JOURNAL, *SIDE_FILES}
    wal = folder / f"{JOURNAL}-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def _make_journal(folder: Path, interviews: int = 3) -> Path:
    """A closed journal with some notes; with many interviews it spans dozens of pages."""
    with Journal.open(folder, clock=FakeClock()) as journal:
        company = journal.create_company("Acme").company
        for number in range(interviews):
            doc = journal.create_interview(company.id, role=f"Engineer {number}")
            journal.update_interview(doc.id, notes=f"interview {number} went fine. " * 80)
    return paths.journal_path(folder)


@pytest.fixture
def healthy(tmp_path: Path) -> Path:
    """The data folder of a healthy, closed journal."""
    folder = tmp_path / "data"
    _make_journal(folder)
    return folder


def _set_user_version(journal_file: Path, version: int) -> None:
    with closing(sqlite3.connect(journal_file)) as conn:
        conn.execute(f"PRAGMA user_version = {version}")


# --------------------------------------------------------------------------- usage


@ENTRY_POINTS
def test_version_prints_the_version(run: Run, entry: list[str]) -> None:
    result = run("--version", entry=entry)
    assert result.returncode == EXIT_OK
    assert result.stdout.strip() == f"interview-journal {__version__}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--frobnicate", "check"], "unrecognized arguments: --frobnicate"),
        (["check", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_usage_exits_2_with_one_error_line(
    run: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.returncode == EXIT_USAGE
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert message in errors[0]
    assert result.stdout == ""
    _no_traceback(result)
    assert not (tmp_path / "unused-env-folder").exists()


def test_unknown_user_in_data_dir_is_a_usage_error(run: Run) -> None:
    result = run("--data-dir", "~no-such-user-for-interview-journal/data", "check")
    assert result.returncode == EXIT_USAGE
    assert "cannot use the data folder" in result.stderr
    _no_traceback(result)


def test_unusable_data_dir_is_one_line_not_a_traceback(run: Run, tmp_path: Path) -> None:
    too_long = tmp_path / ("x" * 300)  # longer than any file name may be
    result = run("--data-dir", str(too_long), "check")
    assert result.returncode == EXIT_UNEXPECTED
    assert result.stderr.count("\n") == 1
    assert "cannot use the data folder" in result.stderr
    _no_traceback(result)


# --------------------------------------------------------------------------- check


def test_check_without_a_journal_says_so_and_creates_nothing(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "missing"
    result = run("check", **{paths.ENV_DATA_DIR: str(folder)})
    assert result.returncode == EXIT_OK
    assert f"No journal yet in {folder}" in result.stdout
    # check never writes: no journal appears. (If it ever creates the data folder, as other
    # headless commands do, that folder must be private and empty.)
    assert not (folder / JOURNAL).exists()
    if folder.exists():
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert list(folder.iterdir()) == []


@ENTRY_POINTS
def test_check_reports_a_healthy_journal_without_changing_it(
    run: Run, healthy: Path, entry: list[str]
) -> None:
    journal_file = healthy / JOURNAL
    before = _sha256(journal_file)

    result = run("--data-dir", str(healthy), "check", entry=entry)

    assert result.returncode == EXIT_OK, result.stderr
    latest = dbmod.latest_version()
    lines = result.stdout.splitlines()
    assert f"Journal: {journal_file}" in lines
    assert f"Schema version: {latest} (this app writes {latest})" in lines
    assert any(line.startswith("Pending updates: none") for line in lines)
    assert "Integrity: ok" in lines
    assert result.stderr == ""
    assert _sha256(journal_file) == before
    _only_journal_files(healthy)


def test_check_finds_the_journal_through_the_environment(run: Run, healthy: Path) -> None:
    result = run("check", **{paths.ENV_DATA_DIR: str(healthy)})
    assert result.returncode == EXIT_OK
    assert f"Journal: {healthy / JOURNAL}" in result.stdout.splitlines()
    assert "Integrity: ok" in result.stdout


def test_data_dir_option_beats_the_environment(
    run: Run, healthy: Path, tmp_path: Path
) -> None:
    result = run("--data-dir", str(healthy), "check", **{paths.ENV_DATA_DIR: str(tmp_path)})
    assert result.returncode == EXIT_OK
    assert f"Journal: {healthy / JOURNAL}" in result.stdout.splitlines()


def test_check_handles_a_folder_name_that_needs_quoting(run: Run, tmp_path: Path) -> None:
    # The read-only connection goes through a file: URI; these characters must be escaped.
    folder = tmp_path / "my journal #1 ?100%"
    _make_journal(folder)
    result = run("--data-dir", str(folder), "check")
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "Integrity: ok" in result.stdout


def test_check_reports_pending_updates_without_applying_them(run: Run, healthy: Path) -> None:
    # Without the tables the newest update adds, the journal is as the version before it.
    journal_file = healthy / JOURNAL
    older = dbmod.latest_version() - 1
    with closing(sqlite3.connect(journal_file)) as conn:
        for table in dbmod.schema_steps()[-1].tables:
            conn.execute(f'DROP TABLE "{table}"')
        conn.commit()
    _set_user_version(journal_file, older)
    before = _sha256(journal_file)

    result = run("--data-dir", str(healthy), "check")

    assert result.returncode == EXIT_OK, result.stdout
    assert f"Schema version: {older}" in result.stdout
    pending = [s.name for s in dbmod.migration_scripts() if s.version > older]
    assert f"Pending updates: {', '.join(pending)}" in result.stdout
    assert _sha256(journal_file) == before


@pytest.mark.parametrize(
    ("sql", "detail"),
    [
        ("PRAGMA user_version = 2", "the table timer_session of schema version 3 is there"),
        ("PRAGMA user_version = 0", "it holds tables"),
        ("PRAGMA user_version = -5", "schema version -5 is not one"),
        ("DROP TABLE question", "the table question is missing"),
        ("DROP TABLE company", "the table company is missing"),
    ],
)
def test_check_reports_tables_that_contradict_the_version_as_damage(
    run: Run, healthy: Path, sql: str, detail: str
) -> None:
    journal_file = healthy / JOURNAL
    with closing(sqlite3.connect(journal_file)) as conn:
        conn.execute("PRAGMA foreign_keys = 0")
        conn.execute(sql)
    before = _sha256(journal_file)

    result = run("--data-dir", str(healthy), "check")

    assert result.returncode == EXIT_DAMAGED, result.stdout
    assert "Integrity: damaged" in result.stdout
    assert f"  {detail}" in result.stdout
    assert "Integrity: ok" not in result.stdout
    _no_traceback(result)
    assert _sha256(journal_file) == before


def test_check_refuses_a_newer_journal_and_leaves_it(run: Run, healthy: Path) -> None:
    journal_file = healthy / JOURNAL
    newer = dbmod.latest_version() + 1
    _set_user_version(journal_file, newer)
    before = _sha256(journal_file)

    result = run("--data-dir", str(healthy), "check")

    assert result.returncode == EXIT_NEWER
    assert f"Schema version: {newer}" in result.stdout
    assert "newer version of Interview Journal" in result.stderr
    assert "Integrity" not in result.stdout
    _no_traceback(result)
    assert _sha256(journal_file) == before


# --------------------------------------------------------------------------- damage


def _garbage(_: bytes) -> bytes:
    return bytes((i * 131 + 17) % 251 for i in range(20_000))


def _text_file(_: bytes) -> bytes:
    return b"These are my notes, not a database.\n" * 400


def _truncated_half(good: bytes) -> bytes:
    return good[: len(good) // 2]


def _truncated_inside_header(good: bytes) -> bytes:
    return good[:50]


def _zeroed_header(good: bytes) -> bytes:
    return bytes(100) + good[100:]


@pytest.mark.parametrize(
    "damage",
    [_garbage, _text_file, _truncated_half, _truncated_inside_header, _zeroed_header],
)
def test_check_reports_a_damaged_file_without_a_traceback(
    run: Run, healthy: Path, damage: Callable[[bytes], bytes]
) -> None:
    journal_file = healthy / JOURNAL
    journal_file.write_bytes(damage(journal_file.read_bytes()))
    before = _sha256(journal_file)

    result = run("--data-dir", str(healthy), "check")

    assert result.returncode == EXIT_DAMAGED, result.stdout + result.stderr
    assert "Integrity: damaged" in result.stdout
    _no_traceback(result)
    assert _sha256(journal_file) == before


def test_check_treats_an_empty_file_as_a_journal_with_nothing_in_it(
    run: Run, tmp_path: Path
) -> None:
    # Decided behaviour: SQLite reads a 0-byte file as an empty database at schema 0, and the
    # app would create the tables in it, so check reports it as healthy with every update
    # pending (exit 0) rather than as damage. It must still not write to it.
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / JOURNAL).write_bytes(b"")

    result = run("--data-dir", str(folder), "check")

    assert result.returncode == EXIT_OK
    assert "Schema version: 0" in result.stdout
    assert "Pending updates: " + ", ".join(s.name for s in dbmod.migration_scripts()) in (
        result.stdout
    )
    assert "Integrity: ok" in result.stdout
    _no_traceback(result)
    assert (folder / JOURNAL).stat().st_size == 0


def test_check_finds_a_corrupted_page_in_a_closed_journal(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    journal_file = _make_journal(folder, interviews=40)
    data = bytearray(journal_file.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    pages = len(data) // page_size
    assert pages >= 20  # several pages of notes, not a toy file
    with closing(sqlite3.connect(journal_file)) as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0  # every page in use
    # Flip every byte of a page in the middle of the file. (Flipping a few bytes inside a
    # note's text would not be damage SQLite can see: integrity_check checks structure.)
    start = (pages // 2) * page_size
    data[start : start + page_size] = bytes(b ^ 0xFF for b in data[start : start + page_size])
    journal_file.write_bytes(bytes(data))
    before = _sha256(journal_file)

    result = run("--data-dir", str(folder), "check")

    assert result.returncode == EXIT_DAMAGED, result.stdout
    assert "Integrity: damaged" in result.stdout
    assert "Integrity: ok" not in result.stdout
    _no_traceback(result)
    assert _sha256(journal_file) == before


def test_check_reports_a_folder_in_place_of_the_journal_as_damage(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    (folder / JOURNAL).mkdir(parents=True)
    result = run("--data-dir", str(folder), "check")
    assert result.returncode == EXIT_DAMAGED
    _no_traceback(result)
