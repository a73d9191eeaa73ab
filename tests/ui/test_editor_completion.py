"""Completion lists are read when their box gets focus, not on every open (start-up stays
lean: docs/architecture.md).

On a heavy journal, reading every company and topic cost more than the rest of an open; the
lists are only needed once the user types into the company box or the topic box.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core.journal import Journal
from interview_journal.ui.main_window import MainWindow


def _focus(qtbot: QtBot, window: MainWindow, widget: QWidget) -> None:
    window.activateWindow()  # focusChanged is only emitted inside the active window
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_opening_an_interview_reads_no_completion_list(
    window: MainWindow,
    journal: Journal,
    two_interviews: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: list[str] = []
    monkeypatch.setattr(journal, "companies", lambda **_: read.append("companies") or [])
    monkeypatch.setattr(journal, "topic_names", lambda: read.append("topics") or [])

    for interview_id in two_interviews:
        assert window.controller.open_interview(interview_id)

    assert window.controller.interview_id == two_interviews[1]
    assert read == []


def test_focusing_the_company_box_fills_its_completion(
    qtbot: QtBot, window: MainWindow, journal: Journal, two_interviews: tuple[int, int]
) -> None:
    window.controller.open_interview(two_interviews[0])
    journal.create_company("Initech")  # made after the open: the list must still have it
    editor = window.editor

    _focus(qtbot, window, editor.company)

    names = editor.company.model()
    assert isinstance(names, QStringListModel)
    assert names.stringList() == ["Acme", "Globex", "Initech"]
    assert editor.company_text() == "Acme"  # filling the list leaves the typed name alone
    assert not window.controller.has_pending()


def test_focusing_the_topic_box_fills_its_completion(
    qtbot: QtBot, window: MainWindow, journal: Journal, two_interviews: tuple[int, int]
) -> None:
    first, second = two_interviews
    journal.set_topics(second, ["Caching", "SQL"])
    window.controller.open_interview(first)
    topics = window.editor.topics

    _focus(qtbot, window, topics.input)

    completer = topics.input.completer()
    assert completer is not None
    model = completer.model()
    assert isinstance(model, QStringListModel)
    assert sorted(model.stringList()) == ["Caching", "SQL"]
