"""Finding dates in article text and resolving them to calendar dates.

Our own rules, not a general date parser: news copy is full of year-less and
relative dates ("on Wednesday", "Sept. 26", "this fall") whose meaning depends
on when the article was published, and general parsers resolve those against
*today*. Every resolved value says how it was reached in ``basis``.

Values are ISO 8601 at the precision the words give: ``2022``, ``2022-11``,
``2022-11-30``, ranges ``2022-12-05/2022-12-07``. Choices:

* a season is its year with the season as qualifier: "this fall" published
  2022-12-30 is ``2022`` with ``extra["qualifier"] = "fall"`` and the months
  it covers (meteorological, northern hemisphere) in ``extra["range"] =
  "2022-09/2022-11"``; winter is the year it starts in (``2022-12/2023-02``).
  A timeline wants a sortable value at the precision the words give, and a
  season is not a month range the writer stated;
* "early/mid/late November", "the end of February" keep the month as value and
  put ``early``/``mid``/``late`` in ``extra["qualifier"]``;
* a bare weekday means the most recent such day on or before publication, or
  the next one when the verb governing it speaks of the future ("will", "is
  due to"; see :mod:`.tense`: the governor, not any "will" in the sentence);
* a year-less date goes the way its governing verb points: ahead for "will",
  "by", "until", "is scheduled", "рассмотрят", back for a past verb; when
  nothing decides, a month up to two months after the publication month is
  the coming one and any other the past one (news reports the past); without a
  publication date the latest date of the case context is used; failing both
  the value is ``XXXX-12-06`` with ``extra["unresolved"] = True``;
* "last fall" is the latest fall that has ended by publication (in December,
  the one just gone), "this fall" the publication year's, "next" the first
  not yet begun; "this winter" is the one under way or, from June, coming;
* "five days after the mobilisation was declared" is a date fact with
  ``extra["relative"]`` and ``extra["anchor"]``; the pipeline dates the
  anchor from the fact that names the same event (:func:`resolve_anchor`),
  in the article or the case, and says "anchor event not dated" at lower
  confidence when none does. "a year earlier", "the following year" count
  from the date just told in their paragraph, else (years) from publication;
* "tomorrow"/"завтра" are the day after publication; "year-end" the end of
  the publication year; "nineteen ninety-six" a stated year; "today's
  world", titles ("This Week") and names before a year ("Orion 1980") are
  not dates.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from ..errors import InvalidInput
from ..partial_date import MONTH_NAMES, WEEKDAY_NAMES, PartialDate, iso_parts, iso_value
from .spans import SpanSet
from .tense import governing_tense

__all__ = [
    "RawDate", "DateContext", "InferredPublication", "find_dates", "infer_publication", "parse_iso",
    "parse_partial", "shift", "resolve_anchor", "MONTHS_EN", "WEEKDAYS_EN", "parse_number_word",
]

MONTHS_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_FULL_MONTHS = list(MONTH_NAMES)
WEEKDAYS_EN = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)}
WEEKDAYS_RU = {
    "понедельник": 0, "вторник": 1, "среду": 2, "среда": 2, "четверг": 3,
    "пятницу": 4, "пятница": 4, "субботу": 5, "суббота": 5, "воскресенье": 6,
}
_RU_MONTH_STEMS = [
    ("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма", 5), ("июн", 6),
    ("июл", 7), ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12),
]
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2),
           "весн": (3, 5), "лет": (6, 8), "осен": (9, 11), "зим": (12, 2)}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000,
    "dozen": 12, "couple": 2, "several": 3, "few": 3,
    "один": 1, "одна": 1, "одну": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
    "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
}


def parse_number_word(word: str) -> Optional[int]:
    """``"fifteen"`` -> 15, ``"twenty-five"`` -> 25, ``"7"`` -> 7; None if not a number."""
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w]
    if "-" in w:
        parts = w.split("-")
        if all(p in _NUMBER_WORDS for p in parts) and len(parts) == 2:
            return _NUMBER_WORDS[parts[0]] + _NUMBER_WORDS[parts[1]]
    return None


# ---------------------------------------------------------------- regex parts

def _month_alt() -> str:
    forms = []
    for name in _FULL_MONTHS:
        forms += [name, name.upper()]
    for abbr in ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"):
        forms += [abbr + r"\.", abbr + r"(?![\w.])", abbr.upper() + r"\.?(?![\w])"]
    return "(?:" + "|".join(forms) + ")"


_MON = _month_alt()
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_NUM = (r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
        r"fifteen|twenty|thirty|forty|fifty|a\s+couple\s+of|a\s+few|several)")
_UNIT = r"(?:days?|weeks?|months?|years?|hours?)"
_WD = "(?:" + "|".join(WEEKDAY_NAMES) + ")"
_QUAL = (r"(?P<qual>(?:the\s+)?(?:very\s+)?(?:early|mid|late|end\s+of|beginning\s+of|start\s+of|middle\s+of)"
         r"(?:\s+|-)(?:of\s+)?)")
_END = r"(?![\w])"

_P_ISO = re.compile(rf"(?<![\w/.-])(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)(?![\w/-])")
_P_NUMERIC = re.compile(
    rf"(?<![\w/.-])(?P<d>[0-3]?\d)(?P<sep>[./])(?P<m>[01]?\d)(?P=sep)(?P<y>{_YEAR})(?![\w/])")
_P_DMY = re.compile(
    rf"(?<![\w.])(?:{_QUAL})?(?P<d>{_DAY})(?:\s+of)?\s+(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?{_END}")
_P_MDY = re.compile(
    rf"(?<![\w])(?P<mon>{_MON})\s?(?P<d>{_DAY})(?![\d:.,]\d)(?:(?:,\s*|\s+)(?P<y>{_YEAR})(?![-/]\d))?{_END}")
_P_MY = re.compile(rf"(?<![\w])(?:{_QUAL})?(?P<mon>{_MON})(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?{_END}")
_P_YEAR = re.compile(
    rf"(?<![\w$€£#/.,-])(?:{_QUAL})?(?P<y>{_YEAR})(?:\s*[-–]\s*(?P<y2>{_YEAR}|\d\d))?(?![\w%/]|[.,]\d|-\w)")
_P_SEASON = re.compile(
    r"(?<![\w])(?P<det>this|last|next|the|early|late|in|during)\s+(?:(?P<det2>early|late)\s+)?"
    rf"(?P<season>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?(?!\s+of\s+(?!{_YEAR}))(?![\w])",
    re.I)
_P_WEEKDAY = re.compile(
    rf"(?<![\w])(?:(?P<det>last|this|next|on|early|late)\s+)?(?P<wd>{_WD})(?:'s|’s)?"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?(?![\w])")
_P_REL = re.compile(
    r"(?<![\w])(?:(?P<yesterday>yesterday|the\s+day\s+before\s+yesterday)|(?P<tomorrow>tomorrow|the\s+day\s+after\s+tomorrow)|(?P<today>today|tonight|this\s+morning|this\s+afternoon|this\s+evening|last\s+night)"
    r"|(?P<earlier>earlier|later)\s+this\s+(?P<eunit>week|month|year)"
    r"|(?P<det>last|this|next|the\s+past|the\s+previous)\s+(?P<unit>week|month|year)"
    rf"|(?P<n>{_NUM})\s+(?P<agounit>{_UNIT})\s+ago)(?![\w])",
    re.I)
_P_ANCHORED = re.compile(
    rf"(?<![\w])(?:(?:just|only|some|about|nearly|almost)\s+)?(?:(?P<the>the)\s+(?P<tunit>day|week|month|year)|(?P<n>{_NUM})\s+(?P<unit>{_UNIT}))"
    r"\s+(?P<dir>after|before|prior\s+to|later|earlier)(?![\w])(?!\s+(?:tomorrow|yesterday)\b)",
    re.I)

_P_YEAR_END = re.compile(r"(?<![\w-])(?:the\s+)?(?:year[-\s]end|end\s+of\s+the\s+year)(?![\w-])", re.I)
# "the following year": a year counted from the date just told, dated by the pipeline like "a year later".
_P_NEXT_YEAR = re.compile(r"(?<![\w])the\s+(?P<which>following|next|previous|preceding|same)\s+(?P<unit>year|month)(?![\w])", re.I)
# "late that month", "that year": the date just told, at the unit's precision.
_P_THAT = re.compile(
    r"(?<![\w])(?:(?P<qual>early|mid|late|later|earlier|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|"
    r"the\s+middle\s+of)[\s-]+)?that\s+(?P<unit>day|month|year)(?![\w'’-])", re.I)
_SPELLED_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_SPELLED_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                  "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_SPELLED_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_P_SPELLED_YEAR = re.compile(
    r"(?<![\w])(?:in|since|until|till|by|from|of|during|before|after|year|to)\s+"
    r"(?P<words>(?P<century>eighteen|nineteen)[\s-]+(?:(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?P<unit>one|two|three|four|five|six|seven|eight|nine))?|(?P<teen>ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen)|(?P<oh>oh|o)[\s-](?P<ohunit>one|two|three|four|five|six|seven|eight|nine))"
    r"|two\s+thousand(?:\s+and)?(?:\s+(?P<mill>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?))?)"
    r"(?![\w-])", re.I)
# Words after "today's" that make it "nowadays", not the day of publication.
_NOWADAYS = re.compile(
    r"['’]s\s+(?:world|society|youth|generation|standards|terms|economy|markets?|children|young|technology|politics|"
    r"media|age|climate|context|environment|life|culture|europe|russia|america|china|africa|asia|digital|modern|global)\b", re.I)
# A capitalised name just before a year makes a title ("Orion 1980", "Euro 2020"), not a date.
_NAME_BEFORE_YEAR = re.compile(r"(?<![\w.])([A-Z][a-z]+|[A-Z]{2,})\s+$")
_NOT_NAMES = {
    "in", "by", "since", "until", "till", "from", "of", "before", "after", "around", "during", "through", "to", "and",
    "or", "spring", "summer", "fall", "autumn", "winter", "end", "early", "late", "mid", "christmas", "easter",
    "circa", "between", "the", "as", "for", "at", "on", "year", "early", "than", "but", "when", "then", "fiscal",
    # sentence-initial words before a year
    "throughout", "over", "within", "ending", "only", "even", "not", "unlike", "like", "also", "until", "about",
    "all", "since", "by", "ever", "midway", "mid-", "late-", "spring", "new",
}


# Russian
_RU_MON = r"(?:январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|августе|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
_RU_YEAR_SUFFIX = r"(?:\s*(?:года|году|год|г\.))?"
_P_RU_DMY = re.compile(
    rf"(?<![\w.])(?P<d>[12]\d|3[01]|0?[1-9])\s+(?P<mon>{_RU_MON})(?:\s+(?P<y>{_YEAR}){_RU_YEAR_SUFFIX})?(?![\w])", re.I)
_P_RU_MY = re.compile(
    rf"(?<![\w])(?:(?P<qual>в\s+начале|в\s+середине|в\s+конце|начале|середине|конце)\s+|(?P<prep>в|во|с|до|к|к\s+концу)\s+)"
    rf"(?P<mon>{_RU_MON})(?:\s+(?P<y>{_YEAR}){_RU_YEAR_SUFFIX})?(?![\w])", re.I)
_P_RU_YEAR = re.compile(rf"(?<![\w])(?P<y>{_YEAR})\s*(?:года|году|год|г\.)(?![\w])", re.I)
_P_RU_WEEKDAY = re.compile(
    r"(?<![\w])(?:в|во)\s+(?:(?P<det>прошлую|прошлый|прошлое|эту|этот|следующую|следующий)\s+)?"
    r"(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)(?![\w])", re.I)
_P_RU_REL = re.compile(
    r"(?<![\w])(?:(?P<yesterday>вчера|позавчера)|(?P<tomorrow>завтра|послезавтра)|(?P<today>сегодня)"
    r"|(?P<det>на\s+прошлой|на\s+этой|на\s+следующей|в\s+прошлом|в\s+этом|в\s+следующем)\s+(?P<unit>неделе|месяце|году)"
    r"|(?P<n>\d{1,3}|один|одну|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять)\s+(?P<agounit>дн[еяь]й?|дня|недел[ьяи]|месяц[аев]*|лет|год[а]?)\s+назад"
    r"|(?P<sdet>этой|прошлой|следующей)\s+(?P<season>весной|летом|осенью|зимой))(?![\w])", re.I)

# Words before a bare month name that make it a date ("in May", "since March").
_MONTH_TRIGGERS = re.compile(
    r"(?:\b(?:in|since|until|till|by|from|through|during|before|after|of|last|next|this|early|"
    r"mid|late|to|and|or|between|throughout|around|until|on)\s+|mid-)$", re.I)
_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+/\S+/\S*|\(#\)|\b[\w.-]+\.(?:com|org|net|kz|ru|ua|uk|de|io)\S*")
_CLOCK = re.compile(r"^\s*(?:[-–—:]|at)?\s*\d{1,2}[:.]\d\d\b")


# ---------------------------------------------------------------- values

def parse_iso(value: Optional[str]) -> tuple[Optional[int], Optional[int], Optional[int]]:
    """``"2022-12-14"`` -> (2022, 12, 14); partial or missing parts are None (see iso_parts)."""
    return iso_parts(value)


# Dates are built from parts the rules found; the partial-date type writes them.
_iso = iso_value


def shift(value: str, amount: int, unit: str) -> tuple[str, bool]:
    """Move an ISO date by ``amount`` days/weeks/months/years at its own precision.

    Returns ``(value, exact)``; ``exact`` is False when the precision is too
    coarse for the shift (five days after "2022-09" stays "2022-09").
    """
    y, m, d = parse_iso(value)
    if y is None:
        return value, False
    unit = unit.rstrip("s")
    if unit in ("day", "week", "hour"):
        days = amount * 7 if unit == "week" else amount if unit == "day" else 0
        if d is None:
            if m is not None and abs(days) >= 28:
                base = dt.date(y, m, 15) + dt.timedelta(days=days)
                return _iso(base.year, base.month), False
            return value, False
        new = dt.date(y, m, d) + dt.timedelta(days=days)
        return _iso(new.year, new.month, new.day), True
    if unit == "month":
        if m is None:
            return value, False
        idx = y * 12 + (m - 1) + amount
        ny, nm = divmod(idx, 12)
        if d is None:
            return _iso(ny, nm + 1), True
        nd = min(d, calendar.monthrange(ny, nm + 1)[1])
        return _iso(ny, nm + 1, nd), True
    if unit == "year":
        if m is None:
            return _iso(y + amount), True
        if d is None:
            return _iso(y + amount, m), True
        nd = min(d, calendar.monthrange(y + amount, m)[1])
        return _iso(y + amount, m, nd), True
    return value, False


@dataclass(frozen=True)
class DateContext:
    """What relative and year-less dates are resolved against.

    ``published`` is the article's own publication date (ISO, any precision);
    ``case_dates`` are publication dates of the other articles of the case.
    ``inferred`` is set when ``published`` was put together rather than printed
    (see :func:`infer_publication`): it says how, and every date resolved
    against it carries that note.
    """
    published: Optional[str] = None
    case_dates: tuple[str, ...] = ()
    inferred: str = ""

    @property
    def pub(self) -> tuple[Optional[int], Optional[int], Optional[int]]:
        return parse_iso(self.published)

    @property
    def pub_day(self) -> Optional[dt.date]:
        y, m, d = self.pub
        if y and m and d:
            try:
                return dt.date(y, m, d)
            except ValueError:
                return None
        return None

    def reference(self) -> tuple[Optional[tuple[int, Optional[int]]], str]:
        """(year, month) year-less dates are placed before, and how it was chosen."""
        y, m, _ = self.pub
        if y is not None:
            return (y, m), f"the publication date ({self.published})"
        known = sorted(v for v in self.case_dates if parse_iso(v)[0] is not None)
        if known:
            latest = known[-1]
            ly, lm, _ = parse_iso(latest)
            return (ly, lm), f"the case's other articles (latest published {latest})"
        return None, ""


@dataclass(frozen=True)
class InferredPublication:
    """A publication date completed from a year-less dateline and the case's other articles."""
    value: str
    basis: str


