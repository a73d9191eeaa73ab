"""The F1 tree: the lazy CompanyTreeModel adapter and the CompanyTree pane."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QIcon, QImage
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QTreeView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from interview_journal.ui.tree_model import (
    COUNT_ROLE,
    DUE_COUNT_ROLE,
    FILTER_ROLE,
    ID_ROLE,
    KIND_ROLE,
    STATUS_ROLE,
    CompanyTreeModel,
)
from interview_journal.ui.tree_view import CompanyTree

EVIL = "<b>bold</b><img src=x>"


@dataclass
class Sample:
    """Ids of a small realistic journal (clock: Monday 2 March 2026, 09:00 UTC)."""

    acme: int
    globex: int
    initech: int
    northwind: int
    umbrella: int
    acme_manager: int  # 5 March 10:00, upcoming
    acme_technical: int  # 27 February, reflection due
    acme_recruiter: int  # 10 February, reflected
    globex_design: int  # 1 March, reflection due
    globex_recruiter: int  # 15 January, past
    initech_final: int  # no date yet
    initech_onsite: int  # 9 March, upcoming
    northwind_behavioural: int  # 20 February, reflected


@pytest.fixture
def sample(journal: Journal) -> Sample:
    """Five companies, eight interviews, every status."""

    def company(name: str) -> int:
        return journal.create_company(name).company.id

    def interview(company_id: int, stage: str, role: str, **when: Any) -> int:
        return journal.create_interview(company_id, stage=stage, role=role, **when).id

    acme = company("Acme Robotics")
    globex = company("Globex")
    initech = company("Initech")
    northwind = company("Northwind Traders")
    umbrella = company("Umbrella Health")
    backend, staff, lead = "Backend engineer", "Staff engineer", "Platform lead"
    ids = Sample(
        acme=acme,
        globex=globex,
        initech=initech,
        northwind=northwind,
        umbrella=umbrella,
        acme_technical=interview(acme, "technical", backend, on=date(2026, 2, 27)),
        acme_recruiter=interview(acme, "recruiter_screen", backend, on=date(2026, 2, 10)),
        acme_manager=interview(
            acme, "hiring_manager", backend, starts_at=datetime(2026, 3, 5, 10, tzinfo=UTC)
        ),
        globex_design=interview(globex, "system_design", staff, on=date(2026, 3, 1)),
        globex_recruiter=interview(globex, "recruiter_screen", staff, on=date(2026, 1, 15)),
        initech_onsite=interview(initech, "onsite", lead, on=date(2026, 3, 9)),
        initech_final=interview(initech, "final", lead),
        northwind_behavioural=interview(
            northwind, "behavioural", "Data engineer", on=date(2026, 2, 20)
        ),
    )
    journal.mark_reflected(ids.acme_recruiter)
    journal.mark_reflected(ids.northwind_behavioural)
    return ids


@pytest.fixture
def model(qtbot: QtBot, journal: Journal, sample: Sample) -> CompanyTreeModel:
    """The model over the sample journal (qtbot makes sure a QApplication exists)."""
    return CompanyTreeModel(journal)


@pytest.fixture
def pane(qtbot: QtBot, model: CompanyTreeModel) -> CompanyTree:
    """The pane over the sample journal, not shown (offscreen)."""
    widget = CompanyTree(model)
    widget.resize(320, 420)
    qtbot.addWidget(widget)
    return widget


# --------------------------------------------------------------------------- helpers


def names(model: CompanyTreeModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def labels(model: CompanyTreeModel, company_id: int) -> list[str]:
    parent = model.index_for_company(company_id)
    if model.canFetchMore(parent):
        model.fetchMore(parent)
    return [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]


def child_ids(model: CompanyTreeModel, company_id: int) -> list[int]:
    parent = model.index_for_company(company_id)
    return [model.index(row, 0, parent).data(ID_ROLE) for row in range(model.rowCount(parent))]


def company_data(model: CompanyTreeModel, company_id: int, role: int) -> Any:
    return model.index_for_company(company_id).data(role)


class Spy:
    """Records every emission of a Qt signal."""

    def __init__(self, signal: Any) -> None:
        self.calls: list[tuple[Any, ...]] = []
        signal.connect(self._record)

    def _record(self, *args: Any) -> None:
        self.calls.append(args)

    def __len__(self) -> int:
        return len(self.calls)


@pytest.fixture
def resets(model: CompanyTreeModel) -> Spy:
    """Every modelReset or layoutChanged: the update methods must never need one."""
    spy = Spy(model.modelReset)
    model.layoutChanged.connect(spy._record)
    return spy


def visible_tree(pane: CompanyTree) -> list[tuple[str, list[str]]]:
    """What the view shows through the filter: companies with their visible interviews."""
    view = pane.findChild(QTreeView, "companyTree")
    assert view is not None
    proxy = view.model()
    shown: list[tuple[str, list[str]]] = []
    for row in range(proxy.rowCount()):
        company = proxy.index(row, 0)
        children = [proxy.index(r, 0, company).data() for r in range(proxy.rowCount(company))]
        shown.append((company.data(), children))
    return shown


def tree_view(pane: CompanyTree) -> QTreeView:
    view = pane.findChild(QTreeView, "companyTree")
    assert view is not None
    return view


def view_index(pane: CompanyTree, kind: str, item_id: int) -> QModelIndex:
    """The view (proxy) index of a company or interview."""
    view = tree_view(pane)
    proxy = view.model()
    model = pane.model()
    if kind == "company":
        source = model.index_for_company(item_id)
    else:
        source = model.index_for_interview(item_id)
    assert isinstance(proxy, QSortFilterProxyModel)
    return proxy.mapFromSource(source)


def image_of(icon: QIcon) -> QImage:
    return icon.pixmap(16, 16).toImage()


# --------------------------------------------------------------------------- model: reading


def test_companies_are_sorted_by_name_with_counts(model: CompanyTreeModel, sample: Sample) -> None:
    assert names(model) == [
        "Acme Robotics",
        "Globex",
        "Initech",
        "Northwind Traders",
        "Umbrella Health",
    ]
    counts = [model.index(row, 0).data(COUNT_ROLE) for row in range(model.rowCount())]
    assert counts == [3, 2, 2, 1, 0]
    due = [model.index(row, 0).data(DUE_COUNT_ROLE) for row in range(model.rowCount())]
    assert due == [1, 1, 0, 0, 0]
    acme = model.index_for_company(sample.acme)
    assert acme.data(KIND_ROLE) == "company"
    assert acme.data(ID_ROLE) == sample.acme
    assert acme.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Acme Robotics, 3 interviews · 1 reflection due · 1 upcoming"
    )
    assert model.columnCount() == 1


def test_interviews_load_only_when_a_company_is_expanded(
    qtbot: QtBot, model: CompanyTreeModel, sample: Sample
) -> None:
    acme = model.index_for_company(sample.acme)
    umbrella = model.index_for_company(sample.umbrella)
    assert model.canFetchMore(acme)
    assert model.rowCount(acme) == 0
    assert model.hasChildren(acme)  # the expander shows before the fetch
    assert not model.hasChildren(umbrella)  # a company without interviews has none

    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.fetchMore(acme)
    parent, first, last = inserted.args
    assert (parent, first, last) == (acme, 0, 2)
    assert not model.canFetchMore(acme)
    assert model.canFetchMore(model.index_for_company(sample.globex))  # still lazy


def test_interviews_are_newest_first_with_labels_and_statuses(
    model: CompanyTreeModel, sample: Sample
) -> None:
    assert labels(model, sample.acme) == [
        "2026-03-05 · Hiring manager · Backend engineer",
        "2026-02-27 · Technical · Backend engineer",
        "2026-02-10 · Recruiter screen · Backend engineer",
    ]
    assert child_ids(model, sample.acme) == [
        sample.acme_manager,
        sample.acme_technical,
        sample.acme_recruiter,
    ]
    # An interview with no date yet sits on top, where the Journal puts it.
    assert labels(model, sample.initech) == [
        "No date · Final · Platform lead",
        "2026-03-09 · Onsite / loop · Platform lead",
    ]
    statuses = {
        interview_id: model.index_for_interview(interview_id).data(STATUS_ROLE)
        for interview_id in (
            sample.acme_manager,
            sample.acme_technical,
            sample.acme_recruiter,
            sample.globex_recruiter,
            sample.initech_final,
        )
    }
    assert statuses == {
        sample.acme_manager: "upcoming",
        sample.acme_technical: "due",
        sample.acme_recruiter: "reflected",
        sample.globex_recruiter: "past",
        sample.initech_final: "undated",
    }
    technical = model.index_for_interview(sample.acme_technical)
    assert technical.data(KIND_ROLE) == "interview"
    assert technical.data(ID_ROLE) == sample.acme_technical
    assert technical.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "2026-02-27 · Technical · Backend engineer, Reflection due"
    )
    assert technical.parent() == model.index_for_company(sample.acme)
    assert not model.hasChildren(technical)


def test_status_icons_differ_per_status_and_are_drawn_once(
    model: CompanyTreeModel, sample: Sample
) -> None:
    ids = {
        "upcoming": sample.acme_manager,
        "due": sample.acme_technical,
        "reflected": sample.acme_recruiter,
    }
    icons = {
        status: model.index_for_interview(interview_id).data(Qt.ItemDataRole.DecorationRole)
        for status, interview_id in ids.items()
    }
    for icon in icons.values():
        assert isinstance(icon, QIcon)
        assert not icon.isNull()
    images = [image_of(icon) for icon in icons.values()]
    assert images[0] != images[1] != images[2] != images[0]
    # Each mark has its colour: a blue clock, an amber dot, a green dot with a tick.
    upcoming, due, reflected = (QColor(image.pixel(2, 8)) for image in images)
    assert upcoming.blue() > 150 > upcoming.red()
    assert due.red() > 200 > 80 > due.blue()
    assert reflected.green() > 120 > max(reflected.red(), reflected.blue())
    # Cached: asking again gives the very same icon, not a fresh drawing.
    again = model.index_for_interview(ids["due"]).data(Qt.ItemDataRole.DecorationRole)
    assert again.cacheKey() == icons["due"].cacheKey()
    # Companies carry no status icon.
    assert model.index_for_company(sample.acme).data(Qt.ItemDataRole.DecorationRole) is None


def test_data_never_queries_the_journal(
    model: CompanyTreeModel, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.fetch_all()

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("data() queried the Journal")

    for name in ("companies", "company", "interviews", "interview"):
        monkeypatch.setattr(journal, name, forbidden)
    roles = [
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.AccessibleTextRole,
        KIND_ROLE,
        ID_ROLE,
        STATUS_ROLE,
        COUNT_ROLE,
        FILTER_ROLE,
    ]
    seen = 0
    for row in range(model.rowCount()):
        company = model.index(row, 0)
        for role in roles:
            company.data(role)
        for child_row in range(model.rowCount(company)):
            for role in roles:
                model.index(child_row, 0, company).data(role)
            seen += 1
    assert seen == 8


def test_markup_in_a_name_is_shown_literally(qtbot: QtBot, journal: Journal) -> None:
    company = journal.create_company(EVIL).company.id
    journal.create_interview(company, role="<i>Tester</i> & <a href='file:///etc'>QA</a>")
    model = CompanyTreeModel(journal)
    index = model.index_for_company(company)
    assert index.data() == EVIL
    # (convertFromPlainText turns spaces into no-break spaces.)
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole).replace("\xa0", " ")
    assert "&lt;b&gt;bold&lt;/b&gt;&lt;img src=x&gt;" in tooltip
    assert "<img" not in tooltip
    assert "<b>" not in tooltip
    model.fetchMore(index)
    child = model.index(0, 0, index)
    assert child.data() == "No date · <i>Tester</i> & <a href='file:///etc'>QA</a>"
    child_tip = child.data(Qt.ItemDataRole.ToolTipRole).replace("\xa0", " ")
    assert "&lt;i&gt;Tester&lt;/i&gt; &amp; &lt;a href=" in child_tip
    assert "<a " not in child_tip


# --------------------------------------------------------------------------- model: updates


def _add_company(journal: Journal, model: CompanyTreeModel, sample: Sample) -> None:
    model.company_added(journal.create_company("Hooli").company.id)


def _rename_company(journal: Journal, model: CompanyTreeModel, sample: Sample) -> None:
    journal.rename_company(sample.acme, "Zenith Robotics")
    model.company_changed(sample.acme)


def _trash_company(journal: Journal, model: CompanyTreeModel, sample: Sample) -> None:
    journal.trash_company(sample.globex)
    model.company_removed(sample.globex)


def _add_interview(journal: Journal, model: CompanyTreeModel, sample: Sample) -> None:
    new = journal.create_interview(
        sample.acme, stage="final", role="Backend engineer", on=date(2026, 3, 20)
    )
    model.interview_added(new.id, sample.acme)


def _change_interview(journal: Journal, model: CompanyTreeModel, sample: Sample) -> None:
    journal.set_schedule(sample.acme_recruiter, date(2026, 3, 12))
    model.interview_changed(sample.acme_recruiter)


def _trash_interview(journal: Journal, model: CompanyTreeModel, sample: Sample) -> None:
    journal.trash_interview(sample.acme_technical)
    model.interview_removed(sample.acme_technical)


OPERATIONS: dict[str, Callable[[Journal, CompanyTreeModel, Sample], None]] = {
    "company_added": _add_company,
    "company_changed": _rename_company,
    "company_removed": _trash_company,
    "interview_added": _add_interview,
    "interview_changed": _change_interview,
    "interview_removed": _trash_interview,
}


def test_modeltester_on_the_populated_model(
    qtmodeltester: ModelTester, model: CompanyTreeModel
) -> None:
    qtmodeltester.check(model, force_py=True)
    assert not any(
        model.canFetchMore(model.index(row, 0)) for row in range(model.rowCount())
    )  # the tester walked into every company


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_modeltester_after_update(
    qtmodeltester: ModelTester,
    journal: Journal,
    model: CompanyTreeModel,
    sample: Sample,
    operation: str,
) -> None:
    model.fetchMore(model.index_for_company(sample.acme))
    OPERATIONS[operation](journal, model, sample)
    qtmodeltester.check(model, force_py=True)


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_modeltester_watches_the_update_signals(
    qtmodeltester: ModelTester,
    journal: Journal,
    model: CompanyTreeModel,
    sample: Sample,
    resets: Spy,
    operation: str,
) -> None:
    # Checked first, so the tester validates every begin/end pair the update emits.
    qtmodeltester.check(model, force_py=True)
    OPERATIONS[operation](journal, model, sample)
    assert len(resets) == 0


def test_company_added_inserts_in_name_order(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, resets: Spy
) -> None:
    jumbo = journal.create_company("jumbo").company.id
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.company_added(jumbo)
    assert inserted.args[1:] == [3, 3]
    assert not inserted.args[0].isValid()
    assert names(model)[2:5] == ["Initech", "jumbo", "Northwind Traders"]
    assert company_data(model, jumbo, COUNT_ROLE) == 0
    assert len(resets) == 0


def test_rename_moves_the_company_and_keeps_its_interviews(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, sample: Sample, resets: Spy
) -> None:
    model.fetchMore(model.index_for_company(sample.acme))
    technical = QPersistentModelIndex(model.index_for_interview(sample.acme_technical))
    journal.rename_company(sample.acme, "Zenith Robotics")
    with qtbot.waitSignal(model.rowsMoved) as moved:
        model.company_changed(sample.acme)
    assert moved.args[1:3] == [0, 0]
    assert names(model) == [
        "Globex",
        "Initech",
        "Northwind Traders",
        "Umbrella Health",
        "Zenith Robotics",
    ]
    assert technical.isValid()
    assert technical.data(ID_ROLE) == sample.acme_technical
    assert technical.parent().data() == "Zenith Robotics"
    assert child_ids(model, sample.acme) == [
        sample.acme_manager,
        sample.acme_technical,
        sample.acme_recruiter,
    ]
    assert len(resets) == 0


def test_rename_in_place_only_changes_data(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, sample: Sample, resets: Spy
) -> None:
    moves = Spy(model.rowsMoved)
    journal.rename_company(sample.globex, "Globex Corporation")
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.company_changed(sample.globex)
    assert changed.args[0] == model.index_for_company(sample.globex)
    assert names(model)[1] == "Globex Corporation"
    assert len(moves) == 0
    assert len(resets) == 0


def test_company_removed_takes_its_row_away(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, sample: Sample, resets: Spy
) -> None:
    model.fetch_all()
    journal.trash_company(sample.globex)
    with qtbot.waitSignal(model.rowsRemoved) as removed:
        model.company_removed(sample.globex)
    assert removed.args[1:] == [1, 1]
    assert "Globex" not in names(model)
    assert not model.index_for_company(sample.globex).isValid()
    assert not model.index_for_interview(sample.globex_design).isValid()
    assert model.index_for_interview(sample.initech_final).parent().data() == "Initech"
    # Restoring brings it back in place, with its interviews.
    journal.restore_company(sample.globex)
    with qtbot.waitSignal(model.rowsInserted):
        model.company_added(sample.globex)
    assert names(model)[1] == "Globex"
    assert labels(model, sample.globex) == [
        "2026-03-01 · System design · Staff engineer",
        "2026-01-15 · Recruiter screen · Staff engineer",
    ]
    assert len(resets) == 0


def test_interview_added_goes_on_top_and_recounts(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, sample: Sample, resets: Spy
) -> None:
    acme = model.index_for_company(sample.acme)
    model.fetchMore(acme)
    new = journal.create_interview(
        sample.acme, stage="final", role="Backend engineer", on=date(2026, 3, 20)
    )
    changed = Spy(model.dataChanged)
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.interview_added(new.id, sample.acme)
    assert inserted.args == [acme, 0, 0]
    assert labels(model, sample.acme)[0] == "2026-03-20 · Final · Backend engineer"
    assert model.index(0, 0, acme).data(STATUS_ROLE) == "upcoming"
    assert company_data(model, sample.acme, COUNT_ROLE) == 4
    assert (acme, acme) in [(c[0], c[1]) for c in changed.calls]
    assert len(resets) == 0


def test_interview_added_to_an_unexpanded_or_new_company(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, sample: Sample
) -> None:
    first = journal.create_interview(sample.umbrella, role="SRE", on=date(2026, 2, 28))
    with qtbot.waitSignal(model.rowsInserted):
        model.interview_added(first.id, sample.umbrella)
    assert labels(model, sample.umbrella) == ["2026-02-28 · SRE"]
    assert model.hasChildren(model.index_for_company(sample.umbrella))

    brand_new = journal.create_interview_for("Pied Piper", role="Compression")
    model.interview_added(brand_new.id, brand_new.company_id)
    assert "Pied Piper" in names(model)
    assert labels(model, brand_new.company_id) == ["No date · Compression"]
    assert company_data(model, brand_new.company_id, COUNT_ROLE) == 1


def test_interview_changed_reorders_and_updates_status(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, sample: Sample, resets: Spy
) -> None:
    acme = model.index_for_company(sample.acme)
    model.fetchMore(acme)
    recruiter = QPersistentModelIndex(model.index_for_interview(sample.acme_recruiter))
    journal.set_schedule(sample.acme_recruiter, date(2026, 3, 12))
    journal.mark_reflected(sample.acme_recruiter, done=False)
    with qtbot.waitSignal(model.rowsMoved):
        model.interview_changed(sample.acme_recruiter)
    assert child_ids(model, sample.acme) == [
        sample.acme_recruiter,
        sample.acme_manager,
        sample.acme_technical,
    ]
    assert recruiter.row() == 0  # the same row moved, it was not removed and re-added
    assert recruiter.data() == "2026-03-12 · Recruiter screen · Backend engineer"
    assert recruiter.data(STATUS_ROLE) == "upcoming"
    assert company_data(model, sample.acme, Qt.ItemDataRole.AccessibleTextRole) == (
        "Acme Robotics, 3 interviews · 1 reflection due · 2 upcoming"
    )

    # Writing the reflection turns the due mark into a tick, and the company's count calms.
    journal.mark_reflected(sample.acme_technical)
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.interview_changed(sample.acme_technical)
    technical = model.index_for_interview(sample.acme_technical)
    assert changed.args[0] == technical
    assert technical.data(STATUS_ROLE) == "reflected"
    assert company_data(model, sample.acme, DUE_COUNT_ROLE) == 0
    assert len(resets) == 0


def test_interview_moving_forward_is_one_move(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, sample: Sample
) -> None:
    model.fetchMore(model.index_for_company(sample.acme))
    moves = Spy(model.rowsMoved)
    journal.set_schedule(sample.acme_manager, date(2026, 1, 2))
    model.interview_changed(sample.acme_manager)
    assert child_ids(model, sample.acme) == [
        sample.acme_technical,
        sample.acme_recruiter,
        sample.acme_manager,
    ]
    assert len(moves) == 1


def test_interview_moved_to_another_company(
    journal: Journal, model: CompanyTreeModel, sample: Sample
) -> None:
    model.fetch_all()
    journal.move_interview(sample.globex_design, "Initech")
    model.interview_changed(sample.globex_design)
    assert child_ids(model, sample.globex) == [sample.globex_recruiter]
    assert child_ids(model, sample.initech) == [
        sample.initech_final,
        sample.initech_onsite,
        sample.globex_design,
    ]
    assert model.index_for_interview(sample.globex_design).parent().data() == "Initech"
    assert company_data(model, sample.globex, COUNT_ROLE) == 1
    assert company_data(model, sample.initech, COUNT_ROLE) == 3


def test_interview_removed_and_restored(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, sample: Sample, resets: Spy
) -> None:
    acme = model.index_for_company(sample.acme)
    model.fetchMore(acme)
    journal.trash_interview(sample.acme_technical)
    with qtbot.waitSignal(model.rowsRemoved) as removed:
        model.interview_removed(sample.acme_technical)
    assert removed.args == [acme, 1, 1]
    assert child_ids(model, sample.acme) == [sample.acme_manager, sample.acme_recruiter]
    assert company_data(model, sample.acme, COUNT_ROLE) == 2
    assert company_data(model, sample.acme, DUE_COUNT_ROLE) == 0

    journal.restore_interview(sample.acme_technical)
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.interview_added(sample.acme_technical, sample.acme)
    assert inserted.args == [acme, 1, 1]
    assert company_data(model, sample.acme, COUNT_ROLE) == 3
    assert len(resets) == 0


def test_interview_removed_before_its_company_was_expanded(
    journal: Journal, model: CompanyTreeModel, sample: Sample
) -> None:
    journal.trash_interview(sample.globex_recruiter)
    model.interview_removed(sample.globex_recruiter)
    assert company_data(model, sample.globex, COUNT_ROLE) == 1
    assert labels(model, sample.globex) == ["2026-03-01 · System design · Staff engineer"]


def test_refresh_statuses_reports_what_time_changed(
    qtbot: QtBot,
    journal: Journal,
    clock: FakeClock,
    model: CompanyTreeModel,
    sample: Sample,
    resets: Spy,
) -> None:
    model.fetch_all()
    manager = model.index_for_interview(sample.acme_manager)
    assert manager.data(STATUS_ROLE) == "upcoming"
    clock.advance(timedelta(days=3, hours=3))  # Thursday 5 March, 12:00: the call is over
    changed = Spy(model.dataChanged)
    model.refresh_statuses()
    assert manager.data(STATUS_ROLE) == "due"
    assert model.index_for_interview(sample.globex_design).data(STATUS_ROLE) == "due"
    assert company_data(model, sample.acme, DUE_COUNT_ROLE) == 2
    changed_rows = {(c[0].internalId(), c[0].row()) for c in changed.calls}
    assert (sample.acme, manager.row()) in changed_rows  # the interview
    assert (0, model.index_for_company(sample.acme).row()) in changed_rows  # its company
    # Reflected and undated interviews did not change, so they were not reported.
    reflected = model.index_for_interview(sample.acme_recruiter)
    assert (sample.acme, reflected.row()) not in changed_rows
    assert len(resets) == 0


def test_index_for_interview_fetches_its_company(
    model: CompanyTreeModel, sample: Sample
) -> None:
    initech = model.index_for_company(sample.initech)
    assert model.canFetchMore(initech)
    index = model.index_for_interview(sample.initech_onsite)
    assert index.isValid()
    assert index.data(ID_ROLE) == sample.initech_onsite
    assert index.row() == 1
    assert not model.canFetchMore(initech)
    assert not model.index_for_interview(9999).isValid()
    assert not model.index_for_company(9999).isValid()


def test_reload_is_the_only_reset(
    qtbot: QtBot, journal: Journal, model: CompanyTreeModel, sample: Sample
) -> None:
    model.fetch_all()
    journal.create_company("Contoso")
    with qtbot.waitSignal(model.modelReset):
        model.reload()
    assert "Contoso" in names(model)
    assert model.canFetchMore(model.index_for_company(sample.acme))


# --------------------------------------------------------------------------- the pane


def test_pane_names_and_accessibility(pane: CompanyTree) -> None:
    view = tree_view(pane)
    assert view.accessibleName() == "Companies and interviews"
    box = pane.findChild(QLineEdit)
    assert box is not None
    assert box.placeholderText() == "Filter companies and interviews"
    assert box.accessibleName() == "Filter"
    assert box.isClearButtonEnabled()
    assert view.model().rowCount() == 5


def test_filter_narrows_to_companies_and_interviews(
    qtbot: QtBot, pane: CompanyTree, sample: Sample
) -> None:
    box = pane.findChild(QLineEdit)
    assert box is not None
    # Nothing is expanded yet, so no interview has been read: the filter must fetch them.
    qtbot.keyClicks(box, "DATA eng")
    assert visible_tree(pane) == [
        ("Northwind Traders", ["2026-02-20 · Behavioural · Data engineer"]),
    ]
    assert tree_view(pane).isExpanded(view_index(pane, "company", sample.northwind))

    box.clear()
    qtbot.keyClicks(box, "glob")
    # A matching company keeps all its interviews.
    assert visible_tree(pane) == [
        (
            "Globex",
            [
                "2026-03-01 · System design · Staff engineer",
                "2026-01-15 · Recruiter screen · Staff engineer",
            ],
        ),
    ]

    box.clear()
    qtbot.keyClicks(box, "recruiter")
    assert [company for company, _ in visible_tree(pane)] == ["Acme Robotics", "Globex"]
    assert visible_tree(pane)[0][1] == ["2026-02-10 · Recruiter screen · Backend engineer"]

    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""
    assert [company for company, _ in visible_tree(pane)] == [
        "Acme Robotics",
        "Globex",
        "Initech",
        "Northwind Traders",
        "Umbrella Health",
    ]


def test_filter_finds_interviews_that_were_never_loaded(
    pane: CompanyTree, model: CompanyTreeModel, sample: Sample
) -> None:
    assert model.canFetchMore(model.index_for_company(sample.initech))
    pane.set_filter_text("onsite / LOOP")  # at once: no company name matches any prefix
    assert visible_tree(pane) == [
        ("Initech", ["2026-03-09 · Onsite / loop · Platform lead"]),
    ]


def test_filter_is_a_plain_substring(qtbot: QtBot, pane: CompanyTree, journal: Journal) -> None:
    pane.model().company_added(journal.create_company("C++ (Embedded) [Ltd]").company.id)
    pane.set_filter_text("++ (emb")
    assert [company for company, _ in visible_tree(pane)] == ["C++ (Embedded) [Ltd]"]


def test_clearing_the_filter_restores_expansion(pane: CompanyTree, sample: Sample) -> None:
    view = tree_view(pane)
    assert pane.select_interview(sample.acme_technical)
    pane.set_filter_text("initech")
    pane.set_filter_text("")
    assert view.isExpanded(view_index(pane, "company", sample.acme))
    assert not view.isExpanded(view_index(pane, "company", sample.globex))
    assert pane.current_interview_id() == sample.acme_technical


def test_arrows_and_return_select_an_interview(
    qtbot: QtBot, pane: CompanyTree, sample: Sample
) -> None:
    view = tree_view(pane)
    companies = Spy(pane.company_selected)
    assert pane.select_company(sample.acme)
    assert len(companies) == 0  # a programmatic selection is not the user's

    qtbot.keyClick(view, Qt.Key.Key_Right)  # expand Acme
    with qtbot.waitSignal(pane.interview_selected) as moved:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert moved.args == [sample.acme_manager]
    with qtbot.waitSignal(pane.interview_selected) as moved:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert moved.args == [sample.acme_technical]
    assert pane.current_interview_id() == sample.acme_technical
    assert pane.current_company_id() == sample.acme

    with qtbot.waitSignal(pane.interview_selected) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [sample.acme_technical]

    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)  # back on the company
    assert companies.calls[-1] == (sample.acme,)
    assert pane.current_interview_id() is None
    with qtbot.waitSignal(pane.company_selected) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert opened.args == [sample.acme]


def test_down_from_the_filter_enters_the_tree(
    qtbot: QtBot, pane: CompanyTree, sample: Sample
) -> None:
    box = pane.findChild(QLineEdit)
    assert box is not None
    qtbot.keyClicks(box, "northwind")
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert tree_view(pane).currentIndex().data(ID_ROLE) == sample.northwind


def test_delete_key_requests_trash(qtbot: QtBot, pane: CompanyTree, sample: Sample) -> None:
    view = tree_view(pane)
    pane.select_interview(sample.globex_design)
    with qtbot.waitSignal(pane.trash_interview_requested) as interview:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert interview.args == [sample.globex_design]
    pane.select_company(sample.initech)
    with qtbot.waitSignal(pane.trash_company_requested) as company:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert company.args == [sample.initech]


def _actions(menu: QMenu) -> dict[str, Any]:
    return {a.text().replace("&", ""): a for a in menu.actions() if not a.isSeparator()}


def test_company_context_menu_emits_intents(
    qtbot: QtBot, pane: CompanyTree, sample: Sample
) -> None:
    menu = pane.build_context_menu(view_index(pane, "company", sample.globex))
    assert menu is not None
    actions = _actions(menu)
    assert list(actions) == ["New interview for this company", "Rename…", "Move to trash"]
    expected = {
        "New interview for this company": pane.new_interview_requested,
        "Rename…": pane.rename_requested,
        "Move to trash": pane.trash_company_requested,
    }
    for text, signal in expected.items():
        with qtbot.waitSignal(signal) as emitted:
            actions[text].trigger()
        assert emitted.args == [sample.globex]


def test_interview_context_menu_emits_trash(
    qtbot: QtBot, pane: CompanyTree, sample: Sample
) -> None:
    menu = pane.build_context_menu(view_index(pane, "interview", sample.initech_final))
    assert menu is not None
    actions = _actions(menu)
    assert list(actions) == ["Move to trash"]
    companies = Spy(pane.trash_company_requested)
    with qtbot.waitSignal(pane.trash_interview_requested) as emitted:
        actions["Move to trash"].trigger()
    assert emitted.args == [sample.initech_final]
    assert len(companies) == 0
    assert pane.build_context_menu(QModelIndex()) is None


def test_select_interview_reveals_it_through_the_filter(
    pane: CompanyTree, sample: Sample
) -> None:
    selected = Spy(pane.interview_selected)
    pane.set_filter_text("globex")
    assert pane.select_interview(sample.northwind_behavioural)
    assert pane.filter_text() == ""
    assert pane.current_interview_id() == sample.northwind_behavioural
    assert tree_view(pane).isExpanded(view_index(pane, "company", sample.northwind))
    assert len(selected) == 0
    assert not pane.select_interview(9999)


def test_model_updates_do_not_emit_selection(
    journal: Journal, pane: CompanyTree, sample: Sample
) -> None:
    selected = Spy(pane.interview_selected)
    companies = Spy(pane.company_selected)
    pane.select_interview(sample.acme_technical)
    journal.trash_interview(sample.acme_technical)
    pane.model().interview_removed(sample.acme_technical)
    journal.trash_company(sample.acme)
    pane.model().company_removed(sample.acme)
    assert len(selected) == 0
    assert len(companies) == 0


def test_trashing_the_selected_row_selects_nothing(
    qtbot: QtBot, journal: Journal, pane: CompanyTree, sample: Sample
) -> None:
    selected = Spy(pane.interview_selected)
    view = tree_view(pane)
    pane.select_interview(sample.acme_technical)
    journal.trash_interview(sample.acme_technical)
    pane.model().interview_removed(sample.acme_technical)
    # Not the neighbour: Delete again must not trash a row the user is not looking at.
    assert not view.currentIndex().isValid()
    assert pane.current_interview_id() is None
    assert len(selected) == 0
    # Removing some other row leaves the selection alone.
    pane.select_interview(sample.globex_design)
    journal.trash_interview(sample.acme_manager)
    pane.model().interview_removed(sample.acme_manager)
    assert pane.current_interview_id() == sample.globex_design


def test_screenshot(
    journal: Journal, pane: CompanyTree, sample: Sample, tmp_path: Path
) -> None:
    """Render the pane; set IJ_SCREENSHOTS to a folder to keep tree.png and look at it."""
    evil = journal.create_company(EVIL).company.id
    pane.model().interview_added(journal.create_interview(evil, role="Tester").id, evil)
    pane.select_interview(sample.acme_technical)
    tree_view(pane).expand(view_index(pane, "company", sample.globex))
    tree_view(pane).expand(view_index(pane, "company", sample.initech))
    image = pane.grab().toImage()
    folder = Path(os.environ.get("IJ_SCREENSHOTS", str(tmp_path)))
    assert image.save(str(folder / "tree.png"))
    assert (image.width(), image.height()) == (320, 420)
    # Something was drawn: the selection highlight and the status colours.
    colours = {image.pixel(x, y) for x in range(0, 320, 4) for y in range(0, 420, 4)}
    assert len(colours) > 20


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
    ],
)
def test_menu_keys_open_the_context_menu(
    qtbot: QtBot, pane: CompanyTree, sample: Sample, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    pane.select_company(sample.globex)
    qtbot.keyClick(tree_view(pane), key, modifier)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert list(_actions(menu)) == ["New interview for this company", "Rename…", "Move to trash"]
    with qtbot.waitSignal(pane.rename_requested) as emitted:
        _actions(menu)["Rename…"].trigger()
    assert emitted.args == [sample.globex]
    menu.close()


def test_right_click_opens_the_menu_for_the_row_under_the_mouse(
    qtbot: QtBot, pane: CompanyTree, sample: Sample
) -> None:
    view = tree_view(pane)
    pane.select_interview(sample.acme_technical)
    target = view_index(pane, "interview", sample.acme_recruiter)
    pos = view.visualRect(target).center()
    assert view.indexAt(pos) == target
    global_pos = view.viewport().mapToGlobal(pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, global_pos)
    QApplication.sendEvent(view.viewport(), event)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert pane.current_interview_id() == sample.acme_recruiter  # the row clicked, not the old
    with qtbot.waitSignal(pane.trash_interview_requested) as emitted:
        _actions(menu)["Move to trash"].trigger()
    assert emitted.args == [sample.acme_recruiter]
    menu.close()
