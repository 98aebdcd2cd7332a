"""Relevance search with array arithmetic, for queries made of words and phrases.

Whoosh scores one matching document at a time through a tree of Python
matcher objects (several microseconds a document); a common word in a big
archive matches thousands. Almost every query a researcher types (words,
AND / OR / NOT, fields, and wildcards, typos and date ranges once expanded
into their words, phrases) is a tree of terms, so here each term's posting
list is read a whole block (up to 128 documents) at a time and scored for
all its documents at once with numpy, using Whoosh's own BM25F formula and
statistics: same scores, same order (ties by document number), and the exact
number of matches falls out of the same pass.

``top_docs`` returns None for any query it does not handle; the caller then
asks Whoosh.
"""
from __future__ import annotations

from pickle import loads

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from .query import FastPhrase

__all__ = ["top_docs", "supported"]

_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_BYTE_TO_LENGTH[0] = 1.0  # Whoosh scores a missing length as 1


def supported(q: wq.Query) -> bool:
    """Whether :func:`top_docs` can score ``q``."""
    if isinstance(q, wq.Term):
        return True
    if isinstance(q, FastPhrase):
        return True
    if type(q) in (wq.Or, wq.And):
        if isinstance(q, wq.Or) and (q.minmatch or q.scale):
            return False
        return all(supported(c) for c in q.children())
    if type(q) is wq.AndNot:
        return supported(q.a) and supported(q.b)
    if type(q) is wq.Not:
        return supported(q.query)
    return False


class _Leaf:
    """One segment's arrays: field lengths (cached per reader) and deleted documents."""

    def __init__(self, reader, cache: dict):
        self.reader = reader
        self.n = reader.doc_count_all()
        self.cache = cache

    def lengths(self, fieldname: str) -> np.ndarray:
        key = (id(self.reader), fieldname)
        entry = self.cache.get(key)
        # The reader is kept in the entry so its id cannot be reused while cached.
        arr = entry[1] if entry is not None and entry[0] is self.reader else None
        if arr is None:
            perdoc = getattr(self.reader, "_perdoc", None)
            lenfield = _lenfield(fieldname)
            if perdoc is not None and perdoc.has_column(lenfield):
                col = perdoc._cached_reader(lenfield, LENGTHS_COLUMN)
                raw = np.zeros(self.n, dtype=np.uint8)
                count = min(getattr(col, "_count", -1), self.n)
                if getattr(col, "_fixedlen", None) == 1 and count >= 0:
                    # One length byte per document, stored back to back.
                    raw[:count] = np.frombuffer(bytes(col._dbfile.get(col._basepos, count)), dtype=np.uint8)
                else:
                    raw[:] = np.fromiter((col[d] for d in range(self.n)), dtype=np.uint8, count=self.n)
                arr = _BYTE_TO_LENGTH[raw]
            else:
                arr = np.ones(self.n, dtype=np.float64)
            self.cache[key] = (self.reader, arr)
        return arr


def _postings(reader, fieldname, text, values=False):
    """``(ids, weights, values)`` of a term in one segment, deleted documents included."""
    try:
        m = reader.postings(fieldname, text)
    except (TermNotFound, KeyError):
        return None
    if isinstance(m, FilterMatcher):
        m = m.child
    ids: list = []
    weights: list = []
    vals: list = []
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            if values:
                if m._values is None:
                    m._read_values()
                vals.extend(m._values)
            m._next_block()
    else:
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            if values:
                vals.append(m.value())
            m.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), vals


def _term_scores(searcher, leaf: _Leaf, fieldname, text, boost, ids, weights):
    schema = searcher.schema
    field = schema[fieldname]
    if field.scorable:
        model = searcher.weighting
        B = model._field_B.get(fieldname, model.B) if isinstance(model, BM25F) else 0.75
        K1 = model.K1 if isinstance(model, BM25F) else 1.2
        idf = searcher.idf(fieldname, text)
        avgfl = searcher.avg_field_length(fieldname) or 1
        fl = leaf.lengths(fieldname)[ids]
        s = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))
    else:
        s = weights.copy()
    if boost != 1.0:
        s *= boost
    return s


