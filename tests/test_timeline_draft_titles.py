"""Draft titles: whole first sentences (abbreviations do not end them), capitalised."""
from __future__ import annotations

import pytest

from archive.timeline.drafts import sentence_span, title_from


@pytest.mark.parametrize("passage, title", [
    ("Zhilin on Sept. 26 requested asylum after he was detained. Later he left.",
     "Zhilin on Sept. 26 requested asylum after he was detained"),
    ("The hearing moved to Dec. 3. The judge gave no reason.", "The hearing moved to Dec. 3"),
    ("Gen. Ivanov met Mr. Keller and Dr. J. Berg. Nothing was agreed.",
     "Gen. Ivanov met Mr. Keller and Dr. J. Berg"),
    ("U.S. officials said nothing at 5 p.m. on Monday. Later they did.",
     "U.S. officials said nothing at 5 p.m. on Monday"),
    ("the court ruled against her. She appealed.", "The court ruled against her"),
    ("“the order was unlawful,” her lawyer said. He left.", "“The order was unlawful,” her lawyer said"),
    ("HARBOURTON, Dec. 14 (Wire) – police arrested two men. More.", "Police arrested two men"),
])
def test_title_is_the_whole_first_sentence_capitalised(passage, title):
    assert title_from(passage) == title


def test_sentence_around_a_fact_runs_past_abbreviations():
    text = "A first report. Zhilin on Sept. 26 asked for asylum. A last one."
    start = text.index("asylum")
    begin, end = sentence_span(text, start, start + 6)
    assert text[begin:end] == "Zhilin on Sept. 26 asked for asylum."


def test_seed_report_title_does_not_stop_at_sept(seeds_dir):
    # The real report that showed the bug: a sentence with "on Sept. 26" in it.
    lines = [line for f in sorted(seeds_dir.glob("*.txt"))
             for line in f.read_text(encoding="utf-8").splitlines() if " on Sept. " in line]
    assert lines, "a seed report with 'on Sept.' was expected"
    for line in lines:
        title = title_from(line)
        assert not title.endswith("Sept"), title
        assert " on Sept. " in title or len(title) >= 80, title
        assert title[0].isupper()
