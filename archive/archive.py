"""The ``Archive`` facade: everything a user can do with one open archive.

An archive is a folder holding the SQLite store (``casefile.db``), the
Whoosh search index (``index/``) and the writer lock (``write.lock``).

    with Archive.open(folder / ".casefile") as arc:
        arc.index_folder(folder)
        for hit in arc.search("extradition").hits:
            print(hit.title, hit.path)

An ``Archive`` belongs to the thread that opened it (its SQLite connection
does); background work opens its own ``Archive`` on the same folder.
"""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import sqlite_utils

from . import paths, recovery, search
from .indexing import fact_pass, inferred_dates, repair, run, stale
from .indexing.documents import index_doc_for_article
from .search.damage import IndexDamaged
from .store.snapshots import SnapshotKeeper, register_commit_hook
from .errors import ArchiveInUse, InvalidInput, NotFound, StoreError
from .lock import WriterLock
from .models import METADATA_FIELDS, Article, Entity, Fact, IndexReport, Problem, SearchResult
from .progress import CancelToken, ProgressFn
from .store import articles as store_articles
from .store import facts as store_facts
from .store.db import data_version, open_db
from .store.meta import set_index_pending, source_folders
from .store.transaction import transaction

__all__ = ["Archive", "open_archive", "open_demo_archive", "INDEX_DIR_NAME", "SORTS"]

INDEX_DIR_NAME = paths.INDEX_DIR_NAME
SORTS = search.SORTS  # the orders the search index can give


