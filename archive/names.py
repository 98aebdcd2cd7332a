"""Name skeletons: one search term for a name however it is spelled or written.

A report in English writes "Zhilin", "Ekaterina Zhilina" or "Yekaterina";
one in Russian writes "Жилин", "Жилиной", "Екатерины". The index keeps, beside
the stemmed words, a ``names`` field holding the *skeleton* of every
capitalised word of the title and text: Cyrillic transliterated to Latin
(``iuliia``'s Wikipedia scheme, the one closest to press spelling), then the
spelling differences of Russian names in English folded away (``ye``/``e``,
``y``/``i``, ``kh``/``h``, double letters) and a Russian case ending cut off.
"Жилиной", "Zhilina" and "Zhilin" all become ``zhilin``; "Yekaterina" and
"Екатерину" become ``ekaterin``.

Query words typed with a capital letter also search this field (see
:mod:`.query`), so ``Zhilin`` finds the Russian reports and ``Жилин`` the
English ones. The same functions power cross-script entity merging
(:mod:`archive.facts.entities`).

>>> skeleton("Жилиной"), skeleton("Zhilina"), skeleton("Yekaterina"), skeleton("Екатерину")
('zhilin', 'zhilin', 'ekaterin', 'ekaterin')
"""
from __future__ import annotations

import re
import unicodedata

import iuliia

__all__ = ["skeleton", "spelling", "name_key", "latin", "skeleton_positions", "fold_name", "NAME_WORD"]

# A capitalised word (Latin, Latin with accents, Cyrillic), inner dots and apostrophes kept.
NAME_WORD = re.compile(r"(?<![\w.'’])[A-ZÀ-ÖØ-ÞА-ЯЁ][\w]*(?:['’]\w+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_POSSESSIVE = re.compile(r"['’]s$")
_DOUBLE = re.compile(r"(\w)\1+")
_SCHEME = iuliia.WIKIPEDIA
# Russian case endings in Latin spelling (after y -> i), longest first. A word
# keeps at least four letters, so "Semey" (the city, "semei" -> "seme") and
# "semya" (family, "semia" -> "semi") stay apart.
_ENDINGS = ("iami", "ogo", "ego", "omu", "emu", "ami", "imi", "iah",
            "ah", "om", "em", "oi", "ei", "im", "ih", "ia", "iu", "a", "u", "e", "i")
_MIN_STEM = 4
_CACHE: dict[str, str] = {}
_SPELLING_CACHE: dict[str, str] = {}
_LATIN_CACHE: dict[str, str] = {}
_SPELLING_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def latin(text: str) -> str:
    """``text`` with Cyrillic transliterated to Latin (Wikipedia scheme); Latin text unchanged."""
    if not _CYRILLIC.search(text):
        return text
    out = _LATIN_CACHE.get(text)
    if out is None:
        out = _SCHEME.translate(text.replace("ё", "е").replace("Ё", "Е"))
        if len(_LATIN_CACHE) < _CACHE_LIMIT:
            _LATIN_CACHE[text] = out
    return out


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def spelling(word: str) -> str:
    """One name word with script and spelling variants folded, its ending kept.

    "Yekaterina", "Ekaterina" and "Екатерина" meet; "Zhilin" and "Zhilina"
    (another person) do not. Entity merging compares these; search, which
    must also meet the case forms of a name, uses :func:`skeleton`.
    """
    cached = _SPELLING_CACHE.get(word)
    if cached is not None:
        return cached
    w = _POSSESSIVE.sub("", word)
    w = _strip_accents(latin(w)).lower()
    w = "".join(c for c in w if c.isalnum())
    if w.startswith("ye"):
        w = w[1:]
    w = w.replace("x", "ks").replace("ck", "k").replace("kh", "h").replace("ye", "e").replace("y", "i")
    w = _DOUBLE.sub(r"\1", w)
    if len(_SPELLING_CACHE) < _CACHE_LIMIT:
        _SPELLING_CACHE[word] = w
    return w


def name_key(name: str) -> tuple[str, ...]:
    """The :func:`spelling` of each word of a name: equal keys, same name."""
    return tuple(spelling(w) for w in name.split())


def skeleton(word: str) -> str:
    """The spelling- and script-independent form of one name word (``""`` for none)."""
    cached = _CACHE.get(word)
    if cached is not None:
        return cached
    w = spelling(word)
    if not w.isdigit():
        for ending in _ENDINGS:
            if w.endswith(ending) and len(w) - len(ending) >= _MIN_STEM:
                w = w[: -len(ending)]
                break
    if len(_CACHE) < _CACHE_LIMIT:
        _CACHE[word] = w
    return w


def skeleton_positions(text: str) -> dict[str, list[int]]:
    """``{skeleton: [position, ...]}`` of the capitalised words of ``text`` (the ``names`` field)."""
    out: dict[str, list[int]] = {}
    pos = 0
    get = _CACHE.get
    for raw in NAME_WORD.findall(text):
        term = get(raw)
        if term is None:
            term = skeleton(raw)
        if len(term) < 2:
            continue
        lst = out.get(term)
        if lst is None:
            out[term] = [pos]
        else:
            lst.append(pos)
        pos += 1
    return out


# Apostrophes and quotation marks as typed, printed or pasted: one form each.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'})


def fold_name(name: str) -> str:
    """What two spellings of one name share: case, spacing and apostrophe style aside.

    The entity review compares names by it, and so do merge suggestions.
    """
    return " ".join(str(name or "").translate(_QUOTES).split()).casefold()
