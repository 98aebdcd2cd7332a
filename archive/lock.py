"""The cross-process writer lock of an archive (``<archive>/write.lock``).

Indexing and other bulk writes hold it for their whole run, so two Casefile
processes never index the same archive at once. It is an OS file lock
(``flock`` on POSIX, ``msvcrt.locking`` on Windows): the OS drops it when the
process dies, so a crash never leaves a stale lock behind.

    with WriterLock(archive_dir):
        ...  # index
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

from .errors import ArchiveInUse, StoreError

__all__ = ["LOCK_NAME", "WriterLock"]

LOCK_NAME = "write.lock"


class WriterLock:
    """A non-blocking exclusive lock; a second holder gets ``ArchiveInUse``."""

    def __init__(self, archive_dir: Path | str) -> None:
        self.archive_dir = Path(archive_dir)
        self.path = self.archive_dir / LOCK_NAME
        self._fd: Optional[int] = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"Cannot create the lock file {self.path}: {exc.strerror}.") from exc
        try:
            _lock(fd)
        except OSError:
            holder = _read_pid(fd)
            os.close(fd)
            if holder == os.getpid():
                raise ArchiveInUse(
                    f"The archive {self.archive_dir} is being indexed right now; "
                    f"wait for the run to finish or cancel it."
                ) from None
            who = f" (pid {holder})" if holder else ""
            raise ArchiveInUse(
                f"The archive {self.archive_dir} is being indexed by another Casefile process{who}; "
                f"wait for it to finish or close it."
            ) from None
        # The pid only serves the message another process shows. Byte 0 is
        # the locked one (Windows forbids reading a locked range), so the pid
        # goes after it.
        os.lseek(fd, 1, os.SEEK_SET)
        os.write(fd, f"{os.getpid():<20}\n".encode())
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> "WriterLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read_pid(fd: int) -> Optional[int]:
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        raw = os.read(fd, 32).decode("ascii", "replace").strip()
        return int(raw) if raw.isdigit() else None
    except OSError:
        return None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows CI only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
