"""The incremental indexing pipeline: scan, hash, read, store, index, extract facts.

One run over a folder (``Archive.index_folder``):

1. walk the folder (not hidden folders, not the archive's own folder) and
   sort files into supported and skipped;
2. hash each file (sha256) and compare with the store: new, changed,
   unchanged; stored articles whose file is gone are removed, unless the same
   content turned up under another path (a move keeps the article's id, so
   facts and timeline citations stay attached);
3. read new and changed files; a file that cannot be read becomes a
   ``Problem`` and the run goes on;
4. store in batches (``BATCH_FILES`` files or ``BATCH_SECONDS``, whichever
   comes first) and index them: the first batch is committed to the search
   index at once, so the first results are searchable within seconds, later
   ones in growing index commits (as many documents as the run has indexed
   so far, at most ``INDEX_COMMIT_SECONDS`` apart). Each index commit writes
   one segment, and fewer, bigger segments keep both indexing and search
   fast. A cancel commits what the store holds to the index and keeps whole
   store batches only. ``meta.index_pending`` is set inside the store
   transaction and cleared after the index commit that covers it: if the
   process dies in between, the next ``Archive.open`` sees it and rebuilds
   the index;
5. extract facts for articles whose extraction inputs changed (cached by
   hash), then merge entity names archive-wide.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Optional, Sequence

from .errors import Cancelled, InvalidInput, ReadError
from .ingest import safe_read
from .models import IndexReport, ParsedArticle, Problem, Region
from .progress import CancelToken, ProgressFn, report
from .store import articles as store_articles
from .store import facts as store_facts
from .store import judgements as store_judgements
from .case import entity_review
from .store.db import get_meta, set_meta, transaction

# ``arc`` in this module is the open ``archive.archive.Archive``. Its class is not
# imported, not even for type checkers: that module imports this one, and
# tests/test_import_graph.py keeps archive/ free of import cycles.

__all__ = [
    "BATCH_FILES", "BATCH_SECONDS", "INDEX_COMMIT_SECONDS", "INDEX_COMMIT_GROWTH", "BACKGROUND_MIN_DOCS", "FACT_CHUNK",
    "scan_folder", "file_sha256", "split_body", "facts_key",
    "index_folder", "rebuild_index", "extract_pending_facts", "index_consistent", "reanchor",
    "index_doc_for_article", "source_folders",
]

BATCH_FILES = 200
BATCH_SECONDS = 2.0
# Longest wait between two search index commits of a run. Between them each
# commit waits until three times as many documents are pending as are
# committed (in Whoosh a commit costs about the same per document at any
# size, but every segment slows searches down a little, and a big run writes
# one per writer process and commit): 200, 600, 2,400, 9,600 documents...
INDEX_COMMIT_SECONDS = 30.0
INDEX_COMMIT_GROWTH = 3
# Runs with at least this many new documents write the search index in a
# process of their own (see ``archive.search.writer_process``).
BACKGROUND_MIN_DOCS = 400
# Articles handed to the fact extractor at a time: small enough to cancel
# promptly, big enough for the NLP pipeline to batch.
FACT_CHUNK = 16
_HASH_BLOCK = 1 << 20

PENDING_KEY = "index_pending"
FOLDERS_KEY = "source_folders"


# ---------------------------------------------------------------- helpers

def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_HASH_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def facts_key(sha256: str, published: Optional[str], lang: Optional[str]) -> str:
    """The hash facts are cached under: the content plus what dating depends on.

    Relative dates ("on Wednesday") resolve against the publication date, so
    correcting it must re-extract; unchanged text and dating never does.
    """
    return hashlib.sha256(f"{sha256}\x1f{published or ''}\x1f{lang or ''}".encode()).hexdigest()


def scan_folder(folder: Path, skip: Iterable[Path] = (),
                unreadable: Optional[list] = None) -> tuple[list[Path], int]:
    """Files Casefile reads under ``folder`` (sorted), and how many others it skipped.

    Hidden files and folders (``.git``, ``.casefile``, ``.DS_Store``) and the
    folders in ``skip`` are left out without counting as skipped. Folders
    that cannot be listed are appended to ``unreadable`` as ``(path, OSError)``.
    """
    from .ingest import is_supported

    skip_set = {os.path.normcase(str(Path(p).resolve())) for p in skip}
    found: list[Path] = []
    skipped = 0

    def failed(err: OSError) -> None:
        if unreadable is not None:
            unreadable.append((Path(err.filename) if err.filename else folder, err))

    for root, dirs, files in os.walk(folder, onerror=failed):
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".")
            and os.path.normcase(os.path.join(root, d)) not in skip_set
        )
        for name in files:
            if name.startswith("."):
                continue
            path = Path(root) / name
            if is_supported(path):
                found.append(path)
            else:
                skipped += 1
    found.sort()
    return found, skipped


def _covered(text_len: int, body_end: int, regions: Sequence[Region]) -> list[tuple[int, int]]:
    spans = [(max(0, r.start), min(text_len, r.end)) for r in regions if r.end > r.start]
    if body_end < text_len:
        spans.append((max(0, body_end), text_len))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def split_body(text: str, body_end: int, regions: Sequence[Region]) -> tuple[str, str]:
    """``(body, boilerplate)``: the article's own words, and the page furniture around them."""
    body_parts, boiler_parts, pos = [], [], 0
    for start, end in _covered(len(text), body_end, regions):
        body_parts.append(text[pos:start])
        boiler_parts.append(text[start:end])
        pos = end
    body_parts.append(text[pos:])
    return "\n".join(p for p in body_parts if p.strip()), "\n".join(p for p in boiler_parts if p.strip())


