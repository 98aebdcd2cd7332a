"""Query-parser internals: Whoosh's fuzzy-word node, beyond its documented plugin API.

Whoosh documents plugins as taggers and filters over syntax nodes. The
fuzzy word (``word~2/1``) goes further: its node class is nested in
``FuzzyTermPlugin`` (``FuzzyTermNode``), its distance and prefix are plain
attributes of that node, and the tagger's regular expression names the
groups ``maxdist`` and ``prefix``. The query language
(:mod:`archive.search.query`) reads and changes fuzzy words only through
the functions here.
"""
from __future__ import annotations

import copy
from typing import Optional

from whoosh import query as wq
from whoosh.qparser import FuzzyTermPlugin

from ..analysis import fold

__all__ = ["FuzzyPrefixPlugin", "is_fuzzy_word", "fuzzy_distance", "unstemmed_fuzzy_copy"]

# Letters a fuzzy word shares with its matches unless it says otherwise (``~d/p``).
DEFAULT_PREFIX = 2


class FuzzyPrefixPlugin(FuzzyTermPlugin):
    """``word~`` with a default shared prefix of two letters instead of none.

    Whoosh compares every indexed word that shares the prefix with the query
    word in pure Python; without a prefix that is the whole vocabulary.
    """

    def create(self, parser, match):
        node = FuzzyTermPlugin.create(self, parser, match)
        if match.group("prefix") is None:
            node.prefixlength = DEFAULT_PREFIX
        return node


class _UnstemmedFuzzyNode(FuzzyTermPlugin.FuzzyTermNode):
    """A fuzzy word compared as written (lowercased), not as its stem."""

    def query(self, parser):
        fieldname = self.fieldname or parser.fieldname
        return wq.FuzzyTerm(fieldname, fold(self.text.lower()), boost=self.boost,
                            maxdist=self.maxdist, prefixlength=self.prefixlength)


def is_fuzzy_word(node) -> bool:
    """Whether the syntax node ``node`` is a fuzzy word as the parser made it (not one of our copies)."""
    return type(node) is FuzzyTermPlugin.FuzzyTermNode


def fuzzy_distance(node) -> Optional[int]:
    """The edit distance a fuzzy word asks for (``word~2`` -> 2), None for any other node."""
    if isinstance(node, FuzzyTermPlugin.FuzzyTermNode):
        return node.maxdist
    return None


def unstemmed_fuzzy_copy(node):
    """A copy of the fuzzy word ``node`` that compares the word as written instead of its stem."""
    plain = copy.copy(node)
    plain.__class__ = _UnstemmedFuzzyNode
    return plain
