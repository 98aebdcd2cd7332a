"""The date a new, blank event starts with: inside the case's period, never simply today.

A case is usually about events months or years back; "today" as the default
is a wrong date one click away from being saved. The default is the month of
the event the user is looking at (the selected one, else the timeline's
latest), else the month the archive's articles talk about last, and today only
when nothing at all is known.
"""
from __future__ import annotations

import datetime as _dt
from typing import Optional, Sequence

from archive.errors import InvalidInput
from archive.models import Event, PartialDate
from archive.partial_date import parse_range

__all__ = ["case_period_date"]


def _month_of(date: PartialDate) -> PartialDate:
    cut = date.at_precision("month")        # a year stays a year
    return PartialDate(cut.value, cut.precision)


def case_period_date(selected: Optional[Event], events: Sequence[Event],
                     archive_span: tuple[Optional[str], Optional[str]]) -> PartialDate:
    """``selected``'s month, else the latest event's, else the archive's last month, else today."""
    if selected is not None and selected.start is not None:
        return _month_of(selected.start)
    dated = [ev.start for ev in events if ev.start is not None]
    if dated:
        return _month_of(max(dated, key=lambda d: d.value))
    last = archive_span[1] or archive_span[0]
    if last:
        try:
            return _month_of(parse_range(last)[0])
        except InvalidInput:
            pass
    return PartialDate.from_date(_dt.date.today(), "month")
