"""Small dialogs. Each is opened through an ``ask(...)`` classmethod that tests replace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core.domain import FIELD, STAGES
from interview_journal.core.journal import DEFAULT_DURATION, MAX_DURATION, MIN_DURATION
from interview_journal.ui.vocabulary import add_choices, tr_domain
from interview_journal.ui.when import DateField, TimeField, format_date
from interview_journal.ui.widgets import plain_label


@dataclass(frozen=True)
class NewInterview:
    """What the user typed into the New interview dialog."""

    company: str
    role: str
    stage: str
    on: date | None
    start: time | None = None
    duration: int = DEFAULT_DURATION


Suggest = Callable[[str], str]
"""Given what is typed as the company, the hint to show ("You have 2 earlier interviews
here…"), or "" for none."""


def _company_box(parent: QWidget, companies: list[str], text: str) -> QComboBox:
    """An editable company box completing against the journal's companies."""
    box = QComboBox(parent)
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    names = QStringListModel(companies, box)
    box.setModel(names)
    completer = QCompleter(names, box)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    box.setCompleter(completer)
    box.setEditText(text)
    box.setMinimumContentsLength(24)
    return box


def _add_rows(form: QFormLayout, parent: QWidget, rows: list[tuple[str, QWidget]]) -> None:
    for label, widget in rows:
        widget.setAccessibleName(label)
        caption = plain_label(label, parent)
        caption.setBuddy(widget)
        form.addRow(caption, widget)


class NewInterviewDialog(QDialog):
    """Asks for the company (with completion and its history), role, stage, date, and
    optionally the start time and duration of a new interview."""

    def __init__(
        self,
        companies: list[str],
        company: str = "",
        today: date | None = None,
        parent: QWidget | None = None,
        suggest: Suggest | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New interview"))
        self.setMinimumWidth(440)  # room for the title in the frame and for long names
        self._suggest = suggest
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.company = _company_box(self, companies, company)
        self.hint = plain_label("", self, wrap=True)
        self.hint.setObjectName("companyHint")
        self.hint.hide()
        self.role = QLineEdit(self)
        self.stage = QComboBox(self)
        self.stage.addItem(self.tr("Not set"), "")
        add_choices(self.stage, STAGES)
        self.date = DateField(self)
        self.date.set_value(today or date.today())
        self.start = TimeField(self)
        self.duration = QSpinBox(self)
        self.duration.setRange(MIN_DURATION, MAX_DURATION)
        self.duration.setValue(DEFAULT_DURATION)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(self.tr(" min"))
        _add_rows(form, self, [(tr_domain(FIELD["company"].label), self.company)])
        form.addRow("", self.hint)
        _add_rows(
            form,
            self,
            [
                (tr_domain(FIELD["role"].label), self.role),
                (tr_domain(FIELD["stage"].label), self.stage),
                (tr_domain(FIELD["date"].label), self.date),
                (self.tr("Start (optional)"), self.start),
                (tr_domain(FIELD["duration_minutes"].label), self.duration),
            ],
        )
        self.error = plain_label("", self, wrap=True)
        self.error.setObjectName("dialogError")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.company.editTextChanged.connect(self._on_company_edit_text_changed)
        for line in (self.role, self.date.line, self.start):
            line.textChanged.connect(self._clear_error)
        self._on_company_edit_text_changed(company)
        (self.role if company else self.company).setFocus()

    @Slot(str)
    def _on_company_edit_text_changed(self, text: str) -> None:
        self._clear_error()
        hint = self._suggest(text) if self._suggest is not None and text.strip() else ""
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))

    @Slot()
    def _clear_error(self) -> None:
        if not self.error.isHidden():
            self.error.hide()
            self.error.setText("")

    def _complain(self, text: str, widget: QWidget) -> None:
        self.error.setText(text)
        self.error.show()
        widget.setFocus()

    def _on_buttons_accepted(self) -> None:
        if not self.company.currentText().strip():
            self._complain(self.tr("Type the company's name."), self.company)
            return
        if not self.date.is_valid():
            self._complain(
                self.tr("That date could not be read. Type it like %1, or leave it empty.")
                .replace("%1", format_date(date(2026, 3, 4))),
                self.date,
            )
            return
        if not self.start.is_valid():
            self._complain(
                self.tr("That start time could not be read. Type it like 14:00, 1400 or 2pm, "
                        "or leave it empty."),
                self.start,
            )
            return
        self.accept()

    def value(self) -> NewInterview:
        """What was entered."""
        on = self.date.value()
        return NewInterview(
            company=self.company.currentText().strip(),
            role=self.role.text().strip(),
            stage=str(self.stage.currentData() or ""),
            on=on,
            start=self.start.value() if on is not None else None,
            duration=self.duration.value(),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        companies: list[str],
        company: str = "",
        today: date | None = None,
        suggest: Suggest | None = None,
    ) -> NewInterview | None:
        """Show the dialog; the entered values, or None if cancelled."""
        dialog = cls(companies, company, today, parent, suggest)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True)
