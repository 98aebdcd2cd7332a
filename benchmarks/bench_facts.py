"""Speed of the full fact extractor, single process: words per second.

    python -m benchmarks.bench_facts [--n 200] [--seeds FOLDER]

Runs :func:`archive.facts.extract` (dates, NER, linking, quantities, legal
steps, quotes) on the synthetic corpus of ``benchmarks/corpus.py`` and on the
seed reports (``../shared/seeds`` next to the repository, or ``--seeds``).
Model loading is timed apart and not counted. Besides the wall-clock rate
it prints words per CPU second, the fairer figure on a machine other work
is loading (``uptime``).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from archive.facts import FactInput, extract, warm_up
from archive.ingest import read_article


def _inputs(paths: list[Path]) -> tuple[list[FactInput], int]:
    docs, words = [], 0
    for p in paths:
        art = read_article(p)
        docs.append(FactInput(art.text, art.body_end, art.regions, art.published, art.lang, art.title, key=str(p)))
        words += len(art.text[:art.body_end].split())
    return docs, words


def _measure(label: str, docs: list[FactInput], words: int, repeat: int = 1) -> float:
    start, cpu_start = time.perf_counter(), time.process_time()
    facts = 0
    for _ in range(repeat):
        facts = sum(len(r) for r in extract(docs))
    secs, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rate = words * repeat / secs
    # CPU time says what the extractor costs when other programs share the
    # machine (wall-clock rates then drop; the extractor runs in one thread).
    print(f"{label}: {len(docs)} articles, {words * repeat} words in {secs:.2f} s -> {rate:,.0f} words/s "
          f"({words * repeat / cpu:,.0f} words per CPU second; {facts} facts per pass)")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="synthetic articles (default 200)")
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "seeds")
    args = parser.parse_args()

    start = time.perf_counter()
    warm_up()
    print(f"model and lexicon loading: {time.perf_counter() - start:.2f} s")

    from benchmarks.corpus import generate

    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(args.n, Path(tmp))
        docs, words = _inputs(sorted(paths))
        _measure("synthetic corpus", docs, words)
    if args.seeds.is_dir():
        docs, words = _inputs(sorted(p for p in args.seeds.iterdir() if p.is_file()))
        _measure("seed reports", docs, words, repeat=5)
    else:
        print(f"seed reports: not found at {args.seeds}")


if __name__ == "__main__":
    main()
