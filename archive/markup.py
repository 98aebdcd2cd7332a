"""Markdown link markup, hidden when text is shown and kept where it is stored.

The stored text of a ``.txt``/``.md`` article is exactly the file's content
(every fact and citation offset points into it), so ``[reported](#)`` stays
in the store; readers, snippets and exports show ``reported``. This module
finds the characters to hide and maps offsets between the stored text and
the shown one:

>>> display_text("media [reported](#) Friday")
'media reported Friday'
>>> m = DisplayMap("media [reported](#) Friday")
>>> m.to_display(7), m.to_source(6)
(6, 7)

A bracketed insertion without a target ("[The authorities] said") is prose,
not a link, and is left alone.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

__all__ = ["link_markup_spans", "display_text", "DisplayMap"]

# [text](target) or ![alt](target); the target has no spaces except an
# optional quoted title: (http://x "Title"). Link text stays on one line.
_LINK = re.compile(r"!?\[(?P<text>[^\[\]\n]+)\]\((?P<target>[^()\s]*(?:\s+\"[^\"\n]*\")?)\)")


def link_markup_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every markup run to hide, sorted: for
    ``[said](#)`` the ``[`` and the ``](#)``, never the link's text."""
    spans: list[tuple[int, int]] = []
    if "](" not in (text or ""):
        return spans
    for m in _LINK.finditer(text):
        spans.append((m.start(), m.start("text")))
        spans.append((m.end("text"), m.end()))
    return spans


def display_text(text: str) -> str:
    """``text`` as a reader sees it: each link shown as its text."""
    spans = link_markup_spans(text)
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
        self.spans = link_markup_spans(text) if spans is None else list(spans)
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
