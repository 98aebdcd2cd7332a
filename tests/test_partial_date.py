"""The partial-date type: reading, precision, calendar days, comparison and display."""
from __future__ import annotations

import datetime as dt

import pytest

from archive import models
from archive.errors import InvalidInput
from archive.partial_date import (
    PartialDate, human_day, human_range, iso_parts, iso_value, parse_range,
)

D = dt.date


@pytest.mark.parametrize("text, value, precision, approximate", [
    ("2022-12-06", "2022-12-06", "day", False),
    ("2022-12", "2022-12", "month", False),
    ("2022", "2022", "year", False),
    ("~2022-12", "2022-12", "month", True),
    (" ~ 0001 ", "0001", "year", True),
    ("9999-12-31", "9999-12-31", "day", False),
    ("２０２２－１２－０６", "2022-12-06", "day", False),   # full-width digits and hyphen
    ("～２０２２", "2022", "year", True),                   # full-width tilde
])
def test_parse_reads_value_precision_and_mark(text, value, precision, approximate):
    d = PartialDate.parse(text)
    assert (d.value, d.precision, d.approximate, d.text) == (value, precision, approximate, "")


@pytest.mark.parametrize("text, message", [
    ("", "A date is required: use YYYY-MM-DD"),
    ("   ", "A date is required"),
    ("6 Dec 2022", "“6 Dec 2022” is not a date: use YYYY-MM-DD, YYYY-MM or YYYY"),
    ("22-12-06", "“22-12-06” is not a date: use YYYY-MM-DD"),
    ("2022/12/06", "“2022/12/06” is not a date"),
    ("2022-1-6", "“2022-1-6” is not a date"),
    ("2022-13", "“2022-13” is not a date: month 13 does not exist."),
    ("2022-00-10", "month 00 does not exist"),
    ("2023-02-29", "“2023-02-29” is not a date: February 2023 has 28 days."),
    ("1900-02-29", "February 1900 has 28 days"),      # a century is not a leap year...
    ("2022-04-31", "April 2022 has 30 days"),
    ("2022-12-00", "December 2022 has 31 days"),
    ("0000", "there is no year 0"),
    ("0000-06", "there is no year 0"),
    ("0000-02-29", "there is no year 0"),              # used to pass, and then fail on its first day
    ("٢٠٢٢-١٢-٠٦", "write it with the digits 0-9"),   # Arabic-Indic digits would sort after 9999
    ("२०२२", "write it with the digits 0-9"),          # Devanagari
    ("XXXX-12-06", "is not a date"),                   # no unknown year unless asked for
    ("~", "“” is not a date"),
])
def test_parse_refuses_with_a_message_that_says_why(text, message):
    with pytest.raises(InvalidInput, match=message):
        PartialDate.parse(text)


def test_leap_days():
    assert PartialDate.parse("2024-02-29").last_day() == D(2024, 2, 29)
    assert PartialDate.parse("2000-02-29").precision == "day"           # ...but every 400th year is
    assert PartialDate.parse("2024-02").last_day() == D(2024, 2, 29)
    assert PartialDate.parse("2023-02").last_day() == D(2023, 2, 28)
    assert PartialDate.parse("XXXX-02-29", year_unknown=True).precision == "day"
    with pytest.raises(InvalidInput, match="February has at most 29 days"):
        PartialDate.parse("XXXX-02-30", year_unknown=True)


def test_first_and_last_day_at_each_precision():
    assert PartialDate.parse("2022").span() == (D(2022, 1, 1), D(2022, 12, 31))
    assert PartialDate.parse("2022-11").span() == (D(2022, 11, 1), D(2022, 11, 30))
    assert PartialDate.parse("2022-12-06").span() == (D(2022, 12, 6), D(2022, 12, 6))
    assert PartialDate.parse("0001").first_day() == D(1, 1, 1)
    assert PartialDate.parse("9999").last_day() == D(9999, 12, 31)


def test_an_unknown_year_has_no_calendar_days():
    d = PartialDate.parse("XXXX-12-06", year_unknown=True)
    assert (d.year, d.month, d.day, d.year_known) == (None, 12, 6, False)
    assert d.span() is None
    with pytest.raises(ValueError):
        d.first_day()
    with pytest.raises(InvalidInput, match="needs its month"):
        PartialDate.parse("XXXX", year_unknown=True)


def test_contains_and_overlaps():
    year, december, day = (PartialDate.parse(t) for t in ("2022", "2022-12", "2022-12-06"))
    assert year.contains(december) and december.contains(day) and year.contains(day)
    assert day.contains(day) and not day.contains(december) and not december.contains(year)
    assert december.overlaps(year) and year.overlaps(december) and day.overlaps(december)
    assert not PartialDate.parse("2023").overlaps(december)
    assert not PartialDate.parse("2022-12-07").overlaps(day)
    # Leap day inside February of a leap year, not of another.
    assert PartialDate.parse("2024-02").contains(PartialDate.parse("2024-02-29"))


def test_order_is_the_stores_text_order():
    texts = ["2023-01-10", "2022-12-06", "2022", "2022-12", "XXXX-01-02", "2021-12-31", "~2022-12"]
    dates = [PartialDate.parse(t, year_unknown=True) for t in texts]
    assert [d.value for d in sorted(dates)] == sorted(d.value for d in dates)
    assert [d.iso for d in sorted(dates)] == [
        "2021-12-31", "2022", "2022-12", "~2022-12", "2022-12-06", "2023-01-10", "XXXX-01-02"]
    assert PartialDate.parse("2022") < PartialDate.parse("2022-01-01") <= PartialDate.parse("2022-01-01")
    assert max(dates).value == "XXXX-01-02"                 # an unknown year sorts last
    assert PartialDate.parse("2022") == PartialDate("2022", "year")
    assert len({PartialDate.parse("2022"), PartialDate("2022", "year")}) == 1