def parse_partial(partial: str) -> Optional[tuple[Optional[int], Optional[int], Optional[int]]]:
    """``"XXXX-12-14"`` -> (None, 12, 14), ``"XXXX-12"`` -> (None, 12, None); None if malformed."""
    if not isinstance(partial, str):
        return None
    try:
        date = PartialDate.from_iso(partial.strip(), year_unknown=True)
    except InvalidInput:
        return None
    return iso_parts(date.value)


def _dateline_weekday(head: str, month: int, day: int) -> Optional[int]:
    """The weekday printed right next to the dateline's day and month ("Wednesday, Dec. 14"), if any."""
    for m in re.finditer(rf"(?<![\w])(?P<wd>{_WD}),?\s+(?:the\s+)?(?:(?P<mon>{_MON})\s?(?P<d>{_DAY})|(?P<d2>{_DAY})(?:\s+of)?\s+(?P<mon2>{_MON})){_END}", head):
        mon = _month_of(m["mon"] or m["mon2"])
        d = int(re.match(r"\d+", m["d"] or m["d2"]).group())
        if mon == month and d == day:
            return WEEKDAYS_EN[m["wd"].lower()]
    return None


_P_WEEKDAY_PAIR = re.compile(
    rf"(?<![\w])(?P<wd>{_WD}),?\s+(?:the\s+)?(?:(?P<mon>{_MON})\s?(?P<d>{_DAY})|(?P<d2>{_DAY})(?:\s+of)?\s+(?P<mon2>{_MON})){_END}"
    rf"(?!,?\s+{_YEAR})")


