"""Telling a damaged or full store from other errors, and the messages for each.

Two faults the store itself cannot repair:

* a **damaged file** (torn pages, random bytes, a truncated WAL): SQLite says
  "database disk image is malformed" or "file is not a database", often only
  when a read reaches the damaged page. Once seen, the archive is marked
  (``store-damaged.txt`` beside the database) and every write is refused
  until ``casefile recover`` has rebuilt it: writing into a damaged b-tree
  can spread the damage over pages that were still good;
* a **full disk**: SQLite says "database or disk is full", the OS ``ENOSPC``.
  Reading goes on; each write fails with one line saying it was not saved.

No message here ever advises deleting anything: the snapshots of the user's
own data (:mod:`.snapshots`) and ``casefile recover`` get it back.
"""
from __future__ import annotations

import datetime as _dt
import errno
import sqlite3
from pathlib import Path
from typing import Optional

from ..errors import DiskFull, StoreDamaged
from .snapshot_files import latest_snapshot

__all__ = [
    "DAMAGED_MARK", "StoreDamaged", "DiskFull", "is_corruption", "is_disk_full", "mark_damaged",
    "damaged_reason", "clear_damaged", "damaged_message", "disk_full_message", "archive_dir_of",
]

DAMAGED_MARK = "store-damaged.txt"
_CORRUPT = ("malformed", "not a database", "disk image", "database corrupt", "file is encrypted")


def is_corruption(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite reporting a damaged database file."""
    if isinstance(exc, StoreDamaged):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and any(w in str(exc).lower() for w in _CORRUPT)


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` means the disk (or the file system's quota) is full."""
    if isinstance(exc, DiskFull):
        return True
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(exc).lower()
        if "disk is full" in text or "no space left" in text:
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def archive_dir_of(db) -> Optional[Path]:
    """The folder holding the main database file of ``db`` (a sqlite_utils Database or connection)."""
    conn = getattr(db, "conn", db)
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return None
    return Path(row[2]).parent if row and row[2] else None


def mark_damaged(archive_dir: Path, reason: str) -> None:
    """Record that the store of ``archive_dir`` is damaged (writes are refused from now on)."""
    stamp = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    try:
        (Path(archive_dir) / DAMAGED_MARK).write_text(
            f"{stamp}\n{reason}\nRun `casefile check`, then `casefile recover`.\n", encoding="utf-8")
    except OSError:
        pass  # nowhere to write: the next read finds the damage again


def damaged_reason(archive_dir: Optional[Path]) -> Optional[str]:
    """Why the store of ``archive_dir`` is marked damaged, or None when it is not."""
    if archive_dir is None:
        return None
    try:
        lines = (Path(archive_dir) / DAMAGED_MARK).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return lines[1] if len(lines) > 1 else "damaged"


def clear_damaged(archive_dir: Path) -> None:
    (Path(archive_dir) / DAMAGED_MARK).unlink(missing_ok=True)


def _snapshot_hint(archive_dir: Optional[Path]) -> str:
    latest = latest_snapshot(archive_dir) if archive_dir is not None else None
    if latest is None:
        return ""
    return f" Your timeline, notes and corrections are saved in {latest}."


def damaged_message(archive_dir: Optional[Path], detail: str = "") -> str:
    where = f" {Path(archive_dir) / 'casefile.db'}" if archive_dir is not None else ""
    because = f" ({detail})" if detail else ""
    return (f"The archive file{where} is damaged{because}: run `casefile check` to see what is "
            f"affected and `casefile recover` to rebuild the archive from what is readable; "
            f"changes are not saved until then.{_snapshot_hint(archive_dir)}")


def disk_full_message(what: str = "the change") -> str:
    return f"Disk full: {what} was not saved. Free some space on the disk and try again."


def fault_message(archive_dir: Optional[Path], exc: BaseException) -> Optional[str]:
    """The one-line message for a damaged file or a full disk met anywhere (None for other errors).

    A damaged file is marked as such on the way, so the writes that follow are refused.
    """
    if is_full_disk_write(exc, archive_dir):
        return str(exc) if isinstance(exc, DiskFull) else disk_full_message()
    if is_corruption(exc):
        if isinstance(exc, StoreDamaged):
            return str(exc)
        if archive_dir is not None:
            mark_damaged(archive_dir, str(exc))
        return damaged_message(archive_dir, str(exc))
    return None


def disk_full_at(folder: Optional[Path]) -> bool:
    """Whether the disk holding ``folder`` has no room for a small write (tried, then undone)."""
    if folder is None:
        return False
    import os
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=".casefile-space-", dir=folder)
    except OSError as exc:
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    try:
        os.write(fd, b"\0" * 65536)
        os.fsync(fd)
        return False
    except OSError as exc:
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    finally:
        os.close(fd)
        os.unlink(name)


def is_full_disk_write(exc: BaseException, folder: Optional[Path]) -> bool:
    """Whether a failed write failed for lack of space (also: the read-only store of a full disk)."""
    if is_disk_full(exc):
        return True
    return "readonly database" in str(exc) and disk_full_at(folder)
