"""Finding a cited passage in an article's text.

A citation stores the exact quote and where it was. When the article's file
changes, the quote is looked for again: the occurrence nearest the old place
wins, so a passage that appears twice keeps pointing at the one the user
chose. Quotes copied from a PDF or a web page often differ from the stored
text only in line breaks and spacing; those still match, and the citation
then takes the article's exact wording.
"""
from __future__ import annotations

import re
from typing import Optional

__all__ = ["find_quote", "Anchor"]

Anchor = tuple[int, int]


def _occurrences(text: str, quote: str) -> list[Anchor]:
    found, at = [], text.find(quote)
    while at != -1:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return found


def _loose_occurrences(text: str, quote: str) -> list[Anchor]:
    words = quote.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def find_quote(text: str, quote: str, near: Optional[int] = None) -> Optional[Anchor]:
    """The span of ``quote`` in ``text`` nearest to offset ``near``, or None.

    An exact occurrence is preferred; failing that, one that differs only
    in whitespace.
    """
    if not quote or not quote.strip():
        return None
    spans = _occurrences(text, quote) or _loose_occurrences(text, quote)
    if not spans:
        return None
    if near is None:
        return spans[0]
    return min(spans, key=lambda span: (abs(span[0] - near), span[0]))
