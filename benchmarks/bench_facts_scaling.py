"""How fact extraction time grows with article size: one single-line article per size.

    python -m benchmarks.bench_facts_scaling [--sizes 0.25,0.5,1,2,5] [--timeout 600] [--limit N] [--no-stops]

A pasted transcript or a page saved without line breaks is one huge line:
no paragraphs, few sentence breaks the splitter trusts. The text is the
synthetic corpus of ``benchmarks/corpus.py`` (names, places, dates, numbers,
legal steps) with every line break replaced by a space, cut to each size in
MB (10^6 characters). Each size runs :func:`archive.facts.extract` once in a
child process (so a size that stalls is stopped at ``--timeout``) and
prints the seconds, the seconds per MB and how many characters the
extractor covered (it limits each article, ``FACT_TEXT_LIMIT``; ``--limit``
sets another limit, to see how the rules themselves scale). ``--no-stops``
also removes full stops, question and exclamation marks: one sentence.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import tempfile
import time
from pathlib import Path


def _text(chars: int, no_stops: bool = False) -> str:
    from benchmarks.corpus import generate

    with tempfile.TemporaryDirectory() as tmp:
        # ~4,000 characters per synthetic article.
        paths = sorted(generate(max(1, chars // 3500 + 1), Path(tmp)))
        parts, size = [], 0
        for p in paths:
            part = " ".join(p.read_text(encoding="utf-8").split())
            if no_stops:
                part = part.translate({ord("."): None, ord("?"): None, ord("!"): None})
            parts.append(part)
            size += len(part) + 1
            if size >= chars:
                break
    text = " ".join(parts)
    while len(text) < chars:  # never in practice: the corpus is made big enough
        text = text + " " + text
    return text[:chars]


def _run(chars: int, limit, no_stops: bool, queue) -> None:
    from archive.facts import FactInput, extract, pipeline, warm_up

    if limit:
        pipeline.FACT_TEXT_LIMIT = limit
    warm_up()
    text = _text(chars, no_stops)
    start, cpu = time.perf_counter(), time.process_time()
    facts = extract([FactInput(text, len(text), (), "2022-12-14", "en", None, key="one-line")])[0]
    queue.put((time.perf_counter() - start, time.process_time() - cpu, len(facts), min(len(text), pipeline.FACT_TEXT_LIMIT)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,0.5,1,2,5", help="sizes in MB (10^6 characters), comma-separated")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a size counts as stalled")
    parser.add_argument("--limit", type=int, default=0, help="characters read per article (default: FACT_TEXT_LIMIT)")
    parser.add_argument("--no-stops", action="store_true", help="no sentence-ending punctuation: one huge sentence")
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    print(f"{'size MB':>8} {'seconds':>9} {'CPU s':>8} {'s per MB':>9} {'facts':>7} {'chars covered':>14}")
    for size in (float(s) for s in args.sizes.split(",")):
        chars = int(size * 1_000_000)
        queue = ctx.Queue()
        proc = ctx.Process(target=_run, args=(chars, args.limit, args.no_stops, queue))
        proc.start()
        proc.join(args.timeout)
        if proc.is_alive():
            proc.terminate()
            proc.join()
            print(f"{size:>8g} {'> ' + format(args.timeout, 'g'):>9}  stalled (stopped)")
            continue
        if queue.empty():
            print(f"{size:>8g}  failed (exit code {proc.exitcode})")
            continue
        secs, cpu, facts, covered = queue.get()
        print(f"{size:>8g} {secs:>9.2f} {cpu:>8.2f} {secs / size:>9.2f} {facts:>7} {covered:>14,}")


if __name__ == "__main__":
    main()
