"""The part every flat table model of the app shares: a tuple of core records, one a row, and named columns.

    class ProblemTableModel(RowsModel):
        columns = ("File", "Problem")
        def data(self, index, role): ...   # the one thing each model says for itself
"""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

__all__ = ["RowsModel"]


class RowsModel(QAbstractTableModel):
    """Holds ``items`` (a tuple, replaced whole by ``set_items``) under the header ``columns``."""

    columns: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: tuple = ()

    def set_items(self, items: Sequence) -> None:
        self.beginResetModel()
        self._items = tuple(items)
        self.endResetModel()

    def items(self) -> tuple:
        return self._items

    def item_at(self, row: int):
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.columns)):
            return self.columns[section]
        return None
