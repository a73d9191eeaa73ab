"""The question bank: every question asked in a live interview, repeats grouped into entries.

Plain Python (no Qt, no database): the Journal reads the questions (``Journal.question_bank``,
``core/journal/bank.py``) and hands them here as ``BankQuestion`` records; this module groups
them and answers the bank's queries. A view keeps one ``QuestionBank`` and feeds it what each
write changed (``Journal.refresh_question_bank``), so an edit regroups only the part of the
bank it can reach.

How questions are grouped, in four steps, none of which compares all pairs:

1. **Normalise** each text: NFKD, combining marks dropped (accents), casefolded, joined
   hyphens (team-mate is teammate), punctuation and runs of white space made single spaces.
   The interview's own company name becomes a placeholder, so "Why Acme?" asked at Acme and
   "Why Globex?" asked at Globex are one question.
2. **Key terms**: the framing that paraphrases vary ("tell me about a time", "describe",
   "how did you handle it", "¿podrías…", "教えてください") and stop words go; a few interview
   synonyms meet (colleague, coworker, teammate); English-style suffixes are stripped
   (disagreed, disagreement: ``disagre``). Runs of Chinese, Japanese or Korean text stay whole
   for scoring and give their character pairs as search keys. Questions with the same terms
   are one *variant*; only variants are compared, so 46,000 questions asked from a few
   thousand wordings cost a few thousand comparisons' worth of work.
3. **Candidates, then scores**: inverted indexes propose candidates: a variant is only ever
   compared with the variants holding one of its three longest keys, or led by one of its
   keys (``_leads``); ``rapidfuzz`` (C++) filters those with ``token_set_ratio``, and the
   survivors get the precise score: how much of each side's terms (weighted by length)
   finds a close match (``fuzz.ratio``, or the parts of a compound) on the other. When each
   side has a term the other lacks (a swapped word: LRU for LFU), nearly all of both must
   match; when one side is wholly matched (the other adds detail), a fair share of the
   other is enough (more when the matched side is a single word).
4. **Groups**: variants linked by those pairs form connected components (which is what
   union-find computes), then the user's choices apply (below).

The user's choices (split a wrong entry, merge two) are pins: ``question uuid -> group``.
Pinned questions with the same group are one entry, whatever their scores; questions pinned
to different groups are never one entry; a set of unpinned variants linked among themselves
joins the pinned group it is best linked to, if any. A pin holds for the wording it was made
on (its ``wording`` fingerprint): a question whose text was rewritten since is grouped afresh.

Everything is computed per *component* of the graph of variants (links and shared pins),
which is what makes an update local: ``QuestionBank.update`` redoes the components the
changed questions were in and are in now, and leaves every other entry as it was; the
result equals building the bank again from scratch (a test checks it).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

_Day = date  # the type, for fields that are themselves called ``date``

# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class BankQuestion:
    """One question of a live interview, as the bank reads it (``Journal.bank_questions``)."""

    id: int
    uuid: str
    interview_id: int
    interview_uuid: str
    company_id: int
    company: str
    stage: str
    date: _Day | None
    position: int
    text: str
    answer: str = ""
    next_time: str = ""
    practise: bool = False
    topics: tuple[str, ...] = ()

    @property
    def order(self) -> tuple[_Day, int, int, int]:
        """When it was asked, for "latest": the interview's date (none: oldest), then the
        interview, then its place in the interview."""
        return (self.date or _Day.min, self.interview_id, self.position, self.id)


@dataclass(frozen=True)
class Asking:
    """Where and when one member of an entry was asked."""

    question_id: int
    question_uuid: str
    interview_id: int
    interview_uuid: str
    company_id: int
    company: str
    stage: str
    date: _Day | None
    text: str  # this asking's own wording


@dataclass(frozen=True)
class BankEntry:
    """One question of the bank: every time it was asked, in whatever words.

    ``key`` is the uuid of its earliest asking, so it stays put as the question is asked
    again. ``asked`` is newest first. ``latest_answer`` and ``latest_next_time`` are those of
    the newest asking that has one. ``practise`` is set if any asking is flagged.
    """

    key: str
    text: str
    count: int
    asked: tuple[Asking, ...]
    latest_answer: str
    latest_next_time: str
    practise: bool
    topics: tuple[str, ...]

    @property
    def question_ids(self) -> frozenset[int]:
        return frozenset(a.question_id for a in self.asked)

    @property
    def last_asked(self) -> _Day | None:
        return self.asked[0].date if self.asked else None

    @property
    def companies(self) -> tuple[str, ...]:
        """The companies that asked it, newest first, each once."""
        return tuple(dict.fromkeys(a.company for a in self.asked))


@dataclass(frozen=True)
class BankPin:
    """A user's choice about one question: it belongs to ``group``, while its text keeps
    the ``wording`` it had when the choice was made (``wording_of``)."""

    group: str
    wording: str


@dataclass(frozen=True)
class BankChanges:
    """What ``QuestionBank.update`` changed: entries gone (by key), and entries new or
    different (the whole entry, as ``entries()`` would give it)."""

    removed: frozenset[str]
    changed: tuple[BankEntry, ...]

    def __bool__(self) -> bool:
        return bool(self.removed or self.changed)


class BankSort(StrEnum):
    FREQUENCY = "frequency"  # most asked first, then the most recently asked
    RECENCY = "recency"  # most recently asked first, then the most asked


# --------------------------------------------------------------------------- normalising

COMPANY = "_co_"  # stands for the interview's own company in its questions

_JOINERS = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")
_NOT_WORD = re.compile(r"[^\w]+")
# French inversion ("voyez-vous", "parlez-moi") is two words, unlike "team-mate".
_INVERSION = re.compile(
    r"[-\u2010\u2011](?=(?:t[-\u2010\u2011])?(?:vous|moi|nous|toi|tu|il|elle|ils|elles|on|je|"
    r"lui|leur|les|le|la)\b)"
)
_CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+"
)


def normalise(text: str) -> str:
    """Case, accents, punctuation and white space taken out of ``text``.

    NFKD, combining marks dropped, casefolded; hyphens inside a word joined ("team-mate" is
    "teammate"); everything else that is not a letter or digit is a single space.
    """
    bare = _JOINERS.sub("", _INVERSION.sub(" ", _bare(text)))
    return _NOT_WORD.sub(" ", bare).replace("_", " ").strip()


def _bare(text: str) -> str:
    """NFKD without combining marks, casefolded (``normalise`` before punctuation)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# The framing paraphrases vary, removed from the normalised text (whole words only). Each
