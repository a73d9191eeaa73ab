"""Journal: what the user wrote comes back exactly, after the file is closed and reopened."""

from __future__ import annotations

import re
import sqlite3
import tempfile
import unicodedata
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from interview_journal.core.clock import FakeClock
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal import MAX_TEXT, TEXT_SECTIONS, Journal, normalize_name

from .journal_support import dump

# pyproject's `norecursedirs` replaces pytest's defaults, so a `.hypothesis/` folder in the
# repository makes Hypothesis's plugin warn during collection, and warnings are errors: the
# second run would fail. Keep Hypothesis's examples and caches in the temp folder instead.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "interview-journal-hypothesis")

SAMPLES = {
    "zwj-family": "👩\u200d👩\u200d👧\u200d👦 and 👨🏽\u200d💻, flags 🇩🇪🇯🇵, skin tone 👋🏿",
    "rtl-bidi": "\u202bשלום עולם\u202c, \u2067مرحبا بالعالم\u2069 \u200fmark\u200e \u202e!olleh",
    "combining": "e\u0301 cafe\u0301 A\u030a n\u0303 (not composed)",
    "precomposed": "é café Å ñ (composed)",
    "cjk": "面接の振り返り 面试反思 면접 회고 ｆｕｌｌｗｉｄｔｈ ㍻",
    "crlf": "first line\r\nsecond line\r\n\r\nlone CR\rlone LF\n",
    "zero-width": "a\u200bb\u200cc\u200dd\u2060e\ufefff\u00ad",
    "whitespace": "  leading and trailing  \t\n\n\u2028\u2029\u3000",
    "controls": "bell\x07 escape\x1b[31m del\x7f",
    "astral": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝄞 🀄",
    "markup": "<b>not bold</b> &amp; <img src=x onerror=alert(1)> ' OR 1=1; --",
}


def _reopen(journal: Journal, folder: Path, clock: FakeClock) -> Journal:
    journal.close()
    return Journal.open(folder, clock=clock)


def _stored(journal: Journal, column: str, interview_id: int) -> str:
    """What is in the file itself, read through plain sqlite3."""
    with closing(sqlite3.connect(journal.path)) as conn:
        row = conn.execute(f"SELECT {column} FROM interview WHERE id = ?", (interview_id,))
        value = row.fetchone()[0]
    assert isinstance(value, str)
    return value


@pytest.mark.parametrize("text", list(SAMPLES.values()), ids=list(SAMPLES))
def test_text_round_trips_exactly_through_a_reopen(
    journal: Journal, data_dir: Path, clock: FakeClock, text: str
) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme)
    journal.update_interview(doc.id, **dict.fromkeys(TEXT_SECTIONS, text))
    question = journal.add_question(doc.id, text, text, text)
    journal.add_action_item(doc.id, text)

    with _reopen(journal, data_dir, clock) as again:
        back = again.interview(doc.id)

        for section in TEXT_SECTIONS:
            assert getattr(back, section) == text, section
            assert _stored(again, section, doc.id) == text
        [q] = back.questions
        assert (q.id, q.question, q.answer, q.next_time) == (question.id, text, text, text)
        assert back.action_items[0].text == text


def test_combining_marks_are_not_normalised(
    journal: Journal, data_dir: Path, clock: FakeClock
) -> None:
    decomposed, composed = "e\u0301", "\u00e9"
    assert unicodedata.normalize("NFC", decomposed) == composed  # they look the same
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme)
    journal.update_interview(doc.id, went_well=decomposed, went_poorly=composed)

    with _reopen(journal, data_dir, clock) as again:
        back = again.interview(doc.id)

        assert back.went_well == decomposed
        assert back.went_poorly == composed
        assert back.went_well != back.went_poorly
        assert (len(back.went_well), len(back.went_poorly)) == (2, 1)
        assert _stored(again, "went_well", doc.id).encode() == b"e\xcc\x81"
        assert _stored(again, "went_poorly", doc.id).encode() == b"\xc3\xa9"


