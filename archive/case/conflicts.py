"""Contradictions: where the archive's sources disagree about one subject.

A conflict needs two values each given by a source that does not also give
the other (an article naming both "FSO" and "Federal Guard Service" in one
breath does not disagree with itself). Kinds:

* ``employer``: the organisation a person works for, or "army" ("an army
  officer"), from "an officer with X", "X officer", "resigned from X"...;
* ``rank``: captain, major, colonel...;
* ``age`` and ``service`` (years served): values that cannot all be true:
  differing by two years or more, or a later report giving a smaller number
  than an earlier one (a birthday between two reports is no contradiction);
* ``sentence`` (a sentence handed down) and ``penalty`` (the maximum a
  charge carries): different lengths;
* ``date``: one step of one person reported on days one to three days
  apart by sources that each name only one of the days (steps further apart
  are taken to be different events);
* ``place``: one event placed in places that are not the same (an event's
  sentences saying "at X airport" and "at Y airport");
* ``negation``: "has not been deported" in a report published on or after
  the day other sources say the deportation happened.
"""
from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import Optional

from ..errors import InvalidInput
from ..partial_date import PartialDate
from .claims import STEP_LABELS
from .events import claim_subject, same_person

__all__ = ["find_conflicts", "DATE_CONFLICT_DAYS"]

DATE_CONFLICT_DAYS = 3
# Steps that happen somewhere: a request or a listing is made "in Velgrad"
# about someone elsewhere, and two places for it are no contradiction.
_PLACED_STEPS = {"arrest", "detention", "court-ruling", "sentence", "appeal", "deportation", "release", "extradition"}


def _label(step: str) -> str:
    return STEP_LABELS.get(step, step)


def _disagree(values: dict[str, set[int]]) -> bool:
    """True when two values each have a source that does not give the other."""
    items = list(values.items())
    for i, (_, a) in enumerate(items):
        for _, b in items[i + 1:]:
            if a - b and b - a:
                return True
    return False


def _conflict(key, kind, subject, sides: dict[str, list], event_keys=()) -> dict:
    return {"key": key, "kind": kind, "subject": subject, "event_keys": sorted(set(event_keys)),
            "claims": [{"value": value, "members": members} for value, members in sorted(sides.items())]}


def _member(aid: int, item: dict) -> tuple[int, dict]:
    return aid, {"id": item.get("id") or f"{item['start']}:{item['kind']}", "start": item["start"],
                 "end": item["end"], "quote": item["quote"]}


def _compatible_places(a: str, b: str) -> bool:
    wa, wb = a.casefold().split(), b.casefold().split()
    return bool(wa and wb and (wa[0] in wb or wb[0] in wa))


def _day(value: str) -> Optional[_dt.date]:
    """The calendar day of an ISO day value; None for a month, a year or no date."""
    try:
        date = PartialDate.from_iso(value)
    except InvalidInput:
        return None
    return date.first_day() if date.precision == "day" else None


def find_conflicts(articles: dict[int, dict], names: dict[int, str], orgs: dict[int, str],
                   places: dict[int, str], main_person: dict[int, str], events: list[dict]) -> list[dict]:
    """Every conflict of the archive (see the module docstring), as JSON-ready dicts."""
    out: list[dict] = []
    out.extend(_attribute_conflicts(articles, names, orgs, main_person))
    out.extend(_date_conflicts(events))
    out.extend(_place_conflicts(events, places))
    out.extend(_negation_conflicts(articles, names, main_person, events))
    out.sort(key=lambda c: (c["kind"], c["key"]))
    return out


def _attribute_conflicts(articles, names, orgs, main_person) -> list[dict]:
    groups: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for aid, art in articles.items():
        for attr in art["claims"]["attrs"]:
            person = names.get(attr["person"]) if attr.get("person") is not None else None
            main = main_person.get(aid)
            named = attr.get("person_name")
            if person is None and named:
                # A name the extractor saw without a person fact ("Brannik, 34," opening a paragraph).
                person = main if main and named.split()[-1] in main.split() else named
            subject = same_person(person, main) if person else main
            if subject is None:
                continue
            value = attr["value"]
            if attr["kind"] == "employer" and value is None:
                value = orgs.get(attr.get("org"))
                if value is None:
                    continue
            key = (attr["kind"], subject, attr.get("charge", ""))
            groups[key][value].append(_member(aid, attr))
    out = []
    for (kind, subject, charge), sides in groups.items():
        if len(sides) < 2:
            continue
        by_value = {v: {aid for aid, _ in members} for v, members in sides.items()}
        if not _disagree(by_value):
            continue
        if kind in ("age", "service") and not _ages_conflict(sides, articles):
            continue
        what = f"{subject} ({charge.replace('-', ' ')})" if charge else subject
        key = "|".join(p for p in (kind, subject.casefold(), charge) if p)
        out.append(_conflict(key, kind, what, sides))
    return out


