"""The article commands of ``casefile``, through click's CliRunner."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess

import pytest
from click.testing import CliRunner

from archive.indexing import run
import archive.ingest as ingest
from archive import paths
from archive.cli import main


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def src(tmp_path, seeds_dir):
    folder = tmp_path / "reports"
    shutil.copytree(seeds_dir, folder)
    (folder / "broken.pdf").write_bytes(b"not a pdf at all")
    (folder / "notes.xyz").write_text("unsupported")
    return folder


@pytest.fixture
def indexed(runner, src):
    result = runner.invoke(main, ["index", str(src), "--no-facts"])
    assert result.exit_code == 3, result.output   # broken.pdf could not be read
    return src


def one_line_error(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_index_summary_problems_and_rerun(runner, src):
    result = runner.invoke(main, ["index", str(src), "--no-facts"])
    assert result.exit_code == 3, result.output   # some files (broken.pdf) could not be read
    assert "4 added, 0 changed, 0 removed, 0 unchanged, 1 skipped" in result.stdout
    assert f"{src / 'broken.pdf'}: " in result.stdout
    assert (src / ".casefile" / "casefile.db").is_file()
    again = runner.invoke(main, ["index", str(src), "--no-facts"])
    assert "0 added, 0 changed, 0 removed, 4 unchanged, 1 skipped" in again.stdout


def test_index_with_facts(runner, src):
    result = runner.invoke(main, ["index", str(src)])
    assert result.exit_code == 3, result.output
    assert "Facts extracted from 4 articles." in result.stdout


def test_index_fails_only_when_nothing_could_be_read(runner, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.pdf").write_bytes(b"garbage")
    (bad / "b.docx").write_bytes(b"garbage")
    result = runner.invoke(main, ["index", str(bad)])
    assert result.exit_code == 1
    assert "No file in" in result.output and "could be read" in result.output
    assert "a.pdf: " in result.output and "b.docx: " in result.output
    assert "Traceback" not in result.output


def test_index_missing_folder(runner, tmp_path):
    result = runner.invoke(main, ["index", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "does not exist" in one_line_error(result)


def test_index_into_named_archive(runner, src, tmp_path):
    result = runner.invoke(main, ["index", str(src), "--archive", str(tmp_path / "elsewhere"), "--no-facts"])
    assert result.exit_code == 3, result.output   # broken.pdf
    assert (tmp_path / "elsewhere" / "casefile.db").is_file()
    assert not (src / ".casefile").exists()


def test_search_text_and_json(runner, indexed):
    result = runner.invoke(main, ["search", "extradition", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "[extradition]" in result.stdout.lower()          # not a tty: brackets, no HTML
    assert "<mark>" not in result.stdout
    assert str(indexed) in result.stdout
    data = json.loads(runner.invoke(main, ["search", "extradition", "--json"]).stdout)
    assert set(data) == {"hits"} and data["hits"]
    for hit in data["hits"]:
        assert set(hit) == {"id", "path", "title", "outlet", "published", "score", "snippet"}
        assert isinstance(hit["id"], int) and isinstance(hit["score"], float)
    dated = json.loads(runner.invoke(main, ["search", "Zhilin", "--json", "--sort", "date"]).stdout)
    assert len(dated["hits"]) >= 2
    assert len(json.loads(runner.invoke(main, ["search", "Zhilin", "--json", "--limit", "1"]).stdout)["hits"]) == 1


def test_malformed_query_is_one_line_exit_2(runner, indexed):
    result = runner.invoke(main, ["search", '"unclosed phrase'])
    assert result.exit_code == 2
    assert one_line_error(result).startswith("Error: ")


def test_show_text_and_json(runner, indexed):
    result = runner.invoke(main, ["show", "1"])
    assert result.exit_code == 0, result.output
    assert "Article 1:" in result.stdout and "title" in result.stdout
    data = json.loads(runner.invoke(main, ["show", "1", "--json"]).stdout)
    assert set(data) == {"id", "path", "title", "published", "outlet", "author", "url", "lang",
                         "body_end", "regions", "provenance", "text"}
    assert data["text"] and 0 < data["body_end"] <= len(data["text"])
    by_path = json.loads(runner.invoke(main, ["show", data["path"], "--json"]).stdout)
    assert by_path["id"] == data["id"]
    missing = runner.invoke(main, ["show", "999"])
    assert missing.exit_code == 1 and "999" in one_line_error(missing)


def test_meta_corrections_survive_reindexing(runner, indexed):
    result = runner.invoke(main, ["meta", "1", "--published", "2022-12-29", "--outlet", "Test Wire"])
    assert result.exit_code == 0, result.output
    assert "2022-12-29  (from user)" in result.stdout
    runner.invoke(main, ["index", str(indexed), "--no-facts"])
    (indexed / ".casefile" / "index").rename(indexed / ".casefile" / "index-gone")
    data = json.loads(runner.invoke(main, ["show", "1", "--json"]).stdout)
    assert (data["published"], data["outlet"]) == ("2022-12-29", "Test Wire")
    assert data["provenance"]["published"] == "user"
    hits = json.loads(runner.invoke(main, ["search", "outlet:\"Test Wire\"", "--json"]).stdout)["hits"]
    assert [h["id"] for h in hits] == [1]
    reverted = runner.invoke(main, ["meta", "1", "--revert", "outlet"])
    assert reverted.exit_code == 0 and "Test Wire" not in reverted.stdout


@pytest.mark.parametrize("args", [["--published", "29.12.2022"], ["--published", "2022-02-30"],
                                  ["--lang", "english language"], []])
def test_meta_bad_values_are_one_line(runner, indexed, args):
    result = runner.invoke(main, ["meta", "1", *args])
    assert result.exit_code == 1
    assert one_line_error(result).startswith("Error: ")


def test_articles_problems_reindex(runner, indexed):
    listing = runner.invoke(main, ["articles"])
    assert listing.exit_code == 0 and "4 articles." in listing.stdout
    data = json.loads(runner.invoke(main, ["articles", "--json"]).stdout)
    assert len(data["articles"]) == 4
    assert {"id", "path", "title", "published", "outlet", "fact_count"} <= set(data["articles"][0])
    problems = runner.invoke(main, ["problems"])
    assert problems.stdout.startswith(str(indexed / "broken.pdf") + ": ")
    rebuilt = runner.invoke(main, ["reindex"])
    assert rebuilt.exit_code == 0 and "4 articles" in rebuilt.stdout
    bad = runner.invoke(main, ["articles", "--from", "yesterday"])
    assert bad.exit_code == 1 and "YYYY" in one_line_error(bad)


def test_unknown_archive_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["search", "x", "--archive", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "There is no archive" in one_line_error(result)
    assert not (tmp_path / "none").exists()


def test_folder_stands_for_its_archive(runner, indexed, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFILE_DATA_DIR", str(tmp_path / "fresh-data"))   # forget the last archive
    result = runner.invoke(main, ["articles", "--archive", str(indexed)])
    assert result.exit_code == 0 and "4 articles." in result.stdout


def test_demo_archive_on_first_use(runner, demo_dir):
    result = runner.invoke(main, ["articles"])
    assert result.exit_code == 0, result.output
    assert "demo" in result.stderr
    assert paths.demo_archive_dir().is_dir()
    assert not (demo_dir / ".casefile").exists()
    count = len(json.loads(runner.invoke(main, ["articles", "--json"]).stdout)["articles"])
    assert count >= 5
    again = runner.invoke(main, ["articles"])
    assert "demo" not in again.stderr


def test_ctrl_c_stops_cleanly_keeping_whole_batches(runner, tmp_path, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(9):
        (folder / f"n{i}.txt").write_text(f"Note {i}\n\nA short report about the granary number {i}.\n")
    monkeypatch.setattr(run, "BATCH_FILES", 2)
    real = ingest.read_article
    calls = []

    def read(path):
        calls.append(path)
        if len(calls) == 5:
            os.kill(os.getpid(), signal.SIGINT)       # what the terminal sends on Ctrl-C
        return real(path)

    monkeypatch.setattr(ingest, "read_article", read)
    result = runner.invoke(main, ["index", str(folder), "--no-facts"])
    assert result.exit_code == 130, result.output
    assert "Stopped; 4 files kept" in result.stdout
    assert "Traceback" not in result.output
    monkeypatch.setattr(ingest, "read_article", real)
    rest = runner.invoke(main, ["index", str(folder), "--no-facts"])
    assert "5 added, 0 changed, 0 removed, 4 unchanged" in rest.stdout


def test_forced_interrupt_is_not_a_traceback(runner, tmp_path, monkeypatch):
    folder = tmp_path / "few"
    folder.mkdir()
    (folder / "a.txt").write_text("A\n\nSome text.\n")

    def read(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "read_article", read)
    result = runner.invoke(main, ["index", str(folder), "--no-facts"])
    assert result.exit_code == 130
    assert "Stopped" in result.output and "Traceback" not in result.output


def test_gui_runs_the_desktop_module(runner, indexed, monkeypatch):
    seen = []

    def call(argv, **kwargs):
        seen.append(argv)
        return 0

    monkeypatch.setattr(subprocess, "call", call)
    result = runner.invoke(main, ["gui", "--archive", str(indexed)])
    assert result.exit_code == 0, result.output
    argv = seen[0]
    assert argv[1:3] == ["-m", "desktop"]
    assert argv[3:] == ["--archive", str(indexed / ".casefile")]


def test_gui_accepts_a_folder_of_articles_not_indexed_yet(runner, tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(subprocess, "call", lambda argv, **kw: seen.append(argv) or 0)
    folder = tmp_path / "fresh"
    folder.mkdir()
    assert runner.invoke(main, ["gui", "--archive", str(folder)]).exit_code == 0
    assert seen[0][3:] == ["--archive", str(folder)]
    assert runner.invoke(main, ["gui"]).exit_code == 0
    assert seen[1][1:] == ["-m", "desktop"]


def test_progress_line_draws_on_a_terminal_only():
    import io

    from archive.cli.articles import ProgressLine

    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet = io.StringIO()
    line = ProgressLine(quiet)
    line(1, 4, "Reading a.txt")
    assert quiet.getvalue() == ""
    tty = Tty()
    line = ProgressLine(tty, min_interval=0)
    line(1, 4, "Reading a.txt")
    line(1, 4, "Reading a.txt")                 # unchanged: not redrawn
    line(4, 4, "Extracting facts")
    out = tty.getvalue()
    assert out.count("\r") == 2 and "1/4 Reading a.txt" in out and "[" + "#" * 24 + "] 4/4" in out
    line.finish()
    assert tty.getvalue().endswith("\r")


def test_a_command_after_a_crash_rebuilds_the_stale_index_first(runner, indexed):
    from archive import Archive
    from archive.store.meta import set_meta

    # What a crash between the store and the index leaves behind.
    with Archive.open(indexed / ".casefile") as arc:
        arc.search_index.clear()
        set_meta(arc.db, "index_pending", "1")
    result = runner.invoke(main, ["search", "Zhilin", "--archive", str(indexed)])
    assert result.exit_code == 0, result.output
    assert "stopped while it was writing the search index" in result.stderr and "Rebuilding" in result.stderr
    assert "Zhilin" in result.stdout
    with Archive.open(indexed / ".casefile") as arc:
        assert not arc.index_stale and arc.search_index.doc_count() == 4
    quiet = runner.invoke(main, ["search", "Zhilin", "--archive", str(indexed)])
    assert "Rebuilding" not in quiet.stderr


def test_reindex_on_a_stale_index_rebuilds_it_once(runner, indexed):
    from archive import Archive
    from archive.store.meta import set_meta

    with Archive.open(indexed / ".casefile") as arc:
        arc.search_index.clear()
        set_meta(arc.db, "index_pending", "1")
    result = runner.invoke(main, ["reindex", "--archive", str(indexed / ".casefile")])
    assert result.exit_code == 0, result.output
    # reindex opens the archive without the stale-index repair of the other commands.
    assert "Rebuilding it now" not in result.stderr and "4 articles" in result.stdout
    with Archive.open(indexed / ".casefile") as arc:
        assert not arc.index_stale and arc.search_index.doc_count() == 4
