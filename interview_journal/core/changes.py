"""What a write changed: the one value the Journal announces after each commit.

Every write through the Journal records what it touched (``ChangeRecorder``) and, once the
outermost transaction has committed, hands observers one frozen ``Changes``: which
companies, interviews, questions, action items, topics, people, settings, timer sessions
and question-bank choices were created, updated, moved, trashed, restored, deleted or
reindexed. A transaction that rolls back announces nothing, and a savepoint that rolls back
takes its entries with it.
Views read the value and update what they show; nobody has to remember to tell them.

Plain Python: the UI turns it into a Qt signal (``ui/journal_events.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What kind of thing changed. Keys are row ids, except settings (their key)."""

    COMPANY = "company"
    INTERVIEW = "interview"
    QUESTION = "question"
    ACTION_ITEM = "action_item"
    TOPIC = "topic"
    PERSON = "person"
    SETTING = "setting"
    TIMER_SESSION = "timer_session"
    BANK_CHOICE = "bank_choice"  # keys: ids of questions the user placed in the question bank
    JOURNAL = "journal"  # the whole file (key 0): replaced by a restore


class Op(StrEnum):
    """What happened to it."""

    CREATED = "created"
    UPDATED = "updated"  # for an interview: something the lists show (date, stage, role, …)
    EDITED = "edited"  # an interview's content only: text, questions, items, topics, people
    MOVED = "moved"  # an interview now belongs to another company
    TRASHED = "trashed"
    RESTORED = "restored"
    DELETED = "deleted"  # gone for good
    REINDEXED = "reindexed"  # an interview's search index row was rewritten
    REPLACED = "replaced"  # the whole journal is another one now: read everything again


Key = int | str
Entry = tuple[Kind, Key, Op]


@dataclass(frozen=True)
class Changes:
    """What one committed transaction changed, and who asked for it.

    ``origin`` is whatever the writer passed to ``Journal.transaction(origin=...)`` (the
    editor passes itself, so that it can tell its own saves from changes made elsewhere).
    """

    entries: frozenset[Entry] = frozenset()
    origin: object = field(default=None, compare=False)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def keys(self, kind: Kind, *ops: Op) -> frozenset[Key]:
        """The keys of ``kind`` that changed (in one of ``ops``, if given)."""
        return frozenset(k for kd, k, op in self.entries if kd is kind and (not ops or op in ops))

    def ids(self, kind: Kind, *ops: Op) -> frozenset[int]:
        """The row ids of ``kind`` that changed (in one of ``ops``, if given)."""
        return frozenset(k for k in self.keys(kind, *ops) if isinstance(k, int))

    def ops(self, kind: Kind, key: Key) -> frozenset[Op]:
        """What happened to one row."""
        return frozenset(op for kd, k, op in self.entries if kd is kind and k == key)

    def touches(self, kind: Kind, *ops: Op) -> bool:
        """Whether anything of ``kind`` changed (in one of ``ops``, if given)."""
        return any(kd is kind and (not ops or op in ops) for kd, _k, op in self.entries)

    @property
    def companies(self) -> frozenset[int]:
        return self.ids(Kind.COMPANY)

    @property
    def interviews(self) -> frozenset[int]:
        return self.ids(Kind.INTERVIEW)

    @property
    def replaced(self) -> bool:
        """Whether the whole journal was replaced (a restore): every view reads it again."""
        return self.touches(Kind.JOURNAL, Op.REPLACED)

    @property
    def affects_lists(self) -> bool:
        """Whether the tree, the agenda or the reminders may show something else now: a
        company changed, or an interview in a way they show (not its content alone)."""
        return self.replaced or self.touches(Kind.COMPANY) or self.touches(
            Kind.INTERVIEW, *(op for op in Op if op not in (Op.EDITED, Op.REINDEXED))
        )

    @property
    def affects_search(self) -> bool:
        """Whether search results may differ now: text was reindexed, or an interview or
        company changed in a way results show or filter on."""
        return self.replaced or self.touches(Kind.COMPANY) or self.touches(
            Kind.INTERVIEW, *(op for op in Op if op is not Op.EDITED)
        )

    def by(self, origin: object) -> bool:
        """Whether ``origin`` made these changes."""
        return origin is not None and self.origin is origin

    def __str__(self) -> str:
        """A short summary for logs: kinds, operations and counts, never any text."""
        counts: dict[tuple[Kind, Op], int] = {}
        for kind, _key, op in self.entries:
            counts[kind, op] = counts.get((kind, op), 0) + 1
        parts = [f"{kind} {op} ×{n}" for (kind, op), n in sorted(counts.items())]
        return ", ".join(parts) or "nothing"


REPLACED = Changes(frozenset({(Kind.JOURNAL, 0, Op.REPLACED)}))
"""The announcement that the whole journal was replaced (``Journal.replace_file``)."""


class ChangeRecorder:
    """Collects the entries of one outermost transaction, savepoint by savepoint."""

    def __init__(self) -> None:
        self._entries: list[Entry] = []

    def add(self, kind: Kind, keys: Key | Iterable[Key], op: Op) -> None:
        if isinstance(keys, int | str):
            self._entries.append((kind, keys, op))
        else:
            self._entries.extend((kind, key, op) for key in keys)

    def mark(self) -> int:
        """Where a savepoint begins (``rollback_to`` forgets what came after)."""
        return len(self._entries)

    def rollback_to(self, mark: int) -> None:
        del self._entries[mark:]

    def take(self, origin: object = None) -> Changes:
        return Changes(frozenset(self._entries), origin)


__all__ = ["REPLACED", "ChangeRecorder", "Changes", "Entry", "Key", "Kind", "Op"]
