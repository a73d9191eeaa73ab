"""Search (docs/architecture.md, docs/data-safety.md): the FTS5 index kept in step with every write,
queries that equal a brute-force oracle, query text that never raises, and the repair paths.

The oracle reads each interview back through the Journal and tokenises it in Python: words
are runs of letters, digits, '+' and '#', folded to lower case without diacritics; every CJK
character is a word of its own, and a CJK query word is a run of them in that order.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from interview_journal.core import db as dbmod
from interview_journal.core import search
from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal import InterviewDoc, Journal
from interview_journal.core.search import Cancel, SearchFilters, SearchResults

from .migration_support import use_migrations, user_version

# As in test_journal_roundtrip: keep Hypothesis's database out of the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "interview-journal-hypothesis")

# --------------------------------------------------------------------------- the oracle

_CJK = "\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af"
_TOKEN = re.compile(f"[{_CJK}]|(?:(?![{_CJK}])[^\\W_]|[+#])+")
_HAS_CJK = re.compile(f"[{_CJK}]")


def fold(text: str) -> str:
    """Lower case without diacritics (what unicode61 with remove_diacritics 2 does)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def columns_of(doc: InterviewDoc) -> dict[str, list[str]]:
    """The interview's tokens per index column, built from what the Journal returns."""
    questions = [part for q in doc.questions for part in (q.question, q.answer, q.next_time)]
    texts = {
        "company": [doc.company_name],
        "role": [doc.role],
        "people": [part for p in doc.interviewers for part in (p.name, p.title)],
        "topics": list(doc.topics),
        "questions": questions,
        "went_well": [doc.went_well],
        "went_poorly": [doc.went_poorly],
        "do_differently": [doc.do_differently],
        "action_items": [a.text for a in doc.action_items],
        "impressions": [doc.impressions],
        "notes": [doc.notes],
    }
    return {column: tokens("\n".join(parts)) for column, parts in texts.items()}


@dataclass(frozen=True)
class Term:
    """One query word: its tokens, the column it is limited to, and whether it is a prefix."""

    words: tuple[str, ...]
    column: str | None = None
    prefix: bool = False

    def found_in(self, doc: dict[str, list[str]]) -> bool:
        where = [doc[self.column]] if self.column else list(doc.values())
        n = len(self.words)
        for seq in where:
            if self.prefix:
                if any(token.startswith(self.words[0]) for token in seq):
                    return True
            elif any(tuple(seq[i : i + n]) == self.words for i in range(len(seq) - n + 1)):
                return True
        return False


def term(word: str, column: str | None = None, *, last: bool = False) -> Term:
    """The oracle's reading of a query word (the prefix rule: last, 3+ characters, no CJK)."""
    prefix = last and len(word) >= 3 and not _HAS_CJK.search(word)
    return Term(tuple(tokens(word)), column, prefix)


# --------------------------------------------------------------------------- vocabulary

LATIN = [
    "cache", "caching", "latency", "queue", "kafka", "python", "pythonic", "rust", "design",
    "designer", "café", "résumé", "naïve", "Zürich", "C++", "C#", "sql", "team", "offer",
]
CJK = ["東京", "京都", "データ", "面接", "서울"]
FILLER = ["the", "and", "a", "<b>", "of"]
VOCAB = LATIN + CJK
# What users type: the words, other spellings of them, and beginnings of them.
QUERY_WORDS = VOCAB + [
    "cafe", "RESUME", "zurich", "c++", "c#", "Python", "cach", "desig", "pyth", "lat", "ca",
    "京", "タ", "면접",
]
SEARCH_COLUMNS = list(search.COLUMNS)
COMPANY_NAMES = ["Acme", "Kafka Labs", "Café Zürich", "東京データ", "Rust Works"]

separators = st.sampled_from([" ", ", ", ". ", "\n", " - "])
texts = st.lists(
    st.tuples(st.sampled_from(VOCAB + FILLER), separators), max_size=7
).map(lambda parts: "".join(word + sep for word, sep in parts).strip())
# Few names, so that the same person comes back to several interviews.
names = st.sampled_from(["Kafka Smith", "Ada Rust", "Zürich Team", "Grace"])


@st.composite
def queries(draw: st.DrawFn) -> tuple[str, Callable[[dict[str, list[str]]], bool]]:
    """A query and the oracle's predicate for it: words (some limited to a column), OR, -."""
    shape = draw(st.sampled_from(["and", "and", "or", "not"]))
    if shape == "and":
        words = draw(st.lists(st.sampled_from(QUERY_WORDS), min_size=1, max_size=3))
        cols = [draw(st.sampled_from([None, None, None, *SEARCH_COLUMNS])) for _ in words]
        text = " ".join(f"{c}:{w}" if c else w for w, c in zip(words, cols, strict=True))
        terms = [
            term(w, c, last=i == len(words) - 1)
            for i, (w, c) in enumerate(zip(words, cols, strict=True))
        ]
        return text, lambda doc: all(t.found_in(doc) for t in terms)
    first, second = draw(st.sampled_from(QUERY_WORDS)), draw(st.sampled_from(QUERY_WORDS))
    if shape == "or":
        a, b = term(first), term(second, last=True)
        return f"{first} OR {second}", lambda doc: a.found_in(doc) or b.found_in(doc)
    keep, drop = term(first), term(second)  # "-word" last: no prefix anywhere
    return f"{first} -{second}", lambda doc: keep.found_in(doc) and not drop.found_in(doc)


