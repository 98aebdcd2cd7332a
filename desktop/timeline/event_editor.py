"""The event editor dialog: every field of one event, and its cited passages.

The dialog does not write to the archive. On OK it builds an ``Event`` and
hands it to ``on_save(event, removed_citations) -> bool`` (the panel, which
runs the undoable commands); when that returns False the dialog stays open
with everything the user typed.
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
    QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from archive.errors import CasefileError, InvalidInput
from archive.models import CERTAINTIES, Citation, Event, PartialDate

from ..plain_text import plain_tooltip
from .dates import format_partial_date
from .table_model import parse_tags

__all__ = ["EventEditor", "DateField", "citation_label", "PRECISIONS"]

PRECISIONS = ("day", "month", "year")
_ERROR_STYLE = "color: #c62828;"
_HINT_STYLE = "color: palette(mid);"

DateParser = Callable[[str], PartialDate]
SaveHandler = Callable[[Event, list], bool]


def citation_label(c: Citation) -> str:
    """One line for a cited passage: source, date, quote, and its status if not ok."""
    source = c.outlet or c.title or c.article_path.rsplit("/", 1)[-1]
    when = f", {c.published}" if c.published else ""
    quote = " ".join(c.quote.split())
    if len(quote) > 110:
        quote = quote[:109] + "…"
    flag = {"missing": "⚠ MISSING — ", "moved": "↪ moved — "}.get(c.status, "")
    return f"{flag}{source}{when}: “{quote}”"


def _truncate(value: str, precision: str) -> str:
    # 2022-12-06 at month precision is 2022-12; the core stores the value at its precision.
    parts = value.split("-")
    keep = {"day": 3, "month": 2, "year": 1}[precision]
    return "-".join(parts[:keep])


class DateField(QWidget):
    """A date typed as words or ISO, with its precision and an "approximate" box.

    The text is parsed with the core's ``parse_partial_date``; the precision
    can be made coarser than what was typed (a day known only to its month).
    """

    changed = Signal()

    def __init__(self, parse: DateParser, optional: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._parse = parse
        self._parsed: Optional[PartialDate] = None
        self._error = ""
        self.text = QLineEdit()
        self.text.setPlaceholderText("2022-12-06, 2022-12 or 2022; ~ in front if approximate" if not optional
                                     else "optional end date")
        self.precision = QComboBox()
        self.precision.addItems(PRECISIONS)
        self.approximate = QCheckBox("approximate")
        self.message = QLabel()
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.precision)
        row.addWidget(self.approximate)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row)
        lay.addWidget(self.message)
        self._optional = optional
        self.text.textChanged.connect(self._reparse)
        self.precision.currentTextChanged.connect(lambda _t: self._show())
        self.approximate.toggled.connect(lambda _b: self._show())

    def set_date(self, date: Optional[PartialDate]) -> None:
        if date is None:
            self.text.clear()
            return
        self._original = date
        self.text.setText(date.value)
        self.precision.setCurrentText(date.precision)
        self.approximate.setChecked(date.approximate)
        self._show()

    def _reparse(self) -> None:
        text = self.text.text().strip()
        self._parsed, self._error = None, ""
        if text:
            try:
                self._parsed = self._parse(text)
            except CasefileError as exc:
                self._error = str(exc)
            else:
                self.precision.blockSignals(True)
                self.precision.setCurrentText(self._parsed.precision)
                self.precision.blockSignals(False)
                if self._parsed.approximate:
                    self.approximate.setChecked(True)
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        if self._error:
            self.message.setStyleSheet(_ERROR_STYLE)
            self.message.setText(self._error)
            self.text.setStyleSheet("border: 1px solid #c62828;")
            return
        self.text.setStyleSheet("")
        date = self._current()
        self.message.setStyleSheet(_HINT_STYLE)
        self.message.setText(f"= {format_partial_date(date)}" if date else "")

    def _current(self) -> Optional[PartialDate]:
        if self._parsed is None:
            return None
        parsed_rank = PRECISIONS.index(self._parsed.precision)
        chosen = self.precision.currentText()
        # A precision finer than what was typed would invent a day or month.
        if PRECISIONS.index(chosen) < parsed_rank:
            chosen = self._parsed.precision
        return PartialDate(
            value=_truncate(self._parsed.value, chosen),
            precision=chosen,
            approximate=self.approximate.isChecked(),
            text=self._words(),
        )

    def _words(self) -> str:
        # Keep the source's words ("late November") while the date is the one they gave.
        original = getattr(self, "_original", None)
        if original is not None and self._parsed is not None and self._parsed.value == original.value:
            return original.text
        return self._parsed.text if self._parsed is not None else ""

    def date(self) -> Optional[PartialDate]:
        """The date entered, None if empty; InvalidInput if it cannot be read."""
        if not self.text.text().strip():
            return None
        if self._error:
            raise InvalidInput(self._error)
        return self._current()


class EventEditor(QDialog):
    """Edit all fields of an event (new or existing) and its list of cited passages."""

    go_to_citation = Signal(object)     # Citation

    def __init__(self, draft: Event, *, parse_date: DateParser, on_save: SaveHandler,
                 entity_names: Optional[dict] = None, parent=None) -> None:
        super().__init__(parent)
        self.draft = draft
        self._on_save = on_save
        self._removed: list[Citation] = []
        self._citations: list[Citation] = list(draft.citations)
        self.setWindowTitle("New event" if draft.id is None else f"Edit event — {draft.title}")
        self.setModal(False)
        self.resize(640, 640)

        self.start = DateField(parse_date)
        self.end = DateField(parse_date, optional=True)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("What happened, in a few words")
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("What the sources say happened")
        self.description.setTabChangesFocus(True)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Your own notes (not exported as a source)")
        self.notes.setTabChangesFocus(True)
        for box in (self.description, self.notes):
            box.setMaximumHeight(90)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("comma separated: arrest, court, detention")
        self.certainty = QComboBox()
        self.certainty.addItems(CERTAINTIES)
        self.people = QLineEdit()
        self.organisations = QLineEdit()
        self.places = QLineEdit()
        for edit in (self.people, self.organisations, self.places):
            edit.setPlaceholderText("comma separated")
        self._add_completers(entity_names or {})

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Start:", self.start)
        form.addRow("E&nd:", self.end)
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Description:", self.description)
        form.addRow("N&otes:", self.notes)
        form.addRow("T&ags:", self.tags)
        form.addRow("&Certainty:", self.certainty)
        form.addRow("&People:", self.people)
        form.addRow("O&rganisations:", self.organisations)
        form.addRow("P&laces:", self.places)

        self.citation_list = QListWidget()
        self.citation_list.setWordWrap(True)
        self.citation_list.setAlternatingRowColors(True)
        self.go_button = QPushButton("&Go to passage")
        self.remove_button = QPushButton("Re&move citation")
        self.citation_list.itemDoubleClicked.connect(lambda _it: self._go())
        self.go_button.clicked.connect(self._go)
        self.remove_button.clicked.connect(self._remove_citation)
        self.citation_list.currentRowChanged.connect(lambda _r: self._update_buttons())
        cite_box = QGroupBox("Sources")
        cite_lay = QVBoxLayout(cite_box)
        cite_lay.addWidget(self.citation_list)
        cite_buttons = QHBoxLayout()
        cite_buttons.addWidget(self.go_button)
        cite_buttons.addWidget(self.remove_button)
        cite_buttons.addStretch(1)
        cite_lay.addLayout(cite_buttons)

        self.error = QLabel()
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Add event" if draft.id is None else "Save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(cite_box, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self._fill(draft)

    def _add_completers(self, names: dict) -> None:
        from PySide6.QtWidgets import QCompleter

        for kind, edit in (("person", self.people), ("org", self.organisations), ("place", self.places)):
            if names.get(kind):
                completer = QCompleter(sorted(names[kind]), edit)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                edit.setCompleter(completer)

    def _fill(self, ev: Event) -> None:
        self.start.set_date(ev.start)
        self.end.set_date(ev.end)
        self.title_edit.setText(ev.title)
        self.description.setPlainText(ev.description)
        self.notes.setPlainText(ev.notes)
        self.tags.setText(", ".join(ev.tags))
        self.certainty.setCurrentText(ev.certainty)
        self.people.setText(", ".join(ev.people))
        self.organisations.setText(", ".join(ev.organisations))
        self.places.setText(", ".join(ev.places))
        self._refresh_citations()

    def _refresh_citations(self) -> None:
        self.citation_list.clear()
        for c in self._citations:
            item = QListWidgetItem(citation_label(c))
            item.setToolTip(plain_tooltip(c.quote))
            if c.status != "ok":
                item.setForeground(Qt.GlobalColor.darkRed)
            self.citation_list.addItem(item)
        if self._citations:
            self.citation_list.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        c = self._selected_citation()
        self.go_button.setEnabled(c is not None and c.article_id is not None and c.status != "missing")
        self.remove_button.setEnabled(c is not None)

    def _selected_citation(self) -> Optional[Citation]:
        row = self.citation_list.currentRow()
        return self._citations[row] if 0 <= row < len(self._citations) else None

    def _go(self) -> None:
        c = self._selected_citation()
        if c is not None and c.article_id is not None and c.status != "missing":
            self.go_to_citation.emit(c)

    def _remove_citation(self) -> None:
        c = self._selected_citation()
        if c is None:
            return
        self._citations.remove(c)
        if c.id is not None:
            self._removed.append(c)
        self._refresh_citations()

    def removed_citations(self) -> list[Citation]:
        return list(self._removed)

    def edited_event(self) -> Event:
        """The event as the form now describes it; InvalidInput names the field at fault."""
        title = self.title_edit.text().strip()
        if not title:
            raise InvalidInput("The event needs a title.")
        try:
            start = self.start.date()
        except InvalidInput as exc:
            raise InvalidInput(f"Start date: {exc}") from None
        if start is None:
            raise InvalidInput("The event needs a start date.")
        try:
            end = self.end.date()
        except InvalidInput as exc:
            raise InvalidInput(f"End date: {exc}") from None
        return dataclasses.replace(
            self.draft,
            start=start,
            end=end,
            title=title,
            description=self.description.toPlainText().strip(),
            notes=self.notes.toPlainText().strip(),
            tags=parse_tags(self.tags.text()),
            certainty=self.certainty.currentText(),
            people=parse_tags(self.people.text()),
            organisations=parse_tags(self.organisations.text()),
            places=parse_tags(self.places.text()),
            # A new event is stored with its citations; an existing event's
            # citations change only through their own commands.
            citations=tuple(self._citations) if self.draft.id is None else self.draft.citations,
        )

    def save(self) -> bool:
        """Validate, hand the event to the panel; close only if it was written."""
        try:
            ev = self.edited_event()
        except InvalidInput as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        if not self._on_save(ev, self.removed_citations()):
            self.error.setText("Not saved: see the message. Your changes are still here.")
            return False
        self.accept()
        return True
