"""``interview-journal backup`` and ``restore``, run as a user would, and kill -9 during a
backup (docs/data-safety.md).

Every refusal leaves the journal byte-identical. The app's hold on its data folder is its own
lock (``ui.instance.SingleInstance``, a Qt lock file), taken here in this process; ``restore``
must see it and exit 3 without touching anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from interview_journal.core import backups, paths
from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from interview_journal.core.sqlite_files import read_only_uri
from interview_journal.ui.instance import SingleInstance

from .app_support import Child, installed, make_env

EXIT_OK, EXIT_USAGE, EXIT_BUSY, EXIT_DAMAGED = 0, 2, 3, 4
COMMAND = installed("interview-journal")
KILLS = int(os.environ.get("IJ_BACKUP_KILLS", "10"))
KILL_SEED = int(os.environ.get("IJ_BACKUP_KILL_SEED", "20261204"))


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != paths.ENV_DATA_DIR}
    return subprocess.run(
        [COMMAND, "--data-dir", str(folder), *args], env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120, check=False,
    )


def _make_journal(folder: Path, interviews: int = 5, text: int = 80) -> None:
    with Journal.open(folder, clock=FakeClock()) as journal:
        for number in range(interviews):
            doc = journal.create_interview_for(f"Company {number % 7}", role=f"Role {number}")
            journal.update_interview(doc.id, notes=f"note {number} about the interview. " * text)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dump(path: Path) -> str:
    with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
        return "\n".join(conn.iterdump())


def _one_error_line(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "error:" in result.stderr


def test_backup_prints_where_it_went_and_lists_as_json(data_dir: Path) -> None:
    _make_journal(data_dir)

    made = _run(data_dir, "backup")
    again = _run(data_dir, "backup")

    assert made.returncode == EXIT_OK, made.stderr
    path = Path(made.stdout.strip().rsplit(" to ", 1)[1])
    assert path.parent == paths.backups_dir(data_dir)
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "(5 interviews," in made.stdout
    assert again.returncode == EXIT_OK
    listed = _run(data_dir, "backup", "--list", "--json")
    assert listed.returncode == EXIT_OK, listed.stderr
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(lines) == 2
    for line in lines:
        assert list(line) == ["path", "taken_at", "size", "interviews"]
        assert line["interviews"] == 5
        assert line["size"] == Path(line["path"]).stat().st_size
        assert datetime.strptime(line["taken_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert lines[1]["path"] == str(path)  # newest first
    table = _run(data_dir, "backup", "--list")
    assert table.returncode == EXIT_OK
    assert len(table.stdout.splitlines()) == 2
    assert "5 interviews" in table.stdout


def test_backup_to_a_file_and_usage_errors(data_dir: Path, tmp_path: Path) -> None:
    _make_journal(data_dir)
    target = tmp_path / "copy.sqlite3"

    made = _run(data_dir, "backup", "-o", str(target))

    assert made.returncode == EXIT_OK, made.stderr
    assert str(target) in made.stdout
    assert target.is_file()
    taken = _run(data_dir, "backup", "-o", str(target))
    assert taken.returncode == EXIT_USAGE
    _one_error_line(taken)
    assert _run(data_dir, "backup", "--json").returncode == EXIT_USAGE
    nothing = _run(tmp_path / "empty", "backup")
    assert nothing.returncode == EXIT_USAGE
    _one_error_line(nothing)
    assert not (tmp_path / "empty").exists()


def test_restore_latest_brings_back_the_newest_backup(data_dir: Path) -> None:
    _make_journal(data_dir)
    assert _run(data_dir, "backup").returncode == EXIT_OK
    journal_file = paths.journal_path(data_dir)
    backed_up = _dump(journal_file)
    with Journal.open(data_dir, clock=FakeClock()) as journal:
        journal.create_interview_for("Written after the backup")
    changed = _dump(journal_file)

    restored = _run(data_dir, "restore", "latest")

    assert restored.returncode == EXIT_OK, restored.stderr
    assert _dump(journal_file) == backed_up
    previous = Path(restored.stdout.splitlines()[-1].split(" is in ", 1)[1].rstrip("."))
    assert previous.name.startswith("pre-restore-")
    assert _dump(previous) == changed
    check = _run(data_dir, "check")
    assert check.returncode == EXIT_OK
    assert "Integrity: ok" in check.stdout


def test_restore_with_no_backups_and_with_only_damaged_ones(data_dir: Path) -> None:
    _make_journal(data_dir)
    journal_file = paths.journal_path(data_dir)
    before = _sha256(journal_file)
    none = _run(data_dir, "restore", "latest")
    assert none.returncode == EXIT_USAGE
    _one_error_line(none)
    made = backups.take_backup(data_dir, now=datetime(2026, 3, 2, tzinfo=UTC))
    made.path.write_bytes(b"\0" * made.size)

    bad = _run(data_dir, "restore", "latest")

    assert bad.returncode == EXIT_DAMAGED
    _one_error_line(bad)
    assert _sha256(journal_file) == before


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_restore_refuses_a_corrupt_backup_with_exit_2(
    data_dir: Path, tmp_path: Path, damage: str
) -> None:
    _make_journal(data_dir, interviews=30)
    copy = tmp_path / "backup.sqlite3"
    assert _run(data_dir, "backup", "-o", str(copy)).returncode == EXIT_OK
    data = bytearray(copy.read_bytes())
    if damage == "flip":  # the header of every page after the first: quick_check reads them
        page = int.from_bytes(data[16:18], "big")
        for start in range(page, len(data), page):
            data[start:start + 8] = bytes(b ^ 0x5A for b in data[start:start + 8])
    else:
        del data[len(data) // 2:]
    copy.write_bytes(bytes(data))
    before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}

    result = _run(data_dir, "restore", str(copy))

    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    _one_error_line(result)
    assert {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()} == before


def test_restore_while_the_app_holds_the_data_folder_exits_3(data_dir: Path) -> None:
    _make_journal(data_dir)
    assert _run(data_dir, "backup").returncode == EXIT_OK
    journal_file = paths.journal_path(data_dir)
    before = _sha256(journal_file)
    app = SingleInstance(data_dir)
    assert app.acquire(listen=False)
    try:
        result = _run(data_dir, "restore", "latest")
        backed = _run(data_dir, "backup")  # a backup is fine while the app is open
    finally:
        app.release()

    assert result.returncode == EXIT_BUSY, result.stdout + result.stderr
    _one_error_line(result)
    assert _sha256(journal_file) == before
    assert backed.returncode == EXIT_OK, backed.stderr
    assert _run(data_dir, "restore", "latest").returncode == EXIT_OK  # let go: it restores


def test_check_names_the_newest_good_backup_when_the_journal_is_damaged(data_dir: Path) -> None:
    _make_journal(data_dir, interviews=40)
    made = _run(data_dir, "backup")
    path = made.stdout.strip().rsplit(" to ", 1)[1]
    journal_file = paths.journal_path(data_dir)
    data = bytearray(journal_file.read_bytes())
    for index in range(4096 * 2, 4096 * 2 + 600):
        data[index] ^= 0xFF
    journal_file.write_bytes(bytes(data))

    check = _run(data_dir, "check")

    assert check.returncode == EXIT_DAMAGED
    line = [x for x in check.stdout.splitlines() if x.startswith("Newest good backup: ")]
    assert len(line) == 1, check.stdout
    assert path in line[0]
    restored = _run(data_dir, "restore", "latest")
    assert restored.returncode == EXIT_OK, restored.stderr
    assert "damaged-" in restored.stdout
    assert _run(data_dir, "check").returncode == EXIT_OK


# A child that backs up in a loop, each under another minute, saying where each one went.
_BACKER = r"""
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from interview_journal.core import backups
folder = Path(sys.argv[1])
start = datetime(2026, 3, 2, tzinfo=UTC) + timedelta(days=int(sys.argv[2]))
print("READY", flush=True)
for minute in range(1000):
    now = start + timedelta(minutes=minute)
    made = backups.take_backup(folder, now=now)
    print("DONE", made.path, flush=True)
    backups.rotate(folder, now, backups.RetentionPolicy(24, 3, 0, 0, 0))