# pattern starts at a word and ends at one, its optional parts led by their space.
_FRAMING = tuple(
    re.compile(rf"(?:^| ){_bare(pattern)}(?= |$)")
    for pattern in (
        # English
        r"(?:can|could|would) you(?: please)?",
        r"(?:please )?(?:tell|talk) (?:me|us) (?:about|of)(?: a time| an occasion| a situation)?"
        r"(?: when| where| that| in which)?",
        r"(?:please )?describe(?: to me| for me)?(?: a time| an occasion| a situation)?"
        r"(?: when| where| that| in which)?",
        r"give (?:me |us )?(?:an |one )?examples? (?:of|from)(?: a time)?(?: when| where)?",
        r"give (?:me |us )?(?:an |one )?examples?(?: when| where)?",
        r"walk (?:me|us) through",
        r"share (?:a time|an example|a story)(?: when| where)?",
        r"what did you learn(?: from it| from that)?",
        r"what happened",
        r"(?:and )?how (?:did |do |would )?you (?:handle|handled|handling|resolve|resolved|"
        r"deal with|dealt with|approach|approached|manage|managed|solve|solved|fix|fixed)"
        r"(?: it| that| this| them| the situation)?",
        r"i (?:d|would) like to (?:know|hear)(?: about)?",
        r"a time(?: when| where| that)?",
        # Spanish
        r"(?:cuentame|cuenteme|hablame|hableme|describe|describa|explicame|explique)"
        r"(?: sobre| de| acerca de)?(?: una vez| una situacion| un momento)?"
        r"(?: en la que| en el que| en que| cuando)?",
        r"(?:y )?como lo (?:resolviste|resolvio|manejaste|gestionaste|solucionaste)",
        r"(?:podrias|puedes|podria|puede)",
        # French
        r"(?:parlez|parle) ?moi(?: de| d)?(?: une fois| une situation| un moment)?"
        r"(?: ou| quand)?",
        r"(?:decrivez|decris|racontez|raconte) ?(?:moi)?(?: une fois| une situation| un moment)?"
        r"(?: ou| quand)?",
        r"(?:et )?(?:de )?(?:la facon|comment)(?: dont)? vous l avez (?:resolu|gere|regle)",
        r"(?:pouvez|pourriez) vous",
        # German
        r"(?:erzahlen|beschreiben|schildern|nennen) sie(?: mir| uns)?(?: etwas)?(?: von| uber)?"
        r"(?: eine situation| einen moment| ein beispiel)?(?: in der| als| wo)?",
        r"(?:erzahl|beschreib|schilder)(?: mir| uns)?",
        r"(?:und )?wie (?:sie|du) (?:ihn|sie|es|das) (?:gelost|geregelt|bewaltigt)"
        r"(?: haben| hast)?",
        r"(?:konnen|konnten) sie",
        # Korean (spaced like the Latin scripts)
        r"(?:에 ?대해 ?)?(?:말씀해|설명해|이야기해|알려|해) ?주세요",
        r"(?:에 ?대해 ?)?(?:말씀해|설명해|이야기해) ?주시겠어요",
    )
)
# Framing inside Chinese, Japanese and Korean runs (which have no spaces to split on),
# written as the text is once normalised (Japanese voicing marks are combining marks).
_CJK_FRAMING = re.compile(_bare(
    "(?:について)?(?:詳しく)?(?:教えてください|教えて下さい|聞かせてください|説明してください|"
    "お願いします|話してください|してください|ください)|"
    "请(?:你)?(?:描述|介绍|谈谈|讲讲|说说)(?:一下)?|(?:描述|介绍|谈谈|讲讲|说说)一下"
))

