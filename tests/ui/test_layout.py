"""Layout that holds still: a small window with the search dock keeps a readable page, the
window never grows past its size, and adding a row does not move the control clicked.

The fake clock starts on Monday 2 March 2026, 09:00 UTC, in UTC.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea
from pytestqt.qtbot import QtBot

from interview_journal.core.journal import Journal
from interview_journal.ui.main_window import READABLE_PAGE_WIDTH, MainWindow

LONG_COMPANY = "Hyperion Interplanetary Logistics and Freight Holdings GmbH"
LONG_ROLE = "Principal distributed systems engineer, payments platform"


@pytest.fixture
def long_names(journal: Journal) -> int:
    company = journal.create_company(LONG_COMPANY).company
    doc = journal.create_interview(company.id, role=LONG_ROLE, on=date(2026, 3, 2))
    for _ in range(3):
        journal.add_question(doc.id)
    return doc.id


def _page_scroll(window: MainWindow) -> QScrollArea:
    found = window.editor.findChild(QScrollArea)
    assert found is not None
    return found


def test_a_small_window_with_the_search_dock_keeps_a_readable_page(
    qtbot: QtBot, window: MainWindow, long_names: int
) -> None:
    window.resize(1024, 700)
    window.tree_model.reload()
    assert window.open_interview(long_names)
    panel = window.search_panel
    panel.show()
    qtbot.waitUntil(lambda: window.editor.width() >= READABLE_PAGE_WIDTH - 10)
    panel.filters_toggle.click()  # the filters open inside the dock
    qtbot.waitUntil(lambda: panel.isVisible())
    QApplication.processEvents()
    assert (window.width(), window.height()) == (1024, 700)  # never grown
    # The page fits its pane: no sideways scrolling, and the title is shortened, not wider.
    assert _page_scroll(window).horizontalScrollBar().maximum() == 0
    title = window.editor.title_label
    assert title.full_text() == f"{LONG_COMPANY} · {LONG_ROLE}"
    assert "…" in title.text()
    assert LONG_COMPANY in title.toolTip().replace("\xa0", " ")


def test_adding_a_question_keeps_add_question_under_the_pointer(
    qtbot: QtBot, window: MainWindow, long_names: int
) -> None:
    window.resize(1024, 700)
    window.tree_model.reload()
    assert window.open_interview(long_names)
    button = window.editor.questions.add_button
    window.editor._scroll.ensureWidgetVisible(button)
    QApplication.processEvents()
    before = button.mapToGlobal(QPoint(0, 0))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert len(window.editor.questions.cards()) == 4
    assert button.mapToGlobal(QPoint(0, 0)) == before


def test_adding_an_interviewer_keeps_the_add_button_in_place(
    qtbot: QtBot, window: MainWindow, long_names: int
) -> None:
    window.tree_model.reload()
    assert window.open_interview(long_names)
    people = window.editor.interviewers
    add = next(b for b in people.findChildren(QPushButton) if b.text() == "Add")
    QApplication.processEvents()
    before = add.mapTo(window, QPoint(0, 0))
    qtbot.keyClicks(people.name, "Ada Lovelace")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert people.list.count() == 1
    assert people.list.isVisible()
    assert add.mapTo(window, QPoint(0, 0)) == before


def test_long_names_are_shortened_in_the_middle_in_the_tree_with_the_whole_name_near(
    qtbot: QtBot, window: MainWindow, long_names: int
) -> None:
    window.tree_model.reload()
    index = window.tree_model.index_for_company(window.journal.company_id_of(long_names))
    assert LONG_COMPANY in str(index.data(Qt.ItemDataRole.ToolTipRole)).replace("\xa0", " ")
    window.resize(800, 600)
    window.splitter.setSizes([180, 620])
    QApplication.processEvents()
    assert window.width() == 800  # a long name never widens the window
