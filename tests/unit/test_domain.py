"""The vocabulary in core/domain.py is the one definition the rest of the code reads."""

from __future__ import annotations

import importlib
import re
from datetime import date

from interview_journal.core import domain, generator, journal, phrasebook, search
from interview_journal.core.domain import (
    FIELD,
    FIELDS,
    HEADER,
    QUESTION_PARTS,
    SEARCH_FIELDS,
    SEARCH_PREFIXES,
    SECTIONS,
    STAGES,
    TEXT_SECTIONS,
)
from interview_journal.core.journal import Journal
from interview_journal.core.models import Interview, Question

# The interview's columns that are kept for the app, not shown as fields.
BOOKKEEPING = {
    "id", "uuid", "created_at", "updated_at", "trashed_at", "reflection_started_at",
    "reflected_at", "snoozed_until", "reminder_dismissed",
}
COLUMN_KINDS = {"company", "line", "choice", "rating", "date", "time", "minutes", "text"}


def test_keys_are_unique_and_labelled() -> None:
    keys = [f.key for f in FIELDS]
    assert len(keys) == len(set(keys))
    assert all(f.label and f.label == f.label.strip() for f in FIELDS)
    assert all(f.prompt for f in SECTIONS)
    assert len(SEARCH_PREFIXES) == len(set(SEARCH_PREFIXES))
    assert all(f.search_weight > 0 for f in SEARCH_FIELDS)
    assert all(f.search_weight == 0 and not f.short_label for f in FIELDS if not f.searchable)
    assert all(bool(f.choices) == (f.kind == "choice") for f in FIELDS)


def test_the_fields_kept_on_the_interview_are_exactly_its_columns() -> None:
    columns = set(Interview._meta.fields)
    on_interview = {f.key for f in FIELDS if f.kind in COLUMN_KINDS}
    assert on_interview == columns - BOOKKEEPING
    text_columns = {
        name for name, field in Interview._meta.fields.items() if field.field_type == "TEXT"
    }
    assert set(TEXT_SECTIONS) == text_columns
    assert {f.key for f in FIELDS if f.kind not in COLUMN_KINDS} == {
        "interviewers", "topics", "questions", "action_items",
    }
    assert {key for key, _ in QUESTION_PARTS} <= set(Question._meta.fields)


def test_the_choices_are_the_fields_choices() -> None:
    assert FIELD["stage"].choices is domain.STAGES
    assert FIELD["format"].choices is domain.FORMATS
    assert FIELD["outcome"].choices is domain.OUTCOMES
    assert domain.STAGE_LABELS["onsite"] == "Onsite / loop"
    assert FIELD["self_rating"].label == "Self-rating"


def test_the_old_names_still_come_from_the_journal_module() -> None:
    for name in ("STAGES", "FORMATS", "OUTCOMES", "STAGE_LABELS", "FORMAT_LABELS",
                 "OUTCOME_LABELS", "TEXT_SECTIONS"):
        assert getattr(journal, name) is getattr(domain, name), name


def test_the_page_reads_header_then_sections() -> None:
    assert FIELDS == HEADER + SECTIONS
    assert [f.key for f in SECTIONS] == [
        "topics", "questions", "went_well", "went_poorly", "do_differently", "action_items",
        "impressions", "notes",
    ]
    assert TEXT_SECTIONS == ("went_well", "went_poorly", "do_differently", "impressions", "notes")


def test_search_columns_and_weights_come_from_the_domain() -> None:
    assert search.COLUMNS == SEARCH_PREFIXES == tuple(f.search_prefix for f in SEARCH_FIELDS)
    assert dict(search.WEIGHTS) == {f.search_prefix: f.search_weight for f in SEARCH_FIELDS}
    # The prefixes users type, and the ranking, are a contract (docs/architecture.md).
    assert search.COLUMNS == (
        "company", "role", "people", "topics", "questions", "went_well", "went_poorly",
        "do_differently", "action_items", "impressions", "notes",
    )
    assert [search.WEIGHTS[c] for c in search.COLUMNS] == [
        2.0, 2.0, 1.0, 3.0, 6.0, 5.0, 5.0, 5.0, 4.0, 5.0, 3.0,
    ]
    assert FIELD["interviewers"].search_prefix == "people"


def test_the_index_table_has_the_domains_columns() -> None:
    fields = [name for name in search.SearchIndex._meta.sorted_field_names if name != "rowid"]
    assert tuple(fields) == search.COLUMNS
    migration = importlib.import_module("interview_journal.core.migrations.0002_search_index")
    frozen = re.findall(r'"(\w+)"', migration.SEARCH_INDEX.split("tokenize=")[0])
    assert tuple(frozen[1:]) == search.COLUMNS  # the first is the table's name


def test_the_indexed_document_has_every_column(journal: Journal) -> None:
    doc = journal.create_interview_for("Acme", role="Engineer", on=date(2026, 3, 2))
    document = search.document(doc.id)  # the journal is open, so its models are bound
    assert document is not None
    assert tuple(document) == search.COLUMNS


def test_the_generator_covers_every_stage_and_section() -> None:
    stages = {key for key, _ in STAGES}
    for table in (generator._PANEL, generator._DURATIONS, generator._KINDS):
        assert set(table) == stages
    assert set(generator._SECTION_SHARES) == set(TEXT_SECTIONS)
    for language, book in phrasebook.PHRASEBOOKS.items():
        assert set(book.sections) == set(TEXT_SECTIONS), language
