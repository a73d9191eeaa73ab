"""The installed ``interview-journal search`` command (docs/architecture.md, Contracts):
JSON lines with exactly the documented keys, best first; hostile queries exit 0 with a hint
on stderr; a bad ``--limit`` exits 2; it works while the journal is open elsewhere and first
indexes the interviews still waiting for it.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from interview_journal.core import paths, search
from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal

from .app_support import installed

EXIT_OK, EXIT_USAGE = 0, 2
JSON_KEYS = {"interview_uuid", "company", "role", "starts_at", "section", "snippet", "rank"}
UTC_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


COMMAND = [installed("interview-journal")]
Run = Callable[..., subprocess.CompletedProcess[str]]


@dataclass(frozen=True)
class Sample:
    """A closed journal with three interviews that mention kafka."""

    folder: Path
    timed: str  # uuid of the interview with a start time
    dated: str  # uuid of the date-only interview
    markup: str  # uuid of the interview whose text looks like HTML


@pytest.fixture
def sample(tmp_path: Path) -> Sample:
    folder = tmp_path / "data"
    with Journal.open(folder, clock=FakeClock()) as journal:
        acme = journal.create_company("Acme").company.id
        timed = journal.create_interview(
            acme, role="Backend engineer", starts_at=datetime(2026, 2, 20, 15, 30, tzinfo=UTC)
        )
        journal.add_question(timed.id, "How does kafka keep order?", "Partitions")
        journal.update_interview(timed.id, notes="東京のオフィス, C++ and kafka")
        dated = journal.create_interview_for("Beta", role="SRE", on=date(2026, 1, 5))
        journal.update_interview(dated.id, went_well="kafka streams")
        markup = journal.create_interview_for("<b>Gamma</b>", role="<img src=x>")
        journal.update_interview(markup.id, impressions="<b>kafka</b> & <script>")
    return Sample(folder, timed.uuid, dated.uuid, markup.uuid)


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run the command with ``args`` and the data folder given through the environment."""

    def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != paths.ENV_DATA_DIR}
        env[paths.ENV_DATA_DIR] = str(folder)
        return subprocess.run(
            [*COMMAND, *args],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )

    return _run


def _lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_json_lines_carry_exactly_the_documented_keys(sample: Sample, run: Run) -> None:
    result = run(sample.folder, "search", "kafka", "--json")

    assert (result.returncode, result.stderr) == (EXIT_OK, "")
    lines = _lines(result)
    assert [set(line) for line in lines] == [JSON_KEYS] * 3
    assert [line["rank"] for line in lines] == [1, 2, 3]
    by_uuid = {line["interview_uuid"]: line for line in lines}
    assert set(by_uuid) == {sample.timed, sample.dated, sample.markup}
    timed, dated, markup = by_uuid[sample.timed], by_uuid[sample.dated], by_uuid[sample.markup]
    assert (timed["starts_at"], dated["starts_at"]) == ("2026-02-20T15:30:00Z", None)
    assert all(line["starts_at"] is None or UTC_Z.fullmatch(str(line["starts_at"]))
               for line in lines)
    assert (timed["company"], timed["role"], timed["section"]) == (
        "Acme", "Backend engineer", "questions",
    )
    assert (dated["section"], dated["snippet"]) == ("went_well", "kafka streams")
    # Text that looks like HTML stays plain text.
    assert (markup["company"], markup["role"]) == ("<b>Gamma</b>", "<img src=x>")
    assert markup["snippet"] == "<b>kafka</b> & <script>"
    assert all(line["section"] in search.COLUMNS for line in lines)


def test_cjk_and_cpp_queries(sample: Sample, run: Run) -> None:
    for query in ["オフィス", "C++", "notes:東京"]:
        result = run(sample.folder, "search", query, "--json")
        assert result.returncode == EXIT_OK, result.stderr
        [line] = _lines(result)
        assert line["interview_uuid"] == sample.timed
        assert line["snippet"] == "東京のオフィス, C++ and kafka"


