"""The reader: one article's metadata, a legend of fact colours, and its text."""
from __future__ import annotations

from typing import Optional, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QFrame, QLabel, QSizePolicy, QStackedWidget, QToolButton,
                               QVBoxLayout, QWidget)

from ..theme import FACT_COLORS, FACT_LABELS, fact_color, fact_tint, mark_color
from .article_text import ArticleText
from .flow_layout import FlowLayout
from .metadata_header import MetadataHeader

__all__ = ["Reader"]

_ZOOM_LIMIT = 8
_LEGEND_ROWS = 2
_SHORT = {"org": "Orgs", "quantity": "Numbers", "legal": "Legal", "term": "Search"}


class _LegendChip(QLabel):
    """A colour swatch and a kind's name (with its count in the article)."""

    def __init__(self, kind: str, parent=None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._count: Optional[int] = None
        self._compact = False
        self.setObjectName("legendChip")
        self.set_count(None)

    def set_count(self, count: Optional[int]) -> None:
        self._count = count
        self._show_text()
        # Colours follow the theme in use when the article is shown.
        color = fact_color(self.kind) if self.kind in FACT_COLORS else mark_color()
        tint = fact_tint(self.kind) if self.kind in FACT_COLORS else mark_color()
        self.setStyleSheet(
            f"QLabel#legendChip {{ border-bottom: 2px solid {color.name()}; "
            f"background: {tint.name(QColor.NameFormat.HexArgb)}; }}")

    def set_compact(self, compact: bool) -> None:
        """Only the count, when the reader is too narrow for the names (the tooltip keeps them)."""
        if compact != self._compact:
            self._compact = compact
            self._show_text()

    def _show_text(self) -> None:
        count = self._count
        label = FACT_LABELS.get(self.kind, "Search terms")
        short = _SHORT.get(self.kind, label)
        if self._compact and count:
            self.setText(str(count))
        else:
            self.setText(f"{short} {count}" if count else short)
        self.setEnabled(count is None or count > 0)
        self.setToolTip(f"{label}" + (f" ({count} in this article)" if count else "")
                        + ": highlighted like this in the text")


class Reader(QWidget):
    """Shows an article beside nothing else; the window wires it to the facts panel.

    Signals: ``fact_clicked(fact)`` when a highlight is clicked,
    ``correction_requested(field, value)`` when a metadata field is edited,
    ``passage_selected(start, end)`` when the text selection changes.
    """

    fact_clicked = Signal(object)
    correction_requested = Signal(str, str)
    passage_selected = Signal(int, int)
    boilerplate_toggled = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.header = MetadataHeader()
        self.text = ArticleText()
        self.text.setObjectName("articleText")
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self._zoom = 0

        bar = QWidget()
        bar.setObjectName("legendBar")
        # The legend wraps onto a second line on a narrow reader rather than
        # force the window wider or drop the kinds' names.
        bar.setMinimumWidth(0)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        bar.setSizePolicy(policy)
        row = FlowLayout(bar)
        row.setContentsMargins(18, 4, 12, 6)
        self.chips = {kind: _LegendChip(kind) for kind in FACT_COLORS}
        for chip in self.chips.values():
            row.addWidget(chip)
        self.term_chip = _LegendChip("term")
        row.addWidget(self.term_chip)
        self.boilerplate_button = QToolButton()
        self.boilerplate_button.setObjectName("boilerplateToggle")
        self.boilerplate_button.setCheckable(True)
        self.boilerplate_button.setText("Boilerplate")
        self.boilerplate_button.setToolTip("Show the link lists, captions and other page furniture "
                                           "that are not part of the report (dimmed)")
        self.boilerplate_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.boilerplate_button.toggled.connect(self.set_show_boilerplate)
        row.addWidget(self.boilerplate_button)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setObjectName("separator")

        self.placeholder = QLabel()
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setMargin(24)
        self.set_empty_state(True)

        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.header)
        col.addWidget(bar)
        col.addWidget(line)
        col.addWidget(self.text, 1)

        self.legend_bar = bar
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.stack)

        self.text.fact_clicked.connect(self.fact_clicked)
        self.text.passage_selected.connect(self.passage_selected)
        self.header.correction_requested.connect(self.correction_requested)

    # -- content ------------------------------------------------------------
    @property
    def article(self):
        return self.text.article

    def show_article(self, article, facts: Sequence = (), terms: Sequence[str] = ()) -> None:
        self.header.set_article(article)
        self.text.set_article(article, facts, terms)
        counts: dict[str, int] = {}
        for f in facts:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        for kind, chip in self.chips.items():
            chip.set_count(counts.get(kind, 0))
        self.term_chip.setVisible(bool(terms))
        # Only articles that have page furniture get the switch for it.
        self.boilerplate_button.setVisible(self.text.has_boilerplate())
        self.stack.setCurrentIndex(1)
        self._fit_legend()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_legend()

    def _fit_legend(self) -> None:
        chips = list(self.chips.values()) + [self.term_chip]
        for chip in chips:
            chip.set_compact(False)
        layout = self.legend_bar.layout()
        width = self.legend_bar.width() or self.width()
        # Names on up to two lines; only a very narrow reader shows counts alone.
        if width > 0 and layout.rows_for(width) > _LEGEND_ROWS:
            for chip in chips:
                chip.set_compact(True)
        layout.invalidate()
        layout.activate()

    def set_empty_state(self, has_articles: bool) -> None:
        """What the reader says while no article is open: how to get one."""
        if has_articles:
            text = ("<p><b>No article is open.</b></p>"
                    "<p>Pick one in the <b>Articles</b> list, or search the archive (<b>Ctrl+F</b>)"
                    " and press Enter on a result.</p>"
                    "<p>In an article, click a highlight to see its fact, and select a passage"
                    " and press <b>Ctrl+T</b> to add it to the timeline.</p>")
        else:
            text = ("<p><b>This archive has no articles yet.</b></p>"
                    "<p>Choose <b>File › Open Folder…</b> (Ctrl+O) to index a folder of"
                    " articles: text, Markdown, saved web pages, PDF or Word files.</p>")
        self.placeholder.setText(text)

    def update_metadata(self, article) -> None:
        """Show corrected metadata without reloading the text."""
        self.header.set_article(article)

    def clear(self) -> None:
        self.header.set_article(None)
        self.text.clear_article()
        self.stack.setCurrentIndex(0)

    def set_terms(self, terms: Sequence[str]) -> None:
        self.text.set_terms(terms)
        self.term_chip.setVisible(bool(terms))

    def set_show_boilerplate(self, show: bool) -> None:
        if self.boilerplate_button.isChecked() != show:
            self.boilerplate_button.setChecked(show)
            return
        self.text.set_show_boilerplate(show)
        self.boilerplate_button.setToolTip(
            "Hide the page furniture again" if show else
            "Show the link lists, captions and other page furniture that are not part of the report (dimmed)")
        self.boilerplate_toggled.emit(show)

    def select_span(self, start: int, end: int, flash: bool = True) -> None:
        self.text.select_span(start, end, flash)
        if self.text.show_boilerplate != self.boilerplate_button.isChecked():
            self.boilerplate_button.setChecked(self.text.show_boilerplate)

    def step_match(self, step: int) -> str:
        """Go to the next (1), previous (-1) or first (0) match of the search
        terms in the text, wrapping round; returns a line for the status bar."""
        if self.article is None:
            return "Open an article first."
        if not self.text.terms:
            return "No search terms: search first (Ctrl+F), then F3 steps through the matches."
        number, count = self.text.go_to_match(step)
        if self.text.show_boilerplate != self.boilerplate_button.isChecked():
            self.boilerplate_button.setChecked(self.text.show_boilerplate)
        words = ", ".join(f"“{t}”" for t in self.text.terms)
        if not count:
            return f"{words} does not occur in the text (only in its title or details)."
        return f"Match {number} of {count} for {words} (F3 next, Shift+F3 previous)"

    def select_fact(self, fact) -> None:
        self.select_span(fact.start, fact.end)

    def selected_span(self):
        return self.text.selected_span()

    # -- zoom -----------------------------------------------------------------
    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, steps: int) -> None:
        steps = max(-_ZOOM_LIMIT, min(_ZOOM_LIMIT, int(steps)))
        delta = steps - self._zoom
        if delta > 0:
            self.text.zoomIn(delta)
        elif delta < 0:
            self.text.zoomOut(-delta)
        self._zoom = steps

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom - 1)
