"""Word files that unpack to far more than they look: refused before python-docx parses them."""
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
