"""``check`` and ``search`` on a healthy journal whose disk is full or read-only, or whose
main file is gone while its write-ahead log is left: the message says what is wrong, and a
healthy journal is never called damaged.

A full disk is a 2 MB tmpfs filled up, read-only media a read-only bind mount of it, both made
in a private user and mount namespace (``unshare -rm``), so no privilege is needed and nothing
outside the test sees them; where the kernel does not allow that, those tests are skipped.
``chmod`` would not do: CI runs as root, which ignores it.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from interview_journal.core import paths
from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal

from .app_support import installed

COMMAND = installed("interview-journal")
EXIT_OK, EXIT_UNEXPECTED, EXIT_DAMAGED = 0, 1, 4
JOURNAL = paths.JOURNAL_FILE


def _namespaces_work() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run(
        [unshare, "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt || "
         "mount -t tmpfs -o size=64k tmpfs /tmp"],
        capture_output=True, timeout=30, check=False,
    )
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(
    not _namespaces_work(), reason="needs unshare -rm (user and mount namespaces) for tmpfs"
)


@pytest.fixture
def healthy(tmp_path: Path) -> Path:
    """A closed journal with two interviews that mention Kubernetes."""
    folder = tmp_path / "source"
    with Journal.open(folder, clock=FakeClock()) as journal:
        for name in ("Acme", "Globex"):
            company = journal.create_company(name).company.id
            interview = journal.create_interview(company, role="Backend engineer")
            journal.update_interview(interview.id, notes="We talked about Kubernetes a lot.")
    return folder / JOURNAL


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _in_namespace(
    tmp_path: Path, journal: Path, *, full: bool, read_only: bool, command: list[str]
) -> subprocess.CompletedProcess[str]:
    """Copy ``journal`` onto a fresh 2 MB tmpfs (filled up, and/or mounted read-only), run
    ``interview-journal --data-dir <it> <command>`` there, and print the copy's SHA-256 after."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    data = mount / "data"
    steps = [
        f"mount -t tmpfs -o size=2m tmpfs {mount}",
        f"mkdir -m 700 {data}",
        f"cp {shlex.quote(str(journal))} {data}/{JOURNAL}",
    ]
    if full:
        steps.append(f"dd if=/dev/zero of={mount}/filler bs=64k 2>/dev/null || true")
    if read_only:
        steps.append(f"mount --bind -o ro {mount} {mount}")
    run = shlex.join([COMMAND, "--data-dir", str(data), *command])
    steps.append(f"rc=0; {run} 2>{tmp_path}/stderr || rc=$?; echo exit=$rc")
    steps.append(f"sha256sum {data}/{JOURNAL}")
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-ec", "\n".join(steps)],
        env={**os.environ, "INTERVIEW_JOURNAL_DATA_DIR": str(tmp_path / "unused")},
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    stderr = (tmp_path / "stderr").read_text(encoding="utf-8")
    return subprocess.CompletedProcess(done.args, 0, done.stdout, stderr)


def _exit_code(result: subprocess.CompletedProcess[str]) -> int:
    line = next(line for line in result.stdout.splitlines() if line.startswith("exit="))
    return int(line.removeprefix("exit="))


def _no_false_alarm(result: subprocess.CompletedProcess[str]) -> None:
    text = (result.stdout + result.stderr).lower()
    assert "traceback" not in text
    assert "damaged" not in text
    assert "restore" not in text


@needs_mounts
@pytest.mark.parametrize(
    ("full", "read_only", "says"),
    [(True, False, "disk is full"), (False, True, "read-only storage"),
     (True, True, "read-only storage")],
    ids=["full", "read-only", "full-and-read-only"],
)
def test_check_reads_a_healthy_journal_on_a_full_or_read_only_disk(
    tmp_path: Path, healthy: Path, full: bool, read_only: bool, says: str
) -> None:
    before = _sha256(healthy)

    result = _in_namespace(tmp_path, healthy, full=full, read_only=read_only, command=["check"])

    assert _exit_code(result) == EXIT_OK, result.stdout + result.stderr
    assert "Integrity: ok" in result.stdout
    assert "Search index: ok" in result.stdout
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line says what is unusual
    _no_false_alarm(result)
    assert before in result.stdout  # the copy is unchanged


@needs_mounts
@pytest.mark.parametrize(
    ("full", "read_only"), [(True, False), (False, True)], ids=["full", "read-only"]
)
def test_search_finds_notes_in_a_healthy_journal_on_a_full_or_read_only_disk(
    tmp_path: Path, healthy: Path, full: bool, read_only: bool
) -> None:
    before = _sha256(healthy)

    result = _in_namespace(
        tmp_path, healthy, full=full, read_only=read_only, command=["search", "kubernetes"]
    )

    assert _exit_code(result) == EXIT_OK, result.stdout + result.stderr
    assert "1. Acme" in result.stdout or "1. Globex" in result.stdout
    assert "2. " in result.stdout
    _no_false_alarm(result)
    assert before in result.stdout


