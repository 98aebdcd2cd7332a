"""Query parsing: malformed queries become BadQuery with one clear sentence."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive.errors import BadQuery
from archive.search import SearchIndex
from archive.search.analysis import analyze_terms, stem_word
from archive.search.dates import period


@pytest.fixture(scope="module")
def index():
    ix = SearchIndex.in_memory()
    yield ix
    ix.close()


@pytest.mark.parametrize("query, message", [
    ("", "The query is empty"),
    ("   ", "The query is empty"),
    ("titel:appeal", "Unknown field 'titel' (did you mean title?). Fields: title, outlet, author, lang, path, published, body"),
    ("foo:bar", "Unknown field 'foo'"),
    ('"deported to', "A quote (\") is opened but never closed"),
    ("(deported OR detained", "A parenthesis '(' is opened but never closed"),
    ("deported)", "A closing parenthesis ')' has no matching '('"),
    ("()", "empty parentheses"),
    ("AND", "'AND' needs a search term on each side"),
    ("deported AND", "'AND' needs a search term on each side"),
    ("OR deported", "'OR' needs a search term on each side"),
    ("deported AND OR detained", "'AND' needs a search term on each side"),
    ("NOT", "'NOT' must be followed by a search term"),
    ("deported NOT", "'NOT' must be followed by a search term"),
    ("title:", "'title:' must be followed directly by a value"),
    ("title: appeal", "'title:' must be followed directly by a value"),
    ("published:2022-13", "'2022-13' is not a date"),
    ("published:2022-02-30", "'2022-02-30' is not a date"),
    ("published:december", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ("published:[2022-12-31 TO 2022-12-01]", "ends before it starts"),
    ("published:[TO]", "needs a start or an end date"),
    ("published:[2022-12-01 2022-12-31]", "needs TO between its dates"),
    ("published:[2022-12-01 TO 2022-12-31", "never closed"),
    ("the of", "Nothing to search for"),
    ("appeal~5", "fuzzy words allow 1 or 2"),
])
def test_bad_queries_have_one_clear_sentence(index, query, message):
    with pytest.raises(BadQuery) as err:
        index.search(query)
    text = str(err.value)
    assert message in text
    assert "Traceback" not in text and "\n" not in text
    assert text.endswith(".")


@pytest.mark.parametrize("query", [
    "deported", '"military commissariat"', "deported AND NOT detained", "(a1 OR b2) c3",
    "title:appeal", "published:>=2022-12-10", "published:<2023", "deport*", "appeal~", "appeal~2",
    "appeal~1/0", "10:30 hearing", "anti-war", "Zhilin's", "задержан", "U.S. embassy", "NOT deported",
])
def test_good_queries_parse(index, query):
    assert index.search(query).total == 0


def test_stemming_by_script():
    assert stem_word("deported") == stem_word("deportation") == stem_word("deport")
    assert stem_word("задержали") == stem_word("задержан")
    assert stem_word("ёлка") == stem_word("елка")
    assert stem_word("zhilin's") == "zhilin"
    # Latin accents fold away, Cyrillic letters do not.
    assert stem_word("café") == stem_word("cafe")
    assert stem_word("й") == "й"


def test_analysis_keeps_offsets_and_drops_stop_words():
    text = "The court of Appeal, in Moscow"
    terms = analyze_terms(text)
    assert [t for t, *_ in terms] == [stem_word("court"), stem_word("appeal"), "moscow"]
    assert [p for _, p, _, _ in terms] == [0, 1, 2]
    for term, _, start, end in terms:
        assert stem_word(text[start:end].lower()) == term
    # Words a reconstruction depends on stay searchable.
    assert [t for t, *_ in analyze_terms("may us not will")] == ["may", "us", "not", "will"]


@pytest.mark.parametrize("value, expected", [
    ("2022", ("20220101", "20221231")),
    ("2022-02", ("20220201", "20220228")),
    ("2024-02", ("20240201", "20240229")),
    ("2022-12-14", ("20221214", "20221214")),
    ("2022-13", None), ("2022-02-29", None), ("XXXX-12-14", None), ("", None),
])
def test_partial_date_periods(value, expected):
    assert period(value) == expected


def test_core_search_does_not_import_qt():
    # pytest-qt has already imported Qt in this process; ask a fresh one.
    root = Path(__file__).resolve().parent.parent
    code = "import sys, archive.search; sys.exit('PySide6' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


def test_date_range_is_cut_into_whole_calendar_blocks():
    import datetime as dt

    from archive.search.dates import _blocks

    assert _blocks(dt.date(2022, 12, 1), dt.date(2022, 12, 31)) == [("m", "202212", "202212")]
    assert _blocks(dt.date(2020, 2, 15), dt.date(2024, 3, 3)) == [
        ("d", "20200215", "20200229"), ("m", "202003", "202012"), ("y", "2021", "2023"),
        ("m", "202401", "202402"), ("d", "20240301", "20240303"),
    ]
    assert _blocks(dt.date(2022, 12, 10), dt.date(9999, 12, 31))[-1] == ("y", "2023", "9999")
