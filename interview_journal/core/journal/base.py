"""The Journal's foundation: opening and closing the file, the one write transaction, the
search-index bookkeeping of each write, and the small helpers every area shares.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid as uuidlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Self, TypeVar

import peewee
from peewee import SqliteDatabase, fn

from interview_journal.core import db as dbmod
from interview_journal.core import paths
from interview_journal.core.changes import REPLACED, ChangeRecorder, Changes, Key, Kind, Op
from interview_journal.core.clock import Clock, SystemClock, stored_date, stored_utc
from interview_journal.core.domain import REFLECTION_DUE_DAYS
from interview_journal.core.errors import (
    JournalError,
    LeftoverLog,
    NotFound,
    StorageError,
    WritesHeld,
)
from interview_journal.core.journal.rules import _utc_naive
from interview_journal.core.journal.values import _unreflected_status
from interview_journal.core.models import BaseModel, Interview, InterviewPerson, database_proxy

log = logging.getLogger(__name__)


T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _MadeForMove:
    """A company that ``move_interview`` made, or brought back from the trash, for one
    interview: ``trashed_at`` is when it had gone to the trash (None: made by the move)."""

    interview_id: int
    uuid: str
    trashed_at: datetime | None


class _WriteState(threading.local):
    """Per thread (Peewee gives each thread its own connection): the open write's nesting
    depth, the interviews whose searchable text it changed, what it changed, and who asked."""

    def __init__(self) -> None:
        self.depth = 0
        self.dirty: set[int] = set()
        self.changes = ChangeRecorder()
        self.origin: object = None
        self.announcements: deque[Changes] = deque()  # committed, not yet heard by all
        self.announcing = False


def _uuid_text(stored: str) -> str:
    """A UUID as stored (32 hex digits) in the form ``str(UUID)`` gives, without the UUID."""
    if len(stored) == 32:
        hex_ = stored.lower()
        return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"
    return str(uuidlib.UUID(stored))


def _is_database_error(error: BaseException) -> bool:
    return isinstance(error, (sqlite3.Error, peewee.DatabaseError))


class _Base:
    """Lifecycle and the write transaction; every area builds on it."""

    def __init__(self, database: SqliteDatabase, folder: Path, clock: Clock) -> None:
        self._db = database
        self.folder = folder
        self.clock = clock
        self._state = _WriteState()
        self._held: str | None = None  # why writes are refused for now, if they are
        # Where Journal.open moved a leftover write-ahead log (the app tells the user).
        self.set_aside: Path | None = None
        self.read_only = False  # opened by open_read_only()
        self.closed = False
        # Companies that move_interview made or brought back from the trash for an
        # interview in this session, by company id (see _drop_stray).
        self._made_for_move: dict[int, _MadeForMove] = {}
        self._observers: list[Callable[[Changes], None]] = []

    @classmethod
    def open(
        cls,
        folder: Path,
        *,
        clock: Clock | None = None,
        busy_timeout_ms: int = dbmod.WORKER_BUSY_TIMEOUT_MS,
        set_aside_leftovers: bool = False,
    ) -> Self:
        """Open (creating if needed) the journal in ``folder`` and bring its schema up to date.

        A write-ahead log left without its journal is never written over: it raises
        LeftoverLog, or with ``set_aside_leftovers`` (the app) it is moved into a dated
        folder first, and ``set_aside`` says where.
        """
        paths.ensure_private_dir(folder)
        path = paths.journal_path(folder)
        set_aside = None
        if dbmod.leftovers(path):
            if not set_aside_leftovers:
                raise LeftoverLog(dbmod.leftovers_message(folder, dbmod.leftovers(path)))
            set_aside = dbmod.set_aside_leftovers(path, _utc_naive((clock or SystemClock()).now()))
        database = dbmod.connect(path, busy_timeout_ms)
        try:
            dbmod.migrate(database, paths.backups_dir(folder))
        except BaseException:
            # What stopped the update (an interruption included) is what the caller sees,
            # not a failure to close after it.
            with suppress(peewee.DatabaseError, sqlite3.Error):
                database.close()
            raise
        database_proxy.initialize(database)
        paths.tighten(folder)
        journal = cls(database, folder, clock or SystemClock())
        journal.set_aside = set_aside
        return journal

    @classmethod
    def open_read_only(
        cls, folder: Path, *, clock: Clock | None = None
    ) -> tuple[Self, str | None]:
        """Open the journal in ``folder`` for reading only, where the disk refuses writes.

        Returns the journal and a note saying how it had to be read (``db.open_read_only``).
        Nothing is created or migrated; every write raises ReadOnly. A journal that needs an
        update first is refused with a StorageError that says so.
        """
        path = paths.journal_path(folder)
        uri, note = dbmod.open_read_only(path)
        database = SqliteDatabase(
            uri,
            uri=True,
            pragmas=[("query_only", 1), ("busy_timeout", dbmod.WORKER_BUSY_TIMEOUT_MS),
                     ("trusted_schema", 0)],
            autoconnect=True,
        )
        try:
            with dbmod.storage_errors(path):
                version = dbmod.schema_version(database)
            dbmod.refuse_newer(version)
            if version < dbmod.latest_version():
                raise StorageError(
                    "The journal needs an update that the app makes when it opens it, and it "
                    "cannot be written here; open it where it can be written first."
                )
        except BaseException:
            database.close()
            raise
        database_proxy.initialize(database)
        journal = cls(database, folder, clock or SystemClock())
        journal.read_only = True
        return journal, note

    @property
    def database(self) -> SqliteDatabase:
        return self._db

    @property
    def path(self) -> Path:
        return paths.journal_path(self.folder)

    def hold_writes(self, reason: str) -> None:
        """Refuse every write, with ``WritesHeld(reason)``, until ``allow_writes()``.

        The app holds writes from opening the journal until its check has passed, so that a
        damaged journal never takes a change. Reads go on as usual.
        """
        self._held = reason

    def allow_writes(self) -> None:
        """Take writes again (the journal passed its check)."""
        self._held = None

    @property
    def writes_allowed(self) -> bool:
        return self._held is None

    def close(self) -> None:
        """Close the file: cleanly (optimise, checkpoint) unless writes are held, as then the
        file may be damaged and it and its write-ahead log are left exactly as they were found
        (``db.close``). Later writes raise StorageError."""
        self.closed = True
        dbmod.close(self._db, clean=self._held is None)
        if database_proxy.obj is self._db:
            database_proxy.initialize(None)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def replace_file(self, swap: Callable[[], T]) -> T:
        """Close the file, let ``swap`` put another journal in its place, and open that one.

        For a restore: ``swap`` moves the backup in (``core/backups.restore``). The same
        Journal object then reads the new file (brought up to date if it is older), so every
        view keeps its reference and hears one ``changes.REPLACED``. If ``swap`` fails, the
        file that is there is opened again and nothing is announced. Call it on the thread
        that opened the journal, with every worker stopped (each thread's connection is its
        own).
        """
        if self._state.depth:
            raise StorageError("The journal cannot be replaced in the middle of a change.")
        if self._held is not None:
            raise WritesHeld(self._held)
        dbmod.close(self._db)  # checkpointed: nothing of it is left in a write-ahead log
        try:
            result = swap()
        except BaseException:
            self._reopen()  # what is there now: the journal as it was
            raise
        self._made_for_move.clear()
        try:
            self._reopen()
            dbmod.migrate(self._db, paths.backups_dir(self.folder))
        except JournalError as error:
            # The other journal is in place but cannot be brought up to date here: it takes
            # no change, and every view shows it as it is, while the caller says why.
            self.hold_writes(str(error))
            self._announce(REPLACED)
            raise
        self._announce(REPLACED)
        return result

    def _reopen(self) -> None:
        with dbmod.storage_errors(self.path):
            self._db.connect(reuse_if_open=True)
            dbmod.verify_pragmas(self._db)
        database_proxy.initialize(self._db)

    def observe(self, observer: Callable[[Changes], None]) -> Callable[[], None]:
        """Call ``observer`` with what each write changed, once it has committed.

        Called on the thread that wrote, after the outermost transaction commits, once per
        transaction; a rolled-back one is never announced. Returns a function that stops
        the calls. An observer that raises is logged and the others still hear.
        """
        self._observers.append(observer)

        def stop() -> None:
            with suppress(ValueError):
                self._observers.remove(observer)

        return stop

    def _changed(self, kind: Kind, keys: Key | Iterable[Key], op: Op) -> None:
        """Record, in the open write, that ``keys`` of ``kind`` went through ``op``."""
        self._state.changes.add(kind, keys, op)

    def _announce(self, changes: Changes) -> None:
        """Hand ``changes`` to every observer, in commit order: a write that an observer
        makes while hearing one is announced after every observer has heard the first."""
        state = self._state
        state.announcements.append(changes)
        if state.announcing:
            return
        state.announcing = True
        try:
            while state.announcements:
                current = state.announcements.popleft()
                for observer in list(self._observers):
                    try:
                        observer(current)
                    except Exception:  # the write is committed: a broken view can't undo it
                        log.exception("a journal observer failed on: %s", current)
        finally:
            state.announcing = False

    @contextmanager
    def _write(self, origin: object = None) -> Iterator[None]:
        """One transaction for one change, with SQLite failures turned into StorageErrors.

        Nested calls become savepoints. Interviews whose searchable text changed (``_mark``)
        are indexed once, just before the outermost one commits; what it changed
        (``_changed``) is announced once, right after (``observe``).
        """
        if self.closed:  # autoconnect would reopen the file under an uninitialised proxy
            raise StorageError("The journal is closed; the change was not saved.")
        if self._held is not None:
            raise WritesHeld(self._held)
        state = self._state
        outermost = state.depth == 0
        if outermost:
            state.dirty = set()
            state.changes = ChangeRecorder()
            state.origin = origin
        mark = state.changes.mark()
        state.depth += 1
        try:
            with dbmod.storage_errors(self.path), self._db.atomic("IMMEDIATE"):
                yield
                if outermost and state.dirty:
                    indexed = state.dirty - self._index(state.dirty)
                    self._changed(Kind.INTERVIEW, indexed, Op.REINDEXED)
        except BaseException:
            state.changes.rollback_to(mark)
            raise
        finally:
            state.depth -= 1
            if outermost:
                state.dirty = set()
                recorder, state.changes = state.changes, ChangeRecorder()
                origin, state.origin = state.origin, None
        if outermost:
            changes = recorder.take(origin)
            if changes:
                self._announce(changes)

    def _mark(self, *interview_ids: int) -> None:
        """Note that these interviews' searchable text changed in the open write."""
        self._state.dirty.update(interview_ids)

    def _index(self, interview_ids: set[int]) -> set[int]:
        """Rewrite these interviews' index rows, each in a savepoint; returns the failures.

        A failure rolls back only its savepoint and queues the interview for reindexing, so
        the user's change is still saved.
        """
        from interview_journal.core import search as searchmod

        failed: set[int] = set()
        for interview_id in sorted(interview_ids):
            try:
                with self._db.atomic():
                    searchmod.index_interview(interview_id)
            except Exception as error:  # a broken index must never cost the user the save
                log.warning(
                    "search index not updated for interview %s (%s); queued for reindex",
                    interview_id,
                    type(error).__name__,
                    exc_info=not _is_database_error(error),
                )
                failed.add(interview_id)
        try:
            with self._db.atomic():
                searchmod.unmark_pending(interview_ids - failed)
                searchmod.mark_pending(failed)
        except Exception as error:  # still not worth the save: check_search_index finds them
            log.error("search reindex queue not updated (%s)", type(error).__name__)
        return failed

    @contextmanager
    def transaction(self, origin: object = None) -> Iterator[None]:
        """Group several changes into one transaction, announced once when it commits.

        ``origin`` is handed to observers in ``Changes.origin`` (the editor passes itself, so
        that it does not reload its own text when its own save is announced). Inside an
        open transaction it is ignored: the outermost one's origin stands.
        """
        with self._write(origin):
            yield

    def _now(self) -> datetime:
        return _utc_naive(self.clock.now())

    @staticmethod
    def _maybe_pending(now: datetime) -> Any:
        """Where an interview can be upcoming or due at ``now`` (``_status_of`` decides).

        Live, not reflected, and dated from ``REFLECTION_DUE_DAYS`` (plus a margin for time
        zones and day-long interviews) before today: anything older is past, whatever its
        time. The date comes first, so the (company, date) index does the narrowing.
        """
        cutoff = (now - timedelta(days=REFLECTION_DUE_DAYS + 3)).date()
        return (
            (Interview.date >= cutoff)
            & Interview.reflected_at.is_null()
            & Interview.trashed_at.is_null()
        )

    def interview_end(self, starts_at: datetime | None, on: date | None, minutes: int) -> (
        datetime | None
    ):
        """When an interview ends: start plus duration, or the end of its local day."""
        if starts_at is not None:
            return starts_at + timedelta(minutes=minutes)
        if on is not None:
            zone = self.clock.local_zone()
            return datetime.combine(on + timedelta(days=1), time()).replace(tzinfo=zone)
        return None

    def _status(self, row: Interview, now: datetime) -> str:
        return self._status_of(
            row.reflected_at, row.starts_at, row.date, row.duration_minutes, now
        )

    def _status_of(
        self,
        reflected_at: object,
        starts_at: datetime | str | None,
        on: date | str | None,
        minutes: int,
        now: datetime,
    ) -> str:
        if reflected_at is not None:
            return "reflected"
        end = self.interview_end(stored_utc(starts_at), stored_date(on), minutes)
        return _unreflected_status(end, now)

    def company_id_of(self, interview_id: int) -> int:
        """The id of the company an interview belongs to (one indexed read, no text)."""
        row = self._db.execute_sql(
            'SELECT "company_id" FROM "interview" WHERE "id" = ?', (interview_id,)
        ).fetchone()
        if row is None:
            raise NotFound("That interview no longer exists.")
        return int(row[0])

    def _get(self, model: type[M], row_id: int, what: str) -> M:
        row = model.get_or_none(model.id == row_id)
        if row is None:
            raise NotFound(f"That {what} no longer exists.")
        return row

    def _touch(self, interview_id: int) -> None:
        """Bump an interview's ``updated_at`` after a change to one of its parts (reindexed).

        One UPDATE by id: the row, which holds all of the interview's text, is not read.
        """
        touched = (
            Interview.update(updated_at=self._now()).where(Interview.id == interview_id).execute()
        )
        if not touched:
            raise NotFound("That interview no longer exists.")
        self._mark(interview_id)
        self._changed(Kind.INTERVIEW, interview_id, Op.EDITED)

    @staticmethod
    def _siblings(model: Any, interview_id: int) -> list[Any]:
        return list(model.select().where(model.interview == interview_id).order_by(model.position))

    def _next_position(self, model: Any, interview_id: int) -> int:
        top = model.select(fn.MAX(model.position)).where(model.interview == interview_id).scalar()
        return 0 if top is None else int(top) + 1

    def _open_slot(self, model: Any, interview_id: int, index: int | None) -> int:
        """Make room at ``index`` among an interview's ordered rows; returns the position."""
        siblings = self._siblings(model, interview_id)
        if index is None or index >= len(siblings):
            return len(siblings)
        index = max(0, index)
        for position, row in enumerate(siblings):
            wanted = position if position < index else position + 1
            if row.position != wanted:
                model.update(position=wanted).where(model.id == row.id).execute()
        return index

    def _reorder(self, model: Any, interview_id: int, row_id: int, index: int) -> None:
        ids = [row.id for row in self._siblings(model, interview_id)]
        ids.remove(row_id)
        ids.insert(max(0, min(index, len(ids))), row_id)
        for position, rid in enumerate(ids):
            model.update(position=position).where(model.id == rid).execute()

    def _close_gap(self, model: Any, interview_id: int) -> None:
        for position, row in enumerate(self._siblings(model, interview_id)):
            if row.position != position:
                if model is InterviewPerson:
                    model.update(position=position).where(
                        (model.interview == interview_id) & (model.person == row.person_id)
                    ).execute()
                else:
                    model.update(position=position).where(model.id == row.id).execute()
