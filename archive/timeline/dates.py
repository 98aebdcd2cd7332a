"""Partial dates for events: parsing, validation, ordering and display.

An event's date is known to a day, a month or a year, and may be approximate:

>>> parse_partial_date("~2022-12")
PartialDate(value='2022-12', precision='month', approximate=True, text='')
>>> human_date(parse_partial_date("~2022-12"))
'c. Dec 2022'

The ISO value sorts chronologically as a plain string ("2022" < "2022-12" <
"2022-12-06"), which is why the store orders events by it directly.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
import unicodedata
from typing import Optional

from ..errors import InvalidInput
from ..models import PartialDate

__all__ = [
    "PRECISIONS", "parse_partial_date", "validate_partial_date", "iso_text",
    "human_date", "human_range", "earliest", "latest", "check_range",
    "dates_from_fact_value", "precision_of",
]

PRECISIONS = ("day", "month", "year")
# ASCII digits only: Python's \d also takes "２０２２" or "٢٠٢٢", which would then
# sort after 9999 as text. Typed dates are normalised first (parse_partial_date).
_ISO = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_HELP = "use YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2022-12-06, 2022-12, 2022), with ~ in front if approximate"


def precision_of(value: str) -> str:
    """The precision an ISO value is written at; InvalidInput if it is not one."""
    m = _ISO.match(value or "")
    if not m:
        if any(ch.isdigit() and not "0" <= ch <= "9" for ch in value or ""):
            raise InvalidInput(f"“{value}” is not a date: write it with the digits 0-9 ({_HELP}).")
        raise InvalidInput(f"“{value}” is not a date: {_HELP}.")
    year, month, day = m.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise InvalidInput(f"“{value}” is not a date: month {month} does not exist.")
    if day is not None:
        last = calendar.monthrange(int(year), int(month))[1]
        if not 1 <= int(day) <= last:
            raise InvalidInput(
                f"“{value}” is not a date: {calendar.month_name[int(month)]} {year} has {last} days."
            )
        return "day"
    if int(year) == 0:
        raise InvalidInput(f"“{value}” is not a date: there is no year 0.")
    return "month" if month is not None else "year"


def parse_partial_date(text: str, *, words: str = "") -> PartialDate:
    """Read ``2022-12-06``, ``2022-12``, ``2022`` or ``~2022-12`` (approximate).

    ``words`` is kept as the date's source text ("late November").
    Raises InvalidInput with a message that says what is wrong and what to type.
    """
    # Full-width digits and signs ("２０２２－１２－０６", "～2022") and other
    # compatibility forms become their plain ASCII selves; other scripts'
    # digits ("٢٠٢٢") stay and are refused by precision_of.
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        raise InvalidInput(f"A date is required: {_HELP}.")
    approximate = raw.startswith("~")
    value = raw[1:].strip() if approximate else raw
    return PartialDate(value=value, precision=precision_of(value),
                       approximate=approximate, text=words)


def validate_partial_date(date: PartialDate, what: str = "date") -> PartialDate:
    """Check a PartialDate built by hand: its value must match its precision."""
    if not isinstance(date, PartialDate):
        raise InvalidInput(f"The {what} is missing or is not a date.")
    actual = precision_of(date.value)
    if date.precision != actual:
        raise InvalidInput(
            f"The {what} “{date.value}” is written to the {actual} but is marked as known to the {date.precision}."
        )
    return date


def iso_text(date: Optional[PartialDate]) -> str:
    """The typed form: ``2022-12-06``, or ``~2022-12`` when approximate."""
    if date is None:
        return ""
    return ("~" if date.approximate else "") + date.value


def human_date(date: Optional[PartialDate]) -> str:
    """``6 Dec 2022``, ``Dec 2022``, ``2022``; ``c. `` in front when approximate."""
    if date is None:
        return ""
    parts = date.value.split("-")
    if date.precision == "day":
        shown = f"{int(parts[2])} {calendar.month_abbr[int(parts[1])]} {parts[0]}"
    elif date.precision == "month":
        shown = f"{calendar.month_abbr[int(parts[1])]} {parts[0]}"
    else:
        shown = parts[0]
    return ("c. " if date.approximate else "") + shown


def human_range(start: PartialDate, end: Optional[PartialDate]) -> str:
    """``6 Dec 2022`` or ``6 Dec 2022 – Jan 2023``."""
    if end is None or (end.value == start.value and end.approximate == start.approximate):
        return human_date(start)
    return f"{human_date(start)} – {human_date(end)}"


def earliest(date: PartialDate) -> _dt.date:
    """The first calendar day the date can mean."""
    parts = [int(p) for p in date.value.split("-")]
    return _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def latest(date: PartialDate) -> _dt.date:
    """The last calendar day the date can mean."""
    parts = [int(p) for p in date.value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return _dt.date(year, month, day)


def check_range(start: PartialDate, end: Optional[PartialDate]) -> None:
    """Refuse an end date that lies wholly before the start date."""
    validate_partial_date(start, "start date")
    if end is None:
        return
    validate_partial_date(end, "end date")
    if latest(end) < earliest(start):
        raise InvalidInput(
            f"The end date {human_date(end)} is before the start date {human_date(start)}."
        )


# Qualifiers the fact extractor attaches to vague dates ("late November").
_VAGUE = {"early", "mid", "late", "around", "about", "approximately"}


def dates_from_fact_value(value: str, *, words: str = "", published: Optional[str] = None,
                          qualifier: Optional[str] = None) -> tuple[PartialDate, Optional[PartialDate]]:
    """Turn a date fact's normalized value into (start, end).

    Handles ``2022-11-30``, ``2022-11``, ``2022``, ranges ``A/B`` and
    ``XXXX-12-06`` (year unknown: taken from ``published``, the article's
    date, and marked approximate because it is an inference).
    """
    def one(part: str) -> PartialDate:
        approximate = bool(qualifier and qualifier.lower() in _VAGUE)
        if part.startswith("XXXX"):
            if not published or not re.match(r"^\d{4}", published):
                raise InvalidInput(
                    f"The date “{words or part}” has no year and the article has no publication date; enter the date by hand."
                )
            part = published[:4] + part[4:]
            approximate = True
        date = parse_partial_date(part, words=words)
        return PartialDate(date.value, date.precision, approximate or date.approximate, words)

    pieces = (value or "").split("/")
    if len(pieces) > 2 or not pieces[0]:
        raise InvalidInput(f"“{value}” is not a date value the timeline can use.")
    start = one(pieces[0])
    end = one(pieces[1]) if len(pieces) == 2 and pieces[1] else None
    return start, end
