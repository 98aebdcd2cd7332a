"""Relevance search with array arithmetic, for queries made of words and phrases.

Whoosh scores one matching document at a time through a tree of Python
matcher objects (several microseconds a document); a common word in a big
archive matches thousands. Almost every query a researcher types (words,
AND / OR / NOT, fields, and wildcards, typos and date ranges once expanded
into their words, phrases) is a tree of terms, so here each term's posting
list is read a whole block (up to 128 documents) at a time and scored for
all its documents at once with numpy, using Whoosh's own BM25F formula and
statistics: same scores, same order (ties by document number), and the exact
number of matches falls out of the same pass. ``*`` and ``field:*``
(``Every``) match a mask of documents, every live one or those with
something in the field (``_Leaf.with_field``), each scored with the
query's boost as Whoosh's list matcher scores them. Sorted by a column instead
(``sort_column``, the date sort), every match is ordered as Whoosh's
facets order them, from each segment's column values read once into an array.

Posting blocks are flat arrays (:mod:`.codec`): a block's document
numbers and weights are two ``numpy.frombuffer`` calls (its positions are
compressed apart and left alone), and a phrase gets all word positions of
a block in one more; the positions of the phrase's
words are then lined up with array arithmetic (``_aligned``). Nothing
decoded is kept between searches; only per-segment field lengths, the
documents of ``Every(field)`` and sort columns are cached.

``top_docs`` returns None for any query it does not handle; the caller then
asks Whoosh.
"""
from __future__ import annotations

from io import BytesIO
from pickle import load as pickle_load
from struct import Struct

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from ..analysis import FastPositions
from .codec import LeafMatcher, head_bytes, tail_bytes, weight_bytes
from .phrases import FastPhrase

__all__ = ["top_docs", "supported"]

_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_BYTE_TO_LENGTH[0] = 1.0  # Whoosh scores a missing length as 1


def supported(q: wq.Query, schema=None) -> bool:
    """Whether :func:`top_docs` can score ``q`` (phrases need array positions in ``schema``)."""
    if isinstance(q, wq.Term):
        return True
    if type(q) is wq.Every:
        return q.fieldname is None or (schema is not None and q.fieldname in schema)
    if isinstance(q, FastPhrase):
        return schema is None or (q.fieldname in schema
                                  and isinstance(schema[q.fieldname].format, FastPositions))
    if type(q) in (wq.Or, wq.And):
        if isinstance(q, wq.Or) and (q.minmatch or q.scale):
            return False
        return all(supported(c, schema) for c in q.children())
    if type(q) is wq.AndNot:
        return supported(q.a, schema) and supported(q.b, schema)
    if type(q) is wq.Not:
        return supported(q.query, schema)
    return False


