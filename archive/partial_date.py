"""The partial date: a date known to a year, a month or a day, maybe approximate.

One type for every date of the archive that may be incomplete: event dates,
publication dates, date fact values and filter limits.

>>> d = PartialDate.parse("~2022-12")
>>> d
PartialDate(value='2022-12', precision='month', approximate=True, text='')
>>> d.human(), d.iso, d.first_day(), d.last_day()
('c. Dec 2022', '~2022-12', datetime.date(2022, 12, 1), datetime.date(2022, 12, 31))
>>> PartialDate.parse("XXXX-12-06", year_unknown=True).human()
'6 Dec (year unknown)'

Written forms
    ``value`` is ISO text at its precision: ``2022``, ``2022-12``,
    ``2022-12-06``; ``XXXX-12-06`` when a date fact names a day without a
    year. The typed form puts ``~`` in front of an approximate date
    (:attr:`PartialDate.iso`). Date fact values may be ranges ``A/B``
    (:func:`parse_range`). Values sort chronologically as plain strings
    ("2022" < "2022-12" < "2022-12-06", and "XXXX..." after every year),
    which is why the store orders by the text and why PartialDate orders by
    ``value`` too.

Human forms (:meth:`PartialDate.human`, :func:`human_range`)
    There is one short form, ``6 Dec 2022`` / ``Dec 2022`` / ``2022``, with
    ``c.`` in front when approximate: tables, the axis, exports (PDF,
    Markdown, TimelineJS) and filters all show it. A range spells out both
    ends (``6 Dec 2022 – 20 Dec 2022``); ``join_days`` writes two days of one
    month as ``5–7 Dec 2022``, which the facts panel uses because a fact
    range is one phrase of the text ("5-7 December"), while an event's two
    ends are two dates the user set. Month names are English and fixed,
    not the process locale's (``calendar.month_abbr`` follows ``setlocale``,
    which Qt calls), so a date reads the same in the app, the CLI and a
    file.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from .errors import InvalidInput

__all__ = [
    "PartialDate", "PRECISIONS", "ISO_FORMS", "ISO_HELP", "MONTH_ABBR", "MONTH_NAMES", "WEEKDAY_NAMES",
    "WEEKDAY_ABBR",
    "parse_range", "human_range", "iso_parts", "iso_value", "human_day",
]

PRECISIONS = ("day", "month", "year")
ISO_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2022-12-06, 2022-12, 2022)"
ISO_HELP = f"use {ISO_FORMS}, with ~ in front if approximate"
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
# Monday first, as datetime.weekday() counts. calendar.day_name would follow
# the C library's locale, which Qt sets from the desktop's: English articles
# are read with English names whatever the user's locale.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_ABBR = tuple(name[:3] for name in WEEKDAY_NAMES)
UNKNOWN_YEAR = "XXXX"

# ASCII digits only: Python's \d also takes "２０２２" or "٢٠٢٢", which would then
# sort after 9999 as text. Typed dates are NFKC-normalised first (parse).
_ISO = re.compile(r"^([0-9]{4}|XXXX)(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
# The parts of a value without judging them (extractor arithmetic, lenient display).
_PARTS = re.compile(r"^([0-9]{4}|XXXX)(?:-([0-9]{2}))?(?:-([0-9]{2}))?")
# A leap year, for the days a month can have when the year is unknown.
_ANY_LEAP_YEAR = 2000


# The lenient numeric forms (read_numeric) take any script's digits on purpose:
# they are read with int() and written back as ASCII, so nothing sorts oddly.
_DAY_FIRST = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@functools.lru_cache(maxsize=4)
def _numeric(separators: str) -> re.Pattern:
    sep = "[" + re.escape(separators) + "]"
    return re.compile(rf"^(\d{{4}})(?:{sep}(\d{{1,2}})(?:{sep}(\d{{1,2}}))?)?$")


def iso_value(year: Optional[int], month: Optional[int] = None, day: Optional[int] = None) -> str:
    """ISO text of the parts given, unchecked: ``2022-12-06``, ``2022-12``, ``XXXX-12-06``."""
    out = f"{year:04d}" if year is not None else UNKNOWN_YEAR
    if month is not None:
        out += f"-{month:02d}"
        if day is not None:
            out += f"-{day:02d}"
    return out


@functools.lru_cache(maxsize=4096)      # the same few thousand values are read over and over
def iso_parts(value: Optional[str]) -> tuple[Optional[int], Optional[int], Optional[int]]:
    """``"2022-12-14"`` -> (2022, 12, 14), unchecked; missing parts and an ``XXXX`` year are None.

    Reads the start of the text, so a range ``A/B`` gives A's parts. For
    arithmetic on values that are known to be well formed; use
    :meth:`PartialDate.parse` to check one.
    """
    m = _PARTS.match((value or "").strip())
    if not m:
        return (None, None, None)
    year, month, day = m.groups()
    return (None if year == UNKNOWN_YEAR else int(year),
            int(month) if month else None, int(day) if day else None)


def _check(value: str, year: Optional[int], month: Optional[int], day: Optional[int]) -> str:
    """The precision of ``value`` made of these parts; InvalidInput saying what is wrong."""
    if month is not None and not 1 <= month <= 12:
        raise InvalidInput(f"“{value}” is not a date: month {month:02d} does not exist.")
    if year == 0:
        raise InvalidInput(f"“{value}” is not a date: there is no year 0.")
    if year is None and month is None:
        raise InvalidInput(f"“{value}” is not a date: a date without a year needs its month.")
    if day is not None:
        last = calendar.monthrange(_ANY_LEAP_YEAR if year is None else year, month)[1]
        if not 1 <= day <= last:
            if year is None:
                raise InvalidInput(f"“{value}” is not a date: {MONTH_NAMES[month - 1]} has at most {last} days.")
            raise InvalidInput(f"“{value}” is not a date: {MONTH_NAMES[month - 1]} {year} has {last} days.")
        return "day"
    return "month" if month is not None else "year"


def _refuse_form(value: str, help: str = ISO_HELP) -> InvalidInput:
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in value):
        return InvalidInput(f"“{value}” is not a date: write it with the digits 0-9 ({help}).")
    return InvalidInput(f"“{value}” is not a date: {help}.")


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a month or a year: ``2022-12-06``, ``2022-12``, ``2022``.

    ``value`` is the ISO text (the stored form), ``precision`` one of
    :data:`PRECISIONS`, ``approximate`` the ``~``/"c." mark and ``text`` the
    words it came from ("late November"). Build one with :meth:`parse`,
    :meth:`from_iso`, :meth:`from_parts` or :meth:`read_numeric`; a value
    built by hand can be checked with :meth:`validated`.

    Dates order by ``value`` (then the mark and the words), the order the
    store keeps: a month sorts before its first day, a year before its
    January.
    """
    value: str
    precision: str                    # day, month, year
    approximate: bool = False
    text: str = ""                    # the words it came from ("late November")

    # ------------------------------------------------------------ building

    @classmethod
    def parse(cls, text: str, *, words: str = "", year_unknown: bool = False) -> "PartialDate":
        """Read ``2022-12-06``, ``2022-12``, ``2022`` or ``~2022-12`` (approximate).

        Full-width digits and signs (``２０２２－１２``, ``～2022``) count as
        their ASCII selves; other scripts' digits are refused. With
        ``year_unknown``, ``XXXX-12-06`` and ``XXXX-12`` are dates too.
        ``words`` is kept as the date's source text. Raises InvalidInput with
        a message that says what is wrong and what to type.
        """
        raw = unicodedata.normalize("NFKC", text or "").strip()
        if not raw:
            raise InvalidInput(f"A date is required: {ISO_HELP}.")
        approximate = raw.startswith("~")
        value = raw[1:].strip() if approximate else raw
        return cls(value, cls._precision(value, year_unknown), approximate, words)

    @classmethod
    def from_iso(cls, value: str, *, year_unknown: bool = False) -> "PartialDate":
        """The date a stored ISO value (no ``~``, no normalising) means; InvalidInput if it is none."""
        return cls(value, cls._precision(value, year_unknown, f"use {ISO_FORMS}"))

    @classmethod
    def from_parts(cls, year: Optional[int], month: Optional[int] = None, day: Optional[int] = None,
                   *, approximate: bool = False, text: str = "") -> "PartialDate":
        """The date of these numbers (``year`` None: unknown); InvalidInput if there is none."""
        value = iso_value(year, month, day if month is not None else None)
        if day is not None and month is None:
            raise InvalidInput(f"“{value}” is not a date: a day needs its month.")
        if year is not None and not 0 <= year <= 9999:
            raise InvalidInput(f"“{year}” is not a year: {ISO_HELP}.")
        return cls(value, _check(value, year, month, day), approximate, text)

    @classmethod
    def from_date(cls, day: _dt.date, precision: str = "day") -> "PartialDate":
        """A calendar day, or the month or year holding it."""
        parts = (day.year, day.month, day.day)[: 3 - PRECISIONS.index(precision)]
        return cls(iso_value(*parts), precision)

    @classmethod
    def read_numeric(cls, text: str, *, separators: str = "-/.",
                     day_first: bool = True) -> Optional["PartialDate"]:
        """A date written in numbers the lenient way people type them, or None if it is not one.

        Takes one-digit parts and the given separators (``2022/12/1``,
        ``2022.12``) and, with ``day_first``, the day-first dots much of
        Europe writes (``1.12.2022``). None when the text is not shaped like
        that; InvalidInput when it is but names no date (``2022-13``).
        """
        raw = (text or "").strip()
        m = _numeric(separators).match(raw)
        if m:
            year, month, day = m.groups()
        else:
            m = _DAY_FIRST.match(raw) if day_first else None
            if not m:
                return None
            day, month, year = m.groups()
        return cls.from_parts(int(year), int(month) if month else None, int(day) if day else None)

    @staticmethod
    def _precision(value: str, year_unknown: bool = False, help: str = ISO_HELP) -> str:
        m = _ISO.match(value or "")
        if not m or (m.group(1) == UNKNOWN_YEAR and not year_unknown):
            raise _refuse_form(value or "", help)
        year, month, day = m.groups()
        return _check(value, None if year == UNKNOWN_YEAR else int(year),
                      int(month) if month else None, int(day) if day else None)

    def validated(self, what: str = "date") -> "PartialDate":
        """This date if its value is a date written to its precision; InvalidInput otherwise."""
        actual = self._precision(self.value)
        if self.precision != actual:
            raise InvalidInput(
                f"The {what} “{self.value}” is written to the {actual} but is marked as known to the {self.precision}."
            )
        return self

    def at_precision(self, precision: str) -> "PartialDate":
        """The same date known only to ``precision``: 2022-12-06 at "month" is 2022-12.

        Never finer than the date is: 2022-12 at "day" stays 2022-12.
        """
        parts = self.value.split("-")
        keep = min(len(parts), 3 - PRECISIONS.index(precision))
        return PartialDate("-".join(parts[:keep]), PRECISIONS[3 - keep], self.approximate, self.text)

    # ------------------------------------------------------------ reading

    @property
    def year(self) -> Optional[int]:
        return iso_parts(self.value)[0]

    @property
    def month(self) -> Optional[int]:
        return iso_parts(self.value)[1]

    @property
    def day(self) -> Optional[int]:
        return iso_parts(self.value)[2]

    @property
    def year_known(self) -> bool:
        return not self.value.startswith(UNKNOWN_YEAR)

    @property
    def iso(self) -> str:
        """The typed form: ``2022-12-06``, or ``~2022-12`` when approximate."""
        return ("~" if self.approximate else "") + self.value

    def first_day(self) -> _dt.date:
        """The first calendar day the date can mean; ValueError when its year is unknown."""
        year, month, day = iso_parts(self.value)
        if year is None:
            raise ValueError(f"{self.value} has no year")
        return _dt.date(year, month or 1, day or 1)

    def last_day(self) -> _dt.date:
        """The last calendar day the date can mean; ValueError when its year is unknown."""
        year, month, day = iso_parts(self.value)
        if year is None:
            raise ValueError(f"{self.value} has no year")
        month = month or 12
        return _dt.date(year, month, day or calendar.monthrange(year, month)[1])

    def span(self) -> Optional[tuple[_dt.date, _dt.date]]:
        """(first day, last day), or None when the year is unknown."""
        if not self.year_known:
            return None
        return self.first_day(), self.last_day()

    def contains(self, other: "PartialDate") -> bool:
        """Every day ``other`` can mean is a day this date can mean (2022-12 contains 2022-12-06)."""
        return self.first_day() <= other.first_day() and other.last_day() <= self.last_day()

    def overlaps(self, other: "PartialDate") -> bool:
        """Some day can be meant by both dates (2022-12 and 2022: yes; 2022-12 and 2023: no)."""
        return self.first_day() <= other.last_day() and other.first_day() <= self.last_day()

    def human(self) -> str:
        """``6 Dec 2022``, ``Dec 2022``, ``2022``; ``c. `` in front when approximate.

        A date without a year reads ``6 Dec (year unknown)``.
        """
        year, month, day = iso_parts(self.value)
        bits = []
        if day is not None and self.precision == "day":
            bits.append(str(day))
        if month is not None and self.precision in ("day", "month"):
            bits.append(MONTH_ABBR[month - 1])
        if year is not None:
            bits.append(f"{year:04d}")
        if not bits:
            return self.value             # not a date at all: shown as written
        shown = " ".join(bits)
        if year is None:
            shown += " (year unknown)"
        return ("c. " if self.approximate else "") + shown

    # ------------------------------------------------------------ ordering

    def _key(self) -> tuple[str, bool, str]:
        return (self.value, self.approximate, self.text)

    def __lt__(self, other: "PartialDate") -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: "PartialDate") -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: "PartialDate") -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: "PartialDate") -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() >= other._key()


