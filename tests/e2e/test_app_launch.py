"""Launching the installed commands as a user would: one app per data folder, a second launch
handing over and exiting, a killed app's lock and socket taken over at once, and a clean exit
on SIGTERM (docs/data-safety.md; docs/architecture.md, Contracts).

"Ready" means what a second launch needs: the running app answers a hand-over on the data
folder's local server. This test process asks it (``SingleInstance.send``), polling through
``qtbot.waitUntil``.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from interview_journal.core import paths
from interview_journal.ui.instance import LOCK_FILE, SingleInstance

from .app_support import Child, installed, log_file, make_env, read_journal

COMMAND = installed("interview-journal")
GUI_COMMAND = installed("interview-journal-gui")
READY_TIMEOUT_MS = 30_000
QUICK_EXIT_S = 15.0
TAKEOVER_MS = 1000
# The app started as its command starts it, then a hand-over sent as soon as start() returns:
# before the first paint, so before the app listens. Prints which modules that must wait for
# the first paint (docs/architecture.md, Start-up) are loaded once start() returned,
# whether the app listened or had rotated its log at the first paint, and the hand-over's
# outcome.
GAP_CHILD = r"""
import sys
from pathlib import Path
from interview_journal import cli
from interview_journal.core.commands import ReflectRequest
from interview_journal.ui import app, main_window
from interview_journal.ui.instance import SingleInstance

LATE = ("PySide6.QtNetwork", "logging.handlers")
folder = Path(sys.argv[1])
at_first_paint = []
paint_event = main_window.MainWindow.paintEvent

def loaded():
    return ",".join(name for name in LATE if name in sys.modules) or "-"

def record_first_paint(window, event):
    paint_event(window, event)
    if not at_first_paint:
        # The hand-over below imports QtNetwork for its client side; logging.handlers shows
        # whether the app's after-paint work has run.
        at_first_paint.extend([session.instance.is_listening, "logging.handlers" in sys.modules])

main_window.MainWindow.paintEvent = record_first_paint
cli.restrict_umask()
session = app.start(folder, [])
print("STARTED", loaded(), session.instance.is_listening, flush=True)
handed_over = SingleInstance(folder).send(
    ["reflect", "--company", "Gap Inc"], request=ReflectRequest(company="Gap Inc")
)
print("FIRST-PAINT", *at_first_paint, flush=True)
print("HANDED-OVER", handed_over, session.instance.is_listening, loaded(), flush=True)
sys.exit(session.exec())
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The launches' environment: offscreen, every per-user folder under the test's folder."""
    return make_env(tmp_path / "user")


@pytest.fixture
def launch(tmp_path: Path, env: dict[str, str]) -> Iterator[Launcher]:
    """Starts the installed commands; any still running at the end are killed."""
    launcher = Launcher(tmp_path, env)
    yield launcher
    for child in launcher.children:
        child.close()


class Launcher:
    """Runs an installed command on a data folder, each with its own stderr file."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self._tmp_path = tmp_path
        self._env = env
        self.children: list[Child] = []

    def __call__(self, command: str, folder: Path) -> Child:
        stderr = self._tmp_path / f"stderr-{len(self.children)}.txt"
        child = Child([command, "--data-dir", str(folder)], self._env, stderr)
        self.children.append(child)
        return child


def wait_ready(qtbot: QtBot, child: Child, folder: Path) -> float:
    """Wait until ``child`` answers hand-overs on ``folder``; seconds it took from now."""
    began = time.monotonic()
    probe = SingleInstance(folder)

    def answers() -> bool:
        if child.proc.poll() is not None:
            pytest.fail(f"the app exited with {child.proc.returncode}\n{child.stderr()}")
        return probe.send([], timeout_ms=200)

    qtbot.waitUntil(answers, timeout=READY_TIMEOUT_MS)
    return time.monotonic() - began


def terminate(child: Child) -> None:
    """SIGTERM the app: it must exit 0, without a traceback, and leave the folder unlocked."""
    child.proc.send_signal(signal.SIGTERM)
    assert child.wait() == 0, child.stderr()
    child.assert_no_traceback()


def assert_clean_log(env: dict[str, str]) -> str:
    """The log the launches wrote, which must hold no error."""
    text = log_file(env).read_text(encoding="utf-8")
    assert " ERROR " not in text, text
    assert "Traceback" not in text, text
    return text


