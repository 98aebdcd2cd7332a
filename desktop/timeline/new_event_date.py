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

from archive.models import Event, PartialDate

__all__ = ["case_period_date"]


def _month_of(date: PartialDate) -> PartialDate:
    if date.precision == "year":
        return PartialDate(date.value[:4], "year")
    return PartialDate(date.value[:7], "month")


def case_period_date(selected: Optional[Event], events: Sequence[Event],
                     archive_span: tuple[Optional[str], Optional[str]]) -> PartialDate:
    """``selected``'s month, else the latest event's, else the archive's last month, else today."""
    if selected is not None and selected.start is not None:
        return _month_of(selected.start)
    dated = [ev.start for ev in events if ev.start is not None]
    if dated:
        return _month_of(max(dated, key=lambda d: d.value))
    last = archive_span[1] or archive_span[0]
    if last and len(last) >= 4 and last[:4].isdigit():
        return PartialDate(last[:7], "month") if len(last) >= 7 else PartialDate(last[:4], "year")
    return PartialDate(_dt.date.today().isoformat()[:7], "month")