def _weekday_pairs(body: str, skip: tuple[int, Optional[int]]) -> list[tuple[int, int, int, str]]:
    """Year-less "Tuesday, Dec. 13" pairs of the text as (weekday, month, day, words), the dateline's own left out."""
    out = []
    for m in _P_WEEKDAY_PAIR.finditer(body):
        mon = _month_of(m["mon"] or m["mon2"])
        d = int(re.match(r"\d+", m["d"] or m["d2"]).group())
        if mon is None or (mon, d) == skip or not _valid_day(None, mon, d):
            continue
        out.append((WEEKDAYS_EN[m["wd"].lower()], mon, d, m.group()))
    return out


def _latest_stated(body: str) -> Optional[tuple[int, int, int, str]]:
    """The latest date the text states with its year, not counting dates ahead ("the trial is set for 3 March 2023")."""
    best = None
    for pat in (_P_ISO, _P_DMY, _P_MDY, _P_RU_DMY):
        for m in pat.finditer(body):
            if not m["y"]:
                continue
            y = int(m["y"])
            mon = int(m["m"]) if pat is _P_ISO else (_month_of(m["mon"]) if pat is not _P_RU_DMY else _ru_month(m["mon"]))
            d = int(re.match(r"\d+", m["d"]).group())
            if mon is None or not _valid_day(y, mon, d):
                continue
            window = body[max(0, m.start() - 160):m.end() + 160]
            if governing_tense(window, m.group())[0] == "future":
                continue
            if best is None or (y, mon, d) > best[:3]:
                best = (y, mon, d, m.group())
    return best


def _event_dated_elsewhere(body: str, case_events: Sequence[tuple[str, str]]) -> Optional[tuple[int, int, int, str, str]]:
    """A year-less date of the text whose event another article dates in full: (year, month, day, words, event)."""
    best = None
    for pat in (_P_DMY, _P_MDY, _P_RU_DMY):
        for m in pat.finditer(body):
            if m["y"]:
                continue
            mon = _month_of(m["mon"]) if pat is not _P_RU_DMY else _ru_month(m["mon"])
            d = int(re.match(r"\d+", m["d"]).group())
            if mon is None or not _valid_day(None, mon, d):
                continue
            here = _events(body[max(0, m.start() - 160):m.end() + 160])
            if not here:
                continue
            for value, sentence in case_events:
                y, em, ed = parse_iso(value)
                if (em, ed) != (mon, d):
                    continue
                shared = here & _events(sentence)
                if shared and (best is None or (y, mon, d) > best[:3]):
                    best = (y, mon, d, m.group(), sorted(shared)[0])
    return best


def infer_publication(partial: Optional[str], case_dates: Sequence[str], head: str = "",
                      body: str = "", case_events: Sequence[tuple[str, str]] = ()) -> Optional[InferredPublication]:
    """The publication date of an article whose dateline prints no year, or None.

    The day and month come from ``partial`` (``XXXX-12-14``, ``XXXX-12``); the
    year from the article's own evidence first, the case only when that is all
    there is:

    * a date the text (``body``) states with its year: publication is on or
      after the latest one ("a court ruled on December 6, 2022" under a "Dec.
      14" dateline: 2022), dates governed by a future verb left out, and dates
      older than the case's oldest article by more than a year (history);
    * else an event it mentions without a year that another article dates
      (``case_events``: ``(value, sentence)`` of the other articles' dates):
      "his arrest on December 6" beside "arrested on 6 December 2022";
    * else the case's other articles, by the rule year-less dates follow (the
      latest publication date, the year before when the month comes after
      it), said in the reasoning as "year guessed from the case";
    * a weekday printed with the dateline (found in ``head``, the article's
      first lines), and year-less weekday + date pairs in ``body`` ("on
      Tuesday, Dec. 13"), then check that year and pick the neighbouring year
      they fit instead. When the dateline's weekday fits none of them the
      evidence disagrees and nothing is inferred; body pairs that fit no year
      are left out.

    Without a stated year and other dated articles nothing is inferred.
    """
    parts = parse_partial(partial) if partial else None
    if parts is None:
        return None
    y, m, d = parts
    if y is not None:
        return None  # a partial with a year is already what year-less dates get from a publication date
    if m is None:
        return None
    what = "publication day and month" if d is not None else "publication month"
    stated = _latest_stated(body) if body else None
    known_years = [parse_iso(v)[0] for v in case_dates if parse_iso(v)[0] is not None]
    if stated is not None and known_years and stated[0] < min(known_years) - 1:
        stated = None  # a date from history ("the 1996 law"), older than anything in the case
    elsewhere = _event_dated_elsewhere(body, case_events) if (body and case_events and stated is None) else None
    if stated is not None:
        sy, sm, sd, words = stated
        year = sy if (m, d or 31) >= (sm, sd) else sy + 1
        basis = f"{what} from the dateline, year from the latest date the article states with its year ('{words}')"
        if year != sy:
            basis += f"; the dateline comes earlier in the year, so the year after"
    elif elsewhere is not None:
        sy, sm, sd, words, event = elsewhere
        year = sy if (m, d or 31) >= (sm, sd) else sy + 1
        basis = (f"{what} from the dateline, year from '{words}', an event ({event}) another article of the case "
                 f"dates {_iso(sy, sm, sd)}")
        if year != sy:
            basis += f"; the dateline comes earlier in the year, so the year after"
    else:
        ref, _ = DateContext(None, tuple(case_dates)).reference()
        if ref is None:
            return None
        year, _ = _year_for(m, DateContext(None, tuple(case_dates)), "past")
        latest = max(v for v in case_dates if parse_iso(v)[0] is not None)
        basis = (f"{what} from the dateline, year from the case's other articles (latest published {latest}): "
                 f"year guessed from the case, the article states none")
        if year != ref[0]:
            basis += f"; {MONTH_NAMES[m - 1]} comes after that month, so the previous year"
    if d is None:
        return InferredPublication(_iso(year, m, d), basis)
    candidates = [year, year - 1, year + 1]
    wd = _dateline_weekday(head, m, d)
    if wd is not None:
        name = WEEKDAY_NAMES[wd]
        fits = [c for c in candidates if _valid_day(c, m, d) and dt.date(c, m, d).weekday() == wd]
        if not fits:
            return None
        if fits[0] == year:
            basis += f"; the {name} printed with it agrees"
        else:
            year = fits[0]
            basis = (f"{what} from the dateline, year from the {name} printed with it "
                     f"(the nearest year it fits to {'the stated dates' if stated else 'the case' + chr(39) + 's other articles'})")
        return InferredPublication(_iso(year, m, d), basis)
    pairs = _weekday_pairs(body, (m, d))
    if pairs:
        def fits(c):
            # Each pair is placed by the past rule from a publication in year c.
            return all(_valid_day(c - (pm > m), pm, pd) and dt.date(c - (pm > m), pm, pd).weekday() == pwd
                       for pwd, pm, pd, _ in pairs)
        good = [c for c in candidates if _valid_day(c, m, d) and fits(c)]
        words = "', '".join(p[3] for p in pairs[:2])
        if good and good[0] == year:
            basis += f"; '{words}' in the text agrees"
        elif good:
            year = good[0]
            basis = f"{what} from the dateline, year from '{words}' in the text (the weekday fits that year)"
    return InferredPublication(_iso(year, m, d), basis)


