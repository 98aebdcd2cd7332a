"""The ledger of entity judgements in the store, and the reviewed entity rows.

Judgements are appended, never edited, except for two derived marks: which
undo undid a row (``undone_by``) and whether the last replay could apply it
(``applied``). The reviewed grouping of facts into entities is written by
:func:`write_groups`, which keeps entity ids stable across replays.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Iterable, Mapping, Optional

import sqlite_utils

__all__ = [
    "add_judgement", "judgement_rows", "active_rows", "mark_undone", "set_applied",
    "entity_ids", "entity_fact_keys", "remember_ids", "write_groups", "ledger_is_empty",
]

_COLUMNS = ("id", "action", "kind", "name", "other_kind", "other", "target", "undone_by", "applied",
            "created", "detail")


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def add_judgement(
    db: sqlite_utils.Database, action: str, kind: Optional[str], name: Optional[str],
    other_kind: Optional[str] = None, other: Optional[str] = None, target: Optional[int] = None,
    detail: Optional[Mapping] = None,
) -> int:
    """Append one judgement; return its id."""
    return db.conn.execute(
        "INSERT INTO entity_judgements (action, kind, name, other_kind, other, target, created, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [action, kind, name, other_kind, other, target, _now(), json.dumps(dict(detail or {}), ensure_ascii=False)],
    ).lastrowid


def judgement_rows(db: sqlite_utils.Database, judgement_id: Optional[int] = None) -> list[dict]:
    """All judgements (or one), oldest first, as dicts with ``detail`` decoded."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM entity_judgements"
    params: list = []
    if judgement_id is not None:
        sql += " WHERE id = ?"
        params.append(int(judgement_id))
    rows = []
    for row in db.execute(sql + " ORDER BY id", params).fetchall():
        data = dict(zip(_COLUMNS, row))
        data["detail"] = json.loads(data["detail"] or "{}")
        rows.append(data)
    return rows


def active_rows(db: sqlite_utils.Database) -> list[dict]:
    """The judgements a replay applies: not undone, not undo records, oldest first."""
    return [r for r in judgement_rows(db) if r["action"] != "undo" and r["undone_by"] is None]


def mark_undone(db: sqlite_utils.Database, judgement_id: int, undo_id: int) -> None:
    db.conn.execute("UPDATE entity_judgements SET undone_by = ? WHERE id = ?", [undo_id, judgement_id])


def set_applied(db: sqlite_utils.Database, applied: Mapping[int, bool]) -> None:
    db.conn.executemany(
        "UPDATE entity_judgements SET applied = ? WHERE id = ? AND applied != ?",
        [(int(ok), jid, int(ok)) for jid, ok in applied.items()],
    )


# ---------------------------------------------------------------- reviewed entities

def entity_ids(db: sqlite_utils.Database) -> dict[tuple[str, str], int]:
    """``(kind, name) -> id`` of the entity rows as they are now."""
    return {(k, n): i for i, k, n in db.execute("SELECT id, kind, name FROM entities").fetchall()}


def entity_fact_keys(db: sqlite_utils.Database) -> list[tuple]:
    """Each distinct mention form with the entity it is linked to now.

    Rows are ``(fact kind, value, text, demonym, entity id, entity kind,
    entity name, entity subtype)``; the text is the words as written, which
    is what a researcher splits off ("Major Zhilin").
    """
    return db.execute(
        "SELECT DISTINCT f.kind, f.value, f.text, coalesce(json_extract(f.extra, '$.demonym'), 0), "
        "e.id, e.kind, e.name, e.subtype FROM facts f JOIN entities e ON e.id = f.entity_id "
        "WHERE f.kind IN ('person', 'org', 'place')"
    ).fetchall()


def remember_ids(db: sqlite_utils.Database, ids: Mapping[tuple[str, str], int], replace: bool = True) -> None:
    """Record ``(kind, name) -> id``; ``replace=False`` keeps an id already remembered."""
    db.conn.executemany(
        f"INSERT OR {'REPLACE' if replace else 'IGNORE'} INTO entity_id_memory (kind, name, entity_id) "
        "VALUES (?, ?, ?)",
        [(k, n, i) for (k, n), i in ids.items()],
    )


