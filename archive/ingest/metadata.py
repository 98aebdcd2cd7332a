"""An article's metadata (title, published, outlet, author, url, lang) and where each came from.

Values a file declares outright (HTML meta tags, Markdown front matter) come
first; the rest is read from the text the way a person would: the headline,
a date line under it ("07 December 2022 - 16:51 Olzhas Auyezov"), a byline,
an agency dateline ("MADRID, Dec. 14 (Europa Press) –"), an agency credit or
sign-off line, an "Original url:" line. The URL gives the outlet (by host)
and, failing the text, the date. A PDF's or Word file's own properties
(title, author, creation date) fill what is still open. Provenance records
the source of every value that was found: ``text``, ``html-meta``,
``doc-meta``, ``url`` or ``filename``.

The order of trust, field by field:

* title: declared > text > doc-meta > filename
* published: declared > a full date in the text > the URL's date >
  doc-meta > a day and month in the text completed by the URL's year, the
  document's creation date of that day, or a printed weekday
* outlet: declared > a host the outlet table knows > an outlet the text
  names that is that host (so "Novaya Gazeta Europe" rather than
  ``novayagazeta.eu``) > a name read from the host > the text's outlet
* author: declared > text > doc-meta
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..models import Region
from .language import detect_language
from .outlets import agency_name, host_names_outlet, host_of, known_outlet, name_from_host
from .pubdate import (
    MONTHS, WEEKDAY_NAMES, DateMatch, find_full_date, find_partial_date, infer_year,
    parse_dateline, url_date,
)
from .textlines import Line, plain, word_count

__all__ = ["Metadata", "derive_metadata", "person_name"]

_HEAD_LINES = 20          # how many non-blank lines from the top may hold title, date and byline
_HEAD_CHARS = 3000
_TAIL_LINES = 15
_PROSE_PARAGRAPHS = 2     # a dateline opens the first paragraph or two, never later

_DATE_PREFIX = re.compile(
    r"^[\W_]*(?:(?:published|updated|posted|date|dated|last updated|опубликовано|обновлено|publicado|publié le)"
    r"\s*(?:on|at|:)?\s*)?(?:(?:" + "|".join(sorted(WEEKDAY_NAMES, key=len, reverse=True)) + r")\b\.?\s*,?\s*)?[\W_]*$",
    re.I,
)
_TIME = re.compile(
    r"^[\s,|·•–—\-]*(?:at\s+|в\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:GMT|UTC|MSK|CET|CEST|EST|EDT|ET|BST|SAST|ALMT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)?",
    re.I,
)
_SEPARATORS = " \t,|·•–—-:/"
_BYLINE = re.compile(
    r"^(?:(?:interview|text|words|story|report|reporting|analysis)\s+)?(?:by|від|автор[:\s]|por|par|von)\s*:?\s+(?P<rest>.+)$",
    re.I,
)
# "Meridian Monitor | 19 March 2025 | By Aurel Dunmore": outlet, date and author on one line.
_MASTHEAD_SPLIT = re.compile(r"\s+[—|•·–]\s+|\s*\|\s*")
_LABELLED_URL = re.compile(
    r"^(?:original (?:url|article|link|source)|source(?: url| link)?|url|link"
    r"|originally published(?: (?:at|on|in|by))?|источник|оригинал)\s*:\s*(?P<url>\S*)",
    re.I,
)
_URL = re.compile(r"<?(?P<url>https?://[^\s<>()\"']+)>?")
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÞА-ЯЁ][\w'’\-]*\.?|[A-ZÀ-ÞА-ЯЁ]\.|(?:de|da|del|der|van|von|al|el|bin|ibn|la|le|du|dos|di))$")
_NOT_NAMES = frozenset(MONTHS) | frozenset(WEEKDAY_NAMES) | frozenset(
    "the a an and news staff reporter correspondent editor reuters associated press afp agency world europe "
    "photo picture image updated published video live".split()
)
# "Source: Meduza", "Author: Reuters", "Автор: Ада Ветрова": a labelled outlet or author, not a URL.
_LABELLED_NAME = re.compile(
    r"^(?P<label>source|sources|author|authors|written by|источник|автор|авторы)\s*:\s*(?P<value>[^:/]{2,80})$", re.I)
# A credit line at the end ("Reporting by Olzhas Auyezov in Almaty; Editing by Mark Trevelyan").
_CREDITS = re.compile(
    r"(?mi)^[\W_]*(?:additional\s+)?(?:reporting|writing|reporting\s+and\s+writing|written)\s+by\s+"
    r"(?P<names>[^;\n()]+?)(?:\s+in\s+[A-Z][\w\s,-]*?)?\s*(?:[;)\n]|$)")
# Lines naming only editors: recognised (never a headline), but editors are not authors.
_EDITORS = re.compile(r"^(?:editing|edited|compiled)\s+by\s+\S", re.I)
# Words of outlet names, which make "Moscow Times" no person.
_OUTLET_WORDS = frozenset(
    "times news post gazette gazeta journal herald tribune wire monitor courier ledger press daily media radio tv "
    "agency review observer telegraph guardian independent express mail star sun chronicle bulletin vestnik "
    "insider europe world online today weekly magazine network channel service".split())
_ROLE_SUFFIX = re.compile(r"\s*(?:,\s*)?(?:staff(?: writer| reporter)?s?|correspondents?|reporters?|special to .+)$", re.I)


@dataclass
class Metadata:
    """Metadata values, the provenance of each, and notes (partial dates, raw date text)."""
    values: dict[str, Optional[str]] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    notes: dict = field(default_factory=dict)

    def set(self, name: str, value: Optional[str], source: str) -> bool:
        """Set ``name`` unless it already has a value; True if it was set."""
        if value and not self.values.get(name):
            self.values[name] = value
            self.provenance[name] = source
            return True
        return False


def person_name(s: str) -> Optional[str]:
    """``s`` tidied as a person's name (2-4 capitalised words), else None. ALL CAPS becomes Title Case."""
    s = _ROLE_SUFFIX.sub("", s.strip(" \t,.;:|"))
    tokens = s.split()
    if not 2 <= len(tokens) <= 5 or len(s) > 60:
        return None
    if not all(_NAME_TOKEN.match(t) for t in tokens):
        return None
    if any(t.casefold().strip(".") in _NOT_NAMES for t in tokens) or agency_name(s):
        return None
    if sum(1 for t in tokens if t[:1].isupper()) < 2:
        return None
    if s.isupper():
        s = " ".join(t.capitalize() if len(t) > 2 else t for t in tokens)
    return s