class _Leaf:
    """One segment's arrays: field lengths (cached per reader) and deleted documents."""

    def __init__(self, reader, cache: dict, stats: dict):
        self.reader = reader
        self.n = reader.doc_count_all()
        self.cache = cache
        # Whole-index statistics of this search (idf, average field length),
        # shared by the segments: Whoosh sums them over every segment per call.
        self.stats = stats

    def _cached(self, name, make):
        key = (id(self.reader), name)
        entry = self.cache.get(key)
        # The reader is kept in the entry so its id cannot be reused while cached.
        if entry is not None and entry[0] is self.reader:
            return entry[1]
        value = make()
        self.cache[key] = (self.reader, value)
        return value

    def length_bytes(self, fieldname: str):
        """The segment's length bytes of ``fieldname`` (0: none), or None if its length column cannot be read."""
        return self._cached(("length bytes", fieldname), lambda: self._read_length_bytes(fieldname))

    def _read_length_bytes(self, fieldname: str):
        perdoc = getattr(self.reader, "_perdoc", None)
        if perdoc is None:
            return None
        raw = np.zeros(self.n, dtype=np.uint8)
        lenfield = _lenfield(fieldname)
        if perdoc.has_column(lenfield):
            col = perdoc._cached_reader(lenfield, LENGTHS_COLUMN)
            count = min(getattr(col, "_count", -1), self.n)
            if getattr(col, "_fixedlen", None) == 1 and count >= 0:
                # One length byte per document, stored back to back.
                raw[:count] = np.frombuffer(bytes(col._dbfile.get(col._basepos, count)), dtype=np.uint8)
            else:
                raw[:] = np.fromiter((col[d] for d in range(self.n)), dtype=np.uint8, count=self.n)
        return raw

    def lengths(self, fieldname: str) -> np.ndarray:
        """The field lengths Whoosh scores with (a missing length counts 1)."""
        def make():
            raw = self.length_bytes(fieldname)
            return np.ones(self.n, dtype=np.float64) if raw is None else _BYTE_TO_LENGTH[raw]
        return self._cached(fieldname, make)

    def with_field(self, field, fieldname: str) -> np.ndarray:
        """Which documents ``Every(fieldname)`` matches, deleted ones included.

        Whoosh's matcher takes every document of every posting of the
        field's words. A scorable field's length is the sum of a document's
        postings' frequencies (each at least 1), so a non-zero length byte
        is exactly a document with postings; other fields (ids, dates) have
        no lengths, and their postings are read as Whoosh reads them.
        """
        def make():
            raw = self.length_bytes(fieldname) if field.scorable else None
            if raw is not None:
                return raw != 0
            mask = np.zeros(self.n, dtype=bool)
            for text in self.reader.lexicon(fieldname):
                got = _postings(self.reader, fieldname, text)
                if got is not None and len(got[0]):
                    mask[got[0]] = True
            return mask
        return self._cached(("every", fieldname), make)

    def column(self, fieldname: str):
        """The segment's column values of ``fieldname`` as a numpy bytes array (cached per reader).

        A document without a value, and every document of a segment without
        the column, has the empty value, as Whoosh's column readers give it.
        None when a value ends in a NUL byte: numpy's bytes arrays drop
        trailing NULs, so such values would compare wrongly.
        """
        key = (id(self.reader), ("column", fieldname))
        entry = self.cache.get(key)
        if entry is not None and entry[0] is self.reader:
            return entry[1]
        values = list(self.reader.column_reader(fieldname, translate=False))
        if len(values) != self.n or any(v.endswith(b"\x00") for v in values):
            arr = None
        else:
            arr = np.array(values, dtype=np.bytes_) if values else np.zeros(0, dtype="S1")
        self.cache[key] = (self.reader, arr)
        return arr


