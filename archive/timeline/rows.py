"""Conversion between the ``events``/``citations`` rows and the model dataclasses."""
from __future__ import annotations

import json
from typing import Any, Iterable, Optional

from ..models import Citation, Event, PartialDate

__all__ = ["event_from_row", "citation_from_row", "event_columns", "citation_columns"]


def _list(raw: Optional[str]) -> tuple[str, ...]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _date(value, precision, approx, text) -> Optional[PartialDate]:
    if not value:
        return None
    return PartialDate(value=value, precision=precision, approximate=bool(approx), text=text or "")


def citation_from_row(row: dict[str, Any]) -> Citation:
    # A citation whose article left the archive has lost its article_id
    # (ON DELETE SET NULL); it can no longer be checked, so it reads as missing.
    status = row["status"] if row["article_id"] is not None else "missing"
    return Citation(
        id=row["id"], article_id=row["article_id"], article_path=row["article_path"],
        quote=row["quote"], start=row["start"], end=row["end"], outlet=row["outlet"],
        published=row["published"], title=row["title"], status=status,
        url=row.get("article_url") or None,
    )


def event_from_row(row: dict[str, Any], citations: Iterable[Citation] = ()) -> Event:
    return Event(
        id=row["id"], timeline_id=row["timeline_id"],
        start=_date(row["start_value"], row["start_precision"], row["start_approx"], row["start_text"]),
        end=_date(row["end_value"], row["end_precision"], row["end_approx"], row["end_text"]),
        title=row["title"], description=row["description"], notes=row["notes"],
        tags=_list(row["tags"]), certainty=row["certainty"], people=_list(row["people"]),
        organisations=_list(row["organisations"]), places=_list(row["places"]),
        citations=tuple(citations), created=row["created"], modified=row["modified"],
    )


def event_columns(event: Event) -> dict[str, Any]:
    """The ``events`` columns an event's content fills (not id, timeline or stamps)."""
    end = event.end
    return {
        "start_value": event.start.value, "start_precision": event.start.precision,
        "start_approx": int(event.start.approximate), "start_text": event.start.text or "",
        "end_value": end.value if end else None, "end_precision": end.precision if end else None,
        "end_approx": int(end.approximate) if end else 0, "end_text": (end.text or "") if end else "",
        "title": event.title, "description": event.description, "notes": event.notes,
        "tags": json.dumps(list(event.tags), ensure_ascii=False),
        "certainty": event.certainty,
        "people": json.dumps(list(event.people), ensure_ascii=False),
        "organisations": json.dumps(list(event.organisations), ensure_ascii=False),
        "places": json.dumps(list(event.places), ensure_ascii=False),
    }


def citation_columns(citation: Citation, event_id: int, position: int) -> dict[str, Any]:
    return {
        "event_id": event_id, "article_id": citation.article_id,
        "article_path": citation.article_path, "quote": citation.quote,
        "start": citation.start, "end": citation.end, "outlet": citation.outlet,
        "published": citation.published, "title": citation.title,
        "status": citation.status, "position": position,
    }