def _outlet_like(s: str) -> bool:
    """Whether ``s`` reads as an outlet's name rather than a person's."""
    return bool(agency_name(s)) or any(w.casefold().strip(".,") in _OUTLET_WORDS for w in s.split())


def _people(s: str) -> Optional[str]:
    """One or several names (``Jane Doe and John Roe``) joined by ", "."""
    parts = [p for p in re.split(r"\s*,\s*|\s+(?:and|и|y|et|und)\s+|\s*&\s*", s) if p.strip()]
    names = [person_name(p) for p in parts]
    if not names or any(n is None for n in names):
        return None
    return ", ".join(names)  # type: ignore[arg-type]


@dataclass
class _Head:
    """What the top of an article says about itself."""
    title: Optional[str] = None
    full_date: Optional[DateMatch] = None
    partial_date: Optional[DateMatch] = None
    author: Optional[str] = None
    outlet: Optional[str] = None
    date_line_time: Optional[str] = None


def _in_regions(line: Line, regions: list[Region]) -> bool:
    return any(r.start <= line.start < r.end for r in regions)


def _date_line(p: str, head: _Head) -> bool:
    """Read ``p`` as a date line under the headline; True if it was one."""
    if word_count(p) > 14:
        return False
    found = find_full_date(p)
    partial = False
    if not found:
        if word_count(p) > 8:
            return False
        found = find_partial_date(p)
        partial = True
    if not found or not _DATE_PREFIX.match(p[:found.start]):
        return False
    rest = p[found.end:]
    t = _TIME.match(rest)
    if t:
        head.date_line_time = head.date_line_time or t.group(0).strip(_SEPARATORS)
        rest = rest[t.end():]
    rest = rest.strip(_SEPARATORS)
    if rest:
        by = _BYLINE.match(rest)
        author = _people(by.group("rest") if by else rest)
        if author is None:
            # A date line followed by anything but a name is ordinary prose.
            return False
        head.author = head.author or author
    if partial:
        head.partial_date = head.partial_date or found
    else:
        head.full_date = head.full_date or found
    return True