def _eval(q, searcher, leaf: _Leaf):
    """``(mask, scores)`` over the segment's documents."""
    n = leaf.n
    if isinstance(q, FastPhrase):
        return _phrase(q, searcher, leaf)
    if isinstance(q, wq.Term):
        mask = np.zeros(n, dtype=bool)
        scores = np.zeros(n, dtype=np.float64)
        got = _postings(leaf.reader, q.fieldname, q.text)
        if got is not None and len(got[0]):
            ids, weights, _ = got
            mask[ids] = True
            scores[ids] = _term_scores(searcher, leaf, q.fieldname, q.text, q.boost, ids, weights)
        return mask, scores
    if type(q) is wq.Or:
        mask = np.zeros(n, dtype=bool)
        scores = np.zeros(n, dtype=np.float64)
        for child in q.children():
            m, s = _eval(child, searcher, leaf)
            mask |= m
            scores += s
    elif type(q) is wq.And:
        mask = np.ones(n, dtype=bool)
        scores = np.zeros(n, dtype=np.float64)
        for child in q.children():
            if type(child) is wq.Not:
                m, _ = _eval(child.query, searcher, leaf)
                mask &= ~m
                # Whoosh matches NOT x with an inverse matcher scoring 1.
                scores += 1.0
            else:
                m, s = _eval(child, searcher, leaf)
                mask &= m
                scores += s
    elif type(q) is wq.AndNot:
        mask, scores = _eval(q.a, searcher, leaf)
        m, _ = _eval(q.b, searcher, leaf)
        mask = mask & ~m
    elif type(q) is wq.Not:
        m, _ = _eval(q.query, searcher, leaf)
        mask = ~m
        scores = np.ones(n, dtype=np.float64)
    else:  # pragma: no cover - guarded by supported()
        raise TypeError(type(q).__name__)
    if q.boost != 1.0:
        scores = scores * q.boost
    return mask, scores


def _phrase(q: FastPhrase, searcher, leaf: _Leaf):
    n = leaf.n
    mask = np.zeros(n, dtype=bool)
    scores = np.zeros(n, dtype=np.float64)
    field = searcher.schema[q.fieldname]
    lists = []
    for word in q.words:
        got = _postings(leaf.reader, q.fieldname, field.to_bytes(word), values=True)
        if got is None or not len(got[0]):
            return mask, scores
        lists.append(got)
    # Documents holding every word, then those where the words line up.
    common = lists[0][0]
    for ids, _, _ in lists[1:]:
        common = np.intersect1d(common, ids, assume_unique=True)
        if not len(common):
            return mask, scores
    per_word = []
    for ids, _, vals in lists:
        idx = np.searchsorted(ids, common)
        per_word.append([vals[i] for i in idx])
    keep = []
    for j, doc in enumerate(common):
        starts = None
        for i, word_vals in enumerate(per_word):
            v = word_vals[j]
            codes = loads(v[4:] if v.endswith(b".") else v[4:] + b".")
            pos, acc = 0, set()
            for c in codes:
                pos += c
                acc.add(pos - i)
            starts = acc if starts is None else starts & acc
            if not starts:
                break
        if starts:
            keep.append(doc)
    if not keep:
        return mask, scores
    keep = np.array(keep, dtype=np.int64)
    mask[keep] = True
    total = np.zeros(n, dtype=np.float64)
    for word, (ids, weights, _) in zip(q.words, lists):
        sel = np.searchsorted(ids, keep)
        total[keep] += _term_scores(searcher, leaf, q.fieldname, field.to_bytes(word), 1.0,
                                    keep, weights[sel])
    if q.boost != 1.0:
        total *= q.boost
    return mask, total


def top_docs(searcher, q: wq.Query, limit: int, cache: dict):
    """``(docnums, scores, total)`` of the best ``limit`` documents, or None if ``q`` is not handled.

    ``cache`` keeps per-segment arrays between searches (pass the same dict
    while the searcher stays open).
    """
    if not supported(q):
        return None
    best_docs: list[np.ndarray] = []
    best_scores: list[np.ndarray] = []
    total = 0
    for sub, offset in searcher.subsearchers or [(searcher, 0)]:
        reader = sub.reader()
        leaf = _Leaf(reader, cache)
        if not leaf.n:
            continue
        mask, scores = _eval(q, searcher, leaf)
        if reader.has_deletions():
            deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
            mask[deleted] = False
        found = np.flatnonzero(mask)
        total += len(found)
        if not len(found):
            continue
        s = scores[found]
        if len(found) > limit:
            # Keep the top ``limit`` plus every document tied with the last.
            cut = np.partition(s, len(s) - limit)[len(s) - limit]
            sel = s >= cut
            found, s = found[sel], s[sel]
        best_docs.append(found + offset)
        best_scores.append(s)
    if not best_docs:
        return [], [], total
    docs = np.concatenate(best_docs)
    scores = np.concatenate(best_scores)
    order = np.lexsort((docs, -scores))[:limit]
    return [int(d) for d in docs[order]], [float(x) for x in scores[order]], total
