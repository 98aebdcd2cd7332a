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

from typing import Optional

from .errors import InvalidInput
from .partial_date import PartialDate
from .timeline.date_words import read_date

__all__ = ["read_typed_date", "shown_date", "TYPED_DATE_HELP"]

TYPED_DATE_HELP = "type a date such as 2022-12-10, 2022-12, 2022, 10 Dec 2022 or Dec 2022"


def read_typed_date(text: str) -> Optional[str]:
    """The partial ISO date typed in ``text``; None for an empty field (no limit)."""
    raw = " ".join((text or "").split())
    if not raw or raw.casefold() == "any":
        return None
    # What a filter takes beyond the event editor's forms: other separators and
    # one-digit parts (2022/12/1), and the day-first dots most of Europe writes.
    try:
        numeric = PartialDate.read_numeric(raw, separators="-/.", day_first=True)
    except InvalidInput as err:
        raise InvalidInput(f"“{raw}” is not a date: {_reason(str(err))}") from None
    if numeric is not None:
        return numeric.value
    # Words ("10 Dec 2022", "December 10, 2022", "10 декабря 2022"): the editor's reader.
    try:
        return read_date(raw).value
    except InvalidInput as err:
        raise InvalidInput(f"{err} In a filter, {TYPED_DATE_HELP}.") from None


def shown_date(value: Optional[str]) -> str:
    """How a filter shows a partial ISO date: ``10 Dec 2022``, ``Dec 2022``, ``2022``."""
    if not value:
        return ""
    return PartialDate.from_iso(value).human()


def _reason(message: str) -> str:
    # The type says "“2022-02-30” is not a date: February 2022 has 28 days."
    return message.split(": ", 1)[-1]
