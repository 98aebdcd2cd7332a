"""Which articles the archive panel shows: a plain predicate, no Qt.

    f = ArticleFilter(outlet="Reuters", date_from="2022-12-01")
    visible = [a for a in articles if f.accepts(a)]

Dates compare as ISO strings; a partial publication date (``2022-12``) is
kept when its period overlaps the range.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

__all__ = ["ArticleFilter"]


@dataclass(frozen=True)
class ArticleFilter:
    outlet: Optional[str] = None
    lang: Optional[str] = None
    date_from: Optional[str] = None          # ISO, inclusive
    date_to: Optional[str] = None            # ISO, inclusive
    entity_id: Optional[int] = None
    entity_articles: frozenset = field(default_factory=frozenset)  # ids mentioning entity_id
    text: str = ""                           # words in title/outlet/author/path

    @property
    def active(self) -> bool:
        return any((self.outlet, self.lang, self.date_from, self.date_to,
                    self.entity_id is not None, self.text.strip()))

    def accepts(self, article) -> bool:
        if self.outlet and (article.outlet or "") != self.outlet:
            return False
        if self.lang and (article.lang or "") != self.lang:
            return False
        if self.date_from or self.date_to:
            published = article.published or ""
            if not published:
                return False
            # "2022-12" covers 2022-12-01 .. 2022-12-31: its last moment sorts
            # after every day of the month, its first before.
            if self.date_from and published + "\uffff" < self.date_from:
                return False
            if self.date_to and published[: len(self.date_to)] > self.date_to:
                return False
        if self.entity_id is not None and article.id not in self.entity_articles:
            return False
        if self.text.strip():
            hay = " ".join(filter(None, (article.title, article.outlet, article.author,
                                         article.relpath))).casefold()
            if not all(word in hay for word in self.text.casefold().split()):
                return False
        return True
