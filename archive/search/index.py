"""SearchIndex: the Whoosh full-text index of one archive's articles.

The index is a derived copy of the store: the facade rebuilds it whenever
:meth:`SearchIndex.open` raises :class:`~archive.errors.StoreError`. Each
article is one document keyed by its store id; updates replace it.

Speed, where Whoosh alone is slow in pure Python:

* writing: text is analysed in one pass per field (``analysis.term_positions``)
  and segments are written by ``engine.codec.FastCodec`` (Whoosh's W3 files
  with array-packed posting blocks); an indexing run streams documents into an
  :class:`IndexSession`, or for big runs into writer processes
  (``writer_process``), and commits in growing batches
  (``writing.merge_smallest`` keeps the number of segments bounded);
  every write, ``update`` too, goes through a session (only ``clear``,
  which empties the index, commits on its own);
* searching: queries of words, phrases and ``*`` / ``field:*`` are scored
  a word's whole posting list at a time with numpy (``engine.fastpath``),
  with exact totals from the same pass, and sorted by relevance or by date (each segment's
  dates read once into an array); other queries go through Whoosh's
  collectors with every match scored and deleted documents masked out
  (``engine.fallback``); the cycle collector is held off during a search;
* snippets find the matched words in the few texts shown (``snippets``).

>>> ix = SearchIndex.in_memory()
>>> ix.update([IndexDoc(1, "a.txt", "Title", None, None, "en", "2022-12", "Body text.", "")])
>>> ix.search("body").total
1
"""
from __future__ import annotations

import gc
import json
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Optional, Sequence

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import LockError
from whoosh.sorting import FieldFacet, MultiFacet, ScoreFacet
from whoosh.writing import CLEAR

from ..errors import ArchiveInUse, BadQuery, StoreError
from ..models import Hit, SearchResult
from . import damage
from .engine.codec import FastCodec
from .engine.fallback import whoosh_search
from .engine.lexicon import LexiconReader
from .engine.segments import has_toc, index_files, refreshed_searcher, segment_ids
from .query import expand_multiterms, make_parser, parse_query
from .schema import SCHEMA_VERSION, make_schema
from .snippets import WIDTH, find_spans, highlight_terms, make_snippet, plain_snippet
from .writer_process import BackgroundSession, writer_processes
from .writing import INDEX_NAME as _INDEX_NAME
from .writing import IndexDoc, delete_ids, doc_fields, merge_smallest

__all__ = ["IndexDoc", "SearchIndex", "IndexSession", "SORTS"]

SORTS = ("relevance", "date")
_MARKER = "casefile-search.json"
_WRITE_TIMEOUT = 5.0
_WRITER_LIMIT_MB = 256


class _PrivateRamStorage(RamStorage):
    """RAM storage whose scratch files never meet another process's.

    Whoosh names a RAM index's scratch folder after the index ("MAIN.tmp" in
    the system temp folder), so two processes holding in-memory indexes at
    once (two test runs, two tools) delete each other's column files.
    """

    def temp_storage(self, name=None):
        return super().temp_storage(name=None)


