"""Reading an event date the way people write it: "21 September 2022", "Sept. 2022", "2022".

>>> read_date("21 September 2022")
PartialDate(value='2022-09-21', precision='day', approximate=False, text='')
>>> read_date("c. Sept. 2022").value, read_date("c. Sept. 2022").approximate
('2022-09', True)

ISO forms (``2022-09-21``, ``2022-09``, ``2022``, ``~2022``) go through
:meth:`~archive.partial_date.PartialDate.parse` unchanged. ``text`` stays
empty: it holds a source's own words ("late November"), and what the user
typed in a date field is not one.
"""
from __future__ import annotations

import re

from ..errors import InvalidInput
from ..partial_date import WEEKDAY_ABBR, WEEKDAY_NAMES, PartialDate

__all__ = ["read_date", "DATE_HINT"]

DATE_HINT = "21 September 2022, Sept. 2022, 2022 or 2022-09-21; ~ or c. in front if approximate"

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
# Russian month names in the nominative and genitive ("сентябрь", "21 сентября 2022").
_RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
_APPROX = re.compile(r"^(?:~|c\.|ca\.|circa|about|around|approx\.?|approximately|около|примерно)\s*",
                     re.IGNORECASE)
_WEEKDAY = re.compile(r"^(?:" + "|".join(WEEKDAY_NAMES) + r"|" + "|".join(WEEKDAY_ABBR)
                      + r")\.?,?\s+", re.IGNORECASE)
_WORD = r"([^\W\d_]+)\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
_FORMS = (
    ("dmy", re.compile(rf"^{_DAY}\.?\s+(?:of\s+)?{_WORD},?\s+{_YEAR}(?:\s*(?:г\.?|года?))?$", re.IGNORECASE)),
    ("mdy", re.compile(rf"^{_WORD}\s+{_DAY},?\s+{_YEAR}$", re.IGNORECASE)),
    ("my", re.compile(rf"^{_WORD},?\s+{_YEAR}(?:\s*(?:г\.?|года?))?$", re.IGNORECASE)),
)


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    if w in _MONTHS:
        return _MONTHS[w]
    for stem, number in _RU_MONTHS.items():
        if w.startswith(stem) and (stem != "ма" or w in ("май", "мая")):
            return number
    return None


def read_date(text: str) -> PartialDate:
    """A partial date from ISO or from words; InvalidInput says what to type otherwise."""
    raw = " ".join((text or "").split())
    if not raw:
        raise InvalidInput(f"A date is required: {DATE_HINT}.")
    try:
        return PartialDate.parse(raw)
    except InvalidInput as iso_error:
        failure = iso_error
    m = _APPROX.match(raw)
    approximate = m is not None
    rest = _WEEKDAY.sub("", raw[m.end():] if m else raw).strip()
    try:
        # "~ 2022-09" and "c. 2022": an approximate ISO date.
        dated = PartialDate.read_numeric(rest, separators="-", day_first=False) if approximate else None
        if dated is not None:
            return PartialDate(dated.value, dated.precision, True)
    except InvalidInput as exc:
        raise InvalidInput(f"“{raw}”: {exc}") from None
    for form, pattern in _FORMS:
        found = pattern.match(rest)
        if not found:
            continue
        if form == "dmy":
            day, word, year = found.groups()
        elif form == "mdy":
            word, day, year = found.groups()
        else:
            (word, year), day = found.groups(), None
        month = _month(word)
        if month is None:
            raise InvalidInput(f"“{raw}”: “{word}” is not a month ({DATE_HINT}).")
        try:
            return PartialDate.from_parts(int(year), month, int(day) if day else None, approximate=approximate)
        except InvalidInput as exc:
            raise InvalidInput(f"“{raw}”: {exc}") from None
    if re.search(r"\d{4}-\d", rest):
        raise failure          # an ISO date gone wrong: its own message is the clearest
    if re.fullmatch(rf"{_DAY}\.?\s+(?:of\s+)?{_WORD}|{_WORD}\s+{_DAY}", rest, re.IGNORECASE):
        raise InvalidInput(f"“{raw}” is not a date I can read: the year is missing ({DATE_HINT}).")
    raise InvalidInput(f"“{raw}” is not a date I can read: write {DATE_HINT}.")
