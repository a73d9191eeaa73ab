"""Journal: the ordered parts of an interview (questions, action items, topics, interviewers)
and the settings."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput, NotFound
from interview_journal.core.journal import ActionItemRow, Journal, QuestionRow


@pytest.fixture
def interview(journal: Journal) -> int:
    """An interview at Acme, with nothing in it yet."""
    acme = journal.create_company("Acme").company.id
    return journal.create_interview(acme, role="SRE").id


def _texts(journal: Journal, interview_id: int) -> list[str]:
    return [q.question for q in journal.questions(interview_id)]


def _positions_are_dense(rows: Sequence[QuestionRow | ActionItemRow]) -> bool:
    return [r.position for r in rows] == list(range(len(rows)))


# --------------------------------------------------------------------------- questions


def test_add_question(journal: Journal, clock: FakeClock, interview: int) -> None:
    clock.advance(minutes=3)

    row = journal.add_question(interview, "Why us?", "Mission", "Mention the product", True)

    assert (row.interview_id, row.position) == (interview, 0)
    assert (row.question, row.answer, row.next_time, row.practise) == (
        "Why us?", "Mission", "Mention the product", True,
    )
    assert len(row.uuid) == 36
    assert journal.questions(interview) == [row]
    assert journal.interview(interview).questions == (row,)
    assert journal.interview(interview).updated_at == clock.now()


def test_add_question_at_an_index(journal: Journal, interview: int) -> None:
    for text in ["one", "two", "three"]:
        journal.add_question(interview, text)

    journal.add_question(interview, "first", index=0)
    journal.add_question(interview, "middle", index=2)
    journal.add_question(interview, "last", index=99)

    rows = journal.questions(interview)
    assert [r.question for r in rows] == ["first", "one", "middle", "two", "three", "last"]
    assert _positions_are_dense(rows)


def test_update_question(journal: Journal, clock: FakeClock, interview: int) -> None:
    row = journal.add_question(interview, "Why us?")
    clock.advance(minutes=1)

    journal.update_question(row.id, answer="Mission")
    journal.update_question(row.id, next_time="Mention the product", practise=True)
    updated = journal.update_question(row.id, question="Why Acme?")

    assert (updated.id, updated.uuid, updated.position) == (row.id, row.uuid, 0)
    assert (updated.question, updated.answer, updated.next_time, updated.practise) == (
        "Why Acme?", "Mission", "Mention the product", True,
    )
    assert journal.update_question(row.id, practise=False).practise is False
    assert journal.questions(interview)[0].answer == "Mission"
    assert journal.interview(interview).updated_at == clock.now()


def test_move_question(journal: Journal, interview: int) -> None:
    a, b, c, d = (journal.add_question(interview, t) for t in "abcd")

    assert [r.question for r in journal.move_question(a.id, 2)] == ["b", "c", "a", "d"]
    assert [r.question for r in journal.move_question(d.id, 0)] == ["d", "b", "c", "a"]
    assert [r.question for r in journal.move_question(b.id, 99)] == ["d", "c", "a", "b"]
    assert [r.question for r in journal.move_question(c.id, -5)] == ["c", "d", "a", "b"]
    rows = journal.questions(interview)
    assert _texts(journal, interview) == ["c", "d", "a", "b"]
    assert _positions_are_dense(rows)
    assert [r.id for r in rows] == [c.id, d.id, a.id, b.id]


def test_delete_and_restore_question(journal: Journal, interview: int) -> None:
    journal.add_question(interview, "a")
    b = journal.add_question(interview, "b", "answer b", "next b", True)
    journal.add_question(interview, "c")

    snapshot = journal.delete_question(b.id)

    assert snapshot == b
    assert _texts(journal, interview) == ["a", "c"]
    assert _positions_are_dense(journal.questions(interview))

    back = journal.restore_question(snapshot)

    assert back.uuid == b.uuid
    assert back.position == 1
    assert (back.question, back.answer, back.next_time, back.practise) == (
        "b", "answer b", "next b", True,
    )
    assert _texts(journal, interview) == ["a", "b", "c"]
    assert journal.questions(interview)[1].uuid == b.uuid
    assert _positions_are_dense(journal.questions(interview))


def test_restoring_twice_changes_nothing_the_second_time(journal: Journal, interview: int) -> None:
    question = journal.delete_question(journal.add_question(interview, "q").id)
    item = journal.delete_action_item(journal.add_action_item(interview, "practise").id)
    first = (journal.restore_question(question), journal.restore_action_item(item))
    before = journal.interview(interview)

    again = (journal.restore_question(question), journal.restore_action_item(item))

    assert again == first
    assert journal.interview(interview) == before  # no second copy, not even a new time


def test_restore_question_after_the_list_shrank_appends_it(
    journal: Journal, interview: int
) -> None:
    journal.add_question(interview, "a")
    journal.add_question(interview, "b")
    c = journal.add_question(interview, "c")
    snapshot = journal.delete_question(c.id)
    journal.delete_question(journal.questions(interview)[0].id)

    back = journal.restore_question(snapshot)

    assert back.position == 1
    assert _texts(journal, interview) == ["b", "c"]


def test_questions_belong_to_their_interview(journal: Journal, interview: int) -> None:
    other = journal.create_interview(journal.interview(interview).company_id).id
    journal.add_question(interview, "mine")
    theirs = journal.add_question(other, "theirs")

    assert theirs.position == 0
    journal.delete_question(theirs.id)
    assert _texts(journal, interview) == ["mine"]


# --------------------------------------------------------------------------- action items


def test_add_action_item(journal: Journal, interview: int) -> None:
    first = journal.add_action_item(interview, "Practise SQL")
    done = journal.add_action_item(interview, "Read the paper", True)
    front = journal.add_action_item(interview, "Sleep", index=0)

    assert (first.text, first.done) == ("Practise SQL", False)
    assert (done.text, done.done, done.position) == ("Read the paper", True, 1)
    assert front.position == 0
    rows = journal.action_items(interview)
    assert [(r.text, r.done) for r in rows] == [
        ("Sleep", False), ("Practise SQL", False), ("Read the paper", True),
    ]
    assert _positions_are_dense(rows)
    assert journal.interview(interview).action_items == tuple(rows)


def test_update_action_item_text_and_done(journal: Journal, interview: int) -> None:
    item = journal.add_action_item(interview, "Practise SQL")

    ticked = journal.update_action_item(item.id, done=True)
    assert (ticked.text, ticked.done) == ("Practise SQL", True)

    renamed = journal.update_action_item(item.id, text="Practise window functions")
    assert (renamed.text, renamed.done) == ("Practise window functions", True)

    unticked = journal.update_action_item(item.id, done=False)
    assert unticked.done is False
    assert journal.action_items(interview) == [unticked]


def test_move_action_item(journal: Journal, interview: int) -> None:
    a, b, c = (journal.add_action_item(interview, t) for t in "abc")

    assert [r.text for r in journal.move_action_item(c.id, 0)] == ["c", "a", "b"]
    assert [r.text for r in journal.move_action_item(c.id, 5)] == ["a", "b", "c"]
    assert [r.id for r in journal.move_action_item(a.id, 1)] == [b.id, a.id, c.id]


def test_delete_and_restore_action_item(journal: Journal, interview: int) -> None:
    journal.add_action_item(interview, "a")
    b = journal.add_action_item(interview, "b", True)
    journal.add_action_item(interview, "c")

    snapshot = journal.delete_action_item(b.id)

    assert snapshot == b
    assert [r.text for r in journal.action_items(interview)] == ["a", "c"]
    assert _positions_are_dense(journal.action_items(interview))

    back = journal.restore_action_item(snapshot)

    assert (back.uuid, back.position, back.text, back.done) == (b.uuid, 1, "b", True)
    assert [r.text for r in journal.action_items(interview)] == ["a", "b", "c"]


# --------------------------------------------------------------------------- topics


def test_set_topics_keeps_order_and_drops_normalised_duplicates(
    journal: Journal, interview: int
) -> None:
    topics = journal.set_topics(
        interview, ["  System   design ", "SQL", "system design", "sql", "Caching"]
    )

    assert topics == ("System design", "SQL", "Caching")
    assert journal.interview(interview).topics == topics


def test_set_topics_replaces_and_clears(journal: Journal, interview: int) -> None:
    journal.set_topics(interview, ["a", "b"])

    assert journal.set_topics(interview, ["c", "a"]) == ("c", "a")
    assert journal.set_topics(interview, []) == ()
    assert journal.interview(interview).topics == ()


def test_add_remove_and_move_topics(journal: Journal, interview: int) -> None:
    assert journal.add_topic(interview, "SQL") == ("SQL",)
    assert journal.add_topic(interview, "Caching") == ("SQL", "Caching")
    assert journal.add_topic(interview, "sql ") == ("SQL", "Caching")  # already there
    assert journal.add_topic(interview, "Graphs") == ("SQL", "Caching", "Graphs")
    assert journal.move_topic(interview, "graphs", 0) == ("Graphs", "SQL", "Caching")
    assert journal.move_topic(interview, "SQL", 99) == ("Graphs", "Caching", "SQL")
    assert journal.remove_topic(interview, " CACHING") == ("Graphs", "SQL")
    assert journal.remove_topic(interview, "not there") == ("Graphs", "SQL")
    assert journal.interview(interview).topics == ("Graphs", "SQL")


def test_topics_are_reused_across_interviews(journal: Journal, interview: int) -> None:
    acme = journal.interview(interview).company_id
    other = journal.create_interview(acme).id
    beta = journal.create_company("Beta").company.id
    third = journal.create_interview(beta).id
    journal.set_topics(interview, ["SQL", "Caching"])

    # The first spelling is the topic's name everywhere.
    assert journal.set_topics(other, ["sql", "Graphs"]) == ("SQL", "Graphs")
    assert journal.add_topic(third, "SQL") == ("SQL",)
    assert journal.add_topic(third, "caching") == ("SQL", "Caching")
    assert journal.topic_names() == ["SQL", "Caching", "Graphs"]


def test_topic_names_most_used_first_and_kept_after_removal(
    journal: Journal, interview: int
) -> None:
    acme = journal.interview(interview).company_id
    others = [journal.create_interview(acme).id for _ in range(2)]
    journal.set_topics(interview, ["Zebra", "Apple", "Mango"])
    journal.set_topics(others[0], ["Mango", "Apple"])
    journal.set_topics(others[1], ["Mango"])

    assert journal.topic_names() == ["Mango", "Apple", "Zebra"]

    journal.set_topics(interview, [])
    journal.set_topics(others[0], [])

    # Unused topics stay known for completion, after the used ones, by name.
    assert journal.topic_names() == ["Mango", "Apple", "Zebra"]
    journal.set_topics(others[1], ["Zebra"])
    assert journal.topic_names() == ["Zebra", "Apple", "Mango"]


def test_move_topic_that_is_not_there(journal: Journal, interview: int) -> None:
    journal.set_topics(interview, ["SQL"])

    with pytest.raises(NotFound, match="no topic 'Caching'"):
        journal.move_topic(interview, "Caching", 0)


# --------------------------------------------------------------------------- interviewers


def test_add_interviewer(journal: Journal, interview: int) -> None:
    ada = journal.add_interviewer(interview, "  Ada   Lovelace ", " Staff engineer ")

    assert (ada.name, ada.title) == ("Ada Lovelace", "Staff engineer")
    assert ada.company_id == journal.interview(interview).company_id
    assert journal.interviewers(interview) == [ada]
    assert journal.interview(interview).interviewers == (ada,)


def test_add_interviewer_reuses_the_companys_person(journal: Journal, interview: int) -> None:
    acme = journal.interview(interview).company_id
    ada = journal.add_interviewer(interview, "Ada Lovelace", "Engineer")
    later = journal.create_interview(acme).id

    again = journal.add_interviewer(later, "ada  LOVELACE")

    assert again.id == ada.id
    assert (again.name, again.title) == ("Ada Lovelace", "Engineer")  # empty title keeps it
    promoted = journal.add_interviewer(later, "Ada Lovelace", "Staff engineer")
    assert promoted.id == ada.id
    assert promoted.title == "Staff engineer"
    assert journal.interviewers(interview)[0].title == "Staff engineer"  # everywhere
    assert [p.id for p in journal.people(acme)] == [ada.id]


def test_add_interviewer_twice_lists_them_once(journal: Journal, interview: int) -> None:
    journal.add_interviewer(interview, "Ada")
    journal.add_interviewer(interview, "Grace")

    journal.add_interviewer(interview, "ada")

    assert [p.name for p in journal.interviewers(interview)] == ["Ada", "Grace"]


def test_people_are_per_company(journal: Journal, interview: int) -> None:
    acme = journal.interview(interview).company_id
    beta = journal.create_company("Beta").company.id
    at_beta = journal.create_interview(beta).id
    acme_ada = journal.add_interviewer(interview, "Ada")
    beta_ada = journal.add_interviewer(at_beta, "Ada")
    journal.add_interviewer(interview, "zoe")
    journal.add_interviewer(interview, "Bob")

    assert acme_ada.id != beta_ada.id
    assert [p.name for p in journal.people(acme)] == ["Ada", "Bob", "zoe"]
    assert [p.id for p in journal.people(beta)] == [beta_ada.id]


def test_update_person(journal: Journal, interview: int) -> None:
    acme = journal.interview(interview).company_id
    ada = journal.add_interviewer(interview, "Ada", "Engineer")
    other = journal.create_interview(acme).id
    journal.add_interviewer(other, "Ada")

    renamed = journal.update_person(ada.id, name="  Ada  Lovelace ")
    assert (renamed.id, renamed.name, renamed.title) == (ada.id, "Ada Lovelace", "Engineer")
    retitled = journal.update_person(ada.id, title="CTO")
    assert (retitled.name, retitled.title) == ("Ada Lovelace", "CTO")
    assert journal.update_person(ada.id, name="ADA LOVELACE").name == "ADA LOVELACE"

    for interview_id in (interview, other):
        [shown] = journal.interviewers(interview_id)
        assert (shown.name, shown.title) == ("ADA LOVELACE", "CTO")
    # The new name is now how the person is found.
    assert journal.add_interviewer(other, "ada lovelace").id == ada.id


def test_update_person_name_clash(journal: Journal, interview: int) -> None:
    ada = journal.add_interviewer(interview, "Ada")
    journal.add_interviewer(interview, "Grace Hopper")

    with pytest.raises(InvalidInput, match="Grace Hopper is already an interviewer"):
        journal.update_person(ada.id, name="grace  hopper")
    assert journal.interviewers(interview)[0].name == "Ada"


def test_update_person_may_take_a_name_used_at_another_company(
    journal: Journal, interview: int
) -> None:
    ada = journal.add_interviewer(interview, "Ada")
    beta = journal.create_company("Beta").company.id
    journal.add_interviewer(journal.create_interview(beta).id, "Grace")

    assert journal.update_person(ada.id, name="Grace").name == "Grace"


def test_remove_interviewer(journal: Journal, interview: int) -> None:
    acme = journal.interview(interview).company_id
    ada, grace, alan = (journal.add_interviewer(interview, n) for n in ("Ada", "Grace", "Alan"))

    journal.remove_interviewer(interview, grace.id)

    assert [p.id for p in journal.interviewers(interview)] == [ada.id, alan.id]
    assert {p.id for p in journal.people(acme)} == {ada.id, grace.id, alan.id}  # still known
    # Positions closed up: moving to the end lands after Alan.
    assert [p.id for p in journal.move_interviewer(interview, ada.id, 1)] == [alan.id, ada.id]
    added = journal.add_interviewer(interview, "Grace")
    assert added.id == grace.id
    assert [p.id for p in journal.interviewers(interview)] == [alan.id, ada.id, grace.id]


def test_move_interviewer(journal: Journal, interview: int) -> None:
    a, b, c = (journal.add_interviewer(interview, n) for n in ("A", "B", "C"))

    assert [p.id for p in journal.move_interviewer(interview, c.id, 0)] == [c.id, a.id, b.id]
    assert [p.id for p in journal.move_interviewer(interview, c.id, 99)] == [a.id, b.id, c.id]
    assert [p.id for p in journal.move_interviewer(interview, a.id, 1)] == [b.id, a.id, c.id]
    assert [p.id for p in journal.interview(interview).interviewers] == [b.id, a.id, c.id]


# --------------------------------------------------------------------------- settings


def test_setting_default_when_unset(journal: Journal) -> None:
    assert journal.setting("reflection_minutes", 30) == 30
    assert journal.setting("missing", None) is None
    assert journal.settings() == {}


@pytest.mark.parametrize(
    "value",
    [
        0,
        45,
        -1,
        2.5,
        True,
        False,
        None,
        "",
        "Walk around the block 🚶",
        ["Stretch", "Drink water", "Look out of the window"],
        {"nested": {"list": [1, 2.0, "three", None, True]}, "ключ": "значение"},
    ],
)
def test_setting_round_trips_json_values(journal: Journal, value: object) -> None:
    journal.set_setting("value", value)

    assert journal.setting("value", "default") == value
    assert type(journal.setting("value", "default")) is type(value)
    assert journal.settings() == {"value": value}


def test_set_setting_overwrites(journal: Journal) -> None:
    journal.set_setting("reflection_minutes", 30)
    journal.set_setting("reflection_minutes", 45)

    assert journal.setting("reflection_minutes", 0) == 45
    assert journal.settings() == {"reflection_minutes": 45}


def test_set_settings_stores_several(journal: Journal) -> None:
    journal.set_setting("keep", "me")

    journal.set_settings({"reflection_minutes": 20, "break_minutes": 10, "keep": "changed"})

    assert journal.settings() == {"reflection_minutes": 20, "break_minutes": 10, "keep": "changed"}
