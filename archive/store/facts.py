"""Facts, entities and the fact cache in the store.

Facts are stored per article; the extraction results are also cached by the
hash of what extraction depends on (``fact_cache``), so an article whose text
and dating did not change is never extracted twice, even after it was removed
and added back. Entities are rebuilt archive-wide after each extraction run,
keeping the ids of entities whose canonical name did not change.
"""
from __future__ import annotations

import dataclasses
import json
from collections import Counter, defaultdict
from typing import Iterable, Optional, Sequence

import sqlite_utils

from ..errors import InvalidInput, NotFound
from ..models import FACT_KINDS, Entity, Fact
from ..partial_date import parse_range

__all__ = [
    "ENTITY_KINDS", "fact_to_dict", "fact_from_dict", "facts_for", "cached_facts", "cache_facts",
    "store_facts", "drop_article_facts", "extracted_article_ids", "fact_states", "entity_names", "surface_forms", "rebuild_entities",
    "drop_orphan_entities", "list_entities", "get_entity", "date_range",
]

ENTITY_KINDS = ("person", "org", "place")
_FACT_FIELDS = ("kind", "text", "start", "end", "value", "basis", "sentence", "confidence", "extra")


def fact_to_dict(fact: Fact) -> dict:
    """The article-independent part of a fact, as cached."""
    return {name: getattr(fact, name) for name in _FACT_FIELDS}


def fact_from_dict(data: dict, **ids) -> Fact:
    values = {name: data[name] for name in _FACT_FIELDS if name in data}
    values["extra"] = dict(values.get("extra") or {})
    return Fact(**values, **ids)


def _fact_from_row(row: dict) -> Fact:
    return Fact(
        kind=row["kind"],
        text=row["text"],
        start=row["start"],
        end=row["end"],
        value=row["value"],
        basis=row["basis"],
        sentence=row["sentence"],
        confidence=row["confidence"],
        extra=json.loads(row["extra"] or "{}"),
        id=row["id"],
        article_id=row["article_id"],
        entity_id=row["entity_id"],
    )


def facts_for(db: sqlite_utils.Database, article_id: int, kind: Optional[str] = None) -> list[Fact]:
    """The facts of one article in text order.

    A person, organisation or place fact carries its entity's reviewed name
    and kind (``archive.case.entity_review``); the extractor's own, when they
    differ, are in ``extra["extracted"]``. Mentions the researcher marked as
    not an entity are left out.
    """
    sql = ("SELECT f.*, e.kind AS entity_kind, e.name AS entity_name FROM facts f "
           "LEFT JOIN entities e ON e.id = f.entity_id WHERE f.article_id = ? AND f.ignored = 0")
    params: list = [article_id]
    if kind is not None:
        if kind not in FACT_KINDS:
            raise InvalidInput(f"{kind!r} is not a kind of fact; use one of: {', '.join(FACT_KINDS)}.")
        sql += " AND coalesce(e.kind, f.kind) = ?"
        params.append(kind)
    sql += ' ORDER BY f.start, f."end", f.id'
    return [_reviewed(_fact_from_row(r), r) for r in db.query(sql, params)]


def _reviewed(fact: Fact, row: dict) -> Fact:
    kind, name = row.get("entity_kind"), row.get("entity_name")
    if kind is None or (kind, name) == (fact.kind, fact.value):
        return fact
    extra = dict(fact.extra)
    extra["extracted"] = {"kind": fact.kind, "value": fact.value}
    return dataclasses.replace(fact, kind=kind, value=name, extra=extra)


# ---------------------------------------------------------------- cache

def cached_facts(db: sqlite_utils.Database, key: str, version: str) -> Optional[list[Fact]]:
    row = db.execute(
        "SELECT facts FROM fact_cache WHERE sha256 = ? AND version = ?", [key, version]
    ).fetchone()
    if row is None:
        return None
    return [fact_from_dict(d) for d in json.loads(row[0])]


def cache_facts(db: sqlite_utils.Database, key: str, version: str, facts: Sequence[Fact]) -> None:
    db.conn.execute(
        "INSERT OR REPLACE INTO fact_cache (sha256, version, facts) VALUES (?, ?, ?)",
        [key, version, json.dumps([fact_to_dict(f) for f in facts], default=str)],
    )


