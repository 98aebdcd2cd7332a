"""Word documents (``.docx``): paragraphs and table cells in reading order, via python-docx.

The core properties' title, author and creation date are kept as fallbacks
for what the text does not say (``docprops`` drops python-docx's and Word's
placeholders).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ReadError
from .docprops import docx_properties
from .extraction import Extraction
from .source import check_file
from .zipparts import check_zip_parts

__all__ = ["read_docx"]


def _blocks(document):
    """Text of each paragraph, and of each table row, in the order they appear."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    value = cell.text.strip()
                    if value and (not cells or cells[-1] != value):  # merged cells repeat their text
                        cells.append(value)
                if cells:
                    yield " | ".join(cells)
        else:
            yield block.text


def read_docx(path: Path) -> Extraction:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_file(path)
    if not zipfile.is_zipfile(path):
        raise ReadError(path, "this is not a Word .docx file (old .doc files must be saved as .docx first)")
    check_zip_parts(path)
    try:
        document = docx.Document(str(path))
        paragraphs = [t.strip() for t in _blocks(document)]
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ReadError(path, "the .docx file is damaged or is not a Word document; open and re-save it in Word") from None
    except Exception:  # lxml and zip errors of many kinds on broken parts
        raise ReadError(path, "the .docx file is damaged and cannot be read; open and re-save it in Word") from None
    text = "\n\n".join(p for p in paragraphs if p)
    if not text.strip():
        raise ReadError(path, "the Word document has no text")
    return Extraction("docx", text + "\n", properties=docx_properties(document))
