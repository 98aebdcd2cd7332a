"""The case analysis in the store: per-article claims, suggested events and
conflicts, and the user's decisions (which survive every re-analysis).

Tables (migration ``005_case_analysis``): ``case_articles`` (one row per
analysed article: what it was made from, its claims, its MinHash signature,
its agency credit and source identity), ``case_events`` and
``case_conflicts`` (the last analysis, replaced as a whole),
``case_decisions`` (merge / split / confirm) and ``case_conflict_status``.
Migration ``006_case_decision_claims`` gives each conflict status the claims
its conflict was made of, so it follows the conflict when its key changes
(:mod:`archive.case.decisions`); event decisions keep theirs in ``data``.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Iterable, Optional

import sqlite_utils

__all__ = [
    "migrate_005", "analysis_inputs", "stored_keys", "save_article_claims", "all_article_claims",
    "entity_names_by_fact", "save_results", "load_events", "load_conflicts", "articles_info",
    "identities", "add_decision", "decisions", "set_conflict_status", "conflict_statuses",
    "migrate_006", "remember_decided_claims", "remove_decision", "restore_decision", "delete_conflict_status",
    "event_claims", "conflict_claims", "existing_event_keys",
]


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def migrate_005(db) -> None:
    db.executescript(
        """
        CREATE TABLE case_articles (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            made_from TEXT NOT NULL,             -- facts hash, extractor and analysis versions, fact ids
            claims TEXT NOT NULL,                -- JSON, see archive/case/claims.py
            signature BLOB,                      -- MinHash of the body's shingles
            credit TEXT,                         -- agency credit of the dateline
            identity TEXT                        -- source identity of the last analysis
        );
        CREATE TABLE case_events (
            key TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            articles INTEGER NOT NULL,           -- how many articles report it
            data TEXT NOT NULL
        );
        CREATE INDEX case_events_articles ON case_events(articles);
        CREATE TABLE case_conflicts (
            key TEXT PRIMARY KEY,
            data TEXT NOT NULL
        );
        -- The user's word on suggested events: kind merge (data: keys), split
        -- (data: key and claims), confirm (key, timeline_event_id).
        CREATE TABLE case_decisions (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            timeline_event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
            decided_at TEXT NOT NULL
        );
        CREATE INDEX case_decisions_key ON case_decisions(key);
        CREATE TABLE case_conflict_status (
            key TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL
        );
        """
    )


def migrate_006(db) -> None:
    db.executescript(
        """
        -- The claims ("<article id>:<sentence start>:<kind>") of the conflict a
        -- status was set on, JSON, so the status follows the conflict when
        -- entity review changes the name in its key.
        ALTER TABLE case_conflict_status ADD COLUMN claims TEXT;
        """
    )


def analysis_inputs(db: sqlite_utils.Database) -> dict[int, str]:
    """``article id -> what its claims must be made from`` for articles with current facts.

    The fact ids are part of it: re-stored facts get new ids, and claims
    point at facts by id.
    """
    rows = db.execute(
        "SELECT a.id, a.facts_sha256, a.facts_version, min(f.id), count(f.id) FROM articles a "
        "LEFT JOIN facts f ON f.article_id = a.id WHERE a.facts_sha256 IS NOT NULL GROUP BY a.id"
    ).fetchall()
    return {aid: f"{sha}|{version}|{lo}|{n}" for aid, sha, version, lo, n in rows}


def stored_keys(db: sqlite_utils.Database) -> dict[int, str]:
    return dict(db.execute("SELECT article_id, made_from FROM case_articles").fetchall())


def save_article_claims(db, rows: Iterable[tuple[int, str, dict, Optional[bytes], Optional[str]]]) -> None:
    """Store ``(article_id, made_from, claims, signature, credit)`` rows (inside the caller's transaction)."""
    db.conn.executemany(
        "INSERT INTO case_articles (article_id, made_from, claims, signature, credit) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(article_id) DO UPDATE SET made_from = excluded.made_from, claims = excluded.claims, "
        "signature = excluded.signature, credit = excluded.credit",
        [(aid, key, json.dumps(claims, ensure_ascii=False), sig, credit) for aid, key, claims, sig, credit in rows],
    )


def all_article_claims(db) -> dict[int, dict]:
    """Every analysed article: claims, signature, credit, with its path, outlet and publication date."""
    out = {}
    for aid, claims, sig, credit, path, outlet, published in db.execute(
        "SELECT c.article_id, c.claims, c.signature, c.credit, a.path, a.outlet, a.published "
        "FROM case_articles c JOIN articles a ON a.id = c.article_id"
    ):
        out[aid] = {"claims": json.loads(claims), "signature": sig, "credit": credit, "path": path,
                    "outlet": outlet, "published": published}
    return out


def entity_names_by_fact(db) -> dict[str, dict[int, str]]:
    """``kind -> {fact id -> entity name}`` for the person, organisation and place facts
    linked to an entity (one pass over the facts)."""
    out: dict[str, dict[int, str]] = {"person": {}, "org": {}, "place": {}}
    names = dict(db.execute("SELECT id, name FROM entities").fetchall())
    for fid, kind, entity_id in db.execute(
        "SELECT id, kind, entity_id FROM facts WHERE entity_id IS NOT NULL AND kind IN ('person', 'org', 'place')"
    ):
        name = names.get(entity_id)
        if name is not None:
            out[kind][fid] = name
    return out


def save_results(db, events: list[dict], conflicts: list[dict], identity: dict[int, str]) -> None:
    """Replace the stored suggestions with a new analysis (inside the caller's transaction)."""
    remember_decided_claims(db)
    db.conn.execute("DELETE FROM case_events")
    db.conn.executemany(
        "INSERT INTO case_events (key, position, articles, data) VALUES (?, ?, ?, ?)",
        [(e["key"], i, len({aid for aid, _ in e["members"]}), json.dumps(e, ensure_ascii=False))
         for i, e in enumerate(events)],
    )
    db.conn.execute("DELETE FROM case_conflicts")
    db.conn.executemany(
        "INSERT INTO case_conflicts (key, data) VALUES (?, ?)",
        [(c["key"], json.dumps(c, ensure_ascii=False)) for c in conflicts],
    )
    db.conn.executemany("UPDATE case_articles SET identity = ? WHERE article_id = ?",
                        [(name, aid) for aid, name in identity.items()])


def _members(data: dict) -> None:
    data["members"] = [(int(aid), item) for aid, item in data["members"]]


def load_events(db, min_articles: int = 1, keys: Iterable[str] = ()) -> list[dict]:
    """Stored suggestions reported by ``min_articles`` articles or more, and those named in ``keys``
    (a merge or split may make a smaller event count)."""
    keys = sorted(set(keys))
    sql = "SELECT data FROM case_events WHERE articles >= ?"
    params: list = [int(min_articles)]
    if keys and min_articles > 1:
        # Keys arrive in batches: SQLite limits the number of parameters.
        out = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ", ".join("?" for _ in chunk)
            for pos, data in db.execute(
                f"SELECT position, data FROM case_events WHERE articles >= ? OR key IN ({marks})",
                [int(min_articles), *chunk],
            ):
                out[pos] = data
        rows = [(d,) for _, d in sorted(out.items())]
    else:
        rows = db.execute(sql + " ORDER BY position", params).fetchall()
    out_events = []
    for (data,) in rows:
        event = json.loads(data)
        _members(event)
        out_events.append(event)
    return out_events


def existing_event_keys(db, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` the last analysis suggested."""
    keys = sorted(set(keys))
    out: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        marks = ", ".join("?" for _ in chunk)
        out.update(k for (k,) in db.execute(f"SELECT key FROM case_events WHERE key IN ({marks})", chunk))
    return out


def load_conflicts(db) -> list[dict]:
    out = []
    for (data,) in db.execute("SELECT data FROM case_conflicts ORDER BY key"):
        conflict = json.loads(data)
        for claim in conflict["claims"]:
            _members(claim)
        out.append(conflict)
    return out


def articles_info(db, ids: Iterable[int]) -> dict[int, tuple[str, Optional[str], Optional[str]]]:
    """``id -> (path, outlet, published)`` of the given articles."""
    ids = sorted(set(ids))
    out = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ", ".join("?" for _ in chunk)
        for aid, path, outlet, published in db.execute(
            f"SELECT id, path, outlet, published FROM articles WHERE id IN ({marks})", chunk
        ):
            out[aid] = (path, outlet, published)
    return out


def identities(db) -> dict[int, str]:
    return dict(db.execute("SELECT article_id, identity FROM case_articles WHERE identity IS NOT NULL").fetchall())


def add_decision(db, kind: str, key: str, data: dict, timeline_event_id: Optional[int] = None) -> int:
    """Store a decision (inside the caller's transaction); return its id."""
    cur = db.conn.execute(
        "INSERT INTO case_decisions (kind, key, data, timeline_event_id, decided_at) VALUES (?, ?, ?, ?, ?)",
        [kind, key, json.dumps(data, ensure_ascii=False), timeline_event_id, _now()],
    )
    return int(cur.lastrowid)


def remove_decision(db, decision_id: int) -> Optional[dict]:
    """Delete one decision (an undo, inside the caller's transaction); return it as it was."""
    row = next((d for d in decisions(db) if d["id"] == int(decision_id)), None)
    if row is not None:
        db.conn.execute("DELETE FROM case_decisions WHERE id = ?", [int(decision_id)])
    return row


def restore_decision(db, row: dict) -> int:
    """Put back a decision ``remove_decision`` returned (a redo), under its old id if it is free."""
    values = [row["kind"], row["key"], json.dumps(row["data"], ensure_ascii=False), row["timeline_event_id"],
              row["decided_at"]]
    taken = db.execute("SELECT 1 FROM case_decisions WHERE id = ?", [int(row["id"])]).fetchone()
    if taken:
        cur = db.conn.execute("INSERT INTO case_decisions (kind, key, data, timeline_event_id, decided_at) "
                              "VALUES (?, ?, ?, ?, ?)", values)
        return int(cur.lastrowid)
    db.conn.execute("INSERT INTO case_decisions (id, kind, key, data, timeline_event_id, decided_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [int(row["id"]), *values])
    return int(row["id"])


def decisions(db) -> list[dict]:
    """Every decision, oldest first: ``id, kind, key, data, timeline_event_id, decided_at``."""
    return [
        {"id": did, "kind": kind, "key": key, "data": json.loads(data), "timeline_event_id": te, "decided_at": at}
        for did, kind, key, data, te, at in db.execute(
            "SELECT id, kind, key, data, timeline_event_id, decided_at FROM case_decisions ORDER BY id"
        )
    ]


def set_conflict_status(db, key: str, status: str, note: str, claims: Iterable[str] = (),
                        decided_at: Optional[str] = None) -> None:
    db.conn.execute(
        "INSERT INTO case_conflict_status (key, status, note, decided_at, claims) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET status = excluded.status, note = excluded.note, "
        "decided_at = excluded.decided_at, claims = excluded.claims",
        [key, status, note, decided_at or _now(), json.dumps(sorted(set(claims)))],
    )


def delete_conflict_status(db, key: str) -> None:
    db.conn.execute("DELETE FROM case_conflict_status WHERE key = ?", [key])


def conflict_statuses(db) -> list[dict]:
    """Every stored status, oldest first: ``key, status, note, claims, decided_at``."""
    return [{"key": k, "status": s, "note": n, "claims": json.loads(c) if c else [], "decided_at": at}
            for k, s, n, c, at in db.execute(
                "SELECT key, status, note, claims, decided_at FROM case_conflict_status ORDER BY decided_at, rowid")]


def remember_decided_claims(db) -> None:
    """Give decisions stored without the claims of their event or conflict those claims,
    from the analysis about to be replaced (decisions made before claims were recorded)."""
    for d in decisions(db):
        data = d["data"]
        if d["kind"] == "confirm" and "claims" not in data:
            stored = _stored_event(db, d["key"])
            if stored is not None:
                data["claims"] = event_claims(stored)
        elif d["kind"] == "merge" and "claims" not in data:
            data["claims"] = {k: event_claims(e) for k in data["keys"] if (e := _stored_event(db, k)) is not None}
        else:
            continue
        db.conn.execute("UPDATE case_decisions SET data = ? WHERE id = ?",
                        [json.dumps(data, ensure_ascii=False), d["id"]])
    for key, in db.execute("SELECT key FROM case_conflict_status WHERE claims IS NULL").fetchall():
        row = db.execute("SELECT data FROM case_conflicts WHERE key = ?", [key]).fetchone()
        if row is not None:
            conflict = json.loads(row[0])
            for claim in conflict["claims"]:
                _members(claim)
            db.conn.execute("UPDATE case_conflict_status SET claims = ? WHERE key = ?",
                            [json.dumps(conflict_claims(conflict)), key])


def event_claims(event: dict) -> list[str]:
    """The claim ids (``<article id>:<claim id>``) of a stored event: its fingerprint for decisions."""
    return sorted({f"{aid}:{item['id']}" for aid, item in event["members"]})


def conflict_claims(conflict: dict) -> list[str]:
    """The claim ids of a stored conflict, every side."""
    return sorted({f"{aid}:{item['id']}" for cl in conflict["claims"] for aid, item in cl["members"]})


def _stored_event(db, key: str) -> Optional[dict]:
    row = db.execute("SELECT data FROM case_events WHERE key = ?", [key]).fetchone()
    if row is None:
        return None
    event = json.loads(row[0])
    _members(event)
    return event
