"""The journal generator: deterministic for a seed, realistic in shape, and a healthy journal.

Heavy and stress journals take too long for the normal run; a mid-size journal stands in for
them where every stage, format, outcome and language must show up.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interview_journal import cli
from interview_journal.core import db as dbmod
from interview_journal.core import paths
from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput
from interview_journal.core.generator import (
    SIZE_NAMES,
    SIZES,
    GeneratedSummary,
    Size,
    generate,
)
from interview_journal.core.journal import (
    FORMATS,
    LEGAL_SUFFIXES,
    OUTCOMES,
    STAGES,
    Journal,
    normalize_name,
)
from interview_journal.core.models import ALL_MODELS

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # the conftest FakeClock's start
MID = Size("mid", companies=30, interviews=240, reflection_bytes=1_500, active_companies=4)


def content(folder: Path) -> str:
    """Every row of every journal table, without ids and UUIDs, in insertion order."""
    lines: list[str] = []
    journal_file = paths.journal_path(folder)
    with closing(sqlite3.connect(journal_file.absolute().as_uri() + "?mode=ro", uri=True)) as c:
        for model in ALL_MODELS:
            table = model._meta.table_name
            columns = [
                row[1]
                for row in c.execute(f"PRAGMA table_info({table})")
                if row[1] not in ("id", "uuid")
            ]
            lines.append(f"== {table}: {', '.join(columns)}")
            query = f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid"
            lines.extend(repr(row) for row in c.execute(query))
    return "\n".join(lines)


def generate_into(folder: Path, size: str | Size, seed: int) -> GeneratedSummary:
    """Generate into a new journal in ``folder`` at the test clock's "now", then close it."""
    with Journal.open(folder, clock=FakeClock(NOW)) as journal:
        return generate(journal, size, seed)


def rows(folder: Path, sql: str) -> list[tuple[object, ...]]:
    journal_file = paths.journal_path(folder)
    with closing(sqlite3.connect(journal_file.absolute().as_uri() + "?mode=ro", uri=True)) as c:
        return list(c.execute(sql))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GeneratedSummary]:
    """A small journal (seed 7), generated once for the shape tests and closed."""
    folder = tmp_path_factory.mktemp("small") / "data"
    return folder, generate_into(folder, "small", 7)


@pytest.fixture(scope="module")
def mid(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GeneratedSummary]:
    """A mid-size journal (240 interviews), generated once and closed."""
    folder = tmp_path_factory.mktemp("mid") / "data"
    return folder, generate_into(folder, MID, 11)


# --------------------------------------------------------------------------- determinism


def test_the_same_seed_gives_the_same_journal(tmp_path: Path) -> None:
    generate_into(tmp_path / "one", "small", 3)
    generate_into(tmp_path / "two", "small", 3)
    first, second = content(tmp_path / "one"), content(tmp_path / "two")
    assert first.count("\n") > 200  # a real journal, not two empty ones
    assert first == second
    # UUIDs are drawn at random by the models: the only difference allowed.
    uuids = "SELECT uuid FROM interview ORDER BY id"
    assert rows(tmp_path / "one", uuids) != rows(tmp_path / "two", uuids)


def test_a_different_seed_gives_a_different_journal(tmp_path: Path) -> None:
    generate_into(tmp_path / "one", "small", 3)
    generate_into(tmp_path / "two", "small", 4)
    names = "SELECT name FROM company ORDER BY id"
    assert rows(tmp_path / "one", names) != rows(tmp_path / "two", names)
    assert content(tmp_path / "one") != content(tmp_path / "two")


def test_dates_follow_the_clock(tmp_path: Path) -> None:
    generate_into(tmp_path / "now", "small", 3)
    with Journal.open(tmp_path / "later", clock=FakeClock(NOW + timedelta(days=10))) as journal:
        generate(journal, "small", 3)
    dates = "SELECT date FROM interview ORDER BY id"
    shifted = [
        datetime.fromisoformat(str(a[0])) - datetime.fromisoformat(str(b[0]))
        for a, b in zip(rows(tmp_path / "later", dates), rows(tmp_path / "now", dates),
                        strict=True)
    ]
    # The same journal ten days later: every date moves with "now" (give or take a weekend).
    assert all(timedelta(days=7) <= delta <= timedelta(days=13) for delta in shifted)


_CHILD = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from interview_journal.core.clock import FakeClock
from interview_journal.core.generator import generate
from interview_journal.core.journal import Journal

clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
with Journal.open(Path(sys.argv[1]), clock=clock) as journal:
    generate(journal, "small", 5)