def oracle(journal: Journal, ids: list[int], predicate: Callable[..., bool]) -> set[int]:
    found = set()
    for interview_id in ids:
        doc = journal.interview(interview_id)
        if not doc.trashed and predicate(columns_of(doc)):
            found.add(interview_id)
    return found


def hit_ids(results: SearchResults) -> list[int]:
    return [hit.interview_id for hit in results.hits]


def check_hits_are_well_formed(results: SearchResults) -> None:
    assert [hit.rank for hit in results.hits] == list(range(1, len(results.hits) + 1))
    assert len(set(hit_ids(results))) == len(results.hits)  # one result per interview
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores)  # bm25: lower is better
    for hit in results.hits:
        assert hit.section in search.COLUMNS
        assert not set(hit.snippet) & {"\x1f", "\x02", "\x03"}
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.snippet)
    if not results.hits:
        assert results.hint


# --------------------------------------------------------------------------- the machine


class SearchMachine(RuleBasedStateMachine):
    """Random edits of every kind through the Journal; search always equals the oracle."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ij-search-"))
        self.journal = Journal.open(self.folder / "data", clock=FakeClock())
        self.ids: list[int] = []

    def teardown(self) -> None:
        self.journal.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _pick(self, data: st.DataObject) -> int:
        return data.draw(st.sampled_from(self.ids))

    @rule(company=st.sampled_from(COMPANY_NAMES), role=texts, text=texts,
          section=st.sampled_from(["went_well", "went_poorly", "do_differently",
                                   "impressions", "notes"]))
    def create(self, company: str, role: str, text: str, section: str) -> None:
        doc = self.journal.create_interview_for(company, role=role[:200])
        self.journal.update_interview(doc.id, **{section: text})
        self.ids.append(doc.id)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), text=texts,
          field=st.sampled_from(["role", "went_well", "went_poorly", "do_differently",
                                 "impressions", "notes"]))
    def edit(self, data: st.DataObject, text: str, field: str) -> None:
        self.journal.update_interview(self._pick(data), **{field: text[:200]})

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), question=texts, answer=texts, next_time=texts)
    def add_question(self, data: st.DataObject, question: str, answer: str,
                     next_time: str) -> None:
        self.journal.add_question(self._pick(data), question, answer, next_time)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), text=texts, action=st.sampled_from(["edit", "delete", "move"]))
    def change_question(self, data: st.DataObject, text: str, action: str) -> None:
        rows = self.journal.questions(self._pick(data))
        if not rows:
            return
        row = data.draw(st.sampled_from(rows))
        if action == "edit":
            self.journal.update_question(row.id, answer=text)
        elif action == "delete":
            snapshot = self.journal.delete_question(row.id)
            if data.draw(st.booleans()):
                self.journal.restore_question(snapshot)
        else:
            self.journal.move_question(row.id, 0)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), text=texts, delete=st.booleans())
    def action_items(self, data: st.DataObject, text: str, delete: bool) -> None:
        interview_id = self._pick(data)
        rows = self.journal.action_items(interview_id)
        if delete and rows:
            self.journal.delete_action_item(rows[0].id)
        elif rows and data.draw(st.booleans()):
            self.journal.update_action_item(rows[-1].id, text=text)
        else:
            self.journal.add_action_item(interview_id, text)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), topics=st.lists(st.sampled_from(VOCAB), max_size=3))
    def topics(self, data: st.DataObject, topics: list[str]) -> None:
        self.journal.set_topics(self._pick(data), topics)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), name=names, title=texts, rename=names)
    def people(self, data: st.DataObject, name: str, title: str, rename: str) -> None:
        interview_id = self._pick(data)
        person = self.journal.add_interviewer(interview_id, name, title[:200])
        if data.draw(st.booleans()):
            # Renames the person on every interview they were at, unless another
            # interviewer of that company has that name.
            with suppress(InvalidInput):
                self.journal.update_person(person.id, name=rename)
        elif data.draw(st.booleans()):
            self.journal.remove_interviewer(interview_id, person.id)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), name=st.sampled_from(COMPANY_NAMES))
    def move_or_rename(self, data: st.DataObject, name: str) -> None:
        interview_id = self._pick(data)
        if data.draw(st.booleans()):
            self.journal.move_interview(interview_id, name)
            return
        company_id = self.journal.interview(interview_id).company_id
        new_name = name + " " + data.draw(st.sampled_from(LATIN))
        with suppress(InvalidInput):  # that name is taken
            self.journal.rename_company(company_id, new_name)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), what=st.sampled_from(["interview", "company"]), back=st.booleans())
    def trash(self, data: st.DataObject, what: str, back: bool) -> None:
        interview_id = self._pick(data)
        company_id = self.journal.interview(interview_id).company_id
        if what == "interview":
            self.journal.trash_interview(interview_id)
            if back:
                self.journal.restore_interview(interview_id)
        else:
            self.journal.trash_company(company_id)
            if back:
                self.journal.restore_company(company_id)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), first=texts, second=texts)
    def grouped(self, data: st.DataObject, first: str, second: str) -> None:
        interview_id = self._pick(data)
        with self.journal.transaction():  # autosave groups edits like this
            self.journal.update_interview(interview_id, notes=first)
            self.journal.add_question(interview_id, second)
            self.journal.update_interview(interview_id, went_well=second)

    @rule(query=queries(), prefix=st.booleans())
    def results_equal_the_oracle(
        self, query: tuple[str, Callable[..., bool]], prefix: bool
    ) -> None:
        text, predicate = query
        if not prefix:
            # Without the prefix rule, the last word is a whole word like the others.
            predicate = _whole_words(text)
        results = (
            self.journal.search(text, limit=search.MAX_LIMIT)
            if prefix
            else search.search(text, limit=search.MAX_LIMIT, prefix_last=False)
        )
        check_hits_are_well_formed(results)
        assert set(hit_ids(results)) == oracle(self.journal, self.ids, predicate), text
        assert results.total == len(results.hits)

    @invariant()
    def index_is_whole_current_and_nothing_is_pending(self) -> None:
        assert search.integrity_error() is None
        assert self.journal.pending_index_count() == 0
        # Every row holds its interview's text now (a write that forgot to reindex an
        # interview it changed, such as a company rename, shows up here at once).
        assert search.rowid_mismatch() == (set(), set())
        assert search.stale_rows() == set()


def _whole_words(text: str) -> Callable[[dict[str, list[str]]], bool]:
    """The oracle for ``text`` as built by ``queries()``, with no prefix on the last word."""
    if " OR " in text:
        first, second = text.split(" OR ")
        a, b = term(first), term(second)
        return lambda doc: a.found_in(doc) or b.found_in(doc)
    if " -" in text:
        first, second = text.split(" -")
        keep, drop = term(first), term(second)
        return lambda doc: keep.found_in(doc) and not drop.found_in(doc)
    terms = []
    for word in text.split(" "):
        column, _, bare = word.rpartition(":")
        terms.append(term(bare, column or None))
    return lambda doc: all(t.found_in(doc) for t in terms)


SearchMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSearchMachine = SearchMachine.TestCase


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def acme(journal: Journal) -> int:
    return journal.create_company("Acme").company.id


def _new(journal: Journal, company: int, **fields: object) -> int:
    interview_id = journal.create_interview(company).id
    if fields:
        journal.update_interview(interview_id, **fields)
    return interview_id


def _ids(journal: Journal, query: str, **kwargs: object) -> set[int]:
    results = journal.search(query, **kwargs)  # type: ignore[arg-type]
    check_hits_are_well_formed(results)
    return set(hit_ids(results))


# --------------------------------------------------------------------------- tokenizer


def test_cpp_csharp_and_dotnet_are_findable(journal: Journal, acme: int) -> None:
    both = _new(journal, acme, notes="Wrote C++ and C# daily. Then .NET; the end.")
    plain = _new(journal, acme, notes="C is fine, and so is the net result")

    assert _ids(journal, "C++") == {both}
    assert _ids(journal, "c#") == {both}
    assert _ids(journal, "c") == {plain}  # C++ and C# stay whole words
    assert _ids(journal, "c+") == set()
    assert _ids(journal, ".NET") == {both, plain}  # '.' is not part of a word
    assert _ids(journal, "net") == {both, plain}
    assert _ids(journal, "end") == {both}  # a full stop does not stick to the word


def test_case_and_diacritics_do_not_matter(journal: Journal, acme: int) -> None:
    cafe = _new(journal, acme, notes="Lunch at the CAFÉ near Zürich, résumé in hand")
    decomposed = _new(journal, acme, notes="cafe\u0301 with combining marks")

    assert _ids(journal, "cafe") == {cafe, decomposed}
    assert _ids(journal, "Café") == {cafe, decomposed}
    assert _ids(journal, "zurich resume") == {cafe}


@pytest.mark.parametrize(
    ("text", "query", "found"),
    [
        ("東京のオフィスで面接した", "オフィス", "オフィス"),
        ("東京のオフィスで面接した", "東京 面接", "東京"),
        ("我们讨论了数据库设计", "数据库", "数据库"),
        ("서울에서 면접을 봤다", "면접", "면접"),
        ("Javaエンジニアの募集", "エンジニア", "エンジニア"),
        ("Javaエンジニアの募集", "java", "Java"),
        ("Javaエンジニアの募集", '"エンジニア の"', "エンジニアの"),
    ],
)
def test_cjk_text_is_findable(
    journal: Journal, acme: int, text: str, query: str, found: str
) -> None:
    interview = _new(journal, acme, notes=text)
    _new(journal, acme, notes="nothing here")

    results = journal.search(query)

    assert hit_ids(results) == [interview]
    hit = results.hits[0]
    assert hit.section == "notes"
    assert hit.snippet == text  # the separators the index adds are not shown
    assert found in [hit.snippet[a:b] for a, b in hit.highlights]


def test_cjk_characters_must_be_in_order(journal: Journal, acme: int) -> None:
    _new(journal, acme, notes="東京")

    assert _ids(journal, "京東") == set()
    assert _ids(journal, "notes:東京") != set()
    assert _ids(journal, "company:東京") == set()


# --------------------------------------------------------------------------- query syntax


def test_field_prefix_restricts_to_that_column(journal: Journal) -> None:
    kafka = journal.create_company("Kafka Labs").company.id
    other = journal.create_company("Other").company.id
    in_name = _new(journal, kafka, notes="nothing")
    in_notes = _new(journal, other, notes="we talked about kafka")

    assert _ids(journal, "kafka") == {in_name, in_notes}
    assert _ids(journal, "company:kafka") == {in_name}
    assert _ids(journal, "notes:kafka") == {in_notes}
    assert _ids(journal, "Notes: kafka") == {in_notes}  # any case, a space after the colon
    assert _ids(journal, "questions:kafka") == set()


def test_exclude_and_or(journal: Journal, acme: int) -> None:
    both = _new(journal, acme, notes="python and rust")
    python = _new(journal, acme, notes="python only")
    rust = _new(journal, acme, notes="rust only")

    assert _ids(journal, "python -rust") == {python}
    assert _ids(journal, "python OR rust") == {both, python, rust}
    assert _ids(journal, '"python and"') == {both}
    assert _ids(journal, '"and python"') == set()


def test_last_word_is_a_prefix_once_it_has_three_characters(
    journal: Journal, acme: int
) -> None:
    interview = _new(journal, acme, notes="rate limiter design")

    assert _ids(journal, "limi") == {interview}
    assert _ids(journal, "rate lim") == {interview}
    assert _ids(journal, "li") == set()  # too short to be a prefix
    assert _ids(journal, "lim rate") == set()  # only the last word is a prefix
    assert _ids(journal, "rate -lim") == {interview}  # an exclusion is never a prefix
    assert _ids(journal, "notes:limi") == {interview}
    assert search.search("limi", prefix_last=False).hits == ()


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("", search.HINT_EMPTY),
        ("   \n\t", search.HINT_EMPTY),
        ('"', search.HINT_EMPTY),
        ("*", search.HINT_EMPTY),
        ("-", search.HINT_EMPTY),
        ("( ) AND OR", search.HINT_EMPTY),
        ("-python", search.HINT_ONLY_EXCLUDED),
        ("x" * 10_000, search.HINT_TOO_LONG),
        ("nothingmatchesthis", search.HINT_NO_MATCH),
    ],
)
def test_unusable_queries_give_a_hint(journal: Journal, acme: int, query: str,
                                      hint: str) -> None:
    _new(journal, acme, notes="python")

    results = journal.search(query)

    assert results.hits == ()
    assert results.hint == hint
    assert not results.cancelled


def test_an_sqlite_error_becomes_a_hint(
    journal: Journal, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new(journal, acme, notes="python")
    # web_query never produces invalid FTS5; pretend it did.
    broken = search.ParsedQuery("NEAR(", None)
    monkeypatch.setattr(search, "parse_query", lambda text, **kwargs: broken)

    results = journal.search("python")

    assert results.hits == ()
    assert results.hint is not None
    assert results.hint.startswith("That search could not be understood: ")


FRAGMENTS = [
    '"', "*", "-", "NEAR(", "NEAR(a b, 2)", ":", "questions:", "notes:", "{notes company}:",
    "-notes:", "{nope}:", "AND", "OR", "NOT", "(", ")", "^", "C++", "c#", "東京", "データ",
    "\x00", "\ud800", "+", "#", "'", ";", "--", "\\", "\u200b", "é", "rowid", "rank",
    "search_index:", "*:", "python", "pyth", "\x02", "\x1f", "e\u0301",
]


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=12),
    glue=st.sampled_from(["", " "]),
)
def test_query_fuzz_never_raises(journal: Journal, parts: list[str], glue: str) -> None:
    if not journal.companies():
        acme = journal.create_company("Acme").company.id
        _new(journal, acme, notes="python C++ 東京 (notes) \"quoted\" -dash", role="NEAR")

    results = journal.search(glue.join(parts))

    assert not results.cancelled
    check_hits_are_well_formed(results)


@pytest.mark.parametrize(
    "query",
    [
        "a" * 10_000, "a " * 5_000, '"' * 10_000, "(" * 10_000, "-" * 10_000, "東" * 10_000,
        "(" * 400 + "python", "python " * 140, "OR " * 300, '"python' + " x" * 400,
    ],
    ids=["word", "words", "quotes", "parens", "dashes", "cjk", "deep", "many", "ors", "phrase"],
)
def test_long_queries_never_raise(journal: Journal, acme: int, query: str) -> None:
    _new(journal, acme, notes="python")

    results = journal.search(query)

    check_hits_are_well_formed(results)


def test_limit_outside_its_range_is_a_programming_error(journal: Journal) -> None:
    with pytest.raises(ValueError, match="limit"):
        journal.search("python", limit=0)
    with pytest.raises(ValueError, match="limit"):
        journal.search("python", limit=search.MAX_LIMIT + 1)


# --------------------------------------------------------------------------- results


def test_one_hit_per_interview_with_its_fields(journal: Journal, acme: int) -> None:
    start = datetime(2026, 2, 20, 15, 30, tzinfo=UTC)
    interview = journal.create_interview(acme, role="Kafka engineer", starts_at=start).id
    journal.update_interview(interview, notes="kafka", went_well="kafka kafka")
    journal.add_question(interview, "Explain kafka", "kafka partitions")
    journal.add_action_item(interview, "read about kafka")
    journal.set_topics(interview, ["Kafka"])
    journal.add_interviewer(interview, "Ada Kafka")

    results = journal.search("kafka")

    assert results.total == 1
    [hit] = results.hits
    doc = journal.interview(interview)
    assert (hit.interview_id, hit.interview_uuid, hit.company, hit.role) == (
        interview, doc.uuid, "Acme", "Kafka engineer",
    )
    assert hit.starts_at == start
    assert hit.starts_at.tzinfo is not None
    assert hit.date == date(2026, 2, 20)
    assert hit.rank == 1


def test_section_is_the_column_that_matched(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    kafka = journal.create_company("Kafka Labs").company.id
    asked = _new(journal, acme)
    journal.add_question(asked, "How does kafka keep order?")
    named = _new(journal, acme)
    journal.add_interviewer(named, "Franz Kafka", "CTO")
    noted = _new(journal, acme, went_poorly="forgot how kafka compaction works")
    listed = _new(journal, acme)
    journal.add_action_item(listed, "Read the kafka docs")
    both = _new(journal, kafka)
    journal.add_question(both, "Why kafka?")
    only_name = _new(journal, kafka, notes="nothing")

    sections = {hit.interview_id: hit.section for hit in journal.search("kafka").hits}

    # When several columns matched, the heavier one wins (questions over the company name).
    assert sections == {
        asked: "questions", named: "people", noted: "went_poorly", listed: "action_items",
        both: "questions", only_name: "company",
    }
    company_only = {hit.section for hit in journal.search("company:kafka").hits}
    assert company_only == {"company"}


def test_snippet_is_plain_text_with_highlight_offsets(journal: Journal, acme: int) -> None:
    text = "Said <b>cache</b> & <img src=x onerror=alert(1)> then\n\nthe Cache stampede"
    interview = _new(journal, acme, impressions=text)

    [hit] = journal.search("cache stampede").hits

    assert (hit.interview_id, hit.section) == (interview, "impressions")
    assert "<b>cache</b>" in hit.snippet
    assert "<img src=x onerror=alert(1)>" in hit.snippet
    assert "\n" not in hit.snippet
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert [fold(m) for m in marked] == ["cache", "cache", "stampede"]


def test_long_text_gets_a_short_snippet_around_the_match(journal: Journal, acme: int) -> None:
    words = [f"word{i}" for i in range(400)]
    words[300] = "needle"
    _new(journal, acme, notes=" ".join(words))

    [hit] = journal.search("needle").hits

    assert len(hit.snippet.split()) <= search.SNIPPET_TOKENS + 2
    assert hit.snippet.startswith("…")
    assert hit.snippet.endswith("…")
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["needle"]


def test_questions_and_sections_outrank_names(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    named = _new(journal, acme)
    journal.add_interviewer(named, "Rust Cohle")
    asked = _new(journal, acme)
    journal.add_question(asked, "Why rust?")

    assert hit_ids(journal.search("rust")) == [asked, named]


def test_limit_and_total(journal: Journal, acme: int) -> None:
    ids = {_new(journal, acme, notes=f"python {i}") for i in range(7)}
    trashed = _new(journal, acme, notes="python")
    journal.trash_interview(trashed)

    results = journal.search("python", limit=3)

    assert (len(results.hits), results.total) == (3, 7)
    assert set(hit_ids(results)) <= ids
    filtered = journal.search("python", limit=3, filters=SearchFilters(company_id=acme))
    assert filtered.total == 7


def test_filters(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    beta = journal.create_company("Beta").company.id
    early = journal.create_interview(acme, stage="technical", on=date(2026, 1, 10)).id
    late = journal.create_interview(acme, stage="final", on=date(2026, 2, 20)).id
    other = journal.create_interview(beta, stage="technical").id
    journal.update_interview(early, notes="python", self_rating=2, outcome="rejected")
    journal.update_interview(late, notes="python", self_rating=5, outcome="offer")
    journal.update_interview(other, notes="python", self_rating=4)

    def found(**kwargs: object) -> set[int]:
        return _ids(journal, "python", filters=SearchFilters(**kwargs))  # type: ignore[arg-type]

    assert found() == {early, late, other}
    assert found(company_id=acme) == {early, late}
    assert found(stage="technical") == {early, other}
    assert found(outcome="offer") == {late}
    assert found(date_from=date(2026, 2, 1)) == {late}
    assert found(date_to=date(2026, 1, 10)) == {early}
    assert found(date_from=date(2026, 1, 10), date_to=date(2026, 2, 20)) == {early, late}
    assert found(min_rating=4) == {late, other}
    assert found(company_id=acme, min_rating=3, stage="final") == {late}
    assert found(company_id=beta, outcome="offer") == set()


def test_trash_restore_move_and_rename(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    interview = _new(journal, acme, notes="python")

    journal.trash_interview(interview)
    assert _ids(journal, "python") == set()
    journal.restore_interview(interview)
    assert _ids(journal, "python") == {interview}
    journal.trash_company(acme)
    assert _ids(journal, "python") == set()
    journal.restore_company(acme)
    assert _ids(journal, "python") == {interview}

    journal.move_interview(interview, "Zeta Corp")
    assert _ids(journal, "company:zeta") == {interview}
    assert _ids(journal, "company:acme") == set()
    zeta = journal.interview(interview).company_id
    journal.rename_company(zeta, "Omega")
    assert _ids(journal, "company:omega") == {interview}
    assert _ids(journal, "company:zeta") == set()


def test_renaming_a_person_reindexes_all_their_interviews(journal: Journal, acme: int) -> None:
    first, second = _new(journal, acme), _new(journal, acme)
    ada = journal.add_interviewer(first, "Ada Lovelace")
    journal.add_interviewer(second, "Ada Lovelace")

    journal.update_person(ada.id, title="Countess")
    assert _ids(journal, "people:countess") == {first, second}
    # Adding her again with another title changes it everywhere too.
    journal.add_interviewer(second, "Ada Lovelace", "Analyst")
    assert _ids(journal, "people:analyst") == {first, second}


def test_search_from_another_thread_uses_its_own_connection(
    journal: Journal, acme: int
) -> None:
    interview = _new(journal, acme, notes="python")
    found: list[SearchResults] = []

    def work() -> None:
        try:
            found.append(journal.search("python"))
        finally:
            journal.database.close()  # this thread's connection

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()

    assert [hit_ids(r) for r in found] == [[interview]]
    assert not journal.database.is_closed()  # the main thread's connection is untouched


# --------------------------------------------------------------------------- cancellation


class _CancelledMidQuery(Cancel):
    """Looks like a token another thread cancels while SQLite is running the search.

    Its first look happens before the query starts; the second comes from SQLite's progress
    handler, inside the running statement: there it waits for the other thread.
    """

    def __init__(self) -> None:
        super().__init__()
        self.looks = 0
        self.inside = threading.Event()
        self.resume = threading.Event()

    @property
    def cancelled(self) -> bool:
        self.looks += 1
        if self.looks == 2:
            self.inside.set()
            assert self.resume.wait(timeout=30)
        return super().cancelled


def test_cancel_from_another_thread_stops_a_running_search(
    journal: Journal, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(20):
        _new(journal, acme, notes=f"python entry {i}")
    monkeypatch.setattr(search, "PROGRESS_STEPS", 1)  # look at the token at every VM step
    token = _CancelledMidQuery()
    outcome: list[SearchResults] = []

    def work() -> None:
        try:
            outcome.append(journal.search("python", cancel=token))
        finally:
            journal.database.close()

    worker = threading.Thread(target=work)
    worker.start()
    assert token.inside.wait(timeout=30)  # the search is running inside SQLite
    token.cancel()
    token.resume.set()
    worker.join()

    assert outcome == [SearchResults(cancelled=True)]
    assert len(journal.search("python").hits) == 20


def test_a_token_cancelled_after_its_search_leaves_the_connection_alone(
    journal: Journal, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new(journal, acme, notes="python")
    monkeypatch.setattr(search, "PROGRESS_STEPS", 1)
    token = Cancel()
    assert len(journal.search("python", cancel=token).hits) == 1

    token.cancel()  # too late: its progress handler was taken off the connection

    assert len(journal.search("python").hits) == 1


def test_a_cancelled_token_stops_before_starting(journal: Journal, acme: int) -> None:
    _new(journal, acme, notes="python")
    token = Cancel()
    token.cancel()

    assert journal.search("python", cancel=token) == SearchResults(cancelled=True)


def test_interrupting_the_connection_counts_as_cancelled(
    journal: Journal, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new(journal, acme, notes="python")
    connection = journal.database.connection()

    def interrupt_first() -> int:
        connection.interrupt()  # as another thread's interrupt() would
        return 0

    connection.set_progress_handler(interrupt_first, 1)
    try:
        results = journal.search("python")
    finally:
        connection.set_progress_handler(None, 0)

    assert results == SearchResults(cancelled=True)


# --------------------------------------------------------------------------- writes


def _index_rows(journal: Journal) -> dict[int, str]:
    """Index rows (rowid: notes) as stored in the file, read through another connection."""
    with closing(sqlite3.connect(journal.path)) as conn:
        return dict(conn.execute("SELECT rowid, notes FROM search_index").fetchall())


def test_a_write_and_its_index_row_commit_together(journal: Journal, acme: int) -> None:
    interview = _new(journal, acme, notes="first")
    assert _index_rows(journal) == {interview: "first"}

    def fail_after_the_edit() -> None:
        with journal.transaction():
            journal.update_interview(interview, notes="second")
            raise RuntimeError("the autosave's transaction fails")

    with pytest.raises(RuntimeError):
        fail_after_the_edit()

    assert _index_rows(journal) == {interview: "first"}
    assert journal.interview(interview).notes == "first"


def test_grouped_writes_index_each_interview_once(
    journal: Journal, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _new(journal, acme), _new(journal, acme)
    calls: list[int] = []
    real = search.index_interview

    def counting(interview_id: int) -> None:
        calls.append(interview_id)
        real(interview_id)

    monkeypatch.setattr(search, "index_interview", counting)
    with journal.transaction():
        journal.update_interview(first, notes="one")
        journal.add_question(first, "two")
        journal.set_topics(first, ["three"])
        journal.update_interview(second, notes="four")
        assert calls == []  # nothing is indexed before the commit

    assert sorted(calls) == [first, second]
    calls.clear()
    journal.update_interview(first, notes="five")
    journal.update_interview(first, stage="final", self_rating=3)  # no searchable text
    assert calls == [first]
    assert _ids(journal, "two three") == {first}


@pytest.mark.parametrize(
    "error", [sqlite3.OperationalError("disk I/O"), peewee.OperationalError("no such table")]
)
def test_an_index_failure_keeps_the_save_and_queues_the_interview(
    journal: Journal, acme: int, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    interview = _new(journal, acme, notes="before")

    def half_then_fail(interview_id: int) -> None:
        search.remove(interview_id)  # rolled back with the savepoint
        raise error

    monkeypatch.setattr(search, "index_interview", half_then_fail)
    doc = journal.update_interview(interview, notes="after zebra")

    assert doc.notes == "after zebra"
    with closing(sqlite3.connect(journal.path)) as conn:  # committed
        assert conn.execute("SELECT notes FROM interview").fetchall() == [("after zebra",)]
    assert journal.pending_index_count() == 1
    assert _index_rows(journal) == {interview: "before"}  # the old row, whole

    monkeypatch.undo()
    assert _ids(journal, "zebra") == set()
    assert journal.reindex_pending() == 1
    assert _ids(journal, "zebra") == {interview}
    assert journal.pending_index_count() == 0
    assert search.integrity_error() is None


def test_a_later_successful_write_takes_the_interview_off_the_queue(
    journal: Journal, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    interview = _new(journal, acme)
    with monkeypatch.context() as patched:
        patched.setattr(search, "index_interview", _raise_operational)
        journal.update_interview(interview, notes="one")
    assert journal.pending_index_count() == 1

    journal.update_interview(interview, notes="two")

    assert journal.pending_index_count() == 0
    assert _ids(journal, "two") == {interview}


def _raise_operational(interview_id: int) -> None:
    raise sqlite3.OperationalError("simulated")


def test_reindex_pending_in_batches_with_progress(journal: Journal, acme: int) -> None:
    ids = [_new(journal, acme, notes=f"python {i}") for i in range(7)]
    search.mark_pending(ids)  # as the migration does
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))

    assert journal.reindex_pending(limit=3, batch=2, progress=progress) == 3
    assert seen == [(2, 3), (3, 3)]
    assert journal.pending_index_count() == 4
    token = Cancel()
    token.cancel()
    assert journal.reindex_pending(cancel=token) == 0
    assert journal.reindex_pending(batch=3) == 4
    assert journal.pending_index_count() == 0
    assert len(journal.search("python").hits) == 7


# --------------------------------------------------------------------------- repair


def _execute(journal: Journal, sql: str, *params: object) -> None:
    """Change the file behind the Journal's back, as a crash or another program might."""
    with closing(sqlite3.connect(journal.path)) as conn, conn:
        conn.execute(sql, params)


