"""The installed ``interview-journal export`` and ``import`` commands (docs/data-safety.md).

Export, import into an empty folder and export again gives the same file but for
``exported_at``; the file is 0600 even under umask 022; a hostile file exits 2 with one line
and leaves the data folder byte for byte as it was; the app holding the folder makes import
exit 3; kill -9 during an export leaves the old file or the new one, during an import the
journal as it was before or as it is after; and no note text reaches logs or temporary
folders on the way.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from interview_journal.core import paths
from interview_journal.core.generator import Size, generate
from interview_journal.core.journal import Journal

from .app_support import Child, installed, make_env

EXIT_OK, EXIT_USAGE, EXIT_BUSY = 0, 2, 3
COMMAND = [installed("interview-journal")]
KILLS = int(os.environ.get("IJ_EXCHANGE_KILLS", "10"))
KILL_SEED = int(os.environ.get("IJ_EXCHANGE_KILL_SEED", "20261204"))
CANARY = "canary-7d1e-do-not-leak"
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Small generated journals (seeds 1 and 2), made once; tests copy them."""
    root = tmp_path_factory.mktemp("generated")
    env = make_env(root / "env")
    made = {}
    for seed in (1, 2):
        folder = root / f"seed{seed}"
        subprocess.run([*COMMAND, "--data-dir", str(folder), "generate", "--size", "small",
                        "--seed", str(seed)], env=env, check=True, capture_output=True,
                       timeout=300)
        made[seed] = folder
    with Journal.open(made[1]) as journal:  # a note that must never leave the journal
        company = journal.companies()[0].id
        doc = journal.create_interview(company, role="Canary role")
        journal.update_interview(doc.id, notes=f"secret {CANARY} text")
    return made


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """For the kill tests: a journal big enough that the work, not the start of Python,
    takes most of a run (``a``), another one to import into (``b``), and ``a``'s export."""
    root = tmp_path_factory.mktemp("medium")
    for name, seed in (("a", 1), ("b", 2)):
        with Journal.open(root / name) as journal:
            generate(journal, Size("medium", companies=30, interviews=240,
                                   reflection_bytes=11_200, active_companies=3), seed)
    env = make_env(root / "env")
    subprocess.run([*COMMAND, "--data-dir", str(root / "a"), "export", "-o",
                    str(root / "a.json")], env=env, check=True, capture_output=True, timeout=300)
    return {"a": root / "a", "b": root / "b", "export": root / "a.json"}


def _kill_moments(work: list[str], idle: list[str], env: dict[str, str]) -> list[float]:
    """When to kill: spread over the time ``work`` takes beyond what ``idle`` (the same
    command with next to nothing to do) takes, from a fixed seed."""
    rng = random.Random(KILL_SEED)
    start = _measure(idle, env)
    total = _measure(work, env)
    return [rng.uniform(start * 0.8, start + (total - start) * 1.05) for _ in range(KILLS)]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = make_env(tmp_path / "env")
    environment["TMPDIR"] = str(tmp_path / "env" / "tmp")
    Path(environment["TMPDIR"]).mkdir(mode=0o700)
    return environment


@pytest.fixture
def run(tmp_path: Path, env: dict[str, str]) -> Run:
    def _run(*args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*COMMAND, *args], env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=300, check=False,
            preexec_fn=None if umask is None else (lambda: os.umask(umask)),
        )

    return _run


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def _without_time(data: bytes) -> dict[str, object]:
    document: dict[str, object] = json.loads(data)
    document.pop("exported_at")
    return document


def _dump(folder: Path) -> str:
    with closing(sqlite3.connect(paths.journal_path(folder))) as conn:
        return "\n".join(conn.iterdump())


