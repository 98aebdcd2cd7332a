"""Paragraphs rebuilt from the lines of a PDF text layer.

A PDF stores lines, not paragraphs: every line the layout wrapped comes out
of the text layer as a line of its own, so "Teodor" can end one line and
"Brannik" start the next. This module decides, for each pair of lines,
whether the break between them is a paragraph break or only the layout's,
and joins the wrapped ones into one line of text.

A break is a paragraph break when the page shows one: a vertical gap larger
than the usual line pitch, a change of font size, an indented first line, or
a short line before it (a paragraph's last line, a headline, a date line).
It is a wrapped line when the next line starts in lower case (a sentence
goes on), or when the line before is of full width and either ends mid-
sentence or the page marks its paragraphs with gaps (so no gap means the
same paragraph). Where a PDF gives no positions, the text alone decides.

Hyphens at a line end are kept unless the word is known to be one word:
"exam-" + "ple" becomes "example" only when "example" appears elsewhere in
the document and "exam-ple" does not; "six-" + "month" stays "six-month".
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

__all__ = ["PdfLine", "page_lines", "page_paragraphs", "join_pages"]

_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_LIST_ITEM = re.compile(r"^(?:[-•▪●◦*–—]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s)")
_WORD_HYPHEN_END = re.compile(r"(\w+)-$")
_LEADING_WORD = re.compile(r"\w+")
_HYPHENATED = re.compile(r"\b\w+-\w+\b")
_WORD = re.compile(r"\w+")

_FULL_WIDTH = 0.75       # a line this share of the page's long lines reaches the right margin
_GAP = 1.3               # a pitch this many times the usual one is a paragraph gap
_SIZE_CHANGE = 0.08      # font sizes further apart than this belong to different blocks
_LOOSE_PITCH = 1.75      # with no usual pitch to go by, lines further apart (in font sizes) are a gap


@dataclass(frozen=True)
class PdfLine:
    """One line of a page's text layer, with where it starts and its font size when known."""
    text: str
    x: Optional[float] = None
    y: Optional[float] = None
    size: Optional[float] = None

    @property
    def placed(self) -> bool:
        return self.y is not None and bool(self.size)