"""


def test_the_same_seed_gives_the_same_journal_in_another_process(tmp_path: Path) -> None:
    # String hashing differs between processes; nothing may depend on set or hash order.
    for hash_seed in ("1", "2"):
        subprocess.run(
            [sys.executable, "-c", _CHILD, str(tmp_path / hash_seed)],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            check=True,
            timeout=60,
        )
    generate_into(tmp_path / "here", "small", 5)
    assert content(tmp_path / "1") == content(tmp_path / "2") == content(tmp_path / "here")


# --------------------------------------------------------------------------- shape


def test_small_has_the_promised_size(small: tuple[Path, GeneratedSummary]) -> None:
    folder, summary = small
    assert (summary.size, summary.seed) == ("small", 7)
    assert summary.companies == 8
    assert summary.interviews == 25
    assert rows(folder, "SELECT COUNT(*) FROM company") == [(8,)]
    assert rows(folder, "SELECT COUNT(*) FROM interview") == [(25,)]
    assert rows(folder, "SELECT COUNT(*) FROM question") == [(summary.questions,)]
    assert rows(folder, "SELECT COUNT(*) FROM action_item") == [(summary.action_items,)]
    assert rows(folder, "SELECT COUNT(*) FROM person") == [(summary.interviewers,)]
    assert rows(folder, "SELECT COUNT(*) FROM tag") == [(summary.topics,)]
    reflected = rows(folder, "SELECT COUNT(*) FROM interview WHERE reflected_at IS NOT NULL")
    assert reflected == [(summary.reflected,)]
    assert "8 companies, 25 interviews" in summary.describe()


def test_small_has_upcoming_and_due_interviews(small: tuple[Path, GeneratedSummary]) -> None:
    folder, summary = small
    assert summary.upcoming >= 1
    assert summary.due >= 1
    with Journal.open(folder, clock=FakeClock(NOW)) as journal:
        statuses = Counter(
            row.status for company in journal.companies() for row in journal.interviews(company.id)
        )
    assert statuses["upcoming"] == summary.upcoming
    assert statuses["due"] == summary.due
    # Most interviews that ended more than a week ago were reflected on.
    assert statuses["reflected"] > 2 * statuses["past"]


def test_small_always_has_upcoming_and_due_interviews(tmp_path: Path) -> None:
    # Whatever the seed, the demo shows both smart groups filled.
    for seed in range(4):
        summary = generate_into(tmp_path / str(seed), "small", seed)
        assert summary.upcoming >= 1, seed
        assert summary.due >= 1, seed


def test_company_names_carry_legal_suffixes_and_accents(
    small: tuple[Path, GeneratedSummary],
) -> None:
    folder, _ = small
    names = [str(name) for (name,) in rows(folder, "SELECT name FROM company")]
    suffixed = [n for n in names if normalize_name(n).replace(".", "").split()[-1] in
                LEGAL_SUFFIXES]
    assert len(suffixed) >= 4, names
    assert any(not n.isascii() for n in names), names
    assert len({normalize_name(n) for n in names}) == len(names)


def test_interviewers_are_reused_across_a_companys_rounds(
    small: tuple[Path, GeneratedSummary],
) -> None:
    folder, _ = small
    reused = rows(
        folder,
        "SELECT person_id, COUNT(*) FROM interview_person GROUP BY person_id HAVING COUNT(*) > 1",
    )
    assert reused
    # An interviewer only ever sits on their own company's interviews.
    crossed = rows(
        folder,
        "SELECT COUNT(*) FROM interview_person ip JOIN person p ON p.id = ip.person_id "
        "JOIN interview i ON i.id = ip.interview_id WHERE i.company_id != p.company_id",
    )
    assert crossed == [(0,)]


def test_questions_repeat_across_companies(small: tuple[Path, GeneratedSummary]) -> None:
    folder, _ = small
    asked = rows(
        folder,
        "SELECT q.question, i.company_id FROM question q JOIN interview i ON i.id = q.interview_id",
    )
    companies: dict[str, set[object]] = defaultdict(set)
    for question, company in asked:
        companies[str(question)].add(company)
    assert any(len(where) >= 2 for where in companies.values())


def test_dates_span_two_years_around_the_clock(small: tuple[Path, GeneratedSummary]) -> None:
    folder, _ = small
    today = NOW.date()
    dates = [datetime.fromisoformat(str(d)).date() for (d,) in
             rows(folder, "SELECT date FROM interview")]
    assert all(today - timedelta(days=731) <= d <= today + timedelta(days=30) for d in dates)
    assert any(d > today for d in dates)
    assert any(d < today - timedelta(days=60) for d in dates)
    # No write is dated after "now", and reflection comes after the interview ended.
    for table, column in [("interview", "created_at"), ("interview", "updated_at"),
                          ("interview", "reflected_at"), ("company", "created_at"),
                          ("action_item", "done_at")]:
        stamps = rows(folder, f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
        assert stamps, (table, column)
        assert all(datetime.fromisoformat(str(s)) <= NOW.replace(tzinfo=None) for (s,) in stamps)
    with Journal.open(folder, clock=FakeClock(NOW)) as journal:
        for company in journal.companies():
            for row in journal.interviews(company.id):
                doc = journal.interview(row.id)
                end = journal.interview_end(doc.starts_at, doc.date, doc.duration_minutes)
                assert end is not None
                if doc.reflected_at is not None:
                    assert doc.reflected_at >= end
                if row.status == "upcoming":
                    assert (doc.outcome, doc.self_rating, doc.questions) == ("pending", None, ())


def test_reflections_are_filled_in(small: tuple[Path, GeneratedSummary]) -> None:
    folder, summary = small
    reflected = rows(
        folder,
        "SELECT went_well, went_poorly, do_differently, impressions, notes, self_rating "
        "FROM interview WHERE reflected_at IS NOT NULL",
    )
    for *sections, rating in reflected:
        assert all(len(str(text)) > 100 for text in sections)
        assert rating in range(1, 6)
    done = Counter(bool(d) for (d,) in rows(folder, "SELECT done FROM action_item"))
    assert done[True] > 0
    assert done[False] > 0
    assert rows(folder, "SELECT COUNT(*) FROM question WHERE practise") != [(0,)]
    assert 50_000 < summary.text_bytes < 400_000


def test_the_text_count_matches_what_was_stored(mid: tuple[Path, GeneratedSummary]) -> None:
    folder, summary = mid
    columns = {
        "interview": ("went_well", "went_poorly", "do_differently", "impressions", "notes"),
        "question": ("question", "answer", "next_time"),
        "action_item": ("text",),
    }
    stored = 0
    for table, names in columns.items():
        for row in rows(folder, f"SELECT {', '.join(names)} FROM {table}"):
            stored += sum(len(str(text).encode()) for text in row)
    assert stored == summary.text_bytes


def test_a_larger_journal_covers_every_choice(mid: tuple[Path, GeneratedSummary]) -> None:
    folder, summary = mid
    assert (summary.companies, summary.interviews) == (30, 240)
    for column, choices in [("stage", STAGES), ("format", FORMATS), ("outcome", OUTCOMES)]:
        found = {str(v) for (v,) in rows(folder, f"SELECT DISTINCT {column} FROM interview")}
        assert found == {key for key, _ in choices}, column
    date_only = rows(folder, "SELECT COUNT(*) FROM interview WHERE starts_at IS NULL")
    assert date_only != [(0,)]
    text = "\n".join(str(t) for (t,) in rows(folder, "SELECT went_well FROM interview"))
    for sample in ("I ", "J'ai", "Ich ", "Expliqué", "質問"):  # en, fr, de, es, ja
        assert sample in text, sample
    scripts = {unicodedata.name(ch).split()[0] for name in
               rows(folder, "SELECT name FROM company") for ch in str(name[0]) if ch.isalpha()}
    assert {"LATIN", "KATAKANA"} <= scripts or {"LATIN", "CJK"} <= scripts


@pytest.mark.parametrize("fixture", ["small", "mid"])
def test_generated_journals_pass_check(fixture: str, request: pytest.FixtureRequest) -> None:
    folder, _ = request.getfixturevalue(fixture)
    status = dbmod.inspect(paths.journal_path(folder))
    assert status.exists
    assert status.healthy, status.integrity
    assert status.pending == ()
    assert status.schema_version == dbmod.latest_version()


# --------------------------------------------------------------------------- the API


def test_generate_refuses_a_journal_with_companies(journal: Journal) -> None:
    journal.create_company("Acme")
    with pytest.raises(InvalidInput, match="empty journal"):
        generate(journal, "small", 1)
    assert [c.name for c in journal.companies()] == ["Acme"]


def test_generate_refuses_a_journal_whose_companies_are_in_the_trash(journal: Journal) -> None:
    journal.trash_company(journal.create_company("Acme").company.id)
    with pytest.raises(InvalidInput):
        generate(journal, "small", 1)


def test_an_unknown_size_is_refused(journal: Journal) -> None:
    with pytest.raises(InvalidInput, match="small, heavy, stress"):
        generate(journal, "huge", 1)
    assert journal.companies() == []


def test_the_journal_keeps_its_clock(journal: Journal, clock: FakeClock) -> None:
    generate(journal, "small", 1)
    assert journal.clock is clock
    assert clock.now() == NOW


def test_the_sizes_are_the_promised_ones() -> None:
    assert SIZE_NAMES == ("small", "heavy", "stress") == cli.GENERATE_SIZES
    assert (SIZES["heavy"].companies, SIZES["heavy"].interviews) == (300, 3_000)
    assert SIZES["stress"].interviews == 10_000