class Archive:
    """One open archive: a SQLite store and a Whoosh index, kept in step."""

    def __init__(self, path: Path, db: sqlite_utils.Database, search_index) -> None:
        self.path = path
        self.db = db
        self.search_index = search_index
        self._lock = WriterLock(path)
        self._lock_depth = 0
        self._timelines = None
        self._closed = False
        # Why the search index lags the store, as seen at open; see index_stale.
        self._stale_reason: Optional[str] = None
        self.index_problem: Optional[str] = None   # why the index could not be rebuilt (a full disk)
        self._snapshots = SnapshotKeeper(db, path)
        register_commit_hook(db.conn, self._snapshots.committed)

    # ------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, archive_dir: Path | str) -> "Archive":
        """Open the archive in ``archive_dir``, creating it if needed.

        The database is migrated. A missing, damaged or half-written search
        index is not rebuilt here (that takes minutes on a big archive):
        ``index_stale`` and ``index_stale_reason`` report it and the caller
        runs :meth:`reindex` when it suits it (the CLI at once, the app in the
        background). Another process indexing right now leaves the index
        consistent itself, so the index is not reported stale then.
        """
        from .search import SearchIndex

        path = Path(archive_dir).expanduser()
        if path.exists() and not path.is_dir():
            raise InvalidInput(f"{path} is a file, not an archive folder.")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the archive folder {path}: {exc.strerror or exc}.") from exc
        path = path.resolve()
        db = open_db(path)
        index_dir = path / INDEX_DIR_NAME
        lock = WriterLock(path)
        try:
            lock.acquire()
        except ArchiveInUse:
            lock = None
        try:
            missing = not index_dir.is_dir()
            try:
                search_index = SearchIndex.open(index_dir)
                damaged = False
            except Exception as exc:
                # The index only mirrors the store, so any failure to read it
                # (StoreError, or whatever Whoosh raises on damaged files) is
                # repaired by rebuilding rather than shown to the user.
                if lock is None:
                    if isinstance(exc, StoreError):
                        raise
                    raise StoreError(
                        f"The search index in {index_dir} cannot be read ({exc}); it will be rebuilt "
                        f"when the indexing running in another Casefile process finishes."
                    ) from exc
                damaged = True
            if damaged:
                shutil.rmtree(index_dir, ignore_errors=True)
                search_index = repair.open_fresh(index_dir)
            arc = cls(path, db, search_index)
            if lock is not None:
                arc._stale_reason = stale.reason(arc, missing=missing, damaged=damaged)
        except BaseException:
            db.close()
            raise
        finally:
            if lock is not None:
                lock.release()
        return arc

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._snapshots.snapshot()
        register_commit_hook(self.db.conn, None)
        closer = getattr(self.search_index, "close", None)
        if callable(closer):
            closer()
        self.db.close()
        self._lock.release()

    def data_version(self) -> int:
        """A number that changes when another connection (a second window, the CLI, an
        indexing run) has committed to this archive; this connection's own writes leave it.

        A cheap check (SQLite's ``PRAGMA data_version``): compare it with the last value
        seen to know whether lists and timelines must be read again.
        """
        return data_version(self.db)

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Archive {self.path}>"

    @contextlib.contextmanager
    def writing(self) -> Iterator["Archive"]:
        """Hold the archive's writer lock (re-entrant within this object).

        Raises ``ArchiveInUse`` when another process (or another ``Archive``
        object on the same folder) is writing.
        """
        if self._lock_depth == 0:
            self._lock.acquire()
        self._lock_depth += 1
        try:
            yield self
        finally:
            self._lock_depth -= 1
            if self._lock_depth == 0:
                self._lock.release()

    # ------------------------------------------------------------ indexing

    def index_folder(
        self,
        folder: Path | str,
        facts: bool = True,
        progress: Optional[ProgressFn] = None,
        cancel: Optional[CancelToken] = None,
    ) -> IndexReport:
        """Add, update and remove articles so the archive matches ``folder``."""
        return run.index_folder(self, folder, facts=facts, progress=progress, cancel=cancel)

    def reindex(self, progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None) -> int:
        """Rebuild the search index from the store; return the number of articles indexed."""
        with self.writing():
            return run.rebuild_index(self, progress=progress, cancel=cancel)

    @property
    def index_stale(self) -> bool:
        """Whether the search index was found out of step with the store at open
        (a crash mid-write, a deleted or damaged index) and is still.

        Searches then find only what the index holds; :meth:`reindex` repairs it
        (``index_folder`` does first, by itself).
        """
        if self._stale_reason is not None and stale.index_consistent(self):
            self._stale_reason = None  # rebuilt since, by this or another Archive
        return self._stale_reason is not None

    @property
    def index_stale_reason(self) -> Optional[str]:
        """Why the search index is stale, as a sentence; None when it is not."""
        return self._stale_reason if self.index_stale else None

    def extract_pending_facts(
        self,
        progress: Optional[ProgressFn] = None,
        cancel: Optional[CancelToken] = None,
        article_ids: Optional[Iterable[int]] = None,
    ) -> int:
        """Extract facts for articles that lack current ones (all, or those of ``article_ids``).

        Returns how many articles went through the extractor (cached results
        do not count).
        """
        with self.writing():
            return fact_pass.extract_pending_facts(self, progress=progress, cancel=cancel, article_ids=article_ids)

    def source_folders(self) -> list[Path]:
        """The folders this archive indexes, in the order they were first indexed."""
        return source_folders(self.db)

    # ------------------------------------------------------------ articles

    def articles(
        self,
        outlet: Optional[str] = None,
        lang: Optional[str] = None,
        date_from: Optional[str] = None,
        date_to: Optional[str] = None,
        entity_id: Optional[int] = None,
    ) -> list[Article]:
        """Stored articles (without text), by publication date, filtered as asked."""
        return store_articles.list_articles(
            self.db, outlet=outlet, lang=lang, date_from=date_from, date_to=date_to, entity_id=entity_id
        )

    def article(self, id_or_path: int | str | Path, with_text: bool = True) -> Article:
        """One article by id, path, or path relative to its folder; ``NotFound`` otherwise."""
        return store_articles.get_article(self.db, id_or_path, with_text=with_text)

    def correct_metadata(self, id_or_path: int | str | Path, **fields) -> Article:
        """Set metadata by hand (provenance ``user``); the values survive re-indexing.

        ``published`` takes YYYY, YYYY-MM or YYYY-MM-DD; an empty value
        means "none" (for a wrongly detected author, say). Use
        :meth:`revert_metadata` to go back to what the file says.
        """
        if not fields:
            raise InvalidInput("Nothing to correct: give at least one field (title, published, outlet, author, url, lang).")
        values = store_articles.validate_metadata(fields)
        with self.writing():
            article = self.article(id_or_path, with_text=False)
            provenance = dict(article.provenance)
            provenance.update({name: "user" for name in values})
            with transaction(self.db):
                set_index_pending(self.db, True)
                store_articles.save_corrections(self.db, article.path, values)
                store_articles.update_metadata(self.db, article.id, values, provenance)
            self._reindex_article(article.id)
            self._after_metadata_change(article.id, values)
        return self.article(article.id)

    def revert_metadata(self, id_or_path: int | str | Path, *fields: str) -> Article:
        """Drop the user's corrections of ``fields`` (all when none given): back to the file's values."""
        unknown = [f for f in fields if f not in METADATA_FIELDS]
        if unknown:
            raise InvalidInput(
                f"{unknown[0]!r} is not a metadata field; use one of: {', '.join(METADATA_FIELDS)}."
            )
        with self.writing():
            article = self.article(id_or_path, with_text=False)
            names = list(fields) or list(store_articles.corrections_for(self.db, article.path))
            if not names:
                return self.article(article.id)
            file_values, file_provenance = store_articles.file_metadata(self.db, article.id)
            provenance = dict(article.provenance)
            values = {}
            for name in names:
                values[name] = file_values.get(name)
                if file_provenance.get(name):
                    provenance[name] = file_provenance[name]
                else:
                    provenance.pop(name, None)
            with transaction(self.db):
                set_index_pending(self.db, True)
                store_articles.drop_corrections(self.db, article.path, names)
                store_articles.update_metadata(self.db, article.id, values, provenance)
            self._reindex_article(article.id)
            self._after_metadata_change(article.id, values)
        return self.article(article.id)

    def _after_metadata_change(self, article_id: int, values: dict) -> None:
        """What a corrected or reverted date or language moves: inferred dates, facts."""
        if not {"published", "lang"} & set(values):
            return
        ids = {article_id}
        if "published" in values:
            inferred_dates.refresh(self)
            # Articles without a date of their own are dated from the case's
            # dates, which this one just moved (the extractor re-dates only
            # those whose dating really changed).
            ids |= store_articles.undated_or_inferred_ids(self.db)
        # Relative dates ("on Wednesday") are dated from the publication date
        # and the language; only articles extracted before are re-dated (the
        # others wait for their first extraction).
        ids = sorted(ids & store_facts.extracted_article_ids(self.db))
        if ids:
            fact_pass.extract_pending_facts(self, article_ids=ids)

    def _reindex_article(self, article_id: int) -> None:
        article = self.article(article_id)
        self.search_index.update(docs=[index_doc_for_article(article)], delete_ids=[])
        if not self.index_stale:  # a stale index stays flagged until it is rebuilt
            set_index_pending(self.db, False)
        # Citations carry the article's outlet, date and title.
        from .timeline.reanchoring import reanchor_cited

        reanchor_cited(self.db, self.article, [(article.id, article.path)])

    def problems(self) -> list[Problem]:
        """Files the last indexing runs could not read, with the reason."""
        return store_articles.list_problems(self.db)

    def outlets(self) -> list[str]:
        return store_articles.outlets(self.db)

    def languages(self) -> list[str]:
        return store_articles.languages(self.db)

    # ------------------------------------------------------------ search

    def search(self, query: str, limit: int = 20, sort: str = "relevance") -> SearchResult:
        """Ranked hits for ``query`` (Whoosh syntax); ``BadQuery`` when it cannot be parsed."""
        if sort not in SORTS:
            raise InvalidInput(f"Cannot sort by {sort!r}: use relevance or date.")
        if int(limit) < 1:
            raise InvalidInput(f"The number of results must be at least 1, not {limit}.")
        if self.index_problem:
            raise StoreError(f"{self.index_problem} Searching needs it; reading and exporting work as usual.")
        try:
            return self.search_index.search(query, limit=int(limit), sort=sort)
        except IndexDamaged:
            repair.mark_stale(self)
            raise

    # ------------------------------------------------------------ safety copies and checks

    def backup(self, target: Path | str) -> Path:
        """Write the user's own data (timelines, events, citations, corrections, ...) to ``target``."""
        return recovery.backup(self, target)

    def restore(self, source: Path | str) -> "recovery.RestoreReport":
        """Put the user data of a backup or snapshot back into this archive (citations re-anchored)."""
        return recovery.restore(self, source)

    def check(self, progress: Optional[ProgressFn] = None) -> "recovery.CheckReport":
        """Check the database file and the search index against each other."""
        return recovery.check(self, progress=progress)

    def snapshot(self) -> Optional[Path]:
        """Write a snapshot of the user data now (if it changed); return its path."""
        return self._snapshots.snapshot()

    # ------------------------------------------------------------ facts and entities

    def facts(self, article_id: int | str | Path, kind: Optional[str] = None) -> list[Fact]:
        """The facts found in one article, in text order."""
        return store_facts.facts_for(self.db, store_articles.find_article_id(self.db, article_id), kind)

    def entities(self, kind: Optional[str] = None) -> list[Entity]:
        """People, organisations and places across the archive, most mentioned first."""
        return store_facts.list_entities(self.db, kind)

    def entity(self, entity_id: int) -> Entity:
        return store_facts.get_entity(self.db, entity_id)

    def articles_mentioning(self, entity_id: int) -> list[Article]:
        self.entity(entity_id)  # NotFound for an unknown id
        return self.articles(entity_id=entity_id)

    @property
    def entity_review(self):
        """Review the entities: merge, split, rename, change kind, ignore, undo
        (:class:`archive.case.entity_review.EntityReview`)."""
        if getattr(self, "_entity_review", None) is None:
            from .case.entity_review import EntityReview

            self._entity_review = EntityReview(self.db)
        return self._entity_review

    def date_range(self) -> tuple[Optional[str], Optional[str]]:
        """The earliest and latest date the articles' date facts name."""
        return store_facts.date_range(self.db)

    # ------------------------------------------------------------ timelines

    @property
    def timelines(self):
        """The archive's timelines (:class:`archive.timeline.Timelines`)."""
        if self._timelines is None:
            from .timeline import Timelines

            self._timelines = Timelines(self.db, self.article)
        return self._timelines

    # ------------------------------------------------------------ case analysis

    @property
    def case(self):
        """Case events and contradictions across the sources (:class:`archive.case.analysis.CaseAnalysis`)."""
        if getattr(self, "_case", None) is None:
            from .case.analysis import CaseAnalysis

            self._case = CaseAnalysis(self.db, lambda: self.timelines)
        return self._case