def _words(text: str) -> list[str]:
    return text.split()


_STOP = frozenset(
    # English
    _words("a an the and or but if then so of to in on at by for with from into about as is are "
    "was were be been being am do does did doing done have has had having i me my mine we us "
    "our you your yours something someone anything he she they them their it its there "
    "here what when where which who whom whose why how please can could would will shall "
    "should may might must just really any some one ever s t d ll m re ve let lets give "
    "whether bit per each every "
    "tell talk describe explain share example examples situation occasion quick briefly")
    # Spanish
    + _words("el la los las un una unos unas de del al y o en con por para que como cual cuales "
    "es son fue tu tus te ti mi mis su sus se lo le les me nos usted ustedes "
    "alguna algun vez donde cuando quien")
    # French
    + _words("le la les un une des de du d l et ou en dans au aux avec pour par que qu quel quelle "
    "quels quelles est sont vous votre vos tu ton ta tes te je j me moi nous "
    "il elle ils elles se sa son ses y a ete fait une")
    # German
    + _words("der die das den dem des ein eine einen einem einer eines und oder in im an am auf "
    "mit fur von vom zu zum zur bei aus ist sind war waren sie ihr ihre ihren ihrem ihnen "
    "du dein deine dich dir ich mich mir wir uns es sich wie was wann wo warum welche "
    "welcher welches haben hat etwas")
)
# Interview words with common stand-ins, made one (after stemming).
_SYNONYMS = {
    "coworker": "colleagu", "cowork": "colleagu", "teammat": "colleagu", "peer": "colleagu",
    "colleague": "colleagu", "collegu": "colleagu",
    "cv": "resum", "resum": "resum", "resume": "resum",
    "position": "job", "role": "job",
    "employer": "company", "organisation": "company", "organization": "company",
    "firm": "company",
    "error": "mistak", "greatest": "biggest",
    "compañero": "compan", "companero": "compan", "collegue": "colleg", "kollege": "kolleg",
    "kollegin": "kolleg",
}
_SUFFIXES = (
    "ements", "ement", "ments", "ment", "ations", "ation", "ingly", "ings", "ing", "edly",
    "ures", "ure", "ies", "ied", "ers", "ed", "es", "er", "ly", "s",
)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A light, language-blind stem: one English-style suffix off, a final e dropped, z as s.

    Only for words of five letters or more, and only where three letters stay.
    """
    if len(word) >= 5 and word.isalpha():
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
                break
        if len(word) > 3 and word.endswith("e"):
            word = word[:-1]
        word = word.replace("z", "s")
    return _SYNONYMS.get(word, word)


@lru_cache(maxsize=4096)
def _company_forms(company: str) -> tuple[str, ...]:
    """How ``company`` can appear in a normalised question, padded with spaces: its whole
    name, and without trailing legal suffixes (Inc, GmbH …), longest first."""
    from interview_journal.core.journal.values import LEGAL_SUFFIXES

    words = normalise(company).split()
    forms = [" ".join(words)]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
        forms.append(" ".join(words))
    return tuple(f" {f} " for f in dict.fromkeys(forms) if len(f) >= 2)


@lru_cache(maxsize=65536)
def _framed(text: str) -> tuple[str, str]:
    """``text`` normalised, and padded with spaces once its framing is taken out."""
    norm = normalise(text)
    framed = norm
    for pattern in _FRAMING:
        framed = pattern.sub(" ", framed)
    framed = _CJK.sub(lambda m: " " + _CJK_FRAMING.sub("", m.group()) + " ", framed)
    return norm, f" {' '.join(framed.split())} "


@lru_cache(maxsize=65536)
def _terms_of(framed: str, norm: str) -> tuple[str, ...]:
    found: list[str] = []
    for word in framed.split():
        if word in _STOP:
            continue
        if _CJK.fullmatch(word):  # no spaces to split on: its character pairs
            found.extend(word[i : i + 2] for i in range(max(1, len(word) - 1)))
        else:
            found.append(_stem(word))
    if not found:
        found = [w for w in norm.split() if w not in ("a", "an", "the", "me", "us")] or [norm]
    return tuple(sorted(set(found)))


def terms(text: str, company: str = "") -> tuple[str, ...]:
    """The key terms of a question (sorted): what is left to compare once its framing, stop
    words, suffixes and its own company's name are taken out.

    A question that is nothing but framing keeps its normalised words instead, so "Tell me
    about yourself" and "Describe yourself" stay apart from "Tell me about it".
    """
    norm, framed = _framed(text)
    if company:
        for form in _company_forms(company):
            if form in framed:
                framed = framed.replace(form, f" {COMPANY} ")
    return _terms_of(framed, norm)


def wording_of(text: str, company: str = "") -> str:
    """A short fingerprint of a question's key terms (no text): what a pin was made on."""
    return wording_of_terms(terms(text, company))


