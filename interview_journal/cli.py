"""The ``interview-journal`` command: no command opens the app (``--demo``: on a throwaway
sample journal); subcommands run headless.

Exit codes (docs/architecture.md): 0 success, 1 unexpected, 2 bad input or usage, 3 data folder
busy, 4 ``check`` found damage, 5 the journal was made by a newer version.

What only one command needs is imported in that command, so that opening the window (the
common case, docs/architecture.md, Start-up) and ``--version`` load no more than they use.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from interview_journal import DISPLAY_NAME, __version__
from interview_journal.core import paths
from interview_journal.core.commands import ReflectRequest

if TYPE_CHECKING:
    from datetime import datetime

    from interview_journal.core.generator import GeneratedSummary
    from interview_journal.core.journal import Journal

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2
EXIT_BUSY = 3
EXIT_DAMAGED = 4
EXIT_NEWER = 5

# core.generator.SIZE_NAMES, spelled out so that building the parser imports no core module.
GENERATE_SIZES = ("small", "heavy", "stress")
# The demo journal is the same every time (its dates follow the clock).
DEMO_SEED = 1
DEMO_PREFIX = "interview-journal-demo-"
# Search results shown by default, and core.search.MAX_LIMIT spelled out for the same reason.
SEARCH_DEFAULT_LIMIT = 20
SEARCH_MAX_LIMIT = 1000
# The keys of each ``search --json`` line (docs/architecture.md, Contracts), in this order.
SEARCH_JSON_KEYS = ("interview_uuid", "company", "role", "starts_at", "section", "snippet", "rank")
# The keys of each ``questions --json`` line (docs/architecture.md, Contracts), in this order,
# and of each place in its ``asked`` list.
QUESTIONS_JSON_KEYS = ("text", "count", "asked", "latest_answer", "practise")
ASKED_JSON_KEYS = ("company", "stage", "date", "interview_uuid")
# Interviews indexed per transaction when ``search`` first catches up on the index.
SEARCH_REINDEX_BATCH = 50
# A command-line search stops after this long (the window's search panel cancels instead).
SEARCH_BUDGET_S = 10.0
# core.exchange.EXPORT_FORMATS spelled out, for the same reason; later formats join the list.
EXPORT_FORMATS = ("json",)
# Generate refuses a journal that holds rows in any of these tables.
_CONTENT_TABLES = ("company", "interview", "person", "tag", "setting")


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and one clear line for usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]  # argparse's is NoReturn
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line of docs/architecture.md, Contracts (commands arrive with their features)."""
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
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a throwaway sample journal in a temporary folder, removed on exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.add_parser(
        "check",
        help="report the journal's schema version, pending updates and integrity (never writes)",
        description="Report the journal's schema version, pending updates and integrity. "
        "Never writes to the journal. Exit 4 if it is damaged, 5 if a newer app wrote it.",
    )
    generate = commands.add_parser(
        "generate",
        help="write a generated sample journal into a new or empty data folder",
        description="Write a realistic generated journal (for trying the app, benchmarks and "
        "tests) into the data folder. The folder must not hold a journal with anything in it. "
        "The same size and seed give the same journal, with dates relative to today.",
    )
    generate.add_argument("--size", required=True, choices=GENERATE_SIZES,
                          help="small (8 companies), heavy (300 companies, 3,000 interviews) or "
                          "stress (10,000 interviews)")
    generate.add_argument("--seed", type=int, default=1, help="the seed (default: 1)")
    reflect = commands.add_parser(
        "reflect",
        help="I just finished an interview: start the reflection block now",
        description="Start a reflection now, in the running app if there is one, else by "
        "opening it: picks the interview that just ended (of that company, if named) or "
        "creates one that ended now, opens it and starts the countdown.",
    )
    reflect.add_argument("--company", metavar="NAME", help="the company (found or created)")
    reflect.add_argument("--role", metavar="ROLE", help="the role, for a new interview")
    search = commands.add_parser(
        "search",
        help="search everything written; prints the best matches first",
        description="Search every interview's text: words, \"quoted phrases\", -exclude, OR "
        "and field prefixes (company:, role:, people:, topics:, questions:, went_well:, "
        "went_poorly:, do_differently:, action_items:, impressions:, notes:). The last word "
        "also matches as a prefix once it has three letters. Works while the app is open. "
        "Put -- before a query that starts with -.",
    )
    search.add_argument("query", nargs="+", metavar="QUERY",
                        help="what to look for (several words are joined with spaces)")
    search.add_argument("--limit", type=_search_limit, default=SEARCH_DEFAULT_LIMIT,
                        metavar="N",
                        help=f"at most N results, 1 to {SEARCH_MAX_LIMIT} (default: "
                        f"{SEARCH_DEFAULT_LIMIT})")
    search.add_argument("--json", action="store_true",
                        help="print one JSON object per line, best first, with the keys "
                        + ", ".join(SEARCH_JSON_KEYS))
    questions = commands.add_parser(
        "questions",
        help="the question bank: every question you were asked, repeats grouped",
        description="List every question asked in your interviews (not those in the trash), "
        "the same question in other words counted once, most asked first. Works while the "
        "app is open.",
    )
    questions.add_argument("--company", metavar="NAME",
                           help="only questions this company asked (legal suffixes such as "
                           "Inc are ignored; the start of one name is enough)")
    questions.add_argument("--practise", action="store_true",
                           help='only questions flagged "practise this"')
    questions.add_argument("--json", action="store_true",
                           help="print one JSON object per line, most asked first, with the "
                           "keys " + ", ".join(QUESTIONS_JSON_KEYS))
    _add_exchange_commands(commands)
    _add_backup_commands(commands)
    return parser


