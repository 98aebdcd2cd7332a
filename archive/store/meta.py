"""The archive's ``meta`` table: settings that belong to the archive, and the keys the core keeps there.

* ``index_pending`` is ``"1"`` while the search index may lag the store: set
  in the store transaction that changes articles, cleared after the index
  commit that covers them. Found set when an archive is opened, it means the
  process died in between, and the index is rebuilt;
* ``source_folders`` is the JSON list of the folders the archive indexes, in
  the order they were first indexed.
"""
from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

__all__ = [
    "PENDING_KEY", "FOLDERS_KEY", "get_meta", "set_meta", "index_pending", "set_index_pending",
    "source_folders", "remember_source_folder",
]

PENDING_KEY = "index_pending"
FOLDERS_KEY = "source_folders"


def get_meta(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    """A value of the archive's ``meta`` table (settings that belong to the archive)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_meta(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def index_pending(db: sqlite_utils.Database) -> bool:
    """Whether the search index may lag the store (see the module docstring)."""
    return get_meta(db, PENDING_KEY) == "1"


def set_index_pending(db: sqlite_utils.Database, pending: bool) -> None:
    set_meta(db, PENDING_KEY, "1" if pending else "0")


def source_folders(db: sqlite_utils.Database) -> list[Path]:
    """The folders the archive indexes, in the order they were first indexed."""
    return [Path(p) for p in json.loads(get_meta(db, FOLDERS_KEY) or "[]")]


def remember_source_folder(db: sqlite_utils.Database, folder: Path) -> None:
    """Add ``folder`` to the source folders unless it is there already."""
    folders = [str(p) for p in source_folders(db)]
    if str(folder) not in folders:
        folders.append(str(folder))
        set_meta(db, FOLDERS_KEY, json.dumps(folders))
