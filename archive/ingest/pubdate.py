"""Publication dates as news pages print them, and the year when a page leaves it out.

Handles date lines ("07 December 2022 - 16:51", "December 30, 2022",
"2022-12-30", "30.12.2022", "30 декабря 2022"), agency datelines
("MADRID, Dec. 14 (Europa Press) –"), dates in URLs (``/2022/12/30/``) and
machine dates in HTML meta tags. A year is never guessed: it is inferred only
from evidence (a weekday printed beside the date that fits a single year of a
plausible window, or a year in the article's URL).
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import re
from dataclasses import dataclass
from typing import Optional

from ..partial_date import iso_value

__all__ = [
    "DateMatch", "find_full_date", "find_partial_date", "parse_dateline", "url_date",
    "infer_year", "iso_from_machine", "WEEKDAY_NAMES",
]

_MONTH_NAMES = {
    1: "january jan janv enero ene janvier januar jänner января январь январе",
    2: "february feb febr febrero février fevrier februar февраля февраль феврале",
    3: "march mar marzo mars märz marz марта март марте",
    4: "april apr abril avril апреля апрель апреле",
    5: "may mayo mai мая май мае",
    6: "june jun junio juin juni июня июнь июне",
    7: "july jul julio juillet juli июля июль июле",
    8: "august aug agosto août aout августа август августе",
    9: "september sep sept septiembre setiembre septembre сентября сентябрь сентябре",
    10: "october oct octubre octobre oktober октября октябрь октябре",
    11: "november nov noviembre novembre ноября ноябрь ноябре",
    12: "december dec diciembre décembre decembre dezember dez декабря декабрь декабре",
}
MONTHS = {name: num for num, names in _MONTH_NAMES.items() for name in names.split()}

_WEEKDAY_NAMES = {
    0: "monday mon lunes lundi montag понедельник пн",
    1: "tuesday tue tues martes mardi dienstag вторник вт",
    2: "wednesday wed miércoles miercoles mercredi mittwoch среда среду ср",
    3: "thursday thu thur thurs jueves jeudi donnerstag четверг чт",
    4: "friday fri viernes vendredi freitag пятница пятницу пт",
    5: "saturday sat sábado sabado samedi samstag суббота субботу сб",
    6: "sunday sun domingo dimanche sonntag воскресенье вс",
}
WEEKDAY_NAMES = {name: num for num, names in _WEEKDAY_NAMES.items() for name in names.split()}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MON = rf"(?P<mon>{_alt(MONTHS)})\b\.?"
_MON_ANY = rf"(?:{_alt(MONTHS)})\b\.?"
_WD = rf"(?:{_alt(WEEKDAY_NAMES)})\b\.?"
_ORD = r"(?:st|nd|rd|th|er|º|-?го|-?е)?"

_FULL_PATTERNS = (
    re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\.?\s+(?:de\s+|of\s+)?{_MON},?\s+(?:de\s+)?(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d{2})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})\b"),
)
_PARTIAL_PATTERNS = (
    re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\.?\s+(?:de\s+|of\s+)?{_MON}", re.I),
    re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}}){_ORD}\b", re.I),
)
_WEEKDAY_BEFORE = re.compile(rf"(?P<wd>{_WD})\s*,?\s*$", re.I)
_WEEKDAY_AFTER = re.compile(rf"^\s*[,(]?\s*(?P<wd>{_WD})", re.I)

_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ'’.\- ]{1,40}?)"
    r"(?:,\s*[A-Z][A-Za-z.\- ]{1,30}?)?"
    rf"(?:\s*,\s*(?i:{_WD}\s*,?\s*)?"
    rf"(?P<date>(?i:{_MON_ANY}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MON_ANY}(?:\s+\d{{4}})?)))?"
    r"\s*(?:\((?P<agency>[^)]{0,40})\))?"
    r"\s*[–—\-]{1,2}(?:\s|$)"
)

_URL_DATES = (
    (re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/\-_.]|$)"), 3),
    (re.compile(r"[/\-_]((?:19|20)\d{2})(\d{2})(\d{2})(?=[/\-_.]|$)"), 3),
    (re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})(?=/)"), 2),
    (re.compile(r"/((?:19|20)\d{2})(?=/)"), 1),
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in a string; ``year`` is None when the string omits it."""
    year: Optional[int]
    month: int
    day: Optional[int]
    start: int
    end: int
    text: str
    weekday: Optional[int] = None    # a weekday printed right beside the date (0 = Monday)

    def iso(self) -> str:
        return iso_value(self.year or None, self.month, self.day)