def write_groups(
    db: sqlite_utils.Database,
    groups: Iterable,
    previous_ids: Mapping[tuple[str, str], int],
    ignored_keys: Iterable[tuple[str, str, str]],
) -> None:
    """Make the entity rows and fact links match the reviewed ``groups``.

    Each group has ``kind``, ``name``, ``subtype``, ``aliases``, ``keys``
    (``(fact kind, value, text)`` triples) and ``origin`` (the id of the
    automatic entity it grew from, or None). A group's id is, in this
    order: the id its kind and name had last (``entity_id_memory``), the id
    of a row with its kind and name now or before this replay
    (``previous_ids``), the id of its origin; else a new one never used.
    So ids stay put across re-extraction, and an undo gives the old id back.
    Facts of ``ignored_keys`` are linked to nothing and marked ignored.
    """
    groups = list(groups)
    existing = entity_ids(db)
    memory = {(k, n): i for k, n, i in db.execute("SELECT kind, name, entity_id FROM entity_id_memory")}
    candidates = []
    for g in groups:
        key = (g.kind, g.name)
        candidates.append([c for c in (memory.get(key), existing.get(key), previous_ids.get(key), g.origin)
                           if c is not None])
    ids: dict[int, int] = {}
    taken: set[int] = set()
    for rank in range(4):
        for i, options in enumerate(candidates):
            if i not in ids and len(options) > rank and options[rank] not in taken:
                ids[i] = options[rank]
                taken.add(options[rank])
    next_id = max([0, *existing.values(), *previous_ids.values(), *memory.values()]) + 1
    for i in range(len(groups)):
        if i not in ids:
            ids[i] = next_id
            next_id += 1

    # Rows are changed in place, not replaced: other tables may refer to an
    # entity's id, and deleting a row that lives on would cascade to them.
    current = {i: key for key, i in existing.items()}
    final = {ids[i]: g for i, g in enumerate(groups)}
    db.conn.executemany("DELETE FROM entities WHERE id = ?", [(i,) for i in current if i not in final])
    moved = [i for i, g in final.items() if i in current and current[i] != (g.kind, g.name)]
    # Two rows may trade names: park the moving ones on names no entity has first.
    db.conn.executemany("UPDATE entities SET name = ? WHERE id = ?", [(f"\x00{i}", i) for i in moved])
    for entity_id, g in final.items():
        row = (g.kind, g.name, g.subtype, json.dumps(list(g.aliases), ensure_ascii=False), entity_id)
        if entity_id in current:
            db.conn.execute("UPDATE entities SET kind = ?, name = ?, subtype = ?, aliases = ? WHERE id = ?", row)
        else:
            db.conn.execute("INSERT INTO entities (kind, name, subtype, aliases, id) VALUES (?, ?, ?, ?, ?)", row)
    remember_ids(db, {(g.kind, g.name): ids[i] for i, g in enumerate(groups)})
    links: list[tuple[str, str, str, Optional[int], int]] = []
    for i, g in enumerate(groups):
        links.extend((fk, value, text, ids[i], 0) for fk, value, text in g.keys)
    links.extend((fk, value, text, None, 1) for fk, value, text in ignored_keys)

    db.conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _review_link (kind TEXT, value TEXT, text TEXT, entity_id INTEGER, "
        "ignored INTEGER, PRIMARY KEY (kind, value, text))"
    )
    db.conn.execute("DELETE FROM _review_link")
    db.conn.executemany("INSERT OR REPLACE INTO _review_link VALUES (?, ?, ?, ?, ?)", links)
    db.conn.execute(
        "UPDATE facts SET entity_id = l.entity_id, ignored = l.ignored FROM _review_link l "
        "WHERE l.kind = facts.kind AND l.value = facts.value AND l.text = facts.text"
    )
    db.conn.execute("DELETE FROM _review_link")


def ledger_is_empty(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM entity_judgements LIMIT 1").fetchone() is None
