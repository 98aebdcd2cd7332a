"""Dates as people type them into a filter: ISO, or words read as the event editor reads them.

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
from .models import PartialDate
from .timeline.date_words import read_date
from .timeline.dates import human_date, precision_of

__all__ = ["read_typed_date", "shown_date", "TYPED_DATE_HELP"]

TYPED_DATE_HELP = "type a date such as 2022-12-10, 2022-12, 2022, 10 Dec 2022 or Dec 2022"

# What a filter takes beyond the event editor's forms: other separators and
# one-digit parts (2022/12/1), and the day-first dots most of Europe writes.
_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def read_typed_date(text: str) -> Optional[str]:
    """The partial ISO date typed in ``text``; None for an empty field (no limit)."""
    raw = " ".join((text or "").split())
    if not raw or raw.casefold() == "any":
        return None
    m = _ISO.match(raw)
    parts = m.groups() if m else None
    if parts is None and _DAY_FIRST.match(raw):
        day, month, year = _DAY_FIRST.match(raw).groups()
        parts = (year, month, day)
    if parts is not None:
        year, month, day = parts
        value = f"{int(year):04d}" + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")
        try:
            precision_of(value)
        except InvalidInput as err:
            raise InvalidInput(f"“{raw}” is not a date: {_reason(str(err))}") from None
        return value
    # Words ("10 Dec 2022", "December 10, 2022", "10 декабря 2022"): the editor's reader.
    try:
        return read_date(raw).value
    except InvalidInput as err:
        raise InvalidInput(f"{err} In a filter, {TYPED_DATE_HELP}.") from None


def shown_date(value: Optional[str]) -> str:
    """How a filter shows a partial ISO date: ``10 Dec 2022``, ``Dec 2022``, ``2022``."""
    if not value:
        return ""
    return human_date(PartialDate(value=value, precision=precision_of(value), approximate=False))


def _reason(message: str) -> str:
    # precision_of says "“2022-02-30” is not a date: February 2022 has 28 days."
    return message.split(": ", 1)[-1]
