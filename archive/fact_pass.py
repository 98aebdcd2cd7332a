"""Keeping the fact pass of an indexing run moving, whatever one article holds.

The pass (:func:`archive.indexing.extract_pending_facts`) extracts and
commits articles in groups. Three things here keep one article from holding
up the rest:

* groups are cut by size as well as by count, so a huge article is extracted
  and committed on its own and a Ctrl-C never throws away the work of a
  whole group waiting behind it;
* an article whose extraction fails is stored without facts and with a note
  saying so, and is not tried again until the extractor changes (it would
  fail the same way on every run), while the rest of its group keeps its
  facts;
* an article longer than :data:`archive.facts.FACT_TEXT_LIMIT` gets the note
  "facts limited to the first N characters".

Notes live in the article's ``notes`` JSON (``facts_note``) and are shown
with the article (:attr:`archive.models.Article.facts_note`).
"""
from __future__ import annotations

import json
import logging
from typing import Iterator, Optional, Sequence

from .errors import Cancelled
from .models import Problem
from .progress import CancelToken

__all__ = ["GROUP_CHARS", "NOTE_KEY", "as_problems", "chunks", "extract_guarded", "limit_note", "save_notes"]

# Characters of article text extracted and committed together at most: about
# two seconds of extraction. One bigger article is a group of its own.
GROUP_CHARS = 400_000
NOTE_KEY = "facts_note"
_log = logging.getLogger(__name__)


def limit_note(limit: int) -> str:
    return f"facts limited to the first {limit:,} characters"


def chunks(db, pending: Sequence[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    """``pending`` ``(article id, key)`` pairs in order, in groups of at most ``size``
    articles and :data:`GROUP_CHARS` characters of text."""
    lengths: dict[int, int] = {}
    ids = [aid for aid, _key in pending]
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        lengths.update(db.execute(
            f"SELECT id, length(text) FROM articles WHERE id IN ({', '.join('?' * len(part))})", part).fetchall())
    group: list[tuple[int, str]] = []
    chars = 0
    for item in pending:
        n = lengths.get(item[0]) or 0
        if group and (len(group) >= size or chars + n > GROUP_CHARS):
            yield group
            group, chars = [], 0
        group.append(item)
        chars += n
    if group:
        yield group


def extract_guarded(facts_mod, inputs: Sequence, *, context_published=(), progress=None,
                    cancel: Optional[CancelToken] = None) -> tuple[list[list], dict, set]:
    """``facts_mod.extract(inputs)``, with a failing article costing only its own facts.

    Returns the facts of each input, ``{input key: note}`` for articles
    that failed or were read only in part, and the keys of those that failed
    (their facts are ``[]``). A ``Cancelled`` (or Ctrl-C) stops as usual.
    """
    notes: dict = {}
    failed: set = set()
    try:
        results = facts_mod.extract(inputs, context_published=context_published, progress=progress, cancel=cancel)
    except Cancelled:
        raise
    except Exception:
        # One article broke the group's extraction: find it by extracting each
        # alone, so the others still get their facts.
        results = []
        for inp in inputs:
            if cancel is not None:
                cancel.check()
            try:
                results.extend(facts_mod.extract([inp], context_published=context_published, cancel=cancel))
            except Cancelled:
                raise
            except Exception as err:
                _log.warning("fact extraction failed for article %s", inp.key, exc_info=True)
                results.append([])
                failed.add(inp.key)
                notes[inp.key] = (f"fact extraction failed ({type(err).__name__}); the article is searchable "
                                  "but has no facts")
    for inp in inputs:
        if inp.key not in notes and facts_mod.facts_limited(inp):
            notes[inp.key] = limit_note(_limit())
    return results, notes, failed


def _limit() -> int:
    # Read where it is defined, so a changed limit (tests, benchmarks) holds everywhere.
    from .facts import pipeline

    return pipeline.FACT_TEXT_LIMIT


def save_notes(db, article_ids: Sequence[int], notes: dict) -> list[tuple[int, str]]:
    """Set (or clear) the facts note of each article; return ``(id, note)`` of those that have one.

    Articles not in ``notes`` (their facts came from the cache) get the
    limit note when their body is longer than the limit. The caller holds
    the transaction.
    """
    if not article_ids:
        return []
    limit = _limit()
    rows = db.execute(
        f"SELECT id, notes, body_end FROM articles WHERE id IN ({', '.join('?' * len(article_ids))})",
        list(article_ids)).fetchall()
    out = []
    for aid, raw, body_end in rows:
        data = json.loads(raw or "{}")
        note = notes.get(aid) or (limit_note(limit) if (body_end or 0) > limit else None)
        if data.get(NOTE_KEY) != note:
            if note:
                data[NOTE_KEY] = note
            else:
                data.pop(NOTE_KEY, None)
            db.conn.execute("UPDATE articles SET notes = ? WHERE id = ?", [json.dumps(data, default=str), aid])
        if note:
            out.append((aid, note))
    return out


def as_problems(db, noted: Sequence[tuple[int, str]]) -> list[Problem]:
    """``(article id, note)`` pairs as ``Problem(path, note)`` for a run's report."""
    out = []
    for aid, note in noted:
        row = db.execute("SELECT path FROM articles WHERE id = ?", [aid]).fetchone()
        if row:
            out.append(Problem(row[0], note))
    return out
