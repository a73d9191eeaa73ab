"""Autosave and the editor's intents: the bridge between ``ReflectionEditor`` and the Journal.

The promise (docs/architecture.md): an edit is committed at most ~1 s after typing pauses and
at most ~5 s into continuous typing, and on interview switch, focus loss, close, quit and
SIGTERM, whatever made the edit. "Saved" shows only after the commit returned. A failed save
keeps the text, says what happened and retries. The GUI connection waits at most ~50 ms for
a lock (its busy timeout); a busy database keeps the edit pending and retries shortly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar, cast

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from interview_journal.core.changes import Changes, Kind, Op
from interview_journal.core.errors import DatabaseBusy, JournalError, NotFound, StorageError
from interview_journal.core.journal import (
    TEXT_SECTIONS,
    ActionItemRow,
    Edits,
    InterviewDoc,
    Journal,
    QuestionRow,
    normalize_name,
)
from interview_journal.ui.editor import COMPANY_KEY, HEADER_FIELDS, SCHEDULE_KEY, ReflectionEditor
from interview_journal.ui.sections import CardList

log = logging.getLogger(__name__)

# The header fields and text sections: what the controller's own copy of the interview keeps
# current as the user edits them. A change elsewhere to one of them reloads the page
# (apply_changes); questions, action items, topics and interviewers are EDITED changes.
_PAGE_FIELDS = (*HEADER_FIELDS, "date", "starts_at", "duration_minutes", *TEXT_SECTIONS)


def _with_edits(doc: InterviewDoc, edits: Edits) -> InterviewDoc:
    """``doc`` as it is after saving ``edits`` that changed only text (nothing read back)."""
    text: dict[str, Any] = {k: v for k, v in edits.fields.items() if k in TEXT_SECTIONS}
    questions = tuple(
        replace(q, **cast(dict[str, Any], edits.questions[q.id])) if q.id in edits.questions
        else q
        for q in doc.questions
    )
    items = []
    for item in doc.action_items:
        text_now, done_now = edits.action_items.get(item.id, (None, None))
        items.append(replace(
            item,
            text=item.text if text_now is None else text_now,
            done=item.done if done_now is None else done_now,
        ))
    return replace(doc, **text, questions=questions, action_items=tuple(items))


def _fields(doc: InterviewDoc) -> tuple[object, ...]:
    """The page's fields of ``doc``, for comparing two reads."""
    return tuple(getattr(doc, name) for name in _PAGE_FIELDS)


T = TypeVar("T")

DEBOUNCE_MS = 1000
MAX_WAIT_MS = 5000
BUSY_RETRY_MS = 250
FAILED_RETRY_MS = 5000
HINT_DELAY_MS = 250


