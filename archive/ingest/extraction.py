"""What a format reader hands back before metadata and boilerplate are worked out."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Region

__all__ = ["Extraction"]


@dataclass
class Extraction:
    """The text of one file plus whatever the file itself declares.

    ``declared`` maps metadata fields (``title``, ``published``, ``outlet``,
    ``author``, ``url``, ``lang``) to ``(value, provenance)`` pairs the format
    states outright (HTML meta tags, Markdown front matter). Text-derived
    metadata only fills what is still missing.
    ``properties`` maps ``title``, ``author`` and ``published`` to what the
    file's document properties say (PDF document info, Word core
    properties); they only fill what the text leaves open (provenance
    ``doc-meta``).
    ``regions`` are boilerplate stretches the reader already knows about
    (a Markdown front-matter block, for instance).
    """
    format: str
    text: str
    declared: dict[str, tuple[str, str]] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)
    notes: dict = field(default_factory=dict)