def parse_range(value: str, *, year_unknown: bool = True) -> tuple[PartialDate, Optional[PartialDate]]:
    """A date fact's value, one date or a range ``A/B``, as (start, end or None).

    >>> [d.value for d in parse_range("2022-12-05/2022-12-07")]
    ['2022-12-05', '2022-12-07']
    """
    pieces = (value or "").split("/")
    if len(pieces) > 2 or not pieces[0].strip():
        raise InvalidInput(f"“{value}” is not a date value the timeline can use.")
    start = PartialDate.parse(pieces[0], year_unknown=year_unknown)
    end = PartialDate.parse(pieces[1], year_unknown=year_unknown) if len(pieces) == 2 and pieces[1].strip() else None
    return start, end


def human_range(start: PartialDate, end: Optional[PartialDate] = None, *, join_days: bool = False) -> str:
    """``6 Dec 2022`` or ``6 Dec 2022 – Jan 2023``; ``join_days``: ``5–7 Dec 2022``."""
    if end is None or (end.value == start.value and end.approximate == start.approximate):
        return start.human()
    if (join_days and start.precision == end.precision == "day" and start.year_known
            and start.value[:7] == end.value[:7] and not start.approximate and not end.approximate):
        return f"{start.day}\u2013{end.human()}"
    return f"{start.human()} \u2013 {end.human()}"


def human_day(day: _dt.date) -> str:
    """A calendar day in the short form: ``6 Dec 2022``."""
    return PartialDate.from_date(day).human()
