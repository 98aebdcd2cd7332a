"""The chronological table of a timeline's events.

``EventTableModel`` holds a tuple of ``archive.models.Event`` and never
writes to the archive itself: an in-place edit is turned into a new
``Event`` and handed to ``edit_handler(old, new) -> Event | None`` (the
panel, which pushes an undoable command). A refused edit leaves the row
unchanged and the reason goes out on ``edit_failed``.
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QBrush

from archive.errors import CasefileError
from archive.models import CERTAINTIES, Event

from .dates import format_event_dates

__all__ = ["EventTableModel", "EventRole", "EventIdRole", "COLUMNS", "CERTAINTY_COLOURS",
           "parse_tags", "citation_warnings", "CERTAINTY_COLOURS_DARK", "certainty_colour"]

EventRole = Qt.ItemDataRole.UserRole + 1
EventIdRole = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("Date", "Title", "Certainty", "Tags", "Sources")
DATE, TITLE, CERTAINTY, TAGS, SOURCES = range(len(COLUMNS))
_EDITABLE = {DATE, TITLE, CERTAINTY, TAGS}

# One colour per certainty, in two shades: each reads at 4.5:1 or better as
# text on its palette's background (white / near-black).
CERTAINTY_COLOURS = {
    "confirmed": QColor("#2e7d32"),
    "reported": QColor("#1565c0"),
    "disputed": QColor("#c62828"),
    "unverified": QColor("#6b7078"),
}
CERTAINTY_COLOURS_DARK = {
    "confirmed": QColor("#81c784"),
    "reported": QColor("#74b3f2"),
    "disputed": QColor("#f28b82"),
    "unverified": QColor("#a0a6ae"),
}


def certainty_colour(certainty: str) -> QColor:
    """The colour of a certainty for the palette in use (grey-blue when unknown)."""
    from ..theme import is_dark

    table = CERTAINTY_COLOURS_DARK if is_dark() else CERTAINTY_COLOURS
    return QColor(table.get(certainty, QColor("#90a4ae" if is_dark() else "#455a64")))

EditHandler = Callable[[Event, Event], Optional[Event]]
DateParser = Callable[[str], object]


def parse_tags(text: str) -> tuple[str, ...]:
    """``"arrest, court ,arrest"`` -> ``("arrest", "court")``: trimmed, no blanks, no repeats."""
    seen: list[str] = []
    for part in text.split(","):
        tag = part.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return tuple(seen)


def citation_warnings(event: Event) -> list[str]:
    """One line per citation whose passage moved or is no longer in its article."""
    out = []
    for c in event.citations:
        if c.status == "missing":
            out.append(f"Passage missing from {c.title or c.article_path}")
        elif c.status == "moved":
            out.append(f"Passage moved in {c.title or c.article_path}")
    return out


class EventTableModel(QAbstractTableModel):
    """Rows are events in the order given (the core hands them out chronologically)."""

    edit_failed = Signal(str)

    def __init__(self, parent=None, *, edit_handler: Optional[EditHandler] = None,
                 date_parser: Optional[DateParser] = None) -> None:
        super().__init__(parent)
        self._events: tuple[Event, ...] = ()
        self.disputed_ids: set[int] = set()  # events an open case conflict touches
        self.edit_handler = edit_handler
        self.date_parser = date_parser

    # -- content ---------------------------------------------------------
    def set_events(self, events: Sequence[Event]) -> None:
        self.beginResetModel()
        self._events = tuple(events)
        self.endResetModel()

    def events(self) -> tuple[Event, ...]:
        return self._events

    def event_at(self, row: int) -> Optional[Event]:
        return self._events[row] if 0 <= row < len(self._events) else None

    def row_of(self, event_id: int) -> int:
        for row, ev in enumerate(self._events):
            if ev.id == event_id:
                return row
        return -1

    def replace_event(self, event: Event) -> None:
        """Show a changed event in its row right away (the order is fixed by the next reload)."""
        row = self.row_of(event.id)
        if row < 0:
            return
        events = list(self._events)
        events[row] = event
        self._events = tuple(events)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- Qt model API ----------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(COLUMNS):
                return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            if section == SOURCES:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        base = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDropEnabled)
        if index.column() in _EDITABLE and self.edit_handler is not None:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._events)):
            return None
        ev = self._events[index.row()]
        col = index.column()
        if role == EventRole:
            return ev
        if role == EventIdRole:
            return ev.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(ev, col)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(ev, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(ev, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == CERTAINTY:
            return QBrush(certainty_colour(ev.certainty)) if ev.certainty in CERTAINTY_COLOURS else None
        if role == Qt.ItemDataRole.ForegroundRole and col == SOURCES and citation_warnings(ev):
            return QBrush(certainty_colour("disputed"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SOURCES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, ev: Event, col: int):
        if col == DATE:
            return format_event_dates(ev)
        if col == TITLE:
            # ⚠: the case analysis found sources that disagree about this event. In
            # front, as on the axis: at the end a long title's elision hid it.
            return ("\u26a0 " if ev.id in self.disputed_ids else "") + ev.title
        if col == CERTAINTY:
            return ev.certainty
        if col == TAGS:
            return ", ".join(ev.tags)
        if col == SOURCES:
            count = str(len(ev.citations))
            return f"⚠ {count}" if citation_warnings(ev) else count
        return None

    def _edit_text(self, ev: Event, col: int):
        if col == DATE:
            # The ISO value re-parses exactly; the original words ("late
            # November") may lack the year the value carries.
            text = ev.start.value
            if ev.start.approximate:
                text = f"~{text}"
            return text
        if col == TAGS:
            return ", ".join(ev.tags)
        return self._display(ev, col)

    def _tooltip(self, ev: Event, col: int):
        if col == SOURCES:
            lines = [f"{c.outlet or c.title or c.article_path}: “{_short(c.quote)}”"
                     for c in ev.citations]
            lines += citation_warnings(ev)
            return "\n".join(lines) or "No cited passage yet"
        if col == DATE and ev.start.text:
            return f"From: {ev.start.text}"
        if col == TITLE and ev.description:
            return ev.description
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.edit_handler is None:
            return False
        ev = self.event_at(index.row())
        if ev is None or index.column() not in _EDITABLE:
            return False
        try:
            new = self._edited(ev, index.column(), value)
        except CasefileError as exc:
            self.edit_failed.emit(str(exc))
            return False
        if new is None or new == ev:
            return False
        saved = self.edit_handler(ev, new)
        if saved is None:
            return False
        self.replace_event(saved)
        return True

    def _edited(self, ev: Event, col: int, value) -> Optional[Event]:
        from archive.errors import InvalidInput

        text = "" if value is None else str(value)
        if col == TITLE:
            title = text.strip()
            if not title:
                raise InvalidInput("An event needs a title.")
            return dataclasses.replace(ev, title=title)
        if col == CERTAINTY:
            if text not in CERTAINTIES:
                raise InvalidInput(f"Certainty must be one of: {', '.join(CERTAINTIES)}.")
            return dataclasses.replace(ev, certainty=text)
        if col == TAGS:
            return dataclasses.replace(ev, tags=parse_tags(text))
        if col == DATE:
            if self.date_parser is None:
                return None
            start = self.date_parser(text)
            return dataclasses.replace(ev, start=start)
        return None


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
