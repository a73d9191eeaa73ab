"""Start-up stays lean (DESIGN.md 6): what the first window does not need loads after it paints.

The real ``interview-journal`` start runs in a child process; a hook on the main window's
first paint lists the modules loaded by then, and again once the deferred start-up work
(tray, notifications, timers, search worker, hand-over server) has run.
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
        # The window queues first_painted after this frame; its work runs next. Look after it.
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, after))

def after():
    seen["after"] = sorted(sys.modules)
    print(json.dumps(seen), flush=True)
    os._exit(0)

window_class.paintEvent = paint_event
from interview_journal import cli
cli.main(["--data-dir", sys.argv[1]])
"""

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
    "PySide6.QtNetwork",  # the hand-over server listens after the first paint
    "logging.handlers",  # the rotating log handler replaces the plain one after it
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
    painted = set(seen["painted"])

    early = [name for name in AFTER_FIRST_PAINT if name in painted]

    assert early == []
    # The probe can see a module load: the window's own code is there.
    assert "interview_journal.ui.main_window" in painted
    # And what start-up defers does load once the first frame is out.
    after = set(seen["after"])
    assert "interview_journal.ui.notifier" in after
    assert "PySide6.QtNetwork" in after