def _postings(reader, fieldname, text, positions=False):
    """A term's postings in one segment, deleted documents included.

    ``(ids, weights, counts, flat)``: document numbers, weights, and with
    ``positions`` how many positions each posting has and all of them in a
    row (else None, None). Blocks are read as arrays (:mod:`.codec`);
    inlined postings (a word in one document) through the matcher.
    """
    try:
        m = reader.postings(fieldname, text)
    except (TermNotFound, KeyError):
        return None
    if isinstance(m, FilterMatcher):
        m = m.child
    if not isinstance(m, LeafMatcher):
        ids: list = []
        weights: list = []
        vals: list = []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            if positions:
                vals.append(m.value())
            m.next()
        counts = flat = None
        if positions:
            counts = np.array([len(v) // 4 for v in vals], dtype=np.int64)
            flat = np.frombuffer(b"".join(vals), dtype="<u4").astype(np.int64)
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), counts, flat
    # Each block's parts are gathered as bytes and decoded once per word:
    # numpy calls cost microseconds each, and a common word has hundreds
    # of blocks.
    id_parts: list = []
    weight_parts: list = []
    length_parts: list = []
    value_parts: list = []
    sizes: list = []
    last_ids: list = []
    for n, last_id, data in _blocks(m):
        wkind, head = head_bytes(data)
        id_parts.append(head[:4 * n])
        weight_parts.append(weight_bytes(wkind, head, n))
        sizes.append(n)
        last_ids.append(last_id)
        if positions:
            tail = tail_bytes(data)
            length_parts.append(tail[:4 * n])
            value_parts.append(tail[4 * n:])
    if not sizes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(0, dtype=np.float64), (empty if positions else None), (empty if positions else None)
    ids = np.frombuffer(b"".join(id_parts), dtype="<u4").astype(np.int64)
    if len(sizes) > 1:
        # A block's first id is stored whole: make it a delta from the
        # previous block's last id, and one running sum decodes them all.
        starts = np.cumsum(sizes[:-1])
        ids[starts] -= np.array(last_ids[:-1], dtype=np.int64)
    np.cumsum(ids, out=ids)
    weights = np.frombuffer(b"".join(weight_parts), dtype="<f8").astype(np.float64)
    counts = flat = None
    if positions:
        counts = np.frombuffer(b"".join(length_parts), dtype="<u4").astype(np.int64) // 4
        flat = np.frombuffer(b"".join(value_parts), dtype="<u4").astype(np.int64)
    return ids, weights, counts, flat


_BLOCK_LENGTH = Struct("!i")


def _blocks(m: LeafMatcher):
    """``(postings, last id, data)`` of every block of a term, read in one piece.

    The term's postings are one stretch of the file: a 4-byte tag, then per
    block its length (negative for the last), a pickled info tuple and the
    data. Reading the stretch at once and walking it here spares Whoosh's
    per-block seeks and reads.
    """
    length = m._length
    if isinstance(length, tuple):
        length = length[0]  # Whoosh's W3TermInfo.from_bytes leaves it a 1-tuple
    buf = m._postfile.get(m._startoffset, length)
    f = BytesIO(buf)
    pos = 4
    end = len(buf)
    while pos < end:
        length = _BLOCK_LENGTH.unpack_from(buf, pos)[0]
        f.seek(pos + 4)
        info = pickle_load(f)
        stop = pos + 4 + abs(length)
        yield info[0], info[1], buf[f.tell():stop]
        if length < 0:
            return
        pos = stop


def _term_scores(searcher, leaf: _Leaf, fieldname, text, boost, ids, weights):
    schema = searcher.schema
    field = schema[fieldname]
    if field.scorable:
        model = searcher.weighting
        B = model._field_B.get(fieldname, model.B) if isinstance(model, BM25F) else 0.75
        K1 = model.K1 if isinstance(model, BM25F) else 1.2
        stats = leaf.stats
        idf = stats.get((fieldname, text))
        if idf is None:
            idf = stats[(fieldname, text)] = searcher.idf(fieldname, text)
        avgfl = stats.get(fieldname)
        if avgfl is None:
            avgfl = stats[fieldname] = searcher.avg_field_length(fieldname) or 1
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
    if type(q) is wq.Every:
        if q.fieldname is None:
            mask = np.ones(n, dtype=bool)
        else:
            mask = leaf.with_field(searcher.schema[q.fieldname], q.fieldname).copy()
        # Whoosh's list matcher scores every document with the boost, or 1
        # when the boost is 0 (it tests the weight for truth).
        return mask, np.where(mask, q.boost or 1.0, 0.0)
    if isinstance(q, wq.Term):
        mask = np.zeros(n, dtype=bool)
        scores = np.zeros(n, dtype=np.float64)
        got = _postings(leaf.reader, q.fieldname, q.text)
        if got is not None and len(got[0]):
            ids, weights, _, _ = got
            mask[ids] = True
            scores[ids] = _term_scores(searcher, leaf, q.fieldname, q.text, q.boost, ids, weights)
        return mask, scores
    if type(q) in (wq.Or, wq.And):
        children = list(q.children())
        if len(children) < 2:
            # As Whoosh's compound matcher: no part matches nothing, one part
            # is that part alone (without the compound's boost).
            if children:
                return _eval(children[0], searcher, leaf)
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float64)
    if type(q) is wq.Or:
        mask = np.zeros(n, dtype=bool)
        scores = np.zeros(n, dtype=np.float64)
        for child in children:
            m, s = _eval(child, searcher, leaf)
            mask |= m
            if not isinstance(child, (wq.Term, FastPhrase, wq.Every)):
                # An AND, AND NOT or NOT leaves scores on documents it does
                # not match (the parts they did match); Whoosh adds a part
                # only where it matches.
                s = np.where(m, s, 0.0)
            scores += s
    elif type(q) is wq.And:
        mask = np.ones(n, dtype=bool)
        scores = np.zeros(n, dtype=np.float64)
        for child in children:
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
        # Whoosh's inverse matcher scores 1, whatever the NOT's boost.
        return ~m, np.ones(n, dtype=np.float64)
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
        got = _postings(leaf.reader, q.fieldname, field.to_bytes(word), positions=True)
        if got is None or not len(got[0]):
            return mask, scores
        lists.append(got)
    # Documents holding every word, then those where the words line up.
    common = lists[0][0]
    for ids, *_ in lists[1:]:
        common = _intersect_sorted(common, ids)
        if not len(common):
            return mask, scores
    keep = _aligned(common, lists)
    if not len(keep):
        return mask, scores
    mask[keep] = True
    total = np.zeros(n, dtype=np.float64)
    for word, (ids, weights, _, _) in zip(q.words, lists):
        sel = np.searchsorted(ids, keep)
        total[keep] += _term_scores(searcher, leaf, q.fieldname, field.to_bytes(word), 1.0,
                                    keep, weights[sel])
    if q.boost != 1.0:
        total *= q.boost
    return mask, total


