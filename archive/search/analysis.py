"""Text analysis for the search index: how article text becomes index terms.

One analyzer serves English and Russian reports side by side: each word is
stemmed by the stemmer of its own script (Snowball English for Latin words,
Snowball Russian for Cyrillic ones), so a mixed archive needs no language
detection and ``deported`` finds ``deportation`` while ``задержан`` finds
``задержали``.

The same analyzer runs over queries, so query words and indexed words meet
in the same form. The index form of every word as written is cached per
process (``term_of``) because the pure-Python Snowball stemmers cost 30-130
microseconds a word, and news vocabulary repeats heavily: after warm-up a
word costs one dictionary lookup.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from array import array

from whoosh.analysis import Analyzer, Token
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.lang.porter2 import stem as _english_stem
from whoosh.lang.snowball.russian import RussianStemmer

__all__ = [
    "STOP_WORDS", "TextAnalyzer", "NameAnalyzer", "PathAnalyzer",
    "FastPositions", "FastText", "encode_positions", "decode_positions", "stem_word", "term_of", "analyze_terms", "term_positions",
]

# Only pure function words. Words a reconstruction depends on stay
# searchable: "may" (the month), "us" (the country), "not" ("not guilty"),
# "will" (a name).
STOP_WORDS = frozenset(
    """a an and are as at be been by for from in is it its of on or that the
    this to was were with s и в во на с со к о об у а же ли бы из по за от до
    """.split()
)

# A word, keeping inner dots and apostrophes: "U.S.", "3.5", "Zhilenkov's"
# (the English stemmer removes the possessive).
_WORD = re.compile(r"\w+(?:[.'’]\w+)*")
_PLAIN_WORD = re.compile(r"\w+")
_PATH_PART = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WILDCARD = re.compile(r"[*?]")

_russian = RussianStemmer()
_STEM_CACHE: dict[str, str] = {}
_FOLD_CACHE: dict[str, str] = {}
# A word as written ("Deported", "deported") -> its index term; "" for stop words.
_TERM_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 400_000


def fold(word: str) -> str:
    """Lowercased ``word`` with Latin accents removed (Cyrillic letters kept, ё as е)."""
    if word.isascii():
        return word
    cached = _FOLD_CACHE.get(word)
    if cached is not None:
        return cached
    if _CYRILLIC.search(word):
        out = word.replace("ё", "е")
    else:
        # Folding Cyrillic would turn й into и; only Latin words lose accents.
        decomposed = unicodedata.normalize("NFKD", word)
        out = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = out.replace("’", "'")
    if len(_FOLD_CACHE) < _CACHE_LIMIT:
        _FOLD_CACHE[word] = out
    return out


def stem_word(word: str) -> str:
    """The index form of one lowercased word: stemmed by the stemmer of its script."""
    cached = _STEM_CACHE.get(word)
    if cached is not None:
        return cached
    folded = fold(word)
    if _CYRILLIC.search(folded):
        out = _russian.stem(folded)
    elif folded.isascii() and not folded.isdigit():
        out = _english_stem(folded)
    else:
        out = folded
    if len(_STEM_CACHE) < _CACHE_LIMIT:
        _STEM_CACHE[word] = out
    return out


def term_of(raw: str) -> str:
    """The index term of one word as written in a text; ``""`` for a stop word."""
    term = _TERM_CACHE.get(raw)
    if term is None:
        w = raw.lower()
        term = "" if w in STOP_WORDS else stem_word(w)
        if len(_TERM_CACHE) < _CACHE_LIMIT:
            _TERM_CACHE[raw] = term
    return term


def term_positions(text: str) -> dict[str, list[int]]:
    """``{term: [position, ...]}`` of ``text``: the same terms and positions as
    :func:`analyze_terms`, without character offsets, at indexing speed."""
    out: dict[str, list[int]] = {}
    get = _TERM_CACHE.get
    pos = 0
    for raw in _WORD.findall(text):
        term = get(raw)
        if term is None:
            term = term_of(raw)
        if not term:
            continue
        lst = out.get(term)
        if lst is None:
            out[term] = [pos]
        else:
            lst.append(pos)
        pos += 1
    return out


def analyze_terms(text: str, stem: bool = True) -> list[tuple[str, int, int, int]]:
    """``(term, position, startchar, endchar)`` for each indexed word of ``text``.

    Stop words are dropped without leaving a gap in the positions, so the
    same is done to a quoted phrase and "right to protest" still matches.
    """
    out = []
    pos = 0
    stop = STOP_WORDS
    stemmer = stem_word if stem else fold
    for m in _WORD.finditer(text):
        w = m.group().lower()
        if w in stop:
            continue
        out.append((stemmer(w), pos, m.start(), m.end()))
        pos += 1
    return out


class _BaseAnalyzer(Analyzer):
    """Shared Whoosh analyzer plumbing: one reused Token, the standard keywords."""

    _expression = _PLAIN_WORD

    def _terms(self, text: str) -> list[tuple[str, int, int, int]]:
        raise NotImplementedError

    def _single(self, text: str) -> str:
        return text.lower()

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        if not tokenize:
            # Wildcard, fuzzy and range texts arrive whole; they are only normalised.
            t.original = value
            t.text = self._single(value)
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        for term, pos, start, end in self._terms(value):
            t.text = term
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self).__name__)


class TextAnalyzer(_BaseAnalyzer):
    """Article text, titles and queries: words, stop words out, per-script stemming."""

    def _terms(self, text):
        return analyze_terms(text)

    def _positions(self, text):
        return term_positions(text)

    def _single(self, text):
        w = text.lower()
        if _WILDCARD.search(w):
            return fold(w)
        return stem_word(w)

    def has_morph(self):
        return True


class NameAnalyzer(_BaseAnalyzer):
    """Outlet and author names: lowercased, accent-folded words, never stemmed."""

    def _terms(self, text):
        return [(fold(m.group().lower()), i, m.start(), m.end())
                for i, m in enumerate(_PLAIN_WORD.finditer(text))]

    def _single(self, text):
        return fold(text.lower())


class PathAnalyzer(_BaseAnalyzer):
    """File paths: every folder and name part is a word (``path:reports``)."""

    def _terms(self, text):
        return [(m.group().lower(), i, m.start(), m.end())
                for i, m in enumerate(_PATH_PART.finditer(text))]


_SINGLE_POSITIONS: dict[int, bytes] = {}
_BIG_ENDIAN = sys.byteorder == "big"


def encode_positions(positions) -> bytes:
    """A posting's word positions as little-endian uint32s (what :class:`FastPositions` stores)."""
    a = array("I", positions)
    if _BIG_ENDIAN:
        a.byteswap()
    return a.tobytes()


