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
from archive.markup import display_text
from archive.partial_date import PRECISIONS

from ..plain_text import plain_tooltip
from .table_model import parse_tags

__all__ = ["EventEditor", "DateField", "citation_label", "PRECISIONS"]

_ERROR_STYLE = "color: #c62828;"
_HINT_STYLE = "color: palette(mid);"

DateParser = Callable[[str], PartialDate]
SaveHandler = Callable[[Event, list, list], bool]    # event, removed citations, added citations
PassageSource = Callable[[], Optional[tuple]]        # () -> (article, start, end) or None

# Fields a user edits, in the order the form shows them, with their labels.
_FIELDS = (("start", "start date"), ("end", "end date"), ("title", "title"),
           ("description", "description"), ("notes", "notes"), ("tags", "tags"),
           ("certainty", "certainty"), ("people", "people"), ("organisations", "organisations"),
           ("places", "places"), ("citations", "sources"))


def changed_fields(old: Event, new: Event) -> list[str]:
    """Labels of the fields that differ between two versions of an event."""
    def key(ev, name):
        value = getattr(ev, name)
        if name == "citations":
            return tuple((c.article_path, c.start, c.end) for c in value)
        return value
    return [label for name, label in _FIELDS if key(old, name) != key(new, name)]


class StaleBar(QWidget):
    """Says that the stored event changed since the editor opened; reload or overwrite."""

    reload_requested = Signal()
    overwrite_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("staleBar")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.reload_button = QPushButton("Reload the saved event")
        self.reload_button.setToolTip("Show the event as saved now; what you typed here is dropped")
        self.overwrite_button = QPushButton("Save mine over it")
        self.overwrite_button.setToolTip("Replace the saved event with what this form holds")
        self.reload_button.clicked.connect(self.reload_requested)
        self.overwrite_button.clicked.connect(self.overwrite_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.reload_button)
        row.addWidget(self.overwrite_button)
        self.hide()

    def show_changes(self, fields: list, stored: Event) -> None:
        shown = {"title": stored.title, "certainty": stored.certainty, "tags": ", ".join(stored.tags),
                 "start date": stored.start.human(), "people": ", ".join(stored.people)}
        parts = [f"{f} is now “{shown[f]}”" if f in shown else f"{f} changed" for f in fields]
        what = "; ".join(parts) if parts else "it was saved again"
        self.text.setText(f"<b>This event was changed since you opened it</b> ({what}). "
                          "Reload it, or save your version over it.")
        self.show()


def citation_label(c: Citation) -> str:
    """One line for a cited passage: source, date, quote, and its status if not ok."""
    source = c.outlet or c.title or c.article_path.rsplit("/", 1)[-1]
    when = f", {c.published}" if c.published else ""
    quote = " ".join(display_text(c.quote).split())  # a Markdown link reads as its text
    if len(quote) > 110:
        quote = quote[:109] + "…"
    flag = {"missing": "⚠ MISSING — ", "moved": "↪ moved — "}.get(c.status, "")
    return f"{flag}{source}{when}: “{quote}”"


