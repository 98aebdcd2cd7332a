"""Search-result snippets: the passage around the best matches, escaped and marked.

The index stores word positions but not character ranges (that would make
the postings half again as big and indexing slower), so the matched words
are found at query time, in the stored text of the few hits shown. A
regular expression of the matched terms' prefixes finds candidate words at C
speed and only those are run through the analyzer; Snowball stems are
prefixes of their words up to the last letter ("countri" for "country"),
which is why the prefix drops one letter.

A snippet is HTML-escaped text of about ``WIDTH`` characters in which every
matched word is wrapped in ``<mark>...</mark>``; "…" marks a cut. Markdown
link markup is left out (``[said](#)`` shows as "said", see archive.markup).
"""
from __future__ import annotations

import html
import re
import unicodedata

from whoosh import query as wq

from ..markup import DisplayMap, display_text
from ..names import NAME_WORD, skeleton
from .analysis import _WORD, proper_term, term_of
from .schema import NAMES_FIELD, SNIPPET_FIELDS

__all__ = ["WIDTH", "highlight_terms", "find_spans", "make_snippet", "plain_snippet"]

WIDTH = 240
_LEAD = 50                 # characters shown before the first match
_MAX_TERMS_PER_FIELD = 120  # a wildcard like "a*" must not make snippets slow
_ELLIPSIS = "…"


def _positive(q: wq.Query) -> wq.Query | None:
    """``q`` without its negated parts: words after NOT are not highlighted."""
    if isinstance(q, wq.Not):
        return None
    if isinstance(q, wq.AndNot):
        return _positive(q.a)
    if q.is_leaf():
        return q
    kept = [p for p in (_positive(c) for c in q.children()) if p is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else wq.Or(kept)


def highlight_terms(q: wq.Query, reader) -> dict[str, set[str]]:
    """The index terms, per snippet field, that the positive part of ``q`` matches."""
    positive = _positive(q)
    out: dict[str, set[str]] = {f: set() for f in SNIPPET_FIELDS + (NAMES_FIELD,)}
    if positive is None:
        return out
    # Query.existing_terms() skips every field after the first it meets
    # (its loop variable shadows the field filter), so the leaves are walked here.
    schema = reader.schema
    for leaf in positive.leaves():
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            found = out.get(fieldname)
            if found is None or len(found) >= _MAX_TERMS_PER_FIELD:
                continue
            btext = schema[fieldname].to_bytes(text)
            if (fieldname, btext) in reader:
                found.add(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
    return out


_PATTERNS: dict[frozenset, re.Pattern] = {}


def _accent_classes() -> dict[str, str]:
    """Each Latin letter -> a regex class of it and its accented forms ("e" -> "[eéèê...]")."""
    variants: dict[str, list[str]] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
        if len(base) == 1 and base.isascii() and base.isalpha() and ch.lower() == ch:
            variants.setdefault(base, []).append(ch)
    # Folding also turns ё into е (the index keeps е only).
    variants["е"] = ["ё"]
    return {base: "[" + base + "".join(chars) + "]" for base, chars in variants.items()}


_ACCENTS = _accent_classes()


def _prefix_pattern(prefix: str) -> str:
    return "".join(_ACCENTS.get(c, re.escape(c)) for c in prefix)


def _candidates(terms: frozenset) -> re.Pattern:
    pattern = _PATTERNS.get(terms)
    if pattern is None:
        prefixes = sorted({t[:-1] if len(t) > 1 else t for t in terms}, key=len, reverse=True)
        # Terms are accent-folded (ё as е); the text is as written.
        alts = "|".join(_prefix_pattern(p) for p in prefixes)
        pattern = re.compile(rf"(?<!\w)(?:{alts})\w*(?:[.'’]\w+)*", re.IGNORECASE)
        if len(_PATTERNS) > 256:
            _PATTERNS.clear()
        _PATTERNS[terms] = pattern
    return pattern


_ACCENTED = re.compile("[" + "".join(sorted({c for cls in _ACCENTS.values() for c in cls[2:-1]})) + "]")
_WORD_CHAR = re.compile(r"\w")
_LITERALS: dict[frozenset, re.Pattern] = {}


def _literal_candidates(terms: frozenset) -> re.Pattern:
    """Like :func:`_candidates`, for lowercased text without accented letters.

    A pattern that starts with plain lowercase letters lets the regex engine
    jump between occurrences of them, several times faster than the
    case-folding, accent-class pattern; word starts are checked by the caller.
    """
    pattern = _LITERALS.get(terms)
    if pattern is None:
        prefixes = sorted({t[:-1] if len(t) > 1 else t for t in terms}, key=len, reverse=True)
        alts = "|".join(re.escape(p) for p in prefixes)
        pattern = re.compile(rf"(?:{alts})\w*(?:[.'’]\w+)*")
        if len(_LITERALS) > 256:
            _LITERALS.clear()
        _LITERALS[terms] = pattern
    return pattern


def _candidate_matches(text: str, terms: frozenset):
    """``(start, end)`` of the words of ``text`` that may have a term of ``terms``."""
    low = text.lower()
    # Lowercasing keeps offsets only when no character turns into two.
    if not low.isascii() and (len(low) != len(text) or _ACCENTED.search(low)):
        for m in _candidates(terms).finditer(text):
            yield m.start(), m.end()
        return
    search = _literal_candidates(terms).search
    word_char = _WORD_CHAR.match
    pos = 0
    while True:
        m = search(low, pos)
        if m is None:
            return
        s = m.start()
        if s and word_char(low, s - 1):
            # Not a word start (what the lookbehind of the full pattern rules
            # out): look again from the next character, as it would.
            pos = s + 1
            continue
        yield s, m.end()
        pos = m.end()


def name_spans(text: str, skeletons) -> list[tuple[int, int]]:
    """``(start, end)`` of the capitalised words of ``text`` whose name skeleton is in ``skeletons``."""
    if not text or not skeletons:
        return []
    return [(m.start(), m.end()) for m in NAME_WORD.finditer(text) if skeleton(m.group()) in skeletons]


def find_spans(text: str, terms, names=None) -> list[tuple[int, int]]:
    """``(start, end)`` of every word of ``text`` whose index term is in ``terms``,
    and of every capitalised word whose name skeleton is in ``names``."""
    found = name_spans(text, names)
    if not text or not terms:
        return found
    terms = frozenset(terms)
    spans = []
    for s, e in _candidate_matches(text, terms):
        if s >= 2 and text[s - 1] in ".'’" and text[s - 2].isalnum():
            continue  # inside a word like "U.S." that the analyzer keeps whole
        word = text[s:e]
        if term_of(word) in terms or proper_term(word) in terms:
            spans.append((s, e))
    if not spans and not text.isascii():
        # A letter the prefix classes do not cover (a ligature, say):
        # look at every word.
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)
                 if term_of(m.group()) in terms or proper_term(m.group()) in terms]
    return sorted(set(spans + found)) if found else spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _best_window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The ``width``-character stretch holding the most distinct matched words."""
    words = [text[s:e].lower() for s, e in spans]
    counts: dict[str, int] = {}
    best, best_score = 0, -1
    n = len(spans)
    j = -1  # spans[i..j] is the current window; counts holds its words
    for i in range(n):
        start = spans[i][0]
        if j < i:
            j = i
            counts = {words[i]: 1}
        while j + 1 < n and spans[j + 1][1] - start <= width - _LEAD:
            j += 1
            counts[words[j]] = counts.get(words[j], 0) + 1
        score = len(counts) * 1000 + (j - i + 1)
        if score > best_score:
            best, best_score = i, score
        # Slide: the window's first word leaves.
        w = words[i]
        if counts.get(w, 0) <= 1:
            counts.pop(w, None)
        else:
            counts[w] -= 1
    first = spans[best][0]
    lo = max(0, first - _LEAD)
    return lo, min(len(text), lo + width)


def _snap(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Move a cut to the nearest space so no word is split."""
    if lo > 0:
        sp = text.find(" ", lo, lo + 30)
        lo = sp + 1 if sp != -1 else lo
    if hi < len(text):
        sp = text.rfind(" ", hi - 30, hi)
        hi = sp if sp > lo else hi
    return lo, hi


