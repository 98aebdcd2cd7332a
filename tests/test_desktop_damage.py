"""The app's error dialog for a damaged archive file, a damaged index and a full disk (pytest-qt)."""
from __future__ import annotations

import errno
import os
import sqlite3

import pytest

pytest.importorskip("PySide6")

from archive.errors import IndexDamaged  # noqa: E402
from desktop.widgets.error_dialog import error_box  # noqa: E402


@pytest.mark.parametrize("error, says, advice", [
    (sqlite3.DatabaseError("database disk image is malformed"), "is damaged", "casefile recover"),
    (sqlite3.OperationalError("database or disk is full"), "Disk full", "Free some space"),
    (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), "Disk full", "exporting still work"),
    (IndexDamaged("The search index is damaged and is being rebuilt from the archive."), "being rebuilt",
     "Nothing you wrote is affected"),
])
def test_error_dialog_explains_store_faults(qtbot, error, says, advice):
    box = error_box(None, "Timeline", error)
    qtbot.addWidget(box)
    assert says in box.text() and advice in box.informativeText()
    assert "Something went wrong" not in box.text()
    assert "delete" not in (box.text() + box.informativeText()).lower()
