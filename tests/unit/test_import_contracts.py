"""The layers' import rules (docs/architecture.md), checked on every module's source.

core/ is plain Python: it never imports PySide6 or the UI, so every rule about the journal
can be tested without a display. ui/ never reaches past the Journal into the database: no
peewee, no playhouse, no sqlite3 and no core.models. Imports inside functions count too
(that is where the lazy ones are).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "interview_journal"


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it, as dotted names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _breaks(imported: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in imported if any(name == b or name.startswith(b + ".") for b in banned)
    )


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "core").rglob("*.py")), ids=lambda p: p.name
)
def test_core_never_imports_qt_or_the_ui(path: Path) -> None:
    assert _breaks(_imports(path), ("PySide6", "shiboken6", "interview_journal.ui")) == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "ui").rglob("*.py")), ids=lambda p: p.name)
def test_the_ui_never_reaches_past_the_journal(path: Path) -> None:
    banned = ("peewee", "playhouse", "sqlite3", "interview_journal.core.models")
    assert _breaks(_imports(path), banned) == []


def test_the_checks_would_see_a_broken_rule(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text(
        "def later():\n    from PySide6.QtCore import QTimer\n    import sqlite3\n",
        encoding="utf-8",
    )
    imported = _imports(module)
    assert _breaks(imported, ("PySide6",)) == ["PySide6.QtCore", "PySide6.QtCore.QTimer"]
    assert _breaks(imported, ("sqlite3",)) == ["sqlite3"]
