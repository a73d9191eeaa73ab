"""The journal's vocabulary (core/domain.py) as the screens show it: translated.

Core holds the English source strings, each marked with ``QT_TRANSLATE_NOOP("domain", ...)``
so that lupdate collects them into the "domain" context; lupdate cannot see a variable
passed to ``translate()``, so the screens translate them here, in that context, and nowhere
else.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox

from interview_journal.core.domain import Choices


def tr_domain(source: str) -> str:
    """``source`` (a label or prompt from core/domain.py) in the user's language."""
    return QCoreApplication.translate("domain", source)


def add_choices(box: QComboBox, choices: Choices) -> None:
    """Offer ``choices`` in ``box``: the translated label shown, the key as the item's data."""
    for key, label in choices:
        box.addItem(tr_domain(label), key)


__all__ = ["add_choices", "tr_domain"]