def wording_of_terms(variant: tuple[str, ...]) -> str:
    """``wording_of`` from the terms themselves."""
    joined = "\x1f".join(variant)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()


def _keys(variant: tuple[str, ...]) -> set[str]:
    """The index keys of a variant: its terms of three letters or more, numbers, and the
    character pairs of its CJK runs."""
    keys: set[str] = set()
    for term in variant:
        if len(term) >= 3 or term.isdigit() or term == COMPANY or _CJK.match(term):
            keys.add(term)
    if not keys:
        keys.update(variant)
    return keys


LEADS = 3  # how many of a variant's keys lead it (_leads)


def _leads(variant: tuple[str, ...]) -> tuple[str, ...]:
    """The keys a variant is found by: its three longest (longer words are rarer, and carry
    most of a question's weight), or all of them when it has CJK text, whose keys are
    character pairs. Two variants are compared when a lead of one is a key of the other: a
    rule about the pair alone, so a bank updated bit by bit links exactly what one built
    at once links."""
    keys = sorted(_keys(variant), key=lambda k: (-len(k), k))
    if any(_CJK.match(k) for k in keys):
        return tuple(keys)
    return tuple(keys[:LEADS])


# --------------------------------------------------------------------------- scoring

PREFILTER = 70  # rapidfuzz token_set_ratio below which a candidate is not scored further
TERM_MATCH = 80  # fuzz.ratio at which two terms count as the same word
SAME = 0.85  # similarity at which two variants are one question
SWAPPED = 0.85  # a word of each side unmatched: this share of both must match
EXTENDED = 0.4  # one side wholly matched (of two terms or more): this share of the other
EXTENDED_ONE = 0.75  # … the same when the matched side is a single term
# A word and the same word with one of these in front are opposites (directed, undirected).
_NEGATIONS = frozenset(("un", "in", "im", "ir", "il", "dis", "de", "non", "anti"))


