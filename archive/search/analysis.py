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

from ..names import NAME_WORD, skeleton, skeleton_positions

__all__ = [
    "STOP_WORDS", "TextAnalyzer", "NameAnalyzer", "PathAnalyzer",
    "FastPositions", "FastText", "encode_positions", "decode_positions", "stem_word", "term_of", "analyze_terms", "term_positions",
    "SkeletonAnalyzer", "proper_term",
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
# A word as written -> its proper-name term, or "" when it is not one (see proper_term).
_PROPER_CACHE: dict[str, str] = {}
# What ends a sentence or a line before a word: a capital after it proves nothing.
_SENTENCE_END = re.compile(r"[.!?…:;\n\"«»“„()\[\]—–-]")
_WORD_AFTER = re.compile(r"([.!?…:;\n\"«»“„()\[\]—–-][^\w]*)?(\w+(?:[.'’]\w+)*)")
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


def proper_term(raw: str) -> str:
    """The index term of a Cyrillic name written mid-sentence, ``""`` for any other word.

    The Russian stemmer folds names into common words ("Семей", the city,
    into "сем" with "семья", family), so a capitalised Cyrillic word that
    does not open a sentence is indexed unstemmed (only lowercased, ё as е).
    Its other case forms ("Семее") are met through the ``names`` field.
    Latin words keep their stems: English headlines capitalise every word,
    and the English stemmer leaves names whole.
    """
    out = _PROPER_CACHE.get(raw)
    if out is None:
        out = ""
        if (len(raw) > 1 and raw[0].isupper() and not raw[1].isupper()
                and _CYRILLIC.match(raw)):
            w = fold(raw.lower())
            if w not in STOP_WORDS and stem_word(w) != w:
                out = w
        if len(_PROPER_CACHE) < _CACHE_LIMIT:
            _PROPER_CACHE[raw] = out
    return out


def term_positions(text: str) -> dict[str, list[int]]:
    """``{term: [position, ...]}`` of ``text``: the same terms and positions as
    :func:`analyze_terms`, without character offsets, at indexing speed."""
    out: dict[str, list[int]] = {}
    get = _TERM_CACHE.get
    proper = _PROPER_CACHE.get
    pos = 0
    for after, raw in _WORD_AFTER.findall(text):
        term = get(raw)
        if term is None:
            term = term_of(raw)
        if not term:
            continue
        if pos and not after:
            name = proper(raw)
            if name is None:
                name = proper_term(raw)
            if name:
                term = name
        lst = out.get(term)
        if lst is None:
            out[term] = [pos]
        else:
            lst.append(pos)
        pos += 1
    return out


def analyze_terms(text: str, stem: bool = True, query: bool = False) -> list[tuple[str, int, int, int]]:
    """``(term, position, startchar, endchar)`` for each indexed word of ``text``.

    Stop words are dropped without leaving a gap in the positions, so the
    same is done to a quoted phrase and "right to protest" still matches.
    A capitalised Cyrillic word mid-sentence gets its :func:`proper_term`;
    in a ``query`` every capitalised Cyrillic word does (the user wrote a name).
    """
    out = []
    pos = 0
    stop = STOP_WORDS
    stemmer = stem_word if stem else fold
    prev_end = 0
    for m in _WORD.finditer(text):
        raw = m.group()
        w = raw.lower()
        gap_start, prev_end = prev_end, m.end()
        if w in stop:
            continue
        term = proper_term(raw) if stem else ""
        # The same test as term_positions: a word after a sentence or line end is not a name by its capital.
        if term and not query and (not pos or _SENTENCE_END.search(text, gap_start, m.start())):
            term = ""
        out.append((term or stemmer(w), pos, m.start(), m.end()))
        pos += 1
    return out


class _BaseAnalyzer(Analyzer):
    """Shared Whoosh analyzer plumbing: one reused Token, the standard keywords."""

    _expression = _PLAIN_WORD

    def _terms(self, text: str, query: bool = False) -> list[tuple[str, int, int, int]]:
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
        terms = self._terms(value, query=True) if mode == "query" else self._terms(value)
        for term, pos, start, end in terms:
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

    def _terms(self, text, query=False):
        return analyze_terms(text, query=query)

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

    def _terms(self, text, query=False):
        return [(fold(m.group().lower()), i, m.start(), m.end())
                for i, m in enumerate(_PLAIN_WORD.finditer(text))]

    def _single(self, text):
        return fold(text.lower())


class SkeletonAnalyzer(_BaseAnalyzer):
    """The ``names`` field: the :func:`~.names.skeleton` of each capitalised word.

    A query word is turned into its skeleton whatever its case (the query
    parser only sends it name-like words).
    """

    def _terms(self, text, query=False):
        if query:
            words = _WORD.finditer(text)
        else:
            words = NAME_WORD.finditer(text)
        out = []
        for m in words:
            if m.group().lower() in STOP_WORDS:
                continue
            term = skeleton(m.group())
            if len(term) > 1:
                out.append((term, len(out), m.start(), m.end()))
        return out

    def _positions(self, text):
        return skeleton_positions(text)

    def _single(self, text):
        if _WILDCARD.search(text):
            return fold(text.lower())
        return skeleton(text)


class PathAnalyzer(_BaseAnalyzer):
    """File paths: every folder and name part is a word (``path:reports``)."""

    def _terms(self, text, query=False):
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
    ``numpy.frombuffer`` (see :mod:`archive.search.engine.codec`); Whoosh's own
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
