"""Bylines and outlets: credit lines, labelled names, a name under the headline, authors never taken for outlets."""
from __future__ import annotations

import pytest

from archive.ingest import read_article

BODY = (
    "An appeals court upheld the order on the day, and the lawyers for the man said they would take the "
    "case to the supreme court of the country. The ministry declined to comment on the case. "
)
TITLE = "Officer detained after crossing the border"


def article(tmp_path, text, name="a.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_article(path)


@pytest.mark.parametrize("credit", [
    "Reporting by Olzhas Auyezov; Editing by Mark Trevelyan",
    "(Reporting by Olzhas Auyezov in Almaty; Editing by Mark Trevelyan)",
    "Additional reporting by Olzhas Auyezov",
])
def test_credit_line_at_the_end_names_the_author(tmp_path, credit):
    art = article(tmp_path, f"{TITLE}\n\n{BODY}\n\n{credit}\n")
    assert art.author == "Olzhas Auyezov" and art.provenance["author"] == "text"
    assert art.title == TITLE


def test_editors_alone_are_not_authors_nor_the_headline(tmp_path):
    art = article(tmp_path, f"Editing by Mark Trevelyan\n\n{TITLE}\n\n{BODY}\n")
    assert art.author is None
    assert art.title == TITLE


@pytest.mark.parametrize("under", ["Olzhas Auyezov", "By Olzhas Auyezov", "07 December 2022\nOlzhas Auyezov"])
def test_name_line_under_the_headline_is_the_byline(tmp_path, under):
    art = article(tmp_path, f"{TITLE}\n\n{under}\n\n{BODY}\n")
    assert art.author == "Olzhas Auyezov"
    assert art.outlet is None


def test_outlet_name_under_the_headline_is_no_author(tmp_path):
    art = article(tmp_path, f"{TITLE}\n\nEastgate Courier\n\n{BODY}\n")
    assert art.author is None


@pytest.mark.parametrize("line, outlet, author", [
    ("Source: Meduza", "Meduza", None),
    ("Источник: Медуза", "Медуза", None),
    ("Author: Reuters", "Reuters", None),
    ("Author: Jane Doe", None, "Jane Doe"),
    ("Автор: Ада Ветрова", None, "Ада Ветрова"),
])
def test_labelled_source_and_author(tmp_path, line, outlet, author):
    art = article(tmp_path, f"{TITLE}\n\n{line}\n\n{BODY}\n")
    assert (art.outlet, art.author) == (outlet, author)
    assert art.title == TITLE


def test_labelled_source_url_is_still_the_url(tmp_path):
    art = article(tmp_path, f"{TITLE}\n\n{BODY}\n\nSource: https://meduza.io/en/news/2022/12/07/x\n")
    assert art.url == "https://meduza.io/en/news/2022/12/07/x"
    assert art.outlet == "Meduza"


def test_second_author_is_not_the_outlet(tmp_path):
    art = article(tmp_path, f"{TITLE}\n\nBy Olzhas Auyezov, Mariya Gordeyeva\n\n{BODY}\n")
    assert art.author == "Olzhas Auyezov, Mariya Gordeyeva"
    assert art.outlet is None


def test_author_and_agency_on_the_byline(tmp_path):
    art = article(tmp_path, f"{TITLE}\n\nBy Olzhas Auyezov, Reuters\n\n{BODY}\n")
    assert (art.author, art.outlet) == ("Olzhas Auyezov", "Reuters")


def test_author_before_the_date_is_not_the_outlet(tmp_path):
    art = article(tmp_path, f"{TITLE}\n\nOlzhas Auyezov | 07 December 2022\n\n{BODY}\n")
    assert art.author == "Olzhas Auyezov"
    assert art.outlet is None
    assert art.published == "2022-12-07"


def test_seed_bylines(seeds_dir):
    by_prefix = {p.name[:3]: read_article(p) for p in sorted(seeds_dir.glob("*.txt"))}
    assert (by_prefix["003"].author, by_prefix["003"].outlet) == ("Olzhas Auyezov", "Reuters")
    # The other seeds print no byline: nothing in them (photo captions, a
    # "Mikhail Zhilin and his wife" line) may be taken for one.
    assert [by_prefix[k].author for k in ("000", "001", "002")] == [None, None, None]
