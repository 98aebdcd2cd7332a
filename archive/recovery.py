"""Checking an archive, backing up and restoring the user's data, recovering a damaged archive.

    report = arc.check()                    # integrity of the file, store vs index
    arc.backup("case.sqlite")               # timelines, events, citations, notes, corrections
    arc.restore("case.sqlite")              # put them back (citations re-anchored)
    recover_damaged.recover(archive_dir)    # a damaged file: salvage, rebuild, re-index

What can be made again (articles, facts, the search index) is made again from
the source folders; what the user wrote is salvaged row by row from the
damaged file and completed from the newest snapshot (:mod:`.store.snapshots`).
The damaged file is renamed, never deleted.
"""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .errors import InvalidInput, StoreError
from .progress import ProgressFn, report
from .store import articles as store_articles
from .store import health, snapshots
from .store.db import DB_NAME

# ``arc`` in this module is the open ``archive.archive.Archive``. Its class is not
# imported, not even for type checkers: that module imports this one, and
# tests/test_import_graph.py keeps archive/ free of import cycles.

__all__ = ["CheckReport", "RestoreReport", "RecoveryReport", "backup", "restore", "check", "salvage",
           "recover"]

FOLDERS_KEY = "source_folders"
_MISSES_BEFORE_STOP = 2000   # row ids probed past the last readable one


@dataclass
class CheckReport:
    """What ``check`` found; ``ok`` when nothing."""
    database: list[str] = field(default_factory=list)    # integrity problems of the file
    index: list[str] = field(default_factory=list)       # search index problems
    articles: int = 0
    indexed: int = 0
    counts: dict = field(default_factory=dict)            # user table -> rows

    @property
    def ok(self) -> bool:
        return not self.database and not self.index


@dataclass
class RestoreReport:
    counts: dict                       # table -> rows restored
    reanchored: int                    # citations whose article is in the archive
    missing: int                       # citations whose article is not (flagged missing)
    safety_copy: Optional[Path]        # the user data as it was before the restore


@dataclass
class RecoveryReport:
    salvaged: dict                     # table -> rows read from the damaged file
    from_snapshot: dict                # table -> rows only the snapshot had
    unreadable: dict                   # table -> row ids that could not be read
    snapshot: Optional[Path]
    damaged_copy: Optional[Path]       # where the damaged file was moved
    articles: int                      # articles indexed again
    problems: list[str]


# ---------------------------------------------------------------- backup / restore

def backup(arc, target: Path | str) -> Path:
    target = Path(target).expanduser()
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; give the name of the backup file to write.")
    if not target.parent.is_dir():
        raise InvalidInput(f"{target}: the folder {target.parent} does not exist.")
    try:
        return snapshots.write_snapshot(arc.db, target)
    except sqlite3.Error as exc:
        if health.is_disk_full(exc):
            raise health.DiskFull(health.disk_full_message(f"the backup {target}")) from exc
        if health.is_corruption(exc):
            health.mark_damaged(arc.path, str(exc))
            raise health.StoreDamaged(health.damaged_message(arc.path, str(exc))) from exc
        raise StoreError(f"{target}: the backup could not be written ({exc}).") from exc
    except OSError as exc:
        if health.is_disk_full(exc):
            raise health.DiskFull(health.disk_full_message(f"the backup {target}")) from exc
        raise InvalidInput(f"{target}: cannot be written ({exc.strerror or exc}).") from exc


def _open_source(source: Path) -> sqlite3.Connection:
    if not source.is_file():
        raise InvalidInput(f"{source}: no such file.")
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        tables = snapshots.user_tables(conn)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{source}: not a Casefile backup or snapshot ({exc}).") from None
    if not any(name == "events" for name, _ in tables):
        conn.close()
        raise InvalidInput(f"{source}: not a Casefile backup or snapshot (it has no events table).")
    return conn


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _write_user_rows(db, rows_by_table: dict[str, list[dict]], folders: list[str]) -> dict:
    """Replace the user tables of ``db`` with these rows (one transaction); return counts."""
    from .store.transaction import transaction

    conn = db.conn
    present = {name for name, _ in snapshots.user_tables(conn)}
    counts = {}
    # Foreign keys are checked per statement; the rows come as a consistent set
    # from one snapshot, so they are switched off for the swap only.
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        with transaction(db):
            for table in reversed(snapshots.USER_TABLES):
                if table in present:
                    conn.execute(f'DELETE FROM "{table}"')
            for name in present - set(snapshots.USER_TABLES):
                conn.execute(f'DELETE FROM "{name}"')
            for table, rows in rows_by_table.items():
                if table not in present or not rows:
                    counts[table] = 0
                    continue
                wanted = _columns(conn, "main", table)
                cols = [c for c in rows[0] if c in wanted]
                marks = ",".join("?" * len(cols))
                names = ",".join(f'"{c}"' for c in cols)
                conn.executemany(f'INSERT OR REPLACE INTO "{table}" ({names}) VALUES ({marks})',
                                 [[r.get(c) for c in cols] for r in rows])
                counts[table] = len(rows)
            if "citations" in present:
                # Article ids belong to the archive the rows came from: find each article by path.
                conn.execute("UPDATE citations SET article_id = "
                             "(SELECT a.id FROM articles a WHERE a.path = citations.article_path)")
            if folders:
                from .store.meta import get_meta, set_meta
                import json

                known = json.loads(get_meta(db, FOLDERS_KEY) or "[]")
                set_meta(db, FOLDERS_KEY, json.dumps(known + [f for f in folders if f not in known]))
    finally:
        conn.execute("PRAGMA foreign_keys=ON")
    return counts


