"""The status bar's indexing indicator: a message, a progress bar and Cancel.

It appears only when work lasts longer than a moment (like Anki's progress
dialog), so quick runs do not flicker.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from ..resources import icon

__all__ = ["ProgressIndicator", "SHOW_AFTER_MS"]

SHOW_AFTER_MS = 300


class ProgressIndicator(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("progressIndicator")
        self.label = QLabel("")
        self.label.setObjectName("progressLabel")
        self.bar = QProgressBar()
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(12)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setToolTip("Stop indexing; the articles done so far are kept")
        self.cancel_button.clicked.connect(self._cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 4, 0)
        row.setSpacing(8)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self.show)
        self.hide()

    def start(self, message: str) -> None:
        self.label.setText(message)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self._show_timer.start(SHOW_AFTER_MS)

    def update_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        if message:
            self.label.setText(message)

    def finish(self) -> None:
        self._show_timer.stop()
        self.hide()

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling\u2026")
        self.cancel_requested.emit()