def decode_positions(value: bytes) -> list[int]:
    a = array("I")
    a.frombytes(value)
    if _BIG_ENDIAN:
        a.byteswap()
    return a.tolist()


class FastPositions(Positions):
    """Whoosh's ``Positions`` posting format, stored as arrays and fed without per-token generators.

    A posting's value is its word positions as little-endian uint32s, so
    the array search path reads a whole block's positions with one
    ``numpy.frombuffer`` (see :mod:`archive.search.codec`); Whoosh's own
    phrase matching decodes them through the methods below. Only word
    positions are stored (for phrases), not character ranges: snippets
    find their words at query time in the few texts shown (see
    :mod:`archive.search.snippets`), which keeps postings small and
    indexing fast. Text analysis goes through :func:`term_positions`,
    several times faster than Whoosh's Token stream.
    """

    def word_values(self, value, analyzer, **kwargs):
        positions_of = getattr(analyzer, "_positions", None)
        if positions_of is None or not isinstance(value, str):
            yield from Positions.word_values(self, value, analyzer, **kwargs)
            return
        fb = self.field_boost
        single = _SINGLE_POSITIONS
        for w, poslist in positions_of(value).items():
            n = len(poslist)
            if n == 1:
                # Most words occur once in an article: their encodings repeat.
                p = poslist[0]
                enc = single.get(p)
                if enc is None:
                    enc = single[p] = encode_positions(poslist)
                yield (w, 1, fb, enc)
                continue
            yield (w, n, n * fb, encode_positions(poslist))

    def encode(self, poslist):
        return encode_positions(poslist)

    def decode_positions(self, valuestring):
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring):
        return len(valuestring) // 4

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost


class FastText(TEXT):
    """A TEXT field whose terms go to the writer without a generator per word."""

    def index(self, value, **kwargs):
        if not isinstance(value, str) or not isinstance(self.format, FastPositions):
            return TEXT.index(self, value, **kwargs)
        return [(w.encode("utf-8"), n, wt, v) for w, n, wt, v in self.format.word_values(value, self.analyzer)]
