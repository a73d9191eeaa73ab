"""Fifty-one damaged journals, the same every time (the corpus of docs/data-safety.md).

``build(folder)`` writes a healthy generated journal (small, seed 1), then one data folder per
case beside it, each holding a damaged copy of that journal: bytes flipped, truncated, the
header zeroed, garbage, zero-filled ("empty"), files that are not SQLite or not a journal,
journals missing a core table, and a damaged journal with a write-ahead log beside it. Every
random choice comes from ``random.Random`` with a fixed seed per case. Every case is damage
that ``interview-journal check`` can see (where a seed's flipped bytes land in note text,
which no integrity check can tell from writing, the next position is taken, a bounded number
of times).

Run it to look at the files: ``python -m tests.e2e.corruption_corpus OUT_DIR``.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from interview_journal.core import paths
from interview_journal.core.clock import FakeClock
from interview_journal.core.generator import generate
from interview_journal.core.journal import Journal

CORE_TABLES = (
    "company", "person", "interview", "interview_person", "question", "action_item", "tag",
    "interview_tag", "setting", "timer_session",
)
MAX_TRIES = 200


@dataclass(frozen=True)
class Case:
    """One damaged journal: its name (the test id) and the folder holding it."""

    name: str
    folder: Path

    @property
    def journal(self) -> Path:
        return paths.journal_path(self.folder)


def healthy_journal(folder: Path) -> bytes:
    """A closed generated journal in WAL mode with every page in use; returns its bytes."""
    with Journal.open(folder, clock=FakeClock()) as journal:
        generate(journal, "small", 1)
    path = paths.journal_path(folder)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("VACUUM")  # no free pages: damage anywhere hits a page in use
        conn.execute("PRAGMA journal_mode=wal")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def _page_size(good: bytes) -> int:
    return int.from_bytes(good[16:18], "big")


def _visible(data: bytes, scratch: Path) -> bool:
    """Whether SQLite (opening, integrity_check) sees this damage; the file is a scratch copy."""
    scratch.write_bytes(data)
    try:
        uri = scratch.absolute().as_uri() + "?immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            return [row[0] for row in conn.execute("PRAGMA integrity_check")] != ["ok"]
    except sqlite3.DatabaseError:
        return True
    finally:
        scratch.unlink()


def _flipped(seed: int) -> Callable[[bytes, Path], bytes]:
    """Flip a run of 8 bytes at the start of a random page (or, for odd seeds, 64 random bytes
    anywhere after the header), until the damage is one SQLite can see."""

    def damage(good: bytes, scratch: Path) -> bytes:
        rng = random.Random(f"flip/{seed}")
        page = _page_size(good)
        pages = len(good) // page
        for _ in range(MAX_TRIES):
            data = bytearray(good)
            if seed % 2 == 0:
                start = rng.randrange(1, pages) * page
                for offset in range(start, start + 8):
                    data[offset] ^= rng.randrange(1, 256)
            else:
                for offset in rng.sample(range(100, len(good)), 64):
                    data[offset] ^= rng.randrange(1, 256)
            if _visible(bytes(data), scratch):
                return bytes(data)
        raise AssertionError(f"seed {seed}: no visible damage in {MAX_TRIES} tries")

    return damage


def _truncated(seed: int) -> Callable[[bytes, Path], bytes]:
    def damage(good: bytes, _scratch: Path) -> bytes:
        rng = random.Random(f"truncate/{seed}")
        page = _page_size(good)
        if seed % 2 == 0:  # on a page boundary, as a file system loses whole blocks
            return good[: rng.randrange(1, len(good) // page - 1) * page]
        return good[: rng.randrange(20, len(good) - page)]

    return damage


def _zero_header(good: bytes, _scratch: Path) -> bytes:
    return bytes(100) + good[100:]


def _zero_first_page(good: bytes, _scratch: Path) -> bytes:
    page = _page_size(good)
    return bytes(page) + good[page:]


def _zero_magic(good: bytes, _scratch: Path) -> bytes:
    return bytes(16) + good[16:]


def _zero_header_and_tail(good: bytes, _scratch: Path) -> bytes:
    return bytes(100) + good[100 : len(good) // 2]


def _garbage(seed: int) -> Callable[[bytes, Path], bytes]:
    def damage(good: bytes, scratch: Path) -> bytes:
        rng = random.Random(f"garbage/{seed}")
        if seed < 3:  # a whole file of noise
            return rng.randbytes(rng.randrange(1, 200_000))
        for _ in range(MAX_TRIES):  # noise over a stretch of the journal
            data = bytearray(good)
            start = rng.randrange(0, len(good) - 4096)
            data[start : start + 4096] = rng.randbytes(4096)
            if _visible(bytes(data), scratch):
                return bytes(data)
        raise AssertionError(f"seed {seed}: no visible damage in {MAX_TRIES} tries")

    return damage


def _zero_filled(size: Callable[[bytes], int]) -> Callable[[bytes, Path], bytes]:
    """An "empty" journal: zeros where the data was, as a power cut can leave a file."""

    def damage(good: bytes, _scratch: Path) -> bytes:
        return bytes(size(good))

    return damage


def _text(body: bytes) -> Callable[[bytes, Path], bytes]:
    def damage(_good: bytes, _scratch: Path) -> bytes:
        return body

    return damage


def _other_database(sql: list[str]) -> Callable[[bytes, Path], bytes]:
    """A valid SQLite file that is not a journal (another program's database)."""

    def damage(_good: bytes, scratch: Path) -> bytes:
        with closing(sqlite3.connect(scratch)) as conn:
            for statement in sql:
                conn.execute(statement)
            conn.commit()
        data = scratch.read_bytes()
        scratch.unlink()
        return data

    return damage


def _dropped(table: str) -> Callable[[bytes, Path], bytes]:
    def damage(good: bytes, scratch: Path) -> bytes:
        scratch.write_bytes(good)
        with closing(sqlite3.connect(scratch, isolation_level=None)) as conn:
            conn.execute("PRAGMA foreign_keys = 0")
            conn.execute(f'DROP TABLE "{table}"')
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = scratch.read_bytes()
        scratch.unlink()
        return data

    return damage


def _with_log(good: bytes, scratch: Path) -> tuple[bytes, bytes]:
    """A damaged journal with a write-ahead log holding a change not yet in the file (a
    journal whose app was killed): the file's bytes flipped as ``_flipped`` does, and the
    log. Whatever reads it must leave both as they are (SQLite's last close would fold the
    log into the file and delete it)."""
    wal_path = scratch.with_name(scratch.name + "-wal")
    scratch.write_bytes(good)
    conn = sqlite3.connect(scratch, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=wal")
        conn.execute("UPDATE company SET name = name || ' (only in the log)' "
                     "WHERE id = (SELECT min(id) FROM company)")
        wal = wal_path.read_bytes()  # read while open: closing folds it back in
    finally:
        conn.close()
    for seed in range(10):
        journal = _flipped(seed)(good, scratch)
        scratch.write_bytes(journal)
        wal_path.write_bytes(wal)
        try:
            uri = scratch.absolute().as_uri() + "?mode=ro"
            with closing(sqlite3.connect(uri, uri=True)) as conn:
                visible = [row[0] for row in conn.execute("PRAGMA integrity_check")] != ["ok"]
        except sqlite3.DatabaseError:
            visible = True
        for side in (scratch, wal_path, scratch.with_name(scratch.name + "-shm")):
            side.unlink(missing_ok=True)
        if visible:
            return journal, wal
    raise AssertionError("no damage visible beside the log")


Damage = Callable[[bytes, Path], "bytes | tuple[bytes, bytes]"]


def cases() -> list[tuple[str, Damage]]:
    """The fifty-one cases, by name. A case gives the journal's bytes, or the journal's and
    its write-ahead log's."""
    made: list[tuple[str, Damage]] = []
    made += [(f"flipped-{seed}", _flipped(seed)) for seed in range(10)]
    made += [(f"truncated-{seed}", _truncated(seed)) for seed in range(8)]
    made += [
        ("zero-header", _zero_header),
        ("zero-first-page", _zero_first_page),
        ("zero-magic", _zero_magic),
        ("zero-header-truncated", _zero_header_and_tail),
    ]
    made += [(f"garbage-{seed}", _garbage(seed)) for seed in range(6)]
    made += [
        ("empty-zeros-whole", _zero_filled(len)),
        ("empty-zeros-one-page", _zero_filled(_page_size)),
        ("empty-zeros-header", _zero_filled(lambda _good: 100)),
        ("empty-zeros-half", _zero_filled(lambda good: len(good) // 2)),
    ]
    made += [
        ("not-sqlite-text", _text(b"These are my notes, not a database.\n" * 400)),
        ("not-sqlite-png", _text(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)),
        ("not-sqlite-json", _text(b'{"format": "interview-journal", "version": 1}\n')),
        ("not-sqlite-one-byte", _text(b"x")),
        ("not-a-journal-other-app", _other_database(
            ["CREATE TABLE photo (id INTEGER PRIMARY KEY, path TEXT)",
             "INSERT INTO photo (path) VALUES ('/home/me/cat.jpg')"])),
        ("not-a-journal-other-app-v1", _other_database(
            ["CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT)",
             "PRAGMA user_version = 1"])),
    ]
    made += [(f"dropped-{table}", _dropped(table)) for table in CORE_TABLES]
    made += [
        ("dropped-two-tables", lambda good, scratch: _dropped("tag")(
            _dropped("question")(good, scratch), scratch)),
        ("flipped-and-truncated", lambda good, scratch: _truncated(1)(
            _flipped(0)(good, scratch), scratch)),
    ]
    made.append(("flipped-with-log", _with_log))
    assert len(made) == 51, len(made)
    return made


BACKUP_NAME = "pre-migration-v3-20260301T090000Z.sqlite3"


def build(root: Path) -> list[Case]:
    """Write the corpus under ``root``: a data folder per case, each with its damaged journal
    and, in ``backups/``, a good copy of the journal (which must stay untouched)."""
    good = healthy_journal(root / "healthy")
    scratch = root / "scratch.sqlite3"
    built = []
    for name, damage in cases():
        folder = root / name
        folder.mkdir(mode=0o700)
        made = damage(good, scratch)
        journal, wal = made if isinstance(made, tuple) else (made, None)
        paths.journal_path(folder).write_bytes(journal)
        paths.journal_path(folder).chmod(0o600)
        if wal is not None:
            log = folder / f"{paths.JOURNAL_FILE}-wal"
            log.write_bytes(wal)
            log.chmod(0o600)
        backups = paths.backups_dir(folder)
        backups.mkdir(mode=0o700)
        (backups / BACKUP_NAME).write_bytes(good)
        built.append(Case(name, folder))
    return built


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=False)
    for case in build(out):
        print(case.name, case.journal.stat().st_size)
