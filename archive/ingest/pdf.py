"""PDF articles: the text layer, page by page, via pypdf.

The layout's line wraps are undone (``pdflines``): each paragraph becomes
one line, paragraphs and pages are separated by a blank line. The document
info's title, author and creation date are kept as fallbacks
(``docprops``). A PDF whose pages carry no text (a scan) is refused with
advice to run OCR, as is a password-protected or damaged one.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from ..errors import ReadError
from .docprops import pdf_properties
from .extraction import Extraction
from .pdflines import PdfLine, join_pages, page_lines
from .source import check_file, human_size

__all__ = ["read_pdf"]

_MIN_TEXT_CHARS = 20
# A page of text is tens of kilobytes of content (an OCRed scan too); more is
# drawing (a map, a chart) or a crafted file. Pages past either limit are
# skipped and counted in the article's notes.
MAX_PAGE_CONTENT = 1024 * 1024
MAX_TOTAL_CONTENT = 48 * 1024 * 1024
# A PDF opened with an empty user password (only an owner password, which
# restricts printing or copying) is read; one that needs a password is not.
_NEEDS_PASSWORD = "the PDF is encrypted: needs a password to open; save an unprotected copy and index that"


def read_pdf(path: Path) -> Extraction:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

    check_file(path)
    # pypdf logs every repair it attempts; our ReadError is the one message the user needs.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as err:
        raise ReadError(path, f"the file cannot be read ({err.strerror})") from None
    if b"%PDF-" not in head:
        raise ReadError(path, "this is not a PDF file (it does not start like one); check the file's type")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except (NotImplementedError, PyPdfError):
                unlocked = 0
            if not unlocked:
                raise ReadError(path, _NEEDS_PASSWORD)
        pages = list(reader.pages)
    except ReadError:
        raise
    except FileNotDecryptedError:
        raise ReadError(path, _NEEDS_PASSWORD) from None
    except DependencyError:
        # AES needs the `cryptography` package (a dependency): a broken
        # installation, said as such rather than blaming the file.
        raise ReadError(path, "the PDF is encrypted with AES and this installation lacks the cryptography "
                              "package; reinstall Casefile (python3 bootstrap.py setup)") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, IndexError, AssertionError):
        raise ReadError(path, "the PDF is damaged or incomplete (a truncated download?); get a fresh copy") from None
    if not pages:
        raise ReadError(path, "the PDF has no pages")

    page_texts: list[list[PdfLine]] = []
    failed = too_big = 0
    content = 0
    for page in pages:
        try:
            size = _content_size(page)
            if size > MAX_PAGE_CONTENT or content + size > MAX_TOTAL_CONTENT:
                # pypdf's text extraction slows with the square of a page's
                # content: a 30 KB file can hold a page that takes minutes.
                too_big += 1
                continue
            content += size
            page_texts.append(page_lines(page))
        except Exception:  # one broken content stream must not lose the other pages
            failed += 1
    if too_big == len(pages):
        raise ReadError(path, f"the PDF's pages hold too much drawing data to read (over "
                              f"{human_size(MAX_PAGE_CONTENT)} each; a crafted or damaged file?)")
    if failed + too_big == len(pages):
        raise ReadError(path, "the PDF is damaged: no page could be read; get a fresh copy")
    text = join_pages(page_texts)
    if len(re.sub(r"\s+", "", text)) < _MIN_TEXT_CHARS:
        raise ReadError(path, "the PDF has no text layer (a scanned image?); run OCR on it first")
    ext = Extraction("pdf", text + "\n", properties=pdf_properties(reader))
    if failed:
        ext.notes["unreadable_pages"] = failed
    if too_big:
        ext.notes["pages_too_large"] = too_big
    return ext


def _content_size(page) -> int:
    """Bytes of the page's decoded content streams (what the text extraction parses)."""
    contents = page.get_contents()
    return len(contents.get_data()) if contents is not None else 0
