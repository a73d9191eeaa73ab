"""Backups of the journal and restoring one: taking, listing, keeping and rotating them.

Plain Python over plain ``sqlite3``: every function opens its own connections (never the
window's), so a worker thread or a headless command can call it while the app is writing.

A backup is a page-by-page copy made with SQLite's backup API in one read transaction: in WAL
mode a reader never blocks a writer, so autosave goes on meanwhile, and the copy is one
consistent snapshot (the interviews are counted in that same transaction). The copy is
written into a hidden staging folder beside its target (``.backup-…``, locked by the process
writing it), sealed and checked by ``core.staging`` (its log folded in, ``quick_check``, the
interviews counted) and only then linked into place, 0600 in a 0700 folder. A copy that fails
its check is never placed; if the journal itself fails ``quick_check`` then, the error says
the journal is damaged (``JournalDamaged``), else that the copy could not be made. The copy
holds the journal's pages as they are, so a copy that passes ``quick_check`` is a journal
that passed it at that moment.

Names sort by time: ``backups/journal-2026-12-04T193000Z.sqlite3`` (``-2`` … when two fall
in the same second). ``pre-migration-v<N>-<time>.sqlite3`` (written before an update) and
``pre-restore-<time>.sqlite3`` (the journal as it was before a restore) are listed too and
never rotated out. Staging folders are never listed; ones left by a killed process are
removed by the next backup or restore.
"""

from __future__ import annotations

import enum
import logging
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from interview_journal.core import db, paths, staging
from interview_journal.core.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    InvalidInput,
    JournalError,
    LeftoverLog,
    NewerSchema,
    NotFound,
    StorageError,
)
from interview_journal.core.sqlite_files import read_only_uri, side_files, wal_has_content

log = logging.getLogger(__name__)

SUFFIX = ".sqlite3"
STAMP = "%Y-%m-%dT%H%M%SZ"
_MIGRATION_STAMP = "%Y%m%dT%H%M%SZ"  # db.backup_before_migration's
_NAMED = re.compile(
    r"(?P<kind>journal|pre-restore|pre-import)-(?P<stamp>\d{4}-\d\d-\d\dT\d{6}Z)(?:-(?P<n>\d+))?\.sqlite3"
)
_MIGRATION = re.compile(
    r"pre-migration-v(?P<version>\d+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?\.sqlite3"
)
BACKUP_STAGING = ".backup-"
RESTORE_STAGING = ".restore-"
_MIGRATION_STAGING = ".staging-"  # db.backup_before_migration's, cleaned once it is old
_STAGING_LOCK = ".lock"
# A staging folder without a lock file yet is another process's for at least this long.
_UNLOCKED_GRACE_S = 600.0
INTERVIEW_TABLE = "interview"
BUSY_TIMEOUT_S = 5.0
# While the app runs, a changed journal is backed up at most this often; at start, when the
# newest backup is older than this.
EVERY = timedelta(minutes=30)
STALE_AFTER = timedelta(days=1)


class JournalDamaged(DatabaseDamaged):
    """The journal failed ``quick_check``, so no backup was made of it."""


class NoJournal(NotFound):
    """There is no journal (or only an empty one) to back up."""


class BadBackup(JournalError):
    """The file given to restore is damaged or is not a journal; nothing was changed."""


class Kind(enum.StrEnum):
    """Where a backup came from: only ``BACKUP`` ones are rotated."""

    BACKUP = "backup"
    PRE_MIGRATION = "pre-migration"
    PRE_RESTORE = "pre-restore"
    PRE_IMPORT = "pre-import"


# The reasons whose backups keep the journal as it was before something the user may want to
# take back: named after it, and never rotated out.
_REASONS = {"pre-restore": Kind.PRE_RESTORE, "pre-import": Kind.PRE_IMPORT}


class Moment(enum.Enum):
    """When ``should_back_up`` is asked."""

    START = "start"
    RUNNING = "running"
    QUIT = "quit"


