"""Topics and interviewers: the tags on an interview and the people of a company."""

from __future__ import annotations

from collections.abc import Sequence

from peewee import JOIN, fn

from interview_journal.core.changes import Kind, Op
from interview_journal.core.errors import InvalidInput, NotFound
from interview_journal.core.journal.rules import _name, _text
from interview_journal.core.journal.settings import _Settings
from interview_journal.core.journal.values import MAX_NAME, PersonRow, normalize_name
from interview_journal.core.models import Interview, InterviewPerson, InterviewTag, Person, Tag


def _person_row(row: Person) -> PersonRow:
    return PersonRow(
        id=row.id, uuid=str(row.uuid), company_id=row.company_id, name=row.name, title=row.title
    )


class _People(_Settings):
    """Topics and interviewers."""

    def topic_names(self) -> list[str]:
        """Every topic ever used, most used first (for completion)."""
        query = (
            Tag.select(Tag.name, fn.COUNT(InterviewTag.interview).alias("uses"))
            .join(InterviewTag, JOIN.LEFT_OUTER)
            .group_by(Tag.id)
            .order_by(fn.COUNT(InterviewTag.interview).desc(), Tag.normalized_name)
        )
        return [t.name for t in query]

    def set_topics(self, interview_id: int, names: Sequence[str]) -> tuple[str, ...]:
        """Replace an interview's topics with ``names``, in that order (duplicates dropped)."""
        from interview_journal.core import search as searchmod

        cleaned: dict[str, str] = {}
        for name in names:
            clean = _name(name, "Topic")
            cleaned.setdefault(normalize_name(clean), clean)
        with self._write():
            self._touch(interview_id)
            before = set(
                searchmod.ids(
                    InterviewTag.select(InterviewTag.tag).where(
                        InterviewTag.interview == interview_id
                    )
                )
            )
            InterviewTag.delete().where(InterviewTag.interview == interview_id).execute()
            after: set[int] = set()
            for position, (key, clean) in enumerate(cleaned.items()):
                tag = Tag.get_or_none(Tag.normalized_name == key)
                if tag is None:
                    tag = Tag.create(name=clean, normalized_name=key)
                    self._changed(Kind.TOPIC, tag.id, Op.CREATED)
                InterviewTag.create(interview=interview_id, tag=tag, position=position)
                after.add(tag.id)
            # A topic whose set of interviews changed (its count in the bank, say).
            self._changed(Kind.TOPIC, before ^ after, Op.UPDATED)
            return self._topics(interview_id)

    def add_topic(self, interview_id: int, name: str) -> tuple[str, ...]:
        """Add a topic at the end (no-op if the interview already has it)."""
        current = list(self._topics(interview_id))
        return self.set_topics(interview_id, [*current, name])

    def remove_topic(self, interview_id: int, name: str) -> tuple[str, ...]:
        """Remove a topic from an interview (the topic stays known for completion)."""
        key = normalize_name(name)
        current = [t for t in self._topics(interview_id) if normalize_name(t) != key]
        return self.set_topics(interview_id, current)

    def move_topic(self, interview_id: int, name: str, index: int) -> tuple[str, ...]:
        """Move a topic to ``index`` within the interview."""
        current = list(self._topics(interview_id))
        key = normalize_name(name)
        found = [t for t in current if normalize_name(t) == key]
        if not found:
            raise NotFound(f"This interview has no topic {name!r}.")
        current.remove(found[0])
        current.insert(max(0, min(index, len(current))), found[0])
        return self.set_topics(interview_id, current)

    def _topics(self, interview_id: int) -> tuple[str, ...]:
        """An interview's topics in order (NotFound if the interview is gone)."""
        self._get(Interview, interview_id, "interview")
        return self._topic_names_of(interview_id)

    @staticmethod
    def _topic_names_of(interview_id: int) -> tuple[str, ...]:
        return tuple(
            t.name
            for t in Tag.select(Tag.name)
            .join(InterviewTag)
            .where(InterviewTag.interview == interview_id)
            .order_by(InterviewTag.position)
        )

    def interviewers(self, interview_id: int) -> list[PersonRow]:
        """The people who interviewed, in order."""
        query = (
            Person.select()
            .join(InterviewPerson)
            .where(InterviewPerson.interview == interview_id)
            .order_by(InterviewPerson.position)
        )
        return [_person_row(p) for p in query]

    def people(self, company_id: int) -> list[PersonRow]:
        """Everyone met at a company (for completion), by name."""
        query = Person.select().where(Person.company == company_id)
        return [_person_row(p) for p in query.order_by(Person.normalized_name)]

    def add_interviewer(self, interview_id: int, name: str, title: str = "") -> PersonRow:
        """Add an interviewer, reusing the company's person of that name (title updated)."""
        clean = _name(name, "Interviewer's name")
        clean_title = _text(title, "Title", MAX_NAME).strip()
        with self._write():
            self._touch(interview_id)
            person = self._person_in(self.company_id_of(interview_id), clean, clean_title)
            linked = InterviewPerson.get_or_none(
                (InterviewPerson.interview == interview_id) & (InterviewPerson.person == person)
            )
            if linked is None:
                position = self._next_position(InterviewPerson, interview_id)
                InterviewPerson.create(interview=interview_id, person=person, position=position)
                self._changed(Kind.PERSON, person.id, Op.UPDATED)
            return _person_row(person)

    def update_person(
        self, person_id: int, *, name: str | None = None, title: str | None = None
    ) -> PersonRow:
        """Rename an interviewer or change their title (everywhere they appear)."""
        clean = None if name is None else _name(name, "Interviewer's name")
        clean_title = None if title is None else _text(title, "Title", MAX_NAME).strip()
        with self._write():
            person = self._get(Person, person_id, "interviewer")
            if clean is not None:
                key = normalize_name(clean)
                clash = Person.get_or_none(
                    (Person.company == person.company_id)
                    & (Person.normalized_name == key)
                    & (Person.id != person_id)
                )
                if clash is not None:
                    raise InvalidInput(f"{clash.name} is already an interviewer at this company.")
                person.name, person.normalized_name = clean, key
            if clean_title is not None:
                person.title = clean_title
            person.save()
            self._mark_person(person_id)
            return _person_row(person)

    def remove_interviewer(self, interview_id: int, person_id: int) -> None:
        """Take an interviewer off an interview (the person stays known for the company)."""
        with self._write():
            self._touch(interview_id)
            InterviewPerson.delete().where(
                (InterviewPerson.interview == interview_id) & (InterviewPerson.person == person_id)
            ).execute()
            self._close_gap(InterviewPerson, interview_id)
            self._changed(Kind.PERSON, person_id, Op.UPDATED)

    def move_interviewer(self, interview_id: int, person_id: int, index: int) -> list[PersonRow]:
        """Move an interviewer to ``index`` in the interview's list."""
        with self._write():
            ids = self._interviewer_ids(interview_id)
            if person_id not in ids:
                raise NotFound("That interviewer is not on this interview.")
            ids.remove(person_id)
            ids.insert(max(0, min(index, len(ids))), person_id)
            self._order_interviewers(interview_id, ids)
            return self.interviewers(interview_id)

    def reorder_interviewers(self, interview_id: int, person_ids: Sequence[int]) -> None:
        """Put the interview's interviewers in the order of ``person_ids`` (a drag in the
        editor). Anyone on the interview but not named keeps their place after the named
        ones; a name not on the interview is refused and nothing moves."""
        with self._write():
            current = self._interviewer_ids(interview_id)
            unknown = [pid for pid in person_ids if pid not in current]
            if unknown:
                raise NotFound("That interviewer is not on this interview.")
            named = list(dict.fromkeys(person_ids))
            self._order_interviewers(interview_id, named + [p for p in current if p not in named])

    def _interviewer_ids(self, interview_id: int) -> list[int]:
        self._touch(interview_id)
        links = (
            InterviewPerson.select(InterviewPerson.person)
            .where(InterviewPerson.interview == interview_id)
            .order_by(InterviewPerson.position)
        )
        return [link.person_id for link in links]

    def _order_interviewers(self, interview_id: int, person_ids: Sequence[int]) -> None:
        for position, pid in enumerate(person_ids):
            InterviewPerson.update(position=position).where(
                (InterviewPerson.interview == interview_id) & (InterviewPerson.person == pid)
            ).execute()

    def _person_in(self, company_id: int, name: str, title: str) -> Person:
        key = normalize_name(name)
        person = Person.get_or_none(
            (Person.company == company_id) & (Person.normalized_name == key)
        )
        if person is None:
            person = Person.create(company=company_id, name=name, normalized_name=key, title=title)
            self._changed(Kind.PERSON, person.id, Op.CREATED)
            return person
        if title and title != person.title:
            person.title = title
            person.save()
            self._mark_person(person.id)
        return person

    def _mark_person(self, person_id: int) -> None:
        from interview_journal.core import search as searchmod

        links = InterviewPerson.select(InterviewPerson.interview).where(
            InterviewPerson.person == person_id
        )
        interview_ids = searchmod.ids(links)
        self._mark(*interview_ids)
        self._changed(Kind.PERSON, person_id, Op.UPDATED)
        self._changed(Kind.INTERVIEW, interview_ids, Op.EDITED)