class SearchIndex:
    """One archive's Whoosh index. Belongs to the thread that opened it."""

    def __init__(self, ix, folder: Optional[Path]) -> None:
        self._ix = ix
        self.folder = folder
        self._parser = make_parser(ix.schema)
        self._searcher = None
        self._arrays: dict = {}   # per-segment arrays of the fast path, see engine.fastpath.top_docs
        self._lexicons: dict = {}  # per-segment word lists (LexiconReader)

    # -- opening -----------------------------------------------------------

    @staticmethod
    def exists_in(folder: Path) -> bool:
        """Whether ``folder`` holds an index (its table of contents), readable or not."""
        return has_toc(folder)

    @classmethod
    def open(cls, folder: Path) -> "SearchIndex":
        """Open the index in ``folder``, creating it there when there is none.

        Raises StoreError when an index is there but cannot be read (damaged
        files, or built by another Casefile version); :meth:`create` then
        starts over.
        """
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"The search index folder {folder} cannot be created: {exc.strerror or exc}.") from None
        marked = damage.is_marked(folder)
        if marked:
            raise StoreError(f"The search index in {folder} is damaged ({marked}) and must be rebuilt.")
        if not has_toc(folder):
            if index_files(folder):
                raise StoreError(
                    f"The search index in {folder} is damaged (its table of contents is missing) and must be rebuilt."
                )
            return cls.create(folder)
        try:
            marker = json.loads((folder / _MARKER).read_text(encoding="utf-8"))
            version = marker.get("schema_version")
        except (OSError, ValueError, AttributeError):
            version = None
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"The search index in {folder} was built by a different Casefile version and must be rebuilt."
            )
        try:
            ix = windex.open_dir(str(folder), indexname=_INDEX_NAME)
            _check_schema(ix.schema)
            # Reading every segment's metadata catches truncated or missing files now,
            # not at the first search.
            with ix.searcher() as s:
                reader = s.reader()
                for leaf, offset in reader.leaf_readers():
                    if leaf.doc_count_all():
                        leaf.stored_fields(0)
                        leaf.column_reader("article_id")[0]
        except StoreError:
            raise
        except Exception as exc:  # Whoosh raises many kinds on damaged files
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise StoreError(
                f"The search index in {folder} cannot be read ({reason}) and must be rebuilt."
            ) from None
        return cls(ix, folder)

    @classmethod
    def create(cls, folder: Path) -> "SearchIndex":
        """A new empty index in ``folder``, replacing any index files already there."""
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for p in index_files(folder):
                p.unlink()
            (folder / _MARKER).unlink(missing_ok=True)
            damage.clear_mark(folder)
            ix = FileStorage(str(folder)).create_index(make_schema(), indexname=_INDEX_NAME)
            (folder / _MARKER).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"The search index in {folder} cannot be created: {exc.strerror or exc}.") from None
        return cls(ix, folder)

    @classmethod
    def in_memory(cls) -> "SearchIndex":
        """An index held in RAM (tests, throwaway use)."""
        return cls(_PrivateRamStorage().create_index(make_schema(), indexname=_INDEX_NAME), None)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -----------------------------------------------------------

    def _writer(self, **kwargs):
        try:
            return self._ix.writer(timeout=_WRITE_TIMEOUT, codec=FastCodec(), **kwargs)
        except LockError:
            raise ArchiveInUse(
                f"The search index in {self.folder} is being written by another Casefile process; try again when it finishes."
            ) from None

    def session(self, *, background: bool = False):
        """An :class:`IndexSession`: the one way documents get into (and out of) the index.

        ``background=True`` spreads the documents over writer processes
        (:class:`~archive.search.writer_process.BackgroundSession`, same
        calls), for runs big enough to repay starting them; an index in RAM
        always writes in this process.

        Cancelling follows one rule everywhere: the caller stops feeding,
        calls ``cancel()`` (what was not committed is dropped, what was
        committed stays searchable) and raises
        :class:`~archive.errors.Cancelled`.
        """
        if background and self.folder is not None:
            return BackgroundSession(self, processes=writer_processes())
        return IndexSession(self)

    def update(self, docs: Sequence[IndexDoc] = (), delete_ids: Sequence[int] = (), *,
               new: bool = False) -> None:
        """Add or replace ``docs`` and remove ``delete_ids``, in one commit of a session.

        ``new=True`` says the caller knows none of ``docs`` is in the index
        yet (a first run), which skips looking for older copies. Each call
        writes one segment; the smallest segments are merged only when
        there are more than ``MAX_SEGMENTS`` (``archive.search.writing``).
        """
        session = IndexSession(self)
        try:
            session.delete(delete_ids)
            session.add(docs, new=new)
            session.commit()
        finally:
            session.close()

    def clear(self) -> None:
        """Remove every document."""
        writer = self._writer()
        try:
            writer.commit(mergetype=CLEAR)
        except BaseException:
            writer.cancel()
            raise

    # -- reading -----------------------------------------------------------

    def _get_searcher(self):
        """The open searcher, brought up to date when any process has committed since."""
        s = self._searcher
        if s is None:
            s = self._searcher = self._ix.searcher()
        elif not s.up_to_date():
            self._searcher = refreshed_searcher(self._ix, s)
            live = {id(leaf) for leaf, _ in self._searcher.reader().leaf_readers()}
            self._arrays = {k: v for k, v in self._arrays.items() if k[0] in live}
            self._lexicons = {k: v for k, v in self._lexicons.items() if k[0] in live}
        return self._searcher

    def doc_count(self) -> int:
        """How many articles the index holds."""
        return self._ix.doc_count()

    def ids(self) -> set[int]:
        """The article ids in the index (to reconcile it with the store)."""
        s = self._get_searcher()
        reader = s.reader()
        col = reader.column_reader("article_id")
        return {int(col[d]) for d in reader.all_doc_ids()}

    def segment_ids(self) -> list[str]:
        """The ids of the index's segments as last committed (each search pays a little per segment)."""
        return segment_ids(self._ix)

    def search(self, query: str, *, limit: int = 20, sort: str = "relevance") -> SearchResult:
        """The best ``limit`` hits for ``query`` with snippets; BadQuery if it cannot be parsed.

        ``sort="date"`` puts the newest first and articles without a date last.
        """
        if sort not in SORTS:
            raise BadQuery(f"Unknown sort order '{sort}'; use relevance or date.")
        # A search makes tens of thousands of short-lived objects and no
        # reference cycles; left on, the cycle collector runs during it and
        # walks every long-lived object of the process (the word caches, the
        # index readers), which took a third of a phrase search's time.
        with _no_cycle_collection():
            try:
                return self._search(query, limit, sort)
            except Exception as exc:
                if self.folder is None or not damage.is_damage(exc):
                    raise
                self._drop_searcher()
                raise damage.damaged(self.folder, exc) from None

    def _drop_searcher(self) -> None:
        """Forget the open searcher and its caches (they may hold damaged data)."""
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:  # noqa: BLE001 - closing a damaged reader may fail too
                pass
        self._searcher = None
        self._arrays, self._lexicons = {}, {}

    def _search(self, query: str, limit: int, sort: str) -> SearchResult:
        q = parse_query(self._parser, query)
        limit = max(1, int(limit))
        s = self._get_searcher()
        reader = s.reader()
        q = expand_multiterms(q, LexiconReader(reader, self._lexicons))
        # numpy is imported at the first search, not when the app starts.
        from .engine.fastpath import top_docs

        # By date: newest first, articles without a date last (their column
        # value is empty), equal dates by score; both paths order alike.
        column = "published" if sort == "date" else None
        fast = top_docs(s, q, limit, self._arrays, sort_column=column)
        if fast is not None:
            docnums, scores, total = fast
        else:
            facet = MultiFacet([FieldFacet(column, reverse=True), ScoreFacet()]) if column else None
            docnums, scores, total = whoosh_search(s, q, limit, facet)
        terms = highlight_terms(q, reader)
        hits = []
        for docnum, score in zip(docnums, scores):
            f = s.stored_fields(docnum)
            hits.append(Hit(
                article_id=int(f["article_id"]),
                path=f.get("path", ""),
                title=f.get("title"),
                outlet=f.get("outlet"),
                published=f.get("published"),
                score=float(score),
                snippet=_snippet(f, terms),
            ))
        return SearchResult(hits=tuple(hits), total=total, query=query)