def test_check_finds_missing_and_extra_rows(journal: Journal, acme: int) -> None:
    kept, lost = _new(journal, acme, notes="python"), _new(journal, acme, notes="python")
    assert journal.check_search_index().ok
    _execute(journal, "DELETE FROM search_index WHERE rowid = ?", lost)
    _execute(journal, "INSERT INTO search_index(rowid, notes) VALUES (999, 'python')")

    check = journal.check_search_index()

    assert (check.ok, check.damaged, check.missing, check.extra, check.pending) == (
        False, False, 1, 1, 2,
    )
    assert journal.reindex_pending() == 2
    assert _ids(journal, "python") == {kept, lost}
    assert set(_index_rows(journal)) == {kept, lost}
    assert journal.check_search_index().ok


def test_deep_check_finds_stale_rows(journal: Journal, acme: int) -> None:
    interview = _new(journal, acme, notes="python")
    _execute(journal, "UPDATE search_index SET notes = 'stale words' WHERE rowid = ?", interview)

    assert journal.check_search_index().ok  # the index agrees with its own copy
    check = journal.check_search_index(deep=True)

    assert (check.stale, check.pending) == (1, 1)
    journal.reindex_pending()
    assert _ids(journal, "python") == {interview}
    assert _ids(journal, "stale") == set()


