"""Speed of the full fact extractor, single process: words per second.

    python -m benchmarks.bench_facts [--n 200] [--seeds FOLDER] [--rounds 3]

Runs :func:`archive.facts.extract` (dates, NER, linking, quantities, legal
steps, quotes) on the synthetic corpus of ``benchmarks/corpus.py`` and on the
seed reports (``../shared/seeds`` next to the repository, or ``--seeds``).
Model loading is timed apart and not counted. Besides the wall-clock rate
it prints words per CPU second, the fairer figure on a machine other work
is loading (``uptime``).

Then, in the same run, it weighs the NER step driver
(``archive/facts/ner_steps.py``, which leans on spaCy internals) against
spaCy's own loop (``nlp.pipe``, the path the driver falls back to): both on
the same inputs, alternated ``--rounds`` times so the spread shows the noise,
for the whole extractor and for the entity recogniser alone, and prints the
ratio of the best rounds and whether the entities were the same.
"""
from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from pathlib import Path
from typing import Iterator

from archive.facts import FactInput, extract, warm_up
from archive.facts import ner_steps
from archive.facts.name_windows import name_windows
from archive.facts.pipeline import _NER_BATCH, ENGLISH_NER
from archive.facts.sentences import Sentences, body_segments
from archive.facts.spacy_model import load_spacy, single_blas_thread
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


@contextlib.contextmanager
def _ner_loop(driver: bool) -> Iterator[None]:
    """Run the block with the step driver on or off (off: ``ner_pipe`` uses ``nlp.pipe``).

    ``ner_pipe`` asks ``steps_supported`` each call; answering for it is the
    same switch the driver's own self-check throws when spaCy's internals
    differ, so "off" is exactly the product's fallback path.
    """
    real = ner_steps.steps_supported
    ner_steps.steps_supported = (lambda nlp: real(nlp)) if driver else (lambda nlp: False)
    try:
        yield
    finally:
        ner_steps.steps_supported = real


def _ner_texts(docs: list[FactInput]) -> tuple[list[str], int]:
    """What :func:`extract` hands the entity recogniser: the name windows of English sentences.

    (Approximately: the extractor also cuts very long articles and skips
    Russian ones by their guessed language.)
    """
    texts = []
    for d in docs:
        if (d.lang or "en").lower()[:2] == "ru":
            continue
        sents = Sentences.of(d.text, body_segments(d.text, d.body_end, d.regions))
        texts.extend(d.text[s:e] for a, b in sents.spans for s, e in name_windows(d.text, a, b))
    return texts, sum(len(t.split()) for t in texts)


def _one_round(docs, words, texts, driver: bool, repeat: int) -> tuple[tuple[float, float], tuple[float, float], tuple]:
    """(wall, CPU) words/s of the extractor, the same of NER alone, and what both found."""
    def timed(run) -> tuple[tuple[float, float], object]:
        start, cpu = time.perf_counter(), time.process_time()
        out = run()
        return (words * repeat / (time.perf_counter() - start), words * repeat / (time.process_time() - cpu)), out

    nlp = load_spacy()

    def ner_only():
        with single_blas_thread():
            return tuple(tuple((e.start_char, e.end_char, e.label_) for e in doc.ents)
                         for _ in range(repeat) for doc in ner_steps.ner_pipe(nlp, texts, batch_size=_NER_BATCH))

    with _ner_loop(driver):
        full, results = timed(lambda: [extract(docs) for _ in range(repeat)][-1])
        ner, ents = timed(ner_only)
    # The facts themselves, to show the two loops find the same things.
    found = tuple(tuple(sorted(repr(f) for f in r)) for r in results)
    return full, ner, (found, ents)


