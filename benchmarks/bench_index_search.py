"""Index and search speed of Casefile against an SQLite FTS5 yardstick.

    python -m benchmarks.bench_index_search --n 20000 --out DIR

Generates the synthetic corpus (``benchmarks/corpus.py``) in DIR/corpus
unless it is already there, then in one run times:

(a) Casefile indexing the folder through the real pipeline
    (``Archive.open(DIR/archive).index_folder(corpus, facts=False)``),
    noting when a second index object first finds an article (the
    "searchable within seconds" requirement), and with ``--bulk`` also
    the search index's share alone: the same files read straight from disk
    into the session an indexing run writes through
    (``SearchIndex.session(background=True)``, writer processes);
(b) SQLite FTS5 (porter tokenizer) reading the same files into one table
    and committing.

It prints documents per second, index sizes on disk, and the median and p95
latency of ~50 queries of several kinds (words, phrases, boolean,
wildcard, fuzzy, field, date range), each returning the top 20 hits with
snippets, for both engines, and the peak memory (resident set) of this
process and of its largest finished child (the writer processes) after each
phase. Targets: Casefile search p95 under 25 ms; Casefile indexing within
15x of FTS5.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate  # noqa: E402

# A researcher's queries: people, places, topic words, phrases, operators,
# wildcards, typos, fields and dates. (kind, Casefile query, FTS5 MATCH
# expression or None, FTS5 date range or None)
QUERIES = [
    ("word", "deported", "deported", None),
    ("word", "mobilization", "mobilization", None),
    ("word", "extradition", "extradition", None),
    ("word", "asylum", "asylum", None),
    ("word", "verdict", "verdict", None),
    ("word", "treason", "treason", None),
    ("word", "commissariat", "commissariat", None),
    ("word", "Zhilenkov", "Zhilenkov", None),
    ("word", "Petrova", "Petrova", None),
    ("word", "Almaty", "Almaty", None),
    ("word", "Kazan", "Kazan", None),
    ("word", "Interpol", "Interpol", None),
    ("word", "court", "court", None),
    ("word", "said", "said", None),
    ("phrase", '"Maria Petrova"', '"Maria Petrova"', None),
    ("phrase", '"Human Rights Watch"', '"Human Rights Watch"', None),
    ("phrase", '"military commissariat"', '"military commissariat"', None),
    ("phrase", '"Supreme Court"', '"Supreme Court"', None),
    ("phrase", '"faces up to"', '"faces up to"', None),
    ("phrase", '"hunger strike"', '"hunger strike"', None),
    ("phrase", '"foreign agent"', '"foreign agent"', None),
    ("phrase", '"residence permit"', '"residence permit"', None),
    ("boolean", "deported AND Almaty", "deported AND Almaty", None),
    ("boolean", "(detained OR arrested) AND protest", "(detained OR arrested) AND protest", None),
    ("boolean", "extradition NOT Tbilisi", "extradition NOT Tbilisi", None),
    ("boolean", "lawyer AND (appeal OR verdict)", "lawyer AND (appeal OR verdict)", None),
    ("boolean", "Petrova OR Ivanova", "Petrova OR Ivanova", None),
    ("boolean", "desertion AND sentenced NOT acquitted", "desertion AND sentenced NOT acquitted", None),
    ("wildcard", "deport*", "deport*", None),
    ("wildcard", "extradit*", "extradit*", None),
    ("wildcard", "mobiliz*", "mobiliz*", None),
    ("wildcard", "sentenc*", "sentenc*", None),
    ("wildcard", "prosecut*", "prosecut*", None),
    ("wildcard", "Zhilen*", "Zhilen*", None),
    # FTS5 has no fuzzy matching; its stand-in is a prefix query.
    ("fuzzy", "Zhilenkof~", "Zhilenk*", None),
    ("fuzzy", "Kuznetzov~", "Kuzne*", None),
    ("fuzzy", "Beridse~", "Berid*", None),
    ("fuzzy", "Nurlanov~2", "Nurlan*", None),
    ("fuzzy", "extradtion~", "extrad*", None),
    ("field", "title:deported", "title:deported", None),
    ("field", "title:Almaty", "title:Almaty", None),
    ("field", 'title:"Maria Petrova"', 'title:"Maria Petrova"', None),
    ("field", "title:asylum AND lawyer", "title:asylum AND lawyer", None),
    ("field", "path:2022", None, ("2022-01-01", "2022-12-31")),
    ("date", "published:2022-12", None, ("2022-12-01", "2022-12-31")),
    ("date", "published:[2022-01-01 TO 2022-06-30]", None, ("2022-01-01", "2022-06-30")),
    ("date", "published:>=2024-06-01", None, ("2024-06-01", "9999-12-31")),
    ("date", "protest AND published:2022", "protest", ("2022-01-01", "2022-12-31")),
    ("date", "lawyer AND published:[2021-03 TO 2021-05]", "lawyer", ("2021-03-01", "2021-05-31")),
]
ROUNDS = 3
LIMIT = 20


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def peak_memory(phase: str) -> None:
    """Print the peak resident memory so far, of this process and of its largest finished child."""
    # ru_maxrss only grows, so each line is the high-water mark up to that
    # phase; it is in KiB on Linux and bytes on macOS. Children count once
    # they have exited and been waited for (the writer processes have, by the
    # end of index_folder).
    unit = 1 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit
    now = ""
    try:
        # Linux: how much of what is resident now is the process's own memory
        # and how much is index files mapped in (Whoosh reads them with mmap).
        status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
        anon, mapped = (int(status[k].split()[0]) * 1024 for k in ("RssAnon", "RssFile"))
        now = f"; resident now {mb(anon)} own memory + {mb(mapped)} mapped files"
    except (OSError, KeyError, ValueError):
        pass
    print(f"  peak memory after {phase}: this process {mb(own)}, largest child {mb(child)}{now}")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def latency_report(name: str, timings: dict[str, list[float]]) -> tuple[float, float]:
    flat = [t for ts in timings.values() for t in ts]
    med, p95 = statistics.median(flat) * 1000, pct(flat, 0.95) * 1000
    print(f"  {name}: median {med:.1f} ms, p95 {p95:.1f} ms over {len(flat)} searches")
    by_kind: dict[str, list[float]] = {}
    for (kind, *_), ts in zip(QUERIES, timings.values()):
        by_kind.setdefault(kind, []).extend(ts)
    print("    by kind (median/p95): " + ", ".join(
        f"{k} {statistics.median(v) * 1000:.1f}/{pct(v, 0.95) * 1000:.1f}" for k, v in by_kind.items()))
    return med, p95


# ---------------------------------------------------------------- Casefile

def casefile_pipeline(corpus: Path, out: Path) -> tuple[float, Path, float | None]:
    """Index ``corpus`` through the real pipeline; also when the first article became searchable.

    The first-searchable time is seen from a second, read-only index
    object, as the desktop's search panel would see it.
    """
    from archive.archive import Archive
    from archive.search import SearchIndex

    target = out / "archive"
    shutil.rmtree(target, ignore_errors=True)
    watcher = None
    first = None
    last_look = 0.0
    t0 = time.perf_counter()

    def progress(done, total, message):
        nonlocal watcher, first, last_look
        now = time.perf_counter()
        if first is not None or now - last_look < 0.25:
            return
        last_look = now
        if watcher is None:
            watcher = SearchIndex.open(target / "index")
        if watcher.search("said", limit=1).total:
            first = now - t0

    arc = Archive.open(target)
    try:
        report = arc.index_folder(corpus, facts=False, progress=progress)
    finally:
        arc.close()
        if watcher is not None:
            watcher.close()
    elapsed = time.perf_counter() - t0
    print(f"  pipeline report: added {report.added}, problems {len(report.problems)}")
    return elapsed, target, first


def casefile_bulk(paths: list[Path], out: Path) -> tuple[float, Path]:
    """Index ``paths`` through the session an indexing run uses, batch by batch, without the store."""
    from archive.indexing.run import BATCH_FILES
    from archive.search import IndexDoc, SearchIndex

    target = out / "bulk-index"
    shutil.rmtree(target, ignore_errors=True)

    def docs():
        for i, p in enumerate(paths, 1):
            text = p.read_text(encoding="utf-8")
            title, _, body = text.partition("\n")
            yield IndexDoc(i, str(p), title, None, None, "en", p.stem.split("_", 1)[1], body, "")

    t0 = time.perf_counter()
    ix = SearchIndex.open(target)
    session = ix.session(background=True)
    try:
        batch: list = []
        for d in docs():
            batch.append(d)
            if len(batch) >= BATCH_FILES:
                session.add(batch, new=True)
                batch = []
        session.add(batch, new=True)
        session.commit(wait=True)
    finally:
        session.close()
    segments = len(ix.segment_ids())
    ix.close()
    print(f"  bulk segments: {segments}")
    return time.perf_counter() - t0, target


def casefile_search(index_dir: Path) -> dict[str, list[float]]:
    from archive.search import SearchIndex

    ix = SearchIndex.open(index_dir)
    timings: dict[str, list[float]] = {}
    try:
        for _, q, _, _ in QUERIES:
            ix.search(q, limit=LIMIT)  # warm the caches once, as a user session would
        for _ in range(ROUNDS):
            for _, q, _, _ in QUERIES:
                t0 = time.perf_counter()
                res = ix.search(q, limit=LIMIT)
                timings.setdefault(q, []).append(time.perf_counter() - t0)
                assert len(res.hits) <= LIMIT
        counts = {q: ix.search(q, limit=LIMIT).total for _, q, _, _ in QUERIES[:3]}
        print(f"    sample totals: {counts}")
    finally:
        ix.close()
    return timings


def casefile_search_on_worker(index_dir: Path) -> dict[str, list[float]]:
    """``casefile_search`` on a worker thread, where the app runs its searches."""
    import threading

    box: dict = {}
    worker = threading.Thread(target=lambda: box.setdefault("timings", casefile_search(index_dir)))
    worker.start()
    worker.join()
    return box["timings"]


# ---------------------------------------------------------------- FTS5

def fts5_index(paths: list[Path], out: Path) -> tuple[float, Path]:
    db_path = out / "fts5.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, published UNINDEXED, tokenize='porter unicode61')"
    )
    rows = []
    for p in paths:
        text = p.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        rows.append((title, body, p.stem.split("_", 1)[1]))
        if len(rows) >= 1000:
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
            rows = []
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return time.perf_counter() - t0, db_path


def fts5_search(db_path: Path) -> dict[str, list[float]]:
    conn = sqlite3.connect(db_path)
    timings: dict[str, list[float]] = {}

    def run(match, dates):
        if match:
            sql = ("SELECT rowid, title, snippet(docs, 1, '<mark>', '</mark>', '…', 40) FROM docs "
                   "WHERE docs MATCH ?")
            args = [match]
            if dates:
                sql += " AND published BETWEEN ? AND ?"
                args += list(dates)
            sql += " ORDER BY rank LIMIT ?"
            args.append(LIMIT)
            conn.execute(sql, args).fetchall()
            count_sql = "SELECT count(*) FROM docs WHERE docs MATCH ?" + (
                " AND published BETWEEN ? AND ?" if dates else "")
            conn.execute(count_sql, args[:-1]).fetchone()
        else:
            conn.execute("SELECT rowid, title, substr(body, 1, 240) FROM docs WHERE published BETWEEN ? AND ? "
                         "ORDER BY published DESC LIMIT ?", [*dates, LIMIT]).fetchall()
            conn.execute("SELECT count(*) FROM docs WHERE published BETWEEN ? AND ?", list(dates)).fetchone()

    for _, q, match, dates in QUERIES:
        run(match, dates)
    for _ in range(ROUNDS):
        for _, q, match, dates in QUERIES:
            t0 = time.perf_counter()
            run(match, dates)
            timings.setdefault(q, []).append(time.perf_counter() - t0)
    conn.close()
    return timings


def search_only(out: Path) -> None:
    """Time the searches again on the FTS5 table and Casefile index of an earlier run."""
    if not (out / "fts5.db").is_file() or not (out / "archive" / "index").is_dir():
        sys.exit(f"{out} holds no indexes of an earlier run (fts5.db, archive/index); run without --search-only first.")
    from archive.search import SearchIndex

    with SearchIndex.open(out / "archive" / "index") as ix:
        print(f"indexes of an earlier run: {ix.doc_count()} articles")
    peak_memory("opening")
    print(f"\nsearch: {len(QUERIES)} queries x {ROUNDS} rounds, top {LIMIT} with snippets")
    latency_report("FTS5", fts5_search(out / "fts5.db"))
    _, p95 = latency_report("Casefile", casefile_search(out / "archive" / "index"))
    peak_memory("searching")
    print(f"\nCasefile search p95 {p95:.1f} ms (target < 25 ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description="Casefile index/search benchmark against SQLite FTS5.")
    ap.add_argument("--n", type=int, default=20000, help="number of synthetic articles")
    ap.add_argument("--out", type=Path, required=True, help="working folder (corpus, indexes)")
    ap.add_argument("--bulk", action="store_true",
                    help="also time the search index's share alone (its writer-process session, no store)")
    ap.add_argument("--search-only", action="store_true",
                    help="only time the searches, on the indexes an earlier run left in DIR")
    args = ap.parse_args()
    out = args.out.resolve()
    if args.search_only:
        search_only(out)
        return
    corpus = out / "corpus"
    paths = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    if len(paths) != args.n:
        shutil.rmtree(corpus, ignore_errors=True)
        t0 = time.perf_counter()
        paths = generate(args.n, corpus)
        print(f"generated {len(paths)} articles in {time.perf_counter() - t0:.1f} s")
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths[:200]) / min(200, len(paths))
    print(f"corpus: {len(paths)} articles, ~{words:.0f} words each, {mb(folder_size(corpus))}, "
          f"{os.cpu_count()} CPUs")
    peak_memory("reading the corpus")

    print("\nindexing")
    fts_s, fts_db = fts5_index(paths, out)
    print(f"  FTS5:               {fts_s:7.1f} s  {len(paths) / fts_s:8.0f} docs/s  {mb(fts_db.stat().st_size)}")
    peak_memory("FTS5 indexing")
    if args.bulk:
        bulk_s, bulk_dir = casefile_bulk(paths, out)
        print(f"  Casefile bulk:      {bulk_s:7.1f} s  {len(paths) / bulk_s:8.0f} docs/s  "
              f"{mb(folder_size(bulk_dir))}  ({bulk_s / fts_s:.1f}x FTS5)")
        peak_memory("bulk")
    pipe_s, archive_dir, first = casefile_pipeline(corpus, out)
    peak_memory("Casefile indexing")
    # FTS5 again: on a shared machine one timing can be off by a factor of two.
    fts_again, fts_db = fts5_index(paths, out)
    print(f"  FTS5 (again):       {fts_again:7.1f} s  {len(paths) / fts_again:8.0f} docs/s")
    fts_mean = (fts_s + fts_again) / 2
    print(f"  Casefile pipeline:  {pipe_s:7.1f} s  {len(paths) / pipe_s:8.0f} docs/s  "
          f"{mb(folder_size(archive_dir / 'index'))} index, {mb(folder_size(archive_dir))} archive"
          f"  ({pipe_s / fts_mean:.1f}x FTS5's mean {fts_mean:.1f} s, target 15x)")
    print(f"  first article searchable after {first:.1f} s" if first is not None
          else "  (the run ended before a search could see it)")
    from archive.search import SearchIndex
    with SearchIndex.open(archive_dir / "index") as ix:
        print(f"  segments: {len(ix.segment_ids())}")

    print(f"\nsearch: {len(QUERIES)} queries x {ROUNDS} rounds, top {LIMIT} with snippets")
    latency_report("FTS5", fts5_search(fts_db))
    search_dir = archive_dir / "index"
    _, p95 = latency_report("Casefile", casefile_search(search_dir))
    latency_report("Casefile on a worker thread", casefile_search_on_worker(search_dir))
    peak_memory("searching")
    print(f"\nCasefile search p95 {p95:.1f} ms (target < 25 ms)")


if __name__ == "__main__":
    main()
