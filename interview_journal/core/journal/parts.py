"""An interview's questions and action items: ordered rows with undo snapshots."""

from __future__ import annotations

from interview_journal.core.changes import Kind, Op
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal.people import _People
from interview_journal.core.journal.rules import _flag, _text
from interview_journal.core.journal.values import MAX_TEXT, ActionItemRow, QuestionRow
from interview_journal.core.models import ActionItem, Question


def _question_fields(**changes: object) -> dict[str, str]:
    labels = {"question": "Question", "answer": "Answer", "next_time": "How I'd answer next time"}
    unknown = set(changes) - set(labels)
    if unknown:
        raise InvalidInput(f"Unknown question field: {', '.join(sorted(unknown))}.")
    return {name: _text(value, labels[name], MAX_TEXT) for name, value in changes.items()}


def _question_row(row: Question) -> QuestionRow:
    return QuestionRow(
        id=row.id,
        uuid=str(row.uuid),
        interview_id=row.interview_id,
        position=row.position,
        question=row.question,
        answer=row.answer,
        next_time=row.next_time,
        practise=bool(row.practise),
    )


def _action_row(row: ActionItem) -> ActionItemRow:
    return ActionItemRow(
        id=row.id,
        uuid=str(row.uuid),
        interview_id=row.interview_id,
        position=row.position,
        text=row.text,
        done=bool(row.done),
    )


