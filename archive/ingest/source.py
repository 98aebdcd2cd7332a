"""Getting a file's bytes safely: it exists, it is a file, it is readable and not too big.

Every operating-system failure becomes a :class:`~archive.errors.ReadError`
with a reason a user can act on, never a traceback.
"""
from __future__ import annotations

import errno
import os
import stat as _stat
from pathlib import Path

from ..errors import ReadError

__all__ = ["MAX_FILE_BYTES", "read_bytes", "check_file", "human_size"]

# Long news reports are tens of kilobytes as text and a few megabytes as PDF
# with photos; 32 MiB leaves room for scanned-and-OCRed PDFs while keeping a
# stray video or disk image renamed to .txt from stalling an indexing run.
MAX_FILE_BYTES = 32 * 1024 * 1024


def human_size(n: int) -> str:
    """``1536`` -> ``'1.5 KiB'``: sizes in messages a user reads."""
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"  # pragma: no cover - loop always returns


def _os_reason(err: OSError) -> str:
    if isinstance(err, PermissionError) or err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: Casefile may not read this file; check its permissions"
    if isinstance(err, FileNotFoundError):
        return "the file no longer exists (moved or deleted?)"
    if isinstance(err, IsADirectoryError):
        return "this is a folder, not a file"
    return f"the file cannot be read ({err.strerror or err.__class__.__name__})"


def check_file(path: Path, limit: int | None = None) -> int:
    """Return the file's size after checking it is a readable, non-empty file within the limit."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        st = os.stat(path)
    except OSError as err:
        raise ReadError(path, _os_reason(err)) from None

    if _stat.S_ISDIR(st.st_mode):
        raise ReadError(path, "this is a folder, not a file")
    if not _stat.S_ISREG(st.st_mode):
        raise ReadError(path, "this is not a regular file (a device or pipe?)")
    if st.st_size > limit:
        raise ReadError(
            path,
            f"the file is too large ({human_size(st.st_size)}; the limit is {human_size(limit)}); "
            "split it or remove embedded images",
        )
    if st.st_size == 0:
        raise ReadError(path, "the file is empty")
    return st.st_size


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's content, after :func:`check_file`."""
    limit = MAX_FILE_BYTES if limit is None else limit
    check_file(path, limit)
    try:
        with open(path, "rb") as fh:
            # Read one byte past the limit so a file that grew since stat() is still caught.
            data = fh.read(limit + 1)
    except OSError as err:
        raise ReadError(path, _os_reason(err)) from None
    if len(data) > limit:
        raise ReadError(path, f"the file is too large (over {human_size(limit)})")
    if not data:
        raise ReadError(path, "the file is empty")
    return data
