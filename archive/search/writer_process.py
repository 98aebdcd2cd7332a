"""Search index writers in processes of their own, for long indexing runs.

Whoosh analyses and writes in pure Python, on one core, and that is most of
an indexing run's time. For big runs the documents are spread over a few
writer processes (two on a two-core machine), while this process goes on
reading, hashing and storing the next files:

* each writer process analyses the documents it is sent into a segment of
  its own (Whoosh's ``SegmentWriter`` without the index lock, as Whoosh's
  own ``MpWriter`` does) and, when asked to flush, finishes the segment and
  sends it back;
* this process alone writes the index's table of contents: once every
  writer has sent its segment for a commit, it takes the index lock,
  deletes replaced or removed articles from the segments already there,
  merges the smallest segments if there are too many, and writes the new
  table of contents with the new segments in it.

The steps that take Whoosh's commit apart are in
:mod:`archive.search.engine.segments`; this module runs the processes.

Commits are asked for without waiting (``commit(wait=False)``), so reading
goes on while segments are written; they are applied in order, and
``commit(wait=True)`` returns once everything sent before it is searchable.
While writers may still be writing, leftover files of older generations
are kept (Whoosh's cleanup would delete a segment still being written);
the last, waiting commit removes them.

Failures cannot go unnoticed: an error in a writer process is sent back
and raised by the next call here; a process that dies breaks its pipe,
raised as :class:`~archive.errors.StoreError`. Either way the caller's
``index_pending`` flag stays set and the archive rebuilds the index when
next opened. If this process dies, the writers read end-of-file, drop
their unfinished segments and exit (they are daemons besides).
"""
from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import time
from multiprocessing.connection import wait as wait_for
from typing import Sequence

from .. import errors
from .engine import segments as engine_segments
from .writing import INDEX_NAME, delete_ids, doc_fields

__all__ = ["BackgroundSession", "writer_processes", "cpu_count"]

# Errors of a writer process that this side raises as themselves.
_PASSED_ON = {name: getattr(errors, name) for name in ("ArchiveInUse", "StoreError")}
_LIMIT_MB = 256
# Documents a writer may be sent ahead of what it has analysed.
MAX_BACKLOG = 2000
# How long writer processes may take to start before the run goes on without them.
START_TIMEOUT = 120.0

log = logging.getLogger(__name__)


