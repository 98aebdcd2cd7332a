"""How partial dates are shown and placed on a calendar in the timeline panel.

Thin names over :class:`archive.partial_date.PartialDate` for the table and
the axis, so a date reads and sorts the same there as in the core's
exports: the human form is ``PartialDate.human`` and the days a date covers
are ``PartialDate.span``.
"""
from __future__ import annotations

import datetime as _dt
from typing import Optional

from archive.errors import InvalidInput
from archive.models import Event, PartialDate
from archive.partial_date import human_range, parse_range

__all__ = ["format_event_dates", "partial_date_span", "event_span", "iso_span"]


def format_event_dates(event: Event) -> str:
    """The date column of an event: its start, and its end after a dash when it has one."""
    return human_range(event.start, event.end)


def partial_date_span(date: PartialDate) -> Optional[tuple[_dt.date, _dt.date]]:
    """The first and last calendar day a partial date covers, or None if its year is unknown."""
    try:
        return date.span()
    except ValueError:
        return None           # a hand-built value that names no day (2022-02-30)


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
    try:
        start, _ = parse_range(value or "")
    except InvalidInput:
        return None
    return start.span()