def _add_exchange_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    export = commands.add_parser(
        "export", help="write the journal (or one company of it) to a file",
        description="Write every company, interview, question, action item, interviewer, "
        "topic, timer session and setting to a file, whole or not at all, readable only by "
        "you. Works while the app is open.")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="json",
                        help="the file's format (default: json, which import reads back)")
    export.add_argument("-o", "--output", required=True, metavar="PATH",
                        help="the file to write (replaced whole); - writes to standard output")
    export.add_argument("--company", metavar="NAME", help="export this company only")
    imported = commands.add_parser(
        "import", help="merge a JSON export into the journal",
        description="Merge a JSON export into the journal by UUID: the newer copy of each "
        "company and interview wins, nothing is deleted, and importing a file twice changes "
        "nothing. One transaction, after a backup. Not while the app has the data folder "
        "open (exit 3).")
    imported.add_argument("path", metavar="PATH", help="the export file")
    imported.add_argument("--dry-run", action="store_true",
                          help="say what would be new, updated, unchanged or kept; change "
                          "nothing")


def _search_limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= SEARCH_MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be from 1 to {SEARCH_MAX_LIMIT}, not {value}")
    return value


def restrict_umask() -> None:
    """Make every file this process creates private to the user (umask 077).

    A setting of the whole process, so the entry makes it (before the window opens, too);
    core/ keeps the data folder private on its own (``paths.ensure_private_dir``).
    """
    os.umask(0o077)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    restrict_umask()
    _tolerant_stdout()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir == "":
        parser.error("--data-dir needs a folder (it was given as empty)")
    for option in ("company", "role"):
        value = getattr(args, option, None)
        if value is not None and not _is_text(value):
            parser.error(f"--{option} is not valid text (it holds bytes that are not UTF-8)")
    if args.demo:
        if args.command is not None:
            parser.error(f"--demo opens the app; it cannot be used with {args.command}")
        return _open_demo(args.data_dir, list(sys.argv[1:] if argv is None else argv))
    try:
        folder = paths.data_dir(args.data_dir)
    except RuntimeError as error:  # Path.expanduser on "~name" for an unknown user
        given = args.data_dir or os.environ.get(paths.ENV_DATA_DIR, "")
        parser.error(f"cannot use the data folder {given}: {error}")
    if args.command in (None, "reflect"):
        if not _is_text(str(folder)):
            # Qt takes paths as text: a name with bytes that are not UTF-8 cannot reach it.
            parser.error(f"the window cannot use the data folder {folder}: its name holds "
                         "bytes that are not UTF-8; rename it (the check and search commands "
                         "can read it as it is)")
        request = (
            ReflectRequest(company=args.company, role=args.role)
            if args.command == "reflect"
            else None
        )
        return _open_window(folder, list(sys.argv[1:] if argv is None else argv), request)
    try:
        if args.command == "check":
            return _check(folder)
        if args.command == "generate":
            return _generate(folder, args.size, args.seed)
        if args.command == "search":
            return _search(folder, " ".join(args.query), args.limit, args.json)
        if args.command == "export":
            return _export(folder, args.output, args.company)
        if args.command == "import":
            return _import(folder, Path(args.path), args.dry_run)
        if args.command in ("backup", "restore"):
            return _backup_or_restore(folder, args, parser)
        if args.command == "questions":
            return _questions(folder, args.company, args.practise, args.json)
    except KeyboardInterrupt:
        return EXIT_UNEXPECTED
    except BrokenPipeError:  # the reader stopped early (| head): not the data folder's fault
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the flush at exit does not fail again
        return EXIT_UNEXPECTED
    except OSError as error:  # the environment failed (name too long, I/O error): one line
        reason = error.strerror or str(error)
        print(f"{parser.prog}: error: cannot use the data folder {folder}: {reason}",
              file=sys.stderr)
        return EXIT_UNEXPECTED
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE  # pragma: no cover - parser.error exits


def _is_text(value: str) -> bool:
    """False for a string holding bytes that were not UTF-8 (lone surrogates, PEP 383)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _tolerant_stdout() -> None:
    """Print a path whose name is not UTF-8 escaped (``\\udcff``) rather than fail on it."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and getattr(sys.stdout, "errors", "strict") == "strict":
        reconfigure(errors="backslashreplace")


def _open_window(folder: Path, argv: list[str], request: ReflectRequest | None = None) -> int:
    """Open the window on ``folder`` (or hand ``request`` to the app already open on it)."""
    # Qt is imported only when the window is wanted, so headless commands need no display.
    from interview_journal.ui.app import run

    return run(folder, argv, request)


class _Terminated(BaseException):
    """SIGTERM arrived while a journal was being written (inside ``_sigterm_raises()``).

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` on the way (the
    journal's "a broken search index must not cost the save") can swallow it.
    """


