"""The ``interview-journal`` command: no command opens the app; subcommands run headless.

Exit codes (DESIGN.md section 5): 0 success, 1 unexpected, 2 bad input or usage, 3 data folder
busy, 4 ``check`` found damage, 5 the journal was made by a newer version.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from interview_journal import DISPLAY_NAME, __version__, paths

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2
EXIT_BUSY = 3
EXIT_DAMAGED = 4
EXIT_NEWER = 5

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and one clear line for usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]  # argparse's is NoReturn
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line of DESIGN.md section 5 (commands arrive with their features)."""
    parser = _Parser(
        prog="interview-journal",
        description=f"{DISPLAY_NAME}: reflect on each job interview while it is fresh.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"the data folder (default: ${paths.ENV_DATA_DIR} or the platform's data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.add_parser(
        "check",
        help="report the journal's schema version, pending updates and integrity (never writes)",
        description="Report the journal's schema version, pending updates and integrity. "
        "Never writes to the journal. Exit 4 if it is damaged, 5 if a newer app wrote it.",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    paths.restrict_umask()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        folder = paths.data_dir(args.data_dir)
    except RuntimeError as error:  # Path.expanduser on "~name" for an unknown user
        given = args.data_dir or os.environ.get(paths.ENV_DATA_DIR, "")
        parser.error(f"cannot use the data folder {given}: {error}")
    if args.command is None:
        return _open_window(folder, list(sys.argv[1:] if argv is None else argv))
    try:
        if args.command == "check":
            return _check(folder)
    except KeyboardInterrupt:
        return EXIT_UNEXPECTED
    except OSError as error:  # the environment failed (name too long, I/O error): one line
        reason = error.strerror or str(error)
        print(f"{parser.prog}: error: cannot use the data folder {folder}: {reason}",
              file=sys.stderr)
        return EXIT_UNEXPECTED
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE  # pragma: no cover - parser.error exits


def _open_window(folder: Path, argv: list[str]) -> int:
    # Qt is imported only when the window is wanted, so headless commands need no display.
    from interview_journal.ui.app import run

    return run(folder, argv)


def _warn_storage(folder: Path) -> None:
    warning = paths.storage_warning(folder) if folder.exists() else None
    if warning:
        print(f"warning: {warning}", file=sys.stderr)


def _check(folder: Path) -> int:
    from interview_journal.core import db
    from interview_journal.core.errors import DatabaseDamaged, UnsupportedPlatform

    try:
        db.check_sqlite()
    except UnsupportedPlatform as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNEXPECTED
    _warn_storage(folder)
    journal = paths.journal_path(folder)
    try:
        status = db.inspect(journal)
    except DatabaseDamaged as error:
        print(f"Journal: {journal}")
        print(f"Integrity: damaged: {error}")
        return EXIT_DAMAGED
    if not status.exists:
        print(f"No journal yet in {folder}.")
        return EXIT_OK
    print(f"Journal: {journal}")
    print(f"Schema version: {status.schema_version} (this app writes {status.latest_version})")
    if status.newer_than_app:
        print(
            "This journal was written by a newer version of Interview Journal; update the app "
            "to open it.",
            file=sys.stderr,
        )
        return EXIT_NEWER
    pending = ", ".join(status.pending) if status.pending else "none"
    print(f"Pending updates: {pending} (applied the next time the app opens the journal)")
    if status.healthy:
        print("Integrity: ok")
        return EXIT_OK
    print("Integrity: damaged")
    for line in status.integrity[:20]:
        print(f"  {line}")
    return EXIT_DAMAGED
