"""The Case panel: events the sources report (with how many are independent) and
where the sources disagree, with the user's decisions on both.

Reads ``session.archive.case`` on the GUI thread (quick queries of stored
results); the analysis itself runs after indexing in the indexing task, or
in the background when the user asks for it ("Analyse again").
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget)

from ..case_commands import ConfirmCommand, ConflictStatusCommand, MergeCommand, SplitCommand
from ..models.case_events import ITEM_ROLE, CaseEventModel, ConflictModel, SourceModel

__all__ = ["CasePanel"]

RELOAD_DELAY_MS = 2000
# Entity review changes the names events are keyed on: the analysis runs again
# this long after the last of several quick review actions (one run for all).
ANALYSE_DELAY_MS = 600
_STATUSES = (("open", "Open"), ("resolved", "Resolved"), ("not-a-conflict", "Not a conflict"))


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class CasePanel(QWidget):
    """Case events and conflicts of the open archive (see the module docstring)."""

    source_activated = Signal(int, int, int)   # article id, start, end
    event_confirmed = Signal(int)              # the new timeline event's id
    status_message = Signal(str)
    decisions_changed = Signal()               # a decision was stored (timeline markers may change)

    def __init__(self, session, undo_stack, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("casePanel")
        self.session = session
        self.undo_stack = undo_stack      # the window's: Ctrl+Z takes a decision back
        self.last_error = None
        self._task = None

        self.summary = QLabel("No case analysis yet.")
        self.summary.setObjectName("panelCount")
        self.only_shared = QCheckBox("Only events two or more articles report")
        self.only_shared.setChecked(True)
        self.only_shared.toggled.connect(lambda *_: self.reload())
        self.analyse_button = QPushButton("Analyse again")
        self.analyse_button.setToolTip("Bring the case analysis up to date in the background")
        self.analyse_button.clicked.connect(self.analyse)
        # Beside the tabs, not above them: the dock is short and every row counts.
        corner = QWidget()
        top = QHBoxLayout(corner)
        top.setContentsMargins(0, 0, 0, 2)
        top.addWidget(self.summary)
        top.addSpacing(12)
        top.addWidget(self.only_shared)
        top.addWidget(self.analyse_button)

        # Events
        self.events_model = CaseEventModel(self)
        self.events_view = _table(self.events_model)
        self.events_view.setObjectName("caseEvents")
        self.events_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.event_sources_model = SourceModel(self)
        self.event_sources_view = _table(self.event_sources_model)
        self.event_sources_view.setObjectName("caseEventSources")
        self.event_sources_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.events_view.selectionModel().selectionChanged.connect(lambda *_: self._event_selected())
        self.event_sources_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.event_sources_view.doubleClicked.connect(
            lambda idx: self._activate(self.event_sources_model.data(idx, ITEM_ROLE)))
        self.confirm_button = QPushButton("Add to timeline")
        self.confirm_button.setToolTip("Put the event on the timeline with every source as a citation")
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.merge_button = QPushButton("Merge events")
        self.merge_button.setToolTip("The selected events are one event")
        self.merge_button.clicked.connect(self.merge_selected)
        self.split_button = QPushButton("Split off sources")
        self.split_button.setToolTip("The selected sources report another event")
        self.split_button.clicked.connect(self.split_selected)
        event_buttons = QHBoxLayout()
        for b in (self.confirm_button, self.merge_button, self.split_button):
            event_buttons.addWidget(b)
        event_buttons.addStretch(1)
        events_page = QWidget()
        # Side by side: the dock is short, and both lists need their rows.
        ev_split = QSplitter(Qt.Orientation.Horizontal)
        ev_split.addWidget(self.events_view)
        ev_split.addWidget(self.event_sources_view)
        ev_split.setSizes([520, 480])
        self.event_sources_view.hideColumn(0)  # an event's sources all make the same claim
        ev_layout = QVBoxLayout(events_page)
        ev_layout.setContentsMargins(0, 4, 0, 0)
        ev_layout.addWidget(ev_split, 1)
        ev_layout.addLayout(event_buttons)

        # Conflicts
        self.conflicts_model = ConflictModel(self)
        self.conflicts_view = _table(self.conflicts_model)
        self.conflicts_view.setObjectName("caseConflicts")
        self.conflicts_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.claim_sources_model = SourceModel(self)
        self.claim_sources_view = _table(self.claim_sources_model)
        self.claim_sources_view.setObjectName("caseClaimSources")
        self.conflicts_view.selectionModel().selectionChanged.connect(lambda *_: self._conflict_selected())
        self.claim_sources_view.doubleClicked.connect(
            lambda idx: self._activate(self.claim_sources_model.data(idx, ITEM_ROLE)))
        self.status_box = QComboBox()
        for value, label in _STATUSES:
            self.status_box.addItem(label, value)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note (how it was resolved, why it is not a conflict)")
        self.status_button = QPushButton("Set status")
        self.status_button.clicked.connect(self.set_status)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_box)
        status_row.addWidget(self.note_edit, 1)
        status_row.addWidget(self.status_button)
        conflicts_page = QWidget()
        cf_split = QSplitter(Qt.Orientation.Horizontal)
        cf_split.addWidget(self.conflicts_view)
        cf_split.addWidget(self.claim_sources_view)
        cf_split.setSizes([480, 520])
        cf_layout = QVBoxLayout(conflicts_page)
        cf_layout.setContentsMargins(0, 4, 0, 0)
        cf_layout.addWidget(cf_split, 1)
        cf_layout.addLayout(status_row)

        # Decisions whose event or conflict the analysis no longer finds (its
        # articles were removed or rewritten): listed so the user sees them, kept
        # in the archive so they apply again if the event comes back.
        self.unmatched_list = QListWidget()
        self.unmatched_list.setObjectName("caseUnmatched")
        self.unmatched_list.setWordWrap(True)
        unmatched_page = QWidget()
        um_layout = QVBoxLayout(unmatched_page)
        um_layout.setContentsMargins(0, 4, 0, 0)
        hint = QLabel("Your decisions below match nothing the last analysis found. They are kept, and "
                      "apply again when their sources are back.")
        hint.setWordWrap(True)
        um_layout.addWidget(hint)
        um_layout.addWidget(self.unmatched_list, 1)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(events_page, "Events")
        self.tabs.addTab(conflicts_page, "Conflicts")
        self.tabs.addTab(unmatched_page, "Unmatched decisions")
        self.tabs.setTabVisible(2, False)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.tabs, 1)

        # While indexing, articles change every half second: read the analysis
        # again only when the panel is on screen, and at most every 2 seconds.
        self._stale = False
        self._on_screen = True
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._analyse_timer = QTimer(self)
        self._analyse_timer.setSingleShot(True)
        self._analyse_timer.setInterval(ANALYSE_DELAY_MS)
        self._analyse_timer.timeout.connect(self._scheduled_analysis)
        self._analyse_again = False
        session.archive_opened.connect(self.reload)
        session.articles_changed.connect(self.schedule_reload)
        self._update_buttons()

    def schedule_reload(self) -> None:
        """Reload soon if the panel is on screen, else when it is shown next."""
        if self._on_screen and self.isVisible():
            if not self._reload_timer.isActive():
                self._reload_timer.start()
        else:
            self._stale = True

    def set_on_screen(self, shown: bool) -> None:
        """Whether the panel can be seen (a dock's tab behind another is not; its
        ``visibilityChanged`` says so, the widget itself stays "visible")."""
        self._on_screen = bool(shown)
        if shown and self._stale:
            self.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._stale and self._on_screen:
            self.reload()

    # ------------------------------------------------------------ reading
    def reload(self) -> None:
        """Show the stored analysis of the open archive, keeping the selected rows."""
        self._stale = False
        self._reload_timer.stop()
        arc = self.session.archive
        if arc is None:
            self.events_model.set_items(())
            self.conflicts_model.set_items(())
            self.unmatched_list.clear()
            self.tabs.setTabVisible(2, False)
            self.summary.setText("No archive open.")
            return
        from archive import CasefileError

        keep_event = self.selected_event()
        keep_conflict = self.selected_conflict()
        try:
            events = arc.case.events(min_sources=2 if self.only_shared.isChecked() else 1)
            conflicts = arc.case.conflicts()
            unmatched = arc.case.unmatched_decisions()
        except CasefileError as err:
            self.status_message.emit(f"Cannot read the case analysis: {err}")
            return
        self.events_model.set_items(events)
        self.conflicts_model.set_items(conflicts)
        n_open = sum(1 for c in conflicts if c.status == "open")
        self.summary.setText(f"{len(events)} event{'s' if len(events) != 1 else ''}, "
                             f"{n_open} open conflict{'s' if n_open != 1 else ''} of {len(conflicts)}")
        self.tabs.setTabText(1, f"Conflicts ({n_open})" if n_open else "Conflicts")
        self.unmatched_list.clear()
        self.unmatched_list.addItems([u.text for u in unmatched])
        self.tabs.setTabText(2, f"Unmatched decisions ({len(unmatched)})")
        self.tabs.setTabVisible(2, bool(unmatched))
        if keep_event is not None:
            self._select_row(self.events_view, [e.key for e in events].index(keep_event.key)
                             if keep_event.key in [e.key for e in events] else None)
        if keep_conflict is not None:
            keys = [c.key for c in conflicts]
            self._select_row(self.conflicts_view, keys.index(keep_conflict.key) if keep_conflict.key in keys else None)
        self._event_selected()
        self._conflict_selected()

    @staticmethod
    def _select_row(view: QTableView, row: Optional[int]) -> None:
        if row is not None:
            view.selectRow(row)

    def selected_events(self) -> list:
        rows = sorted({i.row() for i in self.events_view.selectionModel().selectedRows()})
        return [self.events_model.items()[r] for r in rows]

    def selected_event(self):
        events = self.selected_events()
        return events[0] if len(events) == 1 else None

    def selected_conflict(self):
        rows = self.conflicts_view.selectionModel().selectedRows()
        return self.conflicts_model.items()[rows[0].row()] if rows else None

    def _event_selected(self) -> None:
        event = self.selected_event()
        self.event_sources_model.set_items([("", s) for s in event.sources] if event else ())
        self._update_buttons()

    def _conflict_selected(self) -> None:
        c = self.selected_conflict()
        self.claim_sources_model.set_items([(cl.value, s) for cl in c.claims for s in cl.sources] if c else ())
        if c is not None:
            self.status_box.setCurrentIndex(max(0, self.status_box.findData(c.status)))
            self.note_edit.setText(c.note)
        self._update_buttons()

    def _update_buttons(self) -> None:
        events = self.selected_events()
        one = events[0] if len(events) == 1 else None
        self.confirm_button.setEnabled(one is not None and one.status != "confirmed")
        self.merge_button.setEnabled(len(events) >= 2)
        chosen = self.event_sources_view.selectionModel().selectedRows() if one else []
        self.split_button.setEnabled(one is not None and 0 < len(chosen) < self.event_sources_model.rowCount())
        self.status_button.setEnabled(self.selected_conflict() is not None)
        self.analyse_button.setEnabled(self._task is None or self._task.done)

    def _activate(self, pair) -> None:
        if pair is not None:
            _, s = pair
            self.source_activated.emit(s.article_id, s.start, s.end)

    # ------------------------------------------------------------ decisions
    # Each decision is an undoable command on the window's stack (desktop/case_commands.py).
    def case(self):
        arc = self.session.archive
        return arc.case if arc is not None else None

    def decision_done(self, message: str, confirmed: Optional[int] = None) -> None:
        self.status_message.emit(message)
        self.reload()
        self.decisions_changed.emit()
        if confirmed is not None:
            self.event_confirmed.emit(confirmed)

    def decision_failed(self, error) -> None:
        self.last_error = error
        self.status_message.emit(str(error))

    def _push(self, cmd) -> bool:
        if not cmd.apply():
            return False
        self.undo_stack.push(cmd)
        return True

    def confirm_selected(self) -> Optional[int]:
        event = self.selected_event()
        if event is None:
            return None
        cmd = ConfirmCommand(self, event)
        return cmd.answer.id if self._push(cmd) else None

    def merge_selected(self) -> Optional[str]:
        keys = [e.key for e in self.selected_events()]
        cmd = MergeCommand(self, keys)
        return cmd.answer if self._push(cmd) else None

    def split_selected(self) -> Optional[str]:
        event = self.selected_event()
        if event is None:
            return None
        rows = sorted(i.row() for i in self.event_sources_view.selectionModel().selectedRows())
        claim_ids = [self.event_sources_model.items()[r][1].claim_id for r in rows]
        cmd = SplitCommand(self, event, claim_ids)
        return cmd.answer if self._push(cmd) else None

    def set_status(self):
        c = self.selected_conflict()
        if c is None:
            return None
        cmd = ConflictStatusCommand(self, c, self.status_box.currentData(), self.status_box.currentText(),
                                    self.note_edit.text())
        if not self._push(cmd):
            return None
        return next((x for x in self.conflicts_model.items() if x.key == c.key), None)

    # ------------------------------------------------------------ background analysis
    def analyse_soon(self) -> None:
        """Analyse again in the background shortly, after the last of several quick calls
        (each call restarts the wait); a run already going is followed by one more."""
        self._analyse_timer.start()

    def analysis_pending(self) -> bool:
        """Whether an analysis is waiting to start or running (tests wait on it)."""
        return self._analyse_timer.isActive() or self._analyse_again or (
            self._task is not None and not self._task.done)

    def _scheduled_analysis(self) -> None:
        if self._task is not None and not self._task.done:
            # It read the names before this change: run once more when it ends.
            self._analyse_again = True
            return
        self.analyse()

    def analyse(self):
        """Run the case analysis on a worker with an archive of its own; reload when done."""
        if self.session.archive_path is None or (self._task is not None and not self._task.done):
            return None
        archive_dir = self.session.archive_path

        def work(progress, cancel):
            from archive import Archive

            with Archive.open(archive_dir) as worker:
                return worker.case.analyse(progress=progress, cancel=cancel)

        def done(report, error):
            if error is not None:
                self.status_message.emit(f"The case analysis stopped: {error}")
            elif report is not None:
                self.status_message.emit(f"Case analysed: {report['analysed']} of {report['articles']} articles "
                                         f"read again, {report['events']} events, {report['conflicts']} conflicts.")
            self.reload()
            self._update_buttons()
            if self._analyse_again:
                self._analyse_again = False
                self._analyse_timer.start()

        self._task = self.session.tasks.run_long(work, done, writer=True, name="case analysis")
        self._update_buttons()
        return self._task
