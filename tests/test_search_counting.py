"""counting.count_matches on small hand-made archives whose counts can be stated.

Each case names the articles it should find; the archive has three
segments, a deleted article and a replaced one (its old copy deleted), so
every count also shows that deleted documents are left out once.
"""
from __future__ import annotations

import pytest
from whoosh import query as wq

from archive.search import IndexDoc, SearchIndex
from archive.search.analysis import term_of

# Engine internals under test (one block: their modules may move).
from archive.search.engine.counting import count_matches
from archive.search.engine.phrases import FastPhrase

WORDS = ("alpha", "beta", "gamma", "delta", "common", "third")


def _doc(article_id, body, title=None, published=None):
    return IndexDoc(article_id, f"/notes/{article_id}.txt", title, None, None, None, published, body, "")


@pytest.fixture(scope="module")
def searcher():
    """Live articles and their bodies (after the third commit):

    1 "alpha beta" (2022-12-14)   4 "gamma" (2022-12)   5 "" titled "Alpha"
    6 "alpha beta gamma" (2021)   7 "gamma beta alpha"  8 "delta"
    9 "alpha delta"                10 "delta beta"       3 "delta gamma" (replaced)
    Article 2 "alpha" was deleted; article 3 was "beta gamma".
    """
    assert all(term_of(w) == w for w in WORDS)
    ix = SearchIndex.in_memory()
    ix.update([
        _doc(1, "alpha beta", published="2022-12-14"),
        _doc(2, "alpha"),
        _doc(3, "beta gamma"),
        _doc(4, "gamma", published="2022-12"),
        _doc(5, "", title="Alpha"),
        _doc(6, "alpha beta gamma", published="2021"),
        _doc(7, "gamma beta alpha"),
        _doc(8, "delta"),
    ], new=True)
    ix.update([_doc(9, "alpha delta"), _doc(10, "delta beta")], new=True)
    ix.update([_doc(3, "delta gamma")], delete_ids=[2])
    s = ix._get_searcher()
    assert len(s.subsearchers) == 3 and s.doc_count() == 9
    yield s
    ix.close()


def _t(word, field="body"):
    return wq.Term(field, word)


@pytest.mark.parametrize("q, articles", [
    # Words: deleted copies (2, the old 3) are not counted.
    (_t("alpha"), {1, 6, 7, 9}),
    (_t("beta"), {1, 6, 7, 10}),
    (_t("gamma"), {3, 4, 6, 7}),
    (_t("delta"), {3, 8, 9, 10}),       # in one document of the first segment (postings inlined)
    (_t("alpha", "title"), {5}),
    (_t("zeta"), set()),                # no such word
    (wq.Term("nosuchfield", "alpha"), set()),
    (wq.Term("published", "m:202212"), {1, 4}),
    # AND, OR, NOT.
    (wq.And([_t("alpha"), _t("beta")]), {1, 6, 7}),
    (wq.And([_t("alpha"), wq.Not(_t("beta"))]), {9}),
    (wq.And([wq.Not(_t("alpha")), wq.Not(_t("beta"))]), {3, 4, 5, 8}),   # no positive part
    (wq.And([_t("zeta"), _t("alpha"), wq.Not(_t("beta"))]), set()),      # empty from the first part
    (wq.And([_t("alpha"), wq.Not(_t("zeta"))]), {1, 6, 7, 9}),
    (wq.Or([_t("alpha"), _t("delta")]), {1, 3, 6, 7, 8, 9, 10}),
    (wq.Or([_t("zeta"), wq.Not(_t("gamma"))]), {1, 5, 8, 9, 10}),
    (wq.AndNot(_t("gamma"), _t("alpha")), {3, 4}),
    (wq.Not(_t("delta")), {1, 4, 5, 6, 7}),
    (wq.Not(_t("zeta")), {1, 3, 4, 5, 6, 7, 8, 9, 10}),
    # Counted by Whoosh's own matchers.
    (wq.Phrase("body", ["alpha", "beta"]), {1, 6}),
    (FastPhrase("body", ["alpha", "beta"]), {1, 6}),
    (FastPhrase("body", ["beta", "alpha"]), {7}),
    (wq.And([FastPhrase("body", ["alpha", "beta"]), wq.Not(_t("gamma"))]), {1}),
    (wq.Prefix("body", "al"), {1, 6, 7, 9}),
    (wq.Wildcard("body", "?amma"), {3, 4, 6, 7}),
    (wq.FuzzyTerm("body", "gamme", maxdist=1), {3, 4, 6, 7}),
    (wq.TermRange("body", "alpha", "beta"), {1, 6, 7, 9, 10}),
    (wq.TermRange("published", "y:2021", "y:2022"), {1, 4, 6}),
    (wq.Every(), {1, 3, 4, 5, 6, 7, 8, 9, 10}),
    (wq.Every("title"), {5}),
    (wq.Every("body"), {1, 3, 4, 6, 7, 8, 9, 10}),
    (wq.NullQuery, set()),
], ids=repr)
def test_count_matches_counts_the_live_documents(searcher, q, articles):
    assert count_matches(searcher, q) == len(articles)
    # The articles themselves, through Whoosh, so the stated sets are the archive's.
    reader = searcher.reader()
    found = {int(searcher.stored_fields(d)["article_id"])
             for d in searcher.docs_for_query(q) if not reader.is_deleted(d)}
    assert found == articles


def test_count_matches_reads_posting_lists_of_several_blocks_with_deletions():
    """300 articles in two segments, 10 deleted: words in more documents than a block holds (128)."""
    ix = SearchIndex.in_memory()
    try:
        docs = [_doc(i, "common third" if i % 3 == 0 else "common") for i in range(1, 301)]
        ix.update(docs[:200], new=True)
        ix.update(docs[200:], new=True)
        ix.update(delete_ids=range(1, 11))
        s = ix._get_searcher()
        leaf = max((r for r, _ in s.reader().leaf_readers()), key=lambda r: r.doc_count_all())
        assert leaf.doc_frequency("body", "common") == 200 and leaf.has_deletions()
        assert count_matches(s, _t("common")) == 290
        assert count_matches(s, _t("third")) == 100 - 3              # 3, 6 and 9 deleted
        assert count_matches(s, wq.And([_t("common"), wq.Not(_t("third"))])) == 290 - 97
        assert count_matches(s, wq.Not(_t("third"))) == 290 - 97
        assert count_matches(s, wq.Or([_t("third"), _t("zeta")])) == 97
    finally:
        ix.close()
