"""The GUI's hold on the open archive, shared by every panel.

A ``Session`` owns the GUI thread's ``Archive`` (an SQLite connection belongs
to the thread that opened it) and the task runner. Panels read from
``session.archive`` on the GUI thread and send slow work to ``session.tasks``;
they listen to two signals:

* ``archive_opened()`` - another archive is now open (reload everything);
* ``articles_changed()`` - articles, facts or problems changed (indexing
  landed a batch, metadata was corrected): refresh lists, keep selections.

Indexing runs on the writer pool with an ``Archive`` of its own on the same
folder; while it runs ``articles_changed`` fires at most every half second.
So do metadata corrections (they re-date the article's facts, which loads
the NLP models) and the rebuild of a search index found stale at open (after
a crash): ``index_rebuild_started(task)`` / ``index_rebuild_finished(count,
error)``, progress on ``indexing_progress``, Cancel via ``cancel_indexing``;
the archive stays readable meanwhile and searches find what is indexed so far.

    session = Session()
    session.open(Path("~/cases/.casefile"))
    session.tasks.run(lambda: slow(), lambda result, error: ...)
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import QObject, QTimer, Signal

from .tasks import Task, TaskRunner

__all__ = ["Session"]

# During indexing, refresh the article lists at most this often.
REFRESH_INTERVAL_MS = 500


class Session(QObject):
    """The open archive, its folder, and the background task runner."""

    archive_opened = Signal()
    articles_changed = Signal()
    indexing_started = Signal(object)              # the Task
    indexing_progress = Signal(int, int, str)      # done, total, message
    indexing_finished = Signal(object, object)     # IndexReport or None, error or None
    index_rebuild_started = Signal(object)         # the Task
    index_rebuild_finished = Signal(object, object)  # articles indexed or None (cancelled), error or None

    def __init__(self, tasks: Optional[TaskRunner] = None, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.tasks = tasks or TaskRunner(self)
        self.archive: Any = None
        self.archive_path: Optional[Path] = None
        self.indexing: Optional[Task] = None
        self.rebuilding: Optional[Task] = None
        self.last_report: Any = None
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_INTERVAL_MS)
        self._refresh.timeout.connect(self.notify_articles_changed)
        self._last_refresh = 0.0

    # -- opening and closing --------------------------------------------
    def open(self, archive_dir: Path) -> Any:
        """Open the archive in ``archive_dir`` on this thread (CasefileError if it cannot be)."""
        from archive import Archive

        return self.adopt(Archive.open(Path(archive_dir)))

    def open_for_folder(self, folder: Path) -> Any:
        """Open (or create) the archive that indexes ``folder``."""
        from archive import open_archive

        return self.adopt(open_archive(folder=Path(folder)))

    def adopt(self, archive: Any) -> Any:
        """Make an already open archive the session's one (closing the old one)."""
        if self.archive is not None and self.archive is not archive:
            self._close_archive()
        self.archive = archive
        self.archive_path = Path(archive.path)
        self.archive_opened.emit()
        if getattr(archive, "index_stale", False):
            self.rebuild_index()
        return archive

    def close(self) -> None:
        """Stop background work and close the archive (at exit)."""
        self.tasks.shutdown()
        self._close_archive()

    def _close_archive(self) -> None:
        if self.archive is not None:
            try:
                self.archive.close()
            finally:
                self.archive = None
                self.archive_path = None

    # -- indexing ---------------------------------------------------------
    @property
    def is_indexing(self) -> bool:
        return self.indexing is not None and not self.indexing.done

    def index_folder(self, folder: Path, archive_dir: Optional[Path] = None) -> Task:
        """Index ``folder`` into the archive in ``archive_dir`` (default: the open one)
        in the background. Progress and the end come as signals."""
        archive_dir = Path(archive_dir or self.archive_path)
        folder = Path(folder)

        def work(progress, cancel):
            from archive import Archive

            with Archive.open(archive_dir) as worker_archive:
                return worker_archive.index_folder(folder, progress=progress, cancel=cancel)

        task = self.tasks.run_long(work, self._indexing_done, on_progress=self._indexing_progress,
                                   writer=True, name=f"index {folder.name}")
        self.indexing = task
        self.indexing_started.emit(task)
        return task

    def cancel_indexing(self) -> None:
        if self.indexing is not None:
            self.indexing.cancel()
        if self.rebuilding is not None:
            self.rebuilding.cancel()

    # -- the search index, when found stale at open ----------------------------
    @property
    def is_rebuilding(self) -> bool:
        return self.rebuilding is not None and not self.rebuilding.done

    def rebuild_index(self) -> Task:
        """Rebuild the open archive's search index in the background (writer pool)."""
        archive_dir = Path(self.archive_path)

        def work(progress, cancel):
            from archive import Archive

            with Archive.open(archive_dir) as worker_archive:
                if not worker_archive.index_stale:
                    return worker_archive.search_index.doc_count()  # repaired meanwhile
                return worker_archive.reindex(progress=progress, cancel=cancel)

        task = self.tasks.run_long(work, self._rebuild_done, on_progress=self.indexing_progress.emit,
                                   writer=True, name="rebuild the search index")
        self.rebuilding = task
        self.index_rebuild_started.emit(task)
        return task

    def _rebuild_done(self, count: Any, error: Optional[BaseException]) -> None:
        self.index_rebuild_finished.emit(count, error)
        self.notify_articles_changed()

    # -- metadata ------------------------------------------------------------
    def correct_metadata(self, article_id: int, fields: dict, on_done) -> Task:
        """Correct an article's metadata on the writer pool (a new date re-dates its facts,
        which may load the NLP models); ``on_done(article, error)`` on the GUI thread,
        then ``articles_changed``."""
        archive_dir = Path(self.archive_path)

        def work():
            from archive import Archive

            with Archive.open(archive_dir) as worker_archive:
                return worker_archive.correct_metadata(article_id, **fields)

        def done(article, error):
            on_done(article, error)
            if error is None:
                self.notify_articles_changed()

        return self.tasks.run(work, done, writer=True, name="correct metadata")

    def _indexing_progress(self, done: int, total: int, message: str) -> None:
        self.indexing_progress.emit(done, total, message)
        # Throttle: a burst of progress calls makes one refresh.
        if not self._refresh.isActive():
            elapsed = (time.monotonic() - self._last_refresh) * 1000
            self._refresh.start(max(0, int(REFRESH_INTERVAL_MS - elapsed)))

    def _indexing_done(self, report: Any, error: Optional[BaseException]) -> None:
        self._refresh.stop()
        self.last_report = report
        self.indexing_finished.emit(report, error)
        self._last_refresh = time.monotonic()
        self.articles_changed.emit()

    def notify_articles_changed(self) -> None:
        """Tell every panel that articles changed (after a metadata correction...)."""
        self._last_refresh = time.monotonic()
        self.articles_changed.emit()
