"""Starting the GUI: application identity, logging, one instance, the window, clean exits.

Everything the window needs is passed in from here; no module holds a global window or
journal. The excepthook is installed by ``run()`` only, never by tests, so that under
pytest-qt an exception in a slot still fails the test.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QDeadlineTimer,
    QObject,
    QSettings,
    QSocketNotifier,
    Qt,
    QTimer,
    SignalInstance,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from interview_journal import APP_NAME, DESKTOP_ID, DISPLAY_NAME, __version__
from interview_journal.core import errors, paths
from interview_journal.core.errors import (
    DatabaseDamaged,
    JournalError,
    NewerSchema,
    StorageError,
)

if TYPE_CHECKING:  # imported where first used: the window paints before the journal opens
    from interview_journal.core.commands import ReflectRequest
    from interview_journal.core.journal import Journal
    from interview_journal.ui.instance import SingleInstance
    from interview_journal.ui.journal_check import CheckOutcome
    from interview_journal.ui.main_window import MainWindow

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_DAMAGED = 4
EXIT_NEWER = 5
# On SIGTERM/SIGINT an edit that cannot be saved yet (another program holds the journal) is
# retried this long before the app quits without it.
SIGNAL_SAVE_GRACE_MS = 5000
SIGNAL_RETRY_MS = 100
# What waits for the first paint starts anyway after this long if the window is not painted by
# then (started minimized), so that later launches can still hand over (they retry for 2 s).
AFTER_PAINT_FALLBACK_MS = 1000
LOG_FILE_NAME = "interview-journal.log"
# The log rotates at about this size, keeping this many older files.
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_identity(app: QGuiApplication) -> None:
    """Names Qt, the desktop and assistive technology use for the app (docs/architecture.md)."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ID)


def configure_logging(folder: Path | None = None) -> Path:
    """Log to a file in the platform's log folder (a GUI launch may have no stderr).

    The file is not bounded until ``start_log_rotation()``, which runs once the journal shows:
    the rotating handler's module (``logging.handlers``, with socket, pickle and queue) would
    slow start-up. Calling this again replaces the handler rather than adding a second one.
    Logs carry events and error types, never note text.
    """
    target = folder or paths.log_dir()
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    paths.tighten(target)  # a folder or files made earlier with looser modes: 0700 / 0600
    log_file = target / LOG_FILE_NAME
    _log_to(logging.FileHandler(log_file, encoding="utf-8", errors="backslashreplace"))
    logging.getLogger().setLevel(logging.INFO)
    return log_file


def start_log_rotation(log_file: Path) -> None:
    """Keep ``log_file`` bounded from now on: about 1 MB, with 3 older files beside it.

    Replaces the plain handler of ``configure_logging()``; if the file is already full, it
    rotates at the next record.
    """
    import logging.handlers

    _log_to(
        logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8",
            errors="backslashreplace",  # a path whose name is not UTF-8 is logged escaped
        ),
    )


def _log_to(handler: logging.FileHandler) -> None:
    """Make ``handler`` the root logger's only handler writing to its file."""
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    root = logging.getLogger()
    replaced = [
        old
        for old in root.handlers
        if isinstance(old, logging.FileHandler) and old.baseFilename == handler.baseFilename
    ]
    # One assignment: a record logged meanwhile (from another thread) goes to one of them.
    root.handlers = [old for old in root.handlers if old not in replaced] + [handler]
    for old in replaced:
        old.close()


def install_excepthook(log_file: Path, parent: Callable[[], QWidget | None]) -> None:
    """Log unexpected errors and show them in a plain-text dialog; the app keeps running.

    The traceback also goes to stderr where there is one, as Python's own hook does. On the
    offscreen platform there is no dialog: nobody could see or close it.
    """

    def hook(
        kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        log.error("unexpected error (%s)\n%s", kind.__name__, errors.log_text(error))
        if sys.stderr is not None:  # a GUI launch on Windows has no stderr
            sys.__excepthook__(kind, error, tb)
        if QApplication.instance() is None or QGuiApplication.platformName() == "offscreen":
            return
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Critical,
            DISPLAY_NAME,
            "Something went wrong inside Interview Journal. Your saved notes are safe.\n\n"
            f"Details were written to the log:\n{log_file}",
            QMessageBox.StandardButton.Ok,
            parent(),
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDetailedText("".join(traceback.format_exception(kind, error, tb)))
        box.exec()

    sys.excepthook = hook


class SignalWaker(QObject):
    """Lets SIGTERM/SIGINT reach Python while Qt idles, and turns them into a clean quit.

    A Python signal handler only runs when the interpreter gets control; Qt's event loop
    does not give it any while idle. ``signal.set_wakeup_fd`` writes to a socket that a
    ``QSocketNotifier`` watches, which wakes the loop.
    """

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)
        self._pending: list[int] = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, _frame: object) -> None:
        self._pending.append(signum)

    def _on_notifier_activated(self) -> None:
        with contextlib.suppress(BlockingIOError):  # another wake-up already drained it
            self._reader.recv(4096)
        while self._pending:
            self._on_signal(self._pending.pop(0))

    def close(self) -> None:
        """Stop listening and give the default handlers back."""
        signal.set_wakeup_fd(self._previous_fd)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


