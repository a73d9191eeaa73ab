"""Search index merging: let eight segments gather on a level before FTS5 merges them.

FTS5 writes each change as a small segment and, by default, merges a level once four gather
("automerge" 4). On a large journal that merging lands inside an autosave: on 10,000
interviews an autosave's 95th percentile was ~20 ms and its worst ~100 ms, against ~10 ms and
~30 ms with eight. Queries read a few more segments; the index's maintenance ('optimize')
merges them all. The setting is stored in the index's own config table, so it stays.
"""

from __future__ import annotations

from typing import Any

VERSION = 4

AUTOMERGE = 8  # a frozen copy: core/search.py has its own for a recreated index


def up(migrator: Any, db: Any) -> None:
    """Store the index's automerge setting."""
    db.execute_sql(
        f"INSERT INTO \"search_index\"(\"search_index\", rank) VALUES ('automerge', {AUTOMERGE})"
    )
    db.pragma("user_version", VERSION)
