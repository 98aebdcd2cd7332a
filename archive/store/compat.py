"""Which Casefile wrote an archive, and refusing one written by a newer Casefile.

Every open records, in the ``meta`` table, the newest Casefile version that
opened the archive (``casefile_version``) and the schema it left
(``schema_version``). An archive whose ``_migrations`` names migrations this
Casefile does not have, or whose recorded schema is newer, was changed by a
newer Casefile: opening it here could misread or damage it, so it is refused
with a message saying which versions meet (``NewerArchive``), before anything
is written to it.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from ..errors import NewerArchive, StoreError
from ..version import __version__, version_tuple
from . import schema
from .meta import get_meta, set_meta
from .transaction import transaction

__all__ = ["VERSION_KEY", "SCHEMA_KEY", "refuse_newer", "record_version", "written_by"]

VERSION_KEY = "casefile_version"
SCHEMA_KEY = "schema_version"


def _tables(db: sqlite_utils.Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def written_by(db: sqlite_utils.Database) -> str | None:
    """The newest Casefile version that opened this archive (None for archives older than the record)."""
    return get_meta(db, VERSION_KEY) if "meta" in _tables(db) else None


def refuse_newer(db: sqlite_utils.Database, path: Path) -> None:
    """Raise ``NewerArchive`` if the archive's schema is newer than this Casefile's."""
    tables = _tables(db)
    if "_migrations" not in tables:
        return  # a new archive, or one from before migrations were recorded
    known = {name for name, _ in schema.MIGRATIONS}
    unknown = sorted(row[0] for row in db.execute("SELECT name FROM _migrations") if row[0] not in known)
    recorded = get_meta(db, SCHEMA_KEY) if "meta" in tables else None
    try:
        newer_schema = recorded is not None and int(recorded) > schema.SCHEMA_VERSION
    except ValueError:
        newer_schema = False
    if unknown or newer_schema:
        raise NewerArchive(path, get_meta(db, VERSION_KEY) if "meta" in tables else None,
                           __version__, unknown)


def record_version(db: sqlite_utils.Database) -> None:
    """Record this Casefile's version (unless a newer one opened the archive) and the schema.

    Writes only when something changed. An archive kept busy by another
    process is recorded at a later open instead of failing this one.
    """
    stored = get_meta(db, VERSION_KEY)
    version = __version__
    if stored is not None and version_tuple(stored) > version_tuple(version):
        version = stored  # an older Casefile opening a compatible archive keeps the record
    wanted = {VERSION_KEY: version, SCHEMA_KEY: str(schema.SCHEMA_VERSION)}
    if all(get_meta(db, key) == value for key, value in wanted.items()):
        return
    try:
        with transaction(db):
            for key, value in wanted.items():
                set_meta(db, key, value)
    except (StoreError, sqlite3.OperationalError):
        pass
