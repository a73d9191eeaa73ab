"""Opening the journal's SQLite file: pragmas (read back and checked), versions, migrations.

``PRAGMA user_version`` is authoritative: it equals the number of the newest migration
applied. A journal newer than this app is refused untouched. Before migrating a non-empty
journal, a ``VACUUM INTO`` copy that passes ``quick_check`` is written to ``backups/``.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import peewee
from peewee import SqliteDatabase

from interview_journal.core.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DiskFull,
    JournalError,
    NewerSchema,
    PermissionDenied,
    ReadOnly,
    StorageError,
    UnsupportedPlatform,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIN_SQLITE = (3, 35, 0)
WORKER_BUSY_TIMEOUT_MS = 5000
GUI_BUSY_TIMEOUT_MS = 50
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024


def pragmas(busy_timeout_ms: int) -> list[tuple[str, Any]]:
    """The connection settings RELIABILITY.md asks for, in the order they are applied."""
    return [
        ("journal_mode", "wal"),
        ("synchronous", "full"),
        ("foreign_keys", 1),
        ("busy_timeout", busy_timeout_ms),
        ("temp_store", "memory"),
        ("secure_delete", 1),
        ("trusted_schema", 0),
        ("cell_size_check", 1),
        ("journal_size_limit", JOURNAL_SIZE_LIMIT),
    ]


# What each pragma must read back as (SQLite reports enums as numbers).
_EXPECTED = {
    "journal_mode": "wal",
    "synchronous": 2,
    "foreign_keys": 1,
    "temp_store": 2,
    "secure_delete": 1,
    "trusted_schema": 0,
    "cell_size_check": 1,
}


@dataclass(frozen=True)
class MigrationScript:
    """One numbered schema script."""

    version: int
    name: str
    path: Path


@dataclass(frozen=True)
class JournalStatus:
    """What ``check`` reports about a journal file, read without writing to it.

    ``leftovers`` are a write-ahead log and its index found without the journal (``exists``
    is then False, and they may hold notes). ``search_index`` is None while the schema has
    no index yet, else "ok" or what is wrong with it (repairable: the notes are intact).
    ``read_note`` says how the file had to be read when the disk did not allow the usual way.
    """

    path: Path
    exists: bool
    schema_version: int = 0
    latest_version: int = 0
    pending: tuple[str, ...] = ()
    integrity: tuple[str, ...] = ()
    leftovers: tuple[Path, ...] = ()
    search_index: str | None = None
    read_note: str | None = None

    @property
    def newer_than_app(self) -> bool:
        return self.schema_version > self.latest_version

    @property
    def healthy(self) -> bool:
        return self.integrity == ("ok",)

    @property
    def search_index_ok(self) -> bool:
        return self.search_index in (None, "ok")


def migration_scripts() -> list[MigrationScript]:
    """The numbered scripts shipped with the app, oldest first."""
    scripts = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9]*.py")):
        match = re.match(r"(\d+)", path.stem)
        assert match is not None  # the glob only yields names that start with a digit
        scripts.append(MigrationScript(int(match.group(1)), path.stem, path))
    return scripts


def latest_version() -> int:
    """The schema version this app writes: the number of its newest migration."""
    scripts = migration_scripts()
    return scripts[-1].version if scripts else 0


def check_sqlite() -> None:
    """Refuse to run on an SQLite without FTS5 or older than the journal needs."""
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        wanted = ".".join(map(str, MIN_SQLITE))
        raise UnsupportedPlatform(
            f"This Python uses SQLite {sqlite3.sqlite_version}; Interview Journal needs "
            f"{wanted} or newer."
        )
    with closing(sqlite3.connect(":memory:")) as conn:
        try:
            conn.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
        except sqlite3.OperationalError as error:
            raise UnsupportedPlatform(
                "This Python's SQLite was built without full-text search (FTS5), which "
                "Interview Journal needs."
            ) from error


def _unreadable(text: str) -> bool:
    """Whether SQLite's message says the file itself cannot be read as a database."""
    lowered = text.lower()
    return "not a database" in lowered or "malformed" in lowered


# Less free space than this on the journal's disk turns an I/O failure into "disk full":
# SQLite reports a -shm it cannot grow as a disk I/O error, not as SQLITE_FULL (seen).
LOW_SPACE_BYTES = 1024 * 1024

