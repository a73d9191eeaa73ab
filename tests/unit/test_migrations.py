"""Migrations: ``user_version`` is authoritative, newer journals are refused untouched, a
non-empty journal is copied aside before its schema changes, and each script is atomic.

Schema updates are played with fake scripts in a temporary migrations folder
(see ``migration_support``), next to a copy of the shipped ``0001_initial.py``.
"""

from __future__ import annotations

import hashlib
import re
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import peewee
import pytest

from interview_journal.core import db as dbmod
from interview_journal.core import models, paths, search
from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import (
    DatabaseDamaged,
    NewerSchema,
    SchemaMismatch,
    StorageError,
)
from interview_journal.core.journal import Journal
from tests.unit.migration_support import (
    ADD_WEBSITE,
    ADD_WEBSITE_NAME,
    FAILING,
    add_script,
    columns,
    read,
    use_migrations,
    user_version,
)

HISTORY_TABLE = "schema_migration"  # playhouse.migrations' own bookkeeping


def _schema(path: Path) -> dict[str, dict[str, Any]]:
    """Per table: columns, indexes (unique flag and columns) and foreign keys."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY name",
                (HISTORY_TABLE,),
            )
        ]
        schema: dict[str, dict[str, Any]] = {}
        for table in tables:
            cols = [
                # name, type, notnull, default, pk
                (row[1], row[2], row[3], row[4], row[5])
                for row in conn.execute(f"PRAGMA table_info({table})")
            ]
            indexes = {
                row[1]: (
                    row[2],  # unique
                    row[3],  # origin: c (CREATE INDEX), u (UNIQUE), pk
                    tuple(info[2] for info in conn.execute(f"PRAGMA index_info({row[1]})")),
                )
                for row in conn.execute(f"PRAGMA index_list({table})")
            }
            foreign_keys = sorted(
                # table, from, to, on_update, on_delete
                (row[2], row[3], row[4], row[5], row[6])
                for row in conn.execute(f"PRAGMA foreign_key_list({table})")
            )
            schema[table] = {"columns": cols, "indexes": indexes, "foreign_keys": foreign_keys}
    return schema


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _history(path: Path) -> set[str]:
    return {str(row[0]) for row in read(path, f"SELECT name FROM {HISTORY_TABLE}")}


def _pre_migration_copies(folder: Path) -> list[Path]:
    return sorted(paths.backups_dir(folder).glob("pre-migration-*"))


@pytest.fixture
def fake_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrations folder holding only a copy of 0001, in place of the shipped one."""
    return use_migrations(tmp_path / "migrations", monkeypatch)


@pytest.fixture
def folder_at_v1(fake_migrations: Path, tmp_path: Path) -> Path:
    """A closed journal at version 1 holding one company and an interview note."""
    folder = tmp_path / "journal"
    Journal.open(folder, clock=FakeClock()).close()
    # Plain SQL: today's models may have columns that version 1 did not.
    with closing(sqlite3.connect(folder / "journal.sqlite3")) as conn, conn:
        conn.execute(
            "INSERT INTO company (uuid, name, normalized_name, created_at, updated_at) "
            "VALUES ('0c1a0000000040008000000000000001', 'Acme', 'acme', "
            "'2026-03-02 09:00:00', '2026-03-02 09:00:00')"
        )
        conn.execute(
            "INSERT INTO interview (uuid, company_id, role, stage, format, duration_minutes, "
            "location, outcome, went_well, went_poorly, do_differently, impressions, notes, "
            "created_at, updated_at) VALUES ('0c1a0000000040008000000000000002', 1, "
            "'Engineer', '', '', 60, '', 'pending', "
            "'', '', '', '', 'written before the update', '2026-03-02 09:00:00', "
            "'2026-03-02 09:00:00')"
        )
    return folder


# --------------------------------------------------------------------------- fresh journal


def test_empty_database_migrates_to_the_newest_version(journal: Journal) -> None:
    assert user_version(journal.path) == dbmod.latest_version()
    assert dbmod.latest_version() >= 1
    assert _history(journal.path) == {s.name for s in dbmod.migration_scripts()}
    # Nothing to lose in an empty file, so no copy was taken.
    assert _pre_migration_copies(journal.folder) == []


def test_migrated_schema_matches_the_models(journal: Journal, tmp_path: Path) -> None:
    from_models = tmp_path / "models.sqlite3"
    database = peewee.SqliteDatabase(str(from_models))
    every_model = (*models.ALL_MODELS, *search.SEARCH_MODELS)  # search.py holds the index's
    with database.bind_ctx(every_model):
        database.create_tables(every_model)
    database.close()

    migrated = _schema(journal.path)
    expected = _schema(from_models)
    assert sorted(migrated) == sorted(expected)
    for table, parts in expected.items():
        assert migrated[table] == parts, table


