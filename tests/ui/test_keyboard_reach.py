"""Keyboard reach: shortcuts to each pane, Help ▸ Keyboard shortcuts, and the last open
interview opening again at the next start.

The fake clock starts on Monday 2 March 2026, 09:00 UTC, in UTC.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core.journal import Journal
from interview_journal.ui.dialogs import ShortcutsDialog
from interview_journal.ui.main_window import MainWindow

from .conftest import WindowFactory


@pytest.fixture
def interview(journal: Journal) -> int:
    company = journal.create_company("Acme").company
    return journal.create_interview(company.id, role="SRE", on=date(2026, 3, 2)).id


def _press(qtbot: QtBot, window: MainWindow, keys: str) -> QWidget | None:
    focused = QApplication.focusWidget() or window
    QTest.keySequence(focused, keys)
    return QApplication.focusWidget()


def test_shortcuts_reach_the_tree_the_filter_the_page_and_the_search_panel(
    qtbot: QtBot, window: MainWindow, journal: Journal, interview: int
) -> None:
    window.tree_model.reload()
    window.activateWindow()
    assert window.open_interview(interview)
    window.editor.role.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor.role)

    assert _press(qtbot, window, "Ctrl+1") is window.tree.focusProxy()
    assert _press(qtbot, window, "Ctrl+L") is window.tree.filter_box()
    assert _press(qtbot, window, "Ctrl+2") is window.editor.role  # back where it was
    assert window.controller.interview_id == interview  # none of it opened anything

    _press(qtbot, window, "Ctrl+Shift+F")
    panel = window.search_panel
    assert panel.isVisible()
    assert window.action_toggle_search.isChecked()
    _press(qtbot, window, "Ctrl+Shift+F")
    assert not panel.isVisible()
    assert not window.action_toggle_search.isChecked()


def test_help_lists_every_shortcut_of_the_window(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[list[tuple[str, str]]] = []
    monkeypatch.setattr(
        ShortcutsDialog, "ask", classmethod(lambda cls, parent, rows: shown.append(rows))
    )
    window.action_shortcuts.trigger()
    (rows,) = shown
    listed = dict(rows)
    for action in window.actions():
        if not action.shortcut().isEmpty():
            keys = action.shortcut().toString()
            assert listed.get(keys) == action.text().replace("&", ""), keys
    for expected in ("Ctrl+1", "Ctrl+2", "Ctrl+L", "Ctrl+Shift+F", "Ctrl+Return", "Ctrl+N"):
        assert expected in listed
    assert "Tab / Shift+Tab" in listed


def test_the_shortcuts_dialog_shows_the_rows_as_plain_text(qtbot: QtBot) -> None:
    dialog = ShortcutsDialog([("Ctrl+1", "<b>Go</b>")])
    qtbot.addWidget(dialog)
    item = dialog.table.item(0, 1)
    assert item is not None
    assert item.text() == "<b>Go</b>"


def test_the_last_open_interview_opens_again(
    qtbot: QtBot, make_window: WindowFactory, journal: Journal, interview: int
) -> None:
    first = make_window(journal)
    first.show()
    assert first.open_interview(interview)
    first.close()
    again = make_window(journal)
    again.show()
    assert again.controller.interview_id == interview
    assert again.tree.current_interview_id() == interview


def test_a_last_interview_moved_to_the_trash_since_is_not_opened(
    qtbot: QtBot, make_window: WindowFactory, journal: Journal, interview: int
) -> None:
    first = make_window(journal)
    first.show()
    assert first.open_interview(interview)
    first.close()
    journal.trash_interview(interview)
    again = make_window(journal)
    again.show()
    assert again.controller.interview_id is None