def _opposed(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    extra = len(long_) - len(short)
    return 2 <= extra <= 4 and long_.endswith(short) and long_[:extra] in _NEGATIONS


def _match(term: str, other: tuple[str, ...], ratio: Callable[..., float]) -> float:
    """How much of ``term`` (0 to 1) the terms ``other`` hold: itself, a close spelling, or
    the parts of a compound ("hashmap" and "hash map")."""
    if term in other:
        return 1.0
    size = len(term)
    best = 0.0
    parts = 0
    for candidate in other:
        length = len(candidate)
        if size + length >= 10 and 3 * min(size, length) >= 2 * max(size, length):
            # Only then can fuzz.ratio reach TERM_MATCH (one letter in five may differ).
            score = ratio(term, candidate, score_cutoff=TERM_MATCH)
            if score and not _opposed(term, candidate):
                best = max(best, score / 100)
        if 3 <= length < size:
            if (term.startswith(candidate) or term.endswith(candidate)) and not _opposed(
                term, candidate
            ):
                parts += length
        elif 3 <= size < length and (
            candidate.startswith(term) or candidate.endswith(term)
        ) and not _opposed(term, candidate):
            best = max(best, 0.9)
    if parts >= 0.8 * size:
        best = max(best, min(1.0, parts / size))
    return best


def _coverage(
    a: tuple[str, ...], b: tuple[str, ...], ratio: Callable[..., float]
) -> tuple[float, bool]:
    """How much of ``a`` (weighted by length) finds itself in ``b``, and whether every
    term of ``a`` did."""
    total = sum(len(t) for t in a)
    got = 0.0
    every = True
    for term in a:
        found = _match(term, b, ratio)
        got += len(term) * found
        every = every and found > 0
    return (got / total if total else 0.0), every


def similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """How surely two variants are one question, from 0 to 1 (``SAME`` and up: they are).

    Paraphrases drop or add detail ("reverse a linked list", "… a singly linked list in
    place"); different questions swap a word ("LRU" for "LFU", "highest" for "lowest"). So:
    when each side has a term the other lacks, nearly all of both must match; when one side
    is wholly matched, a fair share of the other is enough.
    """
    from rapidfuzz import fuzz

    if a == b:
        return 1.0
    (ab, a_all), (ba, b_all) = _coverage(a, b, fuzz.ratio), _coverage(b, a, fuzz.ratio)
    if a_all and b_all:
        return SAME + (1 - SAME) * min(ab, ba)
    if not a_all and not b_all:
        return min(ab, ba) * SAME / SWAPPED if min(ab, ba) < SWAPPED else min(ab, ba)
    shorter, longer_share = (a, ba) if a_all else (b, ab)
    floor = EXTENDED if len(shorter) >= 2 else EXTENDED_ONE
    if longer_share >= floor:
        return SAME + (1 - SAME) * longer_share * 0.99
    return longer_share * SAME / floor * 0.99


def same_question(a: str, b: str, company_a: str = "", company_b: str = "") -> bool:
    """Whether two question texts are one entry of the bank (pins aside)."""
    return similarity(terms(a, company_a), terms(b, company_b)) >= SAME


# --------------------------------------------------------------------------- the bank

Variant = tuple[str, ...]


class QuestionBank:
    """The grouped questions, kept up to date by ``update``.

    ``QuestionBank(questions, pins)`` groups everything; ``update(questions, gone, pins)``
    regroups only the components the changed questions touch. Not thread-safe: keep one per
    thread (a worker builds it, then hands it over).
    """

    def __init__(
        self, questions: Iterable[BankQuestion] = (), pins: Mapping[str, BankPin] | None = None
    ) -> None:
        self._records: dict[int, BankQuestion] = {}
        self._by_interview: dict[int, set[int]] = {}
        self._by_company: dict[int, set[int]] = {}
        self._variant_of: dict[int, Variant] = {}
        self._wording: dict[int, str] = {}
        self._members: dict[Variant, set[int]] = {}
        self._index: dict[str, set[Variant]] = {}  # key -> variants holding it
        self._lead_index: dict[str, set[Variant]] = {}  # key -> variants it leads (_leads)
        self._links: dict[Variant, dict[Variant, float]] = {}
        self._pins: dict[str, BankPin] = dict(pins or {})
        self._pinned: dict[int, str] = {}  # question id -> group, where its pin holds
        self._group_variants: dict[str, Counter[Variant]] = {}
        self._component: dict[Variant, int] = {}
        self._components: dict[int, set[Variant]] = {}
        self._component_entries: dict[int, list[str]] = {}
        self._next_component = 0
        self._entries: dict[str, BankEntry] = {}
        self._entry_of: dict[int, str] = {}
        self._terms_cache: dict[tuple[str, str], Variant] = {}
        self.update(questions)

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def question_count(self) -> int:
        return len(self._records)

    def question_ids(self) -> set[int]:
        """The ids of every question in the bank."""
        return set(self._records)

    def question(self, question_id: int) -> BankQuestion | None:
        return self._records.get(question_id)

    def entry(self, key: str) -> BankEntry | None:
        return self._entries.get(key)

    def entry_of(self, question_id: int) -> BankEntry | None:
        """The entry a question is in (None: not in the bank)."""
        key = self._entry_of.get(question_id)
        return None if key is None else self._entries[key]

    def pins(self) -> dict[str, BankPin]:
        return dict(self._pins)

    def questions_of(
        self, *, interviews: Iterable[int] = (), companies: Iterable[int] = ()
    ) -> set[int]:
        """The ids in the bank of the questions of these interviews or companies."""
        found: set[int] = set()
        for interview_id in interviews:
            found |= self._by_interview.get(interview_id, set())
        for company_id in companies:
            found |= self._by_company.get(company_id, set())
        return found

    def entries(
        self,
        *,
        topic: str | None = None,
        company_id: int | None = None,
        stage: str | None = None,
        practise: bool | None = None,
        sort: BankSort | str = BankSort.FREQUENCY,
    ) -> list[BankEntry]:
        """The entries, filtered and sorted.

        ``company_id``, ``stage`` and ``topic`` (a topic name, case and accents ignored) keep
        the entries asked at least once in an interview that matches all of them; ``practise``
        keeps those whose flag is (or is not) set. Entries are always whole: a filter picks
        entries, it does not trim their askings or counts. ``sort`` is ``"frequency"`` (most
        asked first, then latest) or ``"recency"`` (latest first, then most asked); ties go
        by text.
        """
        order = BankSort(sort)
        wanted_topic = normalise(topic) if topic is not None else None
        narrowed = company_id is not None or stage is not None or wanted_topic is not None
        found: list[BankEntry] = []
        for entry in self._entries.values():
            if practise is not None and entry.practise != practise:
                continue
            if narrowed and not any(
                self._asked_matches(a, company_id, stage, wanted_topic) for a in entry.asked
            ):
                continue
            found.append(entry)
        found.sort(key=_sort_key(order))
        return found

    def _asked_matches(
        self, asking: Asking, company_id: int | None, stage: str | None, topic: str | None
    ) -> bool:
        if company_id is not None and asking.company_id != company_id:
            return False
        if stage is not None and asking.stage != stage:
            return False
        if topic is not None:
            record = self._records[asking.question_id]
            return any(_topic_key(t) == topic for t in record.topics)
        return True

    # ------------------------------------------------------------------ changing

    def update(
        self,
        questions: Iterable[BankQuestion] = (),
        gone: Iterable[int] = (),
        pins: Mapping[str, BankPin | None] | None = None,
    ) -> BankChanges:
        """Take in new or changed ``questions``, drop the ids in ``gone``, and set or (with
        None) clear ``pins`` by question uuid; regroup what that can reach.

        Returns the entries removed and those new or different. A question given again
        unchanged changes nothing.
        """
        touched: set[Variant] = set()
        seeds: set[int] = set()
        for uuid_, pin in (pins or {}).items():
            if pin is None:
                self._pins.pop(uuid_, None)
            else:
                self._pins[uuid_] = pin
        pinned_uuids = set(pins or {})
        records = {r.id: r for r in questions}
        for qid in set(gone) - set(records):
            if qid in self._records:
                touched |= self._drop(qid)
                seeds.add(qid)
        for qid, record in records.items():
            old = self._records.get(qid)
            if old == record and record.uuid not in pinned_uuids:
                continue
            if old is not None:
                touched |= self._drop(qid)
            touched |= self._add(record)
            seeds.add(qid)
        if pinned_uuids:  # a pin changed on a question not given again
            for qid, record in list(self._records.items()):
                if record.uuid in pinned_uuids and qid not in seeds:
                    touched |= self._drop(qid)
                    touched |= self._add(record)
                    seeds.add(qid)
        if not touched:
            return BankChanges(frozenset(), ())
        return self._regroup(touched)

    def _terms(self, record: BankQuestion) -> Variant:
        key = (record.text, record.company)
        found = self._terms_cache.get(key)
        if found is None:
            found = self._terms_cache[key] = terms(record.text, record.company)
        return found

    def _add(self, record: BankQuestion) -> set[Variant]:
        """Put a question in; returns the variants whose component it may change."""
        variant = self._terms(record)
        self._records[record.id] = record
        self._by_interview.setdefault(record.interview_id, set()).add(record.id)
        self._by_company.setdefault(record.company_id, set()).add(record.id)
        self._variant_of[record.id] = variant
        self._wording[record.id] = wording_of_terms(variant)
        touched = {variant}
        if variant not in self._members:
            self._members[variant] = set()
            self._links[variant] = {}
            self._link(variant)
        self._members[variant].add(record.id)
        pin = self._pins.get(record.uuid)
        if pin is not None and pin.wording == self._wording[record.id]:
            self._pinned[record.id] = pin.group
            self._group_variants.setdefault(pin.group, Counter())[variant] += 1
            touched |= set(self._group_variants[pin.group])
        touched |= set(self._links[variant])
        return touched

    def _drop(self, qid: int) -> set[Variant]:
        """Take a question out; returns the variants whose component it may change."""
        record = self._records.pop(qid)
        for by, row in ((self._by_interview, record.interview_id),
                        (self._by_company, record.company_id)):
            by[row].discard(qid)
            if not by[row]:
                del by[row]
        variant = self._variant_of.pop(qid)
        self._wording.pop(qid)
        touched = {variant, *self._links[variant]}
        group = self._pinned.pop(qid, None)
        if group is not None:
            counts = self._group_variants[group]
            touched |= set(counts)
            counts[variant] -= 1
            if counts[variant] <= 0:
                del counts[variant]
            if not counts:
                del self._group_variants[group]
        members = self._members[variant]
        members.discard(qid)
        if not members:
            del self._members[variant]
            for other in self._links.pop(variant):
                self._links[other].pop(variant, None)
            for index, keys in ((self._index, _keys(variant)),
                                (self._lead_index, _leads(variant))):
                for key in keys:
                    holders = index[key]
                    holders.discard(variant)
                    if not holders:
                        del index[key]
        return touched

    def _link(self, variant: Variant) -> None:
        """Score a new variant against its candidates: the variants holding one of its
        leading keys, and those led by one of its keys (``_leads``)."""
        from rapidfuzz import fuzz, process

        keys, leads = _keys(variant), _leads(variant)
        candidates: set[Variant] = set()
        for key in leads:
            candidates |= self._index.get(key, set())
        for key in keys:
            candidates |= self._lead_index.get(key, set())
            self._index.setdefault(key, set()).add(variant)
        for key in leads:
            self._lead_index.setdefault(key, set()).add(variant)
        candidates.discard(variant)
        if not candidates:
            return
        pool = list(candidates)
        close = process.extract(
            " ".join(variant), [" ".join(c) for c in pool], scorer=fuzz.token_set_ratio,
            score_cutoff=PREFILTER, limit=None,
        )
        for _choice, _score, index in close:
            other = pool[index]
            score = similarity(variant, other)
            if score >= SAME:
                self._links[variant][other] = score
                self._links[other][variant] = score

    def _neighbours(self, variant: Variant) -> set[Variant]:
        found = set(self._links.get(variant, ()))
        if self._group_variants:
            for qid in self._members.get(variant, ()):
                group = self._pinned.get(qid)
                if group is not None:
                    found |= set(self._group_variants[group])
        return found

    def _regroup(self, touched: set[Variant]) -> BankChanges:
        """Redo the components ``touched`` were in and are in now, and their entries.

        Every other component keeps its entries: links only changed at touched variants, so
        a component that holds none of them is the same in the new graph.
        """
        first = self._next_component
        old_keys: set[str] = set()
        pending: list[Variant] = []

        def absorb(variant: Variant) -> None:
            number = self._component.get(variant)
            if number is None or number >= first:
                return
            for other in self._components.pop(number):
                self._component.pop(other, None)
                pending.append(other)
            old_keys.update(self._component_entries.pop(number))

        for variant in touched:
            pending.append(variant)
            absorb(variant)
        numbers: list[int] = []
        while pending:
            variant = pending.pop()
            if variant not in self._members or variant in self._component:
                continue
            number = self._next_component
            self._next_component += 1
            members = {variant}
            stack = [variant]
            while stack:
                for other in self._neighbours(stack.pop()):
                    if other not in members:
                        absorb(other)
                        members.add(other)
                        stack.append(other)
            for member in members:
                self._component[member] = number
            self._components[number] = members
            numbers.append(number)
        before: dict[str, BankEntry] = {}
        for key in old_keys:
            entry = self._entries.pop(key)
            before[key] = entry
            for qid in entry.question_ids:
                if self._entry_of.get(qid) == key:
                    del self._entry_of[qid]
        after: dict[str, BankEntry] = {}
        for number in numbers:
            keys = []
            for entry in self._cluster(self._components[number]):
                self._entries[entry.key] = after[entry.key] = entry
                keys.append(entry.key)
                for qid in entry.question_ids:
                    self._entry_of[qid] = entry.key
            self._component_entries[number] = keys
        removed = frozenset(set(before) - set(after))
        changed = tuple(
            entry for key, entry in sorted(after.items()) if before.get(key) != entry
        )
        return BankChanges(removed, changed)

    def _cluster(self, component: set[Variant]) -> list[BankEntry]:
        """The entries of one component: pinned groups, free parts joining the group they
        are best linked to, and the free parts left on their own."""
        groups: dict[str, set[int]] = {}
        free: dict[Variant, set[int]] = {}
        variant_groups: dict[Variant, set[str]] = {}
        for variant in component:
            for qid in self._members[variant]:
                group = self._pinned.get(qid)
                if group is None:
                    free.setdefault(variant, set()).add(qid)
                else:
                    groups.setdefault(group, set()).add(qid)
                    variant_groups.setdefault(variant, set()).add(group)
        clusters: list[set[int]] = []
        seen: set[Variant] = set()
        for start in sorted(free):
            if start in seen:
                continue
            part = {start}
            stack = [start]
            while stack:
                for other in self._links[stack.pop()]:
                    if other in free and other not in part:
                        part.add(other)
                        stack.append(other)
            seen |= part
            offers: list[tuple[float, str]] = []
            for variant in part:  # the same wording pinned counts most, then the best link
                offers.extend((-2.0, g) for g in variant_groups.get(variant, ()))
                for other, score in self._links[variant].items():
                    offers.extend((-score, g) for g in variant_groups.get(other, ()))
            ids = {qid for variant in part for qid in free[variant]}
            if offers:
                groups[min(offers)[1]] |= ids
            else:
                clusters.append(ids)
        clusters.extend(groups.values())
        return [self._entry(ids) for ids in clusters]

    def _entry(self, ids: set[int]) -> BankEntry:
        records = sorted((self._records[q] for q in ids), key=lambda r: r.order, reverse=True)
        wordings = Counter(" ".join(r.text.split()) for r in records)
        latest_rank: dict[str, int] = {}
        for rank, r in enumerate(records):
            latest_rank.setdefault(" ".join(r.text.split()), rank)
        text = min(wordings, key=lambda w: (-wordings[w], latest_rank[w]))
        topics: dict[str, str] = {}
        for r in records:
            for t in r.topics:
                topics.setdefault(_topic_key(t), t)
        return BankEntry(
            key=records[-1].uuid,
            text=text,
            count=len(records),
            asked=tuple(
                Asking(r.id, r.uuid, r.interview_id, r.interview_uuid, r.company_id, r.company,
                       r.stage, r.date, r.text)
                for r in records
            ),
            latest_answer=next((r.answer for r in records if r.answer.strip()), ""),
            latest_next_time=next((r.next_time for r in records if r.next_time.strip()), ""),
            practise=any(r.practise for r in records),
            topics=tuple(topics[k] for k in sorted(topics)),
        )


@lru_cache(maxsize=4096)
def _topic_key(name: str) -> str:
    return normalise(name)


def _sort_key(order: BankSort) -> Callable[[BankEntry], tuple[object, ...]]:
    def recency(entry: BankEntry) -> tuple[int, int]:
        last = entry.last_asked
        return (-(last.toordinal() if last else 0), -_last_order(entry))

    if order is BankSort.RECENCY:
        return lambda e: (*recency(e), -e.count, e.text, e.key)
    return lambda e: (-e.count, *recency(e), e.text, e.key)


def _last_order(entry: BankEntry) -> int:
    return entry.asked[0].interview_id if entry.asked else 0


__all__ = [
    "Asking",
    "BankChanges",
    "BankEntry",
    "BankPin",
    "BankQuestion",
    "BankSort",
    "QuestionBank",
    "normalise",
    "same_question",
    "similarity",
    "terms",
    "wording_of",
]
