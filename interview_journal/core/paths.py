"""Where the journal lives on disk, and keeping that place private.

The data folder comes from ``--data-dir``, then ``INTERVIEW_JOURNAL_DATA_DIR``, then the
platform's user data folder. It is created 0700 and the files in it are kept 0600. (The
process's umask, a setting of the whole process, is the entry's: ``cli.restrict_umask``.)
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import platformdirs

from interview_journal import APP_NAME

ENV_DATA_DIR = "INTERVIEW_JOURNAL_DATA_DIR"
JOURNAL_FILE = "journal.sqlite3"
BACKUPS_DIR = "backups"
# The app's lock on its data folder (a Qt ``QLockFile``, taken by ``ui.instance``).
INSTANCE_LOCK_FILE = "instance.lock"

_DIR_MODE = 0o700
_FILE_MODE = 0o600

# Folder names of sync clients that copy files behind SQLite's back.
_SYNC_FOLDER_NAMES = (
    "dropbox",
    "onedrive",
    "nextcloud",
    "owncloud",
    "icloud drive",
    "iclouddrive",
    "mobile documents",  # macOS: ~/Library/Mobile Documents is iCloud Drive
    "com~apple~clouddocs",
    # macOS File Provider root: ~/Library/CloudStorage/OneDrive-Personal, GoogleDrive-me@...
    "cloudstorage",
    "sync",  # Syncthing's default folder
    "syncthing",
    "google drive",
    "googledrive",
)

# File system types (Linux /proc/mounts) where SQLite's locking is not reliable.
_NETWORK_FS_TYPES = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs",
     "davfs", "fuse.davfs2", "fuse.rclone", "ncpfs", "glusterfs", "fuse.glusterfs", "ceph"}
)


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: the override, else the environment variable, else the platform's."""
    if override:
        return Path(override).expanduser().absolute()
    from_env = os.environ.get(ENV_DATA_DIR)
    if from_env:
        return Path(from_env).expanduser().absolute()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The platform's log folder for the app (logs never hold note text)."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def journal_path(folder: Path) -> Path:
    """The journal file inside a data folder."""
    return folder / JOURNAL_FILE


def backups_dir(folder: Path) -> Path:
    """The backups folder beside the journal."""
    return folder / BACKUPS_DIR


def app_holds(folder: Path) -> bool:
    """Whether a running app holds the data folder ``folder`` (its instance lock), read
    without Qt and without taking or changing the lock.

    Qt's ``QLockFile`` keeps its file ``flock``-ed while the app lives (on Windows, open with
    no sharing of writes), so a lock file left by a killed app does not count.
    """
    lock = folder / INSTANCE_LOCK_FILE
    try:
        descriptor = os.open(lock, os.O_RDWR if sys.platform == "win32" else os.O_RDONLY)
    except FileNotFoundError:
        return False
    except PermissionError:  # Windows: the app has it open
        return sys.platform == "win32"
    except OSError:
        return False
    try:
        if sys.platform == "win32":
            return False
        import fcntl

        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return False
    finally:
        os.close(descriptor)


def ensure_private_dir(folder: Path) -> Path:
    """Create ``folder`` (and parents) if missing and make it 0700; tighten its files to 0600."""
    folder.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
    tighten(folder)
    return folder


def tighten(folder: Path) -> None:
    """Set the folder to 0700 and every file directly in it to 0600 (and ``backups/`` alike)."""
    _chmod(folder, _DIR_MODE)
    for entry in folder.iterdir():
        if entry.is_symlink():
            continue
        if entry.is_dir() and entry.name == BACKUPS_DIR:
            tighten(entry)
        elif entry.is_file():
            _chmod(entry, _FILE_MODE)


def _chmod(path: Path, mode: int) -> None:
    if sys.platform == "win32":  # permissions come from the user profile's ACLs there
        return
    if stat.S_IMODE(path.stat().st_mode) != mode:
        path.chmod(mode)


def storage_warning(folder: Path) -> str | None:
    """A warning when ``folder`` is somewhere a live SQLite file can be corrupted, else None.

    Sync clients (Dropbox, OneDrive, Nextcloud, iCloud, Syncthing) copy the database while it is
    being written, and network file systems do not honour SQLite's locks.
    """
    resolved = folder.resolve()
    for part in resolved.parts:
        lowered = part.casefold()
        if any(lowered == name or lowered.startswith(name + " ") for name in _SYNC_FOLDER_NAMES):
            return (
                f"The data folder {resolved} looks like it is inside a sync folder ({part}). "
                "Sync clients can corrupt a journal that is open; keep it in a local folder "
                "and let backups be what you sync."
            )
    fs_type = _filesystem_type(resolved)
    if fs_type in _NETWORK_FS_TYPES:
        return (
            f"The data folder {resolved} is on a network file system ({fs_type}). "
            "SQLite cannot lock files reliably there; keep the journal on a local disk."
        )
    return None


def _filesystem_type(path: Path) -> str | None:
    """The file system type of the mount holding ``path`` (Linux only; None elsewhere)."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    best: tuple[int, str] | None = None
    text = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        inside = text == mount_point or text.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fields[2])
    return best[1] if best else None