def _raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    raise _Terminated


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Inside, SIGTERM raises ``_Terminated``, so ``finally`` clean-ups run; restored after."""
    import signal

    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _signals_noted() -> Iterator[list[int]]:
    """Inside, SIGTERM and SIGINT only add their number to the list yielded: a step that
    must happen whole (a link, a deletion) is never cut in two. Handlers are restored after.
    """
    import signal

    noted: list[int] = []

    def note(signum: int, _frame: FrameType | None) -> None:
        noted.append(signum)

    previous = {signum: signal.signal(signum, note) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield noted
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _remove(folder: Path) -> bool:
    """Delete ``folder`` with SIGTERM and SIGINT held off, so it is never left half deleted.

    True if it is gone. A signal that arrived meanwhile is delivered once it is gone (to
    the handler in place then), never dropped.
    """
    import shutil
    import signal

    with _signals_noted() as noted:
        shutil.rmtree(folder, ignore_errors=True)
    if noted:
        signal.raise_signal(noted[0])
    return not folder.exists()


def _open_demo(data_dir: str | None, argv: list[str]) -> int:
    """Open the app on a throwaway small journal in a temporary folder, removed on exit.

    SIGTERM before the window is up (it then installs its own handler and quits cleanly)
    raises ``_Terminated``, so the folder is removed in every case but SIGKILL.
    """
    import tempfile

    given = data_dir or os.environ.get(paths.ENV_DATA_DIR)
    if given:
        print(f"interview-journal: --demo uses a temporary journal; the data folder {given} "
              "is not used.", file=sys.stderr)
    folder: Path | None = None
    try:
        with _sigterm_raises():
            try:
                folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))  # created 0700
                _write_demo(folder)
                print(f"Demo journal in {folder}; it is deleted when the app closes.",
                      file=sys.stderr)
                return _open_window(folder, argv)
            finally:
                if folder is not None and not _remove(folder):
                    print(f"interview-journal: warning: could not delete the demo journal in "
                          f"{folder}", file=sys.stderr)
    except _Terminated:
        return EXIT_OK  # as the window does: SIGTERM means "quit cleanly"
    except KeyboardInterrupt:
        return EXIT_UNEXPECTED


def _write_demo(folder: Path) -> None:
    from interview_journal.core.generator import generate
    from interview_journal.core.journal import Journal

    with Journal.open(folder) as journal:
        generate(journal, "small", DEMO_SEED)


def _generate(folder: Path, size: str, seed: int) -> int:
    from interview_journal.core.errors import JournalError, NewerSchema

    refusal = _unusable_folder(folder)
    if refusal is None:
        _warn_storage(folder)
        refusal = _refuse_to_generate(folder)
    if refusal:
        print(f"interview-journal: error: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    try:
        summary = _write_generated(folder, size, seed)
    except NewerSchema as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_NEWER
    except JournalError as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_UNEXPECTED
    elapsed = time.perf_counter() - started
    print(f"Generated a {size} journal (seed {seed}) in {folder} in {elapsed:.1f} s: "
          f"{summary.describe()}.")
    return EXIT_OK


def _unusable_folder(folder: Path) -> str | None:
    """Why ``folder`` cannot be a data folder to generate into (a file or a dangling link is
    in the way, of it, of a folder above it, or of its journal), or None.
    """
    journal = paths.journal_path(folder)
    if journal.is_symlink() and not journal.exists():
        return (f"{journal} is a link to {os.readlink(journal)}, which does not exist; "
                "generate writes only into a new or empty data folder.")
    for path in (folder, *folder.parents):
        if path.is_symlink() and not path.exists():
            return f"{path} is a link to {os.readlink(path)}, which does not exist."
        if path.exists():
            return None if path.is_dir() else f"{path} is a file, not a folder."
    return None


def _write_generated(folder: Path, size: str, seed: int) -> GeneratedSummary:
    """Generate into ``folder``: whole or not at all.

    Where there is no journal yet, or only a 0-byte file, the journal is written in a hidden
    folder inside ``folder``, sealed (its write-ahead log folded in, then checked with
    ``quick_check`` and the rows written counted) and only then put in place, so a full disk
    or an interruption (Ctrl+C, SIGTERM) leaves nothing behind; a journal that appeared
    meanwhile is never replaced. A journal with tables but nothing in them
    (``_refuse_to_generate`` allows it) is filled in place in one transaction.
    """
    import tempfile

    from interview_journal.core import staging
    from interview_journal.core.generator import generate
    from interview_journal.core.journal import Journal

    target = paths.journal_path(folder)
    placed = False
    try:
        with _sigterm_raises():
            if target.exists() and target.stat().st_size:
                with Journal.open(folder) as journal, journal.transaction():
                    return generate(journal, size, seed)
            over_empty = target.exists()
            paths.ensure_private_dir(folder)
            with _signals_noted() as noted:  # a staging folder is never left unnamed
                work = Path(tempfile.mkdtemp(prefix=".generating-", dir=folder))
            try:
                if noted:
                    raise _Terminated
                staged = paths.journal_path(work)
                journal = Journal.open(work)
                try:
                    summary = generate(journal, size, seed)
                except BaseException:
                    with contextlib.suppress(Exception):  # the folder goes anyway
                        journal.close()
                    raise
                journal.close()
                staging.seal(staged, summary.row_counts())
                with _signals_noted() as noted:  # placed whole, never half
                    staging.place(staged, target, over_empty=over_empty)
                placed = True
                if noted:  # too late to stop it, but the run was still stopped: exit 1
                    raise _Terminated
                return summary
            finally:
                _remove(work)  # a signal noted while it deletes is raised after
    except _Terminated:
        if placed:
            print(f"interview-journal: stopped, but the generated journal was already "
                  f"complete and is in place in {folder}.", file=sys.stderr)
        raise KeyboardInterrupt from None


def _refuse_to_generate(folder: Path) -> str | None:
    """Why ``generate`` must not write into ``folder`` (it holds a journal), or None.

    Read without writing (``db.holds_rows``), so a refusal changes nothing.
    """
    from interview_journal.core import db

    journal = paths.journal_path(folder)
    found = db.leftovers(journal)
    if found:  # a journal linked in beside them would replay or lose that log
        return db.leftovers_message(folder, found)
    if not journal.exists():
        return None
    reason = (f"{folder} already holds a journal; generate writes only into a new or empty "
              "data folder.")
    if not journal.is_file():
        return reason
    held = db.holds_rows(journal, _CONTENT_TABLES)
    if held is None:
        return (f"{folder} holds a journal file that cannot be read; generate writes only into "
                "a new or empty data folder.")
    return reason if held else None


def _search(folder: Path, query: str, limit: int, as_json: bool) -> int:
    """Search the journal through its own connection (the app may be open meanwhile).

    Interviews still waiting to be indexed (after the update that added search) are
    indexed first; if that cannot be done now (the journal is busy or read-only), what is
    indexed is searched and stderr says that results may be incomplete. A journal on a disk
    that refuses writes (full, read-only media) is searched read-only.
    """
    import json

    from interview_journal.core import db
    from interview_journal.core.errors import (
        DatabaseBusy,
        DatabaseDamaged,
        JournalError,
        LeftoverLog,
        NewerSchema,
        SearchIndexDamaged,
    )
    from interview_journal.core.search import Cancel

    _warn_storage(folder)
    journal_file = paths.journal_path(folder)
    found = db.leftovers(journal_file)
    if found:
        print(f"interview-journal: error: {db.leftovers_message(folder, found)}",
              file=sys.stderr)
        return EXIT_DAMAGED
    if not journal_file.exists():
        print(f"No journal yet in {folder}; nothing to search.", file=sys.stderr)
        return EXIT_OK
    _prepare_stdout(as_json)
    try:
        journal = _open_to_read(folder, "searched")
        with journal:
            try:
                if not journal.read_only:
                    _catch_up_index(journal)
                results = journal.search(
                    query, limit=limit, cancel=Cancel(budget_s=SEARCH_BUDGET_S)
                )
            except BaseException:
                # Closed as found (no optimize, no checkpoint): it may be damaged.
                journal.hold_writes("the search failed")
                raise
    except NewerSchema as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_NEWER
    except DatabaseBusy as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_BUSY
    except (DatabaseDamaged, SearchIndexDamaged, LeftoverLog) as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_DAMAGED
    except JournalError as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_UNEXPECTED
    if results.cancelled:
        print(f"interview-journal: error: that search took longer than {SEARCH_BUDGET_S:g} s "
              "and was stopped; use fewer words with * or OR.", file=sys.stderr)
        return EXIT_UNEXPECTED
    if not results.hits:
        print(results.hint or "No interview matches that search.", file=sys.stderr)
        return EXIT_OK
    for hit in results.hits:
        starts_at = (
            hit.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ") if hit.starts_at is not None else None
        )
        if as_json:
            line = {
                "interview_uuid": hit.interview_uuid,
                "company": hit.company,
                "role": hit.role,
                "starts_at": starts_at,
                "section": hit.section,
                "snippet": hit.snippet,
                "rank": hit.rank,
            }
            # json escapes C0 controls itself; DEL and C1 (CSI is U+009B) are escaped too.
            print(_C1_OR_DEL.sub(lambda m: f"\\u{ord(m.group()):04x}",
                                 json.dumps(line, ensure_ascii=False)))
            continue
        when = hit.date.isoformat() if hit.date is not None else "no date"
        print(f"{hit.rank}. {_printable(hit.company)} · {_printable(hit.role) or 'role not set'}"
              f" · {when} · {hit.section.replace('_', ' ')}")
        print(f"   {_printable(hit.snippet)}")
    if not as_json and results.total > len(results.hits):
        print(f"({len(results.hits)} of {results.total:,} matching interviews; "
              "use --limit for more)")
    return EXIT_OK


class _Refused(Exception):
    """What the user asked for cannot be done (exit 2); the message says why."""


def _questions(folder: Path, company: str | None, practise: bool, as_json: bool) -> int:
    """Print the question bank (``core/question_bank.py``), read through the journal's own
    connection, as ``search`` reads it: checked read-only first, and read-only where the disk
    refuses writes."""
    import json

    from interview_journal.core import db
    from interview_journal.core.errors import (
        DatabaseBusy,
        DatabaseDamaged,
        JournalError,
        LeftoverLog,
        NewerSchema,
    )

    _warn_storage(folder)
    journal_file = paths.journal_path(folder)
    found = db.leftovers(journal_file)
    if found:
        print(f"interview-journal: error: {db.leftovers_message(folder, found)}",
              file=sys.stderr)
        return EXIT_DAMAGED
    if not journal_file.exists():
        if company is not None:
            print(f"interview-journal: error: there is no journal yet in {folder}, so no "
                  f"company called {_printable(company)}.", file=sys.stderr)
            return EXIT_USAGE
        print(f"No journal yet in {folder}; no questions.", file=sys.stderr)
        return EXIT_OK
    _prepare_stdout(as_json)
    try:
        journal = _open_to_read(folder, "read")
        with journal:
            try:
                company_id = None if company is None else _bank_company(journal, company)
                bank = journal.question_bank()
            except BaseException:
                journal.hold_writes("reading the question bank failed")  # closed as found
                raise
    except _Refused as refusal:
        print(f"interview-journal: error: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    except NewerSchema as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_NEWER
    except DatabaseBusy as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_BUSY
    except (DatabaseDamaged, LeftoverLog) as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_DAMAGED
    except JournalError as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_UNEXPECTED
    entries = bank.entries(company_id=company_id, practise=True if practise else None)
    if not entries:
        print("No questions match." if company or practise else "No questions yet.",
              file=sys.stderr)
        return EXIT_OK
    if as_json:
        for entry in entries:
            line = {
                "text": entry.text,
                "count": entry.count,
                "asked": [
                    {
                        "company": asked.company,
                        "stage": asked.stage,
                        "date": asked.date.isoformat() if asked.date else None,
                        "interview_uuid": asked.interview_uuid,
                    }
                    for asked in entry.asked
                ],
                "latest_answer": entry.latest_answer,
                "practise": entry.practise,
            }
            print(_C1_OR_DEL.sub(lambda m: f"\\u{ord(m.group()):04x}",
                                 json.dumps(line, ensure_ascii=False)))
        return EXIT_OK
    print(f"{'Asked':>5}  {'Last asked':<10}  {'Practise':<8}  Question (companies)")
    for entry in entries:
        last = entry.last_asked.isoformat() if entry.last_asked else "no date"
        companies = ", ".join(_printable(name) for name in entry.companies[:3])
        more = len(entry.companies) - 3
        if more > 0:
            companies += f" and {more} more"
        text = _printable(" ".join(entry.text.split()))
        flag = "yes" if entry.practise else ""
        print(f"{entry.count:>5}  {last:<10}  {flag:<8}  {text}  ({companies})")
    askings = sum(entry.count for entry in entries)
    print(f"({len(entries):,} questions, asked {askings:,} times)")
    return EXIT_OK


def _bank_company(journal: Journal, typed: str) -> int:
    """The company ``typed`` names, as the new-interview dialog finds it: its name with case,
    spacing, punctuation and legal suffixes ignored, or the start of exactly one name.
    Unknown or ambiguous: ``_Refused``, naming the closest companies."""
    exact = journal.exact_company(typed)
    if exact is not None:
        return exact.company_id
    starting = journal.company_suggestions(typed, limit=6)
    if len(starting) == 1:
        return starting[0].company_id
    shown = _printable(typed)
    if starting:
        names = ", ".join(_printable(s.name) for s in starting[:5])
        raise _Refused(f"{shown} could be more than one company: {names}; type more of the "
                       "name.")
    closest = _closest_companies(journal, typed)
    hint = f"; the closest: {', '.join(closest)}" if closest else ""
    raise _Refused(f"there is no company called {shown}{hint}.")


def _closest_companies(journal: Journal, typed: str) -> list[str]:
    from rapidfuzz import fuzz, process

    from interview_journal.core.journal import suggestion_key

    names = [row.name for row in journal.companies()]
    keys = [suggestion_key(name) for name in names]
    found = process.extract(suggestion_key(typed), keys, scorer=fuzz.WRatio, limit=3,
                            score_cutoff=50)
    return [_printable(names[index]) for _key, _score, index in found]


def _open_to_read(folder: Path, done: str) -> Journal:
    """Open the journal in ``folder`` for a command that reads it (``search``,
    ``questions``): checked read-only first, so a damaged journal is never opened for
    writing (even the clean close would write to it); a disk that refuses writes still lets
    it be read as it is. ``done`` names what was not done to it ("searched")."""
    from interview_journal.core import db
    from interview_journal.core.errors import (
        DatabaseDamaged,
        DiskFull,
        JournalError,
        PermissionDenied,
        ReadOnly,
    )
    from interview_journal.core.journal import Journal

    journal_file = paths.journal_path(folder)
    status = db.inspect(journal_file, search_index=False)
    if status.exists and not status.newer_than_app and not status.healthy:
        raise DatabaseDamaged(
            f"The journal {journal_file} failed its check, so it was not {done}. Run "
            "interview-journal check for details, and restore it from a backup."
        )
    try:
        return Journal.open(folder)
    except (JournalError, OSError) as error:
        cause = error if isinstance(error, JournalError) else db.classify(error, journal_file)
        if not isinstance(cause, (DiskFull, ReadOnly, PermissionDenied)):
            raise
        journal, note = Journal.open_read_only(folder)
        if note:
            print(f"warning: {note}.", file=sys.stderr)
        return journal


def _catch_up_index(journal: Journal) -> None:
    """Index what waits in the queue (once after the update that added search)."""
    from interview_journal.core.errors import JournalError

    pending = journal.pending_index_count()
    if not pending:
        return
    print(f"Indexing {pending:,} interviews for search first (needed once after "
          "an update)...", file=sys.stderr)
    try:
        journal.reindex_pending(batch=SEARCH_REINDEX_BATCH)
    except JournalError as error:
        print(f"warning: {error}", file=sys.stderr)
    left = journal.pending_index_count()
    if left:
        print(f"warning: {left:,} interviews are not indexed yet; results may be "
              "incomplete.", file=sys.stderr)


_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_C1_OR_DEL = re.compile("[\x7f-\x9f]")


def _printable(text: str) -> str:
    """``text`` with control characters shown escaped (``\\x1b``), so that text stored in
    the journal can never drive the terminal (colours, titles, OSC links)."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _prepare_stdout(as_json: bool) -> None:
    """JSON lines are UTF-8 everywhere; text never fails on a console that lacks a character."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is None:  # replaced by something that is not a text file (tests)
        return
    if as_json:
        reconfigure(encoding="utf-8")
    else:
        reconfigure(errors="replace")


def _warn_storage(folder: Path) -> None:
    warning = paths.storage_warning(folder) if folder.exists() else None
    if warning:
        print(f"warning: {warning}", file=sys.stderr)


def _check(folder: Path) -> int:
    from interview_journal.core import db
    from interview_journal.core.errors import DatabaseDamaged, StorageError, UnsupportedPlatform

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
        print(_newest_backup_line(folder))
        return EXIT_DAMAGED
    except StorageError as error:  # the disk, not the journal: say what, never "damaged"
        print(f"interview-journal: error: cannot read {journal}: {error}", file=sys.stderr)
        return EXIT_UNEXPECTED
    if status.leftovers:
        print(f"Journal: {journal} {db.leftovers_state(journal)}")
        print(f"Integrity: damaged: {db.leftovers_message(folder, status.leftovers)}")
        print(_newest_backup_line(folder))
        return EXIT_DAMAGED
    if not status.exists:
        print(f"No journal yet in {folder}.")
        return EXIT_OK
    if status.read_note:
        print(f"warning: {status.read_note}.", file=sys.stderr)
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
    if status.schema:  # the app refuses such a file: nothing would be applied
        print("Pending updates: none (the tables do not match the schema version)")
    else:
        print(f"Pending updates: {pending} (applied the next time the app opens the journal)")
    if not status.healthy:
        print("Integrity: damaged")
        details = status.integrity if status.integrity != ("ok",) else status.schema
        for line in details[:20]:
            print(f"  {line}")
        print(_newest_backup_line(folder))
        return EXIT_DAMAGED
    print("Integrity: ok")
    if status.search_index is not None:
        if status.search_index_ok:
            print("Search index: ok")
        else:
            # Derived data: the notes are intact, so this is not damage to the journal.
            print(f"Search index: {status.search_index}; repairable: your notes are intact, "
                  "and the app rebuilds the index from them the next time it starts")
    return EXIT_OK


# --------------------------------------------------------------------------- export, import


def _error(message: str, code: int) -> int:
    print(f"interview-journal: error: {_printable(message)}", file=sys.stderr)
    return code


def _journal_refusal(folder: Path) -> tuple[str, int] | None:
    """Why the journal in ``folder`` must not be opened (leftovers, damage), or None."""
    from interview_journal.core import db

    journal_file = paths.journal_path(folder)
    found = db.leftovers(journal_file)
    if found:
        return db.leftovers_message(folder, found), EXIT_DAMAGED
    if not journal_file.exists():
        return None
    status = db.inspect(journal_file, search_index=False)
    if status.newer_than_app:
        return (f"The journal {journal_file} was written by a newer version of Interview "
                "Journal; update the app first.", EXIT_NEWER)
    if not status.healthy:
        return (f"The journal {journal_file} failed its check, so it was not used. Run "
                "interview-journal check for details.", EXIT_DAMAGED)
    return None


def _exit_for(error: BaseException) -> int:
    from interview_journal.core.errors import (
        DatabaseBusy,
        DatabaseDamaged,
        InvalidInput,
        LeftoverLog,
        NewerSchema,
    )

    if isinstance(error, NewerSchema):
        return EXIT_NEWER
    if isinstance(error, DatabaseBusy):
        return EXIT_BUSY
    if isinstance(error, (DatabaseDamaged, LeftoverLog)):
        return EXIT_DAMAGED
    if isinstance(error, InvalidInput):
        return EXIT_USAGE
    return EXIT_UNEXPECTED


def _pick_company(journal: Journal, typed: str) -> tuple[int | None, str]:
    """The company ``typed`` names, as the tree's filter and the New interview dialog match
    names (legal suffixes, case and spacing ignored); else why not, with the closest names."""
    import difflib

    from interview_journal.core.journal import normalize_name

    exact = [s for s in journal.company_suggestions(typed, limit=1000) if s.exact]
    if len(exact) > 1:
        exact = [s for s in exact if normalize_name(s.name) == normalize_name(typed)] or exact
    if len(exact) == 1:
        return exact[0].company_id, exact[0].name
    if exact:
        names = ", ".join(s.name for s in exact)
        return None, f"{typed} could be any of: {names}; give the whole name."
    close = [s.name for s in journal.company_suggestions(typed, limit=5)]
    if not close:
        known = [c.name for c in journal.companies()]
        close = difflib.get_close_matches(typed, known, n=5, cutoff=0.5)
    hint = f"; the closest: {', '.join(close)}" if close else ""
    return None, f"There is no company called {typed} in the journal{hint}."


def _export(folder: Path, output: str, company: str | None) -> int:
    """``export``: the journal, or one company, to a JSON file written whole (or stdout)."""
    from interview_journal.core.errors import JournalError
    from interview_journal.core.journal import Journal

    target = None if output == "-" else Path(output)
    if target is not None and target.is_dir():
        return _error(f"{target} is a folder; give the file to write.", EXIT_USAGE)
    if target is not None and not target.parent.is_dir():
        return _error(f"The folder {target.parent} does not exist.", EXIT_USAGE)
    if not paths.journal_path(folder).exists():
        return _error(f"There is no journal in {folder} to export.", EXIT_USAGE)
    try:
        refusal = _journal_refusal(folder)
        if refusal is not None:
            return _error(*refusal)
        with _sigterm_raises(), Journal.open(folder) as journal:
            company_id = None
            if company is not None:
                company_id, said = _pick_company(journal, company)
                if company_id is None:
                    return _error(said, EXIT_USAGE)
            try:
                counts = journal.export_json(
                    target if target is not None else sys.stdout.buffer, company_id=company_id
                )
            except OSError as error:
                if target is None:
                    raise
                return _error(f"cannot write {target}: {error.strerror or error}",
                              EXIT_UNEXPECTED)
    except _Terminated:
        return _error("stopped; the file was not written.", EXIT_UNEXPECTED)
    except JournalError as error:
        return _error(str(error), _exit_for(error))
    where = "standard output" if target is None else str(target)
    print(f"Exported {counts['companies']:,} companies, {counts['interviews']:,} interviews, "
          f"{counts['questions']:,} questions and {counts['action_items']:,} action items to "
          f"{_printable(where)}.", file=sys.stderr)
    return EXIT_OK


def _import(folder: Path, source: Path, dry_run: bool) -> int:
    """``import``: merge an export into the journal in one transaction, after a backup."""
    import tempfile

    from interview_journal.core import db
    from interview_journal.core import exchange as fmt
    from interview_journal.core.errors import JournalError
    from interview_journal.core.journal import Journal

    if not dry_run and paths.app_holds(folder):
        return _error(f"The app has the data folder {folder} open; close it, then import.",
                      EXIT_BUSY)
    try:
        document = fmt.read_export(source)
        refusal = _journal_refusal(folder)
        if refusal is not None:
            return _error(*refusal)
        journal_file = paths.journal_path(folder)
        with _sigterm_raises():
            if dry_run and not journal_file.exists():  # never make a journal to look
                with tempfile.TemporaryDirectory() as empty, Journal.open(Path(empty)) as blank:
                    report = blank.import_json(document, dry_run=True)
            else:
                had_content = journal_file.exists() and bool(
                    db.holds_rows(journal_file, _CONTENT_TABLES))
                with Journal.open(folder) as journal:
                    def backup() -> Path:
                        from interview_journal.core import backups

                        now = journal.clock.now()
                        return backups.take_backup(folder, now=now, reason="pre-import").path

                    report = journal.import_json(
                        document, dry_run=dry_run, backup=backup if had_content else None)
    except _Terminated:
        return _error("stopped; nothing was imported.", EXIT_UNEXPECTED)
    except JournalError as error:
        return _error(f"{source} cannot be imported: {error}"
                      if isinstance(error, fmt.BadExport) else str(error), _exit_for(error))
    if dry_run:
        print(f"Dry run: nothing was changed. Importing {_printable(str(source))} would bring:")
    elif report.changes:
        print(f"Imported {_printable(str(source))}:")
    else:
        print(f"Nothing to import from {_printable(str(source))}: the journal has it all.")
    for line in report.lines():
        print(f"  {line}")
    if report.backup is not None:
        print(f"The journal as it was before is in {_printable(str(report.backup))}.")
    return EXIT_OK


# ------------------------------------------------------------------------------ backups

# The keys of each ``backup --list --json`` line, in this order.
BACKUP_JSON_KEYS = ("path", "taken_at", "size", "interviews")


def _add_backup_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    backup = commands.add_parser(
        "backup",
        help="copy the journal into backups/ (or to -o PATH), checked; --list shows them",
        description="Copy the journal, checked, into the data folder's backups/ (or to -o "
        "PATH), then rotate the older backups (pre-migration and pre-restore copies are "
        "kept). Works while the app is open. --list shows the backups, newest first.",
    )
    backup.add_argument("-o", "--output", metavar="PATH",
                        help="write the backup to PATH (a new file) instead of backups/")
    backup.add_argument("--list", action="store_true",
                        help="list the backups: date, size, interviews (newest first)")
    backup.add_argument("--json", action="store_true",
                        help="with --list: one JSON object per line with the keys "
                        + ", ".join(BACKUP_JSON_KEYS))
    restore = commands.add_parser(
        "restore",
        help="replace the journal with a backup (PATH, or latest: the newest good one)",
        description="Replace the journal with a backup, after checking it. The journal as "
        "it was is kept first (as a pre-restore backup, or moved into damaged-<time>/ if it "
        "is damaged). The app must be closed.",
    )
    restore.add_argument("backup", metavar="PATH|latest",
                         help="a backup file, or latest for the newest backup that passes "
                         "its check")


def _backup_or_restore(
    folder: Path, args: argparse.Namespace, parser: argparse.ArgumentParser
) -> int:
    from interview_journal.core.clock import SystemClock
    from interview_journal.core.errors import (
        DatabaseBusy,
        DatabaseDamaged,
        InvalidInput,
        JournalError,
        LeftoverLog,
        NewerSchema,
        NotFound,
    )

    now = SystemClock().now()
    if args.command == "backup":
        if args.json and not args.list:
            parser.error("--json goes with backup --list")
        if args.list and args.output:
            parser.error("-o and --list cannot be used together")
    try:
        if args.command == "restore":
            return _restore(folder, args.backup, now)
        if args.list:
            return _list_backups(folder, args.json)
        return _take_backup(folder, args.output, now)
    except NewerSchema as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_NEWER
    except DatabaseBusy as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_BUSY
    except (DatabaseDamaged, LeftoverLog) as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_DAMAGED
    except (InvalidInput, NotFound) as error:
        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except JournalError as error:
        from interview_journal.core.backups import BadBackup

        print(f"interview-journal: error: {error}", file=sys.stderr)
        return EXIT_USAGE if isinstance(error, BadBackup) else EXIT_UNEXPECTED


def _take_backup(folder: Path, output: str | None, now: datetime) -> int:
    from interview_journal.core import backups

    target = Path(output) if output else None
    made = backups.take_backup(folder, now=now, reason="manual", target=target)
    if target is None:
        backups.rotate(folder, now)
    print(f"Backed up the journal ({_interviews(made.interview_count)}, "
          f"{_size(made.size)}) to {made.path}")
    return EXIT_OK


def _list_backups(folder: Path, as_json: bool) -> int:
    import json

    from interview_journal.core import backups

    found = backups.list_backups(folder)
    if not found:
        print(f"No backups yet in {paths.backups_dir(folder)}.", file=sys.stderr)
        return EXIT_OK
    _prepare_stdout(as_json)
    for backup in found:
        taken_at = backup.taken_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        if as_json:
            print(json.dumps({"path": str(backup.path), "taken_at": taken_at,
                              "size": backup.size, "interviews": backup.interview_count},
                             ensure_ascii=False))
            continue
        count = "?" if backup.interview_count is None else f"{backup.interview_count:,}"
        kind = "" if backup.kind is backups.Kind.BACKUP else f"  ({backup.kind})"
        print(f"{backup.taken_at:%Y-%m-%d %H:%M:%S} UTC  {_size(backup.size):>9}  "
              f"{count:>6} interviews  {backup.path.name}{kind}")
    return EXIT_OK


def _restore(folder: Path, which: str, now: datetime) -> int:
    from interview_journal.core import backups

    if paths.app_holds(folder):
        print(f"interview-journal: error: the app has the data folder {folder} open; quit "
              "it, then restore (nothing was changed).", file=sys.stderr)
        return EXIT_BUSY
    if which == "latest":
        chosen = backups.newest_good_backup(folder)
        if chosen is None:
            listed = backups.list_backups(folder)
            if listed:
                print(f"interview-journal: error: none of the {len(listed)} backups in "
                      f"{paths.backups_dir(folder)} passes its check; nothing was changed.",
                      file=sys.stderr)
                return EXIT_DAMAGED
            print(f"interview-journal: error: there are no backups in "
                  f"{paths.backups_dir(folder)} to restore.", file=sys.stderr)
            return EXIT_USAGE
        source = chosen.path
    else:
        source = Path(which)
    previous = backups.restore(folder, source, now=now)
    print(f"Restored the journal from {source}.")
    if previous is not None:
        print(f"The journal as it was is in {previous}.")
    return EXIT_OK


def _newest_backup_line(folder: Path) -> str:
    """``check``'s line about what to restore, for a damaged journal."""
    from interview_journal.core import backups

    good = backups.newest_good_backup(folder)
    if good is None:
        return f"Newest good backup: none in {paths.backups_dir(folder)}"
    return (f"Newest good backup: {good.path} (taken {good.taken_at:%Y-%m-%d %H:%M} UTC, "
            f"{_interviews(good.interview_count)}); interview-journal restore latest puts "
            "it back")


def _interviews(count: int | None) -> str:
    if count is None:
        return "no interviews table"
    return f"{count:,} interview" + ("" if count == 1 else "s")


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
