"""Publication dates in the index: partial dates as searchable periods.

A publication date is known to a year (``2022``), a month (``2022-12``) or a
day (``2022-12-14``); each is the period from its first to its last day. The
``published`` field indexes both ends of that period, and a date query
matches an article when the article's whole period lies inside the asked
range: an article of "2022-12" is found by ``published:[2022-12-01 TO
2022-12-31]`` and by ``published:2022-12``, but not by ``published:2022-12-14``
(it may have appeared on any day of December).

Each article is indexed under every calendar block that holds its period:
``y:2022``, ``m:202212`` and, for a day, ``d:20221214``. A query range is cut
into its largest whole years, months and days, so a range costs a handful
of short term lists instead of one term per indexed day.
"""
from __future__ import annotations

import datetime as _dt
import functools

from whoosh import columns
from whoosh.fields import FieldType
from whoosh.formats import Existence
from whoosh.qparser.common import QueryParserError
from whoosh.query import NullQuery, Or, Term, TermRange

from ..errors import InvalidInput
from ..partial_date import PartialDate

__all__ = ["DateQueryError", "period", "PublishedField"]

_FORMAT_HINT = "write dates as YYYY, YYYY-MM or YYYY-MM-DD"


class DateQueryError(QueryParserError):
    """A date in a query that is not a valid partial date; the message is for users."""


def _key(day: _dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _read(value: str) -> PartialDate | None:
    """The partial date a query or a stored ``published`` writes (one-digit parts allowed), or None."""
    # Raises InvalidInput for a well-shaped impossible date (2022-02-30).
    return PartialDate.read_numeric(value.strip(), separators="-", day_first=False)


@functools.lru_cache(maxsize=4096)      # indexing asks for the same publication dates over and over
def period(value: str) -> tuple[str, str] | None:
    """First and last day (``YYYYMMDD``) of a partial ISO date, or None if invalid.

    >>> period("2022-02")
    ('20220201', '20220228')
    """
    try:
        date = _read(value)
    except InvalidInput:
        return None
    if date is None:
        return None
    return _key(date.first_day()), _key(date.last_day())


def _query_period(text: str) -> tuple[str, str]:
    try:
        date = _read(text)
    except InvalidInput as err:
        reason = str(err).split(": ", 1)[-1].rstrip(".")
        raise DateQueryError(f"'{text}' is not a date the published field understands: {reason}; {_FORMAT_HINT}.") from None
    if date is None and text.lstrip().startswith(("[", "{")):
        raise DateQueryError("A date range needs TO between its dates, e.g. published:[2022-12-01 TO 2022-12-31].")
    if date is None:
        raise DateQueryError(f"'{text}' is not a date the published field understands; {_FORMAT_HINT}.")
    return _key(date.first_day()), _key(date.last_day())


def _shift(day: str, delta: int) -> str:
    return _key(_as_date(day) + _dt.timedelta(days=delta))


def _blocks(lo: _dt.date, hi: _dt.date) -> list[tuple[str, str, str]]:
    """The range [lo, hi] cut into maximal whole years, months and days.

    Returns ``(kind, first, last)`` runs of consecutive blocks of one kind,
    e.g. ``("m", "202201", "202206")`` for January to June 2022.
    """
    # Blocks are produced in calendar order, so same-kind neighbours are
    # adjacent and one lexicographic term range covers them.
    runs: list[list[str]] = []

    def add(kind: str, key: str) -> None:
        if runs and runs[-1][0] == kind:
            runs[-1][2] = key
        else:
            runs.append([kind, key, key])

    day = lo
    while day <= hi:
        if day.month == 1 and day.day == 1 and _dt.date(day.year, 12, 31) <= hi:
            last_year = hi.year if (hi.month, hi.day) == (12, 31) else hi.year - 1
            add("y", f"{day.year:04d}")
            runs[-1][2] = f"{last_year:04d}"
            if last_year >= 9999:
                break
            day = _dt.date(last_year + 1, 1, 1)
            continue
        month_end = PartialDate.from_date(day, "month").last_day()
        if day.day == 1 and month_end <= hi:
            add("m", f"{day.year:04d}{day.month:02d}")
            if month_end == _dt.date.max:
                break
            day = month_end + _dt.timedelta(days=1)
            continue
        add("d", _key(day))
        if day == _dt.date.max:
            break
        day += _dt.timedelta(days=1)
    return [(kind, first, last) for kind, first, last in runs]


def _as_date(day: str) -> _dt.date:
    return _dt.date(int(day[:4]), int(day[4:6]), int(day[6:]))


class PublishedField(FieldType):
    """The ``published`` field: stored as written, indexed as calendar-block terms.

    It parses its own queries (a single date or a range) so that partial
    dates keep the containment rule described in the module docstring. Its
    sort column holds the first day of the period; unknown dates sort as
    the empty string, i.e. last when newest come first.
    """

    def __init__(self) -> None:
        self.format = Existence()
        self.analyzer = None
        self.stored = True
        self.unique = False
        self.scorable = False
        self.vector = None
        self.column_type = columns.VarBytesColumn()

    def index(self, value, **kwargs):
        p = period(value) if isinstance(value, str) and value else None
        if p is None:
            return iter(())
        lo, hi = p
        terms = [f"y:{lo[:4]}"]
        if lo[:6] == hi[:6]:
            terms.append(f"m:{lo[:6]}")
        if lo == hi:
            terms.append(f"d:{lo}")
        return iter([(t.encode(), 1, 1.0, b"") for t in terms])

    def process_text(self, qstring, mode="", **kwargs):
        return iter([qstring])

    def to_column_value(self, value):
        p = period(value) if isinstance(value, str) and value else None
        return p[0].encode() if p else b""

    def from_column_value(self, value):
        return value.decode() if value else ""

    def self_parsing(self):
        return True

    def parse_query(self, fieldname, qstring, boost=1.0):
        lo, hi = _query_period(qstring)
        return self._between(fieldname, lo, hi, boost)

    def parse_range(self, fieldname, start, end, startexcl, endexcl, boost=1.0):
        start = (start or "").strip() or None
        end = (end or "").strip() or None
        if start is None and end is None:
            raise DateQueryError("A date range needs a start or an end date, e.g. published:[2022-12-01 TO 2022-12-31].")
        lo = hi = None
        if start is not None:
            s_lo, s_hi = _query_period(start)
            lo = _shift(s_hi, 1) if startexcl else s_lo
        if end is not None:
            e_lo, e_hi = _query_period(end)
            hi = _shift(e_lo, -1) if endexcl else e_hi
        if lo is not None and hi is not None and lo > hi:
            raise DateQueryError(
                f"The date range from {start} to {end} ends before it starts."
            )
        return self._between(fieldname, lo, hi, boost)

    @staticmethod
    def _between(fieldname, lo, hi, boost):
        start = _as_date(lo) if lo else _dt.date(1, 1, 1)
        end = _as_date(hi) if hi else _dt.date(9999, 12, 31)
        parts = [
            Term(fieldname, f"{kind}:{first}", boost=boost) if first == last
            else TermRange(fieldname, f"{kind}:{first}", f"{kind}:{last}", boost=boost)
            for kind, first, last in _blocks(start, end)
        ]
        if not parts:
            return NullQuery
        return parts[0] if len(parts) == 1 else Or(parts)
