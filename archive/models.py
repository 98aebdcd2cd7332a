"""Plain data the core hands out. No behaviour beyond small conveniences.

Offsets (``start``/``end``) are always Python ``str`` indices into the
article's stored text, end exclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# The partial-date type lives in its own module; models name it for events.
from .partial_date import PartialDate

__all__ = [
    "Region", "ParsedArticle", "Article", "Problem", "IndexReport",
    "Hit", "SearchResult", "Fact", "Entity", "PartialDate", "Citation", "Event",
    "Timeline", "METADATA_FIELDS", "PROVENANCES", "CERTAINTIES", "FACT_KINDS",
]

# Article metadata a user can see and correct, and where a value can come from.
METADATA_FIELDS = ("title", "published", "outlet", "author", "url", "lang")
# "inferred": a publication date completed from the case (archive/indexing/inferred_dates.py).
PROVENANCES = ("text", "html-meta", "doc-meta", "url", "filename", "user", "inferred")
FACT_KINDS = ("date", "person", "org", "place", "quantity", "legal", "quote")
CERTAINTIES = ("confirmed", "reported", "disputed", "unverified")


@dataclass(frozen=True)
class Region:
    """A stretch of page boilerplate (link lists, 'Related articles', cookie notes...)."""
    start: int
    end: int
    label: str = "boilerplate"


@dataclass(frozen=True)
class ParsedArticle:
    """What ingest makes of one file, before it is stored.

    ``provenance`` maps each metadata field that has a value to one of
    ``PROVENANCES``. ``published`` is ISO 8601 at the precision known
    (``2022-12-14``); a date whose year is unknown is ``None`` with the
    partial value in ``notes['published_partial']`` (``XXXX-12-14``).
    """
    path: str
    format: str                      # txt, md, html, pdf, docx
    text: str
    body_end: int                    # text[body_end:] is trailing boilerplate
    regions: tuple[Region, ...] = ()  # every boilerplate region, including the tail
    title: Optional[str] = None
    published: Optional[str] = None
    outlet: Optional[str] = None
    author: Optional[str] = None
    url: Optional[str] = None
    lang: Optional[str] = None
    provenance: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Article:
    """A stored article. ``text`` is empty unless asked for."""
    id: int
    path: str
    relpath: str
    format: str
    sha256: str
    title: Optional[str]
    published: Optional[str]
    outlet: Optional[str]
    author: Optional[str]
    url: Optional[str]
    lang: Optional[str]
    provenance: dict
    body_end: int
    regions: tuple[Region, ...]
    fact_count: int = 0
    text: str = ""
    facts_note: Optional[str] = None   # "facts limited to the first 1,000,000 characters", a failed extraction


@dataclass(frozen=True)
class Problem:
    """A file that could not be read, with the reason in plain words."""
    path: str
    reason: str


@dataclass
class IndexReport:
    """What one indexing run did."""
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0                  # files of a format Casefile does not read
    problems: list[Problem] = field(default_factory=list)
    facts_extracted: int = 0          # articles whose facts were (re)extracted
    cancelled: bool = False
    notes: list[Problem] = field(default_factory=list)   # articles read, but whose facts were limited or failed


@dataclass(frozen=True)
class Hit:
    """One search result. ``snippet`` is HTML-escaped text with matches in <mark>...</mark>."""
    article_id: int
    path: str
    title: Optional[str]
    outlet: Optional[str]
    published: Optional[str]
    score: float
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    total: int                        # matches in the archive (may exceed len(hits))
    query: str


@dataclass(frozen=True)
class Fact:
    """One claim found in an article, tied to its exact words.

    ``value`` is the normalized value: ISO date at its precision for dates
    (``2022``, ``2022-11``, ``2022-11-30``, ``XXXX-12-06`` when the year is
    unknown, ``2022-12-05/2022-12-07`` for ranges), the canonical name for
    person/org/place, the lexicon key for legal steps (``charge:desertion``,
    ``step:deportation``), the number for quantities, the speaker for quotes.
    ``extra`` holds kind-specific details (``qualifier`` early/mid/late,
    ``unit``, ``counted``, ``subtype`` city/country, ``actor``, ``anchor``...).
    """
    kind: str
    text: str
    start: int
    end: int
    value: str
    basis: str
    sentence: str = ""
    confidence: float = 1.0
    extra: dict = field(default_factory=dict)
    id: Optional[int] = None
    article_id: Optional[int] = None
    entity_id: Optional[int] = None


@dataclass(frozen=True)
class Entity:
    """A person, organisation or place, across the whole archive."""
    id: int
    kind: str                         # person, org, place
    name: str                         # canonical name
    subtype: Optional[str] = None     # country, city, region, facility (places)
    aliases: tuple[str, ...] = ()
    article_count: int = 0
    mention_count: int = 0            # facts that name it, across the archive


@dataclass(frozen=True)
class Citation:
    """An exact passage of an article that supports an event.

    ``status`` is ``ok``, ``moved`` (re-anchored after the file changed) or
    ``missing`` (the passage is no longer in the article).
    """
    id: Optional[int]
    article_id: Optional[int]
    article_path: str
    quote: str
    start: int
    end: int
    outlet: Optional[str] = None
    published: Optional[str] = None
    title: Optional[str] = None
    status: str = "ok"
    url: Optional[str] = None         # the article's web address when known (read, not stored)


@dataclass(frozen=True)
class Event:
    id: Optional[int]
    timeline_id: Optional[int]
    start: PartialDate
    title: str
    end: Optional[PartialDate] = None
    description: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    certainty: str = "reported"
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    created: str = ""
    modified: str = ""


@dataclass(frozen=True)
class Timeline:
    id: int
    name: str
    event_count: int = 0
    created: str = ""
    modified: str = ""