# --------------------------------------------------------------------------- newer journal


def _make_newer_with_the_app(folder: Path) -> None:
    Journal.open(folder, clock=FakeClock()).close()
    with closing(sqlite3.connect(paths.journal_path(folder))) as conn:
        conn.execute(f"PRAGMA user_version = {dbmod.latest_version() + 1}")


def _make_newer_in_rollback_mode(folder: Path) -> None:
    # A newer app might not use WAL; switching it to WAL would rewrite its header.
    folder.mkdir(mode=0o700)
    with closing(sqlite3.connect(paths.journal_path(folder))) as conn:
        conn.execute("CREATE TABLE company (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO company (name) VALUES ('Acme')")
        conn.execute(f"PRAGMA user_version = {dbmod.latest_version() + 1}")
        conn.commit()


@pytest.mark.parametrize("make", [_make_newer_with_the_app, _make_newer_in_rollback_mode])
def test_newer_journal_is_refused_and_left_byte_for_byte(tmp_path: Path, make: Any) -> None:
    folder = tmp_path / "journal"
    make(folder)
    journal_file = paths.journal_path(folder)
    before = _sha256(journal_file)

    with pytest.raises(NewerSchema, match="newer version of Interview Journal") as info:
        Journal.open(folder, clock=FakeClock())

    assert f"schema {dbmod.latest_version() + 1}" in str(info.value)
    assert _sha256(journal_file) == before
    assert _pre_migration_copies(folder) == []


def test_migrate_itself_refuses_a_newer_journal(tmp_path: Path) -> None:
    database = dbmod.connect(tmp_path / "journal.sqlite3")
    try:
        database.execute_sql(f"PRAGMA user_version = {dbmod.latest_version() + 1}")
        with pytest.raises(NewerSchema):
            dbmod.migrate(database, tmp_path / "backups")
        assert database.get_tables() == []
    finally:
        database.close()


# --------------------------------------------------------------------------- updating


def test_update_copies_a_non_empty_journal_aside_first(
    folder_at_v1: Path, fake_migrations: Path
) -> None:
    add_script(fake_migrations, ADD_WEBSITE)

    with Journal.open(folder_at_v1, clock=FakeClock()) as journal:
        assert user_version(journal.path) == 2
        assert "website" in columns(journal.path, "company")
        assert journal.companies()[0].name == "Acme"

    copies = _pre_migration_copies(folder_at_v1)
    assert len(copies) == 1
    assert list(paths.backups_dir(folder_at_v1).iterdir()) == copies  # nothing left beside it
    copy = copies[0]
    assert re.fullmatch(r"pre-migration-v1-\d{8}T\d{6}Z\.sqlite3", copy.name)
    assert dbmod.quick_check(copy) == ("ok",)
    # The copy is the journal as it was: version 1, old schema, the old data.
    assert user_version(copy) == 1
    assert "website" not in columns(copy, "company")
    assert read(copy, "SELECT name FROM company") == [("Acme",)]
    assert read(copy, "SELECT notes FROM interview") == [("written before the update",)]


def test_fresh_journal_with_several_scripts_runs_them_all(fake_migrations: Path,
                                                          tmp_path: Path) -> None:
    add_script(fake_migrations, ADD_WEBSITE)
    database = dbmod.connect(tmp_path / "journal.sqlite3")
    try:
        assert dbmod.migrate(database, tmp_path / "backups") == ["0001_initial", ADD_WEBSITE_NAME]
    finally:
        dbmod.close(database)
    assert user_version(tmp_path / "journal.sqlite3") == 2
    assert not (tmp_path / "backups").exists()


