"""One measured process of the benchmark: the real app, or a bare PySide6 window as its floor.

Run by ``run.py`` as ``python child.py MODE DATA_DIR PLAN_JSON RESULT_JSON``:

- ``app`` starts Interview Journal exactly as the ``interview-journal --data-dir DATA_DIR``
  command does (``cli.main``); the only addition is a hook on the main window's
  ``paintEvent`` that notes the time of its first paint.
- ``bare`` shows a plain ``QMainWindow`` holding a ``QTreeView`` and a ``QPlainTextEdit`` and
  does the same work with raw ``sqlite3`` on the same database, with the same pragmas.

Both note the wall-clock time (``time.time()``) of the first paint of their main window; the
parent subtracts the moment it launched the process. After that first frame each child runs
the plan the parent wrote (the same interviews for both) from inside its event loop: opening
interviews, autosave commits, typing and switching under a 10 ms drift probe, and searching
(the app through its search code and results model, the bare window with raw FTS5). Then it closes
its window, and once the event loop has returned it writes its figures, peak memory
included, to RESULT_JSON. Nothing but the standard library and PySide6 is imported before
the first paint, apart from what the app itself imports.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Protocol

EXIT_CHILD_ERROR = 70
SETTLE_MS = 500  # after the first frame, before measuring: start-up's deferred work runs
TYPE_INTERVAL_MS = 25  # a fast typist: 40 characters a second
SWITCH_INTERVAL_MS = 100
PROBE_INTERVAL_MS = 10
TYPED_TEXT = (
    "They asked how I would shard the queue, and I answered too quickly. Next time: "
    "ask about the read pattern first, then sketch two options and compare them.\n"
)

_started = time.time()

Steps = list[tuple[int, Callable[[], None]]]


class Target(Protocol):
    """What the scenario drives: the app's window, or the bare window over raw sqlite3."""

    def prepare_open(self, interview_id: int) -> None:
        """Untimed: bring the interview's row into view (expand its company, scroll)."""

    def open(self, interview_id: int) -> None:
        """Timed: select the interview as the user would; the editor loads it."""

    def focus_section(self, section: str) -> None:
        """Put the cursor at the end of ``section`` of the open interview."""

    def key(self, char: str) -> None:
        """Type one character where the cursor is."""

    def flush(self) -> None:
        """Commit what was typed (the autosave commit)."""

    def search(self, query: str, fts: str, limit: int) -> int:
        """Timed: run one search until its hits are ready to show; how many there are.

        ``query`` is what a user types; ``fts`` is the same query written as raw FTS5.
        """

    def close(self) -> None:
        """Close the window; the event loop ends."""


class _State:
    """The child's notes: first paint, results, and what to do after the first frame."""

    def __init__(self, mode: str, plan: dict[str, Any], result_path: Path) -> None:
        self.mode = mode
        self.plan = plan
        self.result_path = result_path
        self.results: dict[str, Any] = {"mode": mode, "pid": os.getpid()}
        self.painted = False
        self.make_target: Callable[[Any], Target] | None = None
        self.window: Any = None

    def on_paint(self, window: Any, *, shows_journal: bool = True) -> None:
        """Called from the main window's paintEvent.

        The first call is the first paint; the first call with ``shows_journal`` is when the
        journal is on screen (the tree filled), after which the plan runs.
        """
        now = time.time()
        if not self.painted:
            self.painted = True
            self.results["painted_at"] = now
            self.results["started_at"] = _started
        if not shows_journal or "shown_at" in self.results:
            return
        self.results["shown_at"] = now
        self.window = window
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self._after_first_frame)

    def _after_first_frame(self) -> None:
        self.results["frame_at"] = time.time()
        self.results["hwm_at_paint_kb"] = _vm_hwm_kb()
        print("PAINTED", flush=True)
        from PySide6.QtCore import QTimer

        if self.plan.get("start_only"):
            QTimer.singleShot(0, self._close)
        else:
            QTimer.singleShot(SETTLE_MS, self._run)

    def _run(self) -> None:
        journal = getattr(self.window, "journal", None)
        if journal is not None and not journal.writes_allowed:  # its check has not passed yet
            from PySide6.QtCore import QTimer

            QTimer.singleShot(10, self._run)
            return
        try:
            assert self.make_target is not None
            target = self.make_target(self.window)
            self.results.update(run_scenario(target, self.plan))
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(EXIT_CHILD_ERROR)
        self._close()

    def _close(self) -> None:
        if self.window is not None:
            self.window.close()

    def finish(self, exit_code: int) -> None:
        """After the event loop: versions, peak memory, and the results file."""
        import resource
        import sqlite3

        import PySide6
        from PySide6.QtCore import qVersion

        self.results["exit_code"] = exit_code
        self.results["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.results["versions"] = {
            "python": sys.version.split()[0],
            "pyside6": PySide6.__version__,
            "qt": qVersion(),
            "sqlite": sqlite3.sqlite_version,
        }
        self.result_path.write_text(json.dumps(self.results), encoding="utf-8")


