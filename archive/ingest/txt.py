"""Plain-text articles (``.txt``): the decoded file, character for character."""
from __future__ import annotations

from pathlib import Path

from .encoding import decode_text
from .extraction import Extraction
from .source import read_bytes

__all__ = ["read_txt"]


def read_txt(path: Path) -> Extraction:
    """The file's text exactly as decoded (BOM removed, nothing else touched)."""
    return Extraction("txt", decode_text(read_bytes(path), path))
