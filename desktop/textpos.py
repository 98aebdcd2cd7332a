"""Python string offsets <-> Qt text positions.

The core's offsets count Python characters (code points) of the stored text;
Qt counts UTF-16 code units of the text shown, so every character outside
the Basic Multilingual Plane (emoji, some CJK, mathematical letters...)
shifts Qt positions by one, and markup hidden from the reader (the ``[`` and
``](#)`` of a Markdown link, see :mod:`archive.markup`) shifts them back.

    m = OffsetMap("a\U0001F600b")
    m.to_qt(2) == 3 and m.from_qt(3) == 2
    m = OffsetMap("[said](#) so", markup_spans("[said](#) so"))
    m.shown_text == "said so" and m.to_qt(1) == 0
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Sequence

from archive.markup import DisplayMap

__all__ = ["OffsetMap"]


class OffsetMap:
    """Converts offsets for one text; cheap when the text is all BMP and nothing is hidden.

    ``hidden``: ``(start, end)`` runs of the text that are not shown.
    """

    def __init__(self, text: str, hidden: Sequence[tuple[int, int]] = ()) -> None:
        self.length = len(text)
        self._display = DisplayMap(text, list(hidden))
        if self._display:
            parts, pos = [], 0
            for s, e in self._display.spans:
                parts.append(text[pos:s])
                pos = e
            parts.append(text[pos:])
            shown = "".join(parts)
        else:
            shown = text
        self.shown_text = shown
        self._shown_length = len(shown)
        self._astral = [i for i, ch in enumerate(shown) if ord(ch) > 0xFFFF]
        # Qt position of each astral character's first code unit.
        self._qt = [i + k for k, i in enumerate(self._astral)]

    def to_qt(self, index: int) -> int:
        index = max(0, min(index, self.length))
        if self._display:
            index = self._display.to_display(index)
        return index + bisect_left(self._astral, index)

    def from_qt(self, pos: int, *, after: bool = False) -> int:
        """The Python offset of Qt position ``pos``. ``after``: the position ends
        a span (a selection's end), so hidden markup right after it is left out."""
        index = self._shown_index(pos)
        if self._display:
            return self._display.to_source(index, after=after)
        return index

    def is_hidden(self, index: int) -> bool:
        """Whether the character at Python offset ``index`` is hidden markup."""
        return bool(self._display) and self._display.is_hidden(index)

    def _shown_index(self, pos: int) -> int:
        if not self._astral:
            return max(0, min(pos, self._shown_length))
        # Astral characters wholly before pos each took two units.
        n = bisect_right(self._qt, pos - 2)
        index = pos - n
        # A position between the two halves of a pair means that character.
        k = bisect_left(self._qt, pos - 1)
        if k < len(self._qt) and self._qt[k] == pos - 1:
            index = self._astral[k]
        return max(0, min(index, self._shown_length))

    @property
    def qt_length(self) -> int:
        return self._shown_length + len(self._astral)
