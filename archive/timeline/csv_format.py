"""The timeline CSV layout, shared by the exporter and the importer.

One row per event, RFC 4180 (commas, ``"`` quoting only where needed, CRLF
line ends), UTF-8 **with a byte-order mark**: Excel on Windows reads a CSV
without one in the local ANSI code page and garbles every accent and every
Cyrillic letter; LibreOffice, Numbers, pandas and Python's ``utf-8-sig`` all
accept the mark. The importer reads files with or without it.

Columns, in order:

``start``, ``end``
    ISO dates at their precision: ``2022-12-06``, ``2022-12`` or ``2022``.
    ``end`` is empty for a single date.
``precision``
    ``day``, ``month`` or ``year`` (of ``start``); ``day/month`` when the end
    has a different precision. The importer checks it against the dates.
``approximate``
    ``no``, ``yes`` (every date given is approximate), ``start`` or ``end``.
``start_text``, ``end_text``
    The words the dates came from ("late November"); may be empty.
``title``, ``description``, ``notes``
    Free text; line breaks are kept inside the quoted cell.
``tags``, ``people``, ``places``, ``organisations``
    Lists separated by ``; ``. A ``;`` or ``\\`` inside a name is written ``\\;`` / ``\\\\``.
``certainty``
    ``confirmed``, ``reported``, ``disputed`` or ``unverified``.
``citationN_outlet``, ``citationN_date``, ``citationN_title``, ``citationN_path``,
``citationN_quote``, ``citationN_start``, ``citationN_end``, ``citationN_url``, ``citationN_source``
    One group of nine columns per citation, N = 1, 2, ...; as many groups as
    the event with the most citations needs (at least one). Unused groups
    are empty. ``start``/``end`` are character offsets in the article's text;
    ``url`` is the article's web address when known; ``source`` is the
    article's number in the export's source list (the same number for every
    passage of one article, as in the PDF and Markdown). Files written before
    these two columns existed import unchanged; on import both are only read
    back (the archive knows the article's address).
``conflicts``
    Last, in exports made from an archive: where the event's sources disagree,
    one line per conflict with its status (``[open]``, ``[resolved: note]``);
    empty when none. Ignored on import (the archive works it out again).

Cells that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
are written with a leading ``'`` so that a spreadsheet shows them as text
instead of running them as a formula (a quote can begin with anything). The
importer removes that one apostrophe again, so the round trip is exact.
"""
from __future__ import annotations

import re

__all__ = [
    "EVENT_COLUMNS", "CITATION_FIELDS", "citation_header", "join_list", "split_list",
    "CITATION_COLUMN", "protect_cell", "unprotect_cell", "CONFLICTS_COLUMN",
]

EVENT_COLUMNS = (
    "start", "end", "precision", "approximate", "start_text", "end_text", "title",
    "description", "notes", "tags", "certainty", "people", "places", "organisations",
)
CONFLICTS_COLUMN = "conflicts"
CITATION_FIELDS = ("outlet", "date", "title", "path", "quote", "start", "end", "url", "source")
CITATION_COLUMN = re.compile(r"^citation([1-9]\d*)_(" + "|".join(CITATION_FIELDS) + r")$")


def citation_header(groups: int) -> list[str]:
    return [f"citation{n}_{f}" for n in range(1, groups + 1) for f in CITATION_FIELDS]


def join_list(items) -> str:
    return "; ".join(i.replace("\\", "\\\\").replace(";", "\\;") for i in items)


def split_list(cell: str) -> tuple[str, ...]:
    items, buf, escaped = [], [], False
    for ch in cell or "":
        if escaped:
            buf.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ";":
            items.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    if escaped:
        buf.append("\\")
    items.append("".join(buf))
    return tuple(i.strip() for i in items if i.strip())


# A cell a spreadsheet would evaluate, possibly behind apostrophes we added.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def protect_cell(cell: str) -> str:
    return "'" + cell if _FORMULA.match(cell) else cell


def unprotect_cell(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell) else cell
