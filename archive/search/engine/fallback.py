"""Whoosh's own search, for what the fast path does not score, without two of its bugs.

Searches that :mod:`.fastpath` declines (phrases with a slop, patterns
matching hundreds of words, and queries holding them, like
``title:* "a b"~3``), sorted by relevance or by date, are run by Whoosh's
collectors. Two bugs of Whoosh 2.7.5 reach the app there:

* its NOT matcher (``InverseMatcher``) can yield a deleted document: the one
  right after the last document its child matches in a segment, so
  ``NOT court`` sorted by date found a removed article, or the old copy of a
  rewritten one, and counted it. The search here masks the deleted
  documents out (a ``FilterCollector``), whatever the matcher yields.
* its top-N collector prunes the matcher tree with quality bounds
  (``Matcher.replace`` every ten documents, even with ``optimize=False``,
  and block skipping with it), and those bounds are not bounds: the one of
  ``ArrayUnionMatcher``, its matcher for an OR of three or more parts (every
  unfielded word searches three fields) in a segment under 5,000 documents,
  is the best part's instead of their sum, and with that mended the pruned
  searches still miss documents. ``title:* court`` lost its best hit, and
  its total (counted from what was collected) came out short. The search
  here scores every match (no pruning, ``replace=0``): the same work as a
  date-sorted search, whose collector never prunes.

Both are shown in Whoosh itself by
``test_whoosh_and_not_and_inverse_matchers_misbehave`` and
``test_whoosh_top_n_search_and_normalize_misbehave`` in
``tests/test_search_equivalence.py``.
"""
from __future__ import annotations

from whoosh.collectors import FilterCollector, SortingCollector, TopCollector

__all__ = ["whoosh_search", "deleted_docnums"]


def deleted_docnums(searcher) -> set[int]:
    """The (top-level) numbers of the deleted documents of ``searcher``'s index."""
    out: set[int] = set()
    for sub, offset in searcher.subsearchers or [(searcher, 0)]:
        leaf = sub.reader()
        if leaf.has_deletions():
            out.update(d + offset for d in leaf.deleted_docs_set)
    return out


def whoosh_search(searcher, q, limit: int, sortedby=None) -> tuple[list[int], list[float], int]:
    """``(docnums, scores, total)`` of the first ``limit`` live documents matching ``q``.

    By relevance (ties by document number), or by the facet ``sortedby``;
    the scores are relevance scores either way. ``total`` is exact.
    """
    if sortedby is not None:
        collector = SortingCollector(sortedby, limit=limit)
    else:
        collector = TopCollector(limit, usequality=False, replace=0)
    deleted = deleted_docnums(searcher)
    if deleted:
        collector = FilterCollector(collector, restrict=deleted)
    searcher.search_with_collector(q, collector)
    results = collector.results()
    n = min(limit, results.scored_length())
    docnums = [results.docnum(i) for i in range(n)]
    # Neither collector skips a match, so each counted every live one.
    total = collector.count()
    if sortedby is not None:
        # Sorted results carry sort keys where scores would be.
        scores = _scores(searcher, q, docnums)
    else:
        scores = [results.score(i) for i in range(n)]
    return docnums, scores, total


def _scores(searcher, q, docnums: list[int]) -> list[float]:
    """The relevance scores of the given documents for ``q``."""
    if not docnums:
        return []
    m = q.matcher(searcher, searcher.context())
    found: dict[int, float] = {}
    for d in sorted(docnums):
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            found[d] = m.score()
    return [found.get(d, 0.0) for d in docnums]
