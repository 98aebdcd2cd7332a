"""An article's facts as a tree: one branch per kind, one leaf per fact.

Leaves are in the order they appear in the text. The second column tells,
for people, organisations and places, in how many *other* articles the
entity appears (``entity_counts`` maps entity id to the number of articles
mentioning it, this one included).
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Optional, Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from ..formatting import fact_display
from ..theme import FACT_LABELS, fact_color

__all__ = ["FactTreeModel", "FactFilterProxy", "FACT_ROLE", "KIND_ROLE", "KINDS"]

FACT_ROLE = Qt.ItemDataRole.UserRole + 1     # the Fact (leaves only)
KIND_ROLE = Qt.ItemDataRole.UserRole + 2     # the kind (both levels)
KINDS = ("date", "person", "org", "place", "quantity", "legal", "quote")
_COLUMNS = ("Fact", "Elsewhere")
_GROUP = 0  # internalId of a kind row; a fact row stores its group row + 1


class FactTreeModel(QAbstractItemModel):
    """Holds a tuple of ``Fact`` grouped by kind."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, tuple]] = []
        self._counts: Mapping[int, int] = {}

    def set_facts(self, facts: Sequence, entity_counts: Optional[Mapping[int, int]] = None) -> None:
        self.beginResetModel()
        by_kind: dict[str, list] = {}
        for f in facts:
            by_kind.setdefault(f.kind, []).append(f)
        order = list(KINDS) + sorted(k for k in by_kind if k not in KINDS)
        self._groups = [(k, tuple(sorted(by_kind[k], key=lambda f: (f.start, f.end))))
                        for k in order if k in by_kind]
        self._counts = dict(entity_counts or {})
        self.endResetModel()

    def facts(self) -> tuple:
        return tuple(f for _, fs in self._groups for f in fs)

    def index_of_fact(self, fact) -> QModelIndex:
        for g, (_, fs) in enumerate(self._groups):
            for r, f in enumerate(fs):
                if f is fact or f == fact:
                    return self.createIndex(r, 0, g + 1)
        return QModelIndex()

    def group_index(self, kind: str) -> QModelIndex:
        for g, (k, _) in enumerate(self._groups):
            if k == kind:
                return self.createIndex(g, 0, _GROUP)
        return QModelIndex()

    def fact_at(self, index: QModelIndex):
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        _, fs = self._groups[index.internalId() - 1]
        return fs[index.row()] if index.row() < len(fs) else None

    def others_mentioning(self, fact) -> Optional[int]:
        """How many other articles mention the fact's entity (None: not an entity)."""
        if fact.entity_id is None or fact.entity_id not in self._counts:
            return None
        return max(0, self._counts[fact.entity_id] - 1)

    # -- Qt model interface -------------------------------------------
    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(_COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _GROUP or parent.column() != 0:
            return QModelIndex()
        g = parent.row()
        if g >= len(self._groups) or row >= len(self._groups[g][1]):
            return QModelIndex()
        return self.createIndex(row, column, g + 1)

    def parent(self, index=QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent=QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _GROUP and parent.column() == 0 and parent.row() < len(self._groups):
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(_COLUMNS)):
            return _COLUMNS[section]
        return None

    def flags(self, index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            if index.row() >= len(self._groups):
                return None
            kind, fs = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{FACT_LABELS.get(kind, kind.title())}  ({len(fs)})" if index.column() == 0 else ""
            if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
                return fact_color(kind)
            if role == KIND_ROLE:
                return kind
            return None
        fact = self.fact_at(index)
        if fact is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return fact_display(fact)
            others = self.others_mentioning(fact)
            if others is None:
                return ""
            return f"+{others}" if others else ""
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            others = self.others_mentioning(fact)
            if others is None:
                return None
            return (f"{fact.value} is mentioned in {others} other article{'s' if others != 1 else ''} "
                    "(right-click to list them)" if others else f"Only this article mentions {fact.value}")
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"\u201c{' '.join(fact.text.split())}\u201d"]
            if fact.basis:
                lines.append(f"Basis: {fact.basis}")
            if fact.confidence < 1:
                lines.append(f"Confidence: {fact.confidence:.0%}")
            others = self.others_mentioning(fact)
            if others:
                lines.append(f"Also in {others} other article{'s' if others != 1 else ''} "
                             "(right-click to list them)")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QColor("#8a8f98")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == FACT_ROLE:
            return fact
        if role == KIND_ROLE:
            return fact.kind
        return None


class FactFilterProxy(QSortFilterProxyModel):
    """Shows the facts a predicate accepts (kind rows stay while they have any)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._predicate: Optional[Callable[[Any], bool]] = None
        self.setRecursiveFilteringEnabled(True)

    def set_predicate(self, predicate: Optional[Callable[[Any], bool]]) -> None:
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange()

    def set_text(self, text: str) -> None:
        """Keep facts whose words, value or basis contain every word of ``text``."""
        words = text.casefold().split()
        if not words:
            self.set_predicate(None)
            return

        def match(fact) -> bool:
            hay = " ".join((fact.text, fact.value, fact_display(fact), fact.basis, fact.kind)).casefold()
            return all(w in hay for w in words)
        self.set_predicate(match)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = self.sourceModel()
        if self._predicate is None:
            return True
        if not source_parent.isValid():
            return False  # a kind row shows through its accepted children (recursive filtering)
        fact = model.fact_at(model.index(source_row, 0, source_parent))
        return fact is not None and self._predicate(fact)
