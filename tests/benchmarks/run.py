"""The benchmark that holds Interview Journal to its speed bars (the README's Benchmark section).

Run from the repository root::

    python -m tests.benchmarks.run --size heavy --repeat 3 --json benchmark.json

It generates the journal of that size and seed into a cache folder the first time (through
``interview-journal generate``) and brings it up to the app's schema and search index, then
runs, for each repeat, two child processes on fresh copies of it (``child.py``): the app
started as its command starts it, and a bare PySide6 window (a tree and a plain text editor
over raw ``sqlite3``) that does the same work and is each figure's floor. Start-up is
launched a few more times per run (``--starts``). It prints a Markdown table of medians over
the repeats, each figure beside its floor and its bar, and writes everything (every run, the
machine) as JSON. ``python tests/benchmarks/run.py`` works too.

Search latency is measured over a fixed query mix (``SEARCHES``): in the app from the query to
the search panel's results model holding the hits; its floor is raw FTS5 ``MATCH`` with
``snippet``, ``bm25`` and the same limit on the same database, with the same queries written
as FTS5 by hand.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__:
    from tests.benchmarks import exchange
else:  # python tests/benchmarks/run.py
    import exchange  # type: ignore[no-redef]

CHILD = Path(__file__).with_name("child.py")
SIZES = ("small", "heavy", "stress")
SECTIONS = ("went_well", "went_poorly", "do_differently", "impressions", "notes")
SAVE_TARGET_BYTES = 10 * 1024  # "autosave commit of a 10 KB interview"
CHILD_TIMEOUT_S = 900.0
GENERATE_TIMEOUT_S = 3600.0
ENV_CACHE = "IJ_BENCH_CACHE"

# How much activity each size gets (a small journal has 25 interviews).
SCENARIOS: dict[str, dict[str, int]] = {
    "small": {"opens": 40, "saves": 8, "saves_per_interview": 3, "typed_chars": 120,
              "pause_every": 60, "pause_ms": 1200, "switches": 12, "search_repeats": 5},
    "heavy": {"opens": 200, "saves": 20, "saves_per_interview": 5, "typed_chars": 300,
              "pause_every": 100, "pause_ms": 1200, "switches": 40, "search_repeats": 5},
    "stress": {"opens": 200, "saves": 20, "saves_per_interview": 5, "typed_chars": 300,
               "pause_every": 100, "pause_ms": 1200, "switches": 40, "search_repeats": 5},
}

SEARCH_LIMIT = 50  # the search panel's first page
# The search query mix: what a user types into the search box, and the same query written by
# hand as raw FTS5 for the floor (the last plain word of 3+ characters is matched as a prefix,
# as the app does while typing; CJK is indexed as single characters). Single words, phrases,
# prefixes, field filters, exclusions, rare and common terms, words with symbols, accents, CJK.
SEARCHES: tuple[tuple[str, str], ...] = (
    ("system design", "system AND design*"),
    ('"rate limiter"', '"rate limiter"'),
    ("kub", "kub*"),
    ("questions:cache", "questions: cache*"),
    ("company:tramontana", "company: tramontana*"),
    ("team", "team*"),  # common
    ("interview", "interview*"),  # common
    ("C++", '"C++"*'),
    ("kafka", "kafka*"),
    ("postgres redis", "postgres AND redis*"),
    ("LRU cache", "lru AND cache*"),
    ("went_poorly:rushed", "went_poorly: rushed*"),
    ("東京", '"東 京"'),
    ("Fernández", "fernández*"),
    ("distributed systems", "distributed AND systems*"),
    ("design -recruiter", "design NOT recruiter"),
    ("sha", "sha*"),
    ("Guadiana", "guadiana*"),  # rare: one company's name
    ("notes:terraform", "notes: terraform*"),
    ('"job scheduler"', '"job scheduler"'),
)


# ------------------------------------------------------------------------------ machine


def machine() -> dict[str, Any]:
    """Which machine ran the benchmark, and how busy it was when it started."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_mb = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory_mb = int(line.split()[1]) // 1024
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_mb": memory_mb,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


# ------------------------------------------------------------------------------ journal


