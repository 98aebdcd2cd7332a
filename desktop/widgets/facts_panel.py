"""The facts panel: the article's facts grouped by kind, with a filter box.

Clicking a fact emits ``fact_activated(fact)`` (the window scrolls the reader
to it). People, organisations and places tell in how many other articles
they appear; the context menu (or the "Other articles" button) emits
``entity_articles_requested(entity_id, name)``.
"""
from __future__ import annotations

from typing import Mapping, Optional, Sequence

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
                               QToolButton, QTreeView, QVBoxLayout, QWidget)

from ..models.facts import FactFilterProxy, FactTreeModel

__all__ = ["FactsPanel"]


class FactsPanel(QWidget):
    fact_activated = Signal(object)                    # Fact
    entity_articles_requested = Signal(int, str)       # entity id, name

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("factsPanel")
        self.model = FactTreeModel(self)
        self.proxy = FactFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel("Facts")
        title.setObjectName("panelTitle")
        self.count = QLabel("")
        self.count.setObjectName("panelCount")
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.count)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter facts\u2026")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)

        self.view = QTreeView()
        self.view.setObjectName("factsTree")
        self.view.setModel(self.proxy)
        self.view.setUniformRowHeights(True)
        self.view.setHeaderHidden(True)
        self.view.setAlternatingRowColors(False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

        self.others_button = QToolButton()
        self.others_button.setText("Articles mentioning\u2026")
        self.others_button.setToolTip("List the articles that mention the selected person, "
                                      "organisation or place")
        self.others_button.setEnabled(False)
        self.others_button.clicked.connect(self._request_entity_articles)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.others_button, 0, Qt.AlignmentFlag.AlignLeft)

    # -- content ------------------------------------------------------------
    def set_facts(self, facts: Sequence, entity_counts: Optional[Mapping[int, int]] = None) -> None:
        self.model.set_facts(facts, entity_counts)
        self.view.expandAll()
        self.count.setText(f"{len(facts)}" if facts else "none")
        self.others_button.setEnabled(False)

    def clear(self) -> None:
        self.set_facts(())
        self.count.setText("")

    def selected_fact(self):
        idx = self.view.currentIndex()
        if not idx.isValid() or not self.view.selectionModel().isSelected(idx):
            return None
        return self.model.fact_at(self.proxy.mapToSource(idx))

    def select_fact(self, fact) -> bool:
        """Select and show ``fact`` in the tree without emitting ``fact_activated``."""
        src = self.model.index_of_fact(fact)
        if not src.isValid():
            return False
        idx = self.proxy.mapFromSource(src)
        if not idx.isValid():
            # The filter hides it: clear the filter rather than hide the user's click.
            self.filter.clear()
            idx = self.proxy.mapFromSource(src)
        self.view.expand(idx.parent())
        self.view.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    # -- internals ------------------------------------------------------------
    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self.view.expandAll()

    def _fact_for(self, idx):
        return self.model.fact_at(self.proxy.mapToSource(idx)) if idx.isValid() else None

    def _clicked(self, idx) -> None:
        fact = self._fact_for(idx)
        if fact is not None:
            self.fact_activated.emit(fact)

    def _current_changed(self, current, _previous) -> None:
        fact = self._fact_for(current)
        others = self.model.others_mentioning(fact) if fact is not None else None
        self.others_button.setEnabled(bool(others))
        if fact is not None and others:
            self.others_button.setText(f"Articles mentioning {fact.value} ({others + 1})")
        else:
            self.others_button.setText("Articles mentioning\u2026")

    def _request_entity_articles(self) -> None:
        fact = self._fact_for(self.view.currentIndex())
        if fact is not None and fact.entity_id is not None:
            self.entity_articles_requested.emit(fact.entity_id, fact.value)

    def _context_menu(self, pos) -> None:
        idx = self.view.indexAt(pos)
        fact = self._fact_for(idx)
        if fact is None:
            return
        menu = QMenu(self)
        go = QAction("Show in text", menu)
        go.triggered.connect(lambda: self.fact_activated.emit(fact))
        menu.addAction(go)
        if fact.entity_id is not None:
            others = self.model.others_mentioning(fact) or 0
            act = QAction(f"List articles mentioning {fact.value} ({others + 1})", menu)
            act.triggered.connect(lambda: self.entity_articles_requested.emit(fact.entity_id, fact.value))
            menu.addAction(act)
        menu.exec(self.view.viewport().mapToGlobal(pos))
