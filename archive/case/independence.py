"""Which sources are independent: copies of one wire story count once.

Two articles are one source when

* they carry the same agency credit ("SALVIK, Feb 21 (Northline Wire) –",
  "(Reuters)"), or, without a credit, come from the same outlet; or
* their texts are near-duplicates: a copy with a new headline, a cut
  paragraph or a changed word. Texts are compared by the Jaccard
  similarity of their 5-word shingles, estimated with MinHash signatures
  (64 hashes) and candidate pairs found by locality-sensitive hashing
  (16 bands of 4), so the archive is never compared pair by pair.

MinHash is a dozen lines of numpy here; a library (datasketch) would add a
dependency for the same arithmetic.
"""
from __future__ import annotations

import re
import zlib
from collections import defaultdict
from typing import Iterable, Optional, Sequence

import numpy as np

__all__ = ["signature", "agency_credit", "similarity", "near_duplicate_groups", "source_identities",
           "NUM_HASHES", "NEAR_DUPLICATE"]

NUM_HASHES = 64
BANDS = 16
SHINGLE = 5
# Estimated Jaccard similarity of shingles above which two texts are copies:
# an edited wire copy keeps well over half of its 5-word runs, two reports
# of one event by different reporters share almost none.
NEAR_DUPLICATE = 0.5
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20221228)
_A = _rng.integers(1, _PRIME, NUM_HASHES, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, NUM_HASHES, dtype=np.uint64)
_WORD = re.compile(r"\w+")
_CREDIT = re.compile(r"\(\s*([A-Z][\w&.’' -]{1,40}?)\s*\)\s*[-–—]")
_NOT_AGENCIES = {"ap photo", "photo", "file", "video", "updated", "reuters photo"}


def signature(text: str) -> Optional[bytes]:
    """The MinHash signature of a text's 5-word shingles (None for a text under 5 words)."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        return None
    # Each distinct word hashed once (crc32: stable across processes, unlike
    # hash()); a shingle's hash combines its five word hashes, all in numpy.
    codes = {w: zlib.crc32(w.encode("utf-8")) for w in set(words)}
    ids = np.fromiter(map(codes.__getitem__, words), dtype=np.uint64, count=len(words))
    n = len(words) - SHINGLE + 1
    with np.errstate(over="ignore"):
        x = np.zeros(n, dtype=np.uint64)
        for k in range(SHINGLE):
            x = x * np.uint64(1_000_003) + ids[k:k + n]
        x = np.unique(x)
        # (a*x + b) mod 2^64, top 32 bits: a cheap universal-ish family; the overflow is intended.
        h = (x[None, :] * _A[:, None] + _B[:, None]) >> np.uint64(32)
    return h.min(axis=1).astype(np.uint32).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two signatures' texts."""
    return float(np.mean(np.frombuffer(a, dtype=np.uint32) == np.frombuffer(b, dtype=np.uint32)))


def agency_credit(text: str, body_end: int) -> Optional[str]:
    """The agency a story is credited to in its dateline ("(Reuters) -"), if any."""
    m = _CREDIT.search(text, 0, min(body_end, 600))
    if m is None:
        return None
    name = " ".join(m.group(1).split())
    return None if name.casefold() in _NOT_AGENCIES else name


def near_duplicate_groups(signatures: dict[int, bytes]) -> list[set[int]]:
    """Groups (of two or more article ids) whose texts are near-duplicates of each other."""
    rows = NUM_HASHES // BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for aid, sig in signatures.items():
        for band in range(BANDS):
            buckets[(band, sig[band * rows * 4:(band + 1) * rows * 4])].append(aid)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2 or len(members) > 200:
            continue  # a bucket that big is boilerplate all articles share, not a copy
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (a, b) if a < b else (b, a)
                if pair in checked:
                    continue
                checked.add(pair)
                if similarity(signatures[a], signatures[b]) >= NEAR_DUPLICATE:
                    parent[find(a)] = find(b)
    groups: dict[int, set[int]] = defaultdict(set)
    for x in set(parent) | set(parent.values()):
        groups[find(x)].add(x)
    return [g for g in groups.values() if len(g) > 1]


def source_identities(articles: Sequence[tuple[int, Optional[str], Optional[str], str]],
                      duplicates: Iterable[set[int]]) -> dict[int, str]:
    """``article id -> source identity``: equal identities are one source.

    ``articles`` are ``(id, credit, outlet, path)``; an article's identity is
    its agency credit, else its outlet, else its own path, then merged over
    the near-duplicate groups.
    """
    ident = {}
    for aid, credit, outlet, path in articles:
        name = credit or outlet or path
        ident[aid] = " ".join(str(name).casefold().split())
    # Union of identities: a copy joins its original's outlet and every other
    # article of that outlet or credit.
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for group in duplicates:
        names = sorted({find(ident[a]) for a in group if a in ident})
        for name in names[1:]:
            parent[name] = names[0]
    return {aid: find(name) for aid, name in ident.items()}
