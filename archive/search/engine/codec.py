"""Casefile's posting blocks: Whoosh's W3 index files with array-packed blocks.

Whoosh's W3 codec stores each block of up to 128 postings as a pickled
tuple ``(id deltas, weights, values)``, zlib-compressed. Unpickling builds
a Python object per number; for a common word in a 20,000-article archive
that is most of a search's time, and pickling them most of a commit's.
``FastCodec`` keeps every W3 file, the term index and the block headers,
and changes only the data inside a block, to little-endian arrays in two
parts compressed apart, so a query that needs no word positions never
inflates them:

    prefix        weights kind (0 all 1.0 | 1 one shared | 2 one each),
                  values kind (0 none | 1 a byte string each),
                  which parts are compressed, length of the head part
    head          n x uint32 document numbers (the first as is, then
                  deltas), then the weights: nothing | float64 | n x float64
    values        n x uint32 value lengths, then the values

A part of 256 bytes or more is zlib-compressed. The array search path
inflates the parts of all of a word's blocks and decodes them with a few
``numpy.frombuffer`` calls per word (``head_bytes``, ``tail_bytes``); the matcher
hands Whoosh the same numbers in its own shapes, so every Whoosh query,
the array search path and segment merges read one format. Segments record
the codec that wrote them (Whoosh pickles it into the table of contents);
indexes of the earlier, all-pickle format carry an older
``SCHEMA_VERSION`` and are rebuilt.

Writing also skips Whoosh's per-posting assertions and reads each field's
document lengths once per segment instead of once per posting.
"""
from __future__ import annotations

import sys
import zlib
from array import array
from pickle import dumps
from struct import Struct
from typing import Optional

import numpy as np
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3PostingsWriter
from whoosh.matching import ListMatcher

__all__ = ["FastCodec", "LeafMatcher", "encode_block", "head_bytes", "weight_bytes", "tail_bytes",
           "block_head", "split_values"]

# Blocks whose data is shorter than this are stored uncompressed.
_COMPRESS_MIN = 256
_LENGTH_BYTE = whoosh3.length_to_byte
_BIG_ENDIAN = sys.byteorder == "big"
_F64 = Struct("<d")

_WEIGHTS_ONE, _WEIGHTS_SHARED, _WEIGHTS_EACH = 0, 1, 2
_HEAD_PACKED, _VALUES_PACKED = 1, 2
# Word positions are left uncompressed: inflating them was most of a phrase
# search, and they are a fifth of the index.
_VALUES_LEVEL = 0
_PREFIX = Struct("<BBBI")  # weights kind, values kind, compression flags, stored head length


def _le(a: array) -> bytes:
    if _BIG_ENDIAN:
        a.byteswap()
    return a.tobytes()


def _pack(raw: bytes, level: int) -> tuple[bytes, bool]:
    if level and len(raw) >= _COMPRESS_MIN:
        return zlib.compress(raw, level), True
    return raw, False


_ONE = _F64.pack(1.0)


def encode_block(ids, weights, values, level: int = 3) -> bytes:
    """One block's data: ``ids`` ascending document numbers, ``weights`` floats, ``values`` byte strings or None."""
    n = len(ids)
    deltas = array("I", ids)
    if n > 1:
        deltas = array("I", [ids[0]]) + array("I", [b - a for a, b in zip(ids, ids[1:])])
    first = weights[0]
    if first == 1.0 and all(w == 1.0 for w in weights):
        wkind, wbytes = _WEIGHTS_ONE, b""
    elif all(w == first for w in weights):
        wkind, wbytes = _WEIGHTS_SHARED, _F64.pack(first)
    else:
        wkind, wbytes = _WEIGHTS_EACH, _le(array("d", weights))
    head, head_packed = _pack(_le(deltas) + wbytes, level)
    flags = _HEAD_PACKED if head_packed else 0
    if values is None:
        return _PREFIX.pack(wkind, 0, flags, len(head)) + head
    lengths = array("I", [len(v) for v in values])
    tail, tail_packed = _pack(_le(lengths) + b"".join(values), _VALUES_LEVEL)
    if tail_packed:
        flags |= _VALUES_PACKED
    return _PREFIX.pack(wkind, 1, flags, len(head)) + head + tail


