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


def _fixture_docs():
    """``big_index``'s first segment: (docnum, body) in the order it is written."""
    rng = random.Random(11)
    vocab = ["appeal", "court", "border", "lawyer", "protest", "district", "asylum", "judge"]
    for n in range(1, 701):
        words = ["record"]                            # once everywhere: weights stored as all 1.0
        words += ["hearing", "hearing"]               # twice everywhere: one shared weight
        words += rng.choices(vocab, k=rng.randint(2, 60))  # varying counts: a weight per posting
        if n % 50 == 0:
            # Long texts: positions past 255 and 65535, and more than 1000 positions.
            words += ["district", "court"] * 700
        yield n - 1, " ".join(words)


@pytest.fixture
def big_index(tmp_path):
    """One segment of 700 articles (several compressed posting blocks per word) and a small second one."""
    docs = [_doc(docnum + 1, body, title="District court" if (docnum + 1) % 9 == 0 else None)
            for docnum, body in _fixture_docs()]
    ix = SearchIndex.open(tmp_path / "index")
    ix.update(docs, new=True)
    ix.update([_doc(1000 + i, "district court record hearing") for i in range(5)], new=True)
    ix.update(delete_ids=[7, 300, 1002])
    yield ix
    ix.close()


def _matcher(leaf, fieldname, btext):
    m = leaf.postings(fieldname, btext)
    return m.child if isinstance(m, FilterMatcher) else m


def test_array_postings_equal_the_documents_written(big_index):
    """Ids, weights and positions read block by block are those of the texts indexed."""
    from archive.search.analysis import term_positions
    from archive.search.engine.codec import LeafMatcher
    from archive.search.engine.fastpath import _postings

    expected: dict[str, dict[int, list[int]]] = {}
    for docnum, body in _fixture_docs():
        for term, positions in term_positions(body).items():
            expected.setdefault(term, {})[docnum] = positions
    s = big_index._get_searcher()
    leaf = max((r for r, _ in s.reader().leaf_readers()), key=lambda r: r.doc_count_all())
    assert leaf.doc_count_all() == 700
    blocks = 0
    for word in ["record", "hearing", "court", "district", "asylum", "judge", "appeal"]:
        term = term_of(word)
        ids, weights, counts, flat = _postings(leaf, "body", term.encode(), positions=True)
        want = expected[term]
        assert ids.tolist() == sorted(want), word
        assert weights.tolist() == [float(len(want[d])) for d in sorted(want)], word
        assert counts.tolist() == [len(want[d]) for d in sorted(want)], word
        assert flat.tolist() == [p for d in sorted(want) for p in want[d]], word
        m = _matcher(leaf, "body", term.encode())
        assert isinstance(m, LeafMatcher)
        while m.is_active():
            blocks += 1
            m._next_block()
    # Several full, compressed blocks per word, or this proves little.
    assert blocks >= 30


def test_whooshs_matchers_read_the_same_blocks(big_index):
    """Whoosh's own calls (ids, weights, values one by one) see what the arrays say."""
    from archive.search.analysis import decode_positions
    from archive.search.engine.fastpath import _postings

    s = big_index._get_searcher()
    for leaf, _ in s.reader().leaf_readers():
        for word in ["record", "hearing", "court", "district"]:
            btext = term_of(word).encode()
            if ("body", btext) not in leaf:
                continue
            ids, weights, counts, flat = _postings(leaf, "body", btext, positions=True)
            m = _matcher(leaf, "body", btext)
            got_ids, got_weights, got_positions = [], [], []
            while m.is_active():
                got_ids.append(m.id())
                got_weights.append(m.weight())
                got_positions.extend(decode_positions(m.value()))
                m.next()
            assert got_ids == ids.tolist()
            assert got_weights == weights.tolist()
            assert got_positions == flat.tolist()


@pytest.mark.parametrize("ids, weights, values", [
    ([5], [1.0], None),
    ([0, 1, 2, 70_000, 4_000_000], [1.0] * 5, None),
    ([3, 9], [0.1, 0.1], [b"\x01\x00\x00\x00", b"\x02\x00\x00\x00\x07\x00\x00\x00"]),
    (list(range(0, 256, 2)), [float(i % 7) + 0.5 for i in range(128)], [bytes([i]) * (i % 5 + 1) for i in range(128)]),
])
@pytest.mark.parametrize("level", [0, 3])
def test_blocks_round_trip(ids, weights, values, level):
    from archive.search.engine.codec import block_head, encode_block, split_values, tail_bytes

    data = encode_block(ids, weights, values, level)
    got_ids, got_weights = block_head(data, len(ids))
    assert got_ids.tolist() == ids
    assert got_weights.tolist() == weights
    if values is None:
        assert tail_bytes(data) is None
    else:
        assert split_values(tail_bytes(data), len(ids)) == tuple(values)


def test_array_phrases_match_whoosh_phrases(big_index):
    from archive.search.engine.fastpath import top_docs
    from archive.search.engine.phrases import FastPhrase

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


def test_positions_format_round_trips_past_two_bytes():
    from archive.search.analysis import FastPositions

    fmt = FastPositions(field_boost=0.5)
    for positions in ([0], [3, 4, 70_000], list(range(1, 1300))):
        value = fmt.encode(positions)
        assert fmt.decode_positions(value) == positions
        assert fmt.decode_frequency(value) == len(positions)
        assert fmt.decode_weight(value) == len(positions) * 0.5