class EditorController(QObject):
    """Loads interviews into the editor and saves what the user changes."""

    state_changed = Signal(str, str)  # "saved" | "saving" | "unsaved" | "failed", message
    saved = Signal(int, int)  # interview id, editor generation; after the commit returned
    interview_moved = Signal(int, int, int)  # interview id, old company id, new company id
    error = Signal(str)  # a change the user asked for could not be made
    shown = Signal(object)  # the InterviewDoc now in the editor (None: the empty page)

    def __init__(
        self,
        journal: Journal,
        editor: ReflectionEditor,
        parent: QObject | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        max_wait_ms: int = MAX_WAIT_MS,
    ) -> None:
        """``debounce_ms``: an edit is saved this long after the last one; ``max_wait_ms``:
        and at the latest this long after the first unsaved one, however long typing goes
        on. The defaults are the promise of docs/architecture.md; tests pass tiny ones.
        """
        if debounce_ms < 0 or max_wait_ms < 0:
            raise ValueError(f"autosave intervals must not be negative: {debounce_ms}, "
                             f"{max_wait_ms}")
        super().__init__(parent)
        self._journal = journal
        self._editor = editor
        self._doc: InterviewDoc | None = None
        self._generation = 0
        self._dirty: set[str] = set()
        self._dirty_questions: dict[int, set[str]] = {}
        self._dirty_items: dict[int, set[str]] = {}
        self._undo_question: QuestionRow | None = None
        self._undo_item: ActionItemRow | None = None
        self.state = "saved"
        self.message = ""
        self._stopped = False  # stop(): the journal is closing, nothing may reach it
        # A change elsewhere to the page's content came while edits were pending: the page is
        # read again once they are saved (apply_changes).
        self._reload_when_saved = False

        self._debounce = self._timer(debounce_ms, self._on_timer_flush)
        self._debounce.setObjectName("autosaveDebounceTimer")
        self._max_wait = self._timer(max_wait_ms, self._on_timer_flush)
        self._max_wait.setObjectName("autosaveMaxWaitTimer")
        self._retry = self._timer(BUSY_RETRY_MS, self._on_timer_flush)
        self._hint = self._timer(HINT_DELAY_MS, self._update_company_hint)
        self._connect()

    def _timer(self, interval: int, slot: Callable[[], object]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    def _connect(self) -> None:
        e = self._editor
        e.field_edited.connect(self._on_editor_field_edited)
        e.question_edited.connect(self._on_editor_question_edited)
        e.action_item_edited.connect(self._on_editor_action_item_edited)
        e.question_add_requested.connect(self._on_editor_question_add_requested)
        e.question_delete_requested.connect(self._on_editor_question_delete_requested)
        e.question_move_requested.connect(self._on_editor_question_move_requested)
        e.question_undo_requested.connect(self._on_editor_question_undo_requested)
        e.action_item_add_requested.connect(self._on_editor_action_item_add_requested)
        e.action_item_delete_requested.connect(self._on_editor_action_item_delete_requested)
        e.action_item_move_requested.connect(self._on_editor_action_item_move_requested)
        e.action_item_undo_requested.connect(self._on_editor_action_item_undo_requested)
        e.topics_changed.connect(self._on_editor_topics_changed)
        e.interviewer_add_requested.connect(self._on_editor_interviewer_add_requested)
        e.interviewer_remove_requested.connect(self._on_editor_interviewer_remove_requested)
        e.interviewers_reordered.connect(self._on_editor_interviewers_reordered)
        e.company_text_changed.connect(lambda _text: self._hint.start())
        line = e.company.lineEdit()
        if line is not None:
            line.editingFinished.connect(self.flush)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    # ----------------------------------------------------------------- state

    @property
    def interview_id(self) -> int | None:
        """The interview in the editor."""
        return self._doc.id if self._doc else None

    @property
    def debounce_ms(self) -> int:
        """How long after the last edit it is saved."""
        return self._debounce.interval()

    @property
    def max_wait_ms(self) -> int:
        """How long after the first unsaved edit it is saved at the latest."""
        return self._max_wait.interval()

    @property
    def generation(self) -> int:
        """Counts loads; a save reports the generation it belonged to."""
        return self._generation

    def has_pending(self) -> bool:
        """True while an edit has not been committed."""
        return bool(self._dirty or self._dirty_questions or self._dirty_items)

    def _set_state(self, state: str, message: str = "") -> None:
        self.state, self.message = state, message
        labels = {
            "saved": self.tr("Saved"),
            "saving": self.tr("Saving…"),
            "unsaved": self.tr("Not saved yet"),
            "failed": self.tr("Not saved"),
        }
        self._editor.set_save_state(labels[state], message)
        self.state_changed.emit(state, message)

    # ----------------------------------------------------------------- loading

    def open_interview(self, interview_id: int | None) -> bool:
        """Save what is pending, then show ``interview_id``; False if the save failed.

        On False the current interview stays on screen, so nothing typed is lost.
        """
        if not self.flush():
            return False
        if interview_id is None:
            self._show(None)
            return True
        try:
            doc = self._journal.interview(interview_id)
        except JournalError as error:
            self.error.emit(str(error))
            self._show(None)
            return False
        self._show(doc)
        return True

    def reload(self) -> None:
        """Show the current interview again from the journal (after a change elsewhere)."""
        if self._doc is not None and not self.has_pending():
            self.open_interview(self._doc.id)

    @Slot(object)
    def apply_changes(self, changes: Changes) -> None:
        """Follow a write made elsewhere (``JournalEvents.changed``) to the interview shown.

        The editor's own saves are skipped: what they wrote is on screen already, and
        reloading would lose the cursor and the undo history. A change elsewhere to what the
        page holds (an import, a merge that relinked its interviewers) reloads the page; while
        edits are pending it waits until they are saved, and never overwrites them. Any other
        change (its reflection marked by the timer, its company renamed, a reminder snoozed)
        updates the title, the company box and the reflection state only. Moved to the
        trash: the empty page.
        """
        doc = self._doc
        if doc is None or self._stopped or changes.by(self):
            return
        if changes.replaced:  # another journal (a restore): this interview as it holds it
            self._dirty.clear()
            self._dirty_questions.clear()
            self._dirty_items.clear()
            try:
                self._show(self._journal.interview(doc.id))
            except NotFound:
                self._show(None)
            return
        ops = changes.ops(Kind.INTERVIEW, doc.id) - {Op.REINDEXED}
        company_ops = changes.ops(Kind.COMPANY, doc.company_id)
        if not ops and not company_ops:
            return
        try:
            fresh = self._journal.interview(doc.id)
        except NotFound:
            fresh = None
        if fresh is None or fresh.trashed:  # it, or its company, went to the trash
            self.open_interview(None)
            return
        if ops & {Op.EDITED, Op.RESTORED} or _fields(fresh) != _fields(doc):
            if not self.has_pending():
                self._show(fresh)
                return
            self._reload_when_saved = True  # after the pending edits are saved
        self._show_around_the_page(doc, fresh)

    def _show_around_the_page(self, doc: InterviewDoc, fresh: InterviewDoc) -> None:
        """Show what changed outside the page's fields: title, company, reflection state."""
        self._doc = replace(fresh, **{name: getattr(doc, name) for name in _PAGE_FIELDS})
        if fresh.company_name != doc.company_name and COMPANY_KEY not in self._dirty:
            self._editor.set_company_name(fresh.company_name)
        if fresh.company_id != doc.company_id:
            self._refresh_people()  # completion offers the new company's people
        self._editor.set_title(self._doc)
        self._editor.set_reflection_state(self._doc)
        self.shown.emit(self._doc)

    def _show(self, doc: InterviewDoc | None) -> None:
        self._reload_when_saved = False
        self._generation += 1
        self._doc = doc
        self._undo_question = self._undo_item = None
        self._editor.load(doc, self._journal.clock.local_zone())
        if doc is not None:
            # The company and topic completion lists are read when their box gets focus
            # (_fill_completion): reading them on every open cost more than the open itself.
            self._editor.set_people(doc.interviewers, self._journal.people(doc.company_id))
        self._set_state("saved")
        self.shown.emit(doc)

    def _refresh_people(self) -> None:
        if self._doc is None:
            return
        doc = self._doc
        self._editor.set_people(
            tuple(self._journal.interviewers(doc.id)), self._journal.people(doc.company_id)
        )

    def _fill_completion(self, widget: QWidget) -> None:
        """Read the completion list of the box that just got focus, so it is current."""
        company = self._editor.company
        if widget is company or company.isAncestorOf(widget):
            self._editor.set_company_names([c.name for c in self._journal.companies()])
        elif widget is self._editor.topics.input:
            self._editor.topics.set_known_topics(self._journal.topic_names())

    # ----------------------------------------------------------------- edits

    def _mark_dirty(self) -> None:
        if self._doc is None or self._editor.loading:
            return
        self._debounce.start()
        if not self._max_wait.isActive():
            self._max_wait.start()
        if self.state != "failed":
            self._set_state("unsaved")

    @Slot(str)
    def _on_editor_field_edited(self, key: str) -> None:
        self._dirty.add(key)
        self._mark_dirty()

    @Slot(int, str)
    def _on_editor_question_edited(self, row_id: int, field: str) -> None:
        self._dirty_questions.setdefault(row_id, set()).add(field)
        self._mark_dirty()

    @Slot(int, str)
    def _on_editor_action_item_edited(self, row_id: int, field: str) -> None:
        self._dirty_items.setdefault(row_id, set()).add(field)
        self._mark_dirty()

    @Slot("QWidget*", "QWidget*")
    def _on_app_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self._doc is not None:
            self._fill_completion(new)
        if not self.has_pending() or old is None:
            return
        inside_old = old is self._editor or self._editor.isAncestorOf(old)
        inside_new = new is not None and (new is self._editor or self._editor.isAncestorOf(new))
        if inside_old and not inside_new:
            self.flush()

    @Slot()
    def _on_timer_flush(self) -> None:
        self.flush(final=False)

    def stop(self) -> None:
        """Stop every timer (the window closed): nothing may reach the journal afterwards."""
        self._stopped = True
        for timer in (self._debounce, self._max_wait, self._retry, self._hint):
            timer.stop()
        self._editor.stop()

    @Slot()
    def flush(self, final: bool = True) -> bool:
        """Commit every pending edit in one transaction; True when nothing is left pending.

        A timer's flush (``final=False``) leaves the company alone while its box has focus:
        moving the interview to "Glo" halfway through typing "Globex" would make a company
        nobody wanted. Every other flush (switch, focus loss, close, quit) saves it too.
        """
        self._debounce.stop()
        self._max_wait.stop()
        self._retry.stop()
        if self._stopped:  # a focus change while the window is torn down
            return not self.has_pending()
        if not self.has_pending() or self._doc is None:
            self._dirty.clear()
            self._dirty_questions.clear()
            self._dirty_items.clear()
            return True
        doc = self._doc
        generation = self._generation
        self._set_state("saving")
        defer_company = not final and self._editor.company.hasFocus()
        try:
            moved_from = self._commit(doc, defer_company)
        except DatabaseBusy as error:
            self._set_state("saving", str(error))
            self._retry.start(BUSY_RETRY_MS)
            return False
        except NotFound:
            # The interview went away underneath us (trashed for good elsewhere).
            self._dirty.clear()
            self._dirty_questions.clear()
            self._dirty_items.clear()
            self._show(None)
            return True
        except JournalError as error:
            log.warning("save failed: %s", type(error).__name__)
            self._set_state("failed", str(error))
            if isinstance(error, StorageError):
                self._retry.start(FAILED_RETRY_MS)
            return False
        touched_header = bool(self._dirty - set(TEXT_SECTIONS) - {COMPANY_KEY})
        deferred = defer_company and COMPANY_KEY in self._dirty
        self._dirty = {COMPANY_KEY} if deferred else set()
        self._dirty_questions.clear()
        self._dirty_items.clear()
        self._set_state("unsaved" if deferred else "saved")
        self.saved.emit(doc.id, generation)
        if moved_from is not None and self._doc is not None:
            self.interview_moved.emit(doc.id, moved_from, self._doc.company_id)
            self._refresh_people()
        if touched_header and self._doc is not None:
            self._editor.set_title(self._doc)
        if self._reload_when_saved and not self.has_pending():
            self._reload_when_saved = False
            self.reload()
        return True

    def _commit(self, doc: InterviewDoc, defer_company: bool) -> int | None:
        """Write the pending edits; returns the old company id if the interview moved."""
        edits = self._edits(doc, defer_company)
        with self._journal.transaction(origin=self):  # our own save: not reloaded (apply_changes)
            saved = self._journal.save_edits(doc.id, edits)
        self._doc = saved.doc if saved.doc is not None else _with_edits(doc, edits)
        return saved.moved_from

    def _edits(self, doc: InterviewDoc, defer_company: bool) -> Edits:
        """What the editor holds that is not saved yet, as the Journal takes it."""
        editor = self._editor
        company = None
        if COMPANY_KEY in self._dirty and not defer_company:
            typed = editor.company_text().strip()
            if typed and normalize_name(typed) != normalize_name(doc.company_name):
                company = typed
        questions: dict[int, dict[str, object]] = {}
        for row_id, names in self._dirty_questions.items():
            card = editor.questions.card(row_id)
            if card is not None:
                questions[row_id] = {n: card.value(n) for n in names}
        items: dict[int, tuple[str | None, bool | None]] = {}
        for row_id, names in self._dirty_items.items():
            card = editor.action_items.card(row_id)
            if card is not None:
                text = str(card.value("text")) if "text" in names else None
                done = bool(card.value("done")) if "done" in names else None
                items[row_id] = (text, done)
        return Edits(
            company=company,
            fields={
                key: editor.header_value(key)
                for key in self._dirty
                if key in HEADER_FIELDS or key in TEXT_SECTIONS
            },
            schedule=editor.schedule_value() if SCHEDULE_KEY in self._dirty else None,
            questions=questions,
            action_items=items,
        )

    # ----------------------------------------------------------------- structure

    def _structural(self, change: Callable[[int], T]) -> T | None:
        """Save pending edits, then make one structural change to the current interview."""
        if self._doc is None or not self.flush():
            return None
        try:
            with self._journal.transaction(origin=self):  # the editor shows it already
                result = change(self._doc.id)
        except JournalError as error:
            self.error.emit(str(error))
            return None
        self._set_state("saved")
        return result

    def _insert_card(self, section: CardList[Any], row: QuestionRow | ActionItemRow) -> None:
        """Show a new or restored row, its Add button staying under the pointer."""
        with self._editor.holding_still(section.add_button):
            card = section.insert_row(row)
        card.focus_first()

    @Slot()
    def _on_editor_question_add_requested(self) -> None:
        row = self._structural(lambda i: self._journal.add_question(i))
        if row is not None:
            self._insert_card(self._editor.questions, row)

    @Slot(int)
    def _on_editor_question_delete_requested(self, row_id: int) -> None:
        snapshot = self._structural(lambda _i: self._journal.delete_question(row_id))
        if snapshot is not None:
            self._undo_question = snapshot
            self._editor.questions.remove_row(row_id)
            self._editor.questions.show_undo(self.tr("Question deleted."))

    @Slot()
    def _on_editor_question_undo_requested(self) -> None:
        snapshot = self._undo_question
        if snapshot is None:
            return
        row = self._structural(lambda _i: self._journal.restore_question(snapshot))
        if row is not None:
            self._undo_question = None
            self._editor.questions.hide_undo()
            self._editor.questions.insert_row(row).focus_first()

    @Slot(int, int)
    def _on_editor_question_move_requested(self, row_id: int, index: int) -> None:
        rows = self._structural(lambda _i: self._journal.move_question(row_id, index))
        if rows is not None:
            self._editor.questions.apply_order([r.id for r in rows])
            card = self._editor.questions.card(row_id)
            if card is not None:
                card.focus_first()

    @Slot()
    def _on_editor_action_item_add_requested(self) -> None:
        row = self._structural(lambda i: self._journal.add_action_item(i))
        if row is not None:
            self._insert_card(self._editor.action_items, row)

    @Slot(int)
    def _on_editor_action_item_delete_requested(self, row_id: int) -> None:
        snapshot = self._structural(lambda _i: self._journal.delete_action_item(row_id))
        if snapshot is not None:
            self._undo_item = snapshot
            self._editor.action_items.remove_row(row_id)
            self._editor.action_items.show_undo(self.tr("Action item deleted."))

    @Slot()
    def _on_editor_action_item_undo_requested(self) -> None:
        snapshot = self._undo_item
        if snapshot is None:
            return
        row = self._structural(lambda _i: self._journal.restore_action_item(snapshot))
        if row is not None:
            self._undo_item = None
            self._editor.action_items.hide_undo()
            self._editor.action_items.insert_row(row).focus_first()

    @Slot(int, int)
    def _on_editor_action_item_move_requested(self, row_id: int, index: int) -> None:
        rows = self._structural(lambda _i: self._journal.move_action_item(row_id, index))
        if rows is not None:
            self._editor.action_items.apply_order([r.id for r in rows])

    @Slot(list)
    def _on_editor_topics_changed(self, names: list[str]) -> None:
        topics = self._structural(lambda i: self._journal.set_topics(i, names))
        if topics is not None:
            self._editor.topics.set_topics(topics)
            self._editor.topics.set_known_topics(self._journal.topic_names())
        elif self._doc is not None:
            self._editor.topics.set_topics(self._journal.interview(self._doc.id).topics)

    @Slot(str, str)
    def _on_editor_interviewer_add_requested(self, name: str, title: str) -> None:
        if self._structural(lambda i: self._journal.add_interviewer(i, name, title)):
            self._refresh_people()

    @Slot(int)
    def _on_editor_interviewer_remove_requested(self, person_id: int) -> None:
        self._structural(lambda i: self._journal.remove_interviewer(i, person_id))
        self._refresh_people()

    @Slot(list)
    def _on_editor_interviewers_reordered(self, person_ids: list[int]) -> None:
        self._structural(lambda i: self._journal.reorder_interviewers(i, person_ids))
        self._refresh_people()

    def mark_reflected(self, done: bool = True) -> InterviewDoc | None:
        """Save, then set the reflection of the interview shown complete (or, with ``done``
        False, not complete); returns the updated interview."""
        doc = self._structural(lambda i: self._journal.mark_reflected(i, done))
        if doc is not None:
            self._doc = doc
            self._editor.set_reflection_state(doc)
        return doc

    @Slot()
    def _update_company_hint(self) -> None:
        if self._doc is None:
            return
        text = self._editor.company_text()
        self._editor.set_company_hint(self._journal.company_history(text, excluding=self._doc.id))
