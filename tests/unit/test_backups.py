"""Backups and restore in core (``core/backups.py``), on real SQLite files and a fake clock.

The policy is lived through for 400 simulated days: the backups kept after every rotation are
exactly those an independent reading of the policy keeps of every backup ever taken, and
nothing is taken on days nothing changed. Every backup kept then restores to the journal as it
was when it was taken (``iterdump``). Damaged backups are refused with the journal
byte-identical; a damaged journal is moved aside, never deleted; files are 0600 and folders
0700 under ``umask 022``.
"""

from __future__ import annotations

import os
import random
import sqlite3
import stat
from collections.abc import Callable, Hashable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interview_journal.core import backups, paths
from interview_journal.core.backups import Backup, Moment, RetentionPolicy
from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import DatabaseBusy, InvalidInput, NewerSchema
from interview_journal.core.journal import Journal
from interview_journal.core.sqlite_files import read_only_uri

START = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """A permissive umask, as a user's shell has: privacy must not depend on it."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _fill(folder: Path, interviews: int = 3, clock: FakeClock | None = None) -> None:
    with Journal.open(folder, clock=clock or FakeClock(START)) as journal:
        for number in range(interviews):
            doc = journal.create_interview_for("Acme", role=f"Engineer {number}")
            journal.update_interview(doc.id, notes=f"interview {number} went fine. " * 40)


def _dump(path: Path) -> str:
    """The whole content of an SQLite file as SQL text (its write-ahead log included)."""
    with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
        return "\n".join(conn.iterdump())


def _files(folder: Path) -> dict[str, bytes]:
    """Every file in the data folder (not in backups/), name to bytes."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------------------------------------ taking


def test_a_backup_is_a_checked_copy_named_by_its_time_and_private(
    data_dir: Path, umask_022: None
) -> None:
    _fill(data_dir)
    now = datetime(2026, 12, 4, 19, 30, 0, 123456, tzinfo=UTC)

    made = backups.take_backup(data_dir, now=now)

    assert made.path == data_dir / "backups" / "journal-2026-12-04T193000Z.sqlite3"
    assert made.taken_at == now.replace(microsecond=0)
    assert (made.interview_count, made.ok, made.kind) == (3, True, backups.Kind.BACKUP)
    assert made.size == made.path.stat().st_size
    assert _dump(made.path) == _dump(paths.journal_path(data_dir))
    assert _mode(made.path) == 0o600
    assert _mode(made.path.parent) == 0o700
    assert [p.name for p in made.path.parent.iterdir()] == [made.path.name]  # no staging left
    listed = backups.list_backups(data_dir)
    assert [(b.path, b.taken_at, b.interview_count) for b in listed] == [
        (made.path, made.taken_at, 3)
    ]


def test_two_backups_in_one_second_get_two_names_and_list_newest_first(
    data_dir: Path,
) -> None:
    _fill(data_dir)
    first = backups.take_backup(data_dir, now=START)
    second = backups.take_backup(data_dir, now=START)
    later = backups.take_backup(data_dir, now=START + timedelta(minutes=1))

    assert second.path.name == "journal-2026-01-01T080000Z-2.sqlite3"
    assert [b.path for b in backups.list_backups(data_dir)] == [
        later.path, second.path, first.path
    ]


def test_a_backup_to_a_chosen_file_never_overwrites(data_dir: Path, tmp_path: Path) -> None:
    _fill(data_dir)
    target = tmp_path / "elsewhere.sqlite3"

    made = backups.take_backup(data_dir, now=START, target=target)

    assert made.path == target
    assert _mode(target) == 0o600
    assert backups.list_backups(data_dir) == []  # only backups/ is listed
    before = target.read_bytes()
    with pytest.raises(InvalidInput):
        backups.take_backup(data_dir, now=START, target=target)
    assert target.read_bytes() == before
    with pytest.raises(InvalidInput):
        backups.take_backup(data_dir, now=START, target=tmp_path / "no-folder" / "x.sqlite3")


def test_a_damaged_journal_is_not_backed_up(data_dir: Path) -> None:
    _fill(data_dir, interviews=40)
    journal = paths.journal_path(data_dir)
    _flip(journal, 4096 * 3)
    before = journal.read_bytes()

    with pytest.raises(backups.JournalDamaged):
        backups.take_backup(data_dir, now=START)

    assert journal.read_bytes() == before
    assert backups.list_backups(data_dir) == []
    assert [p.name for p in paths.backups_dir(data_dir).iterdir()] == []


