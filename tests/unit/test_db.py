"""The storage layer: pragmas read back, platform checks, and SQLite failures classified.

Disk-full, read-only and busy databases are produced for real (``max_page_count``,
``query_only``, a second connection holding the write lock): the tests run as root, which
ignores ``chmod``.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import peewee
import pytest

from interview_journal.core import db as dbmod
from interview_journal.core.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DiskFull,
    InvalidInput,
    PermissionDenied,
    ReadOnly,
    StorageError,
    UnsupportedPlatform,
)
from interview_journal.core.journal import Journal

EXPECTED_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "secure_delete": 1,
    "trusted_schema": 0,
    "temp_store": 2,  # MEMORY
    "cell_size_check": 1,
    "journal_size_limit": dbmod.JOURNAL_SIZE_LIMIT,
}


def _pragmas(database: peewee.SqliteDatabase) -> dict[str, Any]:
    names = [*EXPECTED_PRAGMAS, "busy_timeout"]
    return {name: database.execute_sql(f"PRAGMA {name}").fetchone()[0] for name in names}


def _committed(journal: Journal, interview_id: int) -> tuple[str, str]:
    """(notes, went_well) as another connection sees them: only what was committed."""
    with closing(sqlite3.connect(journal.path)) as conn:
        row = conn.execute(
            "SELECT notes, went_well FROM interview WHERE id = ?", (interview_id,)
        ).fetchone()
    return row[0], row[1]


@pytest.fixture
def interview(journal: Journal) -> int:
    """An interview holding an earlier note that a failed save must not disturb."""
    company = journal.create_company("Acme").company
    doc = journal.create_interview(company.id, role="Engineer")
    journal.update_interview(doc.id, notes="earlier note")
    return doc.id


# --------------------------------------------------------------------------- pragmas


def test_journal_connection_reads_back_every_pragma(journal: Journal) -> None:
    values = _pragmas(journal.database)
    assert values == {**EXPECTED_PRAGMAS, "busy_timeout": dbmod.WORKER_BUSY_TIMEOUT_MS}


def test_journal_file_is_in_wal_mode_on_disk(journal: Journal) -> None:
    header = journal.path.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert header[18:20] == b"\x02\x02"  # file format read/write versions: 2 means WAL


def test_worker_thread_connection_gets_the_same_pragmas(journal: Journal) -> None:
    # Peewee keeps one connection per thread; a worker's must be as safe as the GUI's.
    seen: dict[str, Any] = {}

    def worker() -> None:
        try:
            seen.update(_pragmas(journal.database))
        finally:
            journal.database.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == {**EXPECTED_PRAGMAS, "busy_timeout": dbmod.WORKER_BUSY_TIMEOUT_MS}


def test_gui_connection_uses_the_short_busy_timeout(tmp_path: Path) -> None:
    database = dbmod.connect(tmp_path / "gui.sqlite3", dbmod.GUI_BUSY_TIMEOUT_MS)
    try:
        values = _pragmas(database)
    finally:
        dbmod.close(database)
    assert values == {**EXPECTED_PRAGMAS, "busy_timeout": dbmod.GUI_BUSY_TIMEOUT_MS}


def test_in_memory_database_is_refused_because_wal_is_not_granted() -> None:
    # SQLite answers "memory" to journal_mode=wal for an in-memory database: a real refusal.
    with pytest.raises(StorageError, match=r"journal_mode=wal \(it reports memory\)"):
        dbmod.connect(Path(":memory:"))


def test_verify_pragmas_refuses_a_rollback_journal(tmp_path: Path) -> None:
    database = peewee.SqliteDatabase(
        str(tmp_path / "plain.sqlite3"), pragmas=[("journal_mode", "delete")]
    )
    database.connect()
    try:
        with pytest.raises(StorageError, match=r"journal_mode=wal \(it reports delete\)"):
            dbmod.verify_pragmas(database)
    finally:
        database.close()


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("synchronous", "normal"),
        ("foreign_keys", 0),
        ("secure_delete", 0),
        ("trusted_schema", 1),
        ("temp_store", "file"),
        ("cell_size_check", 0),
    ],
)
def test_verify_pragmas_refuses_any_setting_that_drifted(
    journal: Journal, name: str, wrong: object
) -> None:
    dbmod.verify_pragmas(journal.database)  # passes as opened
    journal.database.execute_sql(f"PRAGMA {name} = {wrong}")
    with pytest.raises(StorageError, match=f"setting {name}="):
        dbmod.verify_pragmas(journal.database)


# --------------------------------------------------------------------------- platform


def test_check_sqlite_passes_on_this_python() -> None:
    dbmod.check_sqlite()


def test_check_sqlite_refuses_an_old_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dbmod, "MIN_SQLITE", (99, 0, 0))
    with pytest.raises(UnsupportedPlatform, match=r"needs 99\.0\.0 or newer"):
        dbmod.check_sqlite()


def test_check_sqlite_refuses_an_sqlite_without_fts5(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = sqlite3.connect

    class NoFts5:
        """A connection that answers as an SQLite built without FTS5 does."""

        def __init__(self) -> None:
            self._conn = real_connect(":memory:")

        def execute(self, sql: str) -> sqlite3.Cursor:
            if "fts5" in sql.lower():
                raise sqlite3.OperationalError("no such module: fts5")
            return self._conn.execute(sql)

        def close(self) -> None:
            self._conn.close()

    monkeypatch.setattr(sqlite3, "connect", lambda *args, **kwargs: NoFts5())
    with pytest.raises(UnsupportedPlatform, match="FTS5"):
        dbmod.check_sqlite()


# --------------------------------------------------------------------------- classify


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("database or disk is full", DiskFull),
        ("attempt to write a readonly database", ReadOnly),
        ("database is locked", DatabaseBusy),
        ("file is not a database", DatabaseDamaged),
        ("database disk image is malformed", DatabaseDamaged),
    ],
)
def test_classify_maps_sqlite_messages(message: str, expected: type[StorageError]) -> None:
    mapped = dbmod.classify(sqlite3.OperationalError(message))
    assert type(mapped) is expected
    assert str(mapped)  # a message the user can read


def test_classify_leaves_other_errors_alone() -> None:
    assert dbmod.classify(sqlite3.IntegrityError("UNIQUE constraint failed: tag.name")) is None
    assert dbmod.classify(ValueError("bad value")) is None


def _rollback_failure_while_handling(cause: BaseException) -> peewee.OperationalError:
    """What Peewee raises when SQLite already rolled back: the real cause in __context__."""
    try:
        try:
            raise cause
        except sqlite3.OperationalError:
            raise peewee.OperationalError("cannot rollback - no transaction is active") from None
    except peewee.OperationalError as error:
        # ``from None`` only hides the context from tracebacks; it is still there.
        return error


def test_classify_finds_disk_full_in_the_context_of_cannot_rollback() -> None:
    error = _rollback_failure_while_handling(sqlite3.OperationalError("database or disk is full"))
    assert error.__context__ is not None
    assert isinstance(dbmod.classify(error), DiskFull)


def test_classify_finds_disk_full_in_an_explicit_cause_further_down() -> None:
    root = sqlite3.OperationalError("database or disk is full")
    middle = peewee.OperationalError("cannot rollback - no transaction is active")
    middle.__cause__ = root
    top = RuntimeError("save failed")
    top.__context__ = middle
    assert isinstance(dbmod.classify(top), DiskFull)


def test_classify_finds_readonly_buried_in_a_chain() -> None:
    root = sqlite3.OperationalError("attempt to write a readonly database")
    top = peewee.OperationalError("cannot rollback - no transaction is active")
    top.__context__ = root
    assert isinstance(dbmod.classify(top), ReadOnly)


def test_classify_stops_on_a_cyclic_chain() -> None:
    first = RuntimeError("first")
    second = RuntimeError("second")
    first.__context__ = second
    second.__context__ = first
    assert dbmod.classify(first) is None


def test_classify_maps_a_real_not_a_database_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is a text file, not a journal\n" * 200)
    with closing(sqlite3.connect(garbage)) as conn, pytest.raises(sqlite3.DatabaseError) as info:
        conn.execute("PRAGMA user_version")
    assert isinstance(dbmod.classify(info.value), DatabaseDamaged)


def test_storage_errors_re_raises_mapped_errors_with_the_cause_kept() -> None:
    original = sqlite3.OperationalError("database is locked")
    with pytest.raises(DatabaseBusy) as info, dbmod.storage_errors():
        raise original
    assert info.value.__cause__ is original


def test_storage_errors_passes_journal_errors_and_unknown_errors_through() -> None:
    with pytest.raises(InvalidInput), dbmod.storage_errors():
        raise InvalidInput("Company name cannot be empty.")
    with pytest.raises(KeyError), dbmod.storage_errors():
        raise KeyError("not storage")


@pytest.mark.parametrize(
    ("errno_", "expected"),
    [(28, DiskFull), (30, ReadOnly), (13, PermissionDenied)],
    ids=["ENOSPC", "EROFS", "EACCES"],
)
def test_classify_reads_the_cause_from_an_os_error_in_the_chain(
    errno_: int, expected: type[StorageError]
) -> None:
    top = peewee.OperationalError("cannot rollback - no transaction is active")
    top.__context__ = OSError(errno_, "from the file system")
    assert type(dbmod.classify(top)) is expected


@pytest.mark.parametrize(
    "error",
    [sqlite3.OperationalError("disk I/O error"),
     sqlite3.OperationalError("unable to open database file")],
    ids=["io-error", "cannot-open"],
)
def test_an_io_or_open_failure_on_a_healthy_disk_is_never_called_damage(
    tmp_path: Path, error: sqlite3.OperationalError
) -> None:
    mapped = dbmod.classify(error, tmp_path / "journal.sqlite3")
    assert isinstance(mapped, StorageError)
    assert not isinstance(mapped, DatabaseDamaged)
    assert "backup" not in str(mapped).lower()


def test_an_io_failure_on_a_disk_with_no_room_left_is_disk_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite reports a -shm it cannot grow as "disk I/O error" (SQLITE_IOERR_SHMSIZE), not as
    # SQLITE_FULL; the file system says why. (A real full disk: tests/e2e/test_storage_faults.)
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(dbmod.shutil, "disk_usage", lambda _p: usage._replace(free=4096))
    error = sqlite3.OperationalError("disk I/O error")
    assert isinstance(dbmod.classify(error, tmp_path / "journal.sqlite3"), DiskFull)


def test_a_real_corrupt_page_is_damage_by_its_sqlite_error_code(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t(x)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
        conn.commit()
    data = bytearray(path.read_bytes())
    data[4096 + 8 : 4096 * 2] = b"\xff" * (4096 - 8)  # the table's first page, not the header
    path.write_bytes(bytes(data))
    with closing(sqlite3.connect(path)) as conn, pytest.raises(sqlite3.DatabaseError) as info:
        conn.execute("SELECT count(*) FROM t").fetchone()
    assert isinstance(dbmod.classify(info.value, path), DatabaseDamaged)


# --------------------------------------------------------------------------- real failures


def test_disk_full_keeps_earlier_notes_and_saves_once_space_returns(
    journal: Journal, interview: int
) -> None:
    database = journal.database
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    # The file may not grow past its current size: the next big write finds the disk full.
    assert database.execute_sql(f"PRAGMA max_page_count = {pages}").fetchone()[0] == pages
    big = "went well " * 40_000  # 400 KB, about a hundred pages

    with pytest.raises(DiskFull, match="disk is full"):
        journal.update_interview(interview, went_well=big)

    assert journal.interview(interview).notes == "earlier note"
    assert journal.interview(interview).went_well == ""
    assert _committed(journal, interview) == ("earlier note", "")

    database.execute_sql("PRAGMA max_page_count = 1073741823")
    journal.update_interview(interview, went_well=big)
    assert _committed(journal, interview) == ("earlier note", big)
    assert database.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_read_only_database_keeps_notes_and_saves_once_writable(
    journal: Journal, interview: int
) -> None:
    journal.database.execute_sql("PRAGMA query_only = 1")
    with pytest.raises(ReadOnly, match="read-only"):
        journal.update_interview(interview, notes="written while read-only")
    assert _committed(journal, interview) == ("earlier note", "")

    journal.database.execute_sql("PRAGMA query_only = 0")
    journal.update_interview(interview, notes="written later")
    assert _committed(journal, interview) == ("written later", "")


@pytest.fixture
def other_writer(journal: Journal) -> Iterator[sqlite3.Connection]:
    """A second connection (as another process would be) holding the journal's write lock."""
    conn = sqlite3.connect(journal.path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.rollback()
    conn.close()


def test_locked_database_reports_busy_and_saves_once_released(
    journal: Journal, interview: int, other_writer: sqlite3.Connection
) -> None:
    # Give up at once instead of waiting out the five-second worker timeout.
    journal.database.execute_sql("PRAGMA busy_timeout = 0")
    with pytest.raises(DatabaseBusy):
        journal.update_interview(interview, notes="written while locked")
    assert _committed(journal, interview) == ("earlier note", "")

    other_writer.rollback()
    journal.update_interview(interview, notes="written after the lock")
    assert _committed(journal, interview) == ("written after the lock", "")


# --------------------------------------------------------------------------- held writes


def test_held_writes_are_refused_and_the_file_is_closed_as_it_was(journal: Journal) -> None:
    import hashlib

    from interview_journal.core.errors import DatabaseBusy, WritesHeld

    journal.create_company("Acme")
    journal.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(journal.path.read_bytes()).hexdigest()

    journal.hold_writes("being checked")
    with pytest.raises(WritesHeld, match="being checked") as raised:
        journal.create_company("Written while held")
    assert isinstance(raised.value, DatabaseBusy)  # the editor keeps the text and retries
    assert [c.name for c in journal.companies()] == ["Acme"]  # reads go on
    journal.close()  # no optimize, no checkpoint: nothing is written

    assert hashlib.sha256(journal.path.read_bytes()).hexdigest() == before


def test_closing_with_writes_held_leaves_the_log_and_the_file_as_they_were(
    journal: Journal,
) -> None:
    import hashlib

    journal.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(journal.path.read_bytes()).hexdigest()
    journal.create_company("Only in the log")  # committed to the -wal, not the file yet
    wal = dbmod.side_files(journal.path)[0]
    logged = wal.read_bytes()
    assert logged

    journal.hold_writes("being checked")
    journal.close()  # SQLite's last close would checkpoint the log into the file

    assert hashlib.sha256(journal.path.read_bytes()).hexdigest() == before
    assert wal.read_bytes() == logged


def test_allowed_writes_go_through_again(journal: Journal) -> None:
    journal.hold_writes("being checked")
    journal.allow_writes()

    journal.create_company("Acme")

    assert journal.writes_allowed
    assert [c.name for c in journal.companies()] == ["Acme"]


def test_text_that_is_not_utf8_is_damage_and_its_text_is_not_repeated() -> None:
    from interview_journal.core.errors import DatabaseDamaged

    error = sqlite3.OperationalError(
        "Could not decode to UTF-8 column 'notes' with text 'my private note\udcff'"
    )

    mapped = dbmod.classify(error)

    assert isinstance(mapped, DatabaseDamaged)
    assert "private" not in str(mapped)


# ----------------------------------------------------------------- holds_rows


def _sqlite_file(path: Path, script: str) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(script)
    return path


def test_holds_rows_sees_a_row_in_any_table_named(tmp_path: Path) -> None:
    path = _sqlite_file(
        tmp_path / "j.sqlite3",
        'CREATE TABLE company (name TEXT); CREATE TABLE "odd ""name""" (x);'
        "CREATE TABLE other (x); INSERT INTO other VALUES (1);",
    )
    assert dbmod.holds_rows(path, ("company",)) is False
    assert dbmod.holds_rows(path, ("company", "other")) is True
    assert dbmod.holds_rows(path, ("missing", "company")) is False  # a missing table is empty
    assert dbmod.holds_rows(path, ()) is False
    assert dbmod.holds_rows(path, ('odd "name"',)) is False  # quoted, not spliced into SQL
    _sqlite_file(path, 'INSERT INTO "odd ""name""" VALUES (2);')
    assert dbmod.holds_rows(path, ('odd "name"',)) is True


def test_holds_rows_writes_nothing_beside_a_closed_file(tmp_path: Path) -> None:
    path = _sqlite_file(
        tmp_path / "j.sqlite3",
        "PRAGMA journal_mode = wal; CREATE TABLE interview (x); INSERT INTO interview VALUES (1);",
    )
    before = path.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.sqlite3"]
    assert dbmod.holds_rows(path, ("interview",)) is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.sqlite3"]  # no -wal, no -shm
    assert path.read_bytes() == before


def test_holds_rows_reads_rows_still_in_the_write_ahead_log(journal: Journal) -> None:
    journal.create_company("Acme")
    wal = dbmod.side_files(journal.path)[0]
    assert wal.stat().st_size > 0  # the row is in the log, the journal still open
    assert dbmod.holds_rows(journal.path, ("company",)) is True
    assert dbmod.holds_rows(journal.path, ("person", "tag")) is False


def test_holds_rows_is_none_for_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    path.write_bytes(b"definitely not SQLite " * 300)
    assert dbmod.holds_rows(path, ("company",)) is None
    assert [p.name for p in tmp_path.iterdir()] == ["j.sqlite3"]
