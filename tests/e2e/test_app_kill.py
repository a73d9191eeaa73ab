"""kill -9 the real app at random moments while it autosaves (docs/data-safety.md).

Each iteration starts the app on the same journal (``app_child.py kill``), lets it type, flush,
switch and create interviews, and SIGKILLs it after a random number of ACKs plus a random few
milliseconds. After every kill a plain sqlite3 reader must find the file whole
(``integrity_check``, and the search index's own check), every interview's text must be a
state of its own typing plan (so no interview holds another's text, and nothing half-applied
or foreign is there), and every ACKed text must still be there or a later one. At the end no
note text may be found outside the journal (logs, settings, caches, the app's output).

``IJ_KILL_ITERATIONS`` sets the number of kills (20 by default; 200 for a long run) and
``IJ_KILL_SEED`` replays a failing run; the seed is printed with every failure.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from . import app_child
from .app_support import Child, make_env, read_journal

ITERATIONS = int(os.environ.get("IJ_KILL_ITERATIONS", "20"))
MAX_ACKS_BEFORE_KILL = 12
MAX_EXTRA_MS = 80


@dataclass
class Acked:
    """What children have promised: for each interview, the plan positions they ACKed."""

    positions: dict[str, list[int]] = field(default_factory=dict)
    digests: dict[str, dict[str, int]] = field(default_factory=dict)
    total: int = 0

    def position(self, uuid: str, digest: str) -> int | None:
        if uuid not in self.digests:
            self.digests[uuid] = app_child.digests(uuid)
        return self.digests[uuid].get(digest)


@pytest.fixture
def children() -> Iterator[list[Child]]:
    """Children started by the test; any still running at the end are killed."""
    started: list[Child] = []
    yield started
    for child in started:
        child.close()


def _record(acked: Acked, lines: list[str], where: str) -> None:
    """Check one child's ACK lines and add them to what was promised."""
    generations: dict[int, str] = {}
    last: dict[str, int] = {}
    for line in lines:
        assert not line.startswith("ERROR"), f"{where}: the child found a problem: {line}"
        if not line.startswith("ACK "):
            continue
        _ack, uuid, generation, digest = line.split()
        position = acked.position(uuid, digest)
        assert position is not None, f"{where}: ACKed a text that was never typed: {line}"
        # One editor generation belongs to one interview: a save for another is a stale one.
        owner = generations.setdefault(int(generation), uuid)
        assert owner == uuid, f"{where}: generation {generation} ACKed for {owner} and {uuid}"
        assert position >= last.get(uuid, 0), f"{where}: an ACK went backwards: {line}"
        last[uuid] = position
        acked.positions.setdefault(uuid, []).append(position)
        acked.total += 1


def _verify(folder: Path, acked: Acked, where: str) -> None:
    """The file is whole, each interview holds its own typing, and no ACK was lost."""
    stored = read_journal(folder)
    assert stored.integrity == ["ok"], f"{where}: integrity_check says {stored.integrity}"
    assert stored.search in ("ok", "absent"), f"{where}: the search index: {stored.search}"
    canaries = {uuid: app_child.canary(uuid) for uuid in stored.texts}
    positions = {}
    for uuid, texts in stored.texts.items():
        position = app_child.position_of(app_child.plan(uuid), texts)
        assert position is not None, f"{where}: {uuid} holds text it was never given: {texts}"
        positions[uuid] = position
        foreign = [
            other for other, word in canaries.items()
            if other != uuid and any(word in text for text in texts.values())
        ]
        assert not foreign, f"{where}: {uuid} holds text of {foreign}"
    for uuid, promised in acked.positions.items():
        assert uuid in positions, f"{where}: interview {uuid} was ACKed but is gone"
        assert positions[uuid] >= max(promised), (
            f"{where}: {uuid} holds {positions[uuid]} characters of its plan, "
            f"but {max(promised)} were ACKed"
        )


def test_kill_9_while_autosaving_keeps_every_acked_text(
    tmp_path: Path, children: list[Child]
) -> None:
    seed = int(os.environ.get("IJ_KILL_SEED") or random.SystemRandom().randrange(2**32))
    print(f"IJ_KILL_SEED={seed}")  # shown with any failure, to replay the run
    rng = random.Random(seed)
    env = make_env(tmp_path)
    folder = tmp_path / "data"
    acked = Acked()
    for iteration in range(ITERATIONS):
        where = f"seed {seed} (IJ_KILL_SEED={seed}), kill {iteration + 1} of {ITERATIONS}"
        child = Child.driver(
            "kill", folder, rng.randrange(2**32), env, tmp_path / f"stderr-{iteration}.txt"
        )
        children.append(child)
        child.expect("READY")
        lines: list[str] = []
        wanted = rng.randint(0, MAX_ACKS_BEFORE_KILL)
        while sum(line.startswith("ACK ") for line in lines) < wanted:
            line = child.line()
            assert line is not None, f"{where}: the child ended\n{lines}\n{child.stderr()}"
            lines.append(line)
        lines += child.lines_for(rng.uniform(0, MAX_EXTRA_MS) / 1000)
        lines += child.kill()  # ACKs printed before the kill are promises too
        assert child.proc.returncode == -9, f"{where}: the child died on its own\n{lines}"
        child.assert_no_traceback()
        child.close()
        _record(acked, lines, where)
        _verify(folder, acked, where)
    assert acked.total >= ITERATIONS, f"seed {seed}: too few saves were ACKed to mean much"
    # No note text outside the journal: not in logs, settings, caches or what the app printed.
    canaries = [app_child.canary(uuid).encode() for uuid in read_journal(folder).texts]
    leaks = [
        str(path)
        for path in tmp_path.rglob("*")
        if path.is_file()
        and folder not in path.parents
        and any(word in path.read_bytes() for word in canaries)
    ]
    assert not leaks, f"note text found outside the journal: {leaks}"
