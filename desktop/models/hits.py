"""Search hits as a list model; the snippet's <mark> HTML is drawn by a delegate."""
from __future__ import annotations

import html
import re
from typing import Any, Optional, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from ..formatting import human_date
from ..plain_text import plain_tooltip

__all__ = ["HitListModel", "HIT_ROLE", "HTML_ROLE"]

HIT_ROLE = Qt.ItemDataRole.UserRole + 1     # the Hit dataclass
HTML_ROLE = Qt.ItemDataRole.UserRole + 2    # rich text for the delegate

_TAGS = re.compile(r"<[^>]+>")


class HitListModel(QAbstractListModel):
    """Holds a tuple of ``Hit``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._hits: tuple = ()

    def set_hits(self, hits: Sequence) -> None:
        self.beginResetModel()
        self._hits = tuple(hits)
        self.endResetModel()

    def hits(self) -> tuple:
        return self._hits

    def hit_at(self, row: int) -> Optional[Any]:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._hits)):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title or hit.path
        if role == HIT_ROLE:
            return hit
        if role == HTML_ROLE:
            return hit_html(hit)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            plain = html.unescape(_TAGS.sub("", hit.snippet or ""))
            text = f"{hit.title or hit.path}\n{plain}"
            return plain_tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else text
        return None


def hit_html(hit) -> str:
    """Title, source line and snippet; the snippet is already escaped HTML."""
    title = html.escape(hit.title or hit.path.rsplit("/", 1)[-1])
    source = " \u00b7 ".join(html.escape(x) for x in (hit.outlet or "", human_date(hit.published)) if x)
    snippet = hit.snippet or ""
    return (f"<div class='t'>{title}</div>"
            + (f"<div class='s'>{source}</div>" if source else "")
            + f"<div class='p'>{snippet}</div>")
