"""Grouping the articles' step claims into case events, and the user's decisions on them.

Two claims are one event when they name the same step (arrest, appeal,
deportation...) about the same person on compatible dates: the same day,
or a month or year that contains the other's day ("in December" joins "on
December 6" when that is the only December arrest). A claim whose sentence
dates it without a year ("yesterday" in an undated article) joins the only
event of its step and person, if there is exactly one.

The subject of a claim is the person its sentence names (not a possessor,
"Putin's guard"), preferring the article's most-mentioned person; a sentence
with no person is about the article's most-mentioned person.

The user's decisions are applied on top of the suggestions when they are
read (:mod:`archive.case.decisions`), so they hold across re-analysis.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Optional

from ..errors import InvalidInput
from ..partial_date import PartialDate
from .claims import STEP_LABELS

__all__ = ["group_events", "claim_subject", "event_key", "same_person", "claim_uid"]


def event_key(step: str, subject: str, date: str) -> str:
    return f"{step}|{subject.casefold()}|{date}"


def claim_subject(claim: dict, names: dict[int, str], main: Optional[str]) -> Optional[str]:
    """The person a step claim is about (a name), see the module docstring.

    The article's main person wins when the sentence names them (even as a
    possessor: "upheld Zhilin's deportation") or refers to a man by pronoun
    ("His wife said he was arrested"); "the Zhilins" are the main person's family.
    """
    people = [same_person(names[i], main) for i in claim.get("persons") or () if i in names]
    if main is not None and (main in people or claim.get("pronoun") or not people):
        return main
    surname = main.split()[-1] if main else None
    for name in people:
        if name.endswith(" family") and surname and surname in name:
            return main
    return people[0] if people else None


def same_person(name: str, main: Optional[str]) -> str:
    """``name``, or the article's main person when ``name`` is their surname alone
    ("Brannik" left unmerged because two Branniks are in the case)."""
    if main and " " not in name.strip() and main.split()[-1] == name.strip():
        return main
    return name


def _contains(outer: str, inner: str) -> bool:
    """The ISO date ``outer`` (a month, a year) holds every day of ``inner``."""
    try:
        return PartialDate.from_iso(outer).contains(PartialDate.from_iso(inner))
    except InvalidInput:
        return False


def group_events(articles: dict[int, dict], names: dict[int, str], main_person: dict[int, str]) -> list[dict]:
    """Suggested events from every article's positive step claims.

    ``articles``: ``id -> {"claims": ..., ...}``; ``names``: person fact id ->
    entity name; ``main_person``: article id -> its most-mentioned person.
    Each event: ``key, step, subject, date, precision, members`` where a member
    is ``(article_id, claim)``.
    """
    buckets: dict[tuple[str, str], list[tuple[int, dict, str]]] = defaultdict(list)
    year_less: list[tuple[str, str, int, dict]] = []
    for aid, art in articles.items():
        for claim in art["claims"]["steps"]:
            if claim["polarity"] != "pos":
                continue
            subject = claim_subject(claim, names, main_person.get(aid))
            if subject is None:
                continue
            if claim["date"] is None:
                if claim.get("year_less"):
                    year_less.append((claim["step"], subject, aid, claim))
                continue
            buckets[(claim["step"], subject)].append((aid, claim, claim["precision"]))
    events: list[dict] = []
    by_bucket: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for (step, subject), members in buckets.items():
        groups: dict[str, dict] = {}
        order = {"day": 0, "month": 1, "year": 2}
        for aid, claim, precision in sorted(members, key=lambda m: (order.get(m[2], 3), m[1]["date"])):
            date = claim["date"]
            if precision == "day":
                target = groups.get(date)
            else:
                inside = [g for d, g in groups.items() if _contains(date, d)]
                target = inside[0] if len(inside) == 1 else groups.get(date)
            if target is None:
                target = groups[date] = {"step": step, "subject": subject, "date": date,
                                         "precision": precision, "members": []}
            target["members"].append((aid, claim))
        for g in groups.values():
            g["key"] = event_key(step, subject, g["date"])
            by_bucket[(step, subject)].append(g)
            events.append(g)
    for step, subject, aid, claim in year_less:
        candidates = by_bucket.get((step, subject), [])
        if len(candidates) == 1:
            candidates[0]["members"].append((aid, claim))
    for g in events:
        g["members"].sort(key=lambda m: (m[0], m[1]["start"]))
    events.sort(key=lambda g: (g["date"], g["key"]))
    return events


def _split_key(key: str, claim_ids: list[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(claim_ids)).encode()).hexdigest()[:8]
    return f"{key}#split-{digest}"


def claim_uid(article_id: int, claim: dict) -> str:
    """A claim's id across the archive: article, sentence offset and step."""
    return f"{article_id}:{claim['id']}"


def event_title(step: str, subject: str) -> str:
    return f"{STEP_LABELS.get(step, step.replace('-', ' ').capitalize())}: {subject}"