def _masthead_line(p: str, head: _Head) -> bool:
    """Read ``p`` as "Outlet — date — author"; True if it was one."""
    if word_count(p) > 16:
        return False
    parts = [x.strip() for x in _MASTHEAD_SPLIT.split(p) if x.strip()]
    if not 2 <= len(parts) <= 4:
        return False
    for i, part in enumerate(parts):
        found = find_full_date(part)
        if found and not part[:found.start].strip(_SEPARATORS) and len(part) - found.end <= 12:
            break
    else:
        return False
    before, after = parts[:i], parts[i + 1:]
    authors = []
    for seg in after:
        by = _BYLINE.match(seg)
        name = _people(by.group("rest")) if by else person_name(seg)
        if name is None:
            return False
        authors.append(name)
    outlet = None
    if before:
        if len(before) > 1 or not 1 <= word_count(before[0]) <= 6:
            return False
        person = None if _outlet_like(before[0]) else _people(before[0])
        if person and not authors:
            # "Olzhas Auyezov | 07 December 2022": the author, not the outlet.
            authors.append(person)
        else:
            outlet = agency_name(before[0]) or before[0]
    head.full_date = head.full_date or found
    head.author = head.author or (", ".join(authors) or None)
    head.outlet = head.outlet or outlet
    return True


def _byline(p: str, head: _Head) -> bool:
    m = _BYLINE.match(p)
    if not m or word_count(p) > 14:
        return False
    rest = m.group("rest").strip()
    agency = agency_name(_ROLE_SUFFIX.sub("", rest))
    if agency:
        head.outlet = head.outlet or agency
        return True
    # "By Jane Doe, Reuters" / "By Jane Doe | The Moscow Times"
    parts = re.split(r"\s*(?:\||—|–|\bfor\b|/)\s*|,\s*(?=[^,]*$)", rest, maxsplit=1)
    names = _people(parts[0])
    if names is None and len(parts) == 1:
        return False
    if names is None:
        names = _people(rest)
        if names is None:
            return False
        parts = [rest]
    if len(parts) > 1 and not _outlet_like(parts[1]) and _people(parts[1]):
        # "By Jane Doe, John Roe": a second author, not an outlet.
        names = f"{names}, {_people(parts[1])}"
        parts = [rest]
    head.author = head.author or names
    if len(parts) > 1:
        outlet = agency_name(parts[1]) or (parts[1].strip() if 1 <= word_count(parts[1]) <= 5 else None)
        head.outlet = head.outlet or outlet
    return True


def _labelled_name(p: str, head: _Head) -> bool:
    """"Source: Meduza", "Author: Reuters", "Author: Jane Doe"; True if ``p`` was one."""
    m = _LABELLED_NAME.match(p)
    if not m or _URL.search(p):
        return False
    value = m.group("value").strip(" .")
    label = m.group("label").casefold()
    agency = agency_name(value)
    if label in ("source", "sources", "источник"):
        if not agency and not 1 <= word_count(value) <= 6:
            return False
        head.outlet = head.outlet or agency or value
        return True
    if agency:
        head.outlet = head.outlet or agency  # an agency credited as the author
        return True
    names = _people(value)
    if names is None:
        return False
    head.author = head.author or names
    return True


