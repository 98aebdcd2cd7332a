"""The archive's entities and merge suggestions as Qt models, and the entity filter.

``EntityTableModel`` holds a tuple of the core's ``Entity``; its name column
is editable (an edit asks for a rename through ``rename_requested``, the
model itself changes nothing). ``EntityFilter`` is Qt-free: the proxy only
asks it whether a row passes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal

from .rows import RowsModel

__all__ = ["EntityTableModel", "EntityFilterProxy", "EntityFilter", "SuggestionTableModel",
           "ENTITY_ROLE", "SUGGESTION_ROLE", "KIND_LABELS"]

ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1
SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
KIND_LABELS = {"person": "Person", "org": "Organisation", "place": "Place"}
NAME, KIND, SUBTYPE, ARTICLES, MENTIONS, ALIASES = range(6)
_COLUMNS = ("Name", "Kind", "Subtype", "Articles", "Mentions", "Also written as")


@dataclass(frozen=True)
class EntityFilter:
    """Which entities a list shows: a kind (or all) and words in the name or an alias."""
    kind: Optional[str] = None
    text: str = ""

    def accepts(self, entity) -> bool:
        if self.kind and entity.kind != self.kind:
            return False
        words = self.text.casefold().split()
        if not words:
            return True
        hay = " ".join((entity.name, *entity.aliases)).casefold()
        return all(w in hay for w in words)


class EntityTableModel(RowsModel):
    """Holds a tuple of ``Entity``."""

    rename_requested = Signal(object, str)       # Entity, new name
    columns = _COLUMNS

    def set_entities(self, entities: Sequence) -> None:
        self.set_items(entities)

    def entities(self) -> tuple:
        return self._items

    def entity_at(self, row: int):
        return self.item_at(row)

    def row_of(self, entity_id: int) -> int:
        for i, e in enumerate(self._items):
            if e.id == entity_id:
                return i
        return -1

    def flags(self, index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NAME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        e = self.entity_at(index.row()) if index.isValid() else None
        if e is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return {
                NAME: e.name, KIND: KIND_LABELS.get(e.kind, e.kind), SUBTYPE: e.subtype or "",
                ARTICLES: e.article_count, MENTIONS: e.mention_count, ALIASES: ", ".join(e.aliases),
            }[col]
        if role == SORT_ROLE:
            return {ARTICLES: e.article_count, MENTIONS: e.mention_count}.get(col, str(self.data(index)).casefold())
        if role == Qt.ItemDataRole.ToolTipRole:
            also = f"\nAlso written as: {', '.join(e.aliases)}" if e.aliases else ""
            return (f"{e.name} ({KIND_LABELS.get(e.kind, e.kind).lower()}{', ' + e.subtype if e.subtype else ''})"
                    f"\n{e.article_count} articles, {e.mention_count} mentions{also}"
                    "\nDouble-click: its articles. F2: rename.")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (ARTICLES, MENTIONS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ENTITY_ROLE:
            return e
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        e = self.entity_at(index.row()) if index.isValid() else None
        if e is None or index.column() != NAME or role != Qt.ItemDataRole.EditRole:
            return False
        name = " ".join(str(value or "").split())
        if name and name != e.name:
            # The archive renames; the list is reloaded from it afterwards.
            self.rename_requested.emit(e, name)
        return False


class EntityFilterProxy(QSortFilterProxyModel):
    """Filters by an :class:`EntityFilter`; sorts numbers as numbers."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._filter = EntityFilter()
        self.setSortRole(SORT_ROLE)

    def set_filter(self, entity_filter: EntityFilter) -> None:
        self.beginFilterChange()
        self._filter = entity_filter
        self.endFilterChange()

    def entity_filter(self) -> EntityFilter:
        return self._filter

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        entity = self.sourceModel().entity_at(source_row)
        return entity is not None and self._filter.accepts(entity)


_SUGGESTION_COLUMNS = ("Keep", "Merge in", "Why")


class SuggestionTableModel(RowsModel):
    """Holds a tuple of ``MergeSuggestion``."""

    columns = _SUGGESTION_COLUMNS

    def set_suggestions(self, items: Sequence) -> None:
        self.set_items(items)

    def suggestions(self) -> tuple:
        return self._items

    def suggestion_at(self, row: int):
        return self.item_at(row)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        s = self.suggestion_at(index.row()) if index.isValid() else None
        if s is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() < 2 and s.keep.kind != s.other.kind:
                # Same name, two kinds: the kind is what tells the two rows apart.
                e = s.keep if index.column() == 0 else s.other
                return f"{e.name} ({KIND_LABELS.get(e.kind, e.kind).lower()})"
            return (s.keep.name, s.other.name, s.reason)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{s.detail}.\nAccept: \u201c{s.other.name}\u201d ({KIND_LABELS.get(s.other.kind, s.other.kind)}, "
                    f"{s.other.article_count} articles) joins \u201c{s.keep.name}\u201d "
                    f"({KIND_LABELS.get(s.keep.kind, s.keep.kind)}, {s.keep.article_count} articles).")
        if role == SUGGESTION_ROLE:
            return s
        return None
