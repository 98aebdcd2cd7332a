"""The core's error classes.

Every error the core raises on purpose is a ``CasefileError``; the CLI and the
desktop app turn each into one clear message (what happened, to which file,
what the user can do). ``Cancelled`` is not a failure: callers ignore it.
"""
from __future__ import annotations

__all__ = [
    "CasefileError", "Cancelled", "ArchiveInUse", "NotFound", "BadQuery",
    "ReadError", "InvalidInput", "StoreError", "NewerArchive",
    "StoreDamaged", "DiskFull", "IndexDamaged",
]


class CasefileError(Exception):
    """Base class. ``str(err)`` is a complete sentence fit to show a user."""


class Cancelled(CasefileError):
    """The user asked a long operation to stop; what was done is kept."""

    def __init__(self, message: str = "Cancelled") -> None:
        super().__init__(message)


class ArchiveInUse(CasefileError):
    """Another process is writing the same archive."""


class NotFound(CasefileError):
    """No article / event / timeline with that id or path."""


class BadQuery(CasefileError):
    """A search query that cannot be parsed; the message says where and why."""


class InvalidInput(CasefileError):
    """A value the user gave is not acceptable (a date, a quote not in the text, ...)."""


class StoreError(CasefileError):
    """The archive's database cannot be opened or is damaged."""


class StoreDamaged(StoreError):
    """The archive's database file is damaged; writes are refused until ``casefile recover``."""


class DiskFull(StoreError):
    """A write failed because the disk is full; nothing of it was saved."""


class IndexDamaged(StoreError):
    """The search index is damaged; it is marked for a rebuild from the store."""


class ReadError(CasefileError):
    """One input file could not be read. Carries the path and a short reason."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NewerArchive(StoreError):
    """The archive was written by a newer Casefile (its schema is newer than this one's).

    Carries the archive's path, the version that wrote it (None when not
    recorded), this Casefile's version and the migrations it does not know.
    """

    def __init__(self, path, written_by, running: str, unknown_migrations=()) -> None:
        self.path = str(path)
        self.written_by = written_by
        self.running = running
        self.unknown_migrations = tuple(unknown_migrations)
        writer = f"Casefile {written_by}" if written_by else "a newer Casefile"
        super().__init__(
            f"The archive {self.path} was written by {writer}, newer than this Casefile {running}; "
            f"update Casefile to open it (the archive was left untouched)."
        )
