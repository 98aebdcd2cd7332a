"""The article's text, read-only, with its facts highlighted by kind.

Highlights are ``ExtraSelection``s over exact character spans; the core's
offsets are converted to Qt positions with :class:`~desktop.textpos.OffsetMap`.
Page boilerplate is dimmed, and hidden (its blocks made invisible, so offsets
stay valid) unless ``show_boilerplate`` is on. Markdown link markup is not
shown (``[said](#)`` reads "said"); the map keeps offsets in the stored text.

Dragging a selection carries ``application/x-casefile-passage``: JSON
``{"article_id", "start", "end", "text"}`` with Python offsets.
"""
from __future__ import annotations

import json
from typing import Optional, Sequence

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from archive.markup import markup_spans, styled_runs
from archive.models import Region

from ..query_terms import name_spans, term_pattern
from ..textpos import OffsetMap
from ..theme import dim_color, fact_color, fact_tint, mark_color

__all__ = ["ArticleText", "PASSAGE_MIME"]

PASSAGE_MIME = "application/x-casefile-passage"
FLASH_MS = 900
# Draw long spans first so short ones (a name inside a quote) stay visible on top.
_LAYER = {"quote": 0, "legal": 1, "quantity": 2, "date": 3, "org": 3, "place": 3, "person": 3}


# How far down the text a copy of the title is looked for.
_TITLE_ECHO_BLOCKS = 6
_KICKER_MAX = 40


def _plain(text: str) -> str:
    return " ".join(text.split()).strip(" .:;\u2013\u2014-").casefold()