def test_human_output_and_limit(sample: Sample, run: Run) -> None:
    result = run(sample.folder, "search", "kafka", "--limit", "1")

    assert result.returncode == EXIT_OK
    first, snippet, more = result.stdout.splitlines()
    assert first.startswith("1. ")
    assert "kafka" in snippet.lower()
    assert more == "(1 of 3 matching interviews; use --limit for more)"
    assert len(_lines(run(sample.folder, "search", "kafka", "--json", "--limit", "2"))) == 2


def test_several_words_are_one_query(sample: Sample, run: Run) -> None:
    result = run(sample.folder, "search", "kafka", "streams", "--json")

    assert [line["interview_uuid"] for line in _lines(result)] == [sample.dated]


@pytest.mark.parametrize(
    "query",
    ['"', "NEAR(", "-", "*", "x" * 10_000, '"unbalanced', "(((", "AND", "-kafka", "nomatchatall",
     "questions:", "\\"],
    ids=["quote", "near", "dash", "star", "10k", "open-quote", "parens", "and", "exclude-only",
         "no-match", "column-only", "backslash"],
)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_hostile_queries_exit_0_with_a_hint(
    sample: Sample, run: Run, query: str, as_json: bool
) -> None:
    result = run(sample.folder, "search", *(["--json"] if as_json else []), "--", query)

    assert result.returncode == EXIT_OK
    assert result.stdout == ""
    assert result.stderr.strip()
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "ten", ""])
def test_limit_out_of_range_exits_2(sample: Sample, run: Run, limit: str) -> None:
    result = run(sample.folder, "search", "kafka", "--limit", limit)

    assert result.returncode == EXIT_USAGE
    assert "--limit" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_pending_interviews_are_indexed_first(sample: Sample, run: Run) -> None:
    journal_file = paths.journal_path(sample.folder)
    with closing(sqlite3.connect(journal_file)) as conn, conn:
        conn.execute("DELETE FROM search_index")  # as after the migration that added search
        conn.execute("INSERT INTO search_pending SELECT id FROM interview")

    result = run(sample.folder, "search", "kafka", "--json")

    assert result.returncode == EXIT_OK
    assert "Indexing 3 interviews" in result.stderr
    assert len(_lines(result)) == 3
    with closing(sqlite3.connect(journal_file)) as conn:
        assert conn.execute("SELECT count(*) FROM search_pending").fetchone() == (0,)


def test_works_while_the_journal_is_open(sample: Sample, run: Run) -> None:
    with Journal.open(sample.folder, clock=FakeClock()) as journal:  # as the app holds it
        interview = journal.create_interview_for("Delta", role="Data engineer")
        journal.update_interview(interview.id, notes="kafka connect")

        result = run(sample.folder, "search", "connect", "--json")

        assert result.returncode == EXIT_OK, result.stderr
        assert [line["interview_uuid"] for line in _lines(result)] == [interview.uuid]
        assert journal.search("connect").hits[0].interview_uuid == interview.uuid


def test_no_journal_yet(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "nothing-here"

    result = run(folder, "search", "kafka")

    assert result.returncode == EXIT_OK
    assert "No journal yet" in result.stderr
    assert not folder.exists()


def test_text_that_is_not_utf8_is_damage_and_never_shown(sample: Sample, run: Run) -> None:
    """SQLite's integrity check does not look at encodings; Python's sqlite3 then fails with
    "Could not decode to UTF-8", quoting the stored text. That is damage (exit 4, one line,
    none of the text), and the journal is closed without a write."""
    import hashlib

    journal = paths.journal_path(sample.folder)
    with closing(sqlite3.connect(journal)) as conn:
        conn.execute("UPDATE company SET name = CAST(X'5365637265744163FF6D65' AS TEXT) "
                     "WHERE name = 'Acme'")
        conn.commit()
    before = hashlib.sha256(journal.read_bytes()).hexdigest()

    result = run(sample.folder, "search", "kafka")

    assert result.returncode == 4, result.stdout + result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "damaged" in result.stderr
    assert "SecretAc" not in result.stderr
    assert "decode" not in result.stderr.lower()
    assert hashlib.sha256(journal.read_bytes()).hexdigest() == before