def default_cache_dir() -> Path:
    """$IJ_BENCH_CACHE, else the user's cache folder (generated journals are kept there)."""
    given = os.environ.get(ENV_CACHE)
    if given:
        return Path(given)
    from platformdirs import user_cache_path

    return user_cache_path("interview-journal-benchmark")


def compile_package() -> None:
    """Compile the app's bytecode, as installing it does.

    pip writes ``.pyc`` files when it installs the app; an editable checkout (or one run with
    ``PYTHONDONTWRITEBYTECODE``) would compile every module again at each start, which no
    user's start pays. The bare window's code is one script, compiled at every start for both.
    """
    import interview_journal

    compileall.compile_dir(Path(interview_journal.__file__).parent, quiet=1)


def ensure_journal(cache: Path, size: str, seed: int) -> Path:
    """The folder of the generated journal of ``size`` and ``seed``, generating it if missing."""
    folder = cache / f"{size}-seed{seed}"
    if (folder / "journal.sqlite3").is_file():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{size}-seed{seed}.partial-", dir=cache))
    data = partial / "data"
    print(f"Generating the {size} journal (seed {seed}) into {folder} ...", flush=True)
    command = [
        sys.executable, "-c", "import sys; from interview_journal.cli import main; "
        "sys.exit(main(sys.argv[1:]))",
        "--data-dir", str(data), "generate", "--size", size, "--seed", str(seed),
    ]
    try:
        subprocess.run(command, check=True, timeout=GENERATE_TIMEOUT_S)
        data.rename(folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


# Brings a journal to the app's current schema and indexes whatever waits for indexing, so the
# measured runs start from the steady state a user is in, not from a one-off update.
_PREPARE = """
import sys
from pathlib import Path
from interview_journal.core.journal import Journal

journal = Journal.open(Path(sys.argv[1]))
try:
    reindex = getattr(journal, "reindex_pending", None)  # the search index, where there is one
    if reindex is not None:
        reindex()
finally:
    journal.close()
"""


def prepare_journal(folder: Path) -> None:
    """Update the cached journal in place with the app's own code (a no-op once current)."""
    subprocess.run([sys.executable, "-c", _PREPARE, str(folder)], check=True,
                   timeout=GENERATE_TIMEOUT_S)


@dataclass(frozen=True)
class _Interview:
    id: int
    sections: dict[str, int]  # UTF-8 bytes per text section

    @property
    def size(self) -> int:
        return sum(self.sections.values())

    def largest_section(self) -> str:
        return max(SECTIONS, key=lambda s: (self.sections[s], s))


def _read_interviews(database: Path) -> list[_Interview]:
    lengths = ", ".join(f"length(CAST(i.{s} AS BLOB))" for s in SECTIONS)
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            f"SELECT i.id, {lengths} FROM interview i JOIN company c ON c.id = i.company_id "
            "WHERE i.trashed_at IS NULL AND c.trashed_at IS NULL ORDER BY i.id"
        ).fetchall()
    return [_Interview(row[0], dict(zip(SECTIONS, row[1:], strict=True))) for row in rows]


def describe_journal(database: Path) -> dict[str, Any]:
    """Counts for the report: companies, interviews and megabytes of text."""
    text = " + ".join(f"length(CAST({s} AS BLOB))" for s in SECTIONS)
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        companies = conn.execute("SELECT count(*) FROM company WHERE trashed_at IS NULL")
        interviews = conn.execute(f"SELECT count(*), total({text}) FROM interview")
        questions = conn.execute(
            "SELECT total(length(CAST(question AS BLOB)) + length(CAST(answer AS BLOB)) "
            "+ length(CAST(next_time AS BLOB))) FROM question"
        )
        items = conn.execute("SELECT total(length(CAST(text AS BLOB))) FROM action_item")
        count, section_bytes = interviews.fetchone()
        total = section_bytes + questions.fetchone()[0] + items.fetchone()[0]
        return {
            "companies": companies.fetchone()[0],
            "interviews": count,
            "text_mb": round(total / 1_000_000, 1),
            "file_mb": round(database.stat().st_size / 1_000_000, 1),
        }


