"""Opening the journal's SQLite file: pragmas (read back and checked), versions, migrations.

``PRAGMA user_version`` is authoritative: it equals the number of the newest migration
applied. A journal newer than this app is refused untouched. Before migrating a non-empty
journal, a ``VACUUM INTO`` copy that passes ``quick_check`` is written to ``backups/``.
"""

from __future__ import annotations

import ast
import errno
import logging
import os
import re
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import peewee
from peewee import SqliteDatabase

from interview_journal.core import staging
from interview_journal.core.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DiskFull,
    JournalError,
    LeftoverLog,
    NewerSchema,
    PermissionDenied,
    ReadOnly,
    SchemaMismatch,
    StorageError,
    UnsupportedPlatform,
)

# Kept in this module's names too (``db.read_only_uri``): the journal and the CLI use them here.
from interview_journal.core.sqlite_files import read_only_uri as read_only_uri
from interview_journal.core.sqlite_files import side_files as side_files
from interview_journal.core.sqlite_files import wal_has_content as wal_has_content

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIN_SQLITE = (3, 35, 0)
WORKER_BUSY_TIMEOUT_MS = 5000
GUI_BUSY_TIMEOUT_MS = 50
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
# SQLite virtual-machine steps between two looks at whether a check was cancelled.
_CANCEL_EVERY = 100_000


def pragmas(busy_timeout_ms: int) -> list[tuple[str, Any]]:
    """The connection settings docs/data-safety.md asks for, in the order they are applied."""
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
class SchemaStep:
    """What one migration script adds to the schema, as its ``TABLES``, ``REBUILDABLE`` and
    ``COLUMNS`` constants declare it (read without running the script)."""

    version: int
    tables: tuple[str, ...] = ()  # required from this version on
    rebuildable: tuple[str, ...] = ()  # from this version on, rebuilt when missing
    columns: tuple[tuple[str, str], ...] = ()  # (table, column) added to an earlier table


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
    schema: tuple[str, ...] = ()  # where the tables contradict the schema version
    leftovers: tuple[Path, ...] = ()
    search_index: str | None = None
    read_note: str | None = None

    @property
    def newer_than_app(self) -> bool:
        return self.schema_version > self.latest_version

    @property
    def healthy(self) -> bool:
        return self.integrity == ("ok",) and not self.schema

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


