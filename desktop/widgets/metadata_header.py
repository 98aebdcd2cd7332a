"""The reader's header: title, date, outlet, author and URL, each correctable
in place, each with a small tag saying where its value came from.

Editing a field and pressing Enter (or leaving it) emits
``correction_requested(field, value)``; the window passes it to
``archive.correct_metadata`` and shows the corrected article again. Escape
puts the old value back.
"""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QVBoxLayout,
                               QWidget)

from ..formatting import human_date

__all__ = ["MetadataHeader", "InlineField", "TitleField", "PROVENANCE_TEXT", "INFERRED_SUFFIX"]

PROVENANCE_TEXT = {
    "text": ("from text", "Found in the article's text."),
    "html-meta": ("page meta", "Read from the web page's metadata."),
    "url": ("from URL", "Worked out from the article's web address."),
    "filename": ("file name", "Worked out from the file's name."),
    "user": ("corrected", "You corrected this value; it survives re-indexing."),
    "inferred": ("inferred", "The dateline gives only the day and month; the year comes from the case's "
                             "other articles. Click the date to correct it."),
}
# What an inferred publication date says after the date itself.
# Short, so the date fits beside the outlet; the tooltip gives the reasoning.
INFERRED_SUFFIX = " (inferred)"


_FIELD_NAMES = {"title": "title", "published": "date", "outlet": "outlet", "author": "author", "url": "address"}