def _one_error(result: subprocess.CompletedProcess[str], expected: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "error:" in lines[0], result.stderr
    assert expected in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_export_import_export_gives_the_same_file(
    run: Run, tmp_path: Path, generated: dict[int, Path]
) -> None:
    source = _copy(generated[1], tmp_path / "a")
    first, second = tmp_path / "first.json", tmp_path / "second.json"

    exported = run("--data-dir", str(source), "export", "--format", "json", "-o", str(first),
                   umask=0o022)
    assert exported.returncode == EXIT_OK, exported.stderr
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert "Exported 8 companies, 26 interviews" in exported.stderr
    imported = run("--data-dir", str(tmp_path / "b"), "import", str(first))
    assert imported.returncode == EXIT_OK, imported.stderr
    assert "interviews: 26 new, 0 updated, 0 unchanged, 0 kept" in imported.stdout
    again = run("--data-dir", str(tmp_path / "b"), "export", "-o", str(second))
    assert again.returncode == EXIT_OK, again.stderr

    assert _without_time(first.read_bytes()) == _without_time(second.read_bytes())
    differing = [(a, b) for a, b in zip(first.read_bytes().splitlines(),
                                        second.read_bytes().splitlines(), strict=True) if a != b]
    assert len(differing) <= 1
    assert all(b'"exported_at"' in a for a, _b in differing)
    check = run("--data-dir", str(tmp_path / "b"), "check")
    assert check.returncode == EXIT_OK, check.stdout + check.stderr

    twice = run("--data-dir", str(tmp_path / "b"), "import", str(first))
    assert twice.returncode == EXIT_OK, twice.stderr
    assert "Nothing to import" in twice.stdout
    assert "interviews: 0 new, 0 updated, 26 unchanged, 0 kept" in twice.stdout


def test_export_to_standard_output_and_of_one_company(
    run: Run, tmp_path: Path, generated: dict[int, Path]
) -> None:
    source = _copy(generated[1], tmp_path / "a")
    whole = run("--data-dir", str(source), "export", "-o", "-")
    assert whole.returncode == EXIT_OK, whole.stderr
    document = json.loads(whole.stdout)
    name = document["companies"][0]["name"]

    one = run("--data-dir", str(source), "export", "-o", str(tmp_path / "one.json"),
              "--company", f"  {name.upper()} ")
    assert one.returncode == EXIT_OK, one.stderr
    company = json.loads((tmp_path / "one.json").read_bytes())
    assert company["company"] == document["companies"][0]["uuid"]
    assert {i["company"] for i in company["interviews"]} == {company["company"]}

    unknown = run("--data-dir", str(source), "export", "-o", str(tmp_path / "x.json"),
                  "--company", name[:-1] + "zzz")
    assert unknown.returncode == EXIT_USAGE
    _one_error(unknown, "There is no company called")
    assert name in unknown.stderr  # the closest names are offered
    assert not (tmp_path / "x.json").exists()


def test_a_dry_run_and_a_hostile_file_leave_the_folder_as_it_was(
    run: Run, tmp_path: Path, generated: dict[int, Path]
) -> None:
    target = _copy(generated[2], tmp_path / "b")
    export = tmp_path / "a.json"
    assert run("--data-dir", str(generated[1]), "export", "-o", str(export)).returncode == 0
    before = _snapshot(target)

    dry = run("--data-dir", str(target), "import", "--dry-run", str(export))
    assert dry.returncode == EXIT_OK, dry.stderr
    assert dry.stdout.startswith("Dry run: nothing was changed.")
    assert "interviews: 26 new" in dry.stdout
    assert _snapshot(target) == before

    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(export.read_bytes()[: export.stat().st_size // 3])
    refused = run("--data-dir", str(target), "import", str(truncated))
    assert refused.returncode == EXIT_USAGE
    _one_error(refused, "ends before it is complete")
    assert _snapshot(target) == before

    nowhere = run("--data-dir", str(tmp_path / "new"), "import", "--dry-run", str(export))
    assert nowhere.returncode == EXIT_OK, nowhere.stderr
    assert not (tmp_path / "new").exists()  # a dry run makes no journal to look


def test_import_waits_for_the_app_to_close_the_folder(
    run: Run, tmp_path: Path, generated: dict[int, Path]
) -> None:
    from PySide6.QtCore import QLockFile

    target = _copy(generated[2], tmp_path / "b")
    export = tmp_path / "a.json"
    assert run("--data-dir", str(generated[1]), "export", "-o", str(export)).returncode == 0
    lock = QLockFile(str(target / "instance.lock"))  # what the running app holds
    assert lock.tryLock(0)
    before = _snapshot(target)
    try:
        busy = run("--data-dir", str(target), "import", str(export))
    finally:
        lock.unlock()
    assert busy.returncode == EXIT_BUSY
    _one_error(busy, "open")
    after = _snapshot(target)
    after.pop("instance.lock", None)
    before.pop("instance.lock", None)
    assert after == before
    assert run("--data-dir", str(target), "import", str(export)).returncode == EXIT_OK


def _measure(args: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(args, env=env, check=True, capture_output=True, timeout=300)
    return time.monotonic() - started


@pytest.mark.slow
def test_kill_during_export_leaves_the_old_file_or_the_new(
    tmp_path: Path, env: dict[str, str], medium: dict[str, Path]
) -> None:
    source = _copy(medium["a"], tmp_path / "a")
    target = tmp_path / "out.json"
    old = b'{"old": "export"}\n'
    args = [*COMMAND, "--data-dir", str(source), "export", "-o", str(target)]
    empty = tmp_path / "empty"
    Journal.open(empty).close()
    moments = _kill_moments(
        args, [*COMMAND, "--data-dir", str(empty), "export", "-o", str(tmp_path / "e.json")],
        env)
    new = _without_time(target.read_bytes())
    outcomes: list[str] = []
    for number, moment in enumerate(moments):
        target.write_bytes(old)
        child = Child(args, env, tmp_path / f"export-{number}.err")
        child.lines_for(moment)
        child.kill()
        child.close()
        data = target.read_bytes()
        killed = child.proc.returncode == -9
        if data == old:
            assert killed, f"seed {KILL_SEED}, kill {number}: it exited, the old file is there"
            outcomes.append("old")
        else:
            assert _without_time(data) == new, f"seed {KILL_SEED}, kill {number}: half a file"
            assert stat.S_IMODE(target.stat().st_mode) == 0o600
            outcomes.append("new, killed" if killed else "new")
        for left in tmp_path.glob(".out.json.*"):  # a temporary file cut off by the kill
            assert stat.S_IMODE(left.stat().st_mode) == 0o600
            left.unlink()
    assert "old" in outcomes, f"seed {KILL_SEED}: {outcomes}"


@pytest.mark.slow
def test_kill_during_import_leaves_the_journal_before_or_after(
    tmp_path: Path, env: dict[str, str], medium: dict[str, Path]
) -> None:
    export = medium["export"]
    before = _dump(medium["b"])
    reference = _copy(medium["b"], tmp_path / "reference")
    idle = _copy(medium["b"], tmp_path / "idle")
    subprocess.run([*COMMAND, "--data-dir", str(idle), "import", str(export)], env=env,
                   check=True, capture_output=True, timeout=300)
    moments = _kill_moments(
        [*COMMAND, "--data-dir", str(reference), "import", str(export)],
        [*COMMAND, "--data-dir", str(idle), "import", str(export)],  # nothing left to do
        env)
    after = _dump(reference)
    assert after != before
    seen: list[str] = []
    for number, moment in enumerate(moments):
        target = _copy(medium["b"], tmp_path / f"kill-{number}")
        child = Child([*COMMAND, "--data-dir", str(target), "import", str(export)], env,
                      tmp_path / f"import-{number}.err")
        child.lines_for(moment)
        child.kill()
        child.close()
        state = _dump(target)
        assert state in (before, after), f"seed {KILL_SEED}, kill {number}: half an import"
        seen.append(("after" if state == after else "before")
                    + (", killed" if child.proc.returncode == -9 else ""))
        with closing(sqlite3.connect(paths.journal_path(target))) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        shutil.rmtree(target)
    assert "before, killed" in seen, f"seed {KILL_SEED}: {seen}"


def test_note_text_never_reaches_logs_or_temporary_folders(
    run: Run, tmp_path: Path, env: dict[str, str], generated: dict[int, Path]
) -> None:
    source = _copy(generated[1], tmp_path / "a")
    target = _copy(generated[2], tmp_path / "b")
    export = tmp_path / "out" / "export.json"
    export.parent.mkdir()
    results = [
        run("--data-dir", str(source), "export", "-o", str(export)),
        run("--data-dir", str(target), "import", "--dry-run", str(export)),
        run("--data-dir", str(target), "import", str(export)),
        run("--data-dir", str(tmp_path / "c"), "import", str(export)),
    ]
    for result in results:
        assert result.returncode == EXIT_OK, result.stderr
        assert CANARY not in result.stdout + result.stderr
    assert CANARY.encode() in export.read_bytes()
    assert sorted(p.name for p in export.parent.iterdir()) == ["export.json"]
    leaks = [
        path for path in Path(env["HOME"]).parent.rglob("*")
        if path.is_file() and CANARY.encode() in path.read_bytes()
    ]
    assert leaks == []
