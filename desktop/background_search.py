"""The worker side of the GUI's searches.

The search panel runs each query on the session's reader pool (a search
takes 20-60 ms at 20,000 articles, too long for the GUI thread). The GUI
thread's ``Archive`` cannot be used there (its SQLite connection belongs to
the GUI thread), so the workers search through one ``SearchReader`` on the
same folder, opened at the first search and reopened when another archive
is open. The panel keeps at most one search running, so one reader (and one
set of its word caches) serves every worker thread; the lock only guards
against a second caller.

    searches = BackgroundSearches()
    searches.set_archive(session.archive_path)       # GUI thread, at open
    result = searches.search(query, limit=50, sort="relevance")   # worker
    searches.close()                                 # GUI thread, after the pool is idle
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional

__all__ = ["BackgroundSearches"]


class BackgroundSearches:
    """One read-only handle on the open archive's search index, shared by the workers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wanted: Optional[Path] = None
        self._reader = None

    def set_archive(self, archive_dir: Optional[Path]) -> None:
        """Search ``archive_dir`` from now on (None: no archive). GUI thread."""
        self._wanted = Path(archive_dir).resolve() if archive_dir is not None else None
        # Close the old reader now unless a worker is searching with it; that
        # worker then swaps it at its next search.
        if self._lock.acquire(blocking=False):
            try:
                if self._reader is not None and self._reader.path != self._wanted:
                    self._drop()
            finally:
                self._lock.release()

    def search(self, query: str, limit: int, sort: str):
        """The ``SearchResult`` for ``query`` in the current archive. Worker thread."""
        from archive.errors import IndexDamaged, InvalidInput
        from archive.search_reader import SearchReader

        with self._lock:
            wanted = self._wanted
            if wanted is None:
                raise InvalidInput("No archive is open: open a folder of articles first (Ctrl+O).")
            if self._reader is not None and self._reader.path != wanted:
                self._drop()
            if self._reader is None:
                self._reader = SearchReader.open(wanted)
            try:
                return self._reader.search(query, limit=limit, sort=sort)
            except IndexDamaged:
                self._drop()  # the rebuild replaces the files: open them afresh next time
                raise

    def close(self) -> None:
        """Close the reader (at exit, once no search runs)."""
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()
