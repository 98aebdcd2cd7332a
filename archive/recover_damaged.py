"""Recovering a damaged archive file, end to end.

The salvage itself is in :mod:`.recovery`; this module then opens the
rebuilt archive through the facade and re-indexes its folders. It lives
apart because the facade imports :mod:`.recovery` (backup, restore,
check): here both are imported, and neither imports this module.

    recover(archive_dir)                    # salvage, move the file aside, re-index
"""
from __future__ import annotations

import datetime as _dt
import shutil
import sqlite3
from pathlib import Path
from typing import Optional

from .archive import Archive
from .errors import InvalidInput
from .lock import WriterLock
from .progress import ProgressFn, report
from .recovery import (RecoveryReport, _merge, _open_source, _read_source, _reanchor_all,
                       _write_user_rows, salvage)
from .store import health, snapshot_files
from .store.db import DB_NAME

__all__ = ["recover"]


def recover(archive_dir: Path | str, *, facts: bool = True, progress: Optional[ProgressFn] = None,
            cancel=None) -> RecoveryReport:
    """Rebuild a damaged archive: salvage the user data, move the file aside, re-index the folders.

    Raises ``ArchiveInUse`` when another process is writing the archive.
    """
    archive_dir = Path(archive_dir).expanduser().resolve()
    db_path = archive_dir / DB_NAME
    if not db_path.is_file():
        raise InvalidInput(f"There is no archive file at {db_path}.")
    lock = WriterLock(archive_dir)
    lock.acquire()
    try:
        snap_path = snapshot_files.latest_snapshot(archive_dir)
        snap_rows: dict = {}
        snap_folders: list[str] = []
        if snap_path is not None:
            try:
                conn = _open_source(snap_path)
                try:
                    snap_rows, snap_folders = _read_source(conn)
                finally:
                    conn.close()
            except (InvalidInput, sqlite3.Error):
                snap_path = None
        known = {t: max([r.get("id") or 0 for r in rows] + [0]) for t, rows in snap_rows.items()}
        report(progress, 0, 0, "Salvaging the timeline from the damaged file")
        salvaged, unreadable, folders, problems = salvage(db_path, known)
        merged, added = _merge(salvaged, snap_rows)
        folders = folders + [f for f in snap_folders if f not in folders]
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
        damaged_copy = archive_dir / f"{DB_NAME}.damaged-{stamp}"
        db_path.rename(damaged_copy)
        for suffix in ("-wal", "-shm"):
            side = archive_dir / (DB_NAME + suffix)
            if side.exists():
                side.rename(archive_dir / f"{DB_NAME}.damaged-{stamp}{suffix}")
        health.clear_damaged(archive_dir)
        shutil.rmtree(archive_dir / "index", ignore_errors=True)
    finally:
        lock.release()
    arc = Archive.open(archive_dir)
    try:
        _write_user_rows(arc.db, merged, folders)
        total = 0
        for folder in folders:
            if not Path(folder).is_dir():
                problems.append(f"the source folder {folder} is not there; its articles were not indexed again")
                continue
            result = arc.index_folder(folder, facts=facts, progress=progress, cancel=cancel)
            total += result.added + result.changed + result.unchanged
        _reanchor_all(arc)
        arc.snapshot()
    finally:
        arc.close()
    return RecoveryReport(
        salvaged={t: len(r) for t, r in salvaged.items()}, from_snapshot=added, unreadable=unreadable,
        snapshot=snap_path, damaged_copy=damaged_copy, articles=total, problems=problems,
    )