def make_plan(database: Path, size: str, seed: int) -> dict[str, Any]:
    """What both children do, on the same interviews: opens, saves, typing, switches."""
    from interview_journal.core import db

    spec = SCENARIOS[size]
    rng = random.Random(f"{size}-{seed}")
    interviews = _read_interviews(database)
    if not interviews:
        raise SystemExit(f"the {size} journal has no interviews")

    def pick(count: int) -> list[_Interview]:
        if count <= len(interviews):
            return rng.sample(interviews, count)
        return rng.choices(interviews, k=count)

    by_size = sorted(interviews, key=lambda i: (abs(i.size - SAVE_TARGET_BYTES), i.id))
    saves = by_size[: spec["saves"]]
    return {
        "opens": [i.id for i in pick(spec["opens"])],
        "saves": [{"id": i.id, "section": i.largest_section(), "bytes": i.size} for i in saves],
        "saves_per_interview": spec["saves_per_interview"],
        "typing": {"id": saves[0].id, "section": saves[0].largest_section()},
        "typed_chars": spec["typed_chars"],
        "pause_every": spec["pause_every"],
        "pause_ms": spec["pause_ms"],
        "switches": [{"id": i.id, "section": i.largest_section()} for i in pick(spec["switches"])],
        "searches": [{"query": query, "fts": fts} for query, fts in SEARCHES],
        "search_repeats": spec["search_repeats"],
        "search_limit": SEARCH_LIMIT,
        "pragmas": [list(p) for p in db.pragmas(db.GUI_BUSY_TIMEOUT_MS)],
    }


# ------------------------------------------------------------------------------ children


def child_env(root: Path) -> dict[str, str]:
    """Offscreen, with every per-user folder (settings, logs, runtime) under ``root``."""
    from interview_journal.core import paths

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "QT_")) and key not in (paths.ENV_DATA_DIR, "HOME")
    }
    for key, name in {
        "HOME": "home",
        "XDG_CONFIG_HOME": "config",
        "XDG_STATE_HOME": "state",
        "XDG_CACHE_HOME": "cache",
        "XDG_DATA_HOME": "share",
        "XDG_RUNTIME_DIR": "runtime",
    }.items():
        folder = root / name
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        env[key] = str(folder)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_child(
    mode: str, journal: Path, plan: dict[str, Any], work: Path, name: str,
    profile: Path | None = None,
) -> dict[str, Any]:
    """Run one child on a fresh copy of the journal; its results, with its start time."""
    root = work / name
    data = root / "data"
    data.mkdir(mode=0o700, parents=True)
    for suffix in ("", "-wal"):
        source = journal / f"journal.sqlite3{suffix}"
        if source.is_file() and source.stat().st_size:
            shutil.copyfile(source, data / source.name)
    plan_path = root / "plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    result_path = root / "result.json"
    log_path = root / "child.log"
    env = child_env(root)
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
        env["IJ_BENCH_PROFILE"] = str(profile / f"{name}.prof")
    command = [sys.executable, str(CHILD), mode, str(data), str(plan_path), str(result_path)]
    with log_path.open("wb") as log:
        launched = time.time()
        child = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            code = child.wait(timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            code = None
    if code != 0 or not result_path.is_file():
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise SystemExit(f"the {mode} child ({name}) ended with {code}:\n{tail}")
    result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
    result["launched_at"] = launched
    return result


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolated between the nearest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# Measured on every launch, the start-only ones included; the run's figure is their median.
START_FIGURES = ("first_paint_ms", "journal_shown_ms")


def run_stats(result: dict[str, Any]) -> dict[str, float]:
    """One child's figures, from its raw results."""
    stats = {
        "first_paint_ms": (result["painted_at"] - result["launched_at"]) * 1000,
        "journal_shown_ms": (result["shown_at"] - result["launched_at"]) * 1000,
        "first_frame_ms": (result["frame_at"] - result["launched_at"]) * 1000,
        "peak_memory_mb": result["maxrss_kb"] / 1024,
    }
    if result.get("hwm_at_paint_kb"):
        stats["memory_at_paint_mb"] = result["hwm_at_paint_kb"] / 1024
    if "open_ms" in result:
        stats.update(
            open_p50_ms=percentile(result["open_ms"], 50),
            open_p95_ms=percentile(result["open_ms"], 95),
            open_max_ms=max(result["open_ms"]),
            save_p50_ms=percentile(result["save_ms"], 50),
            save_p95_ms=percentile(result["save_ms"], 95),
            stall_typing_ms=result["typing"]["max_drift_ms"],
            stall_switching_ms=result["switching"]["max_drift_ms"],
        )
    if result.get("search_ms"):
        stats.update(
            search_p50_ms=percentile(result["search_ms"], 50),
            search_p95_ms=percentile(result["search_ms"], 95),
        )
    return stats


# ------------------------------------------------------------------------------ backup

BACKUP_ROUNDS = 5


def measure_backup(database: Path, work: Path, rounds: int = BACKUP_ROUNDS) -> dict[str, float]:
    """Median milliseconds of the app's backup of ``database`` (``core.backups.take_backup``:
    copied, sealed, checked, placed) and of its floor, a plain ``sqlite3`` ``backup()`` of the
    same file into a new one, alternating, on a copy of the journal in ``work``."""
    from datetime import UTC, datetime, timedelta

    from interview_journal.core import backups

    folder = work / "data"
    folder.mkdir(parents=True)
    shutil.copyfile(database, folder / "journal.sqlite3")
    timings: dict[str, list[float]] = {"app": [], "bare": []}
    for number in range(rounds):
        for mode in ("bare", "app") if number % 2 == 0 else ("app", "bare"):
            target = work / f"{mode}-{number}.sqlite3"
            started = time.perf_counter()
            if mode == "app":
                now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=number)
                backups.take_backup(folder, now=now, target=target)
            else:
                with closing(sqlite3.connect(folder / "journal.sqlite3")) as source, \
                        closing(sqlite3.connect(target)) as copy:
                    source.backup(copy)
            timings[mode].append((time.perf_counter() - started) * 1000)
            target.unlink()
    shutil.rmtree(work, ignore_errors=True)
    return {mode: statistics.median(values) for mode, values in timings.items()}