@dataclass(frozen=True)
class Backup:
    """One backup file. ``interview_count`` is None when the file cannot be read; ``ok`` is
    None until ``check_backup`` ran ``quick_check`` on it, then whether it passed."""

    path: Path
    taken_at: datetime  # aware, UTC, from the name (to the second)
    size: int
    interview_count: int | None
    ok: bool | None = None
    kind: Kind = Kind.BACKUP
    sequence: int = 1  # the -2, -3 … of a name taken twice in one second

    @property
    def rotatable(self) -> bool:
        return self.kind is Kind.BACKUP


@dataclass(frozen=True)
class RetentionPolicy:
    """Which backups ``retain`` keeps: every backup of the last ``recent_hours`` (at most
    ``recent_max`` of them), then the newest of each of the last ``daily`` days, ``weekly``
    ISO weeks and ``monthly`` months that have a backup (UTC). The newest backup is always
    kept, and so is every backup that is not ``Kind.BACKUP``."""

    recent_hours: int = 24
    recent_max: int = 10
    daily: int = 14
    weekly: int = 8
    monthly: int = 12


# ------------------------------------------------------------------------------ taking


def take_backup(
    folder: Path, *, now: datetime, reason: str = "auto", target: Path | None = None,
    mapped: bool = True,
) -> Backup:
    """Copy the journal in data folder ``folder`` into ``backups/`` (or to ``target``, which
    must not exist and whose folder must); the new Backup, already checked (``ok``).

    ``mapped`` checks the copy through memory mapping: about 1.3x faster, but the whole copy
    is mapped into the process for a moment (+80 MB on a heavy journal). The window passes
    False: it runs for hours, and its memory matters more than a fraction of a second.

    ``reason`` "pre-restore" or "pre-import" names it ``pre-restore-…`` or ``pre-import-…``
    (never rotated: the journal as it was before a restore or an import); anything else
    ("auto", "manual") gives a ``journal-…`` backup. Raises NoJournal when there is nothing
    to copy, LeftoverLog for a write-ahead log without its journal, JournalDamaged when the
    journal fails ``quick_check`` (no backup is made of it), DatabaseBusy, DiskFull and the
    other StorageErrors when the copy cannot be made (nothing is left behind), and
    InvalidInput for a ``target`` that is taken or has no folder.
    """
    journal = paths.journal_path(folder)
    _ready_to_copy(journal)
    kind = _REASONS.get(reason, Kind.BACKUP)
    if target is None:
        where = _backups_folder(folder)
    else:
        target = Path(target).absolute()
        where = target.parent
        if not where.is_dir():
            raise InvalidInput(f"{where} is not a folder, so no backup was written there.")
        if target.exists() or target.is_symlink():
            raise InvalidInput(f"{target} already exists; a backup is never written over it.")
    if target is None:  # never in a folder of the user's choosing: what is there is theirs
        clean_staging(where, (BACKUP_STAGING, _MIGRATION_STAGING))
    with _staging_folder(where, BACKUP_STAGING) as work:
        staged = work / f"copy{SUFFIX}"
        try:
            count = _copy(journal, staged)
        except DatabaseDamaged as error:  # reading the journal failed, not writing the copy
            raise _damaged() from error
        try:
            staging.seal(staged, {} if count is None else {INTERVIEW_TABLE: count}, mapped=mapped)
        except staging.NotSealed as error:
            if db.quick_check(journal) != ("ok",):
                raise _damaged() from error
            raise
        os.chmod(staged, 0o600)
        placed = _place(staged, target, where, kind, now)
    return Backup(placed, _second(now), placed.stat().st_size, count, True, kind,
                  _sequence_of(placed))


def _ready_to_copy(journal: Path) -> None:
    found = db.leftovers(journal)
    if found:
        raise LeftoverLog(db.leftovers_message(journal.parent, found))
    if not journal.exists():
        raise NoJournal(f"There is no journal in {journal.parent} yet, so nothing to back up.")
    if not journal.is_file():
        raise DatabaseDamaged(f"{journal} is not a file, so it is not an Interview Journal file.")
    if journal.stat().st_size == 0:
        raise NoJournal(f"The journal in {journal.parent} is empty, so nothing to back up.")


