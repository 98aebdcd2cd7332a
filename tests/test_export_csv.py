"""CSV export and import: the documented layout, a byte-identical round trip, clear errors."""
from __future__ import annotations

import csv

import pytest

from archive.errors import InvalidInput
from archive.models import Citation, Event, PartialDate
from archive.timeline import export_timeline, import_csv, parse_partial_date
from archive.timeline.csv_format import EVENT_COLUMNS
from test_timeline_helpers import CYRILLIC_TEXT, insert_article, load_seeds, make_store, passage, timelines_on


def _cite(db, aid, word, length=60):
    text = db.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()[0]
    quote, start = passage(text, word, length)
    return Citation(None, aid, "", quote, start, start + len(quote))


@pytest.fixture
def filled(tmp_path, seeds_dir):
    """A timeline with every kind of field a CSV must carry."""
    db = make_store(tmp_path / "arc")
    ids = load_seeds(db, seeds_dir)
    ru = insert_article(db, str(tmp_path / "ru.txt"), CYRILLIC_TEXT, title="Решение", outlet="Газета",
                        published="2023-01-10")
    tl = timelines_on(db)
    tl.add_event(Event(
        None, None, PartialDate("2022-12-06", "day", False, "on December 6"), "Arrest at the airport",
        description='He was detained while boarding.\nA second line, with "quotes", commas; and semicolons.',
        notes="Check the flight number.", tags=("arrest", "a;b"), certainty="confirmed",
        people=("Mikhail Zhilin", "Back\\slash"), places=("Astana",), organisations=("Border Service",),
        citations=(_cite(db, ids[0], "Astana"), _cite(db, ids[1], "Zhilin"), _cite(db, ids[3], "Zhilin", 90)),
    ))
    tl.add_event(Event(None, None, parse_partial_date("~2022-09"), "Leaves the country",
                       end=PartialDate("2022-10", "month", False, "by October"), certainty="reported",
                       description='=HYPERLINK("http://example.org")', notes="'-already quoted"))
    tl.add_event(Event(None, None, parse_partial_date("2023-01-10"), "Апелляция подана",
                       end=parse_partial_date("~2023"), certainty="disputed",
                       citations=(Citation(None, ru, "", "решение будет обжаловано", -1, -1),)))
    tl.add_event(Event(None, None, parse_partial_date("2022"), "Year-only context", certainty="unverified"))
    yield db, tl
    db.close()


def test_csv_layout_bom_and_rfc4180(filled, tmp_path):
    db, tl = filled
    out = export_timeline(tl.events(), "csv", tmp_path / "t.csv", name="Default")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                     # Excel needs the mark to read UTF-8
    assert b"\r\n" in raw and raw.endswith(b"\r\n")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert header[:len(EVENT_COLUMNS)] == list(EVENT_COLUMNS)
    assert header[len(EVENT_COLUMNS):len(EVENT_COLUMNS) + 9] == [
        "citation1_outlet", "citation1_date", "citation1_title", "citation1_path",
        "citation1_quote", "citation1_start", "citation1_end", "citation1_url", "citation1_source"]
    assert header[-1] == "citation3_source" and len(rows) == 5
    by_title = {r[header.index("title")]: dict(zip(header, r)) for r in rows[1:]}
    arrest = by_title["Arrest at the airport"]
    assert arrest["start"] == "2022-12-06" and arrest["precision"] == "day" and arrest["approximate"] == "no"
    assert arrest["tags"] == "arrest; a\\;b" and arrest["people"] == "Mikhail Zhilin; Back\\\\slash"
    assert arrest["citation2_outlet"] == "Outlet 2" and arrest["citation3_quote"]
    leaves = by_title["Leaves the country"]
    assert (leaves["start"], leaves["end"], leaves["approximate"]) == ("2022-09", "2022-10", "start")
    # Formula-like cells are shown as text by spreadsheets, not run.
    assert leaves["description"] == "'=HYPERLINK(\"http://example.org\")"
    assert leaves["notes"] == "''-already quoted"
    appeal = by_title["Апелляция подана"]
    assert appeal["precision"] == "day/year" and appeal["approximate"] == "end"
    assert appeal["citation1_quote"] == "решение будет обжаловано" and appeal["citation2_quote"] == ""
    assert [r[header.index("title")] for r in rows[1:]] == [
        "Year-only context", "Leaves the country", "Arrest at the airport", "Апелляция подана"]


