"""Files that used to stop or stall an indexing run: odd names, pipes, devices,
links, folders that cannot be listed. Every test makes the real bad file."""
from __future__ import annotations

import json
import os
import sys
import threading

import pytest

from archive import Archive, CancelToken
from archive.cli import main as cli_main
from archive.errors import Cancelled, ReadError
from archive.ingest import safe_read

GOOD = "Court upholds deportation order\n\nAn appeals court in Velgrad upheld the order on Wednesday.\n"
POSIX_BYTES = sys.platform.startswith("linux")


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "reports"
    path.mkdir()
    (path / "good.txt").write_text(GOOD, encoding="utf-8")
    return path


def index(folder, **kw):
    with Archive.open(folder / ".casefile") as arc:
        report = arc.index_folder(folder, facts=False, **kw)
        return report, sorted(a.relpath for a in arc.articles()), {p.path: p.reason for p in arc.problems()}


def run_in_thread(fn, timeout=30.0):
    """``fn()`` in a thread; fails the test (instead of hanging it) if it does not finish."""
    out: dict = {}

    def target():
        try:
            out["result"] = fn()
        except BaseException as err:  # handed to the test
            out["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"still running after {timeout} s"
    if "error" in out:
        raise out["error"]
    return out["result"]


@pytest.mark.skipif(not POSIX_BYTES, reason="file names are bytes only on Linux")
def test_a_name_that_is_not_utf8_is_indexed_and_shown_escaped(folder, capsys):
    raw = os.fsencode(str(folder)) + b"/caf\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write(b"Second report\n\nThe ministry in Lyon said on Friday it would appeal.\n")
    report, articles, problems = index(folder)
    assert report.problems == [] and report.added == 2
    assert articles == ["caf\\xe9.txt", "good.txt"]
    with Archive.open(folder / ".casefile") as arc:
        art = arc.article("caf\\xe9.txt")
        assert art.path == str(folder) + "/caf\\xe9.txt"
        assert "appeal" in art.text
        assert arc.search("Lyon").total == 1
        notes = json.loads(arc.db.execute("SELECT notes FROM articles WHERE id = ?", [art.id]).fetchone()[0])
        # The exact name is kept: it round-trips to the bytes on disk.
        assert os.fsencode(safe_read.path_from_raw(notes["raw_path"])) == raw
    again, _articles, _problems = index(folder)
    assert (again.added, again.removed, again.unchanged) == (0, 0, 2)
    # The command line prints it without a UnicodeEncodeError.
    assert cli_main(["show", "caf\\xe9.txt", "--archive", str(folder)], standalone_mode=False) is None
    assert "caf\\xe9.txt" in capsys.readouterr().out


@pytest.mark.skipif(not POSIX_BYTES, reason="file names are bytes only on Linux")
def test_a_name_clashing_with_an_escaped_name_is_reported(folder):
    with open(os.fsencode(str(folder)) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(b"One report about Lyon.\n")
    (folder / "caf\\xe9.txt").write_text("Another report about Lyon.\n", encoding="utf-8")
    report, articles, problems = index(folder)
    assert "caf\\xe9.txt" in articles and "good.txt" in articles
    assert any("rename one" in reason for reason in problems.values())


def test_a_named_pipe_does_not_hang_the_run(folder):
    os.mkfifo(folder / "pipe.txt")
    report, articles, problems = run_in_thread(lambda: index(folder))
    assert articles == ["good.txt"]
    assert "named pipe" in problems[str(folder / "pipe.txt")]


def test_a_link_to_a_device_does_not_hang_the_run(folder):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    os.symlink("/dev/zero", folder / "zero.txt")
    report, articles, problems = run_in_thread(lambda: index(folder))
    assert articles == ["good.txt"]
    assert "device" in problems[str(folder / "zero.txt")]


def test_a_file_over_the_limit_is_not_read_at_all(folder, monkeypatch):
    big = folder / "dump.txt"
    with open(big, "wb") as fh:
        fh.truncate(64 * 1024 * 1024)   # sparse: 64 MiB on paper, nothing on disk
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: (opened.append(os.fspath(p)), real_open(p, *a, **k))[1])
    report, articles, problems = index(folder)
    assert "too large" in problems[str(big)] and articles == ["good.txt"]
    assert str(big) not in opened


def test_hashing_checks_cancel_between_chunks(tmp_path):
    path = tmp_path / "long.txt"
    path.write_bytes(b"word " * 800_000)   # 4 MB: several chunks

    class CancelAtSecondChunk(CancelToken):
        checks = 0

        def check(self):
            self.checks += 1
            if self.checks == 2:
                self.cancel()   # as Ctrl-C does, while the file is being read
            super().check()

    token = CancelAtSecondChunk()
    with pytest.raises(Cancelled):
        safe_read.stat_and_hash(path, cancel=token)
    assert token.checks == 2


def test_hash_refuses_what_grew_past_the_limit(tmp_path):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(ReadError) as info:
        safe_read.stat_and_hash(path, limit=4096)
    assert "too large" in info.value.reason


def test_broken_links_are_reported_and_kept_as_problems(folder, capsys):
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    report, articles, problems = index(folder)
    reported = {p.path: p.reason for p in report.problems}
    assert "does not exist" in reported[str(folder / "dangling.txt")]
    assert "loop" in reported[str(folder / "loop-a.txt")]
    # What the run reported is what `casefile problems` lists, now and after the next run.
    assert problems == reported
    _report, _articles, problems_again = index(folder)
    assert problems_again == reported
    cli_main(["problems", "--archive", str(folder)], standalone_mode=False)
    out = capsys.readouterr().out
    assert "dangling.txt: the link points to" in out and "loop-b.txt: the link leads round" in out
    # Fixed links stop being problems.
    for name in ("dangling.txt", "loop-a.txt", "loop-b.txt"):
        os.unlink(folder / name)
    _report, _articles, problems_fixed = index(folder)
    assert problems_fixed == {}


def _refuse_listing(monkeypatch, locked):
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_that_cannot_be_listed_is_reported_and_its_articles_kept(folder, monkeypatch):
    sub = folder / "interviews"
    sub.mkdir()
    (sub / "inner.txt").write_text("Interview\n\nThe lawyer said on Monday the hearing was delayed.\n")
    first, articles, _problems = index(folder)
    assert articles == ["good.txt", "interviews/inner.txt"]
    _refuse_listing(monkeypatch, sub)
    report, articles, problems = index(folder)
    assert report.removed == 0 and articles == ["good.txt", "interviews/inner.txt"]
    assert "permission denied" in problems[str(sub)] and "kept" in problems[str(sub)]
    assert [p.path for p in report.problems] == [str(sub)]
    monkeypatch.undo()
    fixed, articles, problems = index(folder)
    assert problems == {} and fixed.unchanged == 2


def test_an_unreadable_top_folder_removes_nothing(folder, monkeypatch):
    index(folder)
    _refuse_listing(monkeypatch, folder)
    report, articles, problems = index(folder)
    assert report.removed == 0 and articles == ["good.txt"]
    assert str(folder) in problems


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root lists folders whatever their permissions")
def test_a_folder_without_permissions(folder):
    sub = folder / "locked"
    sub.mkdir()
    (sub / "inner.txt").write_text("Locked away\n\nA report about the court on Friday.\n")
    index(folder)
    sub.chmod(0)
    try:
        report, articles, problems = index(folder)
        assert report.removed == 0 and "locked/inner.txt" in articles
        assert "permission denied" in problems[str(sub)]
    finally:
        sub.chmod(0o755)


def test_index_exit_codes_say_whether_every_file_was_read(folder):
    from click.testing import CliRunner

    runner = CliRunner()
    all_read = runner.invoke(cli_main, ["index", str(folder), "--no-facts"])
    assert all_read.exit_code == 0, all_read.output
    for i in range(35):
        (folder / f"broken{i:02d}.pdf").write_bytes(b"%PDF-1.4 truncated")
    some = runner.invoke(cli_main, ["index", str(folder), "--no-facts"])
    assert some.exit_code == 3, some.output
    assert "35 files could not be read:" in some.output and "Traceback" not in some.output
    (folder / "good.txt").unlink()
    none = runner.invoke(cli_main, ["index", str(folder), "--no-facts"])
    assert none.exit_code == 1 and "could be read" in none.output
    helptext = runner.invoke(cli_main, ["index", "--help"]).output
    assert "Exit codes:" in helptext and "3    done, but some files could not be read" in helptext
    assert "130  stopped by Ctrl-C" in helptext
