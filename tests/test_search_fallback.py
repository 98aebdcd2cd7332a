"""Searches Whoosh answers itself find what they should: no deleted article, no lost top hit.

Searches of words and phrases are scored and sorted by the fast path
(``engine.fastpath``); the rest (``field:*``, phrases with a slop, patterns
matching hundreds of words), by relevance or by date, go to Whoosh's own
searcher (``engine.fallback``). Three bugs of Whoosh 2.7.5 used to reach
the app: its NOT matcher's deleted document and its top-N pruning there,
and its ``normalize()`` dropping the parts beside ``field:*`` in every query.
``tests/test_search_equivalence.py`` shows them in Whoosh itself and
compares these searches with Whoosh's full ranking at random.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from archive import Archive
from archive.search import IndexDoc, SearchIndex

# Five articles, dated one month apart; only the court ones mention "court".
_TEXTS = {
    "a": ("2022-01-10", "The court heard the appeal on Monday."),
    "b": ("2022-02-10", "The judge left the building early."),
    "c": ("2022-03-10", "The court adjourned the hearing."),
    "d": ("2022-04-10", "The border crossing was closed."),
    "e": ("2022-05-10", "Protesters gathered at the square."),
}


def _write(folder, name, published, body):
    (folder / f"{name}.txt").write_text(f"Published: {published}\n\n{body}\n", encoding="utf-8")


@pytest.mark.parametrize("change", ["removed", "rewritten"])
def test_a_deleted_article_is_never_found_whatever_the_sort(tmp_path, change):
    """NOT court after an article is removed, or rewritten to mention court, in both sort orders.

    Whoosh's NOT matcher yielded the deleted document right after the last
    one its child matches in a segment: "d" here, after "c" (its old copy
    when it is rewritten: the new one goes to a later segment).
    """
    src = tmp_path / "src"
    src.mkdir()
    for name, (published, body) in _TEXTS.items():
        _write(src, name, published, body)
    arc = Archive.open(tmp_path / "archive")
    try:
        arc.index_folder(src, facts=False)
        ids = {Path(a.path).stem: a.id for a in arc.articles()}
        if change == "removed":
            (src / "d.txt").unlink()
        else:
            _write(src, "d", "2022-04-10", "The court closed the border crossing.")
        report = arc.index_folder(src, facts=False)
        assert (report.removed, report.changed) == ((1, 0) if change == "removed" else (0, 1))
        want = [ids["e"], ids["b"]]               # newest first
        for sort in ("relevance", "date"):
            for limit in (1, 2, 20):
                result = arc.search("NOT court", sort=sort, limit=limit)
                got = [h.article_id for h in result.hits]
                assert result.total == 2, (sort, limit, got)
                if sort == "date":
                    assert got == want[:limit], (limit, got)
                else:  # every article scores the same for a NOT
                    assert len(got) == min(limit, 2) and set(got) <= set(want), (limit, got)
        # The article itself is found by what it now says, once.
        result = arc.search("court", sort="date")
        assert [h.article_id for h in result.hits] == (
            [ids["c"], ids["a"]] if change == "removed" else [ids["d"], ids["c"], ids["a"]])
    finally:
        arc.close()


def _doc(article_id, title, body, published):
    return IndexDoc(article_id, f"/reports/{article_id}.txt", title, None, None, "en", published, body, "")


@pytest.fixture
def titled():
    """Articles 1-12 with "court" once in the title and body, longer as the number falls (so
    scoring lower), and article 13, the best: "court" twice in a short title and body."""
    ix = SearchIndex.in_memory()
    docs = [_doc(i, "Court " + "report " * (12 - i), "court " + "hearing " * (12 - i), f"2022-01-{i:02d}")
            for i in range(1, 13)]
    docs.append(_doc(13, "Court court", "court court", "2021-05-01"))
    docs.append(_doc(14, None, "A court without a title.", "2022-02-01"))
    ix.update(docs, new=True)
    yield ix
    ix.close()


@pytest.mark.parametrize("text", ["title:* court", "court title:*"])
def test_a_search_whoosh_scores_keeps_its_best_hit(titled, text):
    """Articles with a title and the word court: Whoosh's top-N search used to
    drop article 13, the best, on the way (its bound for an OR of three fields
    is the best field's, not their sum)."""
    ranked = [13, 12, 11, 10, 9]
    for limit in (1, 3, 5):
        result = titled.search(text, limit=limit)
        assert [h.article_id for h in result.hits] == ranked[:limit], limit
        assert result.total == 13, limit
    result = titled.search(text, limit=20)
    assert sorted(h.article_id for h in result.hits) == list(range(1, 14)) and result.total == 13
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    result = titled.search(text, limit=3, sort="date")
    assert [h.article_id for h in result.hits] == [12, 11, 10] and result.total == 13
    result = titled.search(text, limit=20, sort="date")
    assert [h.article_id for h in result.hits] == list(range(12, 0, -1)) + [13]


@pytest.fixture
def mixed():
    ix = SearchIndex.in_memory()
    ix.update([
        IndexDoc(1, "/r/1.txt", "Court ruling", None, "Jane Doe", "en", "2022-01-05", "The judge spoke.", ""),
        IndexDoc(2, "/r/2.txt", "Border news", None, "Ivan Petrov", "en", "2022-03-05", "A court case.", ""),
        IndexDoc(3, "/r/3.txt", "Judge retires", None, None, "en", "2022-02-05", "Nothing else.", ""),
        IndexDoc(4, "/r/4.txt", None, None, "John Doe", "en", "2022-04-05", "A court and a judge.", ""),
        IndexDoc(5, "/r/5.txt", "The court and the judge", None, "Anna Doe", "en", "2021-12-05", "Court.", ""),
    ], new=True)
    yield ix
    ix.close()


@pytest.mark.parametrize("text, by_relevance, by_date", [
    # Whoosh's normalize() made each of these "every article with a title (an author)".
    ("title:* title:court", {1, 5}, [1, 5]),
    ("title:court title:*", {1, 5}, [1, 5]),
    ("title:* (title:court OR title:judge)", {1, 3, 5}, [3, 1, 5]),
    ('title:* title:"court ruling"', {1}, [1]),
    ("author:* author:doe", {1, 4, 5}, [4, 1, 5]),
    ("title:* NOT title:court", {2, 3}, [2, 3]),
    ("title:* OR title:court", {1, 2, 3, 5}, [2, 3, 1, 5]),
])
def test_an_every_field_query_keeps_its_other_parts(mixed, text, by_relevance, by_date):
    result = mixed.search(text)
    assert {h.article_id for h in result.hits} == by_relevance and result.total == len(by_relevance)
    result = mixed.search(text, sort="date")
    assert [h.article_id for h in result.hits] == by_date and result.total == len(by_date)


def test_an_every_field_query_ranks_by_its_other_parts(mixed):
    """title:* title:court is title:court among the titled articles, in title:court's order."""
    hits = mixed.search("title:* title:court").hits
    alone = {h.article_id: h.score for h in mixed.search("title:court").hits}
    both = {h.article_id: h.score for h in hits}
    # Every title adds the same constant: the order is title:court's own.
    assert sorted(both, key=lambda a: (-both[a], a)) == sorted(alone, key=lambda a: (-alone[a], a))