def _start_keys(ids, counts, flat, common, shift: int) -> np.ndarray:
    """``i << 32 | (position - shift)`` for every position of the postings of ``common[i]``, sorted.

    Positions are ascending within a posting, and postings by document, so
    the keys come out sorted.
    """
    picked = np.zeros(len(ids), dtype=bool)
    picked[np.searchsorted(ids, common)] = True
    per_position = np.repeat(picked, counts)
    pos = flat[per_position] - shift
    doc_index = np.repeat(np.arange(len(common), dtype=np.int64), counts[picked])
    keys = (doc_index << 32) | np.maximum(pos, 0)
    # A position before the word's place in the phrase cannot start it.
    return keys[pos >= 0]


def _aligned(common: np.ndarray, lists: list) -> np.ndarray:
    """The documents of ``common`` where the phrase's words stand one after another."""
    starts = None
    for i, (ids, _, counts, flat) in enumerate(lists):
        keys = _start_keys(ids, counts, flat, common, i)
        # Positions are distinct within a document, so keys are unique.
        starts = keys if starts is None else _intersect_sorted(starts, keys)
        if not len(starts):
            return starts
    docs = starts >> 32
    first = np.ones(len(docs), dtype=bool)
    first[1:] = docs[1:] != docs[:-1]
    return common[docs[first]]


def _intersect_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values in both ``a`` and ``b`` (each sorted, without repeats), sorted.

    A binary search of the shorter in the longer: ``numpy.intersect1d``
    would sort both again.
    """
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    idx = np.searchsorted(b, a)
    idx[idx == len(b)] = len(b) - 1
    return a[b[idx] == a]


def top_docs(searcher, q: wq.Query, limit: int, cache: dict, sort_column: str | None = None):
    """``(docnums, scores, total)`` of the first ``limit`` documents, or None if ``q`` is not handled.

    By relevance (ties by document number), or with ``sort_column`` by that
    field's column value, greatest first, then by relevance, then by
    document number: the order of Whoosh's
    ``MultiFacet([FieldFacet(sort_column, reverse=True), ScoreFacet()])``
    (see :func:`_column_order`). The scores are relevance scores either way.
    ``cache`` keeps per-segment arrays between searches (pass the same dict
    while the searcher stays open).
    """
    if not supported(q, searcher.schema):
        return None
    if sort_column is not None and (sort_column not in searcher.schema
                                    or not searcher.schema[sort_column].column_type):
        # Whoosh sorts a field without a column by its terms instead.
        return None
    best_docs: list[np.ndarray] = []
    best_scores: list[np.ndarray] = []
    best_values: list[np.ndarray] = []
    total = 0
    stats: dict = {}
    for sub, offset in searcher.subsearchers or [(searcher, 0)]:
        reader = sub.reader()
        leaf = _Leaf(reader, cache, stats)
        if not leaf.n:
            continue
        values = None
        if sort_column is not None:
            values = leaf.column(sort_column)
            if values is None:
                return None
        mask, scores = _eval(q, searcher, leaf)
        if reader.has_deletions():
            deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
            mask[deleted] = False
        found = np.flatnonzero(mask)
        total += len(found)
        if not len(found):
            continue
        s = scores[found]
        if values is not None:
            best_values.append(values[found])
        elif len(found) > limit:
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
    if sort_column is not None:
        order = _column_order(np.concatenate(best_values), scores, docs)[:limit]
    else:
        order = np.lexsort((docs, -scores))[:limit]
    return [int(d) for d in docs[order]], [float(x) for x in scores[order]], total


def _column_order(values: np.ndarray, scores: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The order of Whoosh's reversed column facet then score facet, as indices into the arrays.

    Whoosh sorts a field whose column type is not reversible (``published``
    is a ``VarBytesColumn``) by ``ReversedColumnCategorizer``: the key is
    minus the value's place among the index's distinct values, so greater
    bytes first and the empty value (no date) last; ``ScoreFacet`` adds
    minus the score, and ``SortingCollector`` sorts ``(key, docnum)``
    pairs, so equal values by score, equal scores by document number. The
    place among the matched documents' values orders alike.
    """
    _, place = np.unique(values, return_inverse=True)
    return np.lexsort((docs, -scores, -place.reshape(-1)))