def test_nothing_to_back_up_without_a_journal(data_dir: Path) -> None:
    with pytest.raises(backups.NoJournal):
        backups.take_backup(data_dir, now=START)
    assert not data_dir.exists()


def test_a_backup_while_another_connection_writes_is_one_snapshot(data_dir: Path) -> None:
    _fill(data_dir)
    with Journal.open(data_dir, clock=FakeClock(START)) as journal:
        journal.create_interview_for("Open meanwhile")  # in the write-ahead log only
        made = backups.take_backup(data_dir, now=START)
        assert made.interview_count == 4
        journal.create_interview_for("After")
    assert backups.list_backups(data_dir)[0].interview_count == 4


def test_pre_migration_copies_are_listed_and_never_rotated(data_dir: Path) -> None:
    _fill(data_dir)
    old = backups.take_backup(data_dir, now=START)
    migration = old.path.with_name("pre-migration-v3-20250101T000000Z.sqlite3")
    os.link(old.path, migration)

    listed = backups.list_backups(data_dir)
    assert [b.kind for b in listed] == [backups.Kind.BACKUP, backups.Kind.PRE_MIGRATION]
    assert listed[1].taken_at == datetime(2025, 1, 1, tzinfo=UTC)

    far = START + timedelta(days=3000)
    backups.take_backup(data_dir, now=far)
    dropped = backups.rotate(data_dir, far, RetentionPolicy(0, 0, 0, 0, 0))
    assert [b.path for b in dropped] == [old.path]
    assert migration.exists()


# ------------------------------------------------------------------------------ the policy


def test_should_back_up_only_when_something_changed() -> None:
    now = START
    recent = now - timedelta(minutes=10)
    old = now - timedelta(minutes=30)
    stale = now - timedelta(days=1, seconds=1)
    for moment in Moment:
        assert not backups.should_back_up(now, None, False, moment=moment)
        assert not backups.should_back_up(now, stale, False, moment=moment)
        assert backups.should_back_up(now, None, True, moment=moment)
    assert not backups.should_back_up(now, recent, True)
    assert backups.should_back_up(now, old, True)
    assert backups.should_back_up(now, recent, True, moment=Moment.QUIT)
    assert not backups.should_back_up(now, old, True, moment=Moment.START)
    assert backups.should_back_up(now, stale, True, moment=Moment.START)


def test_back_up_if_due_takes_one_only_when_due_and_rotates(data_dir: Path) -> None:
    _fill(data_dir)
    first = backups.back_up_if_due(data_dir, now=START, moment=Moment.START)
    assert first is not None  # no backup yet, and the journal holds notes
    # Nothing written since: the journal's files are older than the backup's.
    assert not backups.journal_changed_since(data_dir, first)
    assert backups.back_up_if_due(data_dir, now=START + timedelta(days=2),
                                  moment=Moment.QUIT) is None
    soon = START + timedelta(minutes=10)
    assert backups.back_up_if_due(data_dir, now=soon, changed_since=True) is None
    later = START + timedelta(minutes=31)
    made = backups.back_up_if_due(data_dir, now=later, changed_since=True,
                                  policy=RetentionPolicy(24, 1, 0, 0, 0))
    assert made is not None
    assert [b.path for b in backups.list_backups(data_dir)] == [made.path]


def _expected(taken: list[Backup], now: datetime, policy: RetentionPolicy) -> set[Path]:
    """What the policy keeps of ``taken``, read from its description (independently of
    ``backups.retain``): the last 24 hours' (at most 10), then the newest of each of the last
    14 days, 8 ISO weeks and 12 months that have one, and the newest of all."""
    newest_first = sorted(taken, key=lambda b: (b.taken_at, b.sequence), reverse=True)
    keep = {newest_first[0].path}
    day_ago = now - timedelta(hours=policy.recent_hours)
    recent = [b for b in newest_first if b.taken_at > day_ago]
    keep |= {b.path for b in recent[: policy.recent_max]}

    buckets: list[tuple[int, Callable[[datetime], Hashable]]] = [
        (policy.daily, lambda t: t.date()),
        (policy.weekly, lambda t: tuple(t.isocalendar())[:2]),
        (policy.monthly, lambda t: (t.year, t.month)),
    ]
    for count, key in buckets:
        newest_of: dict[Hashable, Backup] = {}
        for backup in newest_first:
            newest_of.setdefault(key(backup.taken_at), backup)  # dicts keep the order
        keep |= {b.path for b in list(newest_of.values())[:count]}
    return keep


