"""The words of a search query, to highlight them in the reader.

Only presentation: the archive decides what matches; this finds the words a
reader expects to see marked. Operators, field names and punctuation are
dropped; ``"exact phrases"`` stay whole; ``desert*`` marks every word that
starts with ``desert``.

    >>> terms("title:extradition AND \\"border guards\\" NOT army")
    ['extradition', 'border guards']
"""
from __future__ import annotations

import re

__all__ = ["terms", "term_pattern", "name_spans"]

_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
_TOKEN = re.compile(r'(-?)(?:\w+:)?(?:"([^"]+)"|(\S+))', re.UNICODE)


def terms(query: str) -> list[str]:
    result: list[str] = []
    after_not = False
    for neg, phrase, word in _TOKEN.findall(query or ""):
        if word == "NOT":
            after_not = True
            continue
        if word in _OPERATORS:
            continue
        if phrase:
            candidate = " ".join(phrase.split())
        else:
            candidate = re.sub(r"[~^]\d*(\.\d+)?$", "", word.strip("()[]{}^+!,;"))
        # Words excluded with NOT or a leading '-' are not what the reader looks for.
        if not (neg or after_not) and candidate.strip("*?"):
            result.append(candidate)
        after_not = False
    return list(dict.fromkeys(result))


def term_pattern(items: list[str]) -> "re.Pattern[str] | None":
    """One case-insensitive pattern matching any of the terms at word starts.

    A long single word also matches its other endings (Лессария, Лессарии;
    extradition, extraditions), roughly as the archive's stemming does.
    """
    parts = []
    for term in items:
        if len(term) >= 6 and term.isalpha():
            term = term[:-2] + "*"
        escaped = re.escape(term).replace(r"\*", r"\w*").replace(r"\?", r"\w").replace(r"\ ", r"\s+")
        tail = "" if term.endswith("*") else r"\w*" if len(term) >= 4 else r"\b"
        parts.append(escaped + tail)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")", re.IGNORECASE)


def name_spans(text: str, items: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of the names in ``text`` that capitalised terms find in
    another script or spelling ("Brannik" marks "Бранника"), as the archive's
    name search does (:mod:`archive.names`)."""
    from archive.names import NAME_WORD, skeleton

    wanted = {skeleton(w) for term in items for w in term.split() if w[:1].isupper() and "*" not in w}
    wanted.discard("")
    if not wanted or not text:
        return []
    return [(m.start(), m.end()) for m in NAME_WORD.finditer(text) if skeleton(m.group()) in wanted]
