"""Realistic journals from a seed: the ``--demo`` journal, benchmark data and test fixtures.

``generate(journal, size, seed)`` fills an empty journal through the Journal's public methods
only, one transaction per company. Everything comes from phrase banks (``phrasebook.py``) and
one ``random.Random`` seeded with the size and seed, so the same seed, size and clock give the
same content (UUIDs aside: the models draw those at random).

While it writes, the generator stands in for the journal's clock so that each change carries
the time a user would have made it: an interview is created days before it happens, reflected
on shortly after it ends, and its action items ticked off later. Nothing is ever dated after
the real clock's "now"; the journal's own clock is put back when it finishes.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from interview_journal.core.clock import Clock
from interview_journal.core.domain import TEXT_SECTIONS
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal import Journal, normalize_name
from interview_journal.core.phrasebook import (
    COMPANY_STYLES,
    ENGLISH,
    NAME_QUALIFIERS,
    PHRASEBOOKS,
    QUESTIONS,
    ROLES,
    SLOTS,
    TITLES,
    TOPICS,
    CompanyStyle,
    Phrasebook,
)


@dataclass(frozen=True)
class Size:
    """How big a generated journal is."""

    name: str
    companies: int
    interviews: int
    reflection_bytes: int  # mean UTF-8 size of the text of one reflected interview
    active_companies: int  # companies with a process going on now (upcoming, due rounds)


SIZES: Mapping[str, Size] = {
    "small": Size("small", companies=8, interviews=25, reflection_bytes=3_500,
                  active_companies=3),
    "heavy": Size("heavy", companies=300, interviews=3_000, reflection_bytes=11_200,
                  active_companies=15),
    "stress": Size("stress", companies=1_000, interviews=10_000, reflection_bytes=11_200,
                   active_companies=50),
}
SIZE_NAMES: tuple[str, ...] = tuple(SIZES)
HISTORY_DAYS = 730  # interviews spread over the two years before "now"


@dataclass(frozen=True)
class GeneratedSummary:
    """What ``generate`` wrote, counted from the journal once it finished."""

    size: str
    seed: int
    companies: int
    interviews: int
    upcoming: int
    due: int
    reflected: int
    interviewers: int
    questions: int
    action_items: int
    topics: int
    text_bytes: int  # UTF-8 bytes of every text section, question, answer and action item

    def row_counts(self) -> dict[str, int]:
        """The rows written, per table: what the finished file is checked against."""
        return {
            "company": self.companies,
            "interview": self.interviews,
            "person": self.interviewers,
            "question": self.questions,
            "action_item": self.action_items,
            "tag": self.topics,
        }

    def describe(self) -> str:
        """One line for people: "8 companies, 25 interviews (...), 0.1 MB of text"."""
        return (
            f"{self.companies} companies, {self.interviews} interviews ({self.upcoming} "
            f"upcoming, {self.due} due for reflection, {self.reflected} reflected), "
            f"{self.interviewers} interviewers, {self.questions} questions, "
            f"{self.action_items} action items, {self.topics} topics, "
            f"{self.text_bytes / 1_000_000:.1f} MB of text"
        )


def generate(journal: Journal, size: str | Size, seed: int) -> GeneratedSummary:
    """Fill the empty ``journal`` with a realistic journal of ``size`` ("small", "heavy",
    "stress", or a custom ``Size``), the same for the same seed and clock.

    Raises ``InvalidInput`` for an unknown size or a journal that already holds companies.
    """
    spec = _size(size)
    if journal.companies() or journal.companies(trashed=True):
        raise InvalidInput("A journal can only be generated into an empty journal.")
    real = journal.clock
    replay = _ReplayClock(real)
    rng = random.Random(f"interview-journal/{spec.name}/{spec.companies}/{spec.interviews}/{seed}")
    plans = _Planner(rng, spec, replay.limit, real.local_zone()).plan()
    writer = _Writer(journal, rng, replay, spec)
    journal.clock = replay
    try:
        for plan in plans:
            with journal.transaction():
                writer.write_company(plan)
    finally:
        journal.clock = real
    return _summarise(journal, spec, seed, writer)


def _size(size: str | Size) -> Size:
    if isinstance(size, Size):
        if size.companies < 1 or size.interviews < size.companies:
            raise InvalidInput("A journal needs at least one interview per company.")
        return size
    spec = SIZES.get(size)
    if spec is None:
        raise InvalidInput(f"Unknown journal size {size!r}; pick one of: {', '.join(SIZES)}.")
    return spec


def _summarise(journal: Journal, spec: Size, seed: int, writer: _Writer) -> GeneratedSummary:
    companies = journal.companies()
    return GeneratedSummary(
        size=spec.name,
        seed=seed,
        companies=len(companies),
        interviews=sum(c.interview_count for c in companies),
        upcoming=sum(c.upcoming_count for c in companies),
        due=sum(c.due_count for c in companies),
        reflected=writer.reflected,
        interviewers=sum(len(journal.people(c.id)) for c in companies),
        questions=writer.questions,
        action_items=writer.action_items,
        topics=len(journal.topic_names()),
        text_bytes=writer.text_bytes,
    )


class _ReplayClock:
    """The journal's clock while generating: set to when a user would have made each change,
    never later than the real "now" it started from."""

    def __init__(self, real: Clock) -> None:
        self._real = real
        self.limit = real.now()
        self._now = self.limit

    def now(self) -> datetime:
        return self._now

    def local_zone(self) -> tzinfo:
        return self._real.local_zone()

    def at(self, instant: datetime) -> None:
        self._now = min(instant, self.limit)


# --------------------------------------------------------------------------- planning

# Processes as the stages of their rounds; "loop" is an onsite loop of several rounds in a day.
_PROCESSES: tuple[tuple[str, ...], ...] = (
    ("recruiter_screen", "hiring_manager", "technical", "system_design", "loop", "final"),
    ("recruiter_screen", "take_home_review", "technical", "behavioural", "final"),
    ("recruiter_screen", "technical", "loop"),
    ("recruiter_screen", "hiring_manager", "technical", "behavioural"),
    ("recruiter_screen", "technical", "system_design", "hiring_manager", "final"),
    ("hiring_manager", "take_home_review", "other", "final"),
    ("recruiter_screen", "technical", "technical", "loop", "final"),
)

# Who interviews at each stage (parts of the company's pool of people), and how many. This
# table and the two after it have a row for every stage of core/domain.py (a test checks).
_PANEL: Mapping[str, tuple[tuple[str, ...], int, int]] = {
    "recruiter_screen": (("recruiter",), 1, 1),
    "hiring_manager": (("manager",), 1, 1),
    "technical": (("engineer",), 1, 2),
    "system_design": (("engineer",), 1, 2),
    "behavioural": (("manager", "engineer"), 1, 1),
    "take_home_review": (("engineer",), 2, 2),
    "onsite": (("engineer", "engineer", "manager"), 1, 2),
    "final": (("executive", "manager"), 1, 2),
    "other": (("engineer", "manager"), 1, 1),
}

_DURATIONS: Mapping[str, tuple[int, ...]] = {
    "recruiter_screen": (20, 30, 30, 45),
    "hiring_manager": (45, 60),
    "technical": (60, 60, 90),
    "system_design": (60, 60, 75),
    "behavioural": (45, 60),
    "take_home_review": (60, 90),
    "onsite": (45, 60, 60),
    "final": (30, 45, 60),
    "other": (30, 60),
}

# Kinds of questions and topics asked at each stage.
_KINDS: Mapping[str, tuple[str, ...]] = {
    "recruiter_screen": ("recruiter",),
    "hiring_manager": ("manager", "behavioural"),
    "technical": ("technical",),
    "system_design": ("design",),
    "behavioural": ("behavioural",),
    "take_home_review": ("takehome", "technical"),
    "onsite": ("technical", "design", "behavioural"),
    "final": ("final", "manager"),
    "other": ("manager", "final"),
}
_TOPIC_KINDS: Mapping[str, str] = {
    "recruiter": "recruiter",
    "manager": "manager",
    "behavioural": "behavioural",
    "technical": "technical",
    "design": "design",
    "takehome": "technical",
    "final": "manager",
}

# How often interviews at a company of each language are written in that language.
_OWN_LANGUAGE = 0.45


@dataclass
class _Person:
    name: str
    short: str  # how the notes refer to them (first name; family name in Japanese)
    title: str
    part: str  # recruiter | manager | engineer | executive


@dataclass
class _Round:
    stage: str
    day: date
    start: time | None  # None: only the date is known
    duration: int
    role: str
    kind: str  # past | due | upcoming
    anchor: bool = False  # the latest round of a live process: always left to reflect on
    outcome: str = "pending"
    people: list[int] = field(default_factory=list)
    format: str = ""
    location: str = ""


@dataclass
class _CompanyPlan:
    name: str
    short: str
    style: CompanyStyle
    city: int
    people: list[_Person]
    rounds: list[_Round]


class _Planner:
    """Decides every company, person and round (who, what, when) before anything is written."""

    def __init__(self, rng: random.Random, spec: Size, now: datetime, zone: tzinfo) -> None:
        self._rng = rng
        self._spec = spec
        self._zone = zone
        self._today = now.astimezone(zone).date()
        self._used_names: set[str] = set()

    def plan(self) -> list[_CompanyPlan]:
        rng, spec = self._rng, self._spec
        counts = self._split(spec.interviews, spec.companies)
        styles = list(COMPANY_STYLES)
        rng.shuffle(styles)  # the first companies cover every region, then by weight
        weights = [s.weight for s in COMPANY_STYLES]
        picked = styles[: spec.companies] + rng.choices(
            COMPANY_STYLES, weights, k=max(0, spec.companies - len(styles))
        )
        eligible = [i for i, count in enumerate(counts) if count >= 2] or list(range(len(counts)))
        active = rng.sample(eligible, min(spec.active_companies, len(eligible)))
        first_active = active[0] if active else -1
        return [
            self._company(style, count, i in active, i == first_active)
            for i, (style, count) in enumerate(zip(picked, counts, strict=True))
        ]

    def _split(self, total: int, parts: int) -> list[int]:
        """``total`` interviews over ``parts`` companies, at least one each, unevenly."""
        weights = [self._rng.lognormvariate(0, 0.8) for _ in range(parts)]
        counts = [1] * parts
        for index in self._rng.choices(range(parts), weights, k=total - parts):
            counts[index] += 1
        return counts

    def _company(
        self, style: CompanyStyle, count: int, active: bool, needs_due: bool
    ) -> _CompanyPlan:
        rng = self._rng
        name, short = self._company_name(style)
        plan = _CompanyPlan(name, short, style, rng.randrange(len(style.cities)), [], [])
        self._hire(plan, "recruiter")
        self._hire(plan, "manager")
        for _ in range(min(2 + count // 4, 6)):
            self._hire(plan, "engineer")
        self._hire(plan, "executive")
        latest: list[_Round] = []
        if active:
            stages = self._stages(rng.choice(_PROCESSES))[:count]
            latest = self._active_rounds(stages, self._role(style), needs_due)
        processes: list[list[str]] = []
        remaining = count - len(latest)
        while remaining > 0:
            stages = self._stages(rng.choice(_PROCESSES))[:remaining]
            processes.append(stages)
            remaining -= len(stages)
        # A leftover stub becomes the earliest attempt, one that ended after a round or two.
        processes.reverse()
        # Processes follow each other in time, ending with the one going on now (if any).
        starts = sorted((rng.randint(20, HISTORY_DAYS) for _ in processes), reverse=True)
        for number, stages in enumerate(processes):
            if number and rng.random() < 0.4:  # the recruiter moved on since last time
                self._hire(plan, "recruiter")
            rounds = self._past_rounds(stages, self._role(style), starts[number])
            self._cast(plan, rounds)
            plan.rounds.extend(rounds)
        if latest:
            if processes and rng.random() < 0.4:
                self._hire(plan, "recruiter")
            self._cast(plan, latest)
            plan.rounds.extend(latest)
        return plan

    def _stages(self, template: tuple[str, ...]) -> list[str]:
        stages: list[str] = []
        for stage in template:
            if stage == "loop":
                stages.extend(["onsite"] * self._rng.randint(3, 5))
            else:
                stages.append(stage)
        return stages

    def _company_name(self, style: CompanyStyle) -> tuple[str, str]:
        rng = self._rng
        for attempt in range(200):
            pattern = rng.choice(style.patterns)
            stem, stem2 = rng.sample(style.stems, 2)
            parts = {"stem": stem, "stem2": stem2, "domain": rng.choice(style.domains)}
            suffix = rng.choice(style.suffixes)
            short = " ".join(pattern.replace("{suffix}", "").format(**parts).split())
            if attempt >= 100:  # the banks are running out: make it unique
                short = f"{short} {rng.choice(NAME_QUALIFIERS)} {attempt - 99}"
            key = normalize_name(short)
            if key in self._used_names:
                continue
            self._used_names.add(key)
            if "{suffix}" not in pattern:
                return short, short
            name = " ".join(pattern.format(suffix=suffix, **parts).split())
            if attempt >= 100:
                name = f"{short} {suffix}"
            return name, short
        raise AssertionError("company names ran out")  # pragma: no cover - 100 are numbered

    def _hire(self, plan: _CompanyPlan, part: str) -> None:
        rng, style = self._rng, plan.style
        taken = {normalize_name(p.name) for p in plan.people}
        while True:
            first, last = rng.choice(style.first_names), rng.choice(style.last_names)
            name = style.name_pattern.format(first=first, last=last)
            if normalize_name(name) not in taken:
                break
        titles = TITLES[style.locale if style.locale in TITLES else "en"][part]
        short = last if style.locale == "ja" else first
        plan.people.append(_Person(name, short, rng.choice(titles), part))

    def _role(self, style: CompanyStyle) -> str:
        if style.locale != "en" and self._rng.random() < 0.5:
            return self._rng.choice(ROLES[style.locale])
        return self._rng.choice(ROLES["en"])

    def _gaps(self, stages: Sequence[str]) -> list[int]:
        """Days from the first round to each round; an onsite loop shares one day."""
        offsets = [0]
        for before, stage in zip(stages, stages[1:], strict=False):
            same_day = before == stage == "onsite"
            offsets.append(offsets[-1] + (0 if same_day else self._rng.randint(2, 12)))
        return offsets

    def _past_rounds(self, stages: list[str], role: str, days_ago: int) -> list[_Round]:
        offsets = self._gaps(stages)
        span = offsets[-1] + 4  # weekends may push rounds a little later
        latest_start = self._today - timedelta(days=span + 14)
        first = min(self._today - timedelta(days=days_ago), latest_start)
        first = max(first, self._today - timedelta(days=HISTORY_DAYS))
        days = [_weekday(first + timedelta(days=o), forward=True) for o in offsets]
        rounds = self._rounds(stages, days, role, ["past"] * len(stages))
        complete = len(stages) >= 4 and stages[-1] in ("final", "onsite")
        ending = self._rng.choices(
            ("offer", "rejected", "withdrew"), (35, 50, 15) if complete else (0, 70, 30)
        )[0]
        self._outcomes(rounds, ending)
        return rounds

    def _active_rounds(self, stages: list[str], role: str, needs_due: bool) -> list[_Round]:
        """A process going on now: its latest past round a few days ago and the next round
        (or the next day of rounds) scheduled; later rounds are not known yet."""
        rng = self._rng
        offsets = self._gaps(stages)
        pivots = [i for i in range(len(stages) - 1) if offsets[i + 1] > offsets[i]]
        # pivot: the latest round behind us; -1 if only the first round is scheduled yet
        pivot = rng.choice(pivots) if pivots and (needs_due or rng.random() < 0.8) else -1
        known = [o for o in offsets if o <= offsets[pivot + 1]]
        stages, offsets = stages[: len(known)], known
        days: list[date] = [self._today] * len(stages)
        if pivot >= 0:
            # At most six days back (weekends included), so it ended within the last week.
            pivot_day = _weekday(self._today - timedelta(days=rng.randint(1, 4)), forward=False)
            for i in range(pivot + 1):
                days[i] = _weekday(
                    pivot_day - timedelta(days=offsets[pivot] - offsets[i]), forward=False
                )
        ahead = _weekday(self._today + timedelta(days=rng.randint(1, 10)), forward=True)
        for i in range(pivot + 1, len(stages)):
            days[i] = _weekday(
                ahead + timedelta(days=offsets[i] - offsets[pivot + 1]), forward=True
            )
        kinds = ["due" if i <= pivot else "upcoming" for i in range(len(stages))]
        rounds = self._rounds(stages, days, role, kinds)
        if pivot >= 0:
            rounds[pivot].anchor = True
        for number, round_ in enumerate(rounds):
            # Past rounds of a live process went well enough to get here.
            round_.outcome = "advanced" if number <= pivot else "pending"
            if number <= pivot and (self._today - round_.day).days > 7:
                round_.kind = "past"
        return rounds

    def _rounds(
        self, stages: list[str], days: list[date], role: str, kinds: list[str]
    ) -> list[_Round]:
        rng = self._rng
        rounds: list[_Round] = []
        loop_format = rng.choices(("on_site", "video"), (75, 25))[0]
        for number, (stage, day, kind) in enumerate(zip(stages, days, kinds, strict=True)):
            duration = rng.choice(_DURATIONS[stage])
            start: time | None
            previous = rounds[-1] if rounds else None
            if (
                stage == "onsite"
                and previous is not None
                and previous.stage == "onsite"
                and previous.day == day
                and previous.start is not None
            ):
                begin = datetime.combine(day, previous.start) + timedelta(
                    minutes=previous.duration + rng.choice((0, 15, 15, 30))
                )
                start = begin.time()
            elif stage == "onsite":
                start = time(rng.choice((9, 10)), rng.choice((0, 30)))
            elif kind == "past" and number and rng.random() < 0.05:
                start = None  # only the date was noted
            else:
                start = time(rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
            round_ = _Round(stage, day, start, duration, role, kind)
            if stage == "onsite":
                round_.format = loop_format
            elif stage == "recruiter_screen":
                round_.format = rng.choices(("phone", "video"), (60, 40))[0]
            else:
                round_.format = rng.choices(("video", "on_site", "phone"), (70, 22, 8))[0]
            rounds.append(round_)
        return rounds

    def _outcomes(self, rounds: list[_Round], ending: str) -> None:
        last_day = rounds[-1].day
        for round_ in rounds:
            round_.outcome = ending if round_.day == last_day else "advanced"

    def _cast(self, plan: _CompanyPlan, rounds: list[_Round]) -> None:
        """Pick each round's interviewers from the company's people (the newest recruiter)."""
        rng = self._rng
        by_part: dict[str, list[int]] = {}
        for index, person in enumerate(plan.people):
            by_part.setdefault(person.part, []).append(index)
        for round_ in rounds:
            parts, low, high = _PANEL[round_.stage]
            if round_.stage == "recruiter_screen":
                round_.people = [by_part["recruiter"][-1]]
                continue
            chosen: list[int] = []
            for _ in range(rng.randint(low, high)):
                candidates = [i for i in by_part[rng.choice(parts)] if i not in chosen]
                if candidates:
                    chosen.append(rng.choice(candidates))
            round_.people = chosen


def _weekday(day: date, *, forward: bool) -> date:
    """The day itself if it is Monday to Friday, else the next Monday or the Friday before."""
    while day.weekday() >= 5:
        day += timedelta(days=1 if forward else -1)
    return day


# --------------------------------------------------------------------------- writing


class _Slots(dict[str, str]):
    """Fills template slots lazily, each with a fresh seeded choice."""

    def __init__(self, text: _Text) -> None:
        super().__init__()
        self._text = text

    def __missing__(self, key: str) -> str:
        return self._text.slot(key)


class _Text:
    """Builds one interview's text in one language from the phrase banks."""

    def __init__(
        self,
        rng: random.Random,
        book: Phrasebook,
        company: str,
        people: Sequence[str],
        topics: Sequence[str],
    ) -> None:
        self._rng = rng
        self.book = book
        self._company = company
        self._people = list(people)
        self._topics = list(topics)
        self._decks: dict[int, list[str]] = {}
        self._last: dict[int, str] = {}

    def slot(self, key: str) -> str:
        rng = self._rng
        if key == "person":
            return rng.choice(self._people) if self._people else "the interviewer"
        if key == "company":
            return self._company
        if key == "topic":
            return rng.choice(self._topics) if self._topics else rng.choice(TOPICS["general"])
        if key == "number":
            return str(rng.randint(2, 12))
        if key == "minutes":
            return str(rng.choice((5, 10, 15, 20)))
        base = key.rstrip("0123456789")
        bank = self.book.slots.get(base) or SLOTS.get(base) or ENGLISH.slots[base]
        return rng.choice(bank)

    def fill(self, template: str) -> str:
        return template.format_map(_Slots(self))

    def draw(self, templates: tuple[str, ...]) -> str:
        """The next template from a shuffled deck, so a text does not repeat itself soon."""
        key = id(templates)
        deck = self._decks.get(key)
        if not deck:
            deck = list(templates)
            self._rng.shuffle(deck)
            if len(deck) > 1 and deck[-1] == self._last.get(key):  # not twice in a row
                deck[0], deck[-1] = deck[-1], deck[0]
            self._decks[key] = deck
        template = deck.pop()
        self._last[key] = template
        return self.fill(template)

    def prose(self, templates: tuple[str, ...], budget: int, *, bullets: bool = False) -> str:
        """Sentences in paragraphs (or a bulleted list) until about ``budget`` UTF-8 bytes."""
        rng, joiner = self._rng, self.book.joiner
        paragraphs: list[str] = []
        size = 0
        while size < budget:
            if bullets:
                sentence = self.book.bullet + self.draw(templates)
                paragraphs.append(sentence)
                size += len(sentence.encode()) + 1
                continue
            sentences = [self.draw(templates) for _ in range(rng.randint(2, 5))]
            paragraph = joiner.join(sentences)
            paragraphs.append(paragraph)
            size += len(paragraph.encode()) + 2
        return ("\n" if bullets else "\n\n").join(paragraphs)

    def short(self, templates: tuple[str, ...], low: int, high: int) -> str:
        """A few sentences in one paragraph."""
        return self.book.joiner.join(
            self.draw(templates) for _ in range(self._rng.randint(low, high))
        )


