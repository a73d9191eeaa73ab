"""``python -m interview_journal`` is the same as the ``interview-journal`` command."""

from __future__ import annotations

import sys

from interview_journal.cli import main

if __name__ == "__main__":
    sys.exit(main())
