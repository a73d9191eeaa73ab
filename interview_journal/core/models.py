"""Peewee models of the journal. They never leave ``core``: the Journal returns dataclasses.

The models are bound to ``database_proxy``, which the Journal initialises when it opens a
file. The schema itself is created by the numbered scripts in ``migrations/``; a test checks
that those scripts and these models agree.
"""

from __future__ import annotations

import uuid

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    UUIDField,
)

database_proxy = DatabaseProxy()


class BaseModel(Model):
    """Every entity has a UUID so that imports merge without duplicates."""

    id = AutoField()
    uuid = UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        database = database_proxy
        legacy_table_names = False


class Company(BaseModel):
    name = CharField()
    normalized_name = CharField(unique=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    trashed_at = DateTimeField(null=True, index=True)


class Person(BaseModel):
    """An interviewer; belongs to a company and is reused across its interviews."""

    company_id: int  # the foreign key's raw value, added by Peewee

    company = ForeignKeyField(Company, backref="people", on_delete="CASCADE")
    name = CharField()
    normalized_name = CharField()
    title = CharField(default="")

    class Meta:
        indexes = ((("company", "normalized_name"), True),)


class Interview(BaseModel):
    company_id: int
    company = ForeignKeyField(Company, backref="interviews", on_delete="CASCADE")
    role = CharField(default="")
    stage = CharField(default="")
    format = CharField(default="")
    # Local calendar date; always set when anything about the date is known.
    date = DateField(null=True)
    # UTC start (naive, stored as text); null while only the date is known.
    starts_at = DateTimeField(null=True)
    duration_minutes = IntegerField(default=60)
    location = CharField(default="")
    outcome = CharField(default="pending")
    self_rating = IntegerField(null=True)
    want_to_work_here = IntegerField(null=True)
    went_well = TextField(default="")
    went_poorly = TextField(default="")
    do_differently = TextField(default="")
    impressions = TextField(default="")
    notes = TextField(default="")
    reflection_started_at = DateTimeField(null=True)
    reflected_at = DateTimeField(null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    trashed_at = DateTimeField(null=True, index=True)
    snoozed_until = DateTimeField(null=True)
    reminder_dismissed = BooleanField(default=False)

    class Meta:
        indexes = ((("company", "date"), False),)


class InterviewPerson(Model):
    interview_id: int
    person_id: int
    interview = ForeignKeyField(Interview, backref="interviewers", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="interviews", on_delete="CASCADE")
    position = IntegerField()

    class Meta:
        database = database_proxy
        legacy_table_names = False
        indexes = ((("interview", "person"), True),)


class Question(BaseModel):
    interview_id: int
    interview = ForeignKeyField(Interview, backref="questions", on_delete="CASCADE")
    position = IntegerField()
    question = TextField(default="")
    answer = TextField(default="")
    next_time = TextField(default="")
    practise = BooleanField(default=False)


class ActionItem(BaseModel):
    interview_id: int
    interview = ForeignKeyField(Interview, backref="action_items", on_delete="CASCADE")
    position = IntegerField()
    text = TextField(default="")
    done = BooleanField(default=False)
    done_at = DateTimeField(null=True)


class Tag(BaseModel):
    """A topic, reusable across interviews."""

    name = CharField()
    normalized_name = CharField(unique=True)


class InterviewTag(Model):
    interview = ForeignKeyField(Interview, backref="tags", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, backref="interviews", on_delete="CASCADE")
    position = IntegerField()

    class Meta:
        database = database_proxy
        legacy_table_names = False
        indexes = ((("interview", "tag"), True),)


class TimerSessionRow(Model):
    """One reflection block or break (core.timers.TimerSession, as stored)."""

    interview_id: int | None

    id = AutoField()
    uuid = TextField(unique=True)
    kind = CharField()
    interview = ForeignKeyField(Interview, null=True, on_delete="SET NULL")
    started_at = DateTimeField()
    planned_seconds = IntegerField()
    extended_seconds = IntegerField()
    pauses = TextField()  # JSON: [[paused_at, resumed_at | null], ...] in ISO 8601
    held = BooleanField()
    warned = BooleanField()
    ended_at = DateTimeField(null=True, index=True)
    ending = CharField(null=True)

    class Meta:
        database = database_proxy
        legacy_table_names = False
        table_name = "timer_session"


class Setting(Model):
    """A user preference; ``value`` is JSON."""

    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        database = database_proxy
        legacy_table_names = False


class BankChoice(Model):
    """A question the user placed in the question bank (split out, or merged with another).

    Keyed by the question's UUID; ``group_uuid`` names the entry (a UUID), ``wording`` is a
    hash of the wording it was placed with (``core.question_bank.wording_of``).
    """

    id = AutoField()
    question_uuid = CharField(unique=True)
    group_uuid = CharField(index=True)
    wording = CharField()
    chosen_at = DateTimeField()

    class Meta:
        database = database_proxy
        legacy_table_names = False


ALL_MODELS: tuple[type[Model], ...] = (
    Company,
    Person,
    Interview,
    InterviewPerson,
    Question,
    ActionItem,
    Tag,
    InterviewTag,
    TimerSessionRow,
    Setting,
    BankChoice,
)