def test_csv_round_trip_is_byte_identical(filled, tmp_path):
    db, tl = filled
    first = export_timeline(tl.events(), "csv", tmp_path / "first.csv", name="Default")
    events = import_csv(first)
    assert len(events) == 4 and all(e.id is None for e in events)
    imported = tl.import_events(events, timeline="Imported")
    assert all(c.status == "ok" for e in imported for c in e.citations)
    second = export_timeline(tl.events("Imported"), "csv", tmp_path / "second.csv", name="Imported")
    assert second.read_bytes() == first.read_bytes()
    # Field by field, too: the imported events are the same events.
    strip = lambda e: (e.start, e.end, e.title, e.description, e.notes, e.tags, e.certainty, e.people,
                       e.places, e.organisations,
                       [(c.article_id, c.quote, c.start, c.end, c.outlet, c.published, c.title)
                        for c in e.citations])
    assert [strip(e) for e in tl.events("Imported")] == [strip(e) for e in tl.events()]
    assert tl.events("Imported")[1].description.startswith("=HYPERLINK")


def test_import_keeps_citations_of_articles_not_in_the_archive(filled, tmp_path):
    db, tl = filled
    path = tmp_path / "hand.csv"
    path.write_text("start,title,citation1_path,citation1_quote\r\n"
                    "2022-12-07,Hearing,/elsewhere/report.txt,The hearing was postponed.\r\n",
                    encoding="utf-8")                         # no BOM: also accepted
    (event,) = tl.import_events(import_csv(path), timeline="Hand made")
    (c,) = event.citations
    assert c.status == "missing" and c.quote == "The hearing was postponed." and c.article_id is None
    assert event.certainty == "reported"


@pytest.mark.parametrize("content, message", [
    ("title,end\r\nX,\r\n", "the column start is missing"),
    ("start\r\n2022\r\n", "the column title is missing"),
    ("start,title,colour\r\n2022,X,red\r\n", "row 1: unknown column “colour”"),
    ("start,title\r\n2022-12-06,Fine\r\n2022-13-01,Bad month\r\n", "row 3: start: “2022-13-01” is not a date"),
    ("start,title\r\n,No date\r\n", "row 2: start is empty"),
    ("start,title,certainty\r\n2022,X,probable\r\n", "row 2: certainty is “probable”"),
    ("start,title,precision\r\n2022-12,X,day\r\n", "row 2: precision says “day”"),
    ("start,title,end\r\n2022-12-06,X,2021\r\n", "row 2: The end date 2021 is before"),
    ("start,title,citation1_path\r\n2022,X,/a.txt\r\n", "row 2: citation 1 has no quote"),
    ("start,title,citation1_path,citation1_quote,citation1_start\r\n2022,X,/a.txt,words,abc\r\n", "citation1_start is “abc”"),
    ("", "the file is empty"),
])
def test_bad_csv_names_file_row_and_problem(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8", newline="")
    with pytest.raises(InvalidInput) as err:
        import_csv(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_not_utf8_and_missing_file(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("start,title\r\n2022,Café\r\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match=r"latin1.csv: the file is not UTF-8 text \(byte 0xe9"):
        import_csv(path)
    with pytest.raises(InvalidInput, match="no such file"):
        import_csv(tmp_path / "nope.csv")


def test_export_refuses_unknown_format_and_missing_folder(tmp_path):
    with pytest.raises(InvalidInput, match="not an export format"):
        export_timeline([], "docx", tmp_path / "x.docx", name="X")
    with pytest.raises(InvalidInput, match="does not exist"):
        export_timeline([], "csv", tmp_path / "no" / "x.csv", name="X")