def test_user_version_wins_over_an_empty_history_with_nothing_pending(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    with Journal.open(folder, clock=FakeClock()) as journal:
        journal.create_company("Acme")
    journal_file = paths.journal_path(folder)
    with closing(sqlite3.connect(journal_file)) as conn, conn:
        conn.execute(f"DELETE FROM {HISTORY_TABLE}")
    schema = _schema(journal_file)

    with Journal.open(folder, clock=FakeClock()) as journal:
        assert [c.name for c in journal.companies()] == ["Acme"]

    assert _schema(journal_file) == schema
    assert user_version(journal_file) == dbmod.latest_version()
    assert _pre_migration_copies(folder) == []


def test_user_version_wins_over_an_empty_history_with_an_update_pending(
    folder_at_v1: Path, fake_migrations: Path
) -> None:
    journal_file = paths.journal_path(folder_at_v1)
    with closing(sqlite3.connect(journal_file)) as conn, conn:
        conn.execute(f"DELETE FROM {HISTORY_TABLE}")
    add_script(fake_migrations, ADD_WEBSITE)

    database = dbmod.connect(journal_file)
    try:
        # 0001 is recorded as applied (user_version says so), not run again.
        done = dbmod.migrate(database, paths.backups_dir(folder_at_v1))
    finally:
        dbmod.close(database)

    assert done == [ADD_WEBSITE_NAME]
    assert user_version(journal_file) == 2
    assert _history(journal_file) == {"0001_initial", ADD_WEBSITE_NAME}
    assert read(journal_file, "SELECT name FROM company") == [("Acme",)]


def test_history_claiming_a_script_that_user_version_denies_is_run_again(
    folder_at_v1: Path, fake_migrations: Path
) -> None:
    journal_file = paths.journal_path(folder_at_v1)
    with closing(sqlite3.connect(journal_file)) as conn, conn:
        conn.execute(
            f"INSERT INTO {HISTORY_TABLE} (name, applied) VALUES (?, '2026-01-01 00:00:00')",
            (ADD_WEBSITE_NAME,),
        )
    add_script(fake_migrations, ADD_WEBSITE)

    with Journal.open(folder_at_v1, clock=FakeClock()):
        pass

    assert user_version(journal_file) == 2
    assert "website" in columns(journal_file, "company")


def test_failing_script_leaves_user_version_and_schema_unchanged(
    folder_at_v1: Path, fake_migrations: Path
) -> None:
    journal_file = paths.journal_path(folder_at_v1)
    schema = _schema(journal_file)
    script = add_script(fake_migrations, FAILING)

    with pytest.raises(RuntimeError, match="boom in 0002"):
        Journal.open(folder_at_v1, clock=FakeClock())

    # The script changed the schema and user_version, then failed: all of it rolled back.
    assert user_version(journal_file) == 1
    assert _schema(journal_file) == schema
    assert _history(journal_file) == {"0001_initial"}
    assert read(journal_file, "SELECT notes FROM interview") == [("written before the update",)]
    # The copy taken before the attempt is whole.
    [copy] = _pre_migration_copies(folder_at_v1)
    assert dbmod.quick_check(copy) == ("ok",)

    # With the broken script gone (an app without it), the journal opens as before.
    script.unlink()
    with Journal.open(folder_at_v1, clock=FakeClock()) as journal:
        assert [c.name for c in journal.companies()] == ["Acme"]


@contextmanager
def _file_size_limit(limit: int) -> Iterator[None]:
    """No file may grow past ``limit`` bytes: a full disk for every file written meanwhile."""
    import resource

    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a kill
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX file size limits")
def test_failed_pre_migration_copy_leaves_no_partial_backup_and_no_update(
    folder_at_v1: Path, fake_migrations: Path
) -> None:
    journal_file = paths.journal_path(folder_at_v1)
    add_script(fake_migrations, ADD_WEBSITE)
    database = dbmod.connect(journal_file)  # its -wal and -shm exist before the limit
    try:
        with _file_size_limit(8192), pytest.raises(StorageError) as raised:
            dbmod.migrate(database, paths.backups_dir(folder_at_v1))
    finally:
        dbmod.close(database)

    # The copy failed, not the journal: the user is told so, not that the journal is damaged.
    assert not isinstance(raised.value, DatabaseDamaged)
    assert "copy could not be made" in str(raised.value)
    # A half-written copy must not sit among the backups, where it could be restored, nor
    # anything else (the staging folder it was written in is gone too).
    assert _pre_migration_copies(folder_at_v1) == []
    assert list(paths.backups_dir(folder_at_v1).iterdir()) == []
    assert user_version(journal_file) == 1
    assert "website" not in columns(journal_file, "company")
    assert dbmod.quick_check(journal_file) == ("ok",)


def test_a_file_where_the_backups_folder_goes_stops_the_update_with_a_clear_error(
    folder_at_v1: Path, fake_migrations: Path
) -> None:
    journal_file = paths.journal_path(folder_at_v1)
    add_script(fake_migrations, ADD_WEBSITE)
    paths.backups_dir(folder_at_v1).write_text("not a folder", encoding="utf-8")

    with pytest.raises(StorageError) as raised:
        Journal.open(folder_at_v1, clock=FakeClock())

    assert not isinstance(raised.value, DatabaseDamaged)
    assert "copy could not be made" in str(raised.value)
    assert str(paths.backups_dir(folder_at_v1)) in str(raised.value)
    assert user_version(journal_file) == 1
    assert "website" not in columns(journal_file, "company")


# --------------------------------------------------------------------------- version and schema


@pytest.fixture
def current_folder(tmp_path: Path) -> Path:
    """A closed journal at the newest version, with a company in it (so worth a backup)."""
    folder = tmp_path / "current"
    with Journal.open(folder, clock=FakeClock()) as journal:
        journal.create_company("Acme")
    return folder


def _set_version(path: Path, version: int) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {version}")


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        (2, "the table timer_session of schema version 3 is there"),
        (1, "the table search_pending of schema version 2 is there"),
        (4, "the table bank_choice of schema version 5 is there"),
        (0, "it holds tables (action_item, bank_choice, company, "),
        (-5, "schema version -5 is not one any version of the app wrote"),
    ],
)
def test_a_version_the_tables_contradict_is_refused_untouched_and_without_a_backup(
    current_folder: Path, version: int, problem: str
) -> None:
    journal_file = paths.journal_path(current_folder)
    _set_version(journal_file, version)
    before = _sha256(journal_file)

    with pytest.raises(SchemaMismatch) as raised:
        Journal.open(current_folder, clock=FakeClock())

    message = str(raised.value)
    assert problem in message
    assert "\n" not in message
    assert "nothing in it was changed" in message
    assert _sha256(journal_file) == before
    assert user_version(journal_file) == version
    assert not paths.backups_dir(current_folder).exists()