class Recent:
    """An interview that just ended (or is in progress), offered by "I just finished"."""

    interview_id: int
    label: str  # "Acme · Backend engineer · ended 10:30"


@dataclass(frozen=True)
class JustFinished:
    """Which interview "I just finished" is about: a listed one, or a company and role."""

    interview_id: int | None = None
    company: str = ""
    role: str = ""


class JustFinishedDialog(QDialog):
    """"Which interview did you just finish?": the ones that just ended, or another one.

    Enter takes the first offer at once; otherwise the company (with completion against the
    journal) and the role say which, and the reflection starts on that interview.
    """

    def __init__(
        self,
        recent: list[Recent],
        companies: list[str],
        parent: QWidget | None = None,
        suggest: Suggest | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("I just finished an interview"))
        self.setMinimumWidth(460)
        self._suggest = suggest
        layout = QVBoxLayout(self)
        self._choices = QButtonGroup(self)
        self._recent = recent
        if recent:
            layout.addWidget(plain_label(self.tr("Which interview was it?"), self))
        for index, item in enumerate(recent):
            choice = QRadioButton(item.label, self)
            choice.setAccessibleName(item.label)
            self._choices.addButton(choice, index)
            layout.addWidget(choice)
        self.other = QRadioButton(self.tr("Another interview:"), self)
        self.other.setAccessibleName(self.tr("Another interview"))
        self._choices.addButton(self.other, len(recent))
        if recent:
            layout.addWidget(self.other)
        else:
            layout.addWidget(plain_label(self.tr("Who was the interview with?"), self))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.company = _company_box(self, companies, "")
        self.role = QLineEdit(self)
        self.hint = plain_label("", self, wrap=True)
        self.hint.setObjectName("companyHint")
        self.hint.hide()
        _add_rows(form, self, [(tr_domain(FIELD["company"].label), self.company)])
        form.addRow("", self.hint)
        _add_rows(form, self, [(tr_domain(FIELD["role"].label), self.role)])
        layout.addLayout(form)
        self.error = plain_label("", self, wrap=True)
        self.error.setObjectName("dialogError")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start reflecting"))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self._choices.button(0) if recent else self.other).setChecked(True)
        self.company.editTextChanged.connect(self._on_company_edit_text_changed)
        self.role.textChanged.connect(lambda _text: self._pick_other())
        self._choices.idToggled.connect(lambda _id, _on: self._sync())
        self._sync()
        if recent:
            checked = self._choices.checkedButton()
            if checked is not None:
                checked.setFocus()
        else:
            self.company.setFocus()

    def _pick_other(self) -> None:
        self.error.hide()
        if not self.other.isChecked():
            self.other.setChecked(True)

    def _sync(self) -> None:
        """The company and role apply to "another interview" only; they stay typeable."""
        self.hint.setVisible(bool(self.hint.text()) and self.other.isChecked())

    @Slot(str)
    def _on_company_edit_text_changed(self, text: str) -> None:
        if text.strip():
            self._pick_other()
        hint = self._suggest(text) if self._suggest is not None and text.strip() else ""
        self.hint.setText(hint)
        self._sync()

    def _on_buttons_accepted(self) -> None:
        if self.other.isChecked() and not self.company.currentText().strip():
            self.error.setText(self.tr("Type the company's name, or pick an interview above."))
            self.error.show()
            self.company.setFocus()
            return
        self.accept()

    def value(self) -> JustFinished:
        """The choice made."""
        chosen = self._choices.checkedId()
        if 0 <= chosen < len(self._recent):
            return JustFinished(interview_id=self._recent[chosen].interview_id)
        return JustFinished(
            company=self.company.currentText().strip(), role=self.role.text().strip()
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        recent: list[Recent],
        companies: list[str],
        suggest: Suggest | None = None,
    ) -> JustFinished | None:
        """Show the dialog; the choice, or None if cancelled."""
        dialog = cls(recent, companies, parent, suggest)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard shortcuts: every key the window answers to, in a table."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setMinimumSize(520, 420)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, (keys, meaning) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(meaning))
        self.table.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget, rows: list[tuple[str, str]]) -> None:
        """Show the table until it is closed."""
        cls(rows, parent).exec()


