"""The reflection habit: stored timer sessions, and per-interview snooze and skip of reminders."""

from __future__ import annotations

from typing import Any

from peewee import BooleanField, DateTimeField

VERSION = 3
# What this version adds, read (not run) by core/db.py to check a file against its version.
TABLES = ("timer_session",)
COLUMNS = (("interview", "snoozed_until"), ("interview", "reminder_dismissed"))

TIMER_SESSION = (
    'CREATE TABLE "timer_session" ('
    '"id" INTEGER NOT NULL PRIMARY KEY, '
    '"uuid" TEXT NOT NULL, '
    '"kind" VARCHAR(255) NOT NULL, '
    '"interview_id" INTEGER, '
    '"started_at" DATETIME NOT NULL, '
    '"planned_seconds" INTEGER NOT NULL, '
    '"extended_seconds" INTEGER NOT NULL, '
    '"pauses" TEXT NOT NULL, '
    '"held" INTEGER NOT NULL, '
    '"warned" INTEGER NOT NULL, '
    '"ended_at" DATETIME, '
    '"ending" VARCHAR(255), '
    'FOREIGN KEY ("interview_id") REFERENCES "interview" ("id") ON DELETE SET NULL)'
)


def up(migrator: Any, db: Any) -> None:
    """Add ``timer_session`` and the interview's ``snoozed_until`` / ``reminder_dismissed``."""
    db.execute_sql(TIMER_SESSION)
    db.execute_sql('CREATE UNIQUE INDEX "timer_session_uuid" ON "timer_session" ("uuid")')
    db.execute_sql(
        'CREATE INDEX "timer_session_interview_id" ON "timer_session" ("interview_id")'
    )
    db.execute_sql('CREATE INDEX "timer_session_ended_at" ON "timer_session" ("ended_at")')
    migrator.migrate(
        migrator.add_column("interview", "snoozed_until", DateTimeField(null=True)),
        migrator.add_column(
            "interview", "reminder_dismissed", BooleanField(default=False)
        ),
    )
    db.pragma("user_version", VERSION)