@dataclass
class RawDate:
    """A date expression found in the text, before it becomes a Fact."""
    start: int
    end: int
    value: str
    basis: str
    confidence: float = 0.9
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- resolution

# A year-less month this close ahead of publication, with no verb saying it is
# past, is the coming one: "in February" in a late-December report.
_NEAR_AHEAD_MONTHS = 2


def _year_for(month: int, ctx: DateContext, tense: Optional[str] = None, word: str = "") -> tuple[Optional[int], str]:
    """The year of a year-less ``month``: the governing verb's direction, else the nearer occurrence.

    ``tense`` is "future", "past" or None (nothing decides), ``word`` the word
    that decided it, quoted in the reasoning.
    """
    ref, where = ctx.reference()
    if ref is None:
        return None, ""
    ry, rm = ref
    why = f"year from {where}"
    if rm is None:
        return ry, why
    name = MONTH_NAMES[month - 1]
    if tense == "future":
        year = ry + 1 if month < rm else ry
        return year, why + f"; '{word}' points ahead, so the next {name}" if word else why + "; the sentence speaks of the future"
    if tense != "past" and 0 < (month - rm) % 12 <= _NEAR_AHEAD_MONTHS:
        year = ry if month > rm else ry + 1
        return year, why + f"; no verb says past or future, so the nearer {name} (the coming one)"
    year = ry - 1 if month > rm else ry
    if year != ry:
        why += f"; {name} comes after the publication month" + (f" and '{word}' is past" if word else "") + ", so the previous year"
    elif word:
        why += f"; '{word}' is past"
    return year, why


def _absolute(y, m, d, ctx: DateContext, words: str, tense: tuple[Optional[str], str] = (None, "")) -> tuple[str, str, dict]:
    extra: dict = {}
    if y is not None:
        return _iso(y, m, d), "stated in the text", extra
    year, why = _year_for(m, ctx, *tense)
    if year is None:
        extra["unresolved"] = True
        return _iso(None, m, d), "the year is not stated and the publication date is unknown", extra
    return _iso(year, m, d), why, extra


def _valid_day(y, m, d) -> bool:
    try:
        dt.date(y if y else 2000, m, d)
        return True
    except ValueError:
        return False


def _month_of(word: str) -> Optional[int]:
    w = word.lower().rstrip(".")
    return MONTHS_EN.get(w)


def _ru_month(word: str) -> Optional[int]:
    w = word.lower()
    for stem, num in _RU_MONTH_STEMS:
        if w.startswith(stem) and (stem != "ма" or w in ("май", "мая", "мае")):
            return num
    return None


def _qualifier(q: Optional[str]) -> Optional[str]:
    if not q:
        return None
    q = q.lower()
    if "early" in q or "beginning" in q or "start" in q or "начал" in q:
        return "early"
    if "mid" in q or "middle" in q or "середин" in q:
        return "mid"
    if "late" in q or "end" in q or "конц" in q or "конец" in q:
        return "late"
    return None


def _weekday(ctx: DateContext, wd: int, name: str, future: bool, det: str) -> tuple[str, str, dict]:
    pub = ctx.pub_day
    if pub is None:
        return "XXXX-XX-XX", f"{name} relative to the publication date, which is unknown", {"unresolved": True}
    det = (det or "").lower()
    if det == "next" or det.startswith("следующ") or (future and det not in ("last",) and not det.startswith("прошл")):
        delta = (wd - pub.weekday()) % 7 or (7 if det == "next" else 0)
        day = pub + dt.timedelta(days=delta)
        why = f"{name} of the week published {pub.isoformat()} (the next {name} on or after publication; the sentence speaks of the future)"
    else:
        delta = (pub.weekday() - wd) % 7
        if det == "last" or det.startswith("прошл"):
            delta = delta or 7
        day = pub - dt.timedelta(days=delta)
        why = f"{name} of the week published {pub.isoformat()} (the latest {name} on or before publication)"
    return day.isoformat(), why, {"relative": {"weekday": name}}


def _relative_span(ctx: DateContext, amount: int, unit: str, words: str) -> tuple[str, str, dict]:
    """``amount`` units back (negative) or forward from publication, at the unit's precision."""
    y, m, d = ctx.pub
    extra = {"relative": {"amount": amount, "unit": unit}}
    if y is None or (unit in ("day", "week") and d is None) or (unit == "month" and m is None):
        extra["unresolved"] = True
        return "XXXX", f"'{words}' relative to the publication date, which is unknown", extra
    base = _iso(y, m, d)
    if unit == "day":
        value, _ = shift(base, amount, "day")
        rel = {0: "the day of publication", -1: "the day before publication", -2: "two days before publication",
               1: "the day after publication", 2: "two days after publication"}
        why = rel.get(amount, f"{abs(amount)} days {'before' if amount < 0 else 'after'} publication")
        return value, f"{why} ({ctx.published})", extra
    if unit == "week":
        value, _ = shift(_iso(y, m, d), amount * 7, "day")
        start = dt.date.fromisoformat(value)
        monday = start - dt.timedelta(days=start.weekday())
        sunday = monday + dt.timedelta(days=6)
        label = {0: "the week of publication", -1: "the week before publication", 1: "the week after publication"}.get(
            amount, f"{abs(amount)} weeks {'before' if amount < 0 else 'after'} publication")
        return f"{monday.isoformat()}/{sunday.isoformat()}", f"{label} ({ctx.published})", extra
    if unit == "month":
        value, _ = shift(_iso(y, m), amount, "month")
        label = {0: "the month of publication", -1: "the month before publication", 1: "the month after publication"}.get(
            amount, f"{abs(amount)} months {'before' if amount < 0 else 'after'} publication")
        return value, f"{label} ({ctx.published})", extra
    value = _iso(y + amount)
    label = {0: "the year of publication", -1: "the year before publication", 1: "the year after publication"}.get(
        amount, f"{abs(amount)} years {'before' if amount < 0 else 'after'} publication")
    return value, f"{label} ({ctx.published})", extra


