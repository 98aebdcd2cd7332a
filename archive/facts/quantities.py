"""Numbers with what they count: "more than 400,000 Russian nationals", "up to
fifteen years in prison", "a six-month suspended sentence", "Zhilin, 36".

``value`` is the number as a plain decimal string (``400000``, ``15``, ``2.5``);
``extra`` holds ``unit`` (years, months, days, percent, km, USD...), ``counted``
(the noun phrase counted, or ``age``), and ``approx`` ("more than", "up to",
"about", ...). Digits with separators (400,000 / 400.000 / 400 000) and
number words (English and the common Russian ones) are read. Years, dates,
clock times, ordinals and numbers inside URLs or article numbers are not
quantities.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from .spans import SpanSet
from .trie_regex import trie_regex

__all__ = ["RawQuantity", "find_quantities"]

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "dozens": 24,
    "hundred": 100, "hundreds": 100, "thousand": 1000, "thousands": 1000, "million": 10**6, "millions": 10**6,
    "billion": 10**9,
    "один": 1, "одна": 1, "одного": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3,
    "четыре": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "пятнадцать": 15,
    "пятнадцати": 15, "двадцать": 20, "двадцати": 20, "сто": 100, "тысяч": 1000, "тысячи": 1000, "тысяча": 1000,
}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "тысяч": 1000, "тысячи": 1000,
          "тысяча": 1000, "млн": 10**6, "миллиона": 10**6, "миллионов": 10**6}
_UNITS = {
    "year": "years", "years": "years", "month": "months", "months": "months", "week": "weeks", "weeks": "weeks",
    "day": "days", "days": "days", "hour": "hours", "hours": "hours", "minute": "minutes", "minutes": "minutes",
    "percent": "percent", "per cent": "percent", "%": "percent", "km": "km", "kilometres": "km", "kilometers": "km",
    "kilometre": "km", "kilometer": "km", "miles": "miles", "mile": "miles", "metres": "m", "meters": "m",
    "dollars": "USD", "euros": "EUR", "rubles": "RUB", "roubles": "RUB", "tenge": "KZT", "pounds": "GBP",
    "лет": "years", "года": "years", "год": "years", "месяцев": "months", "месяца": "months", "месяцам": "months",
    "месяц": "months", "месяцу": "months", "дней": "days", "дня": "days", "день": "days", "недель": "weeks", "недели": "weeks",
    "процентов": "percent", "км": "km", "рублей": "RUB", "тенге": "KZT",
}
_APPROX = (r"(?P<approx>more\s+than|over|up\s+to|at\s+least|about|around|nearly|almost|some|approximately|roughly|"
           r"fewer\s+than|less\s+than|as\s+many\s+as|at\s+most|a\s+maximum\s+of|a\s+minimum\s+of|maximum\s+of|"
           r"hundreds\s+of|thousands\s+of|tens\s+of|более|свыше|около|почти|до|не\s+менее|более\s+чем)\s+")
# A trie, not a flat alternation: the pattern is tried at every word start, and
# a hundred number words one by one made it the slowest rule (same matches:
# the trie also tries the longest word first).
_NUMWORD = trie_regex(_WORDS)
_DIGITS = r"\d{1,3}(?:(?:,|\.|\u00a0|\u202f| )\d{3})+(?!\d)|\d+(?:[.,]\d+)?"
_NUMBER = rf"(?:{_DIGITS}|(?:{_NUMWORD})(?:[\s-](?:{_NUMWORD}))*)"
_PAT = re.compile(
    rf"(?<![\w$€£.,/#№:-])(?:{_APPROX})?(?P<cur>[$€£])?(?P<num>{_NUMBER})(?P<pct>%)?"
    rf"(?:\s*(?P<scale>million|billion|thousand|тысяч[аи]?|млн))?(?![\w/]|[.,]\d)", re.I)
_AGE = re.compile(r"(?P<name>[A-ZА-ЯЁ][\w'’-]+),\s+(?P<age>\d{1,3})(?=[,;)]|\s+(?:who|was|is|has|had|from|a|an|the)\b)")
_AGE2 = re.compile(r"(?<![\w])(?P<age>\d{1,3}|\w+)-year-old(?![\w])", re.I)
_STOP_AFTER = {
    "since", "in", "on", "at", "for", "to", "from", "by", "with", "after", "before", "and", "or", "but", "that",
    "who", "which", "were", "was", "are", "is", "have", "has", "had", "will", "would", "could", "of", "as", "than",
    "the", "a", "an", "this", "these", "their", "his", "her", "its", "ago", "later", "earlier", "when", "while",
    "entered", "fled", "crossed", "said", "say", "says", "into", "per", "each", "more", "less",
}
_VERBS = {"left", "fled", "went", "came", "remain", "remained", "live", "lived", "died", "were", "got", "made",
          "arrived", "entered", "crossed", "say", "said", "face", "faces", "could", "may", "might", "must", "did"}
_PRISON = re.compile(r"^\s+(?:in\s+prison|in\s+jail|of\s+imprisonment|in\s+a\s+penal\s+colony|behind\s+bars|prison|jail|лишения\s+свободы|заключения|колонии)", re.I)


@dataclass
class RawQuantity:
    start: int
    end: int
    value: str
    extra: dict = field(default_factory=dict)
    confidence: float = 0.8


def _number(text: str) -> float | None:
    t = text.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+", t):
        return float(re.sub(r"\D", "", t))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", t):
        return float(t.replace(",", "."))
    total, current = 0, 0
    for w in re.split(r"[\s-]+", t):
        if w not in _WORDS:
            return None
        n = _WORDS[w]
        if w.rstrip("s") in ("hundred", "thousand", "million", "billion") or w in _SCALE:
            current = max(current, 1) * n
            if n >= 1000:
                total, current = total + current, 0
        else:
            current += n
    return float(total + current) if (total + current) else None


def _fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _counted(text: str, pos: int, limit: int) -> tuple[str, int]:
    """The noun phrase after a number: up to four words, stopping at function words."""
    words = []
    end = pos
    for m in re.finditer(r"[ \t]*([A-Za-zА-Яа-яЁё][\w'’-]*)", text[pos:limit]):
        if m.start() != (end - pos):
            break
        w = m.group(1)
        low = w.lower()
        # Without a tagger: past-tense verbs and common verbs end the noun phrase.
        if low in _STOP_AFTER or len(words) >= 4 or (low.endswith("ed") and len(low) > 4 and words) \
                or low in _VERBS or w[:1].isupper() and words and not words[-1][:1].isupper():
            break
        words.append(w)
        end = pos + m.end()
    return " ".join(words), end


def find_quantities(text: str, segments: Sequence[tuple[int, int]], taken: Sequence[tuple[int, int]] = ()) -> list[RawQuantity]:
    """Quantities in the body segments, skipping spans already taken (dates)."""
    out: list[RawQuantity] = []
    busy = SpanSet(taken)

    def free(s, e):
        return not busy.overlaps(s, e)

    for s0, e0 in segments:
        for m in _AGE.finditer(text, s0, e0):
            age = int(m["age"])
            if 1 <= age <= 110 and free(m.start("age"), m.end("age")):
                out.append(RawQuantity(m.start("age"), m.end("age"), str(age),
                                       {"counted": "age", "unit": "years", "person": m["name"]}, 0.85))
                busy.add(m.start("age"), m.end("age"))
        for m in _AGE2.finditer(text, s0, e0):
            n = _number(m["age"])
            if n and free(m.start(), m.end()):
                out.append(RawQuantity(m.start(), m.end(), _fmt(n), {"counted": "age", "unit": "years"}, 0.85))
                busy.add(m.start(), m.end())
        for m in _PAT.finditer(text, s0, e0):
            num_text = m["num"]
            if num_text.lower() in ("one",) and not m["approx"]:
                continue  # "one of the", "one day": too often not a count
            n = _number(num_text)
            if n is None:
                continue
            if m["scale"]:
                n *= _SCALE.get(m["scale"].lower(), 1)
            start, end = m.start(), m.end()
            if not free(start, end):
                continue
            before = text[max(s0, start - 12):start]
            if re.search(r"(?:article|art\.|no\.|№|#|page|p\.|part|section|paragraph|статьи|статье|статья|ст\.)\s*$", before, re.I):
                continue
            after = text[end:end + 3]
            if re.match(r"(?:st|nd|rd|th)\b|:\d|-\d", after):
                continue  # ordinal, clock time, range handled elsewhere
            if re.fullmatch(r"(?:1[89]|20)\d\d", num_text) and not m["approx"]:
                continue  # a year
            extra: dict = {}
            approx = m["approx"]
            if approx:
                a = " ".join(approx.lower().split())
                extra["approx"] = a
                if a in ("hundreds of", "thousands of", "tens of"):
                    n = n * {"hundreds of": 100, "thousands of": 1000, "tens of": 10}[a]
            if m["cur"]:
                extra["unit"] = {"$": "USD", "€": "EUR", "£": "GBP"}[m["cur"]]
            if m["pct"]:
                extra["unit"] = "percent"
            # Unit or counted noun after the number ("six-month suspended sentence").
            rest_start = end
            hy = re.match(r"-(year|month|week|day|hour|minute)s?\b", text[end:end + 8])
            if hy:
                extra["unit"] = _UNITS[hy.group(1)]
                rest_start = end + hy.end()
                end = rest_start
            else:
                u = re.match(r"\s*(per\s+cent|%|[A-Za-zА-Яа-яЁё]+)", text[end:end + 20])
                if u and u.group(1).lower() in _UNITS and "unit" not in extra:
                    extra["unit"] = _UNITS[u.group(1).lower()]
                    end = end + u.end()
                    rest_start = end
            counted, cend = _counted(text, rest_start, min(e0, rest_start + 60))
            if counted:
                extra["counted"] = counted
                end = cend
            if "unit" in extra and extra["unit"] in ("years", "months") and _PRISON.match(text[end:end + 30]):
                extra["counted"] = "prison term"
            if not extra.get("counted") and "unit" not in extra:
                # A bare number is rarely a fact worth showing ("1.", list numbers).
                if not approx:
                    continue
            out.append(RawQuantity(start, end, _fmt(n), extra, 0.8))
            busy.add(start, end)
    out.sort(key=lambda q: q.start)
    return out
