"""The benchmark command runs end to end on a small journal; no timing is asserted here.

The figures themselves are checked by running the benchmark (README, Benchmark),
not by tests: this only keeps the command working.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {
    "first_paint", "journal_shown", "open", "autosave", "stall_typing", "stall_switching",
    "search", "backup", "peak_memory", "export", "import", "question_bank",
}
REPORTED_ONLY = {"journal_shown"}  # a figure without a bar


def test_benchmark_runs_on_a_small_journal_and_writes_json(tmp_path: Path) -> None:
    report_path = tmp_path / "out" / "benchmark.json"
    command = [
        sys.executable, "-m", "tests.benchmarks.run", "--size", "small",
        "--repeat", "1", "--starts", "1",
        "--json", str(report_path), "--cache-dir", str(tmp_path / "cache"),
    ]

    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "| Figure |" in done.stdout
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert (report["size"], report["repeat"], report["seed"]) == ("small", 1, 1)
    assert set(report["figures"]) == FIGURES
    for key, figure in report["figures"].items():
        assert isinstance(figure["pass"], bool) or (key in REPORTED_ONLY and figure["pass"] is None)
        assert figure["app"]
        assert figure["floor"]
        assert figure["bar"]
    assert {"platform", "cpu", "cores", "python", "pyside6", "qt", "sqlite"} <= set(
        report["machine"]
    )
    assert report["journal"]["interviews"] > 0
    assert len(report["runs"]) == 1
    assert set(report["runs"][0]) == {"app", "bare"}
    for mode in ("app", "bare"):
        assert report["raw"][0][mode]["exit_code"] == 0
        assert len(report["raw"][0][mode]["open_ms"]) == len(report["plan"]["opens"])
        searches = len(report["plan"]["searches"]) * report["plan"]["search_repeats"]
        assert len(report["raw"][0][mode]["search_ms"]) == searches
    # The journal was generated into the cache, where the next run finds it.
    assert (tmp_path / "cache" / "small-seed1" / "journal.sqlite3").is_file()
