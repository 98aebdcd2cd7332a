"""The step-by-step NER driver predicts exactly what spaCy's own loop predicts, and falls back to it."""
from __future__ import annotations

import re

import pytest

from archive.facts import FactInput, extract
from archive.facts import ner_steps
from archive.facts.name_windows import name_windows
from archive.facts.spacy_model import load_spacy
from archive.ingest import read_article


def _texts(folder) -> list[str]:
    """Sentences of the articles in ``folder`` and the name windows the extractor cuts from them."""
    out = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        text = read_article(path).text
        for m in re.finditer(r"[^.!?\n]+[.!?]?", text):
            s, e = m.span()
            if e - s > 3:
                out.append(text[s:e])
                out.extend(text[a:b] for a, b in name_windows(text, s, e))
    return out


def _tags(doc) -> list[tuple]:
    return [(t.i, t.ent_iob_, t.ent_type_) for t in doc]


@pytest.fixture(scope="module")
def nlp():
    return load_spacy()


def test_the_driver_is_used_with_the_installed_model(nlp):
    assert ner_steps.steps_supported(nlp)


@pytest.mark.parametrize("which", ["seeds", "demo"])
def test_same_entities_as_spacys_loop(nlp, which, seeds_dir, demo_dir):
    texts = _texts(seeds_dir if which == "seeds" else demo_dir)
    assert len(texts) > 100
    ours = [_tags(d) for d in ner_steps.ner_pipe(nlp, texts, batch_size=64)]
    theirs = [_tags(d) for d in nlp.pipe(texts, batch_size=64)]
    assert ours == theirs
    # Enough entities that a difference would show.
    assert sum(1 for doc in ours for _, iob, _ in doc if iob == "B") > 50


def test_context_items_stay_with_their_docs(nlp):
    texts = ["Maria Lopez flew to Ottawa.", "", "The United Nations met in Geneva on Monday."]
    pairs = list(ner_steps.ner_pipe(nlp, texts, batch_size=2, context=["a", "b", "c"]))
    assert [ctx for _, ctx in pairs] == ["a", "b", "c"]
    assert [d.text for d, _ in pairs] == texts


def test_extraction_is_the_same_when_the_driver_steps_aside(nlp, seeds_dir, monkeypatch):
    inputs = []
    for path in sorted(p for p in seeds_dir.iterdir() if p.is_file()):
        art = read_article(path)
        inputs.append(FactInput(art.text, art.body_end, art.regions, art.published, art.lang, art.title, key=str(path)))

    def run():
        return [[(f.kind, f.start, f.end, f.value) for f in facts] for facts in extract(inputs)]

    stepped = run()
    # As if the self-check had failed (another spaCy): spaCy's own loop is used.
    monkeypatch.setitem(ner_steps._checked, id(nlp), (nlp, False))
    assert run() == stepped
    assert sum(1 for facts in stepped for kind, *_ in facts if kind == "person") > 10


def test_a_failing_step_falls_back_to_spacys_loop_for_good(nlp, monkeypatch):
    texts = ["Maria Lopez flew from Ottawa to Geneva.", "The United Nations met on Monday."]
    expected = [_tags(d) for d in nlp.pipe(texts)]

    def broken(ner, docs):
        raise IndexError("internals moved")

    monkeypatch.setattr(ner_steps, "_parse", broken)
    monkeypatch.setitem(ner_steps._checked, id(nlp), (nlp, True))
    assert [_tags(d) for d in ner_steps.ner_pipe(nlp, texts)] == expected
    assert ner_steps.steps_supported(nlp) is False
