"""Snapshots of what the user wrote, so a damaged archive file never takes it along.

Articles, facts and the search index can always be made again from the
source folders; the timelines, events, citations, notes, metadata
corrections and entity judgements cannot. Those tables (``USER_TABLES``,
plus the source folders from ``meta``) are copied, whole, into a small
SQLite file in ``ARCHIVE/snapshots/``:

* after changes, at most once a minute (:class:`SnapshotKeeper`, told after
  every commit), and when the archive is closed;
* written in memory and handed to the file with SQLite's backup API, into a
  temporary name and then renamed, so a snapshot is complete or absent;
* rotated: the newest ``KEEP`` are kept.

``casefile backup`` writes the same file anywhere; ``casefile restore`` and
``casefile recover`` read it back (:mod:`archive.recovery`).

    path = write_snapshot(db, Path("case-backup.sqlite"))
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Callable, Iterable, Optional

from .health import damaged_reason
from .snapshot_files import SNAPSHOT_DIR, latest_snapshot, list_snapshots

__all__ = [
    "USER_TABLES", "KEEP", "INTERVAL_S", "user_tables", "fingerprint", "write_snapshot",
    "SnapshotKeeper", "register_commit_hook", "after_commit",
]

# Tables holding only what the user wrote, copied whole. Tables named here
# that a given archive does not have (yet) are skipped; the entity ledger
# table of a later migration is found by its prefix.
USER_TABLES = ("timelines", "events", "citations", "corrections", "entity_judgements")
USER_TABLE_PREFIXES = ("entity_judg",)
META_KEYS = ("source_folders",)
KEEP = 10
INTERVAL_S = 60.0
INFO_TABLE = "snapshot_info"


def user_tables(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the user tables present in ``conn``'s main database, in USER_TABLES order."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    present = {name: sql for name, sql in rows}
    names = [t for t in USER_TABLES if t in present]
    names += sorted(n for n in present if n.startswith(USER_TABLE_PREFIXES) and n not in names)
    return [(n, present[n]) for n in names]


def _rows(conn: sqlite3.Connection, table: str) -> Iterable[tuple]:
    return conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')


def fingerprint(conn: sqlite3.Connection) -> str:
    """A hash of every row of the user tables (and the source folders)."""
    h = hashlib.sha1()
    for name, _sql in user_tables(conn):
        h.update(name.encode())
        for row in _rows(conn, name):
            h.update(repr(row).encode())
    for key in META_KEYS:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        h.update(repr(row).encode())
    return h.hexdigest()


def write_snapshot(db, target: Path, fp: Optional[str] = None) -> Path:
    """Copy the user tables of ``db`` (a sqlite_utils Database or connection) into the file ``target``."""
    conn = getattr(db, "conn", db)
    target = Path(target)
    mem = sqlite3.connect(":memory:")
    try:
        mem.execute(f"CREATE TABLE {INFO_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
        mem.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        for name, sql in user_tables(conn):
            mem.execute(sql)
            cursor = _rows(conn, name)
            width = len(cursor.description)
            mem.executemany(f'INSERT INTO "{name}" VALUES ({",".join("?" * width)})', cursor)
        for key in META_KEYS:
            row = conn.execute("SELECT key, value FROM meta WHERE key = ?", [key]).fetchone()
            if row:
                mem.execute("INSERT INTO meta VALUES (?, ?)", row)
        migrations = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
        info = {
            "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "fingerprint": fp or fingerprint(conn),
            "migrations": ",".join(migrations),
        }
        mem.executemany(f"INSERT INTO {INFO_TABLE} VALUES (?, ?)", info.items())
        mem.commit()
        tmp = target.with_name(f".{target.name}.part")
        tmp.unlink(missing_ok=True)
        out = sqlite3.connect(tmp)
        try:
            mem.backup(out)
        finally:
            out.close()
        os.replace(tmp, target)
    finally:
        mem.close()
    return target


def _snapshot_fingerprint(path: Optional[Path]) -> Optional[str]:
    if path is None:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute(f"SELECT value FROM {INFO_TABLE} WHERE key = 'fingerprint'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


class SnapshotKeeper:
    """Writes the archive's snapshots: after commits (at most every ``interval`` seconds) and at close.

    Only changes made through this connection count (``total_changes``);
    another process snapshots its own. A snapshot is written only when the
    user tables differ from the newest one. Failures (a full disk, a damaged
    file) never reach the caller: the snapshots are a safety net, not the data.
    """

    def __init__(self, db, archive_dir: Path, *, interval: float = INTERVAL_S, keep: int = KEEP,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.conn = getattr(db, "conn", db)
        self.folder = Path(archive_dir) / SNAPSHOT_DIR
        self.archive_dir = Path(archive_dir)
        self.interval = interval
        self.keep = keep
        self.clock = clock
        self._seen = self.conn.total_changes
        # The first change after opening is saved at once: the last snapshot may be days old.
        self._last = clock() - interval
        self._fp: Optional[str] = None
        self.error: Optional[BaseException] = None

    def committed(self) -> None:
        """Called after each commit: snapshot now if the last one is old enough."""
        if self.clock() - self._last >= self.interval:
            self.snapshot()

    def snapshot(self, force: bool = False) -> Optional[Path]:
        """Write a snapshot if the user tables changed; return its path (None when nothing to do)."""
        if not force and self.conn.total_changes == self._seen:
            return None
        if damaged_reason(self.archive_dir):
            return None   # a damaged file could give partial tables: keep the good snapshots
        try:
            self._seen = self.conn.total_changes
            self._last = self.clock()
            fp = fingerprint(self.conn)
            if self._fp is None:
                self._fp = _snapshot_fingerprint(latest_snapshot(self.archive_dir))
                if self._fp is None and not self._has_user_data():
                    self._fp = fp
            if fp == self._fp and not force:
                return None
            self.folder.mkdir(exist_ok=True)
            stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
            path = write_snapshot(self.conn, self.folder / f"snapshot-{stamp}.sqlite", fp)
            self._fp = fp
            self._rotate()
            self.error = None
            return path
        except (sqlite3.Error, OSError) as exc:
            self.error = exc
            return None

    def _has_user_data(self) -> bool:
        return any(self.conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()
                   for name, _ in user_tables(self.conn))

    def _rotate(self) -> None:
        for old in list_snapshots(self.archive_dir)[:-self.keep]:
            old.unlink(missing_ok=True)


_HOOKS: dict[int, Callable[[], None]] = {}


def register_commit_hook(conn: sqlite3.Connection, hook: Optional[Callable[[], None]]) -> None:
    """Call ``hook()`` after each commit of ``store.transaction.transaction`` on ``conn`` (None removes it)."""
    if hook is None:
        _HOOKS.pop(id(conn), None)
    else:
        _HOOKS[id(conn)] = hook


def after_commit(conn: sqlite3.Connection) -> None:
    hook = _HOOKS.get(id(conn))
    if hook is not None:
        hook()