def _vm_hwm_kb() -> int | None:
    """The peak resident set so far (Linux), in KiB."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# ------------------------------------------------------------------------------ scenario


def _process_events() -> None:
    from PySide6.QtWidgets import QApplication

    # Twice: the first pass lays out what the change posted, the second paints it.
    QApplication.processEvents()
    QApplication.processEvents()


class DriftProbe:
    """A 10 ms timer that notes how late each tick is: the GUI thread's longest stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(PROBE_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.gaps: list[float] = []

    def start(self) -> None:
        self.gaps = []
        self._last = time.perf_counter()
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def stop(self) -> dict[str, float]:
        """Stop; the longest gap beyond the interval is the stall."""
        self._tick()  # a stall at the very end counts too
        self._timer.stop()
        gaps = sorted(self.gaps)
        return {
            "max_drift_ms": max(0.0, gaps[-1] - PROBE_INTERVAL_MS),
            "p99_gap_ms": gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))],
            "ticks": len(gaps),
        }


def _run_steps(steps: Sequence[tuple[int, Callable[[], None]]]) -> None:
    """Run each step from a single-shot timer after its delay, inside a nested event loop."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    position = 0

    def step() -> None:
        nonlocal position
        if position == len(steps):
            loop.quit()
            return
        action = steps[position][1]
        position += 1
        try:
            action()
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(EXIT_CHILD_ERROR)
        timer.start(steps[position][0] if position < len(steps) else 0)

    timer.timeout.connect(step)
    timer.start(steps[0][0] if steps else 0)
    loop.exec()


def _typing_steps(target: Target, text: str, pause_every: int, pause_ms: int) -> Steps:
    steps: Steps = []
    for count, char in enumerate(text, start=1):
        delay = pause_ms if pause_every and count % pause_every == 0 else TYPE_INTERVAL_MS
        steps.append((delay, partial(target.key, char)))
    return steps


def run_scenario(target: Target, plan: dict[str, Any]) -> dict[str, Any]:
    """The measured activity, the same for the app and the bare window.

    Every step runs from a timer in an event loop, as a user's click or key press would, so
    what a step leaves for later (deferred deletes, layouts, paints) runs between steps.
    """
    results: dict[str, Any] = {}

    def timed(
        into: list[float], action: Callable[[], None], *, until_painted: bool
    ) -> Callable[[], None]:
        def run() -> None:
            began = time.perf_counter()
            action()
            if until_painted:
                _process_events()  # the layout and paint the change asked for
            into.append((time.perf_counter() - began) * 1000)
            _process_events()

        return run

    def show(interview_id: int, section: str | None = None) -> Callable[[], None]:
        def run() -> None:
            target.prepare_open(interview_id)
            target.open(interview_id)
            if section is not None:
                target.focus_section(section)

        return run

    # Opening interviews from the tree: bring the row into view, then select it.
    opens: list[float] = []
    steps: Steps = []
    for interview_id in plan["opens"]:
        steps.append((0, partial(target.prepare_open, interview_id)))
        steps.append((0, timed(opens, partial(target.open, interview_id), until_painted=True)))
    _run_steps(steps)
    results["open_ms"] = opens

    # Autosave commits of ~10 KB interviews after typing into a section.
    saves: list[float] = []
    steps = []
    for item in plan["saves"]:
        steps.append((0, show(item["id"], item["section"])))
        for burst in range(plan["saves_per_interview"]):
            steps.append((0, partial(_type, target, f" edit {burst}.")))
            steps.append((0, timed(saves, target.flush, until_painted=False)))
    _run_steps(steps)
    results["save_ms"] = saves

    probe = DriftProbe()

    # Typing into a section of a ~10 KB interview, with pauses that let the debounce commit.
    typing = plan["typing"]
    text = (TYPED_TEXT * (plan["typed_chars"] // len(TYPED_TEXT) + 1))[: plan["typed_chars"]]
    _run_steps([(0, show(typing["id"], typing["section"])), (0, target.flush), (50, probe.start),
                *_typing_steps(target, text, plan["pause_every"], plan["pause_ms"])])
    results["typing"] = probe.stop()
    target.flush()

    # Switching interviews, with a few characters typed in each (the switch saves them).
    steps = [(50, probe.start)]
    for item in plan["switches"]:
        steps.append((SWITCH_INTERVAL_MS, show(item["id"], item["section"])))
        steps.extend(_typing_steps(target, "ok. ", 0, 0))
    _run_steps(steps)
    results["switching"] = probe.stop()
    target.flush()

    # Searching: the fixed query mix, round after round, from the query to the hits being in
    # the results model (the app) or fetched from FTS5 (the floor).
    searches: list[float] = []
    hit_counts: dict[str, int] = {}

    def search(query: str, fts: str) -> None:
        hit_counts[query] = target.search(query, fts, plan["search_limit"])

    steps = []
    for _ in range(plan["search_repeats"]):
        for item in plan["searches"]:
            action = partial(search, item["query"], item["fts"])
            steps.append((0, timed(searches, action, until_painted=False)))
    _run_steps(steps)
    results["search_ms"] = searches
    results["search_hits"] = hit_counts
    return results


def _type(target: Target, text: str) -> None:
    for char in text:
        target.key(char)


# ------------------------------------------------------------------------------ app


class AppTarget:
    """Drives Interview Journal's window the way a user would: through the tree and keys."""

    def __init__(self, window: Any) -> None:
        from PySide6.QtWidgets import QTreeView

        self.window = window
        self.controller = window.controller
        self.editor = window.editor
        self.model = window.tree_model
        self.journal = window.journal
        self.search_model = window.search_panel.model
        from interview_journal.core.search import HINT_NO_MATCH

        self._no_match = HINT_NO_MATCH
        view = window.findChild(QTreeView, "companyTree")
        assert view is not None, "the tree view is not where the benchmark looks for it"
        self.view = view
        self._index: Any = None
        self._section: Any = None

    def prepare_open(self, interview_id: int) -> None:
        source = self.model.index_for_interview(interview_id)
        assert source.isValid(), f"interview {interview_id} is not in the tree"
        index = self.view.model().mapFromSource(source)
        assert index.isValid(), f"interview {interview_id} is filtered out of the tree"
        self.view.expand(index.parent())
        self.view.scrollTo(index)
        self._index = index

    def open(self, interview_id: int) -> None:
        self.view.setCurrentIndex(self._index)
        if self.controller.interview_id != interview_id:
            raise RuntimeError(f"selecting {interview_id} did not open it in the editor")

    def focus_section(self, section: str) -> None:
        from PySide6.QtGui import QTextCursor

        widget = self.editor.sections[section]
        widget.setFocus()
        widget.moveCursor(QTextCursor.MoveOperation.End)
        widget.ensureCursorVisible()
        self._section = widget

    def key(self, char: str) -> None:
        _key(self._section, char)

    def flush(self) -> None:
        if not self.controller.flush():
            raise RuntimeError(f"the autosave failed: {self.controller.message}")

    def search(self, query: str, fts: str, limit: int) -> int:
        # What the search panel does once its debounce fires, without the hop to its worker
        # thread: the journal's search, then the hits set into the panel's results model.
        results = self.journal.search(query, limit=limit)
        if results.cancelled or results.hint not in (None, self._no_match):
            raise RuntimeError(f"the search {query!r} was not run: {results.hint}")
        self.search_model.set_results(results)
        return int(self.search_model.rowCount())

    def close(self) -> None:
        self.window.close()