def _credited_reporters(text: str) -> Optional[str]:
    """The reporters of a "Reporting by ...; Editing by ..." credit line, wherever it stands."""
    for m in _CREDITS.finditer(text):
        names = _people(m.group("names").strip(" .,"))
        if names:
            return names
    return None


def _read_head(lines: list[Line], regions: list[Region]) -> tuple[_Head, Optional[object]]:
    head = _Head()
    dateline = None
    seen = prose = 0
    title_line = title_seen = -2
    for index, line in enumerate(lines):
        if line.start > _HEAD_CHARS or seen >= _HEAD_LINES:
            break
        if not line.text.strip():
            continue
        seen += 1
        p = plain(line.text)
        if not p:
            continue
        if word_count(p) > 40:
            prose += 1
            if prose > _PROSE_PARAGRAPHS:
                break  # well into the body: headline, date line and byline are behind us
        if dateline is None:
            dl = parse_dateline(p)
            if dl is not None:
                dateline = dl
                break  # the body starts at the dateline
        if _in_regions(line, regions):
            # Boilerplate detection files "Source: Meduza" with source links and
            # "Name | date" with navigation bars; both still say who wrote it.
            if _labelled_name(p, head) or _masthead_line(p, head) and head.title is not None:
                title_seen = seen
            continue
        if _labelled_name(p, head):
            continue
        if _URL.fullmatch(p) or _LABELLED_URL.match(p) or _EDITORS.match(p):
            continue
        if _date_line(p, head) or _masthead_line(p, head) or _byline(p, head):
            if head.title is not None:
                title_seen = seen  # a name line may still follow the date line
            continue
        credit = agency_name(p)
        if credit:
            head.outlet = head.outlet or credit
            continue
        if (head.title is not None and head.author is None and title_seen == seen - 1
                and not _outlet_like(p) and person_name(p)):
            # A name alone on the line under the headline (or its date line): the byline.
            head.author = person_name(p)
            continue
        if head.title is None and 2 <= word_count(p) <= 40 and len(p) <= 300 and any(c.isalpha() for c in p):
            head.title = p
            title_line = index
            title_seen = seen
        elif (title_line == index - 1 and p[:1].islower() and word_count(p) <= 6
              and head.title[-1:] not in ".!?:"):
            # A headline wrapped onto a second line (PDF text layers do this).
            head.title = f"{head.title} {p}"
    return head, dateline


