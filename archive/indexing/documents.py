"""Stored articles as search documents: the article's own words apart from the page furniture."""
from __future__ import annotations

from typing import Iterator, Sequence

from ..models import Article, Region
from ..search import IndexDoc
from ..store import articles as store_articles

__all__ = ["split_body", "index_doc_for_article", "iter_index_docs"]


def _covered(text_len: int, body_end: int, regions: Sequence[Region]) -> list[tuple[int, int]]:
    spans = [(max(0, r.start), min(text_len, r.end)) for r in regions if r.end > r.start]
    if body_end < text_len:
        spans.append((max(0, body_end), text_len))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def split_body(text: str, body_end: int, regions: Sequence[Region]) -> tuple[str, str]:
    """``(body, boilerplate)``: the article's own words, and the page furniture around them."""
    body_parts, boiler_parts, pos = [], [], 0
    for start, end in _covered(len(text), body_end, regions):
        body_parts.append(text[pos:start])
        boiler_parts.append(text[start:end])
        pos = end
    body_parts.append(text[pos:])
    return "\n".join(p for p in body_parts if p.strip()), "\n".join(p for p in boiler_parts if p.strip())


def index_doc_for_article(article: Article) -> IndexDoc:
    """The search document of a stored article (needs its text)."""
    body, boilerplate = split_body(article.text, article.body_end, article.regions)
    return IndexDoc(
        article_id=article.id, path=article.path, title=article.title, outlet=article.outlet,
        author=article.author, lang=article.lang, published=article.published,
        body=body, boilerplate=boilerplate,
    )


def iter_index_docs(db, batch: int) -> Iterator[list[IndexDoc]]:
    """The search documents of every stored article, by id, ``batch`` at a time."""
    last = 0
    while True:
        articles = store_articles.articles_after(db, last, batch)
        if not articles:
            return
        yield [index_doc_for_article(a) for a in articles]
        last = articles[-1].id
