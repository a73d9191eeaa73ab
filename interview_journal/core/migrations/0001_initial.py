"""The foundation's tables: companies, people, interviews and their parts, tags, settings."""

from __future__ import annotations

import uuid
from typing import Any

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    UUIDField,
)

VERSION = 1
# What this version adds, read (not run) by core/db.py to check a file against its version.
TABLES = (
    "company", "person", "interview", "interview_person", "question", "action_item", "tag",
    "interview_tag", "setting",
)


def up(migrator: Any, db: Any) -> None:
    """Create the tables as they were at version 1 (a frozen copy, independent of models.py)."""

    class Base(Model):
        uuid = UUIDField(unique=True, default=uuid.uuid4)

        class Meta:
            database = db
            legacy_table_names = False

    class Company(Base):
        name = CharField()
        normalized_name = CharField(unique=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        trashed_at = DateTimeField(null=True, index=True)

    class Person(Base):
        company = ForeignKeyField(Company, on_delete="CASCADE")
        name = CharField()
        normalized_name = CharField()
        title = CharField(default="")

        class Meta:
            indexes = ((("company", "normalized_name"), True),)

    class Interview(Base):
        company = ForeignKeyField(Company, on_delete="CASCADE")
        role = CharField(default="")
        stage = CharField(default="")
        format = CharField(default="")
        date = DateField(null=True)
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

        class Meta:
            indexes = ((("company", "date"), False),)

    class Plain(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class InterviewPerson(Plain):
        interview = ForeignKeyField(Interview, on_delete="CASCADE")
        person = ForeignKeyField(Person, on_delete="CASCADE")
        position = IntegerField()

        class Meta:
            indexes = ((("interview", "person"), True),)

    class Question(Base):
        interview = ForeignKeyField(Interview, on_delete="CASCADE")
        position = IntegerField()
        question = TextField(default="")
        answer = TextField(default="")
        next_time = TextField(default="")
        practise = BooleanField(default=False)

    class ActionItem(Base):
        interview = ForeignKeyField(Interview, on_delete="CASCADE")
        position = IntegerField()
        text = TextField(default="")
        done = BooleanField(default=False)
        done_at = DateTimeField(null=True)

    class Tag(Base):
        name = CharField()
        normalized_name = CharField(unique=True)

    class InterviewTag(Plain):
        interview = ForeignKeyField(Interview, on_delete="CASCADE")
        tag = ForeignKeyField(Tag, on_delete="CASCADE")
        position = IntegerField()

        class Meta:
            indexes = ((("interview", "tag"), True),)

    class Setting(Plain):
        key = CharField(primary_key=True)
        value = TextField()

    db.create_tables(
        [Company, Person, Interview, InterviewPerson, Question, ActionItem, Tag, InterviewTag,
         Setting]
    )
    db.pragma("user_version", VERSION)
