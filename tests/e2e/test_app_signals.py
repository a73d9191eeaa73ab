"""SIGTERM (and SIGINT) right after typing: the edit is saved and the app exits cleanly
(docs/data-safety.md).

The child (``app_child.py term``) is the real app: it types a marker into a section, and
prints ``TYPED`` while the edit is still pending (the debounce is a full second away). The
parent signals it as soon as it reads that line.

With another program holding the journal's write lock when the signal comes, the app keeps
trying: it saves and exits 0 once the lock is let go, and gives up with exit 1 after
``ui.app.SIGNAL_SAVE_GRACE_MS`` rather than hang (a window asking about an unsaved edit
would wait for a click nobody makes).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_journal.core import paths
from interview_journal.ui import app

from .app_support import Child, log_file, make_env, read_journal


@pytest.fixture
def children() -> Iterator[list[Child]]:
    """Children started by the test; any still running at the end are killed."""
    started: list[Child] = []
    yield started
    for child in started:
        child.close()


@pytest.mark.parametrize(
    ("signum", "section", "seed"),
    [
        (signal.SIGTERM, "went_well", 1),
        (signal.SIGTERM, "notes", 2),
        (signal.SIGINT, "do_differently", 3),
    ],
)
def test_a_signal_right_after_typing_saves_and_exits_0(
    tmp_path: Path, children: list[Child], signum: signal.Signals, section: str, seed: int
) -> None:
    env = make_env(tmp_path)
    folder = tmp_path / "data"
    child = Child.driver("term", folder, seed, env, tmp_path / "stderr.txt", section)
    children.append(child)
    child.expect("READY")
    _typed, uuid, typed_section, state = child.expect("TYPED").split()
    typed_at = time.monotonic()
    child.proc.send_signal(signum)
    assert time.monotonic() - typed_at < 0.1
    assert (typed_section, state) == (section, "unsaved"), "the edit was saved before the signal"

    assert child.wait() == 0, child.stderr()
    child.assert_no_traceback()
    stored = read_journal(folder)
    assert stored.integrity == ["ok"]
    assert stored.search in ("ok", "absent")
    assert stored.texts[uuid][section] == f"sigterm marker {seed}"
    # A clean close folded the WAL back in (the journal's close ran, not just the save).
    wal = paths.journal_path(folder).with_name(paths.JOURNAL_FILE + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert f"signal {int(signum)}: saving and quitting" in log_file(env).read_text()
    assert not (folder / "instance.lock").exists(), "the data folder is still locked"


def test_sigterm_while_another_program_holds_the_write_lock_saves_once_it_lets_go(
    tmp_path: Path, children: list[Child]
) -> None:
    env = make_env(tmp_path)
    folder = tmp_path / "data"
    child = Child.driver("term", folder, 4, env, tmp_path / "stderr.txt", "impressions")
    children.append(child)
    child.expect("READY")
    _typed, uuid, _section, state = child.expect("TYPED").split()
    assert state == "unsaved"
    locker = Child.locker(folder, env, tmp_path / "locker.txt")
    children.append(locker)
    child.proc.send_signal(signal.SIGTERM)

    assert child.lines_for(1.0) == []  # a second of waiting on the child's output
    assert child.proc.poll() is None, "the app quit while its edit could not be saved"
    locker.release()
    assert child.wait() == 0, child.stderr()
    child.assert_no_traceback()
    assert read_journal(folder).texts[uuid]["impressions"] == "sigterm marker 4"


def test_sigterm_gives_up_after_a_grace_period_when_the_journal_stays_locked(
    tmp_path: Path, children: list[Child]
) -> None:
    env = make_env(tmp_path)
    folder = tmp_path / "data"
    child = Child.driver("term", folder, 5, env, tmp_path / "stderr.txt", "notes")
    children.append(child)
    child.expect("READY")
    _typed, uuid, _section, _state = child.expect("TYPED").split()
    locker = Child.locker(folder, env, tmp_path / "locker.txt")
    children.append(locker)
    signalled = time.monotonic()
    child.proc.send_signal(signal.SIGTERM)

    assert child.wait(app.SIGNAL_SAVE_GRACE_MS / 1000 + 10) == app.EXIT_UNEXPECTED
    assert time.monotonic() - signalled >= app.SIGNAL_SAVE_GRACE_MS / 1000
    child.assert_no_traceback()
    assert "quit on a signal with changes that could not be saved" in log_file(env).read_text()
    locker.release()
    assert read_journal(folder).texts[uuid]["notes"] == ""