def _ago(ctx: DateContext, n: int, unit: str, words: str) -> tuple[str, str, dict]:
    unit = unit.rstrip("s")
    value, why, extra = _relative_span(ctx, 0, "day", words)
    if extra.get("unresolved") and unit in ("day", "week", "hour"):
        return value, why, extra
    y, m, d = ctx.pub
    extra = {"relative": {"amount": -n, "unit": unit}}
    if unit in ("day", "hour", "week"):
        days = n if unit == "day" else (n * 7 if unit == "week" else 0)
        value, _ = shift(_iso(y, m, d), -days, "day")
    elif unit == "month":
        if y is None or m is None:
            return "XXXX", f"'{words}' relative to an unknown publication date", {**extra, "unresolved": True}
        value, _ = shift(_iso(y, m), -n, "month")
    else:
        if y is None:
            return "XXXX", f"'{words}' relative to an unknown publication date", {**extra, "unresolved": True}
        value = _iso(y - n)
    return value, f"{n} {unit}{'s' if n != 1 else ''} before publication ({ctx.published})", extra


def _season(ctx: DateContext, season: str, det: str, year: Optional[int]) -> tuple[str, str, dict]:
    key = next(k for k in SEASONS if season.lower().startswith(k))
    first, last = SEASONS[key]
    name = {"весн": "spring", "лет": "summer", "осен": "fall", "зим": "winter", "autumn": "fall"}.get(key, key)
    extra: dict = {"season": name}
    det = (det or "").lower()
    if year is not None:
        why = "stated in the text (meteorological season)"
        y = year
    else:
        py, pm, _ = ctx.pub
        if py is None:
            ref, where = ctx.reference()
            if ref is None:
                extra["unresolved"] = True
                return "XXXX", f"{name} of an unknown year", extra
            py, pm = ref
            src = where
        else:
            src = f"publication ({ctx.published})"
        y, which = _season_year(first, last, py, pm or 12, det)
        why = f"{which} {name} relative to {src} (meteorological season)"
    if first <= last:
        extra["range"] = f"{_iso(y, first)}/{_iso(y, last)}"
    else:
        extra["range"] = f"{_iso(y, first)}/{_iso(y + 1, last)}"
    extra["qualifier"] = name
    return _iso(y), why + f", months {extra['range']}", extra


def _season_year(first: int, last: int, py: int, pm: int, det: str) -> tuple[int, str]:
    """The year a season starts in, seen from publication month ``pm`` of ``py``.

    "last fall" is the latest fall that has ended (in December, the fall just
    gone); "this fall" the fall of the publication year, and "this winter" the
    winter under way or coming (from June on, the one that starts in December);
    "next" the first one that has not started; a bare "in the summer" the
    latest one that has started, or with a future verb ("coming") the first
    one not yet over. Winter is counted from its December.
    """
    winter = first > last
    # Month index of the season's start and end for the season starting in year y: y*12 + month.
    now = py * 12 + pm

    def bounds(y):
        start = y * 12 + first
        end = (y + 1) * 12 + last if winter else y * 12 + last
        return start, end

    if det.startswith(("last", "прошл")):
        y = py
        while bounds(y)[1] >= now:
            y -= 1
        return y, "the latest ended"
    if det.startswith(("next", "следующ")):
        y = py - 1
        while bounds(y)[0] <= now:
            y += 1
        return y, "the next"
    if det == "coming":
        y = py - 1
        while bounds(y)[1] < now:
            y += 1
        return y, "the coming (or current)"
    if det.startswith(("this", "эт")):
        if winter:
            return (py if pm >= 6 else py - 1), "this"
        return py, "this year's"
    y = py + 1
    while bounds(y)[0] > now:
        y -= 1
    return y, "the latest started"


# ---------------------------------------------------------------- finding

def _bare_month_ok(text: str, start: int, end: int, mon_word: str, has_qual: bool) -> bool:
    if has_qual:
        return True
    before = text[max(0, start - 20):start]
    if _MONTH_TRIGGERS.search(before):
        return True
    word = mon_word.rstrip(".")
    after = text[end:end + 30]
    if word.lower() in ("may", "march", "jan", "mar", "may", "june", "august", "april", "sept", "sep", "dec", "oct", "nov", "feb", "apr", "jun", "jul", "aug"):
        return False  # also a name or a word ("Jan Woitas", "May said")
    if re.match(r"\s+[A-Z][a-z]", after):
        return False  # "December Jones"
    if re.match(r"['’]s\b", after):
        return True  # "February's invasion"
    return word in _FULL_MONTHS


def find_dates(text: str, segments: Sequence[tuple[int, int]], ctx: DateContext, *,
               lang: Optional[str] = None, sentence_of=None) -> list[RawDate]:
    """All date expressions in the body segments, resolved against ``ctx``.

    ``sentence_of(offset)`` gives the sentence around an offset (used to tell
    future from past for bare weekdays).
    """
    found: list[RawDate] = []
    for seg_start, seg_end in segments:
        found.extend(_find_in(text, seg_start, seg_end, ctx, lang, sentence_of))
    found.sort(key=lambda r: (r.start, -(r.end - r.start)))
    if ctx.inferred:
        _mark_inferred(found, ctx)
    return found


# A date resolved against a publication date the text did not print in full is a
# step less certain than one resolved against a printed date.
_INFERRED_PENALTY = 0.1


def _mark_inferred(found: list[RawDate], ctx: DateContext) -> None:
    """Say on every date resolved against an inferred publication date how that date was reached."""
    for r in found:
        # Every basis that used the publication date names it; stated dates never do.
        if r.extra.get("unresolved") or ctx.published not in r.basis:
            continue
        r.basis = f"{r.basis}; {ctx.inferred}"
        r.confidence = max(0.3, round(r.confidence - _INFERRED_PENALTY, 2))
        r.extra["published_inferred"] = True


def _tense(sent: str, words: str) -> tuple[Optional[str], str]:
    """Which way the verb governing ``words`` points ("a hearing is set for 9 April": future)."""
    return governing_tense(sent, words)