# ------------------------------------------------------------------------------ question bank

BANK_QUESTIONS = 46_000  # about what the stress journal holds
BANK_INTERVIEWS = 10_000


def stress_questions(seed: int = 1, count: int = BANK_QUESTIONS) -> list[Any]:
    """``count`` questions drawn as the generator draws the stress journal's (the shared bank
    by kind of interview, mostly in the usual wording, a fifth in another language's own
    words, the company's name filled in), without writing a journal: quick to make."""
    from datetime import date, timedelta

    from interview_journal.core.phrasebook import COMPANY_STYLES, PHRASEBOOKS, QUESTIONS
    from interview_journal.core.question_bank import BankQuestion

    rng = random.Random(seed)
    entries = [entry for kinds in QUESTIONS.values() for entry in kinds]
    own = [book.questions for book in PHRASEBOOKS.values() if book.questions]
    companies = []  # (name, how questions name it), as the generator names them
    for number in range(1_000):
        style = rng.choice(COMPANY_STYLES)
        short = f"{rng.choice(style.stems)} {rng.choice(style.domains)} {number}"
        companies.append((f"{short} {rng.choice(style.suffixes)}", short))
    stages = ("recruiter", "technical", "behavioural", "system design", "final")
    today = date(2026, 3, 2)
    found = []
    for qid in range(1, count + 1):
        interview = rng.randrange(BANK_INTERVIEWS)
        company, short = companies[interview % len(companies)]
        if rng.random() < 0.2:
            template = rng.choice(rng.choice(own))
        else:
            entry = rng.choice(entries)
            template = entry[0] if len(entry) == 1 or rng.random() < 0.65 else rng.choice(
                entry[1:]
            )
        found.append(BankQuestion(
            id=qid, uuid=f"{qid:032x}", interview_id=interview,
            interview_uuid=f"{interview:032x}", company_id=interview % len(companies),
            company=company, stage=stages[interview % len(stages)],
            date=today - timedelta(days=interview % 730), position=qid % 5,
            text=template.replace("{company}", short),
            answer="An answer.", practise=rng.random() < 0.1, topics=("Topic",),
        ))
    return found


