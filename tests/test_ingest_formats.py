"""Reading each supported format and encoding from real files on disk."""
from __future__ import annotations

import codecs

import pytest

from archive.ingest import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, format_of, is_supported, read_article
from archive.models import ParsedArticle

ENGLISH = (
    "Court upholds deportation order\n"
    "\r\n"
    "March 3, 2021\n"
    "\n"
    "An appeals court on Wednesday upheld the order, and the lawyers for the man said they would "
    "take the case to the supreme court of the country within the week.  \n"
    "\tThe ministry said it had acted within the law and declined to comment further on the case.\n"
)

RUSSIAN = (
    "Суд оставил в силе решение о депортации\n\n"
    "Апелляционный суд в среду оставил в силе решение о депортации мужчины, который пересёк границу. "
    "Его адвокаты заявили, что обжалуют это решение в Верховном суде, а семья опасается преследования. "
    "Министерство внутренних дел не ответило на запрос о комментарии. Правозащитники считают, что "
    "решение нарушает закон о беженцах и международные обязательства страны.\n"
)

FRENCH = (
    "La cour confirme l'expulsion\n\n"
    "La cour d'appel a confirmé mercredi la décision très contestée d'expulser cet homme, "
    "arrivé après des mois de fuite. Ses avocats ont déclaré qu'ils iraient devant la Cour suprême "
    "et que la procédure n'était pas terminée. Où est la justice, demande sa famille?\n"
)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_supported_suffixes_and_side_files():
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
    assert MAX_FILE_BYTES >= 1024 * 1024
    assert is_supported("a/report.TXT") and is_supported("x.markdown") and is_supported("page.htm")
    assert not is_supported("notes.rtf") and not is_supported("scan.png") and not is_supported("README")
    assert not is_supported("._report.txt")   # macOS resource fork
    assert not is_supported("~$draft.docx")   # Word lock file
    assert format_of("a.HTM") == "html" and format_of("b.markdown") == "md" and format_of("c.doc") is None


def test_utf8_text_is_kept_exactly(tmp_path):
    path = write(tmp_path, "court.txt", ENGLISH)
    art = read_article(path)
    assert isinstance(art, ParsedArticle)
    assert art.format == "txt"
    assert art.text == ENGLISH          # \r\n, tabs and trailing spaces untouched
    assert art.path == str(path)
    assert art.title == "Court upholds deportation order"
    assert art.published == "2021-03-03" and art.provenance["published"] == "text"
    assert art.lang == "en"
    assert art.body_end == len(art.text) and art.regions == ()


