"""Partial dates: parsing, validation, display and conversion from fact values."""
from __future__ import annotations

import pytest

from archive.errors import InvalidInput
from archive.models import PartialDate
from archive.timeline.dates import (
    check_range, dates_from_fact_value, human_date, human_range, iso_text, parse_partial_date,
    validate_partial_date,
)


@pytest.mark.parametrize("text, value, precision, approx", [
    ("2022-12-06", "2022-12-06", "day", False),
    ("2022-12", "2022-12", "month", False),
    ("2022", "2022", "year", False),
    ("~2022-12", "2022-12", "month", True),
    (" ~ 2024-02-29 ", "2024-02-29", "day", True),
])
def test_parse(text, value, precision, approx):
    d = parse_partial_date(text)
    assert (d.value, d.precision, d.approximate) == (value, precision, approx)


@pytest.mark.parametrize("text, message", [
    ("", "A date is required"),
    ("6 Dec 2022", "use YYYY-MM-DD"),
    ("2022-13", "month 13 does not exist"),
    ("2023-02-29", "February 2023 has 28 days"),
    ("22-12-06", "is not a date"),
    ("2022/12/06", "is not a date"),
])
def test_parse_refuses_with_a_clear_message(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_partial_date(text)


def test_human_forms():
    assert human_date(parse_partial_date("2022-12-06")) == "6 Dec 2022"
    assert human_date(parse_partial_date("2022-12")) == "Dec 2022"
    assert human_date(parse_partial_date("2022")) == "2022"
    assert human_date(parse_partial_date("~2022-12")) == "c. Dec 2022"
    assert human_range(parse_partial_date("2022-12-06"), parse_partial_date("2023-01")) == "6 Dec 2022 – Jan 2023"
    assert iso_text(parse_partial_date("~2022")) == "~2022"


def test_validation_of_hand_built_dates_and_ranges():
    with pytest.raises(InvalidInput, match="marked as known to the month"):
        validate_partial_date(PartialDate("2022-12-06", "month"))
    # A month that contains the day is not "before" it.
    check_range(parse_partial_date("2022-12-06"), parse_partial_date("2022-12"))
    with pytest.raises(InvalidInput, match="before the start"):
        check_range(parse_partial_date("2022-12-06"), parse_partial_date("2022-12-05"))


def test_dates_from_fact_values():
    start, end = dates_from_fact_value("2022-12-05/2022-12-07", words="5-7 December")
    assert (start.value, end.value, start.text) == ("2022-12-05", "2022-12-07", "5-7 December")
    start, end = dates_from_fact_value("XXXX-12-06", published="2022-12-14")
    assert start.value == "2022-12-06" and start.approximate and end is None
    start, _ = dates_from_fact_value("2022-11", qualifier="late", words="late November")
    assert start.approximate and start.precision == "month"
    with pytest.raises(InvalidInput, match="has no year"):
        dates_from_fact_value("XXXX-12-06", words="6 December")
