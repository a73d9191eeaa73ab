"""The data folder: where it is, that it stays private, and warnings about risky places.

Permissions are checked under ``umask 022``, the common default, under which new files come
out 0644 unless the app tightens them (``VACUUM INTO`` copies included).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from interview_journal import APP_NAME, cli
from interview_journal.core import paths
from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from tests.unit.migration_support import ADD_WEBSITE, add_script, use_migrations

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """Run the test under the usual umask 022, and put the previous one back afterwards."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


# --------------------------------------------------------------------------- permissions


@pytest.mark.usefixtures("umask_022")
def test_new_folder_is_0700_and_its_files_0600(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    journal = Journal.open(folder, clock=FakeClock())
    try:
        journal.create_company("Acme")  # something in the WAL
        names = {p.name for p in folder.iterdir()}
        assert names == {"journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"}
        assert _mode(folder) == 0o700
        for name in names:
            assert _mode(folder / name) == 0o600, name
    finally:
        journal.close()
    assert _mode(folder / "journal.sqlite3") == 0o600


@pytest.mark.usefixtures("umask_022")
def test_pre_migration_copy_and_backups_folder_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrations = use_migrations(tmp_path / "migrations", monkeypatch)
    folder = tmp_path / "data"
    with Journal.open(folder, clock=FakeClock()) as journal:
        journal.create_company("Acme")
    add_script(migrations, ADD_WEBSITE)

    with Journal.open(folder, clock=FakeClock()):
        backups = paths.backups_dir(folder)
        [copy] = backups.glob("pre-migration-v1-*.sqlite3")
        assert _mode(backups) == 0o700
        assert _mode(copy) == 0o600
        for entry in folder.iterdir():
            assert _mode(entry) == (0o700 if entry.is_dir() else 0o600), entry.name


@pytest.mark.usefixtures("umask_022")
def test_existing_loose_folder_and_files_are_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    Journal.open(folder, clock=FakeClock()).close()
    backups = paths.backups_dir(folder)
    backups.mkdir()
    (backups / "older.sqlite3").write_bytes(b"")
    (folder / "stray.txt").write_text("left by someone", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)
    for path, mode in [
        (folder, 0o755),
        (folder / "journal.sqlite3", 0o644),
        (folder / "stray.txt", 0o644),
        (backups, 0o755),
        (backups / "older.sqlite3", 0o644),
        (outside, 0o644),
    ]:
        path.chmod(mode)

    Journal.open(folder, clock=FakeClock()).close()

    assert _mode(folder) == 0o700
    assert _mode(folder / "journal.sqlite3") == 0o600
    assert _mode(folder / "stray.txt") == 0o600
    assert _mode(backups) == 0o700
    assert _mode(backups / "older.sqlite3") == 0o600
    # A symlink is not followed: a file outside the data folder is not ours to change.
    assert _mode(outside) == 0o644


def test_restrict_umask_makes_new_files_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        cli.restrict_umask()
        (tmp_path / "new.txt").write_text("x", encoding="utf-8")
        (tmp_path / "new_dir").mkdir()
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "new.txt") == 0o600
    assert _mode(tmp_path / "new_dir") == 0o700


# --------------------------------------------------------------------------- where


def test_data_dir_override_beats_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert paths.data_dir(tmp_path / "given") == tmp_path / "given"


def test_data_dir_environment_beats_the_platform_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert paths.data_dir() == tmp_path / "from-env"
    assert paths.data_dir("") == tmp_path / "from-env"


def test_data_dir_falls_back_to_the_platform_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.ENV_DATA_DIR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    expected = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    assert paths.data_dir() == expected
    assert expected.name == APP_NAME
    if sys.platform.startswith("linux"):
        assert expected == tmp_path / "xdg" / APP_NAME


def test_data_dir_expands_home_and_makes_relative_paths_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert paths.data_dir("~/journal") == tmp_path / "home" / "journal"
    assert paths.data_dir("relative") == tmp_path / "relative"


# --------------------------------------------------------------------------- warnings


@pytest.mark.parametrize(
    "parts",
    [
        ("Dropbox", "Journal"),
        ("Dropbox (Personal)", "Journal"),
        ("OneDrive", "Documents", "Journal"),
        ("OneDrive - Contoso",),
        ("Nextcloud", "Journal"),
        ("iCloudDrive", "Journal"),
        ("iCloud Drive", "Journal"),
        ("Library", "Mobile Documents", "com~apple~CloudDocs", "Journal"),
        ("Library", "CloudStorage", "OneDrive-Personal", "Journal"),
        ("Library", "CloudStorage", "GoogleDrive-me@example.com", "My Drive"),
        ("Sync", "Journal"),  # Syncthing's default folder
        ("Syncthing", "Journal"),
    ],
)
def test_storage_warning_flags_sync_folders(tmp_path: Path, parts: tuple[str, ...]) -> None:
    folder = tmp_path.joinpath(*parts)
    warning = paths.storage_warning(folder)
    assert warning is not None
    assert "sync folder" in warning


@pytest.mark.parametrize(
    "parts", [("data",), ("async", "journal"), ("dropbox-notes",), ("my onedrive stuff",)]
)
def test_storage_warning_is_none_for_ordinary_folders(
    tmp_path: Path, parts: tuple[str, ...]
) -> None:
    assert paths.storage_warning(tmp_path.joinpath(*parts)) is None


def test_storage_warning_follows_symlinks_into_a_sync_folder(tmp_path: Path) -> None:
    target = tmp_path / "Dropbox" / "Journal"
    target.mkdir(parents=True)
    (tmp_path / "journal").symlink_to(target)
    warning = paths.storage_warning(tmp_path / "journal")
    assert warning is not None
    assert "Dropbox" in warning


def test_cli_prints_the_storage_warning_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask_022: None
) -> None:
    folder = tmp_path / "Dropbox" / "InterviewJournal"
    folder.mkdir(parents=True)
    assert cli.main(["--data-dir", str(folder), "check"]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert "No journal yet" in out
    assert err.startswith("warning: ")
    assert "Dropbox" in err
    assert "warning" not in out


def test_cli_prints_no_warning_for_an_ordinary_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask_022: None
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    assert cli.main(["--data-dir", str(folder), "check"]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert "No journal yet" in out
    assert err == ""


@pytest.mark.skipif(sys.platform == "win32", reason="the lock is flock-ed on Unix")
def test_app_holds_reads_the_app_lock_without_taking_it(tmp_path: Path) -> None:
    import fcntl

    lock = tmp_path / paths.INSTANCE_LOCK_FILE
    assert not paths.app_holds(tmp_path)  # no lock file
    lock.write_text("12345\ninterview-journal\nhost\n")
    assert not paths.app_holds(tmp_path)  # left by a killed app: nobody holds it
    with lock.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert paths.app_holds(tmp_path)
        assert paths.app_holds(tmp_path)  # asking again changes nothing
    assert not paths.app_holds(tmp_path)
    assert lock.read_text() == "12345\ninterview-journal\nhost\n"
