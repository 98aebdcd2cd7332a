"""Markdown markup (links, emphasis, headings): stored as written, shown as text in
snippets and exports (the reader is tested in test_desktop_reading.py)."""
from __future__ import annotations

import html
import json
import re

from pypdf import PdfReader

from archive import Archive
from archive.markup import DisplayMap, display_text, markup_spans, styled_runs
from archive.models import Citation, Event
from archive.timeline import export_timeline, parse_partial_date
from test_timeline_helpers import load_seeds, make_store, timelines_on

LINKED = re.compile(r"\[[^\]\n]+\]\([^)\s]*\)")


def _seed_001(seeds_dir):
    return next(seeds_dir.glob("001_*.txt"))


def test_links_show_as_their_text_and_prose_brackets_stay():
    text = 'media [reported](#) Friday. "[The authorities] lied," [he](http://x.org/a "T") said; ![map](m.png)'
    assert display_text(text) == 'media reported Friday. "[The authorities] lied," he said; map'
    spans = markup_spans(text)
    assert [text[s:e] for s, e in spans] == ["[", "](#)", "[", '](http://x.org/a "T")', "![", "](m.png)"]
    assert display_text("no links [here] (or here)") == "no links [here] (or here)"


def test_display_map_round_trips_every_offset(seeds_dir):
    text = _seed_001(seeds_dir).read_text(encoding="utf-8")
    m = DisplayMap(text)
    shown = display_text(text)
    assert m.display_length == len(shown) and "[reported](#)" in text and "[" + "reported" not in shown
    for pos in range(len(shown) + 1):
        src = m.to_source(pos)
        assert m.to_display(src) == pos
        if pos < len(shown):
            assert text[src] == shown[pos]
    # A span of the shown text maps to the same words in the stored text.
    at = shown.index("media reported Friday")
    start, end = m.to_source(at + 6), m.to_source(at + 14, after=True)
    assert text[start:end] == "reported"


def test_search_snippets_show_link_text(tmp_path, seeds_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "001.txt").write_bytes(_seed_001(seeds_dir).read_bytes())
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(folder)
        stored = arc.article(arc.articles()[0].id).text
        assert stored == _seed_001(seeds_dir).read_text(encoding="utf-8")  # offsets point into the file
        for query in ("reported Friday", "torture", "Zhovtis"):
            hits = arc.search(query).hits
            assert hits, query
            snippet = hits[0].snippet
            assert not LINKED.search(snippet) and "](#)" not in snippet, snippet
        assert "media <mark>reported</mark> <mark>Friday</mark>" in arc.search("reported Friday").hits[0].snippet


def test_exports_quote_links_as_text_and_csv_keeps_the_exact_quote(tmp_path, seeds_dir):
    db = make_store(tmp_path / "arc")
    ids = load_seeds(db, seeds_dir)
    text = db.execute("SELECT text FROM articles WHERE id = ?", [ids[1]]).fetchone()[0]
    quote = "Mikhail Zhilin's [family said he faces torture](#) in Russia"
    start = text.index(quote)
    tl = timelines_on(db)
    tl.add_event(Event(None, None, parse_partial_date("2022-12-06"), "Deported",
                       citations=(Citation(None, ids[1], "", quote, start, start + len(quote)),)))
    events = tl.events()
    assert events[0].citations[0].quote == quote  # stored as written
    shown = "Mikhail Zhilin's family said he faces torture in Russia"
    md = export_timeline(events, "md", tmp_path / "t.md", name="T").read_text(encoding="utf-8")
    assert shown in md and "](#)" not in md
    data = json.loads(export_timeline(events, "json", tmp_path / "t.json", name="T").read_text(encoding="utf-8"))
    dumped = html.unescape(json.dumps(data, ensure_ascii=False))
    assert shown in dumped and "](#)" not in dumped
    pdf = PdfReader(str(export_timeline(events, "pdf", tmp_path / "t.pdf", name="T")))
    pdf_text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "family said he faces torture in Russia" in pdf_text and "](#)" not in pdf_text
    csv = export_timeline(events, "csv", tmp_path / "t.csv", name="T").read_text(encoding="utf-8-sig")
    assert quote in csv


def test_emphasis_and_heading_marks_are_hidden_and_prose_stars_stay():
    text = "## Who is he?\nA **captain** of the _guard_, ***twice***; snake_case, 5 * 3 * 2, C# and #tag."
    assert display_text(text) == "Who is he?\nA captain of the guard, twice; snake_case, 5 * 3 * 2, C# and #tag."
    spans = markup_spans(text)
    assert [text[s:e] for s, e in spans] == ["## ", "**", "**", "_", "_", "***", "***"]
    runs = [(text[s:e], style) for s, e, style in styled_runs(text)]
    assert runs == [("Who is he?", "heading"), ("captain", "strong"), ("guard", "em"),
                    ("twice", "em"), ("twice", "strong")]
    # A link's target keeps its underscores; its text may be bold.
    assert display_text("[**a_b**](http://x.org/a_b_c) and _it_") == "a_b and it"
    # A quote cut from inside bold text does not carry the far half of the pair.
    assert display_text("Protection Bureau** (SPB)") == "Protection Bureau (SPB)"
    assert display_text("**State Protection") == "State Protection"
    assert display_text("a ** b") == "a ** b"                     # not next to a word: prose


def test_display_map_round_trips_markdown_emphasis(demo_dir):
    text = (demo_dir / "05-lantern-post-explainer.md").read_text(encoding="utf-8")
    m = DisplayMap(text)
    shown = display_text(text)
    assert "**" not in shown and "\n## " not in shown and "State Protection Bureau (SPB)" in shown
    for pos in range(len(shown) + 1):
        src = m.to_source(pos)
        assert m.to_display(src) == pos
        if pos < len(shown):
            assert text[src] == shown[pos]


def test_exports_quote_bold_text_without_its_stars(tmp_path, demo_dir):
    db = make_store(tmp_path / "arc")
    text = (demo_dir / "05-lantern-post-explainer.md").read_text(encoding="utf-8")
    from test_timeline_helpers import insert_article
    aid = insert_article(db, "05-lantern-post-explainer.md", text, title="Five questions", published="2023-03-20")
    quote = "**Salvik District Court**, 5 March: guilty of illegal border crossing"
    start = text.index(quote)
    tl = timelines_on(db)
    tl.add_event(Event(None, None, parse_partial_date("2023-03-05"), "Convicted",
                       citations=(Citation(None, aid, "", quote, start, start + len(quote)),)))
    events = tl.events()
    shown = "Salvik District Court, 5 March: guilty of illegal border crossing"
    md = export_timeline(events, "md", tmp_path / "t.md", name="T").read_text(encoding="utf-8")
    assert shown in md and "**Salvik" not in md
    pdf = PdfReader(str(export_timeline(events, "pdf", tmp_path / "t.pdf", name="T")))
    pdf_text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert shown in pdf_text and "**" not in pdf_text
    csv = export_timeline(events, "csv", tmp_path / "t.csv", name="T").read_text(encoding="utf-8-sig")
    assert quote in csv                                           # the exact quote, as stored
