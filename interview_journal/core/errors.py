"""The JournalError family: every error a user may see carries a message they can act on."""

from __future__ import annotations


class JournalError(Exception):
    """Base of every error the core raises on purpose; ``str(error)`` is the user's message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(JournalError):
    """The user gave something the journal cannot store (empty name, bad duration, ...)."""


class NotFound(JournalError):
    """The company, interview or item no longer exists."""


class StorageError(JournalError):
    """The environment failed: disk full, read-only, locked, or the file is damaged."""


class DatabaseBusy(StorageError):
    """Another process holds the write lock; the change was not made and can be retried."""


class WritesHeld(DatabaseBusy):
    """The journal takes no writes yet (it is being checked); the change can be retried."""


class DiskFull(StorageError):
    """There is no room left to save."""


class ReadOnly(StorageError):
    """The journal file cannot be written (read-only media or a read-only file)."""


class PermissionDenied(StorageError):
    """The operating system does not let this user read or write the journal's files."""


class DatabaseDamaged(StorageError):
    """The file is not a journal SQLite can read, or it failed its integrity check."""


class SchemaMismatch(DatabaseDamaged):
    """The file's tables contradict its schema version; it is refused before any change."""


class SearchIndexDamaged(StorageError):
    """The search index is damaged or missing; the notes are intact and it can be rebuilt."""


class LeftoverLog(StorageError):
    """A write-ahead log (``-wal``/``-shm``) lies in the data folder without its journal.

    The log may hold the only copy of recent notes, so no journal is ever created over it.
    """


class NewerSchema(JournalError):
    """The journal was written by a newer version of the app; it is left untouched."""


class UnsupportedPlatform(JournalError):
    """This Python's SQLite lacks something the journal needs (FTS5, WAL, a recent version)."""


def log_text(error: BaseException) -> str:
    """``error`` for the log: its type and traceback frames, and those of its causes, without
    any message. A message may quote what the user wrote (SQLite's "Could not decode to
    UTF-8" quotes the stored text), and logs never hold note text."""
    import traceback

    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{kind.__module__}."
                     f"{kind.__qualname__} (message left out)")
        current = current.__cause__ or current.__context__
    return "\nwhile handling, or caused by:\n".join(parts)