_DISK_FULL = (
    "The disk is full, so the journal cannot be written. Free some space; the journal "
    "itself is fine, and text not saved yet is kept and saved once there is room."
)
_READ_ONLY = (
    "The journal is on read-only storage or its file is read-only, so it cannot be "
    "written. The journal itself is fine; text not saved yet is kept until it can be saved."
)
_PERMISSION = (
    "This user is not allowed to read or write the journal's files. Check the data "
    "folder's owner and permissions; the journal itself was not changed."
)
_BUSY = (
    "Another program is writing to the journal right now; the change will be saved when it "
    "finishes."
)
_CANNOT_OPEN = (
    "The journal file cannot be opened. Check that journal.sqlite3 in the data folder is a "
    "file you can read and write."
)
_IO_ERROR = (
    "The disk reported an error while reading or writing the journal (disk I/O error). "
    "Check the disk and its free space; nothing was changed."
)
_DAMAGED = "The journal file is damaged or is not a journal. Restore it from a backup."


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and its causes and contexts, each once (a chain may loop)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def environment_cause(where: Path | None) -> StorageError | None:
    """What is wrong with the disk holding ``where`` (a file or folder), or None if nothing.

    SQLite reports a full disk or read-only media as a plain "disk I/O error" or "unable to
    open database file" when it is the ``-shm``/``-wal`` side file that cannot be made; the
    file system itself says which.
    """
    if where is None or str(where) == ":memory:":
        return None
    folder = where if where.is_dir() else where.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        flags = os.statvfs(folder).f_flag if hasattr(os, "statvfs") else 0
        if flags & getattr(os, "ST_RDONLY", 1):
            return ReadOnly(_READ_ONLY)
        if shutil.disk_usage(folder).free < LOW_SPACE_BYTES:
            return DiskFull(_DISK_FULL)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK) or (
        where.is_file() and not os.access(where, os.R_OK | os.W_OK)
    ):
        return PermissionDenied(_PERMISSION)
    return None


def classify(error: BaseException, where: Path | None = None) -> StorageError | None:
    """Turn an SQLite failure into the StorageError a user can act on, walking the chain.

    The cause decides: disk full, read-only, permission, locked, damaged, by SQLite's error
    code (``sqlite_errorname``), its message, or an ``OSError``'s errno. Peewee may report
    "cannot rollback" while the real cause sits further down the chain. An I/O or open
    failure is damage only if the file says so: ``where`` (the journal or its folder) lets
    the file system say whether the disk is full or read-only; a healthy journal is never
    called damaged.
    """
    for current in _chain(error):
        if isinstance(current, StorageError):
            return current
        name = str(getattr(current, "sqlite_errorname", "") or "")
        text = " ".join(str(arg) for arg in current.args).lower()
        errno_ = current.errno if isinstance(current, OSError) else None
        if name.startswith("SQLITE_FULL") or "disk is full" in text or errno_ in _ENOSPC:
            return DiskFull(_DISK_FULL)
        if (
            name.startswith("SQLITE_READONLY")
            or "readonly" in text
            or "read-only" in text
            or errno_ == errno.EROFS
        ):
            return ReadOnly(_READ_ONLY)
        if (
            name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
            or "database is locked" in text
            or "database is busy" in text
            or "database table is locked" in text
        ):
            return DatabaseBusy(_BUSY)
        if (
            name.startswith("SQLITE_PERM")
            or name == "SQLITE_AUTH"
            or "access permission denied" in text
            or errno_ in (errno.EACCES, errno.EPERM)
        ):
            return PermissionDenied(_PERMISSION)
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or _unreadable(text):
            return DatabaseDamaged(_DAMAGED)
        if name.startswith("SQLITE_CANTOPEN") or "unable to open database" in text:
            return environment_cause(where) or StorageError(_CANNOT_OPEN)
        if name.startswith("SQLITE_IOERR") or "disk i/o error" in text or errno_ == errno.EIO:
            return environment_cause(where) or StorageError(_IO_ERROR)
    return None


_ENOSPC = frozenset(code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code)


