"""How long merge suggestions take on archives with many entities.

Builds made-up entities (people in Latin and Cyrillic letters, organisations
with acronyms, places) and prints the seconds ``suggest()`` takes for each
size, with the number of suggestions. The app computes suggestions after
every review action, so on a laptop they should stay well under a second
for a few thousand entities.

    python benchmarks/bench_entity_review.py [--sizes 500 2000 5000]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.case.merge_suggestions import suggest  # noqa: E402
from archive.models import Entity  # noqa: E402

_SYLLABLES = ["ka", "ri", "mo", "vel", "dan", "sor", "li", "te", "bran", "nik", "ost", "ra", "gre", "hal", "vard"]
_CYR = {"ka": "ка", "ri": "ри", "mo": "мо", "vel": "вель", "dan": "дан", "sor": "сор", "li": "ли", "te": "те",
        "bran": "бран", "nik": "ник", "ost": "ост", "ra": "ра", "gre": "гре", "hal": "халь", "vard": "вард"}
_WORDS = ["National", "Border", "Service", "Court", "Ministry", "Agency", "Bureau", "Council", "Union", "Office"]


def _word(rng: random.Random) -> list[str]:
    return [rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))]


def entities(n: int, seed: int = 7) -> list[Entity]:
    rng = random.Random(seed)
    out: list[Entity] = []
    for i in range(n):
        kind = rng.choice(("person", "person", "org", "place"))
        if kind == "person":
            first, last = _word(rng), _word(rng)
            if rng.random() < 0.15:
                name = " ".join("".join(_CYR[s] for s in w).capitalize() for w in (first, last))
            else:
                name = " ".join("".join(w).capitalize() for w in (first, last))
        elif kind == "org":
            words = [rng.choice(_WORDS) for _ in range(rng.randint(2, 4))]
            name = "".join(w[0] for w in words) if rng.random() < 0.2 else " ".join(words)
        else:
            name = "".join(_word(rng)).capitalize()
        out.append(Entity(id=i + 1, kind=kind, name=name, article_count=rng.randint(1, 30)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    args = parser.parse_args()
    suggest(entities(50))  # loads the lexicons and the gazetteer once
    print(f"{'entities':>9} {'seconds':>8} {'suggestions':>12}")
    for n in args.sizes:
        made = entities(n)
        start = time.perf_counter()
        found = suggest(made)
        print(f"{n:>9} {time.perf_counter() - start:>8.2f} {len(found):>12}")


if __name__ == "__main__":
    main()