def cpu_count() -> int:
    """The cores this process may use (a container's or an affinity mask's limit, where there is one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def writer_processes() -> int:
    """How many writer processes a big run uses: one core stays for reading and storing, up to four."""
    return max(2, min(4, cpu_count() - 1))


# ---------------------------------------------------------------- the writer process

def _serve(conn, folder: str, indexname: str) -> None:
    """A writer process: analyse the documents that arrive on ``conn`` into segments."""
    from whoosh import index as windex

    # Ctrl-C reaches every process of the terminal (and of a Windows
    # console); stopping is the run's decision: it cancels, then stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The writer keeps hundreds of thousands of small postings alive until a
    # flush; with the default thresholds the cycle collector walks them all
    # again and again. It makes no cycles worth collecting meanwhile.
    gc.freeze()
    gc.set_threshold(200_000, 50, 1000)
    writer = None
    failed = False
    try:
        ix = windex.open_dir(folder, indexname=indexname)
        conn.send(("ready",))
    except Exception as exc:  # reported; then wait to be told to stop
        conn.send(("error", type(exc).__name__, str(exc)))
        failed = True
    inbox = _Inbox(conn)
    while True:
        message = inbox.get()
        if message is None or inbox.cancelled.is_set():
            break  # the run's process is gone or gave up: drop the unfinished segment
        verb = message[0]
        if verb in ("cancel", "close"):
            break
        if failed:
            continue  # the error is on its way; ignore the rest until told to stop
        try:
            if verb == "add":
                if writer is None:
                    writer = engine_segments.unlocked_writer(ix, limitmb=_LIMIT_MB)
                for doc in message[1]:
                    writer.add_document(**doc_fields(doc))
                conn.send(("took", len(message[1])))
            elif verb == "flush":
                segment = None
                if writer is not None:
                    segment = engine_segments.finish_segment(writer)
                    writer = None
                conn.send(("segment", message[1], segment))
        except Exception as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
            failed = True
    if writer is not None:
        engine_segments.drop_writer(writer)
    conn.close()


class _Inbox:
    """Messages from the run, read off the pipe as soon as they arrive.

    A pipe holds some 64 KB, a dozen articles: while this process writes a
    segment (seconds), the run would soon block sending. A thread takes
    the messages in meanwhile, so the run goes on reading and storing.
    """

    def __init__(self, conn) -> None:
        import queue
        import threading

        self._queue = queue.SimpleQueue()
        self._conn = conn
        # Set as soon as a cancel arrives, ahead of the documents queued before it.
        self.cancelled = threading.Event()
        threading.Thread(target=self._pump, name="inbox", daemon=True).start()

    def _pump(self) -> None:
        while True:
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                self.cancelled.set()
                self._queue.put(None)
                return
            if message[0] == "cancel":
                self.cancelled.set()
            self._queue.put(message)
            if message[0] in ("cancel", "close"):
                return

    def get(self):
        return self._queue.get()


# ---------------------------------------------------------------- this side

class _Commit:
    """A commit asked for: the articles it replaces or removes, and the segments it waits for."""

    def __init__(self, seq: int, deletes: list[int], expected: int) -> None:
        self.seq = seq
        self.deletes = deletes
        self.expected = expected
        self.segments: list = []
        self.answers = 0


class BackgroundSession:
    """An :class:`~archive.search.index.IndexSession` whose documents are indexed by writer processes.

    Same calls as ``IndexSession``; ``commit(wait=False)`` asks for a
    commit and returns at once. ``pending`` counts what was sent since the
    last commit was asked for. ``index`` is the open
    :class:`~archive.search.index.SearchIndex` (not imported here: it
    imports this module).
    """

    def __init__(self, index, processes: int = 2) -> None:
        self.index = index
        self.folder = index.folder
        # "spawn": a fresh interpreter, safe to start from any thread (the
        # desktop indexes in a worker thread, where fork is not).
        ctx = multiprocessing.get_context("spawn")
        self._conns = []
        self._processes = []
        self._start_error = None
        try:
            for i in range(max(1, processes)):
                mine, theirs = ctx.Pipe()
                proc = ctx.Process(target=_serve, args=(theirs, str(self.folder), INDEX_NAME), daemon=True,
                                   name=f"casefile-index-writer-{i + 1}")
                self._conns.append(mine)
                proc.start()
                theirs.close()
                self._processes.append(proc)
        except (OSError, RuntimeError) as exc:  # no processes here: _start() falls back
            self._start_error = exc
        self.pending = 0
        self._started = False              # every writer said it is ready (or the fallback took over)
        self._fallback = None              # an in-process IndexSession if the writers could not start
        self._backlog = [0] * len(self._conns)  # documents sent to each writer, not yet analysed
        self._fed: set[int] = set()        # writers sent documents since their last flush
        self._deletes: list[int] = []      # articles to delete at the next commit
        self._commits: list[_Commit] = []  # asked for, not yet applied (oldest first)
        self._seq = 0
        self._closed = False

    # -- IndexSession's calls ---------------------------------------------------

    def add(self, docs: Sequence, *, new: bool = False) -> None:
        docs = list(docs)
        if not docs:
            return
        if self._start():
            self._fallback.add(docs, new=new)
            self.pending = self._fallback.pending
            return
        self._poll()
        if not new:
            # The older copies go at the commit that brings the new ones.
            self._deletes.extend(int(d.article_id) for d in docs)
        # The least busy writer; and none is sent more than MAX_BACKLOG
        # documents ahead, so memory stays bounded when reading outpaces them.
        i = min(range(len(self._conns)), key=self._backlog.__getitem__)
        while self._backlog[i] >= MAX_BACKLOG:
            self._receive(block=True)
            self._apply_ready()
            i = min(range(len(self._conns)), key=self._backlog.__getitem__)
        self._send(i, ("add", docs))
        self._backlog[i] += len(docs)
        self._fed.add(i)
        self.pending += len(docs)

    def delete(self, ids: Sequence[int]) -> None:
        ids = [int(i) for i in ids]
        if not ids:
            return
        if self._start():
            self._fallback.delete(ids)
            self.pending = self._fallback.pending
            return
        self._poll()
        self._deletes.extend(ids)
        self.pending += len(ids)

    def commit(self, wait: bool = True) -> bool:
        """Commit what was sent; with ``wait``, return when every commit asked for is applied.

        True if there was anything to commit.
        """
        if self._fallback is not None:
            had = self._fallback.commit()
            self.pending = 0
            return had
        had = self.pending > 0
        if had:
            self._seq += 1
            fed = sorted(self._fed)
            self._commits.append(_Commit(self._seq, self._deletes, len(fed)))
            for i in fed:
                self._send(i, ("flush", self._seq))
            self._deletes, self._fed, self.pending = [], set(), 0
            self._apply_ready()
        if wait:
            while self._commits:
                self._receive(block=True)
                self._apply_ready()
            if had or self._seq:
                self._clean()
        else:
            self._poll()
        return had

    def cancel(self) -> None:
        """Drop what was not committed and stop the writer processes.

        The rule of ``IndexSession.cancel``: what was committed stays. A
        commit asked for with ``wait=False`` whose segments have not all
        arrived is not committed yet and goes with the rest (the caller's
        ``index_pending`` flag has the archive rebuild it).
        """
        if self._fallback is not None:
            self._fallback.cancel()
        if self._closed:
            return
        for conn in self._conns:
            try:
                conn.send(("cancel",))
            except (BrokenPipeError, EOFError, OSError):
                pass
        self._stop(patience=5)

    def close(self) -> None:
        """Wait for the commits asked for, then stop the writers; what was not committed is dropped."""
        if self._fallback is not None:
            self._fallback.close()
        if self._closed:
            return
        try:
            while self._commits:
                self._receive(block=True)
                self._apply_ready()
        finally:
            for conn in self._conns:
                try:
                    conn.send(("close",))
                except (BrokenPipeError, EOFError, OSError):
                    pass
            self._stop()

    # -- talking to the writers ---------------------------------------------------

    def _start(self) -> bool:
        """Wait until every writer is ready; True if they could not start and this process writes instead.

        A writer can fail to start where this one runs fine: a script
        without an ``if __name__ == "__main__":`` guard (spawn imports the
        main module again), a frozen app, a sandbox without processes. The
        run then goes on here, slower, instead of failing.
        """
        if self._started:
            return self._fallback is not None
        self._started = True
        waiting = list(self._conns)
        deadline = time.monotonic() + START_TIMEOUT
        problem = None if self._start_error is None else str(self._start_error)
        while waiting and problem is None:
            left = deadline - time.monotonic()
            if left <= 0:
                problem = f"no answer in {START_TIMEOUT:.0f} s"
                break
            for conn in wait_for(waiting, timeout=left):
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    problem = "a writer process ended while starting"
                    break
                if message[0] != "ready":
                    problem = str(message[-1])
                    break
                waiting.remove(conn)
        if problem is None:
            return False
        log.warning("Search index writer processes could not start (%s); indexing in this process.", problem)
        self.cancel()
        self._fallback = self.index.session()
        return True

    def _send(self, i: int, message) -> None:
        try:
            self._conns[i].send(message)
        except (BrokenPipeError, EOFError, OSError):
            self._receive(block=False)  # an error sent back before it stopped says more
            self._died()

    def _poll(self) -> None:
        self._receive(block=False)
        self._apply_ready()

    def _receive(self, block: bool) -> None:
        """Take in what the writers have sent (waiting for something if ``block``)."""
        ready = wait_for(self._conns, timeout=None if block else 0)
        for conn in ready:
            i = self._conns.index(conn)
            try:
                while conn.poll():
                    self._handle(i, conn.recv())
            except (EOFError, OSError):
                self._died()

    def _handle(self, i: int, message) -> None:
        if message[0] == "took":
            self._backlog[i] -= message[1]
            return
        if message[0] == "segment":
            _, seq, segment = message
            for c in self._commits:
                if c.seq == seq:
                    c.answers += 1
                    if segment is not None:
                        c.segments.append(segment)
            return
        _, kind, text = message
        self.cancel()
        raise _PASSED_ON.get(kind, errors.StoreError)(
            text if kind in _PASSED_ON else f"The search index in {self.folder} could not be written ({kind}: {text})."
        )

    def _died(self):
        self.cancel()
        raise errors.StoreError(
            f"A search index writer for {self.folder} stopped unexpectedly; the index will be rebuilt."
        )

    # -- applying commits -----------------------------------------------------------

    def _apply_ready(self) -> None:
        """Write the table of contents for every commit, in order, whose segments have all arrived."""
        while self._commits and self._commits[0].answers >= self._commits[0].expected:
            self._apply(self._commits.pop(0))

    def _apply(self, c: _Commit) -> None:
        writer = self.index._writer()
        try:
            delete_ids(writer, c.deletes)
            engine_segments.commit_segments(writer, c.segments)
        except BaseException:
            engine_segments.drop_writer(writer)
            raise
        finally:
            engine_segments.release_writer(writer)

    def _clean(self) -> None:
        """Remove files of older generations and merged segments (no writer is writing now)."""
        engine_segments.clean_old_files(self.index._ix)

    def _stop(self, patience: float = 60) -> None:
        if self._closed:
            return
        self._closed = True
        for proc in self._processes:
            proc.join(patience)
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
        for conn in self._conns:
            conn.close()