def _render(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> str:
    parts = []
    if lo > 0:
        parts.append(_ELLIPSIS)
    pos = lo
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        parts.append(html.escape(_flat(text[pos:s]), quote=False))
        parts.append("<mark>" + html.escape(_flat(text[s:e]), quote=False) + "</mark>")
        pos = e
    parts.append(html.escape(_flat(text[pos:hi]), quote=False))
    if hi < len(text):
        parts.append(_ELLIPSIS)
    return "".join(parts)


_BLANKS = re.compile(r"\s{2,}|[\t\r\n]")


def _flat(s: str) -> str:
    # Line breaks and runs of blanks would break the one-line result layout.
    return _BLANKS.sub(" ", s)


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = WIDTH) -> str:
    """The escaped, marked passage of ``text`` around its best cluster of ``spans``."""
    if not text:
        return ""
    shown = DisplayMap(text)
    if shown:
        # Spans count in the stored text; those wholly inside markup vanish.
        spans = [(a, b) for a, b in ((shown.to_display(s), shown.to_display(e)) for s, e in spans) if b > a]
        text = display_text(text)
    spans = _merge(spans)
    if not spans:
        return plain_snippet(text, width)
    lo, hi = _best_window(text, spans, width)
    if hi - lo < width and lo > 0:
        # Near the end of the text: show more before the match instead.
        lo = max(0, hi - width)
    lo, hi = _snap(text, lo, hi)
    return _render(text, lo, hi, spans)


def plain_snippet(text: str, width: int = WIDTH) -> str:
    """The escaped opening of ``text``, for hits matched only on metadata."""
    text = display_text(text).lstrip()
    hi = min(len(text), width)
    _, hi = _snap(text, 0, hi)
    return _render(text, 0, hi, [])
