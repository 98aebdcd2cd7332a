"""Files that unpack to far more than they look (zip bombs in .docx, huge PDF content
streams): refused or cut before a parser spends minutes on them."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

from archive import Archive
from archive.errors import ReadError
from archive.ingest import read_article, zipparts

PARA = "<w:p><w:r><w:t>" + "A" * 1000 + "</w:t></w:r></w:p>"


def docx_bytes(text="Court upholds deportation order") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    document.add_paragraph("An appeals court upheld the order on Wednesday, his lawyers said.")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def bomb(path, paragraphs: int, extra_parts: int = 0, extra_size: int = 0):
    """A real .docx whose document.xml repeats one paragraph ``paragraphs`` times (deflated)."""
    src = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                s = data.decode()
                i = s.index("<w:body>") + len("<w:body>")
                data = (s[:i] + PARA * paragraphs + s[i:]).encode()
            out.writestr(info.filename, data)
        for n in range(extra_parts):
            out.writestr(f"word/media/blob{n}.bin", bytes(range(256)) * (extra_size // 256))
    return path


def refused(path) -> str:
    with pytest.raises(ReadError) as info:
        read_article(path)
    assert info.value.path == str(path) and "unpacks to too much data" in info.value.reason
    return info.value.reason


def test_a_part_bigger_than_any_document_is_refused(tmp_path):
    path = bomb(tmp_path / "bomb.docx", 40_000)      # ~40 MB of XML in ~100 KB
    assert path.stat().st_size < 200_000
    assert "word/document.xml" in refused(path)


def test_a_part_compressed_a_thousand_times_is_refused(tmp_path):
    path = bomb(tmp_path / "dense.docx", 10_000)     # ~10 MB of XML, under the part limit
    reason = refused(path)
    assert "times; a zip bomb?" in reason


def test_too_much_in_all_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(zipparts, "MAX_TOTAL_BYTES", 2_000_000)
    monkeypatch.setattr(zipparts, "MAX_RATIO", 10_000)
    path = bomb(tmp_path / "many.docx", 0, extra_parts=3, extra_size=900_000)
    assert "in all" in refused(path)


def test_a_long_real_document_is_still_read(tmp_path):
    document = docx.Document()
    for i in range(3000):
        document.add_paragraph(f"Paragraph {i}: the court in Velgrad heard witness number {i * 7919 % 10007} "
                               f"about the detention of {i % 97} people.")
    path = tmp_path / "long.docx"
    document.save(str(path))
    art = read_article(path)
    assert "witness number" in art.text and art.text.count("Paragraph") == 3000


def test_a_zip_bomb_costs_one_file_in_a_run(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    bomb(folder / "bomb.docx", 40_000)
    (folder / "good.docx").write_bytes(docx_bytes())
    with Archive.open(folder / ".casefile") as arc:
        report = arc.index_folder(folder, facts=False)
        assert [a.relpath for a in arc.articles()] == ["good.docx"]
        assert [p.path for p in report.problems] == [str(folder / "bomb.docx")]


def _pdf_with_pages(contents: list[bytes]) -> bytes:
    """A hand-built PDF whose pages draw the given (Flate-compressed) content streams."""
    import zlib

    n = len(contents)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n)) + b"] /Count %d >>" % n,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        comp = zlib.compress(content, 9)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i))
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _text_page(repeat: int) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td " + b"(court appeal deportation order ) Tj " * repeat + b"ET"


def test_a_pdf_page_with_megabytes_of_drawing_is_refused_at_once(tmp_path):
    from archive.ingest import pdf

    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_with_pages([_text_page(100_000)]))     # 3.7 MB of content in ~11 KB
    assert path.stat().st_size < 20_000
    with pytest.raises(ReadError) as info:
        read_article(path)
    assert "too much drawing data" in info.value.reason
    assert pdf.MAX_PAGE_CONTENT < 3_700_000


def test_the_readable_pages_of_a_pdf_with_one_huge_page_are_kept(tmp_path):
    path = tmp_path / "mixed.pdf"
    path.write_bytes(_pdf_with_pages([_text_page(20), _text_page(100_000), _text_page(20)]))
    art = read_article(path)
    assert art.text.count("court appeal") == 40
    assert art.notes["pages_too_large"] == 1
