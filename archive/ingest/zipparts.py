"""Checking a zip package (a ``.docx``) before a parser unpacks it.

python-docx reads every part of the package into memory and parses the
XML. A crafted file of 140 KB can unpack to hundreds of megabytes of XML
(a "zip bomb"): the parse then takes a minute and gigabytes, and the text
it yields is no article. Each part's uncompressed size and compression ratio
is checked here from the zip directory first. The sizes it declares are
binding: Python's ``zipfile`` never returns more than a part's declared
size (more data fails its checksum), so checking them is enough.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ReadError
from .source import human_size

__all__ = ["MAX_PART_BYTES", "MAX_TOTAL_BYTES", "MAX_RATIO", "MAX_PARTS", "check_zip_parts"]

# A long report's document.xml is a few megabytes; a photo inside is stored
# nearly uncompressed and bounded by the 32 MiB file limit.
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
# Word's XML compresses 5 to 30 times; text repeated to fill memory, a
# thousand times. Small parts may compress as they like.
MAX_RATIO = 100
_RATIO_FROM = 1024 * 1024
MAX_PARTS = 5000


def check_zip_parts(path: Path, what: str = "Word document") -> None:
    """Raise ``ReadError`` if the package at ``path`` unpacks to more than a document could hold."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(path, f"the {what} is damaged (its zip directory cannot be read); "
                              "open and re-save it") from None
    if len(infos) > MAX_PARTS:
        raise ReadError(path, f"the {what} has {len(infos):,} parts (a document has tens); it is not "
                              "a real document or is damaged")
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        ratio = size / max(1, info.compress_size)
        if size > MAX_PART_BYTES:
            raise ReadError(path, f"the {what} unpacks to too much data ({info.filename} is "
                                  f"{human_size(size)}; the limit is {human_size(MAX_PART_BYTES)} per part)")
        if size > _RATIO_FROM and ratio > MAX_RATIO:
            raise ReadError(path, f"the {what} unpacks to too much data ({info.filename}: "
                                  f"{human_size(info.compress_size)} unpacks to {human_size(size)}, "
                                  f"{ratio:,.0f} times; a zip bomb?)")
    if total > MAX_TOTAL_BYTES:
        raise ReadError(path, f"the {what} unpacks to too much data ({human_size(total)} in all; "
                              f"the limit is {human_size(MAX_TOTAL_BYTES)})")
