"""The conflicts touching each timeline event, and the one-line text exports print for them.

    by_event = event_conflicts(arc.case)          # {timeline event id: [Conflict, ...]}
    notes = conflict_notes(arc.case)              # {timeline event id: ["Sources disagree: ...", ...]}
    export_timeline(events, "pdf", path, name=..., conflicts=notes)

The same rule as ``CaseAnalysis.conflicts_for_event`` (a citation quotes a
disputed sentence, or the event was confirmed from a case event a conflict is
about), worked out for every event at once so an export of a long timeline
reads the conflicts once, not once per event.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from .records import Conflict

__all__ = ["event_conflicts", "disputed_ids", "conflict_notes", "describe_conflict", "conflict_status_text"]

_MAX_OUTLETS = 3
_KINDS = {"service": "years of service", "negation": "denial"}


def event_conflicts(case, include_dismissed: bool = False) -> dict[int, list[Conflict]]:
    """``{timeline event id: [Conflict, ...]}`` for every event a conflict touches, in
    ``case.conflicts()`` order; conflicts marked "not a conflict" are left out unless asked for."""
    conflicts = [c for c in case.conflicts() if include_dismissed or c.status != "not-a-conflict"]
    confirmed = case.confirmed_keys()
    citations: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for event_id, aid, start, end in case.db.execute(
        'SELECT event_id, article_id, start, "end" FROM citations WHERE article_id IS NOT NULL'
    ):
        citations[aid].append((int(event_id), start, end))
    out: dict[int, list[Conflict]] = {}
    for c in conflicts:
        hit: set[int] = set()
        for key in c.event_keys:
            hit |= confirmed.get(key, set())
        for claim in c.claims:
            for s in claim.sources:
                hit.update(eid for eid, start, end in citations.get(s.article_id, ())
                           if start < s.end and s.start < end)
        for eid in hit:
            out.setdefault(eid, []).append(c)
    return out


def disputed_ids(by_event: dict[int, list[Conflict]]) -> set[int]:
    """The events of ``event_conflicts``' answer that an open conflict touches."""
    return {eid for eid, conflicts in by_event.items() if any(c.status == "open" for c in conflicts)}


def _outlets(claim) -> str:
    names: list[str] = []
    for s in claim.sources:
        name = s.outlet or s.path.replace("\\", "/").rsplit("/", 1)[-1]
        if name not in names:
            names.append(name)
    if len(names) > _MAX_OUTLETS:
        names = names[:_MAX_OUTLETS] + [f"{len(names) - _MAX_OUTLETS} more"]
    return ", ".join(names)


def conflict_status_text(conflict: Conflict) -> str:
    """``open``, ``resolved`` or ``resolved: <the user's note>``."""
    if conflict.status == "resolved":
        return f"resolved: {conflict.note}" if conflict.note else "resolved"
    return conflict.status.replace("-", " ")


def describe_conflict(conflict: Conflict, with_status: bool = True) -> str:
    """One line: what is disputed, each value with the outlets that give it, and the status.

    e.g. ``Sources disagree: age (Teodor Brannik) — 34 (Northline Wire) vs 35 (Eastgate Courier) [open]``;
    a source without a known outlet is named by its file.
    """
    sides = " vs ".join(f"{cl.value} ({_outlets(cl)})" if cl.sources else cl.value for cl in conflict.claims)
    verb = "Sources disagreed" if conflict.status == "resolved" else "Sources disagree"
    what = _KINDS.get(conflict.kind, conflict.kind)
    line = f"{verb}: {what} ({conflict.subject}) — {sides}" if conflict.subject else f"{verb}: {what} — {sides}"
    return f"{line} [{conflict_status_text(conflict)}]" if with_status else line


def conflict_notes(case, event_ids: Optional[set[int]] = None) -> dict[int, list[str]]:
    """``{timeline event id: [describe_conflict(c), ...]}``: plain data for the exports."""
    return {eid: [describe_conflict(c) for c in found] for eid, found in event_conflicts(case).items()
            if event_ids is None or eid in event_ids}
