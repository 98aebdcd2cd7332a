"""Encrypted PDFs made with pypdf's writer: AES or RC4, with and without a password to open."""
from __future__ import annotations

import io

import pytest
from fpdf import FPDF
from pypdf import PdfWriter

from archive import Archive
from archive.errors import ReadError
from archive.ingest import read_article

TEXT = ("An appeals court upheld the deportation order on Wednesday, and his lawyers said they would "
        "appeal to the supreme court. ") * 4


def encrypted_pdf(path, *, user: str, owner: str, algorithm: str):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, TEXT)
    writer = PdfWriter(clone_from=io.BytesIO(bytes(pdf.output())))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("algorithm", ["AES-256", "AES-128", "RC4-128"])
def test_a_pdf_with_only_an_owner_password_is_read(tmp_path, algorithm):
    path = encrypted_pdf(tmp_path / "restricted.pdf", user="", owner="owner-secret", algorithm=algorithm)
    assert "appeals court upheld" in read_article(path).text


@pytest.mark.parametrize("algorithm", ["AES-256", "RC4-128"])
def test_a_pdf_that_needs_a_password_says_so(tmp_path, algorithm):
    path = encrypted_pdf(tmp_path / "locked.pdf", user="user-secret", owner="owner-secret", algorithm=algorithm)
    with pytest.raises(ReadError) as info:
        read_article(path)
    assert "encrypted: needs a password" in info.value.reason
    assert "damaged" not in info.value.reason


def test_owner_only_pdfs_are_indexed_and_locked_ones_reported(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    encrypted_pdf(folder / "aes_open.pdf", user="", owner="o", algorithm="AES-256")
    encrypted_pdf(folder / "rc4_open.pdf", user="", owner="o", algorithm="RC4-128")
    encrypted_pdf(folder / "aes_locked.pdf", user="u", owner="o", algorithm="AES-256")
    with Archive.open(folder / ".casefile") as arc:
        report = arc.index_folder(folder, facts=False)
        # Same text in both open PDFs: each is still its own article.
        assert sorted(a.relpath for a in arc.articles()) == ["aes_open.pdf", "rc4_open.pdf"]
        assert arc.search("deportation").total == 2
        assert [(p.path, "needs a password" in p.reason) for p in report.problems] == [
            (str(folder / "aes_locked.pdf"), True)]
