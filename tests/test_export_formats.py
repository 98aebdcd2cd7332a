"""TimelineJS JSON, Markdown and PDF exports, each read back and checked."""
from __future__ import annotations

import datetime as _dt
import html
import json
import re

import pytest
from pypdf import PdfReader

from archive.models import Citation, Event, PartialDate
from archive.timeline import export_timeline, parse_partial_date
from test_timeline_helpers import CYRILLIC_TEXT, insert_article, load_seeds, make_store, passage, timelines_on

GENERATED = _dt.datetime(2024, 3, 5, 14, 30)


def _cite(db, aid, word, length=70):
    text = db.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()[0]
    quote, start = passage(text, word, length)
    return Citation(None, aid, "", quote, start, start + len(quote))


@pytest.fixture
def events(tmp_path, seeds_dir):
    db = make_store(tmp_path / "arc")
    ids = load_seeds(db, seeds_dir)
    ru = insert_article(db, str(tmp_path / "ru.txt"), CYRILLIC_TEXT, title="Решение суда",
                        outlet="Газета", published="2023-01-10")
    tl = timelines_on(db)
    tl.add_event(Event(None, None, parse_partial_date("2022-12-06"), "Arrest <at> the airport & after",
                       description="Detained while boarding.\nSecond *line* with [brackets].",
                       notes="Verify with a second source.", tags=("arrest", "kazakhstan"),
                       certainty="confirmed", people=("Mikhail Zhilin",), places=("Astana",),
                       citations=(_cite(db, ids[0], "Astana"), _cite(db, ids[2], "Zhilin"))))
    tl.add_event(Event(None, None, parse_partial_date("~2022-09"), "Crosses the border",
                       end=PartialDate("2022-10", "month", False, "by October"), certainty="reported",
                       citations=(_cite(db, ids[1], "Kazakhstan"),)))
    tl.add_event(Event(None, None, parse_partial_date("2023"), "Апелляция подана", certainty="disputed",
                       tags=("суд",), citations=(Citation(None, ru, "", "решение будет обжаловано", -1, -1),)))
    evs = tl.events()
    db.close()
    return evs


def test_timelinejs_json(events, tmp_path):
    out = export_timeline(events, "json", tmp_path / "t.json", name="Zhilin <case>", generated=GENERATED)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["title"]["text"]["headline"] == "Zhilin &lt;case&gt;"
    assert "3 events from 4 sources" in data["title"]["text"]["text"]
    assert "5 Mar 2024, 14:30" in data["title"]["text"]["text"]
    border, arrest, appeal = data["events"]
    assert border["start_date"] == {"year": 2022, "month": 9, "display_date": "c. Sep 2022"}
    assert border["end_date"] == {"year": 2022, "month": 10, "display_date": "Oct 2022"}
    assert arrest["start_date"] == {"year": 2022, "month": 12, "day": 6, "display_date": "6 Dec 2022"}
    assert "end_date" not in arrest and arrest["group"] == "arrest"
    assert arrest["text"]["headline"] == "Arrest &lt;at&gt; the airport &amp; after"
    assert arrest["unique_id"] == f"event-{events[1].id}"
    body = arrest["text"]["text"]
    assert "<p>Detained while boarding.<br>Second *line* with [brackets].</p>" in body
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", body)
    assert [html.unescape(q.replace("<br>", "\n")) for q in quotes] == [c.quote for c in events[1].citations]
    assert "<b>Certainty:</b> confirmed" in body and "<b>People:</b> Mikhail Zhilin" in body
    assert "Outlet 1, 14 Dec 2022" in body and "Verify with a second source." in body
    assert appeal["start_date"] == {"year": 2023, "display_date": "2023"}
    assert "решение будет обжаловано" in appeal["text"]["text"] and appeal["group"] == "суд"


def _md_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_markdown(events, tmp_path):
    out = export_timeline(events, "md", tmp_path / "t.md", name="Zhilin case", generated=GENERATED)
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Zhilin case"
    assert "3 events · 4 sources · c. Sep 2022 – 2023" in text and "Generated 5 Mar 2024, 14:30" in text
    headings = [l[3:] for l in lines if l.startswith("## ")]
    assert [_md_unescape(h) for h in headings] == [
        "c. Sep 2022 – Oct 2022 — Crosses the border",
        "6 Dec 2022 — Arrest <at> the airport & after",
        "2023 — Апелляция подана",
        "Sources",
    ]
    listed = dict(re.findall(r"^(\d+)\. .*`([^`]+)`$", text.split("## Sources")[1], flags=re.M))
    # Each event's section: its blockquoted citations, in order, read back exactly.
    sections = re.split(r"^## .*$", text, flags=re.M)[1:]
    for event, section in zip(events, sections):
        blocks = re.findall(r"((?:^>.*\n)+)", section, flags=re.M)
        assert len(blocks) == len(event.citations)
        for c, block in zip(event.citations, blocks):
            body = [l[2:] if l.startswith("> ") else "" for l in block.splitlines()]
            # Markdown is for reading: the words are exact, blank-line runs are collapsed.
            assert " ".join(_md_unescape(" ".join(body[:-2])).split()) == " ".join(c.quote.split())
            number = re.match(r"— \[(\d+)\] ", body[-1]).group(1)
            assert listed[number] == c.article_path
    arrest = sections[1]
    assert "**Certainty:** confirmed · **Tags:** arrest, kazakhstan" in arrest
    assert "Second \\*line\\* with \\[brackets\\]." in arrest          # user text cannot become markup
    assert "**Notes:** Verify with a second source." in arrest
    assert "Detained while boarding.  \nSecond" in arrest              # a line break stays one
    assert "**Date from:** by October" in sections[0]


def test_pdf_text_pages_and_cyrillic(events, tmp_path):
    out = export_timeline(events, "pdf", tmp_path / "t.pdf", name="Дело Zhilin", generated=GENERATED)
    reader = PdfReader(out)
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 2
    title_page = pages[0]
    assert "Дело Zhilin" in title_page and "c. Sep 2022 – 2023" in title_page
    assert "3" in title_page and "4 distinct articles cited" in title_page
    everything = re.sub(r"\s+", " ", " ".join(pages))
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page and "5 Mar 2024, 14:30" in page
    assert "Arrest <at> the airport & after" in everything and "6 Dec 2022" in everything
    assert "Апелляция подана" in everything and "решение будет обжаловано" in everything
    assert "CONFIRMED" in everything and "#arrest" in everything and "Verify with a second source" in everything
    for event in events:
        for c in event.citations:
            # Quotes wrap across lines; compare with whitespace normalised.
            assert " ".join(c.quote.split())[:50] in everything
    assert "Outlet 1, 14 Dec 2022" in everything


def test_pdf_of_an_empty_timeline(tmp_path):
    out = export_timeline([], "pdf", tmp_path / "empty.pdf", name="Nothing yet", generated=GENERATED)
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Nothing yet" in text and "no events" in text and "Page 2 of 2" in text
