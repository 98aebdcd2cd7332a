"""Qt models of the case analysis: suggested events, conflicts, and the sources of one of either."""
from __future__ import annotations

from pathlib import PurePath
from typing import Any

from PySide6.QtCore import Qt

from archive.errors import InvalidInput
from archive.partial_date import PartialDate

from .rows import RowsModel

__all__ = ["CaseEventModel", "ConflictModel", "SourceModel", "ITEM_ROLE"]

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
_CONFLICT_KINDS = {
    "employer": "Employer", "rank": "Rank", "age": "Age", "service": "Years of service", "sentence": "Sentence",
    "penalty": "Penalty",
    "date": "Date", "place": "Place", "negation": "Denial",
}
_STATUS = {"open": "Open", "resolved": "Resolved", "not-a-conflict": "Not a conflict"}


def _date_text(value: str, precision: str = "") -> str:
    """A stored ISO date as every other table shows it ("20 Feb 2025", "Feb 2025")."""
    try:
        date = PartialDate.from_iso(value)
        return (date.at_precision(precision) if precision else date).human()
    except (InvalidInput, ValueError):
        return value          # not a date: shown as stored


def _short(text: str, width: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _TupleModel(RowsModel):
    """A row per record; a subclass says each cell (``cell``) and the tooltip (``tip``)."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._items)):
            return None
        item = self._items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tip(item)
        return None

    def cell(self, item, column: int) -> Any:  # pragma: no cover - overridden
        return None

    def tip(self, item) -> Any:
        return None


class CaseEventModel(_TupleModel):
    """Holds a tuple of ``CaseEvent``."""

    columns = ("Date", "Event", "Independent", "Sources", "Status")

    def cell(self, e, column: int) -> Any:
        if column == 0:
            return _date_text(e.date, e.precision)
        if column == 1:
            return e.title + ("  ⚠" if e.conflict_keys else "")
        if column == 2:
            return str(e.independent_sources)
        if column == 3:
            return str(len({s.article_id for s in e.sources}))
        return "On the timeline" if e.status == "confirmed" else "Suggested"

    def tip(self, e) -> Any:
        lines = [e.title, f"{e.independent_sources} independent of {len({s.article_id for s in e.sources})} articles"]
        if e.conflict_keys:
            lines.append("Sources disagree: " + ", ".join(e.conflict_keys))
        return "\n".join(lines)


class ConflictModel(_TupleModel):
    """Holds a tuple of ``Conflict``."""

    columns = ("Kind", "Subject", "Claims", "Status")

    def cell(self, c, column: int) -> Any:
        if column == 0:
            return _CONFLICT_KINDS.get(c.kind, c.kind)
        if column == 1:
            return c.subject
        if column == 2:
            shown = (_date_text(cl.value) if c.kind == "date" else cl.value for cl in c.claims)
            return " vs ".join(shown)
        return _STATUS.get(c.status, c.status) + (f" — {c.note}" if c.note else "")


class SourceModel(_TupleModel):
    """Holds ``(claim value or "", CaseSource)`` pairs: the sources of one event or conflict."""

    columns = ("Claim", "Outlet", "Sentence")

    def cell(self, pair, column: int) -> Any:
        value, s = pair
        if column == 0:
            return value
        if column == 1:
            return s.outlet or PurePath(s.path).name
        return _short(s.quote)

    def tip(self, pair) -> Any:
        _, s = pair
        return f"{s.path}\n{s.quote}"
