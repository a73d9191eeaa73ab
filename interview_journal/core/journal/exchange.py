"""Export and import: the whole journal (or one company) to the JSON format of
``core/exchange.py`` and back, merging by UUID.

Export reads one snapshot (a read transaction) and writes the file whole
(``exchange.write_atomically``). Import checks the file first (``exchange.read_export`` and
the Journal's own rules for what is typed), works out what would happen (``plan_import``: per
kind, new, updated, unchanged, or kept because the journal's copy is newer), and applies it
in one transaction through ``_write``, so it is announced like any change.

Merge rules (README, Export and import):

- Companies and interviews carry ``updated_at``: the newer copy wins whole; on a tie the
  journal's copy stays. A company of the file whose UUID is unknown but whose name the
  journal already has (case, spacing and width ignored) is that company.
- An interview's questions, action items, interviewers and topics follow it: when the file's
  interview wins they are written from the file, in its order, and the journal's own that the
  file lacks stay, after them.
- Interviewers, topics, settings and timer sessions have no ``updated_at``: one the journal
  lacks is added, one it has keeps the journal's copy. An interviewer or topic of the same
  name (in the same company, for interviewers) is the same one.
- Nothing in the journal is deleted because the file lacks it; importing a file twice changes
  nothing the second time. ``session_open`` (whether the app is running) is never exported.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import peewee

from interview_journal import __version__
from interview_journal.core import db as dbmod
from interview_journal.core import exchange as fmt
from interview_journal.core.changes import Kind, Op
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal.import_checks import check_values
from interview_journal.core.journal.importing import (
    _INTERVIEW_COLUMNS,
    _TIMES,
    ImportReport,
    apply_plan,
    make_plan,
)
from interview_journal.core.journal.settings import SESSION_OPEN_KEY
from interview_journal.core.journal.trash import _Trash

log = logging.getLogger(__name__)

_FLAGS = frozenset({"reminder_dismissed"})
# Interviews between two calls of progress() and looks at cancel.
_STEP = 200


class _Exchange(_Trash):
    """Export to and import from the JSON format."""

    # ----------------------------------------------------------------- export

    def export_document(
        self,
        *,
        company_id: int | None = None,
        progress: fmt.Progress | None = None,
        cancel: fmt.CancelCheck | None = None,
    ) -> dict[str, Any]:
        """Everything in the journal (or one company and what its interviews use) as the
        format's document: plain JSON values, lists sorted by uuid, keys in a fixed order.

        Read in one snapshot; ``progress(done, total)`` counts interviews read, ``cancel``
        raises ``exchange.Cancelled`` between two steps.
        """
        fmt.check_cancel(cancel)
        with dbmod.storage_errors(self.path), self._db.atomic("DEFERRED"):
            return self._export_document(company_id, progress, cancel)

    def export_json(
        self,
        target: Path | IO[bytes],
        *,
        company_id: int | None = None,
        progress: fmt.Progress | None = None,
        cancel: fmt.CancelCheck | None = None,
    ) -> dict[str, int]:
        """Write the export to ``target``: a path (written whole, 0600, or not at all) or an
        open binary stream. Returns how many of each kind were written.

        ``progress(done, total)`` runs as interviews are read and then written; ``cancel``
        (a callable returning True to stop) raises ``exchange.Cancelled`` and leaves an
        existing file at ``target`` as it was.
        """
        document = self.export_document(company_id=company_id, progress=progress,
                                        cancel=cancel)
        chunks = _chunks(document, progress, cancel)
        if isinstance(target, Path):
            fmt.write_atomically(target, chunks)
        else:
            for chunk in chunks:
                target.write(chunk)
            target.flush()
        return _counts(document)

    def _export_document(
        self, company_id: int | None, progress: fmt.Progress | None,
        cancel: fmt.CancelCheck | None,
    ) -> dict[str, Any]:
        rows = self._rows
        companies = {
            cid: {"uuid": fmt.uuid_text(u), "name": name, "created_at": fmt.time_text(c),
                  "updated_at": fmt.time_text(up), "trashed_at": fmt.time_text(t)}
            for cid, u, name, c, up, t in rows(
                'SELECT id, uuid, name, created_at, updated_at, trashed_at FROM company')
        }
        people = {
            pid: (cid, {"uuid": fmt.uuid_text(u), "company": companies[cid]["uuid"],
                        "name": name, "title": title})
            for pid, u, cid, name, title in rows(
                'SELECT id, uuid, company_id, name, title FROM person')
        }
        topics = {
            tid: {"uuid": fmt.uuid_text(u), "name": name}
            for tid, u, name in rows('SELECT id, uuid, name FROM tag')
        }
        where = "" if company_id is None else f" WHERE company_id = {int(company_id)}"
        columns = ", ".join(f'"{c}"' for c in _INTERVIEW_COLUMNS)
        found = rows(f'SELECT id, uuid, company_id, {columns} FROM interview{where}')
        if company_id is not None and company_id not in companies:
            raise InvalidInput("That company no longer exists.")
        wanted = {row[0] for row in found}
        links = _grouped(rows(
            'SELECT interview_id, person_id FROM interview_person '
            'ORDER BY interview_id, position, person_id'), wanted)
        tags = _grouped(rows(
            'SELECT interview_id, tag_id FROM interview_tag '
            'ORDER BY interview_id, position, tag_id'), wanted)
        questions = _grouped(rows(
            'SELECT interview_id, uuid, question, answer, next_time, practise FROM question '
            'ORDER BY interview_id, position, id'), wanted)
        items = _grouped(rows(
            'SELECT interview_id, uuid, text, done, done_at FROM action_item '
            'ORDER BY interview_id, position, id'), wanted)
        interviews: dict[int, dict[str, Any]] = {}
        total = len(found)
        for done, (iid, u, cid, *values) in enumerate(found, 1):
            if done % _STEP == 0:
                fmt.check_cancel(cancel)
                if progress is not None:
                    progress(done, total)
            entry: dict[str, Any] = {"uuid": fmt.uuid_text(u), "company": companies[cid]["uuid"]}
            for column, value in zip(_INTERVIEW_COLUMNS, values, strict=True):
                if column in _TIMES:
                    value = fmt.time_text(value)
                elif column == "date":
                    value = fmt.day_text(value)
                elif column in _FLAGS:
                    value = bool(value)
                entry[column] = value
            entry["interviewers"] = [people[p][1]["uuid"] for (p,) in links.get(iid, ())]
            entry["topics"] = [topics[t]["uuid"] for (t,) in tags.get(iid, ())]
            entry["questions"] = [
                {"uuid": fmt.uuid_text(qu), "question": q, "answer": a, "next_time": n,
                 "practise": bool(p)}
                for qu, q, a, n, p in questions.get(iid, ())
            ]
            entry["action_items"] = [
                {"uuid": fmt.uuid_text(au), "text": text, "done": bool(d),
                 "done_at": fmt.time_text(at)}
                for au, text, d, at in items.get(iid, ())
            ]
            interviews[iid] = entry
        uuid_of = {iid: entry["uuid"] for iid, entry in interviews.items()}
        sessions = [
            _session(row, uuid_of)
            for row in rows(
                'SELECT uuid, kind, interview_id, started_at, planned_seconds, '
                'extended_seconds, pauses, held, warned, ended_at, ending FROM timer_session')
            if company_id is None or row[2] in uuid_of
        ]
        settings: dict[str, Any] = {}
        if company_id is not None:
            used_people = {p for iid in wanted for (p,) in links.get(iid, ())}
            used_people |= {pid for pid, (cid, _) in people.items() if cid == company_id}
            people = {pid: people[pid] for pid in used_people}
            used_companies = {company_id} | {cid for cid, _ in people.values()}
            companies = {cid: companies[cid] for cid in used_companies}
            used_topics = {t for iid in wanted for (t,) in tags.get(iid, ())}
            topics = {tid: topics[tid] for tid in used_topics}
        else:
            settings = self._export_settings()
        if progress is not None:
            progress(total, total)
        return {
            "format": fmt.FORMAT_NAME,
            "version": fmt.FORMAT_VERSION,
            "exported_at": fmt.time_text(self._now()),
            "app_version": __version__,
            "company": None if company_id is None else companies[company_id]["uuid"],
            "settings": settings,
            "companies": _by_uuid(companies.values()),
            "people": _by_uuid(entry for _, entry in people.values()),
            "topics": _by_uuid(topics.values()),
            "interviews": _by_uuid(interviews.values()),
            "timer_sessions": _by_uuid(sessions),
        }

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._db.execute_sql(sql).fetchall()
        return rows

    def _export_settings(self) -> dict[str, Any]:
        import json

        found = {}
        for key, value in self._rows('SELECT "key", "value" FROM setting'):
            if key == SESSION_OPEN_KEY:
                continue
            try:
                found[key] = json.loads(value)
            except ValueError:  # not written by the app: left out, and said in the log
                log.warning("a setting that is not JSON was left out of the export")
        return dict(sorted(found.items()))

    # ----------------------------------------------------------------- import

    def plan_import(self, document: Mapping[str, Any]) -> ImportReport:
        """What importing ``document`` (checked by ``exchange.check_document``) would do,
        per kind; changes nothing (a dry run)."""
        check_values(document)
        with dbmod.storage_errors(self.path), self._db.atomic("DEFERRED"):
            return make_plan(self._db, document).report(dry_run=True)

    def import_json(
        self,
        source: Path | Mapping[str, Any],
        *,
        dry_run: bool = False,
        backup: Callable[[], object] | None = None,
        progress: fmt.Progress | None = None,
        cancel: fmt.CancelCheck | None = None,
    ) -> ImportReport:
        """Import an export file (or a document already read): merged by UUID, in one
        transaction, all or nothing. Returns what it did (with ``dry_run``, what it would do,
        changing nothing).

        A file that cannot be used raises ``exchange.BadExport`` (``InvalidInput``) with one
        sentence, the journal untouched. Before anything is written, ``backup()`` runs (its
        result is in ``ImportReport.backup``); nothing is backed up when nothing would change.
        ``progress(done, total)`` counts entities written; ``cancel`` (a callable returning
        True to stop) rolls everything back and raises ``exchange.Cancelled``.

        A document passed in is checked again here, and its names and roles are cleaned in
        place as the Journal cleans what is typed (spaces folded, ends trimmed). Run it in a
        worker: the write lock is held for the transaction (a few seconds for thousands of
        interviews), and autosave waits for it.
        """
        document = fmt.read_export(source) if isinstance(source, Path) else source
        if not isinstance(source, Path):
            fmt.check_document(source)
        fmt.check_cancel(cancel)
        planned = self.plan_import(document)
        if dry_run or not planned.changes:
            return planned if dry_run else planned.done(None)
        fmt.check_cancel(cancel)
        made = backup() if backup is not None else None
        try:
            with self._write():
                plan = make_plan(self._db, document)
                applied = apply_plan(self._db, plan, document, progress, cancel)
                for kind, keys, op in applied.changes:
                    self._changed(kind, keys, op)
                self._reindex_imported(applied.reindex)
        except (peewee.IntegrityError, sqlite3.IntegrityError) as error:
            raise fmt.BadExport(
                f"The file contradicts the journal ({error}); nothing was imported."
            ) from error
        return plan.report(dry_run=False).done(made)

    def _reindex_imported(self, interview_ids: set[int]) -> None:
        """Index what an import wrote in one go (``search.index_many``), in a savepoint; if
        that fails, each interview is marked for the usual one-by-one indexing at commit,
        which queues any that fail again (a broken index never costs the import)."""
        from interview_journal.core import search as searchmod

        try:
            with self._db.atomic():
                searchmod.index_many(self._db, interview_ids)
        except Exception as error:  # the per-interview path below copes, or queues them
            log.warning("bulk search indexing failed (%s); indexing one by one",
                        type(error).__name__)
            self._mark(*interview_ids)
            return
        self._changed(Kind.INTERVIEW, interview_ids, Op.REINDEXED)


def _grouped(rows: list[tuple[Any, ...]], wanted: set[int]) -> dict[int, list[tuple[Any, ...]]]:
    found: dict[int, list[tuple[Any, ...]]] = {}
    for owner, *rest in rows:
        if owner in wanted:
            found.setdefault(owner, []).append(tuple(rest))
    return found


def _session(row: tuple[Any, ...], uuid_of: Mapping[int, str]) -> dict[str, Any]:
    import json

    uuid, kind, interview_id, started, planned, extended, pauses, held, warned, ended, ending = row
    return {
        "uuid": uuid,
        "kind": kind,
        "interview": uuid_of.get(interview_id) if interview_id is not None else None,
        "started_at": fmt.time_text(started),
        "planned_seconds": planned,
        "extended_seconds": extended,
        "pauses": [
            [fmt.time_text(paused), fmt.time_text(resumed)]
            for paused, resumed in json.loads(pauses)
        ],
        "held": bool(held),
        "warned": bool(warned),
        "ended_at": fmt.time_text(ended),
        "ending": ending,
    }


def _by_uuid(entries: Any) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda entry: str(entry["uuid"]))


def _counts(document: Mapping[str, Any]) -> dict[str, int]:
    counts = {kind: len(document[kind]) for kind in
              ("companies", "interviews", "people", "topics", "timer_sessions")}
    counts["questions"] = sum(len(i["questions"]) for i in document["interviews"])
    counts["action_items"] = sum(len(i["action_items"]) for i in document["interviews"])
    counts["settings"] = len(document["settings"])
    return counts


def _chunks(
    document: Mapping[str, Any], progress: fmt.Progress | None, cancel: fmt.CancelCheck | None
) -> Iterator[bytes]:
    """The document as the file holds it: one entity per line, so that two exports compare
    line by line (``diff``), in a fixed order of keys."""
    import json

    head = {key: document[key] for key in
            ("format", "version", "exported_at", "app_version", "company")}
    yield ("{\n" + fmt.dumps(head)[1:-1] + ",\n").encode("utf-8")
    settings = json.dumps(document["settings"], ensure_ascii=False, allow_nan=False,
                          sort_keys=True, separators=(",", ":"))
    yield f'"settings":{settings},\n'.encode()
    kinds = ("companies", "people", "topics", "interviews", "timer_sessions")
    total = len(document["interviews"])
    for number, kind in enumerate(kinds):
        entries = document[kind]
        yield f'"{kind}":['.encode()
        for index, entry in enumerate(entries):
            if kind == "interviews" and index % _STEP == 0:
                fmt.check_cancel(cancel)
                if progress is not None and index:
                    progress(index, total)
            yield (("\n" if index == 0 else ",\n") + fmt.dumps(entry)).encode("utf-8")
        ending = "\n]" if entries else "]"
        yield (ending + (",\n" if number < len(kinds) - 1 else "\n}\n")).encode()

