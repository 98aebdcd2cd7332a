"""Completers whose popup never eats the click that closes it.

A ``QCompleter`` popup grabs the mouse: a click on another field of the form
only closes the popup, and focus stays in the completed field, so what the
user types next lands there (text meant for Notes ends up among People).
:func:`completer_for` returns a completer whose popup, when a click falls
outside it, closes, gives focus to the widget under the pointer and hands it
the click, as if no popup had been open.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QCompleter, QWidget

__all__ = ["completer_for", "ClickThrough", "ListCompleter"]


class ClickThrough(QObject):
    """Event filter on a completer's popup that passes an outside click on."""

    def __init__(self, popup: QWidget) -> None:
        super().__init__(popup)
        self._popup = popup
        popup.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if obj is not self._popup or event.type() != QEvent.Type.MouseButtonPress:
            return False
        global_pos = event.globalPosition().toPoint()
        if self._popup.rect().contains(self._popup.mapFromGlobal(global_pos)):
            return False
        self._popup.hide()
        target = QApplication.widgetAt(global_pos)
        if target is None or target is self._popup or self._popup.isAncestorOf(target):
            return True
        focus = target
        while focus is not None and not focus.focusPolicy() & Qt.FocusPolicy.ClickFocus:
            focus = focus.parentWidget()
        if focus is not None and focus.isEnabled():
            focus.setFocus(Qt.FocusReason.MouseFocusReason)
        # The press the popup took, given to the widget that was clicked.
        local = target.mapFromGlobal(global_pos)
        press = QMouseEvent(QEvent.Type.MouseButtonPress, local.toPointF(), event.globalPosition(),
                            event.button(), event.buttons(), event.modifiers())
        QApplication.sendEvent(target, press)
        return True


class ListCompleter(QCompleter):
    """Completes the last name of a comma-separated list ("Mara Olsen, Ma" → "…, Mark Odell")."""

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt naming
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index) -> str:  # noqa: N802 - Qt naming
        chosen = super().pathFromIndex(index)
        widget = self.widget()
        typed = widget.text() if widget is not None and hasattr(widget, "text") else ""
        head = typed.rsplit(",", 1)[0] if "," in typed else ""
        return f"{head.rstrip()}, {chosen}" if head.strip() else chosen


def completer_for(words: Sequence[str], parent: QWidget) -> QCompleter:
    """A case-insensitive, match-anywhere completer over ``words`` for a comma-separated field."""
    completer = ListCompleter(sorted(words), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    ClickThrough(completer.popup())
    return completer
