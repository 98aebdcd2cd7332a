"""Lines of a text with their offsets, for the line-oriented heuristics of ingest."""
from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Line", "split_lines", "plain", "word_count"]

_LINE_ENDS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_MARKUP_EDGES = re.compile(r"^(?:[#>]+\s*|[*_]+)+|[*_]+$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


class Line(NamedTuple):
    """One line: ``text[start:end]`` is its content without the line break."""
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (blank ones included) with exact offsets."""
    out: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip(_LINE_ENDS)
        out.append(Line(pos, pos + len(content), content))
        pos += len(raw)
    return out


def plain(line: str) -> str:
    """A line as a reader sees it: Markdown emphasis, heading marks and link targets dropped."""
    s = line.strip()
    if "[" in s:
        s = _MD_LINK.sub(r"\1", s)
    if s[:1] in "#>*_" or s[-1:] in "*_":
        s = _MARKUP_EDGES.sub("", s).strip()
    return s.replace("**", "")


def word_count(s: str) -> int:
    return len(s.split())
