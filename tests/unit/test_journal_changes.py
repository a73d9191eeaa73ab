"""Every write through the Journal announces exactly what it changed, once, after it commits."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput, JournalError, StorageError
from interview_journal.core.journal import Edits, Journal

C, IV, Q, A, T, P, S, TS = (  # short names: the expected sets read as tables
    Kind.COMPANY,
    Kind.INTERVIEW,
    Kind.QUESTION,
    Kind.ACTION_ITEM,
    Kind.TOPIC,
    Kind.PERSON,
    Kind.SETTING,
    Kind.TIMER_SESSION,
)


@pytest.fixture
def heard(journal: Journal) -> Iterator[list[Changes]]:
    """What the journal announces from now on, in order."""
    announced: list[Changes] = []
    stop = journal.observe(announced.append)
    yield announced
    stop()


def only(heard: list[Changes]) -> set[tuple[Kind, int | str, Op]]:
    """The one announcement made (and clear the list for the next step)."""
    assert len(heard) == 1, [str(c) for c in heard]
    entries = set(heard[0].entries)
    heard.clear()
    return entries


def without_reindex(entries: set[tuple[Kind, int | str, Op]]) -> set[tuple[Kind, int | str, Op]]:
    return {e for e in entries if e[2] is not Op.REINDEXED}


def test_companies_announce_created_updated_trashed_restored(
    journal: Journal, heard: list[Changes]
) -> None:
    acme = journal.create_company("Acme").company.id
    assert only(heard) == {(C, acme, Op.CREATED)}
    journal.create_company("acme")  # the same company: nothing changed, nothing said
    assert heard == []
    journal.rename_company(acme, "Acme Inc")
    assert only(heard) == {(C, acme, Op.UPDATED)}
    journal.trash_company(acme)
    assert only(heard) == {(C, acme, Op.TRASHED)}
    journal.trash_company(acme)  # already there
    assert heard == []
    journal.restore_company(acme)
    assert only(heard) == {(C, acme, Op.RESTORED)}


def test_interviews_announce_each_kind_of_change(journal: Journal, heard: list[Changes]) -> None:
    acme = journal.create_company("Acme").company.id
    heard.clear()
    doc = journal.create_interview(acme, role="Engineer")
    assert only(heard) == {
        (C, acme, Op.UPDATED),
        (IV, doc.id, Op.CREATED),
        (IV, doc.id, Op.REINDEXED),
    }

    journal.update_interview(doc.id, format="video")  # not searchable, not in the lists
    assert only(heard) == {(IV, doc.id, Op.EDITED)}
    journal.update_interview(doc.id, outcome="advanced")  # search filters on it
    assert only(heard) == {(IV, doc.id, Op.UPDATED)}
    journal.update_interview(doc.id, went_well="Clear answers")
    assert only(heard) == {(IV, doc.id, Op.EDITED), (IV, doc.id, Op.REINDEXED)}
    journal.update_interview(doc.id, role="Lead")  # the tree's label shows it
    assert only(heard) == {(IV, doc.id, Op.UPDATED), (IV, doc.id, Op.REINDEXED)}
    journal.set_schedule(doc.id, date(2026, 3, 2), time(10, 0), 45)
    assert only(heard) == {(IV, doc.id, Op.UPDATED)}
    journal.mark_reflected(doc.id)
    assert only(heard) == {(IV, doc.id, Op.UPDATED)}

    moved = journal.move_interview(doc.id, "Globex")
    globex = moved.company_id
    assert without_reindex(only(heard)) == {
        (C, globex, Op.CREATED),
        (C, globex, Op.UPDATED),
        (C, acme, Op.UPDATED),
        (IV, doc.id, Op.MOVED),
    }
    journal.trash_interview(doc.id)
    assert only(heard) == {(IV, doc.id, Op.TRASHED), (C, globex, Op.UPDATED)}
    journal.restore_interview(doc.id)
    assert only(heard) == {(IV, doc.id, Op.RESTORED), (C, globex, Op.UPDATED)}


def test_restoring_an_interview_of_a_trashed_company_restores_the_company(
    journal: Journal, heard: list[Changes]
) -> None:
    doc = journal.create_interview_for("Acme")
    journal.trash_company(doc.company_id)
    heard.clear()
    journal.restore_interview(doc.id)
    assert only(heard) == {(C, doc.company_id, Op.RESTORED)}  # the interview was never trashed


def test_parts_announce_the_row_and_their_interview(journal: Journal, heard: list[Changes]) -> None:
    doc = journal.create_interview_for("Acme")
    heard.clear()
    question = journal.add_question(doc.id, "Why us?")
    assert without_reindex(only(heard)) == {(Q, question.id, Op.CREATED), (IV, doc.id, Op.EDITED)}
    journal.update_question(question.id, answer="Because")
    assert without_reindex(only(heard)) == {(Q, question.id, Op.UPDATED), (IV, doc.id, Op.EDITED)}
    second = journal.add_question(doc.id, "Weaknesses?")
    heard.clear()
    journal.move_question(second.id, 0)
    assert without_reindex(only(heard)) == {(Q, second.id, Op.MOVED), (IV, doc.id, Op.EDITED)}
    snapshot = journal.delete_question(question.id)
    assert without_reindex(only(heard)) == {(Q, question.id, Op.DELETED), (IV, doc.id, Op.EDITED)}
    back = journal.restore_question(snapshot)
    assert without_reindex(only(heard)) == {(Q, back.id, Op.RESTORED), (IV, doc.id, Op.EDITED)}

    item = journal.add_action_item(doc.id, "Practise STAR")
    assert without_reindex(only(heard)) == {(A, item.id, Op.CREATED), (IV, doc.id, Op.EDITED)}
    journal.update_action_item(item.id, done=True)
    assert without_reindex(only(heard)) == {(A, item.id, Op.UPDATED), (IV, doc.id, Op.EDITED)}
    journal.delete_action_item(item.id)
    assert without_reindex(only(heard)) == {(A, item.id, Op.DELETED), (IV, doc.id, Op.EDITED)}


def test_topics_and_people_announce_what_they_touched(
    journal: Journal, heard: list[Changes]
) -> None:
    doc = journal.create_interview_for("Acme")
    other = journal.create_interview(doc.company_id)
    heard.clear()
    journal.set_topics(doc.id, ["Kubernetes", "Go"])
    entries = without_reindex(only(heard))
    topic_ids = {key for kind, key, op in entries if kind is T and op is Op.CREATED}
    assert len(topic_ids) == 2
    assert (IV, doc.id, Op.EDITED) in entries

    person = journal.add_interviewer(doc.id, "Dana", "CTO")
    assert without_reindex(only(heard)) == {
        (P, person.id, Op.CREATED),
        (P, person.id, Op.UPDATED),  # and put on the interview
        (IV, doc.id, Op.EDITED),
    }
    journal.add_interviewer(other.id, "Dana")  # the same person, now on a second interview
    assert without_reindex(only(heard)) == {(P, person.id, Op.UPDATED), (IV, other.id, Op.EDITED)}
    journal.update_person(person.id, title="VP Engineering")  # shows on both interviews
    assert without_reindex(only(heard)) == {
        (P, person.id, Op.UPDATED),
        (IV, doc.id, Op.EDITED),
        (IV, other.id, Op.EDITED),
    }
    journal.remove_interviewer(other.id, person.id)
    assert without_reindex(only(heard)) == {(P, person.id, Op.UPDATED), (IV, other.id, Op.EDITED)}


def test_settings_and_timer_sessions_announce_their_keys(
    journal: Journal, heard: list[Changes]
) -> None:
    journal.set_settings({"a": 1, "b": 2})
    assert only(heard) == {(S, "a", Op.UPDATED), (S, "b", Op.UPDATED)}

    from interview_journal.core.timers import TimerSession

    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    session = TimerSession.from_dict(
        {"uuid": "s1", "kind": "reflection", "interview_id": None,
         "started_at": start.isoformat(), "planned_seconds": 1800}
    )
    journal.save_timer_sessions([session])
    assert only(heard) == {(TS, "s1", Op.CREATED)}
    journal.save_timer_sessions([session])
    assert only(heard) == {(TS, "s1", Op.UPDATED)}


def test_reminder_state_announces_the_interview(journal: Journal, heard: list[Changes]) -> None:
    doc = journal.create_interview_for("Acme")
    heard.clear()
    journal.snooze_reminder(doc.id, journal.clock.now() + timedelta(minutes=10))
    assert only(heard) == {(IV, doc.id, Op.UPDATED)}
    journal.dismiss_reminder(doc.id)
    assert only(heard) == {(IV, doc.id, Op.UPDATED)}
    journal.start_reflection(doc.id)
    assert only(heard) == {(IV, doc.id, Op.UPDATED)}


def test_a_merge_and_its_undo_announce_every_interview_moved(
    journal: Journal, heard: list[Changes]
) -> None:
    one = journal.create_interview_for("Acme")
    two = journal.create_interview(one.company_id)
    target = journal.create_company("Acme Inc").company.id
    heard.clear()
    record = journal.merge_companies(one.company_id, target)
    entries = without_reindex(only(heard))
    assert {(IV, one.id, Op.MOVED), (IV, two.id, Op.MOVED)} <= entries
    assert (C, one.company_id, Op.TRASHED) in entries
    assert (C, target, Op.UPDATED) in entries
    journal.unmerge(record)
    entries = without_reindex(only(heard))
    assert {(IV, one.id, Op.MOVED), (IV, two.id, Op.MOVED)} <= entries
    assert (C, one.company_id, Op.RESTORED) in entries


def test_a_transaction_announces_once_after_it_commits(
    journal: Journal, heard: list[Changes]
) -> None:
    seen_during: list[int] = []
    with journal.transaction():
        acme = journal.create_company("Acme").company.id
        doc = journal.create_interview(acme)
        journal.update_interview(doc.id, role="Engineer")
        seen_during.append(len(heard))
    assert seen_during == [0]  # nothing before the commit
    assert without_reindex(only(heard)) == {
        (C, acme, Op.CREATED),
        (C, acme, Op.UPDATED),
        (IV, doc.id, Op.CREATED),
        (IV, doc.id, Op.UPDATED),
    }


def test_a_rolled_back_transaction_announces_nothing(
    journal: Journal, heard: list[Changes]
) -> None:
    def change_then_fail() -> None:
        with journal.transaction():
            journal.create_company("Acme")
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert heard == []
    assert journal.companies() == []


def test_a_savepoint_that_rolls_back_takes_its_entries_with_it(
    journal: Journal, heard: list[Changes]
) -> None:
    with journal.transaction():
        acme = journal.create_company("Acme").company.id
        with pytest.raises(InvalidInput):
            journal.create_interview_for("Globex", duration_minutes=0)  # made, then refused
    assert only(heard) == {(C, acme, Op.CREATED)}
    assert [c.name for c in journal.companies()] == ["Acme"]


def test_a_refused_write_announces_nothing(journal: Journal, heard: list[Changes]) -> None:
    with pytest.raises(JournalError):
        journal.update_interview(12345, role="Nobody")
    with pytest.raises(InvalidInput):
        journal.create_company("   ")
    assert heard == []


def test_the_origin_is_handed_on_and_only_the_outermost_counts(
    journal: Journal, heard: list[Changes]
) -> None:
    editor, other = object(), object()
    with journal.transaction(origin=editor), journal.transaction(origin=other):
        journal.create_company("Acme")
    changes = heard.pop()
    assert changes.by(editor)
    assert not changes.by(other)
    journal.create_company("Globex")
    assert heard.pop().origin is None


def test_save_edits_announces_one_change_and_reads_back_only_when_shown(
    journal: Journal, heard: list[Changes]
) -> None:
    doc = journal.create_interview_for("Acme")
    question = journal.add_question(doc.id, "Why us?")
    heard.clear()
    saved = journal.save_edits(
        doc.id, Edits(fields={"notes": "Long day"}, questions={question.id: {"answer": "Fit"}})
    )
    assert saved.doc is None
    assert saved.moved_from is None
    assert without_reindex(only(heard)) == {(IV, doc.id, Op.EDITED), (Q, question.id, Op.UPDATED)}
    assert journal.interview(doc.id).notes == "Long day"

    saved = journal.save_edits(doc.id, Edits(company="globex", fields={"role": "Lead"}))
    assert saved.moved_from == doc.company_id
    assert saved.doc is not None
    assert saved.doc.company_name == "globex"
    assert saved.doc.role == "Lead"
    assert (IV, doc.id, Op.MOVED) in only(heard)


def test_save_edits_uses_the_company_the_name_means(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview_for("Globex")
    saved = journal.save_edits(doc.id, Edits(company="ACME inc"))
    assert saved.doc is not None
    assert saved.doc.company_id == acme


def test_an_observer_that_fails_does_not_stop_the_others(
    journal: Journal, heard: list[Changes], caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_changes: Changes) -> None:
        raise ValueError("a view broke")

    stop: Callable[[], None] = journal.observe(broken)
    later: list[Changes] = []
    journal.observe(later.append)
    journal.create_company("Acme")
    stop()
    assert len(heard) == 1
    assert len(later) == 1
    assert "observer failed" in caplog.text
    assert "Acme" not in caplog.text  # what is logged never holds what the user wrote


def test_stopped_observers_hear_nothing(journal: Journal) -> None:
    heard: list[Changes] = []
    stop = journal.observe(heard.append)
    stop()
    stop()  # twice is harmless
    journal.create_company("Acme")
    assert heard == []


def test_the_backfill_announces_what_it_reindexed(journal: Journal) -> None:
    from interview_journal.core import search as searchmod

    doc = journal.create_interview_for("Acme", role="Engineer")
    with journal.transaction():
        searchmod.mark_pending([doc.id])
    heard: list[Changes] = []
    journal.observe(heard.append)
    assert journal.reindex_pending() == 1
    assert only(heard) == {(IV, doc.id, Op.REINDEXED)}


def test_the_change_value_reads_simply() -> None:
    changes = Changes(
        frozenset(
            {(C, 1, Op.CREATED), (IV, 2, Op.MOVED), (IV, 3, Op.UPDATED), (S, "x", Op.UPDATED)}
        )
    )
    assert changes.companies == {1}
    assert changes.interviews == {2, 3}
    assert changes.ids(IV, Op.MOVED) == {2}
    assert changes.ops(IV, 3) == {Op.UPDATED}
    assert changes.keys(S) == {"x"}
    assert changes.touches(C)
    assert not changes.touches(Q)
    assert changes.touches(IV, Op.MOVED)
    assert not changes.touches(IV, Op.TRASHED)
    assert changes.affects_lists
    assert changes.affects_search
    content = Changes(frozenset({(IV, 2, Op.EDITED), (Q, 5, Op.UPDATED)}))
    assert not content.affects_lists
    assert not content.affects_search
    reindexed = Changes(frozenset({(IV, 2, Op.EDITED), (IV, 2, Op.REINDEXED)}))
    assert not reindexed.affects_lists
    assert reindexed.affects_search
    assert str(changes) == (
        "company created ×1, interview moved ×1, interview updated ×1, setting updated ×1"
    )
    assert not Changes()


def test_a_write_made_while_hearing_an_announcement_is_heard_after_it(journal: Journal) -> None:
    order: list[str] = []

    def writes_back(changes: Changes) -> None:
        if changes.touches(C, Op.CREATED):
            journal.set_setting("seen", True)

    journal.observe(writes_back)
    journal.observe(lambda changes: order.append(str(changes)))
    journal.create_company("Acme")
    assert order == ["company created ×1", "setting updated ×1"]


def test_replacing_the_file_reopens_it_and_announces_everything_once(
    journal: Journal, tmp_path: Path, clock: FakeClock
) -> None:
    journal.create_company("Acme")
    other = Journal.open(tmp_path / "other", clock=clock)
    other.create_interview_for("Globex", role="SRE")
    other_file = other.path
    other.close()
    heard: list[Changes] = []
    journal.observe(heard.append)

    def swap() -> str:
        # A restore moves the stale log aside and the backup in; here: a plain copy.
        shutil.copyfile(other_file, journal.path)
        return "swapped"

    assert journal.replace_file(swap) == "swapped"

    assert [c.name for c in journal.companies()] == ["Globex"]
    assert len(heard) == 1
    assert heard[0].replaced
    assert heard[0].affects_lists
    assert heard[0].affects_search
    journal.create_company("Initech")  # and it takes writes
    assert [c.name for c in journal.companies()] == ["Globex", "Initech"]


def test_a_failed_replacement_keeps_the_journal_and_announces_nothing(
    journal: Journal,
) -> None:
    journal.create_company("Acme")
    heard: list[Changes] = []
    journal.observe(heard.append)

    def swap() -> None:
        raise OSError("the backup could not be copied")

    with pytest.raises(OSError, match="could not be copied"):
        journal.replace_file(swap)
    assert [c.name for c in journal.companies()] == ["Acme"]
    assert heard == []
    with pytest.raises(StorageError), journal.transaction():
        journal.replace_file(lambda: None)  # not in the middle of a change
