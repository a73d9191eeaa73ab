"""Starting the app: the log file (plain until the first paint, rotating after it) and what
waits for the first paint."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from pytestqt.qtbot import QtBot

from interview_journal.core.journal import Journal
from interview_journal.ui import app

from .conftest import WindowFactory

log = logging.getLogger("interview_journal.test_app")


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger, given back afterwards with its own handlers and level."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers = handlers
    root.setLevel(level)


def _file_handlers(root: logging.Logger, log_file: Path) -> list[logging.FileHandler]:
    return [
        handler
        for handler in root.handlers
        if isinstance(handler, logging.FileHandler) and handler.baseFilename == str(log_file)
    ]


def _messages(path: Path) -> list[str]:
    """The messages this module logged to ``path``, in order."""
    return [
        line.split(": ", 1)[1]
        for line in path.read_text(encoding="utf-8").splitlines()
        if f" {log.name}: " in line
    ]


def test_lines_before_and_after_rotation_starts_land_once_and_in_order(
    root_logger: logging.Logger, tmp_path: Path
) -> None:
    log_file = app.configure_logging(tmp_path / "log")
    assert app.configure_logging(tmp_path / "log") == log_file  # a second call adds no handler
    (plain,) = _file_handlers(root_logger, log_file)
    assert not isinstance(plain, logging.handlers.RotatingFileHandler)
    log.info("before")

    app.start_log_rotation(log_file)
    log.info("after")

    (rotating,) = _file_handlers(root_logger, log_file)
    assert isinstance(rotating, logging.handlers.RotatingFileHandler)
    assert (rotating.maxBytes, rotating.backupCount) == (app.LOG_MAX_BYTES, app.LOG_BACKUPS)
    assert plain.stream is None  # closed, not leaked
    assert _messages(log_file) == ["before", "after"]


def test_a_full_log_rotates_once_rotation_starts_and_stays_bounded(
    root_logger: logging.Logger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "LOG_MAX_BYTES", 1000)
    folder = tmp_path / "log"
    folder.mkdir()
    (folder / app.LOG_FILE_NAME).write_text("an older line\n" * 100, encoding="utf-8")
    log_file = app.configure_logging(folder)
    log.info("before")  # the plain handler appends to the full file
    assert log_file.stat().st_size > 1000

    app.start_log_rotation(log_file)
    log.info("after")

    backup = folder / f"{app.LOG_FILE_NAME}.1"
    assert _messages(backup) == ["before"]
    assert _messages(log_file) == ["after"]

    for number in range(100):
        log.info("line %d", number)
    logs = sorted(path.name for path in folder.iterdir())
    assert logs == [app.LOG_FILE_NAME, *(f"{app.LOG_FILE_NAME}.{n}" for n in (1, 2, 3))]
    assert all((folder / name).stat().st_size <= 1000 for name in logs)
    assert _messages(log_file)[-1] == "line 99"


class _PaintRecorder(QObject):
    """Notes each paint event of the object it filters."""

    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self._events = events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self._events.append("paint")
        return False


def test_the_rest_of_start_up_runs_once_just_after_the_first_paint(
    qtbot: QtBot, make_window: WindowFactory, journal: Journal
) -> None:
    window = make_window(journal)
    events: list[str] = []
    recorder = _PaintRecorder(events)
    window.installEventFilter(recorder)
    app.run_after_paint(window, window.first_painted, lambda: events.append("rest"))

    window.show()
    qtbot.waitUntil(lambda: "rest" in events)

    assert events[0] == "paint"
    window.repaint()
    assert events.count("paint") > 1
    assert events.count("rest") == 1
    window.removeEventFilter(recorder)


def test_a_window_that_is_not_painted_gets_the_rest_after_the_fallback(
    qtbot: QtBot, make_window: WindowFactory, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "AFTER_PAINT_FALLBACK_MS", 50)
    window = make_window(journal)  # never shown before the fallback: as if started minimized
    ran: list[str] = []
    app.run_after_paint(window, window.first_painted, lambda: ran.append("rest"))

    qtbot.waitUntil(lambda: ran == ["rest"])

    with qtbot.waitSignal(window.first_painted):
        window.show()
    assert ran == ["rest"]  # not again after the paint


def test_an_unforeseen_failure_to_open_the_journal_ends_the_app_instead_of_waiting(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from interview_journal.ui.instance import SingleInstance
    from interview_journal.ui.main_window import MainWindow

    def broken(_folder: Path) -> Journal:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app, "open_journal", broken)
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(None, settings)
    qtbot.addWidget(window)
    window.show()
    instance = SingleInstance(tmp_path / "data")
    session = app.Session(app.QApplication.instance(), window, instance)  # type: ignore[arg-type]
    try:
        with caplog.at_level(logging.ERROR):
            assert not session.open(tmp_path / "data")
    finally:
        session.close()

    assert exits == [app.EXIT_UNEXPECTED]
    assert not window.isVisible()  # not left saying "Opening your journal…"
    assert "the journal could not be opened" in caplog.text
    assert "RuntimeError (message left out)" in caplog.text  # the traceback is in the log
    assert "in broken" in caplog.text


# --------------------------------------------------------------------------- damaged journals


def _journal_with_companies(folder: Path) -> Path:
    with Journal.open(folder) as journal:
        for number in range(5):
            journal.create_company(f"Company {number}")
    return folder / "journal.sqlite3"


def _spoil_page_of(journal_file: Path, name: str) -> str:
    """Overwrite the root page of table or index ``name``; returns the file's SHA-256."""
    import hashlib
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(journal_file)) as conn:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,))
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(journal_file.read_bytes())
    start = (root[0] - 1) * page_size
    data[start : start + page_size] = bytes(b ^ 0xFF for b in data[start : start + page_size])
    journal_file.write_bytes(bytes(data))
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def session_parts(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[app.Session, list[int]]]:
    """A session on a frame window, as ``start()`` builds it; QApplication.exit is recorded."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from interview_journal.ui.instance import SingleInstance
    from interview_journal.ui.main_window import MainWindow

    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(None, settings)
    qtbot.addWidget(window)
    window.show()
    instance = SingleInstance(tmp_path / "data")
    session = app.Session(app.QApplication.instance(), window, instance)  # type: ignore[arg-type]
    try:
        yield session, exits
    finally:
        window.stop_background_work()
        session.close()


def test_a_journal_that_cannot_be_read_into_the_window_ends_the_app_with_exit_4(
    session_parts: tuple[app.Session, list[int]], tmp_path: Path
) -> None:
    import hashlib

    session, exits = session_parts
    journal_file = _journal_with_companies(tmp_path / "data")
    spoiled = _spoil_page_of(journal_file, "company")  # opens, but the tree cannot be read

    assert not session.open(tmp_path / "data")
    session.close()

    assert exits == [app.EXIT_DAMAGED]
    assert not session.window.isVisible()  # never left half-open
    assert hashlib.sha256(journal_file.read_bytes()).hexdigest() == spoiled


def test_a_journal_that_fails_its_check_takes_no_write_and_ends_the_app_with_exit_4(
    session_parts: tuple[app.Session, list[int]], tmp_path: Path, qtbot: QtBot
) -> None:
    import hashlib

    from interview_journal.core.errors import WritesHeld

    session, exits = session_parts
    journal_file = _journal_with_companies(tmp_path / "data")
    # An index the window does not read: it opens and shows, and only the check sees it.
    spoiled = _spoil_page_of(journal_file, "company_normalized_name")

    with qtbot.waitSignal(session.window.journal_checked) as checked:
        assert session.open(tmp_path / "data")
        assert session.journal is not None
        with pytest.raises(WritesHeld):
            session.journal.create_company("Written to a damaged journal")

    assert checked.args is not None
    assert checked.args[0].status == "damaged"
    assert "damaged" in checked.args[0].message
    assert exits == [app.EXIT_DAMAGED]
    assert not session.window.isVisible()
    session.close()
    assert hashlib.sha256(journal_file.read_bytes()).hexdigest() == spoiled


def test_a_whole_journal_takes_writes_once_its_check_has_passed(
    session_parts: tuple[app.Session, list[int]], tmp_path: Path, qtbot: QtBot
) -> None:
    session, exits = session_parts
    _journal_with_companies(tmp_path / "data")

    with qtbot.waitSignal(session.window.journal_checked) as checked:
        assert session.open(tmp_path / "data")
        assert session.journal is not None
        assert not session.journal.writes_allowed

    assert checked.args is not None
    assert checked.args[0].ok
    assert session.journal.writes_allowed
    session.journal.create_company("Acme")
    assert exits == []


def test_a_request_handed_over_while_the_journal_is_checked_runs_once_it_passed(
    session_parts: tuple[app.Session, list[int]], tmp_path: Path, qtbot: QtBot
) -> None:
    from interview_journal.core.commands import ReflectRequest

    session, exits = session_parts
    _journal_with_companies(tmp_path / "data")
    window = session.window

    with qtbot.waitSignal(window.journal_checked) as checked:
        assert session.open(tmp_path / "data")
        assert session.journal is not None
        window.handle_message({"argv": [], "activation_token": "",
                               "command": ReflectRequest(company="Hooli", role="SRE")})
        assert not session.journal.writes_allowed  # so it waits, queued
    assert checked.args is not None
    assert checked.args[0].ok

    qtbot.waitUntil(lambda: window.timer_controller.timers.current is not None)
    doc = session.journal.interview(window.controller.interview_id)
    assert (doc.company_name, doc.role) == ("Hooli", "SRE")
    window.stop_timers()
    assert exits == []


def test_a_check_the_disk_stopped_keeps_writes_held_says_so_and_runs_again(
    session_parts: tuple[app.Session, list[int]],
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import QTimer

    from interview_journal.core import db
    from interview_journal.core.errors import DiskFull, WritesHeld

    session, exits = session_parts
    _journal_with_companies(tmp_path / "data")
    real_inspect = db.inspect
    calls: list[int] = []

    def full_once(*args: object, **kwargs: object) -> db.JournalStatus:
        calls.append(1)
        if len(calls) == 1:  # what a -shm that cannot grow on a full disk gives
            raise DiskFull("The disk is full, so the journal cannot be written.")
        return real_inspect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "inspect", full_once)
    assert session.open(tmp_path / "data")
    assert session.journal is not None
    window = session.window
    qtbot.waitUntil(lambda: "could not be checked yet" in window.status_message.text())
    assert "disk is full" in window.status_message.text()
    with pytest.raises(WritesHeld):
        session.journal.create_company("Written before the check passed")
    assert exits == []  # a full disk is not damage: no exit 4
    retry = window.findChild(QTimer, "journalCheckRetryTimer")
    assert retry is not None

    assert retry.isActive()
    retry.stop()
    with qtbot.waitSignal(window.journal_checked) as checked:
        retry.timeout.emit()  # the retry, without waiting for its timer

    assert checked.args is not None
    assert checked.args[0].ok
    assert len(calls) == 2
    assert session.journal.writes_allowed
    assert exits == []


def test_a_check_that_fails_unexpectedly_exits_1_not_4_and_logs_no_message(
    session_parts: tuple[app.Session, list[int]],
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from interview_journal.core import db

    session, exits = session_parts
    _journal_with_companies(tmp_path / "data")

    note = "my " + "private note"  # what a message may quote; the frames show only source

    def bug(*_args: object, **_kwargs: object) -> db.JournalStatus:
        raise MemoryError(f"while reading {note}")

    monkeypatch.setattr(db, "inspect", bug)
    with qtbot.waitSignal(session.window.journal_checked) as checked:
        assert session.open(tmp_path / "data")

    assert checked.args is not None
    assert checked.args[0].status == "failed"
    assert exits == [app.EXIT_UNEXPECTED]
    assert "MemoryError" in caplog.text
    assert "in bug" in caplog.text  # the frames are there
    assert "private note" not in caplog.text


def test_a_journal_that_cannot_be_shown_is_logged_without_its_message(
    session_parts: tuple[app.Session, list[int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    session, exits = session_parts
    _journal_with_companies(tmp_path / "data")

    note = "my " + "private note"  # what a message may quote; the frames show only source

    def attach(_journal: Journal) -> None:
        raise ValueError(f"could not show {note}")

    monkeypatch.setattr(session.window, "attach", attach)
    assert not session.open(tmp_path / "data")

    assert exits == [app.EXIT_UNEXPECTED]
    assert "ValueError" in caplog.text
    assert "private note" not in caplog.text


@pytest.mark.parametrize("journal_file", ["missing", "empty"])
def test_the_app_moves_a_leftover_log_aside_and_says_so_in_the_status_bar(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str], journal_file: str
) -> None:
    from PySide6.QtCore import QSettings

    from interview_journal.ui.instance import SingleInstance
    from interview_journal.ui.main_window import MainWindow

    folder = tmp_path / "data"
    folder.mkdir()
    if journal_file == "empty":  # emptied by a sync tool: the log holds everything
        (folder / "journal.sqlite3").write_bytes(b"")
    (folder / "journal.sqlite3-wal").write_bytes(b"a log that may hold notes" * 100)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(None, settings)
    qtbot.addWidget(window)
    window.show()
    instance = SingleInstance(folder)
    session = app.Session(app.QApplication.instance(), window, instance)  # type: ignore[arg-type]
    try:
        assert session.open(folder)
        assert session.journal is not None
        moved = session.journal.set_aside
        assert moved is not None
        text = window.status_message.text()
        assert str(moved) in text
        assert "write-ahead log" in text
        # And in the banner, which stays until it is closed.
        assert window.banner.is_showing()
        assert str(moved) in window.banner.body_label.text()
        assert (moved / "journal.sqlite3-wal").read_bytes() == b"a log that may hold notes" * 100
        assert not (folder / "journal.sqlite3-wal").read_bytes().startswith(b"a log")
        window.stop_background_work()
    finally:
        session.close()
    assert str(moved) in capsys.readouterr().err


def test_an_existing_log_folder_and_files_with_loose_modes_are_tightened(
    root_logger: logging.Logger, tmp_path: Path
) -> None:
    import stat

    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    for name in (app.LOG_FILE_NAME, app.LOG_FILE_NAME + ".1"):
        (folder / name).write_text("older lines\n", encoding="utf-8")
        (folder / name).chmod(0o644)

    app.configure_logging(folder)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in (app.LOG_FILE_NAME, app.LOG_FILE_NAME + ".1"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600


def test_a_path_that_is_not_utf8_is_logged_escaped_not_as_a_logging_error(
    root_logger: logging.Logger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = app.configure_logging(tmp_path / "log")
    log.info("data folder %s", "/tmp/bad\udcff")
    assert "Logging error" not in capsys.readouterr().err
    assert "/tmp/bad\\udcff" in log_file.read_text(encoding="utf-8")


def test_qt_never_receives_lone_surrogates() -> None:
    assert app._qt_text("--data-dir=/tmp/bad\udcff") == "--data-dir=/tmp/bad\ufffd"
    assert app._qt_text("plain") == "plain"
