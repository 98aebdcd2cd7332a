"""The fonts of the PDF export beyond DejaVu, and the check that every character has a glyph.

DejaVu Sans (the main face) has Latin, Cyrillic, Greek and most symbols but
no Chinese, Japanese, Korean, Arabic, Hebrew or emoji. fpdf2 would write such
text without glyphs (blank boxes, or nothing) and report success, so a case
file could lose a quote without anyone noticing. Here:

* Noto fonts shipped in ``resources/fonts`` are registered as fpdf2 fallback
  fonts (Arabic, Hebrew, a CJK subset, symbols, monochrome emoji);
* text shaping (HarfBuzz, through ``uharfbuzz``) is turned on when the text
  needs it (:func:`prepare_text`), so Arabic letters join and right-to-left
  runs are laid out in the right order;
* :func:`check_glyphs` refuses, before anything is written, text that some
  character of has no glyph in any of the fonts, naming the event and the
  characters (:class:`~archive.errors.InvalidInput`).

The CJK font is a subset of Noto Sans CJK SC: the characters of GB 2312,
JIS X 0208, KS X 1001 and Big5 level 1 (about 14,500, enough for news text in
Chinese, Japanese and Korean) plus CJK punctuation, kana and full-width
forms; ``packaging/make_pdf_fonts.py`` makes it.
"""
from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import InvalidInput, ReadError
from ..models import Event

__all__ = ["FALLBACK_FONTS", "add_fallback_fonts", "prepare_text", "check_glyphs", "missing_glyphs",
           "needs_shaping", "verify_text_layer"]

# family -> file in resources/fonts; the order is the order fpdf2 tries them.
FALLBACK_FONTS: dict[str, str] = {
    "NotoSansArabic": "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew": "NotoSansHebrew-Regular.ttf",
    "NotoSansCJK": "NotoSansCJKsc-Subset.otf",
    "NotoSansSymbols": "NotoSansSymbols-Regular.ttf",
    "NotoEmoji": "NotoEmoji-Regular.ttf",
}
MAIN_FONT = "DejaVuSans.ttf"
_SHOWN = 12
# Characters that only steer shaping or layout and need no glyph of their own.
_NO_GLYPH_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Mn"}


def _font_dir() -> Path:
    from ..paths import resources_dir

    return resources_dir() / "fonts"


def add_fallback_fonts(pdf) -> None:
    """Register the fallback fonts on an ``FPDF`` and turn text shaping on."""
    for family, filename in FALLBACK_FONTS.items():
        path = _font_dir() / filename
        if not path.is_file():
            raise ReadError(str(path), "a font the PDF export needs is missing; reinstall Casefile")
        pdf.add_font(family, "", str(path))
    # exact_match=False: bold and italic text fall back to these regular faces.
    pdf.set_fallback_fonts(list(FALLBACK_FONTS), exact_match=False)


def prepare_text(pdf, events: Sequence[Event], name: str) -> bool:
    """Check every character (:func:`check_glyphs`) and turn shaping on where the text needs it.

    Shaping doubles the time of an export, and Latin, Cyrillic, Greek and
    CJK text lays out the same without it; right-to-left scripts, combining
    marks and emoji sequences do not. Returns whether shaping is on.
    """
    check_glyphs(events, name)
    shaping = any(needs_shaping(text) for text in (name, *(t for e in events for t in _event_texts(e))))
    pdf.set_text_shaping(shaping)
    return shaping


# Emoji sequences drawn as one glyph: joiners, skin tones, flags, keycaps.
_SEQUENCE_MARKS = {0x200D, 0x20E3, 0xFE0F}


def needs_shaping(text: str) -> bool:
    """Whether ``text`` holds characters that only lay out right through a shaping engine."""
    for ch in text or "":
        cp = ord(ch)
        if cp < 0x0590:
            continue
        if unicodedata.bidirectional(ch) in ("R", "AL", "AN") or unicodedata.category(ch) in ("Mn", "Mc"):
            return True
        if cp in _SEQUENCE_MARKS or 0x1F1E6 <= cp <= 0x1F1FF or 0x1F3FB <= cp <= 0x1F3FF:
            return True
    return False


