"""Casefile's headless core. It never imports Qt.

    from archive import open_archive
    with open_archive(folder="~/reports") as arc:
        report = arc.index_folder("~/reports")
        hits = arc.search("extradition").hits
"""
from __future__ import annotations

from .archive import Archive, open_archive, open_demo_archive
from .errors import (
    ArchiveInUse, BadQuery, Cancelled, CasefileError, InvalidInput, NotFound, ReadError, StoreError,
)
from .models import (
    CERTAINTIES, FACT_KINDS, METADATA_FIELDS, PROVENANCES, Article, Citation, Entity, Event, Fact,
    Hit, IndexReport, ParsedArticle, PartialDate, Problem, Region, SearchResult, Timeline,
)
from .progress import CancelToken, ProgressFn

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