class RenameDialog(QDialog):
    """Asks for a new name, showing the current one."""

    def __init__(self, title: str, label: str, current: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(current, self)
        self.name.setAccessibleName(label)
        self.name.selectAll()
        caption = plain_label(label, self)
        caption.setBuddy(self.name)
        form.addRow(caption, self.name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget, title: str, label: str, current: str) -> str | None:
        """Show the dialog; the new name, or None if cancelled."""
        dialog = cls(title, label, current, parent)
        return dialog.name.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


class MergeQuestion:
    """Asks whether to merge one company into another (renaming it to the other's name)."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> bool:
        """Show the question in plain text; True only if the user picks Merge (Cancel is the
        default, for Enter and Escape alike)."""
        box = Messages._box(parent, QMessageBox.Icon.Question, title, text)
        merge = box.addButton(
            QCoreApplication.translate("MergeQuestion", "Merge"), QMessageBox.ButtonRole.AcceptRole
        )
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is merge


class Messages:
    """Message boxes with plain text only (user text must never render as rich text)."""

    @classmethod
    def error(cls, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the user something went wrong."""
        box = cls._box(parent, QMessageBox.Icon.Warning, title, text)
        box.exec()

    @classmethod
    def about(cls, parent: QWidget | None, title: str, text: str) -> None:
        """The About box."""
        box = cls._box(parent, QMessageBox.Icon.Information, title, text)
        box.exec()

    @classmethod
    def confirm_discard(cls, parent: QWidget | None, text: str) -> bool:
        """Ask whether to close although the latest changes could not be saved."""
        return cls._confirm_loss(
            parent,
            text,
            QCoreApplication.translate("Messages", "Keep the window open"),
            QCoreApplication.translate("Messages", "Close without saving"),
        )

    @classmethod
    def confirm_end_session(cls, parent: QWidget | None, text: str) -> bool:
        """Ask whether to let the desktop session end although changes could not be saved."""
        return cls._confirm_loss(
            parent,
            text,
            QCoreApplication.translate("Messages", "Cancel logging out"),
            QCoreApplication.translate("Messages", "Log out without saving"),
        )

    @classmethod
    def _confirm_loss(cls, parent: QWidget | None, text: str, keep: str, lose: str) -> bool:
        """True only if the user picks ``lose``; ``keep`` is the default (Enter, Escape)."""
        title = parent.tr("Not saved") if parent is not None else "Not saved"
        box = cls._box(parent, QMessageBox.Icon.Warning, title, text)
        keep_button = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
        lose_button = box.addButton(lose, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep_button)
        box.exec()
        return box.clickedButton() is lose_button

    @staticmethod
    def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box
