"""Interview Journal: a private desktop journal for the half hour after each job interview."""

from __future__ import annotations

APP_NAME = "InterviewJournal"
DISPLAY_NAME = "Interview Journal"
# The one reverse-DNS id for the .desktop file, the icon, AppStream and setDesktopFileName().
DESKTOP_ID = "io.github.interview_journal.InterviewJournal"

# The one place the version is written; pyproject.toml reads it from here. (Asking
# importlib.metadata at import cost ~25 ms of start-up.)
__version__ = "0.1.0"
