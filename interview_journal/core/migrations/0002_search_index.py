"""Full-text search: the FTS5 table ``search_index`` and the ``search_pending`` queue.

The index keeps its own copy of the text (not external content: an external-content delete
with a missing index row corrupts it, docs/data-safety.md). Its rowid is the interview's id; its
columns are the query's field prefixes (docs/architecture.md). ``tokenchars '+#'`` keeps C++
and C# whole; '.' is left out on purpose, so ".NET" is the word "net" and full stops do not
stick to words.

Nothing is indexed here, so the update stays quick on a large journal: every existing
interview is queued in ``search_pending`` and indexed in the background afterwards.
"""

from __future__ import annotations

from typing import Any

VERSION = 2
# What this version adds, read (not run) by core/db.py to check a file against its version.
# The index is rebuilt from the other tables when it is missing, so it is not required.
TABLES = ("search_pending",)
REBUILDABLE = ("search_index",)

# A frozen copy of the schema, independent of core/search.py.
SEARCH_INDEX = (
    'CREATE VIRTUAL TABLE "search_index" USING fts5 ('
    '"company", "role", "people", "topics", "questions", "went_well", "went_poorly", '
    '"do_differently", "action_items", "impressions", "notes", '
    "tokenize=\"unicode61 remove_diacritics 2 tokenchars '+#'\")"
)
SEARCH_PENDING = 'CREATE TABLE "search_pending" ("interview_id" INTEGER NOT NULL PRIMARY KEY)'


def up(migrator: Any, db: Any) -> None:
    """Create the empty index and queue every interview for indexing."""
    db.execute_sql(SEARCH_INDEX)
    db.execute_sql(SEARCH_PENDING)
    db.execute_sql('INSERT INTO "search_pending" ("interview_id") SELECT "id" FROM "interview"')
    db.pragma("user_version", VERSION)
