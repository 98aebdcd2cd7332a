"""After a crash: the app opens at once, rebuilds the search index in the background, with progress and Cancel."""
from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from archive.indexing import documents  # noqa: E402
from archive import Archive  # noqa: E402
from archive.models import Citation, Event, PartialDate  # noqa: E402
from archive.search.index import IndexSession  # noqa: E402
from archive.store.meta import get_meta  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402

N = 60
TIMEOUT_MS = 60_000


def _crashed_archive(tmp_path, monkeypatch):
    """An archive whose last run died between the store and the search index."""
    src = tmp_path / "src"
    src.mkdir()
    for i in range(N):
        (src / f"report-{i:03d}.txt").write_text(
            f"Harbour report {i}\n\nThe harbour board of Eastmere met and approved mooring{i}.\n", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    arc = Archive.open(tmp_path / "arc")
    with monkeypatch.context() as m:
        m.setattr(IndexSession, "commit", crash)
        with pytest.raises(KeyboardInterrupt):
            arc.index_folder(src, facts=False)
    assert get_meta(arc.db, "index_pending") == "1" and arc.search_index.doc_count() < N
    arc.close()
    return tmp_path / "arc"


@pytest.fixture
def gate(monkeypatch):
    """Holds the rebuild after its first chunk of documents until the test lets it go."""
    real = documents.iter_index_docs
    gate = threading.Event()
    waits = []

    def held(db, batch):
        for i, chunk in enumerate(real(db, batch=10)):
            if i:
                waits.append(i)
                gate.wait(TIMEOUT_MS / 1000)
            yield chunk

    monkeypatch.setattr(documents, "iter_index_docs", held)
    yield gate
    gate.set()


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    yield win
    win.close()


def _search(win, qtbot, query):
    win.focus_search()
    field = win.search_panel.field
    field.selectAll()
    qtbot.keyClicks(field, query)
    # The search runs on the reader pool: wait for its results to be shown.
    with qtbot.waitSignal(win.search_panel.search_finished, timeout=10_000):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    return win.search_panel.count.text()


def test_a_stale_index_is_rebuilt_in_the_background_with_progress_and_cancel(window, qtbot, tmp_path,
                                                                             monkeypatch, gate):
    arc_dir = _crashed_archive(tmp_path, monkeypatch)
    with qtbot.waitSignal(window.session.index_rebuild_started, timeout=5_000):
        window.open_archive(arc_dir)
    # open_archive came back while the rebuild is held: it runs on the writer pool.
    assert window.session.is_rebuilding and window.session.archive.index_stale
    qtbot.waitUntil(window.progress.isVisible, timeout=5_000)
    assert "Rebuilding the search index" in window.progress.label.text()
    assert "stopped while it was writing" in window.progress.toolTip()
    assert "find only the articles indexed so far" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.progress.bar.maximum() == N and window.progress.bar.value() == 10,
                    timeout=TIMEOUT_MS)
    # Meanwhile the archive is readable: the list, the reader, and search finds what is indexed.
    assert window.archive_panel.proxy.rowCount() == N
    view = window.archive_panel.view
    idx = window.archive_panel.proxy.index(3, 0)
    with qtbot.waitSignal(window.article_shown, timeout=5_000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(idx).center())
    assert window.reader.article is not None and "Harbour report" in window.reader.article.text
    assert _search(window, qtbot, "harbour") == "10 matches"
    # Timeline edits need no writer lock: they land while the rebuild holds it.
    arc = window.session.archive
    shown = window.reader.article
    timelines = arc.timelines
    event = timelines.add_event(Event(
        id=None, timeline_id=None, start=PartialDate("2024-03-01", "day"), title="Board met",
        citations=(Citation(None, shown.id, shown.path, "Harbour report", 0, len("Harbour report")),)))
    assert [e.id for e in timelines.events()] == [event.id]
    window.grab().save(str(tmp_path / "rebuilding.png"))
    # Cancel, in the status bar.
    with qtbot.waitSignal(window.session.index_rebuild_finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    assert done.args == [None, None]
    assert window.session.rebuilding.was_cancelled
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=5_000)
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.session.archive.index_stale  # still: the next start rebuilds
    window.session.close()
    with Archive.open(arc_dir) as arc:
        assert arc.index_stale and get_meta(arc.db, "index_pending") == "1"
        assert [e.title for e in arc.timelines.events()] == ["Board met"]


def test_the_rebuild_finishes_and_search_then_finds_everything(window, qtbot, tmp_path, monkeypatch, gate):
    arc_dir = _crashed_archive(tmp_path, monkeypatch)
    gate.set()
    with qtbot.waitSignal(window.session.index_rebuild_finished, timeout=TIMEOUT_MS) as done:
        window.open_archive(arc_dir)
    assert done.args == [N, None]
    assert not window.session.archive.index_stale
    assert f"{N} articles" in window.statusBar().currentMessage()
    limit = window.settings.search_limit
    expected = f"{N} matches, first {limit} shown" if limit < N else f"{N} matches"
    assert _search(window, qtbot, "harbour") == expected
    assert _search(window, qtbot, "mooring42") == "1 match"
    window.session.close()
    with Archive.open(arc_dir) as arc:
        assert not arc.index_stale and arc.search_index.doc_count() == N


def test_an_intact_archive_starts_no_rebuild(window, qtbot, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Harbour closed\n\nThe harbour closed.\n", encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src, facts=False)
    window.open_archive(tmp_path / "arc")
    assert window.session.rebuilding is None and not window.session.is_rebuilding
    assert _search(window, qtbot, "harbour") == "1 match"


def test_damage_met_by_a_search_starts_the_rebuild_at_once(window, qtbot, tmp_path, monkeypatch, gate):
    import zlib

    from archive.search.index import SearchIndex

    src = tmp_path / "src"
    src.mkdir()
    for i in range(N):
        (src / f"report-{i:03d}.txt").write_text(
            f"Harbour report {i}\n\nThe harbour board of Eastmere met and approved mooring{i}.\n", encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src, facts=False)
    gate.set()
    window.open_archive(tmp_path / "arc")
    qtbot.waitUntil(lambda: window.archive_panel.proxy.rowCount() == N, timeout=TIMEOUT_MS)
    real = SearchIndex._search
    calls = []

    def broken_block(self, *args, **kwargs):
        # What random bytes in a posting block make zlib raise, once.
        calls.append(1)
        if len(calls) == 1:
            raise zlib.error("Error -3 while decompressing data: invalid block type")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "_search", broken_block)
    with qtbot.waitSignal(window.session.index_rebuild_finished, timeout=TIMEOUT_MS) as done:
        _search(window, qtbot, "harbour")
    assert done.args == [N, None]
    assert _search(window, qtbot, "mooring42") == "1 match"
    with Archive.open(tmp_path / "arc") as arc:
        assert not arc.index_stale