def _ages_conflict(sides: dict[str, list], articles) -> bool:
    reports = []
    for value, members in sides.items():
        for aid, _ in members:
            try:
                age = int(float(str(value).split()[0]))
            except ValueError:
                continue
            reports.append((articles[aid].get("published") or "", age))
    ages = [a for _, a in reports]
    if max(ages) - min(ages) >= 2:
        return True
    for p1, a1 in reports:
        for p2, a2 in reports:
            if a1 == a2:
                continue
            if not p1[:10] or not p2[:10] or p1[:10] == p2[:10]:
                return True  # undated, or the same day: no birthday explains it
            if p1[:10] < p2[:10] and a1 > a2:
                return True
    return False


def _date_conflicts(events: list[dict]) -> list[dict]:
    by_bucket: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for g in events:
        if g["precision"] == "day" and _day(g["date"]) is not None:
            by_bucket[(g["step"], g["subject"])].append(g)
    out = []
    for (step, subject), group in by_bucket.items():
        group.sort(key=lambda g: g["date"])
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                gap = (_day(b["date"]) - _day(a["date"])).days
                if gap > DATE_CONFLICT_DAYS:
                    break
                arts_a = {aid for aid, _ in a["members"]}
                arts_b = {aid for aid, _ in b["members"]}
                if arts_a & arts_b:
                    continue
                key = f"date|{step}|{subject.casefold()}|{a['date']}|{b['date']}"
                sides = {a["date"]: [_step_member(m) for m in a["members"]],
                         b["date"]: [_step_member(m) for m in b["members"]]}
                out.append(_conflict(key, "date", f"{_label(step)}: {subject}", sides, [a["key"], b["key"]]))
    return out


def _step_member(member) -> tuple[int, dict]:
    aid, claim = member
    return aid, {"id": claim["id"], "start": claim["start"], "end": claim["end"], "quote": claim["quote"]}


def _place_conflicts(events: list[dict], places: dict[int, str]) -> list[dict]:
    out = []
    for g in events:
        if g["step"] not in _PLACED_STEPS:
            continue
        sides: dict[str, list] = defaultdict(list)
        for aid, claim in g["members"]:
            for fid in claim.get("places") or ():
                name = places.get(fid)
                if name is not None and (aid, claim["id"]) not in {(a, c["id"]) for a, c in sides[name]}:
                    sides[name].append(_step_member((aid, claim)))
        if len(sides) < 2:
            continue
        by_value = {v: {aid for aid, _ in members} for v, members in sides.items()}
        values = list(by_value)
        clash = any(not _compatible_places(x, y) and by_value[x] - by_value[y] and by_value[y] - by_value[x]
                    for i, x in enumerate(values) for y in values[i + 1:])
        if clash:
            out.append(_conflict(f"place|{g['key']}", "place", f"{_label(g['step'])}: {g['subject']}, "
                                 f"{g['date']}", dict(sides), [g["key"]]))
    return out


def _negation_conflicts(articles, names, main_person, events) -> list[dict]:
    by_bucket: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for g in events:
        by_bucket[(g["step"], g["subject"])].append(g)
    denials: dict[tuple[str, str], list] = defaultdict(list)
    for aid, art in articles.items():
        published = (art.get("published") or "")[:10]
        for claim in art["claims"]["steps"]:
            if claim["polarity"] != "neg":
                continue
            subject = claim_subject(claim, names, main_person.get(aid))
            if subject is None or not published:
                continue
            denials[(claim["step"], subject)].append((aid, claim, published))
    out = []
    for (step, subject), denied in denials.items():
        happened = []
        for g in by_bucket.get((step, subject), ()):
            if any(g["date"] <= published and aid not in {a for a, _ in g["members"]}
                   for aid, _, published in denied):
                happened.append(g)
        if not happened:
            continue
        label = _label(step)
        sides = {f"{label} on {g['date']}": [_step_member(m) for m in g["members"]] for g in happened}
        sides[f"no {label.lower()} yet"] = [_step_member((aid, claim)) for aid, claim, _ in denied]
        out.append(_conflict(f"negation|{step}|{subject.casefold()}", "negation", f"{label}: {subject}",
                             sides, [g["key"] for g in happened]))
    return out
