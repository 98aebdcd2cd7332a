"""Merge suggestions: entities that are probably one, each with the reason a researcher can check.

Reasons, strongest first:

* ``transliteration``: the same name in two scripts ("Жилин" / "Zhilin"),
  or two Latin spellings of one Russian name ("Ekaterina" / "Yekaterina");
* ``lexicon``: the organisations or places lexicon lists one as the other
  ("ФСО" / "Federal Guard Service", ``resources/lexicons/orgs.json``);
* ``acronym``: one is made of the initials of the other's words ("FGS" /
  "Federal Guard Service");
* ``initials``: a name written with initials ("M. Zhilin" / "Mikhail Zhilin");
* ``kind``: the same name tagged as two kinds (a place tagged as a person);
* ``spelling``: the same name written differently (case, apostrophes,
  punctuation, a letter or two).

Fuzzy comparison is RapidFuzz's (``fuzz.ratio``, normalised Indel
similarity, over all pairs at C speed); Cyrillic is put into Latin letters
by iuliia under two schemes that news spell names by (Wikipedia: Yekaterina,
Zhilin; ICAO passports: Ekaterina).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Optional

from ..models import Entity
from ..names import fold_name

__all__ = ["MergeSuggestion", "suggest", "latin_forms", "REASONS"]

REASONS = ("transliteration", "lexicon", "acronym", "initials", "kind", "spelling")
_STRENGTH = {"transliteration": 96, "lexicon": 99, "acronym": 95, "initials": 90, "kind": 94, "spelling": 92}
# Below these RapidFuzz ratios two names are not offered as one.
_FUZZY_CUTOFF = {"person": 88.0, "place": 88.0, "org": 90.0}
_CROSS_KIND_CUTOFF = 94.0
_MIN_FUZZY_LEN = 5
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_STOP_WORDS = {"of", "the", "for", "and", "on", "in", "at", "to", "de", "и", "по", "в", "на", "при", "для"}
_KIND_WORDS = {"person": "a person", "org": "an organisation", "place": "a place"}


@dataclass(frozen=True)
class MergeSuggestion:
    """``other`` is probably the same as ``keep`` (whose name would stay)."""
    keep: Entity
    other: Entity
    reason: str              # one of REASONS
    detail: str              # a sentence saying why
    score: float             # 0-100, for ordering


def _is_cyrillic(name: str) -> bool:
    return bool(_CYRILLIC.search(name))


def latin_forms(name: str) -> tuple[str, ...]:
    """The name in Latin letters: itself, or the common transliterations of a Cyrillic name."""
    if not _is_cyrillic(name):
        return (name,)
    import iuliia

    return tuple(dict.fromkeys(s.translate(name) for s in (iuliia.WIKIPEDIA, iuliia.ICAO_DOC_9303)))


def _norm(name: str) -> str:
    """Lower case, no accents, no punctuation, no parenthesised acronym."""
    name = re.sub(r"\([^)]*\)?", " ", name)
    decomposed = unicodedata.normalize("NFKD", fold_name(name))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("'", "")
    return " ".join(re.sub(r"[^\w\s]|_", " ", plain).split())


def _acronym_of(name: str) -> Optional[str]:
    """``FSO`` for "FSO", "F.S.O."; None for a name that is not an acronym."""
    bare = re.sub(r"[.\s]", "", name)
    if 2 <= len(bare) <= 8 and bare.isalpha() and bare.isupper():
        return bare.casefold()
    return None


def _initials(name: str) -> set[str]:
    """Initials of a multi-word name, with and without its small words."""
    words = [w for w in re.split(r"[\s\-/]+", re.sub(r"\([^)]*\)?", " ", name)) if w and w[0].isalpha()]
    if len(words) < 2:
        return set()
    out = {"".join(w[0] for w in words).casefold()}
    significant = [w for w in words if w.casefold() not in _STOP_WORDS]
    if len(significant) >= 2:
        out.add("".join(w[0] for w in significant).casefold())
    return out


def _defined_acronym(name: str) -> Optional[str]:
    """The acronym a name gives in parentheses: "Бюро государственной охраны (БГО)"."""
    m = re.search(r"\(([^)]+)\)?", name)
    return _acronym_of(m.group(1)) if m else None


def _feminine_pair(a: str, b: str) -> bool:
    """Zhilin / Zhilina: a Russian surname and its feminine form, usually two relatives."""
    ta, tb = a.split(), b.split()
    if not ta or not tb:
        return False
    la, lb = ta[-1], tb[-1]
    short, long_ = sorted((la, lb), key=len)
    return long_ != short and (long_ == short + "a" or long_ in (short + "aya", short[:-1] + "aya"))


def _keep_first(a: Entity, b: Entity) -> tuple[Entity, Entity]:
    """Which name stays: Latin over Cyrillic, a full name over an acronym or initials, the most cited."""
    def rank(e: Entity):
        initials = any(len(t.rstrip(".")) == 1 for t in e.name.split())
        return (not _is_cyrillic(e.name), _acronym_of(e.name) is None, not initials,
                e.article_count, e.mention_count, len(e.name))
    return (a, b) if rank(a) >= rank(b) else (b, a)


class _Found:
    def __init__(self, apart: Iterable[frozenset]) -> None:
        self.apart = set(apart)
        self.by_pair: dict[frozenset, MergeSuggestion] = {}

    def add(self, a: Entity, b: Entity, reason: str, detail: str, score: Optional[float] = None) -> None:
        if a.id == b.id:
            return
        pair = frozenset((a.id, b.id))
        if pair in self.by_pair or frozenset((fold_name(a.name), fold_name(b.name))) in self.apart:
            return
        keep, other = _keep_first(a, b)
        self.by_pair[pair] = MergeSuggestion(keep, other, reason, detail, float(score or _STRENGTH[reason]))


def suggest(entities: Iterable[Entity], apart: Iterable[frozenset] = ()) -> list[MergeSuggestion]:
    """Pairs of entities that are probably one, strongest first.

    ``apart`` holds pairs of folded names the researcher said are different
    (``frozenset({"zhilin", "zhilina"})``); they are never suggested again.
    """
    entities = [e for e in entities if e.name.strip()]
    found = _Found(apart)
    # An acronym the reader can check against the words comes before the lexicon's word for it.
    _acronym_pairs(entities, found)
    _lexicon_pairs(entities, found)
    _initial_pairs(entities, found)
    _same_and_fuzzy_pairs(entities, found)
    return sorted(found.by_pair.values(),
                  key=lambda s: (-s.score, -(s.keep.article_count + s.other.article_count), s.keep.name, s.other.name))


def _lexicon_pairs(entities: list[Entity], found: _Found) -> None:
    from ..facts.lexicon import lexicons

    lex = lexicons()
    by_canonical: dict[tuple[str, str], list[tuple[Entity, str]]] = {}
    for e in entities:
        if e.kind == "org":
            canonical = lex.org_aliases.get(e.name) or lex.org_aliases.get(e.name.strip())
            where = "organisations lexicon (orgs.json)"
        elif e.kind == "place":
            known = lex.place(e.name)
            canonical = known[0] if known else None
            where = "places lexicon (places.json) and gazetteer"
        else:
            continue
        by_canonical.setdefault((e.kind, fold_name(canonical or e.name)), []).append((e, where, canonical))
    for (_kind, _canon), members in by_canonical.items():
        for (a, where, ca), (b, _w, cb) in combinations(members, 2):
            # Two names only the same once folded are a spelling matter, not the lexicon's.
            if ca or cb:
                found.add(a, b, "lexicon", f'the {where} lists "{a.name}" and "{b.name}" as one')


def _acronym_pairs(entities: list[Entity], found: _Found) -> None:
    orgs = [e for e in entities if e.kind == "org"]
    # Acronym (folded, also in Latin letters) -> the organisations written so.
    by_acronym: dict[str, list[Entity]] = {}
    for e in orgs:
        acro = _acronym_of(e.name)
        if acro:
            for form in {acro, *(_acronym_of(f) or "" for f in latin_forms(e.name))} - {""}:
                by_acronym.setdefault(form, []).append(e)
    if not by_acronym:
        return
    for long_ in orgs:
        defined = _defined_acronym(long_.name)
        if defined:
            for short in by_acronym.get(defined, ()):
                if short.id != long_.id:
                    found.add(long_, short, "acronym", f'"{long_.name}" gives "{short.name}" as its abbreviation')
        initials: set[str] = set()
        for form in (long_.name, *latin_forms(long_.name)):
            initials |= _initials(form)
        for initial in initials:
            for short in by_acronym.get(initial, ()):
                if short.id != long_.id:
                    found.add(long_, short, "acronym", f'"{short.name}" is made of the initials of "{long_.name}"')


def _initial_pairs(entities: list[Entity], found: _Found) -> None:
    from rapidfuzz import fuzz

    people = [(e, _norm(latin_forms(e.name)[0]).split()) for e in entities if e.kind == "person"]
    with_initials = [(e, t) for e, t in people
                     if len(t) >= 2 and any(len(w) == 1 for w in t[:-1])]
    for e, tokens in with_initials:
        for other, full in people:
            if other.id == e.id or len(full) != len(tokens) or all(len(w) == 1 for w in full[:-1]):
                continue
            if fuzz.ratio(tokens[-1], full[-1]) < 90 or _feminine_pair(tokens[-1], full[-1]):
                continue
            if all(a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
                   for a, b in zip(tokens[:-1], full[:-1])):
                found.add(other, e, "initials", f'"{e.name}" is "{other.name}" with initials')


def _same_and_fuzzy_pairs(entities: list[Entity], found: _Found) -> None:
    import numpy as np
    from rapidfuzz import fuzz, process

    forms: list[tuple[Entity, str]] = []
    for e in entities:
        for form in latin_forms(e.name):
            normed = _norm(form)
            if normed:
                forms.append((e, normed))
    # The same name once normalised: any kinds.
    buckets: dict[str, list[Entity]] = {}
    for e, normed in forms:
        buckets.setdefault(normed, [])
        if e not in buckets[normed]:
            buckets[normed].append(e)
    for members in buckets.values():
        for a, b in combinations(members, 2):
            _add_pair(found, a, b, 100.0)
    # Near spellings: all pairs at once, a block of rows at a time.
    texts = [n for _e, n in forms]
    if len(texts) < 2:
        return
    cutoff = min(min(_FUZZY_CUTOFF.values()), _CROSS_KIND_CUTOFF)
    block = 512
    for start in range(0, len(texts), block):
        scores = process.cdist(texts[start:start + block], texts, scorer=fuzz.ratio,
                               score_cutoff=cutoff, dtype=np.uint8)
        rows, cols = np.nonzero(scores)
        for r, c in zip(rows.tolist(), cols.tolist()):
            i = start + r
            if c <= i:
                continue
            (a, na), (b, nb) = forms[i], forms[c]
            if a.id == b.id or min(len(na), len(nb)) < _MIN_FUZZY_LEN:
                continue
            score = float(scores[r, c])
            if a.kind == b.kind:
                if score < _FUZZY_CUTOFF.get(a.kind, 90.0):
                    continue
                if a.kind == "person" and (_feminine_pair(na, nb) or len(na.split()) != len(nb.split())):
                    continue
            elif score < _CROSS_KIND_CUTOFF:
                continue
            _add_pair(found, a, b, score)


def _add_pair(found: _Found, a: Entity, b: Entity, score: float) -> None:
    scripts_differ = _is_cyrillic(a.name) != _is_cyrillic(b.name)
    if a.kind != b.kind:
        found.add(a, b, "kind", f'"{a.name}" is tagged as {_KIND_WORDS.get(a.kind, a.kind)} and '
                               f'"{b.name}" as {_KIND_WORDS.get(b.kind, b.kind)}; one name is probably both',
                  min(score, _STRENGTH["kind"]))
    elif scripts_differ:
        cyr, lat = (a, b) if _is_cyrillic(a.name) else (b, a)
        found.add(a, b, "transliteration", f'"{cyr.name}" is "{lat.name}" in another script',
                  min(score, _STRENGTH["transliteration"]))
    elif _is_cyrillic(a.name) or (score < 100 and _translit_variant(a.name, b.name)):
        found.add(a, b, "transliteration", f'"{a.name}" and "{b.name}" are two spellings of one Russian name'
                  if not _is_cyrillic(a.name) else f'"{a.name}" and "{b.name}" are forms of one name',
                  min(score, _STRENGTH["transliteration"]))
    else:
        how = "written differently" if score >= 100 else "spelled a letter or two apart"
        found.add(a, b, "spelling", f'"{a.name}" and "{b.name}" are the same name {how}',
                  min(score, _STRENGTH["spelling"]))


# Spelling differences that come from transliterating Russian: Ye/E, Yu/Iu, Ya/Ia, Kh/H, -iy/-y/-i.
_TRANSLIT_FOLDS = ((r"\by(?=e)", ""), (r"iu", "yu"), (r"ia", "ya"), (r"kh", "h"), (r"(?:iy|yi|ii|iy)\b", "y"),
                   (r"ts", "c"), (r"j", "y"), (r"x", "ks"))


def _translit_variant(a: str, b: str) -> bool:
    def fold(s: str) -> str:
        s = _norm(s)
        for pattern, repl in _TRANSLIT_FOLDS:
            s = re.sub(pattern, repl, s)
        return s
    return fold(a) == fold(b)
