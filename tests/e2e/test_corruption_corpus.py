"""The damaged-journal corpus (docs/data-safety.md): fifty-one damaged journals
(``corruption_corpus``), each given to the installed ``interview-journal check`` and
``search`` and to the app as a user would start it.

For every case: ``check``, ``search`` and the app all exit 4 with no traceback (``search``
with one line and no results), the app's window never
stays open, the damaged file is neither deleted nor modified (its SHA-256 is compared), no
write-ahead log with anything in it is left beside it (a write would sit there before it
reached the file) and a case's own log is left as it was, no backup was made and the backup
already there is untouched.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from interview_journal.core import paths

from . import corruption_corpus
from .app_support import EXIT_TIMEOUT_S, installed, make_env

COMMAND = installed("interview-journal")
EXIT_DAMAGED = 4
NAMES = [name for name, _damage in corruption_corpus.cases()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, corruption_corpus.Case]:
    """The corpus, built once for the module."""
    root = tmp_path_factory.mktemp("corpus")
    return {case.name: case for case in corruption_corpus.build(root)}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _nothing_written_beside(folder: Path, wal_before: str | None) -> None:
    names = {p.name for p in folder.iterdir()}
    journal = paths.JOURNAL_FILE
    assert names <= {journal, f"{journal}-wal", f"{journal}-shm", paths.BACKUPS_DIR}, names
    assert [p.name for p in paths.backups_dir(folder).iterdir()] == [
        corruption_corpus.BACKUP_NAME
    ]  # no copy was made of a damaged journal
    wal = folder / f"{journal}-wal"
    if wal_before is not None:  # the case's own log: neither folded in nor deleted
        assert wal.exists()
        assert _sha256(wal) == wal_before
    else:
        assert not wal.exists() or wal.stat().st_size == 0


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMMAND, *args],
        env=make_env(tmp_path / "user"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=EXIT_TIMEOUT_S,
        check=False,
    )


@pytest.mark.parametrize("name", NAMES)
def test_a_damaged_journal_is_reported_refused_and_left_as_it_is(
    corpus: dict[str, corruption_corpus.Case], tmp_path: Path, name: str
) -> None:
    case = corpus[name]
    before = _sha256(case.journal)
    wal = case.folder / f"{paths.JOURNAL_FILE}-wal"
    wal_before = _sha256(wal) if wal.exists() else None
    backup = paths.backups_dir(case.folder) / corruption_corpus.BACKUP_NAME
    backup_before = _sha256(backup)

    check = _run(["--data-dir", str(case.folder), "check"], tmp_path)

    assert check.returncode == EXIT_DAMAGED, check.stdout + check.stderr
    assert "Integrity: damaged" in check.stdout
    assert "Traceback" not in check.stdout + check.stderr
    assert _sha256(case.journal) == before

    search = _run(["--data-dir", str(case.folder), "search", "interview"], tmp_path)

    assert search.returncode == EXIT_DAMAGED, search.stdout + search.stderr
    assert search.stdout == ""  # no results from a damaged journal
    assert len(search.stderr.splitlines()) == 1, search.stderr
    assert "Traceback" not in search.stderr
    assert "decode" not in search.stderr.lower()
    assert _sha256(case.journal) == before

    app = _run(["--data-dir", str(case.folder)], tmp_path)

    assert app.returncode == EXIT_DAMAGED, app.stderr
    assert "Traceback" not in app.stderr
    assert "Fatal Python error" not in app.stderr
    assert sum(line.startswith("error: ") for line in app.stderr.splitlines()) == 1, app.stderr
    assert _sha256(case.journal) == before
    _nothing_written_beside(case.folder, wal_before)
    assert _sha256(backup) == backup_before
