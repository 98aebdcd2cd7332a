"""Phrases of adjacent words, matched from decoded position lists (Whoosh's span matcher internals).

:class:`FastPhrase` is an ordinary Whoosh query (the query language makes
one of every phrase of two words or more, see
:func:`archive.search.query.expand_multiterms`); the array search path
(:mod:`.fastpath`) scores it itself, and every other search matches it
with :class:`_PhraseMatcher`, a subclass of Whoosh's ``SpanNear2Matcher``
that overrides its private ``_get_spans`` and ``_replacement``.
"""
from __future__ import annotations

from whoosh import query as wq
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.query.spans import SpanNear2

__all__ = ["FastPhrase"]


class _PhraseMatcher(SpanNear2.SpanNear2Matcher):
    """Documents holding the words next to each other, in order.

    Whoosh's span machinery builds and sorts span objects for every
    candidate document; lining up the decoded position lists as sets does
    the same check several times faster. Scores are the words' scores, as
    in Whoosh. It reports no block quality, so a search counts its matches
    in the scoring pass (no second pass for the total).
    """

    def _get_spans(self):
        positions = [m.value_as("positions") for m in self.ms]
        starts = set(positions[0])
        for i, pl in enumerate(positions[1:], 1):
            starts &= {p - i for p in pl}
            if not starts:
                return []
        return [True]

    def supports_block_quality(self):
        return False

    def _replacement(self, newchild):
        # Replacing is only an optimisation; the position lists belong to self.ms.
        return self if newchild.is_active() else NullMatcher()

    def copy(self):
        return self.__class__([m.copy() for m in self.ms])


class FastPhrase(wq.Phrase):
    """A phrase of adjacent words (slop 1) matched with :class:`_PhraseMatcher`."""

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[fieldname]
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (fieldname, word) not in reader:
                return NullMatcher()
            terms.append(wq.Term(fieldname, word))
        m = _PhraseMatcher([t.matcher(searcher, context) for t in terms])
        if self.boost != 1.0:
            m = WrappingMatcher(m, boost=self.boost)
        return m
