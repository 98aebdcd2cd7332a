"""The event table's view: in-place editors for its cells and passage drops on rows.

Editing a date checks it with the core's ``parse_partial_date`` as the user
types: the field turns red and ``date_error`` carries the reason, and Enter
is refused until the date can be read.
"""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QComboBox, QHeaderView, QLineEdit, QStyledItemDelegate, QTableView

from archive.errors import CasefileError
from archive.models import CERTAINTIES

from .passage_drop import PassageDropTarget
from .table_model import CERTAINTY, DATE, EventIdRole, SOURCES, TAGS, TITLE

__all__ = ["EventTableView", "EventDelegate", "DateValidator"]


class DateValidator(QValidator):
    """Acceptable when the core can read the text as a partial date; reports why not."""

    def __init__(self, parse: Callable[[str], object], report: Callable[[str], None], parent=None) -> None:
        super().__init__(parent)
        self._parse = parse
        self._report = report

    def validate(self, text: str, pos: int):
        try:
            self._parse(text)
        except CasefileError as exc:
            self._report(str(exc))
            # Intermediate, not Invalid: the user must be able to type through
            # "2022-1" on the way to "2022-12".
            return QValidator.State.Intermediate, text, pos
        self._report("")
        return QValidator.State.Acceptable, text, pos


class EventDelegate(QStyledItemDelegate):
    """Editors for the table: a checked line edit for dates, a combo for certainty."""

    date_error = Signal(str)     # "" when the date being typed is fine

    def __init__(self, parse_date: Callable[[str], object], parent=None) -> None:
        super().__init__(parent)
        self._parse_date = parse_date

    def createEditor(self, parent, option, index):
        if index.column() == CERTAINTY:
            combo = QComboBox(parent)
            combo.addItems(CERTAINTIES)
            return combo
        editor = super().createEditor(parent, option, index)
        if index.column() == DATE and isinstance(editor, QLineEdit):
            def report(message: str, editor=editor) -> None:
                editor.setStyleSheet("border: 1px solid #c62828; color: #c62828;" if message else "")
                editor.setToolTip(message)
                self.date_error.emit(message)
            editor.setValidator(DateValidator(self._parse_date, report, editor))
            editor.setPlaceholderText("21 Sept 2022, Sept 2022, 2022 or 2022-09-21; ~ if approximate")
        if index.column() == TAGS and isinstance(editor, QLineEdit):
            editor.setPlaceholderText("comma separated")
        return editor

    def eventFilter(self, editor, event) -> bool:  # noqa: N802 - Qt naming
        # Return/Enter in an open cell editor commits that cell. Without this
        # the panel's "Edit event…" shortcut (Return) takes the key first and
        # opens the full editor on the old values, which Save then writes back.
        # Delete in a cell editor is the editor's too, never "Delete event".
        if (event.type() == QEvent.Type.ShortcutOverride
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Delete)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            event.accept()
            return True
        return super().eventFilter(editor, event)

    def setEditorData(self, editor, index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, QLineEdit) and index.column() == DATE and not editor.hasAcceptableInput():
            # Focus left an unreadable date: keep the stored one, say why.
            try:
                self._parse_date(editor.text())
            except CasefileError as exc:
                self.date_error.emit(f"Date not changed: {exc}")
            return
        super().setModelData(editor, model, index)


class EventTableView(PassageDropTarget, QTableView):
    """The chronological table; a passage dropped on a row cites it, elsewhere starts an event."""

    passage_dropped = Signal(QMimeData, object)   # mime, event id or None

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def setModel(self, model) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(DATE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CERTAINTY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TAGS, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SOURCES, QHeaderView.ResizeMode.ResizeToContents)
        model.modelReset.connect(self.fit_columns)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Size the date and tag columns to what they hold, within bounds, so the
        title keeps the room (long ranges and tag lists elide; tooltips have them)."""
        fm = self.fontMetrics()
        header = self.horizontalHeader()
        for col, shortest, longest in ((DATE, "30 Nov 2022", "c. 30 Nov 2022 – c. 30 Dec 2022"),
                                       (TAGS, "Tags", "arrest, detention")):
            low, high = fm.horizontalAdvance(shortest) + 20, fm.horizontalAdvance(longest) + 20
            want = self.sizeHintForColumn(col) if self.model() is not None and self.model().rowCount() else 0
            header.resizeSection(col, max(low, min(high, want)))

    def commit_open_editor(self) -> bool:
        """Finish an in-place edit still open (as Return would); True if there was one."""
        if self.state() != QAbstractItemView.State.EditingState:
            return False
        editor = self.indexWidget(self.currentIndex())
        if editor is None:
            return False
        delegate = self.itemDelegateForIndex(self.currentIndex())
        delegate.commitData.emit(editor)
        delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.SubmitModelCache)
        return True

    def event_id_at(self, pos) -> Optional[int]:
        index = self.indexAt(pos)
        return index.data(EventIdRole) if index.isValid() else None

    def _drop_hover(self, pos) -> None:
        # Show which row would receive the citation.
        index = self.indexAt(pos)
        if index.isValid():
            self.setCurrentIndex(index)
