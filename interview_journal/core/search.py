"""Full-text search over everything written: the FTS5 index and the queries (docs/architecture.md).

The index (``search_index``, created by migration 0002) holds one row per interview, its rowid
the interview's id, with a column per query field prefix. It keeps its own copy of the text;
the Journal rewrites an interview's row from the base tables in the same transaction as every
write that changes its text (see ``Journal._write``), and queues the id in ``search_pending``
when that fails, so that a broken index never costs the user a save.

What the user types goes through ``FTS5Model.web_query`` (quotes, ``-exclude``, ``OR``,
``column:`` prefixes) and never reaches ``MATCH`` raw. Nothing typed raises: an unusable
query gives no hits and a hint.

CJK text has no spaces between words, and ``unicode61`` would make a whole run of Han, kana
or Hangul one token. The indexed copy therefore separates every CJK character from its
neighbours with U+001F (a separator to the tokenizer, never typed by users), and a CJK run in
a query becomes a phrase of single characters: a CJK query matches wherever its characters
appear in that order, as a substring search would. The separators are taken out of snippets.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import peewee
from peewee import IntegerField, Model
from playhouse.sqlite_ext import FTS5Model, RowIDField, SearchField

from interview_journal.core import db as dbmod
from interview_journal.core.clock import stored_date, stored_utc
from interview_journal.core.domain import SEARCH_FIELD, SEARCH_PREFIXES
from interview_journal.core.errors import SearchIndexDamaged
from interview_journal.core.models import (
    ActionItem,
    Company,
    Interview,
    InterviewPerson,
    InterviewTag,
    Person,
    Question,
    Tag,
    database_proxy,
)

log = logging.getLogger(__name__)

# The index's columns, in table order; they are also the query's field prefixes. They come
# from the searchable fields of core/domain.py, in page order; migration 0002 created the
# table with these columns, so a change here needs a migration (a test compares the two).
COLUMNS: tuple[str, ...] = SEARCH_PREFIXES

# BM25 weight of a hit in each column: what was asked and written counts more than names.
WEIGHTS: Mapping[str, float] = {column: SEARCH_FIELD[column].search_weight for column in COLUMNS}

TOKENIZE = "unicode61 remove_diacritics 2 tokenchars '+#'"

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_QUERY_CHARS = 1000
PREFIX_MIN_CHARS = 3  # the last word is matched as a prefix once it is this long
# Words ending in * in one query: each expands to every indexed word it begins, and
# "a* OR a* ..." under the length limit ran for over a minute on a heavy journal.
MAX_PREFIX_TERMS = 8
SNIPPET_TOKENS = 20
PROGRESS_STEPS = 1000  # SQLite VM steps between two looks at a Cancel token
# Segments that gather on a level before FTS5 merges them (migration 0004 says why).
AUTOMERGE = 8

HINT_EMPTY = "Type at least one word to search for."
HINT_ONLY_EXCLUDED = (
    "Add a word to search for: a word with - in front only leaves results out."
)
HINT_TOO_LONG = f"That search is too long (the limit is {MAX_QUERY_CHARS:,} characters)."
HINT_TOO_MANY_PREFIXES = (
    f"That search has too many words ending in * (the limit is {MAX_PREFIX_TERMS}); "
    "use whole words for the others."
)
HINT_NO_MATCH = "No interview matches that search."
HINT_INDEX_DAMAGED = (
    "The search index is damaged or missing; your notes are intact. The app rebuilds the "
    "index from them the next time it starts."
)
HINT_NOT_UNDERSTOOD = "That search could not be understood: {reason}. Try plain words."

# Markers FTS5 puts around matches in snippets, and the separator put around CJK characters
# in the indexed copy. All three are control characters (separators to the tokenizer) and
# are replaced by spaces in the text that is indexed, so they only ever come from us.
_OPEN = "\x02"
_CLOSE = "\x03"
_CJK_SEP = "\x1f"
_ELLIPSIS = "…"

# Han (with extensions and compatibility ideographs), Hiragana, Katakana (with the phonetic
# extensions and half-width forms), Hangul (syllables and jamo), and the iteration marks.
_CJK_CLASS = (
    "[\u1100-\u11ff\u3005-\u3007\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f]"
)
_CJK = re.compile(_CJK_CLASS)
_CJK_EDGE = re.compile(f"(?<={_CJK_CLASS})(?=\\S)|(?<=\\S)(?={_CJK_CLASS})")
_QUOTE_OR_CJK_RUN = re.compile(f'"|{_CJK_CLASS}+')
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_MARKERS = re.compile(f"([{_OPEN}{_CLOSE}])")
_COLUMN_PREFIX = re.compile(r"\b(" + "|".join(COLUMNS) + r")(\s*:)", re.IGNORECASE)
_LEADING_COLSPEC = re.compile(r"^(?:\w+|\{[^}]*\})\s*:")
_LAST_TOKEN = re.compile(r"(\S+)\s*$")
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_PREFIX_TERM = re.compile(r'"\*')  # web_query writes a prefix term as "word"*


# --------------------------------------------------------------------------- models


class SearchIndex(FTS5Model):  # type: ignore[misc]  # playhouse ships no type stubs
    """One row per interview (rowid = interview id), a column per query field prefix."""

    rowid = RowIDField()
    company = SearchField()
    role = SearchField()
    people = SearchField()
    topics = SearchField()
    questions = SearchField()
    went_well = SearchField()
    went_poorly = SearchField()
    do_differently = SearchField()
    action_items = SearchField()
    impressions = SearchField()
    notes = SearchField()

    class Meta:
        database = database_proxy
        table_name = "search_index"
        options = {"tokenize": TOKENIZE}


class SearchPending(Model):
    """An interview whose index row must be (re)written: after the migration, or a failure."""

    interview_id = IntegerField(primary_key=True)

    class Meta:
        database = database_proxy
        table_name = "search_pending"


SEARCH_MODELS: tuple[type[Model], ...] = (SearchIndex, SearchPending)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search; every field left as None does not filter. Dates are inclusive."""

    company_id: int | None = None
    stage: str | None = None
    outcome: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    min_rating: int | None = None  # self-rating at least this


