"""Importing an export file: its values checked by the Journal's own rules, the plan of what
merging it by UUID does (the rules are in ``core/journal/exchange.py``'s docstring), and the
plan applied with a few ``executemany`` statements inside the caller's transaction.

Not a room: ``_Exchange`` calls these with its database inside its ``_write()``, and
records what ``apply_plan`` says it changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from peewee import SqliteDatabase

from interview_journal.core import exchange as fmt
from interview_journal.core.changes import Key, Kind, Op
from interview_journal.core.journal.import_checks import (
    aware,
    compare_time,
    setting_text,
    stored_time,
)
from interview_journal.core.journal.settings import SESSION_OPEN_KEY
from interview_journal.core.journal.values import normalize_name

# The kinds an import reports on, in the order it reports them.
KINDS: tuple[str, ...] = (
    "companies", "interviews", "questions", "action_items", "people", "topics",
    "timer_sessions", "settings",
)
_NEW, _UPDATED, _UNCHANGED, _KEPT = range(4)

_INTERVIEW_COLUMNS = (
    "role", "stage", "format", "date", "starts_at", "duration_minutes", "location", "outcome",
    "self_rating", "want_to_work_here", "went_well", "went_poorly", "do_differently",
    "impressions", "notes", "reflection_started_at", "reflected_at", "snoozed_until",
    "reminder_dismissed", "created_at", "updated_at", "trashed_at",
)
_TIMES = frozenset(
    {"starts_at", "reflection_started_at", "reflected_at", "snoozed_until", "created_at",
     "updated_at", "trashed_at"}
)


@dataclass(frozen=True)
class KindCounts:
    """What an import does to one kind: added, overwritten by the file's newer copy, the
    same on both sides, or kept as the journal has it (its copy is newer, or has no date
    to compare and the journal already holds it)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do), per kind (``KINDS``)."""

    counts: Mapping[str, KindCounts]
    dry_run: bool
    backup: object = None  # what the backup callable returned, if it ran

    @property
    def changes(self) -> bool:
        """Whether anything is (or would be) added or updated."""
        return any(c.new or c.updated for c in self.counts.values())

    def done(self, backup: object) -> ImportReport:
        return replace(self, backup=backup)

    def lines(self) -> list[str]:
        """One line per kind: "interviews: 3 new, 1 updated, 20 unchanged, 2 kept"."""
        return [
            f"{kind.replace('_', ' ')}: {c.new:,} new, {c.updated:,} updated, "
            f"{c.unchanged:,} unchanged, {c.kept:,} kept"
            for kind, c in self.counts.items()
        ]


# --------------------------------------------------------------------------- the plan


@dataclass
class Plan:
    """What merging a document into the journal does; ``apply_plan`` carries it out."""

    counts: dict[str, list[int]] = field(default_factory=lambda: {k: [0] * 4 for k in KINDS})
    # file uuid -> the stored uuid (32 hex digits) of the row it becomes or already is
    company_target: dict[str, str] = field(default_factory=dict)
    person_target: dict[str, str] = field(default_factory=dict)
    topic_target: dict[str, str] = field(default_factory=dict)
    company_new: list[Mapping[str, Any]] = field(default_factory=list)
    company_update: list[tuple[int, Mapping[str, Any]]] = field(default_factory=list)
    person_new: list[Mapping[str, Any]] = field(default_factory=list)
    topic_new: list[Mapping[str, Any]] = field(default_factory=list)
    interview_new: list[Mapping[str, Any]] = field(default_factory=list)
    # (row id, the file's interview, its company id and trashed_at in the journal)
    interview_update: list[tuple[int, Mapping[str, Any], int, Any]] = field(default_factory=list)
    session_new: list[Mapping[str, Any]] = field(default_factory=list)
    setting_new: list[tuple[str, Any]] = field(default_factory=list)
    question_ids: dict[str, int] = field(default_factory=dict)
    action_ids: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, outcome: int, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def report(self, *, dry_run: bool) -> ImportReport:
        return ImportReport({k: KindCounts(*v) for k, v in self.counts.items()}, dry_run)


def _rows(db: SqliteDatabase, sql: str) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = db.execute_sql(sql).fetchall()
    return rows


def make_plan(db: SqliteDatabase, document: Mapping[str, Any]) -> Plan:
    """Read what the journal holds and decide, entity by entity, what the import does."""
    plan = Plan()
    _plan_companies(db, document, plan)
    _plan_named(db, document, plan)
    _plan_interviews(db, document, plan)
    sessions = dict(_rows(db, "SELECT uuid, ended_at FROM timer_session"))
    for session in document["timer_sessions"]:
        if session["uuid"] in sessions:
            same = compare_time(sessions[session["uuid"]]) == fmt.parse_time(session["ended_at"])
            plan.count("timer_sessions", _UNCHANGED if same else _KEPT)
        else:
            plan.session_new.append(session)
            plan.count("timer_sessions", _NEW)
    settings = dict(_rows(db, 'SELECT "key", "value" FROM setting'))
    for key, value in document["settings"].items():
        if key == SESSION_OPEN_KEY:
            continue
        if key not in settings:
            plan.setting_new.append((key, value))
            plan.count("settings", _NEW)
        else:
            try:
                same = json.loads(settings[key]) == value
            except ValueError:
                same = False
            plan.count("settings", _UNCHANGED if same else _KEPT)
    return plan


def _plan_companies(db: SqliteDatabase, document: Mapping[str, Any], plan: Plan) -> None:
    by_uuid = {u: (cid, key, compare_time(up)) for cid, u, key, up in _rows(
        db, "SELECT id, uuid, normalized_name, updated_at FROM company")}
    by_name = {key: (cid, u) for u, (cid, key, _up) in by_uuid.items()}
    for company in document["companies"]:
        stored = fmt.uuid_stored(company["uuid"])
        key = normalize_name(company["name"])
        if stored in by_uuid:
            cid, old_key, old_updated = by_uuid[stored]
            plan.company_target[company["uuid"]] = stored
            newer = fmt.parse_time(company["updated_at"])
            assert newer is not None
            assert old_updated is not None
            clash = key != old_key and key in by_name and by_name[key][0] != cid
            if newer > old_updated and not clash:
                plan.company_update.append((cid, company))
                plan.count("companies", _UPDATED)
            else:
                plan.count("companies", _UNCHANGED if newer == old_updated else _KEPT)
        elif key in by_name:  # the same company, made on another machine
            plan.company_target[company["uuid"]] = by_name[key][1]
            plan.count("companies", _KEPT)
        else:
            plan.company_target[company["uuid"]] = stored
            by_name[key] = (-1, stored)
            plan.company_new.append(company)
            plan.count("companies", _NEW)


def _plan_named(db: SqliteDatabase, document: Mapping[str, Any], plan: Plan) -> None:
    """Interviewers and topics: known by uuid, else by name; the journal's copy stays."""
    company_uuid = dict(_rows(db, "SELECT id, uuid FROM company"))
    people = {u: (company_uuid[cid], name, title) for u, cid, name, title in _rows(
        db, "SELECT uuid, company_id, name, title FROM person")}
    people_by_name = {(c, normalize_name(n)): u for u, (c, n, _t) in people.items()}
    for person in document["people"]:
        stored = fmt.uuid_stored(person["uuid"])
        company = plan.company_target[person["company"]]
        if stored in people:
            plan.person_target[person["uuid"]] = stored
            same = people[stored] == (company, person["name"], person["title"])
            plan.count("people", _UNCHANGED if same else _KEPT)
            continue
        key = (company, normalize_name(person["name"]))
        if key in people_by_name:
            plan.person_target[person["uuid"]] = people_by_name[key]
            plan.count("people", _KEPT)
        else:
            plan.person_target[person["uuid"]] = people_by_name[key] = stored
            plan.person_new.append(person)
            plan.count("people", _NEW)
    topics = dict(_rows(db, "SELECT uuid, name FROM tag"))
    topics_by_name = {normalize_name(name): u for u, name in topics.items()}
    for topic in document["topics"]:
        stored = fmt.uuid_stored(topic["uuid"])
        if stored in topics:
            plan.topic_target[topic["uuid"]] = stored
            plan.count("topics", _UNCHANGED if topics[stored] == topic["name"] else _KEPT)
            continue
        name = normalize_name(topic["name"])
        if name in topics_by_name:
            plan.topic_target[topic["uuid"]] = topics_by_name[name]
            plan.count("topics", _KEPT)
        else:
            plan.topic_target[topic["uuid"]] = topics_by_name[name] = stored
            plan.topic_new.append(topic)
            plan.count("topics", _NEW)