def test_a_missing_core_table_is_refused_untouched(current_folder: Path) -> None:
    journal_file = paths.journal_path(current_folder)
    with closing(sqlite3.connect(journal_file)) as conn:
        conn.execute("DROP TABLE question")
    before = _sha256(journal_file)

    with pytest.raises(SchemaMismatch, match="the table question is missing"):
        Journal.open(current_folder, clock=FakeClock())

    assert _sha256(journal_file) == before


def test_a_version_no_script_has_is_refused(folder_at_v1: Path, fake_migrations: Path) -> None:
    add_script(fake_migrations, ADD_WEBSITE.replace("VERSION = 2", "VERSION = 3"), "0003_web")
    journal_file = paths.journal_path(folder_at_v1)
    _set_version(journal_file, 2)  # between 0001 and 0003: no version 2 ever existed

    with pytest.raises(SchemaMismatch, match="schema version 2 is not one"):
        Journal.open(folder_at_v1, clock=FakeClock())

    assert user_version(journal_file) == 2


FAILING_THIRD = '''\
"""Fake version 3 that fails after version 2 went well."""

VERSION = 3


def up(migrator, db):
    db.execute_sql("CREATE TABLE fake_three (id INTEGER PRIMARY KEY)")
    db.pragma("user_version", VERSION)
    raise RuntimeError("boom in 0003")
'''


def test_a_failure_in_a_later_script_leaves_the_file_byte_for_byte(
    folder_at_v1: Path, fake_migrations: Path
) -> None:
    add_script(fake_migrations, ADD_WEBSITE)
    add_script(fake_migrations, FAILING_THIRD, "0003_failing")
    journal_file = paths.journal_path(folder_at_v1)
    before = _sha256(journal_file)

    with pytest.raises(RuntimeError, match="boom in 0003"):
        Journal.open(folder_at_v1, clock=FakeClock())

    # 0002 went well, but it is part of the same run: rolled back with 0003.
    assert _sha256(journal_file) == before
    assert user_version(journal_file) == 1
    assert "website" not in columns(journal_file, "company")


def test_each_script_declares_the_tables_and_columns_it_adds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What core/db.py checks files against is what the scripts really do, version by version."""
    shipped = dbmod.migration_scripts()
    steps = {step.version: step for step in dbmod.schema_steps()}
    before: tuple[set[str], set[tuple[str, str]]] = (set(), set())
    for count, script in enumerate(shipped, start=1):
        folder = tmp_path / f"up-to-{script.version}"
        folder.mkdir()
        for earlier in shipped[:count]:
            (folder / earlier.path.name).write_bytes(earlier.path.read_bytes())
        monkeypatch.setattr(dbmod, "MIGRATIONS_DIR", folder)
        database = dbmod.connect(folder / "journal.sqlite3")
        try:
            dbmod.migrate(database, folder / "backups")
            conn = database.connection()
            assert dbmod.schema_problems(conn, script.version) == []
            tables = {
                str(row[0])
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if not re.fullmatch(r"sqlite_.*|schema_migration|search_index_.*", str(row[0]))
            }
            cols = {
                (table, str(row[1]))
                for table in tables
                if table != "search_index"
                for row in conn.execute(f'PRAGMA table_info("{table}")')
            }
        finally:
            dbmod.close(database)
        step = steps[script.version]
        assert tables - before[0] == {*step.tables, *step.rebuildable}, script.name
        added = {c for c in cols - before[1] if c[0] in before[0]}  # columns of older tables
        assert added == set(step.columns), script.name
        before = (tables, cols)
