"""Article commands: index a folder, search, show, correct metadata, list, problems, gui.

    casefile index ~/reports                 # archive in ~/reports/.casefile
    casefile search 'extradition AND kazakhstan' --sort date
    casefile show 3 --json
    casefile meta 3 --published 2022-12-29 --outlet "Europa Press"
    casefile articles --outlet "Europa Press"
    casefile problems
    casefile gui

Without ``--archive``, ``index`` uses ``FOLDER/.casefile`` and the other
commands the archive used last (or the bundled demo archive, built on first
use).
"""
from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator, Optional, TextIO

import click

from ..errors import BadQuery, CasefileError
from ..search.damage import IndexDamaged
from ..store.health import fault_message
from ..models import METADATA_FIELDS, Article
from ..paths import ARCHIVE_DIR_NAME, default_archive_for, remember_archive
from ..progress import CancelToken

__all__ = ["register", "archive_option", "resolve_archive_dir", "cli_archive", "ProgressLine"]

DB_FILE = "casefile.db"
EXIT_STOPPED = 130          # the shell's convention for "interrupted by Ctrl-C"
EXIT_BAD_QUERY = 2
EXIT_SOME_UNREADABLE = 3    # `index`: the run finished, but some files could not be read

archive_option = click.option(
    "--archive", "archive_dir", type=click.Path(path_type=Path, file_okay=False),
    help="The archive folder (default: the archive used last, else the demo archive).",
)


# ---------------------------------------------------------------- helpers

def resolve_archive_dir(given: Optional[Path]) -> Optional[Path]:
    """The archive folder a user named; an indexed folder stands for its ``.casefile``.

    Raises ``click.ClickException`` when there is no archive there (reading
    commands should never create an empty archive by a typo).
    """
    if given is None:
        return None
    given = given.expanduser()
    if (given / DB_FILE).is_file():
        return given
    inner = given / ARCHIVE_DIR_NAME
    if (inner / DB_FILE).is_file():
        return inner
    raise click.ClickException(
        f"There is no archive at {given}; index a folder first (casefile index FOLDER)."
    )


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    """Turn every ``CasefileError`` into a one-line message (exit 1)."""
    try:
        yield
    except CasefileError as err:
        raise click.ClickException(str(err)) from None


@contextlib.contextmanager
def cli_archive(archive_dir: Optional[Path], repair: bool = True) -> Iterator:
    """The archive a reading command works on, with errors as one-line messages.

    A search index found stale (after a crash) is rebuilt first, with a
    progress line, unless ``repair`` is off (``reindex`` rebuilds anyway).
    """
    from ..archive import open_archive
    from ..indexing import repair as index_repair  # ``repair`` is this function's flag

    target = resolve_archive_dir(archive_dir)
    with cli_errors():
        arc = open_archive(archive=target, notify=_notify_with_model_hint)
        try:
            if repair and arc.index_stale:
                click.echo(f"{arc.index_stale_reason} Rebuilding it now...", err=True)
                bar = ProgressLine()
                try:
                    # On a full disk the rebuild is put off (and said so), so that
                    # listing and exporting still work.
                    with arc.writing():
                        index_repair.rebuild_or_report(arc, progress=bar)
                finally:
                    bar.finish()
                if arc.index_problem:
                    click.echo(arc.index_problem, err=True)
            yield arc
        except (sqlite3.Error, OSError) as exc:
            message = fault_message(arc.path, exc)
            if message is None:
                raise
            raise click.ClickException(message) from None
        finally:
            arc.close()


def echo_model_hint() -> None:
    """Say (on stderr) how to add spaCy's English model, when facts are extracted without it."""
    from ..english_model import english_model_hint

    hint = english_model_hint()
    if hint:
        click.echo(hint, err=True)


def _notify_with_model_hint(message: str) -> None:
    # The demo archive is being built (facts included): say it, and what is missing.
    click.echo(message, err=True)
    echo_model_hint()


