"""Interview Journal: a private desktop journal for the half hour after each job interview."""

from __future__ import annotations

from importlib import metadata

APP_NAME = "InterviewJournal"
DISPLAY_NAME = "Interview Journal"
# The one reverse-DNS id for the .desktop file, the icon, AppStream and setDesktopFileName().
DESKTOP_ID = "io.github.interview_journal.InterviewJournal"

try:
    __version__ = metadata.version("interview-journal")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