def compare_loops(label: str, docs: list[FactInput], words: int, rounds: int, repeat: int = 1) -> tuple[float, float, float]:
    """Print driver vs spaCy's loop for the extractor and for NER alone, alternated ``rounds`` times.

    Both rates are words of article text per second, so the NER-alone rate
    says how fast the extractor would be if NER were all it did.
    """
    texts, window_words = _ner_texts(docs)
    rates: dict[bool, list[list]] = {True: [[], []], False: [[], []]}
    outputs: dict[bool, tuple] = {}
    for r in range(rounds):
        # Alternate which goes first, so a slow spell on the shared machine
        # does not always fall on the same side.
        for driver in ((True, False) if r % 2 == 0 else (False, True)):
            full, ner, out = _one_round(docs, words, texts, driver, repeat)
            rates[driver][0].append(full)
            rates[driver][1].append(ner)
            outputs.setdefault(driver, out)
    print(f"{label}: NER step driver vs spaCy's own loop, {rounds} alternated rounds of {words * repeat:,} words "
          f"(NER reads {window_words * repeat:,} of them, in {len(texts) * repeat:,} name windows)")
    for part, idx in (("whole extractor", 0), ("NER alone      ", 1)):
        drv = [wall for wall, _ in rates[True][idx]]
        own = [wall for wall, _ in rates[False][idx]]
        cpu_ratio = max(c for _, c in rates[True][idx]) / max(c for _, c in rates[False][idx])
        print(f"  {part}  driver {', '.join(f'{x:,.0f}' for x in drv)} words/s | "
              f"spaCy loop {', '.join(f'{x:,.0f}' for x in own)} words/s | "
              f"driver/spaCy: best {max(drv) / max(own):.2f}x, worst {min(drv) / min(own):.2f}x, "
              f"per CPU second {cpu_ratio:.2f}x")
    same = outputs[True] == outputs[False]
    print(f"  same facts and entities with both loops: {'yes' if same else 'NO'}")
    drv, own = ([wall for wall, _ in rates[side][0]] for side in (True, False))
    # The rounds' spread on either side: how far one timing can be off.
    noise = max((max(v) - min(v)) / max(v) for v in (drv, own))
    return min(drv) / max(own), max(drv) / min(own), noise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="synthetic articles (default 200)")
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "seeds")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternated rounds of driver vs spaCy's loop (default 3; 0 skips the comparison)")
    args = parser.parse_args()

    start = time.perf_counter()
    warm_up()
    print(f"model and lexicon loading: {time.perf_counter() - start:.2f} s")
    if ENGLISH_NER:
        print(f"NER step driver usable with this spaCy: {ner_steps.steps_supported(load_spacy())}")

    from benchmarks.corpus import generate

    seeds = None
    if args.seeds.is_dir():
        seeds = _inputs(sorted(p for p in args.seeds.iterdir() if p.is_file()))
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(args.n, Path(tmp))
        synthetic = _inputs(sorted(paths))
    _measure("synthetic corpus", *synthetic)
    if seeds is not None:
        _measure("seed reports", *seeds, repeat=5)
    else:
        print(f"seed reports: not found at {args.seeds}")

    if args.rounds <= 0 or not ENGLISH_NER or not ner_steps.steps_supported(load_spacy()):
        if args.rounds > 0:
            print("driver vs spaCy's loop: not compared (the driver is not in use here)")
        return
    print()
    results = [("synthetic corpus", compare_loops("synthetic corpus", *synthetic, rounds=args.rounds))]
    if seeds is not None:
        results.append(("seed reports", compare_loops("seed reports", *seeds, rounds=args.rounds, repeat=5)))
    print()
    for label, (low, high, noise) in results:
        # Worst driver round against best spaCy round: the least the driver can be said to gain.
        verdict = ("the driver pays" if low > 1 + noise else
                   "the driver does not pay" if high < 1 + noise else "within the noise")
        print(f"conclusion, {label}: whole extractor {low:.2f}x-{high:.2f}x faster with the driver "
              f"(worst vs best round each way; rounds spread {noise:.0%}): {verdict}")


if __name__ == "__main__":
    main()