# Shares of a reflected interview's text, by text section of core/domain.py (the rest goes
# to questions); the sections are written in the domain's order.
_SECTION_SHARES: Mapping[str, float] = {
    "went_well": 0.12,
    "went_poorly": 0.12,
    "do_differently": 0.09,
    "impressions": 0.10,
    "notes": 0.12,
}
_QUESTION_SHARE = 0.42
_SELF_RATING_WEIGHTS = (8, 20, 35, 27, 10)
_WANT_WEIGHTS = (10, 15, 30, 30, 15)


class _Writer:
    """Writes planned companies through the Journal, counting what it wrote."""

    def __init__(
        self, journal: Journal, rng: random.Random, clock: _ReplayClock, spec: Size
    ) -> None:
        self._journal = journal
        self._rng = rng
        self._clock = clock
        self._spec = spec
        self._zone = clock.local_zone()
        self.reflected = 0
        self.questions = 0
        self.action_items = 0
        self.text_bytes = 0

    def _count(self, *texts: str) -> None:
        self.text_bytes += sum(len(t.encode()) for t in texts)

    def write_company(self, plan: _CompanyPlan) -> None:
        rng, journal = self._rng, self._journal
        first = plan.rounds[0]
        self._clock.at(self._start(first) - timedelta(days=rng.randint(7, 30)))
        result = journal.create_company(plan.name)
        assert result.created, "planned company names are unique"
        for round_ in plan.rounds:
            self._write_round(plan, result.company.id, round_)

    def _start(self, round_: _Round) -> datetime:
        return datetime.combine(round_.day, round_.start or time(0, 0), tzinfo=self._zone)

    def _end(self, round_: _Round) -> datetime:
        if round_.start is None:  # a date-only interview ends with its day
            return datetime.combine(round_.day + timedelta(days=1), time(), tzinfo=self._zone)
        return self._start(round_) + timedelta(minutes=round_.duration)

    def _write_round(self, plan: _CompanyPlan, company_id: int, round_: _Round) -> None:
        rng, journal, clock = self._rng, self._journal, self._clock
        start = self._start(round_)
        clock.at(start - timedelta(days=rng.randint(2, 14), hours=rng.randint(0, 8)))
        if round_.start is None:
            doc = journal.create_interview(
                company_id, role=round_.role, stage=round_.stage, on=round_.day,
                duration_minutes=round_.duration,
            )
        else:
            doc = journal.create_interview(
                company_id, role=round_.role, stage=round_.stage, starts_at=start,
                duration_minutes=round_.duration,
            )
        people = [plan.people[i] for i in round_.people]
        for person in people:  # known from the invitation
            journal.add_interviewer(doc.id, person.name, person.title)
        language = self._language(plan.style.locale)
        topics = self._topics(round_.stage)
        text = _Text(rng, PHRASEBOOKS[language], plan.short, [p.short for p in people], topics)
        header: dict[str, object] = {
            "format": round_.format,
            "location": self._location(plan, round_),
        }
        end = self._end(round_)
        if round_.kind == "upcoming":
            self._upcoming(doc.id, header, text, topics)
            return
        if round_.kind == "past":
            reflect = rng.random() < 0.88
        else:  # due: ended within the week; some already reflected on
            reflect = not round_.anchor and rng.random() < 0.25
        header["outcome"] = round_.outcome
        if reflect:
            delay = (
                timedelta(minutes=rng.randint(5, 180))
                if rng.random() < 0.75
                else timedelta(hours=rng.randint(3, 40))
            )
            clock.at(end + delay)
            self._reflection(doc.id, header, text, topics, round_)
            journal.mark_reflected(doc.id)
            self.reflected += 1
            self._tick_action_items(doc.id, text, end + delay)
        else:
            clock.at(end + timedelta(minutes=rng.randint(5, 600)))
            self._jottings(doc.id, header, text, topics, round_)

    def _language(self, locale: str) -> str:
        if locale != "en" and self._rng.random() < _OWN_LANGUAGE:
            return locale
        return "en"

    def _topics(self, stage: str) -> list[str]:
        rng = self._rng
        kinds = [_TOPIC_KINDS[k] for k in _KINDS[stage]]
        count = rng.randint(2, 5)
        pool = [t for kind in kinds for t in TOPICS[kind]]
        chosen = rng.sample(pool, min(count - 1, len(pool)))
        if rng.random() < 0.5:
            chosen.append(rng.choice(TOPICS["general"]))
        if rng.random() < 0.1:
            chosen.append(rng.choice(TOPICS["product"]))
        return list(dict.fromkeys(chosen))

    def _location(self, plan: _CompanyPlan, round_: _Round) -> str:
        rng, style = self._rng, plan.style
        if round_.format == "video":
            letters = "abcdefghijkmnopqrstuvwxyz"
            code = "-".join(
                "".join(rng.choice(letters) for _ in range(n)) for n in (3, 4, 3)
            )
            return rng.choice(
                (
                    f"https://meet.example.com/{code}",
                    f"https://video.example.net/j/{rng.randint(10**9, 10**10 - 1)}",
                    "Video link in the calendar invite",
                )
            )
        if round_.format == "phone":
            return rng.choice(("They call my mobile", "I call the number in the invite", ""))
        return f"{style.streets[plan.city % len(style.streets)]}, {style.cities[plan.city]}"

    def _upcoming(
        self, interview_id: int, header: dict[str, object], text: _Text, topics: list[str]
    ) -> None:
        rng = self._rng
        if rng.random() < 0.6:
            notes = text.short(text.book.sections["notes"], 1, 3)
            header["notes"] = notes
            self._count(notes)
        self._journal.update_interview(interview_id, **header)
        if rng.random() < 0.5:
            self._journal.set_topics(interview_id, topics[:2])

    def _jottings(
        self,
        interview_id: int,
        header: dict[str, object],
        text: _Text,
        topics: list[str],
        round_: _Round,
    ) -> None:
        """An interview nobody reflected on: nothing, or a few quick notes and questions."""
        rng, journal = self._rng, self._journal
        if round_.kind == "past" and rng.random() < 0.5:
            header["self_rating"] = rng.choices(range(1, 6), _SELF_RATING_WEIGHTS)[0]
        if rng.random() < 0.6:
            notes = text.short(text.book.sections["notes"], 1, 4)
            header["notes"] = notes
            self._count(notes)
        journal.update_interview(interview_id, **header)
        if rng.random() < 0.5:
            journal.set_topics(interview_id, topics)
            for question in self._questions(text, round_.stage, rng.randint(1, 3)):
                journal.add_question(interview_id, question)
                self.questions += 1
                self._count(question)

    def _reflection(
        self,
        interview_id: int,
        header: dict[str, object],
        text: _Text,
        topics: list[str],
        round_: _Round,
    ) -> None:
        rng, journal = self._rng, self._journal
        mean = self._spec.reflection_bytes
        budget = max(mean // 5, int(rng.gauss(mean, mean * 0.35)))
        changes = dict(header)
        for section in TEXT_SECTIONS:
            share = _SECTION_SHARES[section]
            templates = text.book.sections[section]
            bullets = section == "notes" and rng.random() < 0.4
            body = text.prose(templates, int(budget * share), bullets=bullets)
            changes[section] = body
            self._count(body)
        rating = rng.choices(range(1, 6), _SELF_RATING_WEIGHTS)[0]
        changes["self_rating"] = rating
        if rng.random() < 0.85:
            changes["want_to_work_here"] = rng.choices(range(1, 6), _WANT_WEIGHTS)[0]
        journal.update_interview(interview_id, **changes)
        journal.set_topics(interview_id, topics)
        low, high = (3, 5) if round_.stage == "recruiter_screen" else (3, 8)
        questions = self._questions(text, round_.stage, rng.randint(low, high))
        share = int(budget * _QUESTION_SHARE / max(1, len(questions)))
        for question in questions:
            answer = text.prose(text.book.answers, int(share * 0.65))
            next_time = text.short(text.book.next_time, 1, 3) if rng.random() < 0.8 else ""
            practise = rng.random() < (0.45 if rating <= 2 else 0.2)
            journal.add_question(interview_id, question, answer, next_time, practise)
            self.questions += 1
            self._count(question, answer, next_time)
        for _ in range(rng.randint(1, 4)):
            item = text.draw(text.book.actions)
            journal.add_action_item(interview_id, item)
            self.action_items += 1
            self._count(item)

    def _tick_action_items(self, interview_id: int, text: _Text, reflected: datetime) -> None:
        """Tick off some action items, days or weeks after the reflection."""
        rng = self._rng
        age = self._clock.limit - reflected
        chance = 0.7 if age > timedelta(days=30) else 0.3
        for item in self._journal.action_items(interview_id):
            # Both draws every time: the rest of the journal must not shift with the clock.
            roll, days = rng.random(), rng.randint(1, 30)
            if roll < chance:
                self._clock.at(reflected + timedelta(days=days))
                self._journal.update_action_item(item.id, done=True)

    def _questions(self, text: _Text, stage: str, count: int) -> list[str]:
        """Questions from the shared bank (mostly the usual wording), or the language's own."""
        rng = self._rng
        if text.book.questions and rng.random() < 0.7:
            pool = list(text.book.questions)
            return [text.fill(q) for q in rng.sample(pool, min(count, len(pool)))]
        entries = [entry for kind in _KINDS[stage] for entry in QUESTIONS[kind]]
        chosen = rng.sample(entries, min(count, len(entries)))
        asked = [
            entry[0] if len(entry) == 1 or rng.random() < 0.65 else rng.choice(entry[1:])
            for entry in chosen
        ]
        return [text.fill(q) for q in asked]


__all__ = ["SIZES", "SIZE_NAMES", "GeneratedSummary", "Size", "generate"]
