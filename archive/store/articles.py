"""Articles, user corrections and reading problems in the store.

Rows become :class:`~archive.models.Article` here and nowhere else. Writes
expect the caller to hold a transaction (:func:`archive.store.transaction.transaction`)
when several must land together.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Optional

import sqlite_utils

from ..errors import InvalidInput, NotFound
from ..models import METADATA_FIELDS, Article, ParsedArticle, Problem, Region
from ..partial_date import PartialDate
from . import facts as store_facts

__all__ = [
    "article_from_row", "get_article", "find_article_id", "list_articles", "stored_files", "articles_after",
    "article_path", "text_lengths", "inferred_date_ids", "undated_or_inferred_ids", "dating_rows", "notes_and_provenance",
    "notes_and_body_ends", "set_notes", "set_inferred_date", "corrected_paths",
    "write_article", "move_article", "delete_articles", "outlets", "languages", "article_count", "article_ids",
    "corrections_for", "paths_with_corrections", "save_corrections", "drop_corrections", "apply_corrections",
    "file_metadata", "update_metadata", "validate_metadata",
    "record_problem", "clear_problems", "problems_under", "list_problems",
    "normalize_partial_date", "date_bounds", "now_iso",
]

# Columns of a listing: everything but the text, plus the number of facts.
_LIST_COLUMNS = (
    "a.id, a.path, a.relpath, a.format, a.sha256, a.title, a.published, a.outlet, "
    "a.author, a.url, a.lang, a.provenance, a.body_end, a.regions, "
    "json_extract(a.notes, '$.facts_note') AS facts_note, "
    "(SELECT count(*) FROM facts f WHERE f.article_id = a.id) AS fact_count"
)

_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
_URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------- conversions

def _regions_from_json(raw: str | None) -> tuple[Region, ...]:
    out = []
    for item in json.loads(raw or "[]"):
        start, end = int(item[0]), int(item[1])
        label = item[2] if len(item) > 2 else "boilerplate"
        out.append(Region(start, end, label))
    return tuple(out)


def _regions_to_json(regions: Iterable[Region]) -> str:
    return json.dumps([[r.start, r.end, r.label] for r in regions])


def article_from_row(row: dict, with_text: bool = False) -> Article:
    """Turn a row of ``articles`` (as a dict) into an :class:`Article`."""
    return Article(
        id=row["id"],
        path=row["path"],
        relpath=row["relpath"],
        format=row["format"],
        sha256=row["sha256"],
        title=row["title"],
        published=row["published"],
        outlet=row["outlet"],
        author=row["author"],
        url=row["url"],
        lang=row["lang"],
        provenance=json.loads(row["provenance"] or "{}"),
        body_end=row["body_end"],
        regions=_regions_from_json(row["regions"]),
        fact_count=row.get("fact_count") or 0,
        text=(row.get("text") or "") if with_text else "",
        facts_note=row.get("facts_note"),
    )


# ---------------------------------------------------------------- lookups

def find_article_id(db: sqlite_utils.Database, id_or_path: int | str | Path) -> int:
    """The id of an article given its id, its path, or its path relative to its folder.

    Raises ``NotFound`` when nothing (or more than one article) matches.
    """
    if isinstance(id_or_path, bool):
        raise NotFound(f"No article with id {id_or_path!r}.")
    if isinstance(id_or_path, int) or (isinstance(id_or_path, str) and id_or_path.strip().isdigit()):
        article_id = int(id_or_path)
        row = db.execute("SELECT id FROM articles WHERE id = ?", [article_id]).fetchone()
        if row:
            return row[0]
        if isinstance(id_or_path, int):
            raise NotFound(f"No article with id {article_id} in this archive.")
    given = str(id_or_path)
    candidates = [given]
    try:
        candidates.append(str(Path(given).expanduser().resolve()))
    except (OSError, RuntimeError):
        pass
    for candidate in candidates:
        row = db.execute("SELECT id FROM articles WHERE path = ?", [candidate]).fetchone()
        if row:
            return row[0]
    # A backslash is a Windows separator, or part of a name shown with
    # escaped bytes ("caf\\xe9.txt"): the name as given is tried first.
    rows = db.execute("SELECT id FROM articles WHERE relpath = ?", [given]).fetchall()
    if not rows:
        rel = given.replace("\\", "/")
        rows = db.execute("SELECT id FROM articles WHERE relpath = ?", [rel]).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    if len(rows) > 1:
        raise NotFound(
            f"{given} matches {len(rows)} articles in different folders; give the full path or the id."
        )
    if given.strip().isdigit():
        raise NotFound(f"No article with id {given.strip()} in this archive (see `casefile articles`).")
    raise NotFound(f"No article {given!r} in this archive (give an id from `casefile articles` or a path).")


def get_article(db: sqlite_utils.Database, id_or_path: int | str | Path, with_text: bool = True) -> Article:
    """One article by id or path; raises ``NotFound``."""
    article_id = find_article_id(db, id_or_path)
    cols = _LIST_COLUMNS + (", a.text" if with_text else "")
    row = next(db.query(f"SELECT {cols} FROM articles a WHERE a.id = ?", [article_id]))
    return article_from_row(row, with_text=with_text)


def article_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]


def article_ids(db: sqlite_utils.Database) -> set[int]:
    """The ids of every stored article."""
    return {aid for (aid,) in db.execute("SELECT id FROM articles")}


def normalize_partial_date(value: str, what: str = "date") -> str:
    """Check a YYYY, YYYY-MM or YYYY-MM-DD date and return it; ``InvalidInput`` otherwise."""
    # Full-width digits ("２０２２-１２") become ASCII; other digits are refused.
    value = unicodedata.normalize("NFKC", value or "").strip()
    try:
        return PartialDate.from_iso(value).value
    except InvalidInput as err:
        raise InvalidInput(f"The {what} {err}") from None


def date_bounds(value: str) -> tuple[str, str]:
    """The first and last day a partial date can mean: ``2022-11`` -> (2022-11-01, 2022-11-30)."""
    date = PartialDate.from_iso(value)
    return date.first_day().isoformat(), date.last_day().isoformat()


_PUB_LO = (
    "CASE length(a.published) WHEN 4 THEN a.published || '-01-01' "
    "WHEN 7 THEN a.published || '-01' ELSE substr(a.published, 1, 10) END"
)
_PUB_HI = (
    "CASE length(a.published) WHEN 4 THEN a.published || '-12-31' "
    "WHEN 7 THEN a.published || '-31' ELSE substr(a.published, 1, 10) END"
)


def list_articles(
    db: sqlite_utils.Database,
    *,
    outlet: Optional[str] = None,
    lang: Optional[str] = None,
    date_from: Optional[str] = None,
    date_to: Optional[str] = None,
    entity_id: Optional[int] = None,
) -> list[Article]:
    """Articles (without text), oldest first; undated ones last.

    A partial publication date matches a range it overlaps: an article
    published "2022-12" is in the range 2022-12-10..2022-12-20.
    """
    where, params = [], []
    if outlet is not None:
        where.append("a.outlet = ?")
        params.append(outlet)
    if lang is not None:
        where.append("a.lang = ?")
        params.append(lang)
    if date_from:
        lo, _ = date_bounds(normalize_partial_date(date_from, "start date"))
        where.append(f"a.published IS NOT NULL AND {_PUB_HI} >= ?")
        params.append(lo)
    if date_to:
        _, hi = date_bounds(normalize_partial_date(date_to, "end date"))
        where.append(f"a.published IS NOT NULL AND {_PUB_LO} <= ?")
        params.append(hi)
    if entity_id is not None:
        where.append("a.id IN (SELECT article_id FROM facts WHERE entity_id = ?)")
        params.append(int(entity_id))
    sql = f"SELECT {_LIST_COLUMNS} FROM articles a"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.published IS NULL, a.published, a.path"
    return [article_from_row(row) for row in db.query(sql, params)]


def stored_files(db: sqlite_utils.Database, folder: Path) -> dict[str, tuple[int, str]]:
    """``{path: (id, sha256)}`` of every stored article inside ``folder``."""
    prefix = str(folder).rstrip("/\\")
    rows = db.execute(
        "SELECT id, path, sha256 FROM articles WHERE substr(path, 1, ?) = ?",
        [len(prefix), prefix],
    ).fetchall()
    out = {}
    for article_id, path, sha in rows:
        # The prefix test alone would also take /a/bc for folder /a/b.
        if Path(path).is_relative_to(folder):
            out[path] = (article_id, sha)
    return out


def articles_after(db: sqlite_utils.Database, after_id: int, limit: int) -> list[Article]:
    """Up to ``limit`` articles with their text, by id, those with an id above ``after_id``
    (fact counts and notes are left out: this is for rebuilding the search index)."""
    rows = db.query(
        "SELECT id, path, relpath, format, sha256, title, published, outlet, author, url, lang, "
        "provenance, body_end, regions, text FROM articles WHERE id > ? ORDER BY id LIMIT ?",
        [after_id, limit],
    )
    return [article_from_row(r, with_text=True) for r in rows]


def article_path(db: sqlite_utils.Database, article_id: int) -> Optional[str]:
    row = db.execute("SELECT path FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row else None


def text_lengths(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, int]:
    """``{id: length of the stored text}`` of these articles."""
    ids = list(ids)
    lengths: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        lengths.update(db.execute(
            f"SELECT id, length(text) FROM articles WHERE id IN ({', '.join('?' * len(part))})", part).fetchall())
    return lengths


def inferred_date_ids(db: sqlite_utils.Database) -> set[int]:
    """Articles whose publication date was inferred from the case (provenance ``inferred``)."""
    return {aid for (aid,) in db.execute(
        "SELECT id FROM articles WHERE json_extract(provenance, '$.published') = 'inferred'")}


def undated_or_inferred_ids(db: sqlite_utils.Database) -> set[int]:
    """Articles with no publication date of their own: none at all, or one inferred from the case."""
    return {aid for (aid,) in db.execute(
        "SELECT id FROM articles WHERE published IS NULL "
        "OR json_extract(provenance, '$.published') = 'inferred'")}


def dating_rows(db: sqlite_utils.Database, head_chars: int) -> list[tuple[int, str, Optional[str], dict, dict, str]]:
    """``(id, path, published, provenance, notes, the first head_chars of the text)`` of every article."""
    rows = db.execute(
        f"SELECT id, path, published, provenance, notes, substr(text, 1, {int(head_chars)}) FROM articles"
    ).fetchall()
    return [(aid, path, published, json.loads(prov or "{}"), json.loads(notes or "{}"), head or "")
            for aid, path, published, prov, notes, head in rows]


def notes_and_provenance(db: sqlite_utils.Database, article_id: int) -> Optional[tuple[dict, dict]]:
    """The ``notes`` and ``provenance`` maps of one article (None when there is no such article)."""
    row = db.execute("SELECT notes, provenance FROM articles WHERE id = ?", [int(article_id)]).fetchone()
    return None if row is None else (json.loads(row[0] or "{}"), json.loads(row[1] or "{}"))


def notes_and_body_ends(db: sqlite_utils.Database, ids: Iterable[int]) -> list[tuple[int, dict, int]]:
    """``(id, notes, body_end)`` of these articles."""
    ids = list(ids)
    rows = db.execute(
        f"SELECT id, notes, body_end FROM articles WHERE id IN ({', '.join('?' * len(ids))})", ids).fetchall()
    return [(aid, json.loads(raw or "{}"), body_end) for aid, raw, body_end in rows]


def set_notes(db: sqlite_utils.Database, article_id: int, notes: dict) -> None:
    db.conn.execute("UPDATE articles SET notes = ? WHERE id = ?", [json.dumps(notes, default=str), article_id])


def set_inferred_date(db: sqlite_utils.Database, article_id: int, published: Optional[str],
                      provenance: dict, notes: dict) -> None:
    """Write a publication date inferred from the case (or its removal) with its provenance and notes."""
    db.conn.execute(
        "UPDATE articles SET published = ?, provenance = ?, notes = ? WHERE id = ?",
        [published, json.dumps(provenance), json.dumps(notes, default=str), article_id])


def outlets(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL AND outlet != '' "
        "ORDER BY outlet COLLATE NOCASE"
    ).fetchall()
    return [r[0] for r in rows]


def languages(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute(
        "SELECT DISTINCT lang FROM articles WHERE lang IS NOT NULL AND lang != '' ORDER BY lang"
    ).fetchall()
    return [r[0] for r in rows]


# ---------------------------------------------------------------- writing

def write_article(
    db: sqlite_utils.Database,
    parsed: ParsedArticle,
    *,
    path: str,
    relpath: str,
    sha256: str,
    size: int,
    mtime: float | None,
) -> tuple[Article, bool]:
    """Insert or replace the article stored for ``path``; return ``(article, text_changed)``.

    ``article`` is the article as stored now, with its text. User corrections
    for the path are applied over the parsed metadata; what the file itself
    said is kept in ``notes['file_metadata']`` so a correction can be undone
    without reading the file again. The id of an existing article is kept, so
    facts, citations and links stay attached; when its text changed, its
    facts are dropped (their offsets point into the old text) and it waits
    for extraction again.
    """
    corrected = apply_corrections(parsed, corrections_for(db, path))
    notes = dict(parsed.notes)
    notes["file_metadata"] = {
        "values": {f: getattr(parsed, f) for f in METADATA_FIELDS},
        "provenance": dict(parsed.provenance),
    }
    values = {
        "path": path,
        "relpath": relpath,
        "format": parsed.format,
        "sha256": sha256,
        "size": size,
        "mtime": mtime,
        "text": parsed.text,
        "body_end": parsed.body_end,
        "regions": _regions_to_json(parsed.regions),
        **{f: getattr(corrected, f) for f in METADATA_FIELDS},
        "provenance": json.dumps(corrected.provenance),
        "notes": json.dumps(notes, default=str),
        "indexed_at": now_iso(),
    }
    row = db.execute(
        "SELECT id, text, (SELECT count(*) FROM facts f WHERE f.article_id = a.id) FROM articles a WHERE path = ?",
        [path],
    ).fetchone()
    if row is None:
        cols = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        cur = db.conn.execute(f"INSERT INTO articles ({cols}) VALUES ({marks})", list(values.values()))
        article_id, text_changed, fact_count = cur.lastrowid, True, 0
    else:
        article_id, old_text, fact_count = row
        sets = ", ".join(f'"{c}" = ?' for c in values)
        db.conn.execute(f"UPDATE articles SET {sets} WHERE id = ?", [*values.values(), article_id])
        text_changed = old_text != parsed.text
        if text_changed:
            store_facts.drop_article_facts(db, article_id)
            fact_count = 0
    article = Article(
        id=article_id, path=path, relpath=relpath, format=parsed.format, sha256=sha256,
        **{f: getattr(corrected, f) for f in METADATA_FIELDS},
        provenance=dict(corrected.provenance), body_end=parsed.body_end, regions=tuple(parsed.regions),
        fact_count=fact_count, text=parsed.text, facts_note=notes.get("facts_note"),
    )
    return article, text_changed


def move_article(db: sqlite_utils.Database, article_id: int, new_path: str) -> None:
    """Give a stored article the path its file moved to; its corrections follow it."""
    old_path = db.execute("SELECT path FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    db.conn.execute("UPDATE articles SET path = ? WHERE id = ?", [new_path, article_id])
    db.conn.execute("UPDATE corrections SET path = ? WHERE path = ?", [new_path, old_path])


def delete_articles(db: sqlite_utils.Database, ids: Iterable[int]) -> None:
    """Remove articles; their facts go with them, citations keep their own copy."""
    for article_id in ids:
        db.conn.execute("DELETE FROM articles WHERE id = ?", [article_id])


# ---------------------------------------------------------------- corrections

def validate_metadata(fields: dict) -> dict:
    """Check user-given metadata; return it cleaned (blank strings become ``None``)."""
    out = {}
    for name, value in fields.items():
        if name not in METADATA_FIELDS:
            raise InvalidInput(
                f"{name!r} is not a metadata field; use one of: {', '.join(METADATA_FIELDS)}."
            )
        if value is not None:
            value = str(value).strip() or None
        if value is not None:
            if name == "published":
                value = normalize_partial_date(value, "publication date")
            elif name == "lang":
                value = value.lower()
                if not _LANG_RE.match(value):
                    raise InvalidInput(f"The language {value!r} is not a language code like en, ru or pt-br.")
            elif name == "url" and not _URL_RE.match(value):
                raise InvalidInput(f"The URL {value!r} is not a web address like https://example.org/page.")
        out[name] = value
    return out


def corrections_for(db: sqlite_utils.Database, path: str) -> dict[str, Optional[str]]:
    rows = db.execute("SELECT field, value FROM corrections WHERE path = ?", [path]).fetchall()
    return {f: v for f, v in rows}


def paths_with_corrections(db: sqlite_utils.Database) -> list[str]:
    """Paths with any metadata correction (of an article stored or not yet indexed)."""
    return [p for (p,) in db.execute("SELECT DISTINCT path FROM corrections")]


def corrected_paths(db: sqlite_utils.Database, field: str) -> set[str]:
    """Paths of the articles whose ``field`` the user corrected."""
    return {p for (p,) in db.execute("SELECT path FROM corrections WHERE field = ?", [field])}


def save_corrections(db: sqlite_utils.Database, path: str, fields: dict) -> None:
    stamp = now_iso()
    for name, value in fields.items():
        db.conn.execute(
            "INSERT INTO corrections (path, field, value, corrected_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(path, field) DO UPDATE SET value = excluded.value, corrected_at = excluded.corrected_at",
            [path, name, value, stamp],
        )


def drop_corrections(db: sqlite_utils.Database, path: str, fields: Iterable[str]) -> None:
    for name in fields:
        db.conn.execute("DELETE FROM corrections WHERE path = ? AND field = ?", [path, name])


def apply_corrections(parsed: ParsedArticle, corrections: dict) -> ParsedArticle:
    """The parsed article with the user's values (provenance ``user``) in place of the file's."""
    if not corrections:
        return parsed
    provenance = dict(parsed.provenance)
    values = {}
    for name, value in corrections.items():
        if name not in METADATA_FIELDS:
            continue
        values[name] = value
        provenance[name] = "user"
    return dataclasses.replace(parsed, provenance=provenance, **values)


def file_metadata(db: sqlite_utils.Database, article_id: int) -> tuple[dict, dict]:
    """What the file itself said: ``(values, provenance)`` before any correction."""
    row = db.execute("SELECT notes FROM articles WHERE id = ?", [article_id]).fetchone()
    info = json.loads(row[0] or "{}").get("file_metadata", {}) if row else {}
    return dict(info.get("values", {})), dict(info.get("provenance", {}))


def update_metadata(db: sqlite_utils.Database, article_id: int, values: dict, provenance: dict) -> None:
    """Write metadata columns and the full provenance map of one article."""
    sets = ", ".join(f'"{c}" = ?' for c in values)
    params = [*values.values(), json.dumps(provenance), article_id]
    db.conn.execute(f"UPDATE articles SET {sets}, provenance = ? WHERE id = ?", params)


# ---------------------------------------------------------------- problems

def record_problem(db: sqlite_utils.Database, path: str, reason: str) -> None:
    db.conn.execute(
        "INSERT INTO problems (path, reason, seen_at) VALUES (?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, seen_at = excluded.seen_at",
        [path, reason, now_iso()],
    )


def clear_problems(db: sqlite_utils.Database, paths: Iterable[str]) -> None:
    for path in paths:
        db.conn.execute("DELETE FROM problems WHERE path = ?", [path])


def problems_under(db: sqlite_utils.Database, folder: Path) -> list[str]:
    prefix = str(folder).rstrip("/\\")
    rows = db.execute(
        "SELECT path FROM problems WHERE substr(path, 1, ?) = ?", [len(prefix), prefix]
    ).fetchall()
    return [r[0] for r in rows if Path(r[0]).is_relative_to(folder)]


def list_problems(db: sqlite_utils.Database) -> list[Problem]:
    rows = db.execute("SELECT path, reason FROM problems ORDER BY path").fetchall()
    return [Problem(path=p, reason=r) for p, r in rows]
