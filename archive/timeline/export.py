"""``export_timeline``: one entry point for every export format."""
from __future__ import annotations

import dataclasses
import datetime as _dt
from pathlib import Path
from typing import Mapping, Optional, Sequence

from ..errors import InvalidInput
from ..markup import display_text
from ..models import Event
from .export_csv import write_csv
from .export_json import write_timelinejs
from .export_md import write_markdown

__all__ = ["export_timeline", "FORMATS"]

FORMATS = ("csv", "pdf", "json", "md")


def export_timeline(events: Sequence[Event], fmt: str, path, *, name: str,
                    generated: Optional[_dt.datetime] = None, notes: bool = True,
                    conflicts: Optional[Mapping[int, Sequence[str]]] = None) -> Path:
    """Write ``events`` (already in the order wanted) to ``path`` as csv, pdf, json (TimelineJS) or md.

    ``notes=False`` leaves the user's own notes out (a copy for the other side or the press);
    every format ends with (or, in CSV, numbers) the list of the articles cited.
    ``conflicts`` maps an event id to lines saying where its sources disagree
    (``archive.case.event_conflicts.conflict_notes``); each format prints them with the event.
    """
    fmt = (fmt or "").lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise InvalidInput(f"“{fmt}” is not an export format; use one of {', '.join(FORMATS)}.")
    path = Path(path)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give the name of the file to write.")
    if not path.parent.is_dir():
        raise InvalidInput(f"{path}: the folder {path.parent} does not exist.")
    events = list(events)
    if fmt != "csv":
        # Readers of a chronology see a link as its text; the CSV keeps the exact
        # quote, which its importer checks against the article.
        events = [_shown_quotes(e) for e in events]
    # Write next to the target and move into place, so a failed export never
    # leaves a half-written file where a good one was.
    tmp = path.with_name(f".{path.name}.part")
    try:
        if fmt == "csv":
            write_csv(events, tmp, notes=notes, conflicts=conflicts)
        elif fmt == "json":
            write_timelinejs(events, tmp, name=name, generated=generated, notes=notes, conflicts=conflicts)
        elif fmt == "md":
            write_markdown(events, tmp, name=name, generated=generated, notes=notes, conflicts=conflicts)
        else:
            # fpdf2 (and fontTools under it) takes over a second to import:
            # only PDF exports pay for it.
            from .export_pdf import write_pdf

            write_pdf(events, tmp, name=name, generated=generated, notes=notes, conflicts=conflicts)
        tmp.replace(path)
    except OSError as err:
        raise InvalidInput(f"{path}: cannot be written ({err.strerror or err}).") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _shown_quotes(event: Event) -> Event:
    """``event`` with each citation's quote as shown (Markdown link markup dropped)."""
    cited = tuple(dataclasses.replace(c, quote=display_text(c.quote)) for c in event.citations)
    return dataclasses.replace(event, citations=cited)