def measure_question_bank(repeat: int) -> float:
    """Median milliseconds to group ``stress_questions()`` from nothing (as the worker does
    when the bank is first shown), in this process."""
    from interview_journal.core.question_bank import QuestionBank

    questions = stress_questions()
    QuestionBank(questions[:500])  # load rapidfuzz and warm the code paths
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        QuestionBank(questions)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# ------------------------------------------------------------------------------ figures


@dataclass(frozen=True)
class Figure:
    """One row of the table: how to read it from the medians, its bar, and the check."""

    key: str
    label: str
    app: Callable[[dict[str, float]], str]
    floor: Callable[[dict[str, float]], str]
    compared: Callable[[dict[str, float]], str]
    bar: str
    passes: Callable[[dict[str, float]], bool] | None  # None: reported, no bar


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


FIGURES: tuple[Figure, ...] = (
    Figure(
        "first_paint", "Process start to first painted window (ms)",
        lambda m: _ms(m["app.first_paint_ms"]),
        lambda m: _ms(m["bare.first_paint_ms"]),
        lambda m: f"{m['start_ratio']:.2f}x",
        "≤ 1.5x bare", lambda m: m["start_ratio"] <= 1.5,
    ),
    Figure(
        "journal_shown", "Process start to the journal on screen (ms)",
        lambda m: _ms(m["app.journal_shown_ms"]),
        lambda m: _ms(m["bare.journal_shown_ms"]),
        lambda m: f"{m['shown_ratio']:.2f}x",
        "(reported)", None,
    ),
    Figure(
        "open", "Open an interview from the tree, p50 / p95 (ms)",
        lambda m: f"{_ms(m['app.open_p50_ms'])} / {_ms(m['app.open_p95_ms'])}",
        lambda m: f"{_ms(m['bare.open_p50_ms'])} / {_ms(m['bare.open_p95_ms'])}",
        lambda m: f"max {_ms(m['app.open_max_ms'])}",
        "p95 < 30 ms", lambda m: m["app.open_p95_ms"] < 30,
    ),
    Figure(
        "autosave", "Autosave commit, 10 KB interview, p50 / p95 (ms)",
        lambda m: f"{_ms(m['app.save_p50_ms'])} / {_ms(m['app.save_p95_ms'])}",
        lambda m: f"{_ms(m['bare.save_p50_ms'])} / {_ms(m['bare.save_p95_ms'])}",
        lambda m: "",
        "p95 < 15 ms", lambda m: m["app.save_p95_ms"] < 15,
    ),
    Figure(
        "stall_typing", "Longest GUI stall while typing (ms)",
        lambda m: _ms(m["app.stall_typing_ms"]),
        lambda m: _ms(m["bare.stall_typing_ms"]),
        lambda m: "",
        "< 100 ms", lambda m: m["app.stall_typing_ms"] < 100,
    ),
    Figure(
        "stall_switching", "Longest GUI stall while switching interviews (ms)",
        lambda m: _ms(m["app.stall_switching_ms"]),
        lambda m: _ms(m["bare.stall_switching_ms"]),
        lambda m: "",
        "< 100 ms", lambda m: m["app.stall_switching_ms"] < 100,
    ),
    Figure(
        "search", "Search p50 / p95 (ms)",
        lambda m: f"{_ms(m['app.search_p50_ms'])} / {_ms(m['app.search_p95_ms'])}",
        lambda m: f"{_ms(m['bare.search_p50_ms'])} / {_ms(m['bare.search_p95_ms'])}",
        lambda m: f"p95 {m['search_ratio']:.2f}x",
        "p95 < 50 ms and ≤ 2x floor",
        lambda m: m["app.search_p95_ms"] < 50 and m["search_ratio"] <= 2,
    ),
    Figure(
        "export", "JSON export of the whole journal (s)",
        lambda m: f"{m['app.export_s']:.2f}", lambda m: f"{m['bare.export_s']:.2f}",
        lambda m: f"{m['app.export_s'] / m['bare.export_s']:.2f}x",
        "≤ 2x json.dump", lambda m: m["app.export_s"] <= 2 * m["bare.export_s"],
    ),
    Figure(
        "import", "JSON import into an empty folder (s)",
        lambda m: f"{m['app.import_s']:.2f}", lambda m: f"{m['bare.import_s']:.2f}",
        lambda m: f"{m['app.import_s'] / m['bare.import_s']:.2f}x",
        "< 10 s and ≤ 4x executemany",
        lambda m: m["app.import_s"] < 10 and m["app.import_s"] <= 4 * m["bare.import_s"],
    ),
    Figure(
        "backup", "Backup of the journal (ms)",
        lambda m: _ms(m["app.backup_ms"]),
        lambda m: _ms(m["bare.backup_ms"]),
        lambda m: f"{m['app.backup_ms'] / m['bare.backup_ms']:.2f}x",
        "≤ 1.5x floor", lambda m: m["app.backup_ms"] <= 1.5 * m["bare.backup_ms"],
    ),
    Figure(
        "peak_memory", "Peak memory (MB)",
        lambda m: f"{m['app.peak_memory_mb']:.0f}",
        lambda m: f"{m['bare.peak_memory_mb']:.0f}",
        lambda m: f"+{m['memory_over_bare_mb']:.0f} MB",
        "≤ bare + 80 MB", lambda m: m["memory_over_bare_mb"] <= 80,
    ),
    Figure(
        "question_bank", "Question bank grouping, stress-size (ms)",
        lambda m: _ms(m["bank.grouping_ms"]),
        lambda m: "—",
        lambda m: f"{BANK_QUESTIONS:,} questions",
        "< 1000 ms", lambda m: m["bank.grouping_ms"] < 1000,
    ),
)


