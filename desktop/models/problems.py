"""Files the last indexing run could not read, and why."""
from __future__ import annotations

from pathlib import PurePath
from typing import Any, Sequence

from PySide6.QtCore import Qt

from .rows import RowsModel

__all__ = ["ProblemTableModel", "PROBLEM_ROLE"]

PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1
_COLUMNS = ("File", "Problem")


class ProblemTableModel(RowsModel):
    """Holds a tuple of ``Problem``, sorted by path."""

    columns = _COLUMNS

    def set_problems(self, problems: Sequence) -> None:
        self.set_items(sorted(problems, key=lambda p: p.path))

    def problems(self) -> tuple:
        return self._items

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._items)):
            return None
        p = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return PurePath(p.path).name if index.column() == 0 else p.reason
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{p.path}\n{p.reason}"
        if role == PROBLEM_ROLE:
            return p
        return None
