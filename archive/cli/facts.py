"""``casefile facts``: extract facts from files without an archive, or show stored ones.

    casefile facts reports/            # every readable file, as one case
    casefile facts a.txt b.html --json
    casefile facts --archive DIR 12    # facts stored for article 12 (or a path)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import CasefileError

KIND_ORDER = ("date", "person", "org", "place", "quantity", "legal", "quote")


def fact_json(fact) -> dict:
    """A fact as the JSON output shows it: its fields with ``extra`` merged in."""
    out = {"kind": fact.kind, "text": fact.text, "start": fact.start, "end": fact.end, "value": fact.value,
           "basis": fact.basis, "sentence": fact.sentence, "confidence": fact.confidence}
    for key, value in (fact.extra or {}).items():
        out.setdefault(key, value)
    return out


def _files(paths: tuple[str, ...]) -> list[Path]:
    from ..ingest import is_supported

    out: list[Path] = []
    for p in paths:
        path = Path(p).expanduser()
        if path.is_dir():
            out.extend(sorted(f for f in path.rglob("*") if f.is_file() and is_supported(f)
                              and not any(part.startswith(".") for part in f.relative_to(path).parts)))
        else:
            out.append(path)
    return out


def _print_human(path: str, published, facts, inferred=None) -> None:
    if published:
        when = f"  (published {published})"
    elif inferred is not None:
        when = f"  (published {inferred.value}, inferred: {inferred.basis})"
    else:
        when = "  (publication date unknown)"
    click.echo(click.style(path, bold=True) + when)
    if not facts:
        click.echo("  no facts found")
    for kind in KIND_ORDER:
        group = [f for f in facts if f.kind == kind]
        if not group:
            continue
        click.echo(f"  {kind} ({len(group)})")
        for f in group:
            words = " ".join(f.text.split())
            if len(words) > 70:
                words = words[:67] + "..."
            click.echo(f"    {f.value:<28} {words!r}  — {f.basis}")
    click.echo()


def register(group: click.Group) -> None:
    @group.command("facts")
    @click.argument("paths", nargs=-1)
    @click.option("--archive", "archive_dir", type=click.Path(file_okay=False), default=None,
                  help="Show facts stored in this archive instead of extracting from files.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
    def facts_cmd(paths: tuple[str, ...], archive_dir, as_json: bool) -> None:
        """Extract dates, names, places, quantities, legal steps and quotes.

        PATHS are article files or folders; all of them form one case (short
        names link across them, year-less dates use their publication dates).
        With --archive, print the facts stored for the article ID-or-PATH.
        """
        if archive_dir:
            _stored(archive_dir, paths, as_json)
            return
        if not paths:
            raise click.UsageError("Give article files or folders, or --archive DIR.")
        from ..facts import FactInput, extract, inferred_publications
        from ..ingest import read_article

        parsed, problems = [], []
        for path in _files(paths):
            try:
                parsed.append((path, read_article(path)))
            except CasefileError as err:
                problems.append(str(err))
            except OSError as err:
                problems.append(f"{path}: {err.strerror or err}")
        for line in problems:
            click.echo(f"skipped {line}", err=True)
        if not parsed:
            raise click.ClickException("None of the given files could be read.")
        inputs = [FactInput(a.text, a.body_end, a.regions, a.published, a.lang, a.title, key=str(p),
                            published_partial=(a.notes or {}).get("published_partial"))
                  for p, a in parsed]
        try:
            results = extract(inputs)
            inferred = inferred_publications(inputs)
        except CasefileError as err:
            raise click.ClickException(str(err)) from None
        from .articles import echo_model_hint

        echo_model_hint()
        if as_json:
            doc = {"articles": [_article_json(str(p), a.published, inf, found)
                                for (p, a), inf, found in zip(parsed, inferred, results)]}
            json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
            return
        for (p, a), inf, found in zip(parsed, inferred, results):
            _print_human(str(p), a.published, found, inf)


def _article_json(path: str, published, inferred, facts) -> dict:
    # ``published`` stays what the article itself says; an inferred date is reported beside it.
    out = {"path": path, "published": published}
    if inferred is not None:
        out["published_inferred"] = inferred.value
        out["published_inferred_basis"] = inferred.basis
    out["facts"] = [fact_json(f) for f in facts]
    return out


def _stored(archive_dir: str, paths: tuple[str, ...], as_json: bool) -> None:
    from .articles import cli_archive

    # Reading stored facts must never create an empty archive at a mistyped path.
    with cli_archive(Path(archive_dir)) as arc:
        targets = [arc.article(p if not str(p).isdigit() else int(p), with_text=False) for p in paths] \
            if paths else arc.articles()
        rows = [(art, arc.facts(art.id)) for art in targets]
    if as_json:
        doc = {"articles": [{"path": art.path, "published": art.published, "facts": [fact_json(f) for f in found]}
                            for art, found in rows]}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    for art, found in rows:
        _print_human(art.path, art.published, found)
