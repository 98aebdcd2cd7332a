"""Run slow work off the GUI thread and hand the outcome back on it.

One helper, in the manner of Picard's thread runner: give it a function and
a callback; the function runs on a ``QThreadPool`` and the callback is called
**on the main thread** with ``(result, error)``, exactly one of them set.

    def done(result, error):
        if error is None:
            show(result)

    session.tasks.run(lambda: expensive(), done)

Long operations that report progress and can be stopped use ``run_long``; the
function receives ``(progress, cancel)`` in the shape the core expects
(``progress(done, total, message)`` and an ``archive.CancelToken``):

    task = session.tasks.run_long(
        lambda progress, cancel: arc.index_folder(folder, progress=progress, cancel=cancel),
        on_done, on_progress=lambda done, total, message: ...,
        writer=True)
    task.cancel()

``errors.Cancelled`` raised by the function is not an error: the callback gets
``(None, None)`` and ``task.was_cancelled`` is true. Work that writes to an
archive passes ``writer=True`` and runs on a separate one-thread pool, so two
writes never race. ``shutdown()`` (called at exit) cancels everything and
waits for the pools.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from archive.errors import Cancelled
from archive.progress import CancelToken

__all__ = ["Task", "TaskRunner", "DoneFn", "ProgressFn"]

log = logging.getLogger(__name__)

DoneFn = Callable[[Any, Optional[BaseException]], None]
ProgressFn = Callable[[int, int, str], None]


class Task(QObject):
    """One piece of background work. Lives on the main thread; its signals
    are emitted from the worker and therefore delivered queued. The runner
    keeps it alive until it finishes; keep your own reference to cancel it."""

    finished = Signal(object, object)     # result, error (never Cancelled)
    progressed = Signal(int, int, str)    # done, total, message

    def __init__(self, name: str = "", parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = CancelToken()
        self.done = False
        self.was_cancelled = False
        self.error: Optional[BaseException] = None
        self.result: Any = None

    def cancel(self) -> None:
        """Ask the work to stop at its next ``cancel.check()``."""
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled

    def report(self, done: int, total: int, message: str = "") -> None:
        """The progress callback handed to the worker (thread-safe)."""
        self.progressed.emit(int(done), int(total), str(message or ""))


class _Runnable(QRunnable):
    def __init__(self, task: Task, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._fn = fn

    def run(self) -> None:  # worker thread
        result, error = None, None
        try:
            result = self._fn()
        except Cancelled:
            self._task.was_cancelled = True
        except BaseException as exc:  # noqa: BLE001 - delivered to the caller
            error = exc
            log.debug("task %s failed:\n%s", self._task.name, traceback.format_exc())
        self._task.finished.emit(result, error)


class TaskRunner(QObject):
    """Two pools: reads run in parallel, writes run one at a time."""

    def __init__(self, parent: Optional[QObject] = None, max_readers: int = 4) -> None:
        super().__init__(parent)
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(max_readers)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._live: set[Task] = set()
        self._closing = False

    # -- public API -----------------------------------------------------
    def run(self, fn: Callable[[], Any], on_done: Optional[DoneFn] = None, *,
            writer: bool = False, name: str = "") -> Task:
        """Call ``fn()`` on a worker; then ``on_done(result, error)`` on the main thread."""
        task = Task(name or getattr(fn, "__name__", "task"))
        return self._start(task, fn, on_done, writer)

    def run_long(self, fn: Callable[[ProgressFn, CancelToken], Any],
                 on_done: Optional[DoneFn] = None, *,
                 on_progress: Optional[ProgressFn] = None,
                 writer: bool = False, name: str = "") -> Task:
        """Call ``fn(progress, cancel)`` on a worker; progress reaches
        ``on_progress(done, total, message)`` on the main thread."""
        task = Task(name or getattr(fn, "__name__", "task"))
        if on_progress is not None:
            task.progressed.connect(on_progress)
        return self._start(task, lambda: fn(task.report, task.token), on_done, writer)

    def active(self) -> list[Task]:
        """Tasks started and not yet finished."""
        return [t for t in self._live if not t.done]

    def cancel_all(self) -> None:
        for task in list(self._live):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every pool is idle (tests and shutdown)."""
        ok_r = self._readers.waitForDone(msecs)
        ok_w = self._writer.waitForDone(msecs)
        return ok_r and ok_w

    def shutdown(self, msecs: int = 10000) -> None:
        """Cancel everything and wait for the workers (call at exit)."""
        self._closing = True
        self.cancel_all()
        self.wait(msecs)

    # -- internals ------------------------------------------------------
    def _start(self, task: Task, fn: Callable[[], Any], on_done: Optional[DoneFn],
               writer: bool) -> Task:
        self._live.add(task)
        task._on_done = on_done  # type: ignore[attr-defined]
        task.finished.connect(self._finish)
        (self._writer if writer else self._readers).start(_Runnable(task, fn))
        return task

    @Slot(object, object)
    def _finish(self, result: Any, error: Optional[BaseException]) -> None:
        task = self.sender()
        if not isinstance(task, Task):
            return
        task.done = True
        task.result, task.error = result, error
        self._live.discard(task)
        on_done = getattr(task, "_on_done", None)
        if on_done is not None and not self._closing:
            on_done(result, error)
