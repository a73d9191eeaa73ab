"""Writing a whole SQLite file beside its place, then moving it into place once it is whole.

A new journal (``generate``), and the backups, restores and exports to come, are written into
a hidden staging folder next to where they belong. ``seal()`` folds the file's write-ahead log
into it and checks it: the checkpoint must complete, no log may remain, ``quick_check`` must
pass and the rows counted must be the rows written. Only then does ``place()`` put it where it
belongs, in one step. On a full disk the last checkpoint fails; without ``seal()`` the main
file alone (without the log that held the data) was put in place and reported as a success.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

from interview_journal.core.errors import JournalError, StorageError
from interview_journal.core.sqlite_files import read_only_uri, wal_has_content

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


class NotSealed(StorageError):
    """A staged file could not be made whole and checked; it must not be put in place."""


class PlaceTaken(JournalError):
    """Something appeared where the staged file was to go; it was left as it is."""


def seal(
    staged: Path, expected_rows: Mapping[str, int] | None = None, *, mapped: bool = False
) -> None:
    """Make ``staged`` one self-contained file and check it, or raise ``NotSealed``.

    Every connection to ``staged`` must be closed first. The write-ahead log is checkpointed
    into the file (the checkpoint must finish, and no log with content may remain), the file
    is flushed to disk, and then read as it is (``immutable=1``): ``quick_check`` must say
    "ok" and each table in ``expected_rows`` must hold that many rows. ``mapped`` reads it
    through memory mapping for the check (see ``check_file``).
    """
    try:
        with closing(sqlite3.connect(staged, timeout=0, isolation_level=None)) as conn:
            busy, _log_frames, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy:
                raise NotSealed(_not_sealed("its last changes could not be folded in"))
    except sqlite3.Error as error:
        raise NotSealed(_not_sealed(_reason(error))) from error
    for suffix in ("-wal", "-journal"):
        side = staged.with_name(staged.name + suffix)
        if side.exists() and side.stat().st_size:
            raise NotSealed(_not_sealed("its last changes could not be folded in"))
    try:
        _fsync(staged)
    except OSError as error:
        raise NotSealed(_not_sealed(error.strerror or str(error))) from error
    problems = check_file(staged, expected_rows or {}, mapped=mapped)
    if problems:
        raise NotSealed(_not_sealed(problems[0]))


# How much of a file ``check_file(mapped=True)`` reads through memory mapping.
MAPPED_BYTES = 1 << 30


def check_file(
    path: Path, expected_rows: Mapping[str, int], *, mapped: bool = False
) -> list[str]:
    """What is wrong with the closed SQLite file ``path`` read as it is; empty when whole.

    ``mapped`` reads it through memory mapping (``mmap_size``), about twice as fast on a
    large file; only for a file this process just wrote (a copy being staged): an I/O error
    on a mapped file is a signal, not an error SQLite can report.
    """
    uri = read_only_uri(path, immutable=True)
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            if mapped:
                conn.execute(f"PRAGMA mmap_size = {MAPPED_BYTES}")
            result = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
            if result != ["ok"]:
                return [f"quick_check: {line}" for line in result]
            problems = []
            for table, wanted in expected_rows.items():
                found = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                if found != wanted:
                    problems.append(f"{table} holds {found} rows instead of {wanted}")
            return problems
    except sqlite3.Error as error:
        return [str(error)]


def place(staged: Path, target: Path, *, over_empty: bool = False) -> None:
    """Put the sealed ``staged`` file at ``target`` in one step, never over anything written.

    ``target`` must not exist; with ``over_empty`` it may be a 0-byte file (a journal that was
    created and never written), which is replaced, unless a write-ahead log with content sits
    beside it. Raises ``PlaceTaken`` if anything else is there. The folder is flushed after.
    """
    if over_empty and target.exists():
        info = target.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size or wal_has_content(target):
            raise PlaceTaken(f"{target} was written to meanwhile; it was left as it is.")
        os.replace(staged, target)
    else:
        try:
            os.link(staged, target)  # fails if anything is there, a dangling link included
        except FileExistsError:
            raise PlaceTaken(f"{target} appeared meanwhile; it was left as it is.") from None
    try:
        _fsync_folder(target.parent)
    except OSError as error:
        raise StorageError(
            f"{target} was written, but the folder could not be flushed to disk "
            f"({error.strerror or error})."
        ) from error


def _reason(error: sqlite3.Error) -> str:
    text = str(error)
    return "the disk is full" if "is full" in text.lower() else text


def _not_sealed(reason: str) -> str:
    return f"The new file could not be completed ({reason}), so it was not put in place."


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder to flush it
        return
    _fsync(folder)