def head_bytes(data: bytes) -> tuple[int, bytes]:
    """``(weights kind, head)`` of a block's data: the id deltas and the weights, inflated."""
    wkind, _vkind, flags, head_len = _PREFIX.unpack_from(data)
    head = data[_PREFIX.size:_PREFIX.size + head_len]
    return wkind, (zlib.decompress(head) if flags & _HEAD_PACKED else head)


def weight_bytes(wkind: int, head: bytes, n: int) -> bytes:
    """The block's ``n`` weights as little-endian float64s."""
    if wkind == _WEIGHTS_ONE:
        return _ONE * n
    if wkind == _WEIGHTS_SHARED:
        return head[4 * n:4 * n + 8] * n
    return head[4 * n:4 * n + 8 * n]


def tail_bytes(data: bytes) -> Optional[bytes]:
    """A block's values part, inflated (n x uint32 lengths, then the values), or None if it has none."""
    _wkind, vkind, flags, head_len = _PREFIX.unpack_from(data)
    if not vkind:
        return None
    tail = data[_PREFIX.size + head_len:]
    return zlib.decompress(tail) if flags & _VALUES_PACKED else tail


def block_head(data: bytes, n: int):
    """``(ids, weights)`` of a block's data as numpy arrays, without touching its values."""
    wkind, head = head_bytes(data)
    ids = np.frombuffer(head, dtype="<u4", count=n).astype(np.int64)
    np.cumsum(ids, out=ids)
    return ids, np.frombuffer(weight_bytes(wkind, head, n), dtype="<f8").astype(np.float64)


def split_values(tail: Optional[bytes], n: int) -> tuple:
    """The values of a block as a tuple of byte strings (what Whoosh's matchers expect)."""
    if tail is None:
        return (None,) * n
    lengths = array("I")
    lengths.frombytes(tail[:4 * n])
    if _BIG_ENDIAN:
        lengths.byteswap()
    out = []
    start = 4 * n
    for length in lengths:
        out.append(tail[start:start + length])
        start += length
    return tuple(out)


class _PostingsWriter(W3PostingsWriter):
    def _write_block(self, last=False):
        if self._byteids:
            # Term vectors (unused by Casefile's schema) keep Whoosh's format.
            return W3PostingsWriter._write_block(self, last)
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        ids = self._ids
        weights = self._weights
        n = len(ids)
        minlength, maxlength, maxweight = self._minlength, self._maxlength, self._maxweight

        ti = self._terminfo  # W3TermInfo.add_block
        ti._weight += sum(weights)
        ti._df += n
        if ti._minlength is None or (minlength is not None and minlength < ti._minlength):
            ti._minlength = minlength
        if maxlength > ti._maxlength:
            ti._maxlength = maxlength
        if maxweight > ti._maxweight:
            ti._maxweight = maxweight
        if ti._minid is None:
            ti._minid = ids[0]
        ti._maxid = ids[-1]

        # Whoosh buffers only non-empty values: a format either gives every
        # posting one (positions) or none (plain terms).
        values = self._values if self._format.fixed_value_size() != 0 and self._values else None
        if values is not None and len(values) != n:
            raise ValueError(f"{len(values)} values for {n} postings in one block")
        # Ids and weights, and the values, are compressed apart (inside the
        # data), so a query that needs no positions never inflates them.
        databytes = encode_block(ids, weights, values, self._compression)
        infobytes = dumps((n, ids[-1], maxweight, 0, _LENGTH_BYTE(minlength), _LENGTH_BYTE(maxlength)), 2)
        postfile = self._postfile
        blocklength = len(infobytes) + len(databytes)
        postfile.write_int(-blocklength if last else blocklength)
        postfile.write(infobytes)
        postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class LeafMatcher(W3LeafMatcher):
    """Whoosh's block matcher over array-packed blocks.

    ``block_data()`` is the current block's raw data for the array search
    path (see :func:`head_bytes`, :func:`tail_bytes`); Whoosh's own calls
    get tuples decoded from it.
    """

    def _read_data(self):
        self._data = bytes(self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset))
        self._head = None

    def block_data(self) -> bytes:
        if self._data is None:
            self._read_data()
        return self._data

    def _block_head(self):
        # Whoosh asks for a block's ids and then its weights: decode them once.
        data = self.block_data()
        if self._head is None:
            self._head = block_head(data, self._blocklength)
        return self._head

    def _read_ids(self):
        self._ids = tuple(self._block_head()[0].tolist())

    def _read_weights(self):
        self._weights = tuple(self._block_head()[1].tolist())

    def _read_values(self):
        self._values = split_values(tail_bytes(self.block_data()), self._blocklength)


