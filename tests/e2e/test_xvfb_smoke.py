"""A real window on a real X server (Xvfb), and ``reflect`` handed to the running app.

Skipped only where Xvfb is not installed; CI installs it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from .app_support import installed
from .test_app_launch import COMMAND, Launcher, assert_clean_log, env, terminate, wait_ready

__all__ = ["env"]  # the fixture, re-used from test_app_launch

XVFB = shutil.which("Xvfb")
pytestmark = pytest.mark.skipif(XVFB is None, reason="Xvfb is not installed")


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    """A private X server; its display name (":N")."""
    assert XVFB is not None
    read, write = os.pipe()
    server = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()  # Xvfb writes it once it accepts connections
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_real_window_under_xvfb_and_reflect_hand_over(
    qtbot: QtBot, tmp_path: Path, env: dict[str, str], display: str
) -> None:
    env = {**env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    folder = tmp_path / "data"
    launcher = Launcher(tmp_path, env)
    try:
        app = launcher(COMMAND, folder)
        wait_ready(qtbot, app, folder)

        reflect = subprocess.run(
            [installed("interview-journal"), "--data-dir", str(folder), "reflect",
             "--company", "Acme", "--role", "SRE"],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )
        assert reflect.returncode == 0, reflect.stderr
        assert "Traceback" not in reflect.stderr

        def started() -> bool:
            with closing(sqlite3.connect(f"file:{folder / 'journal.sqlite3'}?mode=ro",
                                         uri=True)) as conn:
                rows = conn.execute(
                    "SELECT c.name, i.role FROM interview i JOIN company c "
                    "ON c.id = i.company_id WHERE i.reflection_started_at IS NOT NULL"
                ).fetchall()
            return rows == [("Acme", "SRE")]

        qtbot.waitUntil(started, timeout=30_000)
        terminate(app)
        log = assert_clean_log(env)
        assert "started Interview Journal" in log
    finally:
        for child in launcher.children:
            child.close()

