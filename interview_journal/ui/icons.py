"""The app's own icon, for the window, the tray and the about box.

The SVG ships inside the package (``interview_journal.resources``), so it is found the same
way from a wheel, an editable install and a PyInstaller bundle. Where the desktop has our
icon installed in its theme (Linux packages install it under the desktop id), the theme's
copy wins, so the window, the launcher and the tray match.
"""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from interview_journal import DESKTOP_ID

log = logging.getLogger(__name__)

ICON_FILE = f"{DESKTOP_ID}.svg"


def icon_path() -> Path | None:
    """Where the shipped SVG icon is on disk; None if this install does not have it as a file."""
    resource = files("interview_journal.resources").joinpath("icons", ICON_FILE)
    # A package inside a zip gives a Traversable that is not a Path; Qt needs a real file.
    if isinstance(resource, Path) and resource.is_file():
        return resource
    return None


def app_icon() -> QIcon:
    """Interview Journal's icon: the theme's copy if installed, else the shipped SVG.

    A broken install that lost the SVG still gets a valid (generic) icon, because a null icon
    makes ``QSystemTrayIcon`` refuse to show.
    """
    path = icon_path()
    if path is not None:
        fallback = QIcon(str(path))
    else:
        log.warning("the app icon %s is missing from this install", ICON_FILE)
        fallback = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
    return QIcon.fromTheme(DESKTOP_ID, fallback)
