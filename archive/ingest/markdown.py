"""Markdown articles (``.md``, ``.markdown``): kept verbatim, with front matter read as metadata.

The stored text is the file as decoded, markup included, so offsets stay
exact. A YAML-style front-matter block (``---`` ... ``---``) declares
metadata (title, date, author, url/source, outlet, lang) and is recorded as a
``front-matter`` region; a first ``# Heading`` gives the title.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..models import Region
from .encoding import decode_text
from .extraction import Extraction
from .pubdate import iso_from_machine
from .source import read_bytes

__all__ = ["read_markdown", "front_matter"]

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)

_FIELDS = {
    "title": "title", "headline": "title",
    "date": "published", "published": "published", "published_at": "published", "pubdate": "published",
    "author": "author", "authors": "author", "byline": "author",
    "url": "url", "source_url": "url", "link": "url", "canonical": "url", "original_url": "url",
    "outlet": "outlet", "publication": "outlet", "publisher": "outlet", "site": "outlet", "site_name": "outlet",
    "lang": "lang", "language": "lang",
}


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """The simple ``key: value`` pairs of a leading front-matter block, and where the block ends."""
    m = _FRONT.match(text)
    if not m:
        return {}, 0
    values = {}
    for line in (m.group(1) or "").splitlines():
        km = _KEY.match(line)
        if km and km.group(2):
            values[km.group(1).lower()] = km.group(2).strip("'\"")
    return values, m.end()


def read_markdown(path: Path) -> Extraction:
    text = decode_text(read_bytes(path), path)
    ext = Extraction("md", text)
    values, end = front_matter(text)
    if end:
        ext.regions.append(Region(0, end, "front-matter"))
    for key, value in values.items():
        name = _FIELDS.get(key)
        if name is None or name in ext.declared:
            continue
        if name == "published":
            value = iso_from_machine(value) or ""
        elif name == "lang":
            value = value.split("-")[0].split("_")[0].lower()
        elif name == "url" and not value.startswith(("http://", "https://")):
            continue
        if value:
            ext.declared[name] = (value, "text")
    if "title" not in ext.declared:
        heading = _HEADING.search(text, end)
        if heading:
            ext.declared["title"] = (heading.group(1).strip("*_ "), "text")
    return ext
