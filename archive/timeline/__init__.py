"""Case timelines: events with partial dates and cited passages, and their exports.

>>> tl = Timelines(arc.db, arc.article)
>>> export_timeline(tl.events(), "pdf", "case.pdf", name="Default")
"""
from __future__ import annotations

from .date_words import read_date
from .dates import human_date, human_range, iso_text, parse_partial_date
from .export import FORMATS, export_timeline
from .import_csv import import_csv
from .timelines import DEFAULT_TIMELINE, Timelines

__all__ = [
    "Timelines", "DEFAULT_TIMELINE", "parse_partial_date", "human_date", "human_range",
    "iso_text", "export_timeline", "import_csv", "FORMATS", "read_date",
]
