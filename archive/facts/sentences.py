"""Sentence boundaries and the processable body of an article.

Facts are only looked for in the body: ``text[:body_end]`` minus every
boilerplate region. :func:`body_segments` gives those stretches and
:func:`split_sentences` cuts a stretch into sentences with exact offsets,
without a parser (spaCy runs with NER only, for speed).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

__all__ = ["body_segments", "split_sentences", "Sentences"]

# Abbreviations after which a full stop does not end a sentence (lower-cased,
# without the dot). Months and titles are the ones news copy uses.
_ABBREVIATIONS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "st",
    "sen", "rep", "gov", "pres", "jr", "sr", "no", "nos", "art", "vs", "etc", "approx",
    "inc", "ltd", "co", "corp", "dept", "est", "fig", "vol", "p", "pp",
    "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m",
    "г", "гг", "ст", "им", "т.е", "т.д", "т.п", "др", "пр", "ул",
}

# Longer "sentences" are cut (the longest real ones are under 1,000 characters).
# The rules read a match's sentence for its tense and actor, and each fact
# stores it: a page with no full stops must not make that the whole page.
MAX_SENTENCE = 3000

_BOUNDARY = re.compile(r"""([.!?…]+)(["'”’»)\]]*)(\s+)|\n\s*\n|\n(?=\s*[-*•#])""")


def body_segments(text: str, body_end: int, regions: Iterable) -> list[tuple[int, int]]:
    """Stretches of ``text`` that are article body: before ``body_end`` and outside regions."""
    end = max(0, min(len(text), body_end if body_end is not None else len(text)))
    cuts = sorted(
        (max(0, r.start), min(end, r.end)) for r in regions if r.start < end and r.end > 0
    )
    out, pos = [], 0
    for s, e in cuts:
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _ends_sentence(text: str, dot_pos: int) -> bool:
    # "Dec. 14", "U.S. news", "Mr. Zhilin": the word before the dot decides.
    word_start = dot_pos
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot_pos].lower()
    if word in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha() and text[word_start:dot_pos].isupper():
        return False  # an initial: "J. Smith"
    return True


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as absolute ``(start, end)`` spans, whitespace trimmed."""
    spans, pos = [], start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group(1):
            if m.group(1) == "." and not _ends_sentence(text, m.start(1)):
                continue
            nxt = text[m.end():m.end() + 1]
            # A lower-case continuation is not a new sentence ("... 5 p.m. and then").
            if nxt and nxt.islower():
                continue
            cut = m.end(2)
        else:
            cut = m.start()
        spans.append((pos, cut))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        while e - s > MAX_SENTENCE:
            # No sentence is this long: a page with no full stops. Cut it at a
            # space so each rule reads a bounded stretch around a match.
            cut = text.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
            cut = cut if cut > s else s + MAX_SENTENCE
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out


@dataclass
class Sentences:
    """All body sentences of one article, for looking up the sentence around an offset."""
    text: str
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str, segments: Sequence[tuple[int, int]]) -> "Sentences":
        spans: list[tuple[int, int]] = []
        for s, e in segments:
            spans.extend(split_sentences(text, s, e))
        return cls(text, spans)

    def __post_init__(self) -> None:
        self._starts = [s for s, _ in self.spans]

    def span_at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.spans[i][0] <= offset < self.spans[i][1]:
            return self.spans[i]
        return (offset, offset)

    def at(self, offset: int) -> str:
        s, e = self.span_at(offset)
        return self.text[s:e]

    def index_at(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset) - 1