class _FieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        """Whoosh's ``FieldWriter.add_postings`` with the per-posting work inlined.

        ``items`` are ``(fieldname, btext, docnum, weight, value)`` sorted by
        field and term, as the writer's pool delivers them.
        """
        field_lengths: dict[str, list[int]] = {}

        def lengths_of(fieldname):
            out = field_lengths.get(fieldname)
            if out is None:
                count = lengths.doc_count_all() if lengths else 0
                if lengths and lengths.has_column(whoosh3._lenfield(fieldname)):
                    dfl = lengths.doc_field_length
                    out = [dfl(d, fieldname) for d in range(count)]
                else:
                    out = [0] * count
                field_lengths[fieldname] = out
            return out

        lastfn = None
        lasttext = None
        pw = None
        flen: list[int] = []
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lasttext is not None:
                    self.finish_term()
                if lastfn is not None:
                    self.finish_field()
                if lastfn is not None and fieldname < lastfn:
                    raise ValueError(f"postings out of order: field {fieldname!r} after {lastfn!r}")
                self.start_field(fieldname, schema[fieldname])
                pw = self._postwriter
                flen = lengths_of(fieldname)
                lastfn = fieldname
                lasttext = None
            if docnum == -1:
                continue  # a spelling-only posting (never written by Casefile's schema)
            if btext != lasttext:
                if lasttext is not None:
                    if btext < lasttext:
                        raise ValueError(f"postings out of order in field {fieldname!r}")
                    self.finish_term()
                self.start_term(btext)
                lasttext = btext
            # W3PostingsWriter.add_posting, without its assertions.
            if len(pw._ids) >= pw._blocklimit:
                pw._write_block()
            pw._ids.append(docnum)
            pw._weights.append(weight)
            if weight > pw._maxweight:
                pw._maxweight = weight
            if value:
                pw._values.append(value)
            length = flen[docnum] if docnum < len(flen) else 0
            if length:
                if pw._minlength is None or length < pw._minlength:
                    pw._minlength = length
                if length > pw._maxlength:
                    pw._maxlength = length
        if lasttext is not None:
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


class FastCodec(W3Codec):
    """``W3Codec`` with array-packed posting blocks and the faster segment writer (module docstring)."""

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids,
            compression=self._compression, inlinelimit=self._inlinelimit,
        )

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
        offset, length = terminfo.extent()
        return LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


# Whoosh pickles each segment's codec into the index's table of contents by
# its class's module path, and this module used to be ``archive.search.codec``.
# Indexes written then name that path: let it resolve here, so an upgrade
# reads them instead of rebuilding every user's index (tests/test_search_index_upgrade.py).
# New indexes name this module, which must keep its name (or gain a line here).
_FORMER_NAMES = ("archive.search.codec",)
for _name in _FORMER_NAMES:
    sys.modules.setdefault(_name, sys.modules[__name__])
