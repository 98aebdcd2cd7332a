"""Exports name their sources: outlet and web address, a numbered source list, notes optional."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re

import pytest
from pypdf import PdfReader

from archive import Archive
from archive.models import Citation, Event, PartialDate
from archive.timeline import export_timeline

GENERATED = dt.datetime(2026, 12, 3, 10, 0)

# Invented reports, written for these tests.
ARTICLES = {
    "court.md": ("---\ntitle: Court extends detention\ndate: 2023-03-02\noutlet: Harbour Post\n"
                 "url: https://harbour.example/court-extends\n---\n\n"
                 "The district court extended the detention of Mara Olsen on 1 March 2023. "
                 "Her lawyer said the ruling ignored new evidence.\n"),
    "border.md": ("---\ntitle: Journalist stopped at the border\ndate: 2023-01-12\noutlet: Valley Wire\n---\n\n"
                  "Border guards stopped Mara Olsen at the northern crossing on 10 January 2023.\n"),
}


@pytest.fixture
def events(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(folder, facts=False)
        arts = {a.relpath: arc.article(a.id) for a in arc.articles()}
        tl = arc.timelines

        def cite(name, words):
            art = arts[name]
            at = art.text.index(words)
            return Citation(None, art.id, art.path, words, at, at + len(words))

        tl.add_event(Event(None, None, PartialDate("2023-01-10", "day"), "Stopped at the border",
                           notes="Ask the wire for the photo.",
                           citations=(cite("border.md", "Border guards stopped Mara Olsen"),)))
        tl.add_event(Event(None, None, PartialDate("2023-03-01", "day"), "Detention extended",
                           notes="Check the ruling's number.",
                           citations=(cite("court.md", "The district court extended the detention"),
                                      cite("border.md", "at the northern crossing"),
                                      cite("court.md", "Her lawyer said the ruling ignored new evidence."))))
        yield tl.events()


def test_citations_carry_the_article_url(events):
    court = [c for ev in events for c in ev.citations if c.article_path.endswith("court.md")]
    assert court and all(c.url == "https://harbour.example/court-extends" for c in court)
    border = [c for ev in events for c in ev.citations if c.article_path.endswith("border.md")]
    assert all(c.url is None for c in border)


def test_pdf_cover_citations_and_source_list(events, tmp_path):
    out = export_timeline(events, "pdf", tmp_path / "t.pdf", name="Olsen case", generated=GENERATED)
    pages = [p.extract_text() for p in PdfReader(out).pages]
    cover = pages[0]
    assert "Olsen case" in cover and "10 Jan 2023 – 1 Mar 2023" in cover
    body = "\n".join(pages[1:-1])
    # Border report first cited first: [1]; the court report [2]; each citation names its number.
    assert re.findall(r"— \[(\d)\]", body) == ["1", "2", "1", "2"]
    assert "Harbour Post" in body and "Notes: Check the ruling" in body
    sources = pages[-1]
    assert sources.lstrip().startswith("Sources")
    one, two = sources.index("1."), sources.index("2.")
    assert one < two
    assert "Valley Wire" in sources[one:two] and "border.md" in sources[one:two]
    assert "Harbour Post" in sources[two:] and "https://harbour.example/court-extends" in sources[two:]
    assert "2 passages cited" in sources[two:]


def test_pdf_without_notes(events, tmp_path):
    out = export_timeline(events, "pdf", tmp_path / "t.pdf", name="Olsen case", notes=False)
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Check the ruling" not in text and "Ask the wire" not in text
    assert "Detention extended" in text


def test_markdown_numbers_its_sources(events, tmp_path):
    text = export_timeline(events, "md", tmp_path / "t.md", name="Olsen case").read_text(encoding="utf-8")
    head, sources = text.split("\n## Sources\n")
    refs = re.findall(r"^> — \[(\d+)\] (.*)$", head, flags=re.M)
    assert [n for n, _ in refs] == ["1", "2", "1", "2"]
    assert refs[1][1].startswith("Harbour Post")
    entries = dict(re.findall(r"^(\d+)\. (.*)$", sources, flags=re.M))
    assert set(entries) == {"1", "2"}
    assert "<https://harbour.example/court-extends>" in entries["2"] and "Harbour Post" in entries["2"]
    assert entries["1"].startswith("Valley Wire") and "border.md" in entries["1"]
    assert "**Notes:** Check the ruling" in head
    bare = export_timeline(events, "md", tmp_path / "n.md", name="Olsen case", notes=False)
    assert "Notes" not in bare.read_text(encoding="utf-8")


def test_json_lists_sources_and_refers_to_them(events, tmp_path):
    data = json.loads(export_timeline(events, "json", tmp_path / "t.json", name="Olsen case")
                      .read_text(encoding="utf-8"))
    listed = data["casefile_sources"]
    assert [s["number"] for s in listed] == [1, 2]
    assert listed[1]["url"] == "https://harbour.example/court-extends" and listed[1]["outlet"] == "Harbour Post"
    assert 'href="https://harbour.example/court-extends"' in data["title"]["text"]["text"]
    second = data["events"][1]["text"]["text"]
    assert re.findall(r"— \[(\d)\]", second) == ["2", "1", "2"]
    assert "Check the ruling" in second
    bare = json.loads(export_timeline(events, "json", tmp_path / "n.json", name="x", notes=False)
                      .read_text(encoding="utf-8"))
    assert "Check the ruling" not in json.dumps(bare)


def test_csv_has_url_and_source_number(events, tmp_path):
    out = export_timeline(events, "csv", tmp_path / "t.csv", name="Olsen case")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    extended = next(r for r in rows if r["title"] == "Detention extended")
    assert extended["citation1_url"] == "https://harbour.example/court-extends"
    assert [extended[f"citation{n}_source"] for n in (1, 2, 3)] == ["2", "1", "2"]
    assert extended["citation2_url"] == ""
    assert extended["notes"] == "Check the ruling's number."
    out = export_timeline(events, "csv", tmp_path / "n.csv", name="Olsen case", notes=False)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        assert all(r["notes"] == "" for r in csv.DictReader(fh))


def test_csv_with_the_new_columns_imports_back(events, tmp_path):
    from archive.timeline import import_csv

    out = export_timeline(events, "csv", tmp_path / "t.csv", name="Olsen case")
    back = import_csv(out)
    assert [len(e.citations) for e in back] == [1, 3]
    assert back[1].citations[2].quote == "Her lawyer said the ruling ignored new evidence."
