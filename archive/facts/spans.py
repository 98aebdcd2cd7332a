"""Sets of taken text spans with a fast overlap test.

The rules keep a list of spans already claimed (a date, a quantity, a
mention) and skip a new match that overlaps one. Testing every claimed span
made extraction grow with the square of the text (a one-line 1 MB page held
tens of thousands of claims); here the claims are kept as their union,
sorted, so a test is one bisection.

>>> taken = SpanSet([(10, 20)])
>>> taken.overlaps(15, 30), taken.overlaps(20, 25)
(True, False)
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Iterable

__all__ = ["SpanSet"]


class SpanSet:
    """The union of half-open spans ``[start, end)``; ``overlaps`` is exactly
    ``any(a < end and start < b for a, b in spans)`` for a non-empty query."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for s, e in spans:
            self.add(s, e)

    def __len__(self) -> int:
        return len(self._starts)

    def add(self, start: int, end: int) -> None:
        starts, ends = self._starts, self._ends
        # Stored spans are disjoint and sorted, so their ends are sorted too.
        # Spans that only touch stay apart: [0, 5) and [5, 9) do not overlap.
        j = bisect_right(ends, start)          # first span ending after start
        k = bisect_left(starts, end) - 1       # last span starting before end
        if j <= k:
            starts[j:k + 1] = [min(start, starts[j])]
            ends[j:k + 1] = [max(end, ends[k])]
        else:
            starts.insert(j, start)
            ends.insert(j, end)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self._starts, end) - 1
        return k >= 0 and self._ends[k] > start