def test_second_launch_hands_over_and_a_killed_apps_folder_is_taken_over_at_once(
    qtbot: QtBot, tmp_path: Path, env: dict[str, str], launch: Launcher
) -> None:
    folder = tmp_path / "data"
    first = launch(COMMAND, folder)
    wait_ready(qtbot, first, folder)

    began = time.monotonic()
    second = launch(COMMAND, folder)
    assert second.wait(QUICK_EXIT_S) == 0, second.stderr()
    second_took = time.monotonic() - began
    second.assert_no_traceback()
    assert first.proc.poll() is None, "the first app went away when the second launched"
    assert "handed the command to the running instance" in log_file(env).read_text()
    wait_ready(qtbot, first, folder)  # and it still answers

    first.kill()
    assert first.proc.returncode == -signal.SIGKILL
    assert (folder / LOCK_FILE).exists(), "a killed app leaves its lock file behind"
    third = launch(COMMAND, folder)
    ready_after = wait_ready(qtbot, third, folder)
    log = assert_clean_log(env)
    takeovers = re.findall(r"data folder (taken|busy)[^\n]* after (\d+) ms", log)
    assert len(takeovers) == 3, log
    kind, took_ms = takeovers[-1]
    assert kind == "taken", log
    assert int(took_ms) < TAKEOVER_MS, f"taking over the killed app's lock took {took_ms} ms"
    # Starting Python and Qt takes most of the wait; the lock itself is not waited for.
    assert ready_after < max(10.0, 2 * second_took), f"ready {ready_after:.1f} s after launch"

    terminate(third)
    assert not (folder / LOCK_FILE).exists()
    stored = read_journal(folder)
    assert (stored.integrity, stored.search) == (["ok"], "ok")


def test_a_command_handed_over_before_the_first_paint_is_acted_on_once_the_app_listens(
    qtbot: QtBot, tmp_path: Path, env: dict[str, str], launch: Launcher
) -> None:
    folder = tmp_path / "data"
    app = Child([sys.executable, "-c", GAP_CHILD, str(folder)], env, tmp_path / "stderr.txt")
    launch.children.append(app)

    # Neither the server nor the rotating log is loaded until the window has painted.
    assert app.expect("STARTED") == "STARTED - False"
    assert app.expect("FIRST-PAINT") == "FIRST-PAINT False False"
    assert app.expect("HANDED-OVER") == (
        "HANDED-OVER True True PySide6.QtNetwork,logging.handlers"
    )
    wait_ready(qtbot, app, folder)  # answered after the handed-over command's reflection
    terminate(app)
    assert_clean_log(env)
    with closing(sqlite3.connect(paths.journal_path(folder))) as conn:
        companies = [row[0] for row in conn.execute("SELECT name FROM company")]
    assert companies == ["Gap Inc"]


def test_gui_script_opens_the_window_and_quits_cleanly_on_sigterm(
    qtbot: QtBot, tmp_path: Path, env: dict[str, str], launch: Launcher
) -> None:
    folder = tmp_path / "data"
    app = launch(GUI_COMMAND, folder)
    wait_ready(qtbot, app, folder)
    terminate(app)
    log = assert_clean_log(env)
    assert re.search(r"started Interview Journal \S+ \(pid \d+\)", log), log
    assert "signal 15: saving and quitting" in log
    assert paths.journal_path(folder).is_file()
    assert not (folder / LOCK_FILE).exists()


def test_reflect_from_a_second_launch_starts_in_the_running_app(
    qtbot: QtBot, tmp_path: Path, env: dict[str, str], launch: Launcher
) -> None:
    folder = tmp_path / "data"
    first = launch(COMMAND, folder)
    wait_ready(qtbot, first, folder)

    # The options are read by the second launch's argparse, in every spelling it accepts,
    # and reach the running app as data.
    reflect = Child(
        [COMMAND, "--data-dir", str(folder), "reflect", "--role=Data SRE", "--company",
         "Initech --role x"],
        env,
        tmp_path / "stderr-reflect.txt",
    )
    launch.children.append(reflect)
    assert reflect.wait(QUICK_EXIT_S) == 0, reflect.stderr()
    reflect.assert_no_traceback()

    def started() -> bool:
        with closing(sqlite3.connect(paths.journal_path(folder).as_uri() + "?mode=ro",
                                     uri=True)) as conn:
            rows = conn.execute(
                "SELECT c.name, i.role FROM interview i JOIN company c ON c.id = i.company_id "
                "WHERE i.reflection_started_at IS NOT NULL"
            ).fetchall()
        return rows == [("Initech --role x", "Data SRE")]

    qtbot.waitUntil(started, timeout=READY_TIMEOUT_MS)
    assert first.proc.poll() is None
    terminate(first)
    assert_clean_log(env)


def test_a_data_folder_that_cannot_exist_is_one_line_and_exit_1_not_a_traceback(
    tmp_path: Path, env: dict[str, str], launch: Launcher
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    app = launch(COMMAND, blocker / "data")
    assert app.wait(QUICK_EXIT_S) == 1
    app.assert_no_traceback()
    errors = [line for line in app.stderr().splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, app.stderr()
    assert str(blocker / "data") in errors[0]
    assert app.rest() == []
