"""The Entities view: every person, organisation and place of the archive, to review.

A table of entities (mention and article counts, aliases, kind, subtype),
filtered by kind and text, with the review actions (merge the two selected,
split an alias off, rename, change kind, not an entity) on buttons, keys and
the context menu; beside it the merge suggestions with Accept and Dismiss.
Every action is a judgement in the archive's ledger and an undoable command
on the window's undo stack (Ctrl+Z).

Signals: ``entity_articles_requested(entity_id)`` on a double-click,
``entities_changed()`` after a review action or its undo (the window
refreshes its lists and the facts panel), ``status_message(text)``.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
                               QPushButton, QSplitter, QTableView, QToolButton, QVBoxLayout, QWidget)

from archive.errors import CasefileError

from ..entity_commands import EntityReviewCommand
from ..models.entities import (ARTICLES, KIND_LABELS, MENTIONS, NAME, EntityFilter, EntityFilterProxy,
                               EntityTableModel, SuggestionTableModel)

__all__ = ["EntitiesPanel"]

_KIND_CHOICES = (("All kinds", None), ("People", "person"), ("Organisations", "org"), ("Places", "place"))
_MENU_KEYS = (Qt.Key.Key_Menu,)


class EntitiesPanel(QWidget):
    entity_articles_requested = Signal(int)
    entities_changed = Signal()
    status_message = Signal(str)

    def __init__(self, session, undo_stack, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("entitiesPanel")
        self.session = session
        self.undo_stack = undo_stack
        self.last_error: Optional[CasefileError] = None
        self.menu: Optional[QMenu] = None        # the open context menu (tests drive it)
        self._dirty = True

        self.model = EntityTableModel(self)
        # Queued: the editor closes before the rename reloads the model under it.
        self.model.rename_requested.connect(self.rename, Qt.ConnectionType.QueuedConnection)
        self.proxy = EntityFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.suggestion_model = SuggestionTableModel(self)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by name or alias")
        self.filter_edit.setClearButtonEnabled(True)
        self.kind_combo = QComboBox()
        for label, kind in _KIND_CHOICES:
            self.kind_combo.addItem(label, kind)
        self.count = QLabel("")
        self.count.setObjectName("panelCount")
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.kind_combo.currentIndexChanged.connect(self._filter_changed)

        self.view = QTableView()
        self.view.setObjectName("entitiesTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(ARTICLES, Qt.SortOrder.DescendingOrder)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in ((NAME, 220), (1, 100), (2, 70), (ARTICLES, 64), (MENTIONS, 72)):
            self.view.setColumnWidth(col, width)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.installEventFilter(self)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.act_merge = self._action("&Merge Selected", self.merge_selected, "Ctrl+M",
                                      "Merge the two selected entities (the one in more articles keeps its name)")
        self.act_rename = self._action("&Rename\u2026", self.start_rename, "F2", "Give the entity another name")
        self.act_ignore = self._action("&Not an Entity", self.ignore_selected, QKeySequence.StandardKey.Delete,
                                       "Leave these mentions out of the entities and facts")
        self.merge_button = self._button(self.act_merge, "Merge")
        self.split_button = QToolButton()
        self.split_button.setText("Split alias")
        self.split_button.setToolTip("Make one of the entity's other names an entity of its own")
        self.split_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.split_menu = QMenu(self.split_button)
        self.split_menu.aboutToShow.connect(lambda: self._fill_split_menu(self.split_menu))
        self.split_button.setMenu(self.split_menu)
        self.rename_button = self._button(self.act_rename, "Rename")
        self.kind_button = QToolButton()
        self.kind_button.setText("Kind")
        self.kind_button.setToolTip("Change the kind: person, organisation or place")
        self.kind_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.kind_menu = QMenu(self.kind_button)
        self.kind_menu.aboutToShow.connect(lambda: self._fill_kind_menu(self.kind_menu))
        self.kind_button.setMenu(self.kind_menu)
        self.ignore_button = self._button(self.act_ignore, "Not an entity")

        self.suggestion_view = QTableView()
        self.suggestion_view.setObjectName("suggestionsTable")
        self.suggestion_view.setModel(self.suggestion_model)
        self.suggestion_view.setShowGrid(False)
        self.suggestion_view.setAlternatingRowColors(True)
        self.suggestion_view.setWordWrap(False)
        self.suggestion_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.suggestion_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.suggestion_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.suggestion_view.verticalHeader().hide()
        # All three columns share the width: the reason must stay in sight when the dock is narrow.
        self.suggestion_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.suggestion_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.suggestion_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.suggestion_view.doubleClicked.connect(lambda *_: self.accept_suggestion())
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip("Merge the two (Enter)")
        self.accept_button.clicked.connect(self.accept_suggestion)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip("They are different: never suggest them again")
        self.dismiss_button.clicked.connect(self.dismiss_suggestion)
        self.suggestion_label = QLabel("Suggestions")
        self.suggestion_label.setObjectName("panelCount")
        self.suggestion_view.installEventFilter(self)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.kind_combo)
        top.addWidget(self.count)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.merge_button, self.split_button, self.rename_button, self.kind_button, self.ignore_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.view, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.suggestion_label, 1)
        head.addWidget(self.accept_button)
        head.addWidget(self.dismiss_button)
        right_layout.addLayout(head)
        right_layout.addWidget(self.suggestion_view, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.splitter, 1)

        session.archive_opened.connect(self._archive_changed)
        session.articles_changed.connect(self._archive_changed)
        self._update_buttons()

    # ------------------------------------------------------------------ building
    def _action(self, text: str, slot, shortcut, tip: str) -> QAction:
        act = QAction(text, self)
        act.setShortcut(QKeySequence(shortcut))
        # Only while the Entities view has focus: Delete and F2 mean other things elsewhere.
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.setStatusTip(tip)
        act.setToolTip(f"{tip} ({act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
        act.triggered.connect(lambda *_: slot())
        self.addAction(act)
        return act

    def _button(self, act: QAction, text: str) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(act)
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    # ------------------------------------------------------------------ data
    def review(self):
        arc = self.session.archive
        return arc.entity_review if arc is not None else None

    def _archive_changed(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def reload(self) -> None:
        """Read the entities and suggestions again, keeping the selection."""
        arc = self.session.archive
        self._dirty = False
        if arc is None:
            self.model.set_entities(())
            self.suggestion_model.set_suggestions(())
            self._update_buttons()
            return
        selected = [e.id for e in self.selected_entities()]
        current = self.current_entity()
        # While indexing refreshes the lists every half second, suggestions (all
        # pairs of names) wait for the run to end.
        with_suggestions = not getattr(self.session, "is_indexing", False)
        try:
            entities = arc.entities()
            suggestions = arc.entity_review.suggestions() if with_suggestions else None
        except CasefileError as err:
            self.review_failed(err)
            return
        self.model.set_entities(entities)
        if suggestions is not None:
            self.suggestion_model.set_suggestions(suggestions)
            n = len(suggestions)
            self.suggestion_label.setText(f"Suggestions ({n})" if n else "No suggestions")
        else:
            self._dirty = True
            self.suggestion_label.setText("Suggestions after indexing\u2026")
        self.select_entities(selected, current=current.id if current is not None else None)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} of {total}" if shown != total else f"{total} entities")

    def _filter_changed(self, *_args) -> None:
        self.proxy.set_filter(EntityFilter(kind=self.kind_combo.currentData(), text=self.filter_edit.text()))
        self._update_count()
        self._update_buttons()

    # ------------------------------------------------------------------ selection
    def entity_at(self, proxy_index: QModelIndex):
        if not proxy_index.isValid():
            return None
        return self.model.entity_at(self.proxy.mapToSource(proxy_index).row())

    def selected_entities(self) -> list:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return [e for e in (self.entity_at(i) for i in rows) if e is not None]

    def current_entity(self):
        return self.entity_at(self.view.currentIndex())

    def proxy_index_of(self, entity_id: int, column: int = NAME) -> QModelIndex:
        row = self.model.row_of(entity_id)
        if row < 0:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, column))

    def select_entities(self, ids, current: Optional[int] = None) -> None:
        sm = self.view.selectionModel()
        sm.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for entity_id in ids:
            idx = self.proxy_index_of(entity_id)
            if idx.isValid():
                sm.select(idx, flags)
        if current is not None:
            idx = self.proxy_index_of(current)
            if idx.isValid():
                sm.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.NoUpdate)

    def current_suggestion(self):
        idx = self.suggestion_view.currentIndex()
        selected = self.suggestion_view.selectionModel().isSelected(idx) if idx.isValid() else False
        return self.suggestion_model.suggestion_at(idx.row()) if selected else None

    def _update_buttons(self) -> None:
        chosen = self.selected_entities()
        one = len(chosen) == 1
        self.act_merge.setEnabled(len(chosen) == 2)
        self.act_rename.setEnabled(one)
        self.act_ignore.setEnabled(bool(chosen))
        self.split_button.setEnabled(one and bool(chosen[0].aliases))
        self.kind_button.setEnabled(one)
        has_suggestion = self.current_suggestion() is not None
        self.accept_button.setEnabled(has_suggestion)
        self.dismiss_button.setEnabled(has_suggestion)

    # ------------------------------------------------------------------ actions
    def _push(self, text: str, action) -> bool:
        cmd = EntityReviewCommand(self, text, action)
        if not cmd.apply():
            return False
        self.undo_stack.push(cmd)
        return True

    def merge_selected(self) -> bool:
        chosen = self.selected_entities()
        if len(chosen) != 2:
            self.status_message.emit("Select two entities to merge (Ctrl+click the second).")
            return False
        keep, other = sorted(chosen, key=lambda e: (e.article_count, e.mention_count), reverse=True)
        return self.merge(keep, other)

    def merge(self, keep, other) -> bool:
        return self._push(f"Merge \u201c{other.name}\u201d into \u201c{keep.name}\u201d",
                          lambda review: review.merge(keep.id, other.id))

    def split_alias(self, entity, alias: str) -> bool:
        return self._push(f"Split \u201c{alias}\u201d off \u201c{entity.name}\u201d",
                          lambda review: review.split(entity.id, alias))

    def start_rename(self) -> None:
        entity = self.current_entity() or next(iter(self.selected_entities()), None)
        if entity is not None:
            idx = self.proxy_index_of(entity.id)
            self.view.setCurrentIndex(idx)
            self.view.edit(idx)

    def rename(self, entity, name: str) -> bool:
        return self._push(f"Rename \u201c{entity.name}\u201d to \u201c{name}\u201d",
                          lambda review: review.rename(entity.id, name))

    def change_kind(self, entity, kind: str) -> bool:
        return self._push(f"Make \u201c{entity.name}\u201d {KIND_LABELS.get(kind, kind).lower()}",
                          lambda review: review.change_kind(entity.id, kind))

    def ignore_selected(self) -> bool:
        chosen = self.selected_entities()
        if not chosen:
            return False
        if len(chosen) == 1:
            e = chosen[0]
            return self._push(f"\u201c{e.name}\u201d is not an entity", lambda review: review.ignore(e.id))
        self.undo_stack.beginMacro(f"{len(chosen)} names are not entities")
        try:
            for e in chosen:
                self._push(f"\u201c{e.name}\u201d is not an entity", lambda review, e=e: review.ignore(e.name))
        finally:
            self.undo_stack.endMacro()
        return True

    def accept_suggestion(self) -> bool:
        s = self.current_suggestion()
        if s is None:
            return False
        return self.merge(s.keep, s.other)

    def dismiss_suggestion(self) -> bool:
        s = self.current_suggestion()
        if s is None:
            return False
        return self._push(f"Keep \u201c{s.keep.name}\u201d and \u201c{s.other.name}\u201d apart",
                          lambda review: review.distinct(s.keep.id, s.other.id))

    # -- what the commands report
    def review_done(self, judgement) -> None:
        self.last_error = None
        self.reload()
        self.status_message.emit(judgement.describe() + ".")
        self.entities_changed.emit()

    def review_failed(self, error: CasefileError) -> None:
        self.last_error = error
        self.status_message.emit(str(error))

    # ------------------------------------------------------------------ menus and keys
    def _fill_split_menu(self, menu: QMenu) -> None:
        menu.clear()
        chosen = self.selected_entities()
        entity = chosen[0] if len(chosen) == 1 else None
        if entity is None or not entity.aliases:
            act = menu.addAction("No other names")
            act.setEnabled(False)
            return
        for alias in entity.aliases:
            act = menu.addAction(alias)
            act.triggered.connect(lambda *_, a=alias, e=entity: self.split_alias(e, a))

    def _fill_kind_menu(self, menu: QMenu) -> None:
        menu.clear()
        chosen = self.selected_entities()
        entity = chosen[0] if len(chosen) == 1 else None
        for kind, label in KIND_LABELS.items():
            act = menu.addAction(label)
            act.setEnabled(entity is not None and entity.kind != kind)
            if entity is not None:
                act.triggered.connect(lambda *_, k=kind, e=entity: self.change_kind(e, k))

    def _context_menu(self, pos) -> None:
        idx = self.view.indexAt(pos)
        if not idx.isValid():
            return
        entity = self.entity_at(idx)
        if entity not in self.selected_entities():
            self.view.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._open_menu(self.view.viewport().mapToGlobal(pos), entity)

    def _open_menu(self, global_pos, entity) -> None:
        menu = QMenu(self)
        show = menu.addAction(f"Show articles mentioning {entity.name} ({entity.article_count})")
        show.triggered.connect(lambda *_: self.entity_articles_requested.emit(entity.id))
        menu.addSeparator()
        menu.addAction(self.act_merge)
        split = menu.addMenu("Split alias")
        self._fill_split_menu(split)
        split.setEnabled(len(self.selected_entities()) == 1 and bool(entity.aliases))
        menu.addAction(self.act_rename)
        kind = menu.addMenu("Kind")
        self._fill_kind_menu(kind)
        kind.setEnabled(len(self.selected_entities()) == 1)
        menu.addSeparator()
        menu.addAction(self.act_ignore)
        self._update_buttons()
        self.menu = menu
        menu.popup(global_pos)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            menu_key = key in _MENU_KEYS or (key == Qt.Key.Key_F10
                                             and event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if obj is self.view and menu_key:
                entity = self.current_entity()
                if entity is not None:
                    rect = self.view.visualRect(self.view.currentIndex())
                    self._open_menu(self.view.viewport().mapToGlobal(rect.center()), entity)
                    return True
            if obj is self.suggestion_view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept_suggestion()
                return True
        return super().eventFilter(obj, event)

    def _double_clicked(self, idx: QModelIndex) -> None:
        entity = self.entity_at(idx)
        if entity is not None:
            self.entity_articles_requested.emit(entity.id)
