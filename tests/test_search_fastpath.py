"""The array search path's low-level readers agree with Whoosh's own decoding."""
from __future__ import annotations

import random

import pytest
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher

from archive.search import IndexDoc, SearchIndex
from archive.search import snippets
from archive.search.analysis import _WORD, term_of


def _doc(article_id, body, title=None):
    return IndexDoc(article_id, f"/reports/{article_id}.txt", title, None, None, "en", "2022-12", body, "")


@pytest.fixture
def big_index(tmp_path):
    """One segment of 700 articles (several compressed posting blocks per word) and a small second one."""
    rng = random.Random(11)
    vocab = ["appeal", "court", "border", "lawyer", "protest", "district", "asylum", "judge"]
    docs = []
    for n in range(1, 701):
        words = ["record"]                            # once everywhere: weights stored as None
        words += ["hearing", "hearing"]               # twice everywhere: one shared weight
        words += rng.choices(vocab, k=rng.randint(2, 60))  # varying counts: a weight per posting
        if n % 50 == 0:
            # Long texts: positions past 255 and 65535 bytes of deltas, and more than 1000 positions.
            words += ["district", "court"] * 700
        docs.append(_doc(n, " ".join(words), title="District court" if n % 9 == 0 else None))
    ix = SearchIndex.open(tmp_path / "index")
    ix.update(docs, new=True)
    ix.update([_doc(1000 + i, "district court record hearing") for i in range(5)], new=True)
    ix.update(delete_ids=[7, 300, 1002])
    yield ix
    ix.close()


def _matcher(leaf, fieldname, btext):
    m = leaf.postings(fieldname, btext)
    return m.child if isinstance(m, FilterMatcher) else m


def test_block_heads_decode_like_whoosh(big_index):
    from archive.search.fastpath import _block_ids_weights, _whole_block

    s = big_index._get_searcher()
    fast_blocks = 0
    fast_words = set()
    for leaf, _ in s.reader().leaf_readers():
        for word in ["record", "hearing", "court", "district", "asylum", "judge"]:
            for fieldname in ("body", "title"):
                btext = term_of(word).encode()
                if (fieldname, btext) not in leaf:
                    continue
                m = _matcher(leaf, fieldname, btext)
                ref = _matcher(leaf, fieldname, btext)
                while m.is_active():
                    got = _block_ids_weights(m)
                    whole = _whole_block(ref)
                    ref._read_ids()
                    ref._read_weights()
                    assert whole[0].tolist() == list(ref._ids), (word, fieldname)
                    assert whole[1].tolist() == [float(w) for w in ref._weights], (word, fieldname)
                    if got is not None:
                        fast_blocks += 1
                        fast_words.add(word)
                        assert got[0].tolist() == list(ref._ids), (word, fieldname)
                        assert got[1].tolist() == [float(w) for w in ref._weights], (word, fieldname)
                    m._next_block()
                    ref._next_block()
                assert not ref.is_active()
    # The shortcut must really be taken for full blocks, or this test proves nothing.
    # ("record": weights stored as None, "hearing": one shared float, "court": a tuple)
    assert fast_blocks >= 20 and {"record", "hearing", "court"} <= fast_words


def test_array_phrases_match_whoosh_phrases(big_index):
    from archive.search.fastpath import top_docs
    from archive.search.query import FastPhrase

    s = big_index._get_searcher()
    found = 0
    for words in (["district", "court"], ["court", "district"], ["record", "hearing", "hearing"],
                  ["hearing", "hearing"], ["appeal", "court"], ["lawyer", "lawyer", "protest"],
                  ["border", "asylum", "judge"]):
        words = [term_of(w) for w in words]
        for fieldname in ("body", "title"):
            slow = wq.Phrase(fieldname, words)
            expected = sorted(s.docs_for_query(slow))
            fast = top_docs(s, FastPhrase(fieldname, words), 10_000, {})
            assert fast is not None
            docnums, scores, total = fast
            assert total == len(expected), (words, fieldname)
            assert sorted(docnums) == expected, (words, fieldname)
            ref = s.search(slow, limit=10, optimize=False)
            assert docnums[:10] == [ref.docnum(i) for i in range(ref.scored_length())], (words, fieldname)
            found += bool(total)
    assert found >= 8


def _reference_spans(text, terms):
    """Spans found with the case-folding, accent-class pattern alone."""
    terms = frozenset(terms)
    out = []
    for m in snippets._candidates(terms).finditer(text):
        s = m.start()
        if s >= 2 and text[s - 1] in ".'’" and text[s - 2].isalnum():
            continue
        if term_of(m.group()) in terms:
            out.append((s, m.end()))
    if not out and not text.isascii():
        out = [(m.start(), m.end()) for m in _WORD.finditer(text) if term_of(m.group()) in terms]
    return out


@pytest.mark.parametrize("text", [
    "Deported twice, the man was deported again; DEPORTATIONS rose.",
    "xdeport _deport deport_ U.S.deport d'deport deport’s re-deported",
    "Zhilénkov met Zhilenkov and ZHILENKOV in Zürich, then zurich.",
    "İstanbul and Istanbul; the Kelvin sign K and k.",
    "Court, court-martial, courts; the court’s ruling.",
    "Суд отложил заседание; суды и судья. Ёлка и елка.",
])
def test_fast_snippet_spans_equal_the_accent_pattern(text):
    words = {term_of(m.group()) for m in _WORD.finditer(text)} - {""}
    rng = random.Random(len(text))
    pool = sorted(words)
    for _ in range(20):
        terms = set(rng.sample(pool, min(len(pool), rng.randint(1, 3))))
        assert snippets.find_spans(text, terms) == _reference_spans(text, terms), terms


def test_position_lists_in_another_encoding_are_decoded_one_by_one():
    from pickle import dumps

    from whoosh.system import pack_uint

    from archive.search.fastpath import _position_deltas

    lists = [[3], [1, 4, 2], list(range(1, 1300)), [7, 300, 70000]]
    standard = [pack_uint(len(x)) + dumps(x, 2) for x in lists]
    stopless = [v[:-1] for v in standard]  # no STOP opcode: the joined pickle would misread them
    for vals in (standard, stopless, standard[:2] + stopless[2:]):
        counts, deltas = _position_deltas(vals, [3, 1, 2, 0])
        assert counts.tolist() == [3, 3, 1299, 1]
        assert deltas.tolist() == lists[3] + lists[1] + lists[2] + lists[0]
