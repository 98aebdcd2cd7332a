"""Damage archives in every way we know, run the user's commands, count what survived.

For each fault a fresh archive is built (invented articles, a timeline of
events with citations and notes, a metadata correction), closed (so a
snapshot exists), and then damaged: random bytes in search segments, a
truncated or deleted index, torn SQLite pages in each user table, a zeroed
database header, a WAL cut short after a kill -9, events written after the
last snapshot, a full disk (simulated by ENOSPC and SQLite's page limit, and,
when run as root, a real full tmpfs). Then the commands a user would run:
``timeline list``, ``timeline export`` (md, csv, pdf), ``search``, ``check``,
and, when a command says the file is damaged, ``recover``, then the listing
again; a ``backup``/``restore`` round trip for the faults that leave the
file whole.

Per fault it prints the commands' outcomes and:

* **survived**: no command crashed (a traceback, or an unexplained failure),
  and every user-written event, citation and note is there at the end;
* **lost**: what the user wrote that is missing at the end (events, citations
  and notes counted separately).

    python benchmarks/fault_zoo_archive.py [--events 120] [--only seg-random-bytes] [--keep DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import errno
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

WORDS = ("court", "appeal", "border", "detention", "lawyer", "ministry", "protest", "hearing", "witness",
         "prosecutor", "extradition", "release", "airport", "statement", "journalist", "verdict")


# ---------------------------------------------------------------- building

def write_articles(folder: Path, n: int = 40) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(5)
    for i in range(n):
        body = " ".join(rng.choice(WORDS) for _ in range(350))
        (folder / f"report-{i:03}.md").write_text(
            f"---\ntitle: Report {i} on the {WORDS[i % len(WORDS)]}\ndate: 2024-03-{1 + i % 28:02}\n---\n\n"
            f"Report number {i}. {body}.\n", encoding="utf-8")


def add_events(arc, first: int, count: int) -> None:
    from archive.models import Citation, Event
    from archive.timeline import parse_partial_date

    arts = arc.articles()
    for n in range(first, first + count):
        art = arts[n % len(arts)]
        text = arc.article(art.id).text
        start = text.index("Report")
        arc.timelines.add_event(Event(
            None, None, parse_partial_date(f"2024-03-{1 + n % 28:02}"), f"Event {n}",
            description="What the sources say happened, at some length. " * 2, notes=f"working note {n}",
            citations=(Citation(None, art.id, "", text[start:start + 30], start, start + 30),)))


def build(base: Path, events: int) -> Path:
    from archive import Archive

    reports = base / "reports"
    write_articles(reports)
    target = base / "arc"
    with Archive.open(target) as arc:
        arc.index_folder(reports, facts=False)
        add_events(arc, 0, events)
        arc.correct_metadata(arc.articles()[0].id, outlet="Corrected Outlet")
    return target


def user_data(db_path: Path) -> dict[str, set]:
    """What the user wrote, as comparable sets (read from a healthy file)."""
    con = sqlite3.connect(db_path)
    try:
        return {
            "events": {r for r in con.execute("SELECT title, start_value, description FROM events")},
            "citations": {r for r in con.execute(
                "SELECT e.title, c.quote FROM citations c JOIN events e ON e.id = c.event_id")},
            "notes": {r for r in con.execute("SELECT title, notes FROM events WHERE notes != ''")},
            "corrections": {r for r in con.execute("SELECT path, field, value FROM corrections")},
        }
    finally:
        con.close()


# ---------------------------------------------------------------- faults

def _pages(db_path: Path, table: str) -> tuple[list[int], int]:
    con = sqlite3.connect(db_path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = [r[0] for r in con.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", [table])]
        size = con.execute("PRAGMA page_size").fetchone()[0]
    finally:
        con.close()
    return pages, size


def _tear(db_path: Path, table: str, which: int = 1, seed: int = 1) -> None:
    pages, size = _pages(db_path, table)
    page = pages[min(which, len(pages) - 1)]
    with open(db_path, "r+b") as fh:
        fh.seek((page - 1) * size + 8)
        fh.write(random.Random(seed).randbytes(size - 16))


def seg_random_bytes(arc: Path, ctx) -> None:
    rng = random.Random(3)
    for seg in (arc / "index").glob("*.seg"):
        size = seg.stat().st_size
        with open(seg, "r+b") as fh:
            for _ in range(8):
                fh.seek(rng.randrange(size // 4, size - 128))
                fh.write(rng.randbytes(128))


def seg_truncated(arc: Path, ctx) -> None:
    seg = max((arc / "index").glob("*.seg"), key=lambda p: p.stat().st_size)
    with open(seg, "r+b") as fh:
        fh.truncate(seg.stat().st_size // 2)


def index_deleted(arc: Path, ctx) -> None:
    shutil.rmtree(arc / "index")


def toc_deleted(arc: Path, ctx) -> None:
    for toc in (arc / "index").glob("*.toc"):
        toc.unlink()


def torn_events(arc: Path, ctx) -> None:
    _tear(arc / "casefile.db", "events")


def torn_citations(arc: Path, ctx) -> None:
    _tear(arc / "casefile.db", "citations")


def torn_articles(arc: Path, ctx) -> None:
    _tear(arc / "casefile.db", "articles", which=3)


def header_zeroed(arc: Path, ctx) -> None:
    db = arc / "casefile.db"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with open(db, "r+b") as fh:
        fh.write(b"\x00" * 100)


def _late_events_killed(arc: Path, count: int) -> None:
    """Events committed by a process killed with SIGKILL before it closed (no snapshot of them)."""
    code = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
        from archive import Archive
        from fault_zoo_archive import add_events
        arc = Archive.open({str(arc)!r})
        add_events(arc, 10_000, {count})
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    subprocess.run([sys.executable, "-c", code], check=False)


def torn_after_kill(arc: Path, ctx) -> None:
    _late_events_killed(arc, 5)
    ctx["expected"] = user_data_after_checkpoint(arc)
    _tear(arc / "casefile.db", "events")


def user_data_after_checkpoint(arc: Path) -> dict[str, set]:
    return user_data(arc / "casefile.db")


def wal_truncated(arc: Path, ctx) -> None:
    _late_events_killed(arc, 5)
    wal = arc / "casefile.db-wal"
    ctx["expected"] = _user_data_with_wal(arc)
    if wal.exists():
        with open(wal, "r+b") as fh:
            fh.truncate(max(32, wal.stat().st_size * 2 // 3))


def _user_data_with_wal(arc: Path) -> dict[str, set]:
    """What the file and its WAL hold, read from a copy (reading the original would checkpoint it)."""
    tmp = Path(tempfile.mkdtemp(prefix="fz-wal-"))
    try:
        for name in ("casefile.db", "casefile.db-wal"):
            if (arc / name).exists():
                shutil.copyfile(arc / name, tmp / name)
        return user_data(tmp / "casefile.db")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def shm_deleted(arc: Path, ctx) -> None:
    _late_events_killed(arc, 2)
    ctx["expected"] = _user_data_with_wal(arc)
    (arc / "casefile.db-shm").unlink(missing_ok=True)


def snapshot_damaged_and_torn(arc: Path, ctx) -> None:
    from archive.store.snapshot_files import list_snapshots

    for snap in list_snapshots(arc):
        with open(snap, "r+b") as fh:
            fh.seek(0)
            fh.write(b"\x00" * 100)
    _tear(arc / "casefile.db", "events")


def full_disk_patched(arc: Path, ctx) -> None:
    """ENOSPC for every new index file, SQLite at its page limit: nothing can grow."""
    from whoosh.filedb.filestore import FileStorage

    import archive.paths
    import archive.store.db as store_db

    shutil.rmtree(arc / "index")   # opening now wants to rebuild it

    def enospc(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    original_open = store_db.open_db

    def full_open(archive_dir):
        db = original_open(archive_dir)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    saved = (FileStorage.create_file, archive.paths.remember_archive, store_db.open_db)
    FileStorage.create_file = enospc
    archive.paths.remember_archive = enospc
    store_db.open_db = full_open
    import archive.archive as facade
    facade_saved = facade.open_db
    facade.open_db = full_open

    def undo():
        FileStorage.create_file, archive.paths.remember_archive, store_db.open_db = saved
        facade.open_db = facade_saved

    ctx["undo"] = undo
    ctx["write_should_fail"] = True


def full_disk_tmpfs(arc: Path, ctx) -> None:
    """A real full file system: the archive moved onto a small tmpfs, then filled."""
    if os.geteuid() != 0:
        raise _Skip("needs root to mount a tmpfs")
    mnt = Path(tempfile.mkdtemp(prefix="fz-mnt-"))
    size_kb = sum(p.stat().st_size for p in arc.rglob("*") if p.is_file()) // 1024 + 2048
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mnt)]).returncode:
        raise _Skip("mount failed")
    shutil.copytree(arc, mnt / "arc")
    shutil.rmtree(mnt / "arc" / "index")
    with open(mnt / "filler", "wb") as fh:
        with contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
    ctx["archive"] = mnt / "arc"
    def undo():
        subprocess.run(["umount", str(mnt)], check=False)
        with contextlib.suppress(OSError):
            mnt.rmdir()

    ctx["undo"] = undo
    ctx["write_should_fail"] = True


class _Skip(Exception):
    pass


FAULTS = {
    "seg-random-bytes": seg_random_bytes,
    "seg-truncated": seg_truncated,
    "index-deleted": index_deleted,
    "toc-deleted": toc_deleted,
    "sqlite-torn-events-page": torn_events,
    "sqlite-torn-citations-page": torn_citations,
    "sqlite-torn-articles-page": torn_articles,
    "sqlite-header-zeroed": header_zeroed,
    "kill-9-then-torn-page": torn_after_kill,
    "wal-truncated-after-kill-9": wal_truncated,
    "shm-deleted-after-kill-9": shm_deleted,
    "snapshots-damaged-and-torn-page": snapshot_damaged_and_torn,
    "full-disk-simulated": full_disk_patched,
    "full-disk-real-tmpfs": full_disk_tmpfs,
}


# ---------------------------------------------------------------- the user's commands

def cli(*args) -> tuple[int, str, bool]:
    """(exit code, output, crashed): crashed means a traceback instead of a message."""
    from archive.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    out = result.output
    if crashed:
        out += "".join(traceback.format_exception(result.exception))
    return result.exit_code, out, crashed


def run_fault(name: str, fn, events: int, keep: Path | None) -> dict:
    base = Path(tempfile.mkdtemp(prefix=f"fz-{name}-", dir=keep))
    built = build(base, events)
    ctx: dict = {}
    expected = user_data(built / "casefile.db")
    lines, crashes = [], 0
    try:
        fn(built, ctx)
    except _Skip as why:
        shutil.rmtree(base, ignore_errors=True)
        return {"name": name, "skipped": str(why)}
    expected = ctx.get("expected", expected)
    target = ctx.get("archive", built)
    out_dir = base / "out"
    out_dir.mkdir(exist_ok=True)
    damaged = False

    def step(label, *args, must_succeed=False):
        nonlocal crashes, damaged
        code, out, crashed = cli(*args)
        crashes += crashed
        damaged |= "is damaged" in out and "casefile recover" in out
        said = out.strip().splitlines()[-1][:110] if out.strip() else ""
        verdict = "CRASH" if crashed else ("ok" if code == 0 else f"exit {code}")
        lines.append(f"    {label:<22} {verdict:<7} {said}")
        if "delete" in out.lower() and "deleted" not in out.lower():
            lines.append("      !! the message advises deleting")
            crashes += 1
        return code, out

    try:
        step("timeline list", "timeline", "list", "--archive", target)
        for fmt in ("md", "csv", "pdf"):
            step(f"timeline export {fmt}", "timeline", "export", "--archive", target, "-o", out_dir / f"t.{fmt}")
        step("search", "search", "court OR appeal", "--archive", target)
        step("search phrase", "search", '"border detention"', "--archive", target)
        # Long enough that the file must grow (a full disk has no page to spare for it).
        description = ("A long account of what the witness said. " * 2000).strip()
        code, out = step("timeline add", "timeline", "add", "--archive", target, "--date", "2024-05-01",
                         "--title", "Added after the fault", "--description", description)
        if code == 0:
            expected = {**expected, "events": expected["events"] | {
                ("Added after the fault", "2024-05-01", description)}}
        elif ctx.get("write_should_fail") and "Disk full" not in out:
            lines.append("      !! a write on a full disk did not say 'Disk full'")
            crashes += 1
        step("check", "check", "--archive", target)
        if ctx.get("undo"):
            pass
        elif damaged:
            step("recover", "recover", "--archive", target, "--no-facts")
            step("timeline list (after)", "timeline", "list", "--archive", target)
            step("check (after)", "check", "--archive", target)
        else:
            backup = out_dir / "backup.sqlite"
            step("backup", "backup", "--archive", target, "-o", backup)
            step("restore", "restore", "--archive", target, backup)
    finally:
        if ctx.get("undo"):
            final_copy = base / "final"
            shutil.copytree(target, final_copy, dirs_exist_ok=True)
            ctx["undo"]()
            target = final_copy
    # What is there at the end, read from the archive the user now has.
    try:
        found = user_data(target / "casefile.db")
    except sqlite3.DatabaseError as exc:
        found = {k: set() for k in expected}
        lines.append(f"    final read failed: {exc}")
    lost = {k: len(expected[k] - found.get(k, set())) for k in expected}
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return {"name": name, "lines": lines, "crashes": crashes, "lost": lost,
            "survived": crashes == 0 and not any(lost.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=120, help="events in each archive's timeline")
    parser.add_argument("--only", action="append", choices=sorted(FAULTS), help="run only this fault (repeatable)")
    parser.add_argument("--keep", type=Path, default=None, help="build the archives here and keep them")
    parser.add_argument("--verbose", action="store_true", help="print each command's outcome")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="fz-data-")
    os.environ.setdefault("CASEFILE_DATA_DIR", data_dir)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    names = args.only or list(FAULTS)
    results = []
    for name in names:
        res = run_fault(name, FAULTS[name], args.events, args.keep)
        results.append(res)
        if "skipped" in res:
            print(f"{name:<34} skipped ({res['skipped']})")
            continue
        lost = ", ".join(f"{k} {v}" for k, v in res["lost"].items() if v) or "nothing"
        print(f"{name:<34} {'survived' if res['survived'] else 'FAILED':<9} crashes {res['crashes']}  lost: {lost}")
        if args.verbose or not res["survived"]:
            print("\n".join(res["lines"]))
    tried = [r for r in results if "skipped" not in r]
    survived = sum(r["survived"] for r in tried)
    lost_events = sum(r["lost"]["events"] for r in tried)
    lost_citations = sum(r["lost"]["citations"] for r in tried)
    lost_notes = sum(r["lost"]["notes"] for r in tried)
    shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\ntried {len(tried)}  survived {survived}  lost events {lost_events}, citations "
          f"{lost_citations}, notes {lost_notes}  (faults with a loss: "
          f"{sum(any(r['lost'].values()) for r in tried)})")


if __name__ == "__main__":
    main()