def test_a_damaged_index_is_recreated_from_the_base_tables(journal: Journal, acme: int) -> None:
    ids = {_new(journal, acme, notes="python"), _new(journal, acme, notes="python")}
    # The index's own copy changed without the index: FTS5's integrity check fails.
    _execute(journal, "UPDATE search_index_content SET c10 = 'tampered'")
    assert search.integrity_error() is not None

    check = journal.check_search_index()

    assert (check.damaged, check.pending, check.ok) == (True, 2, False)
    assert search.integrity_error() is None  # recreated, empty
    assert journal.reindex_pending() == 2
    assert _ids(journal, "python") == ids
    assert _ids(journal, "tampered") == set()
    assert journal.check_search_index(deep=True).ok


def test_checking_the_index_takes_no_write_lock(journal: Journal, acme: int) -> None:
    """Another program (or the GUI's autosave) holds the write lock for the whole check: a
    healthy index is checked all the same, since only a repair writes."""
    _new(journal, acme, notes="python")
    journal.database.execute_sql("PRAGMA busy_timeout = 0")  # a write lock would fail at once
    with closing(sqlite3.connect(journal.path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        try:
            check = journal.check_search_index()
        finally:
            writer.execute("ROLLBACK")

    assert check.ok
    assert check.pending == 0


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE search_index_content SET c10 = 'tampered'",
        "UPDATE search_index_data SET block = zeroblob(length(block)) WHERE id > 10",
        "DELETE FROM search_index_docsize",
        "DROP TABLE search_index_idx",
    ],
    ids=["text", "pages", "sizes", "shadow-table"],
)
def test_the_index_check_on_its_shadow_tables_finds_damage(
    journal: Journal, acme: int, damage: str
) -> None:
    for number in range(30):
        _new(journal, acme, notes=f"python number {number} and kubernetes")
    uri = dbmod.read_only_uri(journal.path)
    assert dbmod.search_index_state(uri) == "ok"

    _execute(journal, damage)

    assert dbmod.search_index_state(uri).startswith("damaged")