def _reanchor_all(arc) -> tuple[int, int]:
    """Attach citations to the archive's articles by path and re-find their quotes.

    Returns (citations attached to an article, citations whose article is not
    in the archive, flagged missing).
    """
    from .timeline.reanchoring import reanchor_all

    return reanchor_all(arc.db, arc.article)


def _apply_corrections(arc) -> None:
    """Show the restored metadata corrections on the articles already stored (and in the index)."""
    from .errors import CasefileError

    for path in store_articles.paths_with_corrections(arc.db):
        fields = store_articles.corrections_for(arc.db, path)
        try:
            arc.article(path, with_text=False)
        except CasefileError:
            continue   # not in this archive: applied when its folder is indexed
        try:
            arc.correct_metadata(path, **{k: ("" if v is None else v) for k, v in fields.items()})
        except CasefileError:
            continue   # a value this version refuses stays recorded, as it was


def _read_source(conn: sqlite3.Connection) -> tuple[dict[str, list[dict]], list[str]]:
    import json

    rows_by_table = {}
    for name, _sql in snapshots.user_tables(conn):
        cur = conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
        cols = [d[0] for d in cur.description]
        rows_by_table[name] = [dict(zip(cols, r)) for r in cur]
    folders: list[str] = []
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", [FOLDERS_KEY]).fetchone()
        folders = json.loads(row[0]) if row and row[0] else []
    except (sqlite3.Error, ValueError):
        pass
    return rows_by_table, folders


def restore(arc, source: Path | str) -> RestoreReport:
    """Replace the archive's user data with that of ``source`` (a backup, snapshot or archive file).

    The data as it was is first saved as a snapshot, so a restore never loses anything.
    """
    source = Path(source).expanduser()
    conn = _open_source(source)
    try:
        rows_by_table, folders = _read_source(conn)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{source}: cannot be read ({exc}).") from None
    finally:
        conn.close()
    safety = arc._snapshots.snapshot(force=True)
    counts = _write_user_rows(arc.db, rows_by_table, folders)
    _apply_corrections(arc)
    anchored, orphans = _reanchor_all(arc)
    return RestoreReport(counts=counts, reanchored=anchored, missing=orphans, safety_copy=safety)


# ---------------------------------------------------------------- check

def check(arc, progress: Optional[ProgressFn] = None) -> CheckReport:
    """PRAGMA integrity_check, every user row read, and the search index against the store."""
    from .search.damage import verify_index

    out = CheckReport()
    conn = arc.db.conn
    report(progress, 0, 3, "Checking the database file")
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(50)")]
        if rows != ["ok"]:
            out.database += rows
    except sqlite3.DatabaseError as exc:
        out.database.append(f"the integrity check could not run: {exc}")
    for name, _sql in _safe_user_tables(conn, out):
        try:
            out.counts[name] = sum(1 for _ in conn.execute(f'SELECT * FROM "{name}"'))
        except sqlite3.DatabaseError as exc:
            out.database.append(f"the {name} table cannot be read whole: {exc}")
    report(progress, 1, 3, "Comparing the store and the search index")
    try:
        stored = store_articles.article_ids(arc.db)
        out.articles = len(stored)
    except sqlite3.DatabaseError as exc:
        out.database.append(f"the articles table cannot be read: {exc}")
        stored = None
    try:
        indexed = arc.search_index.ids()
        out.indexed = len(indexed)
        if stored is not None and indexed != stored:
            lacking, extra = sorted(stored - indexed), sorted(indexed - stored)
            if lacking:
                out.index.append(f"{len(lacking)} stored article(s) are not in the search index "
                                 f"(ids {', '.join(map(str, lacking[:10]))}{'…' if len(lacking) > 10 else ''})")
            if extra:
                out.index.append(f"the search index holds {len(extra)} article(s) the store does not "
                                 f"(ids {', '.join(map(str, extra[:10]))}{'…' if len(extra) > 10 else ''})")
    except Exception as exc:  # noqa: BLE001 - any failure to read the index is a finding here
        out.index.append(f"the search index cannot be read ({type(exc).__name__}: {exc})")
    if arc.search_index.folder is not None:
        report(progress, 2, 3, "Reading every search segment")
        out.index += verify_index(arc.search_index)
    if out.database:
        health.mark_damaged(arc.path, out.database[0])
    if out.index:
        from .indexing import repair

        repair.mark_stale(arc)
    report(progress, 3, 3, "Checked")
    return out