class IndexSession:
    """Documents streamed into the index as they come, committed when the caller says.

    Documents are analysed as they are added, into one open writer; each
    :meth:`commit` makes everything added so far searchable as one new
    segment. (Worker processes per commit, Whoosh's ``MpWriter``, were
    measured slower here: the workers start with cold stemming caches and
    every document is pickled across. Writer processes that live for the whole
    session, ``SearchIndex.session(background=True)``, are faster for big runs.)

        session = index.session()
        session.add(docs, new=True)
        session.commit()
    """

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self._writer = None
        self.pending = 0

    def add(self, docs: Sequence[IndexDoc], *, new: bool = False) -> None:
        """Add ``docs`` (replacing older copies unless ``new``) to the next commit."""
        docs = list(docs)
        if not docs:
            return
        writer = self._open()
        try:
            if not new:
                delete_ids(writer, [d.article_id for d in docs])
            for doc in docs:
                writer.add_document(**doc_fields(doc))
        except BaseException:
            self.cancel()
            raise
        self.pending += len(docs)

    def delete(self, ids: Sequence[int]) -> None:
        """Remove these articles at the next commit."""
        ids = list(ids)
        if not ids:
            return
        writer = self._open()
        try:
            delete_ids(writer, ids)
        except BaseException:
            self.cancel()
            raise
        self.pending += len(ids)

    def _open(self):
        if self._writer is None:
            self._writer = self.index._writer(limitmb=_WRITER_LIMIT_MB)
        return self._writer

    def commit(self, wait: bool = True) -> bool:
        """Commit what was added; True if there was anything.

        ``wait`` is for the same call on a background session: here a
        commit is always done when this returns.
        """
        writer, self._writer = self._writer, None
        if writer is None:
            return False
        try:
            writer.commit(mergetype=merge_smallest)
        except BaseException:
            writer.cancel()
            raise
        self.pending = 0
        return True

    def cancel(self) -> None:
        """Drop what was added since the last commit; what was committed stays."""
        writer, self._writer = self._writer, None
        self.pending = 0
        if writer is not None:
            writer.cancel()

    def close(self) -> None:
        """End the session; what was not committed is dropped."""
        self.cancel()


