"""``*`` and ``field:*`` searches through the archive give Whoosh's own answer.

The fast path scores ``Every`` (``engine.fastpath``); here an archive indexed
in several runs, with one article removed and one rewritten (so
several segments and deleted documents), is searched through :meth:`Archive.search` and compared with
Whoosh's collectors (``engine.fallback.whoosh_search``) on the same searcher.
"""
from __future__ import annotations

import math

import pytest
from whoosh.sorting import FieldFacet, MultiFacet, ScoreFacet

from archive import Archive
from archive.search.engine.fallback import whoosh_search
from archive.search.engine.fastpath import supported
from archive.search.engine.lexicon import LexiconReader
from archive.search.query import expand_multiterms, parse_query

_TITLED = {
    "a": ("Court hears appeal", "The court heard the appeal on Monday."),
    "b": ("Judge leaves", "The judge left the building early."),
    "c": ("Hearing adjourned", "The court adjourned the hearing after the court clerk fell ill."),
    "d": ("Border", "The border crossing was closed."),
}
# A date line, then the text (the ingester takes their title from the text).
_DATED = {
    "e": ("2022-05-10", "Protesters gathered at the court square."),
    "f": ("2022-06-10", "A court in the north ruled on the case."),
}


def _write(src, name, first, body):
    (src / f"{name}.txt").write_text(f"{first}\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def arc(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    a = Archive.open(tmp_path / "archive")
    try:
        for name, (title, body) in _TITLED.items():
            _write(src, name, title, body)
        a.index_folder(src, facts=False)
        for name, (published, body) in _DATED.items():
            _write(src, name, f"Published: {published}", body)
        _write(src, "g", "Court of appeal", "The appeal court met.")
        a.index_folder(src, facts=False)
        (src / "d.txt").unlink()
        _write(src, "b", "Judge returns", "The judge came back to the court.")
        a.index_folder(src, facts=False)
        yield a
    finally:
        a.close()


def _whoosh_answer(arc, text, limit, sort):
    ix = arc.search_index
    s = ix._get_searcher()
    q = expand_multiterms(parse_query(ix._parser, text), LexiconReader(s.reader(), {}))
    assert supported(q, s.schema), q
    facet = MultiFacet([FieldFacet("published", reverse=True), ScoreFacet()]) if sort == "date" else None
    docnums, scores, total = whoosh_search(s, q, limit, facet)
    return [int(s.stored_fields(d)["article_id"]) for d in docnums], scores, total


@pytest.mark.parametrize("text", ["*", "court title:*", "title:*", "court OR title:*", "NOT title:*"])
def test_every_searches_give_whooshs_answer(arc, text):
    assert arc.search_index._ix.doc_count() == 6          # d removed, b rewritten
    for sort in ("relevance", "date"):
        for limit in (1, 3, 20):
            result = arc.search(text, limit=limit, sort=sort)
            ids, scores, total = _whoosh_answer(arc, text, limit, sort)
            where = (text, sort, limit)
            assert result.total == total, where
            assert [h.article_id for h in result.hits] == ids, where
            assert all(math.isclose(h.score, x, rel_tol=1e-9) for h, x in zip(result.hits, scores)), where


def test_every_counts_what_the_articles_hold(arc):
    live = {a.id for a in arc.articles()}
    titled = {a.id for a in arc.articles() if a.title}
    assert len(live) == 6
    assert {h.article_id for h in arc.search("*", limit=50).hits} == live
    assert {h.article_id for h in arc.search("title:*", limit=50).hits} == titled
    court = {h.article_id for h in arc.search("court", limit=50).hits}
    assert {h.article_id for h in arc.search("court title:*", limit=50).hits} == court & titled