@pytest.mark.parametrize("text, shown", [
    ("2022-12-06", "6 Dec 2022"),
    ("2022-12", "Dec 2022"),
    ("2022", "2022"),
    ("~2022-09", "c. Sep 2022"),
    ("0999-01-05", "5 Jan 0999"),
    ("XXXX-12-06", "6 Dec (year unknown)"),
    ("XXXX-05", "May (year unknown)"),
])
def test_human_form(text, shown):
    assert PartialDate.parse(text, year_unknown=True).human() == shown


def test_human_form_does_not_follow_the_locale(monkeypatch):
    # Qt sets the C library's locale from the environment; calendar.month_abbr
    # would then give "Dez" or "déc.". The type has its own names.
    import calendar
    monkeypatch.setattr(calendar, "month_abbr", ["", *("X" * 12)])
    assert PartialDate.parse("2022-12-06").human() == "6 Dec 2022"
    assert human_day(D(2024, 2, 29)) == "29 Feb 2024"


def test_ranges_and_their_human_forms():
    start, end = parse_range("2022-12-05/2022-12-07")
    assert (start.value, end.value) == ("2022-12-05", "2022-12-07")
    assert human_range(start, end) == "5 Dec 2022 – 7 Dec 2022"
    assert human_range(start, end, join_days=True) == "5–7 Dec 2022"
    nov, dec = parse_range("2022-11/2022-12")
    assert human_range(nov, dec, join_days=True) == "Nov 2022 – Dec 2022"
    assert human_range(start) == human_range(start, start) == "5 Dec 2022"
    assert parse_range("2022-12") == (PartialDate("2022-12", "month"), None)
    assert parse_range("XXXX-12-06")[0].human() == "6 Dec (year unknown)"
    for bad in ("", "a/b/c", "/2022"):
        with pytest.raises(InvalidInput, match="not a date value"):
            parse_range(bad)
    with pytest.raises(InvalidInput, match="month 13"):
        parse_range("2022-12/2022-13")


def test_read_numeric_takes_the_lenient_forms_people_type():
    assert PartialDate.read_numeric("2022/12/1").value == "2022-12-01"
    assert PartialDate.read_numeric("2022.1").value == "2022-01"
    assert PartialDate.read_numeric("1.12.2022").value == "2022-12-01"
    assert PartialDate.read_numeric("1.12.2022", day_first=False) is None
    assert PartialDate.read_numeric("2022/12", separators="-") is None
    assert PartialDate.read_numeric("Dec 2022") is None
    with pytest.raises(InvalidInput, match="February 2023 has 28 days"):
        PartialDate.read_numeric("29.2.2023")
    with pytest.raises(InvalidInput, match="there is no year 0"):
        PartialDate.read_numeric("0000-1-1")


def test_from_parts_from_iso_and_from_date():
    assert PartialDate.from_parts(2022, 12, 6, approximate=True).iso == "~2022-12-06"
    assert PartialDate.from_parts(None, 12).value == "XXXX-12"
    with pytest.raises(InvalidInput, match="a day needs its month"):
        PartialDate.from_parts(2022, None, 6)
    with pytest.raises(InvalidInput, match="is not a year"):
        PartialDate.from_parts(12022)
    # A stored value is taken as it is: no "~", no normalising, and the help says so.
    with pytest.raises(InvalidInput) as refused:
        PartialDate.from_iso("~2022")
    assert "use YYYY-MM-DD" in str(refused.value) and "~" not in str(refused.value).split(": ", 1)[1]
    assert PartialDate.from_date(D(2022, 12, 6), "month") == PartialDate("2022-12", "month")


def test_precision_can_be_made_coarser_never_finer():
    day = PartialDate.parse("~2022-12-06", words="6 December")
    assert day.at_precision("month") == PartialDate("2022-12", "month", True, "6 December")
    assert day.at_precision("year").value == "2022"
    assert PartialDate.parse("2022").at_precision("day") == PartialDate("2022", "year")


def test_a_hand_built_date_is_checked_against_its_precision():
    assert PartialDate("2022-12", "month").validated() == PartialDate("2022-12", "month")
    with pytest.raises(InvalidInput, match="written to the day but is marked as known to the month"):
        PartialDate("2022-12-06", "month").validated()
    with pytest.raises(InvalidInput, match="digits 0-9"):
        PartialDate("２０２２", "year").validated()


def test_parts_and_values_for_the_extractors_arithmetic():
    assert iso_parts("2022-12-14") == (2022, 12, 14)
    assert iso_parts("XXXX-12") == (None, 12, None)
    assert iso_parts("2022-12-05/2022-12-07") == (2022, 12, 5)
    assert iso_parts("soon") == iso_parts(None) == (None, None, None)
    assert iso_value(2022, 1) == "2022-01" and iso_value(None, 3, 4) == "XXXX-03-04"
    assert iso_value(2022, None, 5) == "2022"


def test_models_names_the_same_type():
    assert models.PartialDate is PartialDate
    assert repr(PartialDate.parse("~2022-12")) == \
        "PartialDate(value='2022-12', precision='month', approximate=True, text='')"
