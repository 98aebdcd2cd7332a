r"""Markdown markup, hidden when text is shown and kept where it is stored.

The stored text of a ``.txt``/``.md`` article is exactly the file's content
(every fact and citation offset points into it), so ``[reported](#)``,
``**State Protection Bureau**`` and a ``## Who is he?`` heading stay in the
store; readers, snippets and exports show ``reported``, ``State Protection
Bureau`` and ``Who is he?``. This module finds the characters to hide and
maps offsets between the stored text and the shown one:

>>> display_text("media [reported](#) Friday")
'media reported Friday'
>>> display_text("## Who is he?\nA **captain** of the _guard_")
'Who is he?\nA captain of the guard'
>>> m = DisplayMap("media [reported](#) Friday")
>>> m.to_display(7), m.to_source(6)
(6, 7)

What is hidden, and what is not:

* links ``[text](target)`` and images ``![alt](target)``: all but the text.
  A bracketed insertion without a target ("[The authorities] said") is
  prose and stays;
* emphasis ``**strong**``, ``__strong__``, ``*em*``, ``_em_``: the
  delimiters, when they open and close on one line around text that does not
  start or end with a space (CommonMark's flanking rule, simplified), and
  ``_`` only outside words, so ``snake_case`` and ``5 * 3 * 2`` stay;
* a ``**`` left unpaired next to a word, and a ``__`` left unpaired at the
  very start or end of the text: what a quote cut from inside bold text
  carries;
* ATX heading markers (``#`` to ``######`` and the space after them) at the
  start of a line.

List markers (``- item``) stay: a reader sees them as the bullets they are.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

__all__ = ["markup_spans", "styled_runs", "display_text", "DisplayMap"]

# [text](target) or ![alt](target); the target has no spaces except an
# optional quoted title: (http://x "Title"). Link text stays on one line.
_LINK = re.compile(r"!?\[(?P<text>[^\[\]\n]+)\]\((?P<target>[^()\s]*(?:\s+\"[^\"\n]*\")?)\)")
# Emphasis: the opening delimiter is followed by a non-space, the closing one
# preceded by one; the shortest such run on one line. Underscores must not
# touch a word character outside (intraword "_" is not emphasis in Markdown).
_EMPHASIS = re.compile(
    r"(?P<d>\*\*\*|\*\*|\*)(?=[^\s*])(?P<text>[^\n]*?[^\s*])(?P=d)(?!\*)"
    r"|(?<![\w_])(?P<u>___|__|_)(?=[^\s_])(?P<utext>[^\n]*?[^\s_])(?P=u)(?![\w_])"
)
_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+", re.MULTILINE)
# A strong delimiter cut off from its partner (a quote taken from inside bold
# text). Prose never means "**" literally; "__" only at the ends, since
# "__init__"-like words are left alone.
_LONE_STARS = re.compile(r"(?<![*\s])\*\*\*?(?!\*)|(?<!\*)\*\*\*?(?=[^\s*])")
_LONE_UNDERSCORES = re.compile(r"^___?(?=[^\s_])|(?<=[^\s_])___?$")


def markup_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every markup run to hide, sorted and disjoint: for
    ``[said](#)`` the ``[`` and the ``](#)``, for ``**said**`` both ``**``,
    never the text itself."""
    return _scan(text)[0]


def styled_runs(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, style)`` of the text the hidden markup styles, in stored
    offsets: ``"strong"``, ``"em"`` (both for ``***x***``) and ``"heading"``
    (the heading line after its ``#`` marks), so a reader can show it."""
    return _scan(text)[1]


def _scan(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    text = text or ""
    if not any(c in text for c in "[*_#"):
        return [], []
    spans: list[tuple[int, int]] = []
    styles: list[tuple[int, int, str]] = []
    links: list[tuple[int, int]] = []
    if "](" in text:
        for m in _LINK.finditer(text):
            spans.append((m.start(), m.start("text")))
            spans.append((m.end("text"), m.end()))
            links.append((m.end("text"), m.end()))
    if "#" in text:
        for m in _HEADING.finditer(text):
            spans.append(m.span())
            line_end = text.find("\n", m.end())
            styles.append((m.end(), len(text) if line_end < 0 else line_end, "heading"))
    if "*" in text or "_" in text:
        # A link's target ("](http://x/a_b_c)") is hidden already: no emphasis in it.
        for m in _EMPHASIS.finditer(text):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in links):
                continue
            d = m.group("d") or m.group("u")
            spans.append((m.start(), m.start() + len(d)))
            spans.append((m.end() - len(d), m.end()))
            inner = (m.start() + len(d), m.end() - len(d))
            if len(d) != 2:
                styles.append((*inner, "em"))
            if len(d) != 1:
                styles.append((*inner, "strong"))
        for rx in (_LONE_STARS, _LONE_UNDERSCORES):
            for m in rx.finditer(text):
                if not any(a <= m.start() < b or a < m.end() <= b for a, b in spans):
                    spans.append(m.span())
    return _disjoint(spans), sorted(styles)


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def display_text(text: str) -> str:
    """``text`` as a reader sees it: links as their text, no emphasis or heading marks."""
    spans = markup_spans(text)
    if not spans:
        return text or ""
    parts, pos = [], 0
    for start, end in spans:
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


class DisplayMap:
    """Offsets of a stored text <-> offsets of its :func:`display_text`.

    A stored offset inside hidden markup maps to where the markup was
    (the display offset of the next shown character).
    """

    def __init__(self, text: str, spans: list[tuple[int, int]] | None = None) -> None:
        self.spans = markup_spans(text) if spans is None else list(spans)
        self.length = len(text or "")
        self._starts = [s for s, _ in self.spans]
        # Characters hidden before each span, and display offset where each starts.
        self._hidden_before: list[int] = []
        self._display_starts: list[int] = []
        hidden = 0
        for s, e in self.spans:
            self._hidden_before.append(hidden)
            self._display_starts.append(s - hidden)
            hidden += e - s
        self.hidden = hidden

    def __bool__(self) -> bool:
        return bool(self.spans)

    @property
    def display_length(self) -> int:
        return self.length - self.hidden

    def to_display(self, index: int) -> int:
        index = max(0, min(index, self.length))
        k = bisect_right(self._starts, index) - 1
        if k < 0:
            return index
        s, e = self.spans[k]
        if index < e:
            return s - self._hidden_before[k]
        return index - self._hidden_before[k] - (e - s)

    def to_source(self, pos: int, *, after: bool = False) -> int:
        """The stored offset of display offset ``pos``. At a hidden run, the
        character shown after it (``after=False``) or the end of the text before it."""
        pos = max(0, min(pos, self.display_length))
        if after:
            k = bisect_left(self._display_starts, pos)
            if k < len(self.spans) and self._display_starts[k] == pos:
                return self.spans[k][0]
        # The last hidden run at or before this display position (all of it lies before).
        k = bisect_right(self._display_starts, pos) - 1
        if k < 0:
            return pos
        s, e = self.spans[k]
        return pos + self._hidden_before[k] + (e - s)

    def is_hidden(self, index: int) -> bool:
        k = bisect_right(self._starts, index) - 1
        return k >= 0 and index < self.spans[k][1]
