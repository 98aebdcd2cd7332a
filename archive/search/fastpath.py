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

Whoosh pickles each posting block as one tuple of ids, weights and word
positions, positions being most of it. Queries that need no positions read
only the head of each block (``_block_ids_weights``); phrases unpickle the
positions of all their candidate documents in one ``loads`` and line them up
with array arithmetic (``_aligned``). Nothing decoded is kept between
searches; only per-segment field lengths are cached.

``top_docs`` returns None for any query it does not handle; the caller then
asks Whoosh.
"""
from __future__ import annotations

import re
from itertools import chain
from pickle import loads
from zlib import decompressobj

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


# The start of a posting block's pickle (protocol 2): the tuple of document
# number deltas, then the weights (None, one float, or a tuple of floats).
# Every opcode has a fixed width, so the match is unambiguous.
_BLOCK_HEAD = re.compile(rb"\x80\x02(\((?:K.|M..|J....)*t)(?:q.|r....)?(N|G.{8}|\((?:G.{8})*t)", re.DOTALL)


def _weights_array(w, n: int):
    """A block's stored weights as Whoosh reads them, or None if they are not in a known shape."""
    if w is None:
        return np.ones(n, dtype=np.float64)
    if isinstance(w, float):
        # Whoosh widens one shared weight through a float32 array.
        return np.full(n, np.float32(w), dtype=np.float64)
    if isinstance(w, tuple) and len(w) == n:
        return np.array(w, dtype=np.float64)
    return None


def _block_ids_weights(m):
    """The current block's ``(ids, weights)`` arrays without unpickling its positions.

    A block is one pickled tuple ``(id deltas, weights, positions)``, the
    positions being most of its bytes; only the head is decompressed and
    read. None when the block is not in that shape (the caller then lets
    Whoosh decode it).
    """
    n = m._blocklength
    if m._byteids or n < 4:
        return None
    data = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
    if m._compression:
        # At most 5 bytes per id and 9 per weight, plus the opcodes around them.
        data = decompressobj().decompress(data, 14 * n + 64)
    head = _BLOCK_HEAD.match(data)
    if head is None:
        return None
    deltas, w = loads(b"\x80\x02" + head.group(1) + head.group(2) + b"\x86.")
    weights = _weights_array(w, n)
    if len(deltas) != n or weights is None:
        return None
    return np.cumsum(np.array(deltas, dtype=np.int64)), weights


def _whole_block(m):
    """The current block's ``(ids, weights)`` arrays, its data unpickled whole (positions too)."""
    if m._data is None:
        m._read_data()
    data = m._data
    n = m._blocklength
    if m._byteids or not isinstance(data[0], tuple) or len(data[0]) != n:
        return None
    weights = _weights_array(data[1], n)
    if weights is None:
        return None
    return np.cumsum(np.array(data[0], dtype=np.int64)), weights


def _postings(reader, fieldname, text, values=False):
    """``(ids, weights, values)`` of a term in one segment, deleted documents included."""
    try:
        m = reader.postings(fieldname, text)
    except (TermNotFound, KeyError):
        return None
    if isinstance(m, FilterMatcher):
        m = m.child
    if not (hasattr(m, "_read_ids") and hasattr(m, "_next_block")):
        ids: list = []
        weights: list = []
        vals: list = []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            if values:
                vals.append(m.value())
            m.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), vals
    id_parts: list = []
    weight_parts: list = []
    vals = []
    while m.is_active():
        got = _whole_block(m) if values else _block_ids_weights(m)
        if got is None:
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            got = (np.array(m._ids, dtype=np.int64), np.array(m._weights, dtype=np.float64))
        if values:
            if m._values is None:
                m._read_values()
            vals.extend(m._values)
        id_parts.append(got[0])
        weight_parts.append(got[1])
        m._next_block()
    if not id_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), vals
    return np.concatenate(id_parts), np.concatenate(weight_parts), vals


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
    keep = _aligned(common, lists)
    if not len(keep):
        return mask, scores
    mask[keep] = True
    total = np.zeros(n, dtype=np.float64)
    for word, (ids, weights, _) in zip(q.words, lists):
        sel = np.searchsorted(ids, keep)
        total[keep] += _term_scores(searcher, leaf, q.fieldname, field.to_bytes(word), 1.0,
                                    keep, weights[sel])
    if q.boost != 1.0:
        total *= q.boost
    return mask, total


# How every encoded position list starts after its 4-byte count: pickle
# protocol 2, an empty list, and its memo slot.
_LIST_HEAD = b"\x80\x02]q\x00"


def _position_deltas(vals: list, idx: list) -> tuple[np.ndarray, np.ndarray]:
    """``(counts, deltas)``: how many positions each posting ``vals[i]`` has, and all their deltas in a row.

    Each value is a 4-byte count and a pickled list ``]q\\x00 ... .``
    whose items are added with APPEND / APPENDS. Joined after a single
    empty list, their bodies add every item to that one list: one ``loads``
    for all documents instead of one each. The total count checks the
    result; any other shape is decoded value by value.
    """
    picked = [vals[i] for i in idx]
    counts = np.frombuffer(b"".join([v[:4] for v in picked]), dtype=">u4").astype(np.int64)
    try:
        flat = loads(b"\x80\x02]" + b"".join([v[9:-1] for v in picked]) + b".")
        ok = (isinstance(flat, list) and len(flat) == int(counts.sum())
              and all(v.startswith(_LIST_HEAD, 4) for v in picked[:1]))
    except Exception:  # an unexpected encoding; decoded one by one below
        ok = False
    if not ok:
        lists = [loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in picked]
        counts = np.array([len(x) for x in lists], dtype=np.int64)
        flat = list(chain.from_iterable(lists))
    return counts, np.array(flat, dtype=np.int64)


def _start_keys(counts: np.ndarray, deltas: np.ndarray, shift: int) -> np.ndarray:
    """``doc_index << 32 | (position - shift)`` for every position of every document, sorted."""
    pos = np.cumsum(deltas)
    # Deltas restart at each document: take away the running total before it.
    ends = np.cumsum(counts)
    before = np.concatenate(([0], pos[ends[:-1] - 1]))
    pos -= np.repeat(before, counts)
    pos -= shift
    keys = (np.repeat(np.arange(len(counts), dtype=np.int64), counts) << 32) | np.maximum(pos, 0)
    # A position before the word's place in the phrase cannot start it.
    return keys[pos >= 0]


def _aligned(common: np.ndarray, lists: list) -> np.ndarray:
    """The documents of ``common`` where the phrase's words stand one after another."""
    starts = None
    for i, (ids, _, vals) in enumerate(lists):
        idx = np.searchsorted(ids, common)
        keys = _start_keys(*_position_deltas(vals, idx.tolist()), i)
        # Positions are distinct within a document, so keys are unique.
        starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
        if not len(starts):
            return starts
    return common[np.unique(starts >> 32)]


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
