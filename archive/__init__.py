"""Casefile's headless core. It never imports Qt.

    from archive import open_archive
    with open_archive(folder="~/reports") as arc:
        report = arc.index_folder("~/reports")
        hits = arc.search("extradition").hits
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Names are loaded on first use: ``from archive.errors import ...`` (or the
# desktop's first paint) must not pay for sqlite-utils, numpy and Whoosh.
_WHERE = {
    "Archive": "archive", "open_archive": "archive", "open_demo_archive": "archive",
    "CancelToken": "progress", "ProgressFn": "progress",
    **{name: "errors" for name in (
        "CasefileError", "Cancelled", "ArchiveInUse", "NotFound", "BadQuery", "ReadError",
        "InvalidInput", "StoreError")},
    **{name: "models" for name in (
        "Region", "ParsedArticle", "Article", "Problem", "IndexReport", "Hit", "SearchResult",
        "Fact", "Entity", "PartialDate", "Citation", "Event", "Timeline",
        "METADATA_FIELDS", "PROVENANCES", "CERTAINTIES", "FACT_KINDS")},
}


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'archive' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_WHERE))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .archive import Archive, open_archive, open_demo_archive  # noqa: F401
    from .errors import (  # noqa: F401
        ArchiveInUse, BadQuery, Cancelled, CasefileError, InvalidInput, NotFound, ReadError,
        StoreError,
    )
    from .models import (  # noqa: F401
        CERTAINTIES, FACT_KINDS, METADATA_FIELDS, PROVENANCES, Article, Citation, Entity, Event,
        Fact, Hit, IndexReport, ParsedArticle, PartialDate, Problem, Region, SearchResult, Timeline,
    )
    from .progress import CancelToken, ProgressFn  # noqa: F401

__all__ = [
    # the facade
    "Archive", "open_archive", "open_demo_archive", "CancelToken", "ProgressFn",
    # errors
    "CasefileError", "Cancelled", "ArchiveInUse", "NotFound", "BadQuery", "ReadError",
    "InvalidInput", "StoreError",
    # models
    "Region", "ParsedArticle", "Article", "Problem", "IndexReport", "Hit", "SearchResult", "Fact",
    "Entity", "PartialDate", "Citation", "Event", "Timeline",
    "METADATA_FIELDS", "PROVENANCES", "CERTAINTIES", "FACT_KINDS",
]
