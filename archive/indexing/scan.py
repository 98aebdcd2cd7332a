"""Finding the files of a source folder that Casefile reads, and hashing a file."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable, Optional

from ..ingest import is_supported

__all__ = ["scan_folder", "file_sha256"]

_HASH_BLOCK = 1 << 20


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_HASH_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def scan_folder(folder: Path, skip: Iterable[Path] = (),
                unreadable: Optional[list] = None) -> tuple[list[Path], int]:
    """Files Casefile reads under ``folder`` (sorted), and how many others it skipped.

    Hidden files and folders (``.git``, ``.casefile``, ``.DS_Store``) and the
    folders in ``skip`` are left out without counting as skipped. Folders
    that cannot be listed are appended to ``unreadable`` as ``(path, OSError)``.
    """
    skip_set = {os.path.normcase(str(Path(p).resolve())) for p in skip}
    found: list[Path] = []
    skipped = 0

    def failed(err: OSError) -> None:
        if unreadable is not None:
            unreadable.append((Path(err.filename) if err.filename else folder, err))

    for root, dirs, files in os.walk(folder, onerror=failed):
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".")
            and os.path.normcase(os.path.join(root, d)) not in skip_set
        )
        for name in files:
            if name.startswith("."):
                continue
            path = Path(root) / name
            if is_supported(path):
                found.append(path)
            else:
                skipped += 1
    found.sort()
    return found, skipped
