"""A faster writer for Whoosh's standard on-disk format (W3).

Writing a segment is where Whoosh spends most of its indexing time: one
Python call chain per posting and a pickled, compressed block per term.
``FastCodec`` writes byte-for-byte the same kind of files that
``W3Codec`` reads (searching is unchanged, and segments written by either
codec mix in one index), but:

* each field's document lengths are read once per segment instead of once
  per posting;
* postings are appended without Whoosh's per-posting type assertions;
* blocks of a few postings are not zlib-compressed (Whoosh means to skip
  them, but a bug compresses every block): compressing a 30-byte pickle
  costs more time than the bytes it saves.
"""
from __future__ import annotations

import zlib
from pickle import dumps

from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter

__all__ = ["FastCodec"]

# Blocks whose pickle is shorter than this are stored uncompressed.
_COMPRESS_MIN = 256
_LENGTH_BYTE = whoosh3.length_to_byte


class _PostingsWriter(W3PostingsWriter):
    def _write_block(self, last=False):
        # W3PostingsWriter._write_block with its helper calls inlined: most
        # terms of a segment write a single block of one or two postings.
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

        if self._byteids:
            mini_ids = tuple(ids)
        elif n == 1:
            mini_ids = (ids[0],)
        else:
            mini_ids = (ids[0],) + tuple(b - a for a, b in zip(ids, ids[1:]))
        first = weights[0]
        if first == 1.0 and (n == 1 or all(w == 1.0 for w in weights)):
            mini_weights = None
        elif n == 1 or all(w == first for w in weights):
            mini_weights = first
        else:
            mini_weights = tuple(weights)
        fixedsize = self._format.fixed_value_size()
        if fixedsize is None or fixedsize < 0:
            mini_values = tuple(self._values)
        elif fixedsize == 0:
            mini_values = None
        else:
            mini_values = b"".join(self._values)

        databytes = dumps((mini_ids, mini_weights, mini_values), 2)
        comp = self._compression if len(databytes) >= _COMPRESS_MIN else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        infobytes = dumps((n, ids[-1], maxweight, comp, _LENGTH_BYTE(minlength), _LENGTH_BYTE(maxlength)), 2)
        postfile = self._postfile
        blocklength = len(infobytes) + len(databytes)
        postfile.write_int(-blocklength if last else blocklength)
        postfile.write(infobytes)
        postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


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
    """``W3Codec`` with the faster segment writer described in the module docstring."""

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids,
            compression=self._compression, inlinelimit=self._inlinelimit,
        )
