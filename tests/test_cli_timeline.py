"""``casefile timeline``: add (with a refused quote), list, show, edit, remove, export, import."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from archive import Archive
from archive.cli import main
from test_timeline_helpers import passage


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("cli") / "arc"
    with Archive.open(folder) as arc:
        arc.index_folder(seeds_dir, facts=False)
        articles = {a.path: a for a in arc.articles()}
        texts = {p: arc.article(a.id).text for p, a in articles.items()}
    return folder, articles, texts


def run(*args, ok=True):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_add_list_show_edit_remove(indexed, tmp_path):
    folder, articles, texts = indexed
    path = sorted(articles)[0]
    quote, _ = passage(texts[path], "Astana", 50)
    tl = ["--archive", folder, "--timeline", "CLI case"]

    out = run("timeline", "add", *tl, "--date", "2022-12-06", "--title", "Arrest in Astana",
              "--tag", "arrest", "--certainty", "confirmed", "--note", "from the CLI",
              "--cite", articles[path].id, "--quote", quote)
    event_id = int(out.output.strip())

    # A quote the article does not contain is refused, with a clear one-line message.
    refused = run("timeline", "add", *tl, "--date", "2022-12-07", "--title", "Invented",
                  "--cite", path, "--quote", "a sentence no reporter ever wrote", ok=False)
    assert refused.exit_code == 1
    assert "Error: The quote “a sentence no reporter ever wrote” does not occur in" in refused.output
    assert "Traceback" not in refused.output

    bad_date = run("timeline", "add", *tl, "--date", "6 Dec", "--title", "X", ok=False)
    assert bad_date.exit_code == 1 and "is not a date" in bad_date.output

    run("timeline", "add", *tl, "--date", "~2022-09", "--end", "2022-10", "--title", "Leaves the country")
    listing = run("timeline", "list", *tl).output.splitlines()
    assert "c. Sep 2022 – Oct 2022" in listing[0] and "Leaves the country" in listing[0]
    assert listing[1].lstrip().startswith(str(event_id)) and "confirmed" in listing[1] and "(1 cited)" in listing[1]
    empty = run("timeline", "list", "--archive", folder, "--tag", "no-such-tag")
    assert "No events." in empty.output

    shown = run("timeline", "show", "--archive", folder, event_id).output
    assert "Arrest in Astana" in shown and "6 Dec 2022" in shown and "#" not in shown.splitlines()[0]
    assert " ".join(quote.split())[:40] in " ".join(shown.split()) and "from the CLI" in shown

    run("timeline", "edit", "--archive", folder, event_id, "--title", "Arrest at the airport",
        "--certainty", "disputed")
    shown = run("timeline", "show", "--archive", folder, event_id).output
    assert "Arrest at the airport" in shown and "disputed" in shown and "Citation" in shown

    removed = run("timeline", "remove", "--archive", folder, event_id)
    assert "Removed event" in removed.output
    missing = run("timeline", "show", "--archive", folder, event_id, ok=False)
    assert missing.exit_code == 1 and f"no event with id {event_id}" in missing.output


def test_export_and_import_round_trip(indexed, tmp_path):
    folder, articles, texts = indexed
    paths = sorted(articles)
    tl = ["--archive", folder, "--timeline", "Export case"]
    for n, word in enumerate(("Zhilin", "Kazakhstan", "Armenia")):
        quote, _ = passage(texts[paths[n]], word, 60)
        run("timeline", "add", *tl, "--date", f"2022-12-{n + 6:02d}", "--title", f"Step {n}",
            "--person", "Mikhail Zhilin", "--cite", paths[n], "--quote", quote)

    for fmt in ("csv", "pdf", "json", "md"):
        out = run("timeline", "export", *tl, "--format", fmt, "-o", tmp_path / f"t.{fmt}")
        assert "Wrote 3 events" in out.output and (tmp_path / f"t.{fmt}").stat().st_size > 0
    assert "Step 2" in " ".join(p.extract_text() for p in PdfReader(tmp_path / "t.pdf").pages)
    assert [e["text"]["headline"] for e in json.loads((tmp_path / "t.json").read_text())["events"]] == [
        "Step 0", "Step 1", "Step 2"]
    # The format follows the file's extension when --format is not given.
    run("timeline", "export", *tl, "-o", tmp_path / "auto.md")
    assert (tmp_path / "auto.md").read_text(encoding="utf-8").startswith("# Export case")

    imported = run("timeline", "import", "--archive", folder, "--timeline", "Copy", tmp_path / "t.csv")
    assert "Imported 3 events into “Copy”" in imported.output
    run("timeline", "export", "--archive", folder, "--timeline", "Copy", "-o", tmp_path / "copy.csv")
    assert (tmp_path / "copy.csv").read_bytes() == (tmp_path / "t.csv").read_bytes()

    timelines = run("timeline", "timelines", "--archive", folder).output
    assert "Copy  (3 events)" in timelines and "Export case  (3 events)" in timelines


def test_cli_errors_are_one_line(indexed, tmp_path):
    folder, _, _ = indexed
    bad = tmp_path / "bad.csv"
    bad.write_text("start,title\r\n2022-02-30,Impossible\r\n", encoding="utf-8")
    out = run("timeline", "import", "--archive", folder, bad, ok=False)
    assert out.exit_code == 1 and f"{bad}: row 2: start:" in out.output and "February 2022 has 28 days" in out.output
    out = run("timeline", "export", "--archive", folder, "-o", tmp_path / "t.docx", ok=False)
    assert out.exit_code == 2 and "add --format" in out.output
    out = run("timeline", "list", "--archive", tmp_path / "nowhere", ok=False)
    assert out.exit_code == 1 and "There is no archive at" in out.output
    out = run("timeline", "list", "--archive", folder, "--timeline", "Unknown case", ok=False)
    assert "There is no timeline named “Unknown case”" in out.output


def test_export_without_notes(indexed, tmp_path):
    folder, articles, texts = indexed
    path = sorted(articles)[1]
    quote, _ = passage(texts[path], "Kazakhstan", 40)
    tl = ["--archive", folder, "--timeline", "Notes case"]
    run("timeline", "add", *tl, "--date", "2022-12-06", "--title", "With a note", "--note", "call the lawyer",
        "--cite", path, "--quote", quote)
    run("timeline", "export", *tl, "-o", tmp_path / "with.md")
    run("timeline", "export", *tl, "--no-notes", "-o", tmp_path / "without.md")
    assert "call the lawyer" in (tmp_path / "with.md").read_text(encoding="utf-8")
    without = (tmp_path / "without.md").read_text(encoding="utf-8")
    assert "call the lawyer" not in without and "With a note" in without and "## Sources" in without