def test_counting_the_queue_of_a_damaged_file_is_a_storage_error(
    journal: Journal, acme: int
) -> None:
    from interview_journal.core.errors import DatabaseDamaged

    _new(journal, acme, notes="python")
    journal.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    journal.database.close()  # reopened by the next query, as a later start would
    with closing(sqlite3.connect(journal.path)) as conn:
        name = search.SearchPending._meta.table_name  # type: ignore[attr-defined]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,))
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(journal.path.read_bytes())
    start = (root[0] - 1) * page_size
    data[start : start + page_size] = bytes(b ^ 0xFF for b in data[start : start + page_size])
    journal.path.write_bytes(bytes(data))

    with pytest.raises(DatabaseDamaged):  # not a raw peewee error (a traceback in search)
        journal.pending_index_count()
    journal.hold_writes("damaged")  # closed as found


def test_inspect_can_leave_the_search_index_to_the_app(journal: Journal, acme: int) -> None:
    _new(journal, acme, notes="python")
    _execute(journal, "UPDATE search_index_content SET c10 = 'tampered'")

    assert dbmod.inspect(journal.path).search_index is not None
    assert not dbmod.inspect(journal.path).search_index_ok
    skipped = dbmod.inspect(journal.path, search_index=False)
    assert skipped.healthy
    assert skipped.search_index is None