def medians(runs: list[dict[str, dict[str, float]]]) -> dict[str, float]:
    """Median over the repeats of every figure, and of the paired comparisons."""
    flat: dict[str, list[float]] = {}
    for run in runs:
        for mode in ("app", "bare"):
            for key, value in run[mode].items():
                flat.setdefault(f"{mode}.{key}", []).append(value)
        # Compared within a run (same minute, same load), then the median of those.
        flat.setdefault("start_ratio", []).append(
            run["app"]["first_paint_ms"] / run["bare"]["first_paint_ms"]
        )
        flat.setdefault("shown_ratio", []).append(
            run["app"]["journal_shown_ms"] / run["bare"]["journal_shown_ms"]
        )
        flat.setdefault("memory_over_bare_mb", []).append(
            run["app"]["peak_memory_mb"] - run["bare"]["peak_memory_mb"]
        )
        flat.setdefault("search_ratio", []).append(
            run["app"]["search_p95_ms"] / max(run["bare"]["search_p95_ms"], 1e-6)
        )
    return {key: statistics.median(values) for key, values in flat.items()}


def _verdict(figure: Figure, median: dict[str, float]) -> str:
    if figure.passes is None:
        return "—"
    return "pass" if figure.passes(median) else "**FAIL**"


def table(median: dict[str, float]) -> list[str]:
    """The Markdown table of figures, floors and bars."""
    lines = [
        "| Figure | App | Floor (bare) | Compared | Bar | Result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for figure in FIGURES:
        result = _verdict(figure, median)
        lines.append(
            f"| {figure.label} | {figure.app(median)} | {figure.floor(median)} | "
            f"{figure.compared(median)} | {figure.bar} | {result} |"
        )
    return lines


# ------------------------------------------------------------------------------ main


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's command line."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.run",
        description="Measure Interview Journal against its speed bars (see the README).",
    )
    parser.add_argument("--size", choices=SIZES, default="heavy",
                        help="the generated journal to measure on (default: heavy)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each process; the table shows medians (default: 3)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default: 1)")
    parser.add_argument("--starts", type=int, default=5,
                        help="extra start-only launches of each process per run; a run's start "
                        "time is the median of all its launches (default: 5)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write every figure here")
    parser.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help=f"where generated journals are kept (default: ${ENV_CACHE} or the "
                        "user's cache folder)")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="run the children under cProfile and keep their .prof files here "
                        "(the timings are then not comparable)")
    parser.add_argument("--fail-on-bars", action="store_true",
                        help="exit with 1 when a figure misses its bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Generate (once), measure, print the table and write the JSON."""
    args = build_parser().parse_args(argv)
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    host = machine()
    compile_package()
    cache = args.cache_dir or default_cache_dir()
    journal = ensure_journal(cache, args.size, args.seed)
    prepare_journal(journal)
    database = journal / "journal.sqlite3"
    described = describe_journal(database)
    plan = make_plan(database, args.size, args.seed)
    runs: list[dict[str, Any]] = []
    raw: list[dict[str, Any]] = []
    # The copies the children write to live beside the cache: a real disk, like a user's.
    with tempfile.TemporaryDirectory(prefix="run-", dir=cache) as scratch:
        work = Path(scratch)
        # Warm the file caches for both (Python's, Qt's, the journal's) before measuring.
        start_only = {**plan, "start_only": True}
        for mode in ("bare", "app"):
            run_child(mode, journal, start_only, work, f"warmup-{mode}")
        for number in range(args.repeat):
            # Alternate which goes first, so neither always runs on a cooler machine.
            order = ("bare", "app") if number % 2 == 0 else ("app", "bare")
            results = {}
            for mode in order:
                print(f"run {number + 1}/{args.repeat}: {mode} ...", flush=True)
                results[mode] = run_child(
                    mode, journal, plan, work, f"{mode}-{number}", args.profile
                )
            # Start-up is short and noisy on a shared machine: launch each a few more times,
            # alternating, and take the median of the launches.
            launches = {mode: [run_stats(results[mode])] for mode in order}
            for launch in range(args.starts):
                for mode in order:
                    started = run_child(mode, journal, start_only, work,
                                        f"start-{mode}-{number}-{launch}")
                    launches[mode].append(run_stats(started))
            starts = {
                key: {mode: [each[key] for each in launches[mode]] for mode in order}
                for key in START_FIGURES
            }
            raw.append({**results, **starts})
            stats = {mode: run_stats(results[mode]) for mode in ("app", "bare")}
            for mode, figures in exchange.measure(journal, work).items():
                stats[mode].update(figures)
            for mode, backup_ms in measure_backup(database, work / f"backup-{number}").items():
                stats[mode]["backup_ms"] = backup_ms
            for key in START_FIGURES:
                for mode in order:
                    stats[mode][key] = statistics.median(starts[key][mode])
            runs.append(stats)
    versions = raw[0]["app"]["versions"]
    host.update({"pyside6": versions["pyside6"], "qt": versions["qt"]})
    median = medians(runs)
    print("question bank ...", flush=True)
    median["bank.grouping_ms"] = measure_question_bank(args.repeat)
    verdicts = {
        figure.key: figure.passes(median) for figure in FIGURES if figure.passes is not None
    }

    lines = [
        f"Interview Journal benchmark: {args.size} journal (seed {args.seed}), "
        f"{described['companies']} companies, {described['interviews']} interviews, "
        f"{described['text_mb']} MB of text. Medians of {args.repeat} run(s).",
        f"Machine: {host['cpu']}, {host['cores']} cores, {host['memory_mb']} MB; "
        f"{host['platform']}; Python {host['python']}, PySide6 {host['pyside6']} "
        f"(Qt {host['qt']}), SQLite {host['sqlite']}; load average at start "
        f"{', '.join(f'{x:.2f}' for x in host['load_average'] or [])}.",
        "",
        *table(median),
    ]
    print("\n".join(lines), flush=True)
    if args.json is not None:
        report = {
            "benchmark": "interview-journal",
            "size": args.size,
            "seed": args.seed,
            "repeat": args.repeat,
            "machine": host,
            "journal": described,
            "plan": {key: value for key, value in plan.items() if key != "pragmas"},
            "medians": median,
            "figures": {
                figure.key: {
                    "label": figure.label,
                    "app": figure.app(median),
                    "floor": figure.floor(median),
                    "compared": figure.compared(median),
                    "bar": figure.bar,
                    "pass": verdicts.get(figure.key),
                }
                for figure in FIGURES
            },
            "all_pass": all(verdicts.values()),
            "runs": runs,
            "raw": raw,
            "table": lines,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if args.fail_on_bars and not all(verdicts.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
