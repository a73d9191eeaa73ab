"""Search: the words and phrases a query looks for (``search.query_terms``), read with the
search's own parser, so that what the opened interview selects is what was searched for.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from interview_journal.core import search
from interview_journal.core.journal import Journal

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "interview-journal-hypothesis")


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("kafka zookeeper", ["kafka", "zookeeper"]),
        ("Kafka kafka KAFKA", ["Kafka"]),  # each once, the first spelling
        # Quotes: a phrase is one term; an unfinished one still is.
        ('"rate limiter" kafka', ["rate limiter", "kafka"]),
        ('"unfinished phr', ["unfinished phr"]),
        ('"  spaced   out  "', ["spaced out"]),
        # Column prefixes are not terms, in any case and with a space after the colon.
        ("notes:kafka", ["kafka"]),
        ("Notes: kafka", ["kafka"]),
        ('went_well:"good talk"', ["good talk"]),
        ("{notes role}: kafka", ["kafka"]),
        ("x:y", ["x:y"]),  # not a column: the search looks for x:y itself
        # A prefix term comes without its star.
        ("kube*", ["kube"]),
        ('"rate lim"*', ["rate lim"]),
        # Operators are not terms; what is left out is not looked for.
        ("kafka OR zoo", ["kafka", "zoo"]),
        ("kafka AND zoo", ["kafka", "zoo"]),
        ("(kafka OR zoo) scala", ["kafka", "zoo", "scala"]),
        ("kafka -java", ["kafka"]),
        ('kafka -"rate limiter"', ["kafka"]),
        ("kafka NOT java", ["kafka"]),
        ("kafka AND NOT java", ["kafka"]),
        ("kafka NOT java NOT scala zoo", ["kafka", "zoo"]),
        ("kafka -(java OR scala) zoo", ["kafka", "zoo"]),
        ("kafka notes:-java", ["kafka"]),
        ("kafka -notes:java zoo", ["kafka", "zoo"]),
        ("kafka OR -java", ["kafka"]),  # an exclusion with nothing to apply to is dropped
        ("NOT java", ["java"]),  # and so is an operator with nothing before it
        ('notes:kafka "rate limiter" -java OR kube*', ["kafka", "rate limiter", "kube"]),
        # Words with the characters the index keeps.
        ("c++ c# o'brien café", ["c++", "c#", "o'brien", "café"]),
        # CJK: a run comes back as typed, not as the characters it is searched as.
        ("東京", ["東京"]),
        ("東京 タワー", ["東京", "タワー"]),
        ("東京tower", ["東京", "tower"]),
        ('"東京タワー"', ["東京タワー"]),
        ('"東京 タワー"', ["東京 タワー"]),  # the space typed stays
        ("notes:면접 준비", ["면접", "준비"]),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert search.query_terms(query) == terms


@pytest.mark.parametrize("query", ["", "   ", "-java", "-java -scala", "AND OR NOT", "()", '""'])
def test_a_query_without_anything_to_look_for_has_no_terms(query: str) -> None:
    assert search.query_terms(query) == []


def test_a_query_the_search_refuses_has_no_terms() -> None:
    assert search.query_terms("kafka " * search.MAX_QUERY_CHARS) == []
    too_many = " ".join(f"w{i}*" for i in range(search.MAX_PREFIX_TERMS + 1))
    assert search.parse_query(too_many).fts is None
    assert search.query_terms(too_many) == []


@given(st.text(alphabet=st.sampled_from('ab東京 "-*():{}NOTRnotes_'), max_size=40))
def test_query_terms_never_raise_and_hold_no_syntax(text: str) -> None:
    terms = search.query_terms(text)
    assert len({t.casefold() for t in terms}) == len(terms)
    for term in terms:
        assert term == term.strip()
        assert term
        assert term not in ("AND", "OR", "NOT")
        assert '"' not in term


def test_every_term_of_a_matching_query_is_in_the_interview(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme)
    journal.update_interview(
        doc.id, notes="We talked about Kafka, a rate limiter and 東京タワー.", went_well="Java"
    )
    query = 'notes:kafka "rate limiter" -scala 東京 OR kube*'

    results = journal.search(query)

    assert [hit.interview_id for hit in results.hits] == [doc.id]
    text = journal.interview(doc.id).notes.casefold()
    assert search.query_terms(query) == ["kafka", "rate limiter", "東京", "kube"]
    assert all(term.casefold() in text for term in ["kafka", "rate limiter", "東京"])