def _index_doc(article_id: int, path: str, meta, text: str, body_end: int, regions) -> "object":
    from .search import IndexDoc

    body, boilerplate = split_body(text, body_end, regions)
    return IndexDoc(
        article_id=article_id, path=path, title=meta.title, outlet=meta.outlet,
        author=meta.author, lang=meta.lang, published=meta.published,
        body=body, boilerplate=boilerplate,
    )


def index_doc_for_article(article) -> "object":
    """The search document of a stored article (needs its text)."""
    return _index_doc(article.id, article.path, article, article.text, article.body_end, article.regions)


def _iter_index_docs(db, batch: int = BATCH_FILES) -> Iterator[list]:
    last = 0
    while True:
        rows = list(db.query(
            "SELECT id, path, relpath, format, sha256, title, published, outlet, author, url, lang, "
            "provenance, body_end, regions, text FROM articles WHERE id > ? ORDER BY id LIMIT ?",
            [last, batch],
        ))
        if not rows:
            return
        yield [index_doc_for_article(store_articles.article_from_row(r, with_text=True)) for r in rows]
        last = rows[-1]["id"]


def reanchor(db, get_article, articles: Sequence[tuple[int, str]]) -> None:
    """Let timelines re-find the quotes cited from these (rewritten) articles.

    Only articles that are cited, by id or by path (a citation orphaned when
    its article was removed comes back when the file is indexed again), are
    handed over: most articles of a big run have no citations.
    """
    if not articles:
        return
    ids = {aid for (aid,) in db.execute("SELECT DISTINCT article_id FROM citations WHERE article_id IS NOT NULL")}
    orphan_paths = {p for (p,) in db.execute("SELECT DISTINCT article_path FROM citations WHERE article_id IS NULL")}
    cited = [aid for aid, path in articles if aid in ids or path in orphan_paths]
    if not cited:
        return
    try:
        from .timeline import Timelines
    except ImportError:  # timelines are optional for indexing
        return
    timelines = Timelines(db, get_article)
    for article_id in cited:
        timelines.reanchor_article(article_id)


def source_folders(db) -> list[Path]:
    return [Path(p) for p in json.loads(get_meta(db, FOLDERS_KEY) or "[]")]


def _remember_folder(db, folder: Path) -> None:
    folders = [str(p) for p in source_folders(db)]
    if str(folder) not in folders:
        folders.append(str(folder))
        set_meta(db, FOLDERS_KEY, json.dumps(folders))


def index_consistent(arc) -> bool:
    """Whether the search index holds exactly the stored articles, as far as cheap checks tell."""
    if get_meta(arc.db, PENDING_KEY) == "1":
        return False
    return arc.search_index.doc_count() == store_articles.article_count(arc.db)


# ---------------------------------------------------------------- a run