def _valid(year: Optional[int], month: int, day: Optional[int]) -> bool:
    if not 1 <= month <= 12:
        return False
    if year is not None and not 1900 <= year <= _dt.date.today().year + 1:
        return False
    if day is None:
        return True
    try:
        _dt.date(year or 2000, month, day)  # 2000 is a leap year: 29 February stays valid
    except ValueError:
        return False
    return True


def _weekday_near(s: str, start: int, end: int) -> Optional[int]:
    m = _WEEKDAY_BEFORE.search(s[max(0, start - 20):start])
    if not m:
        m = _WEEKDAY_AFTER.match(s[end:end + 20])
    if not m:
        return None
    return WEEKDAY_NAMES.get(m.group("wd").rstrip(".").lower())


def _month_of(m: re.Match) -> int:
    if "mon" in m.re.groupindex and m.group("mon"):
        return MONTHS[m.group("mon").lower()]
    return int(m.group("m"))


def find_full_date(s: str) -> Optional[DateMatch]:
    """The first complete date (day, month and year) in ``s``."""
    best = None
    for rx in _FULL_PATTERNS:
        for m in rx.finditer(s):
            year, month, day = int(m.group("y")), _month_of(m), int(m.group("d"))
            if _valid(year, month, day):
                if best is None or m.start() < best.start:
                    best = DateMatch(year, month, day, m.start(), m.end(), m.group(0),
                                     _weekday_near(s, m.start(), m.end()))
                break
    return best


def find_partial_date(s: str) -> Optional[DateMatch]:
    """The first day-and-month date without a year (``Dec. 14``, ``14 декабря``)."""
    best = None
    for rx in _PARTIAL_PATTERNS:
        for m in rx.finditer(s):
            month, day = _month_of(m), int(m.group("d"))
            if _valid(None, month, day):
                if best is None or m.start() < best.start:
                    best = DateMatch(None, month, day, m.start(), m.end(), m.group(0),
                                     _weekday_near(s, m.start(), m.end()))
                break
    return best


@dataclass(frozen=True)
class Dateline:
    """The opening of an agency report: place, optional date, optional agency."""
    place: str
    date: Optional[DateMatch]
    agency: Optional[str]


def parse_dateline(line: str) -> Optional[Dateline]:
    """``'MADRID, Dec. 14 (Europa Press) – ...'`` -> place, date and agency; None if not a dateline."""
    m = _DATELINE.match(line)
    if not m or (not m.group("date") and m.group("agency") is None):
        return None
    place = m.group("place").strip(" .,")
    if len(place) < 2 or not any(c.isalpha() for c in place):
        return None
    date = None
    if m.group("date"):
        raw = m.group("date")
        offset = m.start("date")
        date = find_full_date(raw) or find_partial_date(raw)
        if date is not None:
            date = DateMatch(date.year, date.month, date.day, offset + date.start, offset + date.end,
                             date.text, _weekday_near(line, offset + date.start, offset + date.end))
    agency = (m.group("agency") or "").strip(" .,;:-–—")
    return Dateline(place, date, agency or None)


def url_date(url: str) -> Optional[DateMatch]:
    """The date a URL's path carries (``/2022/12/30/`` -> 2022-12-30), at the precision it has."""
    from urllib.parse import urlsplit

    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for rx, parts in _URL_DATES:
        m = rx.search(path)
        if not m:
            continue
        year = int(m.group(1))
        month = int(m.group(2)) if parts >= 2 else None
        day = int(m.group(3)) if parts == 3 else None
        if month is None:
            if _valid(year, 1, None):
                return DateMatch(year, 0, None, m.start(), m.end(), m.group(0))
            continue
        if _valid(year, month, day):
            return DateMatch(year, month, day, m.start(), m.end(), m.group(0))
    return None


def infer_year(month: int, day: int, weekday: int, ref_year: int, span: int = 7) -> Optional[int]:
    """The one year in ``[ref_year - span + 1, ref_year]`` whose ``month``/``day`` falls on ``weekday``.

    None when no year or more than one year fits: then the evidence is not enough.
    """
    fits = []
    for year in range(ref_year - span + 1, ref_year + 1):
        try:
            if _dt.date(year, month, day).weekday() == weekday:
                fits.append(year)
        except ValueError:
            continue
    return fits[0] if len(fits) == 1 else None


_MACHINE = re.compile(r"^\s*((?:19|20)\d{2})-?(\d{2})-?(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")


def iso_from_machine(value: str) -> Optional[str]:
    """ISO date of a machine-written date (``2022-12-30T10:00:00+03:00``, RFC 2822, or a printed date)."""
    value = (value or "").strip()
    if not value:
        return None
    m = _MACHINE.match(value)
    if m:
        year, month, day = (int(g) for g in m.groups())
        return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date().isoformat()
    found = find_full_date(value)
    return found.iso() if found else None
