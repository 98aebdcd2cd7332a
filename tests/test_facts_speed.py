"""The extractor's speed-ups give the answers of the slow way they replace."""
from __future__ import annotations

import re

import pytest

from archive.facts import FactInput, extract
from archive.facts import pipeline
from archive.facts.entities import Mention, _name_finder
from archive.facts.legal import _TriggerIndex
from archive.facts.lexicon import lexicons
from archive.facts.name_windows import name_windows
from archive.facts.sentences import split_sentences
from archive.facts.spacy_model import _thread_setter, load_spacy, single_blas_thread
from archive.facts.trie_regex import trie_regex

TEXT = (
    "The Interior Ministry said on Tuesday that Daniel Varsky, 41, had been detained at the border. "
    "After a long hearing the judge ordered him deported, and his lawyer Anna Ortiz said she would appeal "
    "the deportation order before the Supreme Court. the family was not told where he was held for days "
    "and nobody at the ministry would answer questions about the case or about the charges of desertion "
    "and illegal border crossing that prosecutors in Velgrad had filed. Varsky's wife asked for asylum. "
    "Investigators re-detained him; DETAINED again, he was refused asylum and his refugee claim was rejected."
)


def test_model_runs_ner_alone_with_numpy_products_and_leaves_thinc_as_it_was():
    from thinc.api import get_current_ops

    nlp = load_spacy()
    assert nlp.pipe_names == ["ner"]
    ner_ops = nlp.get_pipe("ner").model.ops
    assert type(ner_ops).__name__ == "NumpyOps" and ner_ops.use_blis is False
    assert getattr(get_current_ops(), "use_blis", True) is True


def test_single_blas_thread_is_scoped():
    setter = _thread_setter()
    if setter is None:
        pytest.skip("numpy is not built on OpenBLAS here")
    before = setter(3)
    try:
        with single_blas_thread():
            assert setter(1) == 1
        assert setter(3) == 3
    finally:
        setter(before)


def test_windows_hold_every_capitalised_word_but_not_sentence_starts_or_months():
    sentences = split_sentences(TEXT, 0, len(TEXT))
    windows = [w for s, e in sentences for w in name_windows(TEXT, s, e)]
    assert all(any(s <= a and b <= e for s, e in sentences) for a, b in windows)
    for name in ("Interior Ministry", "Daniel Varsky", "Anna Ortiz", "Supreme Court", "Velgrad", "Investigators"):
        pos = TEXT.index(name)
        assert any(a <= pos and pos + len(name) <= b for a, b in windows), name
    # The lower-case middle of the long sentence is left out.
    pos = TEXT.index("nobody at the ministry")
    assert not any(a <= pos < b for a, b in windows)
    assert name_windows("the court met in May and on Monday.", 0, 35) == []
    assert name_windows("After the hearing the family went home.", 0, 39) == []


def test_windows_keep_the_entities_of_whole_sentences(demo_dir, monkeypatch):
    from archive.ingest import read_article

    arts = [read_article(p) for p in sorted(demo_dir.iterdir()) if p.is_file()]
    docs = [FactInput(a.text, a.body_end, a.regions, a.published, a.lang, a.title, key=a.path) for a in arts]

    def names(results):
        return {(i, f.kind, f.start, f.end, f.value) for i, facts in enumerate(results) for f in facts
                if f.kind in ("person", "org", "place")}

    windowed = names(extract(docs))
    monkeypatch.setattr(pipeline, "name_windows", lambda text, s, e: [(s, e)])
    whole = names(extract(docs))
    assert windowed == whole, sorted(windowed ^ whole)


def test_trigger_index_finds_what_each_pattern_finds():
    text = TEXT + " Он был задержан и ЗАДЕРЖАН. Ему отказали в убежище."
    for langs in ({"en"}, {"ru"}, {"en", "ru"}):
        triggers = [t for t in lexicons().legal if t.lang in langs]
        fast = [(m.span(), t.phrase) for m, t in _TriggerIndex(triggers).finditer(text, 0, len(text))]
        slow = [(m.span(), t.phrase) for t in triggers for m in t.pattern.finditer(text, 0, len(text))]
        assert fast == slow and fast


def test_name_finder_finds_what_one_alternation_finds():
    names = ["Varsky", "Daniel Varsky", "Anna Ortiz", "Ortiz", "Velgrad", "Interior Ministry", "Supreme Court",
             "Ann", "Dan"]
    known = {n: Mention(0, 1, "person", n, value=n) for n in names}
    pattern = re.compile(r"(?<![\w'’-])(" + "|".join(re.escape(n) for n in sorted(known, key=len, reverse=True))
                         + r")(?![\w-])")
    for lo, hi in ((0, len(TEXT)), (40, 300)):
        slow = [(m.start(1), m.end(1), m.group(1)) for m in pattern.finditer(TEXT, lo, hi)]
        assert list(_name_finder(known)(TEXT, lo, hi)) == slow
    assert ("Daniel Varsky" in [n for _, _, n in _name_finder(known)(TEXT, 0, len(TEXT))])


def test_trie_regex_matches_the_same_words_longest_first():
    words = ["detain", "detained", "deport", "de", "asylum", "a"]
    trie = re.compile(r"(?<!\w)" + trie_regex(words) + r"(?!\w)")
    plain = re.compile(r"(?<!\w)(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")(?!\w)")
    sample = "a detained man, de facto deported; detain the asylum seekers, deportee detainees"
    assert [m.span() for m in trie.finditer(sample)] == [m.span() for m in plain.finditer(sample)]