def _find_in(text, s0, s1, ctx, lang, sentence_of) -> list[RawDate]:
    taken = SpanSet()
    out: list[RawDate] = []
    urls = SpanSet((m.start(), m.end()) for m in _URLISH.finditer(text, s0, s1))

    def add(start, end, value, basis, conf=0.9, extra=None):
        if start >= end or taken.overlaps(start, end) or urls.overlaps(start, end):
            return False
        taken.add(start, end)
        out.append(RawDate(start, end, value, basis, conf, extra or {}))
        return True

    def sentence(offset: int) -> str:
        return sentence_of(offset) if sentence_of else text[max(s0, offset - 200):offset + 200]

    # Anchored expressions first: "five days after ..." must not be read as "five days ago".
    for m in _P_ANCHORED.finditer(text, s0, s1):
        _add_anchored(text, m, s1, add)

    for m in _P_ISO.finditer(text, s0, s1):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if _valid_day(y, mo, d):
            add(m.start(), m.end(), _iso(y, mo, d), "stated in the text", 0.95)
    for m in _P_NUMERIC.finditer(text, s0, s1):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if 1 <= mo <= 12 and _valid_day(y, mo, d):
            add(m.start(), m.end(), _iso(y, mo, d), "stated in the text (day.month.year)", 0.85)

    _ranges(text, s0, s1, ctx, add)

    for pat in (_P_DMY, _P_MDY):
        for m in pat.finditer(text, s0, s1):
            mon = _month_of(m["mon"])
            d = int(re.match(r"\d+", m["d"]).group())
            y = int(m["y"]) if m["y"] else None
            if mon is None or not _valid_day(y, mon, d):
                continue
            if pat is _P_MDY and _CLOCK.match(text, m.end()):
                pass
            if pat is _P_MDY and not m["y"] and re.match(r"\s*(?:%|percent|per\s+cent)", text[m.end():m.end() + 10]):
                continue
            value, basis, extra = _absolute(y, mon, d, ctx, m.group(), _tense(sentence(m.start()), m.group()))
            qual = _qualifier(m.groupdict().get("qual"))
            if qual:
                extra["qualifier"] = qual
            add(m.start(), m.end(), value, basis, 0.95 if y else 0.9, extra)

    for m in _P_WEEKDAY.finditer(text, s0, s1):
        name = m["wd"]
        end = m.end("part") if m["part"] else m.end("wd")
        # The verb governing the weekday decides, not a "will" elsewhere in the sentence.
        future = _tense(sentence(m.start()), m.group())[0] == "future"
        value, basis, extra = _weekday(ctx, WEEKDAYS_EN[name.lower()], name, future, m["det"] or "")
        start = m.start("det") if m["det"] and m["det"].lower() != "on" else m.start("wd")
        add(start, end, value, basis, 0.8, extra)

    _years_and_spelled(text, s0, s1, ctx, add, sentence)

    for m in _P_REL.finditer(text, s0, s1):
        words = m.group()
        if m["today"] and _NOWADAYS.match(text, m.end()):
            continue  # "today's world"
        if m["unit"] and m.group("unit")[:1].isupper() and m.group("det")[:1].isupper() and not words.isupper():
            continue  # "This Week", a title
        if m["yesterday"]:
            n = -2 if "before" in words.lower() else -1
            value, basis, extra = _relative_span(ctx, n, "day", words)
        elif m["tomorrow"]:
            value, basis, extra = _relative_span(ctx, 2 if "after" in words.lower() else 1, "day", words)
        elif m["today"]:
            value, basis, extra = _relative_span(ctx, -1 if "last night" in words.lower() else 0, "day", words)
        elif m["earlier"]:
            value, basis, extra = _relative_span(ctx, 0, m["eunit"].lower(), words)
        elif m["unit"]:
            det = m["det"].lower()
            amount = -1 if det in ("last",) or "previous" in det or "past" in det else (1 if det == "next" else 0)
            value, basis, extra = _relative_span(ctx, amount, m["unit"].lower(), words)
        else:
            n = parse_number_word(m["n"].split()[-1]) if not m["n"].isdigit() else int(m["n"])
            if n is None:
                continue
            value, basis, extra = _ago(ctx, n, m["agounit"].lower(), words)
        add(m.start(), m.end(), value, basis, 0.8, extra)

    for m in _P_SEASON.finditer(text, s0, s1):
        det = m["det"].lower()
        y = int(m["y"]) if m["y"] else None
        if det in ("the", "in", "during", "early", "late") and y is None and det not in ("in", "during"):
            if det == "the":
                continue  # "the fall" alone is too often the noun
        if m["season"].lower() == "fall" and det in ("in", "during") and y is None:
            continue  # "in fall" is rare; "a fall in prices" is not a date
        mode = det
        if y is None and det in ("in", "during", "early", "late") and _tense(sentence(m.start()), m.group())[0] == "future":
            mode = "coming"  # "the trial will open in summer": the one not yet over
        value, basis, extra = _season(ctx, m["season"], mode, y)
        qual = _qualifier(m["det2"] or (det if det in ("early", "late") else None))
        if qual:
            extra["qualifier"] = f"{qual} {extra['qualifier']}"
        start = m.start("det") if det not in ("in", "during") else m.start("det2") if m["det2"] else m.start("season")
        add(start, m.end(), value, basis, 0.75, extra)

    for m in _P_MY.finditer(text, s0, s1):
        mon = _month_of(m["mon"])
        if mon is None:
            continue
        y = int(m["y"]) if m["y"] else None
        if y is None and not _bare_month_ok(text, m.start("mon"), m.end("mon"), m["mon"], bool(m["qual"])):
            continue
        value, basis, extra = _absolute(y, mon, None, ctx, m.group(), _tense(sentence(m.start()), m.group()))
        qual = _qualifier(m["qual"])
        if qual:
            extra["qualifier"] = qual
        start = m.start()
        if m["qual"] and m["qual"].lower().startswith("the "):
            start = m.start("qual") + 4
        add(start, m.end(), value, basis, 0.9 if y else 0.85, extra)

    if lang == "ru" or re.search(r"[а-яА-Я]", text[s0:s1]):
        _find_russian(text, s0, s1, ctx, add, sentence)

    for m in _P_YEAR.finditer(text, s0, s1):
        name = _NAME_BEFORE_YEAR.search(text, max(s0, m.start() - 30), m.start())
        if name and not m["qual"] and name.group(1).lower() not in _NOT_NAMES and _month_of(name.group(1)) is None \
                and name.group(1).lower() not in WEEKDAYS_EN:
            continue  # "Orion 1980"
        before = text[max(s0, m.start() - 12):m.start()]
        if re.search(r"(?:article|art\.|no\.|number|№|page|p\.|flight|route|code|paragraph|part|§)\s*$", before, re.I):
            continue
        after = text[m.end():m.end() + 12]
        if re.match(r"\s*(?:people|persons|men|women|soldiers|troops|cases|times|km|kilomet|miles|tonnes|tons|dollars|rubles|roubles|euros)\b", after, re.I):
            continue
        y = int(m["y"])
        qual = _qualifier(m["qual"])
        if m["y2"]:
            y2 = int(m["y2"]) if len(m["y2"]) == 4 else (y // 100) * 100 + int(m["y2"])
            if y2 <= y:
                continue
            value, extra = f"{y}/{y2}", {}
        else:
            value, extra = _iso(y), {}
        if qual:
            extra["qualifier"] = qual
        start = m.start()
        if m["qual"] and m["qual"].lower().startswith("the "):
            start = m.start("qual") + 4
        add(start, m.end(), value, "stated in the text", 0.8, extra)



    _merge_weekday_with_date(text, out)
    return out


def _spelled_year(m) -> Optional[int]:
    if m["century"]:
        base = 1800 if m["century"].lower() == "eighteen" else 1900
        if m["teen"]:
            return base + _SPELLED_TEENS[m["teen"].lower()]
        if m["oh"]:
            return base + _SPELLED_UNITS[m["ohunit"].lower()]
        return base + _SPELLED_TENS[m["tens"].lower()] + (_SPELLED_UNITS[m["unit"].lower()] if m["unit"] else 0)
    rest = (m["mill"] or "").lower()
    if not rest:
        return 2000
    n = parse_number_word(rest.replace(" ", "-")) or _SPELLED_TEENS.get(rest)
    return 2000 + n if n else None


def _years_and_spelled(text, s0, s1, ctx, add, sentence) -> None:
    """"year-end", "the following year", "nineteen ninety-six"."""
    for m in _P_YEAR_END.finditer(text, s0, s1):
        py, pm, _ = ctx.pub
        if py is None:
            ref, _where = ctx.reference()
            if ref is None:
                add(m.start(), m.end(), "XXXX", "the end of a year; the publication date is unknown", 0.6,
                    {"qualifier": "late", "unresolved": True})
                continue
            py, pm = ref
        tense, word = _tense(sentence(m.start()), m.group())
        year, why = py, f"the end of the publication year ({ctx.published or py})"
        if pm is not None and pm <= 2 and tense == "past":
            year, why = py - 1, f"the end of the year before publication ({ctx.published}): '{word}' is past, and the year has just begun"
        add(m.start(), m.end(), _iso(year), why, 0.75, {"qualifier": "late"})
    for m in _P_NEXT_YEAR.finditer(text, s0, s1):
        which = m["which"].lower()
        amount = 1 if which in ("following", "next") else -1 if which in ("previous", "preceding") else 0
        unit = m["unit"].lower()
        direction = "after" if amount > 0 else "before" if amount < 0 else "same as"
        # "span": the words name a whole year or month, whatever the anchor's precision.
        extra = {"relative": {"amount": amount, "unit": unit, "direction": direction, "span": unit},
                 "anchor": {"text": "the previous date in the text"}, "unresolved": True}
        add(m.start(), m.end(), "XXXX", f"'{m.group()}' counted from the previous date; anchor event not dated",
            _UNDATED_ANCHOR_CONFIDENCE, extra)
    for m in _P_THAT.finditer(text, s0, s1):
        unit = m["unit"].lower()
        extra = {"relative": {"amount": 0, "unit": unit, "direction": "same as", "span": unit},
                 "anchor": {"text": "the previous date in the text"}, "unresolved": True}
        qual = _qualifier(m["qual"]) if m["qual"] and not m["qual"].lower().endswith("er") else None
        if qual:
            extra["qualifier"] = qual
        add(m.start(), m.end(), "XXXX", f"'{m.group()}' is the previous date's {unit}; anchor event not dated",
            _UNDATED_ANCHOR_CONFIDENCE, extra)
    for m in _P_SPELLED_YEAR.finditer(text, s0, s1):
        y = _spelled_year(m)
        if y is not None:
            add(m.start("words"), m.end(), _iso(y), "stated in the text (a year in words)", 0.8)


def _add_anchored(text, m, s1, add) -> None:
    direction = m["dir"].lower().replace("prior to", "before")
    if m["the"]:
        n, unit = 1, m["tunit"].lower()
    else:
        words = m["n"].lower().split()
        n = parse_number_word(words[-1]) if not m["n"].isdigit() else int(m["n"])
        unit = m["unit"].lower().rstrip("s")
        if n is None:
            return
    if unit == "hour":
        return
    sign = 1 if direction in ("after", "later") else -1
    anchor = ""
    if direction in ("after", "before"):
        tail = text[m.end():min(s1, m.end() + 160)]
        stop = re.search(r"[,.;:!?()\"“”«»—]|\s(?:and|but|while|when|so|because|as)\s|\n", tail)
        anchor = tail[:stop.start() if stop else len(tail)].strip()
        anchor_words = anchor.split()
        if len(anchor_words) > 12:
            anchor = " ".join(anchor_words[:12])
        if not anchor or anchor[0].isdigit():
            return
    extra = {
        "relative": {"amount": sign * n, "unit": unit, "direction": direction},
        "anchor": {"text": anchor or "the previous date in the text"},
        "unresolved": True,
    }
    basis = (f"{n} {unit}{'s' if n != 1 else ''} {direction} "
             f"{('“' + anchor + '”') if anchor else 'the previously mentioned date'}; anchor event not dated")
    add(m.start(), m.end(), "XXXX", basis, _UNDATED_ANCHOR_CONFIDENCE, extra)


def _ranges(text, s0, s1, ctx, add) -> None:
    """Day ranges sharing a month ("between 5 and 7 December", "December 5-7")."""
    dmy = re.compile(
        rf"(?<![\w])(?:(?P<lead>[Bb]etween|[Ff]rom)\s+)?(?:the\s+)?(?P<d1>{_DAY})\s*(?:-|–|—|and|to|until|till|through)\s*(?:the\s+)?"
        rf"(?P<d2>{_DAY})(?:\s+of)?\s+(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?{_END}")
    mdy = re.compile(
        rf"(?<![\w])(?:(?P<lead>[Bb]etween|[Ff]rom)\s+)?(?P<mon>{_MON})\s+(?P<d1>{_DAY})\s*(?:-|–|—|and|to|until|through)\s*"
        rf"(?P<d2>{_DAY})(?![\d:])(?:,?\s+(?P<y>{_YEAR}))?{_END}")
    months = re.compile(
        rf"(?<![\w])(?P<lead>[Bb]etween|[Ff]rom)\s+(?P<m1>{_MON})\s+(?:and|to|until|till|through)\s+(?P<m2>{_MON})(?:,?\s+(?P<y>{_YEAR}))?{_END}")
    for pat in (dmy, mdy):
        for m in pat.finditer(text, s0, s1):
            mon = _month_of(m["mon"])
            d1 = int(re.match(r"\d+", m["d1"]).group())
            d2 = int(re.match(r"\d+", m["d2"]).group())
            y = int(m["y"]) if m["y"] else None
            if mon is None or d2 <= d1 or not _valid_day(y, mon, d1) or not _valid_day(y, mon, d2):
                continue
            v1, basis, extra = _absolute(y, mon, d1, ctx, m.group())
            v2 = v1[:-2] + f"{d2:02d}"
            add(m.start(), m.end(), f"{v1}/{v2}", basis, 0.9, extra)
    for m in months.finditer(text, s0, s1):
        m1, m2 = _month_of(m["m1"]), _month_of(m["m2"])
        if not m1 or not m2:
            continue
        y = int(m["y"]) if m["y"] else None
        v2, basis, extra = _absolute(y, m2, None, ctx, m.group())
        y2 = parse_iso(v2)[0]
        y1 = None if y2 is None else (y2 if m1 <= m2 else y2 - 1)
        v1 = _iso(y1, m1)
        add(m.start(), m.end(), f"{v1}/{v2}", basis, 0.85, extra)


_P_RU_ANCHORED = re.compile(
    r"(?<![\w])(?P<pre>через|спустя|за)\s+(?P<n>\d{1,3}|один|одну|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|)\s*"
    r"(?P<unit>дн[еяь]й?|дня|недел[юьяи]|месяц[аев]*|лет|год[а]?)\s+(?P<dir>после|до)(?:\s+того,?\s+как)?(?![\w])", re.I)


def _find_russian(text, s0, s1, ctx, add, sentence) -> None:
    for m in _P_RU_ANCHORED.finditer(text, s0, s1):
        n = (int(m["n"]) if m["n"].isdigit() else parse_number_word(m["n"])) if m["n"] else 1
        u = m["unit"].lower()
        unit = "day" if u.startswith("дн") else "week" if u.startswith("недел") else "month" if u.startswith("месяц") else "year"
        direction = "after" if m["dir"].lower() == "после" else "before"
        tail = text[m.end():min(s1, m.end() + 160)]
        stop = re.search(r"[.;:!?()\"“”«»—]|\n", tail)
        anchor = tail[:stop.start() if stop else len(tail)].strip(" ,")
        if not anchor:
            continue
        extra = {"relative": {"amount": (n or 1) * (1 if direction == "after" else -1), "unit": unit, "direction": direction},
                 "anchor": {"text": anchor}, "unresolved": True}
        add(m.start(), m.end(), "XXXX", f"{n} {unit}(s) {direction} “{anchor}”; anchor event not dated",
            _UNDATED_ANCHOR_CONFIDENCE, extra)
    for m in _P_RU_DMY.finditer(text, s0, s1):
        mon = _ru_month(m["mon"])
        d = int(m["d"])
        y = int(m["y"]) if m["y"] else None
        if mon and _valid_day(y, mon, d):
            value, basis, extra = _absolute(y, mon, d, ctx, m.group(), _tense(sentence(m.start()), m.group()))
            add(m.start(), m.end(), value, basis, 0.9, extra)
    for m in _P_RU_MY.finditer(text, s0, s1):
        mon = _ru_month(m["mon"])
        if not mon:
            continue
        y = int(m["y"]) if m["y"] else None
        value, basis, extra = _absolute(y, mon, None, ctx, m.group(), _tense(sentence(m.start()), m.group()))
        qual = _qualifier(m["qual"])
        if qual:
            extra["qualifier"] = qual
        start = m.start("qual") if m["qual"] else m.start("mon")
        if m["qual"] and m["qual"].lower().startswith("в "):
            start += 2
        add(start, m.end(), value, basis, 0.85, extra)
    for m in _P_RU_YEAR.finditer(text, s0, s1):
        add(m.start(), m.end(), m["y"], "stated in the text", 0.85)
    for m in _P_RU_WEEKDAY.finditer(text, s0, s1):
        wd = WEEKDAYS_RU[m["wd"].lower()]
        sent = sentence(m.start())
        future = _tense(sent, m.group())[0] == "future"
        value, basis, extra = _weekday(ctx, wd, WEEKDAY_NAMES[wd], future, (m["det"] or ""))
        add(m.start("det") if m["det"] else m.start("wd"), m.end(), value, basis, 0.8, extra)
    for m in _P_RU_REL.finditer(text, s0, s1):
        words = m.group()
        if m["yesterday"]:
            value, basis, extra = _relative_span(ctx, -2 if words.lower().startswith("поза") else -1, "day", words)
        elif m["tomorrow"]:
            value, basis, extra = _relative_span(ctx, 2 if words.lower().startswith("после") else 1, "day", words)
        elif m["today"]:
            value, basis, extra = _relative_span(ctx, 0, "day", words)
        elif m["unit"]:
            det = m["det"].lower()
            amount = -1 if "прошл" in det else (1 if "следующ" in det else 0)
            unit = {"н": "week", "м": "month", "г": "year"}[m["unit"].lower()[0]]
            value, basis, extra = _relative_span(ctx, amount, unit, words)
        elif m["season"]:
            value, basis, extra = _season(ctx, m["season"], m["sdet"].lower().replace("этой", "this"), None)
        else:
            n = int(m["n"]) if m["n"].isdigit() else parse_number_word(m["n"])
            u = m["agounit"].lower()
            unit = "day" if u.startswith("дн") or u.startswith("дня") else "week" if u.startswith("недел") else "month" if u.startswith("месяц") else "year"
            value, basis, extra = _ago(ctx, n or 1, unit, words)
        add(m.start(), m.end(), value, basis, 0.8, extra)


def _merge_weekday_with_date(text: str, out: list[RawDate]) -> None:
    """"Wednesday, December 14": the stated date wins, the weekday joins its span."""
    out.sort(key=lambda r: r.start)
    i = 0
    while i < len(out) - 1:
        a, b = out[i], out[i + 1]
        gap = text[a.end:b.start]
        a_wd = "weekday" in a.extra.get("relative", {})
        b_wd = "weekday" in b.extra.get("relative", {})
        if re.fullmatch(r",?\s*\(?", gap) and a_wd and not b_wd and b.value[:1].isdigit():
            end = b.end + (1 if text[b.end:b.end + 1] == ")" and "(" in gap else 0)
            out[i] = RawDate(a.start, end, b.value, b.basis, b.confidence, b.extra)
            del out[i + 1]
            continue
        if re.fullmatch(r",?\s*\(", gap) and b_wd and not a_wd and a.value[:1].isdigit():
            end = b.end + (1 if text[b.end:b.end + 1] == ")" and "(" in gap else 0)
            out[i] = RawDate(a.start, end, a.value, a.basis, a.confidence, a.extra)
            del out[i + 1]
            continue
        i += 1


# ---------------------------------------------------------------- anchors

_STOP = {
    "the", "a", "an", "he", "she", "they", "it", "his", "her", "their", "was", "were", "is", "are",
    "had", "has", "have", "been", "be", "being", "of", "to", "in", "on", "for", "by", "with", "at",
    "him", "them", "its", "this", "that", "who", "which", "partial", "first", "then", "again",
}


@functools.lru_cache(maxsize=8192)
def _stems(words: str) -> frozenset[str]:
    out = set()
    for w in re.findall(r"[A-Za-zА-Яа-яЁё]+", words.lower()):
        if w in _STOP or len(w) < 4:
            continue
        out.add(w.replace("z", "s")[:6])
    return frozenset(out)


# Event words in both languages, folded to one key, so that "his detention"
# finds "was detained on 3 March" and "объявления мобилизации" finds "announced
# mobilisation on Feb. 14" in another article of the case.
_EVENTS = [(re.compile(p, re.I), key) for p, key in [
    (r"\bdetain|\bdetention|\bcustody|задерж", "detention"),
    (r"\barrest|арест", "arrest"),
    (r"\bmobili[sz]|\bcall-up|мобилиз", "mobilisation"),
    (r"\bdecree|\bуказ", "decree"),
    (r"\bannounc|\bdeclar|объяв", "announcement"),
    (r"\bsentenc|приговор", "sentence"),
    (r"\bconvict|\bguilty|виновн|осужд", "conviction"),
    (r"\basylum|убежищ", "asylum"),
    (r"\bextradit|экстради", "extradition"),
    (r"\bdeport|\bexpel|\bexpuls|выдвор|высла|депорт", "deportation"),
    (r"\bcross(?:ed|ing)?\b|пересе[кч]|перешёл|перешел", "crossing"),
    (r"\bhearing|заседани", "hearing"),
    (r"\bappeal|апелляц|обжал", "appeal"),
    (r"\breleas|освобод|отпуст", "release"),
    (r"\binvasion|\binvaded|вторжен", "invasion"),
    (r"\belection|\belected|выбор", "election"),
    (r"\bfled\b|\bflee|бежал|побег", "flight"),
    (r"\bwanted\s+list|розыск", "wanted-list"),
]]


@functools.lru_cache(maxsize=8192)
def _events(words: str) -> frozenset[str]:
    # Cached: every anchored date of a case looks at the same candidate sentences.
    return frozenset(key for pat, key in _EVENTS if pat.search(words))


# An anchored date dated from another fact, and one whose event no fact of the case dates.
ANCHORED_CONFIDENCE = 0.6
_UNDATED_ANCHOR_CONFIDENCE = 0.45


def resolve_anchor(raw_extra: dict, anchor_text: str,
                   candidates: Sequence[tuple]) -> Optional[tuple[str, str, bool, str]]:
    """Date an anchored expression from other date facts.

    ``candidates`` are ``(value, words, sentence, where)`` or ``(value, words,
    sentence, where, clause)`` of resolved date facts, nearest first (the
    sentence with the anchored expression itself blanked out when it is the
    same sentence; ``clause`` the words right around the date). A date whose
    words lie inside the anchor phrase dates it; otherwise the one whose clause
    (counted twice) and sentence name the same event as the anchor ("his
    detention" ~ "was detained"), then share the most content words, the more
    precise first and then the nearest. Without an anchor phrase ("five days
    later") the first candidate is the reference. Returns ``(value, basis,
    exact, anchor_value)``, or None when nothing names the event.
    """
    rel = raw_extra.get("relative", {})
    amount, unit = rel.get("amount", 0), rel.get("unit", "day")
    stems = _stems(anchor_text)
    events = _events(anchor_text)
    best, best_key = None, None
    for order, cand in enumerate(candidates):
        value, words, sentence, where = cand[:4]
        clause = cand[4] if len(cand) > 4 else sentence
        if anchor_text and words and words in anchor_text:
            best = (value, words, where, "named in the anchor")
            break
        if not anchor_text:
            best = (value, words, where, "the previously mentioned date")
            break
        in_clause = events & _events(clause)
        in_sentence = events & _events(sentence)
        shared = stems & _stems(sentence)
        if not in_sentence and len(shared) < 2:
            continue  # one shared word ("president") does not make the same event
        score = 2 * len(in_clause) + len(in_sentence) + 0.5 * len(shared)
        precision = len([p for p in parse_iso(value) if p is not None])
        key = (score, precision, -order)
        if best_key is None or key > best_key:
            how = f"names the same event ({sorted(in_sentence)[0]})" if in_sentence else f"shares '{sorted(shared)[0]}…'"
            best, best_key = (value, words, where, how), key
    if best is None:
        return None
    value, words, where, how = best
    new, exact = shift(value, amount, unit)
    direction = rel.get("direction", "after" if amount >= 0 else "before")
    n = abs(amount)
    lead = f"the same {unit} as" if n == 0 else f"{n} {unit}{'s' if n != 1 else ''} {direction}"
    basis = (f"{lead} {('“' + anchor_text + '”') if anchor_text else 'the previous date'}, dated {value} by '{words}' {where}"
             f" ({how})")
    if not exact:
        basis += f"; kept at the anchor's precision"
    return new, basis, exact, value
