"""Timeline CSV and Markdown files that break the usual readers: huge cells, stray quotes, NUL bytes."""
from __future__ import annotations

import pytest

from archive.errors import InvalidInput
from archive.models import Citation, Event, PartialDate
from archive.timeline import export_timeline, import_csv, parse_partial_date
from archive.timeline.csv_reader import column_letter, read_rows

HEADER = "start,title,description,certainty\r\n"


def _event(title, description="", quote=None):
    citations = (Citation(None, None, "/reports/a.txt", quote, 0, len(quote)),) if quote else ()
    return Event(None, None, parse_partial_date("2023-05-02"), title, description=description,
                 citations=citations)


def test_cells_over_128_kib_round_trip(tmp_path):
    big = ("Witness statement, paragraph after paragraph; \"quoted\" words.\n" * 4000)  # ~250 KB
    quote = "x" * 200_000
    events = [_event("Long statement", big, quote), _event("Short one")]
    path = export_timeline(events, "csv", tmp_path / "big.csv", name="Default")
    assert path.stat().st_size > 400_000
    back = import_csv(path)
    assert [e.title for e in back] == ["Short one", "Long statement"] or \
           [e.title for e in back] == ["Long statement", "Short one"]
    long = next(e for e in back if e.title == "Long statement")
    assert long.description == big and long.citations[0].quote == quote


def test_unterminated_quote_names_row_and_column_and_merges_nothing(tmp_path):
    path = tmp_path / "open.csv"
    path.write_text(HEADER + "2023-01-01,First,fine,reported\r\n"
                    "2023-01-02,\"Second never closed,desc,reported\r\n"
                    "2023-01-03,Third,desc,reported\r\n", encoding="utf-8", newline="")
    with pytest.raises(InvalidInput) as err:
        import_csv(path)
    msg = str(err.value)
    assert str(path) in msg and "row 3, column B" in msg and "never closed" in msg and "line 3" in msg


def test_stray_quote_that_runs_rows_together_is_reported(tmp_path):
    path = tmp_path / "stray.csv"
    path.write_text(HEADER + "2023-01-01,\"Opened here,desc,reported\r\n"
                    "2023-01-02,\"Quoted title\",desc,reported\r\n", encoding="utf-8", newline="")
    with pytest.raises(InvalidInput) as err:
        import_csv(path)
    msg = str(err.value)
    assert "row 2, column B" in msg and "rows may have run together" in msg and "lines 2-3" in msg


def test_nul_byte_is_reported_with_row_and_column(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes((HEADER + "2023-01-01,Fine,ok,reported\r\n2023-01-02,Bad,be\x00fore,reported\r\n")
                     .encode("utf-8"))
    with pytest.raises(InvalidInput) as err:
        import_csv(path)
    assert "row 3, column C" in str(err.value) and "NUL" in str(err.value)


def test_every_problem_is_listed_with_its_column(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(HEADER + "2023-13-01,Bad month,,reported\r\n"
                    "2023-01-02,,,reported\r\n"
                    "2023-01-03,Fine,,sure\r\n", encoding="utf-8", newline="")
    with pytest.raises(InvalidInput) as err:
        import_csv(path)
    msg = str(err.value)
    assert "3 problems" in msg and "nothing was imported" in msg
    assert "row 2: start:" in msg and "(column A)" in msg
    assert "row 3: title is empty" in msg and "(column B)" in msg
    assert "row 4: certainty is “sure”" in msg and "(column D)" in msg


def test_markdown_and_csv_exports_stay_text_with_control_characters(tmp_path):
    events = [Event(None, None, PartialDate("2023-02-01", "day", False, ""), "Nul\x00title",
                    description="bell\x07 and escape\x1b[0m", notes="line\nbreak kept\ttab kept")]
    md = export_timeline(events, "md", tmp_path / "t.md", name="Case")
    data = md.read_bytes()
    assert b"\x00" not in data and b"\x07" not in data and b"\x1b" not in data
    text = data.decode("utf-8")
    assert "Nul\u2400title" in text and "bell\u2407" in text and "tab kept" in text
    csv_path = export_timeline(events, "csv", tmp_path / "t.csv", name="Case")
    assert b"\x00" not in csv_path.read_bytes()
    (back,) = import_csv(csv_path)
    assert back.title == "Nul\u2400title" and back.notes == "line\nbreak kept\ttab kept"


def test_reader_basics():
    rows, problems = read_rows('a,"b ""q"" c",d\r\n"multi\nline",,\n')
    assert rows == [["a", 'b "q" c', "d"], ["multi\nline", "", ""]] and not problems
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
