"""PDF export of Chinese, Arabic, Hebrew and emoji text: drawn with shipped fonts, or refused by name."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from archive.errors import InvalidInput
from archive.models import Citation, Event
from archive.timeline import export_timeline, parse_partial_date
from archive.timeline.pdf_fonts import missing_glyphs

CHINESE = "警方在机场逮捕了这名活动人士"
ARABIC = "قال المحامي إن الاحتجاز غير قانوني"
HEBREW = "בית המשפט"
JAPANESE = "ひらがな 東京"
EMOJI = "🚨✅"


def _text(path) -> str:
    # pypdf puts a NUL before each two-byte CID it decodes; the characters are what count.
    return "".join(p.extract_text() for p in PdfReader(path).pages).replace("\x00", "")


def _event(event_id, title, **fields):
    return Event(event_id, 1, parse_partial_date("2023-05-02"), title, **fields)


def test_cjk_arabic_hebrew_and_emoji_are_in_the_pdf(tmp_path):
    events = [
        _event(1, f"逮捕 {EMOJI}", description=CHINESE),
        _event(2, "Statement", description=ARABIC, tags=("تظاهرة",),
               citations=(Citation(1, 1, "/reports/a.txt", ARABIC, 0, 10, outlet="الجزيرة"),)),
        _event(3, HEBREW, notes=JAPANESE),
    ]
    out = export_timeline(events, "pdf", tmp_path / "scripts.pdf", name="Case 案件")
    text = _text(out)
    for words in (CHINESE, ARABIC, "الجزيرة", HEBREW, "ひらがな", "東京", "🚨", "✅", "案件"):
        assert words in text, words
    fonts = {f.get_object()["/BaseFont"] for page in PdfReader(out).pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("NotoSansCJK" in f for f in fonts) and any("NotoSansArabic" in f for f in fonts)
    assert any("NotoEmoji" in f for f in fonts)


def test_characters_no_font_has_fail_naming_event_and_characters(tmp_path):
    devanagari = "नमस्ते"
    events = [_event(1, "Fine"), _event(7, "Rally in Delhi", description=f"Banner: {devanagari}")]
    target = tmp_path / "lost.pdf"
    with pytest.raises(InvalidInput) as err:
        export_timeline(events, "pdf", target, name="Case")
    msg = str(err.value)
    assert "event 7 “Rally in Delhi”" in msg and "U+0928" in msg and "DEVANAGARI LETTER NA" in msg
    assert "event 1" not in msg and "CSV" in msg
    assert not target.exists(), "nothing is written when a character would be lost"


def test_marks_and_joiners_need_no_glyph_of_their_own():
    assert missing_glyphs("👨\u200d👩\u200d👧 ✌\ufe0f \u200f") == []
    assert missing_glyphs("ሰላም") == ["ሰ", "ላ", "ም"]


def test_shaping_only_when_the_text_needs_it():
    from archive.timeline.pdf_fonts import needs_shaping

    assert not needs_shaping("Arrest in Astana — Задержание 逮捕 Ελλάδα ✅")
    assert needs_shaping("قال المحامي") and needs_shaping("בית") and needs_shaping("नमस्ते")
    assert needs_shaping("family 👨\u200d👩\u200d👧") and needs_shaping("flag 🇫🇷") and needs_shaping("👍🏽")


def test_arabic_text_layer_reads_as_written(tmp_path):
    # Shaped (joined, right-to-left) glyphs; copying the text out gives the words in their order.
    out = export_timeline([_event(1, ARABIC)], "pdf", tmp_path / "ar.pdf", name="Case")
    assert ARABIC in _text(out)
    plain = export_timeline([_event(1, "Latin only")], "pdf", tmp_path / "latin.pdf", name="Case")
    assert "Latin only" in _text(plain)


def test_garbled_right_to_left_line_is_refused_not_written(tmp_path):
    # A right-to-left paragraph whose wrapped line mixes CJK and Hebrew: fpdf2 2.8 draws that
    # line with the wrong font. The export must say so instead of writing a PDF that lost it.
    mixed = ("العربية: تم القبض على الناشط في المطار. 中文：警方在机场逮捕了这名活动人士。 "
             "日本語 ひらがな abc שלום")
    target = tmp_path / "mixed.pdf"
    try:
        export_timeline([_event(4, "Mixed scripts", description=mixed)], "pdf", target, name="Case")
    except InvalidInput as err:
        assert "event 4 “Mixed scripts”" in str(err) and "garbled" in str(err)
        assert not target.exists()
    else:   # a fixed fpdf2: then every word must be in the file
        text = _text(target)
        assert "שלום" in text and "警方在机场逮捕了这名活动人士" in text
