"""How partial dates are shown and placed on a calendar in the timeline panel.

Pure functions over ``archive.models.PartialDate``: the table and the axis
share them so a date reads and sorts the same everywhere.
"""
from __future__ import annotations

import calendar
import datetime as _dt
from typing import Optional

from archive.models import Event, PartialDate

__all__ = ["format_partial_date", "format_event_dates", "partial_date_span", "event_span", "iso_span"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _parts(value: str) -> tuple[Optional[int], Optional[int], Optional[int]]:
    """Split ``2022-12-06`` / ``2022-12`` / ``2022`` / ``XXXX-12-06`` into ints (None when unknown)."""
    bits = (value or "").split("/")[0].split("-")
    out: list[Optional[int]] = []
    for bit in bits[:3]:
        out.append(int(bit) if bit.isdigit() else None)
    while len(out) < 3:
        out.append(None)
    return out[0], out[1], out[2]


def format_partial_date(date: Optional[PartialDate]) -> str:
    """``6 Dec 2022``, ``Dec 2022``, ``2022``; ``c.`` in front when approximate."""
    if date is None:
        return ""
    year, month, day = _parts(date.value)
    if date.precision == "day" and month and day:
        text = f"{day} {_MONTHS[month - 1]}" + (f" {year}" if year else "")
    elif date.precision in ("day", "month") and month:
        text = _MONTHS[month - 1] + (f" {year}" if year else "")
    else:
        text = str(year) if year else date.value
    return f"c. {text}" if date.approximate else text


def format_event_dates(event: Event) -> str:
    """The date column of an event: its start, and its end after a dash when it has one."""
    start = format_partial_date(event.start)
    if event.end is None or event.end.value == event.start.value:
        return start
    return f"{start} – {format_partial_date(event.end)}"


def partial_date_span(date: PartialDate) -> Optional[tuple[_dt.date, _dt.date]]:
    """The first and last calendar day a partial date covers, or None if its year is unknown."""
    year, month, day = _parts(date.value)
    if not year:
        return None
    if date.precision == "day" and month and day:
        try:
            d = _dt.date(year, month, day)
        except ValueError:
            return None
        return d, d
    if date.precision in ("day", "month") and month and 1 <= month <= 12:
        last = calendar.monthrange(year, month)[1]
        return _dt.date(year, month, 1), _dt.date(year, month, last)
    return _dt.date(year, 1, 1), _dt.date(year, 12, 31)


def event_span(event: Event) -> Optional[tuple[_dt.date, _dt.date]]:
    """The calendar days an event covers on the axis: from its start to the end of its end."""
    first = partial_date_span(event.start)
    if first is None:
        return None
    if event.end is not None:
        last = partial_date_span(event.end)
        if last is not None and last[1] >= first[0]:
            return first[0], last[1]
    return first


def iso_span(value: str) -> Optional[tuple[_dt.date, _dt.date]]:
    """The days an ISO partial date (``2022``, ``2022-12``, ``2022-12-06``; a range's
    first part) covers, or None when its year is unknown or it cannot be read."""
    first = (value or "").split("/")[0].strip()
    if not first:
        return None
    depth = first.count("-")
    precision = "day" if depth >= 2 else "month" if depth == 1 else "year"
    return partial_date_span(PartialDate(value=first, precision=precision))
