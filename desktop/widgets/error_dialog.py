"""The one way the app reports an error: what happened, what to do, and the
details behind a "Show details" button.

``Cancelled`` is never shown: the user asked for it.
"""
from __future__ import annotations

import traceback
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from archive.errors import ArchiveInUse, BadQuery, Cancelled, CasefileError, DiskFull, IndexDamaged, \
    InvalidInput, NewerArchive, NotFound, ReadError, StoreDamaged, StoreError

__all__ = ["advice_for", "show_error", "error_box"]

_ADVICE = (
    (StoreDamaged, "Nothing more is saved into the damaged file. Quit Casefile and run "
                   "`casefile recover` in a terminal: it salvages every readable event, completes "
                   "them from the newest snapshot and indexes the articles again."),
    (DiskFull, "Reading, searching and exporting still work. Free some space, then make the change again."),
    (IndexDamaged, "Nothing you wrote is affected: the index is rebuilt from the archive, at the latest "
                   "when the archive is next opened."),
    (ArchiveInUse, "Another Casefile window or command is writing this archive. Wait for it to "
                   "finish, then try again."),
    (ReadError, "Check that the file opens in its own program; fix or remove it, then open the "
                "folder again."),
    (NewerArchive, "Install the newer Casefile to work on this archive; nothing in it was changed. "
                   "Help \u203a About shows this Casefile's version."),
    (StoreError, "Check that the archive folder is on a disk you can write to. If the archive is "
                 "damaged, run `casefile check` and `casefile recover` in a terminal."),
    (NotFound, "It may have been removed: open the folder again to refresh the archive."),
    (BadQuery, "Press F1 for the query syntax."),
    (InvalidInput, "Correct the value and try again."),
    (CasefileError, "Try again; if it keeps happening, the details below help to report it."),
)


def advice_for(error: BaseException) -> str:
    for cls, advice in _ADVICE:
        if isinstance(error, cls):
            return advice
    return ("This is a bug in Casefile. Your archive and timelines are safe; please report it "
            "with the details below.")


def error_box(parent: Optional[QWidget], title: str, error: BaseException) -> QMessageBox:
    """Build (without showing) the dialog for ``error``."""
    box = QMessageBox(parent)
    box.setObjectName("errorDialog")
    box.setIcon(QMessageBox.Icon.Warning if isinstance(error, CasefileError) else QMessageBox.Icon.Critical)
    box.setWindowTitle(f"Casefile \u2014 {title}")
    from archive.store.health import fault_message

    fault = None if isinstance(error, CasefileError) else fault_message(None, error)
    if fault is not None:
        # A damaged file or a full disk reached the app as SQLite's own error.
        error = StoreDamaged(fault) if "damaged" in fault else DiskFull(fault)
    message = str(error) if isinstance(error, CasefileError) else f"Something went wrong: {error}"
    box.setText(f"<b>{title}</b><br><br>{_escape(message)}")
    box.setInformativeText(advice_for(error))
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    box.setDetailedText(details.strip() or repr(error))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error(parent: Optional[QWidget], title: str, error: BaseException) -> Optional[QMessageBox]:
    """Show ``error`` (unless it is ``Cancelled``) as a window-modal dialog.

    The dialog is opened, not exec'd: background work keeps being delivered
    while it is up. Returns the dialog (None for ``Cancelled``).
    """
    if isinstance(error, Cancelled):
        return None
    box = error_box(parent, title, error)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
