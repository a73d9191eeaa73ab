"""The smart groups on top of the tree (F1): *Upcoming* and *Reflection due*.

The fake clock starts on Monday 2 March 2026, 09:00 UTC, in UTC.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListView, QTreeView, QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core.clock import FakeClock
from interview_journal.core.journal import Journal
from interview_journal.ui.dialogs import NewInterview, NewInterviewDialog
from interview_journal.ui.main_window import STATUS_REFRESH_MS, MainWindow
from interview_journal.ui.smart_groups import (
    DUE,
    GROUP,
    UPCOMING,
    SmartGroups,
    SmartGroupsModel,
)
from interview_journal.ui.tree_model import (
    COUNT_ROLE,
    ID_ROLE,
    KIND_ROLE,
    STATUS_ROLE,
    CompanyTreeModel,
)
from interview_journal.ui.tree_view import CompanyTree

from .conftest import WindowFactory

EVIL = "<b>x</b>"
MONDAY = date(2026, 3, 2)


def _company(journal: Journal, name: str) -> int:
    return journal.create_company(name).company.id


def _at(
    journal: Journal,
    company: str,
    on: date,
    start: time | None = None,
    minutes: int = 60,
    stage: str = "technical",
    role: str = "Backend engineer",
) -> int:
    """An interview at ``company`` on ``on`` (at ``start`` local time, if given)."""
    doc = journal.create_interview(_company(journal, company), stage=stage, role=role)
    journal.set_schedule(doc.id, on, start, minutes)
    return doc.id


def _ids(model: SmartGroupsModel, group: int) -> list[int]:
    parent = model.group_index(group)
    return [model.index(row, 0, parent).data(ID_ROLE) for row in range(model.rowCount(parent))]


def _labels(model: SmartGroupsModel, group: int) -> list[str]:
    parent = model.group_index(group)
    return [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]


def _section_list(groups: SmartGroups, name: str) -> QListView:
    for view in groups.findChildren(QListView):
        if view.accessibleName() == name:
            return view
    raise AssertionError(f"no list named {name!r}")


def _headings(groups: SmartGroups) -> list[str]:
    """The headings of the groups that are shown."""
    return [label.text() for label in groups.findChildren(QLabel) if label.isVisibleTo(groups)]


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
def week(journal: Journal) -> dict[str, int]:
    """A week of interviews around Monday 2 March 2026, 09:00 UTC: every case once."""
    ids = {
        "today": _at(journal, "Acme Robotics", MONDAY, time(14, 0), stage="hiring_manager"),
        "thursday": _at(journal, "Initech", date(2026, 3, 5), time(10, 30), stage="onsite"),
        "later_today_date_only": _at(journal, "Hooli", MONDAY, stage="", role="Data engineer"),
        "yesterday": _at(journal, "Globex", date(2026, 3, 1), stage="system_design"),
        # Started before Friday's interview but ran long: it ended later.
        "thursday_long": _at(
            journal, "Umbrella", date(2026, 2, 26), time(9, 0), 600, stage="onsite"
        ),
        "friday": _at(journal, "Contoso", date(2026, 2, 27), time(13, 0), 30),
        "eight_days_ago": _at(journal, "Northwind", date(2026, 2, 22), time(8, 0)),
        "reflected": _at(journal, "Acme Robotics", date(2026, 2, 28), time(10, 0)),
        "undated": journal.create_interview(_company(journal, "Vandelay")).id,
    }
    journal.mark_reflected(ids["reflected"])
    return ids


@pytest.fixture
def model(qtbot: QtBot, journal: Journal, week: dict[str, int]) -> SmartGroupsModel:
    """The model over the week (qtbot makes sure a QApplication exists)."""
    return SmartGroupsModel(journal)


@pytest.fixture
def pane(qtbot: QtBot, journal: Journal, week: dict[str, int]) -> CompanyTree:
    """The left pane over the week, shown (offscreen) at a realistic size."""
    widget = CompanyTree(CompanyTreeModel(journal))
    widget.resize(320, 560)
    qtbot.addWidget(widget)
    widget.show()
    return widget


# --------------------------------------------------------------------------- the model


def test_groups_hold_upcoming_and_due_in_their_orders(
    model: SmartGroupsModel, week: dict[str, int]
) -> None:
    # Upcoming: soonest first (a date-only interview today counts from the start of the day).
    assert _ids(model, UPCOMING) == [
        week["later_today_date_only"], week["today"], week["thursday"]
    ]
    # Due: most recently ended first. Sunday's date-only one ended at midnight; Thursday's
    # ten-hour onsite ended at 19:00, after Friday's 13:00 call.
    assert _ids(model, DUE) == [week["yesterday"], week["friday"], week["thursday_long"]]
    # Ended eight days ago, reflected, or undated: in neither group.
    listed = set(_ids(model, UPCOMING)) | set(_ids(model, DUE))
    for name in ("eight_days_ago", "reflected", "undated"):
        assert week[name] not in listed


def test_labels_are_when_company_and_stage(model: SmartGroupsModel) -> None:
    assert _labels(model, UPCOMING) == [
        "Today · Hooli · Data engineer",  # no stage: the role stands in
        "Today 14:00 · Acme Robotics · Hiring manager",
        "Thu 5 Mar 10:30 · Initech · Onsite / loop",
    ]
    assert _labels(model, DUE) == [
        "Yesterday · Globex · System design",
        "Fri 27 Feb · Contoso · Technical",
        "Thu 26 Feb · Umbrella · Onsite / loop",
    ]


def test_group_rows_carry_counts_and_are_not_selectable(model: SmartGroupsModel) -> None:
    upcoming, due = model.group_index(UPCOMING), model.group_index(DUE)
    assert (upcoming.data(), due.data()) == ("Upcoming (3)", "Reflection due (3)")
    assert (upcoming.data(COUNT_ROLE), upcoming.data(KIND_ROLE)) == (3, GROUP)
    assert not model.flags(upcoming) & Qt.ItemFlag.ItemIsSelectable
    child = model.index(0, 0, due)
    assert model.flags(child) & Qt.ItemFlag.ItemIsSelectable
    assert child.parent() == due
    assert child.data(STATUS_ROLE) == "due"
    assert child.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Yesterday · Globex · System design, Reflection due"
    )


def test_icons_match_the_tree(
    journal: Journal, model: SmartGroupsModel, week: dict[str, int]
) -> None:
    tree = CompanyTreeModel(journal)
    for interview_id in (week["today"], week["yesterday"]):
        ours = model.index_for_interview(interview_id).data(Qt.ItemDataRole.DecorationRole)
        theirs = tree.index_for_interview(interview_id).data(Qt.ItemDataRole.DecorationRole)
        assert isinstance(ours, QIcon)
        assert ours.pixmap(16, 16).toImage() == theirs.pixmap(16, 16).toImage()
    due = model.index_for_interview(week["yesterday"]).data(Qt.ItemDataRole.DecorationRole)
    amber = QColor(due.pixmap(16, 16).toImage().pixel(2, 8))
    assert amber.red() > 200 > 80 > amber.blue()


def test_modeltester_on_the_model_and_its_updates(
    qtmodeltester: Any, journal: Journal, clock: FakeClock, model: SmartGroupsModel,
    week: dict[str, int],
) -> None:
    qtmodeltester.check(model, force_py=True)
    # The tester keeps watching: every kind of change goes through it.
    clock.advance(hours=6)  # 15:00: the 14:00 call is over (dataChanged, moves, inserts)
    journal.mark_reflected(week["friday"])
    journal.trash_interview(week["yesterday"])
    _at(journal, "Soylent", date(2026, 3, 3), time(9, 0))
    model.refresh()
    assert _ids(model, DUE)[0] == week["today"]
    clock.advance(days=30)  # everything over and past
    model.refresh()
    assert (model.rowCount(model.group_index(UPCOMING)), model.rowCount(model.group_index(DUE))
            ) == (0, 0)


def test_a_call_later_today_becomes_due_then_leaves_when_reflected(
    qtbot: QtBot, journal: Journal, clock: FakeClock
) -> None:
    call = _at(journal, "Acme", MONDAY, time(15, 0), 45)
    model = SmartGroupsModel(journal)
    assert _ids(model, UPCOMING) == [call]
    assert _ids(model, DUE) == []
    resets = Spy(model.modelReset)
    layouts = Spy(model.layoutChanged)

    clock.set(datetime(2026, 3, 2, 15, 44, tzinfo=UTC))  # still talking: still upcoming
    model.refresh()
    assert _ids(model, UPCOMING) == [call]

    clock.set(datetime(2026, 3, 2, 15, 46, tzinfo=UTC))  # over
    removed, inserted = Spy(model.rowsRemoved), Spy(model.rowsInserted)
    model.refresh()
    assert _ids(model, UPCOMING) == []
    assert _ids(model, DUE) == [call]
    assert [(parent.row(), first, last) for parent, first, last in removed.calls] == [
        (UPCOMING, 0, 0)
    ]
    assert [(parent.row(), first, last) for parent, first, last in inserted.calls] == [
        (DUE, 0, 0)
    ]

    journal.mark_reflected(call)
    model.refresh()
    assert _ids(model, DUE) == []
    assert (len(resets), len(layouts)) == (0, 0)


def test_date_only_yesterday_is_due_and_eight_days_ago_is_not(
    qtbot: QtBot, journal: Journal, clock: FakeClock
) -> None:
    yesterday = _at(journal, "Globex", date(2026, 3, 1))
    week_ago = _at(journal, "Initech", date(2026, 2, 23))  # ended 24 Feb 00:00: 6.4 days
    old = _at(journal, "Hooli", date(2026, 2, 21))  # ended 22 Feb 00:00: 8.4 days
    timed_old = _at(journal, "Contoso", date(2026, 2, 22), time(8, 0))  # ended 8 days 0 h ago
    model = SmartGroupsModel(journal)
    assert _ids(model, DUE) == [yesterday, week_ago]
    assert old not in _ids(model, DUE)
    assert timed_old not in _ids(model, DUE)
    # Seven days after its end it leaves the group.
    clock.set(datetime(2026, 3, 3, 0, 1, tzinfo=UTC))
    model.refresh()
    assert _ids(model, DUE) == [yesterday]


def test_trashed_interviews_and_companies_are_not_listed(
    qtbot: QtBot, journal: Journal, model: SmartGroupsModel, week: dict[str, int]
) -> None:
    journal.trash_interview(week["thursday"])
    journal.trash_company(journal.interview(week["friday"]).company_id)
    model.refresh()
    listed = _ids(model, UPCOMING) + _ids(model, DUE)
    assert week["thursday"] not in listed
    assert week["friday"] not in listed
    assert model.group_index(UPCOMING).data() == "Upcoming (2)"
    journal.restore_interview(week["thursday"])
    model.refresh()
    assert _ids(model, UPCOMING)[-1] == week["thursday"]


def test_refresh_reports_changed_labels_and_moves_without_resets(
    qtbot: QtBot, journal: Journal, clock: FakeClock
) -> None:
    first = _at(journal, "Acme", date(2026, 3, 3), time(10, 0))
    second = _at(journal, "Globex", date(2026, 3, 3), time(11, 0))
    model = SmartGroupsModel(journal)
    assert _labels(model, UPCOMING) == [
        "Tomorrow 10:00 · Acme · Technical", "Tomorrow 11:00 · Globex · Technical"
    ]
    changed = Spy(model.dataChanged)
    clock.set(datetime(2026, 3, 3, 0, 0, 30, tzinfo=UTC))  # past midnight
    model.refresh()
    assert _labels(model, UPCOMING) == [
        "Today 10:00 · Acme · Technical", "Today 11:00 · Globex · Technical"
    ]
    assert {(c[0].parent().row(), c[0].row()) for c in changed.calls} == {
        (UPCOMING, 0), (UPCOMING, 1)
    }
    # Rescheduling the first after the second moves it (one move, no reset).
    journal.set_schedule(first, date(2026, 3, 3), time(12, 0), 60)
    moved, resets = Spy(model.rowsMoved), Spy(model.modelReset)
    model.refresh()
    assert _ids(model, UPCOMING) == [second, first]
    assert len(moved) == 1
    assert len(resets) == 0


def test_data_never_queries_the_journal(
    model: SmartGroupsModel, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("data() queried the Journal")

    for name in ("companies", "company", "interviews", "interview", "schedule"):
        monkeypatch.setattr(journal, name, forbidden)
    roles = [
        Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.AccessibleTextRole,
        KIND_ROLE, ID_ROLE, STATUS_ROLE, COUNT_ROLE,
    ]
    seen = 0
    for group in (UPCOMING, DUE):
        parent = model.group_index(group)
        for role in roles:
            parent.data(role)
        for row in range(model.rowCount(parent)):
            for role in roles:
                model.index(row, 0, parent).data(role)
            seen += 1
    assert seen == 6


def test_markup_in_a_company_name_is_shown_literally(
    qtbot: QtBot, journal: Journal
) -> None:
    interview = _at(journal, EVIL, MONDAY, time(16, 0), role=EVIL)
    groups = SmartGroups(SmartGroupsModel(journal))
    qtbot.addWidget(groups)
    index = groups.model().index_for_interview(interview)
    assert index.data() == "Today 16:00 · <b>x</b> · Technical"
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "<b>x</b>" not in tip
    assert "&lt;b&gt;x&lt;/b&gt;" in tip
    for label in groups.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


# --------------------------------------------------------------------------- the widget


def test_a_new_journal_shows_only_the_tree(qtbot: QtBot, journal: Journal) -> None:
    pane = CompanyTree(CompanyTreeModel(journal))
    qtbot.addWidget(pane)
    pane.show()
    assert pane.smart_groups.isHidden()
    # An upcoming interview brings the Upcoming group only.
    call = _at(journal, "Acme", date(2026, 3, 4), time(10, 0))
    pane.model().interview_added(call, journal.interview(call).company_id)
    pane.refresh_smart_groups()
    assert not pane.smart_groups.isHidden()
    assert _headings(pane.smart_groups) == ["Upcoming (1)"]


def test_the_groups_read_the_journal_not_the_trees_cached_counts(
    qtbot: QtBot, journal: Journal
) -> None:
    pane = CompanyTree(CompanyTreeModel(journal))
    qtbot.addWidget(pane)
    call = _at(journal, "Acme", MONDAY, time(15, 0))
    renamed = _at(journal, "Globex", date(2026, 3, 1))
    journal.rename_company(journal.interview(renamed).company_id, "Globex Corporation")
    # The tree has not been told about either change; the groups are right all the same.
    pane.refresh_smart_groups()
    model = pane.smart_groups.model()
    assert (_ids(model, UPCOMING), _ids(model, DUE)) == ([call], [renamed])
    assert _labels(model, DUE) == ["Yesterday · Globex Corporation · Technical"]


def test_headings_show_counts_and_empty_groups_hide(
    qtbot: QtBot, pane: CompanyTree, journal: Journal, week: dict[str, int]
) -> None:
    groups = pane.smart_groups
    assert _headings(groups) == ["Upcoming (3)", "Reflection due (3)"]
    for name in ("yesterday", "friday", "thursday_long"):
        journal.mark_reflected(week[name])
    pane.refresh_smart_groups()
    assert _headings(groups) == ["Upcoming (3)"]
    assert not _section_list(groups, "Reflections due").isVisibleTo(groups)
    # A list is as tall as its rows: no empty space under the last one.
    upcoming = _section_list(groups, "Upcoming interviews")
    rows = upcoming.model().rowCount(upcoming.rootIndex())
    assert upcoming.height() == rows * upcoming.sizeHintForRow(0) + 2 * upcoming.frameWidth()


def test_accessible_names(pane: CompanyTree) -> None:
    names = {view.accessibleName() for view in pane.smart_groups.findChildren(QListView)}
    assert names == {"Upcoming interviews", "Reflections due"}


def test_clicking_an_item_emits_interview_selected_and_shows_it_in_the_tree(
    qtbot: QtBot, pane: CompanyTree, week: dict[str, int]
) -> None:
    due = _section_list(pane.smart_groups, "Reflections due")
    target = due.model().index(1, 0, due.rootIndex())
    with qtbot.waitSignal(pane.interview_selected) as selected:
        qtbot.mouseClick(due.viewport(), Qt.MouseButton.LeftButton,
                         pos=due.visualRect(target).center())
    assert selected.args == [week["friday"]]
    assert pane.current_interview_id() == week["friday"]  # the tree follows


def test_arrow_keys_walk_the_groups_and_into_the_tree(
    qtbot: QtBot, pane: CompanyTree, week: dict[str, int]
) -> None:
    box = pane.findChild(QLineEdit)
    assert box is not None
    opened = Spy(pane.interview_selected)
    qtbot.keyClick(box, Qt.Key.Key_Down)  # from the filter into Upcoming
    upcoming = _section_list(pane.smart_groups, "Upcoming interviews")
    due = _section_list(pane.smart_groups, "Reflections due")
    assert upcoming.currentIndex().data(ID_ROLE) == week["later_today_date_only"]
    for _ in range(3):  # down the list, then over into Reflection due
        qtbot.keyClick(upcoming, Qt.Key.Key_Down)
    assert due.currentIndex().data(ID_ROLE) == week["yesterday"]
    assert not upcoming.selectionModel().hasSelection()  # one highlight in the groups
    qtbot.keyClick(due, Qt.Key.Key_Up)  # and back
    assert upcoming.currentIndex().data(ID_ROLE) == week["thursday"]
    assert [call[0] for call in opened.calls] == [
        week["later_today_date_only"], week["today"], week["thursday"], week["yesterday"],
        week["thursday"],
    ]
    # Return opens the current one again (the window ignores a repeat).
    with qtbot.waitSignal(pane.interview_selected) as again:
        qtbot.keyClick(upcoming, Qt.Key.Key_Return)
    assert again.args == [week["thursday"]]
    # Down off the end of the last group goes on into the tree.
    qtbot.keyClick(upcoming, Qt.Key.Key_Down)
    for _ in range(2):
        qtbot.keyClick(due, Qt.Key.Key_Down)
    tree = pane.findChild(QTreeView, "companyTree")
    assert tree is not None
    qtbot.keyClick(due, Qt.Key.Key_Down)
    assert tree.currentIndex().isValid()
    # Up off the top of the first group goes back to the filter.
    upcoming.setCurrentIndex(upcoming.model().index(0, 0, upcoming.rootIndex()))
    leave = Spy(pane.smart_groups.leave_up)
    qtbot.keyClick(upcoming, Qt.Key.Key_Up)
    assert len(leave) == 1


def test_selecting_in_the_tree_moves_the_highlight(
    qtbot: QtBot, pane: CompanyTree, week: dict[str, int]
) -> None:
    due = _section_list(pane.smart_groups, "Reflections due")
    upcoming = _section_list(pane.smart_groups, "Upcoming interviews")
    pane.select_interview(week["friday"])
    assert due.currentIndex().data(ID_ROLE) == week["friday"]
    assert due.selectionModel().isSelected(due.currentIndex())
    pane.select_interview(week["eight_days_ago"])  # not in a group: no highlight there
    assert not due.selectionModel().hasSelection()
    assert not upcoming.selectionModel().hasSelection()


def test_the_filter_hides_the_groups_while_it_narrows_the_tree(
    qtbot: QtBot, pane: CompanyTree
) -> None:
    box = pane.findChild(QLineEdit)
    assert box is not None
    qtbot.keyClicks(box, "acme")
    assert pane.smart_groups.isHidden()
    box.clear()
    assert not pane.smart_groups.isHidden()


def test_screenshot(
    qtbot: QtBot, journal: Journal, pane: CompanyTree, week: dict[str, int], tmp_path: Path
) -> None:
    """Render the pane; set IJ_SCREENSHOTS to a folder to keep smart_groups.png."""
    evil = _at(journal, EVIL, date(2026, 3, 3), time(9, 30), role="Tester")
    pane.model().interview_added(evil, journal.interview(evil).company_id)
    pane.refresh_smart_groups()
    pane.select_interview(week["friday"])
    # The Upcoming list grows to its four rows once the layout has run.
    upcoming = _section_list(pane.smart_groups, "Upcoming interviews")
    four = 4 * upcoming.sizeHintForRow(0) + 2 * upcoming.frameWidth()
    qtbot.waitUntil(lambda: upcoming.height() == four)
    assert upcoming.verticalScrollBar().maximum() == 0  # all four shown, nothing to scroll
    image = pane.grab().toImage()
    folder = Path(os.environ.get("IJ_SCREENSHOTS", str(tmp_path)))
    assert image.save(str(folder / "smart_groups.png"))
    assert (image.width(), image.height()) == (320, 560)
    # The groups sit between the filter and the tree, and their rows are drawn.
    groups = pane.smart_groups
    tree = pane.findChild(QTreeView, "companyTree")
    box = pane.findChild(QLineEdit)
    assert tree is not None
    assert box is not None
    assert box.geometry().bottom() < groups.geometry().top()
    assert groups.geometry().bottom() < tree.geometry().top()
    colours = {image.pixel(x, y) for x in range(0, 320, 3) for y in range(0, groups.height(), 3)}
    assert len(colours) > 20


# --------------------------------------------------------------------------- in the window


@pytest.fixture
def shown(window: MainWindow, week: dict[str, int]) -> MainWindow:
    """The window over the week (the fixture made it before the week existed: re-read)."""
    window.tree_model.reload()
    window.tree.refresh_smart_groups()
    return window


def test_choosing_a_smart_item_opens_it_in_the_editor(
    qtbot: QtBot, shown: MainWindow, week: dict[str, int]
) -> None:
    due = _section_list(shown.tree.smart_groups, "Reflections due")
    target = due.model().index(0, 0, due.rootIndex())
    qtbot.mouseClick(due.viewport(), Qt.MouseButton.LeftButton,
                     pos=due.visualRect(target).center())
    assert shown.controller.interview_id == week["yesterday"]
    assert shown.action_finish.isEnabled()
    # Return on another opens that one.
    due.setFocus()
    qtbot.keyClick(due, Qt.Key.Key_Down)
    assert shown.controller.interview_id == week["friday"]
    assert shown.tree.current_interview_id() == week["friday"]


def test_marking_the_reflection_complete_takes_it_out_of_due(
    qtbot: QtBot, shown: MainWindow, week: dict[str, int]
) -> None:
    assert shown.open_interview(week["friday"])
    shown.action_finish.trigger()
    model = shown.tree.smart_groups.model()
    assert week["friday"] not in _ids(model, DUE)
    assert model.group_index(DUE).data() == "Reflection due (2)"
    shown.stop_timers()


def test_trash_and_undo_update_the_groups(
    qtbot: QtBot, shown: MainWindow, week: dict[str, int]
) -> None:
    model = shown.tree.smart_groups.model()
    shown.open_interview(week["thursday"])
    shown.action_trash.trigger()
    assert week["thursday"] not in _ids(model, UPCOMING)
    shown.action_undo_trash.trigger()
    assert week["thursday"] in _ids(model, UPCOMING)


def test_the_minute_timer_moves_a_finished_call_to_due(
    qtbot: QtBot, journal: Journal, clock: FakeClock, make_window: WindowFactory
) -> None:
    call = _at(journal, "Acme", MONDAY, time(9, 30), 30)
    window = make_window(journal)
    window.show()
    assert not window.minute_timer.isActive()
    window.start_timers()
    assert window.minute_timer.isActive()
    assert window.minute_timer.interval() == STATUS_REFRESH_MS == 60_000
    window.tree.select_interview(call)  # loads Acme's interviews into the tree
    model = window.tree.smart_groups.model()
    assert _ids(model, UPCOMING) == [call]
    clock.set(datetime(2026, 3, 2, 10, 1, tzinfo=UTC))
    window.minute_timer.timeout.emit()
    assert _ids(model, DUE) == [call]
    # The tree's icon moved on too.
    assert window.tree_model.index_for_interview(call).data(STATUS_ROLE) == "due"


def test_tab_goes_filter_then_groups_then_tree(
    qtbot: QtBot, shown: MainWindow
) -> None:
    box = shown.tree.findChild(QLineEdit, "companyFilter")
    assert box is not None
    shown.activateWindow()
    box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box)
    order: list[QWidget | None] = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    names = [widget.accessibleName() if widget else None for widget in order]
    assert names == ["Upcoming interviews", "Reflections due", "Companies and interviews"]
    # Tabbing through does not open anything.
    assert shown.controller.interview_id is None


def test_new_interview_for_today_appears_in_upcoming(
    qtbot: QtBot, shown: MainWindow, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = NewInterview(company="Soylent", role="SRE", stage="final", on=MONDAY)
    monkeypatch.setattr(NewInterviewDialog, "ask", classmethod(lambda cls, *a, **k: values))
    shown.action_new.trigger()
    model = shown.tree.smart_groups.model()
    assert _labels(model, UPCOMING) == [
        "Today · Hooli · Data engineer",  # both date-only today: the older one first
        "Today · Soylent · Final",
        "Today 14:00 · Acme Robotics · Hiring manager",
        "Thu 5 Mar 10:30 · Initech · Onsite / loop",
    ]
    assert model.group_index(UPCOMING).data() == "Upcoming (4)"
