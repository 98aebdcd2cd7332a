"""Files the last indexing run could not read, and why."""
from __future__ import annotations

from pathlib import PurePath
from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

__all__ = ["ProblemTableModel", "PROBLEM_ROLE"]

PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1
_COLUMNS = ("File", "Problem")


class ProblemTableModel(QAbstractTableModel):
    """Holds a tuple of ``Problem``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._problems: tuple = ()

    def set_problems(self, problems: Sequence) -> None:
        self.beginResetModel()
        self._problems = tuple(sorted(problems, key=lambda p: p.path))
        self.endResetModel()

    def problems(self) -> tuple:
        return self._problems

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(_COLUMNS)):
            return _COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._problems)):
            return None
        p = self._problems[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return PurePath(p.path).name if index.column() == 0 else p.reason
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{p.path}\n{p.reason}"
        if role == PROBLEM_ROLE:
            return p
        return None