def open_journal(folder: Path) -> Journal:
    """Open the journal for the GUI thread (it waits at most ~50 ms for a lock)."""
    from interview_journal.core import db
    from interview_journal.core.journal import Journal

    return Journal.open(
        folder, busy_timeout_ms=db.GUI_BUSY_TIMEOUT_MS, set_aside_leftovers=True
    )


def set_aside_message(folder: Path, set_aside: Path) -> str:
    """What the status bar says after a leftover write-ahead log was moved aside."""
    return (
        f"journal.sqlite3 was missing or empty in {folder}, but its write-ahead log was still "
        f"there (it may hold notes). It was moved into {set_aside} and a new journal was "
        "started; keep that folder."
    )


class Session:
    """A started app: the window, holding the data folder, ready to ``exec()``.

    ``start()`` builds it; ``exec()`` runs the event loop and then closes everything in order.
    The journal opens in the event loop right after the window's first paint (``journal`` is
    None until then, and stays None if it cannot be opened: the app then exits with the
    code docs/architecture.md, Contracts gives). It takes no writes until a worker has checked it as
    ``interview-journal check`` does; a journal that fails the check ends the app with exit
    4, unchanged. The fault tests drive a ``Session`` in a child process, so what they kill
    is the real app.
    """

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        instance: SingleInstance,
    ) -> None:
        self.app = app
        self.window = window
        self.journal: Journal | None = None
        self.instance = instance
        self.waker = SignalWaker(self._on_signal)
        self._quit_deadline: QDeadlineTimer | None = None
        self._quit_retry = QTimer()
        self._quit_retry.setSingleShot(True)
        self._quit_retry.timeout.connect(self._quit_when_saved)
        # The app's own work starts once the journal is on screen and has passed its check.
        self._on_screen = False
        self._checked = False
        self._request: ReflectRequest | None = None  # the launch's own command, if any
        window.journal_checked.connect(self._on_window_journal_checked)
        app.aboutToQuit.connect(window.flush)
        app.aboutToQuit.connect(window.save_layout)
        app.aboutToQuit.connect(window.stop_background_work)  # before the journal closes
        app.commitDataRequest.connect(window.commit_data)
        app.setQuitOnLastWindowClosed(True)

    def _on_signal(self, signum: int) -> None:
        if self._quit_deadline is not None:
            return  # already saving in order to quit
        log.info("signal %s: saving and quitting", signum)
        self._quit_deadline = QDeadlineTimer(SIGNAL_SAVE_GRACE_MS)
        self._quit_when_saved()

    def _quit_when_saved(self) -> None:
        """Quit once every edit is saved, retrying while another program holds the journal.

        Leaves the event loop directly instead of closing the window: a window whose save
        failed asks the user what to do, and nobody answers that when the session ends or
        the app is killed. After the grace period the app quits unsaved (exit 1) rather than
        wait for the SIGKILL that follows an ignored SIGTERM.
        """
        assert self._quit_deadline is not None
        if self.window.flush():
            self.app.exit(EXIT_OK)
        elif self._quit_deadline.hasExpired():
            log.warning("quit on a signal with changes that could not be saved")
            self.app.exit(EXIT_UNEXPECTED)
        else:
            self._quit_retry.start(SIGNAL_RETRY_MS)

    def exec(self) -> int:
        """Run the event loop until the app quits; then release the journal and the folder."""
        try:
            code = self.app.exec()
        finally:
            self.close()
        return int(code)

    def open(self, folder: Path) -> bool:
        """Open the journal into the window, its writes held, and start its check; on failure
        (opening, or reading it into the window) say why and leave with its exit code."""
        try:
            journal = open_journal(folder)
        except NewerSchema as error:
            self._fail(str(error), EXIT_NEWER)
            return False
        except (DatabaseDamaged, StorageError, JournalError) as error:
            code = EXIT_DAMAGED if isinstance(error, DatabaseDamaged) else EXIT_UNEXPECTED
            self._fail(str(error), code)
            return False
        except OSError as error:  # the environment failed (permissions, a file in the way)
            self._fail(
                f"The journal in {folder} cannot be opened: {error.strerror or error}.",
                EXIT_UNEXPECTED,
            )
            return False
        except Exception as error:  # unforeseen: say so and end, never stay at "Opening…"
            log.error("the journal could not be opened (%s)\n%s", type(error).__name__,
                      errors.log_text(error))
            self._fail(
                f"The journal in {folder} could not be opened ({type(error).__name__}). "
                "The log has the details.",
                EXIT_UNEXPECTED,
            )
            return False
        # A damaged journal must never take a change: none until its check has passed.
        journal.hold_writes(
            "The journal is still being checked; the change is saved as soon as that is done."
        )
        self.journal = journal
        try:
            self.window.attach(journal)
        except Exception as error:  # reading it failed: a damaged journal ends the app too
            self._fail_reading(folder, error)
            return False
        if journal.set_aside is not None:
            text = set_aside_message(folder, journal.set_aside)
            log.warning("leftover write-ahead log moved aside into %s", journal.set_aside.name)
            self.window.status_message.setText(text)
            # The banner stays until closed, so the notice outlives later status messages.
            self.window.banner.show_message(
                self.window.tr("Your latest notes may be in a leftover file"), text
            )
            if sys.stderr is not None:
                print(f"warning: {text}", file=sys.stderr)
        self.window.check_journal()
        return True

    def _fail_reading(self, folder: Path, error: Exception) -> None:
        from interview_journal.core import db

        mapped = db.classify(error)
        if mapped is None:
            # Its message may quote stored text (a UTF-8 decode error does): frames only.
            log.error("the journal could not be shown (%s)\n%s", type(error).__name__,
                      errors.log_text(error))
            self._fail(
                f"The journal in {folder} could not be shown ({type(error).__name__}). "
                "The log has the details.",
                EXIT_UNEXPECTED,
            )
            return
        log.warning("the journal could not be read: %s", type(mapped).__name__)
        code = EXIT_DAMAGED if isinstance(mapped, DatabaseDamaged) else EXIT_UNEXPECTED
        self._fail(str(mapped), code)

    def journal_on_screen(self, request: ReflectRequest | None = None) -> None:
        """The journal shows: the app's work (timers, index upkeep, the launch's ``request``)
        starts once the journal has passed its check too."""
        self._on_screen = True
        self._request = request
        self._start_work()

    def _on_window_journal_checked(self, outcome: CheckOutcome) -> None:
        from interview_journal.ui import journal_check

        if outcome.status == journal_check.DAMAGED:
            self._fail(outcome.message, EXIT_DAMAGED)
            return
        if not outcome.ok:  # the check itself failed (a bug): not damage
            self._fail(outcome.message, EXIT_UNEXPECTED)
            return
        self._checked = True
        self._start_work()

    def _start_work(self) -> None:
        if not (self._on_screen and self._checked):
            return
        window = self.window
        window.start_timers()
        window.start_background_work()
        window.start_backups()
        if self._request is not None:
            window.run_command(self._request)

    def _fail(self, text: str, code: int) -> None:
        _fatal(text, self.window)
        self.window.hide()
        self.app.exit(code)

    def close(self) -> None:
        """Stop listening for signals, close the journal cleanly and unlock the data folder."""
        self._quit_retry.stop()
        self.waker.close()
        if self.journal is not None:
            self.window.detach()  # nothing reaches the journal once it is closed
            self.journal.close()
        self.instance.release()


