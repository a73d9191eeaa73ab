"""The guard every window test runs under: a timer or worker left running fails the test."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer
from pytestqt.qtbot import QtBot

from .conftest import still_running


class _Blocked(QRunnable):
    def __init__(self, gate: threading.Event) -> None:
        super().__init__()
        self._gate = gate

    def run(self) -> None:
        self._gate.wait(5)


def test_a_running_timer_and_a_busy_pool_are_found_and_stopped_ones_are_not(
    qtbot: QtBot,
) -> None:
    owner = QObject()
    timer = QTimer(owner)
    timer.setObjectName("probe")
    pool = QThreadPool(owner)
    gate = threading.Event()
    timer.start(60_000)
    pool.start(_Blocked(gate))

    found = still_running([timer], [pool])

    assert found == ["timer probe of QObject, 60000 ms", "1 worker(s) of the pool of QObject"]
    timer.stop()
    gate.set()
    assert pool.waitForDone(5000)
    assert still_running([timer], [pool]) == []


def test_a_deleted_timer_does_not_count(qtbot: QtBot) -> None:
    owner = QObject()
    timer = QTimer(owner)
    timer.start(60_000)
    timer.stop()
    del owner  # the timer's C++ object goes with its owner

    assert still_running([timer], []) == []
