"""Document properties (PDF document info, Word core properties) as metadata fallbacks.

A PDF or Word file may carry a title, an author and a creation date of its
own. They rank below what the article's text says (provenance ``doc-meta``)
because tools fill them carelessly: python-docx stamps every new document
with author "python-docx" and a creation date of 23 December 2013, Word
titles a file "Microsoft Word - draft.docx", converters write their own name
as the author, a browser's "Save as PDF" dates the file by the printing.
Those values are dropped here so they never pose as an article's metadata.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Optional

__all__ = ["clean_title", "clean_author", "clean_date", "pdf_properties", "docx_properties"]

_GENERIC_TITLES = re.compile(
    r"(?:untitled|no title|title|document|doc|draft|new document|slide|presentation|powerpoint presentation"
    r"|microsoft word document|word document|pdf|print|printout|page|article|text|без названия|документ)"
    r"(?:[\s_-]*\d+)?",
    re.I,
)
# "Microsoft Word - report.docx" is Word's print-to-PDF title: the file name, not a headline.
_APP_PREFIX = re.compile(r"^(?:microsoft\s+(?:word|powerpoint|excel)|libreoffice\s+\w+|pages)\s+-\s+", re.I)
_FILE_NAME = re.compile(
    r"\.(?:docx?|pdf|txt|rtf|odt|pages|html?|md|indd|qxp|tex|xlsx?|pptx?|jpe?g|png|tiff?)$", re.I)
_GENERIC_AUTHORS = frozenset({
    "python-docx", "administrator", "admin", "user", "owner", "author", "unknown", "default", "anonymous",
    "microsoft office user", "windows user", "office user", "mac user", "apple", "root", "guest", "customer",
    "standard", "pc", "hp", "dell", "lenovo", "compaq", "valued customer", "registered user", "me",
    "пользователь", "администратор", "автор",
})
_SOFTWARE = re.compile(
    r"\b(?:fpdf2?|pypdf\d?|reportlab|python|docx|openpyxl|libreoffice|openoffice|microsoft|adobe|acrobat"
    r"|pdftex|xetex|latex|ghostscript|wkhtmltopdf|chromium|calibre|princexml"
    r"|tcpdf|itext|pdfsharp|aspose|pandoc|distiller|indesign)\b",
    re.I,
)
_EMAIL = re.compile(r"^\S+@\S+\.\S+$")
# Creation dates tools write when they know no better: python-docx's template,
# the Unix, DOS/zip, Mac and Windows epochs.
_DEFAULT_DATES = frozenset({
    _dt.date(2013, 12, 23), _dt.date(1970, 1, 1), _dt.date(1980, 1, 1), _dt.date(1904, 1, 1),
    _dt.date(1601, 1, 1), _dt.date(1900, 1, 1),
})
# A page printed from a browser is dated by the printing, not by the article.
_PRINTED_FROM_BROWSER = re.compile(
    r"skia|chrom(?:e|ium)|mozilla|firefox|cairo|webkit|safari|wkhtmltopdf|print to pdf|headless", re.I)
_EARLIEST = _dt.date(1990, 1, 1)   # no PDF or .docx predates this; older dates are placeholders


def _tidy(value: Any) -> str:
    return " ".join(str(value or "").replace("\x00", "").split())


def clean_title(value: Any, tools: tuple[str, ...] = ()) -> Optional[str]:
    """``value`` as a title, or None if it is empty, a file name, a tool's name or a placeholder."""
    s = _APP_PREFIX.sub("", _tidy(value))
    if not s or len(s) > 300 or not any(c.isalpha() for c in s):
        return None
    if _FILE_NAME.search(s) or _GENERIC_TITLES.fullmatch(s):
        return None
    if any(s.casefold() == t.casefold() for t in tools if t):
        return None
    return s


def clean_author(value: Any, tools: tuple[str, ...] = ()) -> Optional[str]:
    """``value`` as an author, or None if it is a tool, a computer's default user or an address."""
    s = _tidy(value)
    if not s or len(s) > 100 or not any(c.isalpha() for c in s):
        return None
    if s.casefold() in _GENERIC_AUTHORS or _EMAIL.match(s) or _SOFTWARE.search(s):
        return None
    folded = s.casefold()
    if any(t and (folded == t.casefold() or (len(folded) >= 4 and folded in t.casefold())) for t in tools):
        return None
    return s


def clean_date(value: Any) -> Optional[str]:
    """The ISO day of a creation date, or None for a tool's default or an impossible date."""
    if isinstance(value, _dt.datetime):
        day = value.date()
    elif isinstance(value, _dt.date):
        day = value
    else:
        return None
    if day in _DEFAULT_DATES or day < _EARLIEST or day > _dt.date.today() + _dt.timedelta(days=1):
        return None
    return day.isoformat()


_PDF_DATE = re.compile(r"^(?:D:)?((?:19|20)\d{2})(\d{2})?(\d{2})?")


def _pdf_date(info) -> Optional[_dt.date]:
    raw = info.get("/CreationDate")
    m = _PDF_DATE.match(_tidy(raw))
    if not m or not m.group(3):
        return None  # a year or month alone is no publication date
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def pdf_properties(reader) -> dict[str, str]:
    """``title``, ``author`` and ``published`` a pypdf reader's document info gives, generic values dropped."""
    try:
        info = reader.metadata
    except Exception:  # a damaged info dictionary costs the properties, not the article
        return {}
    if not info:
        return {}
    try:
        tools = (_tidy(info.get("/Producer")), _tidy(info.get("/Creator")))
        printed = any(_PRINTED_FROM_BROWSER.search(t) for t in tools if t)
        out = {
            "title": clean_title(info.get("/Title"), tools),
            "author": clean_author(info.get("/Author"), tools),
            "published": None if printed else clean_date(_pdf_date(info)),
        }
    except Exception:
        return {}
    return {k: v for k, v in out.items() if v}


def docx_properties(document) -> dict[str, str]:
    """``title``, ``author`` and ``published`` from a python-docx document's core properties."""
    try:
        props = document.core_properties
        out = {
            "title": clean_title(props.title),
            "author": clean_author(props.author),
            "published": clean_date(props.created),
        }
    except Exception:  # a malformed core.xml (bad date, bad XML) costs the properties only
        return {}
    return {k: v for k, v in out.items() if v}
