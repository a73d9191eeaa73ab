"""JSON export and import in core (docs/data-safety.md): round trips, merge rules, announcing.

Every journal is a real SQLite file. Round trips export, import into an empty folder and
export again; the two files must be the same bytes (the clock is fake, so even
``exported_at`` agrees).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_journal import cli
from interview_journal.core import exchange as fmt
from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.clock import FakeClock
from interview_journal.core.generator import generate
from interview_journal.core.journal import (
    MAX_LINE,
    MAX_NAME,
    MAX_TEXT,
    TEXT_SECTIONS,
    Journal,
)
from interview_journal.core.timers import TimerSession

from .journal_support import dump, populate
from .test_journal_roundtrip import SAMPLES

LONG_WORD = "x" * 10_000
TEXTS = [*SAMPLES.values(), LONG_WORD, "", "SELECT * FROM interview; DROP TABLE company; --",
         "# Heading\n\n* item `code` [link](http://x) | a | b |\n> quote"]
NAMES = ["Acme", "Ünïcødé GmbH", "株式会社テスト", "שלום בע״מ", "O'Reilly & <Sons>",
         "Robert'); DROP TABLE company;--", "👩\u200d💻 Labs", "e\u0301cole", "مرحبا"]


def _export(journal: Journal, path: Path, **kwargs: object) -> bytes:
    journal.export_json(path, **kwargs)  # type: ignore[arg-type]
    return path.read_bytes()


@contextmanager
def _opened(folder: Path, clock: FakeClock) -> Iterator[Journal]:
    """A journal opened for a few steps. Journals are used one at a time: the models are
    bound to the one opened last."""
    with Journal.open(folder, clock=clock) as journal:
        yield journal


def _populated_export(tmp_path: Path, clock: FakeClock, name: str = "out.json") -> Path:
    """A populated journal in ``a/``, exported to ``name``."""
    with _opened(tmp_path / "a", clock) as journal:
        populate(journal)
        journal.export_json(tmp_path / name)
    return tmp_path / name


def _backend(journal: Journal) -> int:
    [row] = [r for c in journal.companies() for r in journal.interviews(c.id)
             if r.role == "Backend engineer"]
    return row.id


def _round_trip(journal: Journal, folder: Path, clock: FakeClock) -> tuple[bytes, bytes]:
    """Export ``journal`` (then closed), import into an empty folder, export again."""
    first = _export(journal, folder / "first.json")
    journal.close()
    with Journal.open(folder / "copy", clock=clock) as copy:
        report = copy.import_json(folder / "first.json")
        assert not report.dry_run
        second = _export(copy, folder / "second.json")
    return first, second


# --------------------------------------------------------------------------- round trips


def test_a_populated_journal_round_trips_to_the_same_bytes(
    journal: Journal, tmp_path: Path, clock: FakeClock
) -> None:
    populate(journal)
    first, second = _round_trip(journal, tmp_path, clock)
    assert first == second
    document = json.loads(first)
    assert list(document)[:5] == ["format", "version", "exported_at", "app_version", "company"]
    assert (document["format"], document["version"]) == ("interview-journal", 1)
    assert document["exported_at"] == "2026-03-02T09:00:00Z"
    assert [c["name"] for c in document["companies"]] == sorted(
        [c["name"] for c in document["companies"]],
        key=lambda n: next(c["uuid"] for c in document["companies"] if c["name"] == n))
    assert any(c["trashed_at"] for c in document["companies"])
    assert document["settings"] == {"reflection_minutes": 30}


def test_every_field_of_an_interview_is_exported(journal: Journal, tmp_path: Path) -> None:
    world = populate(journal)
    journal.update_interview(world.interview, format="video", location="https://x", notes="n",
                             outcome="advanced", want_to_work_here=5)
    journal.snooze_reminder(world.interview, datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    journal.update_action_item(world.action, done=True)
    journal.save_timer_sessions([TimerSession(
        uuid="s-1", kind="reflection", interview_id=world.interview,
        started_at=datetime(2026, 3, 1, 15, 0, tzinfo=UTC), planned_seconds=1800,
        pauses=((datetime(2026, 3, 1, 15, 5, tzinfo=UTC), None),), held=True)])
    document = json.loads(_export(journal, tmp_path / "out.json"))
    [interview] = [i for i in document["interviews"] if i["role"] == "Backend engineer"]
    assert set(interview) == {
        "uuid", "company", "role", "stage", "format", "date", "starts_at", "duration_minutes",
        "location", "outcome", "self_rating", "want_to_work_here", *TEXT_SECTIONS,
        "reflection_started_at", "reflected_at", "snoozed_until", "reminder_dismissed",
        "created_at", "updated_at", "trashed_at", "interviewers", "topics", "questions",
        "action_items",
    }
    assert interview["starts_at"] == "2026-03-01T14:00:00Z"
    assert interview["snoozed_until"] == "2026-03-03T08:00:00Z"
    assert interview["date"] == "2026-03-01"
    people = {p["uuid"]: p["name"] for p in document["people"]}
    assert [people[u] for u in interview["interviewers"]] == ["Ada Lovelace", "Grace Hopper"]
    topics = {t["uuid"]: t["name"] for t in document["topics"]}
    assert [topics[u] for u in interview["topics"]] == ["Caching", "SQL"]
    assert interview["action_items"][0]["done"] is True
    assert interview["action_items"][0]["done_at"] == "2026-03-02T09:00:00Z"
    [session] = document["timer_sessions"]
    assert session["interview"] == interview["uuid"]
    assert session["pauses"] == [["2026-03-01T15:05:00Z", None]]
    fmt.check_document(document)  # what the app writes passes its own published schema


def test_session_state_is_not_exported(journal: Journal, tmp_path: Path) -> None:
    journal.begin_session()
    assert json.loads(_export(journal, tmp_path / "out.json"))["settings"] == {}


def test_a_generated_journal_round_trips(tmp_path: Path, clock: FakeClock) -> None:
    with Journal.open(tmp_path / "generated", clock=clock) as journal:
        generate(journal, "small", 3)
        first, second = _round_trip(journal, tmp_path, clock)
    assert first == second
    document = json.loads(first)
    assert len(document["interviews"]) == 25
    assert sum(len(i["questions"]) for i in document["interviews"]) > 0


_TEXT = st.one_of(
    st.sampled_from(TEXTS),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=40),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    companies=st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.lists(st.tuples(_TEXT, _TEXT, st.lists(_TEXT, max_size=2)), max_size=3),
        ),
        min_size=1, max_size=3,
    )
)
def test_edge_case_text_round_trips_exactly(
    companies: list[tuple[str, list[tuple[str, str, list[str]]]]]
) -> None:
    clock = FakeClock()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with Journal.open(folder / "data", clock=clock) as journal:
            for number, (name, interviews) in enumerate(companies):
                company = journal.create_company(f"{name} {number}").company.id
                for section_text, question_text, items in interviews:
                    doc = journal.create_interview(company, role=NAMES[number])
                    journal.update_interview(doc.id, **dict.fromkeys(TEXT_SECTIONS, section_text))
                    journal.add_question(doc.id, question_text, section_text, LONG_WORD)
                    for item in items:
                        journal.add_action_item(doc.id, item)
                    journal.set_topics(doc.id, [f"{name} topic"])
                    journal.add_interviewer(doc.id, f"{name} person", "<b>title</b>")
                    clock.advance(seconds=1)
            first, second = _round_trip(journal, folder, clock)
            assert first == second
            back = json.loads(second)
            texts = [i["went_well"] for i in back["interviews"]]
            assert sorted(texts) == sorted(t for _n, its in companies for t, _q, _i in its)


# --------------------------------------------------------------------------- merging


def test_import_into_an_empty_journal_is_announced_and_searchable(
    tmp_path: Path, clock: FakeClock
) -> None:
    export = _populated_export(tmp_path, clock)
    with _opened(tmp_path / "b", clock) as other:
        heard: list[Changes] = []
        other.observe(heard.append)

        report = other.import_json(export)

        assert report.counts["companies"].new == 3
        assert report.counts["interviews"].new == 2
        assert report.counts["questions"].new == 1
        assert report.counts["people"].new == 2
        assert report.counts["settings"].new == 1
        [changes] = heard
        assert len(changes.ids(Kind.INTERVIEW, Op.CREATED)) == 2
        assert len(changes.ids(Kind.COMPANY, Op.CREATED)) == 3
        assert changes.ids(Kind.QUESTION, Op.CREATED)
        assert changes.keys(Kind.SETTING) == {"reflection_minutes"}
        assert changes.affects_lists
        assert changes.affects_search
        assert [hit.company for hit in other.search("rate limiter").hits] == ["Acme"]
        assert other.check_search_index(deep=True).ok


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, clock: FakeClock) -> None:
    export = _populated_export(tmp_path, clock)
    with _opened(tmp_path / "b", clock) as other:
        other.import_json(export)
        before = dump(other)
        heard: list[Changes] = []
        other.observe(heard.append)
        backups: list[int] = []

        report = other.import_json(export, backup=lambda: backups.append(1))

        assert not report.changes
        assert report.counts["interviews"].unchanged == 2
        assert report.counts["companies"].unchanged == 3
        assert report.counts["people"].unchanged == 2
        assert report.counts["settings"].unchanged == 1
        assert dump(other) == before
        assert heard == []
        assert backups == []


def test_the_newer_interview_wins_and_the_older_is_kept(
    tmp_path: Path, clock: FakeClock
) -> None:
    v1 = _populated_export(tmp_path, clock, "v1.json")
    with _opened(tmp_path / "b", clock) as other:
        other.import_json(v1)
    clock.advance(minutes=5)
    with _opened(tmp_path / "a", clock) as journal:
        journal.update_interview(_backend(journal), went_well="Changed on the laptop")
        journal.export_json(tmp_path / "v2.json")
    with _opened(tmp_path / "b", clock) as other:
        report = other.import_json(tmp_path / "v2.json")

        counts = report.counts["interviews"]
        assert (counts.updated, counts.unchanged) == (1, 1)
        row = _backend(other)
        assert other.interview(row).went_well == "Changed on the laptop"
        clock.advance(minutes=5)
        other.update_interview(row, went_well="Changed later on the desktop")

        again = other.import_json(tmp_path / "v2.json")

        assert again.counts["interviews"].kept == 1
        assert not again.changes
        assert other.interview(row).went_well == "Changed later on the desktop"


def test_nothing_the_file_lacks_is_deleted(tmp_path: Path, clock: FakeClock) -> None:
    v1 = _populated_export(tmp_path, clock, "v1.json")
    with _opened(tmp_path / "b", clock) as other:
        other.import_json(v1)
        mine = other.add_question(_backend(other), "Only on the desktop")
        kept_company = other.create_company("Only here").company.id
    clock.advance(minutes=5)
    with _opened(tmp_path / "a", clock) as journal:
        journal.add_question(_backend(journal), "Added on the laptop")
        journal.export_json(tmp_path / "v2.json")
    with _opened(tmp_path / "b", clock) as other:
        report = other.import_json(tmp_path / "v2.json")

        assert report.counts["questions"].new == 1
        row = _backend(other)
        questions = [q.question for q in other.questions(row)]
        assert questions == ["Design a rate limiter", "Added on the laptop",
                             "Only on the desktop"]
        assert mine.id in {q.id for q in other.questions(row)}
        assert other.company(kept_company).name == "Only here"


def test_a_company_of_the_same_name_is_the_same_company(
    tmp_path: Path, clock: FakeClock
) -> None:
    export = _populated_export(tmp_path, clock)
    with _opened(tmp_path / "b", clock) as other:
        mine = other.create_company("ACME").company.id

        report = other.import_json(export)

        assert report.counts["companies"].kept == 1
        assert [r.role for r in other.interviews(mine)] == ["Backend engineer"]
        assert other.company(mine).name == "ACME"


def test_a_dry_run_changes_nothing_and_says_what_would_happen(
    tmp_path: Path, clock: FakeClock
) -> None:
    export = _populated_export(tmp_path, clock)
    with _opened(tmp_path / "b", clock) as other:
        before = dump(other)

        report = other.import_json(export, dry_run=True)

        assert report.dry_run
        assert report.changes
        assert report.counts["interviews"].new == 2
        assert "interviews: 2 new, 0 updated, 0 unchanged, 0 kept" in report.lines()
        assert dump(other) == before


def test_the_backup_runs_once_before_the_write(tmp_path: Path, clock: FakeClock) -> None:
    export = _populated_export(tmp_path, clock)
    with _opened(tmp_path / "b", clock) as other:
        seen: list[str] = []

        def backup() -> str:
            seen.append(dump(other))
            return "the copy"

        report = other.import_json(export, backup=backup)

        assert report.backup == "the copy"
        assert len(seen) == 1
        assert "Backend engineer" not in seen[0]


def test_a_cancelled_import_changes_nothing(tmp_path: Path, clock: FakeClock) -> None:
    export = _populated_export(tmp_path, clock)
    with _opened(tmp_path / "b", clock) as other:
        before = dump(other)
        steps: list[tuple[int, int]] = []

        def progress(done: int, total: int) -> None:
            steps.append((done, total))

        with pytest.raises(fmt.Cancelled):
            other.import_json(export, progress=progress, cancel=lambda: bool(steps))

        assert steps
        assert dump(other) == before
        finished: list[tuple[int, int]] = []
        other.import_json(export, progress=lambda d, t: finished.append((d, t)))
        assert finished[-1][0] == finished[-1][1]


def test_a_cancelled_export_leaves_the_old_file(journal: Journal, tmp_path: Path) -> None:
    populate(journal)
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    with pytest.raises(fmt.Cancelled):
        journal.export_json(target, cancel=lambda: True)

    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out.json"]


def test_one_company_is_exported_with_what_it_uses(journal: Journal, tmp_path: Path) -> None:
    world = populate(journal)
    document = json.loads(_export(journal, tmp_path / "acme.json", company_id=world.acme))
    assert [c["name"] for c in document["companies"]] == ["Acme"]
    assert document["company"] == document["companies"][0]["uuid"]
    assert [i["role"] for i in document["interviews"]] == ["Backend engineer"]
    assert {p["name"] for p in document["people"]} == {"Ada Lovelace", "Grace Hopper"}
    assert document["settings"] == {}
    fmt.check_document(document)


# --------------------------------------------------------------------------- hostile files


def _valid(journal: Journal, tmp_path: Path) -> str:
    populate(journal)
    return _export(journal, tmp_path / "valid.json").decode("utf-8")


def _interview_patch(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


HOSTILE: dict[str, tuple[object, str]] = {
    "latin-1": (lambda v: v.replace("Acme", "Acmé").encode("latin-1"), "not UTF-8"),
    "utf-16": (lambda v: v.encode("utf-16"), "UTF-16"),
    "truncated": (lambda v: v[: len(v) // 2], "ends before it is complete"),
    "empty": (lambda v: "", "is empty"),
    "garbage": (lambda v: "hello world", "not valid JSON"),
    "5000 digits": (lambda v: _interview_patch(v, '"duration_minutes":60',
                                               '"duration_minutes":' + "9" * 5000),
                    "number of 5,000 digits"),
    "deep nesting": (lambda v: "[" * 100_000 + "]" * 100_000, "nests"),
    "NaN": (lambda v: _interview_patch(v, '"self_rating":4', '"self_rating":NaN'), "NaN"),
    "Infinity": (lambda v: _interview_patch(v, '"self_rating":4', '"self_rating":-Infinity'),
                 "-Infinity"),
    "huge float": (lambda v: _interview_patch(v, '"self_rating":4', '"self_rating":1e999'),
                   "too large"),
    "duplicate key": (lambda v: _interview_patch(v, '"self_rating":4',
                                                 '"self_rating":4,"self_rating":5'), "twice"),
    "lone surrogate": (lambda v: _interview_patch(v, '"notes":""', '"notes":"\\ud800"'),
                       "unpaired surrogate"),
    "NUL": (lambda v: _interview_patch(v, '"notes":""', '"notes":"a\\u0000b"'),
            "NUL character"),
    "not an export": (lambda v: '{"hello": 1}', "not an Interview Journal export"),
    "newer format": (lambda v: v.replace('"version":1', '"version":2', 1), "newer version"),
    "wrong type": (lambda v: _interview_patch(v, '"duration_minutes":60',
                                              '"duration_minutes":"60"'),
                   "duration_minutes must be integer"),
    "a float for a whole number": (lambda v: _interview_patch(v, '"duration_minutes":60',
                                                              '"duration_minutes":60.5'),
                                   "duration_minutes"),
    "unknown key": (lambda v: _interview_patch(v, '"notes":""', '"notes":"","extra":1'),
                    "must not contain"),
    "50 MB string": (lambda v: _interview_patch(v, '"notes":""',
                                                '"notes":"' + "a" * 50_000_000 + '"'),
                     "notes must be shorter than or equal to 2000000 characters"),
    "200k interviews": (lambda v: '{"format":"interview-journal","version":1,"interviews":['
                        + ",".join(['{"went_well":""}'] * 200_000) + "]}",
                        "more than 100,000 interviews"),
    "unknown stage": (lambda v: _interview_patch(v, '"stage":"technical"', '"stage":"chat"'),
                      "Stage must be one of"),
    "impossible date": (lambda v: _interview_patch(v, '"date":"2026-03-01"',
                                                   '"date":"2026-02-30"'),
                        "not a possible date"),
    "control character in a name": (lambda v: v.replace('"name":"Acme"',
                                                        '"name":"Ac\\u001bme"', 1),
                                    "control character"),
    "dangling reference": (lambda v: _interview_patch(
        v, '"company":"', '"company":"00000000-0000-4000-8000-00000000000'), "company"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_a_hostile_file_is_refused_with_one_sentence_and_changes_nothing(
    journal: Journal, tmp_path: Path, case: str
) -> None:
    make, expected = HOSTILE[case]
    content = make(_valid(journal, tmp_path))  # type: ignore[operator]
    path = tmp_path / "hostile.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = dump(journal)
    file_before = journal.path.read_bytes()

    with pytest.raises(fmt.BadExport) as raised:
        journal.import_json(path)

    message = str(raised.value)
    assert expected in message, message
    assert "\n" not in message
    assert len(message) < 400
    assert dump(journal) == before
    assert journal.path.read_bytes() == file_before


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(
    journal: Journal, tmp_path: Path
) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: takes no disk space
        handle.truncate(fmt.MAX_FILE_BYTES + 1)
    with pytest.raises(fmt.BadExport, match="at most 200 MB"):
        journal.import_json(path)


# --------------------------------------------------------------------------- the format


def test_the_published_schema_keeps_the_journals_limits() -> None:
    schema = fmt.schema()
    defs = schema["definitions"]
    assert defs["text"]["maxLength"] == MAX_TEXT
    assert defs["name"]["maxLength"] == MAX_NAME
    assert defs["interview"]["properties"]["location"]["maxLength"] == MAX_LINE
    assert defs["interview"]["properties"]["role"]["maxLength"] == MAX_NAME
    assert schema["properties"]["interviews"]["maxItems"] == fmt.MAX_INTERVIEWS
    assert schema["properties"]["version"]["const"] == fmt.FORMAT_VERSION
    assert set(defs["interview"]["required"]) >= set(TEXT_SECTIONS)


def test_the_command_line_offers_the_formats_core_writes() -> None:
    assert cli.EXPORT_FORMATS == fmt.EXPORT_FORMATS


def test_times_are_utc_with_a_z(journal: Journal, tmp_path: Path, clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC))
    acme = journal.create_company("Acme").company.id
    journal.create_interview(acme, on=date(2026, 3, 4),
                             starts_at=datetime(2026, 3, 4, 13, 0, tzinfo=UTC) + timedelta())
    document = json.loads(_export(journal, tmp_path / "out.json"))
    assert document["companies"][0]["created_at"] == "2026-03-02T09:00:00.123456Z"
    assert document["interviews"][0]["starts_at"] == "2026-03-04T13:00:00Z"
