"""The editor's list sections: questions, action items, topics and interviewers.

Each section is a view: it shows rows it is given and emits intent (add, delete, move, an
edit of one field). The editor controller turns intent into Journal calls. Rows are created
with their text already set, before their signals are connected, so loading never counts as
an edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core.domain import FIELD, QUESTION_PARTS
from interview_journal.core.journal import ActionItemRow, PersonRow, QuestionRow
from interview_journal.ui.vocabulary import tr_domain
from interview_journal.ui.widgets import GrowingTextEdit, plain_label

RowT = TypeVar("RowT", QuestionRow, ActionItemRow)

_PART_LINES = {"answer": 2}  # how many lines a part of a question shows when empty; else 1


def _tool_button(text: str, tip: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setAutoRaise(True)
    return button


class Card(QFrame):
    """One row of an ordered list section, with move and delete buttons."""

    edited = Signal(int, str)
    delete_requested = Signal(int)
    move_requested = Signal(int, int)  # row id, +1 / -1

    def __init__(self, row_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row_id = row_id
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._buttons = QHBoxLayout()
        self._buttons.setContentsMargins(0, 0, 0, 0)
        self._buttons.setSpacing(0)
        up = _tool_button("↑", self.tr("Move up"), self)
        down = _tool_button("↓", self.tr("Move down"), self)
        delete = _tool_button("✕", self.tr("Delete"), self)
        up.clicked.connect(lambda: self.move_requested.emit(self.row_id, -1))
        down.clicked.connect(lambda: self.move_requested.emit(self.row_id, 1))
        delete.clicked.connect(lambda: self.delete_requested.emit(self.row_id))
        self._move_buttons = (up, down, delete)
        for button in self._move_buttons:
            self._buttons.addWidget(button)
        for keys, delta in (("Alt+Up", -1), ("Alt+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=delta: self.move_requested.emit(self.row_id, d))

    def set_number(self, number: int) -> None:
        """Show the row's 1-based place in its list."""

    def show_row(self, row: QuestionRow | ActionItemRow) -> None:
        """Show another row in this card (reused on load), emitting no edit."""
        blocked = self.blockSignals(True)
        try:
            self.row_id = row.id
            self._fill(row)
        finally:
            self.blockSignals(blocked)

    def _fill(self, row: QuestionRow | ActionItemRow) -> None:
        raise NotImplementedError

    def value(self, field: str) -> str | bool:
        """The current value of one field."""
        raise NotImplementedError

    def focus_first(self) -> None:
        """Put the keyboard focus in the row's first field."""


class QuestionCard(Card):
    """A question asked, my answer, how I'd answer next time, and the practise flag."""

    def __init__(self, row: QuestionRow, parent: QWidget | None = None) -> None:
        super().__init__(row.id, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 10)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self._title = plain_label("", self)
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        top.addWidget(self._title)
        top.addStretch(1)
        self.practise = QCheckBox(self.tr("Practise this"), self)
        self.practise.setAccessibleName(self.tr("Practise this"))
        self.practise.setChecked(row.practise)
        top.addWidget(self.practise)
        top.addLayout(self._buttons)
        layout.addLayout(top)
        self.editors: dict[str, GrowingTextEdit] = {}
        for field, source in QUESTION_PARTS:
            label = tr_domain(source)
            editor = GrowingTextEdit(self, min_lines=_PART_LINES.get(field, 1))
            editor.setPlainText(str(getattr(row, field)))
            editor.document().setModified(False)
            editor.setPlaceholderText(label)
            editor.setAccessibleName(label)
            editor.setObjectName(f"question_{field}")
            if field != "question":
                layout.addWidget(plain_label(label, self))
            layout.addWidget(editor)
            self.editors[field] = editor
            self._watch(editor, field)
        self.practise.toggled.connect(lambda _on: self.edited.emit(self.row_id, "practise"))

    def _watch(self, editor: GrowingTextEdit, field: str) -> None:
        def changed(_position: int, removed: int, added: int) -> None:
            if removed or added:
                self.edited.emit(self.row_id, field)

        editor.document().contentsChange.connect(changed)

    def set_number(self, number: int) -> None:
        self._title.setText(self.tr("Question %1").replace("%1", str(number)))

    def _fill(self, row: QuestionRow | ActionItemRow) -> None:
        assert isinstance(row, QuestionRow)
        self.practise.setChecked(row.practise)
        for field, _label in QUESTION_PARTS:
            editor = self.editors[field]
            editor.setPlainText(str(getattr(row, field)))
            editor.document().setModified(False)
            editor.document().clearUndoRedoStacks()

    def value(self, field: str) -> str | bool:
        if field == "practise":
            return self.practise.isChecked()
        return self.editors[field].toPlainText()

    def focus_first(self) -> None:
        self.editors["question"].setFocus()

    def tab_stops(self) -> list[QWidget]:
        """Question, my answer, next time, then the practise flag and the row's buttons."""
        return [*self.editors.values(), self.practise, *self._move_buttons]


