"""The installed ``interview-journal questions`` command (docs/architecture.md, Contracts): a
table, or JSON lines with exactly the documented keys, most asked first; ``--company`` found
as the new-interview dialog finds names, unknown or ambiguous names exit 2 with the closest.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal

from .app_support import installed

EXIT_OK, EXIT_USAGE = 0, 2
JSON_KEYS = {"text", "count", "asked", "latest_answer", "practise"}
ASKED_KEYS = {"company", "stage", "date", "interview_uuid"}
COMMAND = [installed("interview-journal")]
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run() -> Run:
    def run_(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*COMMAND, "--data-dir", str(folder), "questions", *args],
            capture_output=True, text=True, timeout=120, check=False,
        )

    return run_


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """Acme Inc asked about a disagreement twice in other words; Acme Robotics and Beta once."""
    folder = tmp_path / "data"
    with Journal.open(folder, clock=FakeClock()) as journal:
        first = journal.create_interview_for("Acme Inc", stage="behavioural", on=date(2026, 1, 5))
        journal.add_question(first.id, "Tell me about a time you disagreed with a teammate",
                             "Old answer")
        later = journal.create_interview_for("Acme Inc", stage="final", on=date(2026, 2, 9))
        journal.add_question(
            later.id, "Describe a disagreement with a team-mate, how did you handle it?",
            "Newer answer", practise=True,
        )
        journal.add_question(later.id, "Why Acme?")
        robotics = journal.create_interview_for("Acme Robotics", stage="technical",
                                                on=date(2026, 1, 20))
        journal.add_question(robotics.id, "Reverse a linked list.\x1b[31m")
        beta = journal.create_interview_for("Beta", stage="technical", on=date(2026, 2, 1))
        journal.add_question(beta.id, "Why Beta?")
        gone = journal.create_interview_for("Beta", stage="final", on=date(2026, 2, 2))
        journal.add_question(gone.id, "A question in the trash")
        journal.trash_interview(gone.id)
    return folder


def _lines(done: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert done.returncode == EXIT_OK, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_json_lines_have_exactly_the_keys_most_asked_first(sample: Path, run: Run) -> None:
    lines = _lines(run(sample, "--json"))

    assert [set(line) for line in lines] == [JSON_KEYS] * len(lines)
    assert [line["count"] for line in lines] == [2, 2, 1]
    disagreement = lines[0] if "Acme Inc" in json.dumps(lines[0]) else lines[1]
    assert disagreement["latest_answer"] == "Newer answer"
    assert disagreement["practise"] is True
    asked = disagreement["asked"]
    assert isinstance(asked, list)
    assert [set(a) for a in asked] == [ASKED_KEYS, ASKED_KEYS]
    assert [(a["company"], a["stage"], a["date"]) for a in asked] == [
        ("Acme Inc", "final", "2026-02-09"), ("Acme Inc", "behavioural", "2026-01-05"),
    ]
    # "Why Acme?" at Acme and "Why Beta?" at Beta are one question.
    why = next(line for line in lines if str(line["text"]).startswith("Why"))
    assert why["count"] == 2
    assert "A question in the trash" not in json.dumps(lines)


def test_the_table_is_readable_and_escapes_control_characters(sample: Path, run: Run) -> None:
    done = run(sample)

    assert done.returncode == EXIT_OK, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["Asked", "Last", "asked"]
    assert "\x1b" not in done.stdout
    assert "\\x1b[31m" in done.stdout
    assert lines[-1] == "(3 questions, asked 5 times)"


@pytest.mark.parametrize("typed", ["Acme Inc", "acme", "ACME inc.", "  acme   INC  "])
def test_a_company_is_found_as_the_dialog_finds_it(sample: Path, run: Run, typed: str) -> None:
    lines = _lines(run(sample, "--company", typed, "--json"))

    assert lines
    for line in lines:
        asked = line["asked"]
        assert isinstance(asked, list)
        assert any(a["company"] == "Acme Inc" for a in asked)
    assert not any("linked list" in str(line["text"]) for line in lines)


def test_the_start_of_one_name_is_enough(sample: Path, run: Run) -> None:
    lines = _lines(run(sample, "--company", "acme rob", "--json"))
    assert [line["text"] for line in lines] == ["Reverse a linked list.\x1b[31m"]


def test_practise_keeps_the_flagged(sample: Path, run: Run) -> None:
    lines = _lines(run(sample, "--practise", "--json"))
    assert [line["count"] for line in lines] == [2]
    assert lines[0]["practise"] is True


@pytest.mark.parametrize(
    ("typed", "named"),
    [("Acmee Robotix", "Acme Robotics"), ("Betta", "Beta"), ("acm", "Acme Robotics")],
)
def test_an_unknown_or_ambiguous_company_exits_2_naming_the_closest(
    sample: Path, run: Run, typed: str, named: str
) -> None:
    done = run(sample, "--company", typed)

    assert done.returncode == EXIT_USAGE
    assert done.stdout == ""
    assert named in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_no_journal_yet(tmp_path: Path, run: Run) -> None:
    done = run(tmp_path / "none")
    assert (done.returncode, done.stdout) == (EXIT_OK, "")
    assert "No journal yet" in done.stderr
    assert run(tmp_path / "none", "--company", "Acme").returncode == EXIT_USAGE
    assert not (tmp_path / "none").exists()


def test_the_demo_journal(tmp_path: Path, run: Run) -> None:
    """The journal ``--demo`` opens (generate small, its seed) through the installed command."""
    folder = tmp_path / "demo"
    made = subprocess.run(
        [*COMMAND, "--data-dir", str(folder), "generate", "--size", "small", "--seed", "1"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert made.returncode == EXIT_OK, made.stderr
    with Journal.open(folder) as journal:
        questions = journal.bank_questions()
        company = max(journal.companies(), key=lambda c: c.interview_count)

    lines = _lines(run(folder, "--json"))
    assert sum(int(str(line["count"])) for line in lines) == len(questions)
    assert len(lines) < len(questions)  # repeats grouped
    counts = [line["count"] for line in lines]
    assert counts == sorted(counts, reverse=True)  # type: ignore[type-var]

    at_company = _lines(run(folder, "--company", company.name, "--json"))
    assert at_company
    assert all(
        any(a["company"] == company.name for a in line["asked"])  # type: ignore[attr-defined]
        for line in at_company
    )
    table = run(folder)
    assert table.returncode == EXIT_OK
    assert len(table.stdout.splitlines()) == len(lines) + 2
