"""The real app in a child process, driven from inside, for the process-level fault tests.

Run as ``python app_child.py MODE DATA_DIR SEED``. The child starts the app exactly as the
``interview-journal`` command does (``ui.app.start``: logging, the single-instance lock, the
GUI journal, the window, the SIGTERM/SIGINT waker) and then drives the window with QTest from
timers inside its event loop, so the real debounce and retry timers run in between:

- ``kill``: types each interview's *typing plan* (below) into its text sections a few
  characters at a time, flushes at random moments, switches interviews through the tree and
  creates new ones through the New interview action. After every commit returns
  (``EditorController.saved``) it prints ``ACK <interview uuid> <generation> <sha256>``, the
  digest being of the section texts it just committed. It runs until the parent kills it.
- ``term``: creates an interview, types a marker into one section without saving and prints
  ``TYPED <interview uuid> <section> <save state>``; then it waits for the parent's signal
  and exits with the app's own exit code.

Both print ``READY`` once the window is up. An exception in the child ends it at once with
exit code 70 after the app's hook printed the traceback, so the parent fails fast.

The typing plan is what makes "the ACKed text or a later one" decidable: the child only ever
appends, in an order fixed by the interview's uuid, so every state an interview can be in is a
*position* in its plan. The parent imports this module to map an ACK's digest and a stored
row back to positions. Each interview's text starts every section with its own canary word.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import TracebackType
from uuid import UUID

from interview_journal.core.journal import TEXT_SECTIONS

EXIT_CHILD_ERROR = 70
SEGMENTS = 8
WORDS = (
    "calm", "clear", "system", "design", "queue", "cache", "latency", "manager", "team",
    "offer", "salary", "remote", "python", "sql", "index", "tradeoff", "retro", "pairing",
    "whiteboard", "question", "answer", "follow", "up", "thanks", "nervous", "prepared",
)
COMPANIES = ("Acme", "Globex", "Initech", "Umbrella")
MAX_INTERVIEWS = 12

Plan = tuple[tuple[str, str], ...]
Texts = Mapping[str, str]


def canary(uuid: str) -> str:
    """A word that only this interview's text contains."""
    return "cn" + UUID(uuid).hex[:12]


def plan(uuid: str) -> Plan:
    """The (section, chunk) segments this interview's text is typed in, in order."""
    rng = random.Random(UUID(uuid).hex)
    started: set[str] = set()
    segments = []
    for _ in range(SEGMENTS):
        section = rng.choice(TEXT_SECTIONS)
        words = rng.choices(WORDS, k=rng.randint(2, 5))
        if section not in started:
            words.insert(0, canary(uuid))
            started.add(section)
        segments.append((section, " ".join(words) + rng.choice((" ", ". ", ", "))))
    return tuple(segments)


def plan_length(segments: Plan) -> int:
    """How many characters the whole plan types."""
    return sum(len(chunk) for _section, chunk in segments)


def state(segments: Plan, position: int) -> dict[str, str]:
    """The section texts after the first ``position`` characters of the plan were typed."""
    texts = dict.fromkeys(TEXT_SECTIONS, "")
    left = position
    for section, chunk in segments:
        if left <= 0:
            break
        texts[section] += chunk[:left]
        left -= len(chunk[:left])
    return texts


def position_of(segments: Plan, texts: Texts) -> int | None:
    """Where in the plan ``texts`` are; None if they are not a state of this plan at all."""
    position = sum(len(texts[section]) for section in TEXT_SECTIONS)
    if position > plan_length(segments) or state(segments, position) != dict(texts):
        return None
    return position


def next_chunk(segments: Plan, position: int) -> tuple[str, str]:
    """The section being typed at ``position`` and what remains of its current segment."""
    offset = position
    for section, chunk in segments:
        if offset < len(chunk):
            return section, chunk[offset:]
        offset -= len(chunk)
    raise ValueError("the plan is complete")


def digest(texts: Texts) -> str:
    """The SHA-256 of the section texts, as an ACK carries it."""
    encoded = json.dumps([texts[section] for section in TEXT_SECTIONS]).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def digests(uuid: str) -> dict[str, int]:
    """Every digest this interview's text can have, mapped to its position in the plan."""
    segments = plan(uuid)
    return {
        digest(state(segments, position)): position
        for position in range(plan_length(segments) + 1)
    }


# ------------------------------------------------------------------------------ the child


