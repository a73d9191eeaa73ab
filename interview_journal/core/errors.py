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