def _plan_interviews(db: SqliteDatabase, document: Mapping[str, Any], plan: Plan) -> None:
    known = {u: (iid, cid, compare_time(up), trashed) for iid, u, cid, up, trashed in _rows(
        db, "SELECT id, uuid, company_id, updated_at, trashed_at FROM interview")}
    plan.question_ids = {u: qid for qid, u in _rows(db, "SELECT id, uuid FROM question")}
    plan.action_ids = {u: aid for aid, u in _rows(db, "SELECT id, uuid FROM action_item")}
    for interview in document["interviews"]:
        stored = fmt.uuid_stored(interview["uuid"])
        parts = (("questions", plan.question_ids), ("action_items", plan.action_ids))
        if stored not in known:
            plan.interview_new.append(interview)
            plan.count("interviews", _NEW)
            for kind, ids in parts:
                for part in interview[kind]:
                    exists = fmt.uuid_stored(part["uuid"]) in ids
                    plan.count(kind, _UPDATED if exists else _NEW)
            continue
        iid, cid, old_updated, trashed = known[stored]
        newer = fmt.parse_time(interview["updated_at"])
        assert newer is not None
        assert old_updated is not None
        if newer > old_updated:
            plan.interview_update.append((iid, interview, cid, trashed))
            outcome = _UPDATED
        else:
            outcome = _UNCHANGED if newer == old_updated else _KEPT
        plan.count("interviews", outcome)
        for kind, ids in parts:
            for part in interview[kind]:
                exists = fmt.uuid_stored(part["uuid"]) in ids
                plan.count(kind, outcome if exists or outcome != _UPDATED else _NEW)


