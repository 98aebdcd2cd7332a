"""The user's case decisions applied to the suggestions, following their events when keys change.

A decision is stored under the key its event or conflict had when it was
made (``arrest|oscar velde|2025-03-12``), and never rewritten. Keys hold a
person's name, and entity review changes names: merging "Oscar Velde" into
"Oskar Velde", or renaming him, gives the same event a new key, and undoing
the review gives it the old one back. So each decision also records the
claims (``<article id>:<sentence start>:<step>``) its event or conflict was
made of, and when its key is gone it applies to the event or conflict that
holds most of those claims now. Nothing is re-keyed, so an undone review
needs no undo here: the old key simply matches again.

A decision that matches nothing (its articles were removed or rewritten) is
handed back as unmatched, for the user to see, and stays stored: it applies
again if its event comes back.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Optional

from ..store.case import conflict_claims, event_claims
from .events import _split_key, claim_uid, event_title

__all__ = ["apply_decisions", "follow_statuses", "event_claims", "conflict_claims", "base_key", "key_title"]


def base_key(key: str) -> str:
    """The automatic event key a decided key starts from (a split's key is ``<key>#split-…``)."""
    return key.split("#split-", 1)[0]


def key_title(key: str) -> str:
    """A readable name for a decided key when the decision did not record its event's title."""
    parts = base_key(key).split("|")
    if len(parts) == 3:
        step, subject, date = parts
        return f"{event_title(step, subject.title())}, {date}"
    return key


class _Events:
    """The events being decided on, found by key, by a key they absorbed, or by their claims."""

    def __init__(self, events: list[dict]) -> None:
        self.events = events
        self.by_key = {g["key"]: g for g in events}
        self.alias: dict[str, dict] = {}
        self._owner: Optional[dict[str, dict]] = None

    def add(self, g: dict) -> None:
        self.events.append(g)
        self.by_key[g["key"]] = g
        self._owner = None

    def drop(self, g: dict, into: dict) -> None:
        g["_gone"] = True
        self.by_key.pop(g["key"], None)
        self.alias[g["key"]] = into
        for k, target in list(self.alias.items()):
            if target is g:
                self.alias[k] = into
        self._owner = None

    def owner(self) -> dict[str, dict]:
        if self._owner is None:
            self._owner = {claim_uid(aid, item): g for g in self.events if not g.get("_gone")
                           for aid, item in g["members"]}
        return self._owner

    def direct(self, key: str) -> Optional[dict]:
        return self.by_key.get(key) or self.alias.get(key)

    def by_claims(self, claims: Iterable[str]) -> Optional[dict]:
        """The event holding most of ``claims``; ties go to the earliest event."""
        owner = self.owner()
        counts: Counter = Counter()
        first: dict[int, dict] = {}
        for c in claims:
            g = owner.get(c)
            if g is not None:
                counts[id(g)] += 1
                first[id(g)] = g
        if not counts:
            return None
        best = max(counts.values())
        return min((first[i] for i, n in counts.items() if n == best), key=lambda g: (g["date"], g["key"]))

    def find(self, key: str, claims: Iterable[str] = ()) -> Optional[dict]:
        return self.direct(key) or self.by_claims(claims)


def _fingerprint(d: dict, key: str, split_claims: dict[str, list[str]]) -> list[str]:
    data = d["data"]
    if d["kind"] == "merge":
        found = (data.get("claims") or {}).get(key)
    else:
        found = data.get("claims") if d["kind"] == "confirm" else None
    # A decision stored before claims were recorded, about a split-off part: that part's claims.
    return list(found or split_claims.get(key, ()))


def apply_decisions(events: list[dict], decisions: list[dict]) -> tuple[list[dict], list[dict]]:
    """The suggested events with the user's decisions applied (a new list), and the decisions
    that match no event now.

    ``decisions``: as :func:`archive.store.case.decisions` gives them, oldest
    first. Splits apply first (``{"claims": [claim id, ...]}``: those claims
    become an event of their own, key ``<key>#split-<hash>``), then merges
    (``{"keys": [...]}``, the first event found keeps its key and date), then
    confirmations: an event a confirmation applies to carries
    ``timeline_event_id`` and ``decided_keys``. Each unmatched decision comes
    back with ``reason`` (and ``missing`` keys for a merge, ``event`` when
    another decision holds the event it would apply to).
    """
    out = [dict(g, members=list(g["members"])) for g in events]
    found = _Events(out)
    unmatched: list[dict] = []
    split_claims: dict[str, list[str]] = {}
    for d in decisions:
        if d["kind"] == "split":
            split_claims[_split_key(d["key"], sorted(set(d["data"]["claims"])))] = sorted(set(d["data"]["claims"]))

    for d in (d for d in decisions if d["kind"] == "split"):
        moving = set(d["data"]["claims"])
        source = found.direct(d["key"])
        if source is None:
            source = found.by_claims(moving)
        elif not any(claim_uid(*m) in moving for m in source["members"]):
            # Those sources are in another event now (or gone): nothing to move out of this one.
            if found.by_claims(moving) is None:
                unmatched.append(dict(d, reason="gone"))
            continue
        if source is None:
            unmatched.append(dict(d, reason="gone"))
            continue
        taken = [m for m in source["members"] if claim_uid(*m) in moving]
        if len(taken) == len(source["members"]):
            found.alias[_split_key(d["key"], sorted(moving))] = source  # an event of their own already
            continue
        source["members"] = [m for m in source["members"] if claim_uid(*m) not in moving]
        new = dict(source, key=_split_key(source["key"], sorted(moving)), members=taken)
        found.add(new)
        found.alias.setdefault(_split_key(d["key"], sorted(moving)), new)

    for d in (d for d in decisions if d["kind"] == "merge"):
        present, missing = [], []
        for k in d["data"]["keys"]:
            g = found.find(k, _fingerprint(d, k, split_claims))
            if g is None:
                missing.append(k)
            elif all(g is not p for p in present):
                present.append(g)
        if missing:
            unmatched.append(dict(d, reason="gone", missing=missing))
        if len(present) < 2:
            continue
        head = present[0]
        for other in present[1:]:
            head["members"].extend(m for m in other["members"] if m not in head["members"])
            head.setdefault("merged", []).extend([other["key"], *other.get("merged", ())])
            found.drop(other, head)
        for k in d["data"]["keys"]:
            if k not in found.by_key:
                found.alias[k] = head

    for d in (d for d in decisions if d["kind"] == "confirm" and d["timeline_event_id"] is not None):
        g = found.find(d["key"], _fingerprint(d, d["key"], split_claims))
        if g is None:
            unmatched.append(dict(d, reason="gone"))
        elif g.get("timeline_event_id") is not None and g["timeline_event_id"] != d["timeline_event_id"]:
            # Two events confirmed apart became one (two names merged): the first keeps it.
            unmatched.append(dict(d, reason="taken", event=g["key"], other=g["timeline_event_id"]))
        else:
            g["timeline_event_id"] = d["timeline_event_id"]
            g.setdefault("decided_keys", []).append(d["key"])

    result = [g for g in out if not g.pop("_gone", False)]
    result.sort(key=lambda g: (g["date"], g["key"]))
    return result, unmatched


def follow_statuses(conflicts: list[dict], statuses: list[dict]) -> tuple[dict[str, dict], list[dict]]:
    """``{current conflict key: status row}`` and the status rows that match no conflict now.

    ``statuses``: rows with ``key, status, note, claims`` (oldest first). A row
    whose key is gone applies to the conflict of the same kind holding most
    of its claims, unless that conflict has a status of its own.
    """
    current = {c["key"]: c for c in conflicts}
    out = {s["key"]: s for s in statuses if s["key"] in current}
    owner: dict[tuple[str, str], set[str]] = {}
    for c in conflicts:
        for uid in conflict_claims(c):
            owner.setdefault((c["kind"], uid), set()).add(c["key"])
    unmatched = []
    for s in statuses:
        if s["key"] in current:
            continue
        kind = s["key"].split("|", 1)[0]
        counts: Counter = Counter()
        for uid in s.get("claims") or ():
            counts.update(owner.get((kind, uid), ()))
        if not counts:
            unmatched.append(dict(s, reason="gone"))
            continue
        best = max(counts.values())
        target = min(k for k, n in counts.items() if n == best)
        if target in out:
            unmatched.append(dict(s, reason="taken", conflict=target))
        else:
            out[target] = dict(s, followed_from=s["key"])
    return out, unmatched
