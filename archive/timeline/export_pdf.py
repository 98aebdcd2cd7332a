"""Export a timeline as a printable PDF (fpdf2) for a case file or a court bundle.

Layout: a title page (name, date range, number of events and distinct
sources, generated date), then the chronology: each event's date (at its
precision), title, certainty, tags, linked names, description and notes,
followed by its citations as indented quotes with their source's number, and
last the numbered list of sources (outlet, date, title, web address, path).
Every page has "Page N of M" and the generated date in its footer.

The DejaVu Sans fonts shipped in ``resources/fonts`` are embedded so that
Cyrillic, Greek, accented Latin and most symbols render.
"""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Mapping, Optional, Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..errors import ReadError
from ..paths import resources_dir
from ..models import Event
from .dates import human_range
from .pdf_fonts import add_fallback_fonts, missing_glyphs, needs_shaping, prepare_text, verify_text_layer
from .sources import SourceList
from .summary import generated_text, source_line, summarize

__all__ = ["write_pdf", "font_dir"]

FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
INK = (20, 20, 20)
MUTED = (100, 100, 100)
ACCENT = (150, 40, 30)
RULE = (200, 200, 200)
CERTAINTY_COLOURS = {
    "confirmed": (30, 110, 50), "reported": (40, 80, 150),
    "disputed": (170, 60, 20), "unverified": (120, 120, 120),
}


def font_dir() -> Path:
    """The shipped fonts, in the bundled ``resources/fonts``."""
    return resources_dir() / "fonts"


class _TimelinePDF(FPDF):
    def __init__(self, name: str, generated: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.case_name = name
        self.generated = generated
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=22)
        for style, filename in _FONT_FILES.items():
            path = font_dir() / filename
            if not path.is_file():
                raise ReadError(str(path), "a font the PDF export needs is missing; reinstall Casefile")
            self.add_font(FAMILY, style, str(path))
        add_fallback_fonts(self)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width / 2, 5, f"{self.case_name} · generated {self.generated}")
        self.cell(width / 2, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def _title_page(pdf: _TimelinePDF, events: Sequence[Event], name: str) -> None:
    s = summarize(events)
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_font(FAMILY, "", 11)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 8, "CASE TIMELINE", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 26)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 12, name, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 40, pdf.get_y())
    pdf.ln(8)
    rows = (
        ("Period", s.date_range),
        ("Events", str(s.events)),
        ("Sources", f"{s.sources} distinct article{'s' if s.sources != 1 else ''} cited"),
        ("Generated", pdf.generated),
    )
    for label, value in rows:
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*MUTED)
        pdf.cell(30, 7, label)
        pdf.set_font(FAMILY, "", 12)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 7, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(-60)
    pdf.set_font(FAMILY, "I", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        0, 4.5,
        "Dates are shown at the precision known: a day (6 Dec 2022), a month (Dec 2022) or a year; "
        "“c.” marks an approximate date. Each event lists the exact passages it rests on; the "
        "number before a source refers to the numbered list of sources at the end.",
        align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )


