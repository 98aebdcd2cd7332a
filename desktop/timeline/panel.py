"""The timeline panel: a case's events as a table and on a time axis.

``TimelinePanel`` is what the main window docks. It reads timelines through
``session.archive.timelines`` on the GUI thread and writes only through the
undoable commands of ``commands.py`` (one core call each, saved when it
returns). Exports run on ``session.tasks``.

    panel = TimelinePanel(session)
    panel.citation_activated.connect(reader.show_passage)
    panel.save_state_changed.connect(window.show_saved)
    menu.addActions(panel.actions())
    panel.add_from_passage(article, start, end)   # Ctrl+T in the reader
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional, Sequence

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem, QMessageBox,
    QPushButton, QSizePolicy, QSplitter, QToolButton, QVBoxLayout, QWidget,
)

from archive.errors import CasefileError, InvalidInput, NotFound
from archive.models import CERTAINTIES, Citation, Event, Timeline
from archive.case.event_conflicts import disputed_ids
from archive.markup import display_text
from archive.partial_date import PartialDate, human_range

from ..plain_text import html_text, plain_tooltip
from .axis_view import TimeAxisView
from .passage_drop import PASSAGE_MIME
from .commands import (
    AddCitationCommand, AddEventCommand, ImportEventsCommand, RemoveCitationCommand,
    RemoveEventCommand, TimelineCommand, UpdateEventCommand,
)
from .event_editor import EventEditor, citation_label
from .export_dialog import EXPORT_FORMATS, ExportDialog, ImportDialog
from .table_model import EventTableModel
from .table_view import EventDelegate, EventTableView

__all__ = ["TimelinePanel", "PASSAGE_MIME", "passage_mime"]

_ANY = None
DEFAULT_TIMELINE = "Default"
# The dock can be made as short as this: a few table rows, one lane of the axis.
_TABLE_MIN_H = 84
_AXIS_MIN_H = 84
# Below this height (and wide enough) table and axis sit side by side.
_STACK_MIN_H = 360
_SIDE_BY_SIDE_MIN_W = 900


def passage_mime(article_id: int, start: int, end: int, text: str) -> QMimeData:
    """The drag payload of a passage, as the reader sends it."""
    mime = QMimeData()
    mime.setData(PASSAGE_MIME, json.dumps(
        {"article_id": article_id, "start": start, "end": end, "text": text}).encode("utf-8"))
    mime.setText(text)
    return mime


def _archive_span(arc):
    """The first and last calendar day the archive's date facts name (None when
    unknown), and how to say that range: at the dates' own precision, so a
    "1998 treaty" reads 1998, not 1 Jan 1998."""
    from .dates import iso_span

    try:
        first, last = arc.date_range()
    except CasefileError:
        return None, None, ""
    lo = iso_span(first) if first else None
    hi = iso_span(last) if last else None
    try:
        said = human_range(*(PartialDate.from_iso(v) for v in (first or last, last or first))) if lo and hi else ""
    except InvalidInput:
        said = ""
    return (lo[0] if lo else None), (hi[1] if hi else None), said


def _core():
    # Imported late so the panel can be built before an archive exists.
    import archive.timeline as core

    return core


class TimelinePanel(QWidget):
    """Table + time axis + sources of the selected event, with undoable editing."""

    citation_activated = Signal(int, int, int)     # article id, start, end
    save_state_changed = Signal(str, bool)         # timeline name, saved
    export_finished = Signal(str, object)          # path, error or None
    status_message = Signal(str)                   # short news for the status bar

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self.undo_stack = QUndoStack(self)
        self._timeline_id: Optional[int] = None
        self._timeline_name = ""
        self._filters: dict[str, Any] = {"tag": _ANY, "certainty": _ANY, "person": _ANY}
        self._select_after_reload: Optional[list[int]] = None
        self._syncing = False
        self._own_stamps: set[str] = set()
        self._editors: list[EventEditor] = []
        self._export_task = None
        self.setAcceptDrops(True)
        self._build()
        self._make_actions()
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.reload)
        session.archive_opened.connect(self._on_archive_opened)
        session.articles_changed.connect(self.schedule_reload)
        self.reload()

    # ================================================================ UI
    def _build(self) -> None:
        self.timeline_combo = QComboBox()
        self.timeline_combo.setToolTip("The timeline shown")
        self.tag_filter = QComboBox()
        self.certainty_filter = QComboBox()
        self.person_filter = QComboBox()
        self.certainty_filter.addItem("Any certainty", _ANY)
        for c in CERTAINTIES:
            self.certainty_filter.addItem(c, c)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("panelCount")
        for combo in (self.timeline_combo, self.tag_filter, self.certainty_filter, self.person_filter):
            combo.setMinimumContentsLength(9)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

        self.model = EventTableModel(self, edit_handler=self._commit_inline,
                                     date_parser=lambda text: _core().read_date(text))
        self.table = EventTableView()
        self.table.setModel(self.model)
        self.delegate = EventDelegate(lambda text: _core().read_date(text), self.table)
        self.table.setItemDelegate(self.delegate)
        self.table.setMinimumHeight(_TABLE_MIN_H)

        # The hint sits inside the empty table (as placeholder text would) so
        # an empty timeline costs no extra height.
        self.hint = QLabel(self.table.viewport())
        self.hint.setObjectName("timelineHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.table.viewport().installEventFilter(self)

        self.sources = QListWidget()
        self.sources.setWordWrap(True)
        self.sources.setAlternatingRowColors(True)
        self.sources.setMinimumHeight(40)
        self.go_button = QPushButton("Go to passage")
        self.go_button.setToolTip("Show the cited passage in the reader")
        sources_box = QWidget()
        sources_lay = QVBoxLayout(sources_box)
        sources_lay.setContentsMargins(0, 0, 0, 0)
        sources_lay.setSpacing(4)
        self.sources_title = QLabel("<b>Sources</b>")
        self.sources_title.setWordWrap(False)
        self.sources_title.setMinimumWidth(0)
        self.sources_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        sources_lay.addWidget(self.sources_title)
        sources_lay.addWidget(self.sources, 1)
        go_row = QHBoxLayout()
        go_row.addStretch(1)
        go_row.addWidget(self.go_button)
        sources_lay.addLayout(go_row)
        sources_box.setMinimumWidth(180)

        self.axis = TimeAxisView()
        self.axis.setMinimumHeight(_AXIS_MIN_H)
        self.lane_combo = QComboBox()
        self.lane_combo.addItem("Lanes by tag", "tag")
        self.lane_combo.addItem("Lanes by person", "person")
        self.lane_combo.setToolTip("Group the events on the time axis by tag or by person")
        zoom_out = QToolButton()
        zoom_out.setText("−")
        zoom_out.setToolTip("Zoom out (or turn the mouse wheel)")
        zoom_in = QToolButton()
        zoom_in.setText("+")
        zoom_in.setToolTip("Zoom in (or turn the mouse wheel)")
        fit = QToolButton()
        fit.setText("Fit")
        fit.setToolTip("Show the whole timeline")
        zoom_out.clicked.connect(self.axis.zoom_out)
        zoom_in.clicked.connect(self.axis.zoom_in)
        fit.clicked.connect(self.axis.fit)

        # One row of controls: the timeline and its filters on the left, the
        # axis's lanes and zoom on the right (a second row would cost height).
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(QLabel("Timeline:"))
        top.addWidget(self.timeline_combo)
        top.addSpacing(10)
        top.addWidget(QLabel("Filter:"))
        top.addWidget(self.tag_filter)
        top.addWidget(self.certainty_filter)
        top.addWidget(self.person_filter)
        top.addSpacing(8)
        top.addWidget(self.saved_label)
        top.addStretch(1)
        top.addWidget(self.lane_combo)
        top.addWidget(zoom_out)
        top.addWidget(zoom_in)
        top.addWidget(fit)

        # Table and axis side by side when the dock is short and wide,
        # stacked when it is tall (see _arrange); the sources stay on the right.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.axis)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._arranged = False
        self.outer_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.outer_splitter.addWidget(self.splitter)
        self.outer_splitter.addWidget(sources_box)
        self.outer_splitter.setStretchFactor(0, 4)
        self.outer_splitter.setStretchFactor(1, 1)
        self.outer_splitter.setChildrenCollapsible(False)

        self.message = QLabel()
        self.message.setObjectName("inlineError")
        self.message.setWordWrap(True)
        self.message.hide()

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addWidget(self.outer_splitter, 1)
        lay.addWidget(self.message)

        self.timeline_combo.activated.connect(self._on_timeline_chosen)
        self.tag_filter.activated.connect(lambda _i: self._filter_changed("tag", self.tag_filter))
        self.certainty_filter.activated.connect(
            lambda _i: self._filter_changed("certainty", self.certainty_filter))
        self.person_filter.activated.connect(lambda _i: self._filter_changed("person", self.person_filter))
        self.lane_combo.activated.connect(lambda _i: self.axis.set_lane_mode(self.lane_combo.currentData()))
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection)
        self.table.passage_dropped.connect(self.handle_passage_drop)
        self.axis.passage_dropped.connect(self.handle_passage_drop)
        self.axis.selection_changed.connect(self._on_axis_selection)
        self.axis.event_activated.connect(lambda event_id: self.edit_event(event_id))
        self.sources.itemDoubleClicked.connect(lambda _item: self.go_to_selected_citation())
        self.sources.currentRowChanged.connect(lambda _row: self._update_actions())
        self.go_button.clicked.connect(self.go_to_selected_citation)
        self.model.edit_failed.connect(self.show_message)
        self.delegate.date_error.connect(self.show_message)
        self.undo_stack.indexChanged.connect(lambda _i: self._update_actions())

    # -- layout -------------------------------------------------------------
    def _arrange(self) -> None:
        """Table beside the axis in a short, wide dock; above it in a tall one."""
        wide = self.width() >= _SIDE_BY_SIDE_MIN_W
        side_by_side = wide and self.height() < _STACK_MIN_H
        want = Qt.Orientation.Horizontal if side_by_side else Qt.Orientation.Vertical
        if self.splitter.orientation() != want or (not self._arranged and self.isVisible()):
            self._arranged = self.isVisible()
            self.splitter.setOrientation(want)
            extent = self.splitter.width() if side_by_side else self.splitter.height()
            first = int(extent * 0.5)
            self.splitter.setSizes([first, max(1, extent - first)])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if obj is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._place_hint()
        return super().eventFilter(obj, event)

    def _place_hint(self) -> None:
        area = self.table.viewport().rect().adjusted(12, 6, -12, -6)
        self.hint.setGeometry(area)

    def _make_actions(self) -> None:
        def action(text: str, slot, tip: str, shortcut=None) -> QAction:
            act = QAction(text, self)
            act.setStatusTip(tip)
            act.setToolTip(tip)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            self.addAction(act)
            return act

        self.new_event_action = action("&New event…", self.new_event, "Add an event by hand")
        self.edit_event_action = action("&Edit event…", self.edit_event,
                                        "Edit every field of the selected event", "Return")
        self.delete_event_action = action("&Delete event", self.delete_events,
                                          "Delete the selected events (Undo brings them back)",
                                          QKeySequence.StandardKey.Delete)
        self.new_timeline_action = action("New &timeline…", self.new_timeline, "Start another timeline")
        self.rename_action = action("&Rename timeline…", self.rename_timeline, "Rename this timeline")
        self.export_actions = []
        for fmt, label, _ext, _filter in EXPORT_FORMATS:
            act = action(f"E&xport as {label}…", lambda fmt=fmt: self.export(fmt),
                         f"Save this timeline as {label}")
            self.export_actions.append(act)
        self.import_action = action("&Import CSV…", self.import_csv, "Add events from a CSV file")
        self._update_actions()

    def actions(self) -> list[QAction]:  # noqa: D401 - the Timeline menu's entries
        """The Timeline menu: events, timelines, exports (CSV, PDF, TimelineJS JSON, Markdown), import."""
        return [self.new_event_action, self.edit_event_action, self.delete_event_action,
                self.new_timeline_action, self.rename_action, *self.export_actions, self.import_action]

    def _update_actions(self) -> None:
        has_archive = self._session.archive is not None
        selected = bool(self.selected_event_ids())
        for act in (self.new_event_action, self.new_timeline_action, self.import_action):
            act.setEnabled(has_archive)
        self.edit_event_action.setEnabled(has_archive and len(self.selected_event_ids()) == 1)
        self.delete_event_action.setEnabled(has_archive and selected)
        self.rename_action.setEnabled(has_archive and self._timeline_id is not None)
        for act in self.export_actions:
            act.setEnabled(has_archive and self._timeline_id is not None)
        citation = self.selected_citation()
        self.go_button.setEnabled(citation is not None and citation.article_id is not None
                                  and citation.status != "missing")

    # ============================================================ reading
    @property
    def timelines(self):
        """The open archive's ``Timelines`` (NotFound when no archive is open)."""
        arc = self._session.archive
        if arc is None:
            raise NotFound("No archive is open: open or create one first.")
        return arc.timelines

    def article(self, id_or_path):
        """An article with its text (for citing it)."""
        arc = self._session.archive
        if arc is None:
            raise NotFound("No archive is open: open or create one first.")
        return arc.article(id_or_path)

    def current_timeline(self) -> Optional[Timeline]:
        if self._session.archive is None or self._timeline_id is None:
            return None
        return next((t for t in self.timelines.list() if t.id == self._timeline_id), None)

    def set_current_timeline(self, timeline_id: int) -> None:
        self._timeline_id = timeline_id
        self._filters = {"tag": _ANY, "certainty": _ANY, "person": _ANY}
        self.reload()

    def events(self) -> tuple[Event, ...]:
        """The events shown (after the filters)."""
        return self.model.events()

    def schedule_reload(self) -> None:
        self._reload_timer.start()

    def reload(self) -> None:
        """Read the timelines and the current one's events again, keeping selection and filters."""
        self._reload_timer.stop()
        arc = self._session.archive
        keep = self._select_after_reload if self._select_after_reload is not None else self.selected_event_ids()
        self._select_after_reload = None
        if arc is None:
            self._timeline_id, self._timeline_name = None, ""
            self.timeline_combo.clear()
            self.model.set_events(())
            self.axis.set_events(())
            self._fill_filters(())
            self._show_hint()
            self.setEnabled(False)
            self._update_actions()
            return
        self.setEnabled(True)
        try:
            tl = arc.timelines
            timelines = tl.list()
            ids = [t.id for t in timelines]
            if self._timeline_id not in ids:
                # The core's "Default" timeline comes into being with its first
                # event; until then show it without writing anything.
                default = next((t.id for t in timelines if t.name == DEFAULT_TIMELINE), None)
                self._timeline_id = default if default is not None else (ids[0] if ids else None)
            self._timeline_name = next((t.name for t in timelines if t.id == self._timeline_id),
                                       DEFAULT_TIMELINE)
            self.timeline_combo.blockSignals(True)
            self.timeline_combo.clear()
            for t in timelines:
                self.timeline_combo.addItem(t.name, t.id)
            if self._timeline_id is None:
                self.timeline_combo.addItem(DEFAULT_TIMELINE, None)
            self.timeline_combo.setCurrentIndex(max(0, self.timeline_combo.findData(self._timeline_id)))
            self.timeline_combo.blockSignals(False)
            if self._timeline_id is None:
                everything = []
            else:
                everything = tl.events(timeline=self._timeline_id)
            self._fill_filters(everything)
            f = self._filters
            if self._timeline_id is None or (f["tag"] is None and f["certainty"] is None
                                             and f["person"] is None):
                shown = everything
            else:
                shown = tl.events(timeline=self._timeline_id,
                                  tags=(f["tag"],) if f["tag"] else (),
                                  certainty=f["certainty"], person=f["person"])
        except CasefileError as exc:
            self.show_error(exc)
            return
        self._total = len(everything)
        # One reading of the conflicts serves the table's marker and the axis.
        try:
            by_event = arc.case.conflicts_by_event()
        except CasefileError:
            by_event = {}
        self.model.disputed_ids = disputed_ids(by_event)
        self.axis.set_conflicts(by_event)
        self.model.set_events(shown)
        if not shown:
            # Nothing to place: show the stretch of time the articles talk about.
            self.axis.set_empty_range(*_archive_span(arc))
        self.axis.set_events(shown)
        self.select_events([i for i in keep if self.model.row_of(i) >= 0])
        self._show_sources()
        self._show_hint()
        self._update_actions()

    def _fill_filters(self, events: Sequence[Event]) -> None:
        tags = sorted({t for ev in events for t in ev.tags}, key=str.lower)
        people = sorted({p for ev in events for p in ev.people}, key=str.lower)
        for key, combo, first, values in (("tag", self.tag_filter, "All tags", tags),
                                          ("person", self.person_filter, "Anyone", people)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, _ANY)
            for v in values:
                combo.addItem(v, v)
            if self._filters[key] is not None and self._filters[key] not in values:
                # Keep a filter the user chose even if no event matches it now.
                combo.addItem(self._filters[key], self._filters[key])
            combo.setCurrentIndex(max(0, combo.findData(self._filters[key])))
            combo.blockSignals(False)
        self.certainty_filter.setCurrentIndex(max(0, self.certainty_filter.findData(self._filters["certainty"])))

    def _show_hint(self) -> None:
        if self._session.archive is None:
            text = "Open an archive to build a timeline."
        elif self.model.rowCount() == 0 and any(v is not None for v in self._filters.values()):
            text = "No event matches the filters."
        elif self.model.rowCount() == 0:
            text = ("No events yet. Add one from a fact or a passage in the reader (Ctrl+T), "
                    "drop a passage here, or choose Timeline ▸ New event…")
        else:
            text = ""
        self.hint.setText(text)
        self._place_hint()
        self.hint.setVisible(bool(text))

    # ============================================================ filters
    def set_filter(self, *, tag: Optional[str] = _ANY, certainty: Optional[str] = _ANY,
                   person: Optional[str] = _ANY) -> None:
        """Show only events with this tag / certainty / person (None: any)."""
        if certainty is not None and certainty not in CERTAINTIES:
            raise InvalidInput(f"Certainty must be one of: {', '.join(CERTAINTIES)}.")
        self._filters = {"tag": tag, "certainty": certainty, "person": person}
        self.reload()

    def _filter_changed(self, key: str, combo: QComboBox) -> None:
        self._filters[key] = combo.currentData()
        self.reload()

    def _on_timeline_chosen(self, index: int) -> None:
        timeline_id = self.timeline_combo.itemData(index)
        if timeline_id is not None and timeline_id != self._timeline_id:
            self.set_current_timeline(timeline_id)

    def _on_archive_opened(self) -> None:
        # Commands hold ids of the previous archive: they cannot be undone here.
        self.undo_stack.clear()
        self._timeline_id = None
        self._filters = {"tag": _ANY, "certainty": _ANY, "person": _ANY}
        self.reload()

    # ========================================================== selection
    def selected_event_ids(self) -> list[int]:
        sm = self.table.selectionModel()
        if sm is None:
            return []
        return [self.model.event_at(ix.row()).id for ix in sm.selectedRows()
                if self.model.event_at(ix.row()) is not None]

    def selected_events(self) -> list[Event]:
        return [ev for ev in self.model.events() if ev.id in set(self.selected_event_ids())]

    def select_events(self, ids: Sequence[int]) -> None:
        """Select these events in the table and on the axis."""
        self._syncing = True
        try:
            selection = QItemSelection()
            last = self.model.columnCount() - 1
            for event_id in ids:
                row = self.model.row_of(event_id)
                if row >= 0:
                    selection.select(self.model.index(row, 0), self.model.index(row, last))
            sm = self.table.selectionModel()
            sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if ids and self.model.row_of(ids[0]) >= 0:
                first = self.model.index(self.model.row_of(ids[0]), 0)
                sm.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.table.scrollTo(first)
            self.axis.select_events(ids)
        finally:
            self._syncing = False
        self._show_sources()
        self._update_actions()

    def _on_table_selection(self, *_args) -> None:
        if self._syncing:
            return
        self.axis.select_events(self.selected_event_ids())
        self._show_sources()
        self._update_actions()

    def _on_axis_selection(self, ids: list) -> None:
        if self._syncing:
            return
        self.select_events(ids)

    # =========================================================== sources
    def _show_sources(self) -> None:
        events = self.selected_events()
        self.sources.clear()
        self._source_citations: list[Citation] = []
        if len(events) != 1:
            self.sources_title.setText("<b>Sources</b>" + ("" if events else " — select an event"))
        else:
            ev = events[0]
            self.sources_title.setText(f"<b>Sources</b> of “{html_text(ev.title)}” ({len(ev.citations)})")
            for c in ev.citations:
                item = QListWidgetItem(citation_label(c))
                quote = display_text(c.quote)
                item.setToolTip(plain_tooltip(
                    quote if c.status == "ok" else
                    f"{quote}\n\n" + ("This passage is no longer in the article."
                                        if c.status == "missing" else
                                        "The article changed; the passage was found again.")))
                if c.status != "ok":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.sources.addItem(item)
                self._source_citations.append(c)
            if ev.citations:
                self.sources.setCurrentRow(0)
        self._update_actions()

    def selected_citation(self) -> Optional[Citation]:
        row = self.sources.currentRow()
        cites = getattr(self, "_source_citations", [])
        return cites[row] if 0 <= row < len(cites) else None

    def go_to_selected_citation(self) -> None:
        citation = self.selected_citation()
        if citation is not None:
            self.go_to_citation(citation)

    def go_to_citation(self, citation: Citation) -> None:
        """Show a cited passage in the reader (via ``citation_activated``)."""
        if citation.article_id is None:
            self.show_message(f"{citation.article_path}: this article is no longer in the archive.")
            return
        if citation.status == "missing":
            self.show_message(f"{citation.title or citation.article_path}: the cited passage is no longer "
                              "in the article; the quote is kept in the event.")
            return
        self.citation_activated.emit(citation.article_id, citation.start, citation.end)

    # ============================================================ writing
    # The Writer protocol of commands.py.
    def write_begun(self) -> None:
        self.save_state_changed.emit(self._timeline_name, False)
        self.saved_label.setText("Saving…")

    def owns_stamp(self, modified: str) -> bool:
        return modified in self._own_stamps

    def write_done(self, event_id: Optional[int]) -> None:
        if event_id is not None:
            try:
                event = self.timelines.event(event_id)
            except CasefileError:
                event = None
            if event is not None:
                self._own_stamps.add(event.modified)
                if self._timeline_id != event.timeline_id:
                    # The first event created the "Default" timeline, or an
                    # undo restored an event elsewhere: show where it is.
                    self._timeline_id = event.timeline_id
                    self._filters = {"tag": _ANY, "certainty": _ANY, "person": _ANY}
                    self._timeline_name = next((t.name for t in self.timelines.list()
                                                if t.id == event.timeline_id), self._timeline_name)
        self.save_state_changed.emit(self._timeline_name, True)
        self.saved_label.setText("All changes saved")
        self.message.hide()
        if event_id is not None:
            self._select_after_reload = [event_id]
        self.schedule_reload()

    def write_failed(self, error: CasefileError) -> None:
        # The refused edit is not kept anywhere and the reload shows what is
        # stored, so nothing is left unsaved: the error says what was refused.
        self.save_state_changed.emit(self._timeline_name, True)
        self.saved_label.setText("")
        self.show_error(error)
        self.schedule_reload()

    def run_command(self, cmd: TimelineCommand) -> bool:
        """Do an edit and put it on the undo stack; False (error shown) if the core refused it."""
        if not cmd.apply():
            return False
        self.undo_stack.push(cmd)
        return True

    def _commit_inline(self, old: Event, new: Event) -> Optional[Event]:
        cmd = UpdateEventCommand(self, old, new)
        return cmd.event if self.run_command(cmd) else None

    # ============================================================ events
    def _entity_names(self) -> dict:
        arc = self._session.archive
        names: dict[str, list[str]] = {}
        try:
            for ent in arc.entities():
                names.setdefault(ent.kind, []).append(ent.name)
        except (CasefileError, AttributeError):
            return {}
        return names

    def _open_editor(self, draft: Event) -> EventEditor:
        editor = EventEditor(draft, parse_date=_core().read_date, on_save=self._save_from_editor,
                             entity_names=self._entity_names(), passage_source=self.reader_passage,
                             load_stored=lambda event_id: self.timelines.event(event_id), parent=self)
        editor.go_to_citation.connect(self.go_to_citation)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._editors.append(editor)
        editor.finished.connect(lambda _r, e=editor: self._editors.remove(e) if e in self._editors else None)
        editor.open()
        return editor

    def open_editors(self) -> list[EventEditor]:
        return list(self._editors)

    def _save_from_editor(self, event: Event, removed: list[Citation], added: Sequence[Citation] = ()) -> bool:
        if event.id is None:
            return self.run_command(AddEventCommand(self, event, self._timeline_id))
        try:
            old = self.timelines.event(event.id)
        except CasefileError as exc:
            self.show_error(exc)
            return False
        first = UpdateEventCommand(self, old, event)
        if not removed and not added:
            return self.run_command(first)
        if not first.apply():
            return False
        self.undo_stack.beginMacro(f"Edit event “{event.title}”")
        self.undo_stack.push(first)
        ok = True
        for c in removed:
            ok = self.run_command(RemoveCitationCommand(self, event.id, c)) and ok
        # Passages cited from the reader in the editor, in the same undo step.
        for c in added:
            ok = self.run_command(AddCitationCommand(self, event.id, c.article_id, c.quote, c.start)) and ok
        self.undo_stack.endMacro()
        return ok

    def _blank_event(self) -> Event:
        from .new_event_date import case_period_date

        try:
            events = self.timelines.events(timeline=self._timeline_id) if self._timeline_id else []
            span = self._session.archive.date_range()
        except CasefileError:
            events, span = [], (None, None)
        selected = self.selected_events()
        return Event(id=None, timeline_id=self._timeline_id,
                     start=case_period_date(selected[0] if selected else None, events, span), title="")

    def new_event(self) -> Optional[EventEditor]:
        """Open the editor on a blank event."""
        if self._session.archive is None:
            return None
        return self._open_editor(self._blank_event())

    def add_from_fact(self, fact, article) -> Optional[EventEditor]:
        """Open the editor prefilled from a fact: its date, entities, and its sentence cited."""
        try:
            draft = self.timelines.draft_from_fact(fact, article)
        except CasefileError as exc:
            self.show_error(exc)
            return None
        return self._open_editor(draft)

    def add_from_passage(self, article, start: int, end: int) -> Optional[EventEditor]:
        """Open the editor prefilled from a passage of an article (the reader's Ctrl+T)."""
        try:
            if getattr(article, "text", "") == "" and getattr(article, "id", None) is not None:
                article = self.article(article.id)
        except CasefileError as exc:
            self.show_error(exc)
            return None
        try:
            draft = self.timelines.draft_from_passage(article, start, end)
        except InvalidInput as exc:
            if not (0 <= start < end <= len(article.text)) or not article.text[start:end].strip():
                self.show_error(exc)
                return None
            # Nothing dates the passage: let the user date it, with the passage
            # already cited and the reason shown, rather than lose the selection.
            editor = self._open_editor(self._undated_draft(article, start, end))
            editor.error.setText(str(exc))
            editor.start.text.setFocus()
            return editor
        except CasefileError as exc:
            self.show_error(exc)
            return None
        return self._open_editor(draft)

    def _undated_draft(self, article, start: int, end: int) -> Event:
        quote = article.text[start:end].strip()
        start = article.text.index(quote, start)
        citation = Citation(id=None, article_id=article.id, article_path=article.path, quote=quote,
                            start=start, end=start + len(quote), outlet=article.outlet,
                            published=article.published, title=article.title)
        return Event(id=None, timeline_id=self._timeline_id, start=None, title="", citations=(citation,))

    def edit_event(self, event_id: Optional[int] = None) -> Optional[EventEditor]:
        """Open the editor on an event (default: the selected one)."""
        # An in-place edit still open lands first, so the editor shows its value.
        self.table.commit_open_editor()
        if event_id is None:
            ids = self.selected_event_ids()
            if len(ids) != 1:
                return None
            event_id = ids[0]
        for editor in self._editors:
            if editor.draft.id == event_id:
                editor.raise_()
                editor.activateWindow()
                return editor
        try:
            event = self.timelines.event(event_id)
        except CasefileError as exc:
            self.show_error(exc)
            return None
        return self._open_editor(event)

    def delete_events(self, ids: Optional[Sequence[int]] = None) -> int:
        """Delete events (default: the selected ones) as one undoable step; returns how many."""
        ids = list(ids) if ids is not None else self.selected_event_ids()
        events = [ev for ev in self.model.events() if ev.id in ids]
        if not events:
            return 0
        if len(events) == 1:
            return 1 if self.run_command(RemoveEventCommand(self, events[0])) else 0
        done = 0
        self.undo_stack.beginMacro(f"Delete {len(events)} events")
        for ev in events:
            done += self.run_command(RemoveEventCommand(self, ev))
        self.undo_stack.endMacro()
        return done

    # ============================================================== drops
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(PASSAGE_MIME) and self._session.archive is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        if event.mimeData().hasFormat(PASSAGE_MIME):
            event.acceptProposedAction()
            self.handle_passage_drop(event.mimeData(), None)

    def handle_passage_drop(self, mime: QMimeData, event_id: Optional[int] = None) -> bool:
        """A passage dropped on an event cites it there; dropped elsewhere it starts a new event."""
        try:
            article_id, start, end, text = self._read_passage(mime)
            if event_id is None:
                return self.add_from_passage(self.article(article_id), start, end) is not None
            article = self.article(article_id)
            quote = article.text[start:end] if 0 <= start < end <= len(article.text) else text
            if not quote.strip():
                raise InvalidInput(f"{article.relpath}: the dropped passage is empty.")
        except CasefileError as exc:
            self.show_error(exc)
            return False
        return self.run_command(AddCitationCommand(self, event_id, article.id, quote, start))

    @staticmethod
    def _read_passage(mime: QMimeData) -> tuple[int, int, int, str]:
        raw = bytes(mime.data(PASSAGE_MIME)).decode("utf-8", "replace")
        try:
            data = json.loads(raw)
            return int(data["article_id"]), int(data["start"]), int(data["end"]), str(data.get("text", ""))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"The dropped passage could not be read ({exc}).") from None

    # ============================================= citing the reader's passage
    def set_passage_source(self, source) -> None:
        """``source() -> (article, start, end) | None``: the reader's selected passage,
        for "Cite in selected event" and the editor's "Add citation from reader"."""
        self._passage_source = source

    def reader_passage(self):
        """The reader's selected passage as (article with text, start, end), or None."""
        source = getattr(self, "_passage_source", None)
        found = source() if source is not None else None
        if not found:
            return None
        article, start, end = found
        if start >= end:
            return None
        if not getattr(article, "text", "") and getattr(article, "id", None) is not None:
            article = self.article(article.id)
        return article, start, end

    def cite_passage(self, article, start: int, end: int, event_id: Optional[int] = None) -> bool:
        """Cite ``article.text[start:end]`` in an event (default: the one selected), undoably."""
        if event_id is None:
            ids = self.selected_event_ids()
            if len(ids) != 1:
                self.show_message("Select one event in the timeline to cite the passage in it.")
                return False
            event_id = ids[0]
        quote = article.text[start:end]
        if not quote.strip():
            self.show_message("The selected passage holds no words to cite.")
            return False
        return self.run_command(AddCitationCommand(self, event_id, article.id, quote, start))

    # ========================================================== timelines
    def new_timeline(self, name: Optional[str] = None) -> Optional[Timeline]:
        """Create a timeline (asking for its name if not given) and show it."""
        if self._session.archive is None:
            return None
        if name is None:
            name, ok = QInputDialog.getText(self, "New timeline", "Name of the new timeline:")
            if not ok:
                return None
        name = name.strip()
        try:
            if not name:
                raise InvalidInput("A timeline needs a name.")
            if any(t.name == name for t in self.timelines.list()):
                raise InvalidInput(f"A timeline named “{name}” already exists.")
            timeline = self.timelines.get_or_create(name)
        except CasefileError as exc:
            self.show_error(exc)
            return None
        self.set_current_timeline(timeline.id)
        return timeline

    def rename_timeline(self, name: Optional[str] = None) -> bool:
        if self._session.archive is None or self._timeline_id is None:
            return False
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename timeline", "New name:", text=self._timeline_name)
            if not ok:
                return False
        try:
            self.write_begun()
            self.timelines.rename(self._timeline_id, name.strip())
        except CasefileError as exc:
            self.write_failed(exc)
            return False
        self._timeline_name = name.strip()
        self.write_done(None)
        self.reload()
        return True

    # ===================================================== export / import
    def export(self, fmt: Optional[str] = None, path: Optional[Path] = None,
               only_shown: bool = False, notes: bool = True):
        """Export the timeline in the background; without a path, ask with the export dialog.

        Returns the task (when started) or the dialog (when asking).
        """
        if self._session.archive is None or self._timeline_id is None:
            return None
        if path is None:
            dialog = ExportDialog(self._timeline_name, shown=len(self.model.events()),
                                  total=getattr(self, "_total", len(self.model.events())),
                                  start_dir=str(Path.home()), parent=self)
            if fmt is not None:
                dialog.format.setCurrentIndex(max(0, dialog.format.findData(fmt)))
            dialog.accepted.connect(lambda: self.export(*dialog.values()))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            dialog.open()
            return dialog
        try:
            events = (list(self.model.events()) if only_shown
                      else self.timelines.events(timeline=self._timeline_id))
        except CasefileError as exc:
            self.show_error(exc)
            return None
        name, path = self._timeline_name, Path(path)
        export_timeline = _core().export_timeline
        disputed = self._conflict_notes(events)
        self.status_message.emit(f"Exporting {len(events)} events to {path.name}…")

        def done(_result, error):
            self._export_task = None
            if error is not None:
                self.show_error(error if isinstance(error, CasefileError) else
                                CasefileError(f"{path}: the export failed ({error})."))
            else:
                self.status_message.emit(f"Exported {len(events)} events to {path}")
            self.export_finished.emit(str(path), error)

        # Events are plain data: the worker needs no archive connection.
        self._export_task = self._session.tasks.run(
            lambda: export_timeline(events, fmt, path, name=name, notes=notes, conflicts=disputed),
            done, name=f"export {path.name}")
        return self._export_task

    def _conflict_notes(self, events) -> dict:
        """Where each event's sources disagree, as lines for the export (read here: the worker has no archive)."""
        try:
            return self._session.archive.case.conflict_notes(e.id for e in events)
        except CasefileError as exc:
            self.show_error(exc)
            return {}

    def import_csv(self, path: Optional[Path] = None, timeline_id: Optional[int] = None,
                   new_name: str = ""):
        """Add the events of a CSV file to a timeline (or a new one) as one undoable step.

        Without a path, asks with the import dialog (and returns it). Returns the
        number of events imported otherwise.
        """
        if self._session.archive is None:
            return None
        if path is None:
            dialog = ImportDialog(self.timelines.list(), self._timeline_id, start_dir=str(Path.home()),
                                  parent=self)
            dialog.accepted.connect(lambda: self.import_csv(*dialog.values()))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            dialog.open()
            return dialog
        try:
            events = _core().import_csv(Path(path))
            if not events:
                raise InvalidInput(f"{path}: the file holds no events.")
            if timeline_id is None and not new_name.strip():
                raise InvalidInput("Give the new timeline a name.")
        except CasefileError as exc:
            self.show_error(exc)
            return 0
        # An id, or the name of the new timeline (the core creates it).
        target = timeline_id if timeline_id is not None else new_name.strip()
        cmd = ImportEventsCommand(self, events, target, Path(path).name)
        if not self.run_command(cmd):
            return 0
        missing = sum(1 for ev in cmd.imported for c in ev.citations if c.status == "missing")
        note = f"; {missing} cited passages are not in this archive and are marked missing" if missing else ""
        self.status_message.emit(f"Imported {len(cmd.imported)} events from {Path(path).name}{note}")
        self.reload()
        return len(cmd.imported)

    # ============================================================= errors
    def show_message(self, text: str) -> None:
        """A short red line under the panel (an in-place edit that was refused)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_error(self, error: BaseException) -> None:
        """Tell the user, with the app's error dialog when there is one."""
        from archive.errors import Cancelled

        if isinstance(error, Cancelled):
            return
        self.show_message(str(error))
        try:
            from desktop.widgets.error_dialog import show_error
        except ImportError:
            show_error = None
        if show_error is not None:
            show_error(self, "Timeline", error)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Timeline", str(error), QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
