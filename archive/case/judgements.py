"""Judgements: what a researcher decided about the archive's entities, and when.

A judgement names the entities it is about by kind and name, never by id,
so it still applies after the articles were re-indexed or re-extracted and
the ids changed. Judgements are only ever added; undoing one adds an
``undo`` judgement that points at it.

    j = arc.entity_review.merge("Federal Guard Service", "FSO")
    j.describe()   # 'Merged org "FSO" into "Federal Guard Service"'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

__all__ = ["ACTIONS", "Judgement", "judgement_from_row"]

# merge: ``other`` joins ``name`` (whose name is kept); split: the alias
# ``other`` becomes an entity of its own; rename: ``other`` is the new name;
# kind: ``other`` is the new kind; ignore: not an entity (the archive's stop
# list); distinct: ``name`` and ``other`` are different (a dismissed suggestion).
ACTIONS = ("merge", "split", "rename", "kind", "ignore", "distinct", "undo")

_KIND_WORDS = {"person": "person", "org": "organisation", "place": "place"}


@dataclass(frozen=True)
class Judgement:
    """One recorded decision. ``active`` while not undone; ``applied`` is
    False when the last replay found no entity by its names (the articles
    that named it were removed, say)."""
    id: int
    action: str
    kind: Optional[str]
    name: Optional[str]
    other_kind: Optional[str] = None
    other: Optional[str] = None
    target: Optional[int] = None        # undo: the judgement it undid
    undone_by: Optional[int] = None
    applied: bool = True
    created: str = ""
    detail: dict = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.action != "undo" and self.undone_by is None

    def describe(self) -> str:
        """One line a researcher reads in the ledger."""
        kind = _KIND_WORDS.get(self.kind or "", self.kind or "entity")
        if self.action == "merge":
            return f'Merged {_KIND_WORDS.get(self.other_kind or "", "entity")} "{self.other}" into {kind} "{self.name}"'
        if self.action == "split":
            return f'Split "{self.other}" off {kind} "{self.name}"'
        if self.action == "rename":
            return f'Renamed {kind} "{self.name}" to "{self.other}"'
        if self.action == "kind":
            return f'Changed "{self.name}" from {kind} to {_KIND_WORDS.get(self.other or "", self.other)}'
        if self.action == "ignore":
            return f'Marked {kind} "{self.name}" as not an entity'
        if self.action == "distinct":
            return f'Kept "{self.name}" and "{self.other}" apart'
        if self.action == "undo":
            what = self.detail.get("undid", "")
            return f"Undid #{self.target}" + (f": {what}" if what else "")
        return f"{self.action} {self.name}"


def judgement_from_row(row: dict) -> Judgement:
    return Judgement(
        id=row["id"], action=row["action"], kind=row["kind"], name=row["name"],
        other_kind=row["other_kind"], other=row["other"], target=row["target"],
        undone_by=row["undone_by"], applied=bool(row["applied"]), created=row["created"],
        detail=dict(row["detail"] or {}),
    )
