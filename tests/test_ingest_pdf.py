"""PDF text layers: wrapped lines joined into paragraphs, real paragraph breaks kept."""
from __future__ import annotations

import pytest

from archive.ingest import read_article
from archive.ingest.pdflines import PdfLine, join_pages, page_paragraphs

# Made-up prose; long enough that fpdf2 wraps each paragraph over several lines.
PARAGRAPHS = [
    "An appeals court in the capital on Wednesday upheld the deportation order against the officer, "
    "and his lawyers said they would take the case to the Supreme Court of Examplia within the week.",
    "Judge Anna Maria Kowalczyk-Berg said the lower court had weighed the evidence with care. The "
    "ministry declined to comment, and the family of Jan Erik Svensson said they were shocked.",
    "Rights groups said the ruling broke the ban on returning people to persecution, and they asked "
    "the government to halt every removal until the highest court had ruled on the matter.",
]


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def flowed_pdf(paragraphs, gap=4.0, title=None, masthead=None, width=None):
    """Paragraphs set by fpdf2's own line wrapping, ``gap`` mm apart."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if title:
        pdf.set_font("helvetica", "B", 20)
        pdf.multi_cell(width or 0, 9, title, new_x="LMARGIN", new_y="NEXT")
    if masthead:
        pdf.set_font("helvetica", size=9)
        pdf.multi_cell(0, 5, masthead, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for para in paragraphs:
        pdf.multi_cell(width or 0, 6, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)
    return bytes(pdf.output())


def placed_pdf(pages):
    """Lines placed by hand: ``pages`` is a list of pages, each a list of ``(text, x_mm, y_mm, size)``."""
    from fpdf import FPDF

    pdf = FPDF()
    for lines in pages:
        pdf.add_page()
        for text, x, y, size in lines:
            pdf.set_font("helvetica", size=size)
            pdf.set_xy(x, y)
            pdf.cell(text=text)
    return bytes(pdf.output())


def column(lines, x=20, top=20, pitch=6, size=11, gaps=(), indents=()):
    """``lines`` one under the other; a line index in ``gaps`` gets extra space above it, in ``indents`` an indent."""
    out, y = [], top
    for i, text in enumerate(lines):
        if i in gaps:
            y += pitch
        out.append((text, x + (6 if i in indents else 0), y, size))
        y += pitch
    return out


def body_lines(art):
    return [l for l in art.text[: art.body_end].split("\n") if l.strip()]


def test_wrapped_paragraphs_come_out_whole(tmp_path):
    art = read_article(write(tmp_path, "report.pdf", flowed_pdf(PARAGRAPHS)))
    for para in PARAGRAPHS:
        assert para in art.text            # every wrapped line joined, names and all
    assert art.text.count("\n\n") == len(PARAGRAPHS) - 1   # and the paragraphs kept apart
    assert "Jan Erik Svensson" in art.text


def test_narrow_column_wraps_are_joined_too(tmp_path):
    art = read_article(write(tmp_path, "narrow.pdf", flowed_pdf(PARAGRAPHS, width=70)))
    for para in PARAGRAPHS:
        assert para in art.text


def test_paragraphs_without_vertical_space_split_at_short_last_lines(tmp_path):
    lines = [
        "The court upheld the order against the officer on Wednesday, and his lawyers",
        "said they would appeal to the highest court of the country within the week.",
        "It was over.",
        "The ministry declined to comment on the ruling, which rights groups had urged",
        "the judges to overturn before the end of the month.",
    ]
    art = read_article(write(tmp_path, "tight.pdf", placed_pdf([column(lines)])))
    assert body_lines(art) == [
        f"{lines[0]} {lines[1]}",
        lines[2],
        f"{lines[3]} {lines[4]}",
    ]


def test_indented_first_lines_start_paragraphs(tmp_path):
    lines = [
        "The court upheld the order against the officer on Wednesday, and the hearing",
        "lasted less than an hour before the judges retired to consider the matter at hand.",
        "Rights groups condemned the ruling and said they would write to the government",
        "to ask for a halt to every removal until the highest court had ruled on it.",
    ]
    art = read_article(write(tmp_path, "indent.pdf", placed_pdf([column(lines, indents=(0, 2))])))
    assert body_lines(art) == [f"{lines[0]} {lines[1]}", f"{lines[2]} {lines[3]}"]


def test_full_line_ending_a_sentence_continues_where_paragraphs_have_gaps(tmp_path):
    # A sentence that happens to end at the right margin does not end the paragraph
    # when the page marks paragraphs with space and there is none here.
    lines = [
        "The court upheld the deportation order against the officer this week in the capital.",
        "His lawyers said they would appeal to the highest court of the country within days.",
        "The ministry declined to comment.",
        "Rights groups said the ruling broke the ban on returning people to persecution.",
    ]
    art = read_article(write(tmp_path, "gaps.pdf", placed_pdf([column(lines, gaps=(3,))])))
    assert body_lines(art) == [" ".join(lines[:3]), lines[3]]


def test_headline_wrapped_in_a_large_font_and_a_masthead_under_it(tmp_path):
    data = flowed_pdf(PARAGRAPHS[:2], title="Appeals court keeps the deportation order in place for the officer",
                      masthead="Example Courier | 19 March 2025 | By Jane Doe", width=120)
    art = read_article(write(tmp_path, "headline.pdf", data))
    assert art.title == "Appeals court keeps the deportation order in place for the officer"
    assert art.published == "2025-03-19" and art.outlet == "Example Courier" and art.author == "Jane Doe"
    assert "By Jane Doe\n\nAn appeals court" in art.text   # the masthead is not glued to the body


def test_list_items_stay_on_their_own_lines(tmp_path):
    lines = [
        "The court listed the steps that the government had taken against the officer so far:",
        "- a suspended sentence for crossing the border without permission,",
        "- a refusal of asylum by the migration agency of the country,",
        "- a request for extradition sent by the prosecutors at home.",
    ]
    art = read_article(write(tmp_path, "list.pdf", placed_pdf([column(lines)])))
    assert body_lines(art) == lines


def test_sentence_cut_by_a_page_break_is_rejoined(tmp_path):
    first = ["The court upheld the order against the officer on Wednesday, and his lawyers said",
             "they would take the matter to the highest court of the country within the"]
    second = ["week, once the written judgment had been served on the family.",
              "The ministry declined to comment."]
    art = read_article(write(tmp_path, "pages.pdf", placed_pdf([column(first), column(second)])))
    assert f"{first[0]} {first[1]} {second[0]}" in art.text


@pytest.mark.parametrize("before,after,elsewhere,expected", [
    # The word is spelt whole elsewhere in the document: a break inside it.
    ("the judge read out the exam-", "ple of an earlier case", "Another example follows.",
     "the judge read out the example of an earlier case"),
    # A real compound keeps its hyphen.
    ("he was given a six-", "month suspended sentence", "The six-month term began.",
     "he was given a six-month suspended sentence"),
    # Nothing to go by: the hyphen stays, the word is not split by a space.
    ("the judge read out the exam-", "ple of an earlier case", "Nothing else here.",
     "the judge read out the exam-ple of an earlier case"),
])
def test_hyphen_at_a_line_end(before, after, elsewhere, expected):
    # Without positions the text decides: a lower-case start after no sentence end goes on.
    text = join_pages([[PdfLine(before), PdfLine(after), PdfLine(""), PdfLine(elsewhere)]])
    assert text.split("\n\n")[0] == expected


def test_soft_hyphen_is_dropped():
    assert page_paragraphs([PdfLine("the exam\u00ad"), PdfLine("ple of a case")]) == ["the example of a case"]


def test_lines_without_positions_use_the_text_alone():
    lines = [PdfLine("Court keeps officer in detention"), PdfLine("Example Courier | 19 March 2025"),
             PdfLine("The court upheld the order against the officer on Wednesday, and his"),
             PdfLine("lawyers said they would appeal to the highest court of the country."),
             PdfLine("The ministry declined to comment on the case, which rights groups had"),
             PdfLine("followed closely.")]
    assert page_paragraphs(lines) == [
        "Court keeps officer in detention",
        "Example Courier | 19 March 2025",
        "The court upheld the order against the officer on Wednesday, and his lawyers said they would "
        "appeal to the highest court of the country.",
        "The ministry declined to comment on the case, which rights groups had followed closely.",
    ]


def test_demo_pdf_reads_as_paragraphs(demo_dir):
    art = read_article(next(demo_dir.glob("06-*.pdf")))
    lines = body_lines(art)
    assert "\n" not in art.title
    # Every body paragraph but the headline and the masthead ends a sentence: nothing is cut mid-way.
    assert all(l.rstrip().endswith((".", '"', "”")) for l in lines[2:]), lines
    assert len(lines) >= 8
    assert art.published == "2025-03-19" and art.provenance["published"] == "text"
    # The publisher's note at the end is a footer, outside the body.
    footer = [r for r in art.regions if r.label == "footer"]
    assert footer and footer[0].start == art.body_end and footer[-1].end == len(art.text)
    assert "published weekly" in art.text[art.body_end:]


def test_two_columns_read_one_after_the_other(tmp_path):
    left = ["The court upheld the order against the officer",
            "on Wednesday, and his lawyers said they would",
            "take the matter to the highest court within the"]
    right = ["week. The ministry declined to comment on the",
             "ruling, which rights groups condemned, saying it",
             "broke the ban on returning people to danger."]
    page = column(left, x=15, size=10) + column(right, x=110, size=10)
    art = read_article(write(tmp_path, "columns.pdf", placed_pdf([page])))
    assert " ".join(left + right) in art.text