@contextmanager
def storage_errors(where: Path | None = None) -> Iterator[None]:
    """Re-raise SQLite failures as the matching StorageError; other errors pass through.

    ``where`` (the journal file or its folder) lets an I/O failure be told apart from
    damage (see ``classify``).
    """
    try:
        yield
    except JournalError:
        raise
    except Exception as error:
        mapped = classify(error, where)
        if mapped is None:
            raise
        raise mapped from error


def connect(path: Path, busy_timeout_ms: int = WORKER_BUSY_TIMEOUT_MS) -> SqliteDatabase:
    """Open ``path`` with the journal's pragmas and check they took effect.

    A journal written by a newer app is refused before any pragma runs: switching a
    rollback-journal file to WAL rewrites its header, and a newer journal is never altered.
    """
    check_sqlite()
    version = _peek_version(path)
    if version is not None:
        _refuse_newer(version)
    db = SqliteDatabase(
        str(path),
        pragmas=pragmas(busy_timeout_ms),
        timeout=busy_timeout_ms / 1000,
        autoconnect=True,
    )
    with storage_errors(path):
        db.connect()
        try:
            verify_pragmas(db)
        except BaseException:
            db.close()
            raise
    return db


def verify_pragmas(db: SqliteDatabase) -> None:
    """Read the pragmas back; a journal that did not get WAL (or any other) is refused."""
    for name, expected in _EXPECTED.items():
        actual = db.execute_sql(f"PRAGMA {name}").fetchone()[0]
        if isinstance(expected, str):
            actual = str(actual).lower()
        if actual != expected:
            raise StorageError(
                f"SQLite did not accept the setting {name}={expected} (it reports {actual}); "
                "the journal cannot be opened safely on this file system."
            )


def schema_version(db: SqliteDatabase) -> int:
    """The journal's ``PRAGMA user_version``."""
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def refuse_newer(version: int) -> None:
    """Raise NewerSchema if ``version`` is newer than this app knows (the file untouched)."""
    _refuse_newer(version)


def _refuse_newer(version: int) -> None:
    latest = latest_version()
    if version > latest:
        raise NewerSchema(
            f"This journal was written by a newer version of Interview Journal (schema "
            f"{version}; this version knows {latest}). Update the app to open it; the file "
            "was left untouched."
        )


def _peek_version(path: Path) -> int | None:
    """``user_version`` read through a read-only connection; None if there is none to read.

    A missing or unreadable file gives None: opening it for real then reports the problem.
    """
    if str(path) == ":memory:" or not path.is_file():
        return None
    try:
        with closing(_read_only(path)) as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError:
        return None


def migrate(db: SqliteDatabase, backups: Path, now: datetime | None = None) -> list[str]:
    """Bring the journal to the newest schema; return the names of the scripts run.

    Refuses a newer journal untouched; copies a non-empty one aside before changing it.
    """
    version = schema_version(db)
    _refuse_newer(version)
    pending = [s for s in migration_scripts() if s.version > version]
    if not pending:
        return []
    from playhouse.migrations import Runner  # loaded only when a migration will run
    if db.get_tables():
        backup_before_migration(db, backups, version, now or datetime.now(UTC))
    runner = Runner(db, str(MIGRATIONS_DIR))
    with storage_errors():
        # user_version is authoritative; the runner's history follows it.
        applied = runner.applied()
        for script in migration_scripts():
            if script.version <= version and script.name not in applied:
                runner.fake(script.name)
            elif script.version > version and script.name in applied:
                runner.History.delete().where(runner.History.name == script.name).execute()
        done: list[str] = runner.up()
    for name in done:
        log.info("applied migration %s", name)
    return done