"""


@pytest.mark.slow
def test_kill_9_during_backups_leaves_the_journal_whole_and_no_partial_backup(
    data_dir: Path, tmp_path: Path
) -> None:
    _make_journal(data_dir, interviews=120, text=400)  # some MB: a copy takes a while
    journal_file = paths.journal_path(data_dir)
    whole = _sha256(journal_file)
    count = 120
    rng = random.Random(KILL_SEED)
    env = make_env(tmp_path / "env")
    done = left_over = 0  # backups finished; kills that left a staging folder behind
    for kill in range(KILLS):
        where = f"seed {KILL_SEED} (IJ_BACKUP_KILL_SEED), kill {kill + 1} of {KILLS}"
        if kill % 3 == 2:  # the installed command, from its very start
            child = Child([COMMAND, "--data-dir", str(data_dir), "backup"], env,
                          tmp_path / f"stderr-{kill}.txt")
            lines = child.lines_for(rng.uniform(0, 0.6))
        else:
            child = Child([sys.executable, "-c", _BACKER, str(data_dir), str(kill)], env,
                          tmp_path / f"stderr-{kill}.txt")
            child.expect("READY")
            lines = [child.line() or "" for _ in range(rng.randint(0, 2))]
            lines += child.lines_for(rng.uniform(0, 0.15))
        lines += child.kill()
        child.assert_no_traceback()
        child.close()
        done += sum(line.startswith(("DONE", "Backed up")) for line in lines)

        left_over += any(p.name.startswith(".") for p in paths.backups_dir(data_dir).iterdir())
        assert _sha256(journal_file) == whole, where  # a backup never writes to the journal
        with closing(sqlite3.connect(read_only_uri(journal_file), uri=True)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
        for backup in backups.list_backups(data_dir):  # only whole, checked copies are listed
            assert backups.check_backup(backup).ok, f"{where}: {backup.path.name}"
            assert backup.interview_count == count, where
            assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600, where

    print(f"{done} backups finished, {left_over} of {KILLS} kills left a staging folder")
    assert done >= 1, "no backup finished before a kill: the kills prove little"
    backups.take_backup(data_dir, now=datetime(2030, 1, 1, tzinfo=UTC))  # cleans leftovers
    leftovers = [p.name for p in paths.backups_dir(data_dir).iterdir() if p.name.startswith(".")]
    assert leftovers == []
