"""Speed of the case analysis (events and conflicts) against fact extraction alone.

    python -m benchmarks.bench_case --n 20000 --out /some/scratch/folder [--touch 50]

1. Generates the synthetic archive of ``benchmarks/corpus.py`` (reused when
   ``OUT/corpus`` already holds N articles) and indexes it without facts
   (not timed).
2. Times fact extraction of the whole archive (``extract_pending_facts``),
   then the full case analysis (``arc.case.analyse``: every article's claims,
   MinHash signatures, then the cross-source grouping, independence and
   conflicts), and prints their ratio. Target: facts + case analysis within
   2x the time of fact extraction alone (the case analysis costs at most as
   much as the facts).
3. Changes ``--touch`` articles (a sentence appended), re-indexes, and times
   the incremental analysis: only the touched articles are read again; the
   cross-source step runs over the stored claims of all.
"""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from archive import Archive


def _corpus(out: Path, n: int) -> Path:
    from benchmarks.corpus import generate

    folder = out / "corpus"
    if not folder.is_dir() or len(list(folder.glob("*.txt"))) != n:
        shutil.rmtree(folder, ignore_errors=True)
        start = time.perf_counter()
        generate(n, folder)
        print(f"corpus: {n} articles written in {time.perf_counter() - start:.1f} s")
    else:
        print(f"corpus: reusing {n} articles in {folder}")
    return folder


def _timed(label: str, fn):
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    secs, cpu_secs = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label}: {secs:.2f} s ({cpu_secs:.2f} CPU s)")
    return result, secs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="synthetic articles (default 2000)")
    parser.add_argument("--out", type=Path, required=True, help="scratch folder (corpus and archive)")
    parser.add_argument("--touch", type=int, default=50, help="articles changed before the incremental run")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = _corpus(args.out, args.n)
    archive_dir = args.out / "archive"
    shutil.rmtree(archive_dir, ignore_errors=True)

    from archive.facts import warm_up

    warm_up()
    with Archive.open(archive_dir) as arc:
        _timed("indexing without facts (not compared)", lambda: arc.index_folder(corpus, facts=False))
        _, facts_secs = _timed("fact extraction", arc.extract_pending_facts)
        report, case_secs = _timed("case analysis, full", arc.case.analyse)
        print(f"  {report['articles']} articles, {report['events']} suggested events, "
              f"{report['conflicts']} conflicts, {report['copies']} articles in near-duplicate groups")
        multi = sum(1 for e in arc.case.events(min_sources=2))
        print(f"  {multi} events reported by two or more articles")
        ratio = (facts_secs + case_secs) / facts_secs
        print(f"facts + case analysis = {ratio:.2f}x fact extraction alone "
              f"(case analysis {case_secs / facts_secs:.2f}x facts); target <= 2x: "
              f"{'met' if ratio <= 2 else 'NOT met'}")

        touched = sorted(corpus.glob("*.txt"))[:: max(1, args.n // max(1, args.touch))][: args.touch]
        for p in touched:
            with open(p, "a", encoding="utf-8") as fh:
                fh.write("\nThe court ruled on the appeal the next day, a lawyer said.\n")
        _timed(f"re-index of {len(touched)} changed articles (search index and store)",
               lambda: arc.index_folder(corpus, facts=False))
        _, inc_facts = _timed("fact extraction of the changed articles", arc.extract_pending_facts)
        report, inc_secs = _timed("case analysis, incremental", arc.case.analyse)
        print(f"  re-read {report['analysed']} of {report['articles']} articles "
              f"({inc_secs / case_secs:.2f}x the full analysis)")
        ratio = (inc_facts + inc_secs) / inc_facts
        print(f"after the re-index: facts + case analysis = {ratio:.2f}x fact extraction of the changed "
              f"articles alone; target <= 2x: {'met' if ratio <= 2 else 'NOT met'} (the cross-source step "
              f"runs over every article's stored claims, so its share grows with the archive)")


if __name__ == "__main__":
    main()