@functools.lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Every code point some font of the export has a glyph for."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for filename in (MAIN_FONT, *FALLBACK_FONTS.values()):
        path = _font_dir() / filename
        if not path.is_file():
            raise ReadError(str(path), "a font the PDF export needs is missing; reinstall Casefile")
        font = TTFont(str(path), lazy=True)
        try:
            points.update(font.getBestCmap())
        finally:
            font.close()
    return frozenset(points)


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of ``text`` that no export font can draw, in order of appearance."""
    covered = _covered()
    out: list[str] = []
    for ch in text or "":
        cp = ord(ch)
        if cp in covered or ch in out or ch.isspace():
            continue
        if unicodedata.category(ch) in _NO_GLYPH_CATEGORIES or 0xFE00 <= cp <= 0xFE0F \
                or 0xE0100 <= cp <= 0xE01EF:
            continue   # joiners, direction marks, variation selectors, combining marks
        out.append(ch)
    return out


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"“{ch}” (U+{ord(ch):04X}{' ' + name if name else ''})"


def _event_texts(event: Event) -> Iterable[str]:
    yield event.title
    yield event.description
    yield event.notes
    yield from event.tags
    yield from event.people
    yield from event.organisations
    yield from event.places
    for d in (event.start, event.end):
        if d is not None and d.text:
            yield d.text
    for c in event.citations:
        yield c.quote
        for value in (c.outlet, c.title, c.article_path, c.published):
            if value:
                yield value


def check_glyphs(events: Sequence[Event], name: str) -> None:
    """Raise ``InvalidInput`` naming each event (and the timeline name) with characters no font can draw."""
    problems: list[str] = []
    lost = missing_glyphs(name)
    if lost:
        problems.append(f"the timeline name “{name}”: " + ", ".join(_describe(c) for c in lost[:_SHOWN]))
    for event in events:
        lost = []
        for text in _event_texts(event):
            lost += [c for c in missing_glyphs(text) if c not in lost]
        if lost:
            more = f" and {len(lost) - _SHOWN} more" if len(lost) > _SHOWN else ""
            label = f"event {event.id}" if event.id is not None else "an event"
            problems.append(f"{label} “{event.title}”: "
                            + ", ".join(_describe(c) for c in lost[:_SHOWN]) + more)
    if problems:
        raise InvalidInput(
            "The PDF cannot show every character, so nothing was written. The PDF fonts have no "
            "glyph for: " + "; ".join(problems) + ". Export as CSV, JSON or Markdown instead "
            "(they keep every character), or change those characters."
        )


def _letters(text: str):
    """The letters outside Latin that a PDF's text layer must give back (layout adds none of them)."""
    return (ch for ch in text or "" if ord(ch) >= 0x0370 and unicodedata.category(ch).startswith("L"))


def verify_text_layer(path: Path, events: Sequence[Event], name: str) -> None:
    """Read the written PDF back and refuse it if letters of the events did not make it in.

    fpdf2 2.8 can emit a wrapped line of a right-to-left paragraph that mixes
    fallback fonts without selecting its font, so the line shows wrong
    glyphs; that happens only with shaping on, where this check runs. Each
    letter outside Latin must occur in the text layer at least as often as
    in the events (the layout adds none of its own).
    """
    from collections import Counter

    from pypdf import PdfReader

    found = Counter()
    for page in PdfReader(str(path)).pages:
        found.update(_letters(page.extract_text() or ""))
    wanted = Counter(_letters(name))
    per_event = []
    for event in events:
        letters = Counter(ch for text in _event_texts(event) for ch in _letters(text))
        wanted.update(letters)
        per_event.append((event, letters))
    short = {ch for ch, n in wanted.items() if found[ch] < n}
    if not short:
        return
    hit = [e for e, letters in per_event if short & set(letters)]
    names = "; ".join(f"event {e.id} “{e.title}”" if e.id is not None else f"“{e.title}”" for e in hit[:8])
    sample = "".join(sorted(short)[:12])
    raise InvalidInput(
        f"The PDF came out with some text garbled, so it was not written: {names} (letters such as "
        f"“{sample}”). This happens when a right-to-left paragraph mixes scripts across lines; put the "
        "Hebrew or Arabic part in a paragraph of its own, or export as CSV, JSON or Markdown."
    )