def _line(pdf: FPDF, text: str, size: float, style: str = "", colour=INK, height: float = 5.2) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(*colour)
    # Left-aligned: justified lines stretch paths and quotes into gaps.
    pdf.multi_cell(0, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _event(pdf: FPDF, event: Event, sources: SourceList, notes: bool = True,
           disputed: Sequence[str] = ()) -> None:
    # Keep an event's date and title off the bottom of a page by themselves.
    if pdf.will_page_break(32):
        pdf.add_page()
    _line(pdf, human_range(event.start, event.end), 10, "B", ACCENT)
    words = [d.text for d in (event.start, event.end) if d is not None and d.text]
    if words:
        _line(pdf, "date from: " + " / ".join(f"“{w}”" for w in words), 8, "I", MUTED, 4.2)
    pdf.ln(0.8)
    _line(pdf, event.title, 12.5, "B", INK, 6)
    pdf.ln(0.5)
    pdf.set_font(FAMILY, "B", 8.5)
    pdf.set_text_color(*CERTAINTY_COLOURS.get(event.certainty, MUTED))
    label = event.certainty.upper()
    pdf.cell(pdf.get_string_width(label) + 3, 5, label)
    if event.tags:
        pdf.set_font(FAMILY, "", 8.5)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(0, 5, "·  " + ", ".join(f"#{t}" for t in event.tags), align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.ln(5)
    for title, names in (("People", event.people), ("Organisations", event.organisations),
                         ("Places", event.places)):
        if names:
            _line(pdf, f"{title}: {', '.join(names)}", 9, "", MUTED, 4.8)
    if event.description:
        pdf.ln(1.5)
        _line(pdf, event.description, 10.5, "", INK, 5.4)
    if notes and event.notes:
        pdf.ln(1.5)
        _line(pdf, f"Notes: {event.notes}", 9.5, "I", MUTED, 5)
    for line in disputed:
        # The line is derived (outlets, values), not the user's text: a character no
        # font can draw becomes "?" instead of refusing the whole export.
        for ch in missing_glyphs(line):
            line = line.replace(ch, "?")
        pdf.ln(1.5)
        _line(pdf, line, 9.5, "B", CERTAINTY_COLOURS["disputed"], 5)
    for c in event.citations:
        _citation(pdf, c, sources.number(c))
    pdf.ln(4)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(5)


def _citation(pdf: FPDF, c, number: int) -> None:
    indent = 8
    pdf.ln(2)
    left = pdf.l_margin
    pdf.set_left_margin(left + indent)
    pdf.set_x(left + indent)
    top, page = pdf.get_y(), pdf.page_no()
    # Blank lines between the quoted paragraphs would leave holes in the page.
    quote = re.sub(r"\n\s*\n+", "\n", c.quote.strip())
    _line(pdf, f"“{quote}”", 10, "I", INK, 5.2)
    flag = {"moved": "  (re-anchored after the article changed)",
            "missing": "  (this passage is no longer in the article)"}.get(c.status, "")
    _line(pdf, f"— [{number}] {source_line(c, with_path=False) or c.article_path}{flag}", 8.5, "", MUTED, 4.5)
    if pdf.page_no() == page:
        # A quotation bar, drawn only when the citation did not cross a page.
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.6)
        pdf.line(left + 3, top + 0.5, left + 3, pdf.get_y() - 0.5)
    pdf.set_left_margin(left)
    pdf.set_x(left)


def _source_list(pdf: FPDF, sources: SourceList) -> None:
    """The numbered list of every article cited, on its own page after the chronology."""
    pdf.add_page()
    _line(pdf, "Sources", 16, "B", INK, 8)
    pdf.ln(2)
    _line(pdf, "Each citation in the chronology refers to its article by number.", 9, "I", MUTED, 4.8)
    pdf.ln(3)
    left = pdf.l_margin
    for s in sources:
        if pdf.will_page_break(16):
            pdf.add_page()
        top = pdf.get_y()
        pdf.set_font(FAMILY, "B", 10)
        pdf.set_text_color(*ACCENT)
        pdf.cell(10, 5.2, f"{s.number}.")
        pdf.set_left_margin(left + 10)
        pdf.set_xy(left + 10, top)
        _line(pdf, s.line(with_path=False) if (s.outlet or s.title or s.published or s.url) else s.path,
              10, "", INK, 5.2)
        extra = [s.path] if (s.outlet or s.title or s.published or s.url) else []
        extra.append(f"{s.passages} passage{'s' if s.passages != 1 else ''} cited")
        _line(pdf, " · ".join(extra), 8, "", MUTED, 4.2)
        pdf.set_left_margin(left)
        pdf.set_x(left)
        pdf.ln(2.5)


def write_pdf(events: Sequence[Event], path: Path, *, name: str,
              generated: Optional[_dt.datetime] = None, notes: bool = True,
              conflicts: Optional[Mapping[int, Sequence[str]]] = None) -> Path:
    when = generated_text(generated)
    pdf = _TimelinePDF(name, when)
    shaping = prepare_text(pdf, events, name)
    if not shaping and any(needs_shaping(line) for lines in (conflicts or {}).values() for line in lines):
        # An outlet or a disputed value in a right-to-left script is laid out like the events' text.
        pdf.set_text_shaping(True)
    pdf.set_title(f"Case timeline: {name}")
    pdf.set_creator("Casefile")
    if generated is not None:
        pdf.set_creation_date(generated)
    _title_page(pdf, events, name)
    pdf.add_page()
    if not events:
        _line(pdf, "This timeline has no events yet.", 11, "I", MUTED)
    sources = SourceList.of(events)
    for event in events:
        _event(pdf, event, sources, notes, (conflicts or {}).get(event.id, ()))
    if len(sources):
        _source_list(pdf, sources)
    pdf.output(str(path))
    if shaping:
        verify_text_layer(path, events, name)
    return path
