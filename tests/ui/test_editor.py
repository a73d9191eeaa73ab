"""The reflection editor and its autosave, driven through the real window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTreeView, QWidget
from pytestqt.qtbot import QtBot

from interview_journal.core.journal import TEXT_SECTIONS, Journal
from interview_journal.ui import dialogs, editor_controller
from interview_journal.ui.dialogs import NewInterview
from interview_journal.ui.editor import ReflectionEditor
from interview_journal.ui.editor_controller import DEBOUNCE_MS, MAX_WAIT_MS, EditorController
from interview_journal.ui.main_window import MainWindow
from interview_journal.ui.sections import ActionItemCard, QuestionCard

from .conftest import WindowFactory


def open_in(window: MainWindow, interview_id: int) -> ReflectionEditor:
    """Select an interview in the tree and press Return, as a user would; return the editor."""
    assert window.tree.select_interview(interview_id)
    view = window.findChild(QTreeView, "companyTree")
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert window.controller.interview_id == interview_id
    return window.editor


def save(qtbot: QtBot, window: MainWindow) -> None:
    """Wait for the autosave timer to commit: the real timer, in a window built by
    ``quick_autosave`` so that it runs out at once (no sleeps, no second's wait)."""
    assert window.controller.debounce_ms == QUICK_MS, "build the window with quick_autosave"
    with qtbot.waitSignal(window.controller.saved, timeout=3000):
        pass


QUICK_MS = 1
AutosaveWindow = Callable[..., MainWindow]


@pytest.fixture
def quick_autosave(make_window: WindowFactory, journal: Journal) -> AutosaveWindow:
    """Builds a shown window whose autosave has other intervals (by default a 1 ms debounce
    and the usual maximum wait), so a test sees its timers fire without waiting for them."""

    def build(*, debounce_ms: int = QUICK_MS, max_wait_ms: int = MAX_WAIT_MS) -> MainWindow:
        class Timed(EditorController):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, debounce_ms=debounce_ms, max_wait_ms=max_wait_ms,
                                 **kwargs)

        # MainWindow.attach() imports the controller's class from its module when it runs.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(editor_controller, "EditorController", Timed)
            made = make_window(journal)
        made.show()
        return made

    return build


def test_object_names_and_accessible_names(window: MainWindow) -> None:
    names = [
        "companyTree",
        "reflectionEditor",
        *(f"section_{key}" for key in TEXT_SECTIONS),
        "section_topics",
        "section_questions",
        "section_action_items",
    ]
    for name in names:
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    for name in ("actionNewInterview", "actionFinishReflection", "actionQuit"):
        action = next((a for a in window.actions() if a.objectName() == name), None)
        assert action is not None, name
    assert window.objectName() == "MainWindow"
    assert window.windowTitle().startswith("Interview Journal")
    assert window.editor.sections["went_poorly"].accessibleName() == "What didn't go well"


def test_empty_state_before_anything_is_open(window: MainWindow) -> None:
    assert window.controller.interview_id is None
    assert not window.action_finish.isEnabled()
    assert window.editor.empty_new_button.isVisible()


