"""Saved web pages (``.html``, ``.htm``): the article's text via trafilatura, metadata from meta tags.

trafilatura drops navigation, scripts, styles and comment threads and keeps
the article's paragraphs; they are joined with blank lines and the headline
is put on the first line. Metadata comes from the page's own tags
(``og:title``, ``article:published_time``, ``og:site_name``, ``author``,
canonical / ``og:url``, ``<html lang>``, JSON-LD ``NewsArticle``), all with
provenance ``html-meta``.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

from ..errors import ReadError
from .encoding import decode_html
from .extraction import Extraction
from .pubdate import iso_from_machine
from .source import read_bytes

__all__ = ["read_html", "page_metadata"]

_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "headline")
_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "published_time", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued", "dc.date",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published",
)
_SITE_KEYS = ("og:site_name", "application-name", "publisher", "dc.publisher")
_AUTHOR_KEYS = ("author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author")
_URL_KEYS = ("og:url", "twitter:url")
# Fewer words than this is a menu or a "Home" link that trafilatura's recall mode picked up.
_MIN_WORDS = 5


def _first(meta: dict[str, str], keys) -> Optional[str]:
    for key in keys:
        value = meta.get(key)
        if value and value.strip():
            return value.strip()
    return None


def _json_ld(doc) -> dict[str, str]:
    """datePublished / headline / author / publisher from JSON-LD article objects."""
    found: dict[str, str] = {}

    def visit(obj):
        if isinstance(obj, list):
            for item in obj:
                visit(item)
            return
        if not isinstance(obj, dict):
            return
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and ("Article" in k or k in ("WebPage", "Report")) for k in kinds):
            for key in ("datePublished", "headline"):
                if isinstance(obj.get(key), str):
                    found.setdefault(key.lower(), obj[key])
            for key, out in (("author", "author"), ("publisher", "publisher")):
                val = obj.get(key)
                vals = val if isinstance(val, list) else [val]
                names = [v.get("name") if isinstance(v, dict) else v for v in vals]
                names = [n for n in names if isinstance(n, str) and n.strip()]
                if names:
                    found.setdefault(out, ", ".join(names))
        visit(obj.get("@graph"))

    for script in doc.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            visit(json.loads(script.text))
        except (ValueError, RecursionError):
            continue
    return found


def page_metadata(doc) -> dict[str, tuple[str, str]]:
    """Metadata an lxml HTML document declares, as ``field -> (value, "html-meta")``."""
    meta: dict[str, str] = {}
    for tag in doc.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = tag.get("content")
        if key and content and key not in meta:
            meta[key] = content
    ld = _json_ld(doc)
    out: dict[str, tuple[str, str]] = {}

    title = _first(meta, _TITLE_KEYS) or ld.get("headline")
    if not title:
        node = doc.find(".//title")
        title = node.text_content().strip() if node is not None else None
    site = _first(meta, _SITE_KEYS) or ld.get("publisher")
    if title and site:
        for sep in (" | ", " - ", " — ", " – ", " :: "):
            if title.endswith(sep + site):
                title = title[: -len(sep + site)].strip()
    published = iso_from_machine(_first(meta, _DATE_KEYS) or ld.get("datepublished") or "")
    if not published:
        node = doc.find(".//time[@datetime]")
        published = iso_from_machine(node.get("datetime")) if node is not None else None
    # article:author is often a profile URL, which names no one.
    candidates = [meta.get(k, "").strip() for k in _AUTHOR_KEYS] + [ld.get("author", "")]
    author = next((a for a in candidates if a and not a.startswith(("http://", "https://")) and len(a) <= 100), None)
    if author and author.lower().startswith("by "):
        author = author[3:].strip()
    url = None
    for link in doc.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            url = link.get("href").strip()
            break
    url = url or _first(meta, _URL_KEYS)
    if url and not url.startswith(("http://", "https://")):
        url = None
    lang = doc.get("lang") or doc.get("xml:lang") or _first(meta, ("content-language", "og:locale", "language"))
    if lang:
        lang = lang.replace("_", "-").split("-")[0].strip().lower() or None

    for name, value in (("title", title), ("published", published), ("outlet", site),
                        ("author", author), ("url", url), ("lang", lang)):
        if value:
            out[name] = (" ".join(value.split()), "html-meta")
    return out


def read_html(path: Path) -> Extraction:
    import lxml.etree
    import lxml.html
    import trafilatura

    source = decode_html(read_bytes(path), path)
    if not source.strip():
        raise ReadError(path, "the web page is empty")
    try:
        doc = lxml.html.document_fromstring(source.encode("utf-8"),
                                            parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError):
        raise ReadError(path, "the web page is empty or too damaged to read") from None
    declared = page_metadata(doc)

    # trafilatura logs every page it finds no article in; the ReadError below says it once.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    body = None
    for kwargs in ({}, {"favor_recall": True}):
        try:
            body = trafilatura.extract(source, include_comments=False, include_tables=True,
                                       deduplicate=False, **kwargs)
        except Exception:  # trafilatura raises assorted lxml/Value errors on broken markup
            body = None
        if body and len(body.split()) >= _MIN_WORDS:
            break
    if not body or len(body.split()) < _MIN_WORDS:
        raise ReadError(path, "no article text found in the web page (empty, broken, or only navigation)")

    paragraphs = [" ".join(p.split()) for p in body.splitlines() if p.strip()]
    title = declared.get("title", (None, None))[0]
    if title and paragraphs and paragraphs[0].casefold() != title.casefold():
        paragraphs.insert(0, title)
    return Extraction("html", "\n\n".join(paragraphs) + "\n", declared=declared)
