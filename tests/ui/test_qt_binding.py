"""Guards against known-bad Qt bindings being installed."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


def test_signal_emit_keeps_reference_counts() -> None:
    """PySide6 6.12.0 dropped a reference to True per emit and aborted the interpreter."""
    emitter = _Emitter()
    seen: list[int] = []
    emitter.fired.connect(seen.append)
    before = sys.getrefcount(True)
    for value in range(200):
        emitter.fired.emit(value)
    assert len(seen) == 200
    # Unrelated code may take or drop a reference or two; the bug lost one per emit.
    assert abs(sys.getrefcount(True) - before) <= 2
