"""Start at login writes (and removes) an XDG autostart entry."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from interview_journal import DESKTOP_ID
from interview_journal.ui import autostart


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG autostart is Linux's")
def test_autostart_entry_is_written_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert not autostart.is_enabled()
    autostart.set_enabled(True, tmp_path / "my data")
    entry = tmp_path / "config" / "autostart" / f"{DESKTOP_ID}.desktop"
    assert autostart.is_enabled()
    text = entry.read_text(encoding="utf-8")
    assert "[Desktop Entry]" in text
    assert f"Exec=interview-journal-gui --data-dir '{tmp_path / 'my data'}'" in text
    autostart.set_enabled(False)
    assert not entry.exists()
    assert not autostart.is_enabled()
