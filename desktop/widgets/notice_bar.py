"""A one-line notice above the reader, with one action and a close button
(the demo archive says what it is and how to open your own folder)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolButton, QVBoxLayout, QWidget

__all__ = ["NoticeBar", "with_notice"]


class NoticeBar(QFrame):
    """Signals ``action_clicked()`` for its button and ``dismissed()`` when closed."""

    action_clicked = Signal()
    dismissed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.label = QLabel()
        self.label.setObjectName("noticeText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.button = QPushButton()
        self.button.setObjectName("noticeAction")
        self.button.clicked.connect(self.action_clicked)
        self.close_button = QToolButton()
        self.close_button.setObjectName("noticeClose")
        self.close_button.setText("\u2715")
        self.close_button.setToolTip("Hide this note")
        self.close_button.clicked.connect(self._dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 6, 6)
        row.setSpacing(8)
        row.addWidget(self.label, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_notice(self, html: str, action: str) -> None:
        self.label.setText(html)
        self.button.setText(action)
        self.button.setVisible(bool(action))
        self.show()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()


def with_notice(content: QWidget) -> tuple[QWidget, NoticeBar]:
    """``content`` under a (hidden) notice bar as wide as it: the window's central widget."""
    holder = QWidget()
    holder.setObjectName("noticeHolder")
    notice = NoticeBar()
    col = QVBoxLayout(holder)
    col.setContentsMargins(0, 0, 0, 0)
    col.setSpacing(0)
    col.addWidget(notice)
    col.addWidget(content, 1)
    return holder, notice
