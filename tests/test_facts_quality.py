"""Extraction quality against the annotator's gold files.

Each gold file lists, per article, facts as exact words + occurrence + value.
The whole folder is extracted as one case context. A predicted fact matches a
gold fact of the same kind when their spans overlap (each used once); a match
is right-valued when the values agree (dates exactly, names
case-insensitively, legal keys exactly).

Nationality adjectives ("Kazakh authorities") are not places and the gold
files do not annotate them; one extracted as a place counts against the
precision. Quantities and quotes have no gold and are not scored here.

Thresholds are set a little under what was measured, so a regression fails.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.facts import FactInput, extract

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
KINDS = ("date", "person", "org", "place", "legal")


def _read(folder: Path, name: str):
    from archive.ingest import read_article

    return read_article(folder / name)


def _locate(text: str, words: str, occurrence: int):
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(words, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(words)


def _same_value(kind: str, a: str, b: str) -> bool:
    if kind in ("person", "org", "place"):
        return a.strip().casefold() == b.strip().casefold()
    return a == b


def score(folder: Path, gold_file: Path, *, as_ingested: bool = False) -> dict:
    """Scores per kind. ``as_ingested`` feeds the publication dates ingest found
    (a year-less dateline as ``published_partial``) instead of the annotator's."""
    gold = json.loads(gold_file.read_text(encoding="utf-8"))["articles"]
    parsed = [_read(folder, a["file"]) for a in gold]
    if as_ingested:
        inputs = [FactInput(p.text, p.body_end, p.regions, p.published, p.lang, p.title, key=a["file"],
                            published_partial=p.notes.get("published_partial"))
                  for p, a in zip(parsed, gold)]
    else:
        inputs = [FactInput(p.text, p.body_end, p.regions, a.get("published"), p.lang, p.title, key=a["file"])
                  for p, a in zip(parsed, gold)]
    results = extract(inputs)
    stats = {k: {"tp": 0, "fp": 0, "fn": 0, "ok": 0, "misses": [], "wrong": []} for k in KINDS}
    for art, p, facts in zip(gold, parsed, results):
        for kind in KINDS:
            st = stats[kind]
            preds = [f for f in facts if f.kind == kind]
            used = set()
            for g in (g for g in art["facts"] if g["kind"] == kind):
                span = _locate(p.text, g["text"], g.get("occurrence", 0))
                hit = None
                if span:
                    for i, f in enumerate(preds):
                        if i not in used and f.start < span[1] and span[0] < f.end:
                            hit = i
                            break
                if hit is None:
                    st["fn"] += 1
                    st["misses"].append((art["file"], g["text"], g["value"]))
                    continue
                used.add(hit)
                st["tp"] += 1
                if _same_value(kind, preds[hit].value, g["value"]):
                    st["ok"] += 1
                else:
                    st["wrong"].append((art["file"], g["text"], g["value"], preds[hit].value))
            st["fp"] += len(preds) - len(used)
    out = {}
    for kind, st in stats.items():
        p = st["tp"] / (st["tp"] + st["fp"]) if st["tp"] + st["fp"] else 0.0
        r = st["tp"] / (st["tp"] + st["fn"]) if st["tp"] + st["fn"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        pv = st["ok"] / (st["tp"] + st["fp"]) if st["tp"] + st["fp"] else 0.0
        rv = st["ok"] / (st["tp"] + st["fn"]) if st["tp"] + st["fn"] else 0.0
        f1v = 2 * pv * rv / (pv + rv) if pv + rv else 0.0
        out[kind] = {"p": p, "r": r, "f1": f1, "f1_value": f1v, **st}
    return out


def _print(title: str, res: dict) -> None:
    print(f"\n{title}")
    print(f"  {'kind':7} {'P':>5} {'R':>5} {'F1':>5} {'F1val':>6}  tp  fp  fn")
    for kind, r in res.items():
        print(f"  {kind:7} {r['p']:5.2f} {r['r']:5.2f} {r['f1']:5.2f} {r['f1_value']:6.2f} "
              f"{r['tp']:3d} {r['fp']:3d} {r['fn']:3d}")


# Floors: (span F1, F1 with the right value), set under the measured figures.
# Measured (span F1 / F1 with value), demo with 13 articles: date .99/.99 (was .98/.92 before
# anchored dates were dated from the event they name), person .90/.87, org .82/.72, place .84/.76,
# legal .91/.86; seeds date 1.00/1.00 (was .95), person .94/.94, org .95/.95,
# place .99/.98, legal .93/.93.
DEMO_FLOORS = {"date": (0.95, 0.95), "person": (0.85, 0.82), "org": (0.80, 0.68),
               "place": (0.80, 0.70), "legal": (0.88, 0.84)}
SEED_FLOORS = {"date": (0.95, 0.95), "person": (0.90, 0.90), "org": (0.90, 0.90),
               "place": (0.95, 0.93), "legal": (0.88, 0.88)}


@pytest.fixture(scope="module")
def demo_scores(demo_dir):
    if not (GOLD / "demo.json").exists():
        pytest.fail("tests/gold/demo.json is missing")
    res = score(demo_dir, GOLD / "demo.json")
    _print("demo archive", res)
    return res


@pytest.fixture(scope="module")
def seed_scores(seeds_dir):
    if not (GOLD / "seeds.json").exists():
        pytest.fail("tests/gold/seeds.json is missing")
    res = score(seeds_dir, GOLD / "seeds.json")
    _print("seed articles", res)
    return res


@pytest.mark.parametrize("kind", KINDS)
def test_demo_quality(demo_scores, kind):
    r = demo_scores[kind]
    span_floor, value_floor = DEMO_FLOORS[kind]
    assert r["f1"] >= span_floor, (kind, r["f1"], r["misses"][:10])
    assert r["f1_value"] >= value_floor, (kind, r["f1_value"], r["wrong"][:10])


@pytest.mark.parametrize("kind", KINDS)
def test_seed_quality(seed_scores, kind):
    r = seed_scores[kind]
    span_floor, value_floor = SEED_FLOORS[kind]
    assert r["f1"] >= span_floor, (kind, r["f1"], r["misses"][:10])
    assert r["f1_value"] >= value_floor, (kind, r["f1_value"], r["wrong"][:10])


# Dates as the archive sees them: ingest's publication dates, year-less datelines
# completed from the case. Measured value F1: seeds .95 (.90 before anchored dates
# were dated from their event; .86 without the datelines), demo .99 (.92; .80 without).
AS_INGESTED_DATE_VALUE_FLOORS = {"seeds": 0.93, "demo": 0.95}


@pytest.mark.parametrize("name", ["seeds", "demo"])
def test_year_less_datelines_are_completed_from_the_case(name, seeds_dir, demo_dir):
    from archive.facts import inferred_publications

    folder = seeds_dir if name == "seeds" else demo_dir
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))["articles"]
    parsed = [_read(folder, a["file"]) for a in gold]
    inputs = [FactInput(p.text, p.body_end, p.regions, p.published, p.lang, p.title, key=a["file"],
                        published_partial=p.notes.get("published_partial")) for p, a in zip(parsed, gold)]
    inferred = inferred_publications(inputs)
    completed = [(a["file"], i.value, a.get("published")) for a, i in zip(gold, inferred) if i is not None]
    assert completed, "no article of the gold set has a year-less dateline any more"
    for file, value, expected in completed:
        assert value == expected, (file, value, expected)
    res = score(folder, GOLD / f"{name}.json", as_ingested=True)
    _print(f"{name}, publication dates as ingested", {"date": res["date"]})
    assert res["date"]["f1_value"] >= AS_INGESTED_DATE_VALUE_FLOORS[name], res["date"]["wrong"][:10]


@pytest.mark.parametrize("name", ["seeds", "demo"])
def test_no_place_fact_is_a_nationality_adjective(name, seeds_dir, demo_dir):
    import re

    from archive.facts.lexicon import lexicons

    folder = seeds_dir if name == "seeds" else demo_dir
    files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    parsed = [_read(folder, f) for f in files]
    inputs = [FactInput(p.text, p.body_end, p.regions, p.published, p.lang, p.title, key=f,
                        published_partial=p.notes.get("published_partial")) for p, f in zip(parsed, files)]
    adjectives = set(lexicons().demonyms) | {"Russian", "Russians", "Kazakh", "Spanish", "Canadian", "Soviet"}
    russian = re.compile(r"(?:ск|цк)(?:ий|ая|ое|ие|ого|ой|ому|им|их|ую|ими|ом)$", re.IGNORECASE)
    places = [(f, x.text) for f, facts in zip(files, extract(inputs)) for x in facts if x.kind == "place"]
    assert places
    bad = [(f, t) for f, t in places if t in adjectives or russian.search(t) or t[:1].islower()]
    assert not bad, bad
