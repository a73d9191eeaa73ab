"""The question bank (core/question_bank.py, Journal rooms in core/journal/bank.py): its
queries against brute-force oracles on generated journals, the user's split and merge kept
across reopening, and an incremental regroup equal to grouping from scratch.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from interview_journal.core.changes import Changes, Kind
from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput
from interview_journal.core.generator import Size, generate
from interview_journal.core.journal import Journal
from interview_journal.core.models import Company, Interview, InterviewTag, Question, Tag
from interview_journal.core.question_bank import (
    SAME,
    BankEntry,
    BankQuestion,
    BankSort,
    QuestionBank,
    similarity,
    terms,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MID = Size("mid", companies=30, interviews=240, reflection_bytes=800, active_companies=4)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bank") / "data"
    with Journal.open(folder, clock=FakeClock(NOW)) as journal:
        generate(journal, MID, 7)
        # Some of it in the trash: its questions are not in the bank.
        companies = journal.companies()
        journal.trash_company(companies[0].id)
        interviews = journal.interviews(companies[1].id)
        journal.trash_interview(interviews[0].id)
    return folder


@pytest.fixture
def copy(generated: Path, tmp_path: Path) -> Iterator[Journal]:
    """A journal of its own, copied from the generated one."""
    folder = tmp_path / "copy"
    shutil.copytree(generated, folder)
    journal = Journal.open(folder, clock=FakeClock(NOW))
    yield journal
    journal.close()


# --------------------------------------------------------------------------- oracles


def _live_questions() -> list[BankQuestion]:
    """Every question of a live interview, read the slow way, row by row through the models."""
    found = []
    for q in Question.select():
        interview = Interview.get_by_id(q.interview_id)
        company = Company.get_by_id(interview.company_id)
        if interview.trashed_at is not None or company.trashed_at is not None:
            continue
        if not q.question.strip():
            continue
        topics = tuple(
            Tag.get_by_id(link.tag_id).name
            for link in InterviewTag.select()
            .where(InterviewTag.interview == interview.id)
            .order_by(InterviewTag.position)
        )
        found.append(
            BankQuestion(
                id=q.id, uuid=str(q.uuid), interview_id=interview.id,
                interview_uuid=str(interview.uuid), company_id=company.id, company=company.name,
                stage=interview.stage, date=interview.date, position=q.position,
                text=q.question, answer=q.answer, next_time=q.next_time,
                practise=bool(q.practise), topics=topics,
            )
        )
    return found


def _oracle_groups(questions: list[BankQuestion]) -> list[frozenset[int]]:
    """Groups by comparing every pair of distinct wordings (no index, no prefilter)."""
    by_terms: dict[tuple[str, ...], set[int]] = {}
    for q in questions:
        by_terms.setdefault(terms(q.text, q.company), set()).add(q.id)
    variants = list(by_terms)
    parent = list(range(len(variants)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(variants):
        for j in range(i + 1, len(variants)):
            if similarity(a, variants[j]) >= SAME:
                parent[find(i)] = find(j)
    groups: dict[int, set[int]] = {}
    for i, variant in enumerate(variants):
        groups.setdefault(find(i), set()).update(by_terms[variant])
    return sorted((frozenset(g) for g in groups.values()), key=min)


def _groups(bank: QuestionBank) -> list[frozenset[int]]:
    return sorted((entry.question_ids for entry in bank.entries()), key=min)


def _order(q: BankQuestion) -> tuple[date, int, int, int]:
    return (q.date or date.min, q.interview_id, q.position, q.id)


def test_the_bank_reads_every_live_question_and_only_those(copy: Journal) -> None:
    read = sorted(copy.bank_questions(), key=lambda q: q.id)
    assert read == sorted(_live_questions(), key=lambda q: q.id)
    assert len(read) > 300


def test_groups_counts_places_answers_and_flags_match_the_oracle(copy: Journal) -> None:
    questions = _live_questions()
    by_id = {q.id: q for q in questions}
    bank = copy.question_bank()

    assert _groups(bank) == _oracle_groups(questions)
    assert len(bank) < len(questions)  # repeats were grouped
    for entry in bank.entries():
        members = sorted((by_id[i] for i in entry.question_ids), key=_order, reverse=True)
        assert entry.count == len(members)
        assert [(a.question_id, a.company, a.stage, a.date, a.interview_uuid)
                for a in entry.asked] == [
            (q.id, q.company, q.stage, q.date, q.interview_uuid) for q in members
        ]
        answered = [q.answer for q in members if q.answer.strip()]
        assert entry.latest_answer == (answered[0] if answered else "")
        noted = [q.next_time for q in members if q.next_time.strip()]
        assert entry.latest_next_time == (noted[0] if noted else "")
        assert entry.practise == any(q.practise for q in members)
        assert {t.casefold() for t in entry.topics} == {
            t.casefold() for q in members for t in q.topics
        }
        wordings = [" ".join(q.text.split()) for q in members]
        assert wordings.count(entry.text) == max(wordings.count(w) for w in wordings)
        assert entry.key == members[-1].uuid


def test_filters_and_sorting_match_the_oracle(copy: Journal) -> None:
    questions = _live_questions()
    by_id = {q.id: q for q in questions}
    bank = copy.question_bank()
    every = bank.entries()
    company_id = max(
        {q.company_id for q in questions}, key=lambda c: sum(q.company_id == c for q in questions)
    )
    stage = questions[0].stage
    topic = next(q.topics[0] for q in questions if q.topics)

    def members(entry: BankEntry) -> list[BankQuestion]:
        return [by_id[i] for i in entry.question_ids]

    def keys(entries: list[BankEntry]) -> set[str]:
        return {e.key for e in entries}

    assert keys(bank.entries(company_id=company_id)) == keys(
        [e for e in every if any(q.company_id == company_id for q in members(e))]
    )
    assert keys(bank.entries(stage=stage)) == keys(
        [e for e in every if any(q.stage == stage for q in members(e))]
    )
    assert keys(bank.entries(topic=topic.upper())) == keys(
        [e for e in every if any(topic in q.topics for q in members(e))]
    )
    assert keys(bank.entries(company_id=company_id, stage=stage)) == keys(
        [e for e in every
         if any(q.company_id == company_id and q.stage == stage for q in members(e))]
    )
    flagged = bank.entries(practise=True)
    assert keys(flagged) == keys([e for e in every if any(q.practise for q in members(e))])
    assert flagged
    assert keys(bank.entries(practise=False)) == keys(every) - keys(flagged)

    def latest(e: BankEntry) -> tuple[date, int]:
        newest = max(members(e), key=_order)
        return (newest.date or date.min, newest.interview_id)

    counts = [e.count for e in every]
    assert counts == sorted(counts, reverse=True)
    for a, b in zip(every, every[1:], strict=False):
        if a.count == b.count:
            assert latest(a) >= latest(b)
    recent = bank.entries(sort=BankSort.RECENCY)
    assert keys(recent) == keys(every)
    for a, b in zip(recent, recent[1:], strict=False):
        assert latest(a) >= latest(b)
        if latest(a) == latest(b):
            assert a.count >= b.count


# --------------------------------------------------------------------------- choices


def test_a_split_and_a_merge_are_kept_across_reopening(copy: Journal) -> None:
    bank = copy.question_bank()
    big = next(e for e in bank.entries() if len({a.text for a in e.asked}) >= 2)
    moved = {a.question_id for a in big.asked if a.text == big.asked[-1].text}
    copy.split_bank_entry(big, moved)
    single = [e for e in bank.entries() if e.count == 1][:2]
    copy.merge_bank_entries(single)
    folder = copy.folder
    copy.close()

    with Journal.open(folder, clock=FakeClock(NOW)) as reopened:
        again = reopened.question_bank()
        split_off = again.entry_of(next(iter(moved)))
        assert split_off is not None
        assert split_off.question_ids == moved
        rest = again.entry_of(next(iter(big.question_ids - moved)))
        assert rest is not None
        assert rest.question_ids == big.question_ids - moved
        merged = again.entry_of(next(iter(single[0].question_ids)))
        assert merged is not None
        assert merged.question_ids == single[0].question_ids | single[1].question_ids

        reopened.forget_bank_choices(merged.question_ids)
        assert reopened.question_bank().entry_of(next(iter(single[1].question_ids))) != (
            reopened.question_bank().entry_of(next(iter(single[0].question_ids)))
        )


def test_a_choice_lapses_once_the_question_is_reworded(copy: Journal) -> None:
    bank = copy.question_bank()
    a, b = [e for e in bank.entries() if e.count == 1][:2]
    copy.merge_bank_entries([a, b])
    assert copy.question_bank().entry_of(next(iter(a.question_ids))).count == 2  # type: ignore[union-attr]
    copy.update_question(next(iter(a.question_ids)), question="Something else entirely?")
    after = copy.question_bank().entry_of(next(iter(a.question_ids)))
    assert after is not None
    assert after.question_ids == a.question_ids


def test_choices_refuse_what_cannot_be_done(copy: Journal) -> None:
    entry = next(e for e in copy.question_bank().entries() if e.count >= 2)
    with pytest.raises(InvalidInput):
        copy.split_bank_entry(entry, entry.question_ids)
    with pytest.raises(InvalidInput):
        copy.split_bank_entry(entry, set())
    with pytest.raises(InvalidInput):
        copy.split_bank_entry(entry, {-1})
    with pytest.raises(InvalidInput):
        copy.merge_bank_entries([entry])


def test_choices_are_announced(copy: Journal) -> None:
    heard: list[Changes] = []
    copy.observe(heard.append)
    entry = next(e for e in copy.question_bank().entries() if e.count >= 2)
    first = min(entry.question_ids)
    copy.split_bank_entry(entry, {first})
    assert heard[-1].ids(Kind.BANK_CHOICE) == entry.question_ids
    assert not heard[-1].affects_lists
    assert not heard[-1].affects_search


# --------------------------------------------------------------------------- incremental


def _snapshot(bank: QuestionBank) -> list[BankEntry]:
    return sorted(bank.entries(), key=lambda e: e.key)


def test_an_edit_regroups_incrementally_as_a_full_regroup_would(copy: Journal) -> None:
    bank = copy.question_bank()
    heard: list[Changes] = []
    copy.observe(heard.append)
    entries = bank.entries()
    big = entries[0]
    target = next(iter(big.question_ids))
    lonely = next(e for e in entries if e.count == 1)
    interview = bank.question(target).interview_id  # type: ignore[union-attr]

    def step() -> None:
        changes = heard.pop()
        result = copy.refresh_question_bank(bank, changes)
        assert _snapshot(bank) == _snapshot(copy.question_bank())
        for key in result.removed:
            assert bank.entry(key) is None
        for entry in result.changed:
            assert bank.entry(entry.key) == entry

    # Reworded to match another entry: it moves there.
    copy.update_question(target, question=lonely.text)
    step()
    assert bank.entry_of(target).question_ids == lonely.question_ids | {target}  # type: ignore[union-attr]
    # Reworded to nothing like anything: an entry of its own.
    copy.update_question(target, question="Which whale sings lowest, in your opinion?")
    step()
    assert bank.entry_of(target).count == 1  # type: ignore[union-attr]
    # An answer and the flag.
    copy.update_question(target, answer="The blue whale", practise=True)
    step()
    assert bank.entry_of(target).practise  # type: ignore[union-attr]
    # Added, deleted, restored.
    added = copy.add_question(interview, lonely.text)
    step()
    snapshot = copy.delete_question(added.id)
    step()
    copy.restore_question(snapshot)
    step()
    # Its interview to the trash and back; a company renamed; a split.
    copy.trash_interview(interview)
    step()
    assert bank.entry_of(target) is None
    copy.restore_interview(interview)
    step()
    company = bank.question(target).company_id  # type: ignore[union-attr]
    copy.rename_company(company, "Completely Renamed Ltd")
    step()
    entry = bank.entries()[0]
    copy.split_bank_entry(entry, {min(entry.question_ids)})
    step()
    copy.set_topics(interview, ["Whales"])
    step()
    assert bank.entries(topic="whales")


def test_the_same_question_given_again_changes_nothing(copy: Journal) -> None:
    bank = copy.question_bank()
    again = bank.update(copy.bank_questions())
    assert not again


def test_grouping_a_stress_size_set_of_questions(record_property: pytest.RecordProperty) -> None:
    """46,000 questions drawn the way the stress journal draws them: the time is reported,
    not asserted (the benchmark holds the bar, tests/benchmarks/run.py)."""
    from tests.benchmarks.run import stress_questions

    questions = stress_questions()
    started = time.perf_counter()
    bank = QuestionBank(questions)
    elapsed = time.perf_counter() - started
    record_property("question_bank_stress_ms", round(elapsed * 1000))
    print(f"\nquestion bank: {len(questions):,} questions into {len(bank):,} entries in "
          f"{elapsed * 1000:.0f} ms")
    assert bank.question_count == len(questions) >= 46_000


def _asked(qid: int, text: str, company: str = "Acme") -> BankQuestion:
    return BankQuestion(
        id=qid, uuid=f"{qid:032x}", interview_id=qid, interview_uuid=f"{qid:032x}",
        company_id=1, company=company, stage="technical", date=date(2026, 1, qid),
        position=0, text=text,
    )


def test_pins_alone_regroup_and_lapse_with_the_wording() -> None:
    from interview_journal.core.question_bank import BankPin, wording_of

    one, two = _asked(1, "Design a rate limiter."), _asked(2, "Design a rate limiter for an API.")
    bank = QuestionBank([one, two])
    assert len(bank) == 1
    changes = bank.update(pins={
        one.uuid: BankPin("a", wording_of(one.text, one.company)),
        two.uuid: BankPin("b", wording_of(two.text, two.company)),
    })
    assert len(bank) == 2
    assert changes.changed
    fresh = QuestionBank([one, two], bank.pins())
    assert _snapshot(fresh) == _snapshot(bank)
    # A third asking, unpinned, joins the pinned entry its wording is pinned in.
    bank.update([_asked(3, "Design a rate limiter.")])
    assert bank.entry_of(3) == bank.entry_of(1)
    assert _snapshot(bank) == _snapshot(QuestionBank([one, two, _asked(3, one.text)],
                                                     bank.pins()))
    # Reworded, the pin no longer holds: grouped by its words again.
    bank.update([_asked(2, "Design a rate limiter, please.")])
    assert bank.entry_of(2) == bank.entry_of(1)
    bank.update(pins={one.uuid: None, two.uuid: None})
    assert len(bank) == 1
