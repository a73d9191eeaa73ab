"""Rules of the journal's domain that more than one core module needs, defined once.

Small and free of database code, so the timers (which must not load the Journal) and the
Journal read the same definition.
"""

from __future__ import annotations

from datetime import timedelta

REFLECTION_DUE_DAYS = 7
"""An interview is *reflection due* for this many days after it ends, until reflected."""

REFLECTION_DUE = timedelta(days=REFLECTION_DUE_DAYS)
"""``REFLECTION_DUE_DAYS`` as a duration."""

__all__ = ["REFLECTION_DUE", "REFLECTION_DUE_DAYS"]