class _Meta(NamedTuple):
    """The stored metadata the search index needs of one article."""
    title: Optional[str]
    outlet: Optional[str]
    author: Optional[str]
    lang: Optional[str]
    published: Optional[str]


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
        from .ingest import read_article

        db = self.db
        with transaction(db):
            _remember_folder(db, self.folder)
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
        self.feed = _IndexFeed(self.arc.search_index, background=_worth_a_process(new_files))
        report(self.progress, 0, total, "Scanning")
        try:
            self._read_all(files, stored, missing, missing_paths, missing_by_sha, read_article)
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
            set_meta(self.db, PENDING_KEY, "0")

    def _flush(self, batch: _Batch) -> None:
        if not len(batch):
            return
        db = self.db
        written: list[tuple[int, _Pending, bool]] = []
        with transaction(db):
            if batch.items:
                set_meta(db, PENDING_KEY, "1")
            for item in batch.items:
                if item.moved_from is not None:
                    old_path = db.execute("SELECT path FROM articles WHERE id = ?", [item.moved_from]).fetchone()[0]
                    db.conn.execute("UPDATE articles SET path = ? WHERE id = ?", [item.path, item.moved_from])
                    db.conn.execute("UPDATE corrections SET path = ? WHERE path = ?", [item.path, old_path])
                article_id, text_changed = store_articles.write_article(
                    db, item.parsed, path=item.path, relpath=item.relpath,
                    sha256=item.sha256, size=item.size, mtime=item.mtime,
                )
                if text_changed and not item.is_new:
                    # Offsets of the old facts point into the old text.
                    db.conn.execute("DELETE FROM facts WHERE article_id = ?", [article_id])
                    db.conn.execute(
                        "UPDATE articles SET facts_sha256 = NULL, facts_version = NULL WHERE id = ?",
                        [article_id],
                    )
                written.append((article_id, item, text_changed))
            store_articles.clear_problems(db, [i.path for i in batch.items] + batch.ok_paths)
            for problem in batch.problems:
                store_articles.record_problem(db, problem.path, problem.reason)
        if written:
            # The stored metadata (with the user's corrections), in one query.
            ids = [aid for aid, _item, _changed in written]
            meta = {
                row[0]: _Meta(*row[1:]) for row in db.execute(
                    f"SELECT id, title, outlet, author, lang, published FROM articles "
                    f"WHERE id IN ({', '.join('?' * len(ids))})", ids)
            }
            for new in (True, False):
                docs = [_index_doc(aid, item.path, meta[aid],
                                   item.parsed.text, item.parsed.body_end, item.parsed.regions)
                        for aid, item, _changed in written if item.is_new is new]
                self.feed.add(docs, new=new)
            if self.feed.due():
                self._commit_index(final=False)
        for aid, item, _changed in written:
            if item.is_new:
                self.report.added += 1
            else:
                self.report.changed += 1
        self.report.problems.extend(batch.problems)
        self.reported.update(p.path for p in batch.problems)
        reanchor(db, self.arc.article, [(aid, item.path) for aid, item, _changed in written])

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
            set_meta(db, PENDING_KEY, "1")
            # Citations keep their own copy of the passage; they are only
            # flagged, before the foreign key unlinks them.
            db.conn.executemany(
                "UPDATE citations SET status = 'missing' WHERE article_id = ?",
                [(aid,) for aid in missing.values()],
            )
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
    """Bring the archive up to date with ``folder``; see the module docstring."""
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
        _refresh_inferred_dates(arc)
        if facts and not result.cancelled:
            noted: list = []
            try:
                result.facts_extracted = extract_pending_facts(arc, progress=progress, cancel=cancel, notes_out=noted)
            except Cancelled:
                result.cancelled = True
            from .fact_pass import as_problems
            result.notes = as_problems(arc.db, noted)
        if facts and not result.cancelled:
            # Case events and conflicts follow the facts (only touched articles are re-read).
            try:
                arc.case.analyse(progress=progress, cancel=cancel)
            except Cancelled:
                result.cancelled = True
    return result


def _refresh_inferred_dates(arc) -> None:
    from . import inferred_dates

    inferred_dates.refresh(arc)


# ---------------------------------------------------------------- search index

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
    set_meta(db, PENDING_KEY, "1")
    index.clear()
    feed = _IndexFeed(index, background=_worth_a_process(total))
    report(progress, 0, total, "Rebuilding the search index")
    try:
        for chunk in _iter_index_docs(db):
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
    set_meta(db, PENDING_KEY, "0")
    return feed.committed


