"""The reflection editor: one interview as a form you can fill in top to bottom.

A view only. It shows an ``InterviewDoc`` and says what the user changed (``field_edited``
with a key) or asked for (add a question, delete an action item ...). It never writes: the
editor controller reads the changed values back and saves them through the Journal.

Loading never counts as an edit: ``load()`` runs under a guard, and every edit signal is
taken from a source that also fires for changes made without key events (an assistive tool
setting text): ``contentsChange`` for text documents, ``textChanged`` for line edits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, time, tzinfo

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QPoint,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core.domain import (
    FIELD,
    HEADER,
    QUESTION_PARTS,
    SECTIONS,
    TEXT_SECTIONS,
    Field,
)
from interview_journal.core.journal import (
    MAX_DURATION,
    MIN_DURATION,
    CompanySuggestion,
    InterviewDoc,
    PersonRow,
)
from interview_journal.ui.sections import (
    ActionItemCard,
    ActionItemsSection,
    InterviewersSection,
    QuestionCard,
    QuestionsSection,
    TopicsSection,
)
from interview_journal.ui.vocabulary import add_choices, tr_domain
from interview_journal.ui.when import DateField, TimeField, format_date
from interview_journal.ui.widgets import (
    ElidedLabel,
    GrowingTextEdit,
    focus_chain,
    heading_font,
    heading_label,
    plain_label,
    prompt_label,
)

CONTENT_WIDTH = 760
REVEAL_SETTLE_MS = 500  # how long reveal() keeps the match in view while the form settles
REVEAL_HEADING_SPACE = 72  # room above a revealed section's field for its heading and prompt
REVEAL_MARGIN = 48  # a revealed match stays at least this far from the bottom edge

# Header fields saved through Journal.update_interview, by key: the interview's own columns
# (the schedule is saved whole, the company and interviewers through their own calls).
HEADER_FIELDS: tuple[str, ...] = tuple(
    f.key for f in HEADER if f.kind in ("line", "choice", "rating")
)
SECTION_LINES = {"notes": 3}  # how many lines a text section shows when empty; else 4
SCHEDULE_KEY = "schedule"
COMPANY_KEY = "company"


class ReflectionEditor(QWidget):
    """The centre pane for one interview (object name ``reflectionEditor``)."""

    field_edited = Signal(str)  # a key of HEADER_FIELDS, TEXT_SECTIONS, "schedule", "company"
    question_edited = Signal(int, str)
    action_item_edited = Signal(int, str)
    question_add_requested = Signal()
    question_delete_requested = Signal(int)
    question_move_requested = Signal(int, int)
    question_undo_requested = Signal()
    action_item_add_requested = Signal()
    action_item_delete_requested = Signal(int)
    action_item_move_requested = Signal(int, int)
    action_item_undo_requested = Signal()
    topics_changed = Signal(list)
    interviewer_add_requested = Signal(str, str)
    interviewer_remove_requested = Signal(int)
    interviewers_reordered = Signal(list)
    company_text_changed = Signal(str)
    show_company_requested = Signal(int)
    focus_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reflectionEditor")
        self.setAccessibleName(self.tr("Reflection editor"))
        self._loading = False
        self._doc: InterviewDoc | None = None
        self._hint_company: int | None = None
        self._zone: tzinfo | None = None  # the user's, for the times shown
        self.sections: dict[str, GrowingTextEdit] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # The countdown sits above both pages: a break shows with no interview open too.
        self._timer_panel: QWidget | None = None
        self._timer_slot = QVBoxLayout()
        self._timer_slot.setContentsMargins(16, 8, 16, 0)
        outer.addLayout(self._timer_slot)
        self._stack = QStackedWidget(self)
        outer.addWidget(self._stack)
        self._stack.addWidget(self._build_empty_page())
        self._stack.addWidget(self._build_form_page())

        self._word_timer = QTimer(self)
        self._word_timer.setSingleShot(True)
        self._word_timer.setInterval(300)
        self._word_timer.timeout.connect(self._update_word_count)
        # After reveal() the form is still settling (editors grow, lists lay out) for a few
        # event loop turns; meanwhile every change of the scroll range re-aims at the match.
        self._reveal_target: tuple[QWidget, Callable[[], QPoint | None]] | None = None
        self._reveal_follow = QTimer(self)
        self._reveal_follow.setSingleShot(True)
        self._reveal_follow.setInterval(REVEAL_SETTLE_MS)
        self._scroll.verticalScrollBar().rangeChanged.connect(self._on_scroll_range_changed)
        self._connect_edits()

    # ----------------------------------------------------------------- building

    def _build_empty_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = heading_label(self.tr("No interview open"), page)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = prompt_label(
            self.tr(
                "Pick an interview on the left, or start a new one with New interview "
                "(Ctrl+N). Right after an interview, give yourself half an hour to write down "
                "what happened while you still remember it."
            ),
            page,
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(460)
        text.setMinimumHeight(text.heightForWidth(460))
        self.empty_new_button = QPushButton(self.tr("New interview"), page)
        self.empty_new_button.setAccessibleName(self.tr("New interview"))
        layout.addWidget(title)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.empty_new_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _build_form_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_top_bar(page))
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields take Tab, not the page
        holder = QWidget(scroll)
        centre = QHBoxLayout(holder)
        centre.setContentsMargins(0, 0, 0, 0)  # the form has its own; a narrow pane needs all
        centre.addStretch(1)
        content = QWidget(holder)
        self._content = content
        content.setMaximumWidth(CONTENT_WIDTH)
        content.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        centre.addWidget(content, 100)
        centre.addStretch(1)
        scroll.setWidget(holder)
        self._scroll = scroll
        layout.addWidget(scroll)

        form = QVBoxLayout(content)
        form.setContentsMargins(12, 12, 12, 32)
        form.setSpacing(6)
        form.addLayout(self._build_header(content))
        self.topics = TopicsSection(content)
        self.questions = QuestionsSection(content)
        self.action_items = ActionItemsSection(content)
        for section in SECTIONS:
            form.addSpacing(14)
            form.addWidget(heading_label(tr_domain(section.label), content))
            form.addWidget(prompt_label(tr_domain(section.prompt), content))
            form.addWidget(self._section_widget(section, content))
        form.addStretch(1)
        return page

    def _section_widget(self, section: Field, parent: QWidget) -> QWidget:
        """The widget that edits one of the domain's sections."""
        if section.kind == "text":
            editor = GrowingTextEdit(parent, min_lines=SECTION_LINES.get(section.key, 4))
            editor.setObjectName(f"section_{section.key}")
            editor.setAccessibleName(tr_domain(section.label))
            self.sections[section.key] = editor
            return editor
        widgets: dict[str, QWidget] = {
            "topics": self.topics,
            "questions": self.questions,
            "action_items": self.action_items,
        }
        return widgets[section.key]

    def _build_top_bar(self, parent: QWidget) -> QWidget:
        bar = QWidget(parent)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(16, 8, 16, 8)
        self.title_label = ElidedLabel(bar)
        self.title_label.setFont(heading_font(self.title_label.font()))
        self.title_label.setObjectName("editorTitle")
        self.save_state_label = plain_label("", bar)
        self.save_state_label.setObjectName("saveState")
        self.word_count_label = plain_label("", bar)
        self.word_count_label.setObjectName("wordCount")
        self.finish_button = QToolButton(bar)
        self.finish_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # Never a Tab stop: a space typed after a stray Tab must not end the reflection
        # (Ctrl+Return and the Interview menu reach it from the keyboard).
        self.finish_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reflected_label = plain_label("", bar)
        self.reflected_label.setObjectName("reflectedState")
        self.unreflect_button = QToolButton(bar)
        self.unreflect_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.unreflect_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reflected_label.hide()
        self.unreflect_button.hide()
        layout.addWidget(self.title_label, 1)
        layout.addWidget(self.word_count_label)
        layout.addSpacing(12)
        layout.addWidget(self.save_state_label)
        layout.addSpacing(12)
        layout.addWidget(self.reflected_label)
        layout.addWidget(self.unreflect_button)
        layout.addWidget(self.finish_button)
        return bar

    def _build_header(self, parent: QWidget) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        tr = self.tr

        def label(key: str) -> str:
            return tr_domain(FIELD[key].label)

        self.company = QComboBox(parent)
        self.company.setEditable(True)
        self.company.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.company.setObjectName("field_company")
        self.company.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.company.setMinimumContentsLength(20)
        self.company.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._company_names = QStringListModel(self)
        self.company.setModel(self._company_names)
        completer = QCompleter(self._company_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.company.setCompleter(completer)
        self.company_hint = plain_label("", parent, wrap=True)
        self.company_hint.setObjectName("companyHint")
        self.company_hint_link = QPushButton(tr("Show them"), parent)
        self.company_hint_link.setFlat(True)
        self.company_hint_link.setAccessibleName(tr("Show earlier interviews"))
        self.company_hint_link.clicked.connect(self._on_company_hint_link_clicked)
        hint_row = QHBoxLayout()
        hint_row.setContentsMargins(0, 0, 0, 0)
        hint_row.addWidget(self.company_hint, 1)
        hint_row.addWidget(self.company_hint_link)
        self._set_hint(None)

        self.role = QLineEdit(parent)
        self.role.setObjectName("field_role")
        self.stage = self._choice_box(parent, "stage", tr("Not set"))
        self.format = self._choice_box(parent, "format", tr("Not set"))
        self.date = DateField(parent)
        self.date.setObjectName("field_date")
        self.start = TimeField(parent)
        self.start.setObjectName("field_start")
        self.start.setFixedWidth(self.start.fontMetrics().horizontalAdvance("00:00 PM") + 40)
        self.duration = QSpinBox(parent)
        self.duration.setObjectName("field_duration")
        self.duration.setRange(MIN_DURATION, MAX_DURATION)
        self.duration.setSuffix(tr(" min"))
        self.duration.setSingleStep(15)
        self.location = QLineEdit(parent)
        self.location.setObjectName("field_location")
        self.location.setPlaceholderText(tr("Address, or the video call link"))
        self.interviewers = InterviewersSection(parent)
        self.outcome = self._choice_box(parent, "outcome", None)
        self.self_rating = self._rating_box(parent, "field_self_rating")
        self.want_to_work_here = self._rating_box(parent, "field_want_to_work_here")

        when = QHBoxLayout()
        when.setContentsMargins(0, 0, 0, 0)
        when.addWidget(self.date)
        start_label = plain_label(label("starts_at"), parent)
        when.addSpacing(12)
        when.addWidget(start_label)
        when.addWidget(self.start)
        duration_label = plain_label(label("duration_minutes"), parent)
        when.addSpacing(12)
        when.addWidget(duration_label)
        when.addWidget(self.duration)
        when.addStretch(1)
        start_label.setBuddy(self.start)
        duration_label.setBuddy(self.duration)

        kind = QHBoxLayout()
        kind.setContentsMargins(0, 0, 0, 0)
        kind.addWidget(self.stage, 1)
        format_label = plain_label(label("format"), parent)
        format_label.setBuddy(self.format)
        kind.addSpacing(12)
        kind.addWidget(format_label)
        kind.addWidget(self.format, 1)

        ratings = QHBoxLayout()
        ratings.setContentsMargins(0, 0, 0, 0)
        ratings.addWidget(self.self_rating)
        want_label = plain_label(label("want_to_work_here"), parent)
        want_label.setBuddy(self.want_to_work_here)
        ratings.addSpacing(12)
        ratings.addWidget(want_label)
        ratings.addWidget(self.want_to_work_here)
        ratings.addStretch(1)

        self._add_row(form, label("company"), self.company)
        form.addRow("", hint_row)
        self._add_row(form, label("role"), self.role)
        self._add_row(form, label("stage"), self.stage, kind)
        self._add_row(form, label("date"), self.date, when)
        self.schedule_hint = plain_label("", parent)
        self.schedule_hint.setObjectName("scheduleHint")
        self.schedule_hint.hide()
        form.addRow("", self.schedule_hint)
        for line in (self.date.line, self.start):
            line.textChanged.connect(self._on_schedule_text_changed)
        self._add_row(form, label("location"), self.location)
        self._add_row(form, label("interviewers"), self.interviewers)
        self._add_row(form, label("outcome"), self.outcome)
        self._add_row(form, label("self_rating"), self.self_rating, ratings)
        for widget, name in (
            (self.format, label("format")),
            (self.start, label("starts_at")),
            (self.duration, label("duration_minutes")),
            (self.want_to_work_here, label("want_to_work_here")),
        ):
            widget.setAccessibleName(name)
        return form

    def _add_row(
        self,
        form: QFormLayout,
        label: str,
        widget: QWidget,
        layout: QHBoxLayout | None = None,
    ) -> None:
        widget.setAccessibleName(label)
        caption = plain_label(label, self)
        caption.setBuddy(widget)
        if layout is None:
            form.addRow(caption, widget)
        else:
            form.addRow(caption, layout)

    def _choice_box(self, parent: QWidget, key: str, empty: str | None) -> QComboBox:
        """A box offering the domain's choices for ``key`` (object name ``field_<key>``)."""
        box = QComboBox(parent)
        box.setObjectName(f"field_{key}")
        if empty is not None:
            box.addItem(empty, "")
        add_choices(box, FIELD[key].choices)
        return box

    def _rating_box(self, parent: QWidget, name: str) -> QSpinBox:
        box = QSpinBox(parent)
        box.setObjectName(name)
        box.setRange(0, 5)
        box.setSpecialValueText(self.tr("Not rated"))
        box.setSuffix(self.tr(" of 5"))
        return box

    def _connect_edits(self) -> None:
        def emit(key: str) -> Callable[..., None]:
            return lambda *_: self._edited(key)

        def document_changed(key: str) -> Callable[[int, int, int], None]:
            def changed(_position: int, removed: int, added: int) -> None:
                if removed or added:
                    self._edited(key)

            return changed

        for key, editor in self.sections.items():
            editor.document().contentsChange.connect(document_changed(key))
        self.role.textChanged.connect(emit("role"))
        self.location.textChanged.connect(emit("location"))
        for key in ("stage", "format", "outcome"):
            box: QComboBox = getattr(self, key)
            box.currentIndexChanged.connect(emit(key))
        self.self_rating.valueChanged.connect(emit("self_rating"))
        self.want_to_work_here.valueChanged.connect(emit("want_to_work_here"))
        self.date.value_changed.connect(emit(SCHEDULE_KEY))
        self.start.value_changed.connect(emit(SCHEDULE_KEY))
        self.duration.valueChanged.connect(emit(SCHEDULE_KEY))
        self.company.editTextChanged.connect(self._on_company_edit_text_changed)

        q, a = self.questions, self.action_items
        q.edited.connect(self._on_question_edited)
        q.add_requested.connect(self.question_add_requested)
        q.delete_requested.connect(self.question_delete_requested)
        q.move_requested.connect(self.question_move_requested)
        q.undo_requested.connect(self.question_undo_requested)
        a.edited.connect(self._on_action_item_edited)
        a.add_requested.connect(self.action_item_add_requested)
        a.delete_requested.connect(self.action_item_delete_requested)
        a.move_requested.connect(self.action_item_move_requested)
        a.undo_requested.connect(self.action_item_undo_requested)
        self.topics.topics_changed.connect(self.topics_changed)
        self.interviewers.add_requested.connect(self.interviewer_add_requested)
        self.interviewers.remove_requested.connect(self.interviewer_remove_requested)
        self.interviewers.reordered.connect(self.interviewers_reordered)

    # ----------------------------------------------------------------- edits

    def _edited(self, key: str) -> None:
        if self._loading:
            return
        self.field_edited.emit(key)
        self._word_timer.start()

    @Slot(int, str)
    def _on_question_edited(self, row_id: int, field: str) -> None:
        if not self._loading:
            self.question_edited.emit(row_id, field)
            self._word_timer.start()

    @Slot(int, str)
    def _on_action_item_edited(self, row_id: int, field: str) -> None:
        if not self._loading:
            self.action_item_edited.emit(row_id, field)

    @Slot(str)
    def _on_company_edit_text_changed(self, text: str) -> None:
        if self._loading:
            return
        self.field_edited.emit(COMPANY_KEY)
        self.company_text_changed.emit(text)

    def readable_width(self) -> int:
        """The narrowest the page can be without scrolling sideways."""
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        return self._content.minimumSizeHint().width() + bar + 2 * self._scroll.frameWidth()

    def tab_stops(self) -> list[QWidget]:
        """The page's Tab stops in reading order: the countdown's buttons, then every field
        from the company down to the notes, including cards added since the page opened."""
        chain = focus_chain(self._timer_panel) if self._timer_panel is not None else []
        return chain + focus_chain(self._content)

    @Slot(str)
    def _on_schedule_text_changed(self, _text: str) -> None:
        """Say what a date or time that reads as nothing should look like (it is not saved)."""
        problem = self.date.problem() or self.start.problem()
        self.schedule_hint.setText(problem)
        self.schedule_hint.setVisible(bool(problem))

    @Slot()
    def _on_company_hint_link_clicked(self) -> None:
        if self._hint_company is not None:
            self.show_company_requested.emit(self._hint_company)

    # ----------------------------------------------------------------- loading

    @property
    def loading(self) -> bool:
        """True while an interview is being put on screen (no edit counts then)."""
        return self._loading

    @property
    def interview_id(self) -> int | None:
        """The interview shown, if any."""
        return self._doc.id if self._doc else None

    def load(self, doc: InterviewDoc | None, zone: tzinfo | None = None) -> None:
        """Show an interview (or the empty page for None) without emitting any edit.

        ``zone`` is the user's local time zone, in which the start time is shown.
        """
        self._loading = True
        try:
            self._doc = doc
            if doc is None:
                self._stack.setCurrentIndex(0)
                return
            self._stack.setCurrentIndex(1)
            self._zone = zone
            self._fill(doc, zone)
        finally:
            self._loading = False
        self._update_word_count()
        self._reveal_follow.stop()
        self._reveal_target = None
        self._scroll.verticalScrollBar().setValue(0)

    def _fill(self, doc: InterviewDoc, zone: tzinfo | None) -> None:
        self.company.setEditText(doc.company_name)
        self._set_hint(None)
        self.role.setText(doc.role)
        self._set_choice(self.stage, doc.stage)
        self._set_choice(self.format, doc.format)
        self._set_choice(self.outcome, doc.outcome)
        self.self_rating.setValue(doc.self_rating or 0)
        self.want_to_work_here.setValue(doc.want_to_work_here or 0)
        if doc.starts_at is not None:
            local = doc.starts_at.astimezone(zone)
            self.set_schedule(local.date(), local.time(), doc.duration_minutes)
        else:
            self.set_schedule(doc.date, None, doc.duration_minutes)
        self.location.setText(doc.location)
        for key in TEXT_SECTIONS:
            editor = self.sections[key]
            editor.setPlainText(getattr(doc, key))
            editor.document().setModified(False)
            editor.document().clearUndoRedoStacks()
        self.topics.set_topics(doc.topics)
        self.questions.set_rows(doc.questions)
        self.action_items.set_rows(doc.action_items)
        self.set_title(doc)
        self.set_reflection_state(doc)

    def set_schedule(self, on: date | None, start: time | None, duration: int) -> None:
        """Show a local date, local start time and duration (no edit is emitted)."""
        was_loading, self._loading = self._loading, True
        try:
            self.date.set_value(on)
            self.start.set_value(start)
            self.duration.setValue(duration)
        finally:
            self._loading = was_loading

    def set_title(self, doc: InterviewDoc) -> None:
        """The heading above the form: "Company · Role"."""
        parts = [doc.company_name, doc.role] if doc.role else [doc.company_name]
        self.title_label.set_full_text(" · ".join(parts))

    def set_company_name(self, name: str) -> None:
        """Show the company's name (renamed elsewhere) without emitting an edit."""
        was_loading, self._loading = self._loading, True
        try:
            self.company.setEditText(name)
        finally:
            self._loading = was_loading

    def set_people(self, people: tuple[PersonRow, ...], known: list[PersonRow]) -> None:
        """Show the interviewers, with the company's people for completion."""
        self.interviewers.set_people(people, known)

    def set_company_names(self, names: list[str]) -> None:
        """Known company names, for completion."""
        text = self.company.currentText()
        was_loading, self._loading = self._loading, True
        try:
            self._company_names.setStringList(names)
            self.company.setEditText(text)
        finally:
            self._loading = was_loading

    def set_company_hint(self, suggestion: CompanySuggestion | None) -> None:
        """Say "you have N earlier interviews here" for a known company, or nothing."""
        self._set_hint(suggestion)

    def _set_hint(self, suggestion: CompanySuggestion | None) -> None:
        self._hint_company = suggestion.company_id if suggestion else None
        self.company_hint.setText(suggestion.summary if suggestion else "")
        self.company_hint.setVisible(suggestion is not None)
        self.company_hint_link.setVisible(
            suggestion is not None and suggestion.interview_count > 0
        )

    def set_timer_panel(self, panel: QWidget) -> None:
        """Show the reflection countdown in the editor's header."""
        self._timer_slot.addWidget(panel)
        self._timer_panel = panel

    def focus_action_items(self) -> None:
        """Bring the action items into view (the five-minute nudge)."""
        if self._doc is None:
            return
        self._scroll.ensureWidgetVisible(self.action_items)
        cards = self.action_items.cards()
        if cards:
            cards[-1].focus_first()
        else:
            self.action_items.add_button.setFocus()

    @contextmanager
    def holding_still(self, anchor: QWidget) -> Iterator[None]:
        """Keep ``anchor`` where it is on screen while the page grows above it.

        Adding a question pushes "Add question" down by a card; scrolling by as much keeps
        the button (and the mouse pointer on it) in place, with the new card just above.
        """
        holder = self._scroll.widget()
        bar = self._scroll.verticalScrollBar()
        if holder is None:
            yield
            return
        before = anchor.mapTo(holder, QPoint(0, 0)).y() - bar.value()
        yield
        for _ in range(3):  # the card's layout, then the form's, then the scroll area's
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        bar.setValue(anchor.mapTo(holder, QPoint(0, 0)).y() - before)

    def focus_page(self) -> None:
        """Put the cursor back where it was on the page (the company field the first time)."""
        if self._doc is None:
            self.empty_new_button.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        inside = self.focusWidget()
        target = inside if inside is not None and self.isAncestorOf(inside) else self.company
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_top(self) -> None:
        """The page from its top, with the cursor in the first section (topics covered)."""
        if self._doc is not None:
            self._scroll.verticalScrollBar().setValue(0)
            self.topics.input.setFocus(Qt.FocusReason.OtherFocusReason)

    def reveal(self, section: str, terms: Sequence[str]) -> bool:
        """Scroll to ``section`` (a search index column) and select the first of ``terms``.

        Matching ignores case and lets any run of white space stand for a space (snippets
        fold line breaks). Text sections, questions, action items, the role and the company
        get the match selected; topics and interviewers get the matching chip made current.
        The focus goes to that widget. Selecting changes no text, so it is not an edit.
        Returns False when no term was found there (the section is still shown).
        """
        if self._doc is None:
            return False
        pattern = _terms_pattern(terms)
        if section in self.sections:
            return self._reveal_in_text(self.sections[section], pattern)
        if section == "questions":
            cards = self.questions.cards()
            for card in cards:
                assert isinstance(card, QuestionCard)
                for field, _label in QUESTION_PARTS:
                    if _find(card.editors[field].toPlainText(), pattern) is not None:
                        return self._reveal_in_text(card.editors[field], pattern)
            return self._reveal_widget(
                cards[0] if cards else self.questions.add_button, self.questions
            )
        if section == "action_items":
            cards = self.action_items.cards()
            for card in cards:
                assert isinstance(card, ActionItemCard)
                if _find(card.text.text(), pattern) is not None:
                    return self._reveal_in_line(card.text, pattern, self.action_items)
            return self._reveal_widget(
                cards[0] if cards else self.action_items.add_button, self.action_items
            )
        if section == "role":
            return self._reveal_in_line(self.role, pattern, self.role)
        if section == "company":
            line = self.company.lineEdit()
            if line is None:
                return self._reveal_widget(self.company, self.company)
            return self._reveal_in_line(line, pattern, self.company)
        if section == "topics":
            return self._reveal_in_list(self.topics.list, pattern, self.topics)
        if section == "people":
            return self._reveal_in_list(self.interviewers.list, pattern, self.interviewers)
        return False

    def _scroll_to(
        self, widget: QWidget, point: Callable[[], QPoint | None] = lambda: None
    ) -> None:
        """Bring ``widget`` (and ``point()`` inside it) into view, now and while it settles."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self._reveal_target = (widget, point)
        self._reveal_follow.start()
        self._aim(widget, point())

    def _aim(self, widget: QWidget, point: QPoint | None) -> None:
        """Scroll so the section's heading is at the top, or, if the match would then be
        below the fold, so the match is a third of the way down."""
        holder = self._scroll.widget()
        if holder is None:
            return
        bar = self._scroll.verticalScrollBar()
        height = self._scroll.viewport().height()
        value = widget.mapTo(holder, QPoint(0, 0)).y() - REVEAL_HEADING_SPACE
        if point is not None:
            y = widget.mapTo(holder, point).y()
            if y > value + height - REVEAL_MARGIN:
                value = y - height // 3
        bar.setValue(max(bar.minimum(), min(value, bar.maximum())))

    @Slot(int, int)
    def _on_scroll_range_changed(self, _minimum: int, _maximum: int) -> None:
        if self._reveal_target is not None and self._reveal_follow.isActive():
            widget, point = self._reveal_target
            self._aim(widget, point())

    def _reveal_in_text(self, editor: GrowingTextEdit, pattern: re.Pattern[str] | None) -> bool:
        found = _find(editor.toPlainText(), pattern)
        cursor = editor.textCursor()
        if found is not None:
            cursor.setPosition(found[0])
            cursor.setPosition(found[1], QTextCursor.MoveMode.KeepAnchor)
            editor.setTextCursor(cursor)
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

        def at_cursor() -> QPoint:
            return editor.viewport().mapTo(editor, editor.cursorRect().center())

        self._scroll_to(editor, at_cursor)
        return found is not None

    def _reveal_in_line(
        self, line: QLineEdit, pattern: re.Pattern[str] | None, shown: QWidget
    ) -> bool:
        found = _find(line.text(), pattern)
        line.setFocus(Qt.FocusReason.OtherFocusReason)
        if found is not None:  # after the focus, which may select everything
            line.setSelection(found[0], found[1] - found[0])
        self._scroll_to(shown)
        return found is not None

    def _reveal_in_list(
        self, chips: QListWidget, pattern: re.Pattern[str] | None, shown: QWidget
    ) -> bool:
        texts = [chips.item(row).text() for row in range(chips.count())]
        row = next((r for r, text in enumerate(texts) if _find(text, pattern) is not None), -1)
        if row >= 0:
            chips.setCurrentRow(row)
        chips.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll_to(shown)
        return row >= 0

    def _reveal_widget(self, focus: QWidget, shown: QWidget) -> bool:
        focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll_to(shown)
        return False

    def stop(self) -> None:
        """Stop the word count and the reveal's follow-up (the window is closing)."""
        self._word_timer.stop()
        self._reveal_follow.stop()
        self._reveal_target = None

    def set_finish_action(self, action: QAction, undo: QAction | None = None) -> None:
        """Show the window's "Mark reflection complete" (and "Mark as not reflected")
        actions in the top bar."""
        self.finish_button.setDefaultAction(action)
        if undo is not None:
            self.unreflect_button.setDefaultAction(undo)

    def set_reflection_state(self, doc: InterviewDoc) -> None:
        """"Reflected on 27 Nov" with "Mark as not reflected", or "Mark reflection complete"."""
        reflected = doc.reflected_at is not None
        if doc.reflected_at is not None:
            day = doc.reflected_at.astimezone(self._zone).date()
            self.reflected_label.setText(
                self.tr("Reflected on %1").replace("%1", format_date(day))
            )
        self.reflected_label.setVisible(reflected)
        self.unreflect_button.setVisible(reflected)
        self.finish_button.setVisible(not reflected)

    def set_save_state(self, text: str, tooltip: str = "") -> None:
        """Show saved / saving / not saved."""
        self.save_state_label.setText(text)
        self.save_state_label.setToolTip(tooltip)

    @staticmethod
    def _set_choice(box: QComboBox, key: str) -> None:
        index = box.findData(key)
        box.setCurrentIndex(max(index, 0))

    # ----------------------------------------------------------------- values

    def header_value(self, key: str) -> object:
        """The value of a header field as the Journal stores it."""
        if key in ("role", "location"):
            widget: QLineEdit = getattr(self, key)
            return widget.text()
        if key in ("stage", "format", "outcome"):
            box: QComboBox = getattr(self, key)
            return box.currentData() or ""
        if key in ("self_rating", "want_to_work_here"):
            spin: QSpinBox = getattr(self, key)
            return spin.value() or None
        if key in self.sections:
            return self.sections[key].toPlainText()
        raise KeyError(key)

    def company_text(self) -> str:
        """What the company box says."""
        return self.company.currentText()

    def schedule_value(self) -> tuple[date | None, time | None, int]:
        """The local date, local start time and duration shown."""
        on = self.date.value()
        start = self.start.value() if on is not None else None  # a time needs its day
        return on, start, self.duration.value()

    def word_count(self) -> int:
        """Words written in the sections, questions and action items."""
        texts = [editor.toPlainText() for editor in self.sections.values()]
        for card in self.questions.cards():
            texts.extend(str(card.value(f)) for f, _label in QUESTION_PARTS)
        for card in self.action_items.cards():
            texts.append(str(card.value("text")))
        return sum(len(text.split()) for text in texts)

    @Slot()
    def _update_word_count(self) -> None:
        count = self.word_count()
        text = self.tr("1 word") if count == 1 else self.tr("%1 words").replace("%1", str(count))
        self.word_count_label.setText(text)


def _terms_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for any of ``terms``; white space matches any run of it."""
    parts = [
        r"\s+".join(re.escape(word) for word in term.split())
        for term in sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    ]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _find(text: str, pattern: re.Pattern[str] | None) -> tuple[int, int] | None:
    """The first match of ``pattern`` in ``text`` as Qt positions (UTF-16 code units)."""
    if pattern is None:
        return None
    match = pattern.search(text)
    if match is None:
        return None

    def qt_position(index: int) -> int:
        return len(text[:index].encode("utf-16-le")) // 2

    return qt_position(match.start()), qt_position(match.end())


__all__ = ["COMPANY_KEY", "HEADER_FIELDS", "SCHEDULE_KEY", "ReflectionEditor"]