def _safe_user_tables(conn, out: CheckReport):
    try:
        return snapshots.user_tables(conn)
    except sqlite3.DatabaseError as exc:
        out.database.append(f"the list of tables cannot be read: {exc}")
        return []


# ---------------------------------------------------------------- salvage / recover

def _probe_rows(conn: sqlite3.Connection, table: str, cols: list[str], seen: dict[int, dict],
                upto: int) -> list[int]:
    """Read rows one id at a time where a scan failed; return the ids found unreadable."""
    unreadable = []
    misses, rowid = 0, 0
    names = ",".join(f'"{c}"' for c in cols)
    while rowid < upto or misses < _MISSES_BEFORE_STOP:
        rowid += 1
        if rowid in seen:
            misses = 0
            continue
        try:
            row = conn.execute(f'SELECT {names} FROM "{table}" WHERE rowid = ?', [rowid]).fetchone()
        except sqlite3.DatabaseError:
            unreadable.append(rowid)
            misses = 0
            continue
        if row is None:
            misses += 1
            continue
        misses = 0
        seen[rowid] = dict(zip(cols, row))
    return unreadable


def salvage(db_path: Path, known_ids: Optional[dict[str, int]] = None) -> tuple[dict, dict, list[str], list[str]]:
    """Every readable row of the user tables of a (damaged) database file.

    Returns (rows by table, unreadable row ids by table, source folders,
    problems). The file is copied first (with its WAL, whose committed
    pages SQLite replays), so the damaged original is never written.
    ``known_ids`` (table -> highest id a snapshot has) tells how far to probe.
    """
    import json

    rows_by_table: dict[str, list[dict]] = {}
    unreadable: dict[str, list[int]] = {}
    folders: list[str] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="casefile-salvage-") as tmp:
        copy = Path(tmp) / DB_NAME
        shutil.copyfile(db_path, copy)
        for suffix in ("-wal",):
            side = db_path.with_name(db_path.name + suffix)
            if side.is_file():
                shutil.copyfile(side, copy.with_name(copy.name + suffix))
        try:
            conn = sqlite3.connect(copy)
            tables = snapshots.user_tables(conn)
        except sqlite3.DatabaseError as exc:
            return {}, {}, [], [f"the list of tables cannot be read ({exc}); nothing could be salvaged "
                                "from the file itself"]
        try:
            for name, _sql in tables:
                try:
                    cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
                except sqlite3.DatabaseError as exc:
                    problems.append(f"{name}: the columns cannot be read ({exc})")
                    continue
                seen: dict[int, dict] = {}
                names = ",".join(f'"{c}"' for c in cols)
                failed = False
                try:
                    for rowid, *values in conn.execute(f'SELECT rowid, {names} FROM "{name}" ORDER BY rowid'):
                        seen[rowid] = dict(zip(cols, values))
                except sqlite3.DatabaseError as exc:
                    failed = True
                    problems.append(f"{name}: a scan stopped at a damaged page ({exc}); reading row by row")
                if failed:
                    upto = max([*seen, (known_ids or {}).get(name, 0)])
                    bad = _probe_rows(conn, name, cols, seen, upto)
                    if bad:
                        unreadable[name] = bad
                rows_by_table[name] = [seen[k] for k in sorted(seen)]
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = ?", [FOLDERS_KEY]).fetchone()
                folders = json.loads(row[0]) if row and row[0] else []
            except (sqlite3.Error, ValueError) as exc:
                problems.append(f"the list of source folders cannot be read ({exc})")
        finally:
            conn.close()
    return rows_by_table, unreadable, folders, problems


def _merge(salvaged: dict, snap: dict) -> tuple[dict, dict]:
    """Salvaged rows, completed by the snapshot's rows whose id the file no longer gave."""
    merged, added = {}, {}
    for table in set(salvaged) | set(snap):
        rows = list(salvaged.get(table, []))
        have = {r.get("id") for r in rows if r.get("id") is not None}
        keyless = table == "corrections"
        if keyless:
            have = {(r.get("path"), r.get("field")) for r in rows}
            extra = [r for r in snap.get(table, []) if (r.get("path"), r.get("field")) not in have]
        else:
            extra = [r for r in snap.get(table, []) if r.get("id") not in have]
        merged[table] = rows + extra
        added[table] = len(extra)
    return merged, added
