"""The search panel (F4): typing, cancelling, opening at the match, filters, plain text,
the results model, empty states, Ctrl+F and the background index backfill.

Every test drains the window's thread pool at the end: a worker left running is a bug.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QDate, QModelIndex, QPoint, QRect, Qt, QThreadPool
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDockWidget,
    QLineEdit,
    QListView,
    QSpinBox,
    QStyleOptionViewItem,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from interview_journal.core import search
from interview_journal.core.journal import SESSION_OPEN_KEY, Journal
from interview_journal.core.search import SearchFilters, SearchHit, SearchResults
from interview_journal.ui.main_window import MainWindow
from interview_journal.ui.search_panel import (
    HIGHLIGHTS_ROLE,
    HIT_ROLE,
    SECTION_ROLE,
    SNIPPET_ROLE,
    SearchPanel,
    SearchResultDelegate,
    SearchResultsModel,
    match_terms,
    section_label,
)
from interview_journal.ui.search_runner import SearchRequest, SearchRunner
from interview_journal.ui.sections import ActionItemCard, QuestionCard

from .conftest import WindowFactory

DRAIN_MS = 10_000


@pytest.fixture
def drained(make_window: WindowFactory) -> Iterator[list[MainWindow]]:
    """Windows whose workers must all have finished when the test ends (before the journal
    closes: this fixture is torn down before ``make_window`` and ``journal``)."""
    windows: list[MainWindow] = []
    yield windows
    for made in windows:
        assert made.stop_background_work(DRAIN_MS), "a worker was still running"
        assert made.pool.activeThreadCount() == 0


@pytest.fixture
def win(window: MainWindow, drained: list[MainWindow]) -> MainWindow:
    """The shown main window, drained after the test."""
    drained.append(window)
    return window


@pytest.fixture
def panel(win: MainWindow) -> SearchPanel:
    """The window's search panel, shown."""
    win.action_search.trigger()
    return win.search_panel


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    """A pool of its own for runner tests, drained after the test."""
    made = QThreadPool()
    made.setMaxThreadCount(4)
    yield made
    assert made.waitForDone(DRAIN_MS)


def add(
    journal: Journal,
    company: str,
    role: str = "Engineer",
    *,
    on: date | None = date(2026, 2, 10),
    stage: str = "",
    **fields: object,
) -> int:
    """An interview at ``company`` with some text; returns its id."""
    company_id = journal.create_company(company).company.id
    doc = journal.create_interview(company_id, role=role, stage=stage, on=on)
    if fields:
        journal.update_interview(doc.id, **fields)
    return doc.id


def type_query(qtbot: QtBot, panel: SearchPanel, text: str) -> None:
    """Replace the box's text as a user would and wait for what the panel then shows."""
    panel.box.clear()
    with qtbot.waitSignal(panel.results_changed, timeout=5000):
        QTest.keyClicks(panel.box, text)


def rows(panel: SearchPanel) -> list[SearchHit]:
    """The hits the results model holds, in order."""
    return list(panel.model.hits)


def make_hit(interview_id: int = 1, **changes: object) -> SearchHit:
    """A SearchHit with plausible values."""
    hit = SearchHit(
        interview_id=interview_id,
        interview_uuid=f"00000000-0000-0000-0000-{interview_id:012d}",
        company="Acme",
        role="Backend engineer",
        starts_at=None,
        date=date(2026, 3, 4),
        section="went_poorly",
        snippet="I froze on the Kafka question.",
        highlights=((15, 20),),
        rank=interview_id,
        score=-1.0,
    )
    return replace(hit, **changes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the dock


def test_ctrl_f_shows_the_dock_and_focuses_the_box(win: MainWindow, qtbot: QtBot) -> None:
    dock = win.search_panel
    assert win.findChild(QDockWidget, "searchPanel") is dock
    assert dock.windowTitle() == "Search"
    assert not dock.isVisible()  # hidden by default
    action = next(a for a in win.actions() if a.objectName() == "actionSearch")
    assert action.shortcut().toString() == "Ctrl+F"
    assert action in win.menuBar().actions()[1].menu().actions()  # the Edit menu
    assert win.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)

    QTest.keyClick(win.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    box = win.findChild(QLineEdit, "searchBox")
    assert dock.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box)
    assert box.accessibleName() == "Search"
    assert box.placeholderText()
    results = win.findChild(QListView, "searchResults")
    assert results is not None
    assert results.accessibleName()