def schema_steps() -> list[SchemaStep]:
    """What each shipped script adds, oldest first, read from its constants without running it."""
    steps = []
    for script in migration_scripts():
        declared: dict[str, Any] = {}
        for node in ast.parse(script.path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id in _DECLARED:
                    declared[target.id.lower()] = tuple(
                        tuple(item) if isinstance(item, list | tuple) else item
                        for item in ast.literal_eval(node.value)
                    )
        steps.append(SchemaStep(script.version, **declared))
    return steps


_DECLARED = ("TABLES", "REBUILDABLE", "COLUMNS")
# Tables SQLite, FTS5 and the migration runner keep for themselves.
_OWN_TABLES = re.compile(
    r"sqlite_.*|schema_migration|search_index_(data|idx|content|docsize|config)"
)


def schema_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """Where the file's tables contradict its ``user_version``; empty when they agree.

    A version this app never wrote (negative, or one no script has), a table or column of a
    later version, or a missing table of this one: migrating such a file would fail half-way
    or run on the wrong schema. A newer version is not checked here (it is refused as newer).
    """
    if version > latest_version():
        return []
    steps = schema_steps()
    if version < 0 or (version and version not in {step.version for step in steps}):
        return [f"schema version {version} is not one any version of the app wrote"]
    tables = {
        str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    problems = []
    if version == 0:
        extra = sorted(name for name in tables if not _OWN_TABLES.fullmatch(name))
        if extra:
            return [f"it holds tables ({', '.join(extra)}) but says it has no schema yet"]
    for step in steps:
        for table in (*step.tables, *step.rebuildable):
            if step.version > version and table in tables:
                problems.append(
                    f"the table {table} of schema version {step.version} is there, but the "
                    f"journal says it is at version {version}"
                )
            elif step.version <= version and table in step.tables and table not in tables:
                problems.append(f"the table {table} is missing")
        for table, column in step.columns:
            if table not in tables:
                continue
            present = column in {
                str(row[1]) for row in conn.execute(f'PRAGMA table_info("{table}")')
            }
            if step.version > version and present:
                problems.append(
                    f"the column {table}.{column} of schema version {step.version} is there, "
                    f"but the journal says it is at version {version}"
                )
            elif step.version <= version and not present:
                problems.append(f"the column {table}.{column} is missing")
    return problems


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
    """Whether SQLite's message says the file itself cannot be read as a database.

    Text that is not UTF-8 ("Could not decode to UTF-8 column ...", from Python's sqlite3)
    is damage too: the app only ever stores UTF-8. That message quotes the stored text, so
    it is never shown or logged.
    """
    lowered = text.lower()
    return (
        "not a database" in lowered
        or "malformed" in lowered
        or "could not decode to utf-8" in lowered
    )


def _safe_reason(error: BaseException) -> str:
    """SQLite's message, unless it quotes stored text (a UTF-8 decode error does)."""
    text = str(error)
    if "could not decode" in text.lower():
        return "it holds text that is not UTF-8"
    return text


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


def error_chain(error: BaseException) -> Iterator[BaseException]:
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
    for current in error_chain(error):
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
    _refuse_before_writing(path)
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


def _refuse_before_writing(path: Path) -> None:
    """Refuse, through a read-only connection, a file that opening for writing would change
    when it must not be: newer than the app, tables contradicting its version, or damaged
    and not in WAL mode yet (switching to WAL rewrites the header).

    A missing or unreadable file passes: opening it for real then reports the problem.
    """
    if str(path) == ":memory:":
        return
    found = leftovers(path)
    if found:  # even the read-only look below would discard that log
        raise LeftoverLog(leftovers_message(path.parent, found))
    if not path.is_file():
        return
    if _too_short(path):
        raise DatabaseDamaged(_TOO_SHORT.format(path=path))
    try:
        with closing(_read_only(path)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            _refuse_newer(version)
            problems = schema_problems(conn, version)
    except sqlite3.DatabaseError:
        return
    if problems:
        raise SchemaMismatch(_mismatch(problems))
    with path.open("rb") as header:
        start = header.read(20)
    if len(start) == 20 and start[18:20] != b"\x02\x02" and integrity_check(path) != ("ok",):
        raise DatabaseDamaged(
            "The journal file is damaged, so it was not opened. Restore it from a backup."
        )


# SQLite reads a file shorter than its 100-byte header as an empty database, and would write
# over it; a 0-byte file is an empty journal, but a few bytes of anything else are not.
_HEADER_SIZE = 100
_TOO_SHORT = "{path} is damaged or is not an Interview Journal file (it is too short to be one)."


def _too_short(path: Path) -> bool:
    return 0 < path.stat().st_size < _HEADER_SIZE


def _mismatch(problems: list[str]) -> str:
    return (
        f"The journal file does not match its schema version ({problems[0]}), so it was not "
        "opened and nothing in it was changed."
    )


def migrate(db: SqliteDatabase, backups: Path, now: datetime | None = None) -> list[str]:
    """Bring the journal to the newest schema; return the names of the scripts run.

    Refuses a newer journal untouched; copies a non-empty one aside before changing it.
    """
    version = schema_version(db)
    _refuse_newer(version)
    with storage_errors():
        problems = schema_problems(db.connection(), version)
    if problems:
        raise SchemaMismatch(_mismatch(problems))
    pending = [s for s in migration_scripts() if s.version > version]
    if not pending:
        return []
    from playhouse.migrations import Runner  # loaded only when a migration will run
    if db.get_tables():
        # Only a whole journal is copied and updated (VACUUM INTO rebuilds indexes, so its
        # copy can pass quick_check while the journal's own indexes are damaged).
        if str(db.database) != ":memory:" and integrity_check(Path(db.database)) != ("ok",):
            raise DatabaseDamaged(
                "The journal file is damaged, so it was not updated. Restore it from a backup."
            )
        backup_before_migration(db, backups, version, now or datetime.now(UTC))
    runner = Runner(db, str(MIGRATIONS_DIR))
    # Table rebuilds must not cascade: foreign keys are off for the run, which only takes
    # effect outside a transaction, and checked before it commits.
    enforced = bool(db.execute_sql("PRAGMA foreign_keys").fetchone()[0])
    db.execute_sql("PRAGMA foreign_keys = 0")
    try:
        # One transaction for every script of the run: a failure anywhere leaves the file as
        # it was. user_version is authoritative; the runner's history follows it.
        with storage_errors(), db.atomic("IMMEDIATE"):
            runner.History.create_table()
            applied = runner.applied()
            for script in migration_scripts():
                if script.version <= version and script.name not in applied:
                    runner.fake(script.name)
                elif script.version > version and script.name in applied:
                    runner.History.delete().where(runner.History.name == script.name).execute()
            done: list[str] = runner.up()
            if db.execute_sql("PRAGMA foreign_key_check").fetchone() is not None:
                raise DatabaseDamaged(
                    "Updating the journal would break links between its records, so it was "
                    "not updated."
                )
    finally:
        db.execute_sql(f"PRAGMA foreign_keys = {int(enforced)}")
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
    # Written in a hidden staging folder and linked into place once checked, so that an
    # interrupted or failed copy (kill -9 included) is never listed among the backups.

    try:
        work = Path(tempfile.mkdtemp(prefix=".staging-", dir=backups))
    except OSError as error:
        raise StorageError(_backup_failed(backups, error.strerror or str(error))) from error
    staged = work / target.name
    try:
        try:
            db.execute_sql("VACUUM INTO ?", (str(staged),))
        except (sqlite3.Error, peewee.DatabaseError) as error:
            reason = str(error)
            if _unreadable(reason):  # reading the journal failed, not writing the copy
                raise DatabaseDamaged(
                    "The journal file is damaged, so it was not updated. Restore it from a "
                    "backup."
                ) from error
            # Writing the copy failed (a full disk reports "disk I/O error" here, too).
            raise StorageError(_backup_failed(backups, reason)) from error
        try:
            staging.seal(staged)
        except staging.NotSealed as error:
            raise DatabaseDamaged(
                "The journal failed its check before the update, so it was not changed. "
                "Restore it from a backup."
            ) from error
        staged.chmod(0o600)
        try:
            staging.place(staged, target)
        except (staging.PlaceTaken, OSError) as error:
            raise StorageError(_backup_failed(backups, str(error))) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if work.exists():  # a hidden copy of the private journal is left: say where
            log.warning("could not remove the staging folder %s beside the backups",
                        work.name)
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
    return sqlite3.connect(read_only_uri(path), uri=True)


# The schema version whose migration created the search index (0002_search_index).
SEARCH_INDEX_VERSION = 2


def leftovers(path: Path) -> tuple[Path, ...]:
    """``-wal``/``-shm`` files lying where the journal ``path`` is missing or empty; ().

    A write-ahead log without its journal may be the only copy of recent notes, and SQLite
    discards or replays it as soon as anything connects to ``path`` (a read-only look
    included), so this is asked before any connection is made. It counts when the journal
    is missing and either side file holds something, or when the journal is a 0-byte file
    and its ``-wal`` holds something (a journal emptied by a sync tool or a full disk). Both
    side files are returned then.
    """
    if path.is_symlink() and not path.exists():
        return ()
    if path.exists():
        if not (_is_empty_file(path) and wal_has_content(path)):
            return ()
        return tuple(side for side in side_files(path) if side.is_file())
    found = tuple(side for side in side_files(path) if side.is_file())
    if any(side.stat().st_size > 0 for side in found):
        return found
    return ()


def _is_empty_file(path: Path) -> bool:
    try:
        info = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == 0


def describe_leftovers(found: tuple[Path, ...]) -> str:
    """"journal.sqlite3-wal (4,152 bytes)" for each leftover, joined."""
    return " and ".join(f"{side.name} ({side.stat().st_size:,} bytes)" for side in found)


def leftovers_state(path: Path) -> str:
    """"is missing" or "is empty (0 bytes)": what is wrong with the journal beside leftovers."""
    return "is empty (0 bytes)" if path.exists() else "is missing"


def leftovers_message(folder: Path, found: tuple[Path, ...]) -> str:
    """What to tell the user about a write-ahead log found without its journal."""
    verb = "is" if len(found) == 1 else "are"
    journal = found[0].with_name(found[0].name.rsplit("-", 1)[0])
    return (
        f"journal.sqlite3 {leftovers_state(journal)}, but {describe_leftovers(found)} {verb} "
        f"still in {folder} and may hold your latest notes. Put journal.sqlite3 back beside "
        "them (from wherever it went, or a backup) before opening the app; opening the app "
        "without it moves them into a dated leftovers folder and starts a new journal."
    )


def set_aside_leftovers(path: Path, now: datetime) -> Path | None:
    """Move the leftovers of a missing or empty journal into a dated folder beside it; its
    path.

    None if there were none (a 0-byte journal itself stays: it holds nothing). The folder
    (``leftovers-<UTC time>``) is made 0700 inside the data folder; nothing is deleted.
    Only then may a new journal be created at ``path``.
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


def holds_rows(path: Path, tables: Iterable[str]) -> bool | None:
    """Whether the SQLite file ``path`` has a row in any of ``tables``; None if it cannot be
    read as an SQLite database at all.

    A table the file lacks counts as empty. Never writes, not even a side file: a file without
    a write-ahead log with content in it (closed cleanly) is read as immutable, so no ``-wal``
    or ``-shm`` appears beside it; one with such a log (open elsewhere, or not closed cleanly)
    is read through that log (``mode=ro``), as its rows may be there.
    """
    uri = read_only_uri(path, immutable=not wal_has_content(path))
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            names = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            present = {row[0] for row in names}
            for table in tables:
                if table not in present:
                    continue
                quoted = '"' + table.replace('"', '""') + '"'
                if conn.execute(f"SELECT 1 FROM {quoted} LIMIT 1").fetchone() is not None:
                    return True
    except sqlite3.DatabaseError:
        return None
    return False


def open_read_only(path: Path) -> tuple[str, str | None]:
    """How to read ``path`` without writing to it: the URI and, if unusual, a note saying why.

    ``mode=ro`` first; SQLite still needs to create the ``-shm`` beside a WAL journal, which
    a full disk or read-only media refuses. Then, if there is no write-ahead log with
    content to replay, ``immutable=1`` reads the file as it is on disk. Raises the
    StorageError that says what is wrong (never "damaged" for an environment failure), and
    LeftoverLog, without connecting, for a missing or empty journal beside a write-ahead log.
    """
    found = leftovers(path)
    if found:
        raise LeftoverLog(leftovers_message(path.parent, found))
    uri = read_only_uri(path)
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            conn.execute("PRAGMA user_version").fetchone()
        return uri, None
    except sqlite3.DatabaseError as error:
        mapped = classify(error, path)
        if not isinstance(mapped, (ReadOnly, DiskFull, PermissionDenied)):
            raise
        if wal_has_content(path):
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


def search_index_state(uri: str, cancelled: Callable[[], bool] | None = None) -> str:
    """FTS5's ``integrity-check`` of the search index in the journal at ``uri`` (a read-only
    ``file:`` URI): "ok", "missing" or "damaged (why)". Takes no lock but a reader's.

    The check is an INSERT, which a read-only connection refuses (and which would take the
    journal's write lock), and SQLite 3.40's ``integrity_check`` does not look inside FTS5
    tables. So the index's own shadow tables (its segments, their index, the document sizes
    and its config) are copied, in one read transaction, into an FTS5 table in memory whose
    content is a view of the journal's ``search_index_content``: checking that copy checks
    the journal's index against the journal's stored text, without copying that text or the
    rest of the file. A failing environment (a lock, disk I/O) raises the StorageError.
    """
    with closing(sqlite3.connect("file::memory:", uri=True, isolation_level=None)) as conn:
        if cancelled is not None:
            conn.set_progress_handler(lambda: int(cancelled()), _CANCEL_EVERY)
        conn.execute("PRAGMA temp_store = MEMORY")  # the words of the notes never hit a disk
        conn.execute("ATTACH DATABASE ? AS journal", (uri,))
        conn.execute("BEGIN")  # one snapshot of the index and its text
        try:
            return _copied_index_state(conn)
        except sqlite3.DatabaseError as error:
            if cancelled is not None and cancelled():
                raise
            mapped = classify(error)
            if mapped is not None and not isinstance(mapped, DatabaseDamaged):
                raise mapped from error
            return f"damaged ({_safe_reason(error)})"
        finally:
            if conn.in_transaction:  # an interrupted statement may have rolled it back
                conn.execute("ROLLBACK")


_TOKENIZE = re.compile(r"""tokenize\s*=\s*('(?:[^']|'')*'|"(?:[^"]|"")*")""")


def _copied_index_state(conn: sqlite3.Connection) -> str:
    row = conn.execute(
        "SELECT sql FROM journal.sqlite_master WHERE type = 'table' AND name = 'search_index'"
    ).fetchone()
    if row is None:
        return "missing"
    columns = [str(info[1]) for info in conn.execute("PRAGMA journal.table_info(search_index)")]
    tokenize = _TOKENIZE.search(str(row[0]))
    as_named = ", ".join(f'c{number} AS "{name}"' for number, name in enumerate(columns))
    conn.execute(
        f"CREATE TEMP VIEW index_text AS SELECT id, {as_named} FROM journal.search_index_content"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE temp.index_copy USING fts5("
        + ", ".join(f'"{name}"' for name in columns)
        + ", content='index_text', content_rowid='id'"
        + (f", tokenize={tokenize.group(1)}" if tokenize else "")
        + ")"
    )
    for suffix in ("data", "idx", "docsize", "config"):
        conn.execute(f"DELETE FROM temp.index_copy_{suffix}")
        conn.execute(
            f"INSERT INTO temp.index_copy_{suffix} SELECT * FROM journal.search_index_{suffix}"
        )
    conn.execute("INSERT INTO temp.index_copy(index_copy, rank) VALUES ('integrity-check', 1)")
    return "ok"


class CheckCancelled(Exception):
    """``inspect()`` was asked to stop before it finished; it found nothing either way."""


def inspect(
    path: Path, cancelled: Callable[[], bool] | None = None, *, search_index: bool = True
) -> JournalStatus:
    """Describe a journal file without writing to it (what ``check`` reports, and what the
    app checks after opening the journal).

    Raises DatabaseDamaged for a file that is not a journal SQLite can read, and the
    matching StorageError when the disk does not let it be read (full, read-only media with
    a write-ahead log, no permission). ``cancelled`` is asked now and then; when it says
    True the check stops with ``CheckCancelled``. ``search_index=False`` skips FTS5's check
    of the search index (``search_index`` is then None): the app checks and repairs the
    index in its background upkeep, and ``search`` reports a broken index as it meets it.
    """
    latest = latest_version()
    found = leftovers(path)  # before any connection: connecting would discard that log
    if found or not path.exists():
        return JournalStatus(
            path=path, exists=path.exists(), latest_version=latest, leftovers=found
        )
    if not path.is_file():
        raise DatabaseDamaged(f"{path} is not a file, so it is not an Interview Journal file.")
    if _too_short(path):
        raise DatabaseDamaged(_TOO_SHORT.format(path=path))
    try:
        uri, note = open_read_only(path)
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            if cancelled is not None:
                conn.set_progress_handler(lambda: int(cancelled()), _CANCEL_EVERY)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            integrity = tuple(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
            schema = tuple(schema_problems(conn, version)) if integrity == ("ok",) else ()
            index = None
            if (
                search_index
                and integrity == ("ok",)
                and not schema
                and SEARCH_INDEX_VERSION <= version <= latest
            ):
                index = search_index_state(uri, cancelled)
    except sqlite3.DatabaseError as error:
        if cancelled is not None and cancelled():
            raise CheckCancelled from error
        mapped = classify(error, path)
        if mapped is not None and not isinstance(mapped, DatabaseDamaged):
            raise mapped from error
        raise DatabaseDamaged(
            f"{path} is damaged or is not an Interview Journal file ({_safe_reason(error)})."
        ) from error
    pending = tuple(s.name for s in migration_scripts() if s.version > version)
    return JournalStatus(
        path=path,
        exists=True,
        schema_version=version,
        latest_version=latest,
        pending=pending,
        integrity=integrity,
        schema=schema,
        search_index=index,
        read_note=note,
    )


def close(db: SqliteDatabase, *, clean: bool = True) -> None:
    """Close cleanly: let SQLite optimise its statistics and fold the WAL back in.

    Without ``clean`` nothing is written (a journal that may be damaged): the file and its
    write-ahead log are left exactly as they were. SQLite's last connection to close
    checkpoints the log into the file and deletes it, so a read-only connection is held
    open across the close; a read-only connection cannot checkpoint, so closing it last
    changes nothing either.
    """
    if db.is_closed():
        return
    if not clean:
        _close_leaving_log(db)
        return
    try:
        with storage_errors():
            db.execute_sql("PRAGMA optimize")
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    # Closing must still happen; the WAL is replayed next open. Any SQLite failure counts
    # ("database table is locked" after an interrupted statement, seen), not only the mapped.
    except (StorageError, sqlite3.Error, peewee.DatabaseError) as error:
        log.warning("clean close skipped: %s", type(error).__name__)
    finally:
        db.close()


def _close_leaving_log(db: SqliteDatabase) -> None:
    """Close ``db`` without the checkpoint SQLite runs when its last connection closes."""
    path = Path(str(db.database))
    witness: sqlite3.Connection | None = None
    if str(db.database) != ":memory:" and path.is_file():
        try:
            witness = sqlite3.connect(read_only_uri(path), uri=True)
            # Reading opens the log in this connection: only then does it count as another
            # connection to it. A read that fails (a damaged file) may have opened the log
            # first, so the connection is kept open all the same.
            witness.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            log.warning("closing without a read-only witness: %s", type(error).__name__)
    try:
        db.close()
    finally:
        if witness is not None:
            witness.close()
