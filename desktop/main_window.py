"""The main window: archive and search on the left, the reader in the middle,
facts on the right, the timeline and problems in docks below.

The window wires the panels together and to the session; it decides nothing
about the articles themselves (that is the archive's job).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QSplitter,
                               QTabWidget, QToolBar, QWidget)

from archive import paths
from archive.errors import ArchiveInUse, CasefileError, IndexDamaged, InvalidInput

from .background_search import BackgroundSearches
from .query_help import help_html as query_help_html
from .query_terms import terms as query_terms
from .resources import icon
from .session import Session
from .settings import Settings
from .theme_menu import add_theme_menu, switch_theme
from .timeline import TimelinePanel
from .widgets import (ArchivePanel, FactsPanel, ProblemsPanel, ProgressIndicator, Reader, SearchPanel,
                      show_error)
from .widgets.notice_bar import with_notice

__all__ = ["MainWindow"]

APP_NAME = "Casefile"
# Files whose presence makes a folder "a folder of articles" rather than an archive.
ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
# Share of the window's height the timeline dock takes at first start.
DOCK_SHARE = 0.28


class MainWindow(QMainWindow):
    """Signals ``article_shown(article_id)`` after the reader and the facts
    panel show an article, and ``ready()`` once an archive is loaded, no
    indexing runs and an article is on screen (screenshots wait for it)."""

    article_shown = Signal(int)
    ready = Signal()

    def __init__(self, session: Session, settings: Settings, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(icon("casefile"))
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self._entity_counts: dict[int, int] = {}
        self._timeline_title = ""
        self._last_error_box: Optional[QMessageBox] = None
        self._ready_sent = False

        self._build_panels()
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect()
        self._build_entities_view()
        self._restore_state()

    # ------------------------------------------------------------------ build
    def _build_panels(self) -> None:
        self.archive_panel = ArchivePanel()
        self.search_panel = SearchPanel()
        self.search_panel.set_history(self.settings.search_history)
        self.search_panel.search_fn = self._search
        self.search_panel.tasks = self.session.tasks  # searches run on the reader pool
        self.searches = BackgroundSearches()
        self._search_limit = self.settings.search_limit
        self.search_panel.sort.setCurrentIndex(max(0, self.search_panel.sort.findData(self.settings.search_sort)))
        self.reader = Reader()
        self.reader.set_zoom(self.settings.text_zoom)
        self.facts_panel = FactsPanel()

        self.left_tabs = QTabWidget()
        self.left_tabs.setObjectName("leftTabs")
        self.left_tabs.setDocumentMode(True)
        self.left_tabs.addTab(self.archive_panel, icon("articles"), "Articles")
        self.left_tabs.addTab(self.search_panel, icon("search"), "Search")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.splitter.addWidget(self.left_tabs)
        self.splitter.addWidget(self.reader)
        self.splitter.addWidget(self.facts_panel)
        # Every pane keeps its share as the window grows or shrinks (a zero
        # stretch pinned the side panes at whatever size they once had).
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([460, 620, 320])
        self.left_tabs.setMinimumWidth(300)
        self.facts_panel.setMinimumWidth(240)
        central, self.notice = with_notice(self.splitter)
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
        self.timeline_panel = TimelinePanel(self.session, self)
        self.timeline_dock = QDockWidget("Timeline", self)
        self.timeline_dock.setObjectName("timelineDock")
        self.timeline_dock.setWidget(self.timeline_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.timeline_dock)

        self.problems_panel = ProblemsPanel()
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.tabifyDockWidget(self.timeline_dock, self.problems_dock)
        self._build_case_dock()
        self.timeline_dock.raise_()

    def _build_case_dock(self) -> None:
        from .widgets.case_panel import CasePanel

        self.case_panel = CasePanel(self.session, self.timeline_panel.undo_stack, self)
        self.case_dock = QDockWidget("Case", self)
        self.case_dock.setObjectName("caseDock")
        self.case_dock.setWidget(self.case_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.case_dock)
        self.tabifyDockWidget(self.timeline_dock, self.case_dock)
        self.case_panel.source_activated.connect(self.go_to_passage)
        self.case_panel.event_confirmed.connect(lambda _id: self.timeline_panel.reload())
        self.case_panel.decisions_changed.connect(self.timeline_panel.schedule_reload)
        self.case_panel.status_message.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.case_dock.visibilityChanged.connect(self.case_panel.set_on_screen)

    def _action(self, text: str, slot, shortcut=None, icon_name: str = "", tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                act.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                act.setShortcut(QKeySequence(shortcut))
        if icon_name:
            act.setIcon(icon(icon_name))
        act.setStatusTip(tip or text.replace("&", "").rstrip("."))
        act.setToolTip(_tooltip(text, act.shortcut(), tip))
        act.triggered.connect(lambda *_: slot())
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        a = self._action
        self.act_open = a("&Open Folder\u2026", self.choose_folder, QKeySequence.StandardKey.Open,
                          "folder-open", "Index a folder of articles and open its archive")
        self.act_update = a("&Update Archive", self.update_archive, "F5", "refresh",
                            "Index the archive's folders again: new, changed and removed files")
        self.act_quit = a("&Quit", self.close, "Ctrl+Q")
        self.act_find = a("&Find\u2026", self.focus_search, QKeySequence.StandardKey.Find, "search",
                          "Search the archive")
        self.act_next_match = a("Find &Next Match", lambda: self.step_match(1), "F3", "",
                                "Go to the next match of the search in the article")
        self.act_prev_match = a("Find Pre&vious Match", lambda: self.step_match(-1), "Shift+F3", "",
                                "Go to the previous match of the search in the article")
        self.act_add = a("Add to &Timeline", self.add_to_timeline, "Ctrl+T", "timeline-add",
                         "Add the selected passage or fact to the timeline")
        self.act_zoom_in = a("Zoom &In", self.zoom_in, ["Ctrl++", "Ctrl+="], "zoom-in", "Larger text")
        self.act_zoom_out = a("Zoom &Out", self.zoom_out, "Ctrl+-", "zoom-out", "Smaller text")
        self.act_zoom_reset = a("&Actual Size", lambda: self._set_zoom(0), "Ctrl+0")
        self.act_boilerplate = a("Show Page &Boilerplate", lambda: None, "Ctrl+B")
        self.act_boilerplate.setCheckable(True)
        self.act_boilerplate.toggled.connect(self.reader.set_show_boilerplate)
        self.act_help = a("&Query Syntax", self.show_query_help, QKeySequence.StandardKey.HelpContents,
                          "help", "How to write search queries")
        self.act_about = a("&About Casefile", self.show_about)
        self.act_reset_layout = a("&Reset Layout", self.reset_layout)
        undo = self.timeline_panel.undo_stack
        self.act_undo = undo.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_undo.setIcon(icon("undo"))
        self.act_redo = undo.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts(redo_shortcuts())
        self.act_redo.setIcon(icon("redo"))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&File")
        m.addActions([self.act_open, self.act_update])
        m.addSeparator()
        m.addAction(self.act_quit)
        m = bar.addMenu("&Edit")
        m.addActions([self.act_undo, self.act_redo])
        m.addSeparator()
        m.addActions([self.act_find, self.act_next_match, self.act_prev_match, self.act_add])
        m = bar.addMenu("&View")
        m.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset])
        m.addSeparator()
        m.addAction(self.act_boilerplate)
        self.theme_actions = add_theme_menu(m, self.settings.theme, self.set_theme)
        m.addSeparator()
        m.addAction(self.timeline_dock.toggleViewAction())
        m.addAction(self.problems_dock.toggleViewAction())
        m.addAction(self.act_reset_layout)
        m = bar.addMenu("&Timeline")
        m.addAction(self.act_add)
        m.addSeparator()
        for act in self.timeline_panel.actions():
            if act.isSeparator():
                m.addSeparator()
            else:
                m.addAction(act)
        m = bar.addMenu("&Help")
        m.addActions([self.act_help, self.act_about])

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main")
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addAction(self.act_open)
        tb.addAction(self.act_update)
        tb.addSeparator()
        tb.addAction(self.act_find)
        tb.addAction(self.act_add)
        tb.addSeparator()
        tb.addAction(self.act_undo)
        tb.addAction(self.act_redo)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy().Preferred)
        tb.addWidget(spacer)
        tb.addAction(self.act_zoom_out)
        tb.addAction(self.act_zoom_in)
        tb.addAction(self.act_help)
        for act in (self.act_zoom_out, self.act_zoom_in, self.act_help, self.act_undo, self.act_redo):
            button = tb.widgetForAction(act)
            if button is not None:
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbar = tb

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.archive_label = QLabel("")
        self.archive_label.setObjectName("archiveLabel")
        self.progress = ProgressIndicator()
        sb.addWidget(self.archive_label, 1)
        sb.addPermanentWidget(self.progress)

    def _connect(self) -> None:
        s = self.session
        s.archive_opened.connect(self._on_archive_opened)
        s.articles_changed.connect(self._on_articles_changed)
        s.indexing_started.connect(self._on_indexing_started)
        s.indexing_progress.connect(self.progress.update_progress)
        s.indexing_finished.connect(self._on_indexing_finished)
        self.progress.cancel_requested.connect(s.cancel_indexing)
        s.index_rebuild_started.connect(self._on_rebuild_started)
        s.index_rebuild_finished.connect(self._on_rebuild_finished)

        self.archive_panel.article_selected.connect(lambda a: self.show_article(a.id))
        self.archive_panel.entity_chosen.connect(self.filter_by_entity)
        self.search_panel.hit_opened.connect(self._open_hit)
        self.search_panel.query_committed.connect(self._remember_query)
        self.search_panel.results_changed.connect(self._results_changed)
        self.search_panel.search_failed.connect(self._search_failed)
        self.search_panel.sort.currentIndexChanged.connect(
            lambda *_: setattr(self.settings, "search_sort", self.search_panel.sort.currentData()))
        self.reader.fact_clicked.connect(self.facts_panel.select_fact)
        self.reader.correction_requested.connect(self.correct_metadata)
        self.reader.boilerplate_toggled.connect(self._boilerplate_toggled)
        self.facts_panel.fact_activated.connect(self.reader.select_fact)
        self.facts_panel.entity_articles_requested.connect(
            lambda entity_id, _name: self.filter_by_entity(entity_id))
        self.problems_panel.count_changed.connect(self._problems_counted)

        tp = self.timeline_panel
        tp.citation_activated.connect(self.go_to_passage)
        tp.save_state_changed.connect(self._timeline_saved)
        tp.status_message.connect(lambda msg: self.statusBar().showMessage(msg, 6000))
        # The reader's context menu and the editor's "Add citation from reader".
        self.reader.text.passage_action.connect(self._reader_passage_action)
        tp.set_passage_source(self._reader_passage)
        # What another window or the CLI wrote shows when this window comes back (and on F5).
        from .external_changes import ExternalChanges

        self.external_changes = ExternalChanges(self.session, self)
        self.external_changes.changed.connect(self._on_external_changes)
        self.notice.action_clicked.connect(self.choose_folder)
        self.notice.dismissed.connect(lambda: setattr(self.settings, "demo_notice_dismissed", True))

    def _build_entities_view(self) -> None:
        """The Entities dock: review the archive's people, organisations and places."""
        from .widgets.entities_panel import EntitiesPanel

        self.entities_panel = EntitiesPanel(self.session, self.timeline_panel.undo_stack, self)
        self.entities_dock = QDockWidget("Entities", self)
        self.entities_dock.setObjectName("entitiesDock")
        self.entities_dock.setWidget(self.entities_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.entities_dock)
        self.tabifyDockWidget(self.problems_dock, self.entities_dock)
        self.timeline_dock.raise_()
        view_menu = next((a.menu() for a in self.menuBar().actions() if a.text() == "&View"), None)
        if view_menu is not None:
            view_menu.insertAction(self.act_reset_layout, self.entities_dock.toggleViewAction())
        self.entities_panel.entity_articles_requested.connect(self.filter_by_entity)
        self.entities_panel.entities_changed.connect(self._on_entities_reviewed)
        self.entities_panel.status_message.connect(lambda msg: self.statusBar().showMessage(msg, 8000))

    def _on_entities_reviewed(self) -> None:
        # Names, kinds and links of facts changed: the lists and the facts panel show them.
        self._reload_lists(keep_selection=True)
        if self.reader.article is not None:
            self.show_article(self.reader.article.id, keep_position=True)
        # Case events are keyed on those names: bring the analysis up to date (debounced).
        self.case_panel.analyse_soon()

    # ------------------------------------------------------------------ state
    def _restore_state(self) -> None:
        geometry = self.settings.state("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        state = self.settings.state("main_window/state")
        if state is not None:
            self.restoreState(state)
        else:
            # Docks get their size once laid out: the reader keeps most of the height.
            QTimer.singleShot(0, self._default_dock_size)
        splitter = self.settings.state("main_window/splitter")
        self._size_splitter_on_show = splitter is None
        if splitter is not None:
            self.splitter.restoreState(splitter)
        if self.settings.show_boilerplate:
            self.act_boilerplate.setChecked(True)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._size_splitter_on_show:
            # Only now is the window at its final size: split it in proportion.
            self._size_splitter_on_show = False
            QTimer.singleShot(0, self._default_splitter_sizes)

    def _default_splitter_sizes(self) -> None:
        # Proportions of the window's width at first start: list, reader, facts.
        width = max(900, self.splitter.width())
        left, facts = int(width * 0.31), int(width * 0.25)
        self.splitter.setSizes([left, width - left - facts, facts])

    def _default_dock_size(self) -> None:
        # The reader keeps most of the height; the user's own size is saved with the layout.
        height = max(self.timeline_dock.minimumSizeHint().height(), int(self.height() * DOCK_SHARE))
        self.resizeDocks([self.timeline_dock], [height], Qt.Orientation.Vertical)

    def save_window_state(self) -> None:
        self.settings.save_state("main_window/geometry", self.saveGeometry())
        self.settings.save_state("main_window/state", self.saveState())
        self.settings.save_state("main_window/splitter", self.splitter.saveState())

    def reset_layout(self) -> None:
        self.settings.reset_state()
        self._default_splitter_sizes()
        for dock in (self.timeline_dock, self.problems_dock):
            dock.setFloating(False)
            dock.show()
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.tabifyDockWidget(self.timeline_dock, self.problems_dock)
        self.case_dock.setFloating(False)
        self.case_dock.show()
        self.tabifyDockWidget(self.timeline_dock, self.case_dock)
        self.timeline_dock.raise_()
        self._default_dock_size()

    def closeEvent(self, event) -> None:
        self.save_window_state()
        self.session.close()
        self.searches.close()
        super().closeEvent(event)

    # ------------------------------------------------------------------ opening
    def open_initial(self, archive_arg: Optional[str] = None) -> None:
        """At start: the archive named on the command line, else the last one
        used, else the bundled demo archive (indexed on first use)."""
        try:
            if archive_arg:
                self.open_path(Path(archive_arg).expanduser())
                return
            last = Path(self.settings.last_archive) if self.settings.last_archive else paths.last_archive()
            if last is not None and (last / "casefile.db").is_file():
                self.open_archive(last)
                return
            self.open_demo()
        except CasefileError as err:
            self.report_error("Cannot open the archive", err)

    def open_path(self, path: Path) -> None:
        """``path`` is an archive folder, or a folder of articles (its archive is
        ``path/.casefile``, indexed now if it is new)."""
        if (path / "casefile.db").is_file():
            self.open_archive(path)
        elif (paths.default_archive_for(path) / "casefile.db").is_file():
            self.open_archive(paths.default_archive_for(path))
        elif path.is_dir() and _holds_articles(path):
            self.index_folder(path)
        else:
            self.open_archive(path)

    def open_archive(self, archive_dir: Path) -> None:
        self.session.open(archive_dir)
        self._remember_archive()

    def open_demo(self) -> None:
        """The demo archive over the bundled articles, built in the background on first use."""
        self.session.open(paths.demo_archive_dir())
        self._remember_archive()
        if not self.session.archive.source_folders() and not self.session.archive.articles():
            source = paths.demo_source_dir()
            self.statusBar().showMessage("Building the demo archive (first use only)\u2026", 8000)
            self.session.index_folder(source)

    def choose_folder(self) -> None:
        start = str(self.session.archive.source_folders()[0]) if (
            self.session.archive is not None and self.session.archive.source_folders()) else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of articles", start)
        if folder:
            self.index_folder(Path(folder))

    def index_folder(self, folder: Path) -> None:
        """Open the archive of ``folder`` and index the folder in the background."""
        if self.session.is_indexing:
            self.report_error("Indexing is already running", ArchiveInUse(
                "An indexing run is still going on. Wait for it to finish or cancel it first."))
            return
        if not Path(folder).is_dir():
            self.report_error("Cannot open the folder", InvalidInput(f"{folder} is not a folder."))
            return
        try:
            self.session.open_for_folder(folder)
        except CasefileError as err:
            self.report_error("Cannot open the folder", err)
            return
        self._remember_archive()
        self.session.index_folder(folder)

    def update_archive(self) -> None:
        arc = self.session.archive
        if arc is None or self.session.is_indexing:
            return
        self.external_changes.check()
        folders = arc.source_folders()
        if not folders:
            self.choose_folder()
            return
        # One run at a time: the writer pool queues the others behind it.
        for folder in folders:
            self.session.index_folder(folder)

    def _remember_archive(self) -> None:
        if self.session.archive_path is not None:
            self.settings.last_archive = str(self.session.archive_path)
            try:
                paths.remember_archive(self.session.archive_path)
            except OSError:
                pass  # only a convenience for the next start

    # ------------------------------------------------------------------ reacting
    def _on_archive_opened(self) -> None:
        self._ready_sent = False
        self.searches.set_archive(self.session.archive_path)
        self._search_limit = self.settings.search_limit  # read here: QSettings stays on this thread
        self.reader.clear()
        self.facts_panel.clear()
        self.search_panel.clear_results()
        self.archive_panel.clear_filters()
        self._reload_lists(keep_selection=False)
        self._update_title()
        self._show_archive_notice()
        if not self.archive_panel.select_first():
            self._check_ready()

    def _on_articles_changed(self) -> None:
        had_article = self.reader.article is not None
        self._reload_lists(keep_selection=True)
        self.search_panel.refresh()
        current = self.reader.article
        if current is not None:
            try:
                fresh = self.session.archive.article(current.id, with_text=False)
            except CasefileError:
                self.reader.clear()
                self.facts_panel.clear()
                fresh = None
            # Facts may have landed since the article was first shown.
            if fresh is not None and fresh.fact_count != len(self.reader.text.facts()):
                self.show_article(current.id, keep_position=True)
        if not had_article:
            self.archive_panel.select_first()
        self._check_ready()

    def _reload_lists(self, keep_selection: bool) -> None:
        arc = self.session.archive
        if arc is None:
            return
        try:
            articles = arc.articles()
            self.archive_panel.set_articles(articles, keep_selection=keep_selection)
            self.archive_panel.set_choices(arc.outlets(), arc.languages())
            entities = arc.entities()
            self._entity_counts = {e.id: e.article_count for e in entities}
            self.archive_panel.set_entities(entities)
            self.problems_panel.set_problems(arc.problems())
        except CasefileError as err:
            self.report_error("Cannot read the archive", err)
            return
        self._update_status(len(articles))

    def _update_status(self, n_articles: Optional[int] = None) -> None:
        arc = self.session.archive
        if arc is None:
            self.archive_label.setText("No archive open")
            return
        if n_articles is None:
            n_articles = self.archive_panel.model.rowCount()
        self.reader.set_empty_state(n_articles > 0)
        name = _archive_name(self.session.archive_path)
        self.archive_label.setText(f"{name} \u2014 {n_articles} article{'s' if n_articles != 1 else ''}")
        self.archive_label.setToolTip(str(self.session.archive_path))

    def _show_archive_notice(self) -> None:
        """On the demo archive, say what it is and how to open one's own folder."""
        if self.session.archive_path == paths.demo_archive_dir() and not self.settings.demo_notice_dismissed:
            self.notice.show_notice(
                "<b>Demo archive:</b> invented reports on an invented case (the people, places and "
                "outlets do not exist), to try Casefile out. For your own articles choose "
                "<b>File \u203a Open Folder\u2026</b> (Ctrl+O).", "Open Folder\u2026")
        else:
            self.notice.hide()

    def _on_indexing_started(self, task) -> None:
        self.progress.start("Indexing\u2026")
        self.act_update.setEnabled(False)
        self._ready_sent = False

    def _on_indexing_finished(self, report, error) -> None:
        self.progress.finish()
        self.act_update.setEnabled(True)
        if error is not None:
            self.report_error("Indexing stopped", error)
        elif report is None or getattr(report, "cancelled", False):
            self.statusBar().showMessage("Indexing cancelled; the articles done so far are kept.", 8000)
        else:
            bits = [f"{report.added} added", f"{report.changed} changed", f"{report.removed} removed"]
            if report.problems:
                bits.append(f"{len(report.problems)} could not be read")
            self.statusBar().showMessage("Indexing finished: " + ", ".join(bits) + ".", 10000)
        if self.problems_panel.problems():
            self.problems_dock.show()
            self.problems_dock.raise_()

    def _problems_counted(self, n: int) -> None:
        self.problems_dock.setWindowTitle(f"Problems ({n})" if n else "Problems")

    def _timeline_saved(self, name: str, saved: bool) -> None:
        state = "saved" if saved else "\u2022 unsaved"
        self._timeline_title = f"{name} \u2014 {state}"
        self._update_title()

    def _update_title(self) -> None:
        parts = []
        if self._timeline_title:
            parts.append(self._timeline_title)
        elif self.session.archive_path is not None:
            parts.append(_archive_name(self.session.archive_path))
        # The app's name last: Qt appends the display name to a title that does
        # not already end with it, so it is named once everywhere.
        parts.append(APP_NAME)
        self.setWindowTitle(" \u2014 ".join(parts))

    def _check_ready(self) -> None:
        if (not self._ready_sent and self.session.archive is not None
                and not self.session.is_indexing and self.reader.article is not None):
            self._ready_sent = True
            self.ready.emit()

    # ------------------------------------------------------------------ articles
    def show_article(self, article_id: int, keep_position: bool = False) -> bool:
        """Show an article in the reader with its facts; False if it is gone."""
        arc = self.session.archive
        if arc is None:
            return False
        try:
            article = arc.article(article_id)
            facts = arc.facts(article_id)
        except CasefileError as err:
            self.report_error("Cannot show the article", err)
            return False
        scroll = self.reader.text.verticalScrollBar().value() if keep_position else None
        self.reader.show_article(article, facts, query_terms(self.search_panel.query))
        if scroll is not None:
            self.reader.text.verticalScrollBar().setValue(scroll)
        self.facts_panel.set_facts(facts, self._entity_counts, article.text)
        self.facts_panel.set_note(article.facts_note)
        self.archive_panel.select_article(article_id, emit=False)
        self.article_shown.emit(article_id)
        self._check_ready()
        return True

    def go_to_passage(self, article_id: int, start: int, end: int) -> None:
        """Open an article and select (and flash) ``text[start:end]``."""
        if self.reader.article is None or self.reader.article.id != article_id:
            if not self.show_article(article_id):
                return
        self.reader.select_span(start, end)

    def _open_hit(self, hit) -> None:
        self.show_article(hit.article_id)
        self.reader.text.setFocus()
        self.step_match(0)

    def step_match(self, step: int) -> None:
        """Go to a match of the search in the article (0: the first) and say which."""
        self.statusBar().showMessage(self.reader.step_match(step), 10000)

    def _results_changed(self, query: str) -> None:
        self.reader.set_terms(query_terms(query))
        n = self.search_panel.model.rowCount()
        self.left_tabs.setTabText(1, f"Search ({n})" if query else "Search")

    def _remember_query(self, query: str) -> None:
        if query:
            self.search_panel.set_history(self.settings.remember_query(query))

    def _search(self, query: str, sort: str):
        """The search panel's search; runs on a reader-pool thread."""
        return self.searches.search(query, limit=self._search_limit, sort=sort)

    def _search_failed(self, error) -> None:
        if isinstance(error, IndexDamaged) and self.session.archive is not None:
            # The core has marked the index; rebuild it from the store now, in
            # the background, rather than at the next start.
            if not self.session.is_rebuilding:
                self.session.rebuild_index()

    def filter_by_entity(self, entity_id: int) -> None:
        """Show only the articles that mention an entity (in the Articles tab)."""
        arc = self.session.archive
        if arc is None:
            return
        try:
            entity = arc.entity(entity_id)
            ids = [a.id for a in arc.articles_mentioning(entity_id)]
        except CasefileError as err:
            self.report_error("Cannot list the articles", err)
            return
        self.archive_panel.set_entity_filter(entity_id, entity.name, ids)
        self.left_tabs.setCurrentWidget(self.archive_panel)

    def correct_metadata(self, field: str, value: str) -> None:
        """Correct the shown article's metadata on the writer pool (a new date re-dates its facts)."""
        article = self.reader.article
        if article is None or self.session.archive is None:
            return
        self.statusBar().showMessage(f"Correcting the {field}\u2026")
        self.session.correct_metadata(
            article.id, {field: value}, lambda fresh, error: self._metadata_corrected(article, field, fresh, error))

    def _metadata_corrected(self, article, field: str, fresh, error) -> None:
        showing = self.reader.article is not None and self.reader.article.id == article.id
        if error is not None:
            self.statusBar().clearMessage()
            if not isinstance(error, CasefileError):
                self.report_error("Cannot correct the article", error)
            elif showing:
                # Inline, next to the field: a wrong date is not worth a dialog.
                self.reader.header.set_article(self.reader.article)
                self.reader.header.show_error(str(error))
            else:  # the reader moved on meanwhile
                self.statusBar().showMessage(f"The {field} was not corrected: {error}", 10000)
            return
        if showing:
            # The facts move with a corrected date: show them again.
            self.show_article(fresh.id, keep_position=True)
        self.statusBar().showMessage(f"Corrected the {field}; the correction survives re-indexing.", 6000)

    def _on_rebuild_started(self, task) -> None:
        self.progress.start("Rebuilding the search index\u2026")
        reason = self.session.archive.index_stale_reason if self.session.archive is not None else None
        self.progress.setToolTip(f"{reason or 'The search index is out of step with the archive.'} "
                                 f"The articles can be read meanwhile.")
        self.statusBar().showMessage("Until the rebuild is done, searches find only the articles indexed so far.",
                                     15000)

    def _on_rebuild_finished(self, count, error) -> None:
        self.progress.setToolTip("")
        if self.session.is_indexing:
            self.progress.start("Indexing\u2026")  # a run queued behind the rebuild goes on
        else:
            self.progress.finish()
        if error is not None:
            self.report_error("Rebuilding the search index stopped", error)
        elif count is None:
            self.statusBar().showMessage(
                "Rebuilding the search index was cancelled: searches find only part of the archive "
                "until it is rebuilt (Update archive, or the next start).", 10000)
        else:
            self.statusBar().showMessage(f"Search index rebuilt: {count} article{'s' if count != 1 else ''}.", 8000)

    # ------------------------------------------------------------------ actions
    def focus_search(self) -> None:
        self.left_tabs.setCurrentWidget(self.search_panel)
        self.search_panel.focus()

    def add_to_timeline(self) -> None:
        article = self.reader.article
        if article is None:
            self.statusBar().showMessage("Open an article and select a passage or a fact first.", 6000)
            return
        fact = self.facts_panel.selected_fact()
        span = self.reader.selected_span()
        if fact is not None and (self.facts_panel.view.hasFocus() or span is None):
            self.timeline_panel.add_from_fact(fact, article)
        elif span is not None and span[1] > span[0]:
            self.timeline_panel.add_from_passage(article, span[0], span[1])
        else:
            self.statusBar().showMessage("Select a passage in the text or a fact first.", 6000)
            return
        self.timeline_dock.show()
        self.timeline_dock.raise_()

    def _on_external_changes(self) -> None:
        """Another connection wrote: read the lists, the timeline and the article shown again."""
        self.session.notify_articles_changed()
        self.timeline_panel.reload()
        current = self.reader.article
        if current is not None:
            try:
                self.session.archive.article(current.id, with_text=False)
            except CasefileError:
                return      # gone: _on_articles_changed has cleared the reader
            self.show_article(current.id, keep_position=True)
        self.statusBar().showMessage("Updated with changes made in another window or program.", 6000)

    def _reader_passage(self):
        span = self.reader.selected_span()
        article = self.reader.article
        if article is None or span is None or span[1] <= span[0]:
            return None
        return article, span[0], span[1]

    def _reader_passage_action(self, what: str, start: int, end: int) -> None:
        article = self.reader.article
        if article is None:
            return
        if what == "cite":
            self.timeline_panel.cite_passage(article, start, end)
        else:
            self.timeline_panel.add_from_passage(article, start, end)
        self.timeline_dock.show()
        self.timeline_dock.raise_()

    def _set_zoom(self, steps: int) -> None:
        self.reader.set_zoom(steps)
        self.settings.text_zoom = self.reader.zoom

    def zoom_in(self) -> None:
        self._set_zoom(self.reader.zoom + 1)

    def zoom_out(self) -> None:
        self._set_zoom(self.reader.zoom - 1)

    def set_theme(self, name: str) -> None:
        """Switch to the System, Light or Dark theme now, and keep it for the next start."""
        self.settings.theme = name
        self.theme_actions.get(name, self.theme_actions["system"]).setChecked(True)
        switch_theme(name)
        # Highlight colours are set when an article is shown: show it again.
        if self.reader.article is not None:
            self.show_article(self.reader.article.id, keep_position=True)
        for view in (self.facts_panel.view, self.search_panel.view, self.archive_panel.view):
            view.viewport().update()

    def _boilerplate_toggled(self, show: bool) -> None:
        if self.act_boilerplate.isChecked() != show:
            self.act_boilerplate.setChecked(show)
        self.settings.show_boilerplate = show

    def show_query_help(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Casefile \u2014 Query syntax")
        box.setIcon(QMessageBox.Icon.Information)
        box.setText("<b>Searching the archive</b>")
        box.setInformativeText(query_help_html())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> QMessageBox:
        from .about import about_box

        # Opened, not exec'd, like the other dialogs: background work goes on.
        self.about_box = about_box(self)
        self.about_box.open()
        return self.about_box

    def report_error(self, title: str, error: BaseException) -> None:
        self._last_error_box = show_error(self, title, error)


def redo_shortcuts() -> list[QKeySequence]:
    """The platform's Redo keys once each, plus Ctrl+Y where Ctrl+Y is not taken (not macOS).

    Listing Ctrl+Shift+Z beside StandardKey.Redo registered it twice on Linux,
    and Qt answers a key with two shortcuts with "Ambiguous shortcut overload".
    """
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
    if sys.platform != "darwin":
        keys.append(QKeySequence("Ctrl+Y"))
    unique: list[QKeySequence] = []
    for key in keys:
        if not key.isEmpty() and key not in unique:
            unique.append(key)
    return unique


def _tooltip(text: str, shortcut: QKeySequence, tip: str) -> str:
    label = tip or text.replace("&", "").rstrip(".\u2026")
    keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
    return f"{label} ({keys})" if keys else label


def _archive_name(path: Optional[Path]) -> str:
    if path is None:
        return ""
    path = Path(path)
    if path.name == paths.ARCHIVE_DIR_NAME:
        return path.parent.name
    if path == paths.demo_archive_dir():
        return "Demo archive"
    return path.name


def _holds_articles(folder: Path) -> bool:
    try:
        return any(p.suffix.lower() in ARTICLE_SUFFIXES for p in folder.iterdir() if p.is_file())
    except OSError:
        return False
