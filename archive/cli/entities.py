"""``casefile entities``: list and review the archive's people, organisations and places.

    casefile entities --kind person               # with counts, aliases, kind, subtype
    casefile entities merge "Federal Guard Service" FSO   # FSO joins; the first name stays
    casefile entities split "Mikhail Zhilin" Zhilin
    casefile entities rename 12 "Mikhail Zhilin"
    casefile entities kind "Kessel Gap" place
    casefile entities ignore "Velgrad Free Press"   # not an entity
    casefile entities suggestions --json
    casefile entities judgements                    # the ledger
    casefile entities undo [JUDGEMENT_ID]

Entities are named by id or by name. Every review action is recorded as a
judgement and survives re-indexing.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import click

from .articles import archive_option, cli_archive

__all__ = ["register", "entities"]

KINDS = ("person", "org", "place")


def _entity_dict(e) -> dict:
    return {"id": e.id, "kind": e.kind, "name": e.name, "subtype": e.subtype, "aliases": list(e.aliases),
            "articles": e.article_count, "mentions": e.mention_count}


def _judgement_line(j) -> str:
    state = "" if j.active or j.action == "undo" else f"  [undone by #{j.undone_by}]"
    if j.active and not j.applied:
        state = "  [matches nothing now]"
    return f"#{j.id}  {j.created}  {j.describe()}{state}"


@click.group("entities", invoke_without_command=True)
@archive_option
@click.option("--kind", type=click.Choice(KINDS), default=None, help="Only this kind.")
@click.option("--json", "as_json", is_flag=True, help="JSON, one object per entity.")
@click.pass_context
def entities(ctx, archive_dir: Optional[Path], kind: Optional[str], as_json: bool) -> None:
    """List people, organisations and places (most cited first), or review them."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = archive_dir          # `entities --archive DIR merge A B` works too
        return
    with cli_archive(archive_dir) as arc:
        found = arc.entities(kind)
    if as_json:
        click.echo(json.dumps([_entity_dict(e) for e in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No entities.", err=True)
        return
    width = max(len(str(e.id)) for e in found)
    for e in found:
        kind_text = e.kind + (f"/{e.subtype}" if e.subtype else "")
        aliases = f"  also: {', '.join(e.aliases)}" if e.aliases else ""
        click.echo(f"{e.id:>{width}}  {kind_text:<14} {e.name}  ({e.article_count} articles, "
                   f"{e.mention_count} mentions){aliases}")


def _archive(archive_dir: Optional[Path]) -> Optional[Path]:
    parent = click.get_current_context().parent
    return archive_dir or (parent.obj if parent is not None else None)


def _act(archive_dir, action) -> None:
    with cli_archive(_archive(archive_dir)) as arc:
        judgement = action(arc.entity_review)
    click.echo(_judgement_line(judgement))


@entities.command("merge")
@archive_option
@click.argument("keep")
@click.argument("other")
def merge_cmd(archive_dir, keep, other) -> None:
    """OTHER becomes part of KEEP (whose name and kind stay)."""
    _act(archive_dir, lambda r: r.merge(keep, other))


@entities.command("split")
@archive_option
@click.argument("entity")
@click.argument("alias")
def split_cmd(archive_dir, entity, alias) -> None:
    """The mentions written ALIAS become an entity of their own."""
    _act(archive_dir, lambda r: r.split(entity, alias))


@entities.command("rename")
@archive_option
@click.argument("entity")
@click.argument("name")
def rename_cmd(archive_dir, entity, name) -> None:
    """Give ENTITY another canonical name."""
    _act(archive_dir, lambda r: r.rename(entity, name))


@entities.command("kind")
@archive_option
@click.argument("entity")
@click.argument("kind", type=click.Choice(KINDS))
def kind_cmd(archive_dir, entity, kind) -> None:
    """ENTITY is a person, an organisation (org) or a place."""
    _act(archive_dir, lambda r: r.change_kind(entity, kind))


@entities.command("ignore")
@archive_option
@click.argument("entity")
def ignore_cmd(archive_dir, entity) -> None:
    """ENTITY is not an entity: leave its mentions out (the archive's stop list)."""
    _act(archive_dir, lambda r: r.ignore(entity))


@entities.command("distinct")
@archive_option
@click.argument("first")
@click.argument("second")
def distinct_cmd(archive_dir, first, second) -> None:
    """FIRST and SECOND are different: never suggest merging them."""
    _act(archive_dir, lambda r: r.distinct(first, second))


@entities.command("undo")
@archive_option
@click.argument("judgement_id", type=int, required=False)
def undo_cmd(archive_dir, judgement_id) -> None:
    """Undo a judgement (default: the latest in force); the undo is recorded too."""
    _act(archive_dir, lambda r: r.undo(judgement_id))


@entities.command("judgements")
@archive_option
@click.option("--json", "as_json", is_flag=True)
def judgements_cmd(archive_dir, as_json) -> None:
    """The ledger of review judgements, oldest first."""
    with cli_archive(_archive(archive_dir)) as arc:
        found = arc.entity_review.judgements()
    if as_json:
        click.echo(json.dumps([{"id": j.id, "action": j.action, "kind": j.kind, "name": j.name,
                                "other_kind": j.other_kind, "other": j.other, "target": j.target,
                                "undone_by": j.undone_by, "active": j.active, "applied": j.applied,
                                "created": j.created, "text": j.describe()} for j in found],
                              ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No judgements yet.", err=True)
    for j in found:
        click.echo(_judgement_line(j))


@entities.command("suggestions")
@archive_option
@click.option("--kind", type=click.Choice(KINDS), default=None)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def suggestions_cmd(archive_dir, kind, limit, as_json) -> None:
    """Entities that are probably one, with the reason (accept with `entities merge KEEP OTHER`)."""
    with cli_archive(_archive(archive_dir)) as arc:
        found = arc.entity_review.suggestions(kind=kind, limit=limit)
    if as_json:
        click.echo(json.dumps([{"keep": _entity_dict(s.keep), "other": _entity_dict(s.other), "reason": s.reason,
                                "detail": s.detail, "score": s.score} for s in found],
                              ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No suggestions.", err=True)
    for s in found:
        click.echo(f"{s.keep.id} {s.keep.name} <- {s.other.id} {s.other.name}  [{s.reason}] {s.detail}")


def register(group: click.Group) -> None:
    group.add_command(entities)
