"""Search documents on their way to the index, committed in growing batches.

Each index commit writes one segment, and fewer, bigger segments keep both
indexing and search fast; the first commit comes at once, so the first
results of a run are searchable within seconds.
"""
from __future__ import annotations

import time

from ..search import writer_process

__all__ = ["INDEX_COMMIT_SECONDS", "INDEX_COMMIT_GROWTH", "BACKGROUND_MIN_DOCS", "IndexFeed", "worth_a_process"]

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


def worth_a_process(documents: int) -> bool:
    """Whether indexing this many documents repays a writer process of its own.

    Starting one costs about half a second; it pays back by overlapping the
    index's work with reading and storing, which needs a second core.
    """
    return documents > 0 and documents >= BACKGROUND_MIN_DOCS and writer_process.cpu_count() > 1


class IndexFeed:
    """Documents on their way to the search index, committed in growing batches.

    Documents go straight into an open index session (see
    :class:`archive.search.IndexSession`). The first commit comes as soon as there is anything to
    commit; after that a commit waits until ``INDEX_COMMIT_GROWTH`` times as
    many documents are pending as have been committed so far (and at least
    ``min_docs``: one batch of the run), or ``INDEX_COMMIT_SECONDS`` have passed.
    """

    def __init__(self, index, *, min_docs: int, background: bool = False) -> None:
        self.session = index.session(background=background)
        self.min_docs = min_docs
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
        return (self.committed == 0 or self.pending >= max(self.min_docs, INDEX_COMMIT_GROWTH * self.committed)
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
