"""The New interview and "I just finished an interview" dialogs, driven as a user would."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from interview_journal.ui.dialogs import (
    JustFinished,
    JustFinishedDialog,
    NewInterview,
    NewInterviewDialog,
    Recent,
)


def _hint(typed: str) -> str:
    return "You have 2 earlier interviews here." if typed.strip().lower() == "acme" else ""


def _press_ok(dialog: NewInterviewDialog | JustFinishedDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    ok.click()


def test_new_interview_takes_an_optional_start_and_duration_and_shows_the_history(
    qtbot: QtBot,
) -> None:
    dialog = NewInterviewDialog(["Acme", "Globex"], "", date(2026, 3, 2), suggest=_hint)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "New interview"
    assert dialog.minimumWidth() >= dialog.fontMetrics().horizontalAdvance("New interview") * 2
    qtbot.keyClicks(dialog.company.lineEdit(), "Acme")
    assert dialog.hint.isVisible()
    assert dialog.hint.text() == "You have 2 earlier interviews here."
    qtbot.keyClicks(dialog.start, "2pm")
    dialog.duration.setValue(45)
    _press_ok(dialog)
    assert dialog.result() == NewInterviewDialog.DialogCode.Accepted
    assert dialog.value() == NewInterview(
        company="Acme", role="", stage="", on=date(2026, 3, 2), start=time(14, 0), duration=45
    )


def test_new_interview_says_what_is_missing_and_forgets_it_as_you_type(qtbot: QtBot) -> None:
    dialog = NewInterviewDialog([], "", date(2026, 3, 2))
    qtbot.addWidget(dialog)
    dialog.show()
    _press_ok(dialog)
    assert dialog.error.isVisible()
    assert "company" in dialog.error.text()
    qtbot.keyClicks(dialog.company.lineEdit(), "I")
    assert not dialog.error.isVisible()
    qtbot.keyClicks(dialog.company.lineEdit(), "nitech")
    qtbot.keyClicks(dialog.start, "half past")
    _press_ok(dialog)
    assert dialog.error.isVisible()
    assert "start time" in dialog.error.text()
    assert dialog.isVisible()  # nothing was created from it
    qtbot.keyClick(dialog.start, Qt.Key.Key_Backspace)
    assert not dialog.error.isVisible()


def test_just_finished_offers_what_just_ended_first(qtbot: QtBot) -> None:
    recent = [Recent(7, "Acme · SRE · ended 10:30"), Recent(9, "Globex · in progress")]
    dialog = JustFinishedDialog(recent, ["Acme", "Globex"], suggest=_hint)
    qtbot.addWidget(dialog)
    dialog.show()
    _press_ok(dialog)  # Return on the first offer
    assert dialog.value() == JustFinished(interview_id=7)


def test_just_finished_typing_a_company_picks_another_interview(qtbot: QtBot) -> None:
    dialog = JustFinishedDialog([Recent(7, "Acme · SRE · ended 10:30")], ["Acme"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.company.lineEdit(), "Hooli")
    assert dialog.other.isChecked()
    qtbot.keyClicks(dialog.role, "Data engineer")
    _press_ok(dialog)
    assert dialog.value() == JustFinished(company="Hooli", role="Data engineer")


def test_just_finished_needs_a_company_when_nothing_just_ended(qtbot: QtBot) -> None:
    dialog = JustFinishedDialog([], [])
    qtbot.addWidget(dialog)
    dialog.show()
    _press_ok(dialog)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert "company" in dialog.error.text()