class ArticleText(QTextBrowser):
    """Shows one article's text; emits ``fact_clicked`` when a highlight is clicked."""

    fact_clicked = Signal(object)          # Fact
    passage_selected = Signal(int, int)    # python start, end ('' selection: start == end)
    passage_action = Signal(str, int, int)  # "new" or "cite", python start, end (context menu)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.document().setDocumentMargin(18)
        self._article = None
        self._text = ""
        self._map = OffsetMap("")
        self._facts: tuple = ()
        self._terms: list[str] = []
        self._show_boilerplate = False
        self._fact_selections: list = []
        self._term_selections: list = []
        self._flash: Optional[QTextEdit.ExtraSelection] = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._end_flash)
        self._press_pos: Optional[QPoint] = None
        self.context_menu = None   # the last context menu shown (tests pick its actions)
        self.selectionChanged.connect(self._emit_selection)

    # -- content ------------------------------------------------------------
    @property
    def article(self):
        return self._article

    @property
    def offset_map(self) -> OffsetMap:
        return self._map

    def set_article(self, article, facts: Sequence = (), terms: Sequence[str] = ()) -> None:
        self._article = article
        # QTextDocument folds "\r\n" into one paragraph break; keep the length.
        self._text = (article.text or "").replace("\r\n", " \n") if article else ""
        self._map = OffsetMap(self._text, markup_spans(self._text))
        self._facts = tuple(facts)
        self._terms = list(terms)
        self._match = -1
        self._end_flash()
        # setPlainText types with the cursor's format, which may be the dimmed
        # title or boilerplate of the article shown before: start plain.
        self.document().clear()
        self.setCurrentCharFormat(QTextCharFormat())
        self.setPlainText(self._map.shown_text)
        self._format_markup()
        self._format_title_echoes()
        self._format_boilerplate()
        self._apply_boilerplate_visibility()
        self._fact_selections = self._make_fact_selections()
        self._term_selections = self._make_term_selections()
        self._refresh_selections()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def clear_article(self) -> None:
        self._article = None
        self._facts = ()
        self._text = ""
        self._map = OffsetMap("")
        self._match = -1
        self._fact_selections, self._term_selections = [], []
        self.setPlainText("")
        self._refresh_selections()

    def set_terms(self, terms: Sequence[str]) -> None:
        self._terms = list(terms)
        self._match = -1
        self._term_selections = self._make_term_selections()
        self._refresh_selections()

    def set_show_boilerplate(self, show: bool) -> None:
        self._show_boilerplate = bool(show)
        self._apply_boilerplate_visibility()

    @property
    def show_boilerplate(self) -> bool:
        return self._show_boilerplate

    def facts(self) -> tuple:
        return self._facts

    def has_boilerplate(self) -> bool:
        return bool(self._regions())

    # -- spans ------------------------------------------------------------
    def select_span(self, start: int, end: int, flash: bool = True) -> None:
        """Select ``text[start:end]`` (Python offsets), scroll to it and flash it."""
        if self._article is None:
            return
        if self._in_hidden_region(start) and not self._show_boilerplate:
            self.set_show_boilerplate(True)
        cur = QTextCursor(self.document())
        cur.setPosition(self._map.to_qt(start))
        cur.setPosition(self._map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)
        self._center_on(cur)
        if flash:
            sel = QTextEdit.ExtraSelection()
            sel.cursor = QTextCursor(cur)
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#ffb000"))
            fmt.setForeground(QColor("#000000"))
            sel.format = fmt
            self._flash = sel
            self._refresh_selections()
            self._flash_timer.start(FLASH_MS)

    def selected_span(self) -> Optional[tuple[int, int]]:
        """The selection as Python offsets, or None when nothing is selected."""
        cur = self.textCursor()
        if not cur.hasSelection() or self._article is None:
            return None
        return (self._map.from_qt(cur.selectionStart()),
                self._map.from_qt(cur.selectionEnd(), after=True))

    def position_of(self, index: int) -> QPoint:
        """Viewport point in the middle of the character at Python offset ``index``."""
        cur = QTextCursor(self.document())
        cur.setPosition(self._map.to_qt(index))
        rect = self.cursorRect(cur)
        return QPoint(rect.x() + max(2, self.fontMetrics().averageCharWidth() // 2), rect.center().y())

    def fact_at(self, index: int):
        """The narrowest fact covering Python offset ``index`` (None if none)."""
        covering = [f for f in self._facts if f.start <= index < f.end]
        if not covering:
            return None
        return min(covering, key=lambda f: (f.end - f.start, -_LAYER.get(f.kind, 3)))

    # -- events -------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        moved = self._press_pos is not None and (pos - self._press_pos).manhattanLength() > 3
        self._press_pos = None
        if event.button() != Qt.MouseButton.LeftButton or moved or self.textCursor().hasSelection():
            return
        qt_pos = self.document().documentLayout().hitTest(
            (pos + self._scroll_offset()).toPointF(), Qt.HitTestAccuracy.FuzzyHit)
        if qt_pos < 0:
            return
        index = self._map.from_qt(qt_pos)
        # A click on the right half of a character reports the gap after it.
        fact = self.fact_at(index) or (self.fact_at(index - 1) if index > 0 else None)
        if fact is not None:
            self.fact_clicked.emit(fact)

    def createMimeDataFromSelection(self) -> QMimeData:
        # Qt's own QTextEditMimeData reports a fixed list of formats, so a
        # passage added to it is invisible to hasFormat() and every drop is
        # refused: build a plain QMimeData that carries all three.
        own = super().createMimeDataFromSelection()
        mime = QMimeData()
        span = self.selected_span()
        if span is not None and self._article is not None:
            start, end = span
            text = self._article.text[start:end]
            mime.setText(text)
            if own is not None and own.hasHtml():
                mime.setHtml(own.html())
            payload = {"article_id": self._article.id, "start": start, "end": end, "text": text}
            mime.setData(PASSAGE_MIME, json.dumps(payload).encode("utf-8"))
        elif own is not None:
            mime.setText(own.text())
        return mime

    def contextMenuEvent(self, event) -> None:
        # The timeline's two ways in, beside Copy and Select All, where a
        # right-click on a selected passage looks for them.
        menu = self.createStandardContextMenu(event.pos())
        span = self.selected_span()
        usable = span is not None and span[1] > span[0] and self._article is not None
        menu.addSeparator()
        add = menu.addAction("Add to timeline as new event")
        add.setEnabled(usable)
        add.triggered.connect(lambda: self.passage_action.emit("new", *span) if usable else None)
        cite = menu.addAction("Cite in selected event")
        cite.setEnabled(usable)
        cite.triggered.connect(lambda: self.passage_action.emit("cite", *span) if usable else None)
        self.context_menu = menu
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        menu.popup(event.globalPos())

    # -- internals ------------------------------------------------------------
    def _scroll_offset(self) -> QPoint:
        return QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())

    def _center_on(self, cur: QTextCursor) -> None:
        rect = self.cursorRect(cur)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.center().y() - self.viewport().height() // 2)

    def _emit_selection(self) -> None:
        span = self.selected_span()
        if span is None:
            cur = self.textCursor()
            index = self._map.from_qt(cur.position())
            span = (index, index)
        self.passage_selected.emit(*span)

    def _regions(self):
        if self._article is None:
            return ()
        regions = list(getattr(self._article, "regions", ()) or ())
        body_end = getattr(self._article, "body_end", len(self._text))
        if body_end < len(self._text) and not any(r.start <= body_end and r.end >= len(self._text)
                                                  for r in regions):
            regions.append(Region(body_end, len(self._text), "tail"))
        return regions

    def _in_hidden_region(self, index: int) -> bool:
        return any(r.start <= index < r.end for r in self._regions())

    def title_echo_blocks(self) -> list[int]:
        """Numbers of the first blocks that only repeat the article's title (pages often
        carry it two or three times above the report)."""
        title = _plain(getattr(self._article, "title", None) or "")
        if not title:
            return []
        out = []
        block = self.document().begin()
        while block.isValid() and block.blockNumber() < _TITLE_ECHO_BLOCKS:
            if _plain(block.text()) == title:
                out.append(block.blockNumber())
            block = block.next()
        if len(out) > 1:
            # A short line between two copies is the page's section label ("Courts").
            between = [n for n in range(out[0] + 1, out[-1]) if n not in out
                       and 0 < len(self.document().findBlockByNumber(n).text().strip()) <= _KICKER_MAX]
            out = sorted(out + between)
        return out

    def _format_markup(self) -> None:
        # The hidden ** and ## said "bold" and "heading": show it so.
        for start, end, style in styled_runs(self._text):
            fmt = QTextCharFormat()
            if style == "em":
                fmt.setFontItalic(True)
            else:
                fmt.setFontWeight(QFont.Weight.Bold)
            cur = QTextCursor(self.document())
            cur.setPosition(self._map.to_qt(start))
            cur.setPosition(self._map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            cur.mergeCharFormat(fmt)

    def _format_title_echoes(self) -> None:
        # The header already shows the title big: its copies in the text step back.
        fmt = QTextCharFormat()
        fmt.setForeground(dim_color())
        for number in self.title_echo_blocks():
            block = self.document().findBlockByNumber(number)
            if block.length() <= 1:
                continue  # merging into an empty block would colour the text after it
            cur = QTextCursor(block)
            cur.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            cur.mergeCharFormat(fmt)

    def _format_boilerplate(self) -> None:
        fmt = QTextCharFormat()
        fmt.setForeground(dim_color())
        fmt.setFontItalic(True)
        for r in self._regions():
            cur = QTextCursor(self.document())
            cur.setPosition(self._map.to_qt(r.start))
            cur.setPosition(self._map.to_qt(r.end), QTextCursor.MoveMode.KeepAnchor)
            cur.mergeCharFormat(fmt)

    def _apply_boilerplate_visibility(self) -> None:
        doc = self.document()
        regions = [(self._map.to_qt(r.start), self._map.to_qt(r.end)) for r in self._regions()]
        block = doc.begin()
        changed = False
        while block.isValid():
            b0 = block.position()
            b1 = b0 + max(0, block.length() - 1)
            inside = any(s <= b0 and b1 <= e for s, e in regions)
            visible = self._show_boilerplate or not inside
            if block.isVisible() != visible:
                block.setVisible(visible)
                changed = True
            block = block.next()
        if changed:
            doc.markContentsDirty(0, doc.characterCount())
            self.viewport().update()

    def _span_cursor(self, start: int, end: int) -> QTextCursor:
        cur = QTextCursor(self.document())
        cur.setPosition(self._map.to_qt(start))
        cur.setPosition(self._map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cur

    def _make_fact_selections(self) -> list:
        out = []
        for fact in sorted(self._facts, key=lambda f: (_LAYER.get(f.kind, 3), f.start)):
            if not (0 <= fact.start < fact.end <= len(self._text)):
                continue
            sel = QTextEdit.ExtraSelection()
            sel.cursor = self._span_cursor(fact.start, fact.end)
            fmt = QTextCharFormat()
            if fact.kind == "quote":
                # A quote is long: mark it by a coloured underline only, so the
                # names and dates inside it keep their own colours.
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(fact_color("quote"))
                fmt.setFontItalic(True)
            else:
                fmt.setBackground(fact_tint(fact.kind))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(fact_color(fact.kind))
            fmt.setToolTip(f"{fact.kind}: {fact.value}")
            fmt.setProperty(QTextFormat.Property.UserProperty, fact.kind)
            sel.format = fmt
            out.append(sel)
        return out

    def _make_term_selections(self) -> list:
        out = []
        fmt = QTextCharFormat()
        fmt.setBackground(mark_color())
        fmt.setFontWeight(QFont.Weight.DemiBold)
        for start, end in self.term_matches():
            sel = QTextEdit.ExtraSelection()
            sel.cursor = self._span_cursor(start, end)
            sel.format = fmt
            out.append(sel)
        return out

    def term_matches(self) -> list[tuple[int, int]]:
        """Python spans of the search terms in the text, in order (none inside hidden markup)."""
        if not self._text:
            return []
        pattern = term_pattern(self._terms)
        spans = set()
        if pattern is not None:
            spans.update((m.start(), m.end()) for m in pattern.finditer(self._text))
        # Names the search found in another script or spelling ("Brannik": "Бранника").
        spans.update(name_spans(self._text, self._terms))
        to_qt = self._map.to_qt
        return [(start, end) for start, end in sorted(spans) if to_qt(end) > to_qt(start)]

    @property
    def terms(self) -> tuple[str, ...]:
        """The search terms marked in the text."""
        return tuple(self._terms)

    @property
    def current_match(self) -> int:
        """Index of the match last gone to (-1: none yet)."""
        return self._match

    def go_to_match(self, step: int) -> tuple[int, int]:
        """Select the next (``step`` 1) or previous (-1) match of the terms,
        wrapping round; ``step`` 0 goes to the first. Returns ``(number, count)``,
        ``number`` counting from 1, ``(0, 0)`` when the terms do not occur."""
        matches = self.term_matches()
        if not matches:
            self._match = -1
            return 0, 0
        if step == 0 or self._match < 0:
            i = 0 if step >= 0 else len(matches) - 1
        else:
            i = (self._match + step) % len(matches)
        self._match = i
        self.select_span(*matches[i])
        return i + 1, len(matches)

    def _refresh_selections(self) -> None:
        selections = list(self._fact_selections) + list(self._term_selections)
        if self._flash is not None:
            selections.append(self._flash)
        self.setExtraSelections(selections)

    def _end_flash(self) -> None:
        self._flash = None
        self._refresh_selections()