def _worth_a_process(documents: int) -> bool:
    """Whether indexing this many documents repays a writer process of its own.

    Starting one costs about half a second; it pays back by overlapping the
    index's work with reading and storing, which needs a second core.
    """
    from .search.writer_process import cpu_count

    return documents > 0 and documents >= BACKGROUND_MIN_DOCS and cpu_count() > 1


class _IndexFeed:
    """Documents on their way to the search index, committed in growing batches.

    Documents go straight into an open index session (see
    :class:`archive.search.IndexSession`). The first commit comes as soon as there is anything to
    commit; after that a commit waits until ``INDEX_COMMIT_GROWTH`` times as
    many documents are pending as have been committed so far, or
    ``INDEX_COMMIT_SECONDS`` have passed.
    """

    def __init__(self, index, background: bool = False) -> None:
        self.session = index.session(background=background)
        self.committed = 0
        self.last = time.monotonic()

    @property
    def pending(self) -> int:
        return self.session.pending

    def add(self, docs, *, new: bool) -> None:
        self.session.add(docs, new=new)

    def delete(self, ids) -> None:
        self.session.delete(list(ids))

    def due(self) -> bool:
        if not self.pending:
            return False
        return (self.committed == 0 or self.pending >= max(BATCH_FILES, INDEX_COMMIT_GROWTH * self.committed)
                or time.monotonic() - self.last >= INDEX_COMMIT_SECONDS)

    def commit(self, wait: bool = True) -> bool:
        """Commit what is pending; True if there was anything.

        Without ``wait`` a background session may still be writing when
        this returns; a later commit with ``wait`` waits for it too.
        """
        pending = self.pending
        if not self.session.commit(wait=wait):
            return False
        self.committed += pending
        self.last = time.monotonic()
        return True

    def cancel(self) -> None:
        self.session.cancel()

    def close(self) -> None:
        self.session.close()


# ---------------------------------------------------------------- facts

def extract_pending_facts(
    arc,
    progress: Optional[ProgressFn] = None,
    cancel: Optional[CancelToken] = None,
    article_ids: Optional[Iterable[int]] = None,
    notes_out: Optional[list] = None,
) -> int:
    """Extract facts for articles whose text or dating changed; return how many were extracted.

    ``notes_out`` (a list) receives ``(article id, note)`` for each article whose
    facts were limited or failed (see ``archive.fact_pass``).

    ``article_ids`` limits the work to those articles (after a metadata
    correction, say). Results already in the cache are reused without
    running the extractor. Entities are merged archive-wide afterwards, also
    after a cancel, so the facts stored so far are linked.
    """
    only = None if article_ids is None else {int(i) for i in article_ids}
    db = arc.db
    rows = db.execute(
        "SELECT id, sha256, published, lang, facts_sha256, facts_version, notes FROM articles ORDER BY id"
    ).fetchall()
    # A date inferred from the case is not the article's own: facts are dated
    # as for an undated article (from its dateline and the case), never from it.
    inferred = _inferred_ids(db)
    rows = [(r[0], r[1], None if r[0] in inferred else r[2], *r[3:]) for r in rows]
    if not rows:
        _drop_orphan_entities(db)
        return 0
    # The extractor loads NLP models: import it only when there is work.
    from . import facts as facts_mod

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
    from . import fact_pass

    try:
        for chunk in fact_pass.chunks(db, pending, FACT_CHUNK):
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

                results, fact_notes, failed = fact_pass.extract_guarded(
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
                noted = fact_pass.save_notes(db, [aid for aid, _key, _found in ready], fact_notes)
            if notes_out is not None:
                notes_out.extend(noted)
            done += len(chunk)
            report(progress, done, total, "Extracting facts")
    finally:
        _merge_entities(db, facts_mod)
    return extracted


def _inferred_ids(db) -> set[int]:
    return {aid for (aid,) in db.execute(
        "SELECT id FROM articles WHERE json_extract(provenance, '$.published') = 'inferred'")}


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
        db.conn.execute(
            "DELETE FROM entities WHERE id NOT IN "
            "(SELECT entity_id FROM facts WHERE entity_id IS NOT NULL)"
        )
