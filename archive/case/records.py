"""Plain data the case analysis hands out: suggested events, conflicts, their sources."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..models import Event

__all__ = ["CaseSource", "CaseEvent", "ConflictClaim", "Conflict", "UnmatchedDecision", "DecisionUndo", "CONFLICT_STATUSES",
           "CONFLICT_KINDS"]

CONFLICT_STATUSES = ("open", "resolved", "not-a-conflict")
CONFLICT_KINDS = ("employer", "rank", "date", "place", "age", "service", "sentence", "penalty", "negation")


@dataclass(frozen=True)
class CaseSource:
    """One article's words for a claim: the exact sentence, by offsets into its stored text."""
    claim_id: str
    article_id: int
    path: str
    outlet: Optional[str]
    published: Optional[str]
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class CaseEvent:
    """A step of the case (arrest, ruling, deportation...) as the archive's sources report it.

    ``key`` is stable across re-analysis while the sources say the same;
    ``independent_sources`` counts outlets, with copies of one wire story
    counted once. ``status`` is ``suggested`` or ``confirmed``.
    """
    key: str
    date: str
    precision: str
    kind: str
    title: str
    subject: str
    entities: tuple[str, ...]
    sources: tuple[CaseSource, ...]
    independent_sources: int
    status: str = "suggested"
    timeline_event_id: Optional[int] = None
    conflict_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConflictClaim:
    """One side of a conflict: a value and the sources that give it."""
    value: str
    sources: tuple[CaseSource, ...]


@dataclass(frozen=True)
class Conflict:
    """Sources that disagree about one subject (an employer, a date, a number...)."""
    key: str
    subject: str
    kind: str
    claims: tuple[ConflictClaim, ...]
    status: str = "open"
    note: str = ""
    event_keys: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class UnmatchedDecision:
    """A decision of the user's that applies to nothing the last analysis found (see
    ``CaseAnalysis.unmatched_decisions``). ``kind``: confirm, merge, split or conflict;
    ``text``: one line for the user."""
    kind: str
    key: str
    text: str
    decided_at: str = ""
    timeline_event_id: Optional[int] = None
    decision_id: Optional[int] = None
    status: str = ""
    note: str = ""


@dataclass(frozen=True)
class DecisionUndo:
    """What undoing a case decision took away, for :meth:`CaseAnalysis.restore` to put back (redo).

    ``kind``: confirm, merge, split or conflict. ``rows``: the stored decisions
    (or, for a conflict, the status rows) taken away; ``replaced``: for a
    conflict, the keys whose rows a restore removes first. A confirmation's
    timeline event is in ``removed_event`` when it went too, and its id in
    ``kept_event_id`` when it stayed because the user had edited it.
    ``message``: one line for the user.
    """
    kind: str
    key: str
    rows: tuple = ()
    replaced: tuple = ()
    removed_event: Optional[Event] = None
    kept_event_id: Optional[int] = None
    message: str = ""
