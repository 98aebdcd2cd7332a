"""The search panel: a query field with a history, inline errors, and the hits.

Typing searches after a short pause; Up/Down in the field move through the
hits; Enter opens the current hit. An empty or malformed query is explained
in a red line under the field (the archive's ``BadQuery`` message), never in
a dialog. With ``tasks`` set (the app's TaskRunner) each search runs on the
reader pool while the field stays live; a query typed while one runs waits
for it and only the newest query's results are shown.
"""
from __future__ import annotations

import logging
from typing import Callable, NamedTuple, Optional, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QRectF, QSize, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QCompleter, QHBoxLayout, QLabel, QLineEdit,
                               QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
                               QVBoxLayout, QWidget)

from ..models.hits import HTML_ROLE, HitListModel
from ..query_help import help_text
from ..theme import is_dark, mark_color

__all__ = ["SearchPanel", "SnippetDelegate", "QUERY_HELP"]

QUERY_HELP = help_text()
PLACEHOLDER = 'Search: words, "phrases", OR, NOT, desert*, title:, published:2022-12'
SEARCH_DELAY_MS = 250

log = logging.getLogger(__name__)


class _Job(NamedTuple):
    seq: int
    query: str
    sort: str
    then: Optional[Callable[[], None]]


class SnippetDelegate(QStyledItemDelegate):
    """Draws a hit's title, source line and snippet (with <mark> highlights)."""

    WIDTH_PAD = 20

    def _document(self, option: QStyleOptionViewItem, html: str, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(6)
        doc.setDefaultFont(option.font)
        muted = "#9aa1ab" if is_dark() else "#6b7280"
        doc.setDefaultStyleSheet(
            f".t {{ font-weight: 600; }} .s {{ color: {muted}; font-size: small; }}"
            f" .p {{ margin-top: 3px; }} mark {{ background-color: {mark_color().name()}; }}")
        doc.setHtml(html)
        doc.setTextWidth(max(80, width))
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        html = index.data(HTML_ROLE) or ""
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(opt, html, opt.rect.width())
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = opt.widget.viewport().width() if opt.widget else 300
        doc = self._document(opt, index.data(HTML_ROLE) or "", width)
        return QSize(width, int(doc.size().height()) + 4)


class _QueryField(QLineEdit):
    """Sends Up/Down to the hit list so the keyboard never leaves the field."""

    move = Signal(int)

    def keyPressEvent(self, event) -> None:
        popup = self.completer().popup() if self.completer() else None
        if popup is not None and popup.isVisible():
            super().keyPressEvent(event)
            return
        if event.key() == Qt.Key.Key_Down:
            self.move.emit(1)
            return
        if event.key() == Qt.Key.Key_Up:
            self.move.emit(-1)
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Runs queries through ``search_fn(query, sort)`` (which returns a
    ``SearchResult`` or raises ``BadQuery``) and lists the hits.

    Signals: ``hit_opened(hit)`` (Enter, click), ``hit_selected(hit)``
    (Up/Down), ``query_committed(query)`` (worth remembering in the history),
    ``terms_changed(query)`` when the shown results belong to a new query.
    """

    hit_opened = Signal(object)
    hit_selected = Signal(object)
    query_committed = Signal(str)
    results_changed = Signal(str)
    search_finished = Signal(str)     # a search's results or error are shown (the newest query)
    search_failed = Signal(object)    # the error, once shown inline
    busy_changed = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.search_fn: Optional[Callable] = None
        # With a TaskRunner, search_fn runs on its reader pool (it must not use
        # the GUI thread's Archive); without one, here.
        self.tasks = None
        self._seq = 0                 # numbers the queries asked for; the newest wins
        self._running = None          # the Task of the search under way
        self._pending: Optional[_Job] = None  # the newest query, waiting for it
        self._busy = False
        self.model = HitListModel(self)
        self._history = QStringListModel(self)
        self._last_query: Optional[str] = None
        self._last_sort = "relevance"

        self.field = _QueryField()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setToolTip("Query syntax (F1 for more):\n" + QUERY_HELP)
        self.field.setClearButtonEnabled(True)
        completer = QCompleter(self._history, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.field.setCompleter(completer)
        self.field.textEdited.connect(self._schedule)
        self.field.returnPressed.connect(self._enter)
        self.field.move.connect(self.move_current)

        self.sort = QComboBox()
        self.sort.addItem("Best match", "relevance")
        self.sort.addItem("Oldest first", "date")
        self.sort.setToolTip("Order of the results")
        self.sort.currentIndexChanged.connect(lambda *_: self.run_query(self.field.text(), quiet=True))

        self.error = QLabel()
        self.error.setObjectName("inlineError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.count = QLabel("")
        self.count.setObjectName("panelCount")
        self.busy = QLabel("Searching\u2026")
        self.busy.setObjectName("searchBusy")
        self.busy.hide()

        self.view = QListView()
        self.view.setObjectName("hitList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(SnippetDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setUniformItemSizes(False)
        self.view.setWordWrap(True)
        self.view.setSpacing(1)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.installEventFilter(self)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: self.run_query(self.field.text(), quiet=True))

        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.count, 1)
        row.addWidget(self.busy)
        row.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(6)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)

    # -- public -------------------------------------------------------------
    def set_history(self, queries: Sequence[str]) -> None:
        self._history.setStringList(list(queries))

    def history(self) -> list[str]:
        return self._history.stringList()

    @property
    def query(self) -> str:
        """The query whose results are shown ('' when none)."""
        return self._last_query or ""

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def clear_results(self) -> None:
        self._forget_running()
        self.model.set_hits(())
        self.count.setText("")
        self._last_query = None
        self.results_changed.emit("")

    def run_query(self, query: str, quiet: bool = False, then: Optional[Callable[[], None]] = None,
                  again: bool = False) -> bool:
        """Search for ``query``. ``quiet``: an empty query clears instead of
        complaining (typing, not pressing Enter). With ``tasks`` set the search
        runs on its reader pool and the results land later (``search_finished``);
        ``then()`` is called once they are shown; ``again``: search even when
        these are the results shown. Returns False when the query
        was refused at once (no archive), else True."""
        self._timer.stop()
        query = query.strip()
        sort = self.sort.currentData() or "relevance"
        if not query and quiet:
            self.clear_results()
            self.error.hide()
            return False
        if not again and query == self._last_query and sort == self._last_sort and self.model.rowCount():
            self._forget_running()  # the newest query is the one shown
            self.error.hide()
            if then is not None:
                then()
            return True
        if self.search_fn is None:
            self.show_error("No archive is open.")
            return False
        self._seq += 1
        job = _Job(self._seq, query, sort, then)
        if self.tasks is None:
            self._run_here(job)
            return True
        self._set_busy(True)
        if self._running is not None:
            self._pending = job  # newest query wins: it starts when the running one ends
        else:
            self._start(job)
        return True

    def is_busy(self) -> bool:
        """Whether a search for the newest query is under way."""
        return self._busy

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def current_hit(self):
        idx = self.view.currentIndex()
        return self.model.hit_at(idx.row()) if idx.isValid() else None

    def move_current(self, step: int) -> None:
        n = self.model.rowCount()
        if not n:
            return
        row = self.view.currentIndex().row()
        row = 0 if row < 0 else max(0, min(n - 1, row + step))
        self.view.setCurrentIndex(self.model.index(row, 0))
        self.view.scrollTo(self.model.index(row, 0))

    def refresh(self) -> None:
        """Run the shown query again (new articles landed)."""
        if self._last_query:
            # The shown query stays the panel's query until the new hits land.
            query = self._last_query
            current = self.current_hit()

            def reselect() -> None:
                if current is not None:
                    for row, hit in enumerate(self.model.hits()):
                        if hit.article_id == current.article_id:
                            self.view.setCurrentIndex(self.model.index(row, 0))
                            break

            self.run_query(query, quiet=True, then=reselect, again=True)

    # -- internals ------------------------------------------------------------
    def _run_here(self, job: "_Job") -> None:
        """No task runner (a panel on its own): search on this thread."""
        try:
            result, error = self.search_fn(job.query, job.sort), None
        except Exception as exc:  # noqa: BLE001 - shown like a worker's error
            result, error = None, exc
        self._show(job, result, error)

    def _start(self, job: "_Job") -> None:
        fn = self.search_fn
        self._running = self.tasks.run(lambda: fn(job.query, job.sort),
                                       lambda result, error: self._landed(job, result, error),
                                       name="search")

    def _landed(self, job: "_Job", result, error) -> None:
        self._running = None
        if self._pending is not None:
            # Typed on meanwhile: these results are already out of date.
            job, self._pending = self._pending, None
            self._start(job)
            return
        if job.seq != self._seq:
            return  # cleared or answered meanwhile
        self._show(job, result, error)

    def _forget_running(self) -> None:
        """Drop whatever search is under way or waiting: its results will not be shown."""
        self._seq += 1
        self._pending = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy == self._busy:
            return
        self._busy = busy
        self.busy.setVisible(busy)
        self.field.setProperty("busy", busy)
        self.busy_changed.emit(busy)

    def _show(self, job: "_Job", result, error: Optional[BaseException]) -> None:
        from archive.errors import CasefileError

        self._set_busy(False)
        if error is not None:
            if not isinstance(error, CasefileError):
                log.error("search %r failed", job.query, exc_info=error)
            if not job.query:
                self.clear_results()
            # BadQuery above all; shown inline, never as a dialog. An empty query
            # goes to the archive too: its BadQuery says what to type.
            self.show_error(str(error) if isinstance(error, CasefileError)
                            else f"The search failed ({type(error).__name__}: {error}).")
            self.search_failed.emit(error)
            self.search_finished.emit(job.query)
            return
        self.error.hide()
        self._last_query, self._last_sort = job.query, job.sort
        self.model.set_hits(result.hits)
        shown = len(result.hits)
        if result.total == 0:
            self.count.setText("No matches")
        elif result.total > shown:
            self.count.setText(f"{result.total} matches, first {shown} shown")
        else:
            self.count.setText(f"{result.total} match{'es' if result.total != 1 else ''}")
        if shown:
            self.view.setCurrentIndex(self.model.index(0, 0))
        self.results_changed.emit(job.query)
        if job.then is not None:
            job.then()
        self.search_finished.emit(job.query)

    def _schedule(self, _text: str) -> None:
        self._timer.start()

    def _enter(self) -> None:
        text = self.field.text()

        def open_current() -> None:
            hit = self.current_hit()
            self.query_committed.emit(text.strip())
            if hit is not None:
                self.hit_opened.emit(hit)

        if text.strip() != (self._last_query or "") or not self.model.rowCount():
            self.run_query(text, quiet=False, then=open_current)
        else:
            self._forget_running()
            open_current()

    def _clicked(self, idx: QModelIndex) -> None:
        hit = self.model.hit_at(idx.row())
        if hit is not None:
            if self._last_query:
                self.query_committed.emit(self._last_query)
            self.hit_opened.emit(hit)

    def _current_changed(self, current: QModelIndex, _previous) -> None:
        hit = self.model.hit_at(current.row()) if current.isValid() else None
        if hit is not None:
            self.hit_selected.emit(hit)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Snippet heights depend on the width: ask the view to measure again.
        self.view.doItemsLayout()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.view and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):
            hit = self.current_hit()
            if hit is not None:
                self.hit_opened.emit(hit)
                return True
        return super().eventFilter(obj, event)
