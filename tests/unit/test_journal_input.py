"""Journal: bad input and missing ids are refused with a message a user can act on, and the
file is left exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

import pytest

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput, JournalError, NotFound
from interview_journal.core.journal import MAX_TEXT, TEXT_SECTIONS, Journal, QuestionRow

from .journal_support import World, dump, populate

Call = Callable[[Journal, World], object]

LONG_TEXT = "x" * (MAX_TEXT + 1)
SURROGATE = "\ud800"
NUL = "\x00"
BAD_DURATION = ("Duration", "between 1 minute and 1440 minutes")
NOT_MINUTES = ("Duration", "whole number of minutes")
BAD_RATING = ("whole number from 1 to 5",)
UNPAIRED = ("cannot be saved", "surrogate")
HAS_NUL = ("NUL character",)
EMPTY = ("cannot be empty",)


@pytest.fixture
def world(journal: Journal) -> World:
    return populate(journal)


def _refused(
    journal: Journal,
    clock: FakeClock,
    world: World,
    call: Call,
    error: type[JournalError],
    words: tuple[str, ...],
) -> None:
    before = dump(journal)
    doc_before = journal.interview(world.interview)
    clock.advance(hours=1)  # so a stray touch of updated_at would show in the dump

    with pytest.raises(error) as caught:
        call(journal, world)

    message = str(caught.value)
    assert caught.value.message == message
    for word in words:
        assert word.lower() in message.lower(), (word, message)
    assert message.endswith("."), message
    assert len(message) < 300, "the message must not echo the whole input"
    assert dump(journal) == before
    assert journal.interview(world.interview) == doc_before


# --------------------------------------------------------------------------- bad input


def _p(call: Call, *words: str, id: str) -> object:
    return pytest.param(call, words, id=id)


COMPANY_CASES = [
    _p(lambda j, w: j.create_company(""), "Company name", *EMPTY, id="create-empty"),
    _p(lambda j, w: j.create_company(" \t\n "), *EMPTY, id="create-whitespace"),
    _p(lambda j, w: j.create_company("\u3000\u00a0"), *EMPTY, id="create-unicode-spaces"),
    _p(lambda j, w: j.create_company("\u200b\u200d\ufeff \u2060"), *EMPTY,
       id="create-zero-width-only"),
    _p(lambda j, w: j.rename_company(w.acme, "\u200b"), *EMPTY, id="rename-zero-width"),
    _p(lambda j, w: j.create_company("Acme" + SURROGATE), "Company name", *UNPAIRED,
       id="create-surrogate"),
    _p(lambda j, w: j.create_company("Ac" + NUL + "me"), "Company name", *HAS_NUL,
       id="create-nul"),
    _p(lambda j, w: j.create_company("x" * 201), "too long", "200", id="create-201"),
    _p(lambda j, w: j.create_company("x" * 100_000), "too long", id="create-huge"),
    _p(lambda j, w: j.create_company(None), "must be text", id="create-none"),
    _p(lambda j, w: j.rename_company(w.acme, " BETA "), "already a company called Beta",
       id="rename-clash"),
    _p(lambda j, w: j.rename_company(w.acme, "gone  ltd"), "Gone Ltd", "(in the trash)",
       id="rename-clash-trashed"),
    _p(lambda j, w: j.rename_company(w.acme, "  "), *EMPTY, id="rename-empty"),
    _p(lambda j, w: j.rename_company(w.acme, SURROGATE), *UNPAIRED, id="rename-surrogate"),
    _p(lambda j, w: j.rename_company(w.acme, "a" + NUL), *HAS_NUL, id="rename-nul"),
    _p(lambda j, w: j.rename_company(w.acme, "x" * 201), "too long", id="rename-long"),
]

CREATE_INTERVIEW_CASES = [
    *[
        _p(lambda j, w, d=d: j.create_interview(w.acme, duration_minutes=d), *BAD_DURATION,
           id=f"create-duration-{d}")
        for d in (0, -1, -60, 1441, 100_000)
    ],
    *[
        _p(lambda j, w, d=d: j.create_interview(w.acme, duration_minutes=d), *NOT_MINUTES,
           id=f"create-duration-{d!r}")
        for d in (1.5, 60.0, "60", None, True, False)
    ],
    _p(lambda j, w: j.create_interview(w.acme, stage="ceo_chat"), "Stage must be one of",
       "Technical", "System design", id="create-stage"),
    _p(lambda j, w: j.create_interview(w.acme, role="x" * 201), "Role is too long",
       id="create-role-long"),
    _p(lambda j, w: j.create_interview(w.acme, role=NUL), "Role", *HAS_NUL, id="create-role-nul"),
    _p(lambda j, w: j.create_interview(w.acme, starts_at=datetime(2026, 3, 3, 9)),
       "time zone", id="create-naive-time"),
    _p(lambda j, w: j.create_interview(w.trashed), "Gone Ltd", "in the trash", "restore",
       id="create-in-trashed-company"),
    _p(lambda j, w: j.create_interview_for("  ", role="SRE"), *EMPTY, id="create-for-empty"),
    _p(lambda j, w: j.create_interview_for("Gamma", duration_minutes=0), *BAD_DURATION,
       id="create-for-new-company-bad-duration"),
    _p(lambda j, w: j.create_interview_for("gone ltd", stage="nope"), "Stage",
       id="create-for-trashed-company-bad-stage"),
]

UPDATE_CASES = [
    _p(lambda j, w: j.update_interview(w.interview, salary=100), "Unknown interview field",
       "salary", id="unknown-field"),
    _p(lambda j, w: j.update_interview(w.interview, date=date(2026, 3, 3)),
       "Unknown interview field", "date", id="unknown-field-date"),
    _p(lambda j, w: j.update_interview(w.interview, role="New role", zzz=1, aaa=2),
       "aaa, zzz", id="unknown-fields-with-a-good-one"),
    _p(lambda j, w: j.update_interview(w.interview, role="New role", duration_minutes=0),
       *BAD_DURATION, id="good-and-bad-field"),
    _p(lambda j, w: j.update_interview(w.interview, stage="CEO"), "Stage must be one of",
       id="stage"),
    _p(lambda j, w: j.update_interview(w.interview, stage=None), "Stage", id="stage-none"),
    _p(lambda j, w: j.update_interview(w.interview, format="carrier pigeon"),
       "Format must be one of", "Phone", "Video", "On-site", id="format"),
    _p(lambda j, w: j.update_interview(w.interview, format="Video"), "Format",
       id="format-label-not-key"),
    _p(lambda j, w: j.update_interview(w.interview, outcome=""), "Outcome must be one of",
       "Pending", "Offer", id="outcome-empty"),
    _p(lambda j, w: j.update_interview(w.interview, outcome="hired"), "Outcome",
       id="outcome-unknown"),
    *[
        _p(lambda j, w, r=r: j.update_interview(w.interview, self_rating=r),
           "Self-rating", *BAD_RATING, id=f"self-rating-{r!r}")
        for r in (0, 6, -1, 2.5, "3", True, False)
    ],
    *[
        _p(lambda j, w, r=r: j.update_interview(w.interview, want_to_work_here=r),
           "Would I want to work here", *BAD_RATING, id=f"want-{r!r}")
        for r in (0, 6, 4.0)
    ],
    *[
        _p(lambda j, w, d=d: j.update_interview(w.interview, duration_minutes=d),
           *BAD_DURATION, id=f"duration-{d}")
        for d in (0, -5, 1441)
    ],
    *[
        _p(lambda j, w, d=d: j.update_interview(w.interview, duration_minutes=d),
           *NOT_MINUTES, id=f"duration-{d!r}")
        for d in (True, 30.5, "45", None)
    ],
    _p(lambda j, w: j.update_interview(w.interview, role=None), "Role must be text",
       id="role-none"),
    _p(lambda j, w: j.update_interview(w.interview, role="r" * 201), "Role is too long",
       id="role-long"),
    _p(lambda j, w: j.update_interview(w.interview, location="l" * 1001),
       "Location or link is too long", "1,000", id="location-long"),
    _p(lambda j, w: j.update_interview(w.interview, location=SURROGATE), *UNPAIRED,
       id="location-surrogate"),
    *[
        _p(lambda j, w, s=s: j.update_interview(w.interview, **{s: "ok " + SURROGATE}),
           s.replace("_", " "), *UNPAIRED, id=f"{s}-surrogate")
        for s in TEXT_SECTIONS
    ],
    *[
        _p(lambda j, w, s=s: j.update_interview(w.interview, **{s: "a" + NUL + "b"}),
           s.replace("_", " "), *HAS_NUL, id=f"{s}-nul")
        for s in TEXT_SECTIONS
    ],
    *[
        _p(lambda j, w, s=s: j.update_interview(w.interview, **{s: LONG_TEXT}),
           s.replace("_", " "), "too long", "2,000,001", "2,000,000", id=f"{s}-long")
        for s in TEXT_SECTIONS
    ],
    _p(lambda j, w: j.update_interview(w.interview, notes=b"bytes"), "Notes must be text",
       id="notes-bytes"),
    _p(lambda j, w: j.set_schedule(w.interview, None, time(9, 0)), "Pick a date",
       id="schedule-time-without-date"),
    _p(lambda j, w: j.set_schedule(w.interview, date(2026, 3, 3), time(9), 0), *BAD_DURATION,
       id="schedule-duration-0"),
    _p(lambda j, w: j.set_schedule(w.interview, date(2026, 3, 3), None, 1441), *BAD_DURATION,
       id="schedule-duration-1441"),
    _p(lambda j, w: j.set_schedule(w.interview, date(2026, 3, 3), None, True), *NOT_MINUTES,
       id="schedule-duration-bool"),
    _p(lambda j, w: j.move_interview(w.interview, ""), *EMPTY, id="move-empty"),
    _p(lambda j, w: j.move_interview(w.interview, "New" + NUL), *HAS_NUL, id="move-nul"),
]

PART_CASES = [
    _p(lambda j, w: j.add_question(w.interview, "Why" + SURROGATE), "Question", *UNPAIRED,
       id="question-surrogate"),
    _p(lambda j, w: j.add_question(w.interview, "ok", answer=NUL), "Answer", *HAS_NUL,
       id="answer-nul"),
    _p(lambda j, w: j.add_question(w.interview, next_time=LONG_TEXT),
       "How I'd answer next time is too long", id="next-time-long"),
    _p(lambda j, w: j.add_question(w.interview, question=None), "Question must be text",
       id="question-none"),
    _p(lambda j, w: j.update_question(w.question, answer2="x"), "Unknown question field",
       "answer2", id="question-unknown-field"),
    _p(lambda j, w: j.update_question(w.question, answer="fine", interview=5),
       "Unknown question field", "interview", id="question-field-and-unknown"),
    _p(lambda j, w: j.update_question(w.question, question=NUL), *HAS_NUL,
       id="update-question-nul"),
    _p(lambda j, w: j.add_question(w.interview, "ok", practise="yes"),
       "Practise this must be true or false", id="question-practise-text"),
    _p(lambda j, w: j.update_question(w.question, practise=1),
       "Practise this must be true or false", id="update-question-practise-int"),
    _p(lambda j, w: j.add_action_item(w.interview, "ok", done="no"),
       "Done must be true or false", id="action-done-text"),
    _p(lambda j, w: j.update_action_item(w.action, done=0), "Done must be true or false",
       id="update-action-done-int"),
    _p(lambda j, w: j.add_action_item(w.interview, "a" + NUL), "Action item", *HAS_NUL,
       id="action-nul"),
    _p(lambda j, w: j.add_action_item(w.interview, SURROGATE), "Action item", *UNPAIRED,
       id="action-surrogate"),
    _p(lambda j, w: j.add_action_item(w.interview, LONG_TEXT), "Action item is too long",
       id="action-long"),
    _p(lambda j, w: j.update_action_item(w.action, text="\udc80"), *UNPAIRED,
       id="update-action-surrogate"),
    _p(lambda j, w: j.set_topics(w.interview, [""]), "Topic", *EMPTY, id="topic-empty"),
    _p(lambda j, w: j.set_topics(w.interview, ["Graphs", "   "]), "Topic", *EMPTY,
       id="topics-one-good-one-blank"),
    _p(lambda j, w: j.set_topics(w.interview, ["a" + NUL]), *HAS_NUL, id="topic-nul"),
    _p(lambda j, w: j.set_topics(w.interview, ["t" * 201]), "Topic is too long",
       id="topic-long"),
    _p(lambda j, w: j.add_topic(w.interview, SURROGATE), "Topic", *UNPAIRED,
       id="add-topic-surrogate"),
    _p(lambda j, w: j.add_topic(w.interview, " \n "), *EMPTY, id="add-topic-blank"),
    _p(lambda j, w: j.add_interviewer(w.interview, ""), "Interviewer's name", *EMPTY,
       id="interviewer-empty"),
    _p(lambda j, w: j.add_interviewer(w.interview, "Bob", "t" * 201), "Title is too long",
       id="interviewer-title-long"),
    _p(lambda j, w: j.add_interviewer(w.interview, "Bob" + NUL), *HAS_NUL,
       id="interviewer-nul"),
    _p(lambda j, w: j.add_interviewer(w.interview, "Ada Lovelace", SURROGATE), "Title",
       *UNPAIRED, id="existing-interviewer-bad-title"),
    _p(lambda j, w: j.update_person(w.person, name="grace  HOPPER"),
       "Grace Hopper is already an interviewer", id="person-name-clash"),
    _p(lambda j, w: j.update_person(w.person, name=" "), *EMPTY, id="person-name-empty"),
    _p(lambda j, w: j.update_person(w.person, name="Ada", title=NUL), "Title", *HAS_NUL,
       id="person-title-nul"),
]

SETTING_CASES = [
    _p(lambda j, w: j.set_setting("x", float("nan")), "Setting x", "JSON", id="setting-nan"),
    _p(lambda j, w: j.set_setting("x", float("-inf")), "JSON", id="setting-inf"),
    _p(lambda j, w: j.set_setting("x", {"when": datetime(2026, 1, 1)}), "JSON",
       id="setting-object"),
    _p(lambda j, w: j.set_setting("x", "a" + SURROGATE), *UNPAIRED, id="setting-surrogate"),
    _p(lambda j, w: j.set_setting("x", {"k" + SURROGATE: 1}), *UNPAIRED,
       id="setting-surrogate-key-inside"),
    _p(lambda j, w: j.set_setting(SURROGATE, 1), "Setting name", *UNPAIRED,
       id="setting-name-surrogate"),
    _p(lambda j, w: j.set_setting("a" + NUL, 1), "Setting name", *HAS_NUL,
       id="setting-name-nul"),
    _p(lambda j, w: j.set_setting(" ", 1), "Setting name", *EMPTY, id="setting-name-empty"),
    _p(lambda j, w: j.set_settings({"reflection_minutes": 10, "b": float("nan")}), "JSON",
       id="settings-batch-one-bad"),
]


@pytest.mark.parametrize(
    ("call", "words"),
    COMPANY_CASES + CREATE_INTERVIEW_CASES + UPDATE_CASES + PART_CASES + SETTING_CASES,
)
def test_bad_input_is_refused_and_changes_nothing(
    journal: Journal, clock: FakeClock, world: World, call: Call, words: tuple[str, ...]
) -> None:
    _refused(journal, clock, world, call, InvalidInput, words)


def test_limits_themselves_are_accepted(journal: Journal, world: World) -> None:
    name = "n" * 200
    assert journal.create_company(name).company.name == name
    doc = journal.update_interview(
        world.interview,
        role="r" * 200,
        location="l" * 1000,
        duration_minutes=1440,
        self_rating=5,
        want_to_work_here=1,
    )
    assert (len(doc.role), len(doc.location), doc.duration_minutes) == (200, 1000, 1440)
    assert journal.set_schedule(world.interview, date(2026, 3, 3), None, 1).duration_minutes == 1


def test_a_name_padded_past_the_limit_is_accepted_once_trimmed(journal: Journal) -> None:
    name = "  " + "n" * 200 + "   " * 100

    assert journal.create_company(name).company.name == "n" * 200


# --------------------------------------------------------------------------- missing ids


MISSING = 987_654


def _gone_question(w: World) -> QuestionRow:
    return QuestionRow(
        id=MISSING, uuid="6f1c7a52-8a3e-4f0e-9a55-0d6c1b7f2e11", interview_id=MISSING,
        position=0, question="q", answer="", next_time="", practise=False,
    )


NOT_FOUND_CASES = [
    _p(lambda j, w: j.company(MISSING), "company no longer exists", id="company"),
    _p(lambda j, w: j.rename_company(MISSING, "X"), "company", id="rename-company"),
    _p(lambda j, w: j.trash_company(MISSING), "company", id="trash-company"),
    _p(lambda j, w: j.restore_company(MISSING), "company", id="restore-company"),
    _p(lambda j, w: j.create_interview(MISSING), "company", id="create-interview"),
    _p(lambda j, w: j.interview(MISSING), "interview no longer exists", id="interview"),
    _p(lambda j, w: j.update_interview(MISSING, role="x"), "interview", id="update-interview"),
    _p(lambda j, w: j.set_schedule(MISSING, None), "interview", id="set-schedule"),
    _p(lambda j, w: j.move_interview(MISSING, "Newco"), "interview",
       id="move-interview-to-new-company"),
    _p(lambda j, w: j.move_interview(MISSING, "gone ltd"), "interview",
       id="move-interview-to-trashed-company"),
    _p(lambda j, w: j.trash_interview(MISSING), "interview", id="trash-interview"),
    _p(lambda j, w: j.restore_interview(MISSING), "interview", id="restore-interview"),
    _p(lambda j, w: j.mark_reflected(MISSING), "interview", id="mark-reflected"),
    _p(lambda j, w: j.add_question(MISSING, "q"), "interview", id="add-question"),
    _p(lambda j, w: j.update_question(MISSING, question="x"), "question no longer exists",
       id="update-question"),
    _p(lambda j, w: j.move_question(MISSING, 0), "question", id="move-question"),
    _p(lambda j, w: j.delete_question(MISSING), "question", id="delete-question"),
    _p(lambda j, w: j.restore_question(_gone_question(w)), "interview",
       id="restore-question-without-interview"),
    _p(lambda j, w: j.add_action_item(MISSING, "a"), "interview", id="add-action"),
    _p(lambda j, w: j.update_action_item(MISSING, done=True), "action item no longer exists",
       id="update-action"),
    _p(lambda j, w: j.move_action_item(MISSING, 0), "action item", id="move-action"),
    _p(lambda j, w: j.delete_action_item(MISSING), "action item", id="delete-action"),
    _p(lambda j, w: j.set_topics(MISSING, ["SQL"]), "interview", id="set-topics"),
    _p(lambda j, w: j.add_topic(MISSING, "SQL"), "interview", id="add-topic"),
    _p(lambda j, w: j.remove_topic(MISSING, "SQL"), "interview", id="remove-topic"),
    _p(lambda j, w: j.move_topic(MISSING, "SQL", 0), "interview", id="move-topic"),
    _p(lambda j, w: j.move_topic(w.interview, "Graphs", 0), "no topic 'Graphs'",
       id="move-absent-topic"),
    _p(lambda j, w: j.add_interviewer(MISSING, "Ada"), "interview", id="add-interviewer"),
    _p(lambda j, w: j.update_person(MISSING, title="x"), "interviewer no longer exists",
       id="update-person"),
    _p(lambda j, w: j.remove_interviewer(MISSING, w.person), "interview",
       id="remove-interviewer"),
    _p(lambda j, w: j.move_interviewer(w.interview, MISSING, 0), "not on this interview",
       id="move-absent-interviewer"),
    _p(lambda j, w: j.move_interviewer(MISSING, w.person, 0), "interview",
       id="move-interviewer"),
]


@pytest.mark.parametrize(("call", "words"), NOT_FOUND_CASES)
def test_missing_ids_raise_not_found_and_change_nothing(
    journal: Journal, clock: FakeClock, world: World, call: Call, words: tuple[str, ...]
) -> None:
    _refused(journal, clock, world, call, NotFound, words)


def test_reads_of_missing_ids_are_empty(journal: Journal, world: World) -> None:
    assert journal.interviews(MISSING) == []
    assert journal.questions(MISSING) == []
    assert journal.action_items(MISSING) == []
    assert journal.interviewers(MISSING) == []
    assert journal.people(MISSING) == []


def test_an_interviewer_from_another_company_is_not_on_this_interview(
    journal: Journal, clock: FakeClock, world: World
) -> None:
    beta_doc = journal.create_interview(world.beta)
    stranger = journal.add_interviewer(beta_doc.id, "Stranger")

    _refused(
        journal, clock, world,
        lambda j, w: j.move_interviewer(w.interview, stranger.id, 0),
        NotFound, ("not on this interview",),
    )


@pytest.mark.parametrize(
    "name",
    ["Acme\x1b[31m", "Acme\x07", "\x1b]0;title\x07Acme", "Acme\x9b2J", "Ac\x7fme"],
    ids=["ESC", "BEL", "OSC", "CSI", "DEL"],
)
def test_names_with_terminal_control_characters_are_refused(
    journal: Journal, name: str
) -> None:
    with pytest.raises(InvalidInput, match="control character"):
        journal.create_company(name)
    company = journal.create_company("Acme").company.id
    with pytest.raises(InvalidInput, match="control character"):
        journal.create_interview(company, role=name)
    with pytest.raises(InvalidInput, match="control character"):
        journal.rename_company(company, name)
    assert [row.name for row in journal.companies()] == ["Acme"]


def test_white_space_in_names_is_still_folded_not_refused(journal: Journal) -> None:
    assert journal.create_company("Acme\tCorp\n").company.name == "Acme Corp"


def test_a_closed_journal_refuses_writes_instead_of_reopening(journal: Journal) -> None:
    from interview_journal.core.errors import StorageError

    journal.close()
    with pytest.raises(StorageError, match="closed"):
        journal.create_company("Acme")