class ActionItemCard(Card):
    """A checkable thing to practise."""

    def __init__(self, row: ActionItemRow, parent: QWidget | None = None) -> None:
        super().__init__(row.id, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.done = QCheckBox(self)
        self.done.setAccessibleName(self.tr("Done"))
        self.done.setToolTip(self.tr("Done"))
        self.done.setChecked(row.done)
        self.text = QLineEdit(self)
        self.text.setText(row.text)
        self.text.setPlaceholderText(self.tr("Something to practise"))
        self.text.setAccessibleName(self.tr("Action item"))
        self.text.setObjectName("action_item_text")
        layout.addWidget(self.done)
        layout.addWidget(self.text, 1)
        layout.addLayout(self._buttons)
        self.done.toggled.connect(lambda _on: self.edited.emit(self.row_id, "done"))
        self.text.textChanged.connect(lambda _t: self.edited.emit(self.row_id, "text"))

    def value(self, field: str) -> str | bool:
        return self.done.isChecked() if field == "done" else self.text.text()

    def _fill(self, row: QuestionRow | ActionItemRow) -> None:
        assert isinstance(row, ActionItemRow)
        self.done.setChecked(row.done)
        self.text.setText(row.text)  # also clears its undo history

    def focus_first(self) -> None:
        self.text.setFocus()


class CardList(QWidget, Generic[RowT]):
    """An ordered list of cards with an Add button and an "Undo delete" bar."""

    add_requested = Signal()
    delete_requested = Signal(int)
    move_requested = Signal(int, int)  # row id, new index
    edited = Signal(int, str)  # row id, field
    undo_requested = Signal()

    def __init__(self, add_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: list[Card] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self._rows = QVBoxLayout()
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        layout.addLayout(self._rows)
        self._undo_bar = QWidget(self)
        undo_layout = QHBoxLayout(self._undo_bar)
        undo_layout.setContentsMargins(0, 0, 0, 0)
        self._undo_text = plain_label("", self._undo_bar)
        undo = QPushButton(self.tr("Undo"), self._undo_bar)
        undo.setAccessibleName(self.tr("Undo"))
        undo.clicked.connect(self.undo_requested)
        undo_layout.addWidget(self._undo_text)
        undo_layout.addWidget(undo)
        undo_layout.addStretch(1)
        self._undo_bar.hide()
        layout.addWidget(self._undo_bar)
        self.add_button = QPushButton(add_label, self)
        self.add_button.setAccessibleName(add_label)
        self.add_button.clicked.connect(self.add_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _make_card(self, row: RowT) -> Card:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[RowT]) -> None:
        """Show exactly these rows (used when an interview is loaded).

        The cards already there are reused for the first rows: building a card's widgets
        costs far more than setting its text, and loading must stay quick.
        """
        reused = self._cards[: len(rows)]
        for card in self._cards[len(rows):]:
            self._rows.removeWidget(card)
            card.hide()
            card.deleteLater()
        self._cards = reused
        for card, row in zip(reused, rows, strict=False):
            card.show_row(row)
        for row in rows[len(reused):]:
            self._add_card(row)
        self._renumber()
        self.hide_undo()

    def insert_row(self, row: RowT) -> Card:
        """Add a card for ``row`` at its position."""
        card = self._add_card(row)
        self._renumber()
        return card

    def _add_card(self, row: RowT) -> Card:
        card = self._make_card(row)
        card.edited.connect(self.edited)
        card.delete_requested.connect(self.delete_requested)
        card.move_requested.connect(self._on_card_move_requested)
        index = max(0, min(row.position, len(self._cards)))
        self._cards.insert(index, card)
        self._rows.insertWidget(index, card)
        card.setVisible(not self.isHidden())  # now, not when the event loop gets to it
        return card

    def remove_row(self, row_id: int) -> None:
        """Take the card for ``row_id`` away."""
        card = self.card(row_id)
        if card is None:
            return
        self._cards.remove(card)
        self._rows.removeWidget(card)
        card.hide()
        card.deleteLater()
        self._renumber()

    def apply_order(self, row_ids: Sequence[int]) -> None:
        """Reorder the cards to match ``row_ids`` (after a move)."""
        by_id = {card.row_id: card for card in self._cards}
        self._cards = [by_id[i] for i in row_ids if i in by_id]
        for index, card in enumerate(self._cards):
            self._rows.removeWidget(card)
            self._rows.insertWidget(index, card)
        self._renumber()

    def card(self, row_id: int) -> Card | None:
        """The card showing ``row_id``, if any."""
        return next((c for c in self._cards if c.row_id == row_id), None)

    def cards(self) -> list[Card]:
        """The cards in order."""
        return list(self._cards)

    def row_ids(self) -> list[int]:
        """The ids shown, in order."""
        return [card.row_id for card in self._cards]

    def show_undo(self, text: str) -> None:
        """Offer to undo a deletion."""
        self._undo_text.setText(text)
        self._undo_bar.show()

    def hide_undo(self) -> None:
        """Withdraw the offer to undo."""
        self._undo_bar.hide()

    def _renumber(self) -> None:
        for number, card in enumerate(self._cards, start=1):
            card.set_number(number)

    @Slot(int, int)
    def _on_card_move_requested(self, row_id: int, delta: int) -> None:
        ids = self.row_ids()
        index = ids.index(row_id) + delta
        if 0 <= index < len(ids):
            self.move_requested.emit(row_id, index)


class QuestionsSection(CardList[QuestionRow]):
    """The questions asked, in order (object name ``section_questions``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add question"), parent)
        self.setObjectName("section_questions")
        self.setAccessibleName(tr_domain(FIELD["questions"].label))

    def _make_card(self, row: QuestionRow) -> Card:
        return QuestionCard(row, self)


class ActionItemsSection(CardList[ActionItemRow]):
    """Things to practise, checkable (object name ``section_action_items``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add action item"), parent)
        self.setObjectName("section_action_items")
        self.setAccessibleName(tr_domain(FIELD["action_items"].label))

    def _make_card(self, row: ActionItemRow) -> Card:
        return ActionItemCard(row, self)


class ChipList(QListWidget):
    """A wrapping row of short items that can be reordered by dragging and removed."""

    removed = Signal(int)  # row
    order_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(3)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.model().rowsMoved.connect(lambda *_: self.order_changed.emit())
        self.model().rowsInserted.connect(lambda *_: self._fit())
        self.model().rowsRemoved.connect(lambda *_: self._fit())
        self._fit()
        for keys, handler in (
            (QKeySequence.StandardKey.Delete, self._remove_current),
            (QKeySequence("Backspace"), self._remove_current),
            (QKeySequence("Alt+Left"), lambda: self._move_current(-1)),
            (QKeySequence("Alt+Right"), lambda: self._move_current(1)),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(handler)

    def _fit(self) -> None:
        """Be as tall as the rows of chips need (estimated from their widths)."""
        metrics = self.fontMetrics()
        row_height = metrics.height() + 12
        width = max(self.viewport().width(), 200)
        rows, used = 1, 0
        for i in range(self.count()):
            chip = metrics.horizontalAdvance(self.item(i).text()) + 18
            if used and used + chip > width:
                rows, used = rows + 1, 0
            used += chip
        frame = self.frameWidth() * 2
        self.setFixedHeight(rows * row_height + frame + 4)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def texts(self) -> list[str]:
        """The items' texts in order."""
        return [self.item(i).text() for i in range(self.count())]

    def _remove_current(self) -> None:
        row = self.currentRow()
        if row >= 0:
            self.removed.emit(row)

    def _move_current(self, delta: int) -> None:
        row = self.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.count():
            return
        item = self.takeItem(row)
        self.insertItem(target, item)
        self.setCurrentRow(target)
        self.order_changed.emit()


class TopicsSection(QWidget):
    """Topics covered, as reusable tags (the list is ``section_topics``)."""

    topics_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = ChipList(self)
        self.list.setObjectName("section_topics")
        self.list.setAccessibleName(tr_domain(FIELD["topics"].label))
        self.input = QLineEdit(self)
        self.input.setPlaceholderText(self.tr("Add a topic and press Enter"))
        self.input.setAccessibleName(self.tr("Add a topic"))
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.input.setCompleter(completer)
        # The chips go below the box, so adding one never moves the box being typed in.
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.input)
        layout.addWidget(self.list)
        self.input.returnPressed.connect(self._on_input_return_pressed)
        self.list.removed.connect(self._on_list_removed)
        self.list.order_changed.connect(lambda: self.topics_changed.emit(self.list.texts()))

    def set_topics(self, topics: Sequence[str]) -> None:
        """Show these topics (no signal)."""
        self.list.clear()
        for topic in topics:
            self.list.addItem(QListWidgetItem(topic))
        self.list.setVisible(bool(topics))

    def set_known_topics(self, names: Sequence[str]) -> None:
        """Every topic used before, for completion."""
        self._names.setStringList(list(names))

    def topics(self) -> list[str]:
        """The topics shown, in order."""
        return self.list.texts()

    @Slot()
    def _on_input_return_pressed(self) -> None:
        text = " ".join(self.input.text().split())
        if not text:
            return
        self.input.clear()
        self.topics_changed.emit([*self.list.texts(), text])

    @Slot(int)
    def _on_list_removed(self, row: int) -> None:
        topics = self.list.texts()
        del topics[row]
        self.topics_changed.emit(topics)


class InterviewersSection(QWidget):
    """The people met, reused across a company's interviews."""

    add_requested = Signal(str, str)  # name, title
    remove_requested = Signal(int)  # person id
    reordered = Signal(list)  # person ids in the new order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = ChipList(self)
        self.list.setObjectName("interviewers")
        self.list.setAccessibleName(tr_domain(FIELD["interviewers"].label))
        row = QHBoxLayout()
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("Name"))
        self.name.setAccessibleName(self.tr("Interviewer's name"))
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("Title (optional)"))
        self.title.setAccessibleName(self.tr("Interviewer's title"))
        add = QPushButton(self.tr("Add"), self)
        add.setAccessibleName(self.tr("Add interviewer"))
        self._people = QStringListModel(self)
        completer = QCompleter(self._people, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.name.setCompleter(completer)
        row.addWidget(self.name, 2)
        row.addWidget(self.title, 2)
        row.addWidget(add)
        # The people met go below the fields, so adding one never moves the Add button.
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addWidget(self.list)
        self._known: dict[str, str] = {}
        self._ids: list[int] = []
        add.clicked.connect(self._on_add_clicked)
        self.name.returnPressed.connect(self._on_add_clicked)
        self.title.returnPressed.connect(self._on_add_clicked)
        self.name.textChanged.connect(self._on_name_text_changed)
        self.list.removed.connect(lambda r: self.remove_requested.emit(self._ids[r]))
        self.list.order_changed.connect(self._on_list_order_changed)

    def set_people(self, people: Sequence[PersonRow], known: Sequence[PersonRow]) -> None:
        """Show the interview's interviewers; ``known`` are the company's, for completion."""
        self.list.clear()
        self._ids = [p.id for p in people]
        for person in people:
            text = f"{person.name} — {person.title}" if person.title else person.name
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.list.addItem(item)
        self.list.setVisible(bool(people))
        self._known = {p.name.casefold(): p.title for p in known}
        self._people.setStringList([p.name for p in known])

    @Slot(str)
    def _on_name_text_changed(self, text: str) -> None:
        title = self._known.get(text.strip().casefold())
        if title and not self.title.text():
            self.title.setText(title)

    @Slot()
    def _on_add_clicked(self) -> None:
        name = " ".join(self.name.text().split())
        if not name:
            self.name.setFocus()
            return
        self.add_requested.emit(name, self.title.text().strip())
        self.name.clear()
        self.title.clear()
        self.name.setFocus()

    @Slot()
    def _on_list_order_changed(self) -> None:
        ids = [
            int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
        ]
        if ids != self._ids:
            self._ids = ids
            self.reordered.emit(ids)
