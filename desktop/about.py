"""Help › About: what Casefile is, its version, and whether English names are found."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from archive.english_model import english_model_hint
from archive.version import __version__

__all__ = ["about_box", "about_text"]


def about_text() -> str:
    """The About box's text (rich text)."""
    text = (f"<b>Casefile {html.escape(__version__)}</b><br>Search a folder of news reports, "
            "read each one beside its facts, and build a cited case timeline. Everything stays "
            "on this computer.")
    hint = english_model_hint()
    if hint:
        text += f"<p>{html.escape(hint)}</p>"
    return text


def about_box(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("About Casefile")
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box