def _damaged() -> JournalDamaged:
    return JournalDamaged(
        "The journal failed its check (quick_check), so no backup was made of it: a copy of "
        "a damaged journal is not one to go back to. Run interview-journal check."
    )


def _backups_folder(folder: Path) -> Path:
    where = paths.backups_dir(folder)
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if sys.platform != "win32":
            where.chmod(0o700)
    except OSError as error:
        reason = "a file of that name is in the way" if where.is_file() else error.strerror
        raise StorageError(f"The backups folder {where} cannot be used ({reason}).") from error
    return where


def _copy(journal: Path, staged: Path) -> int | None:
    """Copy ``journal`` into the new file ``staged`` with the backup API, in one read
    transaction; the interviews it held then (None: it has no interview table)."""
    with db.storage_errors(journal):
        source = sqlite3.connect(
            read_only_uri(journal), uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
        )
        try:
            source.execute("BEGIN")
            try:
                count = _count_interviews(source)  # starts the read transaction: one snapshot
                with closing(sqlite3.connect(staged, isolation_level=None)) as copy:
                    # A new file checked and flushed before it is placed: no journal of its
                    # own and no syncs while it is written (seal flushes it once).
                    copy.execute("PRAGMA journal_mode = OFF")
                    copy.execute("PRAGMA synchronous = OFF")
                    source.backup(copy)  # pages=-1: every page in one step, in that snapshot
                    # A rollback-journal file: reading a backup then leaves no -wal or -shm.
                    copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                if source.in_transaction:
                    source.execute("COMMIT")
        finally:
            source.close()
    return count


def _count_interviews(conn: sqlite3.Connection) -> int | None:
    present = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (INTERVIEW_TABLE,)
    ).fetchone()
    if present is None:
        return None
    return int(conn.execute(f'SELECT COUNT(*) FROM "{INTERVIEW_TABLE}"').fetchone()[0])


def _place(staged: Path, target: Path | None, where: Path, kind: Kind, now: datetime) -> Path:
    """Link ``staged`` into place: at ``target``, or at the first free name in ``where``."""
    if target is not None:
        try:
            staging.place(staged, target)
        except staging.PlaceTaken as error:
            raise InvalidInput(str(error)) from error
        return target
    prefix = "journal" if kind is Kind.BACKUP else kind.value
    stamp = now.astimezone(UTC).strftime(STAMP)
    for sequence in range(1, 1000):
        name = f"{prefix}-{stamp}{'' if sequence == 1 else f'-{sequence}'}{SUFFIX}"
        try:
            staging.place(staged, where / name)
        except staging.PlaceTaken:
            continue
        return where / name
    raise StorageError(f"No free backup name is left in {where} for {stamp}.")


# ------------------------------------------------------------------------------ staging


@contextmanager
def _staging_folder(where: Path, prefix: str) -> Iterator[Path]:
    """A hidden folder in ``where``, locked while it is in use and removed after."""
    try:
        work = Path(tempfile.mkdtemp(prefix=prefix, dir=where))  # 0700
    except OSError as error:
        raise db.classify(error, where) or StorageError(
            f"Nothing can be written in {where} ({error.strerror or error})."
        ) from error
    lock = _hold(work / _STAGING_LOCK)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if lock is not None:
            os.close(lock)
        if work.exists():
            log.warning("could not remove the staging folder %s", work.name)


