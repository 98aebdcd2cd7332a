"""Python string offsets <-> Qt text positions.

The core's offsets count Python characters (code points); Qt counts UTF-16
code units, so every character outside the Basic Multilingual Plane (emoji,
some CJK, mathematical letters...) shifts Qt positions by one.

    m = OffsetMap("a\U0001F600b")
    m.to_qt(2) == 3 and m.from_qt(3) == 2
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

__all__ = ["OffsetMap"]


class OffsetMap:
    """Converts offsets for one text; cheap when the text is all BMP."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # Qt position of each astral character's first code unit.
        self._qt = [i + k for k, i in enumerate(self._astral)]

    def to_qt(self, index: int) -> int:
        index = max(0, min(index, self.length))
        return index + bisect_left(self._astral, index)

    def from_qt(self, pos: int) -> int:
        if not self._astral:
            return max(0, min(pos, self.length))
        # Astral characters wholly before pos each took two units.
        n = bisect_right(self._qt, pos - 2)
        index = pos - n
        # A position between the two halves of a pair means that character.
        k = bisect_left(self._qt, pos - 1)
        if k < len(self._qt) and self._qt[k] == pos - 1:
            index = self._astral[k]
        return max(0, min(index, self.length))

    @property
    def qt_length(self) -> int:
        return self.length + len(self._astral)
