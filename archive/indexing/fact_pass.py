"""The fact pass of an indexing run: extracting the facts of articles whose text or dating changed.

:func:`extract_pending_facts` finds the articles whose extraction inputs
changed (their text, publication date, language, or the case's dates for an
undated one: all hashed into :func:`facts_key`), reuses cached results, runs
the extractor on the rest and merges entity names archive-wide afterwards.
It extracts and commits articles in groups. Three things here keep one
article from holding up the rest:

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

import hashlib
import json
import logging
from typing import Iterable, Iterator, Optional, Sequence

from ..case import entity_review
from ..errors import Cancelled
from ..models import Problem
from ..progress import CancelToken, ProgressFn, report
from ..store import articles as store_articles
from ..store import facts as store_facts
from ..store import judgements as store_judgements
from ..store.transaction import transaction

# ``arc`` in this module is the open ``archive.archive.Archive`` (see archive/indexing/__init__.py).

__all__ = [
    "FACT_CHUNK", "GROUP_CHARS", "NOTE_KEY", "facts_key", "extract_pending_facts",
    "as_problems", "chunks", "extract_guarded", "limit_note", "save_notes",
]

# Articles handed to the fact extractor at a time: small enough to cancel
# promptly, big enough for the NLP pipeline to batch.
FACT_CHUNK = 16
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
    lengths = store_articles.text_lengths(db, [aid for aid, _key in pending])
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
    from ..facts import pipeline

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
    out = []
    for aid, data, body_end in store_articles.notes_and_body_ends(db, article_ids):
        note = notes.get(aid) or (limit_note(limit) if (body_end or 0) > limit else None)
        if data.get(NOTE_KEY) != note:
            if note:
                data[NOTE_KEY] = note
            else:
                data.pop(NOTE_KEY, None)
            store_articles.set_notes(db, aid, data)
        if note:
            out.append((aid, note))
    return out


def as_problems(db, noted: Sequence[tuple[int, str]]) -> list[Problem]:
    """``(article id, note)`` pairs as ``Problem(path, note)`` for a run's report."""
    out = []
    for aid, note in noted:
        path = store_articles.article_path(db, aid)
        if path:
            out.append(Problem(path, note))
    return out


def facts_key(sha256: str, published: Optional[str], lang: Optional[str]) -> str:
    """The hash facts are cached under: the content plus what dating depends on.

    Relative dates ("on Wednesday") resolve against the publication date, so
    correcting it must re-extract; unchanged text and dating never does.
    """
    return hashlib.sha256(f"{sha256}\x1f{published or ''}\x1f{lang or ''}".encode()).hexdigest()


def extract_pending_facts(
    arc,
    progress: Optional[ProgressFn] = None,
    cancel: Optional[CancelToken] = None,
    article_ids: Optional[Iterable[int]] = None,
    notes_out: Optional[list] = None,
) -> int:
    """Extract facts for articles whose text or dating changed; return how many were extracted.

    ``notes_out`` (a list) receives ``(article id, note)`` for each article whose
    facts were limited or failed.

    ``article_ids`` limits the work to those articles (after a metadata
    correction, say). Results already in the cache are reused without
    running the extractor. Entities are merged archive-wide afterwards, also
    after a cancel, so the facts stored so far are linked.
    """
    only = None if article_ids is None else {int(i) for i in article_ids}
    db = arc.db
    rows = store_facts.fact_states(db)
    # A date inferred from the case is not the article's own: facts are dated
    # as for an undated article (from its dateline and the case), never from it.
    inferred = store_articles.inferred_date_ids(db)
    rows = [(r[0], r[1], None if r[0] in inferred else r[2], *r[3:]) for r in rows]
    if not rows:
        _drop_orphan_entities(db)
        return 0
    # The extractor loads NLP models: import it only when there is work.
    from .. import facts as facts_mod

    version = facts_mod.EXTRACTOR_VERSION
    context = tuple(sorted({r[2] for r in rows if r[2]}))
    partials: dict[int, Optional[str]] = {}
    pending = []
    for aid, sha, published, lang, f_sha, f_version, notes in rows:
        partials[aid] = json.loads(notes or "{}").get("published_partial")
        dating = published
        if not published:
            # An undated article takes its year from the rest of the case (the
            # latest publication date), so a change there must re-extract it.
            dating = f"{partials[aid] or ''}@{context[-1] if context else ''}"
        key = facts_key(sha, dating, lang)
        if (f_sha != key or f_version != version) and (only is None or aid in only):
            pending.append((aid, key))
    if not pending:
        _drop_orphan_entities(db)
        return 0

    extracted = 0
    done = 0
    total = len(pending)
    report(progress, 0, total, "Extracting facts")
    try:
        for chunk in chunks(db, pending, FACT_CHUNK):
            if cancel is not None:
                cancel.check()
            ready: list[tuple[int, str, list]] = []
            to_run: list[tuple[int, str]] = []
            for aid, key in chunk:
                cached = store_facts.cached_facts(db, key, version)
                if cached is None:
                    to_run.append((aid, key))
                else:
                    ready.append((aid, key, cached))
            if to_run:
                inputs = []
                for aid, _key in to_run:
                    art = store_articles.get_article(db, aid, with_text=True)
                    inputs.append(facts_mod.FactInput(
                        text=art.text, body_end=art.body_end, regions=art.regions,
                        published=None if aid in inferred else art.published, lang=art.lang, title=art.title, key=aid,
                        published_partial=partials.get(aid),
                    ))
                base = done + len(ready)

                def sub(d: int, _t: int, message: str = "", _base=base) -> None:
                    report(progress, min(total, _base + d), total, "Extracting facts")

                results, fact_notes, failed = extract_guarded(
                    facts_mod, inputs, context_published=context, progress=sub, cancel=cancel)
                for (aid, key), found in zip(to_run, results):
                    ready.append((aid, key, list(found)))
                extracted += len(to_run)
            else:
                fact_notes, failed = {}, set()
            with transaction(db):
                for aid, key, found in ready:
                    if aid not in failed:
                        # A failure is stored (not retried every run) but not cached.
                        store_facts.cache_facts(db, key, version, found)
                    store_facts.store_facts(db, aid, found, key, version)
                noted = save_notes(db, [aid for aid, _key, _found in ready], fact_notes)
            if notes_out is not None:
                notes_out.extend(noted)
            done += len(chunk)
            report(progress, done, total, "Extracting facts")
    finally:
        _merge_entities(db, facts_mod)
    return extracted


def _merge_entities(db, facts_mod) -> None:
    names = store_facts.entity_names(db)
    mapping = facts_mod.merge_entities(names) if names else {}
    with transaction(db):
        before = store_judgements.entity_ids(db)
        store_facts.rebuild_entities(db, mapping, names)
        # The researcher's judgements on entities, replayed over the new grouping.
        entity_review.replay(db, before)


def _drop_orphan_entities(db) -> None:
    """Entities no fact mentions any more (their articles were removed)."""
    with transaction(db):
        store_facts.drop_orphan_entities(db)
