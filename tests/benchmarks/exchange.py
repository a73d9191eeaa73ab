"""The benchmark's export and import figures, and their floors (README, Benchmark).

- Export: ``Journal.export_json`` of the whole journal to a file (read in one snapshot,
  written whole and flushed to disk), against a plain ``json.dump`` of every row of every
  table read with ``sqlite3``, flushed to disk too. Bar: within 2x.
- Import: ``Journal.import_json`` of that export into an empty folder (read, checked against
  the schema and the Journal's rules, merged, written in one transaction with its search
  index), against a plain ``executemany`` of the same rows (the search index's included)
  into the same schema, in one transaction. Bar: under 10 s on the heavy journal, within 4x.

Measured in the benchmark's own process on copies of the cached journal.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

# Every table an export or an import touches, in an order the foreign keys accept.
TABLES = ("company", "person", "tag", "interview", "interview_person", "interview_tag",
          "question", "action_item", "timer_session", "setting")


def _rows(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(database)) as conn:
        found = {table: conn.execute(f'SELECT * FROM "{table}"').fetchall() for table in TABLES}
        found["search_index"] = conn.execute(
            "SELECT rowid, * FROM search_index").fetchall()
    return found


def _export_floor(database: Path, target: Path) -> float:
    started = time.perf_counter()
    rows = _rows(database)
    with target.open("w", encoding="utf-8") as handle:
        json.dump({table: rows[table] for table in TABLES}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    return time.perf_counter() - started


def _import_floor(database: Path, empty: Path) -> float:
    rows = _rows(database)
    with closing(sqlite3.connect(empty, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for table, found in rows.items():
            if found:
                marks = ", ".join("?" * len(found[0]))
                columns = "" if table != "search_index" else (
                    "(rowid, " + ", ".join(
                        row[1] for row in conn.execute("PRAGMA table_info(search_index)")
                    ) + ")")
                conn.executemany(f'INSERT INTO "{table}" {columns} VALUES ({marks})', found)
        conn.execute("COMMIT")
        return time.perf_counter() - started


def measure(journal_folder: Path, work: Path) -> dict[str, dict[str, float]]:
    """One run of the export and import figures: ``{"app": {...}, "bare": {...}}`` in s."""
    from interview_journal.core import paths
    from interview_journal.core.journal import Journal

    scratch = work / "exchange"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    source = scratch / "source"
    shutil.copytree(journal_folder, source)
    database = paths.journal_path(source)
    export = scratch / "export.json"

    with Journal.open(source) as journal:
        started = time.perf_counter()
        journal.export_json(export)
        export_s = time.perf_counter() - started
    export_floor_s = _export_floor(database, scratch / "floor.json")

    with Journal.open(scratch / "imported") as journal:
        started = time.perf_counter()
        journal.import_json(export)
        import_s = time.perf_counter() - started
    with Journal.open(scratch / "floor"):
        pass  # the same schema, empty
    import_floor_s = _import_floor(database, paths.journal_path(scratch / "floor"))
    shutil.rmtree(scratch, ignore_errors=True)
    return {
        "app": {"export_s": export_s, "import_s": import_s},
        "bare": {"export_s": export_floor_s, "import_s": import_floor_s},
    }