def test_the_retention_tiers_over_400_days_of_backups_taken_by_the_policy() -> None:
    """The policy alone (no files): many backups a day, some days none."""
    rng = random.Random(20261204)
    policy = RetentionPolicy()
    present: list[Backup] = []
    taken: list[Backup] = []
    newest: datetime | None = None
    now = START
    for day in range(400):
        now = START + timedelta(days=day, hours=rng.randint(0, 6))
        if rng.random() < 0.3:
            continue
        for _tick in range(rng.randint(1, 60)):
            now += timedelta(minutes=5)
            if rng.random() < 0.5 and backups.should_back_up(now, newest, True):
                made = Backup(Path(f"b{len(taken)}"), now, 1, 1)
                taken.append(made)
                present.append(made)
                newest = now
                present, _dropped = backups.retain(present, now, policy)
                assert {b.path for b in present} == _expected(taken, now, policy)
    assert len(taken) > 1000
    assert len(present) <= 10 + 14 + 8 + 12 + 1


def test_400_days_on_the_fake_clock_keep_what_the_policy_says_and_every_kept_backup_restores(
    data_dir: Path, umask_022: None
) -> None:
    rng = random.Random(400)
    clock = FakeClock(START)
    policy = RetentionPolicy()
    taken: list[Backup] = []
    journal_file = paths.journal_path(data_dir)
    journal = Journal.open(data_dir, clock=clock)
    doc = journal.create_interview_for("Acme", role="SRE")
    newest: Backup | None = None
    changed = True

    def back_up_if(moment: Moment) -> None:
        nonlocal newest, changed
        if not backups.should_back_up(clock.now(), newest, changed, moment=moment):
            return
        newest = backups.take_backup(data_dir, now=clock.now())
        taken.append(newest)
        changed = False
        backups.rotate(data_dir, clock.now(), policy)
        kept = set(paths.backups_dir(data_dir).glob("journal-*.sqlite3"))
        assert kept == _expected(taken, clock.now(), policy), clock.now()

    try:
        for day in range(400):
            if rng.random() < 0.4:
                continue  # the app was not used that day
            clock.set(START + timedelta(days=day, hours=rng.randint(0, 10)))
            idle = rng.random() < 0.25  # opened, read, nothing written
            before, changed_before = len(taken), changed
            back_up_if(Moment.START)
            for _tick in range(rng.randint(1, 6)):
                clock.advance(minutes=rng.choice((5, 10, 20, 40, 60)))
                if not idle and rng.random() < 0.5:
                    if rng.random() < 0.2:
                        doc = journal.create_interview_for(f"Company {rng.randint(1, 30)}")
                    journal.update_interview(doc.id, notes=f"day {day} " * rng.randint(1, 50))
                    changed = True
                back_up_if(Moment.RUNNING)
            back_up_if(Moment.QUIT)
            if idle and not changed_before:
                assert len(taken) == before, f"day {day}: nothing changed, yet a backup"
    finally:
        journal.close()
    kept = backups.list_backups(data_dir)
    assert len(taken) > 150
    assert 20 < len(kept) <= 45
    assert kept[0].path == taken[-1].path

    for backup in kept:  # each restores to the journal it holds (taken equal: first test)
        backups.restore(data_dir, backup, now=clock.advance(seconds=1))
        assert _dump(journal_file) == _dump(backup.path), backup.path.name
        assert _mode(journal_file) == 0o600


# ------------------------------------------------------------------------------ restoring


def _flip(path: Path, offset: int, count: int = 64) -> None:
    data = bytearray(path.read_bytes())
    for index in range(offset, min(offset + count, len(data))):
        data[index] ^= 0xFF
    path.write_bytes(bytes(data))


def _page_size(path: Path) -> int:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def _flip_pages(path: Path, pages: range) -> None:
    """Flip the first bytes of each of ``pages`` (numbered from 1): their b-tree, overflow or
    freelist headers, which ``quick_check`` reads. (A flip inside stored text only is not
    something ``quick_check`` can see.)"""
    page = _page_size(path)
    for number in pages:
        _flip(path, (number - 1) * page, 8)


