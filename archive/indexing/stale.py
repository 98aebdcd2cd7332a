"""Telling whether an archive's search index lags its store, and why.

The index only mirrors the store, so a lagging index loses nothing: it is
rebuilt from the store. Rebuilding takes a while on a big archive, so
``Archive.open`` only reports it (``arc.index_stale``) and the caller decides
when to run ``arc.reindex`` (the CLI at once with its progress line, the app
as a background task the user can watch and cancel).
"""
from __future__ import annotations

from typing import Optional

from ..store import articles as store_articles
from ..store.meta import index_pending

# ``arc`` in this module is the open ``archive.archive.Archive`` (see archive/indexing/__init__.py).

__all__ = ["reason", "index_consistent"]


def reason(arc, *, missing: bool = False, damaged: bool = False) -> Optional[str]:
    """Why the index of ``arc`` must be rebuilt, as a sentence; None when it need not be."""
    stored = store_articles.article_count(arc.db)
    if damaged and stored:
        return "The search index was damaged and has been started afresh; it must be rebuilt from the archive."
    if missing and stored:
        return "The search index is missing; it must be rebuilt from the archive."
    if index_pending(arc.db):
        return ("Casefile stopped while it was writing the search index "
                "(a crash or a forced quit); the index must be rebuilt from the archive.")
    held = arc.search_index.doc_count()
    if held != stored:
        return (f"The search index holds {held} article{'s' if held != 1 else ''} but the archive "
                f"{stored}; it must be rebuilt.")
    return None


def index_consistent(arc) -> bool:
    """Whether the search index holds exactly the stored articles, as far as cheap checks tell."""
    if index_pending(arc.db):
        return False
    return arc.search_index.doc_count() == store_articles.article_count(arc.db)