def _find_url(lines: list[Line]) -> Optional[str]:
    """A URL the text gives for itself: an "Original url:" line, or a URL alone on a line at the top or end."""
    nonblank = [l for l in lines if l.text.strip()]
    candidates = nonblank[:_HEAD_LINES // 2] + nonblank[-_TAIL_LINES:]
    # URLs and "Source:" labels sit on short lines with a colon.
    candidates = [l for l in candidates if len(l.text) < 400 and ":" in l.text]
    for idx, line in enumerate(candidates):
        p = plain(line.text)
        m = _LABELLED_URL.match(p)
        if m:
            u = _URL.search(p[m.end() - len(m.group("url")):]) if m.group("url") else None
            if u is None and idx + 1 < len(candidates):
                u = _URL.fullmatch(plain(candidates[idx + 1].text))
            if u:
                return u.group("url").rstrip(".,;")
    for line in candidates:
        u = _URL.fullmatch(plain(line.text))
        if u:
            return u.group("url").rstrip(".,;")
    return None


def _title_from_filename(path: Path) -> Optional[str]:
    words = [w for w in re.split(r"[\s_\-.]+", path.stem) if w]
    if sum(1 for w in words if w.isalpha() and len(w) > 1) < 2 or any(not w.isalpha() for w in words if len(w) > 6):
        return None
    return " ".join(words)


def _reference_year(mtime: Optional[float]) -> int:
    this_year = _dt.date.today().year
    if mtime is None:
        return this_year
    try:
        return min(this_year, _dt.datetime.fromtimestamp(mtime).year)
    except (OverflowError, OSError, ValueError):
        return this_year


def derive_metadata(
    text: str,
    lines: list[Line],
    regions: list[Region],
    body_end: int,
    path: Path,
    declared: Optional[dict[str, tuple[str, str]]] = None,
    mtime: Optional[float] = None,
    properties: Optional[dict[str, str]] = None,
) -> Metadata:
    """Work out the six metadata fields of one article.

    ``declared`` holds ``field -> (value, provenance)`` the file states itself;
    ``mtime`` (the file's modification time) bounds the window in which a
    printed weekday may settle a missing year; ``properties`` holds the
    document properties (``title``, ``author``, ``published``) of a PDF or
    Word file, used only where the text says nothing.
    """
    properties = properties or {}
    meta = Metadata()
    for name, (value, source) in (declared or {}).items():
        meta.set(name, value, source)

    head, dateline = _read_head(lines, regions)

    url = meta.values.get("url")
    if not url:
        url = _find_url(lines)
        meta.set("url", url, "text")

    meta.set("title", head.title, "text")
    meta.set("title", properties.get("title"), "doc-meta")
    meta.set("title", _title_from_filename(path), "filename")
    meta.set("author", head.author, "text")
    meta.set("author", _credited_reporters(text), "text")
    meta.set("author", properties.get("author"), "doc-meta")

    _resolve_published(meta, head, dateline, url, _reference_year(mtime), properties.get("published"))

    named = []
    if dateline is not None and dateline.agency:
        named.append(agency_name(dateline.agency) or dateline.agency)
    if head.outlet:
        named.append(head.outlet)
    for r in regions:
        if r.label == "sign-off" and r.start >= body_end:
            credit = agency_name(plain(text[r.start:r.end]))
            if credit:
                named.append(credit)
            break
    host = host_of(url) if url else None
    if host:
        known = known_outlet(host)
        if known:
            meta.set("outlet", known, "url")
        else:
            for name in named:
                if host_names_outlet(host, name):
                    meta.set("outlet", name, "text")
                    break
            meta.set("outlet", name_from_host(host) or host, "url")
    for name in named:
        meta.set("outlet", name, "text")

    meta.set("lang", detect_language(text[:body_end] or text), "text")
    return meta


def _resolve_published(meta: Metadata, head: _Head, dateline, url: Optional[str], ref_year: int,
                       created: Optional[str] = None) -> None:
    if meta.values.get("published"):
        return
    full = head.full_date or (dateline.date if dateline and dateline.date and dateline.date.year else None)
    if full is not None:
        meta.set("published", full.iso(), "text")
        meta.notes["published_text"] = full.text
        if head.date_line_time and full is head.full_date:
            meta.notes["published_time"] = head.date_line_time
        return
    from_url = url_date(url) if url else None
    if from_url is not None and from_url.month:
        meta.set("published", from_url.iso(), "url")
        return
    partial = head.partial_date or (dateline.date if dateline and dateline.date else None)
    if created and (partial is None or partial.iso()[4:] == created[4:]):
        # The file was made on the printed day (or the text prints none): its date stands in.
        meta.set("published", created, "doc-meta")
        if partial is not None:
            meta.notes["published_text"] = partial.text
            meta.notes["published_basis"] = "year from the document's creation date"
        return
    if partial is None:
        if from_url is not None:
            meta.notes["published_partial"] = f"{from_url.year:04d}"
        return
    meta.notes["published_text"] = partial.text
    if from_url is not None:
        # The URL carries the year only (``/2022/``): it completes the printed day and month.
        meta.set("published", DateMatch(from_url.year, partial.month, partial.day, 0, 0, "").iso(), "url")
        meta.notes["published_basis"] = "year from the URL"
        return
    if partial.weekday is not None and partial.day is not None:
        year = infer_year(partial.month, partial.day, partial.weekday, ref_year)
        if year is not None:
            meta.set("published", DateMatch(year, partial.month, partial.day, 0, 0, "").iso(), "text")
            meta.notes["published_basis"] = "weekday printed with the date"
            return
    meta.notes["published_partial"] = partial.iso()