# --------------------------------------------------------------------------- applying


@dataclass
class Applied:
    """What ``apply_plan`` changed, for the Journal to record and to index."""

    changes: list[tuple[Kind, Iterable[Key], Op]] = field(default_factory=list)
    reindex: set[int] = field(default_factory=set)

    def add(self, kind: Kind, keys: Iterable[Key], op: Op) -> None:
        keys = list(keys)
        if keys:
            self.changes.append((kind, keys, op))


def _ids(db: SqliteDatabase, table: str) -> dict[str, int]:
    return {u: rid for rid, u in _rows(db, f'SELECT id, uuid FROM "{table}"')}


def apply_plan(
    db: SqliteDatabase,
    plan: Plan,
    document: Mapping[str, Any],
    progress: fmt.Progress | None,
    cancel: fmt.CancelCheck | None,
) -> Applied:
    """Carry out ``plan`` on ``db`` (inside the caller's transaction)."""
    conn = db.connection()
    applied = Applied()
    total = sum(len(document[k]) for k in
                ("companies", "people", "topics", "interviews", "timer_sessions"))
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        fmt.check_cancel(cancel)
        if progress is not None:
            progress(done, total)

    fmt.check_cancel(cancel)
    conn.executemany(
        'INSERT INTO company (uuid, name, normalized_name, created_at, updated_at, trashed_at) '
        'VALUES (?, ?, ?, ?, ?, ?)',
        [(fmt.uuid_stored(c["uuid"]), c["name"], normalize_name(c["name"]),
          stored_time(c["created_at"]), stored_time(c["updated_at"]),
          stored_time(c["trashed_at"])) for c in plan.company_new],
    )
    conn.executemany(
        "UPDATE company SET name = ?, normalized_name = ?, created_at = ?, updated_at = ?, "
        "trashed_at = ? WHERE id = ?",
        [(c["name"], normalize_name(c["name"]), stored_time(c["created_at"]),
          stored_time(c["updated_at"]), stored_time(c["trashed_at"]), cid)
         for cid, c in plan.company_update],
    )
    company_ids = _ids(db, "company")
    applied.add(Kind.COMPANY, (company_ids[fmt.uuid_stored(c["uuid"])] for c in plan.company_new),
                Op.CREATED)
    applied.add(Kind.COMPANY, (cid for cid, _c in plan.company_update), Op.UPDATED)
    renamed = [cid for cid, _c in plan.company_update]
    if renamed:
        marks = ",".join("?" * len(renamed))
        applied.reindex.update(row[0] for row in conn.execute(
            f"SELECT id FROM interview WHERE company_id IN ({marks})", renamed))
    step(len(document["companies"]))

    conn.executemany(
        "INSERT INTO person (uuid, company_id, name, normalized_name, title) "
        "VALUES (?, ?, ?, ?, ?)",
        [(fmt.uuid_stored(p["uuid"]), company_ids[plan.company_target[p["company"]]], p["name"],
          normalize_name(p["name"]), p["title"]) for p in plan.person_new],
    )
    conn.executemany(
        "INSERT INTO tag (uuid, name, normalized_name) VALUES (?, ?, ?)",
        [(fmt.uuid_stored(t["uuid"]), t["name"], normalize_name(t["name"]))
         for t in plan.topic_new],
    )
    person_ids, tag_ids = _ids(db, "person"), _ids(db, "tag")
    applied.add(Kind.PERSON, (person_ids[fmt.uuid_stored(p["uuid"])] for p in plan.person_new),
                Op.CREATED)
    applied.add(Kind.TOPIC, (tag_ids[fmt.uuid_stored(t["uuid"])] for t in plan.topic_new),
                Op.CREATED)
    step(len(document["people"]) + len(document["topics"]))

    _apply_interviews(db, plan, applied, company_ids, person_ids, tag_ids)
    step(len(document["interviews"]))

    interview_ids = _ids(db, "interview")
    conn.executemany(
        "INSERT INTO timer_session (uuid, kind, interview_id, started_at, planned_seconds, "
        "extended_seconds, pauses, held, warned, ended_at, ending) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(s["uuid"], s["kind"],
          None if s["interview"] is None else interview_ids[fmt.uuid_stored(s["interview"])],
          stored_time(s["started_at"]), s["planned_seconds"], s["extended_seconds"],
          json.dumps([[_iso(p), _iso(r)] for p, r in s["pauses"]]), int(s["held"]),
          int(s["warned"]), stored_time(s["ended_at"]), s["ending"])
         for s in plan.session_new],
    )
    applied.add(Kind.TIMER_SESSION, (s["uuid"] for s in plan.session_new), Op.CREATED)
    conn.executemany(
        'INSERT INTO setting ("key", "value") VALUES (?, ?)',
        [(key, setting_text(value)) for key, value in plan.setting_new],
    )
    applied.add(Kind.SETTING, (key for key, _v in plan.setting_new), Op.UPDATED)
    step(len(document["timer_sessions"]))
    return applied


