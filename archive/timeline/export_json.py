"""Export a timeline as TimelineJS JSON (https://timeline.knightlab.com/docs/json-format.html).

Every piece of user or article text is HTML-escaped before it goes into the
``headline``/``text`` fields, which TimelineJS renders as HTML.
"""
from __future__ import annotations

import datetime as _dt
import json
from html import escape
from pathlib import Path
from typing import Mapping, Optional, Sequence

from ..models import Event, PartialDate
from ..partial_date import human_range
from .sources import SourceList
from .summary import generated_text, source_line, summarize

__all__ = ["write_timelinejs", "timelinejs"]


def _date(date: PartialDate) -> dict:
    out = {"year": date.year}
    if date.month is not None:
        out["month"] = date.month
    if date.day is not None:
        out["day"] = date.day
    out["display_date"] = date.human()
    return out


def _html_lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _text(event: Event, sources: SourceList, notes: bool = True, disputed: Sequence[str] = ()) -> str:
    parts = []
    if event.description:
        parts.append(f"<p>{_html_lines(event.description)}</p>")
    meta = [f"<b>Certainty:</b> {escape(event.certainty)}"]
    if event.tags:
        meta.append(f"<b>Tags:</b> {escape(', '.join(event.tags))}")
    for label, names in (("People", event.people), ("Organisations", event.organisations),
                         ("Places", event.places)):
        if names:
            meta.append(f"<b>{label}:</b> {escape(', '.join(names))}")
    parts.append(f'<p class="casefile-meta">{" · ".join(meta)}</p>')
    if notes and event.notes:
        parts.append(f'<p class="casefile-notes"><b>Notes:</b> {_html_lines(event.notes)}</p>')
    for line in disputed:
        parts.append(f'<p class="casefile-conflict">⚠ {escape(line)}</p>')
    for c in event.citations:
        parts.append(f"<blockquote>{_html_lines(c.quote)}</blockquote>")
        known = source_line(c, with_path=False) or c.article_path
        parts.append(f'<p class="casefile-source">— [{sources.number(c)}] {escape(known)}</p>')
    return "".join(parts)


def _source_list(sources: SourceList) -> str:
    """The numbered list of every article cited, as HTML for the title slide."""
    items = []
    for s in sources:
        text = escape(s.line(with_path=False))
        if s.url and s.url.startswith(("http://", "https://")):
            text = text.replace(escape(s.url), f'<a href="{escape(s.url, quote=True)}">{escape(s.url)}</a>')
        items.append(f'<li value="{s.number}">{text} <code>{escape(s.path)}</code></li>')
    return f'<p><b>Sources</b></p><ol class="casefile-sources">{"".join(items)}</ol>' if items else ""


def _sources_data(sources: SourceList) -> list[dict]:
    return [{"number": s.number, "outlet": s.outlet, "published": s.published, "title": s.title,
             "url": s.url, "path": s.path, "passages": s.passages} for s in sources]


def timelinejs(events: Sequence[Event], *, name: str, generated: Optional[_dt.datetime] = None,
               notes: bool = True, conflicts: Optional[Mapping[int, Sequence[str]]] = None) -> dict:
    s = summarize(events)
    sources = SourceList.of(events)
    doc = {
        "title": {"text": {
            "headline": escape(name),
            "text": (f"<p>{s.events} events from {s.sources} sources, {escape(s.date_range)}.</p>"
                     f"<p>Generated {escape(generated_text(generated))} by Casefile.</p>"
                     + _source_list(sources)),
        }},
        "events": [],
        # Not read by TimelineJS (it ignores unknown keys): the source list as data.
        "casefile_sources": _sources_data(sources),
    }
    for event in events:
        item = {"start_date": _date(event.start)}
        if event.end is not None:
            item["end_date"] = _date(event.end)
        item["display_date"] = human_range(event.start, event.end)
        disputed = list((conflicts or {}).get(event.id, ()))
        item["text"] = {"headline": escape(event.title), "text": _text(event, sources, notes, disputed)}
        if disputed:
            # Not read by TimelineJS: where the sources disagree, as data.
            item["casefile_conflicts"] = disputed
        if event.tags:
            # TimelineJS draws one row per group; the first tag is the event's main theme.
            item["group"] = event.tags[0]
        if event.id is not None:
            item["unique_id"] = f"event-{event.id}"
        doc["events"].append(item)
    return doc


def write_timelinejs(events: Sequence[Event], path: Path, *, name: str,
                     generated: Optional[_dt.datetime] = None, notes: bool = True,
                     conflicts: Optional[Mapping[int, Sequence[str]]] = None) -> Path:
    data = timelinejs(events, name=name, generated=generated, notes=notes, conflicts=conflicts)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
