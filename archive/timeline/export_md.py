"""Export a timeline as Markdown: a readable chronology with blockquoted citations."""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Mapping, Optional, Sequence

from ..models import Citation, Event
from .dates import human_range
from .control_chars import visible_controls
from .sources import SourceList
from .summary import generated_text, source_line, summarize

__all__ = ["write_markdown", "md_escape"]

# Characters that would turn user text into markup (emphasis, links, HTML,
# tables, code) are escaped; the rest stays readable as plain text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text or "")


def _paragraphs(text: str) -> list[str]:
    """User text as Markdown lines: escaped, runs of blank lines collapsed, and
    single line breaks kept as hard breaks (two trailing spaces)."""
    text = re.sub(r"\n\s*\n+", "\n\n", (text or "").strip())
    lines = []
    for line in md_escape(text).split("\n"):
        line = line.strip()
        if re.match(r"^([-+]|\d+[.)])(\s|$)", line):
            # Would start a list item.
            line = "\\" + line
        lines.append(line)
    for i in range(len(lines) - 1):
        if lines[i] and lines[i + 1]:
            lines[i] += "  "
    return lines


def _code(text: str) -> str:
    """An inline code span that survives backticks in the text."""
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _source(c, sources: SourceList) -> str:
    """The source's number, then outlet, date and title (the full entry is in the list at the end)."""
    known = md_escape(source_line(c, with_path=False))
    ref = f"[{sources.number(c)}]"
    return f"{ref} {known}" if known else f"{ref} {_code(c.article_path)}"


def _link(url: str) -> str:
    """A web address as an autolink, or as code when it would not make a clean one."""
    return f"<{url}>" if url.startswith(("http://", "https://")) and not any(
        ch in url for ch in " <>") else _code(url)


def _source_list(sources: SourceList) -> list[str]:
    """The numbered list of every article cited: outlet, date, title, web address, path."""
    lines = ["## Sources", ""]
    for s in sources:
        ref = Citation(None, None, s.path, "", 0, 0, s.outlet, s.published, s.title)
        parts = [md_escape(source_line(ref, with_path=False))] if (s.outlet or s.published or s.title) else []
        if s.url:
            parts.append(_link(s.url))
        parts.append(_code(s.path))
        lines.append(f"{s.number}. " + ", ".join(p for p in parts if p))
    return lines + [""]


def _event_lines(event: Event, sources: SourceList, notes: bool = True,
                 disputed: Sequence[str] = ()) -> list[str]:
    lines = [f"## {md_escape(human_range(event.start, event.end))} — {md_escape(event.title)}", ""]
    meta = [f"**Certainty:** {event.certainty}"]
    if event.tags:
        meta.append(f"**Tags:** {md_escape(', '.join(event.tags))}")
    lines.append(" · ".join(meta) + "  ")
    links = []
    for label, names in (("People", event.people), ("Organisations", event.organisations),
                         ("Places", event.places)):
        if names:
            links.append(f"**{label}:** {md_escape(', '.join(names))}")
    if links:
        lines.append(" · ".join(links) + "  ")
    dates_from = [d.text for d in (event.start, event.end) if d is not None and d.text]
    if dates_from:
        lines.append(f"**Date from:** {md_escape(' / '.join(dates_from))}  ")
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    if event.description:
        lines += _paragraphs(event.description) + [""]
    if notes and event.notes:
        note_lines = _paragraphs(event.notes)
        note_lines[0] = f"**Notes:** {note_lines[0]}"
        lines += note_lines + [""]
    for line in disputed:
        lines += [f"**⚠** {md_escape(line)}", ""]
    for c in event.citations:
        lines += ["> " + line if line else ">" for line in _paragraphs(c.quote)]
        flag = {"moved": " (re-anchored)", "missing": " (passage no longer in the article)"}.get(c.status, "")
        lines += [">", f"> — {_source(c, sources)}{flag}", ""]
    return lines


def write_markdown(events: Sequence[Event], path: Path, *, name: str,
                   generated: Optional[_dt.datetime] = None, notes: bool = True,
                   conflicts: Optional[Mapping[int, Sequence[str]]] = None) -> Path:
    s = summarize(events)
    sources = SourceList.of(events)
    lines = [
        f"# {md_escape(name)}", "",
        f"Case timeline · {s.events} event{'s' if s.events != 1 else ''} · "
        f"{s.sources} source{'s' if s.sources != 1 else ''} · {md_escape(s.date_range)}  ",
        f"Generated {generated_text(generated)}", "",
    ]
    for event in events:
        lines += _event_lines(event, sources, notes, (conflicts or {}).get(event.id, ()))
    if len(sources):
        lines += _source_list(sources)
    text = visible_controls("\n".join(lines).rstrip("\n") + "\n")
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
