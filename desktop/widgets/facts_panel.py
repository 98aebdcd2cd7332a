"""The facts panel: the article's facts grouped by kind, with a filter box.

People, organisations and places show one row per entity with its number of
mentions here and a "+N" badge for the other articles that name it.
Clicking an entity row shows its first mention in the reader; clicking it
again (or Enter, F3, the › button) steps to the next one, Shift+F3 or ‹ back.
Expanding it lists every mention as written, each jumping to its own span.

Signals: ``fact_activated(fact)`` (the window scrolls the reader to it) and
``entity_articles_requested(entity_id, name)`` from the context menu or the
"Other articles" button.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
                               QStyle, QStyledItemDelegate, QStyleOptionViewItem, QToolButton, QTreeView,
                               QVBoxLayout, QWidget)

from ..theme import muted_color
from ..models.facts import DETAIL_ROLE, ELSEWHERE, LABEL, MENTIONS, FactFilterProxy, FactTreeModel

__all__ = ["FactsPanel", "FactTree"]


class FactTree(QTreeView):
    """The facts tree; Enter and F3 step through an entity's mentions instead of only activating."""

    step_requested = Signal(int)    # +1 next mention, -1 previous

    def event(self, event) -> bool:
        # F3 here steps through the mentions, not the window's search matches.
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_F3:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step_requested.emit(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            event.accept()
            return
        if key == Qt.Key.Key_F3:
            self.step_requested.emit(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            event.accept()
            return
        super().keyPressEvent(event)


class _FactDelegate(QStyledItemDelegate):
    """Draws the words after a date's value in a quieter colour, and the
    "+N other articles" count as a small pill."""

    def paint(self, painter: QPainter, option, index) -> None:
        detail = index.data(DETAIL_ROLE) if index.column() == LABEL else None
        col = index.column()
        if not detail and col == LABEL:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not text:
            return
        pal = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        ink = pal.color(QPalette.ColorRole.Text)
        muted = _muted(pal)
        if style is not None:
            # Where the style would put the text, so these rows line up with the others.
            margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
            rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget).adjusted(
                margin, 0, -margin, 0)
        else:
            rect = opt.rect.adjusted(4, 0, -4, 0)
        painter.save()
        painter.setFont(opt.font)
        metrics = QFontMetrics(opt.font)
        if col == LABEL:
            sep = f" \u00b7 {detail}"
            primary = text[: -len(sep)] if text.endswith(sep) else text
            primary = metrics.elidedText(primary, Qt.TextElideMode.ElideRight, rect.width())
            painter.setPen(ink)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), primary)
            used = metrics.horizontalAdvance(primary)
            if text.endswith(sep) and rect.width() - used >= metrics.horizontalAdvance(" \u00b7 abc\u2026"):
                rest = rect.adjusted(used, 0, 0, 0)
                painter.setPen(muted)
                painter.drawText(rest, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                                 metrics.elidedText(sep, Qt.TextElideMode.ElideRight, rest.width()))
        elif col == MENTIONS:
            painter.setPen(ink if selected else muted)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), text)
        else:
            small = opt.font
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.88))
            small_metrics = QFontMetrics(small)
            w = small_metrics.horizontalAdvance(text) + 12
            h = min(rect.height() - 4, small_metrics.height() + 2)
            pill = QRectF(rect.right() - w, rect.center().y() - h / 2 + 0.5, w, h)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_badge_fill(pal))
            painter.drawRoundedRect(pill, h / 2, h / 2)
            painter.setFont(small)
            painter.setPen(ink)
            painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        if index.column() == ELSEWHERE and index.data():
            size.setWidth(size.width() + 12)
        return size


def _muted(_pal: QPalette) -> QColor:
    return muted_color()


def _badge_fill(pal: QPalette) -> QColor:
    # A step away from the row's background, readable in both palettes.
    base = pal.color(QPalette.ColorRole.Base)
    return base.darker(112) if base.lightness() > 128 else base.lighter(190)