def backup_before_migration(
    db: SqliteDatabase, backups: Path, version: int, now: datetime
) -> Path:
    """Write a verified ``VACUUM INTO`` copy of the journal before its schema changes.

    A copy that cannot be written (no room, no such folder) raises a StorageError that says
    so; only a journal that cannot be read is reported as damaged.
    """
    try:
        backups.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        reason = "a file of that name is in the way" if backups.is_file() else error.strerror
        raise StorageError(_backup_failed(backups, reason or str(error))) from error
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    target = backups / f"pre-migration-v{version}-{stamp}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = backups / f"pre-migration-v{version}-{stamp}-{counter}.sqlite3"
    try:
        db.execute_sql("VACUUM INTO ?", (str(target),))
    except BaseException as error:
        # A failed VACUUM INTO leaves a truncated file; it must never pass for a backup.
        target.unlink(missing_ok=True)
        if not isinstance(error, (sqlite3.Error, peewee.DatabaseError)):
            raise
        reason = str(error)
        if _unreadable(reason):  # reading the journal failed, not writing the copy
            raise DatabaseDamaged(
                "The journal file is damaged, so it was not updated. Restore it from a backup."
            ) from error
        # Writing the copy failed (a full disk reports "disk I/O error" here, too).
        raise StorageError(_backup_failed(backups, reason)) from error
    result = quick_check(target)
    if result != ("ok",):
        target.unlink(missing_ok=True)
        raise DatabaseDamaged(
            "The journal failed its check before the update, so it was not changed. "
            "Restore it from a backup."
        )
    target.chmod(0o600)
    return target


def _backup_failed(backups: Path, reason: str) -> str:
    return (
        f"Before updating the journal the app copies it into {backups}, and that copy could "
        f"not be made ({reason}), so the journal was not changed. Free some space or check "
        "that folder, then open the app again."
    )


def quick_check(path: Path) -> tuple[str, ...]:
    """Run ``quick_check`` on a file through a read-only plain-sqlite3 connection."""
    return _check(path, "quick_check")


def integrity_check(path: Path) -> tuple[str, ...]:
    """Run the full ``integrity_check`` on a file, read-only."""
    return _check(path, "integrity_check")


def _check(path: Path, pragma: str) -> tuple[str, ...]:
    try:
        with closing(_read_only(path)) as conn:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as error:
        return (str(error),)
    return tuple(str(row[0]) for row in rows)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)


# The schema version whose migration created the search index (0002_search_index).
SEARCH_INDEX_VERSION = 2


