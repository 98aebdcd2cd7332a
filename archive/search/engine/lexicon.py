"""Wildcard and fuzzy words expanded segment by segment, through Whoosh's ``MultiTerm._btexts``.

Whoosh expands a wildcard (``deport*``) or fuzzy word (``Zhilin~``) by
calling its query's private ``_btexts(reader)``, which asks the reader for
``expand_prefix`` / ``terms_within``. :class:`LexiconReader` answers those
calls faster, and :func:`multiterm_words` is the one call of ``_btexts``.
"""
from __future__ import annotations

import bisect
from collections import Counter

from whoosh.support.levenshtein import damerau_levenshtein

__all__ = ["LexiconReader", "multiterm_words"]


def multiterm_words(node, reader):
    """The indexed words (bytes, or str for some query kinds) that the wildcard or fuzzy query ``node`` matches in ``reader``."""
    return node._btexts(reader)


class LexiconReader:
    """An index reader that expands wildcard and fuzzy words segment by segment.

    Whoosh expands them over all segments at once, merging every segment's
    term list through a heap in Python, on every search. Here each segment
    is asked on its own and the words are united in a set; for short
    prefixes (a fuzzy word's two letters) a segment's sorted word list is
    cached in ``lexicons`` (a dict the caller keeps for as long as it keeps
    the segments' readers) and the prefix becomes a binary search.
    Everything else is passed to the wrapped reader.
    """

    _CACHE_BELOW = 3  # prefixes shorter than this use the cached word lists

    def __init__(self, reader, lexicons: dict) -> None:
        self._wrapped = reader
        self._lexicons = lexicons

    def __getattr__(self, name):
        return getattr(self._wrapped, name)

    def __contains__(self, term) -> bool:
        return term in self._wrapped

    def _leaves(self, fieldname: str) -> list:
        return [leaf for leaf, _offset in self._wrapped.leaf_readers()
                if fieldname in leaf.indexed_field_names()]

    def _leaf_terms(self, leaf, fieldname: str) -> list[bytes]:
        key = (id(leaf), fieldname)
        entry = self._lexicons.get(key)
        # The reader is kept in the entry so its id cannot be reused while cached.
        if entry is None or entry[0] is not leaf:
            entry = self._lexicons[key] = (leaf, list(leaf.lexicon(fieldname)))
        return entry[1]

    def lexicon(self, fieldname):
        words: set[bytes] = set()
        for leaf in self._leaves(fieldname):
            words.update(self._leaf_terms(leaf, fieldname))
        return iter(sorted(words))

    def expand_prefix(self, fieldname, prefix):
        bprefix = prefix.encode("utf-8") if isinstance(prefix, str) else prefix
        words: set[bytes] = set()
        for leaf in self._leaves(fieldname):
            if len(bprefix) >= self._CACHE_BELOW:
                words.update(leaf.expand_prefix(fieldname, bprefix))
                continue
            terms = self._leaf_terms(leaf, fieldname)
            # No UTF-8 text holds the byte 0xff, so it sorts after every word with the prefix.
            words.update(terms[bisect.bisect_left(terms, bprefix):bisect.bisect_left(terms, bprefix + b"\xff")])
        return iter(sorted(words))

    def terms_within(self, fieldname, text, maxdist, prefix=0):
        field = self._wrapped.schema[fieldname]
        n = len(text)
        letters = Counter(text)
        for btext in self.expand_prefix(fieldname, text[:prefix]):
            word = field.from_bytes(btext)
            # The edit distance is at least the difference in length, and at
            # least the bag distance (cheap to compute, unlike the distance).
            if (abs(len(word) - n) <= maxdist and _bag_distance(letters, word) <= maxdist
                    and damerau_levenshtein(word, text, limit=maxdist) <= maxdist):
                yield word


def _bag_distance(letters: Counter, word: str) -> int:
    """A lower bound of the edit distance between ``word`` and the text counted in ``letters``.

    An insertion, deletion or substitution changes the letters that one
    word has in excess of the other by at most one each way; swapping two
    letters changes neither.
    """
    used: dict[str, int] = {}
    shared = 0
    for ch in word:
        k = used.get(ch, 0)
        if k < letters[ch]:
            shared += 1
        used[ch] = k + 1
    return max(letters.total() - shared, len(word) - shared)
