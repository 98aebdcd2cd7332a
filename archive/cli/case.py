"""``casefile case``: case events reported across outlets, and where the sources disagree.

    casefile case events [--json] [--all]       # events reported by two or more articles (--all: every one)
    casefile case conflicts [--json] [--status open]
    casefile case confirm KEY [--timeline NAME]  # the event goes on the timeline, every source cited
    casefile case conflict-status KEY resolved --note "FSO is the Federal Guard Service"

Each command brings the analysis up to date first (only articles whose facts
changed are read again).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import click

from ..case.records import CONFLICT_STATUSES
from .articles import ProgressLine, cli_archive, cli_errors

__all__ = ["register", "case"]

archive_option = click.option(
    "--archive", "archive", type=click.Path(path_type=Path, file_okay=False),
    help="The archive folder (default: the archive used last).",
)


def _source_json(s) -> dict:
    return {"path": s.path, "article_id": s.article_id, "outlet": s.outlet, "published": s.published,
            "quote": s.quote, "start": s.start, "end": s.end, "claim_id": s.claim_id}


def event_json(e) -> dict:
    return {"key": e.key, "date": e.date, "precision": e.precision, "kind": e.kind, "title": e.title,
            "entities": list(e.entities), "sources": [_source_json(s) for s in e.sources],
            "independent_sources": e.independent_sources, "status": e.status,
            "timeline_event_id": e.timeline_event_id, "conflicts": list(e.conflict_keys)}


def conflict_json(c) -> dict:
    return {"key": c.key, "subject": c.subject, "kind": c.kind, "status": c.status, "note": c.note,
            "claims": [{"value": cl.value, "sources": [_source_json(s) for s in cl.sources]} for cl in c.claims],
            "events": list(c.event_keys)}


def _analysed(arc) -> None:
    with cli_errors():
        arc.case.analyse(progress=ProgressLine())


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@click.group("case")
def case() -> None:
    """Case events across outlets and contradictions between sources."""


@case.command("events")
@archive_option
@click.option("--all", "show_all", is_flag=True, help="Also events only one article reports.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def events_cmd(archive: Optional[Path], show_all: bool, as_json: bool) -> None:
    """Events of the case, each with its sources and how many are independent."""
    with cli_archive(archive) as arc:
        _analysed(arc)
        with cli_errors():
            found = arc.case.events(min_sources=1 if show_all else 2)
        if as_json:
            click.echo(json.dumps({"events": [event_json(e) for e in found]}, ensure_ascii=False, indent=2))
            return
        if not found:
            click.echo("No case events found.")
        for e in found:
            mark = " [confirmed]" if e.status == "confirmed" else ""
            disputed = "  (disputed)" if e.conflict_keys else ""
            click.echo(click.style(f"{e.date}  {e.title}", bold=True) +
                       f"  {e.independent_sources} independent / {len(e.sources)} sources{mark}{disputed}")
            click.echo(f"  key: {e.key}")
            for s in e.sources:
                click.echo(f"  - {s.outlet or Path(s.path).name}: “{_short(s.quote)}”")
        with cli_errors():
            unmatched = arc.case.unmatched_decisions()
        if unmatched:
            n = len(unmatched)
            click.echo(click.style(f"{n} decision{'s' if n != 1 else ''} of yours match{'es' if n == 1 else ''} "
                                   "no event now (kept):", bold=True))
            for u in unmatched:
                click.echo(f"  - {u.text}")


@case.command("conflicts")
@archive_option
@click.option("--status", type=click.Choice(CONFLICT_STATUSES), default=None, help="Only conflicts with this status.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def conflicts_cmd(archive: Optional[Path], status: Optional[str], as_json: bool) -> None:
    """Where the sources disagree: employer, rank, dates, places, numbers, denials."""
    with cli_archive(archive) as arc:
        _analysed(arc)
        with cli_errors():
            found = arc.case.conflicts(status=status)
        if as_json:
            click.echo(json.dumps({"conflicts": [conflict_json(c) for c in found]}, ensure_ascii=False, indent=2))
            return
        if not found:
            click.echo("No conflicts found.")
        for c in found:
            note = f" — {c.note}" if c.note else ""
            click.echo(click.style(f"{c.kind}: {c.subject}", bold=True) + f"  [{c.status}]{note}")
            click.echo(f"  key: {c.key}")
            for cl in c.claims:
                click.echo(f"  {cl.value}:")
                for s in cl.sources:
                    click.echo(f"    - {s.outlet or Path(s.path).name}: “{_short(s.quote, 80)}”")


@case.command("confirm")
@archive_option
@click.argument("key")
@click.option("--timeline", "timeline_name", default=None, metavar="NAME", help='The timeline (default: "Default").')
@click.option("--title", default=None, help="The timeline event's title (default: the suggested one).")
def confirm_cmd(archive: Optional[Path], key: str, timeline_name: Optional[str], title: Optional[str]) -> None:
    """Put a suggested event on the timeline with every source as a citation; prints its id."""
    with cli_archive(archive) as arc:
        _analysed(arc)
        with cli_errors():
            event = arc.case.confirm_event(key, timeline=timeline_name, title=title)
        click.echo(event.id)


@case.command("conflict-status")
@archive_option
@click.argument("key")
@click.argument("status", type=click.Choice(CONFLICT_STATUSES))
@click.option("--note", default="", help="Why (for example how it was resolved).")
def conflict_status_cmd(archive: Optional[Path], key: str, status: str, note: str) -> None:
    """Set a conflict's status: open, resolved (with a note) or not-a-conflict."""
    with cli_archive(archive) as arc:
        _analysed(arc)
        with cli_errors():
            c = arc.case.set_conflict_status(key, status, note)
        click.echo(f"{c.key}: {c.status}")


def register(group: click.Group) -> None:
    group.add_command(case)
