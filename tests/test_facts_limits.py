"""Huge articles: fact extraction stays bounded, says when it stopped short, and one
article that cannot be extracted never holds up the others."""
from __future__ import annotations

import random

import pytest

import archive.facts as facts_mod
from archive import Archive
from archive.facts import FactInput, extract, facts_limited, pipeline
from archive.facts.sentences import MAX_SENTENCE, split_sentences
from archive.facts.spans import SpanSet
from archive.cli import main as cli_main

SENTENCE = ("On 14 December 2022 a court in Almaty detained Alexei Zhilenkov, 36, and the ministry "
            "said more than 400 people had fled. ")


def test_span_set_answers_exactly_like_a_scan_of_every_span():
    rng = random.Random(7)
    for _ in range(2000):
        spans, taken = [], SpanSet()
        for _ in range(rng.randint(0, 25)):
            s = rng.randint(0, 120)
            e = s + rng.randint(1, 15)
            spans.append((s, e))
            taken.add(s, e)
            qs = rng.randint(0, 130)
            qe = qs + rng.randint(1, 12)
            assert taken.overlaps(qs, qe) == any(a < qe and qs < b for a, b in spans)


def test_a_page_without_full_stops_is_cut_into_bounded_sentences():
    text = "the court said " * 2000   # 30,000 characters, no sentence end
    spans = split_sentences(text, 0, len(text))
    assert len(spans) > 1 and all(e - s <= MAX_SENTENCE for s, e in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text.rstrip())
    [found] = extract([FactInput(text.replace("said", "said on Monday"), len(text), published="2022-12-14")])
    assert found and all(len(f.sentence) <= MAX_SENTENCE for f in found)


def test_facts_are_read_up_to_the_limit_only(monkeypatch):
    monkeypatch.setattr(pipeline, "FACT_TEXT_LIMIT", 5_000)
    text = SENTENCE * 200        # one line, ~23,000 characters
    doc = FactInput(text, len(text), published="2022-12-14", lang="en")
    assert facts_limited(doc)
    [found] = extract([doc])
    assert found and max(f.end for f in found) <= 5_000
    short = FactInput(SENTENCE, len(SENTENCE), published="2022-12-14")
    assert not facts_limited(short)


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "reports"
    path.mkdir()
    (path / "a_short.txt").write_text("Short report\n\n" + SENTENCE, encoding="utf-8")
    (path / "b_huge.txt").write_text("Huge report\n\n" + SENTENCE * 300, encoding="utf-8")
    (path / "c_other.txt").write_text("Other report\n\nThe tribunal in Velgrad met on Monday.\n", encoding="utf-8")
    return path


def test_an_article_over_the_limit_is_indexed_with_a_note(folder, monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "FACT_TEXT_LIMIT", 5_000)
    with Archive.open(folder / ".casefile") as arc:
        report = arc.index_folder(folder)
        assert [(n.path.rsplit("/", 1)[-1], n.reason) for n in report.notes] == [
            ("b_huge.txt", "facts limited to the first 5,000 characters")]
        huge = arc.article("b_huge.txt")
        assert huge.facts_note == "facts limited to the first 5,000 characters"
        assert arc.article("a_short.txt").facts_note is None
        assert max(f.end for f in arc.facts(huge.id)) <= 5_000
    cli_main(["show", "b_huge.txt", "--archive", str(folder)], standalone_mode=False)
    assert "note: facts limited to the first 5,000 characters" in capsys.readouterr().out


def test_an_article_whose_extraction_fails_is_recorded_and_not_retried(folder, monkeypatch):
    real = facts_mod.extract
    calls = []

    def extract_failing_on_huge(docs, **kw):
        calls.append([d.key for d in docs])
        if any("Huge report" in d.text for d in docs):
            raise RecursionError("a rule went wrong")
        return real(docs, **kw)

    monkeypatch.setattr(facts_mod, "extract", extract_failing_on_huge)
    with Archive.open(folder / ".casefile") as arc:
        report = arc.index_folder(folder)
        assert report.facts_extracted == 3 and not report.cancelled
        huge = arc.article("b_huge.txt")
        assert huge.facts_note.startswith("fact extraction failed (RecursionError)")
        assert arc.facts(huge.id) == []
        # The rest of its group kept their facts.
        assert arc.facts(arc.article("a_short.txt").id) and arc.facts(arc.article("c_other.txt").id)
        calls.clear()
        again = arc.index_folder(folder)
        assert again.facts_extracted == 0 and calls == []
        assert arc.article("b_huge.txt").facts_note.startswith("fact extraction failed")
        assert arc.search("Almaty").total == 2


def test_huge_articles_are_committed_in_groups_of_their_own(folder, monkeypatch):
    from archive.indexing import fact_pass

    monkeypatch.setattr(fact_pass, "GROUP_CHARS", 10_000)
    groups = []
    real = facts_mod.extract
    monkeypatch.setattr(facts_mod, "extract", lambda docs, **kw: (groups.append(len(docs)), real(docs, **kw))[1])
    with Archive.open(folder / ".casefile") as arc:
        arc.index_folder(folder)
    # The short article, the huge one alone, then the next one: not one group of three.
    assert groups == [1, 1, 1]
