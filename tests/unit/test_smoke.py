"""The package installs and its command answers."""

from __future__ import annotations

from interview_journal import __version__
from interview_journal.core.journal import Journal


def test_version_is_set() -> None:
    assert __version__
    assert __version__ != "0.0.0+source"


def test_fresh_journal_is_empty(journal: Journal) -> None:
    assert journal.companies() == []
