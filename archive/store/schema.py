"""The archive's SQLite schema, as named migrations applied in order.

Each migration runs in one transaction and is recorded in ``_migrations``; a
database is brought up to date when it is opened. Never edit a migration that
has shipped: add a new one.
"""
from __future__ import annotations

import datetime as _dt
from typing import Callable

import sqlite_utils

__all__ = ["MIGRATIONS", "migrate", "SCHEMA_VERSION"]


def _m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        -- One row per article file. text is the decoded content exactly as
        -- stored (offsets of facts and citations point into it).
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,          -- absolute, as found on disk
            relpath TEXT NOT NULL,              -- relative to the indexed folder
            format TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime REAL,
            text TEXT NOT NULL,
            body_end INTEGER NOT NULL,
            regions TEXT NOT NULL DEFAULT '[]', -- JSON [[start, end, label], ...]
            title TEXT, published TEXT, outlet TEXT, author TEXT, url TEXT, lang TEXT,
            provenance TEXT NOT NULL DEFAULT '{}', -- JSON {field: text|html-meta|url|filename|user}
            notes TEXT NOT NULL DEFAULT '{}',
            facts_sha256 TEXT,                  -- content hash the stored facts were made from
            facts_version TEXT,                 -- extractor version that made them
            indexed_at TEXT NOT NULL
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_sha ON articles(sha256);

        -- Metadata the user corrected; reapplied on every re-index.
        CREATE TABLE corrections (
            path TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT,
            corrected_at TEXT NOT NULL,
            PRIMARY KEY (path, field)
        );

        -- Files the last indexing run could not read.
        CREATE TABLE problems (
            path TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            seen_at TEXT NOT NULL
        );

        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,                 -- person, org, place
            name TEXT NOT NULL,                 -- canonical
            subtype TEXT,
            aliases TEXT NOT NULL DEFAULT '[]',
            UNIQUE (kind, name)
        );

        CREATE TABLE facts (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            value TEXT NOT NULL,
            basis TEXT NOT NULL DEFAULT '',
            sentence TEXT NOT NULL DEFAULT '',
            confidence REAL NOT NULL DEFAULT 1.0,
            extra TEXT NOT NULL DEFAULT '{}',
            entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL
        );
        CREATE INDEX facts_article ON facts(article_id, start);
        CREATE INDEX facts_entity ON facts(entity_id);

        -- Extraction results by content hash, so unchanged text is never re-extracted.
        CREATE TABLE fact_cache (
            sha256 TEXT NOT NULL,
            version TEXT NOT NULL,
            facts TEXT NOT NULL,                -- JSON list of fact dicts
            PRIMARY KEY (sha256, version)
        );

        CREATE TABLE timelines (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL,
            modified TEXT NOT NULL
        );

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            timeline_id INTEGER NOT NULL REFERENCES timelines(id) ON DELETE CASCADE,
            start_value TEXT NOT NULL,
            start_precision TEXT NOT NULL,
            start_approx INTEGER NOT NULL DEFAULT 0,
            start_text TEXT NOT NULL DEFAULT '',
            end_value TEXT, end_precision TEXT,
            end_approx INTEGER NOT NULL DEFAULT 0,
            end_text TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            certainty TEXT NOT NULL DEFAULT 'reported',
            people TEXT NOT NULL DEFAULT '[]',
            organisations TEXT NOT NULL DEFAULT '[]',
            places TEXT NOT NULL DEFAULT '[]',
            created TEXT NOT NULL,
            modified TEXT NOT NULL
        );
        CREATE INDEX events_timeline ON events(timeline_id, start_value);

        -- A citation keeps the article's path, quote and source details of its
        -- own, so it survives the article being removed from the archive.
        CREATE TABLE citations (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            article_path TEXT NOT NULL,
            quote TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            outlet TEXT, published TEXT, title TEXT,
            status TEXT NOT NULL DEFAULT 'ok',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX citations_event ON citations(event_id);
        CREATE INDEX citations_article ON citations(article_id);
        """
    )


def _m004_entity_judgements(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- The researcher's judgements on entities (merge, split, rename, kind,
        -- ignore, distinct, undo), keyed by names and kinds rather than ids so
        -- they are replayed after every extraction. Rows are only ever added;
        -- an undo is a row of its own and marks the row it undid.
        CREATE TABLE entity_judgements (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL,
            kind TEXT,                          -- the entity acted on, as named then
            name TEXT,
            other_kind TEXT,                    -- merge/distinct: the other entity;
            other TEXT,                         -- split: the alias; rename: the new name; kind: the new kind
            target INTEGER REFERENCES entity_judgements(id),   -- undo: the judgement undone
            undone_by INTEGER REFERENCES entity_judgements(id),
            applied INTEGER NOT NULL DEFAULT 1, -- whether the last replay found its names
            created TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'   -- JSON: what the entities looked like then
        );
        -- Every id an entity of this kind and name ever had, so an undone
        -- merge, rename or kind change gives the entity its old id back.
        CREATE TABLE entity_id_memory (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            entity_id INTEGER NOT NULL,
            PRIMARY KEY (kind, name)
        );
        -- Facts whose entity the researcher marked as not an entity.
        ALTER TABLE facts ADD COLUMN ignored INTEGER NOT NULL DEFAULT 0;
        """
    )


def _m005_case_analysis(db: sqlite_utils.Database) -> None:
    from .case import migrate_005

    migrate_005(db)


def _m006_case_decision_claims(db: sqlite_utils.Database) -> None:
    from .case import migrate_006

    migrate_006(db)


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("001_initial", _m001_initial),
    ("004_entity_judgements", _m004_entity_judgements),
    ("005_case_analysis", _m005_case_analysis),
    ("006_case_decision_claims", _m006_case_decision_claims),
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database lacks; return their names."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # executescript would commit implicitly; run statements one by one
            # inside our transaction instead.
            _run_in_transaction(db, fn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (name, _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


class _TxDb:
    """Lets a migration call ``executescript`` without committing mid-way."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def executescript(self, script: str) -> None:
        for stmt in _split_sql(script):
            self._db.conn.execute(stmt)

    def __getattr__(self, name):
        return getattr(self._db, name)


def _run_in_transaction(db, fn) -> None:
    fn(_TxDb(db))


def _split_sql(script: str) -> list[str]:
    # Our migrations hold no triggers or string literals with ';', so a
    # complete-statement check is enough to split them.
    import sqlite3

    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
