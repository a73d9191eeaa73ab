"""The layers' import rules (docs/architecture.md), checked on every module's source.

core/ is plain Python: it never imports PySide6 or the UI, so every rule about the journal
can be tested without a display. ui/ never reaches past the Journal into the database: no
peewee, no playhouse, no sqlite3 and no core.models, and neither does cli.py. core/ never
imports the entry layer (cli.py, any other top-level module but the package itself)
either. Imports inside functions count too (that is where the lazy ones are), and no
module of the package imports itself back through others: the import graph has no cycle
(``if TYPE_CHECKING:`` blocks aside, as they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "interview_journal"
ROOT = PACKAGE.name


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (``if TYPE_CHECKING:`` too), as dotted
    names; relative imports are resolved when ``path`` is in the package."""
    inside = PACKAGE in path.parents
    visitor = _Imports(
        _module_name(path, PACKAGE) if inside else path.stem,
        path.name == "__init__.py",
        type_checking=True,
    )
    visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return visitor.found


def _module_name(path: Path, package: Path) -> str:
    """``path``'s dotted module name (a package's ``__init__.py`` is the package)."""
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """Every module named by an import in a module's source, relative ones resolved against
    ``module``; without ``type_checking``, ``if TYPE_CHECKING:`` bodies (never run) are skipped
    but not their ``else:``."""

    def __init__(self, module: str, is_package: bool, *, type_checking: bool) -> None:
        self.found: set[str] = set()
        self._package = module.split(".") if is_package else module.split(".")[:-1]
        self._type_checking = type_checking

    def visit_If(self, node: ast.If) -> None:
        if not self._type_checking and _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self._package[: len(self._package) - node.level + 1]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        self.found.add(module)
        self.found.update(f"{module}.{alias.name}" for alias in node.names)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Each module of ``package`` and the modules of the same package it imports at run time.

    ``from a.b import c`` counts as importing ``a.b.c`` when that is a module, else ``a.b``.
    Importing a submodule also runs its packages' ``__init__`` first; that is left out (a
    package is an edge only where it is named, as in ``from a import c``), as the package's
    ``__init__`` files import nothing of their own.
    """
    files = {_module_name(path, package): path for path in sorted(package.rglob("*.py"))}

    def owner(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        visitor = _Imports(module, path.name == "__init__.py", type_checking=False)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        graph[module] = {
            target
            for name in visitor.found
            if (target := owner(name)) is not None and target != module
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One closed path (``[a, b, a]``) through each strongly connected group of modules."""
    found: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(_closed_path(graph, group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _closed_path(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start] if node != start else [start]
                if target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"{sorted(group)} is not a cycle")  # pragma: no cover


def _breaks(imported: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in imported if any(name == b or name.startswith(b + ".") for b in banned)
    )


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "core").rglob("*.py")), ids=lambda p: p.name
)
def test_core_never_imports_qt_or_the_ui(path: Path) -> None:
    assert _breaks(_imports(path), ("PySide6", "shiboken6", "interview_journal.ui")) == []


def _entry_modules() -> tuple[str, ...]:
    """The entry layer: the top-level modules (cli.py …) and the UI, never the package."""
    top = sorted(f"{ROOT}.{path.stem}" for path in PACKAGE.glob("*.py") if path.stem != "__init__")
    return (*top, f"{ROOT}.ui")


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "core").rglob("*.py")), ids=lambda p: p.name
)
def test_core_never_imports_the_entry_layer(path: Path) -> None:
    assert f"{ROOT}.cli" in _entry_modules()
    assert _breaks(_imports(path), _entry_modules()) == []


def test_no_module_imports_itself_back() -> None:
    graph = import_graph(PACKAGE)
    assert f"{ROOT}.core.db" in graph[f"{ROOT}.cli"]  # the lazy imports are seen
    assert cycles(graph) == [], "import cycles: " + "; ".join(
        " -> ".join(cycle) for cycle in cycles(graph)
    )


@pytest.mark.parametrize("path", sorted((PACKAGE / "ui").rglob("*.py")), ids=lambda p: p.name)
def test_the_ui_never_reaches_past_the_journal(path: Path) -> None:
    banned = ("peewee", "playhouse", "sqlite3", "interview_journal.core.models")
    assert _breaks(_imports(path), banned) == []


def test_the_command_line_leaves_sqlite_to_core() -> None:
    banned = ("sqlite3", "peewee", "playhouse", "interview_journal.core.models")
    assert _breaks(_imports(PACKAGE / "cli.py"), banned) == []


def test_the_checks_would_see_a_broken_rule(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text(
        "def later():\n    from PySide6.QtCore import QTimer\n    import sqlite3\n",
        encoding="utf-8",
    )
    imported = _imports(module)
    assert _breaks(imported, ("PySide6",)) == ["PySide6.QtCore", "PySide6.QtCore.QTimer"]
    assert _breaks(imported, ("sqlite3",)) == ["sqlite3"]


def test_the_cycle_check_would_see_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("import pkg.b\n", encoding="utf-8")
    (package / "b.py").write_text(
        "def later():\n    from pkg.sub import c\n", encoding="utf-8"
    )
    (package / "sub" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import d\n"
        "else:\n    from .. import a\n",
        encoding="utf-8",
    )
    (package / "d.py").write_text("from pkg.sub.c import anything\n", encoding="utf-8")
    graph = import_graph(package)
    assert graph["pkg.sub.c"] == {"pkg", "pkg.a"}  # not d: only a type checker reads that
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]
    (package / "sub" / "c.py").write_text("", encoding="utf-8")
    assert cycles(import_graph(package)) == []
