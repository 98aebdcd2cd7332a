"""Event dates: the partial-date type's functions as the timeline uses them.

An event's date is known to a day, a month or a year, and may be approximate:

>>> parse_partial_date("~2022-12")
PartialDate(value='2022-12', precision='month', approximate=True, text='')
>>> human_date(parse_partial_date("~2022-12"))
'c. Dec 2022'

The type itself (parsing, precision, first and last day, ordering, human
form) is :class:`archive.partial_date.PartialDate`; this module adds what is
particular to events: a start/end pair that must not run backwards, and
dates taken from a date fact and its article.
"""
from __future__ import annotations

from typing import Optional

from ..errors import InvalidInput
from ..partial_date import PRECISIONS, PartialDate, human_range, iso_parts, parse_range

__all__ = [
    "PRECISIONS", "parse_partial_date", "validate_partial_date", "iso_text",
    "human_date", "human_range", "check_range", "dates_from_fact_value",
]


def parse_partial_date(text: str, *, words: str = "") -> PartialDate:
    """Read ``2022-12-06``, ``2022-12``, ``2022`` or ``~2022-12`` (approximate); see PartialDate.parse."""
    return PartialDate.parse(text, words=words)


def validate_partial_date(date: PartialDate, what: str = "date") -> PartialDate:
    """Check a PartialDate built by hand: its value must match its precision."""
    if not isinstance(date, PartialDate):
        raise InvalidInput(f"The {what} is missing or is not a date.")
    return date.validated(what)


def iso_text(date: Optional[PartialDate]) -> str:
    """The typed form: ``2022-12-06``, or ``~2022-12`` when approximate."""
    return date.iso if date is not None else ""


def human_date(date: Optional[PartialDate]) -> str:
    """``6 Dec 2022``, ``Dec 2022``, ``2022``; ``c. `` in front when approximate."""
    return date.human() if date is not None else ""


def check_range(start: PartialDate, end: Optional[PartialDate]) -> None:
    """Refuse an end date that lies wholly before the start date."""
    validate_partial_date(start, "start date")
    if end is None:
        return
    validate_partial_date(end, "end date")
    if end.last_day() < start.first_day():
        raise InvalidInput(
            f"The end date {end.human()} is before the start date {start.human()}."
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
    approximate = bool(qualifier and qualifier.lower() in _VAGUE)
    year = iso_parts(published)[0] if published else None

    def one(date: PartialDate) -> PartialDate:
        if date.year_known:
            return PartialDate(date.value, date.precision, approximate or date.approximate, words)
        if year is None:
            raise InvalidInput(
                f"The date “{words or date.value}” has no year and the article has no publication date; enter the date by hand."
            )
        # The article's year is an inference, so the date is approximate.
        dated = PartialDate.from_iso(f"{year:04d}" + date.value[4:])   # 29 Feb needs a leap year
        return PartialDate(dated.value, dated.precision, True, words)

    start, end = parse_range(value, year_unknown=True)
    return one(start), (one(end) if end is not None else None)
