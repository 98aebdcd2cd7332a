"""The numbered source list every export ends with.

Each article cited gets one number, in the order the chronology first cites
it; every citation refers to its article's number ("[2]"), so a reader of a
printed timeline finds the full reference, its outlet and web address, once
at the end.

>>> sources = SourceList.of(events)
>>> sources.number(citation)            # 1, 2, ...
>>> [entry.line() for entry in sources]  # "Outlet, 14 Dec 2022, “Title”, https://…, path"
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from ..models import Citation, Event
from .summary import source_line

__all__ = ["Source", "SourceList", "source_key"]


def source_key(c: Citation) -> str:
    """What makes two citations the same source: the article's path in the archive."""
    return c.article_path


@dataclass(frozen=True)
class Source:
    """One cited article, as the source list shows it."""
    number: int
    path: str
    outlet: Optional[str]
    published: Optional[str]
    title: Optional[str]
    url: Optional[str]
    passages: int                  # how many citations refer to it

    def line(self, with_path: bool = True) -> str:
        """``Outlet, 14 Dec 2022, “Title”, https://…, path`` with whatever is known."""
        ref = Citation(id=None, article_id=None, article_path=self.path, quote="", start=0, end=0,
                       outlet=self.outlet, published=self.published, title=self.title)
        known = source_line(ref, with_path=False)
        parts = [p for p in (known, self.url) if p]
        if with_path or not parts:
            parts.append(self.path)
        return ", ".join(parts)


class SourceList:
    """The articles cited by some events, numbered in order of first citation."""

    def __init__(self, sources: Sequence[Source]) -> None:
        self._sources = tuple(sources)
        self._numbers = {s.path: s.number for s in self._sources}

    @classmethod
    def of(cls, events: Sequence[Event]) -> "SourceList":
        first: dict[str, Citation] = {}
        counts: dict[str, int] = {}
        for event in events:
            for c in event.citations:
                key = source_key(c)
                counts[key] = counts.get(key, 0) + 1
                known = first.get(key)
                # The details of the citation that knows the most (an old one may lack the URL).
                if known is None or (not known.url and c.url) or (not known.outlet and c.outlet):
                    first[key] = c if known is None else _merge(known, c)
        return cls([Source(n, key, c.outlet, c.published, c.title, c.url, counts[key])
                    for n, (key, c) in enumerate(first.items(), start=1)])

    def number(self, c: Citation) -> int:
        """The source number a citation refers to."""
        return self._numbers[source_key(c)]

    def __iter__(self) -> Iterator[Source]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


def _merge(a: Citation, b: Citation) -> Citation:
    import dataclasses

    return dataclasses.replace(a, outlet=a.outlet or b.outlet, url=a.url or b.url,
                               title=a.title or b.title, published=a.published or b.published)
