"""What every writer of the search index shares, in this process and in writer processes.

A document's fields (:class:`IndexDoc`, :func:`doc_fields`), the index's
name in its folder, replacing older copies of articles (:func:`delete_ids`)
and the merge policy (:func:`merge_smallest`). It imports nothing of the
index itself, so the writer processes (``writer_process``) and the index
(``index``) both build on it without importing each other.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

__all__ = ["IndexDoc", "doc_fields", "delete_ids", "merge_smallest", "INDEX_NAME", "MAX_SEGMENTS"]

INDEX_NAME = "MAIN"
# Segments a commit leaves at most. Every search pays a little per segment;
# merging rewrites postings (in Whoosh about as costly as indexing them), so
# only the smallest segments are merged, and only past this bound.
MAX_SEGMENTS = 12


@dataclass(frozen=True)
class IndexDoc:
    """What the index holds of one article.

    ``body`` is the article text outside page boilerplate; ``boilerplate``
    is the boilerplate text (searchable, but it counts a tenth).
    ``published`` is a partial ISO date (``2022``, ``2022-12``, ``2022-12-14``).
    """
    article_id: int
    path: str
    title: Optional[str]
    outlet: Optional[str]
    author: Optional[str]
    lang: Optional[str]
    published: Optional[str]
    body: str
    boilerplate: str


def doc_fields(doc: IndexDoc) -> dict:
    """The Whoosh fields of ``doc``, as ``add_document`` takes them."""
    out = {
        "article_id": str(int(doc.article_id)),
        "path": str(doc.path),
        "body": doc.body or "",
        "boilerplate": doc.boilerplate or "",
        # Title and text, not boilerplate: a name in a link list is not the article's.
        "names": f"{doc.title or ''}\n{doc.body or ''}",
    }
    # Missing metadata is left out rather than stored empty, so hits say None.
    for name in ("title", "outlet", "author", "lang", "published"):
        value = getattr(doc, name)
        if value:
            out[name] = str(value)
    return out


def delete_ids(writer, ids: Iterable[int]) -> None:
    """Delete, in ``writer``, the committed documents of these articles.

    The one place replaced and removed articles leave the index: a session
    calls it before adding the new copies, the writer processes' commit
    before listing their new segments.
    """
    wanted = {str(int(i)).encode() for i in ids}
    if not wanted:
        return
    with writer.searcher() as s:
        reader = s.reader()
        for b in wanted:
            if ("article_id", b) not in reader:
                continue
            for docnum in reader.postings("article_id", b).all_ids():
                writer.delete_document(docnum)


def merge_smallest(writer, segments):
    """Whoosh merge policy: merge the smallest segments when there are too many.

    Segments mostly made of deleted documents are merged too (merging
    drops deleted documents). Returns the segments kept as they are.
    """
    def live(seg):
        return seg.doc_count_all() - seg.deleted_count()

    stale = [seg for seg in segments if seg.deleted_count() * 2 > seg.doc_count_all()]
    rest = sorted((seg for seg in segments if seg not in stale), key=live)
    # The writer's own new segment counts as one more.
    excess = len(rest) + 1 - MAX_SEGMENTS
    merge = stale + (rest[:excess + 1] if excess > 0 else [])
    if not merge:
        return list(segments)
    from whoosh.reading import SegmentReader

    for seg in merge:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in merge]