def test_company_identity_is_normalised_but_its_name_is_kept(journal: Journal) -> None:
    first = journal.create_company("Cafe\u0301 Ltd").company

    again = journal.create_company("CAF\u00c9  ltd")

    assert again.created is False
    assert again.company.id == first.id
    assert again.company.name == "Cafe\u0301 Ltd"


def test_one_megabyte_section_round_trips(
    journal: Journal, data_dir: Path, clock: FakeClock
) -> None:
    unit = "Line with émoji 👩\u200d👩\u200d👧\u200d👦, RTL \u202bשלום\u202c, CJK 面接\r\n"
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    assert len(text) == 1_000_000
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme)

    journal.update_interview(doc.id, notes=text)

    with _reopen(journal, data_dir, clock) as again:
        assert again.interview(doc.id).notes == text


def test_a_section_at_the_limit_is_accepted(journal: Journal) -> None:
    acme = journal.create_company("Acme").company.id
    doc = journal.create_interview(acme)
    text = "é" * MAX_TEXT

    assert journal.update_interview(doc.id, impressions=text).impressions == text


# --------------------------------------------------------------------------- properties

SAVEABLE = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
FUZZ = settings(
    max_examples=50,
    deadline=None,  # each example commits to disk with synchronous=FULL
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def blank_interview(journal: Journal) -> int:
    acme = journal.create_company("Acme").company.id
    return journal.create_interview(acme).id


@FUZZ
@given(text=st.text(SAVEABLE, max_size=3000), section=st.sampled_from(TEXT_SECTIONS))
def test_section_text_round_trips(
    journal: Journal, blank_interview: int, text: str, section: str
) -> None:
    journal.update_interview(blank_interview, **{section: text})

    assert getattr(journal.interview(blank_interview), section) == text
    assert _stored(journal, section, blank_interview) == text


@FUZZ
@given(question=st.text(SAVEABLE, max_size=500), answer=st.text(SAVEABLE, max_size=500))
def test_question_text_round_trips(
    journal: Journal, blank_interview: int, question: str, answer: str
) -> None:
    row = journal.add_question(blank_interview, question, answer)

    back = next(q for q in journal.questions(blank_interview) if q.id == row.id)
    assert (back.question, back.answer) == (question, answer)


@FUZZ
@given(
    text=st.text(SAVEABLE, max_size=200),
    bad=st.sampled_from(["\x00", "\ud800", "\udfff", "\udbff"]),
    where=st.integers(min_value=0, max_value=200),
    section=st.sampled_from(TEXT_SECTIONS),
)
def test_unsaveable_characters_are_refused_wherever_they_are(
    journal: Journal, blank_interview: int, text: str, bad: str, where: int, section: str
) -> None:
    before = dump(journal)
    where = min(where, len(text))
    poisoned = text[:where] + bad + text[where:]

    with pytest.raises(InvalidInput, match="cannot be saved"):
        journal.update_interview(blank_interview, **{section: poisoned})

    assert dump(journal) == before


@FUZZ
@given(name=st.text(SAVEABLE, min_size=1, max_size=60))
def test_company_names_save_cleanly_or_are_refused_as_empty(
    journal: Journal, name: str
) -> None:
    # Invisible format characters alone (soft hyphen, zero-width space) count as empty.
    if not "".join(c for c in name if unicodedata.category(c) != "Cf").strip():
        with pytest.raises(InvalidInput, match="cannot be empty"):
            journal.create_company(name)
        return
    # Control characters that are not white space (which is folded) would drive a terminal.
    if re.search("[\x00-\x08\x0e-\x1f\x7f-\x9f]", " ".join(name.split())):
        with pytest.raises(InvalidInput, match="control character"):
            journal.create_company(name)
        return
    result = journal.create_company(name)
    key = normalize_name(name)
    if result.created:  # an earlier example may already have made it
        assert result.company.name == " ".join(name.split())
    assert normalize_name(result.company.name) == key
    # The same name again, differently spaced and cased, finds the same company exactly when
    # it normalises the same (upper() and casefold() disagree for a few characters, e.g. "ı").
    again = journal.create_company(f"  {name.strip().upper()}  ")
    same = normalize_name(name.upper()) == key
    assert (again.company.id == result.company.id) is same