def _multiply(m: Sequence[float], n: Sequence[float]) -> tuple[float, ...]:
    """The product of two PDF matrices ``[a b c d e f]``: ``m`` applied first."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def page_lines(page) -> list[PdfLine]:
    """The lines of one pypdf page, each placed where its first text was drawn.

    pypdf's visitor sees every piece of text it writes, with the text and
    transformation matrices in force; the pieces add up to the page's text,
    so each line can be given the position of its first piece.
    """
    pieces: list[tuple[str, Optional[tuple[float, ...]], float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        try:
            matrix, size = _multiply(tm, cm), float(font_size or 0)
        except (TypeError, ValueError):  # an odd operand in a damaged stream: keep the text, lose the place
            matrix, size = None, 0.0
        pieces.append((text, matrix, size))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(p[0] for p in pieces) != text:
        # The pieces do not add up to the text: positions cannot be trusted.
        return [PdfLine(t.strip()) for t in text.split("\n")]

    lines: list[PdfLine] = []
    current, place = "", None
    for piece, matrix, font_size in pieces:
        segments = piece.split("\n")
        for i, seg in enumerate(segments):
            if i:
                lines.append(PdfLine(current.strip(), *(place or (None, None, None))))
                current, place = "", None
            if seg.strip() and place is None and i == 0 and matrix is not None:
                size = font_size * (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5
                place = (matrix[4], matrix[5], size or None)
            current += seg
    lines.append(PdfLine(current.strip(), *(place or (None, None, None))))
    return lines


class _Page:
    """What one page's lines say about its layout: usual pitch, long-line width, left margin, gaps."""

    def __init__(self, lines: list[PdfLine]) -> None:
        self.pitches: dict[float, float] = {}
        by_size: dict[float, list[float]] = {}
        for prev, cur in zip(lines, lines[1:]):
            if prev.text and cur.text and prev.placed and cur.placed and self.same_size(prev, cur):
                dy = prev.y - cur.y
                if 0 < dy <= 3 * prev.size:
                    by_size.setdefault(self.key(prev), []).append(dy)
        for key, values in by_size.items():
            if len(values) >= 2:
                values.sort()
                # The lower quartile is the plain line pitch; paragraph gaps sit above it.
                self.pitches[key] = values[(len(values) - 1) // 4]
        self.widths: dict[bool, float] = {}
        for placed in (True, False):
            values = sorted(self.width(l) for l in lines if l.text and l.placed == placed)
            if values:
                self.widths[placed] = values[int(0.9 * (len(values) - 1))] if len(values) >= 10 else values[-1]
        xs: dict[float, list[float]] = {}
        for line in lines:
            if line.text and line.placed and line.x is not None:
                xs.setdefault(self.key(line), []).append(round(line.x, 1))
        self.left = {key: statistics.mode(values) for key, values in xs.items()}
        self.uses_gaps = _has_blank_between_text(lines) or any(
            self.gap(p, c) in ("space", "indent") for p, c in zip(lines, lines[1:]) if p.text and c.text)

    @staticmethod
    def key(line: PdfLine) -> float:
        return round(line.size * 2) / 2 if line.size else 0.0

    @staticmethod
    def same_size(a: PdfLine, b: PdfLine) -> bool:
        return abs(a.size - b.size) <= _SIZE_CHANGE * max(a.size, b.size)

    @staticmethod
    def width(line: PdfLine) -> float:
        # Characters times font size tracks printed width closely enough to tell a full line from a short one.
        return len(line.text) * (line.size or 1.0)

    def is_full(self, line: PdfLine) -> bool:
        ref = self.widths.get(line.placed)
        return bool(ref) and self.width(line) >= _FULL_WIDTH * ref

    def gap(self, prev: PdfLine, cur: PdfLine) -> Optional[str]:
        """How the layout separates two lines, if it does: ``space``, ``size``, ``indent`` or ``jump``."""
        if not (prev.placed and cur.placed):
            return None
        if not self.same_size(prev, cur):
            return "size"
        dy = prev.y - cur.y
        usual = self.pitches.get(self.key(prev))
        if dy <= 0 or dy > max(3 * (usual or 0), 4 * prev.size):
            return "jump"        # a new column, or a page region out of reading order
        if dy > (_GAP * usual if usual else _LOOSE_PITCH * prev.size):
            return "space"
        left = self.left.get(self.key(cur))
        if cur.x is not None and left is not None and cur.x - left > 0.8 * cur.size and (
                prev.x is None or cur.x - prev.x > 0.8 * cur.size):
            return "indent"      # an indented first line
        return None


def _has_blank_between_text(lines: list[PdfLine]) -> bool:
    seen_text = blank = False
    for line in lines:
        if not line.text:
            blank = seen_text
        elif blank:
            return True
        else:
            seen_text = True
    return False


def _starts_lower(s: str) -> bool:
    first = s.lstrip("\"'“‘«(")[:1]
    return first.isalpha() and first.islower()


def _continues(prev: PdfLine, cur: PdfLine, page: _Page) -> bool:
    """True when ``cur`` goes on the paragraph ``prev`` is part of."""
    if _LIST_ITEM.match(cur.text):
        return False
    mid_sentence = not _SENTENCE_END.search(prev.text)
    lower = _starts_lower(cur.text)
    gap = page.gap(prev, cur)
    if gap == "jump":
        # Only a sentence cut in two carries on into the next column.
        return mid_sentence and lower
    if gap:
        return False
    if lower and mid_sentence:
        return True
    if not page.is_full(prev):
        return False             # a paragraph's last line, a headline, a date line
    if mid_sentence or lower:
        return True
    # A full line that ends a sentence: where the page marks paragraphs by
    # space or indent, no mark means the paragraph goes on.
    return page.uses_gaps


class _Words:
    """Which spellings a document uses, to settle a hyphen at a line end."""

    def __init__(self, text: str) -> None:
        self.words = {w.casefold() for w in _WORD.findall(text)}
        self.hyphenated = {w.casefold() for w in _HYPHENATED.findall(text)}

    def drop_hyphen(self, first: str, second: str) -> bool:
        if not (first.isalpha() and second.isalpha() and second[:1].islower()):
            return False
        joined = (first + second).casefold()
        return joined in self.words and f"{first}-{second}".casefold() not in self.hyphenated


def _join(left: str, right: str, words: _Words) -> str:
    if left.endswith("\u00ad"):          # a soft hyphen marks a break inside a word
        return left[:-1] + right
    m = _WORD_HYPHEN_END.search(left)
    if m:
        second = _LEADING_WORD.match(right)
        if second and words.drop_hyphen(m.group(1), second.group(0)):
            return left[:-1] + right
        return left + right              # "six-" + "month": the hyphen belongs to the word
    if left.endswith(("—", "–")) and not left[-2:-1].isspace():
        return left + right
    return f"{left} {right}"


def page_paragraphs(lines: list[PdfLine], words: Optional[_Words] = None) -> list[str]:
    """One page's lines as paragraphs, wrapped lines joined."""
    if words is None:
        words = _Words("\n".join(l.text for l in lines))
    page = _Page(lines)
    paragraphs: list[str] = []
    current: Optional[str] = None
    prev: Optional[PdfLine] = None
    for line in lines:
        if not line.text:
            if current is not None:
                paragraphs.append(current)
                current, prev = None, None
            continue
        if current is not None and prev is not None and _continues(prev, line, page):
            current = _join(current, line.text, words)
        else:
            if current is not None:
                paragraphs.append(current)
            current = line.text
        prev = line
    if current is not None:
        paragraphs.append(current)
    return paragraphs


def join_pages(pages: Iterable[list[PdfLine]]) -> str:
    """The text of a document: paragraphs separated by blank lines, a sentence cut by a page break rejoined."""
    pages = [p for p in pages if any(l.text for l in p)]
    words = _Words("\n".join(l.text for p in pages for l in p))
    out: list[str] = []
    for lines in pages:
        paragraphs = page_paragraphs(lines, words)
        if out and paragraphs and not _SENTENCE_END.search(out[-1]) and _starts_lower(paragraphs[0]):
            out[-1] = _join(out[-1], paragraphs[0], words)
            paragraphs = paragraphs[1:]
        out.extend(paragraphs)
    return "\n\n".join(out)
