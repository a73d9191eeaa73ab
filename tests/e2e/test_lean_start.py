"""Start-up stays lean (docs/architecture.md, Start-up): what the first window does not need
loads after it paints.

The real ``interview-journal`` start runs in a child process; a hook on the main window's
paints lists the modules loaded at the first frame (the window without its journal), at the
first frame with the journal, and once the work started after it (tray, notifications,
timers, hand-over server) has run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from interview_journal.core.journal import Journal
from tests.e2e.app_support import EXIT_TIMEOUT_S, make_env

PROBE = r"""
import json, os, sys
from PySide6.QtCore import QTimer
from interview_journal.ui import main_window

window_class = main_window.MainWindow
original = window_class.paintEvent
seen = {}

def paint_event(self, event):
    original(self, event)
    if "painted" not in seen:
        seen["painted"] = sorted(sys.modules)
    if "shown" not in seen and getattr(self, "journal", None) is not None:
        seen["shown"] = sorted(sys.modules)
        # The window queues journal_shown after this frame; the app's work runs then.
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, after))

def after():
    seen["after"] = sorted(sys.modules)
    print(json.dumps(seen), flush=True)
    os._exit(0)

window_class.paintEvent = paint_event
from interview_journal import cli
cli.main(["--data-dir", sys.argv[1]])
"""

# The window paints before the journal opens: none of the journal's code, nor the panes'.
JOURNAL = (
    "peewee",
    "interview_journal.core.journal",
    "interview_journal.core.db",
    "interview_journal.ui.tree_view",
    "interview_journal.ui.editor",
    "interview_journal.ui.journal_check",  # the journal's check starts as it is shown
)
# Loaded only when first used: each of these was once imported before the first paint.
AFTER_FIRST_PAINT = (
    "interview_journal.core.search",  # the search index and queries
    "interview_journal.ui.search_panel",
    "interview_journal.ui.search_runner",
    "interview_journal.ui.notifier",  # desktop notifications (the banner is built at start)
    "interview_journal.ui.tray",
    "interview_journal.ui.dialogs",
    "interview_journal.ui.settings_dialog",
    "interview_journal.core.generator",
    "playhouse.migrations",  # the migration runner: only when the schema is behind
    "interview_journal.core.timers",  # the reflection timers start after the first paint
    "jeepney",  # the D-Bus client: only when the notification service is probed
    "PySide6.QtNetwork",  # the hand-over server listens once the journal is shown
    "logging.handlers",  # the rotating log handler replaces the plain one then
    "interview_journal.ui.banner",  # the reminder banner, built for the first reminder
    "interview_journal.core.question_bank",  # grouped when the bank is first wanted
    "rapidfuzz",  # the bank's fuzzy matching
)


def _modules_at_start(tmp_path: Path) -> dict[str, list[str]]:
    data = tmp_path / "data"
    Journal.open(data).close()  # an existing journal: a new one runs its migrations first
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, str(data)],
        env=make_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=EXIT_TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    seen: dict[str, list[str]] = json.loads(completed.stdout.splitlines()[-1])
    return seen


def test_only_what_the_first_window_needs_is_imported_before_it_paints(
    tmp_path: Path,
) -> None:
    seen = _modules_at_start(tmp_path)
    painted, shown, after = (set(seen[key]) for key in ("painted", "shown", "after"))

    assert [name for name in (*JOURNAL, *AFTER_FIRST_PAINT) if name in painted] == []
    assert [name for name in AFTER_FIRST_PAINT if name in shown] == []
    # The probe sees modules load: the window's own code is there, the journal's next.
    assert "interview_journal.ui.main_window" in painted
    assert set(JOURNAL) <= shown
    # And what start-up defers loads once the journal is on screen.
    assert "interview_journal.ui.notifier" in after
    assert "PySide6.QtNetwork" in after
