"""Figures every export shows on its first page: date range, counts, generated date."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Optional, Sequence

from ..errors import InvalidInput
from ..models import Citation, Event
from ..partial_date import PartialDate, human_day

__all__ = ["Summary", "summarize", "source_line", "generated_text"]


@dataclass(frozen=True)
class Summary:
    events: int
    sources: int               # distinct articles cited
    first: str                 # human date of the earliest start, "" if no events
    last: str                  # human date of the latest start or end

    @property
    def date_range(self) -> str:
        if not self.first:
            return "no events"
        return self.first if self.first == self.last else f"{self.first} – {self.last}"


def summarize(events: Sequence[Event]) -> Summary:
    if not events:
        return Summary(0, 0, "", "")
    first = min(events, key=lambda e: e.start.first_day()).start
    last_dates = [d for e in events for d in (e.start, e.end) if d is not None]
    last = max(last_dates, key=PartialDate.last_day)
    sources = {c.article_path for e in events for c in e.citations}
    return Summary(len(events), len(sources), first.human(), last.human())


def source_line(c: Citation, with_path: bool = True) -> str:
    """``Outlet, 14 Dec 2022, “Title”, path`` with whatever is known."""
    parts = []
    if c.outlet:
        parts.append(c.outlet)
    if c.published:
        parts.append(_published(c.published))
    if c.title:
        parts.append(f"“{c.title}”")
    if with_path:
        parts.append(c.article_path)
    return ", ".join(parts)


def _published(value: str) -> str:
    try:
        return PartialDate.parse(value[:10]).human()
    except InvalidInput:
        return value


def generated_text(generated: Optional[_dt.datetime]) -> str:
    when = generated or _dt.datetime.now().astimezone()
    # The date in the one short form (English month, whatever the locale).
    return f"{human_day(when.date())}, {when:%H:%M}"
