"""Looking at a found file before anything reads it, and naming it in text.

Indexing walks a user's folder, which may hold anything: a named pipe or a
link to ``/dev/zero`` called ``notes.txt`` (reading either never ends), a
file of many gigabytes, links that lead nowhere or round in a loop, names
that are not valid UTF-8. Here a file is stat-ed first (links followed),
only a regular file within :data:`~archive.ingest.source.MAX_FILE_BYTES` is
opened, and it is hashed in chunks, checking for a cancel between them.

File names are bytes on Linux; Python hands a name that is not UTF-8 over
with "surrogate escapes" (``caf\\udce9.txt``), which SQLite, JSON exports and
terminals refuse. :func:`display_path` is the form Casefile stores and shows:
the same text for every valid name, and each undecodable byte as ``\\xNN``
for the others (``caf\\xe9.txt``, as ``ls -b`` shows it). The exact name
is kept beside it (:func:`raw_name`, in the article's notes).
"""
from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import stat as _stat
from typing import Optional, Union

from ..errors import ReadError
from ..models import METADATA_FIELDS, ParsedArticle
from ..progress import CancelToken
from .source import MAX_FILE_BYTES, human_size

__all__ = ["folder_problems", "under_any", "display_path", "raw_name", "path_from_raw", "clean_text", "storable", "stat_and_hash", "os_problem"]

_CHUNK = 1 << 20


def display_path(path: Union[str, os.PathLike]) -> str:
    """The path as valid text: unchanged if it is, with undecodable bytes as ``\\xNN`` if not."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def raw_name(path: Union[str, os.PathLike]) -> Optional[str]:
    """The path's exact bytes in hex when :func:`display_path` changed it, else None."""
    text = os.fspath(path)
    if display_path(text) == text:
        return None
    return os.fsencode(text).hex()


def path_from_raw(raw: str) -> str:
    """The path (as Python names it) that :func:`raw_name` gave ``raw`` for."""
    return os.fsdecode(bytes.fromhex(raw))


def clean_text(value: Optional[str]) -> Optional[str]:
    """``value`` with lone surrogates (from a file name, a broken PDF) as U+FFFD; same length."""
    if not value:
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
    return value


def storable(parsed: ParsedArticle, path: Union[str, os.PathLike]) -> ParsedArticle:
    """``parsed`` as the store can hold it: its path in display form (the exact
    name in ``notes["raw_path"]``), and no lone surrogates in its text or
    metadata (a title taken from such a file name, a PDF's broken text map)."""
    changes: dict = {}
    raw = raw_name(path)
    if raw is not None:
        changes["path"] = display_path(path)
        changes["notes"] = {**parsed.notes, "raw_path": raw}
    for name in ("text", *METADATA_FIELDS):
        value = getattr(parsed, name)
        cleaned = clean_text(value)
        if cleaned is not value:
            changes[name] = cleaned
    return dataclasses.replace(parsed, **changes) if changes else parsed


def os_problem(path: Union[str, os.PathLike], err: OSError) -> str:
    """The reason, in plain words, that opening ``path`` failed with ``err``."""
    if err.errno == errno.ELOOP:
        return "the link leads round in a loop (it points, directly or not, at itself)"
    if isinstance(err, FileNotFoundError) and os.path.islink(path):
        try:
            target = display_path(os.readlink(path))
        except OSError:
            target = "?"
        return f"the link points to {target}, which does not exist"
    if isinstance(err, PermissionError) or err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: Casefile may not read this file; check its permissions"
    if isinstance(err, FileNotFoundError):
        return "the file no longer exists (moved or deleted?)"
    return f"the file cannot be read ({err.strerror or type(err).__name__})"


def _kind(mode: int) -> str:
    if _stat.S_ISFIFO(mode):
        return "a named pipe"
    if _stat.S_ISCHR(mode) or _stat.S_ISBLK(mode):
        return "a device"
    if _stat.S_ISSOCK(mode):
        return "a socket"
    if _stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _check_regular(path, st: os.stat_result, limit: int) -> None:
    if not _stat.S_ISREG(st.st_mode):
        raise ReadError(path, f"this is {_kind(st.st_mode)}, not a file: Casefile reads only regular files")
    if st.st_size > limit:
        raise ReadError(path, f"the file is too large ({human_size(st.st_size)}; the limit is "
                              f"{human_size(limit)}); split it or remove embedded images")


def stat_and_hash(path: Union[str, os.PathLike], cancel: Optional[CancelToken] = None,
                  limit: Optional[int] = None) -> tuple[os.stat_result, str]:
    """``(stat, sha256 hex)`` of a regular file of at most ``limit`` bytes; ``ReadError`` otherwise.

    Links are followed. The file is opened without blocking (a pipe put in
    its place after the check must not hang the run) and checked again once
    open; it is read in chunks, calling ``cancel.check()`` between them, and
    never past the limit.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    shown = display_path(path)
    try:
        st = os.stat(path)
    except OSError as err:
        raise ReadError(shown, os_problem(path, err)) from None
    _check_regular(shown, st, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise ReadError(shown, os_problem(path, err)) from None
    h = hashlib.sha256()
    read = 0
    try:
        st = os.fstat(fd)
        _check_regular(shown, st, limit)
        while True:
            if cancel is not None:
                cancel.check()
            block = os.read(fd, _CHUNK)
            if not block:
                break
            read += len(block)
            if read > limit:
                raise ReadError(shown, f"the file is too large (it grew past {human_size(limit)} while read)")
            h.update(block)
    except OSError as err:
        raise ReadError(shown, os_problem(path, err)) from None
    finally:
        os.close(fd)
    return st, h.hexdigest()


def folder_problems(unreadable) -> tuple[list, list[str]]:
    """``(problems, folders)`` for the ``(path, OSError)`` pairs of folders a scan could not list."""
    from ..models import Problem

    problems, folders = [], []
    for path, err in unreadable:
        shown = display_path(path)
        if shown in folders:
            continue
        folders.append(shown)
        why = ("permission denied" if isinstance(err, PermissionError) or err.errno in (errno.EACCES, errno.EPERM)
               else err.strerror or type(err).__name__)
        problems.append(Problem(shown, f"cannot open this folder ({why}); the articles indexed from it before "
                                       "are kept, and its files were not checked"))
    return problems, folders


def under_any(path: str, folders) -> bool:
    """Whether ``path`` is one of ``folders`` or inside one (paths in display form)."""
    return any(path == f or path.startswith(f.rstrip("/\\") + os.sep) for f in folders)
