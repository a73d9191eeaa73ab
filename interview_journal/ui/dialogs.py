"""Small dialogs. Each is opened through an ``ask(...)`` classmethod that tests replace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from interview_journal.core.journal import STAGES
from interview_journal.ui.widgets import plain_label


@dataclass(frozen=True)
class NewInterview:
    """What the user typed into the New interview dialog."""

    company: str
    role: str
    stage: str
    on: date


class NewInterviewDialog(QDialog):
    """Asks for the company (with completion), role, stage and date of a new interview."""

    def __init__(
        self,
        companies: list[str],
        company: str = "",
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New interview"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.company = QComboBox(self)
        self.company.setEditable(True)
        self.company.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        names = QStringListModel(companies, self)
        self.company.setModel(names)
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.company.setCompleter(completer)
        self.company.setEditText(company)
        self.role = QLineEdit(self)
        self.stage = QComboBox(self)
        self.stage.addItem(self.tr("Not set"), "")
        for key, label in STAGES:
            self.stage.addItem(self.tr(label), key)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        on = today or date.today()
        self.date.setDate(QDate(on.year, on.month, on.day))
        for label, widget in (
            (self.tr("Company"), self.company),
            (self.tr("Role"), self.role),
            (self.tr("Stage"), self.stage),
            (self.tr("Date"), self.date),
        ):
            widget.setAccessibleName(label)
            caption = plain_label(label, self)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        self.error = plain_label("", self, wrap=True)
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
        (self.role if company else self.company).setFocus()

    def _on_buttons_accepted(self) -> None:
        if not self.company.currentText().strip():
            self.error.setText(self.tr("Type the company's name."))
            self.error.show()
            self.company.setFocus()
            return
        self.accept()

    def value(self) -> NewInterview:
        """What was entered."""
        qdate = self.date.date()
        return NewInterview(
            company=self.company.currentText().strip(),
            role=self.role.text().strip(),
            stage=str(self.stage.currentData() or ""),
            on=date(qdate.year(), qdate.month(), qdate.day()),
        )

    @classmethod
    def ask(
        cls, parent: QWidget, companies: list[str], company: str = "", today: date | None = None
    ) -> NewInterview | None:
        """Show the dialog; the entered values, or None if cancelled."""
        dialog = cls(companies, company, today, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


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
