"""Keeping an archive healthy: ``check``, ``backup``, ``restore``, ``recover``.

    casefile check                       # integrity of the file, store vs search index; exit 1 on problems
    casefile backup -o case.sqlite       # the timelines, events, citations, notes, corrections
    casefile restore case.sqlite         # put them back (citations re-anchored to the articles)
    casefile recover                     # a damaged archive file: salvage, rebuild, re-index

The archive also keeps snapshots of the same data by itself in
``ARCHIVE/snapshots/`` (after changes, at most once a minute, and on close).
"""
from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path
from typing import Optional

import click

from ..errors import CasefileError
from .articles import ProgressLine, cli_archive, cli_errors, resolve_archive_dir

__all__ = ["register"]

EXIT_PROBLEMS = 1

archive_option = click.option(
    "--archive", "archive_dir", type=click.Path(path_type=Path, file_okay=False),
    help="The archive folder (default: the archive used last).",
)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@click.command("check")
@archive_option
def check_cmd(archive_dir: Optional[Path]) -> None:
    """Check the archive file (SQLite integrity) and the search index against the store."""
    from ..store.health import damaged_reason
    from ..store.snapshot_files import latest_snapshot

    with cli_archive(archive_dir) as arc:
        with cli_errors():
            found = arc.check(progress=ProgressLine())
        path = arc.path
    click.echo(f"Archive {path}")
    click.echo(f"  articles: {found.articles} stored, {found.indexed} in the search index")
    for name, n in found.counts.items():
        click.echo(f"  {name}: {n} rows readable")
    if found.database:
        click.echo("The archive file is damaged:")
        for line in found.database[:20]:
            click.echo(f"  - {line}")
        click.echo("Run `casefile recover` to rebuild the archive from what is readable and the "
                   "newest snapshot; until then changes are refused.")
    if found.index:
        click.echo("The search index does not match the store:")
        for line in found.index[:20]:
            click.echo(f"  - {line}")
        click.echo("It is rebuilt from the store the next time the archive is opened "
                   "(or now: `casefile reindex`).")
    latest = latest_snapshot(path)
    click.echo(f"Newest snapshot of your timeline: {latest}" if latest else "No snapshot yet.")
    if found.ok and not damaged_reason(path):
        click.echo("No problems found.")
        return
    sys.exit(EXIT_PROBLEMS)


@click.command("backup")
@archive_option
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The backup file (default: casefile-backup-DATE.sqlite here).")
def backup_cmd(archive_dir: Optional[Path], output: Optional[Path]) -> None:
    """Save your timelines, events, citations, notes and corrections to one file."""
    if output is None:
        output = Path(f"casefile-backup-{_dt.datetime.now():%Y%m%d-%H%M%S}.sqlite")
    with cli_archive(archive_dir) as arc:
        with cli_errors():
            path = arc.backup(output)
            events = sum(t.event_count for t in arc.timelines.list())
    click.echo(f"Saved {_plural(events, 'event')} with their citations and notes to {path}")


@click.command("restore")
@archive_option
@click.argument("backup_file", type=click.Path(path_type=Path, dir_okay=False))
def restore_cmd(archive_dir: Optional[Path], backup_file: Path) -> None:
    """Put the timelines, events, citations, notes and corrections of BACKUP_FILE back."""
    with cli_archive(archive_dir) as arc:
        with cli_errors():
            done = arc.restore(backup_file)
    counts = done.counts
    click.echo(f"Restored {_plural(counts.get('events', 0), 'event')}, "
               f"{_plural(counts.get('citations', 0), 'citation')} and "
               f"{_plural(counts.get('corrections', 0), 'metadata correction')} from {backup_file}.")
    if done.missing:
        click.echo(f"{_plural(done.missing, 'citation')} cite articles not in this archive and are "
                   "flagged missing; index their folder to attach them again.", err=True)
    if done.safety_copy:
        click.echo(f"What the archive held before is kept in {done.safety_copy}.", err=True)


@click.command("recover")
@archive_option
@click.option("--no-facts", "no_facts", is_flag=True, help="Re-index without extracting facts (faster).")
def recover_cmd(archive_dir: Optional[Path], no_facts: bool) -> None:
    """Rebuild a damaged archive: salvage every readable event, re-index the articles."""
    from ..paths import last_archive
    from ..recover_damaged import recover

    target = resolve_archive_dir(archive_dir) if archive_dir is not None else last_archive()
    if target is None:
        raise click.UsageError("Name the archive to recover with --archive.")
    try:
        done = recover(target, facts=not no_facts, progress=ProgressLine())
    except CasefileError as err:
        raise click.ClickException(str(err)) from None
    for name in ("timelines", "events", "citations", "corrections"):
        got, extra = done.salvaged.get(name, 0), done.from_snapshot.get(name, 0)
        if got or extra:
            click.echo(f"{name}: {got} read from the damaged file"
                       + (f", {extra} more from the snapshot" if extra else ""))
    for name, ids in done.unreadable.items():
        click.echo(f"{name}: {_plural(len(ids), 'row')} could not be read from the file "
                   f"(ids {', '.join(map(str, ids[:10]))}{'…' if len(ids) > 10 else ''})", err=True)
    for line in done.problems:
        click.echo(f"note: {line}", err=True)
    click.echo(f"Indexed {_plural(done.articles, 'article')} again. The damaged file is kept as "
               f"{done.damaged_copy}.")


def register(group: click.Group) -> None:
    for command in (check_cmd, backup_cmd, restore_cmd, recover_cmd):
        group.add_command(command)
