"""Repairing a damaged search index: mark it stale, rebuild it from the store.

The search index is derived from the store, so a damaged one (see
:mod:`archive.search.damage`) costs a rebuild and nothing else. Detection
only marks it (the store's ``index_pending`` flag and a marker in the index
folder); whoever opens the archive next, or :func:`rebuild`, rebuilds it.
The CLI rebuilds in the foreground and searches again; the app shows the
message and rebuilds when it reopens the archive.
"""
from __future__ import annotations

import shutil
import sqlite3
from typing import Optional

from ..paths import INDEX_DIR_NAME
from ..progress import ProgressFn
from ..search import SearchIndex
from ..store.health import disk_full_message, is_disk_full, is_full_disk_write
from ..store.meta import set_index_pending
from . import run

# ``arc`` in this module is the open ``archive.archive.Archive`` (see archive/indexing/__init__.py).

__all__ = ["mark_stale", "rebuild", "open_fresh", "rebuild_or_report"]


def mark_stale(arc) -> None:
    """Record in the store that the index must be rebuilt (also for other processes)."""
    try:
        set_index_pending(arc.db, True)
        if not arc.db.conn.in_transaction:
            arc.db.conn.commit()
    except sqlite3.Error:
        pass  # a damaged store or a full disk: the marker in the index folder still says it


def rebuild(arc, progress: Optional[ProgressFn] = None) -> int:
    """Replace the index with a fresh one built from the store; return the number of articles.

    Takes the writer lock (``ArchiveInUse`` when another process is indexing).
    """
    with arc.writing():
        folder = arc.path / INDEX_DIR_NAME
        try:
            arc.search_index.close()
        except Exception:  # noqa: BLE001 - a damaged index may fail to close
            pass
        shutil.rmtree(folder, ignore_errors=True)
        arc.search_index = SearchIndex.open(folder)
        return run.rebuild_index(arc, progress=progress)


def open_fresh(folder) -> "object":
    """A new empty index in ``folder``; on a full disk an empty index in memory (searches find nothing)."""
    try:
        return SearchIndex.open(folder)
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        return SearchIndex.in_memory()


def rebuild_or_report(arc, progress: Optional[ProgressFn] = None) -> None:
    """Rebuild the index from the store; on a full disk record why in ``arc.index_problem`` instead.

    Reading and exporting must work on a full disk: the index stays stale
    (``index_pending`` is still set), so it is rebuilt at a later open.
    """
    try:
        run.rebuild_index(arc, progress=progress)
    except Exception as exc:
        if not is_full_disk_write(exc, arc.path):
            raise
        arc.index_problem = disk_full_message("the rebuilt search index")
        try:
            arc.db.conn.rollback()
        except sqlite3.Error:
            pass