def main(argv: list[str]) -> int:
    """Start the real app on the data folder and drive it in the given mode."""
    mode, folder, seed = argv[0], Path(argv[1]), int(argv[2])

    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTreeView

    from interview_journal import cli
    from interview_journal.ui import app, dialogs
    from interview_journal.ui.dialogs import NewInterview

    rng = random.Random(seed)
    cli.restrict_umask()  # as cli.main does before it opens the window
    session = app.start(folder, [])
    if isinstance(session, int):
        print(f"START-FAILED {session}", flush=True)
        return session
    if session.journal is None:  # it opens right after the window's first paint
        waiting = QEventLoop()
        session.window.journal_attached.connect(waiting.quit)
        session.app.aboutToQuit.connect(waiting.quit)
        waiting.exec()
        if session.journal is None:
            print("START-FAILED journal", flush=True)
            return session.exec()
    if not session.journal.writes_allowed:  # it takes writes once its check has passed
        checked = QEventLoop()
        session.window.journal_checked.connect(checked.quit)
        session.app.aboutToQuit.connect(checked.quit)
        checked.exec()
        if not session.journal.writes_allowed:
            print("START-FAILED check", flush=True)
            return session.exec()
    app_hook = sys.excepthook

    def fail_fast(
        kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        app_hook(kind, error, tb)  # logs it and prints the traceback to stderr
        sys.stderr.flush()
        os._exit(EXIT_CHILD_ERROR)

    sys.excepthook = fail_fast
    window = session.window
    controller = window.controller
    editor = window.editor
    journal = session.journal
    tree_view = window.findChild(QTreeView, "companyTree")
    assert tree_view is not None

    def ask_new_interview(
        _cls: object,
        _parent: object,
        _companies: list[str],
        company: str = "",
        today: date | None = None,
        _suggest: object = None,
    ) -> NewInterview:
        """The New interview dialog, answered as a user would (modal dialogs are replaced)."""
        return NewInterview(
            company=company or rng.choice(COMPANIES),
            role="Engineer",
            stage="",
            on=today or date(2026, 3, 2),  # the window always passes its clock's today
        )

    # Tests replace modal dialogs through their ask() classmethod (docs/architecture.md).
    dialogs.NewInterviewDialog.ask = classmethod(ask_new_interview)  # type: ignore[assignment]
    uuids: dict[int, str] = {}

    def uuid_of(interview_id: int) -> str:
        if interview_id not in uuids:
            uuids[interview_id] = journal.interview(interview_id).uuid
        return uuids[interview_id]

    def texts() -> dict[str, str]:
        return {key: editor.sections[key].toPlainText() for key in TEXT_SECTIONS}

    def stop(reason: str) -> None:
        print(f"ERROR {reason}", flush=True)
        os._exit(EXIT_CHILD_ERROR)

    def create() -> None:
        before = controller.interview_id
        window.action_new.trigger()
        if controller.interview_id in (None, before):
            stop("New interview did not open the new interview")

    def type_into(section: str, text: str) -> None:
        widget = editor.sections[section]
        widget.setFocus()
        widget.moveCursor(QTextCursor.MoveOperation.End)
        QTest.keyClicks(widget, text)

    def on_saved(interview_id: int, generation: int) -> None:
        if controller.interview_id != interview_id:
            stop(f"saved {interview_id} while {controller.interview_id} is in the editor")
        print(f"ACK {uuid_of(interview_id)} {generation} {digest(texts())}", flush=True)

    controller.saved.connect(on_saved)

    if mode == "term":
        section = argv[3]

        def type_marker() -> None:
            create()
            type_into(section, f"sigterm marker {seed}")
            current = controller.interview_id
            assert current is not None
            print(f"TYPED {uuid_of(current)} {section} {controller.state}", flush=True)

        QTimer.singleShot(0, type_marker)
        print("READY", flush=True)
        return session.exec()

    def interviews() -> list[int]:
        return [
            row.id
            for company in journal.companies()
            for row in journal.interviews(company.id)
        ]

    def incomplete(interview_id: int) -> bool:
        doc = journal.interview(interview_id)
        segments = plan(doc.uuid)
        texts_now = {key: getattr(doc, key) for key in TEXT_SECTIONS}
        return position_of(segments, texts_now) != plan_length(segments)

    def switch() -> None:
        current = controller.interview_id
        others = [i for i in interviews() if i != current]
        candidates = [i for i in others if incomplete(i)]
        if not candidates:
            create()
            return
        target = rng.choice(candidates)
        if rng.random() < 0.5:
            # Focus leaves the editor first (which flushes), as a click would; otherwise the
            # switch itself must save the pending edit, as with a keyboard or assistive tool.
            tree_view.setFocus()
        if not window.tree.select_interview(target):
            stop(f"interview {target} is not in the tree")
        QTest.keyClick(tree_view, Qt.Key.Key_Return)
        if controller.interview_id != target:
            stop(f"switching to {target} left {controller.interview_id} in the editor")

    def type_some() -> None:
        current = controller.interview_id
        assert current is not None
        segments = plan(uuid_of(current))
        position = position_of(segments, texts())
        if position is None:
            stop(f"interview {uuid_of(current)} shows text that is not on its plan")
            return
        if position == plan_length(segments):
            switch()
            return
        section, rest = next_chunk(segments, position)
        type_into(section, rest[: rng.randint(1, 8)])

    class Driver(QObject):
        """One random step at a time, each from a timer so the event loop runs in between."""

        def __init__(self) -> None:
            super().__init__()
            self.timer = QTimer(self)
            self.timer.setSingleShot(True)
            self.timer.timeout.connect(self.step)

        def step(self) -> None:
            delay = rng.randint(0, 12)
            roll = rng.random()
            if controller.interview_id is None:
                # A new start: mostly go on with an interview an earlier child began.
                if roll < 0.8 and interviews():
                    switch()
                else:
                    create()
            elif roll < 0.04 and len(interviews()) < MAX_INTERVIEWS:
                create()
            elif roll < 0.10:
                switch()
            elif roll < 0.26:
                controller.flush()
            elif roll < 0.28:
                delay = 1100  # a pause: the debounce timer commits
            else:
                type_some()
            self.timer.start(delay)

    driver = Driver()
    driver.timer.start(0)
    print("READY", flush=True)
    return session.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
