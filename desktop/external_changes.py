"""Noticing what another window or process wrote to the open archive.

A second window, the ``casefile`` command or a script may add events, correct
metadata or index articles while this window is open. SQLite's
``data_version`` (``Archive.data_version()``) changes exactly when another
connection committed, so checking it costs one tiny query: the window checks
when it is activated and on F5, and re-reads only when something changed.

    watcher = ExternalChanges(session, window)
    watcher.changed.connect(refresh_everything)
"""
from __future__ import annotations

import sqlite3
from typing import Optional

from PySide6.QtCore import QEvent, QObject, Signal

from archive.errors import CasefileError

__all__ = ["ExternalChanges"]


class ExternalChanges(QObject):
    """Emits ``changed()`` when another connection wrote since the last look."""

    changed = Signal()

    def __init__(self, session, window=None) -> None:
        super().__init__(window)
        self._session = session
        self._seen: Optional[int] = None
        session.archive_opened.connect(self.baseline)
        # Batches of our own indexing runs are already announced by the session.
        session.articles_changed.connect(self.baseline)
        if window is not None:
            window.installEventFilter(self)

    def _version(self) -> Optional[int]:
        arc = self._session.archive
        if arc is None:
            return None
        try:
            return arc.data_version()
        except (CasefileError, sqlite3.Error):
            # A closed or broken connection: the next open archive starts afresh.
            return None

    def baseline(self) -> None:
        """Take what is in the archive now as seen."""
        self._seen = self._version()

    def check(self) -> bool:
        """Emit ``changed`` (and return True) if another connection wrote since the last look."""
        if self._session.is_indexing:
            return False
        version = self._version()
        if version is None or version == self._seen:
            return False
        self._seen = version
        self.changed.emit()
        return True

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Type.WindowActivate:
            self.check()
        return False
