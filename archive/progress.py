"""Progress reporting and cancellation for long operations.

Long core operations take ``progress`` (a callable ``(done, total, message)``)
and ``cancel`` (a :class:`CancelToken`). They call ``cancel.check()`` between
documents, which raises :class:`~archive.errors.Cancelled`; whatever was
committed before stays committed.
"""
from __future__ import annotations

import threading
from typing import Callable, Optional

from .errors import Cancelled

__all__ = ["CancelToken", "ProgressFn", "report"]

ProgressFn = Callable[[int, int, str], None]


class CancelToken:
    """A thread-safe flag a UI sets and a worker polls."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def report(progress: Optional[ProgressFn], done: int, total: int, message: str = "") -> None:
    if progress is not None:
        progress(done, total, message)
