"""The installed command given awkward input: an empty or non-UTF-8 data folder, a company
name with bytes that are not UTF-8, names holding terminal control sequences, and journals
whose file or search index is damaged. Each gets one line and the documented exit code."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from interview_journal.core import paths
from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal

from .app_support import EXIT_TIMEOUT_S, installed, make_env

COMMAND = installed("interview-journal")
EXIT_OK, EXIT_USAGE, EXIT_DAMAGED = 0, 2, 4
NOT_UTF8 = b"\xff\xfe-journal"


def _run(args: list[str | bytes], env: dict[str, str] | dict[bytes, bytes] | None = None,
         ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [os.fsencode(COMMAND), *[a if isinstance(a, bytes) else a.encode() for a in args]],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=EXIT_TIMEOUT_S,
        check=False,
    )


def _one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text
    assert "Logging error" not in text
    return text.strip().splitlines()[-1]


@pytest.fixture
def gui_env(tmp_path: Path) -> dict[str, str]:
    return make_env(tmp_path / "user")


@pytest.fixture
def journal_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with Journal.open(folder, clock=FakeClock()) as journal:
        company = journal.create_company("Acme").company.id
        interview = journal.create_interview(company, role="Engineer")
        journal.update_interview(interview.id, notes="we spoke about quokkas")
    return folder


def test_an_empty_data_dir_is_refused_not_replaced_by_the_default(
    gui_env: dict[str, str],
) -> None:
    for command in (["check"], ["search", "x"], []):
        done = _run(["--data-dir", "", *command], env=gui_env)
        assert done.returncode == EXIT_USAGE, done.stderr
        assert "--data-dir" in _one_line(done.stderr)


def test_the_window_refuses_a_data_folder_that_is_not_utf8_instead_of_crashing(
    tmp_path: Path, gui_env: dict[str, str]
) -> None:
    folder = os.fsencode(tmp_path) + b"/" + NOT_UTF8
    done = _run([b"--data-dir", folder], env=gui_env)
    assert done.returncode == EXIT_USAGE, done  # was a segmentation fault (-11 / 139)
    assert "not UTF-8" in _one_line(done.stderr)


def test_the_window_refuses_such_a_folder_from_the_environment_too(
    tmp_path: Path, gui_env: dict[str, str]
) -> None:
    env = {os.fsencode(k): os.fsencode(v) for k, v in gui_env.items()}
    env[paths.ENV_DATA_DIR.encode()] = os.fsencode(tmp_path) + b"/" + NOT_UTF8
    done = _run([], env=env)
    assert done.returncode == EXIT_USAGE, done
    assert "not UTF-8" in _one_line(done.stderr)


def test_a_company_that_is_not_utf8_text_is_refused(
    journal_folder: Path, gui_env: dict[str, str]
) -> None:
    done = _run(["--data-dir", str(journal_folder), "reflect", "--company", b"Ac\xffme"],
                env=gui_env)
    assert done.returncode == EXIT_USAGE, done
    assert "--company" in _one_line(done.stderr)


def test_check_and_search_read_a_data_folder_whose_name_is_not_utf8(tmp_path: Path) -> None:
    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + NOT_UTF8))
    with Journal.open(folder, clock=FakeClock()) as journal:
        journal.create_interview(journal.create_company("Acme").company.id, role="Engineer")
    check = _run([b"--data-dir", os.fsencode(folder), b"check"])
    assert check.returncode == EXIT_OK, check
    assert b"Integrity: ok" in check.stdout
    found = _run([b"--data-dir", os.fsencode(folder), b"search", b"acme"])
    assert found.returncode == EXIT_OK, found
    assert b"1. Acme" in found.stdout


def test_search_escapes_control_characters_stored_in_names(journal_folder: Path) -> None:
    # Written behind the app's back (an older version let them in): ESC and an OSC title.
    with closing(sqlite3.connect(journal_folder / paths.JOURNAL_FILE)) as conn:
        conn.execute("UPDATE company SET name = 'Acme\x1b[31m\x1b]0;owned\x07'")
        conn.execute("UPDATE interview SET role = 'Eng\x1b[2Jineer'")
        conn.commit()

    done = _run(["--data-dir", str(journal_folder), "search", "quokkas"])

    assert done.returncode == EXIT_OK, done
    assert b"\x1b" not in done.stdout
    assert b"\x07" not in done.stdout
    assert b"Acme\\x1b[31m\\x1b]0;owned\\x07" in done.stdout
    assert b"Eng\\x1b[2Jineer" in done.stdout

    with closing(sqlite3.connect(journal_folder / paths.JOURNAL_FILE)) as conn:
        conn.execute("UPDATE company SET name = 'Acme\x1b[31m\x9b2J\x7f'")
        conn.commit()
    as_json = _run(["--data-dir", str(journal_folder), "search", "--json", "quokkas"])
    assert as_json.returncode == EXIT_OK, as_json
    raw = as_json.stdout.decode("utf-8")
    assert not any(c in raw for c in "\x1b\x9b\x7f")
    assert json.loads(raw.splitlines()[0])["company"] == "Acme\x1b[31m\x9b2J\x7f"


def test_search_on_a_damaged_journal_exits_4(journal_folder: Path) -> None:
    journal_file = journal_folder / paths.JOURNAL_FILE
    journal_file.write_bytes(bytes(100) + journal_file.read_bytes()[100:])
    done = _run(["--data-dir", str(journal_folder), "search", "quokkas"])
    assert done.returncode == EXIT_DAMAGED, done
    assert "damaged" in _one_line(done.stderr)


def test_search_and_check_on_a_dropped_search_index(journal_folder: Path) -> None:
    with closing(sqlite3.connect(journal_folder / paths.JOURNAL_FILE)) as conn:
        conn.execute("DROP TABLE search_index")
        conn.commit()

    check = _run(["--data-dir", str(journal_folder), "check"])
    found = _run(["--data-dir", str(journal_folder), "search", "quokkas"])

    # The notes are intact and the app rebuilds the index: not damage to the journal.
    assert check.returncode == EXIT_OK, check
    assert b"Integrity: ok" in check.stdout
    assert b"Search index: missing; repairable" in check.stdout
    assert found.returncode == EXIT_DAMAGED, found
    line = _one_line(found.stderr)
    assert "search index is damaged or missing" in line
    assert "no such table" not in line


def test_check_finds_a_corrupted_search_index_that_integrity_check_misses(
    journal_folder: Path,
) -> None:
    journal_file = journal_folder / paths.JOURNAL_FILE
    with closing(sqlite3.connect(journal_file)) as conn:
        conn.execute("UPDATE search_index_data SET block = zeroblob(length(block)) "
                     "WHERE id > 10")
        conn.commit()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # SQLite 3.40
    before = journal_file.read_bytes()

    check = _run(["--data-dir", str(journal_folder), "check"])

    assert check.returncode == EXIT_OK, check
    assert b"Search index: damaged" in check.stdout
    assert b"repairable" in check.stdout
    assert journal_file.read_bytes() == before  # check never writes


def test_a_reader_that_stops_early_is_not_reported_as_a_data_folder_problem(
    journal_folder: Path,
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `| head` does once it has enough
    try:
        done = subprocess.run(
            [COMMAND, "--data-dir", str(journal_folder), "search", "quokkas"],
            stdin=subprocess.DEVNULL, stdout=write_end, stderr=subprocess.PIPE,
            timeout=EXIT_TIMEOUT_S, check=False,
        )
    finally:
        os.close(write_end)
    assert b"cannot use the data folder" not in done.stderr
    assert b"Traceback" not in done.stderr
    assert b"Exception ignored" not in done.stderr
