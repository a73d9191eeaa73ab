"""The question bank's choices: the user split a wrong entry or merged two, and it is kept.

One row per question the user placed: its UUID (so the choice survives an export and an
import, where ids change), the group it was placed in (a UUID too), and a fingerprint of the
wording it was placed with (``core.question_bank.wording_of``: a hash, never the text), so
that a question rewritten since is grouped afresh. No foreign key: a choice about a question
in the trash, or deleted and then restored with its UUID, is kept for when it is back.
"""

from __future__ import annotations

from typing import Any

VERSION = 5
# What this version adds, read (not run) by core/db.py to check a file against its version.
TABLES = ("bank_choice",)

BANK_CHOICE = (
    'CREATE TABLE "bank_choice" ('
    '"id" INTEGER NOT NULL PRIMARY KEY, '
    '"question_uuid" VARCHAR(255) NOT NULL, '
    '"group_uuid" VARCHAR(255) NOT NULL, '
    '"wording" VARCHAR(255) NOT NULL, '
    '"chosen_at" DATETIME NOT NULL)'
)


def up(migrator: Any, db: Any) -> None:
    """Add ``bank_choice``."""
    db.execute_sql(BANK_CHOICE)
    db.execute_sql(
        'CREATE UNIQUE INDEX "bank_choice_question_uuid" ON "bank_choice" ("question_uuid")'
    )
    db.execute_sql('CREATE INDEX "bank_choice_group_uuid" ON "bank_choice" ("group_uuid")')
    db.pragma("user_version", VERSION)
