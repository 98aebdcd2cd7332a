"""``casefile timeline``: build, inspect, export and import the case timeline.

    casefile timeline add --archive DIR --date 2022-12-06 --title "Arrest" \\
        --cite 3 --quote "exact passage"           # prints the new event's id
    casefile timeline list
    casefile timeline show 12
    casefile timeline edit 12 --certainty confirmed
    casefile timeline remove 12
    casefile timeline export --format pdf -o case.pdf
    casefile timeline import events.csv --timeline "Second case"

Without ``--timeline`` the "Default" timeline is used; without ``--archive``
the archive used last.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Optional

import click

from ..models import CERTAINTIES, Citation, Event
from .articles import cli_archive

__all__ = ["register", "timeline"]

FORMATS = ("csv", "pdf", "json", "md")


def _session(archive: Optional[Path]):
    """The open archive, resolved and guarded like every reading command's."""
    return cli_archive(archive)


archive_option = click.option(
    "--archive", "archive", type=click.Path(path_type=Path, file_okay=False),
    help="The archive folder (default: the archive used last).",
)
timeline_option = click.option("--timeline", "timeline_name", default=None, metavar="NAME",
                               help='The timeline (default: "Default").')


def _parse_ref(ref: str):
    return int(ref) if ref.strip().isdigit() else ref


def _citations(cites: tuple[str, ...], quotes: tuple[str, ...]) -> tuple[Citation, ...]:
    if len(cites) != len(quotes):
        raise click.UsageError("Give one --quote for each --cite (the exact passage of that article).")
    out = []
    for ref, quote in zip(cites, quotes):
        ref = _parse_ref(ref)
        out.append(Citation(
            id=None, article_id=ref if isinstance(ref, int) else None,
            article_path=ref if isinstance(ref, str) else "", quote=quote, start=-1, end=-1,
        ))
    return tuple(out)


def _date_line(event: Event) -> str:
    from ..timeline import human_range

    return human_range(event.start, event.end)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@click.group("timeline")
def timeline() -> None:
    """Build the cited case timeline, and export or import it."""


@timeline.command("add")
@archive_option
@timeline_option
@click.option("--date", "date", required=True, metavar="DATE",
              help="2022-12-06, 2022-12 or 2022; ~ in front if approximate.")
