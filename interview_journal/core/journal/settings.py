"""The journal's own settings (stored in the file, not in Qt's settings)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from interview_journal.core.changes import Kind, Op
from interview_journal.core.errors import InvalidInput
from interview_journal.core.journal.base import T, _Base
from interview_journal.core.journal.rules import _text
from interview_journal.core.journal.values import MAX_NAME, MAX_TEXT
from interview_journal.core.models import Setting

# True from the start of a run of the app until it closes cleanly (``begin_session``).
SESSION_OPEN_KEY = "session_open"


class _Settings(_Base):
    """Settings stored in the journal."""

    def setting(self, key: str, default: T) -> T | Any:
        """A stored preference, or ``default``."""
        row = Setting.get_or_none(Setting.key == key)
        return default if row is None else json.loads(row.value)

    def settings(self) -> dict[str, Any]:
        """Every stored preference."""
        return {row.key: json.loads(row.value) for row in Setting.select()}

    def set_setting(self, key: str, value: object) -> None:
        """Store a preference (any JSON value)."""
        if not _text(key, "Setting name", MAX_NAME).strip():
            raise InvalidInput("Setting name cannot be empty.")
        try:
            encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as error:  # NaN, infinity, objects JSON cannot hold
            raise InvalidInput(
                f"Setting {key} must be plain JSON (text, a finite number, true/false, null, "
                "or lists and mappings of those)."
            ) from error
        _text(encoded, f"Setting {key}", MAX_TEXT)  # lone surrogates survive json.dumps
        with self._write():
            Setting.insert(key=key, value=encoded).on_conflict_replace().execute()
            self._changed(Kind.SETTING, key, Op.UPDATED)

    def set_settings(self, values: Mapping[str, object]) -> None:
        """Store several preferences in one transaction."""
        with self._write():
            for key, value in values.items():
                self.set_setting(key, value)

    def begin_session(self) -> bool:
        """Record that a run of the app has the journal open; returns whether the last run
        left it open (it did not close cleanly: the app crashed, was killed or lost power).

        Read and set in one transaction. Call it once a run, and ``end_session`` when the
        run closes cleanly.
        """
        with self._write():
            unclean = bool(self.setting(SESSION_OPEN_KEY, False))
            self.set_setting(SESSION_OPEN_KEY, True)
        return unclean

    def end_session(self) -> None:
        """Record that this run closed cleanly (its work drained): the next
        ``begin_session`` returns False."""
        self.set_setting(SESSION_OPEN_KEY, False)
