"""Document properties of PDF and Word files: fallbacks below the text, placeholders ignored."""
from __future__ import annotations

import datetime as dt

import pytest

from archive.ingest import read_article
from archive.ingest.docprops import clean_author, clean_date, clean_title

# One long paragraph and nothing else: the text names no title, date or author.
LONG = (
    "An appeals court on Wednesday upheld the deportation order against the officer who crossed the border on "
    "foot, and his lawyers said they would take the case to the supreme court of the country within the week, "
    "arguing that the lower courts had ignored the risk he faces at home, where he is wanted for desertion."
)
DATED = "Court upholds deportation order\n\n3 March 2021\n\n" + LONG


def make_docx(path, paragraphs, **props):
    import docx

    document = docx.Document()
    for para in paragraphs:
        document.add_paragraph(para)
    core = document.core_properties
    for name, value in props.items():
        setattr(core, name, value)
    document.save(path)
    return path


def make_pdf(path, paragraphs, title=None, author=None, created=None, creator=None, producer=None):
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if creator:
        pdf.set_creator(creator)
    if producer:
        pdf.set_producer(producer)
    if created:
        pdf.set_creation_date(created)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for para in paragraphs:
        pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    path.write_bytes(bytes(pdf.output()))
    return path


def test_docx_properties_fill_what_the_text_leaves_open(tmp_path):
    path = make_docx(tmp_path / "a.docx", [LONG], title="Court upholds deportation order", author="Jane Doe",
                     created=dt.datetime(2021, 3, 3, 9, 30))
    art = read_article(path)
    assert art.title == "Court upholds deportation order" and art.provenance["title"] == "doc-meta"
    assert art.author == "Jane Doe" and art.provenance["author"] == "doc-meta"
    assert art.published == "2021-03-03" and art.provenance["published"] == "doc-meta"


def test_docx_text_beats_its_properties(tmp_path):
    path = make_docx(tmp_path / "a.docx", ["Court upholds deportation order", "3 March 2021 · By John Roe", LONG],
                     title="Draft of the piece, third version", author="Jane Doe",
                     created=dt.datetime(2021, 4, 20))
    art = read_article(path)
    assert art.title == "Court upholds deportation order" and art.provenance["title"] == "text"
    assert art.published == "2021-03-03" and art.provenance["published"] == "text"
    assert art.author == "John Roe" and art.provenance["author"] == "text"


def test_python_docx_defaults_are_not_metadata(tmp_path):
    # A new python-docx document says author "python-docx", created 2013-12-23.
    path = make_docx(tmp_path / "plain.docx", [LONG])
    art = read_article(path)
    assert art.author is None and art.published is None
    assert "doc-meta" not in art.provenance.values()


def test_word_title_that_is_a_file_name_is_ignored(tmp_path):
    path = make_docx(tmp_path / "a.docx", [LONG], title="Microsoft Word - notes_final.docx",
                     author="Microsoft Office User")
    art = read_article(path)
    assert art.provenance.get("title") != "doc-meta" and art.author is None


def test_pdf_document_info(tmp_path):
    path = make_pdf(tmp_path / "a.pdf", [LONG], title="Court upholds deportation order", author="Jane Doe",
                    created=dt.datetime(2021, 3, 3, 11, 0, tzinfo=dt.timezone.utc))
    art = read_article(path)
    assert art.title == "Court upholds deportation order" and art.provenance["title"] == "doc-meta"
    assert art.author == "Jane Doe" and art.provenance["author"] == "doc-meta"
    assert art.published == "2021-03-03" and art.provenance["published"] == "doc-meta"


def test_pdf_text_date_wins_over_the_creation_date(tmp_path):
    path = make_pdf(tmp_path / "a.pdf", DATED.split("\n\n"), created=dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc))
    art = read_article(path)
    assert art.published == "2021-03-03" and art.provenance["published"] == "text"


def test_pdf_author_that_is_the_producing_tool_is_ignored(tmp_path):
    path = make_pdf(tmp_path / "a.pdf", [LONG], author="Example Writer Pro", producer="Example Writer Pro 4.2")
    assert read_article(path).author is None


def test_browser_print_date_is_not_a_publication_date(tmp_path):
    path = make_pdf(tmp_path / "a.pdf", [LONG], creator="Mozilla/5.0 (X11) Chrome/120.0 Safari/537.36",
                    producer="Skia/PDF m120", created=dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc))
    art = read_article(path)
    assert art.published is None


def test_creation_date_completes_a_printed_day_and_month(tmp_path):
    text = ["Court upholds deportation order", "Wednesday 3 March", LONG]
    path = make_pdf(tmp_path / "a.pdf", text, created=dt.datetime(2021, 3, 3, 18, 0, tzinfo=dt.timezone.utc))
    art = read_article(path)
    assert art.published == "2021-03-03" and art.provenance["published"] == "doc-meta"
    assert "creation date" in art.notes["published_basis"]


def test_creation_date_of_another_day_does_not_complete_a_printed_date(tmp_path):
    text = ["Court upholds deportation order", "3 March", LONG]
    path = make_pdf(tmp_path / "a.pdf", text, created=dt.datetime(2021, 6, 9, tzinfo=dt.timezone.utc))
    art = read_article(path)
    assert art.published is None and art.notes["published_partial"] == "XXXX-03-03"


@pytest.mark.parametrize("value,expected", [
    ("Court upholds deportation order", "Court upholds deportation order"),
    ("  Court   upholds\norder ", "Court upholds order"),
    ("Untitled", None), ("untitled-3", None), ("Document1", None), ("report_final.pdf", None),
    ("Microsoft Word - Court upholds order", "Court upholds order"),
    ("", None), (None, None), ("12345", None),
])
def test_clean_title(value, expected):
    assert clean_title(value) == expected


@pytest.mark.parametrize("value,expected", [
    ("Jane Doe", "Jane Doe"), ("python-docx", None), ("Administrator", None), ("jdoe@example.org", None),
    ("LibreOffice Writer", None), ("Microsoft Office User", None), ("", None),
])
def test_clean_author(value, expected):
    assert clean_author(value) == expected


@pytest.mark.parametrize("value,expected", [
    (dt.datetime(2021, 3, 3, 9, 0), "2021-03-03"),
    (dt.datetime(2013, 12, 23, 23, 15, tzinfo=dt.timezone.utc), None),   # python-docx's template
    (dt.datetime(1970, 1, 1), None), (dt.datetime(1980, 1, 1), None),
    (dt.datetime.now() + dt.timedelta(days=40), None), ("2021-03-03", None), (None, None),
])
def test_clean_date(value, expected):
    assert clean_date(value) == expected
