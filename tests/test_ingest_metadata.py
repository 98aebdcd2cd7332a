"""Metadata and its provenance: on the seed reports and on made-up articles."""
from __future__ import annotations

import datetime as dt
import os

import pytest

from archive.ingest import read_article
from archive.models import METADATA_FIELDS, PROVENANCES

BODY = (
    "An appeals court upheld the order on the day, and the lawyers for the man said they would take the "
    "case to the supreme court of the country. The ministry declined to comment on the case. "
)


def seed(seeds_dir, prefix):
    matches = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    assert matches, f"seed {prefix} is missing"
    return matches[0]


def write(tmp_path, name, text, mtime=None):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        stamp = dt.datetime(*mtime).timestamp()
        os.utime(path, (stamp, stamp))
    return path


def test_every_value_has_a_provenance(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        art = read_article(path)
        for name in METADATA_FIELDS:
            value = getattr(art, name)
            if value is None:
                assert name not in art.provenance
            else:
                assert art.provenance[name] in PROVENANCES, (path.name, name)
        assert art.title and art.lang == "en"


def test_seed_text_is_the_file_content(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        assert read_article(path).text == path.read_bytes().decode("utf-8-sig")


def test_seed_001_date_outlet_and_url(seeds_dir):
    art = read_article(seed(seeds_dir, "001"))
    assert art.published == "2022-12-30"
    assert art.provenance["published"] in ("text", "url")
    assert art.outlet == "The Moscow Times" and art.provenance["outlet"] == "url"
    assert "themoscowtimes.com/2022/12/30/" in art.url
    assert art.title.startswith("Kazakhstan")


def test_seed_003_date_author_and_agency(seeds_dir):
    art = read_article(seed(seeds_dir, "003"))
    assert art.published == "2022-12-07" and art.provenance["published"] == "text"
    assert art.author == "Olzhas Auyezov" and art.provenance["author"] == "text"
    assert art.outlet == "Reuters"
    # the section breadcrumb above the headline is not the title
    assert "/" not in art.title and "Kazakhstan" in art.title


def test_seed_000_year_is_not_guessed(seeds_dir):
    art = read_article(seed(seeds_dir, "000"))
    assert art.published is None and "published" not in art.provenance
    assert art.notes["published_partial"] == "XXXX-12-14"
    assert "14" in art.notes["published_text"]


def test_seed_002_has_no_invented_date(seeds_dir):
    art = read_article(seed(seeds_dir, "002"))
    assert art.published is None
    assert "published_partial" not in art.notes   # a date inside the body is not a publication date


def test_weekday_beside_the_date_settles_the_year(tmp_path):
    # 14 December fell on a Wednesday in 2016 and 2022; a file saved in early 2023
    # puts the window at 2017-2023, where only 2022 fits.
    text = "Extradition requested\n\nMOSCOW, Wednesday, Dec. 14 (Interfax) – " + BODY
    art = read_article(write(tmp_path, "a.txt", text, mtime=(2023, 1, 5)))
    assert art.published == "2022-12-14" and art.provenance["published"] == "text"
    assert art.notes["published_basis"].startswith("weekday")
    assert art.outlet == "Interfax"


def test_weekday_that_fits_two_years_leaves_the_year_open(tmp_path):
    # The window 2011-2017 holds two Wednesdays on 14 December (2011 and 2016).
    text = "Extradition requested\n\nMOSCOW, Wednesday, Dec. 14 – " + BODY
    art = read_article(write(tmp_path, "a.txt", text, mtime=(2017, 6, 1)))
    assert art.published is None
    assert art.notes["published_partial"] == "XXXX-12-14"


def test_weekday_that_fits_no_year_is_no_evidence(tmp_path):
    # No 14 December between 2017 and 2023 was a Sunday.
    text = "Extradition requested\n\nMOSCOW, Sunday, Dec. 14 – " + BODY
    art = read_article(write(tmp_path, "a.txt", text, mtime=(2023, 1, 5)))
    assert art.published is None


def test_url_year_completes_a_dateline(tmp_path):
    text = "Extradition requested\n\nMADRID, Dec. 14 (Europa Press) – " + BODY + "\n\nOriginal url: https://example.org/2022/world/extradition\n"
    art = read_article(write(tmp_path, "a.txt", text))
    assert art.published == "2022-12-14" and art.provenance["published"] == "url"
    assert art.url == "https://example.org/2022/world/extradition"
    assert art.outlet == "example.org" and art.provenance["outlet"] == "url"


def test_url_date_when_the_text_has_none(tmp_path):
    text = "Extradition requested\n\n" + BODY + "\n\nSource: <https://www.reuters.com/world/2021/05/06/extradition-x/>\n"
    art = read_article(write(tmp_path, "a.txt", text))
    assert art.published == "2021-05-06" and art.provenance["published"] == "url"
    assert art.outlet == "Reuters"


def test_byline_with_agency_and_all_caps_name(tmp_path):
    text = "Extradition requested\nBy JANE DOE, Associated Press\n\n" + BODY
    art = read_article(write(tmp_path, "a.txt", text))
    assert art.author == "Jane Doe"
    assert art.outlet == "Associated Press" and art.provenance["outlet"] == "text"


def test_two_authors_and_date_line_prefix(tmp_path):
    text = "Extradition requested\nPublished: Tuesday, 6 December 2022, 10:15\nBy Jane Doe and John Roe\n\n" + BODY
    art = read_article(write(tmp_path, "a.txt", text))
    assert art.published == "2022-12-06"
    assert art.author == "Jane Doe, John Roe"


def test_agency_credit_line_gives_the_outlet(tmp_path):
    art = read_article(write(tmp_path, "a.txt", "Extradition requested\n(AP)\n\n" + BODY))
    assert art.outlet == "Associated Press"


def test_body_sentence_is_not_a_date_line(tmp_path):
    text = "Extradition requested\n\nHe was arrested on December 6, 2022 at the airport while trying to board a plane. " + BODY
    art = read_article(write(tmp_path, "a.txt", text))
    assert art.published is None


def test_title_from_filename_when_the_text_has_none(tmp_path):
    art = read_article(write(tmp_path, "court_upholds_deportation.txt", (BODY * 3).strip() + "\n"))
    assert art.title == "court upholds deportation" and art.provenance["title"] == "filename"
    art = read_article(write(tmp_path, "0001_ab12cd34ef.txt", (BODY * 3).strip() + "\n"))
    assert art.title is None


@pytest.mark.parametrize("line, expected", [
    ("30 декабря 2022", "2022-12-30"),
    ("2022-12-30", "2022-12-30"),
    ("30.12.2022 14:05", "2022-12-30"),
    ("Dec. 30, 2022", "2022-12-30"),
])
def test_date_line_formats(tmp_path, line, expected):
    art = read_article(write(tmp_path, "a.txt", f"Extradition requested\n{line}\n\n{BODY}"))
    assert art.published == expected


def test_russian_article_language(tmp_path):
    text = ("Суд оставил в силе решение\n\nАпелляционный суд в среду оставил в силе решение о депортации мужчины, "
            "который пересёк границу. Его адвокаты заявили, что обжалуют это решение в суде.\n")
    art = read_article(write(tmp_path, "ru.txt", text))
    assert art.lang == "ru" and art.provenance["lang"] == "text"


@pytest.mark.parametrize("masthead", [
    "Example Courier | 19 March 2025 | By Jane Doe",
    "*Example Courier — 19 March 2025 — Jane Doe*",
    "Example Courier • 19 March 2025 • Interview by Jane Doe",
    "Example Courier – 19 March 2025 – By Jane Doe",
    "_Example Courier · March 19, 2025 · Jane Doe_",
    "**Example Courier** | 19 March 2025 | Jane Doe",
])
def test_outlet_date_author_on_one_line(tmp_path, masthead):
    art = read_article(write(tmp_path, "a.txt", f"Extradition requested\n\n{masthead}\n\n{BODY}"))
    assert art.published == "2025-03-19"
    assert art.outlet == "Example Courier" and art.provenance["outlet"] == "text"
    assert art.author == "Jane Doe"


def test_headline_wrapped_onto_a_second_line(tmp_path):
    art = read_article(write(tmp_path, "a.txt", f"Court keeps officer in detention as case\nopens\n\n{BODY}"))
    assert art.title == "Court keeps officer in detention as case opens"


def test_markdown_byline_under_the_heading(tmp_path):
    text = f"# Extradition requested\n\n*Example Courier — 19 March 2025 — Jane Doe*\n\n{BODY}\n"
    art = read_article(write(tmp_path, "a.md", text))
    assert art.title == "Extradition requested"
    assert (art.published, art.outlet, art.author) == ("2025-03-19", "Example Courier", "Jane Doe")
    assert {art.provenance[k] for k in ("published", "outlet", "author")} == {"text"}


def test_masthead_in_a_word_document(tmp_path):
    import docx

    document = docx.Document()
    for para in ("Extradition requested", "Example Courier • 27 March 2025 • By Jane Doe", BODY):
        document.add_paragraph(para)
    path = tmp_path / "a.docx"
    document.save(path)
    art = read_article(path)
    assert (art.published, art.outlet, art.author) == ("2025-03-27", "Example Courier", "Jane Doe")
    assert art.provenance["published"] == "text"


def test_outlet_named_from_a_hyphenated_unknown_host(tmp_path):
    text = f"Extradition requested\n\n{BODY}\n\nOriginal url: https://www.eastgate-tribune.example/2025/04/07/a\n"
    art = read_article(write(tmp_path, "a.txt", text))
    assert art.outlet == "Eastgate Tribune" and art.provenance["outlet"] == "url"
    assert art.published == "2025-04-07"


def test_unknown_host_run_together_is_not_guessed(tmp_path):
    text = f"Extradition requested\n\n{BODY}\n\nSource: https://news.eastgatetribune.example/a\n"
    art = read_article(write(tmp_path, "a.txt", text))
    assert art.outlet == "news.eastgatetribune.example" and art.provenance["outlet"] == "url"


def test_text_that_names_the_unknown_host_gives_its_spelling(tmp_path):
    text = (f"Extradition requested\n\nThe Eastgate Tribune | 7 April 2025 | By Jane Doe\n\n{BODY}\n\n"
            "Original url: https://eastgatetribune.example/a\n")
    art = read_article(write(tmp_path, "a.txt", text))
    assert art.outlet == "The Eastgate Tribune" and art.provenance["outlet"] == "text"


def test_known_host_wins_over_the_text(tmp_path):
    text = (f"Extradition requested\n\nSomething Else | 7 April 2025 | By Jane Doe\n\n{BODY}\n\n"
            "Original url: https://www.rferl.org/a/extradition/1.html\n")
    art = read_article(write(tmp_path, "a.txt", text))
    assert art.outlet == "Radio Free Europe/Radio Liberty" and art.provenance["outlet"] == "url"
