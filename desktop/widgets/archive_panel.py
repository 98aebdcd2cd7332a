"""The archive panel: every article in a sortable table, with filters for
outlet, language, date range and entity (a person, organisation or place
picked from a completer: only articles that mention it remain)."""
from __future__ import annotations

from typing import Optional, Sequence

from PySide6.QtCore import QItemSelectionModel, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QCompleter, QGridLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QToolButton,
                               QVBoxLayout, QWidget)

from ..models.articles import DATE, FACTS, LANG, OUTLET, TITLE, ArticleFilterProxy, ArticleTableModel
from ..models.filters import ArticleFilter
from .date_filter import DateFilterEdit

__all__ = ["ArchivePanel"]

_ANY = "Any"
_TITLE_MIN = 150                                  # px the title column keeps before others give way
_COLUMN_WIDTHS = {OUTLET: 104, DATE: 84, LANG: 40, FACTS: 44}


class ArchivePanel(QWidget):
    """Signals ``article_selected(article)`` when the current row changes, and
    ``entity_chosen(entity_id)`` when an entity is picked: the window answers
    with ``set_entity_filter`` and the ids of the articles mentioning it."""

    article_selected = Signal(object)
    article_activated = Signal(object)
    entity_chosen = Signal(int)          # the window answers with set_entity_filter

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("archivePanel")
        self.model = ArticleTableModel(self)
        self.proxy = ArticleFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._entities: dict[str, int] = {}
        self._entity: Optional[tuple[int, str, frozenset]] = None

        # Filters
        self.outlet = QComboBox()
        self.outlet.setToolTip("Only articles from this outlet")
        self.lang = QComboBox()
        self.lang.setToolTip("Only articles in this language")
        self.date_from = DateFilterEdit("Published on or after this date")
        self.date_to = DateFilterEdit("Published on or before this date", is_end=True)
        self.date_error = QLabel()
        self.date_error.setObjectName("inlineError")
        self.date_error.setWordWrap(True)
        self.date_error.hide()
        self.entity = QLineEdit()
        self.entity.setPlaceholderText("Person, organisation or place\u2026")
        self.entity.setToolTip("Only articles that mention this entity (pick one from the list)")
        self.entity.setClearButtonEnabled(True)
        self._entity_names = QStringListModel(self)
        completer = QCompleter(self._entity_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated[str].connect(self._entity_picked)
        self.entity.setCompleter(completer)
        self.entity.returnPressed.connect(lambda: self._entity_picked(self.entity.text()))
        self.entity.textChanged.connect(self._entity_text_changed)
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear filters")
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self.clear_filters)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        grid.addWidget(self._label("Outlet"), 0, 0)
        grid.addWidget(self.outlet, 0, 1)
        grid.addWidget(self._label("Language"), 0, 2)
        grid.addWidget(self.lang, 0, 3)
        # Both dates on one row under the two combos: a narrow panel keeps them whole.
        dates = QHBoxLayout()
        dates.setSpacing(6)
        dates.addWidget(self.date_from, 1)
        dates.addWidget(self._label("to"))
        dates.addWidget(self.date_to, 1)
        grid.addWidget(self._label("From"), 1, 0)
        grid.addLayout(dates, 1, 1, 1, 3)
        grid.addWidget(self._label("Mentions"), 2, 0)
        grid.addWidget(self.entity, 2, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)

        self.view = QTableView()
        self.view.setObjectName("articleTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(34)
        # The date column fits the longest date ("30 Sep 2025") in the font in use.
        self._widths = dict(_COLUMN_WIDTHS)
        self._widths[DATE] = max(self._widths[DATE], self.view.fontMetrics().horizontalAdvance("30 Sep 2025") + 22)
        for col, width in self._widths.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(self._activated)

        self.summary = QLabel("")
        self.summary.setObjectName("panelCount")
        foot = QHBoxLayout()
        foot.addWidget(self.summary, 1)
        foot.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(self.date_error)
        layout.addWidget(self.view, 1)
        layout.addLayout(foot)

        for combo in (self.outlet, self.lang):
            combo.currentIndexChanged.connect(self._apply_filter)
        for edit in (self.date_from, self.date_to):
            edit.value_changed.connect(self._apply_filter)
            edit.error_changed.connect(self._show_date_error)
        self._set_choices(self.outlet, ())
        self._set_choices(self.lang, ())

    # -- content ------------------------------------------------------------
    def set_articles(self, articles: Sequence, keep_selection: bool = True) -> None:
        current = self.current_article() if keep_selection else None
        self.model.set_articles(articles)
        dated = sorted(a.published for a in articles if a.published)
        for edit in (self.date_from, self.date_to):
            edit.set_range(dated[0] if dated else None, dated[-1] if dated else None)
        if current is not None:
            self.select_article(current.id, emit=False)
        self._update_summary()

    def set_choices(self, outlets: Sequence[str], languages: Sequence[str]) -> None:
        self._set_choices(self.outlet, outlets)
        self._set_choices(self.lang, languages)

    def set_entities(self, entities: Sequence) -> None:
        """The completer's entries: ``Entity`` objects (name, kind, article count)."""
        self._entities = {}
        labels = []
        for e in entities:
            label = f"{e.name} ({_KIND_WORD.get(e.kind, e.kind)}, {e.article_count})"
            self._entities[label] = e.id
            self._entities.setdefault(e.name, e.id)
            labels.append(label)
        self._entity_names.setStringList(labels)

    def set_entity_filter(self, entity_id: Optional[int], name: str = "",
                          article_ids: Sequence[int] = ()) -> None:
        """Show only the articles in ``article_ids`` (those mentioning the entity)."""
        if entity_id is None:
            self._entity = None
        else:
            self._entity = (entity_id, name, frozenset(article_ids))
            self.entity.blockSignals(True)
            self.entity.setText(name)
            self.entity.blockSignals(False)
        self._apply_filter()

    def clear_filters(self) -> None:
        for w in (self.outlet, self.lang, self.date_from, self.date_to, self.entity):
            w.blockSignals(True)
        self.outlet.setCurrentIndex(0)
        self.lang.setCurrentIndex(0)
        self.date_from.set_value(None, emit=False)
        self.date_to.set_value(None, emit=False)
        self.entity.clear()
        for w in (self.outlet, self.lang, self.date_from, self.date_to, self.entity):
            w.blockSignals(False)
        self._entity = None
        self._apply_filter()

    def current_article(self):
        idx = self.view.currentIndex()
        return self.proxy.article_at(idx.row()) if idx.isValid() else None

    def visible_articles(self) -> list:
        return [self.proxy.article_at(r) for r in range(self.proxy.rowCount())]

    def select_article(self, article_id: int, emit: bool = True) -> bool:
        row = self.proxy.proxy_row_of(article_id)
        if row is None:
            return False
        idx = self.proxy.index(row, 0)
        sel = self.view.selectionModel()
        if not emit:
            sel.blockSignals(True)
        sel.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                            | QItemSelectionModel.SelectionFlag.Rows)
        if not emit:
            sel.blockSignals(False)
            self.view.viewport().update()
        self.view.scrollTo(idx)
        return True

    def select_first(self) -> bool:
        if self.proxy.rowCount() == 0:
            return False
        a = self.proxy.article_at(0)
        return self.select_article(a.id)

    # -- internals ------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """On a narrow panel the fact count, then the language, give way and the
        outlet narrows, so the title never shrinks to a few letters."""
        width = self.view.viewport().width()
        if width <= 0:
            return
        shown = [OUTLET, DATE, LANG, FACTS]
        for col in (FACTS, LANG):
            if width - sum(self._widths[c] for c in shown) >= _TITLE_MIN:
                break
            shown.remove(col)
        for col in (LANG, FACTS):
            self.view.setColumnHidden(col, col not in shown)
        room = width - _TITLE_MIN - sum(self._widths[c] for c in shown if c != OUTLET)
        header = self.view.horizontalHeader()
        header.resizeSection(OUTLET, max(64, min(self._widths[OUTLET], room)))

    @staticmethod
    def _label(text: str) -> QLabel:
        lab = QLabel(text)
        lab.setObjectName("fieldLabel")
        return lab

    @staticmethod
    def _set_choices(combo: QComboBox, values: Sequence[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_ANY, None)
        for v in values:
            if v:
                combo.addItem(v, v)
        i = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(0, i))
        combo.blockSignals(False)

    def _entity_picked(self, label: str) -> None:
        entity_id = self._entities.get(label.strip())
        if entity_id is None:
            return
        self.entity_chosen.emit(entity_id)

    def _entity_text_changed(self, text: str) -> None:
        if not text.strip() and self._entity is not None:
            self._entity = None
            self._apply_filter()

    def _show_date_error(self, _message: str = "") -> None:
        message = self.date_from.error or self.date_to.error
        self.date_error.setText(message)
        self.date_error.setVisible(bool(message))

    def _apply_filter(self, *_args) -> None:
        entity_id, _, ids = self._entity if self._entity else (None, "", frozenset())
        f = ArticleFilter(outlet=self.outlet.currentData(), lang=self.lang.currentData(),
                          date_from=self.date_from.value(), date_to=self.date_to.value(),
                          entity_id=entity_id, entity_articles=ids)
        self.proxy.set_filter(f)
        self.clear_button.setEnabled(f.active)
        self._update_summary()

    def _update_summary(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        word = "article" if total == 1 else "articles"
        if self._entity:
            self.summary.setText(f"{shown} of {total} {word} mention {self._entity[1]}")
        elif shown != total:
            self.summary.setText(f"{shown} of {total} {word}")
        else:
            self.summary.setText(f"{total} {word}")

    def _current_changed(self, current, _previous) -> None:
        article = self.proxy.article_at(current.row()) if current.isValid() else None
        if article is not None:
            self.article_selected.emit(article)

    def _activated(self, idx) -> None:
        article = self.proxy.article_at(idx.row())
        if article is not None:
            self.article_activated.emit(article)


_KIND_WORD = {"person": "person", "org": "organisation", "place": "place"}