def start(
    folder: Path, argv: Sequence[str], request: ReflectRequest | None = None
) -> Session | int:
    """Show the window for ``folder``; an exit code instead if there is nothing to run.

    ``request`` is what the command line asked for (parsed there, once); the window acts on
    it once the journal is open and checked. A second launch on the same folder hands
    ``argv`` and ``request`` to the running app and gets ``EXIT_OK``.
    The window paints first; right after, the session opens the journal into it, and a
    journal that cannot be opened ends the event loop with its exit code (docs/architecture.md).
    """
    from interview_journal.ui.instance import SingleInstance
    from interview_journal.ui.main_window import MainWindow

    log_file = configure_logging()
    app = QApplication.instance() or QApplication([_qt_text(sys.argv[0]), *map(_qt_text, argv)])
    assert isinstance(app, QApplication)
    configure_identity(app)
    window_ref: list[QWidget] = []
    install_excepthook(log_file, lambda: window_ref[0] if window_ref else None)

    instance = SingleInstance(folder)
    began = time.monotonic()
    try:
        paths.ensure_private_dir(folder)
        # Listening for later launches waits until the journal shows (_after_journal_shown).
        acquired = instance.acquire(listen=False)
    except OSError as error:  # the folder cannot be made or tightened: one line, no traceback
        _fatal(f"The data folder {folder} cannot be used: {error.strerror or error}.")
        return EXIT_UNEXPECTED
    except StorageError as error:
        _fatal(str(error))
        return EXIT_UNEXPECTED
    log.info(
        "data folder %s after %d ms",
        "taken" if acquired else "busy",
        round((time.monotonic() - began) * 1000),
    )
    if not acquired:
        if instance.send(list(argv), request=request):
            log.info("handed the command to the running instance")
            return EXIT_OK
        _fatal(
            "Interview Journal is already open on this journal, but it did not answer. "
            "Close it and try again."
        )
        return EXIT_UNEXPECTED
    window = MainWindow(None, QSettings())
    window_ref.append(window)
    instance.message_received.connect(window.handle_message)
    session = Session(app, window, instance)

    def open_journal() -> None:
        if session.open(folder):
            run_after_paint(
                window,
                window.journal_shown,
                lambda: _after_journal_shown(session, request, log_file),
            )

    run_after_paint(window, window.first_painted, open_journal)
    window.show()
    warning = paths.storage_warning(folder)
    if warning:
        QTimer.singleShot(0, lambda: window.status_message.setText(warning))
    log.info("started %s %s (pid %s)", DISPLAY_NAME, __version__, os.getpid())
    return session