@pytest.mark.parametrize("bom, codec", [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_byte_order_marks_are_removed_and_nothing_else(tmp_path, bom, codec):
    art = read_article(write(tmp_path, "bom.txt", bom + RUSSIAN.encode(codec)))
    assert art.text == RUSSIAN
    assert not art.text.startswith("\ufeff")
    assert art.lang == "ru"


def test_cp1251_russian_is_detected(tmp_path):
    art = read_article(write(tmp_path, "ru.txt", RUSSIAN.encode("cp1251")))
    assert art.text == RUSSIAN
    assert art.lang == "ru"
    assert art.title.startswith("Суд оставил")


def test_koi8_russian_is_detected(tmp_path):
    assert read_article(write(tmp_path, "koi.txt", RUSSIAN.encode("koi8_r"))).text == RUSSIAN


def test_cp1252_french_is_detected(tmp_path):
    art = read_article(write(tmp_path, "fr.txt", FRENCH.encode("cp1252")))
    assert art.text == FRENCH
    assert art.lang == "fr"


def test_markdown_front_matter_and_verbatim_text(tmp_path):
    md = (
        "---\n"
        "title: Court upholds deportation\n"
        "date: 2021-03-03\n"
        "author: Jane Doe\n"
        "url: https://www.rferl.org/a/court-upholds/123.html\n"
        "---\n"
        "# A heading that is not the title\n\n"
        "*An appeals court* upheld the order on Wednesday, and the lawyers said they would appeal "
        "to the supreme court of the country. The ministry declined to comment on the case.\n"
    )
    art = read_article(write(tmp_path, "story.md", md))
    assert art.format == "md"
    assert art.text == md
    assert art.title == "Court upholds deportation" and art.provenance["title"] == "text"
    assert art.published == "2021-03-03"
    assert art.author == "Jane Doe"
    assert art.url.startswith("https://www.rferl.org/")
    assert art.outlet == "Radio Free Europe/Radio Liberty" and art.provenance["outlet"] == "url"
    front = [r for r in art.regions if r.label == "front-matter"]
    assert front and front[0].start == 0 and art.text[front[0].end - 4:front[0].end] == "---\n"


def test_markdown_heading_is_the_title(tmp_path):
    md = "# Deportation upheld\n\nThe court upheld the order and the lawyers said they would appeal it again.\n"
    art = read_article(write(tmp_path, "story.markdown", md))
    assert art.title == "Deportation upheld"
    assert art.text == md


HTML = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Court upholds deportation order | Example Times</title>
<meta property="og:title" content="Court upholds deportation order">
<meta property="og:site_name" content="Example Times">
<meta property="article:published_time" content="2021-03-03T16:51:00+06:00">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="https://www.example-times.test/2021/03/03/court-upholds">
<style>body { color: red; } .secret-style-marker { }</style>
<script>var trackingMarker = "do-not-index";</script>
</head>
<body>
<nav><ul><li><a href="/">Home page link</a></li><li><a href="/world">World section link</a></li></ul></nav>
<article>
<h1>Court upholds deportation order</h1>
<p>An appeals court on Wednesday upheld the deportation order against the man, and his lawyers said
they would take the case to the supreme court of the country within the week.</p>
<p>The ministry said it had acted within the law and declined to comment further on the case, while
rights groups called the decision a breach of the refugee convention.</p>
<p>His wife said the family had not been told where he was being held and feared for his safety.</p>
</article>
<footer>Copyright footer marker</footer>
</body>
</html>
"""


def test_html_main_text_and_meta_tags(tmp_path):
    art = read_article(write(tmp_path, "page.html", HTML))
    assert art.format == "html"
    assert art.text.split("\n", 1)[0] == "Court upholds deportation order"
    assert "An appeals court on Wednesday upheld" in art.text
    assert "declined to comment further" in art.text
    for junk in ("trackingMarker", "secret-style-marker", "World section link"):
        assert junk not in art.text
    # paragraphs are separated by blank lines
    assert "within the week.\n\nThe ministry said" in art.text
    assert art.title == "Court upholds deportation order" and art.provenance["title"] == "html-meta"
    assert art.published == "2021-03-03" and art.provenance["published"] == "html-meta"
    assert art.outlet == "Example Times" and art.provenance["outlet"] == "html-meta"
    assert art.author == "Jane Doe" and art.provenance["author"] == "html-meta"
    assert art.url == "https://www.example-times.test/2021/03/03/court-upholds"
    assert art.lang == "en" and art.provenance["lang"] == "html-meta"


def test_html_declared_legacy_charset(tmp_path):
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<title>Депортация</title></head><body><article>"
        + "".join(f"<p>{s}</p>" for s in RUSSIAN.split("\n\n")[1].split(". "))
        + "</article></body></html>"
    )
    art = read_article(write(tmp_path, "ru.htm", page.encode("cp1251")))
    assert "Апелляционный суд" in art.text
    assert art.lang == "ru"


def make_pdf(paragraphs):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for para in paragraphs:
        pdf.multi_cell(0, 8, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())


def test_pdf_text_layer(tmp_path):
    data = make_pdf([
        "Court upholds deportation order",
        "March 3, 2021",
        "An appeals court on Wednesday upheld the deportation order against the man, and his lawyers "
        "said they would appeal.",
    ])
    art = read_article(write(tmp_path, "report.pdf", data))
    assert art.format == "pdf"
    assert "appeals court on Wednesday" in art.text
    assert art.title == "Court upholds deportation order"
    assert art.published == "2021-03-03"
    assert art.lang == "en"


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Court upholds deportation order")
    document.add_paragraph("By Jane Doe")
    document.add_paragraph("An appeals court on Wednesday upheld the deportation order against the man, "
                           "and his lawyers said they would appeal to the supreme court.")
    document.add_paragraph("")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Sentence"
    table.rows[0].cells[1].text = "six months suspended"
    document.add_paragraph("The ministry declined to comment on the case.")
    path = tmp_path / "report.docx"
    document.save(path)

    art = read_article(path)
    assert art.format == "docx"
    assert art.text.startswith("Court upholds deportation order\n\nBy Jane Doe\n\nAn appeals court")
    assert "Sentence | six months suspended" in art.text
    assert art.text.index("six months") < art.text.index("ministry declined")  # reading order
    assert art.author == "Jane Doe" and art.provenance["author"] == "text"
    assert art.title == "Court upholds deportation order"