class InlineField(QLineEdit):
    """A value that looks like text until clicked, then edits in place.

    ``display`` turns the stored value into what is shown when not editing
    (dates show as "14 Dec 2022" but edit as "2022-12-14").
    """

    committed = Signal(str, str)          # field, new value

    def __init__(self, field: str, placeholder: str, display: Optional[Callable[[str], str]] = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.field = field
        self._value = ""
        self._display = display or (lambda v: v)
        self.setObjectName("inlineField")
        self.setFrame(False)
        self.setPlaceholderText(placeholder)
        self.setToolTip(f"Click to correct the {field}")
        self._editing = False
        self.fit_to_text = False
        self._fit_width = 0
        self.textChanged.connect(self._fit)
        # editingFinished covers both Enter and leaving the field.
        self.editingFinished.connect(self._commit)

    @property
    def value(self) -> str:
        return self._value

    def set_value(self, value: Optional[str]) -> None:
        self._value = value or ""
        self.setText(self._value if self.hasFocus() else self._display(self._value))
        self.setCursorPosition(0)

    def set_display(self, display: Callable[[str], str]) -> None:
        """How the value shows when not editing (set before ``set_value``)."""
        self._display = display

    def focusInEvent(self, event) -> None:
        self._editing = True
        self.setText(self._value)
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self._editing = False
        self.setText(self._display(self._value))
        self.setCursorPosition(0)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.setText(self._value)
            self.clearFocus()
            return
        super().keyPressEvent(event)

    def _fit(self, *_args) -> None:
        """Short values keep their provenance tag close by; long ones elide."""
        if not self.fit_to_text:
            return
        self.ensurePolished()  # the style sheet's font and padding, not the default ones
        fm = self.fontMetrics()
        text = self.text() or self.placeholderText()
        width = fm.horizontalAdvance(text) + 24
        # At most the text's width, but free to give way on a narrow reader
        # (a fixed width made the reader, and the window, at least 515 px wide).
        self._fit_width = max(60, min(width, 300))
        self.setMinimumWidth(60)
        self.setMaximumWidth(self._fit_width)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        # QLineEdit's own hint is a fixed width, which cut "21 Feb 2025 (inferred)"
        # short although the row had room for it.
        hint = super().sizeHint()
        if self.fit_to_text and self._fit_width:
            return QSize(self._fit_width, hint.height())
        return hint

    def _commit(self) -> None:
        if not self._editing:
            return
        new = self.text().strip()
        if new != self._value:
            self.committed.emit(self.field, new)


_DATE_TIP = "Click to correct the publication date (YYYY-MM-DD, YYYY-MM or YYYY)"


def _inferred_date(value: str) -> str:
    return human_date(value) + INFERRED_SUFFIX if value else ""


class TitleField(QStackedWidget):
    """The title: wrapped text to read, a line edit to correct it (on click)."""

    committed = Signal(str, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.field = "title"
        self.label = QLabel()
        self.label.setObjectName("titleLabel")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.label.setCursor(Qt.CursorShape.IBeamCursor)
        self.label.setToolTip("Click to correct the title")
        self.editor = InlineField("title", "Untitled article")
        self.editor.setObjectName("titleField")
        self.addWidget(self.label)
        self.addWidget(self.editor)
        self.editor.committed.connect(self.committed)
        self.editor.editingFinished.connect(lambda: self.setCurrentWidget(self.label))
        self.label.mousePressEvent = self._start_editing  # type: ignore[method-assign]

    @property
    def value(self) -> str:
        return self.editor.value

    def set_value(self, value) -> None:
        self.editor.set_value(value)
        self.label.setText(value or "Untitled article")
        self.setCurrentWidget(self.label)

    def _start_editing(self, _event=None) -> None:
        if not self.isEnabled():
            return
        self.setCurrentWidget(self.editor)
        self.editor.setFocus(Qt.FocusReason.MouseFocusReason)

    def sizeHint(self):
        return self.currentWidget().sizeHint()

    def minimumSizeHint(self):
        return self.currentWidget().minimumSizeHint()


class _Tag(QLabel):
    """The provenance pill next to a field."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("provenanceTag")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def set_provenance(self, provenance: Optional[str]) -> None:
        if not provenance:
            self.hide()
            return
        short, long = PROVENANCE_TEXT.get(provenance, (provenance, provenance))
        self.setText(short)
        self.setToolTip(long)
        self.setProperty("user", provenance == "user")
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()


class MetadataHeader(QWidget):
    """Title plus a grid of correctable fields with provenance tags."""

    correction_requested = Signal(str, str)   # field, value

    FIELDS = (("published", "Published", "date unknown"), ("outlet", "Outlet", "outlet unknown"),
              ("author", "Author", "author unknown"), ("url", "URL", "no address"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("metadataHeader")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 8)
        outer.setSpacing(8)

        title_row = QHBoxLayout()
        self.title = TitleField()  # its size and weight come from the style sheet
        self.title_tag = _Tag()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.title_tag, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(title_row)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.fields: dict = {"title": self.title}
        self.tags: dict[str, _Tag] = {"title": self.title_tag}
        for i, (name, label, placeholder) in enumerate(self.FIELDS):
            row, col = divmod(i, 2)
            lab = QLabel(label)
            lab.setObjectName("fieldLabel")
            display = human_date if name == "published" else None
            field = InlineField(name, placeholder, display)
            if name == "published":
                field.setToolTip(_DATE_TIP)
            field.fit_to_text = True
            tag = _Tag()
            cell = QHBoxLayout()
            cell.setSpacing(6)
            cell.addWidget(field)
            cell.addWidget(tag)
            cell.addStretch(1)
            grid.addWidget(lab, row, col * 2)
            grid.addLayout(cell, row, col * 2 + 1)
            self.fields[name] = field
            self.tags[name] = tag
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        outer.addLayout(grid)

        self.error = QLabel()
        self.error.setObjectName("inlineError")
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)

        for field in self.fields.values():
            field.committed.connect(self._request)
        self.set_article(None)

    def set_article(self, article) -> None:
        self.error.hide()
        enabled = article is not None
        provenance: dict[str, Optional[str]] = {}
        for name, field in self.fields.items():
            field.setEnabled(enabled)
            if name == "published":
                inferred = bool(article) and (article.provenance or {}).get(name) == "inferred"
                field.set_display(_inferred_date if inferred else human_date)
                field.setToolTip(PROVENANCE_TEXT["inferred"][1] if inferred else _DATE_TIP)
            field.set_value(getattr(article, name, None) if article else None)
            provenance[name] = (article.provenance or {}).get(name) if article and field.value else None
        # Usually every value comes from one place: say so once, beside the
        # title, and tag only the fields that came from somewhere else.
        shared = provenance.get("title")
        sharing = [n for n, p in provenance.items() if shared and shared != "user" and p == shared]
        for name, tag in self.tags.items():
            prov = provenance[name]
            if prov == "inferred":
                prov = None  # the date itself says so, with the reason in its tooltip
            tag.set_provenance(None if name != "title" and name in sharing else prov)
        if len(sharing) > 1:
            names = [_FIELD_NAMES.get(n, n) for n in sharing]
            listed = ", ".join(names[:-1]) + " and " + names[-1]
            self.title_tag.setToolTip(f"{listed[0].upper()}{listed[1:]}: "
                                      f"{PROVENANCE_TEXT.get(shared, (shared, shared))[1].lower()}")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _request(self, field: str, value: str) -> None:
        self.error.hide()
        self.correction_requested.emit(field, value)