def _qt_text(arg: str) -> str:
    """``arg`` as Qt can take it: bytes that were not UTF-8 (lone surrogates) replaced.

    PySide6 crashed (SIGSEGV) in ``QApplication(...)`` on an argument holding them.
    """
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in arg)


def run_after_paint(window: QWidget, painted: SignalInstance, action: Callable[[], None]) -> None:
    """Run ``action`` once, when ``painted`` (a frame of ``window`` is out) or after a fallback.

    The fallback, ``AFTER_PAINT_FALLBACK_MS``, covers a window that is not drawn (started
    minimized). A zero timer started at ``show()`` would not do: it fires before the paint.
    """
    fallback = QTimer(window)
    fallback.setSingleShot(True)
    done = False

    def run() -> None:
        nonlocal done
        fallback.stop()
        if not done:
            done = True
            action()

    fallback.timeout.connect(run)
    painted.connect(run)
    fallback.start(AFTER_PAINT_FALLBACK_MS)


def _after_journal_shown(
    session: Session, request: ReflectRequest | None, log_file: Path
) -> None:
    """Once the journal is on screen: the tray and notifications; then, once the journal has
    passed its check too, the timers, the index upkeep and the command.

    Listening for hand-overs comes first, as a later launch may be waiting for it (up to 2 s);
    then the log becomes bounded.
    """
    session.instance.listen()
    start_log_rotation(log_file)

    from interview_journal.ui.icons import app_icon
    from interview_journal.ui.instance import bring_to_front
    from interview_journal.ui.notifier import choose_notifier, default_service
    from interview_journal.ui.tray import TrayIcon

    window = session.window
    session.app.setWindowIcon(app_icon())
    tray = TrayIcon.create_later(window)
    notifier = choose_notifier(
        window,
        window.banner,
        tray=tray,
        service=default_service(),
        on_limited=window.status_message.setText,
    )
    window.set_notifier(notifier)
    tray.ready.connect(window.set_tray_in_use)
    def show_window() -> None:
        window.show()
        bring_to_front(window, "")

    tray.open_requested.connect(show_window)
    tray.just_finished_requested.connect(window.action_just_finished.trigger)
    tray.quit_requested.connect(window.quit_app)
    window.timer_controller.countdown_changed.connect(
        lambda text: tray.set_countdown(text or None)
    )
    session.app.aboutToQuit.connect(notifier.close)
    session.app.aboutToQuit.connect(tray.hide)
    session.app.aboutToQuit.connect(window.stop_timers)
    session.journal_on_screen(request)


def run(folder: Path, argv: Sequence[str], request: ReflectRequest | None = None) -> int:
    """Start the app on ``folder`` and run it: hand over to a running instance, or open the window.

    Returns the process exit code: 0 after a normal quit (including SIGTERM/SIGINT, which save
    first) and after handing over; 1 if a signal's save could not be made within the grace
    period; otherwise as ``start()`` says.
    """
    started = start(folder, argv, request)
    if isinstance(started, int):
        return started
    return started.exec()


def _fatal(text: str, parent: QWidget | None = None) -> None:
    log.error("cannot start: %s", text)
    if QApplication.instance() is not None and QGuiApplication.platformName() != "offscreen":
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Critical, DISPLAY_NAME, text, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
    print(f"error: {text}", file=sys.stderr)

