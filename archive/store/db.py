"""Opening an archive's SQLite store.

The store is ``<archive>/casefile.db``: WAL mode (readers never block the
writer), foreign keys on, and a busy timeout so two windows or a background
indexer wait for each other's short transactions instead of failing. Writes
go through :func:`archive.store.transaction.transaction`.

    db = open_db(archive_dir)
    with transaction(db):
        db.execute("UPDATE ...")
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from ..errors import NewerArchive, StoreError
from . import compat, health, schema

__all__ = ["DB_NAME", "BUSY_TIMEOUT_MS", "open_db", "data_version"]

DB_NAME = "casefile.db"
BUSY_TIMEOUT_MS = 10_000


def open_db(archive_dir: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the store of the archive in ``archive_dir``.

    Raises ``StoreError`` naming the file when it is not a usable database.
    """
    path = Path(archive_dir) / DB_NAME
    try:
        db = sqlite_utils.Database(path)
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot open the archive database {path}: {exc}.") from exc
    try:
        # The busy timeout must be set first: enabling WAL itself can wait
        # on another process that is writing.
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys=ON")
        db.enable_wal()
        db.execute("PRAGMA synchronous=NORMAL")
        compat.refuse_newer(db, path.parent)  # before migrating: a newer archive stays untouched
        schema.migrate(db)
        compat.record_version(db)
    except NewerArchive:
        db.close()
        raise
    except sqlite3.OperationalError as exc:
        db.close()
        if health.is_disk_full(exc) or "disk i/o error" in str(exc).lower():
            read_only = _open_read_only_on_full_disk(path)
            if read_only is not None:
                return read_only
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(
                f"The archive database {path} is busy in another program; try again in a moment."
            ) from exc
        raise StoreError(f"Cannot open the archive database {path}: {exc}.") from exc
    except sqlite3.DatabaseError as exc:
        db.close()
        if health.is_corruption(exc):
            health.mark_damaged(Path(archive_dir), str(exc))
        raise health.StoreDamaged(health.damaged_message(Path(archive_dir), str(exc))) from exc
    return db


def data_version(db: sqlite_utils.Database) -> int:
    """SQLite's ``PRAGMA data_version``: it changes when another connection commits, not for this one's own writes."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])



def _open_read_only_on_full_disk(path: Path):
    """The store opened read-only when a full disk keeps SQLite from opening it normally.

    Opening a WAL database creates its ``-shm`` file, which a full disk
    refuses; with no unsaved ``-wal`` content the file is complete, so it is
    opened as immutable: reading and exporting work, writes say the disk is full.
    """
    if not health.disk_full_at(path.parent):
        return None
    wal = path.with_name(path.name + "-wal")
    mode = "ro" if wal.is_file() and wal.stat().st_size else "ro&immutable=1"
    try:
        conn = sqlite3.connect(f"file:{path}?mode={mode}", uri=True)
        db = sqlite_utils.Database(conn)
        done = {r[0] for r in db.execute("SELECT name FROM _migrations").fetchall()}
    except sqlite3.Error:
        return None
    if any(name not in done for name, _ in schema.MIGRATIONS):
        conn.close()
        return None   # this Casefile needs to migrate the file first, which needs space
    db.execute("PRAGMA foreign_keys=ON")
    return db
