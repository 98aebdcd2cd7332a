"""An article's facts as a tree: one branch per kind, then the facts.

People, organisations and places get one row per distinct entity (the same
person named "Teodor Brannik", "Brannik" and "Major Brannik" is one row);
its children are the mentions, in text order, each tied to its exact span.
Dates are listed chronologically (dates without a known year last); legal
steps, quantities and quotes in text order, one row per fact.

Columns: the label, the number of mentions in this article (entity rows),
and how many *other* articles mention the entity (``entity_counts`` maps an
entity id to the number of articles mentioning it, this one included).

    model.set_facts(facts, {46: 10})
    row = model.row_index_of_fact(fact)     # the entity row of a person fact
    leaf = model.index_of_fact(fact)        # the mention itself
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt

from archive.errors import InvalidInput
from archive.markup import display_text
from archive.partial_date import parse_range

from ..formatting import fact_display
from ..theme import FACT_LABELS, fact_color

__all__ = ["FactTreeModel", "FactFilterProxy", "EntityRow", "FACT_ROLE", "KIND_ROLE", "DETAIL_ROLE",
           "MENTIONS_ROLE", "ROW_TYPE_ROLE", "KINDS", "ENTITY_KINDS", "LABEL", "MENTIONS", "ELSEWHERE",
           "date_words_differ"]

FACT_ROLE = Qt.ItemDataRole.UserRole + 1      # the Fact (fact rows and mention rows)
KIND_ROLE = Qt.ItemDataRole.UserRole + 2      # the kind (every level)
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3    # the words as written, when shown after the value
MENTIONS_ROLE = Qt.ItemDataRole.UserRole + 4  # the mentions of an entity row (tuple of Fact)
ROW_TYPE_ROLE = Qt.ItemDataRole.UserRole + 5  # "group", "entity", "fact" or "mention"
KINDS = ("date", "person", "org", "place", "quantity", "legal", "quote")
ENTITY_KINDS = ("person", "org", "place")
LABEL, MENTIONS, ELSEWHERE = 0, 1, 2
_COLUMNS = ("Fact", "Mentions", "Elsewhere")
_TOP = 0  # internalId of a kind row; deeper rows store 1 + the index of their parent in _parents


@dataclass(frozen=True)
class EntityRow:
    """One person, organisation or place of the article with all its mentions (text order)."""
    kind: str
    name: str
    entity_id: Optional[int]
    mentions: tuple

    def mention_index(self, fact) -> int:
        for i, m in enumerate(self.mentions):
            if m is fact or m == fact:
                return i
        return -1


class FactTreeModel(QAbstractItemModel):
    """Holds an article's facts grouped by kind (and by entity for people, orgs, places)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, tuple]] = []   # kind, rows (EntityRow or Fact)
        self._parents: list[tuple[int, int]] = []    # (group, row) of each parent; row -1: a kind row
        self._parent_id: dict[tuple[int, int], int] = {}
        self._facts: tuple = ()
        self._text = ""
        self._counts: Mapping[int, int] = {}

    def set_facts(self, facts: Sequence, entity_counts: Optional[Mapping[int, int]] = None,
                  text: str = "") -> None:
        """Show ``facts``; with the article's ``text``, each mention row also shows
        the words that follow it, so "Brannik" and "Brannik" can be told apart."""
        self.beginResetModel()
        self._facts = tuple(facts)
        self._text = text or ""
        by_kind: dict[str, list] = {}
        for f in self._facts:
            by_kind.setdefault(f.kind, []).append(f)
        order = list(KINDS) + sorted(k for k in by_kind if k not in KINDS)
        self._groups = [(k, _rows_of(k, by_kind[k])) for k in order if k in by_kind]
        self._parents = []
        for g, (_kind, rows) in enumerate(self._groups):
            self._parents.append((g, -1))
            for r, row in enumerate(rows):
                if isinstance(row, EntityRow):
                    self._parents.append((g, r))
        self._parent_id = {key: i + 1 for i, key in enumerate(self._parents)}
        self._counts = dict(entity_counts or {})
        self.endResetModel()

    # -- lookups -----------------------------------------------------------
    def facts(self) -> tuple:
        """Every fact of the article, as given."""
        return self._facts

    def group_index(self, kind: str) -> QModelIndex:
        for g, (k, _) in enumerate(self._groups):
            if k == kind:
                return self.createIndex(g, 0, _TOP)
        return QModelIndex()

    def row_index_of_fact(self, fact) -> QModelIndex:
        """The row that stands for ``fact`` under its kind: its entity row, or the fact's own row."""
        for g, (_kind, rows) in enumerate(self._groups):
            for r, row in enumerate(rows):
                if isinstance(row, EntityRow):
                    if row.mention_index(fact) >= 0:
                        return self.createIndex(r, 0, self._parent_id[(g, -1)])
                elif row is fact or row == fact:
                    return self.createIndex(r, 0, self._parent_id[(g, -1)])
        return QModelIndex()

    def index_of_fact(self, fact) -> QModelIndex:
        """The leaf that is exactly ``fact``: a mention row under its entity, or a fact row."""
        row_idx = self.row_index_of_fact(fact)
        entity = self.entity_at(row_idx)
        if entity is None:
            return row_idx
        return self.index(entity.mention_index(fact), 0, row_idx)

    def _item(self, index: QModelIndex):
        """("group", kind) / ("entity", EntityRow) / ("fact", Fact) / ("mention", Fact) or None."""
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            if index.row() >= len(self._groups):
                return None
            return "group", self._groups[index.row()][0]
        g, r = self._parents[index.internalId() - 1]
        rows = self._groups[g][1]
        if r < 0:
            if index.row() >= len(rows):
                return None
            row = rows[index.row()]
            return ("entity", row) if isinstance(row, EntityRow) else ("fact", row)
        mentions = rows[r].mentions
        return ("mention", mentions[index.row()]) if index.row() < len(mentions) else None

    def fact_at(self, index: QModelIndex):
        """The fact of a fact row or a mention row (None for kind and entity rows)."""
        item = self._item(index)
        return item[1] if item is not None and item[0] in ("fact", "mention") else None

    def entity_at(self, index: QModelIndex) -> Optional[EntityRow]:
        """The entity of an entity row (None for any other row)."""
        item = self._item(index)
        return item[1] if item is not None and item[0] == "entity" else None

    def entity_of(self, index: QModelIndex) -> Optional[EntityRow]:
        """The entity of an entity row or of one of its mention rows."""
        entity = self.entity_at(index)
        if entity is None and self.row_type(index) == "mention":
            entity = self.entity_at(index.parent())
        return entity

    def row_type(self, index: QModelIndex) -> Optional[str]:
        item = self._item(index)
        return item[0] if item is not None else None

    def others_mentioning(self, fact_or_entity) -> Optional[int]:
        """How many other articles mention the entity (None: not an entity)."""
        entity_id = getattr(fact_or_entity, "entity_id", None)
        if entity_id is None or entity_id not in self._counts:
            return None
        return max(0, self._counts[entity_id] - 1)

    # -- Qt model interface -------------------------------------------
    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(_COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP) if row < len(self._groups) else QModelIndex()
        if parent.column() != 0 or row >= self.rowCount(parent):
            return QModelIndex()
        item = self._item(parent)
        if item[0] == "group":
            return self.createIndex(row, column, self._parent_id[(parent.row(), -1)])
        g, _r = self._parents[parent.internalId() - 1]
        return self.createIndex(row, column, self._parent_id[(g, parent.row())])

    def parent(self, index=QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        g, r = self._parents[index.internalId() - 1]
        if r < 0:
            return self.createIndex(g, 0, _TOP)
        return self.createIndex(r, 0, self._parent_id[(g, -1)])

    def rowCount(self, parent=QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0:
            return 0
        item = self._item(parent)
        if item is None:
            return 0
        if item[0] == "group":
            return len(self._groups[parent.row()][1])
        if item[0] == "entity":
            return len(item[1].mentions)
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
        item = self._item(index)
        if item is None:
            return None
        kind_of_row, value = item
        if role == ROW_TYPE_ROLE:
            return kind_of_row
        if kind_of_row == "group":
            return self._group_data(index, value, role)
        if kind_of_row == "entity":
            return self._entity_data(index, value, role)
        return self._fact_data(index, value, role, mention=kind_of_row == "mention")

    def _group_data(self, index, kind: str, role) -> Any:
        rows = self._groups[index.row()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{FACT_LABELS.get(kind, kind.title())}  ({len(rows)})" if index.column() == LABEL else ""
        if role == Qt.ItemDataRole.DecorationRole and index.column() == LABEL:
            return fact_color(kind)
        if role == Qt.ItemDataRole.ToolTipRole and kind in ENTITY_KINDS:
            n = sum(len(r.mentions) for r in rows)
            return f"{len(rows)} named, {n} mention{'s' if n != 1 else ''} in this article"
        if role == KIND_ROLE:
            return kind
        return None

    def _entity_data(self, index, entity: EntityRow, role) -> Any:
        col = index.column()
        n = len(entity.mentions)
        others = self.others_mentioning(entity)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == LABEL:
                return entity.name
            if col == MENTIONS:
                return f"{n}\u00d7" if n > 1 else ""
            return f"+{others}" if others else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == ELSEWHERE:
                return _elsewhere_tip(entity.name, others)
            written = sorted({" ".join(m.text.split()) for m in entity.mentions}, key=str.casefold)
            lines = [entity.name, f"{n} mention{'s' if n != 1 else ''} in this article"
                     + (f": {', '.join(written)}" if written != [entity.name] else "")]
            if n > 1:
                lines.append("Click again, press Enter or F3 for the next mention")
            if others:
                lines.append(_elsewhere_tip(entity.name, others))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.TextAlignmentRole and col != LABEL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == MENTIONS_ROLE:
            return entity.mentions
        if role == KIND_ROLE:
            return entity.kind
        if role == FACT_ROLE:
            return entity.mentions[0] if entity.mentions else None
        return None

    def _fact_data(self, index, fact, role, mention: bool) -> Any:
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col != LABEL:
                return ""
            detail = self._mention_context(fact) if mention else _detail(fact)
            if mention:
                written = " ".join(fact.text.split())
                return f"{written} \u00b7 {detail}" if detail else written
            shown = fact_display(fact)
            return f"{shown} \u00b7 {detail}" if detail else shown
        if role == DETAIL_ROLE and col == LABEL:
            return (self._mention_context(fact) if mention else _detail(fact)) or None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"\u201c{' '.join(display_text(fact.text).split())}\u201d"]
            if mention and fact.sentence:
                lines = [_clip(fact.sentence, 160)]
            if fact.basis:
                lines.append(f"Basis: {fact.basis}")
            if fact.confidence < 1:
                lines.append(f"Confidence: {fact.confidence:.0%}")
            return "\n".join(lines)
        if role == FACT_ROLE:
            return fact
        if role == KIND_ROLE:
            return fact.kind
        return None


    def _mention_context(self, fact) -> str:
        """The few words after a mention in the text ("be deported to Karvonia\u2026")."""
        if not self._text or not (0 <= fact.end <= len(self._text)):
            return ""
        after = display_text(self._text[fact.end: fact.end + 60])
        after = after.split("\n", 1)[0]
        words = after.split()
        if not words:
            return ""
        clipped = " ".join(words[:6])
        if len(clipped) > 40:
            clipped = clipped[:40].rsplit(" ", 1)[0]
        clipped = clipped.lstrip(",;:").strip()
        return f"{clipped}\u2026" if clipped else ""


def _rows_of(kind: str, facts: list) -> tuple:
    if kind in ENTITY_KINDS:
        return _entity_rows(kind, facts)
    if kind == "date":
        return tuple(sorted(facts, key=_date_key))
    return tuple(sorted(facts, key=lambda f: (f.start, f.end)))


def _entity_rows(kind: str, facts: list) -> tuple:
    # One row per entity, in the order each is first named in the text; facts
    # the core could not link to an entity group by their canonical value.
    groups: dict[Any, list] = {}
    for f in sorted(facts, key=lambda f: (f.start, f.end)):
        key = ("id", f.entity_id) if f.entity_id is not None else ("value", (f.value or f.text).casefold())
        groups.setdefault(key, []).append(f)
    return tuple(EntityRow(kind, fs[0].value or fs[0].text, fs[0].entity_id, tuple(fs))
                 for fs in groups.values())


def _date_key(fact):
    """Chronological: by the first day the value covers; no known year sorts last."""
    try:
        first, _ = parse_range(fact.value or "")
    except InvalidInput:
        return (1, "", fact.start)
    if not first.year_known:
        return (1, "", fact.start)
    return (0, first.value, fact.value, fact.start)


_MONTH_WORDS = {
    "jan": "jan", "january": "jan", "feb": "feb", "february": "feb", "mar": "mar", "march": "mar",
    "apr": "apr", "april": "apr", "may": "may", "jun": "jun", "june": "jun", "jul": "jul",
    "july": "jul", "aug": "aug", "august": "aug", "sep": "sep", "sept": "sep", "september": "sep",
    "oct": "oct", "october": "oct", "nov": "nov", "november": "nov", "dec": "dec", "december": "dec",
}
_FILLER = {"of", "the", "on", "in", "and", "to", "th", "st", "nd", "rd"}


def _tokens(text: str) -> set[str]:
    out = set()
    for tok in re.findall(r"\w+", text.casefold()):
        tok = re.sub(r"^(\d+)(st|nd|rd|th)$", r"\1", tok)
        if tok.isdigit():
            tok = str(int(tok))
        out.add(_MONTH_WORDS.get(tok, tok))
    return out - _FILLER


def date_words_differ(text: str, shown: str) -> bool:
    """Whether a date's words say more than its calendar value ("on Tuesday" vs "11 Mar 2025").

    "5 March 2025" against "5 Mar 2025" says nothing new; "last month",
    "mid-February" or "5 марта" do.
    """
    words = _tokens(text)
    return bool(words) and not words <= _tokens(shown)


def _detail(fact) -> str:
    if fact.kind != "date":
        return ""
    written = " ".join(fact.text.split())
    return written if date_words_differ(written, fact_display(fact)) else ""


def _elsewhere_tip(name: str, others: Optional[int]) -> Optional[str]:
    if others is None:
        return None
    if not others:
        return f"Only this article mentions {name}"
    return (f"{name} is mentioned in {others} other article{'s' if others != 1 else ''} "
            "(right-click to list them)")


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


class FactFilterProxy(QSortFilterProxyModel):
    """Shows the facts a predicate accepts (kind and entity rows stay while they have any)."""

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
        index = model.index(source_row, 0, source_parent)
        entity = model.entity_at(index)
        if entity is not None:
            return any(self._predicate(m) for m in entity.mentions)
        fact = model.fact_at(index)
        return fact is not None and self._predicate(fact)
