"""Exact hit counts without scoring: posting lists read a block at a time.

Written for Whoosh's top-N search, which skips posting blocks that cannot
reach the top and so does not count the rest. The search path no longer
runs that search (:mod:`.fallback` collects, and so counts, every match),
so the app does not call this now; the equivalence tests still hold it to
Whoosh.

Counting through Whoosh's matchers costs several Python calls per matching
document (a union of three fields, say, for every word). Here the document numbers
of each word are read a whole posting block (up to 128 documents) at a time
into Python sets, and the query's AND / OR / NOT become set operations in C.
Query parts with no such shortcut (phrases, ranges, unexpanded wildcards)
are counted by their own Whoosh matcher.
"""
from __future__ import annotations

from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

__all__ = ["count_matches"]


def count_matches(searcher, q: wq.Query) -> int:
    """How many live documents of ``searcher``'s index match ``q``."""
    total = 0
    for sub, _offset in searcher.subsearchers or [(searcher, 0)]:
        leaf = sub.reader()
        found = _docs(q, sub, leaf)
        deleted = leaf.deleted_docs_set if leaf.has_deletions() else None
        if callable(deleted):
            deleted = deleted()
        total += len(found - set(deleted)) if deleted else len(found)
    return total


def _docs(q: wq.Query, sub, leaf) -> set[int]:
    """Document numbers in ``leaf`` matching ``q`` (deleted ones may be included)."""
    if isinstance(q, wq.Term):
        return _term_docs(leaf, q.fieldname, q.text)
    if isinstance(q, wq.Or):
        out: set[int] = set()
        for child in q.children():
            out |= _docs(child, sub, leaf)
        return out
    if isinstance(q, wq.And):
        positive = [c for c in q.children() if not isinstance(c, wq.Not)]
        negative = [c for c in q.children() if isinstance(c, wq.Not)]
        if not positive:
            out = set(range(leaf.doc_count_all()))
        else:
            # The rarest part first keeps the intermediate sets small.
            sets = sorted((_docs(c, sub, leaf) for c in positive), key=len)
            out = sets[0]
            for s in sets[1:]:
                if not out:
                    break
                out = out & s
        for n in negative:
            if not out:
                break
            out = out - _docs(n.query, sub, leaf)
        return out
    if isinstance(q, wq.AndNot):
        return _docs(q.a, sub, leaf) - _docs(q.b, sub, leaf)
    if isinstance(q, wq.Not):
        return set(range(leaf.doc_count_all())) - _docs(q.query, sub, leaf)
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return set()
    if isinstance(q, wq.Every) and q.fieldname is None:
        # Every("title") is only the documents with a title: Whoosh's matcher below.
        return set(range(leaf.doc_count_all()))
    return set(q.matcher(sub, sub.context()).all_ids())


def _term_docs(leaf, fieldname: str, text) -> set[int]:
    try:
        m = leaf.postings(fieldname, text)
    except (TermNotFound, KeyError):
        return set()
    if isinstance(m, FilterMatcher):
        # Deleted documents are taken out once, by the caller.
        m = m.child
    if not (hasattr(m, "_read_ids") and hasattr(m, "_next_block")):
        return set(m.all_ids())
    out: set[int] = set()
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        out.update(m._ids[m._i:] if m._i else m._ids)
        m._next_block()
    return out