def open_archive(
    folder: Path | str | None = None,
    archive: Path | str | None = None,
    *,
    notify: Optional[Callable[[str], None]] = None,
    remember: bool = True,
) -> Archive:
    """Open the archive a user means.

    ``archive`` names the archive folder; else ``folder`` names an indexed
    folder (its archive is ``folder/.casefile``); else the archive used last;
    else the bundled demo archive, built on first use (``notify`` gets a
    message when that takes a moment).
    """
    if archive is not None:
        target = Path(archive)
    elif folder is not None:
        target = paths.default_archive_for(folder)
    else:
        last = paths.last_archive()
        if last is None:
            return open_demo_archive(notify=notify)
        target = last
    arc = Archive.open(target)
    if remember:
        try:
            paths.remember_archive(arc.path)
        except OSError:
            pass  # a full or read-only disk: the archive is open all the same
    return arc


def open_demo_archive(
    notify: Optional[Callable[[str], None]] = None,
    progress: Optional[ProgressFn] = None,
) -> Archive:
    """The demo archive over the bundled articles, indexed into user data on first use."""
    source = paths.demo_source_dir()
    arc = Archive.open(paths.demo_archive_dir())
    try:
        if not arc.source_folders():
            if not source.is_dir() or not any(p for p in source.iterdir() if not p.name.startswith(".")):
                raise NotFound(
                    "There is no archive yet: index a folder of articles first (casefile index FOLDER)."
                )
            if notify is not None:
                notify(f"Building the demo archive from {source} (first use only)...")
            arc.index_folder(source, progress=progress)
    except BaseException:
        arc.close()
        raise
    return arc
