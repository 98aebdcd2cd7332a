"""Citations of articles that an indexing run, a correction, an inferred date or a restore rewrote or removed.

A citation keeps its own copy of the quoted passage and of the article's
outlet, date and title. When the article is rewritten, the quote is looked
for again (:meth:`archive.timeline.Timelines.reanchor_article`); when it
leaves the archive, the citation is flagged ``missing`` and keeps its copy.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

import sqlite_utils

from ..store.transaction import transaction
from .timelines import Timelines

__all__ = ["reanchor_cited", "reanchor_all", "flag_missing"]


def reanchor_cited(db: sqlite_utils.Database, get_article: Callable,
                   articles: Sequence[tuple[int, str]]) -> None:
    """Let timelines re-find the quotes cited from these ``(id, path)`` (rewritten) articles.

    Only articles that are cited, by id or by path (a citation orphaned when
    its article was removed comes back when the file is indexed again), are
    handed over: most articles of a big run have no citations.
    """
    if not articles:
        return
    ids = {aid for (aid,) in db.execute("SELECT DISTINCT article_id FROM citations WHERE article_id IS NOT NULL")}
    orphan_paths = {p for (p,) in db.execute("SELECT DISTINCT article_path FROM citations WHERE article_id IS NULL")}
    cited = [aid for aid, path in articles if aid in ids or path in orphan_paths]
    if not cited:
        return
    timelines = Timelines(db, get_article)
    for article_id in cited:
        timelines.reanchor_article(article_id)


def reanchor_all(db: sqlite_utils.Database, get_article: Callable) -> tuple[int, int]:
    """Attach every citation without an article to the archive's article of its path; re-find every quote.

    For citations restored from a backup, whose article ids were another
    archive's. Returns (citations attached to an article, citations whose
    article is not in the archive, flagged missing).
    """
    with transaction(db):
        db.execute("UPDATE citations SET article_id = "
                   "(SELECT a.id FROM articles a WHERE a.path = citations.article_path) "
                   "WHERE article_id IS NULL")
    timelines = Timelines(db, get_article)
    ids = [r[0] for r in db.execute("SELECT DISTINCT article_id FROM citations WHERE article_id IS NOT NULL")]
    for article_id in ids:
        timelines.reanchor_article(article_id)
    with transaction(db):
        db.execute("UPDATE citations SET status = 'missing' WHERE article_id IS NULL AND status != 'missing'")
    anchored = db.execute("SELECT count(*) FROM citations WHERE article_id IS NOT NULL").fetchone()[0]
    orphans = db.execute("SELECT count(*) FROM citations WHERE article_id IS NULL").fetchone()[0]
    return anchored, orphans


def flag_missing(db: sqlite_utils.Database, article_ids: Iterable[int]) -> None:
    """Flag the citations of articles about to be removed as ``missing``.

    Called in the transaction that removes them, before the foreign key unlinks them.
    """
    db.conn.executemany(
        "UPDATE citations SET status = 'missing' WHERE article_id = ?",
        [(aid,) for aid in article_ids],
    )
