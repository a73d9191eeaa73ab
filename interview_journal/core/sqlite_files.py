"""A SQLite file on disk: its side files, whether its log holds changes, reading it read-only.

The lowest layer of the core's SQLite code: ``db`` (opening, checking, migrating) and
``staging`` (putting whole files in place) both build on it, so neither imports the other's
module to get at these.
"""

from __future__ import annotations

from pathlib import Path


def side_files(path: Path) -> tuple[Path, Path]:
    """The journal's write-ahead log and its shared-memory index (``-wal``, ``-shm``)."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def wal_has_content(path: Path) -> bool:
    """Whether the journal ``path`` has a write-ahead log with anything in it (changes that
    may not be in the file itself yet)."""
    wal = side_files(path)[0]
    return wal.is_file() and wal.stat().st_size > 0


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """The ``file:`` URI that opens ``path`` read-only (``immutable=1``: without locks)."""
    return path.absolute().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