class DateField(QWidget):
    """A date typed as words or ISO, with its precision and an "approximate" box.

    The text is parsed with the core's ``read_date`` (ISO or words); the precision
    can be made coarser than what was typed (a day known only to its month).
    """

    changed = Signal()

    def __init__(self, parse: DateParser, optional: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._parse = parse
        self._parsed: Optional[PartialDate] = None
        self._error = ""
        self.text = QLineEdit()
        self.text.setPlaceholderText("21 September 2022, Sept. 2022, 2022 or 2022-09-21; ~ in front if approximate" if not optional
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
        self.message.setText(f"= {date.human()}" if date else "")

    def _current(self) -> Optional[PartialDate]:
        if self._parsed is None:
            return None
        parsed_rank = PRECISIONS.index(self._parsed.precision)
        chosen = self.precision.currentText()
        # A precision finer than what was typed would invent a day or month.
        if PRECISIONS.index(chosen) < parsed_rank:
            chosen = self._parsed.precision
        # 2022-12-06 at month precision is 2022-12; the core stores the value at its precision.
        cut = self._parsed.at_precision(chosen)
        return PartialDate(cut.value, cut.precision, approximate=self.approximate.isChecked(),
                           text=self._words())

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
                 entity_names: Optional[dict] = None, passage_source: Optional[PassageSource] = None,
                 load_stored: Optional[Callable[[int], Event]] = None, parent=None) -> None:
        super().__init__(parent)
        self.draft = draft
        self._on_save = on_save
        self._passage_source = passage_source
        self._load_stored = load_stored
        self._removed: list[Citation] = []
        self._added: list[Citation] = []
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
        self.notes.setPlaceholderText("Your own notes (exports include them unless you leave them out)")
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
        self.cite_button = QPushButton("Add citation from &reader")
        self.cite_button.setToolTip("Cite the passage selected in the reader as a source of this event")
        self.cite_button.clicked.connect(self._cite_reader_selection)
        self.cite_button.setVisible(passage_source is not None)
        self.citation_list.itemDoubleClicked.connect(lambda _it: self._go())
        self.go_button.clicked.connect(self._go)
        self.remove_button.clicked.connect(self._remove_citation)
        self.citation_list.currentRowChanged.connect(lambda _r: self._update_buttons())
        cite_box = QGroupBox("Sources")
        cite_lay = QVBoxLayout(cite_box)
        cite_lay.addWidget(self.citation_list)
        cite_buttons = QHBoxLayout()
        cite_buttons.addWidget(self.cite_button)
        cite_buttons.addWidget(self.go_button)
        cite_buttons.addWidget(self.remove_button)
        cite_buttons.addStretch(1)
        cite_lay.addLayout(cite_buttons)

        self.error = QLabel()
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
        self.stale = StaleBar()
        self.stale.reload_requested.connect(self._reload_stored)
        self.stale.overwrite_requested.connect(self._overwrite_stored)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Add event" if draft.id is None else "Save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(cite_box, 1)
        lay.addWidget(self.stale)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self._fill(draft)

    def _add_completers(self, names: dict) -> None:
        from .completion import completer_for

        for kind, edit in (("person", self.people), ("org", self.organisations), ("place", self.places)):
            if names.get(kind):
                edit.setCompleter(completer_for(names[kind], edit))

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
        # A long prefilled title reads from its start, not scrolled to its end.
        for edit in (self.title_edit, self.tags, self.people, self.organisations, self.places):
            edit.setCursorPosition(0)
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
        elif c in self._added:
            self._added.remove(c)
        self._refresh_citations()

    def removed_citations(self) -> list[Citation]:
        return list(self._removed)

    def added_citations(self) -> list[Citation]:
        """Passages cited here for an existing event, written (undoably) on Save."""
        return list(self._added)

    def _cite_reader_selection(self) -> None:
        found = self._passage_source() if self._passage_source is not None else None
        if not found:
            self.error.setText("Select a passage in the reader first, then add it here.")
            return
        article, start, end = found
        quote = article.text[start:end].strip()
        if not quote:
            self.error.setText("The passage selected in the reader holds no words to cite.")
            return
        start = article.text.index(quote, start)
        citation = Citation(id=None, article_id=article.id, article_path=article.path, quote=quote,
                            start=start, end=start + len(quote), outlet=article.outlet,
                            published=article.published, title=article.title)
        if any((c.article_path, c.start, c.end) == (citation.article_path, citation.start, citation.end)
               for c in self._citations):
            self.error.setText("This passage is already a source of the event.")
            return
        self.error.clear()
        self._citations.append(citation)
        if self.draft.id is not None:
            self._added.append(citation)
        self._refresh_citations()
        self.citation_list.setCurrentRow(len(self._citations) - 1)

    # -- the stored event changed while this editor was open -----------------
    def _stored_changes(self) -> Optional[Event]:
        """The stored event when it was saved since this editor opened (else None)."""
        if self.draft.id is None or self._load_stored is None:
            return None
        try:
            stored = self._load_stored(self.draft.id)
        except CasefileError:
            return None
        return stored if stored.modified != self.draft.modified else None

    def _reload_stored(self) -> None:
        stored = self._stored_changes()
        if stored is not None:
            # The citations removed or added here stay removed or added.
            self.draft = stored
            removed = {(c.article_path, c.start, c.end) for c in self._removed}
            self._citations = [c for c in stored.citations
                               if (c.article_path, c.start, c.end) not in removed] + self._added
            self._fill(self.draft)
        self.stale.hide()
        self.error.clear()

    def _overwrite_stored(self) -> None:
        stored = self._stored_changes()
        if stored is not None:
            # The user saw what changed and chose their version: build on the stored stamp.
            self.draft = dataclasses.replace(self.draft, modified=stored.modified,
                                             citations=stored.citations)
        self.stale.hide()
        self.save()

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
        stored = self._stored_changes()
        if stored is not None:
            self.stale.show_changes(changed_fields(self.draft, stored), stored)
            self.error.setText("Not saved yet: the event changed since you opened it.")
            return False
        self.error.clear()
        if not self._on_save(ev, self.removed_citations(), self.added_citations()):
            self.error.setText("Not saved: see the message. Your changes are still here.")
            return False
        self.accept()
        return True
