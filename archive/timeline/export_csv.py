"""Export a timeline as CSV (layout and encoding documented in :mod:`.csv_format`)."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Mapping, Optional, Sequence

from ..models import Event
from .control_chars import visible_controls
from .csv_format import (CITATION_FIELDS, CONFLICTS_COLUMN, EVENT_COLUMNS, citation_header, join_list,
                         protect_cell)
from .sources import SourceList

__all__ = ["write_csv", "event_row"]


def _approximate(event: Event) -> str:
    start = event.start.approximate
    end = event.end.approximate if event.end else None
    if end is None:
        return "yes" if start else "no"
    if start and end:
        return "yes"
    return "start" if start else ("end" if end else "no")


def _precision(event: Event) -> str:
    if event.end is None or event.end.precision == event.start.precision:
        return event.start.precision
    return f"{event.start.precision}/{event.end.precision}"


def event_row(event: Event, groups: int, sources: Optional[SourceList] = None,
              notes: bool = True) -> list[str]:
    """The CSV cells of one event, padded to ``groups`` citation groups."""
    sources = sources if sources is not None else SourceList.of([event])
    row = [
        event.start.value, event.end.value if event.end else "", _precision(event),
        _approximate(event), event.start.text or "", (event.end.text or "") if event.end else "",
        event.title, event.description, event.notes if notes else "", join_list(event.tags), event.certainty,
        join_list(event.people), join_list(event.places), join_list(event.organisations),
    ]
    for c in event.citations:
        row += [c.outlet or "", c.published or "", c.title or "", c.article_path, c.quote,
                str(c.start), str(c.end), c.url or "", str(sources.number(c))]
    row += [""] * (len(EVENT_COLUMNS) + len(CITATION_FIELDS) * groups - len(row))
    return row


def write_csv(events: Sequence[Event], path: Path, notes: bool = True,
              conflicts: Optional[Mapping[int, Sequence[str]]] = None) -> Path:
    groups = max([len(e.citations) for e in events] + [1])
    sources = SourceList.of(events)
    # newline="" lets the csv module write its own \r\n and keep line breaks
    # inside cells untouched.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, dialect="excel", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        # The conflicts column comes with the case analysis (``conflicts`` given, even empty):
        # a timeline exported without an archive keeps the plain layout.
        extra = [CONFLICTS_COLUMN] if conflicts is not None else []
        writer.writerow([*EVENT_COLUMNS, *citation_header(groups), *extra])
        for event in events:
            cells = event_row(event, groups, sources, notes)
            if conflicts is not None:
                cells.append("\n".join(conflicts.get(event.id, ())))
            writer.writerow([protect_cell(visible_controls(cell)) for cell in cells])
    return path
