"""Journal: whether the last run of the app closed cleanly (``begin_session`` and
``end_session``), kept in the journal file so that it survives a crash.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import WritesHeld
from interview_journal.core.journal import SESSION_OPEN_KEY, Journal


def test_a_new_journal_was_never_left_open(journal: Journal) -> None:
    assert journal.begin_session() is False
    assert journal.setting(SESSION_OPEN_KEY, None) is True


def test_a_clean_close_is_not_an_unclean_one(journal: Journal) -> None:
    journal.begin_session()
    journal.end_session()

    assert journal.setting(SESSION_OPEN_KEY, None) is False
    assert journal.begin_session() is False


def test_a_run_that_never_ended_is_found_by_the_next(
    data_dir: Path, clock: FakeClock
) -> None:
    first = Journal.open(data_dir, clock=clock)
    first.begin_session()
    first.close()  # closed, but the run did not end cleanly (no end_session)

    second = Journal.open(data_dir, clock=clock)
    try:
        assert second.begin_session() is True
        # This run is open now: asking again (a second window) finds it open.
        assert second.begin_session() is True
        second.end_session()
    finally:
        second.close()

    third = Journal.open(data_dir, clock=clock)
    try:
        assert third.begin_session() is False
    finally:
        third.close()


def test_a_journal_that_refuses_writes_records_nothing(journal: Journal) -> None:
    journal.begin_session()
    journal.hold_writes("checking")

    with pytest.raises(WritesHeld):
        journal.end_session()
    with pytest.raises(WritesHeld):
        journal.begin_session()

    journal.allow_writes()
    assert journal.setting(SESSION_OPEN_KEY, None) is True  # still open: the end not recorded


def test_a_stored_flag_of_another_type_reads_as_its_truth(journal: Journal) -> None:
    journal.set_setting(SESSION_OPEN_KEY, 1)  # written by hand or an older version
    assert journal.begin_session() is True
    journal.set_setting(SESSION_OPEN_KEY, None)
    assert journal.begin_session() is False
