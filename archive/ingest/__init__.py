"""Reading article files into :class:`~archive.models.ParsedArticle`.

One module per format (``txt``, ``markdown``, ``htmlpage``, ``pdf``,
``worddoc``) turns a file into text; ``boilerplate`` finds page clutter in
it and ``metadata`` works out title, date, outlet, author, URL and language
with the provenance of each.

>>> art = read_article(Path("report.txt"))          # doctest: +SKIP
>>> art.published, art.provenance["published"]      # doctest: +SKIP
('2022-12-30', 'text')

Every failure is a :class:`~archive.errors.ReadError` naming the file and
saying what is wrong in plain words.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable, Union

from ..errors import ReadError
from ..models import ParsedArticle
from .boilerplate import find_boilerplate
from .extraction import Extraction
from .htmlpage import read_html
from .markdown import read_markdown
from .metadata import derive_metadata
from .pdf import read_pdf
from .source import MAX_FILE_BYTES
from .textlines import split_lines
from .txt import read_txt
from .worddoc import read_docx

__all__ = ["SUPPORTED_SUFFIXES", "MAX_FILE_BYTES", "is_supported", "read_article", "format_of"]

_READERS: dict[str, tuple[str, Callable[[Path], Extraction]]] = {
    ".txt": ("txt", read_txt),
    ".md": ("md", read_markdown),
    ".markdown": ("md", read_markdown),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".pdf": ("pdf", read_pdf),
    ".docx": ("docx", read_docx),
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_READERS)
_log = logging.getLogger(__name__)


def is_supported(path: Union[str, os.PathLike]) -> bool:
    """True for files Casefile reads: a supported suffix, and not an OS or editor side file.

    macOS ``._name`` resource forks, hidden files and Word's ``~$name`` lock
    files share an article's suffix but hold no article.
    """
    p = Path(path)
    if p.name.startswith((".", "~$")):
        return False
    return p.suffix.lower() in SUPPORTED_SUFFIXES


def format_of(path: Union[str, os.PathLike]) -> str | None:
    """``txt``, ``md``, ``html``, ``pdf`` or ``docx`` for a supported path, else None."""
    entry = _READERS.get(Path(path).suffix.lower())
    return entry[0] if entry else None


def read_article(path: Union[str, os.PathLike]) -> ParsedArticle:
    """Read one article file. Raises :class:`ReadError` (path and reason) for anything unreadable."""
    path = Path(path)
    entry = _READERS.get(path.suffix.lower())
    if entry is None:
        raise ReadError(path, f"Casefile does not read {path.suffix or 'extension-less'} files")
    _, reader = entry
    try:
        return _assemble(path, reader(path))
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(path, "the file is too large to read into memory") from None
    except RecursionError:
        raise ReadError(path, "the file's structure is nested too deeply to read") from None
    except ImportError:
        # A missing library is a broken installation, not a damaged file:
        # blaming every article for it would send the user the wrong way.
        raise
    except Exception as err:
        # A parser library failing in a way we did not foresee must cost one
        # file, not the indexing run; the traceback goes to the log for us.
        _log.warning("unexpected failure reading %s", path, exc_info=True)
        raise ReadError(path, f"the file could not be read ({type(err).__name__}); it may be damaged") from None


def _assemble(path: Path, ext: Extraction) -> ParsedArticle:
    text = ext.text
    lines = split_lines(text)
    regions, body_end = find_boilerplate(text, lines)
    regions = sorted([*ext.regions, *regions], key=lambda r: (r.start, r.end))
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = None
    meta = derive_metadata(text, lines, regions, body_end, path, ext.declared, mtime, ext.properties)
    notes = {**ext.notes, **meta.notes}
    return ParsedArticle(
        path=str(path),
        format=ext.format,
        text=text,
        body_end=body_end,
        regions=tuple(regions),
        provenance=dict(meta.provenance),
        notes=notes,
        **{name: meta.values.get(name) for name in ("title", "published", "outlet", "author", "url", "lang")},
    )