class FactsPanel(QWidget):
    fact_activated = Signal(object)                    # Fact
    entity_articles_requested = Signal(int, str)       # entity id, name

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("factsPanel")
        self.model = FactTreeModel(self)
        self.proxy = FactFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        # The mention each entity row last showed, by entity; and the entity
        # whose mention is on screen now (a click on it steps further).
        self._cursor: dict[Any, int] = {}
        self._active: Any = None

        title = QLabel("Facts")
        title.setObjectName("panelTitle")
        self.count = QLabel("")
        self.count.setObjectName("panelCount")
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.count)

        # Why an article's facts are incomplete or missing ("facts limited to
        # the first 1,000,000 characters"), hidden when there is nothing to say.
        self.note = QLabel("")
        self.note.setObjectName("factsNote")
        self.note.setWordWrap(True)
        self.note.hide()

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter facts\u2026")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)

        self.view = FactTree()
        self.view.setObjectName("factsTree")
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(_FactDelegate(self.view))
        self.view.setUniformRowHeights(True)
        self.view.setHeaderHidden(True)
        self.view.setAlternatingRowColors(False)
        self.view.setExpandsOnDoubleClick(False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        # Sized from the rows alone: ResizeToContents would also count the
        # hidden header's words and leave the names too little room.
        header.setMinimumSectionSize(4)
        header.setSectionResizeMode(MENTIONS, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(ELSEWHERE, QHeaderView.ResizeMode.Fixed)
        self.view.clicked.connect(self._clicked)
        self.view.step_requested.connect(self.step)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

        self.prev_button = QToolButton()
        self.prev_button.setObjectName("mentionStep")
        self.prev_button.setText("\u2039")
        self.prev_button.setToolTip("Previous mention (Shift+F3)")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QToolButton()
        self.next_button.setObjectName("mentionStep")
        self.next_button.setText("\u203a")
        self.next_button.setToolTip("Next mention (F3)")
        self.next_button.clicked.connect(lambda: self.step(1))
        self.mention_label = QLabel("")
        self.mention_label.setObjectName("panelCount")
        self.others_button = QToolButton()
        self.others_button.setObjectName("othersButton")
        self.others_button.setText("Other articles")
        self.others_button.setToolTip("List the articles that mention the selected person, "
                                      "organisation or place")
        self.others_button.setEnabled(False)
        self.others_button.clicked.connect(self._request_entity_articles)
        foot = QHBoxLayout()
        foot.setContentsMargins(0, 0, 0, 0)
        foot.setSpacing(2)
        foot.addWidget(self.prev_button)
        foot.addWidget(self.next_button)
        foot.addSpacing(4)
        foot.addWidget(self.mention_label, 1)
        foot.addWidget(self.others_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.note)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        layout.addLayout(foot)
        self._update_footer()

    # -- content ------------------------------------------------------------
    def set_facts(self, facts: Sequence, entity_counts: Optional[Mapping[int, int]] = None,
                  text: str = "") -> None:
        """Show an article's facts; ``text`` (the article's) gives mentions their context."""
        self.model.set_facts(facts, entity_counts, text)
        self._cursor.clear()
        self._active = None
        self._expand_groups()
        self.count.setText(f"{len(facts)}" if facts else "none")
        self._update_footer()

    def set_note(self, note: Optional[str]) -> None:
        """Show the article's facts note (``Article.facts_note``), or hide it when there is none."""
        self.note.setText(f"{note[:1].upper()}{note[1:]}." if note else "")
        self.note.setToolTip(note or "")
        self.note.setVisible(bool(note))

    def clear(self) -> None:
        self.set_facts(())
        self.count.setText("")
        self.set_note(None)

    def selected_fact(self):
        """The fact the selection stands for: a fact, a mention, or an entity's current mention."""
        idx = self.view.currentIndex()
        if not idx.isValid() or not self.view.selectionModel().isSelected(idx):
            return None
        src = self.proxy.mapToSource(idx)
        fact = self.model.fact_at(src)
        if fact is not None:
            return fact
        entity = self.model.entity_at(src)
        if entity is None:
            return None
        return entity.mentions[self._cursor.get(_key(entity), 0)]

    def current_mention(self) -> Optional[tuple[int, int]]:
        """(position, count) of the shown mention of the selected entity, 0-based; None if none."""
        entity = self._selected_entity()
        if entity is None:
            return None
        return self._cursor.get(_key(entity), 0), len(entity.mentions)

    def select_fact(self, fact) -> bool:
        """Select and show ``fact`` in the tree without emitting ``fact_activated``.

        A mention selects its entity's row (remembering which mention it
        is, so the next click steps on from there), or the mention's own
        row when the entity is expanded."""
        src = self.model.row_index_of_fact(fact)
        if not src.isValid():
            return False
        entity = self.model.entity_at(src)
        idx = self.proxy.mapFromSource(src)
        if not idx.isValid():
            # The filter hides it: clear the filter rather than hide the user's click.
            self.filter.clear()
            idx = self.proxy.mapFromSource(src)
        if entity is not None:
            position = entity.mention_index(fact)
            self._cursor[_key(entity)] = position
            self._active = _key(entity)
            if self.view.isExpanded(idx):
                idx = self.proxy.mapFromSource(self.model.index(position, 0, src))
        self._set_current(idx)
        return True

    def step(self, delta: int = 1) -> None:
        """Show the next (``delta`` 1) or previous (-1) mention of the selected entity;
        on any other fact, show that fact again."""
        idx = self.view.currentIndex()
        if not idx.isValid():
            return
        src = self.proxy.mapToSource(idx)
        kind = self.model.row_type(src)
        if kind == "group":
            self.view.setExpanded(idx, not self.view.isExpanded(idx))
            return
        if kind == "fact":
            self.fact_activated.emit(self.model.fact_at(src))
            return
        entity = self.model.entity_of(src)
        if entity is None:
            return
        key = _key(entity)
        n = len(entity.mentions)
        if self._active == key:
            position = (self._cursor.get(key, 0) + delta) % n
        else:
            position = 0 if delta > 0 else n - 1
        self._show_mention(entity, position, move_selection=kind == "mention")

    # -- internals ------------------------------------------------------------
    def _expand_groups(self) -> None:
        # Kinds open, entities closed: one line per person until asked for more.
        for r in range(self.proxy.rowCount()):
            self.view.expand(self.proxy.index(r, 0))
        self._fit_columns()

    def _fit_columns(self) -> None:
        for col in (MENTIONS, ELSEWHERE):
            self.view.resizeColumnToContents(col)

    def _set_current(self, idx) -> None:
        self.view.expand(idx.parent())
        self.view.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(idx, QAbstractItemView.ScrollHint.EnsureVisible)
        self._update_footer()

    def _show_mention(self, entity, position: int, move_selection: bool) -> None:
        key = _key(entity)
        self._cursor[key] = position
        self._active = key
        if move_selection:
            src_row = self.model.row_index_of_fact(entity.mentions[position])
            target = self.proxy.mapFromSource(self.model.index(position, 0, src_row))
            if target.isValid():
                self._set_current(target)
        self._update_footer()
        self.fact_activated.emit(entity.mentions[position])

    def _selected_entity(self):
        idx = self.view.currentIndex()
        if not idx.isValid():
            return None
        return self.model.entity_of(self.proxy.mapToSource(idx))

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        if text.strip():
            self.view.expandAll()   # show which mentions match
            self._fit_columns()
        else:
            self.view.collapseAll()
            self._expand_groups()

    def _fact_for(self, idx):
        return self.model.fact_at(self.proxy.mapToSource(idx)) if idx.isValid() else None

    def _clicked(self, idx) -> None:
        src = self.proxy.mapToSource(idx)
        kind = self.model.row_type(src)
        if kind == "fact":
            self.fact_activated.emit(self.model.fact_at(src))
        elif kind == "mention":
            entity = self.model.entity_of(src)
            self._show_mention(entity, src.row(), move_selection=False)
        elif kind == "entity":
            self.step(1)

    def _current_changed(self, current, _previous) -> None:
        entity = self.model.entity_of(self.proxy.mapToSource(current)) if current.isValid() else None
        if entity is None or _key(entity) != self._active:
            # Another row: its next Enter or click starts from the first mention.
            self._active = None
        self._update_footer()

    def _update_footer(self) -> None:
        entity = self._selected_entity()
        n = len(entity.mentions) if entity is not None else 0
        for button in (self.prev_button, self.next_button):
            button.setEnabled(n > 1)
        if entity is None:
            self.mention_label.setText("")
            self.mention_label.setToolTip("")
        else:
            shown = self._cursor.get(_key(entity), 0) if self._active == _key(entity) else None
            if shown is None:
                self.mention_label.setText(f"{n} mention{'s' if n != 1 else ''}")
                self.mention_label.setToolTip("")
            else:
                written = " ".join(entity.mentions[shown].text.split())
                self.mention_label.setText(f"{shown + 1} of {n}")
                self.mention_label.setToolTip(f"Showing \u201c{written}\u201d, mention {shown + 1} of {n}")
        others = self.model.others_mentioning(entity) if entity is not None else None
        self.others_button.setEnabled(bool(others))
        self.others_button.setText(f"Other articles ({others})" if others else "Other articles")
        self.others_button.setToolTip(
            f"List the articles that mention {entity.name}" if others else
            "List the articles that mention the selected person, organisation or place")

    def _request_entity_articles(self) -> None:
        entity = self._selected_entity()
        if entity is not None and entity.entity_id is not None:
            self.entity_articles_requested.emit(entity.entity_id, entity.name)

    def _context_menu(self, pos) -> None:
        idx = self.view.indexAt(pos)
        if not idx.isValid():
            return
        src = self.proxy.mapToSource(idx)
        fact = self.model.fact_at(src)
        entity = self.model.entity_of(src)
        if fact is None and entity is not None:
            fact = entity.mentions[0]
        if fact is None:
            return
        menu = QMenu(self)
        go = QAction("Show in text", menu)
        go.triggered.connect(lambda: self.fact_activated.emit(fact))
        menu.addAction(go)
        if entity is not None and entity.entity_id is not None:
            others = self.model.others_mentioning(entity) or 0
            act = QAction(f"List articles mentioning {entity.name} ({others + 1})", menu)
            act.triggered.connect(lambda: self.entity_articles_requested.emit(entity.entity_id, entity.name))
            menu.addAction(act)
        menu.exec(self.view.viewport().mapToGlobal(pos))


def _key(entity) -> Any:
    return (entity.kind, entity.entity_id) if entity.entity_id is not None else (entity.kind, entity.name)