def _key(widget: Any, char: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    if char == "\n":
        QTest.keyClick(widget, Qt.Key.Key_Return)
    else:
        QTest.keyClicks(widget, char)


def run_app(state: _State, data_dir: Path) -> int:
    """Start the app as its command does, with a hook on the main window's first paint.

    The hook is put on ``MainWindow`` when the app imports its module, so the app's modules
    load in the command's own order (importing the window here first would change it).
    """

    def hook(module: Any) -> None:
        window_class = module.MainWindow
        original = window_class.paintEvent

        def paint_event(self: Any, event: Any) -> None:
            original(self, event)
            state.on_paint(self, shows_journal=getattr(self, "journal", None) is not None)

        window_class.paintEvent = paint_event

    _on_import("interview_journal.ui.main_window", hook)
    state.make_target = AppTarget

    from interview_journal import cli

    return cli.main(["--data-dir", str(data_dir)])


def _on_import(name: str, hook: Callable[[Any], None]) -> None:
    """Call ``hook(module)`` once module ``name`` has been imported (by whoever imports it)."""
    from importlib.machinery import PathFinder

    class Finder:
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = PathFinder.find_spec(fullname, path)
            assert spec is not None
            assert spec.loader is not None
            run_module = spec.loader.exec_module

            def exec_module(module: Any) -> None:
                run_module(module)
                hook(module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())


# ------------------------------------------------------------------------------ bare


class BareTarget:
    """The floor: the same work with a bare window and raw sqlite3 on the same database."""

    def __init__(self, window: Any, database: Path, pragmas: list[list[Any]]) -> None:
        import sqlite3

        self.window = window
        self.editor = window.editor
        self.conn = sqlite3.connect(database, isolation_level=None)
        for name, value in pragmas:
            self.conn.execute(f"PRAGMA {name} = {value}")
        self._sections: dict[str, str] = {}
        self._id = 0
        self._section = ""

    def prepare_open(self, interview_id: int) -> None:
        pass

    def open(self, interview_id: int) -> None:
        row = self.conn.execute(
            "SELECT went_well, went_poorly, do_differently, impressions, notes "
            "FROM interview WHERE id = ?",
            (interview_id,),
        ).fetchone()
        self._id = interview_id
        self._sections = dict(
            zip(("went_well", "went_poorly", "do_differently", "impressions", "notes"), row,
                strict=True)
        )
        self.editor.setPlainText("\n\n".join(row))

    def focus_section(self, section: str) -> None:
        from PySide6.QtGui import QTextCursor

        self._section = section
        self.editor.setFocus()
        self.editor.moveCursor(QTextCursor.MoveOperation.End)

    def key(self, char: str) -> None:
        _key(self.editor, char)
        self._sections[self._section] += char

    def flush(self) -> None:
        # The columns the app's save writes: the section typed into and the update time.
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(
            f"UPDATE interview SET {self._section} = ?, updated_at = ? WHERE id = ?",
            (self._sections[self._section], time.strftime("%Y-%m-%d %H:%M:%S"), self._id),
        )
        self.conn.execute("COMMIT")

    def search(self, query: str, fts: str, limit: int) -> int:
        rows = self.conn.execute(
            "SELECT rowid, snippet(search_index, -1, '[', ']', '…', 16), bm25(search_index) "
            "FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT ?",
            (fts, limit),
        ).fetchall()
        return len(rows)

    def close(self) -> None:
        self.conn.close()
        self.window.close()


def run_bare(state: _State, data_dir: Path) -> int:
    """A QMainWindow with a tree and a plain text editor, started the plainest way."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QApplication,
        QMainWindow,
        QPlainTextEdit,
        QSplitter,
        QTreeView,
    )

    class BareWindow(QMainWindow):
        def __init__(self) -> None:
            super().__init__()
            splitter = QSplitter(Qt.Orientation.Horizontal, self)
            self.tree = QTreeView(splitter)
            self.editor = QPlainTextEdit(splitter)
            splitter.setSizes([300, 880])
            self.setCentralWidget(splitter)
            self.resize(1180, 780)

        def paintEvent(self, event: Any) -> None:  # noqa: N802  (Qt's name)
            super().paintEvent(event)
            state.on_paint(self)

    app = QApplication([sys.argv[0]])
    window = BareWindow()
    pragmas = state.plan["pragmas"]
    state.make_target = lambda w: BareTarget(w, data_dir / "journal.sqlite3", pragmas)
    window.show()
    return int(app.exec())


# ------------------------------------------------------------------------------ main


def main(argv: list[str]) -> int:
    """Run one measured process (see the module docstring)."""
    mode, data_dir, plan_path, result_path = argv[0], Path(argv[1]), Path(argv[2]), Path(argv[3])
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    state = _State(mode, plan, result_path)
    profile_path = os.environ.get("IJ_BENCH_PROFILE")
    runner = {"app": run_app, "bare": run_bare}[mode]
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
        code = profiler.runcall(runner, state, data_dir)
        profiler.dump_stats(profile_path)
    else:
        code = runner(state, data_dir)
    if not state.painted:
        print("the main window was never painted", file=sys.stderr)
        return EXIT_CHILD_ERROR
    state.finish(code)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
