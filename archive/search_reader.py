"""Search an archive's index from a background thread.

An ``Archive`` holds an SQLite connection, which belongs to the thread that
opened it; the app's searches run on worker threads. A ``SearchReader``
holds only the Whoosh index (plain files, usable from any thread, one thread
at a time), so a worker can search and the GUI thread can close it.

    reader = SearchReader.open(archive.path)
    result = reader.search('"detention extended"', limit=50)
    reader.close()

It never writes: it does not create a missing index (``StoreError``). A
damaged index raises ``IndexDamaged`` and is marked damaged on disk, as a
search through the ``Archive`` does; the next ``Archive.open`` then finds it
stale and ``Archive.reindex`` rebuilds it.
"""
from __future__ import annotations

from pathlib import Path

from .paths import INDEX_DIR_NAME
from .search import SORTS
from .errors import InvalidInput, StoreError
from .models import SearchResult

__all__ = ["SearchReader"]


class SearchReader:
    """Read-only searches of one archive's index; not bound to a thread."""

    def __init__(self, archive_dir: Path, index) -> None:
        self.path = Path(archive_dir)
        self._index = index

    @classmethod
    def open(cls, archive_dir: Path | str) -> "SearchReader":
        """Open the index of the archive in ``archive_dir`` (StoreError if it has none or it cannot be read)."""
        from .search import SearchIndex

        path = Path(archive_dir).expanduser().resolve()
        folder = path / INDEX_DIR_NAME
        if not SearchIndex.exists_in(folder):
            raise StoreError(f"The archive in {path} has no search index yet; index a folder first.")
        return cls(path, SearchIndex.open(folder))

    def search(self, query: str, limit: int = 20, sort: str = "relevance") -> SearchResult:
        """Ranked hits for ``query``, as ``Archive.search`` gives them."""
        if sort not in SORTS:
            raise InvalidInput(f"Cannot sort by {sort!r}: use relevance or date.")
        if int(limit) < 1:
            raise InvalidInput(f"The number of results must be at least 1, not {limit}.")
        return self._index.search(query, limit=int(limit), sort=sort)

    def close(self) -> None:
        self._index.close()

    def __enter__(self) -> "SearchReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
