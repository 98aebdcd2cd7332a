"""Publication dates inferred from the case, for articles whose dateline prints no year.

Ingest reads "MADRID, Dec. 14" as the partial date ``XXXX-12-14``
(``notes["published_partial"]``) and leaves ``published`` empty. The fact
extractor completes it from the case's other articles; this module stores that
same date on the article, with provenance ``inferred`` and the reasoning in
``notes["published_inferred_basis"]``, so sorting, the date filters and
``published:`` searches find the article.

The rule: a user's correction of ``published`` always wins (it is never
written over); a date the file itself gives is never replaced; an inferred
date is recomputed whenever the case's own dates move (an indexing run, a
corrected or reverted date), and dropped when the case no longer gives a year.
Inferred dates never count as case dates themselves.
"""
from __future__ import annotations

from typing import Optional

from ..store import articles as store_articles
from ..store.meta import set_index_pending
from ..store.transaction import transaction
from . import documents

# ``arc`` in this module is the open ``archive.archive.Archive`` (see archive/indexing/__init__.py).

__all__ = ["INFERRED", "BASIS_NOTE", "refresh", "inferred_basis"]

INFERRED = "inferred"
BASIS_NOTE = "published_inferred_basis"


def inferred_basis(arc, article_id: int) -> Optional[str]:
    """How the inferred publication date of an article was reached (None if it has none)."""
    found = store_articles.notes_and_provenance(arc.db, article_id)
    if found is None or found[1].get("published") != INFERRED:
        return None
    return found[0].get(BASIS_NOTE)


def refresh(arc) -> list[int]:
    """Bring every inferred publication date in line with the case; return the ids that changed.

    Changed articles get their search document and citations updated, so the
    index carries the date. The caller holds the writer lock.
    """
    # The fact extractor takes a while to import (NLP models): not at start-up.
    from ..facts.dates import infer_publication
    from ..facts.pipeline import _HEAD_CHARS

    db = arc.db
    corrected = store_articles.corrected_paths(db, "published")
    case_dates, candidates = set(), []
    for aid, path, published, provenance, notes, head in store_articles.dating_rows(db, _HEAD_CHARS):
        source = provenance.get("published")
        if published and source != INFERRED:
            case_dates.add(published)
            continue
        if path in corrected:
            continue  # the user said "no date"
        candidates.append((aid, published if source == INFERRED else None, provenance, notes, head))
    case = sorted(case_dates)
    changes = []
    for aid, current, provenance, notes, head in candidates:
        partial = notes.get("published_partial")
        found = infer_publication(partial, case, head) if partial and case else None
        value, basis = (found.value, found.basis) if found else (None, None)
        if value == current and basis == notes.get(BASIS_NOTE):
            continue
        provenance = dict(provenance)
        notes = dict(notes)
        if value is None:
            provenance.pop("published", None)
            notes.pop(BASIS_NOTE, None)
        else:
            provenance["published"] = INFERRED
            notes[BASIS_NOTE] = basis
        changes.append((aid, value, provenance, notes))
    if not changes:
        return []
    with transaction(db):
        set_index_pending(db, True)
        for aid, value, provenance, notes in changes:
            store_articles.set_inferred_date(db, aid, value, provenance, notes)
    ids = [aid for aid, *_ in changes]
    articles = [arc.article(aid) for aid in ids]
    # One index commit for all of them (a first run may date hundreds).
    arc.search_index.update(docs=[documents.index_doc_for_article(a) for a in articles], delete_ids=[])
    if not arc.index_stale:
        set_index_pending(db, False)
    # Citations carry the article's date; the timeline package is loaded only when something was re-dated.
    from ..timeline.reanchoring import reanchor_cited

    reanchor_cited(db, arc.article, [(a.id, a.path) for a in articles])
    return ids
