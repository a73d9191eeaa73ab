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

from interview_journal import cli, paths
from interview_journal.core import search


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