class ProgressLine:
    """A one-line progress bar on a terminal (``done/total message``); silent otherwise."""

    def __init__(self, stream: Optional[TextIO] = None, min_interval: float = 0.1) -> None:
        self.stream = stream or sys.stderr
        self.active = _isatty(self.stream)
        self.min_interval = min_interval
        self._last = 0.0
        self._previous: tuple = ()
        self._shown = False

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if not self.active or (done, total, message) == self._previous:
            return
        now = time.monotonic()
        if now - self._last < self.min_interval and done < total:
            return
        self._last = now
        self._previous = (done, total, message)
        cols = shutil.get_terminal_size((80, 20)).columns
        width = 24
        filled = int(width * done / total) if total else 0
        bar = "#" * filled + "-" * (width - filled)
        counts = f"{done}/{total}" if total else ""
        line = f"[{bar}] {counts} {message}"
        line = line[: cols - 1]
        self.stream.write("\r" + line.ljust(cols - 1))
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            cols = shutil.get_terminal_size((80, 20)).columns
            self.stream.write("\r" + " " * (cols - 1) + "\r")
            self.stream.flush()
            self._shown = False


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def _ctrl_c_cancels(token: CancelToken) -> Iterator[None]:
    """The first Ctrl-C asks the run to stop after the current file; a second one forces it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        token.cancel()
        click.echo("\nStopping: files stored so far are kept (Ctrl-C again to force)...", err=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _snippet(snippet: str, tty: bool) -> str:
    """Search snippets are HTML with <mark>: bold on a terminal, [brackets] elsewhere."""
    def mark(m: re.Match) -> str:
        inner = html.unescape(m.group(1))
        return click.style(inner, bold=True) if tty else f"[{inner}]"

    parts = re.split(r"(<mark>.*?</mark>)", snippet or "", flags=re.S)
    out = []
    for part in parts:
        m = re.fullmatch(r"<mark>(.*?)</mark>", part, flags=re.S)
        out.append(mark(m) if m else html.unescape(re.sub(r"<[^>]+>", "", part)))
    return " ".join("".join(out).split())


def _article_json(article: Article, with_text: bool = False) -> dict:
    data = {
        "id": article.id, "path": article.path, "relpath": article.relpath, "format": article.format,
        **{name: getattr(article, name) for name in METADATA_FIELDS},
        "fact_count": article.fact_count,
    }
    if with_text:
        data = {
            "id": article.id, "path": article.path,
            **{name: getattr(article, name) for name in ("title", "published", "outlet", "author", "url", "lang")},
            "body_end": article.body_end,
            "regions": [{"start": r.start, "end": r.end, "label": r.label} for r in article.regions],
            "provenance": article.provenance,
            "text": article.text,
        }
    return data


def _source_line(title, outlet, published) -> str:
    bits = [b for b in (outlet, published) if b]
    return (title or "(untitled)") + (f" — {', '.join(bits)}" if bits else "")


# ---------------------------------------------------------------- commands

def register(group: click.Group) -> None:
    """Add the article commands to the ``casefile`` group."""
    for command in (index_cmd, search_cmd, show_cmd, meta_cmd, reindex_cmd, articles_cmd, problems_cmd, gui_cmd):
        group.add_command(command)


@click.command("index")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--archive", "archive_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where to keep the archive (default: FOLDER/.casefile).")
@click.option("--no-facts", is_flag=True, help="Only store and index the text; extract facts later.")
def index_cmd(folder: Path, archive_dir: Optional[Path], no_facts: bool) -> None:
    """Index FOLDER: add new files, update changed ones, drop removed ones.

    Ctrl-C stops cleanly: what was stored so far is kept.

    \b
    Exit codes:
      0    every file was read
      3    done, but some files could not be read (listed; see `casefile problems`)
      1    an error, or no file in FOLDER could be read
      130  stopped by Ctrl-C (what was stored is kept)
    """
    from ..archive import Archive

    folder = folder.expanduser()
    if not folder.is_dir():
        raise click.ClickException(f"The folder {folder} does not exist.")
    target = archive_dir.expanduser() if archive_dir else default_archive_for(folder)
    token = CancelToken()
    bar = ProgressLine()
    with cli_errors():
        arc = Archive.open(target)
        try:
            remember_archive(arc.path)
            with _ctrl_c_cancels(token):
                try:
                    report = arc.index_folder(folder, facts=not no_facts, progress=bar, cancel=token)
                except KeyboardInterrupt:
                    # A forced stop: the batch in flight was rolled back.
                    bar.finish()
                    click.echo("Stopped; the last batch was dropped, everything before it is kept.", err=True)
                    sys.exit(EXIT_STOPPED)
                finally:
                    bar.finish()
        finally:
            arc.close()
    if report.cancelled:
        kept = report.added + report.changed
        click.echo(f"Stopped; {kept} file{'s' if kept != 1 else ''} kept.")
    click.echo(
        f"{report.added} added, {report.changed} changed, {report.removed} removed, "
        f"{report.unchanged} unchanged, {report.skipped} skipped"
    )
    if report.facts_extracted:
        click.echo(f"Facts extracted from {report.facts_extracted} article{'s' if report.facts_extracted != 1 else ''}.")
        echo_model_hint()
    for note in report.notes:
        click.echo(f"  {note.path}: {note.reason}")
    if report.problems:
        click.echo(f"{len(report.problems)} file{'s' if len(report.problems) != 1 else ''} could not be read:")
        for problem in report.problems:
            click.echo(f"  {problem.path}: {problem.reason}")
    readable = report.added + report.changed + report.unchanged
    if report.cancelled:
        sys.exit(EXIT_STOPPED)
    if report.problems and readable == 0:
        raise click.ClickException(f"No file in {folder} could be read.")
    if not report.problems and readable == 0 and report.removed == 0:
        click.echo(f"No articles found in {folder} (Casefile reads txt, md, html, pdf and docx files).", err=True)
    click.echo(f"Archive: {arc.path}", err=True)
    if report.problems:
        sys.exit(EXIT_SOME_UNREADABLE)


def _rebuild_and_search(arc, err, query: str, **kwargs):
    """The search of a damaged index: say so, rebuild it here, search again."""
    from ..indexing import repair

    click.echo(str(err), err=True)
    with cli_errors():
        repair.rebuild(arc, progress=ProgressLine())
        return arc.search(query, **kwargs)


@click.command("search")
@click.argument("query")
@archive_option
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many hits.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
def search_cmd(query: str, archive_dir: Optional[Path], as_json: bool, limit: int, sort: str) -> None:
    """Search the archive. QUERY: words, "a phrase", AND/OR/NOT, field:value (outlet:, title:...)."""
    with cli_archive(archive_dir) as arc:
        try:
            result = arc.search(query, limit=limit, sort=sort)
        except BadQuery as err:
            click.echo(f"Error: {err}", err=True)
            sys.exit(EXIT_BAD_QUERY)
        except IndexDamaged as err:
            result = _rebuild_and_search(arc, err, query, limit=limit, sort=sort)
    if as_json:
        hits = [
            {"id": h.article_id, "path": h.path, "title": h.title, "outlet": h.outlet,
             "published": h.published, "score": h.score, "snippet": h.snippet}
            for h in result.hits
        ]
        click.echo(json.dumps({"hits": hits}, ensure_ascii=False, indent=2))
        return
    if not result.hits:
        click.echo(f"No articles match {query!r}.")
        return
    tty = _isatty(sys.stdout)
    for n, hit in enumerate(result.hits, 1):
        head = f"{n}. {_source_line(hit.title, hit.outlet, hit.published)}"
        click.echo(click.style(head, bold=True) if tty else head)
        click.echo(f"   [{hit.article_id}] {hit.path}")
        if hit.snippet:
            click.echo(f"   {_snippet(hit.snippet, tty)}")
    shown = len(result.hits)
    click.echo(f"{shown} of {result.total} matching article{'s' if result.total != 1 else ''}.")


@click.command("show")
@click.argument("article")
@archive_option
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
def show_cmd(article: str, archive_dir: Optional[Path], as_json: bool) -> None:
    """Show ARTICLE (an id or a path): its metadata, where each value came from, and its text."""
    with cli_archive(archive_dir) as arc:
        with cli_errors():
            art = arc.article(article)
    if as_json:
        click.echo(json.dumps(_article_json(art, with_text=True), ensure_ascii=False, indent=2))
        return
    click.echo(f"Article {art.id}: {art.path}")
    for name in METADATA_FIELDS:
        value = getattr(art, name)
        source = art.provenance.get(name)
        note = f"  (from {source})" if source and value else ""
        click.echo(f"  {name:<10} {value if value else '—'}{note}")
    boiler = len(art.regions)
    click.echo(
        f"  {art.format}, {len(art.text):,} characters, {art.fact_count} facts, "
        f"{boiler} boilerplate region{'s' if boiler != 1 else ''}"
    )
    if art.facts_note:
        click.echo(f"  note: {art.facts_note}")
    click.echo("")
    click.echo(art.text[: art.body_end].rstrip())
    tail = art.text[art.body_end:].strip()
    if tail:
        click.echo("\n--- page boilerplate after the article ---")
        click.echo(tail)


@click.command("meta")
@click.argument("article")
@archive_option
@click.option("--title", help="The article's title.")
@click.option("--published", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--outlet", help="The outlet (newspaper, agency, site).")
@click.option("--author", help="The author(s); an empty value means none.")
@click.option("--url", help="The article's web address.")
@click.option("--lang", help="Language code (en, ru, ...).")
@click.option("--revert", "revert", multiple=True, type=click.Choice(list(METADATA_FIELDS)),
              help="Drop your correction of this field (repeatable); back to what the file says.")
def meta_cmd(article: str, archive_dir: Optional[Path], revert: tuple[str, ...], **fields) -> None:
    """Correct ARTICLE's metadata (id or path). Corrections survive re-indexing."""
    given = {name: value for name, value in fields.items() if value is not None}
    if not given and not revert:
        raise click.ClickException(
            "Nothing to change: give --title, --published, --outlet, --author, --url, --lang or --revert FIELD."
        )
    with cli_archive(archive_dir) as arc:
        with cli_errors():
            art = arc.article(article, with_text=False)
            if art.fact_count and ({"published", "lang"} & (set(given) | set(revert))):
                # The core re-dates the facts with the new metadata; it takes a moment.
                click.echo("Dating the article's facts again with the new metadata...", err=True)
            if revert:
                art = arc.revert_metadata(art.id, *revert)
            if given:
                art = arc.correct_metadata(art.id, **given)
    click.echo(f"Article {art.id}: {art.path}")
    for name in METADATA_FIELDS:
        value = getattr(art, name)
        source = art.provenance.get(name)
        note = f"  (from {source})" if source and value else ""
        click.echo(f"  {name:<10} {value if value else '—'}{note}")