def test_loading_never_counts_as_an_edit(
    two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    first, second = two_interviews
    journal.update_interview(first, went_well="calm\nand clear", notes="x" * 10_000)
    before = journal.interview(first).updated_at
    open_in(window, first)
    open_in(window, second)
    open_in(window, first)
    assert not window.controller.has_pending()
    assert window.controller.state == "saved"
    assert journal.interview(first).updated_at == before
    assert not window.editor.sections["went_well"].document().isModified()


def test_the_window_keeps_the_autosave_promise(window: MainWindow) -> None:
    # About a second after typing pauses, at most about five seconds into continuous typing.
    assert (DEBOUNCE_MS, MAX_WAIT_MS) == (1000, 5000)
    assert (window.controller.debounce_ms, window.controller.max_wait_ms) == (1000, 5000)


def test_autosave_intervals_cannot_be_negative(journal: Journal, qtbot: QtBot) -> None:
    editor = ReflectionEditor()
    qtbot.addWidget(editor)
    with pytest.raises(ValueError, match="negative"):
        EditorController(journal, editor, debounce_ms=-1)


def test_typing_saves_after_a_pause(
    qtbot: QtBot, two_interviews: tuple[int, int], quick_autosave: AutosaveWindow,
    journal: Journal,
) -> None:
    window = quick_autosave()
    first, _ = two_interviews
    editor = open_in(window, first)
    qtbot.keyClicks(editor.sections["went_well"], "Stayed calm")
    assert window.controller.state == "unsaved"
    assert journal.interview(first).went_well == ""
    save(qtbot, window)
    assert journal.interview(first).went_well == "Stayed calm"
    assert editor.save_state_label.text() == "Saved"


def test_switching_saves_before_loading_the_next(
    qtbot: QtBot, two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    first, second = two_interviews
    editor = open_in(window, first)
    qtbot.keyClicks(editor.sections["went_poorly"], "Froze on SQL")
    qtbot.keyClicks(editor.role, " II")
    open_in(window, second)
    assert journal.interview(first).went_poorly == "Froze on SQL"
    assert journal.interview(first).role == "Backend engineer II"
    assert editor.sections["went_poorly"].toPlainText() == ""
    assert editor.role.text() == "SRE"


def test_paste_undo_and_programmatic_changes_all_count(
    qtbot: QtBot, two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    first, _ = two_interviews
    editor = open_in(window, first)
    notes = editor.sections["notes"]
    QApplication.clipboard().setText("pasted text")
    notes.setFocus()
    notes.paste()
    assert window.controller.flush()
    assert journal.interview(first).notes == "pasted text"
    notes.undo()
    assert window.controller.has_pending()
    assert window.controller.flush()
    assert journal.interview(first).notes == ""
    notes.insertPlainText("inserted")  # what drag and drop ends in
    assert window.controller.flush()
    assert journal.interview(first).notes == "inserted"


def test_focus_loss_saves(
    qtbot: QtBot, two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    first, _ = two_interviews
    editor = open_in(window, first)
    window.activateWindow()
    editor.sections["impressions"].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.sections["impressions"])
    qtbot.keyClicks(editor.sections["impressions"], "Friendly team")
    window.tree.findChild(QWidget, "companyTree").setFocus()
    qtbot.waitUntil(lambda: not window.controller.has_pending())
    assert journal.interview(first).impressions == "Friendly team"


def test_accessible_text_changes_are_saved(
    two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    """An assistive tool sets text without key events; every text field must still save."""
    first, _ = two_interviews
    editor = open_in(window, first)
    for key in TEXT_SECTIONS:
        iface = QAccessible.queryAccessibleInterface(editor.sections[key])
        text = iface.editableTextInterface()
        assert text is not None
        text.insertText(0, f"via a11y {key}")
    for widget, value in ((editor.role, "Staff engineer"), (editor.location, "Room 4")):
        iface = QAccessible.queryAccessibleInterface(widget)
        iface.setText(QAccessible.Text.Value, value)
    rating = QAccessible.queryAccessibleInterface(editor.self_rating).valueInterface()
    rating.setCurrentValue(4)
    want = QAccessible.queryAccessibleInterface(editor.want_to_work_here).valueInterface()
    want.setCurrentValue(2)
    duration = QAccessible.queryAccessibleInterface(editor.duration).valueInterface()
    duration.setCurrentValue(90)
    assert window.controller.flush()
    doc = journal.interview(first)
    for key in TEXT_SECTIONS:
        assert getattr(doc, key) == f"via a11y {key}"
    assert (doc.role, doc.location) == ("Staff engineer", "Room 4")
    assert (doc.self_rating, doc.want_to_work_here, doc.duration_minutes) == (4, 2, 90)


def test_choices_changed_through_the_combo_popup_are_saved(
    qtbot: QtBot, two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    """Stage, format and outcome through the accessible "Show Menu" action and the popup."""
    first, _ = two_interviews
    editor = open_in(window, first)
    for box, key in ((editor.stage, "final"), (editor.format, "phone"), (editor.outcome, "offer")):
        iface = QAccessible.queryAccessibleInterface(box)
        actions = iface.actionInterface()
        assert actions is not None
        actions.doAction(actions.showMenuAction())
        view = box.view()
        qtbot.waitUntil(view.isVisible)
        view.setCurrentIndex(box.model().index(box.findData(key), 0))
        qtbot.keyClick(view, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda b=box: not b.view().isVisible())
    editor.date.line.setText("2026-03-05")
    editor.start.setText("9:30")
    assert window.controller.flush()
    doc = journal.interview(first)
    assert (doc.stage, doc.format, doc.outcome) == ("final", "phone", "offer")
    assert doc.date == date(2026, 3, 5)
    assert doc.starts_at is not None
    assert (doc.starts_at.hour, doc.starts_at.minute) == (9, 30)


def test_new_interview_filled_completely_survives_a_new_window(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_window: WindowFactory,
    journal: Journal,
) -> None:
    window = make_window(journal)
    window.show()
    monkeypatch.setattr(
        dialogs.NewInterviewDialog,
        "ask",
        classmethod(
            lambda cls, *a, **k: NewInterview("Initech", "Data engineer", "", date(2026, 3, 1))
        ),
    )
    window.action_new.trigger()
    interview_id = window.controller.interview_id
    assert interview_id is not None
    editor = window.editor
    assert editor.company_text() == "Initech"
    assert editor.role.text() == "Data engineer"

    editor.stage.setCurrentIndex(editor.stage.findData("system_design"))
    editor.format.setCurrentIndex(editor.format.findData("video"))
    editor.outcome.setCurrentIndex(editor.outcome.findData("advanced"))
    editor.start.setText("2pm")
    editor.duration.setValue(45)
    qtbot.keyClicks(editor.location, "https://meet.example/xyz")
    editor.self_rating.setValue(3)
    editor.want_to_work_here.setValue(5)
    qtbot.keyClicks(editor.interviewers.name, "Ada Lovelace")
    qtbot.keyClicks(editor.interviewers.title, "Staff engineer")
    qtbot.keyClick(editor.interviewers.title, Qt.Key.Key_Return)
    for topic in ("Caching", "SQL"):
        qtbot.keyClicks(editor.topics.input, topic)
        qtbot.keyClick(editor.topics.input, Qt.Key.Key_Return)
    for key in TEXT_SECTIONS:
        qtbot.keyClicks(editor.sections[key], f"{key} text")

    for text in ("Design a cache", "Reverse a list"):
        editor.questions.add_button.click()
        card = editor.questions.cards()[-1]
        assert isinstance(card, QuestionCard)
        qtbot.keyClicks(card.editors["question"], text)
        qtbot.keyClicks(card.editors["answer"], f"answer to {text}")
    first_card = editor.questions.cards()[0]
    assert isinstance(first_card, QuestionCard)
    qtbot.keyClicks(first_card.editors["next_time"], "start with the API")
    first_card.practise.setChecked(True)
    editor.action_items.add_button.click()
    item = editor.action_items.cards()[-1]
    assert isinstance(item, ActionItemCard)
    qtbot.keyClicks(item.text, "Practise LRU")
    item.done.setChecked(True)

    window.close()
    assert not window.isVisible()

    reopened = make_window(journal)
    reopened.show()
    editor = open_in(reopened, interview_id)
    assert editor.company_text() == "Initech"
    assert editor.role.text() == "Data engineer"
    assert editor.stage.currentData() == "system_design"
    assert editor.format.currentData() == "video"
    assert editor.outcome.currentData() == "advanced"
    assert editor.schedule_value()[1] is not None
    assert editor.duration.value() == 45
    assert editor.location.text() == "https://meet.example/xyz"
    assert (editor.self_rating.value(), editor.want_to_work_here.value()) == (3, 5)
    assert editor.interviewers.list.texts() == ["Ada Lovelace — Staff engineer"]
    assert editor.topics.topics() == ["Caching", "SQL"]
    for key in TEXT_SECTIONS:
        assert editor.sections[key].toPlainText() == f"{key} text"
    questions = [c for c in editor.questions.cards() if isinstance(c, QuestionCard)]
    assert [q.value("question") for q in questions] == ["Design a cache", "Reverse a list"]
    assert questions[0].value("next_time") == "start with the API"
    assert questions[0].value("practise") is True
    items = [c for c in editor.action_items.cards() if isinstance(c, ActionItemCard)]
    assert [(i.value("text"), i.value("done")) for i in items] == [("Practise LRU", True)]


def test_reorder_delete_and_undo_questions(
    qtbot: QtBot, two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    first, _ = two_interviews
    for text in ("one", "two", "three"):
        journal.add_question(first, text)
    editor = open_in(window, first)
    cards = editor.questions.cards()
    texts = lambda: [q.question for q in journal.questions(first)]  # noqa: E731
    cards[2].move_requested.emit(cards[2].row_id, -1)
    assert texts() == ["one", "three", "two"]
    assert [c.value("question") for c in editor.questions.cards()] == ["one", "three", "two"]
    qtbot.keyClicks(cards[0].editors["answer"], "typed before delete")  # type: ignore[attr-defined]
    cards[0].delete_requested.emit(cards[0].row_id)
    assert texts() == ["three", "two"]
    assert len(editor.questions.cards()) == 2
    editor.question_undo_requested.emit()
    assert texts() == ["one", "three", "two"]
    assert journal.questions(first)[0].answer == "typed before delete"
    assert [c.value("question") for c in editor.questions.cards()] == ["one", "three", "two"]


def test_delete_and_undo_action_items(
    two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    first, _ = two_interviews
    for text in ("a", "b"):
        journal.add_action_item(first, text)
    editor = open_in(window, first)
    card = editor.action_items.cards()[0]
    card.delete_requested.emit(card.row_id)
    assert [a.text for a in journal.action_items(first)] == ["b"]
    editor.action_item_undo_requested.emit()
    assert [a.text for a in journal.action_items(first)] == ["a", "b"]


def test_rich_text_in_user_fields_stays_literal(
    two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    first, _ = two_interviews
    hostile = '<b>bold</b><img src="file:///etc/passwd">'
    journal.update_interview(first, role=hostile)
    editor = open_in(window, first)
    assert editor.title_label.textFormat() == Qt.TextFormat.PlainText
    assert hostile in editor.title_label.text()


def test_company_hint_counts_earlier_interviews(
    qtbot: QtBot, two_interviews: tuple[int, int], window: MainWindow, journal: Journal
) -> None:
    first, second = two_interviews
    editor = open_in(window, second)
    editor.company.lineEdit().selectAll()
    qtbot.keyClicks(editor.company.lineEdit(), "acme inc")
    qtbot.waitUntil(editor.company_hint.isVisible)
    assert editor.company_hint.text().startswith("You have 1 earlier interview here")
    assert window.controller.flush()
    assert journal.interview(second).company_name == "Acme"


def test_failed_save_on_close_keeps_window_and_text(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    two_interviews: tuple[int, int],
    window: MainWindow,
    journal: Journal,
) -> None:
    first, _ = two_interviews
    editor = open_in(window, first)
    asked: list[str] = []

    def refuse(cls: type, parent: QWidget, text: str) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(dialogs.Messages, "confirm_discard", classmethod(refuse))
    journal.database.execute_sql("PRAGMA query_only = 1")
    qtbot.keyClicks(editor.sections["notes"], "must not be lost")
    window.close()
    assert window.isVisible()
    assert asked
    assert "could not be saved" in asked[0]
    assert editor.sections["notes"].toPlainText() == "must not be lost"
    assert window.controller.state == "failed"
    assert "read-only" in window.controller.message
    journal.database.execute_sql("PRAGMA query_only = 0")
    assert window.controller.flush()
    assert journal.interview(first).notes == "must not be lost"


def test_continuous_typing_is_saved_by_the_maximum_wait(
    qtbot: QtBot, two_interviews: tuple[int, int], quick_autosave: AutosaveWindow,
    journal: Journal,
) -> None:
    # The pause never comes (a minute's debounce), and a key arrives every 5 ms, far more
    # often than the 50 ms maximum wait: only a maximum wait that each key does not restart
    # saves while the typing goes on.
    window = quick_autosave(debounce_ms=60_000, max_wait_ms=50)
    first, _ = two_interviews
    section = open_in(window, first).sections["went_well"]
    typist = QTimer(window)
    typist.setInterval(5)
    typed: list[str] = []

    def type_one() -> None:
        typed.append("x")
        qtbot.keyClicks(section, "x")

    typist.timeout.connect(type_one)
    typist.start()
    try:
        with qtbot.waitSignal(window.controller.saved, timeout=3000):
            pass
        stored = journal.interview(first).went_well
        qtbot.waitUntil(lambda: len(typed) > len(stored))  # and the typing went on after it
    finally:
        typist.stop()
    assert stored
    assert stored == "x" * len(stored)
    assert window.controller.has_pending()  # what came after waits for the next save
    assert window.controller.state == "unsaved"


def test_company_is_not_moved_halfway_through_typing(
    qtbot: QtBot, two_interviews: tuple[int, int], quick_autosave: AutosaveWindow,
    journal: Journal,
) -> None:
    window = quick_autosave()
    first, _ = two_interviews
    editor = open_in(window, first)
    window.activateWindow()
    line = editor.company.lineEdit()
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)
    line.selectAll()
    qtbot.keyClicks(line, "Glo")
    save(qtbot, window)  # the debounce fires while the box still has focus
    assert journal.interview(first).company_name == "Acme"
    assert [c.name for c in journal.companies()] == ["Acme", "Globex"]
    qtbot.keyClicks(line, "bex")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.controller.has_pending())
    assert journal.interview(first).company_name == "Globex"
    assert [c.name for c in journal.companies()] == ["Acme", "Globex"]
    assert window.tree.current_interview_id() == first
