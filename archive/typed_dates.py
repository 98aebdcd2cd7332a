"""Dates as people type them into a filter: ISO or everyday English.

>>> read_typed_date("2022-12-10"), read_typed_date("Dec 2022"), read_typed_date("10 December 2022")
('2022-12-10', '2022-12', '2022-12-10')
>>> read_typed_date("") is None
True

The answer is a partial ISO date (a day, a month or a year), the form the
archive's publication dates and filters use. Anything else raises
``InvalidInput`` saying what was typed and what to type instead.
"""
from __future__ import annotations

import re
from typing import Optional

from .errors import InvalidInput
from .facts.dates import MONTHS_EN
from .models import PartialDate
from .timeline.dates import human_date, precision_of

__all__ = ["read_typed_date", "shown_date", "TYPED_DATE_HELP"]

TYPED_DATE_HELP = "type a date such as 2022-12-10, 2022-12, 2022, 10 Dec 2022 or Dec 2022"

_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")   # 10.12.2022, as written in most of Europe
_WORD = re.compile(r"[^\W\d_]+\.?|\d+(?:st|nd|rd|th)?", re.IGNORECASE)


def read_typed_date(text: str) -> Optional[str]:
    """The partial ISO date typed in ``text``; None for an empty field (no limit)."""
    raw = " ".join((text or "").split())
    if not raw or raw.casefold() == "any":
        return None
    m = _ISO.match(raw) or None
    if m:
        year, month, day = m.groups()
    elif _DAY_FIRST.match(raw):
        day, month, year = _DAY_FIRST.match(raw).groups()
    else:
        year, month, day = _from_words(raw)
    value = f"{int(year):04d}"
    if month is not None:
        value += f"-{int(month):02d}"
        if day is not None:
            value += f"-{int(day):02d}"
    try:
        precision_of(value)
    except InvalidInput as err:
        raise InvalidInput(f"“{raw}” is not a date: {_reason(str(err))}") from None
    return value


def shown_date(value: Optional[str]) -> str:
    """How a filter shows a partial ISO date: ``10 Dec 2022``, ``Dec 2022``, ``2022``."""
    if not value:
        return ""
    return human_date(PartialDate(value=value, precision=precision_of(value), approximate=False))


def _from_words(raw: str) -> tuple[str, Optional[str], Optional[str]]:
    year = month = day = None
    for token in _WORD.findall(raw):
        low = token.casefold().rstrip(".")
        if low.isalpha():
            if low in MONTHS_EN and month is None:
                month = str(MONTHS_EN[low])
                continue
            raise _bad(raw, f"“{token}” is not a month")
        digits = re.sub(r"\D", "", low)
        if len(digits) == 4 and year is None:
            year = digits
        elif len(digits) <= 2 and day is None:
            day = digits
        else:
            raise _bad(raw, f"“{token}” is neither a day nor a year")
    leftover = _WORD.sub("", raw).strip(" ,")
    if leftover:
        raise _bad(raw, f"“{leftover}” is not part of a date")
    if year is None:
        raise _bad(raw, "the year is missing")
    if day is not None and month is None:
        raise _bad(raw, "the month is missing")
    return year, month, day


def _bad(raw: str, why: str) -> InvalidInput:
    return InvalidInput(f"“{raw}” is not a date: {why}; {TYPED_DATE_HELP}.")


def _reason(message: str) -> str:
    # precision_of says "“2022-02-30” is not a date: February 2022 has 28 days."
    return message.split(": ", 1)[-1]
