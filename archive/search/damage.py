"""A damaged search index: telling damage from other errors, marking it, checking every segment.

The index only mirrors the store, so damage is repaired by rebuilding it,
never by asking the user to do anything with their files. Random bytes in a
segment file surface only when a search reaches them, as whatever the
decoder trips over (zlib, struct, an index out of range, Whoosh's "Block tag
error"); :func:`damaged` turns such an error into :class:`IndexDamaged` and
leaves a marker in the index folder, so that the next :meth:`SearchIndex.open`
reports the index as needing a rebuild (as for missing files) even in
another process.

    try:
        index.search("court")
    except IndexDamaged as err:
        print(err)      # "The search index ... is damaged and is being rebuilt ..."
"""
from __future__ import annotations

import pickle
import struct
import zlib
from pathlib import Path
from typing import Optional

from ..errors import IndexDamaged, StoreError

__all__ = ["IndexDamaged", "MARKER", "is_damage", "damaged", "is_marked", "clear_mark", "verify_index"]

MARKER = "casefile-search-damaged.txt"

# What Whoosh's decoders raise on bytes that are not what they wrote.
_DAMAGE_TYPES = (zlib.error, struct.error, EOFError, IndexError, KeyError, ValueError, OverflowError,
                 UnicodeDecodeError, pickle.UnpicklingError, OSError, MemoryError)


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc``, raised while reading an index on disk, means its files are damaged."""
    if isinstance(exc, StoreError):
        return isinstance(exc, IndexDamaged)
    if isinstance(exc, _DAMAGE_TYPES):
        return True
    # whoosh.filedb.compound / codec: raise Exception("Block tag error ...").
    return type(exc) is Exception and "tag error" in str(exc).lower()


def damaged(folder: Path, exc: BaseException) -> IndexDamaged:
    """Mark the index in ``folder`` damaged and return the error to raise."""
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    try:
        (Path(folder) / MARKER).write_text(reason[:500] + "\n", encoding="utf-8")
    except OSError:
        pass  # a full or read-only disk: the store's pending flag still asks for a rebuild
    return IndexDamaged(
        f"The search index is damaged and is being rebuilt from the archive ({reason[:120]}); "
        "nothing you wrote is affected. Search again in a moment."
    )


def is_marked(folder: Path) -> Optional[str]:
    """The recorded reason when the index in ``folder`` is marked damaged, else None."""
    try:
        return (Path(folder) / MARKER).read_text(encoding="utf-8").strip() or "damaged"
    except OSError:
        return None


def clear_mark(folder: Path) -> None:
    (Path(folder) / MARKER).unlink(missing_ok=True)


def verify_index(index, progress=None) -> list[str]:
    """Read every stored field, column and posting of every segment; return what failed.

    For ``casefile check``: a search reads only the blocks its words need,
    so damage elsewhere shows up only here (or at some later search).
    """
    from ..progress import report

    problems: list[str] = []
    ix = index._ix
    try:
        searcher = ix.searcher()
    except Exception as exc:  # noqa: BLE001 - any failure to open is damage here
        return [f"the index cannot be opened ({type(exc).__name__}: {exc})"]
    try:
        leaves = searcher.reader().leaf_readers()
        for n, (leaf, _offset) in enumerate(leaves, 1):
            seg = leaf.segment()
            name = seg.segment_id() if seg is not None else f"segment {n}"
            report(progress, n - 1, len(leaves), f"Checking search segment {name}")
            try:
                for docnum in range(leaf.doc_count_all()):
                    leaf.stored_fields(docnum)
                col = leaf.column_reader("article_id")
                for docnum in range(leaf.doc_count_all()):
                    col[docnum]
                for fieldname in leaf.schema.names():
                    if not leaf.schema[fieldname].indexed:
                        continue
                    for text in leaf.lexicon(fieldname):
                        m = leaf.postings(fieldname, text)
                        while m.is_active():
                            m.id()
                            m.weight()
                            m.next()
            except Exception as exc:  # noqa: BLE001 - every kind is reported, with its kind
                problems.append(f"segment {name}: {type(exc).__name__}: {exc}")
        report(progress, len(leaves), len(leaves), "Checked the search index")
    finally:
        searcher.close()
    return problems
