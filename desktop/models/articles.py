"""The archive panel's table: one row per article, sortable and filterable."""
from __future__ import annotations

from typing import Any, Optional, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from ..formatting import article_line, short_date
from .filters import ArticleFilter

__all__ = ["ArticleTableModel", "ArticleFilterProxy", "ARTICLE_ROLE", "SORT_ROLE"]

ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1   # the Article dataclass
SORT_ROLE = Qt.ItemDataRole.UserRole + 2      # a value that sorts right (ISO date, int)

_COLUMNS = ("Title", "Outlet", "Date", "Lang", "Facts")
TITLE, OUTLET, DATE, LANG, FACTS = range(5)


class ArticleTableModel(QAbstractTableModel):
    """Holds a tuple of ``Article``; never talks to the archive itself."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._articles: tuple = ()
        self._rows: dict[int, int] = {}

    def set_articles(self, articles: Sequence) -> None:
        self.beginResetModel()
        self._articles = tuple(articles)
        self._rows = {a.id: i for i, a in enumerate(self._articles)}
        self.endResetModel()

    def articles(self) -> tuple:
        return self._articles

    def article_at(self, row: int):
        return self._articles[row] if 0 <= row < len(self._articles) else None

    def row_of(self, article_id: int) -> Optional[int]:
        return self._rows.get(article_id)

    # -- Qt model interface -------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._articles)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(_COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _COLUMNS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section == FACTS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._articles)):
            return None
        a = self._articles[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == TITLE:
                return a.title or a.relpath
            if col == OUTLET:
                return a.outlet or ""
            if col == DATE:
                return short_date(a.published)
            if col == LANG:
                return a.lang or ""
            if col == FACTS:
                return str(a.fact_count)
        elif role == SORT_ROLE:
            if col == TITLE:
                return (a.title or a.relpath).casefold()
            if col == OUTLET:
                return (a.outlet or "").casefold()
            if col == DATE:
                # Undated articles go after the dated ones (ascending).
                return a.published or "\uffff"
            if col == LANG:
                return a.lang or ""
            if col == FACTS:
                return int(a.fact_count)
        elif role == ARTICLE_ROLE:
            return a
        elif role == Qt.ItemDataRole.ToolTipRole:
            line = article_line(a)
            return f"{a.title or a.relpath}\n{line}\n{a.relpath}" if line else f"{a.title or a.relpath}\n{a.relpath}"
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == FACTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ArticleFilterProxy(QSortFilterProxyModel):
    """Sorts on ``SORT_ROLE`` and shows the rows an ``ArticleFilter`` accepts."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._filter = ArticleFilter()
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def article_filter(self) -> ArticleFilter:
        return self._filter

    def set_filter(self, article_filter: ArticleFilter) -> None:
        self.beginFilterChange()
        self._filter = article_filter
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = self.sourceModel()
        article = model.article_at(source_row) if isinstance(model, ArticleTableModel) else None
        return article is not None and self._filter.accepts(article)

    def article_at(self, proxy_row: int):
        src = self.mapToSource(self.index(proxy_row, 0))
        return self.sourceModel().article_at(src.row()) if src.isValid() else None

    def proxy_row_of(self, article_id: int) -> Optional[int]:
        row = self.sourceModel().row_of(article_id)
        if row is None:
            return None
        idx = self.mapFromSource(self.sourceModel().index(row, 0))
        return idx.row() if idx.isValid() else None