@click.option("--end", "end", metavar="DATE", help="End date, for an event that lasted.")
@click.option("--title", required=True, help="A one-line title.")
@click.option("--description", default="", help="What happened, in a few sentences.")
@click.option("--note", "notes", default="", help="Private working notes.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
@click.option("--certainty", type=click.Choice(CERTAINTIES), default="reported", show_default=True)
@click.option("--person", "people", multiple=True, help="A person involved (repeatable).")
@click.option("--org", "organisations", multiple=True, help="An organisation involved (repeatable).")
@click.option("--place", "places", multiple=True, help="A place (repeatable).")
@click.option("--cite", "cites", multiple=True, metavar="ID-or-PATH",
              help="An article that supports the event (repeatable; pair each with --quote).")
@click.option("--quote", "quotes", multiple=True, help="The exact passage of the cited article.")
def add_cmd(archive, timeline_name, date, end, title, description, notes, tags, certainty, people,
            organisations, places, cites, quotes) -> None:
    """Add an event and print its id. Every quote must occur in its article."""
    from ..timeline import parse_partial_date

    citations = _citations(cites, quotes)
    with _session(archive) as arc:
        event = Event(
            id=None, timeline_id=None, start=parse_partial_date(date),
            end=parse_partial_date(end) if end else None, title=title, description=description,
            notes=notes, tags=tags, certainty=certainty, people=people,
            organisations=organisations, places=places, citations=citations,
        )
        saved = arc.timelines.add_event(event, timeline_name)
    click.echo(saved.id)


@timeline.command("list")
@archive_option
@timeline_option
@click.option("--tag", "tags", multiple=True, help="Only events with this tag (repeat: all of them).")
@click.option("--certainty", type=click.Choice(CERTAINTIES), multiple=True, help="Only this certainty.")
@click.option("--person", default=None, help="Only events linking this person.")
def list_cmd(archive, timeline_name, tags, certainty, person) -> None:
    """List the timeline's events in date order."""
    with _session(archive) as arc:
        events = arc.timelines.events(timeline_name, tags=tags, certainty=certainty or None, person=person)
    if not events:
        click.echo("No events.", err=True)
        return
    width = max(len(str(e.id)) for e in events)
    for e in events:
        flags = "" if all(c.status == "ok" for c in e.citations) else "  [citation needs attention]"
        click.echo(f"{e.id:>{width}}  {_date_line(e):<26} {e.certainty:<10} {_short(e.title, 70)}"
                   f"  ({len(e.citations)} cited){flags}")


@timeline.command("timelines")
@archive_option
def timelines_cmd(archive) -> None:
    """List the archive's timelines with their number of events."""
    with _session(archive) as arc:
        found = arc.timelines.list()
    if not found:
        click.echo("No timelines yet.", err=True)
    for t in found:
        click.echo(f"{t.id}  {t.name}  ({t.event_count} event{'s' if t.event_count != 1 else ''})")


@timeline.command("show")
@archive_option
@click.argument("event_id", type=int)
def show_cmd(archive, event_id) -> None:
    """Show one event with its citations."""
    from ..timeline.summary import source_line

    with _session(archive) as arc:
        e = arc.timelines.event(event_id)
    click.echo(f"Event {e.id}: {e.title}")
    click.echo(f"  Date:        {_date_line(e)}")
    for label, date in (("  From words: ", e.start), ("  End words:  ", e.end)):
        if date is not None and date.text:
            click.echo(f"{label}{date.text}")
    click.echo(f"  Certainty:   {e.certainty}")
    for label, values in (("Tags", e.tags), ("People", e.people), ("Orgs", e.organisations),
                          ("Places", e.places)):
        if values:
            click.echo(f"  {label + ':':<12} {', '.join(values)}")
    if e.description:
        click.echo(f"  Description: {e.description}")
    if e.notes:
        click.echo(f"  Notes:       {e.notes}")
    for c in e.citations:
        status = "" if c.status == "ok" else f" [{c.status}]"
        click.echo(f"  Citation {c.id}{status}: “{_short(c.quote, 300)}”")
        click.echo(f"      {source_line(c)} (characters {c.start}-{c.end})")


@timeline.command("edit")
@archive_option
@click.argument("event_id", type=int)
@click.option("--title", default=None)
@click.option("--date", default=None, metavar="DATE")
@click.option("--end", default=None, metavar="DATE", help='End date; "" removes it.')
@click.option("--description", default=None)
@click.option("--note", "notes", default=None)
@click.option("--certainty", type=click.Choice(CERTAINTIES), default=None)
@click.option("--tag", "tags", multiple=True, help="Replace the tags (repeatable).")
@click.option("--person", "people", multiple=True, help="Replace the people (repeatable).")
@click.option("--org", "organisations", multiple=True, help="Replace the organisations.")
@click.option("--place", "places", multiple=True, help="Replace the places.")
@click.option("--cite", "cites", multiple=True, metavar="ID-or-PATH", help="Add a citation (with --quote).")
@click.option("--quote", "quotes", multiple=True)
@click.option("--uncite", "uncite", type=int, multiple=True, metavar="CITATION_ID",
              help="Remove a citation (ids are shown by `show`).")
def edit_cmd(archive, event_id, title, date, end, description, notes, certainty, tags, people,
             organisations, places, cites, quotes, uncite) -> None:
    """Change an event; only the options given change."""
    from ..timeline import parse_partial_date

    added = _citations(cites, quotes)
    with _session(archive) as arc:
        event = arc.timelines.event(event_id)
        unknown = set(uncite) - {c.id for c in event.citations}
        if unknown:
            raise click.ClickException(
                f"Event {event_id} has no citation {', '.join(map(str, sorted(unknown)))}; see `casefile timeline show {event_id}`."
            )
        changes = {}
        if title is not None:
            changes["title"] = title
        if date is not None:
            changes["start"] = parse_partial_date(date)
        if end is not None:
            changes["end"] = parse_partial_date(end) if end.strip() else None
        for name, value in (("description", description), ("notes", notes), ("certainty", certainty)):
            if value is not None:
                changes[name] = value
        for name, value in (("tags", tags), ("people", people), ("organisations", organisations),
                            ("places", places)):
            if value:
                changes[name] = value
        citations = tuple(c for c in event.citations if c.id not in set(uncite)) + added
        if not changes and citations == event.citations:
            raise click.UsageError("Nothing to change: give at least one option (see --help).")
        saved = arc.timelines.update_event(dataclasses.replace(event, citations=citations, **changes))
    click.echo(f"Updated event {saved.id}: {saved.title}")


@timeline.command("remove")
@archive_option
@click.argument("event_id", type=int)
def remove_cmd(archive, event_id) -> None:
    """Remove an event and its citations."""
    with _session(archive) as arc:
        removed = arc.timelines.remove_event(event_id)
    click.echo(f"Removed event {removed.id}: {removed.title}")


@timeline.command("export")
@archive_option
@timeline_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="csv, pdf, json (TimelineJS) or md; default: from the file's extension.")
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The file to write.")
@click.option("--notes/--no-notes", "notes", default=True,
              help="Include your notes on the events (default) or leave them out.")
def export_cmd(archive, timeline_name, fmt, output, notes) -> None:
    """Export the timeline as CSV, PDF, TimelineJS JSON or Markdown."""
    from ..timeline import DEFAULT_TIMELINE, export_timeline

    if fmt is None:
        fmt = {".markdown": "md"}.get(output.suffix.lower(), output.suffix.lower().lstrip("."))
        if fmt not in FORMATS:
            raise click.UsageError(f"Cannot tell the format from “{output.name}”; add --format ({', '.join(FORMATS)}).")
    with _session(archive) as arc:
        events = arc.timelines.events(timeline_name)
        name = timeline_name or DEFAULT_TIMELINE
        disputed = arc.case.conflict_notes(e.id for e in events)
        path = export_timeline(events, fmt, output, name=name, notes=notes, conflicts=disputed)
    click.echo(f"Wrote {len(events)} event{'s' if len(events) != 1 else ''} to {path}")


@timeline.command("import")
@archive_option
@timeline_option
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
def import_cmd(archive, timeline_name, csv_file) -> None:
    """Add the events of a timeline CSV (as exported) to a timeline."""
    from ..timeline import DEFAULT_TIMELINE, import_csv

    with _session(archive) as arc:
        events = import_csv(csv_file)
        if not events:
            raise click.ClickException(f"{csv_file}: the file holds no events.")
        saved = arc.timelines.import_events(events, timeline_name)
    missing = sum(c.status == "missing" for e in saved for c in e.citations)
    click.echo(f"Imported {len(saved)} event{'s' if len(saved) != 1 else ''} into "
               f"“{timeline_name or DEFAULT_TIMELINE}”.")
    if missing:
        click.echo(f"{missing} citation{'s' if missing != 1 else ''} could not be found in this archive "
                   "and {} flagged missing.".format("is" if missing == 1 else "are"), err=True)


def register(group: click.Group) -> None:
    group.add_command(timeline)
