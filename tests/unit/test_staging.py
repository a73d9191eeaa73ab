"""A whole SQLite file is written aside, sealed (log folded in, checked) and only then placed.

Every file here is a real SQLite file. A checkpoint that cannot complete is produced by a
second connection holding a read snapshot, as a full disk stops the last one: either way the
data is still only in the write-ahead log, and the main file alone must never be placed.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from interview_journal.core import staging
from interview_journal.core.errors import StorageError


def _wal_file(path: Path, rows: int = 200) -> sqlite3.Connection:
    """A WAL-mode file whose rows are still in its log; returns the open writer."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA wal_autocheckpoint=0")  # keep everything in the log
    conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO note (body) VALUES (?)", [("x" * 500,)] * rows)
    return conn


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    """A closed WAL-mode file with 200 rows, in a staging folder of its own."""
    folder = tmp_path / "staging"
    folder.mkdir()
    path = folder / "journal.sqlite3"
    conn = _wal_file(path)
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    conn.close()
    return path


def test_seal_folds_the_log_in_and_the_placed_file_stands_alone(
    tmp_path: Path, staged: Path
) -> None:
    target = tmp_path / "journal.sqlite3"

    staging.seal(staged, {"note": 200})
    staging.place(staged, target)

    assert not target.with_name(target.name + "-wal").exists()
    # Read as it is, without any log: everything is in the file.
    assert staging.check_file(target, {"note": 200}) == []


def test_seal_refuses_a_file_whose_log_cannot_be_folded_in(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    writer = _wal_file(path)
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM note").fetchone()  # a snapshot the log must keep

        with pytest.raises(staging.NotSealed, match="could not be completed"):
            staging.seal(path, {"note": 200})
    finally:
        reader.close()
        writer.close()


def test_seal_refuses_a_file_with_fewer_rows_than_were_written(staged: Path) -> None:
    with pytest.raises(staging.NotSealed, match="note holds 200 rows instead of 201"):
        staging.seal(staged, {"note": 201})


def test_seal_refuses_a_damaged_file(staged: Path) -> None:
    with closing(sqlite3.connect(staged)) as conn:
        conn.execute("PRAGMA journal_mode=delete")  # everything in the main file
    data = bytearray(staged.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 2 : page * 3] = bytes(b ^ 0xFF for b in data[page * 2 : page * 3])
    staged.write_bytes(bytes(data))

    with pytest.raises(staging.NotSealed):
        staging.seal(staged, {"note": 200})


def test_a_failed_seal_is_a_storage_error(staged: Path) -> None:
    with pytest.raises(StorageError):
        staging.seal(staged, {"missing_table": 1})


def test_place_never_replaces_what_is_there(tmp_path: Path, staged: Path) -> None:
    staging.seal(staged, {"note": 200})
    written = tmp_path / "journal.sqlite3"
    written.write_bytes(b"someone's journal")
    dangling = tmp_path / "link.sqlite3"
    dangling.symlink_to(tmp_path / "nowhere")

    with pytest.raises(staging.PlaceTaken):
        staging.place(staged, written)
    with pytest.raises(staging.PlaceTaken):
        staging.place(staged, written, over_empty=True)
    with pytest.raises(staging.PlaceTaken):
        staging.place(staged, dangling)

    assert written.read_bytes() == b"someone's journal"
    assert os.readlink(dangling) == str(tmp_path / "nowhere")


def test_place_over_empty_replaces_a_zero_byte_file(tmp_path: Path, staged: Path) -> None:
    staging.seal(staged, {"note": 200})
    target = tmp_path / "journal.sqlite3"
    target.write_bytes(b"")

    staging.place(staged, target, over_empty=True)

    assert staging.check_file(target, {"note": 200}) == []


def test_place_over_empty_refuses_a_zero_byte_file_with_a_log_beside_it(
    tmp_path: Path, staged: Path
) -> None:
    staging.seal(staged, {"note": 200})
    target = tmp_path / "journal.sqlite3"
    target.write_bytes(b"")
    target.with_name(target.name + "-wal").write_bytes(b"frames of someone's notes")

    with pytest.raises(staging.PlaceTaken):
        staging.place(staged, target, over_empty=True)

    assert target.stat().st_size == 0
