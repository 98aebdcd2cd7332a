"""A damaged archive, made by the test: random bytes in search segments, torn SQLite pages, a full disk.

Each test damages real files of a real archive in tmp_path (or, for the full
disk, makes SQLite or the OS report ENOSPC) and then runs what a user runs.
"""
from __future__ import annotations

import errno
import os
import random
import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.indexing import repair
from archive.cli import main
from archive.models import Citation, Event
from archive.search.damage import MARKER, IndexDamaged
from archive.store import snapshot_files, snapshots
from archive.store.health import DAMAGED_MARK, DiskFull, StoreDamaged
from archive.timeline import parse_partial_date

# Invented reports, written for these tests.
WORDS = ("court", "appeal", "border", "detention", "lawyer", "ministry", "protest", "hearing", "witness",
         "prosecutor", "extradition", "release", "airport", "statement", "journalist", "verdict")


def _articles(folder, n=40):
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    for i in range(n):
        body = " ".join(rng.choice(WORDS) for _ in range(400))
        (folder / f"report-{i:03}.md").write_text(
            f"---\ntitle: Report {i} on the {WORDS[i % len(WORDS)]}\ndate: 2024-03-{1 + i % 28:02}\n---\n\n"
            f"Report number {i}. {body}.\n", encoding="utf-8")


def _event(arc, n, quote_word="Report"):
    art = arc.articles()[n % len(arc.articles())]
    text = arc.article(art.id).text
    start = text.index(quote_word)
    return Event(None, None, parse_partial_date(f"2024-03-{1 + n % 28:02}"), f"Event {n}: what happened",
                 description="A description long enough to fill pages. " * 3, notes=f"note {n}",
                 citations=(Citation(None, art.id, "", text[start:start + 40], start, start + 40),))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def built(tmp_path):
    folder = tmp_path / "reports"
    _articles(folder)
    target = tmp_path / "arc"
    with Archive.open(target) as arc:
        arc.index_folder(folder, facts=False)
    return folder, target


# ---------------------------------------------------------------- search segments

QUERIES = ["court", "appeal OR verdict", '"border detention"', "witness AND lawyer", "extra*", "journalst~",
           "title:hearing", "published:[2024-03-01 TO 2024-03-15]", "release NOT airport"]


