"""The window opens the journal after its first paint; a journal it cannot open still ends the
app with the exit code docs/architecture.md gives, says why on stderr and leaves the file as it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from interview_journal.core import db as dbmod
from interview_journal.core.journal import Journal

from .app_support import EXIT_TIMEOUT_S, installed, log_file, make_env

COMMAND = installed("interview-journal")
EXIT_DAMAGED, EXIT_NEWER = 4, 5


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The data folder of a healthy, closed journal with one company in it."""
    data = tmp_path / "data"
    with closing(Journal.open(data)) as journal:
        journal.create_company("Acme")
    return data


def _launch(folder: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    env = make_env(tmp_path / "user")
    done = subprocess.run(
        [COMMAND, "--data-dir", str(folder)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=EXIT_TIMEOUT_S,
        check=False,
    )
    return done, log_file(env).read_text(encoding="utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_journal_from_a_newer_version_ends_the_app_with_exit_5(
    folder: Path, tmp_path: Path
) -> None:
    journal_file = folder / "journal.sqlite3"
    with closing(sqlite3.connect(journal_file)) as conn:
        conn.execute(f"PRAGMA user_version = {dbmod.latest_version() + 1}")
    before = _sha256(journal_file)

    done, log = _launch(folder, tmp_path)

    assert done.returncode == EXIT_NEWER, done.stderr
    assert "error: " in done.stderr
    assert "newer version of Interview Journal" in done.stderr
    assert "Traceback" not in done.stderr
    assert "cannot start" in log
    assert _sha256(journal_file) == before


def test_a_damaged_journal_ends_the_app_with_exit_4(folder: Path, tmp_path: Path) -> None:
    journal_file = folder / "journal.sqlite3"
    journal_file.write_bytes(b"These are my notes, not a database.\n" * 400)
    before = _sha256(journal_file)

    done, _log = _launch(folder, tmp_path)

    assert done.returncode == EXIT_DAMAGED, done.stderr
    assert "error: " in done.stderr
    assert "Traceback" not in done.stderr
    assert _sha256(journal_file) == before


@pytest.mark.parametrize("version", [2, -5])
def test_a_version_the_tables_contradict_ends_the_app_with_exit_4_and_changes_nothing(
    folder: Path, tmp_path: Path, version: int
) -> None:
    journal_file = folder / "journal.sqlite3"
    with closing(sqlite3.connect(journal_file)) as conn:
        conn.execute(f"PRAGMA user_version = {version}")
    before = _sha256(journal_file)

    done, _log = _launch(folder, tmp_path)

    assert done.returncode == EXIT_DAMAGED, done.stderr
    assert done.stderr.count("error: ") == 1
    assert "does not match its schema version" in done.stderr
    assert "Traceback" not in done.stderr
    assert _sha256(journal_file) == before
    assert not (folder / "backups").exists()  # no copy for an update that was refused


def test_an_update_whose_backup_cannot_be_made_ends_the_app_with_exit_1(
    folder: Path, tmp_path: Path
) -> None:
    journal_file = folder / "journal.sqlite3"
    with closing(sqlite3.connect(journal_file)) as conn:  # as a journal before the last update
        for table in dbmod.schema_steps()[-1].tables:  # without what the last update adds
            conn.execute(f'DROP TABLE "{table}"')
        conn.execute(f"PRAGMA user_version = {dbmod.latest_version() - 1}")
    (folder / "backups").write_text("in the way", encoding="utf-8")

    done, _log = _launch(folder, tmp_path)

    assert done.returncode == 1, done.stderr
    assert "copy could not be made" in done.stderr
    assert "a file of that name is in the way" in done.stderr
    assert "Traceback" not in done.stderr
    with closing(sqlite3.connect(journal_file)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.latest_version() - 1


def test_a_journal_that_cannot_be_opened_at_all_ends_the_app_with_exit_1(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    (folder / "journal.sqlite3").mkdir(parents=True)  # a folder where the file should be

    done, _log = _launch(folder, tmp_path)

    assert done.returncode == 1, done.stderr
    assert "journal file cannot be opened" in done.stderr
    assert "Traceback" not in done.stderr
