"""Searches run on the reader pool: the GUI stays live, the newest query wins,
and the collector hold-off of a worker's search leaves collection on."""
from __future__ import annotations

import gc
import threading
import weakref

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer  # noqa: E402

from archive import Archive  # noqa: E402
from archive.errors import StoreError  # noqa: E402
from archive.search import index as search_index  # noqa: E402
from archive.search_reader import SearchReader  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402

WAIT_MS = 10_000
ARTICLES = {
    "harbour.txt": "Harbour closed\n\nThe harbour closed after the storm. Boats stayed in.\n",
    "ledger.txt": "Ledger found\n\nA ledger of payments was found at the port office.\n",
    "court.txt": "Court hearing\n\nThe court heard the harbour case on Monday.\n",
}


@pytest.fixture
def window(qtbot, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src, facts=False)
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    with qtbot.waitSignal(win.article_shown, timeout=WAIT_MS):
        win.open_archive(tmp_path / "arc")
    yield win
    win.close()


class Held:
    """Patches a search function so chosen queries wait in the worker until released."""

    def __init__(self, monkeypatch, owner, name: str, hold=lambda query: True) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.threads: list[int] = []
        self.done: list[str] = []
        original = getattr(owner, name)
        held = self

        def slow(self_, query, *args, **kwargs):
            held.threads.append(threading.get_ident())
            if hold(query):
                held.entered.set()
                assert held.release.wait(WAIT_MS / 1000), "the test never released the search"
            try:
                return original(self_, query, *args, **kwargs)
            finally:
                held.done.append(query)

        monkeypatch.setattr(owner, name, slow)


def _type(qtbot, panel, text: str) -> None:
    panel.field.setFocus()
    panel.field.selectAll()
    qtbot.keyClicks(panel.field, text)


def test_a_typed_query_is_searched_on_the_pool_while_the_gui_stays_live(window, qtbot, monkeypatch):
    held = Held(monkeypatch, SearchReader, "search")
    panel = window.search_panel
    window.focus_search()
    _type(qtbot, panel, "harbour")
    qtbot.waitUntil(held.entered.is_set, timeout=WAIT_MS)  # after the typing pause, in the worker
    assert held.threads and held.threads[0] != threading.get_ident()
    assert panel.is_busy() and panel.busy.isVisible()
    # The GUI thread goes on meanwhile: a timer fires and a click opens an article.
    timer = QTimer()
    timer.setSingleShot(True)
    with qtbot.waitSignal(timer.timeout, timeout=2_000):
        timer.start(10)
    window.left_tabs.setCurrentWidget(window.archive_panel)
    view = window.archive_panel.view
    rect = view.visualRect(window.archive_panel.proxy.index(1, 0))
    with qtbot.waitSignal(window.article_shown, timeout=2_000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.model.rowCount() == 0 and held.done == []  # still searching
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS) as finished:
        held.release.set()
    assert finished.args == ["harbour"]
    assert {h.title for h in panel.model.hits()} == {"Harbour closed", "Court hearing"}
    assert panel.count.text() == "2 matches"
    assert not panel.is_busy() and not panel.busy.isVisible()


def test_only_the_newest_query_is_shown_when_the_first_is_slow(window, qtbot, monkeypatch):
    held = Held(monkeypatch, SearchReader, "search", hold=lambda query: query == "harbour")
    panel = window.search_panel
    shown: list[str] = []
    panel.results_changed.connect(shown.append)
    window.focus_search()
    _type(qtbot, panel, "harbour")
    qtbot.waitUntil(held.entered.is_set, timeout=WAIT_MS)
    _type(qtbot, panel, "ledger")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)  # no typing pause: asked for at once
    assert panel.is_busy()
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS) as finished:
        held.release.set()
    assert finished.args == ["ledger"]
    assert held.done == ["harbour", "ledger"]  # the first ran to its end; its hits were dropped
    assert shown == ["ledger"]
    assert [h.title for h in panel.model.hits()] == ["Ledger found"]
    assert panel.query == "ledger" and panel.count.text() == "1 match"
    # Enter asked for the hit: it opens once the results are there.
    qtbot.waitUntil(lambda: window.reader.article is not None
                    and window.reader.article.title == "Ledger found", timeout=WAIT_MS)


def test_a_bad_query_from_the_worker_is_explained_inline(window, qtbot):
    panel = window.search_panel
    window.focus_search()
    _type(qtbot, panel, '"unclosed')
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS):
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert not panel.error.isHidden() and panel.error.text()
    assert window._last_error_box is None


def test_collection_stays_on_for_the_gui_thread_while_a_worker_searches(window, qtbot, monkeypatch):
    # Held inside the hold-off: SearchIndex._search runs within it.
    held = Held(monkeypatch, search_index.SearchIndex, "_search")
    panel = window.search_panel
    window.focus_search()
    _type(qtbot, panel, "harbour")
    qtbot.waitUntil(held.entered.is_set, timeout=WAIT_MS)
    assert gc.isenabled()

    # A reference cycle made here is collected by itself, without gc.collect().
    class Node:
        pass

    node = Node()
    node.self = node
    gone = weakref.ref(node)
    del node
    junk = [[] for _ in range(2 * search_index.HELD_THRESHOLD)]
    del junk
    assert gone() is None
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS):
        held.release.set()
    assert panel.count.text() == "2 matches"
    assert gc.isenabled() and gc.get_threshold()[0] < search_index.HELD_THRESHOLD


def test_overlapping_searches_restore_the_collector_thresholds(tmp_path):
    before = gc.get_threshold()
    inside = threading.Event()
    leave = threading.Event()

    def hold():
        with search_index._no_cycle_collection():
            inside.set()
            leave.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    assert inside.wait(5)
    with search_index._no_cycle_collection():
        assert gc.get_threshold()[0] == search_index.HELD_THRESHOLD
    assert gc.get_threshold()[0] == search_index.HELD_THRESHOLD  # the worker still holds it
    leave.set()
    worker.join(5)
    assert gc.get_threshold() == before and gc.isenabled()


def test_a_search_reader_never_creates_an_index(tmp_path):
    with pytest.raises(StoreError, match="has no search index"):
        SearchReader.open(tmp_path / "empty")
    assert not (tmp_path / "empty" / "index").exists()


def test_a_damaged_index_met_by_a_worker_search_is_rebuilt_in_the_background(window, qtbot, monkeypatch):
    from archive.search import damage

    original = SearchReader.search
    broken = [True]

    def damaged_once(self, query, *args, **kwargs):
        if broken[0]:
            broken[0] = False
            # What the index raises when a segment's bytes are bad: marked on disk.
            raise damage.damaged(self.path / "index", ValueError("bad block"))
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(SearchReader, "search", damaged_once)
    panel = window.search_panel
    window.focus_search()
    _type(qtbot, panel, "harbour")
    with qtbot.waitSignal(window.session.index_rebuild_finished, timeout=WAIT_MS) as rebuilt:
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert "damaged and is being rebuilt" in panel.error.text() and not panel.error.isHidden()
    assert rebuilt.args == [len(ARTICLES), None]
    assert window._last_error_box is None
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS):
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert panel.error.isHidden() and panel.count.text() == "2 matches"
