"""Helpers for tests that need their own migration scripts: a copy of 0001 plus fake ones.

``db.MIGRATIONS_DIR`` is swapped for a temporary folder holding a copy of the shipped
``0001_initial.py``; a test then adds a fake ``0002`` to play a schema update.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from interview_journal.core import db as dbmod

# A second version that adds a column, setting user_version in its own transaction as every
# real script must.
ADD_WEBSITE = '''\
"""Fake version 2: companies get a website."""

from peewee import TextField

VERSION = 2


def up(migrator, db):
    migrator.migrate(migrator.add_column("company", "website", TextField(default="")))
    db.pragma("user_version", VERSION)
'''

# A second version that changes the schema and user_version, then fails.
FAILING = '''\
"""Fake version 2 that breaks half-way."""

from peewee import TextField

VERSION = 2


def up(migrator, db):
    migrator.migrate(migrator.add_column("company", "website", TextField(default="")))
    db.pragma("user_version", VERSION)
    raise RuntimeError("boom in 0002")
'''

ADD_WEBSITE_NAME = "0002_add_website"


def use_migrations(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at ``folder``, holding only a copy of the shipped 0001 script."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(dbmod.MIGRATIONS_DIR / "0001_initial.py", folder / "0001_initial.py")
    monkeypatch.setattr(dbmod, "MIGRATIONS_DIR", folder)
    return folder


def add_script(folder: Path, body: str, name: str = ADD_WEBSITE_NAME) -> Path:
    """Drop a migration script into the (patched) migrations folder."""
    path = folder / f"{name}.py"
    path.write_text(body, encoding="utf-8")
    return path


def read(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` through a read-only plain-sqlite3 connection."""
    with closing(sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def user_version(path: Path) -> int:
    """The file's ``PRAGMA user_version``."""
    return int(read(path, "PRAGMA user_version")[0][0])


def columns(path: Path, table: str) -> list[str]:
    """Column names of ``table``."""
    return [str(row[1]) for row in read(path, f"PRAGMA table_info({table})")]