def side_files(path: Path) -> tuple[Path, Path]:
    """The journal's write-ahead log and its shared-memory index (``-wal``, ``-shm``)."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def leftovers(path: Path) -> tuple[Path, ...]:
    """``-wal``/``-shm`` files lying where the journal ``path`` is missing; () if none.

    Only counts when one of them holds something: a write-ahead log without its journal may
    be the only copy of recent notes, and SQLite would replay it into any new journal made
    beside it (or drop it). Both side files are returned when either is not empty.
    """
    if path.exists() or path.is_symlink():
        return ()
    found = tuple(side for side in side_files(path) if side.is_file())
    if any(side.stat().st_size > 0 for side in found):
        return found
    return ()


def describe_leftovers(found: tuple[Path, ...]) -> str:
    """"journal.sqlite3-wal (4,152 bytes)" for each leftover, joined."""
    return " and ".join(f"{side.name} ({side.stat().st_size:,} bytes)" for side in found)


def leftovers_message(folder: Path, found: tuple[Path, ...]) -> str:
    """What to tell the user about a write-ahead log found without its journal."""
    verb = "is" if len(found) == 1 else "are"
    return (
        f"journal.sqlite3 is missing, but {describe_leftovers(found)} {verb} still in "
        f"{folder} and may hold your latest notes. Put journal.sqlite3 back beside them (from "
        "wherever it went, or a backup) before opening the app; opening the app without it "
        "moves them into a dated leftovers folder and starts a new journal."
    )


def set_aside_leftovers(path: Path, now: datetime) -> Path | None:
    """Move the leftovers of a missing journal into a dated folder beside it; its path.

    None if there were none. The folder (``leftovers-<UTC time>``) is made 0700 inside the
    data folder; nothing is deleted. Only then may a new journal be created at ``path``.
    """
    found = leftovers(path)
    if not found:
        return None
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    target = path.parent / f"leftovers-{stamp}"
    counter = 1
    while target.exists():
        counter += 1
        target = path.parent / f"leftovers-{stamp}-{counter}"
    target.mkdir(mode=0o700)
    for side in found:
        side.rename(target / side.name)
    log.warning("moved %d leftover write-ahead file(s) aside into %s", len(found), target.name)
    return target


def _wal_has_content(path: Path) -> bool:
    wal = side_files(path)[0]
    return wal.is_file() and wal.stat().st_size > 0


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """The ``file:`` URI that opens ``path`` read-only (``immutable=1``: without locks)."""
    return path.absolute().as_uri() + ("?immutable=1" if immutable else "?mode=ro")


def open_read_only(path: Path) -> tuple[str, str | None]:
    """How to read ``path`` without writing to it: the URI and, if unusual, a note saying why.

    ``mode=ro`` first; SQLite still needs to create the ``-shm`` beside a WAL journal, which
    a full disk or read-only media refuses. Then, if there is no write-ahead log with
    content to replay, ``immutable=1`` reads the file as it is on disk. Raises the
    StorageError that says what is wrong (never "damaged" for an environment failure).
    """
    uri = read_only_uri(path)
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            conn.execute("PRAGMA user_version").fetchone()
        return uri, None
    except sqlite3.DatabaseError as error:
        mapped = classify(error, path)
        if not isinstance(mapped, (ReadOnly, DiskFull, PermissionDenied)):
            raise
        if _wal_has_content(path):
            raise type(mapped)(
                f"{mapped} Its write-ahead log ({side_files(path)[0].name}) holds changes "
                "that cannot be read until then."
            ) from error
        uri = read_only_uri(path, immutable=True)
        try:
            with closing(sqlite3.connect(uri, uri=True)) as conn:
                conn.execute("PRAGMA user_version").fetchone()
        except sqlite3.DatabaseError:
            raise mapped from error
    reason = {
        ReadOnly: "the journal is on read-only storage",
        DiskFull: "the disk is full",
        PermissionDenied: "the data folder cannot be written by this user",
    }[type(mapped)]
    return uri, f"{reason}, so the journal was read as it is on disk, without SQLite's locks"


def _search_index_state(conn: sqlite3.Connection) -> str:
    """FTS5's ``integrity-check`` of the search index, run on an in-memory copy.

    The check is an INSERT, which a read-only connection refuses, and SQLite 3.40's
    ``integrity_check`` does not look inside FTS5 tables; a copy keeps the journal untouched.
    """
    with closing(sqlite3.connect(":memory:")) as copy:
        conn.backup(copy)
        present = copy.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_index'"
        ).fetchone()
        if present is None:
            return "missing"
        try:
            copy.execute(
                "INSERT INTO search_index(search_index, rank) VALUES ('integrity-check', 1)"
            )
        except sqlite3.DatabaseError as error:
            return f"damaged ({error})"
    return "ok"


def inspect(path: Path) -> JournalStatus:
    """Describe a journal file without writing to it (what ``check`` reports).

    Raises DatabaseDamaged for a file that is not a journal SQLite can read, and the
    matching StorageError when the disk does not let it be read (full, read-only media with
    a write-ahead log, no permission).
    """
    latest = latest_version()
    if not path.exists():
        found = leftovers(path)
        return JournalStatus(path=path, exists=False, latest_version=latest, leftovers=found)
    if not path.is_file():
        raise DatabaseDamaged(f"{path} is not a file, so it is not an Interview Journal file.")
    try:
        uri, note = open_read_only(path)
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            integrity = tuple(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
            index = None
            if integrity == ("ok",) and SEARCH_INDEX_VERSION <= version <= latest:
                index = _search_index_state(conn)
    except sqlite3.DatabaseError as error:
        mapped = classify(error, path)
        if mapped is not None and not isinstance(mapped, DatabaseDamaged):
            raise mapped from error
        raise DatabaseDamaged(
            f"{path} is damaged or is not an Interview Journal file ({error})."
        ) from error
    pending = tuple(s.name for s in migration_scripts() if s.version > version)
    return JournalStatus(
        path=path,
        exists=True,
        schema_version=version,
        latest_version=latest,
        pending=pending,
        integrity=integrity,
        search_index=index,
        read_note=note,
    )


def close(db: SqliteDatabase) -> None:
    """Close cleanly: let SQLite optimise its statistics and fold the WAL back in."""
    if db.is_closed():
        return
    try:
        with storage_errors():
            db.execute_sql("PRAGMA optimize")
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except StorageError as error:  # closing must still happen; the WAL is replayed next open
        log.warning("clean close skipped: %s", type(error).__name__)
    finally:
        db.close()