def test_the_dock_remembers_that_it_was_open(
    make_window: WindowFactory, journal: Journal, drained: list[MainWindow]
) -> None:
    first = make_window(journal)
    drained.append(first)
    first.show()
    first.action_search.trigger()
    first.save_layout()

    second = make_window(journal)
    drained.append(second)
    second.show()
    assert second.search_panel.isVisible()

    second.search_panel.close()
    second.save_layout()
    third = make_window(journal)
    drained.append(third)
    third.show()
    assert not third.search_panel.isVisible()


# --------------------------------------------------------------------------- searching


def test_typing_fills_results_with_a_count(
    panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    ids = {
        add(journal, "Acme", went_poorly="Kubernetes operators tripped me up."),
        add(journal, "Globex", notes="Asked about kubernetes networking."),
        add(journal, "Initech", went_well="Explained Kubernetes probes well."),
    }
    add(journal, "Umbrella", notes="Nothing about containers.")

    type_query(qtbot, panel, "kubernetes")

    assert {hit.interview_id for hit in rows(panel)} == ids
    assert panel.count_label.isVisible()
    assert panel.count_label.text() == "3 interviews"
    assert panel.results.isVisible()
    first = panel.model.index(0, 0)
    assert panel.results.currentIndex() == first  # Return opens the best hit
    assert "Kubernetes" in first.data(SNIPPET_ROLE) or "kubernetes" in first.data(SNIPPET_ROLE)

    type_query(qtbot, panel, "networking")
    assert panel.count_label.text() == "1 interview"
    assert panel.model.index(0, 0).data(SECTION_ROLE) == "Notes"


def test_the_last_word_matches_as_a_prefix_as_you_type(
    panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    wanted = add(journal, "Acme", notes="We talked about Kubernetes for an hour.")

    type_query(qtbot, panel, "kube")

    assert [hit.interview_id for hit in rows(panel)] == [wanted]


def test_a_newer_query_cancels_the_older_and_stale_results_never_show(
    win: MainWindow,
    panel: SearchPanel,
    journal: Journal,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kube = add(journal, "Acme", notes="kubernetes")
    postgres = add(journal, "Globex", notes="postgres")
    win.pool.setMaxThreadCount(4)  # the old search blocks one thread
    real = journal.search
    started, release = threading.Event(), threading.Event()
    tokens: list[search.Cancel] = []

    def slow_for_kubernetes(query: str, **options: object) -> SearchResults:
        cancel = options.pop("cancel")
        if query == "kubernetes":
            assert isinstance(cancel, search.Cancel)
            tokens.append(cancel)
            started.set()
            release.wait(DRAIN_MS / 1000)
        return real(query, **options)  # type: ignore[arg-type]  # full results, even if stale

    monkeypatch.setattr(journal, "search", slow_for_kubernetes)
    shown: list[list[int]] = []
    panel.results_changed.connect(lambda: shown.append([h.interview_id for h in rows(panel)]))

    panel.box.setText("kubernetes")
    qtbot.waitUntil(started.is_set)
    with qtbot.waitSignal(panel.results_changed, timeout=5000):
        panel.box.setText("postgres")  # typed over, not cleared first
    assert [hit.interview_id for hit in rows(panel)] == [postgres]
    assert tokens[0].cancelled  # the newer query cancelled the older one

    with qtbot.waitSignal(panel.runner.dropped, timeout=5000):
        release.set()

    assert [hit.interview_id for hit in rows(panel)] == [postgres]
    assert [kube] not in shown
    assert not panel.runner.busy


def test_the_runner_drops_the_results_of_a_superseded_request(
    journal: Journal, pool: QThreadPool, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(journal, "Acme", notes="kafka")
    runner = SearchRunner(journal, pool)
    real = journal.search
    release = threading.Event()
    calls: list[int] = []

    def first_call_waits(query: str, **options: object) -> SearchResults:
        calls.append(1)
        options.pop("cancel")
        if len(calls) == 1:
            release.wait(DRAIN_MS / 1000)
        return real(query, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(journal, "search", first_call_waits)
    finished: list[tuple[SearchRequest, SearchResults]] = []
    dropped: list[int] = []
    runner.finished.connect(lambda req, res: finished.append((req, res)))
    runner.dropped.connect(dropped.append)

    old = runner.submit(SearchRequest("kafka"))
    qtbot.waitUntil(lambda: len(calls) == 1)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        new = runner.submit(SearchRequest("kafka", limit=10))
    with qtbot.waitSignal(runner.dropped, timeout=5000):
        release.set()

    assert new > old
    assert dropped == [old]
    assert [request.limit for request, _ in finished] == [10]
    assert len(finished[0][1].hits) == 1
    qtbot.waitUntil(lambda: not runner.busy)


def test_more_results_load_when_the_list_scrolls_to_its_end(
    panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    company = journal.create_company("Acme").company.id
    for number in range(60):
        doc = journal.create_interview(company, role=f"Role {number}")
        journal.update_interview(doc.id, notes=f"zeppelin story {number}")

    type_query(qtbot, panel, "zeppelin")
    assert panel.model.rowCount() == 50
    assert panel.count_label.text() == "60 interviews"

    with qtbot.waitSignal(panel.results_changed, timeout=5000):
        panel.results.scrollToBottom()
        panel.model.fetchMore(QModelIndex())
    assert panel.model.rowCount() == 60
    assert len({hit.interview_id for hit in rows(panel)}) == 60
    assert not panel.model.canFetchMore(QModelIndex())

    panel.results.setCurrentIndex(panel.model.index(55, 0))
    current = rows(panel)[55].interview_id
    with qtbot.waitSignal(panel.results_changed, timeout=5000):
        panel.refresh()  # the journal changed: the same search again keeps what is shown
    assert panel.model.rowCount() == 60
    assert panel.model.hit(panel.results.currentIndex().row()).interview_id == current


# --------------------------------------------------------------------------- opening


def test_return_opens_the_interview_with_the_match_selected(
    win: MainWindow, panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    add(journal, "Globex", notes="Nothing to see.")
    text = (
        "The warm-up was fine.\n\n" * 40
        + "Then I 😅 froze when they asked about KUBERNETES operators.\nLater: kubernetes again."
    )
    wanted = add(journal, "Acme", went_poorly=text, notes="ordinary notes")
    before = journal.interview(wanted).updated_at
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    panel.focus_search()

    type_query(qtbot, panel, "kubernetes")
    QTest.keyClick(panel.box, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is panel.results
    QTest.keyClick(panel.results, Qt.Key.Key_Return)

    assert win.controller.interview_id == wanted
    editor = win.editor.sections["went_poorly"]
    assert editor.textCursor().selectedText() == "KUBERNETES"  # the first, whatever its case
    assert QApplication.focusWidget() is editor
    scroll = win.editor._scroll
    qtbot.waitUntil(  # the match is scrolled into view once the form has settled
        lambda: scroll.viewport().rect().contains(
            editor.viewport().mapTo(scroll.viewport(), editor.cursorRect().center())
        )
    )
    assert scroll.verticalScrollBar().value() > 0
    # Selecting is not an edit.
    assert not editor.document().isModified()
    assert not win.controller.has_pending()
    assert journal.interview(wanted).updated_at == before


def test_enter_in_the_box_opens_the_best_hit(
    win: MainWindow, panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    wanted = add(journal, "Acme", do_differently="Practise the zeppelin story.")
    type_query(qtbot, panel, "zeppelin")

    with qtbot.waitSignal(panel.open_requested) as opened:
        QTest.keyClick(panel.box, Qt.Key.Key_Return)

    assert opened.args == [wanted, "do_differently", ["zeppelin"]]
    assert win.editor.sections["do_differently"].textCursor().selectedText() == "zeppelin"


def test_return_typed_before_the_results_came_opens_the_best_hit(
    win: MainWindow, panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    add(journal, "Globex", notes="a zeppelin")
    best = add(journal, "Acme", notes="zeppelin zeppelin zeppelin zeppelin")

    with qtbot.waitSignal(panel.open_requested, timeout=5000) as opened:
        QTest.keyClicks(panel.box, "zeppelin")
        QTest.keyClick(panel.box, Qt.Key.Key_Return)  # within the debounce
        assert win.controller.interview_id is None

    assert opened.args[0] == best
    assert win.controller.interview_id == best


def test_a_click_opens_questions_and_action_items_at_the_match(
    win: MainWindow, panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    asked = add(journal, "Acme")
    journal.add_question(asked, "Tell me about a time you failed.", "I said something bland.")
    journal.add_question(asked, "How do you design a rate limiter?", "Token bucket, in Redis.")
    practise = add(journal, "Globex")
    journal.add_action_item(practise, "Read about load balancing")
    journal.add_action_item(practise, "Practise the rate limiter design out loud")

    type_query(qtbot, panel, "limiter")
    assert {hit.interview_id for hit in rows(panel)} == {asked, practise}

    for row, hit in enumerate(rows(panel)):
        rect = panel.results.visualRect(panel.model.index(row, 0))
        QTest.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert win.controller.interview_id == hit.interview_id
        if hit.interview_id == asked:
            assert hit.section == "questions"
            card = win.editor.questions.cards()[1]
            assert isinstance(card, QuestionCard)
            assert card.editors["question"].textCursor().selectedText() == "limiter"
        else:
            assert hit.section == "action_items"
            item = win.editor.action_items.cards()[1]
            assert isinstance(item, ActionItemCard)
            assert item.text.selectedText() == "limiter"
    assert not win.controller.has_pending()


def test_reveal_handles_the_header_and_chip_sections(
    win: MainWindow, journal: Journal
) -> None:
    interview = add(journal, "Acme Rockets", role="Staff platform engineer")
    journal.set_topics(interview, ["System design", "Observability"])
    journal.add_interviewer(interview, "Dana Scully", "Engineering manager")
    assert win.open_interview(interview)
    editor = win.editor

    assert editor.reveal("role", ["PLATFORM"])
    assert editor.role.selectedText() == "platform"
    assert editor.reveal("company", ["rockets"])
    line = editor.company.lineEdit()
    assert line is not None
    assert line.selectedText() == "Rockets"
    assert editor.reveal("topics", ["observability"])
    assert editor.topics.list.currentItem().text() == "Observability"
    assert editor.reveal("people", ["scully"])
    assert "Dana Scully" in editor.interviewers.list.currentItem().text()
    assert not editor.reveal("notes", ["absent"])
    assert not editor.reveal("no_such_section", ["x"])
    assert not win.controller.has_pending()


def test_trashing_an_interview_takes_it_out_of_the_results(
    make_window: WindowFactory, journal: Journal, drained: list[MainWindow], qtbot: QtBot
) -> None:
    kept = add(journal, "Acme", notes="zeppelin")
    gone = add(journal, "Globex", notes="zeppelin zeppelin")
    win = make_window(journal)  # after the interviews, so its tree has them
    drained.append(win)
    win.show()
    win.action_search.trigger()
    panel = win.search_panel
    type_query(qtbot, panel, "zeppelin")
    assert len(rows(panel)) == 2
    with qtbot.waitSignal(panel.open_requested):
        panel.results.setCurrentIndex(panel.model.index(panel.model.row_of(gone), 0))
        QTest.keyClick(panel.results, Qt.Key.Key_Return)
    assert win.tree.current_interview_id() == gone

    with qtbot.waitSignal(panel.results_changed, timeout=5000):
        win.action_trash.trigger()

    assert [hit.interview_id for hit in rows(panel)] == [kept]


# --------------------------------------------------------------------------- filters


def test_filters_narrow_the_results(
    panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    acme_tech = add(journal, "Acme", stage="technical", on=date(2026, 1, 5),
                    notes="python", self_rating=4, outcome="advanced")
    acme_final = add(journal, "Acme", stage="final", on=date(2026, 2, 20),
                     notes="python", self_rating=2, outcome="rejected")
    globex = add(journal, "Globex", stage="technical", on=date(2026, 3, 1),
                 notes="python", self_rating=5, outcome="advanced")
    type_query(qtbot, panel, "python")
    assert {hit.interview_id for hit in rows(panel)} == {acme_tech, acme_final, globex}
    assert not panel.filters_box.isVisible()

    QTest.mouseClick(panel.filters_toggle, Qt.MouseButton.LeftButton)
    assert panel.filters_box.isVisible()
    acme = panel.company_filter.findText("Acme")
    assert acme > 0
    assert panel.company_filter.itemText(0) == "All companies"

    def choose(change: Callable[[], None]) -> set[int]:
        with qtbot.waitSignal(panel.results_changed, timeout=5000):
            change()
        return {hit.interview_id for hit in rows(panel)}

    assert choose(lambda: panel.company_filter.setCurrentIndex(acme)) == {acme_tech, acme_final}
    assert panel.filters_toggle.text() == "Filters (1)"
    stage = panel.stage_filter.findData("technical")
    assert choose(lambda: panel.stage_filter.setCurrentIndex(stage)) == {acme_tech}
    assert panel.filters() == SearchFilters(company_id=journal.companies()[0].id,
                                            stage="technical")
    assert choose(panel.clear_filters_button.click) == {acme_tech, acme_final, globex}
    assert panel.filters() is None
    assert panel.filters_toggle.text() == "Filters"

    outcome = panel.outcome_filter.findData("advanced")
    assert choose(lambda: panel.outcome_filter.setCurrentIndex(outcome)) == {acme_tech, globex}
    assert choose(lambda: panel.rating_filter.setValue(5)) == {globex}
    panel.clear_filters_button.click()
    panel.date_from.setDate(QDate(2026, 2, 1))
    assert choose(lambda: panel.date_from_check.setChecked(True)) == {acme_final, globex}
    panel.date_to.setDate(QDate(2026, 2, 28))
    assert choose(lambda: panel.date_to_check.setChecked(True)) == {acme_final}

    assert choose(lambda: panel.date_to.setDate(QDate(2026, 1, 31))) == set()
    assert "Filters are on" in panel.empty_label.text()


# --------------------------------------------------------------------------- plain text


HOSTILE_COMPANY = "<b>Bold</b> Corp"
HOSTILE_NOTES = 'See <img src="file:///etc/passwd"> and <b>kafka</b> & <a href="x">y</a>.'


def test_user_text_shows_literally_in_results_and_snippets(
    panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    add(journal, HOSTILE_COMPANY, role="<i>Lead</i>", notes=HOSTILE_NOTES)

    type_query(qtbot, panel, "kafka")

    index = panel.model.index(0, 0)
    display = index.data(Qt.ItemDataRole.DisplayRole)
    assert display.startswith("<b>Bold</b> Corp · <i>Lead</i> · ")
    snippet = index.data(SNIPPET_ROLE)
    assert '<img src="file:///etc/passwd">' in snippet
    assert "<b>kafka</b>" in snippet
    [(start, end)] = index.data(HIGHLIGHTS_ROLE)
    assert snippet[start:end] == "kafka"
    # The delegate lays the snippet out as the very characters (no markup parsed).
    hit = index.data(HIT_ROLE)
    layouts = panel.delegate.snippet_layouts(
        hit.snippet, hit.highlights, panel.results.font(), 2000,
        panel.delegate._highlight_format(panel.results.palette(), False),
    )
    assert "".join(layout.text() for layout in layouts) == snippet
    assert panel.count_label.textFormat() == Qt.TextFormat.PlainText
    assert panel.empty_label.textFormat() == Qt.TextFormat.PlainText
    panel.results.grab()  # paints through the delegate without complaint


def _ink(view: QListView, delegate: SearchResultDelegate, hit: SearchHit) -> int:
    """How many pixels the delegate paints in the last snippet line for ``hit``."""
    model = SearchResultsModel(view)
    model.set_results(SearchResults(hits=(hit,), total=1))
    view.setModel(model)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    index = model.index(0, 0)
    option.rect = QRect(QPoint(0, 0), delegate.sizeHint(option, index))
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    bottom = image.height() - SearchResultDelegate.PADDING_Y
    top = bottom - QFontMetrics(view.font()).lineSpacing()
    white = QColor("white").rgb()
    return sum(
        image.pixel(x, y) != white for y in range(top, bottom) for x in range(image.width())
    )


def test_the_delegate_paints_markup_as_characters(qtbot: QtBot) -> None:
    view = QListView()
    qtbot.addWidget(view)
    view.resize(420, 300)
    delegate = SearchResultDelegate(view)
    view.setItemDelegate(delegate)

    plain = _ink(view, delegate, make_hit(snippet="kafka", highlights=()))
    markup = _ink(view, delegate, make_hit(snippet="<b>kafka</b>", highlights=()))
    image = _ink(view, delegate, make_hit(snippet='<img src="x.png">', highlights=()))
    highlighted = _ink(view, delegate, make_hit(snippet="kafka", highlights=((0, 5),)))

    # Rendered as HTML, "<b>kafka</b>" would paint just "kafka" and the image tag nothing.
    assert plain > 0
    assert markup > plain * 1.5
    assert image > plain * 1.5
    assert highlighted > plain  # the match gets a tinted background


def test_snippets_with_wide_characters_and_long_text_lay_out(qtbot: QtBot) -> None:
    view = QListView()
    qtbot.addWidget(view)
    view.resize(260, 300)
    delegate = SearchResultDelegate(view)
    text = "😅 emoji " * 40 + "東京の面接 kafka " + "x" * 500
    start = text.index("kafka")
    layouts = delegate.snippet_layouts(
        text, ((start, start + 5), (0, 1)), view.font(), 240,
        delegate._highlight_format(view.palette(), False),
    )
    assert sum(layout.lineCount() for layout in layouts) == SearchResultDelegate.SNIPPET_LINES
    assert layouts[-1].text().endswith("…")
    _ink(view, delegate, make_hit(snippet=text, highlights=((start, start + 5),)))


# --------------------------------------------------------------------------- the model


@pytest.mark.parametrize("count", [0, 3])
def test_the_results_model_passes_the_model_tester(
    qtmodeltester: ModelTester, count: int
) -> None:
    model = SearchResultsModel()
    hits = tuple(make_hit(number) for number in range(1, count + 1))
    model.set_results(SearchResults(hits=hits, total=count + 5))  # more pages to fetch
    qtmodeltester.check(model, force_py=True)  # it keeps watching the model's signals
    model.set_results(SearchResults(hits=(make_hit(7), make_hit(8)), total=2))
    model.append(SearchResults(hits=(make_hit(7), make_hit(8), make_hit(9)), total=3))
    model.clear()
    assert model.rowCount() == 0


def test_the_results_model_pages_through_more_requested(qtbot: QtBot) -> None:
    model = SearchResultsModel()
    hits = tuple(make_hit(number) for number in range(1, 51))
    model.set_results(SearchResults(hits=hits, total=70))
    assert model.rowCount() == 50
    assert model.canFetchMore(QModelIndex())

    with qtbot.waitSignal(model.more_requested) as asked:
        model.fetchMore(QModelIndex())
    assert asked.args == [100]
    assert not model.canFetchMore(QModelIndex())  # one request at a time

    more = hits + tuple(make_hit(number) for number in range(51, 71))
    with qtbot.waitSignal(model.rowsInserted):
        model.append(SearchResults(hits=more, total=70))
    assert model.rowCount() == 70
    assert not model.canFetchMore(QModelIndex())
    assert model.data(model.index(69, 0), HIT_ROLE).interview_id == 70
    assert model.data(model.index(70, 0)) is None


def test_section_labels_and_match_terms() -> None:
    assert section_label("went_poorly") == "What didn't go well"
    assert section_label("questions") == "Questions"
    assert section_label("notes") == "Notes"
    assert all(section_label(column) for column in search.COLUMNS)
    hit = make_hit(snippet="Kafka and kafka and Zookeeper", highlights=((0, 5), (10, 15),
                                                                      (20, 29)))
    assert match_terms(hit) == ["Kafka", "Zookeeper"]
    bare = make_hit(highlights=())
    assert match_terms(bare, 'notes:kafka "rate limiter" -java OR kube*') == [
        "kafka", "rate limiter", "kube",
    ]


# --------------------------------------------------------------------------- empty states


def test_empty_states_and_keys(panel: SearchPanel, journal: Journal, qtbot: QtBot) -> None:
    add(journal, "Acme", notes="kafka")
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text().startswith("Type to search everything you have written")
    assert not panel.count_label.isVisible()

    type_query(qtbot, panel, "zzzyyx")
    assert panel.empty_label.text() == "No interview matches that search."
    assert not panel.results.isVisible()

    type_query(qtbot, panel, "-kafka")
    assert panel.empty_label.text() == search.HINT_ONLY_EXCLUDED

    type_query(qtbot, panel, "kafka")
    assert panel.results.isVisible()
    assert not panel.empty_label.isVisible()

    with qtbot.waitSignal(panel.results_changed):
        QTest.keyClick(panel.box, Qt.Key.Key_Escape)
    assert panel.box.text() == ""
    assert panel.model.rowCount() == 0
    assert panel.empty_label.text().startswith("Type to search everything you have written")


def test_up_from_the_first_result_goes_back_to_the_box(
    win: MainWindow, panel: SearchPanel, journal: Journal, qtbot: QtBot
) -> None:
    add(journal, "Acme", notes="kafka one")
    add(journal, "Globex", notes="kafka two")
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    panel.focus_search()
    type_query(qtbot, panel, "kafka")

    QTest.keyClick(panel.box, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is panel.results
    QTest.keyClick(panel.results, Qt.Key.Key_Down)
    assert panel.results.currentIndex().row() == 1
    QTest.keyClick(panel.results, Qt.Key.Key_Up)
    QTest.keyClick(panel.results, Qt.Key.Key_Up)
    assert QApplication.focusWidget() is panel.box


# --------------------------------------------------------------------------- backfill


def test_background_reindex_makes_pending_interviews_searchable(
    make_window: WindowFactory, journal: Journal, drained: list[MainWindow], qtbot: QtBot
) -> None:
    ids = [add(journal, f"Company {n}", notes=f"zebra crossing {n}") for n in range(7)]
    with journal.transaction():  # as after the search migration: rows queued, not indexed
        for interview_id in ids:
            search.remove(interview_id)
        search.mark_pending(ids)
    assert journal.search("zebra").hits == ()
    window = make_window(journal)
    drained.append(window)
    window.show()
    window.action_search.trigger()
    panel = window.search_panel
    type_query(qtbot, panel, "zebra")
    assert panel.model.rowCount() == 0
    progress: list[tuple[int, int, str]] = []
    window.index_backfill.progress.connect(
        lambda done, total: progress.append((done, total, window.index_progress.format()))
    )

    with qtbot.waitSignal(window.index_backfill.finished, timeout=DRAIN_MS):
        window.start_background_work()
        assert window.index_progress.isVisible()
        assert window.index_progress.format() == "Indexing for search… 0 of 7"

    assert progress[-1] == (7, 7, "Indexing for search… 7 of 7")
    assert [done for done, _, _ in progress] == sorted(done for done, _, _ in progress)
    assert not window.index_progress.isVisible()
    assert journal.pending_index_count() == 0
    qtbot.waitUntil(lambda: panel.model.rowCount() == 7)  # the query ran again
    assert panel.count_label.text() == "7 interviews"
    window.start_background_work()  # nothing pending: no worker
    assert not window.index_backfill.running


def test_progress_reads_with_thousands_separators(win: MainWindow) -> None:
    win.index_backfill.progress.emit(1200, 3000)
    assert win.index_progress.format() == "Indexing for search… 1,200 of 3,000"
    assert win.index_progress.value() == 1200
    assert win.index_progress.maximum() == 3000


def test_closing_the_window_stops_a_running_backfill(
    make_window: WindowFactory, journal: Journal, drained: list[MainWindow], qtbot: QtBot
) -> None:
    ids = [add(journal, f"Company {n}", notes="zebra") for n in range(30)]
    search.mark_pending(ids)
    window = make_window(journal)
    drained.append(window)
    window.show()
    with qtbot.waitSignal(window.index_backfill.progress, timeout=DRAIN_MS):
        window.start_background_work()

    with qtbot.waitSignal(window.index_backfill.finished, timeout=DRAIN_MS) as finished:
        window.close()
        assert window.pool.activeThreadCount() == 0  # close() waited for the worker

    [indexed] = finished.args
    assert indexed > 0
    assert journal.pending_index_count() == 30 - indexed  # the rest stays queued
    assert not window.index_backfill.running


def test_controls_have_accessible_names(panel: SearchPanel) -> None:
    panel.filters_toggle.setChecked(True)
    controls = (QLineEdit, QComboBox, QSpinBox, QDateEdit, QCheckBox, QAbstractButton, QListView)
    found = [w for w in panel.findChildren(QWidget) if isinstance(w, controls) and w.isVisible()]
    assert len(found) >= 10
    for widget in found:
        if widget.parent() is panel or widget.objectName().startswith("qt_"):
            continue  # the dock's own buttons, Qt's parts of a spin box
        assert widget.accessibleName(), widget.objectName()


def test_index_is_checked_and_repaired_after_an_unclean_shutdown(
    make_window: WindowFactory, journal: Journal, drained: list[MainWindow], qtbot: QtBot
) -> None:
    kept = add(journal, "Initech", notes="quokka sighting")
    lost = add(journal, "Hooli", notes="quokka again")
    with journal.transaction():  # the index lost a row and nothing queued it
        search.remove(lost)
    journal.set_setting(SESSION_OPEN_KEY, True)  # the last run never closed cleanly
    assert [h.interview_id for h in journal.search("quokka").hits] == [kept]
    window = make_window(journal)
    drained.append(window)
    window.show()
    with qtbot.waitSignal(window.index_backfill.finished, timeout=DRAIN_MS):
        window.start_background_work()
    assert sorted(h.interview_id for h in journal.search("quokka").hits) == sorted([kept, lost])
    assert journal.check_search_index().ok
    assert window.stop_background_work()
    assert journal.setting(SESSION_OPEN_KEY, None) is False  # this close was clean


def test_a_clean_start_checks_the_index_in_a_worker_and_changes_nothing(
    make_window: WindowFactory, journal: Journal, drained: list[MainWindow], qtbot: QtBot
) -> None:
    add(journal, "Initech", notes="quokka")
    window = make_window(journal)
    drained.append(window)
    window.show()
    with qtbot.waitSignal(window.index_backfill.finished, timeout=DRAIN_MS) as finished:
        window.start_background_work()
        assert not window.index_progress.isVisible()  # nothing to say while it only checks
    assert finished.args == [0]
    assert journal.setting(SESSION_OPEN_KEY, None) is True
    window.start_background_work()  # once per run
    assert not window.index_backfill.running


def _drop_index(journal: Journal) -> None:
    journal.database.execute_sql("DROP TABLE search_index")


def _break_index_structure(journal: Journal) -> None:
    # FTS5 can no longer even load the table ("vtable constructor failed"), nor drop it.
    journal.database.execute_sql("DROP TABLE search_index_config")


def _corrupt_index_pages(journal: Journal) -> None:
    journal.database.execute_sql(
        "UPDATE search_index_data SET block = zeroblob(length(block)) WHERE id > 10"
    )


@pytest.mark.parametrize(
    "damage", [_drop_index, _break_index_structure, _corrupt_index_pages],
    ids=["dropped", "structure", "pages"],
)
def test_a_damaged_index_is_rebuilt_from_the_notes_on_a_clean_start(
    make_window: WindowFactory, journal: Journal, drained: list[MainWindow], qtbot: QtBot,
    damage: Callable[[Journal], None],
) -> None:
    ids = sorted(add(journal, f"Company {n}", notes=f"quokka number {n}") for n in range(4))
    damage(journal)
    journal.database.close()  # as at the next start: FTS5 loads the table again
    assert journal.setting(SESSION_OPEN_KEY, False) is False  # the last close was clean
    assert search.integrity_error() is not None
    window = make_window(journal)
    drained.append(window)
    window.show()

    with qtbot.waitSignal(window.index_backfill.finished, timeout=DRAIN_MS):
        window.start_background_work()

    assert sorted(h.interview_id for h in journal.search("quokka").hits) == ids
    assert journal.check_search_index().ok
    assert journal.pending_index_count() == 0


def test_a_journal_busy_at_start_gets_its_index_upkeep_later_not_never(
    make_window: WindowFactory, journal: Journal, drained: list[MainWindow], qtbot: QtBot
) -> None:
    import sqlite3
    from contextlib import closing

    from PySide6.QtCore import QTimer

    kept = add(journal, "Initech", notes="quokka sighting")
    lost = add(journal, "Hooli", notes="quokka again")
    with journal.transaction():  # the index lost a row and nothing queued it
        search.remove(lost)
    journal.set_setting(SESSION_OPEN_KEY, True)  # the last run never closed cleanly
    journal.database.execute_sql("PRAGMA busy_timeout = 0")  # fail at once, no real wait
    window = make_window(journal)
    drained.append(window)
    window.show()
    with closing(sqlite3.connect(journal.path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        window.start_background_work()
        other.execute("ROLLBACK")
    retry = window.findChild(QTimer, "upkeepRetryTimer")
    assert retry is not None
    assert retry.isActive()
    assert not window.index_backfill.running

    retry.stop()
    with qtbot.waitSignal(window.index_backfill.finished, timeout=DRAIN_MS):
        retry.timeout.emit()  # as when the timer fires

    assert sorted(h.interview_id for h in journal.search("quokka").hits) == sorted([kept, lost])


def test_the_index_check_waits_for_a_busy_journal_instead_of_skipping(
    journal: Journal, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    import logging
    import sqlite3

    from interview_journal.ui.search_runner import IndexBackfill

    kept = add(journal, "Initech", notes="quokka sighting")
    lost = add(journal, "Hooli", notes="quokka again")
    with journal.transaction():  # the index lost a row and nothing queued it
        search.remove(lost)
    # Fail at once rather than wait: on every connection, the pool thread's too.
    journal.database.pragma("busy_timeout", 0, permanent=True)
    caplog.set_level(logging.INFO, logger="interview_journal.ui.search_runner")
    other = sqlite3.connect(journal.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock

    class ReleaseWhenBusy(logging.Handler):
        """Lets the lock go once the worker said it found the journal busy."""

        seen = False

        def emit(self, record: logging.LogRecord) -> None:
            if "is busy" in record.getMessage() and not self.seen:
                self.seen = True
                other.execute("ROLLBACK")

    handler = ReleaseWhenBusy()
    logging.getLogger("interview_journal.ui.search_runner").addHandler(handler)
    pool = QThreadPool()
    backfill = IndexBackfill(journal, pool)
    try:
        with qtbot.waitSignal(backfill.finished, timeout=DRAIN_MS):
            assert backfill.start(check_first=True)
    finally:
        logging.getLogger("interview_journal.ui.search_runner").removeHandler(handler)
        pool.waitForDone()
        other.close()

    assert handler.seen
    assert sorted(h.interview_id for h in journal.search("quokka").hits) == sorted([kept, lost])
