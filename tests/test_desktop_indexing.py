"""Indexing from the window: progress, cancel, problems, and the task runner."""
from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from archive import Archive, CancelToken  # noqa: E402
from archive.errors import Cancelled, InvalidInput  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.tasks import TaskRunner  # noqa: E402

TIMEOUT_MS = 180_000


def _write_articles(folder, n):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = "\n\n".join(
            f"Item {i}.{j}: the harbour board of Eastmere met on {1 + (i + j) % 27} March 2024 "
            f"and approved {10 + j} new moorings for the fishing fleet."
            for j in range(6))
        (folder / f"report-{i:03d}.txt").write_text(f"Harbour report number {i}\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_cancel_leaves_nothing_half_written(window, qtbot, tmp_path):
    folder = tmp_path / "many"
    _write_articles(folder, 400)
    progressed = []

    def cancel_once_started(done, total, message):
        progressed.append((done, total, message))
        if done >= 5:
            window.progress.cancel_button.click()

    window.session.indexing_progress.connect(cancel_once_started)
    with qtbot.waitSignal(window.session.indexing_finished, timeout=TIMEOUT_MS) as blocker:
        window.index_folder(folder)
        assert window.session.is_indexing
    report, error = blocker.args
    assert error is None
    assert progressed, "indexing reported no progress"
    assert window.session.indexing.was_cancelled or (report is not None and report.cancelled)
    assert not window.progress.isVisible()

    arc = window.session.archive
    stored = arc.db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stored < 400
    assert stored == arc.search_index.doc_count()
    assert arc.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert window.archive_panel.model.rowCount() == stored
    # A fresh archive object on the same folder agrees (nothing pending to repair).
    with Archive.open(window.session.archive_path) as again:
        assert len(again.articles()) == again.search_index.doc_count() == stored


def test_unreadable_files_show_in_the_problems_panel(window, qtbot, tmp_path):
    folder = tmp_path / "mixed"
    _write_articles(folder, 2)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a zip archive")
    with qtbot.waitSignal(window.session.indexing_finished, timeout=TIMEOUT_MS) as blocker:
        window.index_folder(folder)
    report, error = blocker.args
    assert error is None and report is not None
    qtbot.waitUntil(lambda: window.problems_panel.model.rowCount() == 2, timeout=5000)
    names = {window.problems_panel.model.index(r, 0).data() for r in range(2)}
    assert names == {"broken.pdf", "broken.docx"}
    reasons = [window.problems_panel.model.index(r, 1).data() for r in range(2)]
    assert all(reasons)
    assert window.problems_dock.isVisible()
    assert "2" in window.problems_dock.windowTitle()
    assert window.archive_panel.model.rowCount() == 2


def test_window_stays_responsive_and_articles_arrive_while_indexing(window, qtbot, tmp_path):
    folder = tmp_path / "some"
    _write_articles(folder, 30)
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with qtbot.waitSignal(window.session.indexing_finished, timeout=TIMEOUT_MS):
        window.index_folder(folder)
    timer.stop()
    assert len(ticks) > 3, "the event loop was blocked while indexing"
    assert window.archive_panel.model.rowCount() == 30
    assert window.reader.article is not None


def test_index_folder_refuses_a_missing_folder(window, tmp_path):
    window.index_folder(tmp_path / "nope")
    box = window._last_error_box
    assert box is not None and "nope" in box.text()
    assert box.detailedText()
    box.close()


def test_runner_delivers_results_and_errors_on_the_main_thread(qtbot):
    runner = TaskRunner()
    main = threading.get_ident()
    got = []

    def done(result, error):
        got.append((result, error, threading.get_ident()))

    runner.run(lambda: threading.get_ident(), done)
    qtbot.waitUntil(lambda: len(got) == 1)
    worker, error, thread = got[0]
    assert error is None and worker != main and thread == main

    runner.run(lambda: (_ for _ in ()).throw(InvalidInput("bad value")), done, writer=True)
    qtbot.waitUntil(lambda: len(got) == 2)
    assert isinstance(got[1][1], InvalidInput)
    runner.shutdown()


def test_runner_cancel_is_not_an_error(qtbot):
    runner = TaskRunner()
    got, progress = [], []
    started = threading.Event()

    def work(report, cancel: CancelToken):
        for i in range(1000):
            report(i, 1000, "working")
            started.set()
            cancel.check()
            threading.Event().wait(0.005)
        return "finished"

    task = runner.run_long(work, lambda r, e: got.append((r, e)),
                           on_progress=lambda d, t, m: progress.append(d))
    assert started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [(None, None)]
    assert task.was_cancelled
    assert progress
    runner.shutdown()


def test_runner_raising_cancelled_directly(qtbot):
    runner = TaskRunner()
    got = []

    def work():
        raise Cancelled()

    task = runner.run(work, lambda r, e: got.append((r, e)))
    qtbot.waitUntil(lambda: bool(got))
    assert got == [(None, None)] and task.was_cancelled
    runner.shutdown()