def _hold(lock: Path) -> int | None:
    """Open and lock ``lock`` for this process (released when it ends, kill -9 included)."""
    descriptor = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
    if sys.platform != "win32":
        import fcntl

        fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def _abandoned(work: Path) -> bool:
    """Whether no live process is writing in the staging folder ``work``."""
    lock = work / _STAGING_LOCK
    if not lock.is_file() or sys.platform == "win32":
        try:
            return time.time() - work.stat().st_mtime > _UNLOCKED_GRACE_S
        except OSError:
            return False
    import fcntl

    try:
        descriptor = os.open(lock, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # its writer is alive
    finally:
        os.close(descriptor)  # closing releases the probe's lock
    return True


def clean_staging(
    where: Path, prefixes: tuple[str, ...] = (BACKUP_STAGING, RESTORE_STAGING)
) -> list[Path]:
    """Remove the staging folders (named with one of ``prefixes``) in the app's folder
    ``where`` that a killed backup or restore left; which.

    A folder a live process is writing in is kept (it holds a lock); so is one of an
    interrupted update's copy (``.staging-…``) younger than an hour.
    """
    removed = []
    try:
        entries = list(where.iterdir())
    except OSError:
        return []
    for entry in entries:
        if entry.is_symlink() or not entry.is_dir():
            continue
        if not entry.name.startswith(prefixes):
            continue
        if entry.name.startswith((BACKUP_STAGING, RESTORE_STAGING)):
            stale = _abandoned(entry)
        elif entry.name.startswith(_MIGRATION_STAGING):
            try:
                stale = time.time() - entry.stat().st_mtime > _UNLOCKED_GRACE_S
            except OSError:
                stale = False
        else:
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
            log.info("removed a staging folder left by an interrupted copy: %s", entry.name)
    return removed


# ------------------------------------------------------------------------------ listing


def list_backups(folder: Path) -> list[Backup]:
    """The backups in ``folder``'s ``backups/``, newest first, with their interview counts
    (``ok`` unknown: see ``check_backup``). Staging folders and other files are left out.
    Reads each file as it is, read-only; writes nothing."""
    found = []
    for path, taken_at, kind, sequence in _named(paths.backups_dir(folder)):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        found.append(Backup(path, taken_at, size, _interviews_in(path), None, kind, sequence))
    return sorted(found, key=_order, reverse=True)


def _named(where: Path) -> Iterator[tuple[Path, datetime, Kind, int]]:
    try:
        entries = list(where.iterdir())
    except OSError:
        return
    for entry in entries:
        parsed = parse_name(entry.name)
        if parsed is not None and entry.is_file() and not entry.is_symlink():
            yield (entry, *parsed)


def parse_name(name: str) -> tuple[datetime, Kind, int] | None:
    """When a backup file called ``name`` was taken, its kind and sequence; None if it is
    not a backup's name."""
    match = _NAMED.fullmatch(name)
    if match is not None:
        stamp, layout = match["stamp"], STAMP
        kind = _REASONS.get(match["kind"], Kind.BACKUP)
    else:
        match = _MIGRATION.fullmatch(name)
        if match is None:
            return None
        stamp, kind, layout = match["stamp"], Kind.PRE_MIGRATION, _MIGRATION_STAMP
    try:
        taken_at = datetime.strptime(stamp, layout).replace(tzinfo=UTC)
    except ValueError:
        return None
    return taken_at, kind, int(match["n"] or 1)


def _order(backup: Backup) -> tuple[datetime, int, str]:
    return backup.taken_at, backup.sequence, backup.path.name


def _interviews_in(path: Path) -> int | None:
    try:
        with closing(sqlite3.connect(read_only_uri(path, immutable=True), uri=True)) as conn:
            return _count_interviews(conn)
    except sqlite3.Error:
        return None


def check_backup(backup: Backup) -> Backup:
    """``backup`` with ``ok`` set: whether it passes ``quick_check`` and is a journal."""
    try:
        _verify(backup.path)
    except (BadBackup, NewerSchema, OSError):
        return replace(backup, ok=False)
    return replace(backup, ok=True)


def newest_good_backup(folder: Path) -> Backup | None:
    """The newest backup that passes ``check_backup`` (any kind), or None."""
    for backup in list_backups(folder):
        checked = check_backup(backup)
        if checked.ok:
            return checked
    return None


# ------------------------------------------------------------------------------ the policy


def should_back_up(
    now: datetime,
    newest: Backup | datetime | None,
    changed_since: bool,
    *,
    moment: Moment = Moment.RUNNING,
    every: timedelta = EVERY,
    stale_after: timedelta = STALE_AFTER,
) -> bool:
    """Whether to take a backup now, given when the newest was taken (None: never) and
    whether the journal changed since.

    Nothing is taken when nothing changed. Otherwise: while the app runs, at most every
    ``every`` (30 minutes); on quit, always; at start, when the newest is older than
    ``stale_after`` (a day) or there is none.
    """
    if not changed_since:
        return False
    if moment is Moment.QUIT:
        return True
    taken_at = newest.taken_at if isinstance(newest, Backup) else newest
    if taken_at is None:
        return True
    age = now - taken_at
    return age > stale_after if moment is Moment.START else age >= every


def journal_changed_since(folder: Path, newest: Backup | None) -> bool:
    """Whether the journal's files were written after the ``newest`` backup's file was (by
    their modification times, both the machine's clock); True when there is no backup.

    A checkpoint counts as a change, so this may ask for a backup that holds nothing new;
    it never misses a write. The window knows better from its change announcements.
    """
    journal = paths.journal_path(folder)
    if not journal.is_file() or journal.stat().st_size == 0:
        return False
    if newest is None:
        return True
    try:
        taken = newest.path.stat().st_mtime_ns
    except OSError:
        return True
    written = [p.stat().st_mtime_ns for p in (journal, side_files(journal)[0]) if p.is_file()]
    return max(written) > taken


def retain(
    backups: Iterable[Backup], now: datetime, policy: RetentionPolicy | None = None
) -> tuple[list[Backup], list[Backup]]:
    """Split ``backups`` into those ``policy`` keeps and those it drops, each newest first.

    Only ``Kind.BACKUP`` ones are ever dropped. Apply it only after the newest backup was
    taken and checked (``take_backup`` returns only then).
    """
    policy = policy or RetentionPolicy()
    everything = sorted(backups, key=_order, reverse=True)
    pool = [backup for backup in everything if backup.rotatable]
    kept: set[Path] = {pool[0].path} if pool else set()
    since = now - timedelta(hours=policy.recent_hours)
    recent = [backup for backup in pool if backup.taken_at > since]
    kept.update(backup.path for backup in recent[: policy.recent_max])
    tiers: tuple[tuple[int, Callable[[datetime], Hashable]], ...] = (
        (policy.daily, _day),
        (policy.weekly, _week),
        (policy.monthly, _month),
    )
    for count, bucket in tiers:
        seen: list[Hashable] = []
        for backup in pool:  # newest first: the first of each bucket is its newest
            key = bucket(backup.taken_at)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            kept.add(backup.path)
    keep = [b for b in everything if not b.rotatable or b.path in kept]
    drop = [b for b in everything if b.rotatable and b.path not in kept]
    return keep, drop


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _week(moment: datetime) -> tuple[int, int]:
    year, week, _weekday = moment.astimezone(UTC).isocalendar()
    return year, week


def _month(moment: datetime) -> tuple[int, int]:
    utc = moment.astimezone(UTC)
    return utc.year, utc.month


def rotate(
    folder: Path, now: datetime, policy: RetentionPolicy | None = None
) -> list[Backup]:
    """Delete the backups ``retain`` drops (never a pre-migration or pre-restore one); the
    deleted. Call it after a backup was taken."""
    _keep, drop = retain(_listed_by_name(folder), now, policy)
    for backup in drop:
        with suppress(FileNotFoundError):  # another process rotated it first
            backup.path.unlink()
    return drop


def back_up_if_due(
    folder: Path,
    *,
    now: datetime,
    moment: Moment = Moment.RUNNING,
    changed_since: bool | None = None,
    policy: RetentionPolicy | None = None,
    mapped: bool = True,
) -> Backup | None:
    """The whole routine for a worker: take a backup if ``should_back_up`` says so, then
    rotate; the new backup, or None when none was due.

    ``changed_since`` is whether the journal changed since the newest backup (the window
    knows from its change announcements); None asks ``journal_changed_since``. Raises what
    ``take_backup`` raises.
    """
    listed = _listed_by_name(folder)
    newest = max(listed, key=_order) if listed else None
    if changed_since is None:
        changed_since = journal_changed_since(folder, newest)
    if not should_back_up(now, newest, changed_since, moment=moment):
        return None
    made = take_backup(folder, now=now, mapped=mapped)
    rotate(folder, now, policy)
    return made


def newest_listed(folder: Path) -> Backup | None:
    """The newest backup by its name alone, no file opened (for "backed up at …"): its
    ``size`` is 0 and its ``interview_count`` None."""
    listed = _listed_by_name(folder)
    return max(listed, key=_order) if listed else None


def _listed_by_name(folder: Path) -> list[Backup]:
    """The backups, from their names alone (no file is opened): what ``retain`` needs."""
    return [
        Backup(path, taken_at, 0, None, None, kind, sequence)
        for path, taken_at, kind, sequence in _named(paths.backups_dir(folder))
    ]


# ------------------------------------------------------------------------------ restoring


def restore(folder: Path, backup: Backup | Path, *, now: datetime) -> Path | None:
    """Put the journal of ``backup`` in place of ``folder``'s journal; where the journal as
    it was went (None: there was none).

    The backup is checked first (it must pass ``quick_check``, be a closed SQLite file and a
    journal this app can open); if not, BadBackup (NewerSchema for a newer app's) is raised
    and nothing is touched. Then the backup is copied beside the journal and checked again,
    and the journal as it was is kept: a readable one as a ``pre-restore-…`` backup (its
    write-ahead log folded in first), a damaged one moved whole (with its ``-wal``/``-shm``)
    into ``damaged-<time>/`` in the data folder. Nothing is deleted but empty side files.
    The copy then replaces the journal in one step (``os.replace``).

    No other program may have the journal open: the command line refuses while the app has
    the data folder, and the window closes its journal first. A journal someone else is
    writing to raises DatabaseBusy before it is replaced.
    """
    source = Path(backup.path if isinstance(backup, Backup) else backup).absolute()
    journal = paths.journal_path(folder)
    if journal.exists() and source.exists() and os.path.samefile(source, journal):
        raise BadBackup(f"{source} is the journal itself; pick a backup to restore.")
    count = _verify(source)
    if not folder.exists():
        paths.ensure_private_dir(folder)
    clean_staging(folder, (RESTORE_STAGING,))
    with _staging_folder(folder, RESTORE_STAGING) as work:
        staged = paths.journal_path(work)
        try:
            shutil.copyfile(source, staged)
            os.chmod(staged, 0o600)
            staging.seal(staged, {} if count is None else {INTERVIEW_TABLE: count})
        except OSError as error:
            raise db.classify(error, folder) or StorageError(
                f"The backup could not be copied into {folder} ({error.strerror or error}); "
                "the journal was not changed."
            ) from error
        previous = _set_aside(folder, journal, now, work)
        os.replace(staged, journal)
        _flush_folder(folder)
    return previous


def _verify(path: Path) -> int | None:
    """Raise BadBackup unless ``path`` is a closed, whole journal this app can open; its
    interview count."""
    name = path.name
    if not path.is_file():
        raise BadBackup(f"{path} is not a file, so it cannot be restored.")
    if wal_has_content(path):
        raise BadBackup(
            f"{name} has a write-ahead log with changes beside it (it is open or was not "
            "closed), so it is not a backup to restore."
        )
    if path.stat().st_size < 100:
        raise BadBackup(f"{name} is too short to be a journal, so it cannot be restored.")
    problems = staging.check_file(path, {})
    if problems:
        raise BadBackup(
            f"{name} is damaged or is not a journal ({problems[0]}), so it was not restored; "
            "the journal was not changed."
        )
    try:
        with closing(sqlite3.connect(read_only_uri(path, immutable=True), uri=True)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            db.refuse_newer(version)
            mismatch = db.schema_problems(conn, version)
            count = _count_interviews(conn)
    except sqlite3.Error as error:
        raise BadBackup(f"{name} cannot be read as a journal ({error}).") from error
    if mismatch or count is None:
        reason = mismatch[0] if mismatch else "it has no interviews table"
        raise BadBackup(f"{name} is not an Interview Journal file ({reason}), so it was not "
                        "restored; the journal was not changed.")
    return count


def _set_aside(folder: Path, journal: Path, now: datetime, work: Path) -> Path | None:
    """Keep the journal as it is before it is replaced; where it went."""
    if not journal.exists() or journal.stat().st_size == 0:
        if db.leftovers(journal):  # a log without its journal may hold notes: kept
            return db.set_aside_leftovers(journal, now)
        for side in side_files(journal):  # empty side files hold nothing
            if side.is_file():
                side.unlink()
        return None
    if _damaged_journal(journal):
        return _move_aside(folder, journal, now)
    _fold_log(journal)
    safety = take_backup(folder, now=now, reason="pre-restore")
    if wal_has_content(journal):
        raise DatabaseBusy(
            "Another program wrote to the journal during the restore, so it was not "
            f"replaced; a copy of it as it was is in {safety.path}."
        )
    for side in side_files(journal):  # left empty by the read-only copy: they hold nothing
        if side.is_file():
            side.rename(work / side.name)  # removed with the staging folder
    return safety.path


def _fold_log(journal: Path) -> None:
    """Checkpoint the journal's write-ahead log into it and close: the last connection to
    close removes the log, so one still there means another program has it open."""
    try:
        with closing(sqlite3.connect(journal, timeout=BUSY_TIMEOUT_S)) as conn:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.Error as error:
        raise db.classify(error, journal) or StorageError(str(error)) from error
    if busy or any(side.exists() for side in side_files(journal)):
        raise DatabaseBusy(
            "Another program has the journal open, so it was not replaced. Close it (the app, "
            "a search) and restore again; nothing was changed."
        )


def _damaged_journal(journal: Path) -> bool:
    """Whether the journal fails ``quick_check`` because it is damaged: a journal that cannot
    be read for another reason (locked, unreadable, the disk) raises what stopped it instead,
    so that a healthy journal is never set aside as damaged."""
    try:
        with closing(sqlite3.connect(read_only_uri(journal), uri=True,
                                     timeout=BUSY_TIMEOUT_S)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as error:
        mapped = db.classify(error, journal)
        if isinstance(mapped, DatabaseDamaged):
            return True
        raise (mapped or StorageError(str(error))) from error
    return [str(row[0]) for row in rows] != ["ok"]


def _move_aside(folder: Path, journal: Path, now: datetime) -> Path:
    """Keep the damaged journal and its side files in ``damaged-<time>/``; the journal's own
    name stays in place until the restored copy replaces it (``os.replace``), so no moment
    is left without a journal. The journal is linked (copied where links are refused) into
    the folder; its side files are moved (the restored journal must not meet them)."""
    stamp = now.astimezone(UTC).strftime(STAMP)
    target = folder / f"damaged-{stamp}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"damaged-{stamp}-{counter}"
    target.mkdir(mode=0o700)
    kept = target / journal.name
    try:
        os.link(journal, kept)
    except OSError:  # a file system without hard links
        shutil.copyfile(journal, kept)
        os.chmod(kept, 0o600)
    for side in (*side_files(journal), journal.with_name(journal.name + "-journal")):
        if side.exists():
            side.rename(target / side.name)
    _flush_folder(target)
    _flush_folder(folder)
    log.warning("kept the damaged journal in %s before a restore", target.name)
    return target


def _flush_folder(folder: Path) -> None:
    if sys.platform == "win32":  # Windows cannot open a folder to flush it
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError:
        log.warning("the data folder could not be flushed after a restore")


def _second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _sequence_of(path: Path) -> int:
    parsed = parse_name(path.name)
    return parsed[2] if parsed else 1
