"""Opt-in "start at login", so reminders keep working after a reboot.

Linux and other freedesktop systems: an XDG autostart entry in ``$XDG_CONFIG_HOME/autostart``.
Windows and macOS have their own mechanisms (the Startup folder, Login Items); the README says
how to add the app there by hand until the installers do it.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from interview_journal import DESKTOP_ID


def supported() -> bool:
    """Whether this platform uses XDG autostart entries."""
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def entry_path() -> Path:
    """Where the autostart entry lives."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / f"{DESKTOP_ID}.desktop"


def is_enabled() -> bool:
    """Whether the app starts at login."""
    return supported() and entry_path().is_file()


def set_enabled(enabled: bool, data_dir: Path | None = None) -> None:
    """Add or remove the autostart entry (``data_dir`` when the journal is not the default)."""
    path = entry_path()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    command = ["interview-journal-gui"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=Interview Journal",
            "Comment=Reminds you to reflect after each interview",
            "Exec=" + " ".join(shlex.quote(part) for part in command),
            f"Icon={DESKTOP_ID}",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
    )
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
