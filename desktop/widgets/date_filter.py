"""A date limit for a filter: typed (ISO or "10 Dec 2022") or picked on a calendar.

Empty means no limit. Return, Tab or leaving the field applies what was
typed; something that is not a date stays in the field, marked, and
``error_changed`` says what is wrong. The calendar opens on the archive's
own dates (``set_range``), not on a fixed far-off year.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QFrame, QHBoxLayout, QLineEdit, QToolButton, QVBoxLayout, QWidget

from archive.errors import InvalidInput
from archive.partial_date import PartialDate
from archive.typed_dates import TYPED_DATE_HELP, read_typed_date, shown_date

__all__ = ["DateFilterEdit"]


def _qdate(iso: str, last: bool = False) -> QDate:
    """The first (or ``last``) day of a partial ISO date."""
    date = PartialDate.from_iso(iso)
    day = date.last_day() if last else date.first_day()
    return QDate(day.year, day.month, day.day)


class DateFilterEdit(QWidget):
    """Signals ``value_changed(value)`` (partial ISO date or None) when the limit
    changes and ``error_changed(message)`` ('' once the text is a date again).

    ``is_end``: the limit is the end of a range, so a month or year typed or
    picked means its last day on the calendar.
    """

    value_changed = Signal(object)
    error_changed = Signal(str)

    def __init__(self, tip: str, is_end: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._value: Optional[str] = None
        self._is_end = is_end
        self._range: Optional[tuple[QDate, QDate]] = None
        self.error = ""

        self.edit = QLineEdit()
        self.edit.setObjectName("dateFilter")
        self.edit.setPlaceholderText("any")
        self.edit.setToolTip(f"{tip}: {TYPED_DATE_HELP}; empty for no limit")
        # Room for a day as it is shown ("30 Sep 2022"): a narrow panel must not clip the date.
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("30 Sep 2022") + 18)
        self.edit.editingFinished.connect(self.apply_text)
        self.edit.textChanged.connect(self._text_changed)
        self.edit.installEventFilter(self)

        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        # A popup window, not a menu: it does not block in a nested event loop.
        self.popup = QFrame(self, Qt.WindowType.Popup)
        self.popup.setObjectName("calendarPopup")
        self.popup.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self.popup)
        box.setContentsMargins(2, 2, 2, 2)
        box.addWidget(self.calendar)

        self.button = QToolButton()
        self.button.setObjectName("calendarButton")
        self.button.setText("\u25be")
        self.button.setToolTip("Pick the day on a calendar (Alt+Down in the field)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)

    # -- value ----------------------------------------------------------------
    def value(self) -> Optional[str]:
        return self._value

    def set_value(self, value: Optional[str], emit: bool = True) -> None:
        """Set the limit (a partial ISO date, or None for none) and show it."""
        self.edit.blockSignals(True)
        self.edit.setText(shown_date(value))
        self.edit.blockSignals(False)
        self._set_error("")
        if value != self._value:
            self._value = value
            if emit:
                self.value_changed.emit(value)

    def set_range(self, first: Optional[str], last: Optional[str]) -> None:
        """The archive's earliest and latest publication dates (partial ISO)."""
        if first and last:
            self._range = (_qdate(first), _qdate(last, last=True))
        else:
            self._range = None

    def apply_text(self) -> None:
        """Read what was typed; a date becomes the limit, anything else is explained."""
        try:
            value = read_typed_date(self.edit.text())
        except InvalidInput as err:
            self._set_error(str(err))
            return
        self.set_value(value)

    # -- internals ------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        # Alt+Down (or F4) opens the calendar from the keyboard, as a combo box does.
        if obj is self.edit and event.type() == QEvent.Type.KeyPress and (
                event.key() == Qt.Key.Key_F4 or (event.key() == Qt.Key.Key_Down
                                                 and event.modifiers() & Qt.KeyboardModifier.AltModifier)):
            self.open_calendar()
            return True
        return super().eventFilter(obj, event)

    def _text_changed(self, text: str) -> None:
        if not text.strip():
            # An emptied field: no limit at once.
            self.set_value(None)

    def _set_error(self, message: str) -> None:
        self.edit.setProperty("invalid", bool(message))
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
        if message != self.error:
            self.error = message
            self.error_changed.emit(message)

    def open_calendar(self) -> None:
        """Show the calendar under the field, on the limit or on the archive's dates."""
        self._prepare_calendar()
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.popup.show()
        self.calendar.setFocus()

    def _prepare_calendar(self) -> None:
        if self._range is not None:
            first, last = self._range
            self.calendar.setDateRange(first, last)
        shown = _qdate(self._value, last=self._is_end) if self._value else None
        if shown is None and self._range is not None:
            shown = self._range[1] if self._is_end else self._range[0]
        if shown is not None:
            self.calendar.setSelectedDate(shown)
            self.calendar.setCurrentPage(shown.year(), shown.month())

    def _picked(self, day: QDate) -> None:
        self.popup.hide()
        self.set_value(day.toString("yyyy-MM-dd"))