_gc_lock = threading.Lock()
_gc_holds = 0          # searches running with the collector held off
_gc_saved = (700, 10, 10)  # the thresholds before the first of them
# While a search runs the collector starts only after this many new objects
# (a search makes tens of thousands; the default is 700).
HELD_THRESHOLD = 200_000


@contextmanager
def _no_cycle_collection():
    """Hold off the cycle collector for a while; safe when searches on several threads overlap.

    The collector stays on: searches run on worker threads while the GUI
    thread goes on, and ``gc.disable()`` would switch collection off for the
    whole process. Raising the first threshold instead postpones collections
    for as long as a search takes, for every thread, and no longer.
    """
    global _gc_holds, _gc_saved
    with _gc_lock:
        if _gc_holds == 0:
            _gc_saved = gc.get_threshold()
            if _gc_saved[0]:  # 0: collection is off already, leave it so
                gc.set_threshold(max(_gc_saved[0], HELD_THRESHOLD), *_gc_saved[1:])
        _gc_holds += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holds -= 1
            if _gc_holds == 0:
                gc.set_threshold(*_gc_saved)


def _snippet(fields: dict, terms: dict[str, set[str]]) -> str:
    body = fields.get("body", "")
    names = terms.get("names")
    spans = find_spans(body, terms.get("body"), names)
    if spans:
        return make_snippet(body, spans)
    title = fields.get("title") or ""
    spans = find_spans(title, terms.get("title"), names)
    if spans:
        marked = make_snippet(title, spans, width=max(len(title), 1))
        rest = WIDTH - len(title)
        return marked + (" — " + plain_snippet(body, rest) if body and rest > 40 else "")
    boilerplate = fields.get("boilerplate", "")
    spans = find_spans(boilerplate, terms.get("boilerplate"))
    if spans:
        return make_snippet(boilerplate, spans)
    return plain_snippet(body)


def _check_schema(schema) -> None:
    expected = make_schema()
    if sorted(schema.names()) != sorted(expected.names()):
        raise StoreError("The search index has different fields than this Casefile version expects.")
    for name in expected.names():
        if (type(schema[name]) is not type(expected[name])
                or type(schema[name].analyzer) is not type(expected[name].analyzer)
                or type(schema[name].format) is not type(expected[name].format)):
            raise StoreError(f"The search index field '{name}' differs from what this Casefile version expects.")