def _damaged_copies(backup: Path, where: Path) -> Iterator[Path]:
    """Damaged copies of ``backup``, compacted first so that every page is one
    ``quick_check`` reads (a free page's content is not)."""
    good = where / "compacted.sqlite3"
    with closing(sqlite3.connect(read_only_uri(backup, immutable=True), uri=True)) as conn:
        conn.execute("VACUUM INTO ?", (str(good),))
    size = good.stat().st_size
    last = size // _page_size(good)
    for name, change in (
        ("flipped-header", lambda p: _flip(p, 0, 16)),
        ("flipped-page", lambda p: _flip_pages(p, range(3, 4))),
        ("flipped-last", lambda p: _flip_pages(p, range(last, last + 1))),
        ("flipped-all", lambda p: _flip_pages(p, range(2, last + 1))),
        ("truncated-half", lambda p: os.truncate(p, size // 2)),
        ("truncated-short", lambda p: os.truncate(p, 50)),
        ("empty", lambda p: os.truncate(p, 0)),
        ("text", lambda p: p.write_text("not a journal\n" * 500)),
    ):
        copy = where / f"{name}.sqlite3"
        copy.write_bytes(good.read_bytes())
        change(copy)
        yield copy


def test_a_damaged_backup_is_refused_and_the_journal_is_untouched(data_dir: Path) -> None:
    _fill(data_dir, interviews=30)
    good = backups.take_backup(data_dir, now=START)
    with Journal.open(data_dir, clock=FakeClock(START)) as journal:
        journal.create_interview_for("Since the backup")
    before = _files(data_dir)
    for copy in _damaged_copies(good.path, good.path.parent):
        with pytest.raises(backups.BadBackup):
            backups.restore(data_dir, copy, now=START)
        assert _files(data_dir) == before, copy.name
        assert not backups.check_backup(
            Backup(copy, START, copy.stat().st_size, None)
        ).ok, copy.name
    assert backups.newest_good_backup(data_dir) is not None
    plain = data_dir.parent / "plain.sqlite3"
    with closing(sqlite3.connect(plain)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    with pytest.raises(backups.BadBackup):
        backups.restore(data_dir, plain, now=START)
    with pytest.raises(backups.BadBackup):
        backups.restore(data_dir, paths.journal_path(data_dir), now=START)
    assert _files(data_dir) == before


def test_a_backup_from_a_newer_app_is_refused(data_dir: Path) -> None:
    _fill(data_dir)
    made = backups.take_backup(data_dir, now=START)
    with closing(sqlite3.connect(made.path)) as conn:
        conn.execute("PRAGMA user_version = 999")
    before = _files(data_dir)
    with pytest.raises(NewerSchema):
        backups.restore(data_dir, made.path, now=START)
    assert _files(data_dir) == before


def test_restore_keeps_the_journal_as_it_was_as_a_backup(
    data_dir: Path, umask_022: None
) -> None:
    _fill(data_dir)
    old = backups.take_backup(data_dir, now=START)
    journal_file = paths.journal_path(data_dir)
    with Journal.open(data_dir, clock=FakeClock(START)) as journal:
        journal.create_interview_for("Written after the backup")
    as_it_was = _dump(journal_file)

    previous = backups.restore(data_dir, old, now=START + timedelta(hours=1))

    assert previous is not None
    assert previous.name == "pre-restore-2026-01-01T090000Z.sqlite3"
    assert _dump(previous) == as_it_was
    assert _dump(journal_file) == _dump(old.path)
    assert not any(side.exists() for side in paths.journal_path(data_dir).parent.glob("*-wal"))
    assert sorted(p.name for p in data_dir.iterdir()) == ["backups", "journal.sqlite3"]
    assert _mode(journal_file) == 0o600
    assert _mode(previous) == 0o600
    assert _mode(data_dir) == 0o700
    kinds = [b.kind for b in backups.list_backups(data_dir)]
    assert kinds == [backups.Kind.PRE_RESTORE, backups.Kind.BACKUP]
    Journal.open(data_dir, clock=FakeClock(START)).close()  # the app opens what was restored


def test_restore_over_a_damaged_journal_moves_it_aside_whole(data_dir: Path) -> None:
    _fill(data_dir, interviews=40)
    good = backups.take_backup(data_dir, now=START)
    journal_file = paths.journal_path(data_dir)
    _flip(journal_file, 4096 * 2)
    damaged = journal_file.read_bytes()

    previous = backups.restore(data_dir, good, now=START + timedelta(days=1))

    assert previous == data_dir / "damaged-2026-01-02T080000Z"
    assert _mode(previous) == 0o700
    assert (previous / "journal.sqlite3").read_bytes() == damaged
    assert _dump(journal_file) == _dump(good.path)
    assert [b.kind for b in backups.list_backups(data_dir)] == [backups.Kind.BACKUP]


def test_restore_refuses_while_another_connection_has_the_journal_open(data_dir: Path) -> None:
    _fill(data_dir)
    good = backups.take_backup(data_dir, now=START)
    with Journal.open(data_dir, clock=FakeClock(START)) as journal:
        journal.create_interview_for("Open")
        before = _dump(paths.journal_path(data_dir))
        with pytest.raises(DatabaseBusy):
            backups.restore(data_dir, good, now=START)
        assert _dump(paths.journal_path(data_dir)) == before


def test_restore_into_a_folder_without_a_journal(tmp_path: Path, data_dir: Path) -> None:
    _fill(data_dir)
    good = backups.take_backup(data_dir, now=START, target=tmp_path / "copy.sqlite3")
    fresh = tmp_path / "fresh"

    assert backups.restore(fresh, good, now=START) is None

    assert _dump(paths.journal_path(fresh)) == _dump(good.path)
    assert _mode(fresh) == 0o700


# ------------------------------------------------------------------------------ leftovers


def test_staging_left_by_a_killed_backup_is_never_listed_and_is_cleaned(data_dir: Path) -> None:
    _fill(data_dir)
    backups.take_backup(data_dir, now=START)
    where = paths.backups_dir(data_dir)
    left = where / ".backup-killed"
    left.mkdir()
    (left / ".lock").touch()  # its process is gone, so nobody holds the lock
    (left / "copy.sqlite3").write_bytes(b"half a copy")
    partial = where / "journal-2026-01-01T090000Z.sqlite3.partial"
    partial.write_bytes(b"x")

    assert len(backups.list_backups(data_dir)) == 1
    backups.take_backup(data_dir, now=START + timedelta(hours=1))

    assert not left.exists()
    assert len(backups.list_backups(data_dir)) == 2


def test_a_backup_to_a_chosen_folder_leaves_what_is_there_alone(
    data_dir: Path, tmp_path: Path
) -> None:
    _fill(data_dir)
    theirs = [tmp_path / ".backup-photos", tmp_path / ".staging-site"]
    for folder in theirs:
        folder.mkdir()
        (folder / "keep.txt").write_text("the user's")
        os.utime(folder, (0, 0))  # old: as a leftover of ours would be

    backups.take_backup(data_dir, now=START, target=tmp_path / "copy.sqlite3")

    assert all((folder / "keep.txt").exists() for folder in theirs)


def test_a_journal_that_is_only_locked_is_never_set_aside_as_damaged(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(data_dir)
    made = backups.take_backup(data_dir, now=START)
    journal = paths.journal_path(data_dir)
    before = journal.read_bytes()
    monkeypatch.setattr(backups, "BUSY_TIMEOUT_S", 0.01)  # the lock below is never let go
    with closing(sqlite3.connect(journal, timeout=0.01)) as holder:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseBusy):
            backups.restore(data_dir, made, now=START + timedelta(minutes=1))
        holder.rollback()
    assert not list(data_dir.glob("damaged-*"))
    assert journal.read_bytes() == before


def test_a_damaged_journal_keeps_its_name_until_the_backup_replaces_it(data_dir: Path) -> None:
    _fill(data_dir)
    made = backups.take_backup(data_dir, now=START)
    journal = paths.journal_path(data_dir)
    damaged = bytearray(journal.read_bytes())
    damaged[100:4096] = b"\xff" * (4096 - 100)  # the first page's header and cells
    journal.write_bytes(bytes(damaged))
    leftover = journal.with_name(journal.name + "-journal")
    leftover.write_bytes(b"")  # an empty rollback journal left behind (not a hot one)

    kept = backups.restore(data_dir, made, now=START + timedelta(minutes=1))

    assert kept is not None
    assert kept.name.startswith("damaged-")
    assert (kept / journal.name).read_bytes() == bytes(damaged)  # kept whole, never deleted
    assert (kept / leftover.name).exists()
    assert not leftover.exists()  # it would have been replayed into the restored journal
    assert _dump(journal) == _dump(made.path)
