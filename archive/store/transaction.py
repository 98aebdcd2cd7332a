"""The write transaction every change to the store goes through.

One ``BEGIN IMMEDIATE`` ... ``COMMIT``: a damaged store is refused before it
starts, a full disk or a damaged file met on the way becomes its one-line
error (:mod:`.health`), and the archive's snapshot keeper hears of each
commit (:mod:`.snapshots`).
"""
from __future__ import annotations

import contextlib
import sqlite3
from typing import Iterator

import sqlite_utils

from ..errors import StoreError
from . import health, snapshots

__all__ = ["transaction"]


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction: committed on success, rolled back on any exception.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so a second writer waits
    (busy timeout) instead of failing half-way. Nested use becomes a savepoint.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    archive_dir = health.archive_dir_of(conn)
    reason = health.damaged_reason(archive_dir)
    if reason:
        raise health.StoreDamaged(health.damaged_message(archive_dir, reason))
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        _raise_store_fault(exc, archive_dir)
        raise StoreError(
            "The archive is busy: another window or process kept it locked too long; try again."
        ) from exc
    try:
        yield db
    except BaseException as exc:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        _raise_store_fault(exc, archive_dir)
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            _raise_store_fault(exc, archive_dir)
            raise
        snapshots.after_commit(conn)


def _raise_store_fault(exc: BaseException, archive_dir) -> None:
    """Turn a full disk or a damaged file met by a write into its one-line error."""
    if isinstance(exc, StoreError) or not isinstance(exc, (sqlite3.Error, OSError)):
        return
    if health.is_full_disk_write(exc, archive_dir):
        raise health.DiskFull(health.disk_full_message()) from exc
    if health.is_corruption(exc):
        if archive_dir is not None:
            health.mark_damaged(archive_dir, str(exc))
        raise health.StoreDamaged(health.damaged_message(archive_dir, str(exc))) from exc