@click.command("reindex")
@archive_option
def reindex_cmd(archive_dir: Optional[Path]) -> None:
    """Rebuild the search index from the archive's store."""
    bar = ProgressLine()
    with cli_archive(archive_dir, repair=False) as arc:
        with cli_errors():
            try:
                count = arc.reindex(progress=bar)
            finally:
                bar.finish()
    click.echo(f"Search index rebuilt: {count} article{'s' if count != 1 else ''}.")


@click.command("articles")
@archive_option
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--outlet", help="Only articles from this outlet.")
@click.option("--lang", help="Only articles in this language.")
@click.option("--from", "date_from", help="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", help="Published on or before.")
def articles_cmd(archive_dir: Optional[Path], as_json: bool, outlet, lang, date_from, date_to) -> None:
    """List the archive's articles, oldest first."""
    with cli_archive(archive_dir) as arc:
        with cli_errors():
            items = arc.articles(outlet=outlet, lang=lang, date_from=date_from, date_to=date_to)
    if as_json:
        click.echo(json.dumps({"articles": [_article_json(a) for a in items]}, ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("No articles.")
        return
    for a in items:
        click.echo(f"{a.id:>5}  {a.published or '—':<10}  {(a.outlet or '—')[:24]:<24}  "
                   f"{a.title or '(untitled)'}  [{a.relpath}]")
    click.echo(f"{len(items)} article{'s' if len(items) != 1 else ''}.")


@click.command("problems")
@archive_option
def problems_cmd(archive_dir: Optional[Path]) -> None:
    """Files the last indexing runs could not read, and why."""
    with cli_archive(archive_dir) as arc:
        problems = arc.problems()
    if not problems:
        click.echo("No problems: every file was read.")
        return
    for problem in problems:
        click.echo(f"{problem.path}: {problem.reason}")


@click.command("gui")
@click.option("--archive", "archive_dir", type=click.Path(path_type=Path, file_okay=False),
              help="An archive folder, or a folder of articles to open (default: the archive used last).")
def gui_cmd(archive_dir: Optional[Path]) -> None:
    """Open the desktop app (on ARCHIVE, else the archive used last).

    ARCHIVE may also be a folder of articles not indexed yet: the app indexes it.
    """
    target = None
    if archive_dir is not None:
        try:
            target = resolve_archive_dir(archive_dir)
        except click.ClickException:
            if not archive_dir.expanduser().is_dir():
                raise
            target = archive_dir.expanduser()
    argv = [sys.executable, "-m", "desktop"]
    if target is not None:
        argv += ["--archive", str(target)]
    # From a source checkout the app's package sits next to ``archive``.
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    try:
        code = subprocess.call(argv, env=env)
    except OSError as exc:
        raise click.ClickException(f"Cannot start the desktop app: {exc}.") from None
    sys.exit(code)
