"""Every kind of bad input ends in a ReadError that names the file and says what to do."""
from __future__ import annotations

import os
import random
import zipfile

import pytest

from archive.errors import CasefileError, ReadError
from archive.ingest import MAX_FILE_BYTES, read_article

TEXT = ("Court upholds deportation order\n\nAn appeals court upheld the deportation order on Wednesday, and "
        "his lawyers said they would appeal to the supreme court. The ministry declined to comment.\n")


def read_error(path) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_article(path)
    err = info.value
    assert isinstance(err, CasefileError)
    assert err.path == str(path)
    assert str(path) in str(err)
    assert err.reason and "Traceback" not in err.reason and len(err.reason) < 200
    return err


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def fpdf_document(draw):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    draw(pdf)
    return pdf


def text_pdf():
    def draw(pdf):
        pdf.set_font("helvetica", size=12)
        for _ in range(6):
            pdf.multi_cell(0, 8, TEXT.replace("\n", " "), new_x="LMARGIN", new_y="NEXT")
    return fpdf_document(draw)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "locked.txt", TEXT.encode())
    path.chmod(0)
    try:
        assert "permission" in read_error(path).reason
    finally:
        path.chmod(0o644)


def test_permission_error_is_reported_plainly(tmp_path, monkeypatch):
    # Root ignores permission bits, so the OS refusal is also produced directly.
    path = write(tmp_path, "locked.txt", TEXT.encode())
    real_open = open

    def refusing_open(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing_open)
    assert "permission" in read_error(path).reason


def test_missing_file_and_folder(tmp_path):
    assert "no longer exists" in read_error(tmp_path / "gone.txt").reason
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "folder" in read_error(folder).reason


@pytest.mark.parametrize("name", ["empty.txt", "empty.md", "empty.html", "empty.pdf", "empty.docx"])
def test_empty_files(tmp_path, name):
    assert "empty" in read_error(write(tmp_path, name, b"")).reason


def test_blank_text_file(tmp_path):
    assert "no text" in read_error(write(tmp_path, "blank.txt", b" \n\n\t \r\n")).reason


def test_binary_data_in_a_txt(tmp_path):
    rng = random.Random(7)
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4000))
    assert "binary" in read_error(write(tmp_path, "photo.txt", data)).reason


def test_undecodable_garbage(tmp_path):
    rng = random.Random(3)
    data = bytes((rng.randrange(0x80, 0x100) if i % 6 else 0x20) for i in range(4000))
    reason = read_error(write(tmp_path, "garbage.txt", data)).reason
    assert "UTF-8" in reason


def test_mojibake_text(tmp_path):
    russian = "Апелляционный суд оставил в силе решение о депортации мужчины, который пересёк границу. " * 4
    garbled = russian.encode("utf-8").decode("cp1251").encode("utf-8")
    assert "garbled" in read_error(write(tmp_path, "mojibake.txt", garbled)).reason
    french = "La cour d'appel a confirmé mercredi la décision très contestée d'expulser cet homme. " * 4
    garbled = french.encode("utf-8").decode("cp1252").encode("utf-8")
    assert "garbled" in read_error(write(tmp_path, "mojibake.md", garbled)).reason


def test_damaged_utf16(tmp_path):
    data = b"\xff\xfe" + "Court upholds order".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    assert "damaged" in read_error(write(tmp_path, "u16.txt", data)).reason


def test_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)   # a real file of that size (sparse on disk)
    assert "too large" in read_error(path).reason


def test_truncated_pdf(tmp_path):
    data = bytes(text_pdf().output())
    assert "damaged" in read_error(write(tmp_path, "cut.pdf", data[: len(data) // 2])).reason


def test_file_that_is_not_a_pdf(tmp_path):
    assert "not a PDF" in read_error(write(tmp_path, "fake.pdf", TEXT.encode())).reason


def test_encrypted_pdf(tmp_path):
    pdf = text_pdf()
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    assert "password" in read_error(write(tmp_path, "locked.pdf", bytes(pdf.output()))).reason


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    pdf = text_pdf()
    pdf.set_encryption(owner_password="owner-secret")
    art = read_article(write(tmp_path, "restricted.pdf", bytes(pdf.output())))
    assert "appeals court" in art.text


def test_pdf_without_a_text_layer(tmp_path):
    pdf = fpdf_document(lambda p: p.rect(20, 20, 100, 60, style="F"))
    reason = read_error(write(tmp_path, "scan.pdf", bytes(pdf.output()))).reason
    assert "no text layer" in reason and "OCR" in reason


@pytest.mark.parametrize("page", [
    b"<html><head><title></title></head><body></body></html>",
    b"<html><head><script>var onlyScript = 1;</script><style>p{}</style></head><body><nav><a href='/'>Home</a></nav></body></html>",
    b"<<<<<>>>>>",
    b"   \n  ",
])
def test_broken_or_empty_html(tmp_path, page):
    read_error(write(tmp_path, "page.html", page))


def test_zip_that_is_not_a_docx(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("notes.txt", "not a word document")
    assert "damaged" in read_error(path).reason or "not a Word" in read_error(path).reason


def test_docx_that_is_not_a_zip(tmp_path):
    assert ".docx" in read_error(write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)).reason


def test_truncated_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph(TEXT)
    path = tmp_path / "cut.docx"
    document.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    read_error(path)


def test_empty_docx(tmp_path):
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(path)
    assert "no text" in read_error(path).reason


def test_unsupported_suffix(tmp_path):
    assert ".rtf" in read_error(write(tmp_path, "memo.rtf", b"{\\rtf1 hello}")).reason


def test_unforeseen_parser_failure_costs_one_file(tmp_path, monkeypatch):
    # A library bug surfaces as a ReadError for that file, never as a traceback.
    import archive.ingest.htmlpage as htmlpage

    def explode(doc):
        raise TypeError("unexpected structure")

    monkeypatch.setattr(htmlpage, "page_metadata", explode)
    page = b"<html><body><p>" + TEXT.encode() + b"</p></body></html>"
    assert "TypeError" in read_error(write(tmp_path, "page.html", page)).reason


def test_strange_html_metadata_is_tolerated(tmp_path):
    page = (
        '<html lang=""><head><meta property="og:title"><meta name="author" content="https://x.test/u/1">'
        '<script type="application/ld+json">{"@type": ["NewsArticle"], "datePublished": "not a date",'
        ' "author": [{"name": "Jane Doe"}, "John Roe"], "publisher": {"name": "Example Daily"}}</script>'
        '<script type="application/ld+json">{broken json</script></head><body><article><p>'
        + TEXT.replace("\n", " ") + "</p></article></body></html>"
    )
    art = read_article(write(tmp_path, "odd.html", page.encode()))
    assert art.author == "Jane Doe, John Roe" and art.provenance["author"] == "html-meta"
    assert art.outlet == "Example Daily"
    assert art.published is None
    assert art.lang == "en" and art.provenance["lang"] == "text"