class _Parts(_People):
    """Questions and action items."""

    def questions(self, interview_id: int) -> list[QuestionRow]:
        """An interview's questions in order."""
        query = Question.select().where(Question.interview == interview_id)
        return [_question_row(q) for q in query.order_by(Question.position)]

    def add_question(
        self,
        interview_id: int,
        question: str = "",
        answer: str = "",
        next_time: str = "",
        practise: bool = False,
        *,
        index: int | None = None,
    ) -> QuestionRow:
        """Add a question at ``index`` (default: the end)."""
        fields = _question_fields(question=question, answer=answer, next_time=next_time)
        flag = _flag(practise, "Practise this")
        with self._write():
            self._touch(interview_id)
            position = self._open_slot(Question, interview_id, index)
            row = Question.create(
                interview=interview_id, position=position, practise=flag, **fields
            )
            self._changed(Kind.QUESTION, row.id, Op.CREATED)
            return _question_row(row)

    def update_question(self, question_id: int, **changes: object) -> QuestionRow:
        """Change a question's text, answer, "next time" or practise flag."""
        practise = changes.pop("practise", None)
        fields = _question_fields(**changes)
        if practise is not None:
            practise = _flag(practise, "Practise this")
        with self._write():
            row = self._get(Question, question_id, "question")
            for name, value in fields.items():
                setattr(row, name, value)
            if practise is not None:
                row.practise = practise
            row.save()
            self._touch(row.interview_id)
            self._changed(Kind.QUESTION, question_id, Op.UPDATED)
            return _question_row(row)

    def move_question(self, question_id: int, index: int) -> list[QuestionRow]:
        """Move a question to ``index``; returns the new order."""
        with self._write():
            row = self._get(Question, question_id, "question")
            self._reorder(Question, row.interview_id, question_id, index)
            self._touch(row.interview_id)
            self._changed(Kind.QUESTION, question_id, Op.MOVED)
            return self.questions(row.interview_id)

    def delete_question(self, question_id: int) -> QuestionRow:
        """Delete a question; the returned row can be given to ``restore_question``."""
        with self._write():
            row = self._get(Question, question_id, "question")
            snapshot = _question_row(row)
            row.delete_instance()
            self._close_gap(Question, row.interview_id)
            self._touch(row.interview_id)
            self._changed(Kind.QUESTION, question_id, Op.DELETED)
            return snapshot

    def restore_question(self, snapshot: QuestionRow) -> QuestionRow:
        """Undo a deletion: put the question back where it was (once: again, nothing changes)."""
        with self._write():
            existing = Question.get_or_none(Question.uuid == snapshot.uuid)
            if existing is not None:
                return _question_row(existing)
            self._touch(snapshot.interview_id)
            position = self._open_slot(Question, snapshot.interview_id, snapshot.position)
            row = Question.create(
                uuid=snapshot.uuid,
                interview=snapshot.interview_id,
                position=position,
                question=snapshot.question,
                answer=snapshot.answer,
                next_time=snapshot.next_time,
                practise=snapshot.practise,
            )
            self._changed(Kind.QUESTION, row.id, Op.RESTORED)
            return _question_row(row)

    def action_items(self, interview_id: int) -> list[ActionItemRow]:
        """An interview's action items in order."""
        query = ActionItem.select().where(ActionItem.interview == interview_id)
        return [_action_row(a) for a in query.order_by(ActionItem.position)]

    def add_action_item(
        self, interview_id: int, text: str = "", done: bool = False, *, index: int | None = None
    ) -> ActionItemRow:
        """Add an action item at ``index`` (default: the end)."""
        clean = _text(text, "Action item", MAX_TEXT)
        flag = _flag(done, "Done")
        with self._write():
            self._touch(interview_id)
            position = self._open_slot(ActionItem, interview_id, index)
            row = ActionItem.create(
                interview=interview_id,
                position=position,
                text=clean,
                done=flag,
                done_at=self._now() if flag else None,
            )
            self._changed(Kind.ACTION_ITEM, row.id, Op.CREATED)
            return _action_row(row)

    def update_action_item(
        self, item_id: int, *, text: str | None = None, done: bool | None = None
    ) -> ActionItemRow:
        """Change an action item's text or tick it off."""
        clean = None if text is None else _text(text, "Action item", MAX_TEXT)
        flag = None if done is None else _flag(done, "Done")
        with self._write():
            row = self._get(ActionItem, item_id, "action item")
            if clean is not None:
                row.text = clean
            if flag is not None and flag != row.done:
                row.done = flag
                row.done_at = self._now() if flag else None
            row.save()
            self._touch(row.interview_id)
            self._changed(Kind.ACTION_ITEM, item_id, Op.UPDATED)
            return _action_row(row)

    def move_action_item(self, item_id: int, index: int) -> list[ActionItemRow]:
        """Move an action item to ``index``; returns the new order."""
        with self._write():
            row = self._get(ActionItem, item_id, "action item")
            self._reorder(ActionItem, row.interview_id, item_id, index)
            self._touch(row.interview_id)
            self._changed(Kind.ACTION_ITEM, item_id, Op.MOVED)
            return self.action_items(row.interview_id)

    def delete_action_item(self, item_id: int) -> ActionItemRow:
        """Delete an action item; the returned row can be given to ``restore_action_item``."""
        with self._write():
            row = self._get(ActionItem, item_id, "action item")
            snapshot = _action_row(row)
            row.delete_instance()
            self._close_gap(ActionItem, row.interview_id)
            self._touch(row.interview_id)
            self._changed(Kind.ACTION_ITEM, item_id, Op.DELETED)
            return snapshot

    def restore_action_item(self, snapshot: ActionItemRow) -> ActionItemRow:
        """Undo a deletion: put the action item back where it was (once: again, no change)."""
        with self._write():
            existing = ActionItem.get_or_none(ActionItem.uuid == snapshot.uuid)
            if existing is not None:
                return _action_row(existing)
            self._touch(snapshot.interview_id)
            position = self._open_slot(ActionItem, snapshot.interview_id, snapshot.position)
            row = ActionItem.create(
                uuid=snapshot.uuid,
                interview=snapshot.interview_id,
                position=position,
                text=snapshot.text,
                done=snapshot.done,
                done_at=self._now() if snapshot.done else None,
            )
            self._changed(Kind.ACTION_ITEM, row.id, Op.RESTORED)
            return _action_row(row)
