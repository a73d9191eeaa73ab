"""``generate`` stopped by SIGTERM at the worst moment: inside the journal's search indexing.

The journal keeps a save when its search index fails (``except Exception`` in
``Journal._index``); the interruption must not be an ``Exception``, or indexing swallows it
and the run finishes as if nothing happened. Run in this process with the real signal: the
signal is sent from inside the indexing of the third interview, where it is handled.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from interview_journal import cli
from interview_journal.core import paths, search


@pytest.fixture
def sigterm_while_indexing(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """SIGTERM this process while the third interview is being indexed; returns the count."""
    original = search.index_interview
    calls = 0

    def index_interview(interview_id: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            # Unhandled, SIGTERM would end the test run itself.
            assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL, "SIGTERM not handled"
            os.kill(os.getpid(), signal.SIGTERM)
        original(interview_id)

    monkeypatch.setattr(search, "index_interview", index_interview)
    return lambda: calls


def _generate(folder: Path) -> int:
    return cli.main(["--data-dir", str(folder), "generate", "--size", "small"])


def test_sigterm_while_indexing_stops_generate_with_nothing_left(
    tmp_path: Path, sigterm_while_indexing: Callable[[], int]
) -> None:
    folder = tmp_path / "data"

    code = _generate(folder)

    assert code == 1
    assert sigterm_while_indexing() == 3  # it stopped there, not at the end
    assert list(folder.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_sigterm_while_filling_a_zero_byte_journal_leaves_it_empty(
    tmp_path: Path, sigterm_while_indexing: Callable[[], int]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    paths.journal_path(folder).write_bytes(b"")

    code = _generate(folder)

    assert code == 1
    assert sigterm_while_indexing() == 3
    assert [p.name for p in folder.iterdir()] == [paths.JOURNAL_FILE]
    assert paths.journal_path(folder).stat().st_size == 0


def test_a_zero_byte_journal_is_filled_through_staging(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    paths.journal_path(folder).write_bytes(b"")

    assert _generate(folder) == 0

    assert [p.name for p in folder.iterdir()] == [paths.JOURNAL_FILE]
    assert paths.journal_path(folder).stat().st_size > 0


def test_an_interruption_while_indexing_is_never_swallowed_by_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interview_journal.core.clock import FakeClock
    from interview_journal.core.journal import Journal

    def interrupted(_interview_id: int) -> None:
        raise KeyboardInterrupt

    with Journal.open(tmp_path / "data", clock=FakeClock()) as journal:
        company = journal.create_company("Acme").company
        monkeypatch.setattr(search, "index_interview", interrupted)

        with pytest.raises(KeyboardInterrupt):
            journal.create_interview(company.id, role="Engineer")

        monkeypatch.undo()
        assert journal.interviews(company.id) == []  # the whole write was rolled back


def test_sigterm_while_the_journal_is_put_in_place_still_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from interview_journal.core import staging

    original = staging.place

    def place(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # noted, not acted on: the link is made whole
        original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(staging, "place", place)
    folder = tmp_path / "data"

    code = _generate(folder)

    assert code == 1
    assert paths.journal_path(folder).stat().st_size > 0  # complete, and in place
    assert [p.name for p in folder.iterdir()] == [paths.JOURNAL_FILE]  # no staging left
    assert "already complete" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_sigterm_while_the_staging_folder_is_removed_still_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    original = shutil.rmtree
    sent: list[int] = []

    def rmtree(path: object, *args: object, **kwargs: object) -> None:
        if not sent and ".generating-" in str(path):
            sent.append(signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGTERM)
        original(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    folder = tmp_path / "data"

    code = _generate(folder)

    assert sent
    assert code == 1
    assert "already complete" in capsys.readouterr().err
    assert not any(p.name.startswith(".generating-") for p in folder.iterdir())
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_a_staging_copy_left_by_a_backup_is_logged_without_note_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from datetime import UTC, datetime

    from interview_journal.core import db
    from interview_journal.core.journal import Journal

    folder = tmp_path / "data"
    with Journal.open(folder) as journal:
        journal.create_company("A private company name")
        monkeypatch.setattr(db.shutil, "rmtree", lambda *_args, **_kwargs: None)
        backup = db.backup_before_migration(
            journal.database, paths.backups_dir(folder), 3, datetime(2026, 3, 1, tzinfo=UTC)
        )

    assert backup.exists()
    left = [p for p in paths.backups_dir(folder).iterdir() if p.name.startswith(".staging-")]
    assert left
    assert left[0].name in caplog.text
    assert "private company" not in caplog.text