def _iso(text: str | None) -> str | None:
    """A pause's time as the timers store it (aware ISO 8601, ``+00:00``)."""
    value = aware(text)
    return None if value is None else value.isoformat()


def _interview_values(interview: Mapping[str, Any]) -> list[Any]:
    values: list[Any] = []
    for column in _INTERVIEW_COLUMNS:
        value = interview[column]
        if column in _TIMES:
            value = stored_time(value)
        elif column == "reminder_dismissed":
            value = int(value)
        values.append(value)
    return values


def _apply_interviews(
    db: SqliteDatabase,
    plan: Plan,
    applied: Applied,
    company_ids: Mapping[str, int],
    person_ids: Mapping[str, int],
    tag_ids: Mapping[str, int],
) -> None:
    conn = db.connection()
    columns = ", ".join(f'"{c}"' for c in _INTERVIEW_COLUMNS)
    marks = ", ".join("?" * (len(_INTERVIEW_COLUMNS) + 2))
    conn.executemany(
        f"INSERT INTO interview (uuid, company_id, {columns}) VALUES ({marks})",
        [[fmt.uuid_stored(i["uuid"]), company_ids[plan.company_target[i["company"]]],
          *_interview_values(i)] for i in plan.interview_new],
    )
    sets = ", ".join(f'"{c}" = ?' for c in ("company_id", *_INTERVIEW_COLUMNS))
    conn.executemany(
        f"UPDATE interview SET {sets} WHERE id = ?",
        [[company_ids[plan.company_target[i["company"]]], *_interview_values(i), iid]
         for iid, i, _cid, _trashed in plan.interview_update],
    )
    interview_ids = _ids(db, "interview")
    new_ids = [interview_ids[fmt.uuid_stored(i["uuid"])] for i in plan.interview_new]
    applied.add(Kind.INTERVIEW, new_ids, Op.CREATED)
    applied.add(Kind.INTERVIEW, (iid for iid, *_rest in plan.interview_update), Op.UPDATED)
    touched_companies = {company_ids[plan.company_target[i["company"]]]
                         for i in plan.interview_new}
    moved: list[int] = []
    trashed: list[int] = []
    restored: list[int] = []
    for iid, interview, old_company, was_trashed in plan.interview_update:
        company = company_ids[plan.company_target[interview["company"]]]
        if company != old_company:
            moved.append(iid)
            touched_companies.update((company, old_company))
        if (was_trashed is None) != (interview["trashed_at"] is None):
            (restored if was_trashed is not None else trashed).append(iid)
    applied.add(Kind.INTERVIEW, moved, Op.MOVED)
    applied.add(Kind.INTERVIEW, trashed, Op.TRASHED)
    applied.add(Kind.INTERVIEW, restored, Op.RESTORED)
    applied.add(Kind.COMPANY, touched_companies, Op.UPDATED)

    targets = [(interview_ids[fmt.uuid_stored(i["uuid"])], i) for i in plan.interview_new]
    targets += [(iid, i) for iid, i, _c, _t in plan.interview_update]
    applied.reindex.update(iid for iid, _i in targets)
    updated = {iid for iid, *_rest in plan.interview_update}
    _apply_links(db, targets, updated, "interview_person", "person_id",
                 {u: person_ids[t] for u, t in plan.person_target.items()}, "interviewers",
                 applied, Kind.PERSON)
    _apply_links(db, targets, updated, "interview_tag", "tag_id",
                 {u: tag_ids[t] for u, t in plan.topic_target.items()}, "topics",
                 applied, Kind.TOPIC)
    _apply_parts(db, targets, updated, "question", ("question", "answer", "next_time", "practise"),
                 plan.question_ids, applied, Kind.QUESTION)
    _apply_parts(db, targets, updated, "action_item", ("text", "done", "done_at"),
                 plan.action_ids, applied, Kind.ACTION_ITEM)


