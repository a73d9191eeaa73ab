"""Shared test setup: offscreen Qt, a private runtime folder, a fresh data folder per test.

Environment variables are set before anything imports Qt.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# As root without XDG_RUNTIME_DIR, Qt warns (and the warning fails the test).
_RUNTIME = tempfile.mkdtemp(prefix="ij-runtime-")
os.chmod(_RUNTIME, 0o700)
atexit.register(shutil.rmtree, _RUNTIME, ignore_errors=True)
os.environ["XDG_RUNTIME_DIR"] = _RUNTIME

from interview_journal.core.clock import FakeClock  # noqa: E402  (after the environment)
from interview_journal.core.journal import Journal  # noqa: E402


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder that does not exist yet, inside the test's temporary folder."""
    return tmp_path / "data"


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock at Monday 2 March 2026, 09:00 UTC, in UTC."""
    return FakeClock()


@pytest.fixture
def journal(data_dir: Path, clock: FakeClock) -> Iterator[Journal]:
    """A fresh journal in its own data folder, closed after the test."""
    opened = Journal.open(data_dir, clock=clock)
    yield opened
    opened.close()
