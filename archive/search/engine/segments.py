"""Segments written outside Whoosh's commit: writer processes, the table of contents, refreshing.

Whoosh's ``SegmentWriter`` does everything in ``commit()``: finish the
segment, merge, write the table of contents (TOC), delete every file the
new TOC does not list, release the lock. Writer processes
(:mod:`archive.search.writer_process`) need those steps apart, as Whoosh's
own ``MpWriter`` does: a writer process only finishes its segment and hands
it over; the process holding the index lock merges, writes a TOC listing
the segments that arrived, and deletes old files only once no writer is
writing (Whoosh's cleanup would delete a segment still being written).
Every step uses ``SegmentWriter`` internals, so they all live here.

The searcher refresh of :class:`~archive.search.index.SearchIndex` is here
too: it compares the index's segment list (``FileIndex._segments``) with
the open searcher's. So are the names of the index's files in its folder
(a TOC ``_MAIN_<generation>.toc``, segment files ``MAIN_<segment>.<ext>``),
by which an index folder is told from an empty or broken one.
"""
from __future__ import annotations

from pathlib import Path

from whoosh.index import TOC, clean_files
from whoosh.writing import SegmentWriter

from ..writing import INDEX_NAME, merge_smallest
from .codec import FastCodec

__all__ = ["unlocked_writer", "finish_segment", "drop_writer", "release_writer", "commit_segments",
           "clean_old_files", "segment_ids", "refreshed_searcher", "has_toc", "index_files"]


def unlocked_writer(ix, limitmb: int):
    """A writer of one new segment of ``ix`` that does not take the index lock (a writer process's)."""
    return SegmentWriter(ix, _lk=False, codec=FastCodec(), limitmb=limitmb)


def finish_segment(writer):
    """Finish ``writer``'s segment and return it (None if nothing was added), leaving the index alone.

    Not ``writer.commit()``: that would write a TOC and take the lock. Not
    ``SegmentWriter._finish()`` either: it deletes the temporary folder
    the other writers are using.
    """
    segment = writer._finalize_segment() if writer._added else None
    if segment is None:
        writer._close_segment()
    return segment


def drop_writer(writer) -> None:
    """Abandon a writer's unfinished segment.

    Not ``writer.cancel()``: it deletes the temporary folder, which the
    other writers (and the next run's) use too. The segment's own files are
    left for the next cleanup (:func:`clean_old_files`, or any commit that
    cleans).
    """
    try:
        writer.pool.cleanup()
    except Exception:
        pass
    release_writer(writer)


def release_writer(writer) -> None:
    """Whoosh's ``SegmentWriter._finish`` but for deleting the temporary folder, which writer processes share."""
    if writer.is_closed:
        return
    if writer._searcher is not None:
        writer._searcher._orig_close()
        writer._searcher = None
    if writer.writelock:
        writer.writelock.release()
    writer.is_closed = True


def commit_segments(writer, segments: list) -> None:
    """Commit ``writer`` (which holds the index lock) with ``segments`` written elsewhere added.

    The smallest segments are merged as in any commit
    (:func:`~archive.search.writing.merge_smallest`); files the new TOC
    does not list are kept, since writer processes may still be writing
    theirs (:func:`clean_old_files` removes them later). The caller releases
    the writer (:func:`release_writer`), or drops it on an error.
    """
    kept = writer._merge_segments(merge_smallest, False, True)
    if writer._added:
        kept.append(writer._finalize_segment())
    else:
        writer._close_segment()
    # Whoosh's SegmentWriter._commit_toc without its clean_files().
    TOC(writer.schema, kept + list(segments), writer.generation).write(writer.storage, writer.indexname)


def clean_old_files(ix) -> None:
    """Remove files of older generations and merged segments, and the writers' temporary folder.

    Only when no writer is writing: a segment still being written is not
    in the TOC yet.
    """
    toc = ix._read_toc()
    clean_files(ix.storage, INDEX_NAME, toc.generation, toc.segments)
    try:
        ix.storage.temp_storage(f"{INDEX_NAME}.tmp").destroy()
    except OSError:
        pass


def segment_ids(ix) -> list[str]:
    """The ids of the segments in ``ix``'s latest TOC."""
    return [seg.segment_id() for seg in ix._segments()]


def refreshed_searcher(ix, searcher):
    """A searcher for the latest commit, reusing the unchanged segment readers.

    Whoosh's own ``Searcher.refresh()`` also reuses the reader of a segment
    whose only change is new deletions (it compares segments by id), so it
    would keep finding deleted documents; such a commit gets a fresh searcher.
    So does a commit that merged a segment away: the refreshed searcher kept
    finding the merged segment's replaced documents beside their new copies.
    """
    try:
        latest = {seg.segment_id(): seg.deleted_count() for seg in ix._segments()}
        for leaf, _ in searcher.reader().leaf_readers():
            seg = leaf.segment()
            if seg is not None and latest.get(seg.segment_id()) != seg.deleted_count():
                raise LookupError
        return searcher.refresh()
    except Exception:
        searcher.close()
        return ix.searcher()


def has_toc(folder: Path) -> bool:
    """Whether ``folder`` holds a table of contents of the index (the file Whoosh opens it by)."""
    pattern = TOC._pattern(INDEX_NAME)
    try:
        return any(pattern.match(p.name) for p in Path(folder).iterdir())
    except OSError:
        return False


def index_files(folder: Path) -> list[Path]:
    """The index's files in ``folder``: its TOCs and its segments' files (others are left alone)."""
    prefixes = (f"{INDEX_NAME}_", f"_{INDEX_NAME}_")
    try:
        return [p for p in Path(folder).iterdir() if p.is_file() and p.name.startswith(prefixes)]
    except OSError:
        return []