def _existing(
    db: SqliteDatabase, table: str, column: str, updated: set[int]
) -> dict[int, list[Any]]:
    """The journal's ``column`` of ``table`` for the ``updated`` interviews, in order."""
    found: dict[int, list[Any]] = {}
    if not updated:
        return found
    order = "position, id" if column == "id" else "position"
    sql = f'SELECT interview_id, {column} FROM "{table}" ORDER BY interview_id, {order}'
    for owner, value in _rows(db, sql):
        if owner in updated:
            found.setdefault(owner, []).append(value)
    return found


def _apply_links(
    db: SqliteDatabase,
    targets: list[tuple[int, Mapping[str, Any]]],
    updated: set[int],
    table: str,
    column: str,
    ids: Mapping[str, int],
    key: str,
    applied: Applied,
    kind: Kind,
) -> None:
    """An interview's interviewers or topics: the file's in its order, then the journal's
    own that the file lacks."""
    conn = db.connection()
    existing = _existing(db, table, column, updated)
    conn.executemany(f'DELETE FROM "{table}" WHERE interview_id = ?',
                     [(iid,) for iid in existing])
    rows: list[tuple[int, int, int]] = []
    linked: set[int] = set()
    for iid, interview in targets:
        order = list(dict.fromkeys([ids[u] for u in interview[key]] + existing.get(iid, [])))
        rows.extend((iid, target, position) for position, target in enumerate(order))
        linked.update(order)
    conn.executemany(
        f'INSERT INTO "{table}" (interview_id, {column}, position) VALUES (?, ?, ?)', rows
    )
    applied.add(kind, linked, Op.UPDATED)


def _apply_parts(
    db: SqliteDatabase,
    targets: list[tuple[int, Mapping[str, Any]]],
    updated: set[int],
    table: str,
    fields: tuple[str, ...],
    known: Mapping[str, int],
    applied: Applied,
    kind: Kind,
) -> None:
    """An interview's questions or action items: the file's in its order (updated where the
    journal has them, wherever they were), then the journal's own that the file lacks."""
    conn = db.connection()
    key = "questions" if table == "question" else "action_items"
    existing = _existing(db, table, "id", updated)
    inserts: list[list[Any]] = []
    updates: list[list[Any]] = []
    moves: list[tuple[int, int]] = []
    for iid, interview in targets:
        placed: set[int] = set()
        for position, part in enumerate(interview[key]):
            values = [stored_time(part[f]) if f == "done_at" else
                      int(part[f]) if isinstance(part[f], bool) else part[f] for f in fields]
            stored = fmt.uuid_stored(part["uuid"])
            if stored in known:
                updates.append([iid, position, *values, known[stored]])
                placed.add(known[stored])
            else:
                inserts.append([stored, iid, position, *values])
        after = len(interview[key])
        for pid in existing.get(iid, []):
            if pid not in placed:
                moves.append((after, pid))
                after += 1
    names = ", ".join(f'"{f}"' for f in fields)
    conn.executemany(
        f'INSERT INTO "{table}" (uuid, interview_id, position, {names}) '
        f'VALUES ({", ".join("?" * (len(fields) + 3))})', inserts,
    )
    sets = ", ".join(f'"{f}" = ?' for f in ("interview_id", "position", *fields))
    conn.executemany(f'UPDATE "{table}" SET {sets} WHERE id = ?', updates)
    conn.executemany(f'UPDATE "{table}" SET position = ? WHERE id = ?', moves)
    applied.add(kind, (int(row[-1]) for row in updates), Op.UPDATED)
    if inserts:
        ids = _ids(db, table)
        applied.add(kind, (ids[str(row[0])] for row in inserts), Op.CREATED)
