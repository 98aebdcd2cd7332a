"""Shared helpers for the timeline tests: a real archive store with a few
articles inserted by hand (the seeds are read at run time, never copied)."""
from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path

from archive.errors import NotFound
from archive.models import Article
from archive.store.db import open_db
from archive.timeline import Timelines

# Text written for these tests (not from any article): Cyrillic and Latin.
CYRILLIC_TEXT = (
    "Суд в Астане рассмотрел запрос об экстрадиции.\n\n"
    "Адвокат заявил, что решение будет обжаловано в течение десяти дней.\n"
)


def make_store(folder: Path):
    """An archive database in ``folder`` (WAL, foreign keys, migrated)."""
    folder.mkdir(parents=True, exist_ok=True)
    return open_db(folder)


def insert_article(db, path: str, text: str, *, title=None, published=None, outlet=None) -> int:
    now = _dt.datetime.now(_dt.timezone.utc).isoformat()
    cur = db.execute(
        "INSERT INTO articles (path, relpath, format, sha256, size, mtime, text, body_end, title, "
        "published, outlet, indexed_at) VALUES (?, ?, 'txt', ?, ?, 0, ?, ?, ?, ?, ?, ?)",
        [path, Path(path).name, hashlib.sha256(text.encode()).hexdigest(), len(text.encode()), text,
         len(text), title, published, outlet, now],
    )
    return cur.lastrowid


def set_article_text(db, article_id: int, text: str) -> None:
    db.execute("UPDATE articles SET text = ?, body_end = ? WHERE id = ?", [text, len(text), article_id])


def article_getter(db):
    """A ``get_article`` like the facade's: by id or path, with text; NotFound otherwise."""
    def get(ref):
        if isinstance(ref, str) and ref.isdigit():
            ref = int(ref)
        column = "id" if isinstance(ref, int) else "path"
        rows = list(db.query(f"SELECT * FROM articles WHERE {column} = ?", [ref]))
        if not rows:
            raise NotFound(f"No article {ref} in this archive.")
        r = rows[0]
        return Article(
            id=r["id"], path=r["path"], relpath=r["relpath"], format=r["format"], sha256=r["sha256"],
            title=r["title"], published=r["published"], outlet=r["outlet"], author=r["author"],
            url=r["url"], lang=r["lang"], provenance={}, body_end=r["body_end"],
            regions=(), text=r["text"],
        )
    return get


def load_seeds(db, seeds_dir: Path) -> list[int]:
    """Insert the seed reports as articles; returns their ids in file order."""
    ids = []
    for n, file in enumerate(sorted(seeds_dir.glob("*.txt"))):
        text = file.read_text(encoding="utf-8")
        title = text.strip().splitlines()[0].strip()
        ids.append(insert_article(db, str(file), text, title=title,
                                  published=f"2022-12-{14 + n:02d}", outlet=f"Outlet {n + 1}"))
    return ids


def passage(text: str, word: str, length: int = 60) -> tuple[str, int]:
    """A passage of ``text`` around the first ``word`` (a quote chosen at run time)."""
    at = text.index(word)
    start = max(0, at - length // 2)
    # Start and end on word boundaries so the quote reads as a quotation.
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), at + len(word) + length // 2)
    while end < len(text) and not text[end].isspace():
        end += 1
    quote = text[start:end].strip()
    return quote, text.index(quote, start)


def timelines_on(db) -> Timelines:
    return Timelines(db, article_getter(db))