@dataclass(frozen=True)
class SearchHit:
    """One interview that matched, with the section that matched and a plain-text snippet.

    ``highlights`` are (start, end) offsets into ``snippet`` of the matched words, for a
    delegate to draw; the snippet is never HTML.
    """

    interview_id: int
    interview_uuid: str
    company: str
    role: str
    starts_at: datetime | None  # aware, UTC
    date: date | None
    section: str  # one of COLUMNS
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    rank: int  # 1 for the best hit
    score: float  # FTS5 bm25 (lower is better)


@dataclass(frozen=True)
class SearchResults:
    """The hits of one search, best first; ``hint`` says why there are none, if there are none.

    ``total`` counts every match (``hits`` stops at the limit). ``cancelled`` is set when a
    ``Cancel`` token (or an interrupt) stopped the search; such results are to be dropped.
    """

    hits: tuple[SearchHit, ...] = ()
    hint: str | None = None
    total: int = 0
    cancelled: bool = False


class Cancel:
    """A token a newer search uses to stop an older one running on another thread.

    ``search(..., cancel=token)`` installs an SQLite progress handler on the searching
    thread's connection that looks at the token every ``PROGRESS_STEPS`` VM steps, so a
    running query stops soon after ``cancel()`` is called from any thread. (Calling
    ``interrupt()`` on that connection works too; the search then also reports cancelled.)
    With ``budget_s`` the token also cancels itself once that many seconds have passed on
    ``clock`` (the command line's time budget; tests pass a fake clock).
    """

    def __init__(
        self, *, budget_s: float | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._event = threading.Event()
        self._clock = clock
        self._deadline = None if budget_s is None else clock() + budget_s

    def cancel(self) -> None:
        """Ask the search (or reindex) holding this token to stop."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """True once ``cancel()`` was called or the time budget ran out."""
        if self._event.is_set():
            return True
        if self._deadline is not None and self._clock() >= self._deadline:
            self._event.set()
            return True
        return False


class _Interrupted(Exception):
    """Raised inside ``search`` when its Cancel token stopped a query."""


# --------------------------------------------------------------------------- the index


def index_text(text: str) -> str:
    """The indexed copy of ``text``: control characters blanked, CJK characters separated."""
    blanked = _CONTROL.sub(" ", text)
    # The edge pattern looks around every character; text without CJK needs none of it
    # (most text: this is what indexing thousands of interviews at once spends its time on).
    if blanked.isascii() or _CJK.search(blanked) is None:
        return blanked
    return _CJK_EDGE.sub(_CJK_SEP, blanked)


def document(interview_id: int) -> dict[str, str] | None:
    """An interview's searchable text per column, read from the base tables (None if gone)."""
    row = (
        Interview.select(
            Company.name,
            Interview.role,
            Interview.went_well,
            Interview.went_poorly,
            Interview.do_differently,
            Interview.impressions,
            Interview.notes,
        )
        .join(Company)
        .where(Interview.id == interview_id)
        .tuples()
        .first()
    )
    if row is None:
        return None
    company, role, went_well, went_poorly, do_differently, impressions, notes = row
    people = _rows(
        Person.select(Person.name, Person.title)
        .join(InterviewPerson)
        .where(InterviewPerson.interview == interview_id)
        .order_by(InterviewPerson.position)
    )
    topics = _rows(
        Tag.select(Tag.name)
        .join(InterviewTag)
        .where(InterviewTag.interview == interview_id)
        .order_by(InterviewTag.position)
    )
    questions = _rows(
        Question.select(Question.question, Question.answer, Question.next_time)
        .where(Question.interview == interview_id)
        .order_by(Question.position)
    )
    actions = _rows(
        ActionItem.select(ActionItem.text)
        .where(ActionItem.interview == interview_id)
        .order_by(ActionItem.position)
    )
    return {
        "company": company,
        "role": role,
        "people": _lines(f"{name}, {title}" if title else name for name, title in people),
        "topics": _lines(name for (name,) in topics),
        "questions": "\n\n".join(_lines(parts) for parts in questions),
        "went_well": went_well,
        "went_poorly": went_poorly,
        "do_differently": do_differently,
        "action_items": _lines(text for (text,) in actions),
        "impressions": impressions,
        "notes": notes,
    }


def _rows(query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as tuples (Peewee's stubs type them as model instances)."""
    return [tuple(row) for row in query.tuples()]


def ids(query: Any) -> list[int]:
    """The first column of a query's rows, as ints."""
    return [int(row[0]) for row in query.tuples()]


def _lines(parts: Iterable[str]) -> str:
    return "\n".join(part for part in parts if part)


def index_interview(interview_id: int) -> None:
    """Rewrite an interview's index row from the base tables (remove it if the interview is gone).

    Call it inside the transaction of the write that changed the text. A row that already
    holds the current text is left alone.
    """
    doc = document(interview_id)
    if doc is None:
        remove(interview_id)
        return
    wanted = tuple(index_text(doc[column]) for column in COLUMNS)
    stored = (
        SearchIndex.select(*[getattr(SearchIndex, column) for column in COLUMNS])
        .where(SearchIndex.rowid == interview_id)
        .tuples()
        .first()
    )
    if stored is not None and tuple(stored) == wanted:
        return
    remove(interview_id)
    SearchIndex.insert({SearchIndex.rowid: interview_id, **dict(zip(COLUMNS, wanted, strict=True))}
                       ).execute()


def index_many(db: Any, interview_ids: Iterable[int]) -> None:
    """Rewrite many interviews' index rows at once, inside the caller's transaction: the same
    text as ``index_interview`` gives each (``document``), read with one query per table
    rather than a few per interview (an import indexes thousands at a time)."""
    wanted = set(interview_ids)
    if not wanted:
        return
    conn = db.connection()

    def grouped(sql: str) -> dict[int, list[tuple[Any, ...]]]:
        found: dict[int, list[tuple[Any, ...]]] = {}
        for owner, *rest in conn.execute(sql):
            if owner in wanted:
                found.setdefault(owner, []).append(tuple(rest))
        return found

    people = grouped(
        "SELECT l.interview_id, p.name, p.title FROM interview_person l "
        "JOIN person p ON p.id = l.person_id ORDER BY l.interview_id, l.position")
    topics = grouped(
        "SELECT l.interview_id, t.name FROM interview_tag l JOIN tag t ON t.id = l.tag_id "
        "ORDER BY l.interview_id, l.position")
    questions = grouped(
        "SELECT interview_id, question, answer, next_time FROM question "
        "ORDER BY interview_id, position, id")
    actions = grouped(
        "SELECT interview_id, text FROM action_item ORDER BY interview_id, position, id")
    rows = []
    for row in conn.execute(
        "SELECT i.id, c.name, i.role, i.went_well, i.went_poorly, i.do_differently, "
        "i.impressions, i.notes FROM interview i JOIN company c ON c.id = i.company_id"
    ):
        interview_id = row[0]
        if interview_id not in wanted:
            continue
        company, role, went_well, went_poorly, do_differently, impressions, notes = row[1:]
        doc = {
            "company": company,
            "role": role,
            "people": _lines(f"{name}, {title}" if title else name
                             for name, title in people.get(interview_id, ())),
            "topics": _lines(name for (name,) in topics.get(interview_id, ())),
            "questions": "\n\n".join(_lines(parts) for parts in questions.get(interview_id, ())),
            "went_well": went_well,
            "went_poorly": went_poorly,
            "do_differently": do_differently,
            "action_items": _lines(text for (text,) in actions.get(interview_id, ())),
            "impressions": impressions,
            "notes": notes,
        }
        rows.append((interview_id, *(index_text(doc[column]) for column in COLUMNS)))
    conn.executemany("DELETE FROM search_index WHERE rowid = ?", [(i,) for i in wanted])
    columns = ", ".join(COLUMNS)
    marks = ", ".join("?" * (len(COLUMNS) + 1))
    conn.executemany(f"INSERT INTO search_index (rowid, {columns}) VALUES ({marks})", rows)
    unmark_pending(wanted)


def remove(interview_id: int) -> None:
    """Take an interview out of the index."""
    SearchIndex.delete().where(SearchIndex.rowid == interview_id).execute()


def mark_pending(interview_ids: Iterable[int]) -> None:
    """Queue interviews for (re)indexing."""
    rows = [{SearchPending.interview_id: interview_id} for interview_id in interview_ids]
    if not rows:
        return
    for start in range(0, len(rows), 500):
        SearchPending.insert_many(rows[start : start + 500]).on_conflict_ignore().execute()


def unmark_pending(interview_ids: Iterable[int]) -> None:
    """Take interviews off the reindex queue (their rows are current)."""
    ids = list(interview_ids)
    if not ids:
        return
    for start in range(0, len(ids), 500):
        SearchPending.delete().where(
            SearchPending.interview_id.in_(ids[start : start + 500])
        ).execute()


def pending_ids(*, after: int = 0, limit: int = 100) -> list[int]:
    """Queued interview ids above ``after``, in order."""
    query = (
        SearchPending.select(SearchPending.interview_id)
        .where(SearchPending.interview_id > after)
        .order_by(SearchPending.interview_id)
        .limit(limit)
    )
    return ids(query)


def pending_count() -> int:
    """How many interviews wait to be (re)indexed."""
    return int(SearchPending.select().count())


def integrity_error() -> str | None:
    """FTS5's own integrity check of the index against its stored copy; None when it passes.

    A missing or structurally broken index (its table dropped, a shadow table gone, a bad
    format version) counts as damage too; only a failing environment (disk I/O, a lock, a
    full or read-only disk) is raised.
    """
    try:
        database_proxy.execute_sql(
            "INSERT INTO search_index(search_index, rank) VALUES ('integrity-check', 1)"
        )
    except (sqlite3.DatabaseError, peewee.DatabaseError) as error:
        if not (_is_corruption(error) or _index_broken(error)):
            raise
        return str(error) or type(error).__name__
    return None


def _index_broken(error: BaseException) -> bool:
    """Whether SQLite's error says the search index table itself is missing or unusable."""
    for current in dbmod.error_chain(error):
        name = str(getattr(current, "sqlite_errorname", ""))
        text = str(current).lower()
        if name == "SQLITE_CORRUPT_VTAB" or any(
            marker in text
            for marker in ("no such table: search_index", "vtable constructor failed",
                           "invalid fts5 file format", "no such table: main.search_index")
        ):
            return True
    return False


def _is_corruption(error: BaseException) -> bool:
    for current in dbmod.error_chain(error):
        name = str(getattr(current, "sqlite_errorname", ""))
        text = str(current).lower()
        if name.startswith("SQLITE_CORRUPT") or "malformed" in text or "corrupt" in text:
            return True
    return False


def rowid_mismatch() -> tuple[set[int], set[int]]:
    """Interviews missing from the index, and index rows with no interview."""
    interviews = set(ids(Interview.select(Interview.id)))
    indexed = set(ids(SearchIndex.select(SearchIndex.rowid)))
    return interviews - indexed, indexed - interviews


def stale_rows() -> set[int]:
    """Interviews whose index row differs from the text in the base tables (a full read)."""
    stale: set[int] = set()
    columns = [getattr(SearchIndex, column) for column in COLUMNS]
    for rowid, *stored in SearchIndex.select(SearchIndex.rowid, *columns).tuples().iterator():
        doc = document(rowid)
        if doc is None or tuple(stored) != tuple(index_text(doc[c]) for c in COLUMNS):
            stale.add(rowid)
    return stale


# The plain tables FTS5 keeps an index in ("search_index_data" and so on).
_SHADOW_TABLES = ("data", "idx", "content", "docsize", "config")


def recreate_index() -> None:
    """Drop and recreate the (damaged) index table, empty; the caller queues every interview.

    FTS5's own 'rebuild' would re-index the table's stored copy, which may be the stale part.
    A structurally broken index cannot even be dropped (FTS5 fails to load it: "vtable
    constructor failed"); its entry is then taken out of the schema directly and its shadow
    tables dropped, which is all a DROP TABLE would have done.
    """
    try:
        with database_proxy.atomic():  # a savepoint: a failed DROP leaves nothing half done
            database_proxy.execute_sql('DROP TABLE IF EXISTS "search_index"')
    except (sqlite3.DatabaseError, peewee.DatabaseError) as error:
        if not _index_broken(error) and not _is_corruption(error):
            raise
        log.warning("the search index cannot be loaded; removing it from the schema")
        _forget_index_table()
    for suffix in _SHADOW_TABLES:
        database_proxy.execute_sql(f'DROP TABLE IF EXISTS "search_index_{suffix}"')
    SearchIndex.create_table(safe=False)
    database_proxy.execute_sql(
        f"INSERT INTO search_index(search_index, rank) VALUES ('automerge', {AUTOMERGE})"
    )


def _forget_index_table() -> None:
    """Take the broken ``search_index`` entry out of ``sqlite_schema`` (inside the write).

    The schema version is bumped in the same step, so that every connection reloads the
    schema; the shadow tables are then ordinary tables, dropped by the caller.
    """
    version = int(database_proxy.execute_sql("PRAGMA schema_version").fetchone()[0])
    database_proxy.execute_sql("PRAGMA writable_schema = ON")
    try:
        database_proxy.execute_sql(
            "DELETE FROM sqlite_master WHERE type = 'table' AND name = 'search_index'"
        )
        database_proxy.execute_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        database_proxy.execute_sql("PRAGMA writable_schema = OFF")


def optimize() -> None:
    """Merge the index's segments (FTS5 'optimize'), which also drops deleted text from them."""
    database_proxy.execute_sql("INSERT INTO search_index(search_index) VALUES ('optimize')")


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class ParsedQuery:
    """What the user typed, as an FTS5 query, or the hint to show instead."""

    fts: str | None
    hint: str | None


def parse_query(text: str, *, prefix_last: bool = True) -> ParsedQuery:
    """Turn a search box's text into a valid FTS5 query through ``FTS5Model.web_query``.

    Column prefixes are accepted in any case; the last bare word gets a ``*`` once it has
    ``PREFIX_MIN_CHARS`` characters (search as you type); CJK runs become phrases of single
    characters, as they are indexed.
    """
    if len(text) > MAX_QUERY_CHARS:
        return ParsedQuery(None, HINT_TOO_LONG)
    # Lone surrogates cannot be sent to SQLite; control characters are separators anyway.
    cleaned = _CONTROL.sub(" ", text.encode("utf-8", "replace").decode("utf-8"))
    if not cleaned.strip():
        return ParsedQuery(None, HINT_EMPTY)
    cleaned = _COLUMN_PREFIX.sub(lambda m: m.group(1).lower() + m.group(2), cleaned)
    if prefix_last:
        cleaned = _star_last_word(cleaned)
    fts = str(SearchIndex.web_query(_split_cjk(cleaned)))
    if len(_PREFIX_TERM.findall(fts)) > MAX_PREFIX_TERMS:
        return ParsedQuery(None, HINT_TOO_MANY_PREFIXES)
    if fts == '""':
        if any(ch.isalnum() for ch in cleaned) and re.search(r"(^|\s)-\S", cleaned):
            return ParsedQuery(None, HINT_ONLY_EXCLUDED)
        return ParsedQuery(None, HINT_EMPTY)
    return ParsedQuery(fts, None)


def _star_last_word(text: str) -> str:
    """Add ``*`` to the last word if it is a plain word of ``PREFIX_MIN_CHARS`` or more."""
    if text.count('"') % 2:
        return text  # inside an unfinished phrase
    match = _LAST_TOKEN.search(text)
    if match is None:
        return text
    token = match.group(1)
    if token in _OPERATORS or token.startswith("-") or any(c in token for c in '"()*'):
        return text
    colspec = _LEADING_COLSPEC.match(token)
    word = token[colspec.end() :] if colspec else token
    if (
        len(word) < PREFIX_MIN_CHARS
        or word.startswith("-")
        or _CJK.search(word)
        or not any(c.isalnum() for c in word)
    ):
        return text
    return text[: match.end(1)] + "*"


def _split_cjk(text: str) -> str:
    """Turn CJK runs into phrases of single characters (inside quotes: just spaced out)."""
    parts: list[str] = []
    in_quote = False
    end = 0
    for match in _QUOTE_OR_CJK_RUN.finditer(text):
        parts.append(text[end : match.start()])
        end = match.end()
        piece = match.group()
        if piece == '"':
            in_quote = not in_quote
            parts.append(piece)
        elif in_quote:
            parts.append(" " + " ".join(piece) + " ")
        else:
            parts.append('"' + " ".join(piece) + '" ')
    parts.append(text[end:])
    return "".join(parts)


# The pieces of an FTS5 query as ``parse_query`` writes it: a string (``""`` inside is a
# quote), one of the punctuation marks, or a bare word (only AND, OR and NOT are written).
_FTS_TOKEN = re.compile(r'"(?P<string>(?:[^"]|"")*)"|(?P<mark>[(){}:*])|(?P<word>[^\s"(){}:*]+)')
# A single space between two CJK characters in a phrase: ``_split_cjk`` put it there (a
# space that was typed comes out as three).
_CJK_GAP = re.compile(f"(?<={_CJK_CLASS}) (?={_CJK_CLASS})")


def query_terms(text: str) -> list[str]:
    """The words and phrases a search box's text looks for, in order, each once (ignoring
    case): what to find in an interview it matched when the snippet highlighted nothing.

    The text is read as ``search`` reads it (``parse_query``): column prefixes (``notes:``)
    and operators are not terms, a prefix term comes without its ``*``, and what is left
    out (``-word``, ``NOT word``) is not looked for. A CJK run comes back as typed, not as
    the phrase of single characters it is searched as. A search that cannot be used has no
    terms.
    """
    fts = parse_query(text, prefix_last=False).fts
    if fts is None:
        return []
    tokens = [(m.lastgroup, m.group(m.lastgroup or 0)) for m in _FTS_TOKEN.finditer(fts)]
    terms: list[str] = []
    seen: set[str] = set()
    depth = 0
    left_out: int | None = None  # the depth of the group a NOT leaves out, while inside it
    negate = False  # the next operand is left out
    in_columns = False  # inside {"column" ...}
    for index, (kind, value) in enumerate(tokens):
        if kind == "word":
            negate = negate or value == "NOT"
        elif value == "(":
            depth += 1
            if negate and left_out is None:
                left_out, negate = depth, False
        elif value == ")":
            if left_out == depth:
                left_out = None
            depth -= 1
        elif value in ("{", "}"):
            in_columns = value == "{"
        elif kind == "string":
            if in_columns or tokens[index + 1 : index + 2] == [("mark", ":")]:
                continue  # a column name
            if negate or left_out is not None:
                negate = False
                continue
            term = _SPACES.sub(" ", _CJK_GAP.sub("", value.replace('""', '"'))).strip()
            if term and term.casefold() not in seen:
                seen.add(term.casefold())
                terms.append(term)
    return terms


def _bm25(weights: Iterable[float]) -> str:
    return "bm25(search_index, " + ", ".join(repr(float(w)) for w in weights) + ")"


def _section_sql() -> str:
    """SQL for the index of the column that matched best (ties go to the heavier column).

    bm25 with every weight but one set to 0 scores the hits in that one column only (0 when
    it has none); it reads the hit list FTS5 already has, so it costs no tokenizing.
    """
    scores = {
        column: _bm25(WEIGHTS[c] if c == column else 0.0 for c in COLUMNS) for column in COLUMNS
    }
    by_weight = sorted(COLUMNS, key=lambda c: (-WEIGHTS[c], COLUMNS.index(c)))
    best = "min(" + ", ".join(scores[c] for c in COLUMNS) + ")"
    whens = " ".join(f"WHEN {scores[c]} THEN {COLUMNS.index(c)}" for c in by_weight)
    return f"CASE {best} {whens} ELSE 0 END"


# The statements are written out once: Peewee would rebuild ~300 bound parameters per
# keystroke, which costs more than the search itself. CROSS JOIN keeps the index as the
# outer loop, so FTS5 hands rows over in rank order and LIMIT stops the work: snippets are
# made for the rows shown only.
# The rank function FTS5 sorts by ("rank MATCH ..." takes its arguments after the table's).
_RANK = "bm25(" + ", ".join(repr(WEIGHTS[c]) for c in COLUMNS) + ")"
_SECTION = _section_sql()
_FROM = (
    "FROM search_index CROSS JOIN interview AS i CROSS JOIN company AS c "
    "WHERE search_index MATCH ? AND i.id = search_index.rowid AND c.id = i.company_id "
    "AND i.trashed_at IS NULL AND c.trashed_at IS NULL"
)
_SELECT = (
    "SELECT search_index.rowid, i.uuid, c.name, i.role, i.starts_at, i.date, rank, "
    f"{_SECTION}, snippet(search_index, {_SECTION}, ?, ?, ?, ?) "
)
_COUNT = "SELECT count(*) "
# Without filters, counting all matches and taking away the trashed ones skips two lookups
# per match (several times faster for common words).
_TRASHED = (
    "SELECT id FROM interview WHERE trashed_at IS NOT NULL UNION "
    "SELECT id FROM interview WHERE company_id IN "
    "(SELECT id FROM company WHERE trashed_at IS NOT NULL)"
)
_COUNT_LIVE = (
    "SELECT (SELECT count(*) FROM search_index WHERE search_index MATCH ?1) - "
    "(SELECT count(*) FROM search_index WHERE search_index MATCH ?1 "
    f"AND rowid IN ({_TRASHED}))"
)


def _filter_sql(filters: SearchFilters | None) -> tuple[str, list[Any]]:
    if filters is None:
        return "", []
    clauses: list[str] = []
    params: list[Any] = []
    for value, clause in (
        (filters.company_id, "i.company_id = ?"),
        (filters.stage, "i.stage = ?"),
        (filters.outcome, "i.outcome = ?"),
        (filters.date_from, "i.date >= ?"),
        (filters.date_to, "i.date <= ?"),
        (filters.min_rating, "i.self_rating >= ?"),
    ):
        if value is not None:
            clauses.append(f" AND {clause}")
            params.append(value.isoformat() if isinstance(value, date) else value)
    return "".join(clauses), params


def search(
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    filters: SearchFilters | None = None,
    cancel: Cancel | None = None,
    prefix_last: bool = True,
) -> SearchResults:
    """Interviews matching ``query``, best first, one hit per interview, at most ``limit``.

    Trashed interviews and interviews of trashed companies are left out. Nothing typed
    raises: an unusable query returns no hits and a hint. Only a failing environment (a
    locked or damaged file) raises, as a ``StorageError``. Safe to call from a worker
    thread (Peewee gives each thread its own connection); ``cancel`` stops it from another.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be from 1 to {MAX_LIMIT}, not {limit}")
    parsed = parse_query(query, prefix_last=prefix_last)
    if parsed.fts is None:
        return SearchResults(hint=parsed.hint)
    where, where_params = _filter_sql(filters)
    try:
        with _cancellable(cancel):
            rows = database_proxy.execute_sql(
                f"{_SELECT}{_FROM} AND rank MATCH ?{where} ORDER BY rank LIMIT ?",
                [_OPEN, _CLOSE, _ELLIPSIS, SNIPPET_TOKENS, parsed.fts, _RANK, *where_params,
                 limit],
            ).fetchall()
            total = len(rows)
            if total == limit:
                sql, params = (
                    (f"{_COUNT}{_FROM}{where}", [parsed.fts, *where_params])
                    if where
                    else (_COUNT_LIVE, [parsed.fts])
                )
                total = int(database_proxy.execute_sql(sql, params).fetchone()[0])
    except _Interrupted:
        return SearchResults(cancelled=True)
    except (sqlite3.DatabaseError, peewee.DatabaseError) as error:
        if _index_broken(error):
            raise SearchIndexDamaged(HINT_INDEX_DAMAGED) from error
        storage = dbmod.classify(error)
        if storage is not None:
            raise storage from error
        if "interrupt" in str(error).lower():  # someone called interrupt() on the connection
            return SearchResults(cancelled=True)
        log.info("search query rejected by SQLite: %s", type(error).__name__)
        return SearchResults(hint=HINT_NOT_UNDERSTOOD.format(reason=_reason(error)))
    hits = tuple(_hit(position, row) for position, row in enumerate(rows, start=1))
    return SearchResults(hits=hits, hint=None if hits else HINT_NO_MATCH, total=total)


def _reason(error: BaseException) -> str:
    text = str(error).strip().rstrip(".")
    if text.startswith("fts5: "):
        text = text[len("fts5: ") :]
    return text or "SQLite rejected it"


@contextmanager
def _cancellable(cancel: Cancel | None) -> Iterator[None]:
    """Run the block with a progress handler that stops it once ``cancel`` is cancelled."""
    if cancel is None:
        yield
        return
    if cancel.cancelled:
        raise _Interrupted
    connection = database_proxy.connection()
    stopped = False

    def handler() -> int:
        nonlocal stopped
        stopped = cancel.cancelled
        return 1 if stopped else 0

    connection.set_progress_handler(handler, PROGRESS_STEPS)
    try:
        yield
    except (sqlite3.DatabaseError, peewee.DatabaseError):
        if stopped:
            raise _Interrupted from None
        raise
    finally:
        connection.set_progress_handler(None, 0)


def _hit(position: int, row: tuple[Any, ...]) -> SearchHit:
    interview_id, uuid, company, role, starts_at, day, score, section, raw = row
    snippet, highlights = clean_snippet(raw or "")
    return SearchHit(
        interview_id=int(interview_id),
        interview_uuid=str(UUID(str(uuid))),  # stored as 32 hex digits
        company=company,
        role=role,
        starts_at=stored_utc(starts_at),
        date=stored_date(day),
        section=COLUMNS[int(section)] if section is not None else COLUMNS[0],
        snippet=snippet,
        highlights=highlights,
        rank=position,
        score=float(score),
    )


def clean_snippet(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """An FTS5 snippet as plain text plus the (start, end) offsets of its highlights.

    Drops the CJK separators and folds runs of white space (line breaks too) into one space.
    """
    text = _SPACES.sub(" ", raw.replace(_CJK_SEP, "")).strip()
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for part in _MARKERS.split(text):
        if part == _OPEN:
            start = length
        elif part == _CLOSE:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            out.append(part)
            length += len(part)
    return "".join(out), tuple(spans)




ProgressCallback = Callable[[int, int], object]
"""``progress(done, total)`` during a reindex."""


__all__ = [
    "COLUMNS",
    "SEARCH_MODELS",
    "WEIGHTS",
    "Cancel",
    "ParsedQuery",
    "ProgressCallback",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "SearchPending",
    "SearchResults",
    "clean_snippet",
    "document",
    "index_interview",
    "index_text",
    "parse_query",
    "remove",
    "search",
]