def store_facts(
    db: sqlite_utils.Database, article_id: int, facts: Sequence[Fact], key: str, version: str
) -> None:
    """Replace the facts of an article and record what they were made from."""
    db.conn.execute("DELETE FROM facts WHERE article_id = ?", [article_id])
    db.conn.executemany(
        'INSERT INTO facts (article_id, kind, text, start, "end", value, basis, sentence, confidence, extra) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, f.kind, f.text, f.start, f.end, str(f.value), f.basis or "", f.sentence or "",
             float(f.confidence), json.dumps(f.extra or {}, default=str))
            for f in facts
        ],
    )
    db.conn.execute(
        "UPDATE articles SET facts_sha256 = ?, facts_version = ? WHERE id = ?", [key, version, article_id]
    )


def drop_article_facts(db: sqlite_utils.Database, article_id: int) -> None:
    """Remove an article's facts and mark it as not extracted (its text changed)."""
    db.conn.execute("DELETE FROM facts WHERE article_id = ?", [article_id])
    db.conn.execute("UPDATE articles SET facts_sha256 = NULL, facts_version = NULL WHERE id = ?", [article_id])


def extracted_article_ids(db: sqlite_utils.Database) -> set[int]:
    """Articles whose facts have been extracted (by any version of the extractor)."""
    return {aid for (aid,) in db.execute("SELECT id FROM articles WHERE facts_version IS NOT NULL")}


def fact_states(db: sqlite_utils.Database) -> list[tuple]:
    """What decides, per article (by id), whether its facts are current:
    ``(id, sha256, published, lang, facts_sha256, facts_version, notes JSON)``."""
    return db.execute(
        "SELECT id, sha256, published, lang, facts_sha256, facts_version, notes FROM articles ORDER BY id"
    ).fetchall()


# ---------------------------------------------------------------- entities