@needs_mounts
def test_check_says_in_one_line_when_a_read_only_journal_has_a_log_it_cannot_read(
    tmp_path: Path, healthy: Path
) -> None:
    # A write-ahead log with content, and no -shm: on read-only media SQLite cannot make the
    # -shm it needs to read the log, and reading the file without it would miss those notes.
    source = healthy.parent
    with Journal.open(source, clock=FakeClock()) as journal:
        journal.create_company("Initech")
        (source / "copy.sqlite3").write_bytes(healthy.read_bytes())
        wal = (source / f"{JOURNAL}-wal").read_bytes()
    assert wal
    work = tmp_path / "work"
    work.mkdir()
    (work / JOURNAL).write_bytes((source / "copy.sqlite3").read_bytes())
    (work / f"{JOURNAL}-wal").write_bytes(wal)
    mount = tmp_path / "mnt"
    mount.mkdir()
    data = mount / "data"
    script = "\n".join([
        f"mount -t tmpfs -o size=2m tmpfs {mount}",
        f"cp -r {work} {data}",
        f"mount --bind -o ro {mount} {mount}",
        f"rc=0; {shlex.join([COMMAND, '--data-dir', str(data), 'check'])} || rc=$?",
        "echo exit=$rc",
    ])
    done = subprocess.run(["unshare", "-rm", "sh", "-ec", script], capture_output=True,
                          text=True, timeout=120, check=False)

    assert _exit_code(done) == EXIT_UNEXPECTED, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "read-only storage" in line
    assert "write-ahead log" in line
    _no_false_alarm(done)


# --------------------------------------------------------------------------- leftover WAL


@pytest.fixture(params=["missing", "empty"])
def orphaned(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A data folder whose journal.sqlite3 is gone (or emptied to 0 bytes, as a sync tool or
    a full disk can leave it) while its -wal (holding notes) is left."""
    folder = tmp_path / "data"
    with Journal.open(folder, clock=FakeClock()) as journal:
        journal.create_company("Acme")
        # Keep the log: copy it while the journal is open (closing folds it back in).
        wal = (folder / f"{JOURNAL}-wal").read_bytes()
        shm = (folder / f"{JOURNAL}-shm").read_bytes()
    if request.param == "missing":
        (folder / JOURNAL).unlink()
    else:
        (folder / JOURNAL).write_bytes(b"")
    (folder / f"{JOURNAL}-wal").write_bytes(wal)
    (folder / f"{JOURNAL}-shm").write_bytes(shm)
    assert wal
    return folder


def _journal_as_left(folder: Path) -> bool:
    """Whether the journal is still missing, or still 0 bytes: nothing was created over the
    log."""
    journal = folder / JOURNAL
    return not journal.exists() or journal.stat().st_size == 0


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMMAND, "--data-dir", str(folder), *args], capture_output=True, text=True,
        timeout=60, check=False, stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("command", [["check"], ["search", "acme"]], ids=["check", "search"])
def test_check_and_search_say_what_they_found_beside_a_missing_journal(
    orphaned: Path, command: list[str]
) -> None:
    before = {p.name: _sha256(p) for p in orphaned.iterdir()}

    result = _run(orphaned, *command)

    assert result.returncode == EXIT_DAMAGED, result.stdout + result.stderr
    text = result.stdout + result.stderr
    assert f"{JOURNAL}-wal" in text
    assert "is missing" in text or "is empty (0 bytes)" in text
    assert "No journal yet" not in text
    assert "Traceback" not in text
    assert _journal_as_left(orphaned)  # no journal created over the log
    assert {p.name: _sha256(p) for p in orphaned.iterdir()} == before


def test_a_journal_is_never_opened_over_a_leftover_log(orphaned: Path) -> None:
    from interview_journal.core.errors import LeftoverLog

    with pytest.raises(LeftoverLog, match="may hold your latest notes"):
        Journal.open(orphaned, clock=FakeClock())
    assert _journal_as_left(orphaned)
    assert (orphaned / f"{JOURNAL}-wal").stat().st_size > 0


def test_no_read_only_look_touches_a_leftover_log(orphaned: Path) -> None:
    from interview_journal.core import db
    from interview_journal.core.errors import LeftoverLog

    before = {p.name: _sha256(p) for p in orphaned.iterdir()}
    status = db.inspect(orphaned / JOURNAL)
    assert status.leftovers
    with pytest.raises(LeftoverLog):
        Journal.open_read_only(orphaned)
    with pytest.raises(LeftoverLog):
        db.connect(orphaned / JOURNAL)
    assert {p.name: _sha256(p) for p in orphaned.iterdir()} == before


def test_opening_for_the_app_moves_the_leftovers_into_a_dated_folder(orphaned: Path) -> None:
    wal = (orphaned / f"{JOURNAL}-wal").read_bytes()

    with Journal.open(orphaned, clock=FakeClock(), set_aside_leftovers=True) as journal:
        assert journal.set_aside is not None
        assert journal.set_aside.parent == orphaned
        assert journal.set_aside.name.startswith("leftovers-20260302T0900")
        assert journal.companies() == []  # a new journal, not the log's pages replayed
    assert (journal.set_aside / f"{JOURNAL}-wal").read_bytes() == wal
    assert (journal.set_aside / f"{JOURNAL}-shm").exists()
    with closing(sqlite3.connect(orphaned / JOURNAL)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_generate_refuses_a_folder_holding_a_leftover_log(orphaned: Path) -> None:
    before = {p.name: _sha256(p) for p in orphaned.iterdir()}

    result = _run(orphaned, "generate", "--size", "small")

    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{JOURNAL}-wal" in result.stderr
    assert "Traceback" not in result.stderr
    assert _journal_as_left(orphaned)
    assert {p.name: _sha256(p) for p in orphaned.iterdir()} == before