def _damage_segments(index_dir, seed):
    rng = random.Random(seed)
    for seg in sorted(index_dir.glob("*.seg")):
        size = seg.stat().st_size
        with open(seg, "r+b") as fh:
            for _ in range(6):
                fh.seek(rng.randrange(size // 4, size - 128))
                fh.write(rng.randbytes(128))


def test_random_bytes_in_a_segment_mark_the_index_and_it_is_rebuilt(built):
    folder, target = built
    with Archive.open(target) as arc:
        expected = {q: arc.search(q, limit=100).total for q in QUERIES}
    damaged_seen = None
    for seed in range(30):
        _damage_segments(target / "index", seed)
        arc = Archive.open(target)
        try:
            for q in QUERIES:
                for sort in ("relevance", "date"):
                    try:
                        arc.search(q, limit=100, sort=sort)
                    except IndexDamaged as err:
                        damaged_seen = err
                        break
                if damaged_seen:
                    break
        finally:
            arc.close()
        if damaged_seen:
            break
    assert damaged_seen is not None, "random bytes in every segment should break some search"
    assert "damaged and is being rebuilt" in str(damaged_seen)
    assert (target / "index" / MARKER).is_file()
    con = sqlite3.connect(target / "casefile.db")
    assert con.execute("SELECT value FROM meta WHERE key = 'index_pending'").fetchone() == ("1",)
    con.close()
    # The next open reports it stale (the CLI and the app then rebuild it from
    # the store): every search gives what it gave before.
    with Archive.open(target) as arc:
        assert not (target / "index" / MARKER).exists()
        assert arc.index_stale
        arc.reindex()
        assert {q: arc.search(q, limit=100).total for q in QUERIES} == expected


def _answer(result) -> tuple[list[int], str]:
    """The article ids a CLI search printed (sorted: ties may change order in a rebuilt index) and its last line."""
    lines = result.stdout.strip().splitlines()
    return sorted(int(n) for n in re.findall(r"^   \[(\d+)\] ", result.stdout, re.M)), lines[-1] if lines else ""


def test_cli_search_on_a_damaged_index_says_so_rebuilds_and_answers(built):
    folder, target = built
    before = {}
    for q in QUERIES:
        result = run("search", q, "--archive", target, "--limit", "100")
        assert result.exit_code == 0, result.output
        before[q] = _answer(result)
    # Most of them find articles ("release NOT airport" finds none: every report says airport).
    assert sum("matching article" in line for _, line in before.values()) >= len(QUERIES) - 1
    answered = None
    # The segment's layout differs from run to run (its name, the paths it
    # stores), so one seed's bytes may miss what the queries read, or be met
    # first by any of them: damage again until a search meets it.
    for seed in range(3, 33):
        _damage_segments(target / "index", seed)
        for q in QUERIES:
            result = run("search", q, "--archive", target, "--limit", "100")
            assert result.exit_code == 0, result.output
            assert "Traceback" not in result.output
            if "damaged and is being rebuilt" in result.output:
                answered = q, result
                break
        if answered is not None:
            break
    assert answered is not None, "the damage should reach one of the searches"
    q, result = answered
    # Rebuilt, it answers as the undamaged index did.
    assert _answer(result) == before[q], result.output
    assert not (target / "index" / MARKER).exists()


def test_check_reads_every_segment_and_reports_damage(built):
    folder, target = built
    assert run("check", "--archive", target).exit_code == 0
    _damage_segments(target / "index", 11)
    result = run("check", "--archive", target)
    assert result.exit_code == 1, result.output
    assert "The search index does not match the store" in result.output and "segment" in result.output
    con = sqlite3.connect(target / "casefile.db")
    assert con.execute("SELECT value FROM meta WHERE key = 'index_pending'").fetchone() == ("1",)
    con.close()
    again = run("check", "--archive", target)   # opening rebuilt the index
    assert again.exit_code == 0 and "No problems found." in again.output, again.output


# ---------------------------------------------------------------- snapshots, backup, restore

def test_snapshots_after_changes_debounced_and_rotated(built, tmp_path):
    folder, target = built
    clock = [1000.0]
    arc = Archive.open(target)
    keeper = snapshots.SnapshotKeeper(arc.db, arc.path, interval=60, keep=3, clock=lambda: clock[0])
    snapshots.register_commit_hook(arc.db.conn, keeper.committed)
    arc._snapshots = keeper
    arc.timelines.add_event(_event(arc, 1))
    assert len(snapshot_files.list_snapshots(target)) == 1, "the first change after opening is saved at once"
    clock[0] += 30
    arc.timelines.add_event(_event(arc, 2))
    assert len(snapshot_files.list_snapshots(target)) == 1, "a change within the minute waits"
    for n in range(3, 8):
        clock[0] += 61
        arc.timelines.add_event(_event(arc, n))
    assert len(snapshot_files.list_snapshots(target)) == 3, "only the newest are kept"
    arc.timelines.add_event(_event(arc, 99))
    arc.close()   # closing writes what the debounce held back
    newest = snapshot_files.latest_snapshot(target)
    con = sqlite3.connect(newest)
    titles = {r[0] for r in con.execute("SELECT title FROM events")}
    con.close()
    assert "Event 99: what happened" in titles and len(titles) == 8
    # Opening and closing without a change writes nothing new.
    before = snapshot_files.list_snapshots(target)
    with Archive.open(target) as arc:
        arc.timelines.events()
    assert snapshot_files.list_snapshots(target) == before


def test_backup_and_restore_put_the_timeline_back(built, tmp_path):
    folder, target = built
    with Archive.open(target) as arc:
        for n in range(5):
            arc.timelines.add_event(_event(arc, n))
        arc.correct_metadata(arc.articles()[0].id, outlet="Corrected Outlet")
    out = run("backup", "--archive", target, "-o", tmp_path / "case.sqlite")
    assert out.exit_code == 0 and "Saved 5 events" in out.output, out.output
    with Archive.open(target) as arc:
        for ev in arc.timelines.events()[:3]:
            arc.timelines.remove_event(ev.id)
        assert len(arc.timelines.events()) == 2
        arc.revert_metadata(_first_corrected(arc))
        assert not any(a.outlet == "Corrected Outlet" for a in arc.articles())
    result = run("restore", "--archive", target, tmp_path / "case.sqlite")
    assert result.exit_code == 0, result.output
    assert "Restored 5 events, 5 citations and 1 metadata correction" in result.output
    with Archive.open(target) as arc:
        assert any(a.outlet == "Corrected Outlet" for a in arc.articles()), "the correction shows again"
        events = arc.timelines.events()
        assert len(events) == 5 and all(c.status == "ok" and c.article_id for e in events for c in e.citations)
        for e in events:
            text = arc.article(e.citations[0].article_id).text
            c = e.citations[0]
            assert text[c.start:c.end] == c.quote
    # Restoring into a fresh archive over the same folder re-anchors by path.
    fresh = tmp_path / "fresh"
    with Archive.open(fresh) as arc:
        arc.index_folder(folder, facts=False)
        report = arc.restore(tmp_path / "case.sqlite")
        assert report.counts["events"] == 5 and report.missing == 0
        assert all(c.article_id for e in arc.timelines.events() for c in e.citations)


def _first_corrected(arc):
    return next(a.id for a in arc.articles() if a.outlet == "Corrected Outlet")


def test_restore_refuses_a_file_that_is_not_a_backup(built, tmp_path):
    folder, target = built
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(b"this is not a database at all" * 100)
    result = run("restore", "--archive", target, bogus)
    assert result.exit_code == 1 and "not a Casefile backup" in result.output


# ---------------------------------------------------------------- torn SQLite pages

def _events_leaf_pages(db_path):
    con = sqlite3.connect(db_path)
    try:
        rows = con.execute("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' "
                           "ORDER BY pageno").fetchall()
        size = con.execute("PRAGMA page_size").fetchone()[0]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the events' pages")
    finally:
        con.close()
    return [r[0] for r in rows], size


def _tear_page(db_path, page, size, seed=1):
    with open(db_path, "r+b") as fh:
        fh.seek((page - 1) * size + 8)
        fh.write(random.Random(seed).randbytes(size - 16))


def test_torn_events_page_refuses_writes_and_recover_loses_nothing(built, tmp_path):
    folder, target = built
    with Archive.open(target) as arc:
        for n in range(150):
            arc.timelines.add_event(_event(arc, n))
    # Written after the last snapshot, and not snapshotted (as after a kill -9): only the file has them.
    arc = Archive.open(target)
    arc._snapshots.snapshot = lambda force=False: None
    late = [arc.timelines.add_event(_event(arc, 1000 + n)).id for n in range(3)]
    arc.close()
    con = sqlite3.connect(target / "casefile.db")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    pages, size = _events_leaf_pages(target / "casefile.db")
    assert len(pages) > 4
    _tear_page(target / "casefile.db", pages[1], size)

    listing = run("timeline", "list", "--archive", target)
    assert listing.exit_code == 1 and "Traceback" not in listing.output
    assert "is damaged" in listing.output and "casefile recover" in listing.output
    assert "delete" not in listing.output.lower() and "snapshot-" in listing.output
    added = run("timeline", "add", "--archive", target, "--date", "2024-04-01", "--title", "New")
    assert added.exit_code == 1 and "is damaged" in added.output and "not saved" in added.output
    assert (target / DAMAGED_MARK).is_file()
    checked = run("check", "--archive", target)
    assert checked.exit_code == 1 and "The archive file is damaged" in checked.output

    recovered = run("recover", "--archive", target, "--no-facts")
    assert recovered.exit_code == 0, recovered.output
    assert "more from the snapshot" in recovered.output and "Indexed 40 articles" in recovered.output
    assert any(p.name.startswith("casefile.db.damaged-") for p in target.iterdir()), "the damaged file is kept"
    with Archive.open(target) as arc:
        events = arc.timelines.events()
        titles = {e.title for e in events}
        assert {f"Event {n}: what happened" for n in range(150)} <= titles
        assert {f"Event {1000 + n}: what happened" for n in range(3)} <= titles
        assert all(c.article_id and c.status == "ok" for e in events for c in e.citations)
        assert all(e.notes.startswith("note ") for e in events)
        assert len(late) == 3
    assert run("timeline", "list", "--archive", target).exit_code == 0
    assert run("check", "--archive", target).exit_code == 0


def test_unreadable_database_file_message_never_says_delete(built):
    folder, target = built
    with open(target / "casefile.db", "r+b") as fh:
        fh.write(b"\x00" * 100)     # the header: "file is not a database"
    result = run("timeline", "list", "--archive", target)
    assert result.exit_code == 1 and "is damaged" in result.output and "casefile recover" in result.output
    assert "delete" not in result.output.lower()
    with pytest.raises(StoreDamaged):
        Archive.open(target)


# ---------------------------------------------------------------- a full disk

def test_full_disk_write_fails_with_one_line_and_keeps_what_was_there(built):
    folder, target = built
    with Archive.open(target) as arc:
        first = arc.timelines.add_event(_event(arc, 1))
        pages = arc.db.execute("PRAGMA page_count").fetchone()[0]
        # SQLite's own limit makes it report SQLITE_FULL exactly as on a full disk.
        arc.db.execute(f"PRAGMA max_page_count = {pages}")
        big = _event(arc, 2)
        big = Event(None, None, big.start, "Too big", description="x" * 200_000)
        with pytest.raises(DiskFull) as err:
            arc.timelines.add_event(big)
        assert str(err.value).startswith("Disk full: the change was not saved.")
        assert [e.id for e in arc.timelines.events()] == [first.id]


def _full_disk_for_files(monkeypatch):
    """Every new file of the search index (and the 'last archive' note) fails with ENOSPC."""
    from whoosh.filedb.filestore import FileStorage

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(FileStorage, "create_file", full)
    monkeypatch.setattr("archive.paths.remember_archive", full)


def test_full_disk_reading_and_exporting_work(built, tmp_path, monkeypatch):
    folder, target = built
    with Archive.open(target) as arc:
        arc.timelines.add_event(_event(arc, 1))
    shutil.rmtree(target / "index")   # opening now wants to rebuild the index
    _full_disk_for_files(monkeypatch)
    listing = run("timeline", "list", "--archive", target)
    assert listing.exit_code == 0, listing.output
    assert "Event 1: what happened" in listing.output
    exported = run("timeline", "export", "--archive", target, "-o", tmp_path / "t.md")
    assert exported.exit_code == 0 and (tmp_path / "t.md").read_text(encoding="utf-8").count("Event 1") == 1
    with Archive.open(target) as arc:   # opening never rebuilds; the index stays stale
        assert arc.index_stale
        repair.rebuild_or_report(arc)
        assert arc.index_problem and arc.index_problem.startswith("Disk full:")
        assert len(arc.timelines.events()) == 1
    monkeypatch.undo()
    with Archive.open(target) as arc:   # with space again, the stale index is rebuilt
        assert arc.index_stale
        arc.reindex()
        assert arc.search("court").total > 0


def test_really_full_disk_reads_exports_and_refuses_writes(built, tmp_path):
    """A real full file system (a tmpfs, filled): needs root, skipped where mounting is not allowed."""
    import subprocess

    folder, target = built
    with Archive.open(target) as arc:
        arc.timelines.add_event(_event(arc, 1))
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)],
                                           capture_output=True).returncode:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        shutil.copytree(target, mnt / "arc")
        shutil.rmtree(mnt / "arc" / "index")
        with open(mnt / "filler", "wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        listing = run("timeline", "list", "--archive", mnt / "arc")
        assert listing.exit_code == 0 and "Event 1: what happened" in listing.output, listing.output
        exported = run("timeline", "export", "--archive", mnt / "arc", "-o", tmp_path / "t.csv")
        assert exported.exit_code == 0 and "Event 1" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
        added = run("timeline", "add", "--archive", mnt / "arc", "--date", "2024-04-01", "--title", "New",
                    "--description", "words " * 50_000)
        assert added.exit_code == 1 and "Disk full:" in added.output and "not saved" in added.output
        # One line says the change failed; before it the CLI may say that the
        # stale index could not be rebuilt either (the disk is still full).
        errors = [line for line in added.output.strip().splitlines() if line.startswith("Error:")]
        assert "Traceback" not in added.output and len(errors) == 1 and "not saved" in errors[0]
        searched = run("search", "court", "--archive", mnt / "arc")
        assert searched.exit_code == 1 and "Disk full" in searched.output
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