def _automerge(journal: Journal) -> int | None:
    row = journal.database.execute_sql(
        "SELECT v FROM search_index_config WHERE k = 'automerge'"
    ).fetchone()
    return None if row is None else int(row[0])


def test_the_index_merges_eight_segments_at_a_time_also_once_recreated(
    journal: Journal, acme: int
) -> None:
    # FTS5's default (4) merges inside autosaves too often on a large journal (0004 says why).
    assert _automerge(journal) == search.AUTOMERGE == 8
    _new(journal, acme, notes="python")
    _execute(journal, "UPDATE search_index_content SET c10 = 'tampered'")

    assert journal.check_search_index().damaged

    assert _automerge(journal) == 8


def test_optimize_then_vacuum_removes_overwritten_text_from_the_file(
    journal: Journal, acme: int
) -> None:
    interview = _new(journal, acme, notes="canaryqz7 secret")
    journal.update_interview(interview, notes="clean")

    journal.optimize_search()
    journal.database.execute_sql("VACUUM")
    journal.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    files = [journal.path, journal.path.with_name(journal.path.name + "-wal")]
    assert all(b"canaryqz7" not in f.read_bytes() for f in files if f.exists())
    assert _ids(journal, "clean") == {interview}
    assert search.integrity_error() is None


# --------------------------------------------------------------------------- migration