def entity_names(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """Every distinct ``(kind, name)`` of person/org/place facts in the archive."""
    marks = ", ".join("?" for _ in ENTITY_KINDS)
    rows = db.execute(
        f"SELECT DISTINCT kind, value FROM facts WHERE kind IN ({marks}) ORDER BY kind, value",
        list(ENTITY_KINDS),
    ).fetchall()
    return [(k, v) for k, v in rows]


def surface_forms(db: sqlite_utils.Database) -> dict[tuple[str, str], set[str]]:
    """``(kind, name) -> the words articles used for it`` ("Major Zhilin", "Zhilin", "FSO").

    Demonyms ("Kazakh" for Kazakhstan) are references to a place, not names
    of it, and are left out; whitespace inside a form is collapsed (a name
    can run across a line break).
    """
    marks = ", ".join("?" for _ in ENTITY_KINDS)
    rows = db.execute(
        f"SELECT DISTINCT kind, value, text FROM facts WHERE kind IN ({marks}) "
        "AND coalesce(json_extract(extra, '$.demonym'), 0) = 0",
        list(ENTITY_KINDS),
    ).fetchall()
    forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for kind, value, text in rows:
        form = " ".join(str(text or "").split())
        if form:
            forms[(kind, value)].add(form)
    return forms


def rebuild_entities(
    db: sqlite_utils.Database,
    mapping: dict[tuple[str, str], tuple[str, Optional[str]]],
    names: Iterable[tuple[str, str]],
) -> None:
    """Rewrite entity rows and fact links from ``merge_entities``' answer.

    ``names`` are all ``(kind, name)`` pairs of the archive; a pair the
    mapping does not mention stands for itself. An entity whose
    ``(kind, canonical name)`` already exists keeps its id. Its aliases are
    the other names merged into it and every surface form the articles used
    for it (:func:`surface_forms`), so the app can say "also written as".
    """
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    subtypes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    link: dict[tuple[str, str], tuple[str, str]] = {}
    forms = surface_forms(db)
    for kind, name in names:
        canonical, subtype = mapping.get((kind, name), (name, None))
        canonical = canonical or name
        group = (kind, canonical)
        members[group].add(name)
        members[group].update(forms.get((kind, name), ()))
        if subtype:
            subtypes[group][subtype] += 1
        link[(kind, name)] = group

    existing = {(k, n): i for i, k, n in db.execute("SELECT id, kind, name FROM entities").fetchall()}
    ids: dict[tuple[str, str], int] = {}
    for group, names_in_group in members.items():
        kind, canonical = group
        aliases = _distinct_forms(names_in_group, canonical)
        subtype = subtypes[group].most_common(1)[0][0] if subtypes[group] else None
        if group in existing:
            entity_id = existing[group]
            db.conn.execute(
                "UPDATE entities SET subtype = ?, aliases = ? WHERE id = ?",
                [subtype, json.dumps(aliases), entity_id],
            )
        else:
            entity_id = db.conn.execute(
                "INSERT INTO entities (kind, name, subtype, aliases) VALUES (?, ?, ?, ?)",
                [kind, canonical, subtype, json.dumps(aliases)],
            ).lastrowid
        ids[group] = entity_id

    db.conn.execute("CREATE TEMP TABLE IF NOT EXISTS _entity_link (kind TEXT, value TEXT, entity_id INTEGER, PRIMARY KEY (kind, value))")
    db.conn.execute("DELETE FROM _entity_link")
    db.conn.executemany(
        "INSERT INTO _entity_link (kind, value, entity_id) VALUES (?, ?, ?)",
        [(kind, name, ids[group]) for (kind, name), group in link.items()],
    )
    db.conn.execute(
        "UPDATE facts SET entity_id = (SELECT l.entity_id FROM _entity_link l "
        "WHERE l.kind = facts.kind AND l.value = facts.value)"
    )
    db.conn.execute("DELETE FROM _entity_link")
    stale = [i for g, i in existing.items() if g not in ids]
    db.conn.executemany("DELETE FROM entities WHERE id = ?", [(i,) for i in stale])


def drop_orphan_entities(db: sqlite_utils.Database) -> None:
    """Remove the entities no fact mentions any more (their articles were removed)."""
    db.conn.execute(
        "DELETE FROM entities WHERE id NOT IN "
        "(SELECT entity_id FROM facts WHERE entity_id IS NOT NULL)"
    )


def _distinct_forms(names: Iterable[str], canonical: str) -> list[str]:
    """Aliases without the canonical name and without case variants ("ZHILIN" in a
    headline next to "Zhilin"), preferring the form that is not all capitals."""
    by_fold: dict[str, str] = {}
    for name in sorted(names):
        fold = name.casefold()
        if fold == canonical.casefold():
            continue
        kept = by_fold.get(fold)
        if kept is None or (kept.isupper() and not name.isupper()):
            by_fold[fold] = name
    return sorted(by_fold.values())


def _entity_from_row(row) -> Entity:
    entity_id, kind, name, subtype, aliases, count, mentions = row
    return Entity(
        id=entity_id, kind=kind, name=name, subtype=subtype,
        aliases=tuple(json.loads(aliases or "[]")), article_count=count or 0, mention_count=mentions or 0,
    )


_ENTITY_SELECT = (
    "SELECT e.id, e.kind, e.name, e.subtype, e.aliases, "
    "(SELECT count(DISTINCT f.article_id) FROM facts f WHERE f.entity_id = e.id) AS n, "
    "(SELECT count(*) FROM facts f WHERE f.entity_id = e.id) AS m "
    "FROM entities e"
)


def list_entities(db: sqlite_utils.Database, kind: Optional[str] = None) -> list[Entity]:
    """People, organisations and places, most mentioned (in most articles) first."""
    params: list = []
    sql = _ENTITY_SELECT
    if kind is not None:
        if kind not in ENTITY_KINDS:
            raise InvalidInput(f"{kind!r} is not a kind of entity; use one of: {', '.join(ENTITY_KINDS)}.")
        sql += " WHERE e.kind = ?"
        params.append(kind)
    sql += " ORDER BY n DESC, e.name COLLATE NOCASE"
    return [_entity_from_row(r) for r in db.execute(sql, params).fetchall()]


def get_entity(db: sqlite_utils.Database, entity_id: int) -> Entity:
    row = db.execute(_ENTITY_SELECT + " WHERE e.id = ?", [int(entity_id)]).fetchone()
    if row is None:
        raise NotFound(f"No person, organisation or place with id {entity_id} in this archive.")
    return _entity_from_row(row)


def date_range(db: sqlite_utils.Database) -> tuple[Optional[str], Optional[str]]:
    """The earliest and latest calendar date the archive's date facts name.

    Dates without a year (``XXXX-12-06``) cannot be placed and are left out;
    a range counts by its first day for the start and its last for the end.
    """
    lo = hi = None
    for (value,) in db.execute("SELECT DISTINCT value FROM facts WHERE kind = 'date'"):
        try:
            first, last = parse_range(str(value))
        except InvalidInput:
            continue                  # not a date the extractor should have written; nothing to place
        last = last or first
        # By calendar days, not text: "2022" ends after "2022-12-05".
        if first.year_known and (lo is None or (first.first_day(), first.value) < (lo.first_day(), lo.value)):
            lo = first
        if last.year_known and (hi is None or (last.last_day(), last.value) > (hi.last_day(), hi.value)):
            hi = last
    return (lo.value if lo else None), (hi.value if hi else None)
