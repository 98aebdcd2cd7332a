"""An indexing run: bringing the store and the search index up to date with one folder.

See :mod:`archive.indexing` for the steps. The same module rebuilds the
search index from the store (:func:`rebuild_index`): a run over a stale
index does that first, and both pace their index commits alike.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .. import ingest
from ..errors import Cancelled, InvalidInput, ReadError
from ..ingest import safe_read
from ..models import Article, IndexReport, ParsedArticle, Problem
from ..progress import CancelToken, ProgressFn, report
from ..store import articles as store_articles
from ..store import meta
from ..store.transaction import transaction
from . import documents, fact_pass, inferred_dates
from .feed import IndexFeed, worth_a_process
from .scan import scan_folder

# ``arc`` in this module is the open ``archive.archive.Archive`` (see archive/indexing/__init__.py).

__all__ = ["BATCH_FILES", "BATCH_SECONDS", "index_folder", "rebuild_index"]

# A run stores (and hands to the index) this many files at a time, or what it
# read in BATCH_SECONDS, whichever comes first; an index commit after the
# first holds at least one batch.
BATCH_FILES = 200
BATCH_SECONDS = 2.0
# Stored articles read per query when the index is rebuilt.
_REBUILD_CHUNK = 200


@dataclass
class _Pending:
    path: str
    relpath: str
    sha256: str
    size: int
    mtime: float
    parsed: ParsedArticle
    is_new: bool
    moved_from: Optional[int] = None   # id of an article whose file moved here


@dataclass
class _Batch:
    items: list[_Pending] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ok_paths: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def __len__(self) -> int:
        return len(self.items) + len(self.problems) + len(self.ok_paths)

    def due(self) -> bool:
        return len(self.items) >= BATCH_FILES or (
            len(self) > 0 and time.monotonic() - self.started >= BATCH_SECONDS
        )


class _Run:
    """One indexing run over one folder; holds counts and the current batch."""

    def __init__(self, arc, folder: Path, progress: Optional[ProgressFn], cancel: CancelToken):
        self.arc = arc
        self.db = arc.db
        self.folder = folder
        self.progress = progress
        self.cancel = cancel
        self.report = IndexReport()
        self.feed = None
        self.scan_problems: list[Problem] = []
        self.unlisted: list[str] = []
        self.reported: set[str] = set()   # paths with a problem this run

    def run(self) -> IndexReport:
        db = self.db
        with transaction(db):
            meta.remember_source_folder(db, self.folder)
        unreadable: list = []
        files, self.report.skipped = scan_folder(self.folder, skip=[self.arc.path], unreadable=unreadable)
        self.scan_problems, self.unlisted = safe_read.folder_problems(unreadable)
        stored = store_articles.stored_files(db, self.folder)
        on_disk = {safe_read.display_path(p) for p in files}
        # Articles in a folder that could not be listed this time are kept.
        missing = {path: aid for path, (aid, _sha) in stored.items()
                   if path not in on_disk and not safe_read.under_any(path, self.unlisted)}
        missing_paths = {aid: path for path, aid in missing.items()}
        missing_by_sha: dict[str, list[int]] = {}
        for path, (aid, sha) in stored.items():
            if path in missing:
                missing_by_sha.setdefault(sha, []).append(aid)

        total = len(files)
        new_files = sum(1 for p in on_disk if p not in stored)
        self.feed = IndexFeed(self.arc.search_index, min_docs=BATCH_FILES, background=worth_a_process(new_files))
        report(self.progress, 0, total, "Scanning")
        try:
            self._read_all(files, stored, missing, missing_paths, missing_by_sha, ingest.read_article)
        except Cancelled:
            # The batch being read is dropped whole: store and index keep
            # only batches committed in both.
            self.report.cancelled = True
        except BaseException:
            # After Ctrl-C or a failure the pending flag stays set and the
            # next open rebuilds the index; the uncommitted part is dropped.
            self.feed.cancel()
            raise
        try:
            self._commit_index(final=True)
        except BaseException:
            # A failure, or a second Ctrl-C while the index catches up: stop
            # now; the pending flag stays set and the next open rebuilds.
            self.feed.cancel()
            raise
        self.feed.close()
        return self.report

    def _read_all(self, files, stored, missing, missing_paths, missing_by_sha, read_article) -> None:
        """Read, store and hand to the index every new or changed file, batch by batch."""
        total = len(files)
        batch = _Batch(problems=list(self.scan_problems))
        seen: set[str] = set()
        for done, path in enumerate(files, 1):
            self.cancel.check()
            key = safe_read.display_path(path)
            if key in seen:
                # Only names with undecodable bytes are changed for display.
                batch.problems.append(Problem(key + " (2)", (
                    "two files have this name once undecodable bytes are written as \\xNN; rename one")))
                continue
            seen.add(key)
            rel = safe_read.display_path(path.relative_to(self.folder).as_posix())
            report(self.progress, done - 1, total, f"Reading {rel}")
            try:
                # Regular files only, within the size limit, hashed in chunks.
                st, sha = safe_read.stat_and_hash(path, cancel=self.cancel)
            except ReadError as exc:
                batch.problems.append(Problem(key, exc.reason))
                continue
            old = stored.get(key)
            if old is not None and old[1] == sha:
                self.report.unchanged += 1
                batch.ok_paths.append(key)
            else:
                try:
                    parsed = safe_read.storable(read_article(path), path)
                except ReadError as exc:
                    batch.problems.append(Problem(key, exc.reason))
                else:
                    moved_from = None
                    if old is None and missing_by_sha.get(sha):
                        # Same content, new place: the file was moved or renamed.
                        moved_from = missing_by_sha[sha].pop()
                        del missing[missing_paths[moved_from]]
                    batch.items.append(_Pending(
                        path=key, relpath=rel, sha256=sha, size=st.st_size, mtime=st.st_mtime,
                        parsed=parsed, is_new=old is None and moved_from is None, moved_from=moved_from,
                    ))
            if batch.due():
                self._flush(batch)
                batch = _Batch()
        self.cancel.check()
        self._flush(batch)
        self._remove(missing)
        report(self.progress, total, total, "Stored")

    def _commit_index(self, final: bool = False) -> None:
        """Commit to the search index what the store holds.

        A commit in the middle of a run does not wait for the index (a
        background session writes the segment while the run reads on), so
        only the final one, which does, clears ``index_pending``.
        """
        self.feed.commit(wait=final)
        if final and self.feed.committed:
            meta.set_index_pending(self.db, False)

    def _flush(self, batch: _Batch) -> None:
        if not len(batch):
            return
        db = self.db
        written: list[tuple[Article, _Pending]] = []
        with transaction(db):
            if batch.items:
                meta.set_index_pending(db, True)
            for item in batch.items:
                if item.moved_from is not None:
                    store_articles.move_article(db, item.moved_from, item.path)
                # The stored article, with the user's corrections (facts of a changed text are dropped).
                article, _text_changed = store_articles.write_article(
                    db, item.parsed, path=item.path, relpath=item.relpath,
                    sha256=item.sha256, size=item.size, mtime=item.mtime,
                )
                written.append((article, item))
            store_articles.clear_problems(db, [i.path for i in batch.items] + batch.ok_paths)
            for problem in batch.problems:
                store_articles.record_problem(db, problem.path, problem.reason)
        if written:
            for new in (True, False):
                docs = [documents.index_doc_for_article(article) for article, item in written if item.is_new is new]
                self.feed.add(docs, new=new)
            if self.feed.due():
                self._commit_index(final=False)
        for _article, item in written:
            if item.is_new:
                self.report.added += 1
            else:
                self.report.changed += 1
        self.report.problems.extend(batch.problems)
        self.reported.update(p.path for p in batch.problems)
        if written:
            # Loaded only when a run wrote articles: the timeline package is not needed at start-up.
            from ..timeline.reanchoring import reanchor_cited

            reanchor_cited(db, self.arc.article, [(article.id, item.path) for article, item in written])

    def _remove(self, missing: dict[str, int]) -> None:
        db = self.db
        with transaction(db):
            # Problems of files that are gone are no longer problems (a broken
            # link, a folder that cannot be listed, is still there: reported again).
            gone = [p for p in store_articles.problems_under(db, self.folder)
                    if p not in self.reported and not safe_read.under_any(p, self.unlisted)]
            store_articles.clear_problems(db, gone)
            if not missing:
                return
            meta.set_index_pending(db, True)
            # Citations keep their own copy of the passage; they are only
            # flagged, before the foreign key unlinks them.
            from ..timeline.reanchoring import flag_missing

            flag_missing(db, missing.values())
            store_articles.delete_articles(db, missing.values())
        self.feed.delete(missing.values())
        self.report.removed += len(missing)


def index_folder(
    arc,
    folder: Path | str,
    *,
    facts: bool = True,
    progress: Optional[ProgressFn] = None,
    cancel: Optional[CancelToken] = None,
) -> IndexReport:
    """Bring the archive up to date with ``folder``; see :mod:`archive.indexing`."""
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise InvalidInput(f"The folder {folder} does not exist.")
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is a file, not a folder: give the folder that holds your articles.")
    folder = folder.resolve()
    cancel = cancel or CancelToken()
    with arc.writing():
        if getattr(arc, "index_stale", False):
            # A run on a stale index would clear its flag and hide what it lacks.
            try:
                rebuild_index(arc, progress=progress, cancel=cancel)
            except Cancelled:
                return IndexReport(cancelled=True)
        result = _Run(arc, folder, progress, cancel).run()
        inferred_dates.refresh(arc)
        if facts and not result.cancelled:
            noted: list = []
            try:
                result.facts_extracted = fact_pass.extract_pending_facts(
                    arc, progress=progress, cancel=cancel, notes_out=noted)
            except Cancelled:
                result.cancelled = True
            result.notes = fact_pass.as_problems(arc.db, noted)
        if facts and not result.cancelled:
            # Case events and conflicts follow the facts (only touched articles are re-read).
            try:
                arc.case.analyse(progress=progress, cancel=cancel)
            except Cancelled:
                result.cancelled = True
    return result


def rebuild_index(
    arc,
    progress: Optional[ProgressFn] = None,
    cancel: Optional[CancelToken] = None,
) -> int:
    """Rebuild the search index from the store; return the number of documents.

    Documents are committed in growing batches, so searches find the first
    articles within seconds. Until it finishes, ``index_pending`` stays set,
    so an interrupted rebuild is redone when the archive is next opened.
    """
    db = arc.db
    index = arc.search_index
    total = store_articles.article_count(db)
    meta.set_index_pending(db, True)
    index.clear()
    feed = IndexFeed(index, min_docs=BATCH_FILES, background=worth_a_process(total))
    report(progress, 0, total, "Rebuilding the search index")
    try:
        for chunk in documents.iter_index_docs(db, _REBUILD_CHUNK):
            if cancel is not None:
                cancel.check()
            feed.add(chunk, new=True)
            if feed.due():
                feed.commit(wait=False)
            report(progress, feed.committed + feed.pending, total, "Rebuilding the search index")
        feed.commit(wait=True)
    except BaseException:
        feed.cancel()
        raise
    feed.close()
    meta.set_index_pending(db, False)
    return feed.committed