V1_ROWS = [
    "INSERT INTO company (uuid, name, normalized_name, created_at, updated_at) "
    "VALUES ('0c1a0000000040008000000000000001', 'Acme', 'acme', '2026-03-02 09:00:00', "
    "'2026-03-02 09:00:00')",
    *(
        "INSERT INTO interview (uuid, company_id, role, stage, format, duration_minutes, "
        "location, outcome, went_well, went_poorly, do_differently, impressions, notes, "
        f"created_at, updated_at) VALUES ('0c1a000000004000800000000000001{i}', 1, 'role {i}', "
        f"'', '', 60, '', 'pending', '', '', '', '', '{notes}', '2026-03-02 09:00:00', "
        "'2026-03-02 09:00:00')"
        for i, notes in enumerate(["python", "rust", "python and rust"])
    ),
    "INSERT INTO question (uuid, interview_id, position, question, answer, next_time, practise) "
    "VALUES ('0c1a0000000040008000000000000021', 3, 0, '東京 kafka', '', '', 0)",
]


@pytest.fixture
def folder_at_v1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A closed journal at version 1 (before search) holding three interviews.

    Written in plain SQL: today's models may have columns that version 1 did not.
    """
    shipped = dbmod.MIGRATIONS_DIR
    use_migrations(tmp_path / "migrations", monkeypatch)
    folder = tmp_path / "journal"
    Journal.open(folder, clock=FakeClock()).close()
    journal_file = folder / "journal.sqlite3"
    with closing(sqlite3.connect(journal_file)) as conn, conn:
        for sql in V1_ROWS:
            conn.execute(sql)
    assert user_version(journal_file) == 1
    monkeypatch.setattr(dbmod, "MIGRATIONS_DIR", shipped)
    return folder


def test_migration_queues_every_interview_and_reindex_makes_them_findable(
    folder_at_v1: Path,
) -> None:
    with Journal.open(folder_at_v1, clock=FakeClock()) as journal:
        assert user_version(journal.path) == dbmod.latest_version() >= 2
        assert journal.pending_index_count() == 3
        assert journal.search("python").hits == ()  # nothing indexed yet
        progress: list[tuple[int, int]] = []

        assert journal.reindex_pending(progress=lambda d, t: progress.append((d, t))) == 3

        assert progress[-1] == (3, 3)
        assert journal.pending_index_count() == 0
        assert len(journal.search("python").hits) == 2
        assert len(journal.search("questions:kafka 東京").hits) == 1
        assert journal.check_search_index(deep=True).ok


def test_a_query_with_too_many_prefix_terms_gets_a_hint_not_a_minute_of_work(
    journal: Journal, acme: int
) -> None:
    _new(journal, acme, notes="alpha")
    query = " OR ".join(["a*"] * 200)[: search.MAX_QUERY_CHARS]  # under the length limit
    results = journal.search(query)
    assert results.hits == ()
    assert results.hint == search.HINT_TOO_MANY_PREFIXES
    allowed = " OR ".join(["alp*"] * search.MAX_PREFIX_TERMS)
    assert journal.search(allowed).hint is None


def test_a_search_past_its_time_budget_stops_and_says_cancelled(
    journal: Journal, acme: int
) -> None:
    for n in range(30):
        _new(journal, acme, notes=f"alpha beta gamma {n}")
    ticks = iter(range(1_000_000))
    # A fake clock that moves one second each time it is read: the budget of 5 s runs out
    # while the query runs, at the progress handler's fifth look.
    budget = Cancel(budget_s=5, clock=lambda: float(next(ticks)))
    assert not budget.cancelled
    results = journal.search("alpha OR beta OR gamma", cancel=budget)
    assert results.cancelled
    assert results.hits == ()
    assert journal.search("alpha", cancel=Cancel(budget_s=60)).hits  # a budget left: results
