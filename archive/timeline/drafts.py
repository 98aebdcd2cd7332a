"""Prefilled, unsaved events made from a fact or a selected passage.

A draft is what the user sees in the "new event" form: a date, a title, the
people/organisations/places of the sentence, and the sentence itself cited.
The user edits it and saves it with ``Timelines.add_event``.
"""
from __future__ import annotations

import json
import re
from typing import Any, Optional

import sqlite_utils

from ..errors import InvalidInput
from ..models import Article, Citation, Event, Fact, PartialDate
from .dates import dates_from_fact_value, parse_partial_date

__all__ = ["sentence_span", "title_from", "draft_from_fact", "draft_from_passage"]

TITLE_LIMIT = 90
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*(?=\s)|\n\s*\n|\n")
# Words a full stop follows without ending the sentence: "on Sept. 26",
# "Gen. Ivanov", "Mr. Keller", "No. 5", "U.S. officials", "г. Москва".
_ABBREVIATIONS = frozenset("""
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
mr mrs ms messrs dr prof gen lt col maj capt cpt sgt cpl pte adm cmdr gov sen rep rev fr st sr jr
hon pres amb atty supt insp det brig
no nos vs etc approx est inc ltd co corp dept univ ave blvd rd mt ft
eg ie cf al fig vol pp ch art sec para
г гг ул им др проф ген тов св пр
""".split())
_WORD_BEFORE = re.compile(r"(\w+(?:\.\w+)*)$")


def _abbreviation_before(text: str, dot: int) -> bool:
    """True if the full stop at ``text[dot]`` closes an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot)
    if m is None:
        return False
    word = m.group(1)
    if "." in word:
        return True                 # "U.S.", "a.m.", "e.g."
    if len(word) == 1 and word.isalpha():
        return True                 # an initial: "J. Keller"
    return word.casefold() in _ABBREVIATIONS


def _sentence_ends(text: str, pos: int = 0, endpos: Optional[int] = None):
    """Matches of ``_SENTENCE_END`` in ``text[pos:endpos]`` that really end a sentence."""
    endpos = len(text) if endpos is None else endpos
    for m in _SENTENCE_END.finditer(text, pos, endpos):
        if not _abbreviation_before(text, m.start()):
            yield m


def sentence_span(text: str, start: int, end: int, sentence: str = "") -> tuple[int, int]:
    """The span of the sentence holding ``text[start:end]``.

    Uses the extractor's ``sentence`` when it can be found around the span,
    otherwise cuts at sentence punctuation and line breaks.
    """
    if sentence:
        at = text.find(sentence)
        while at != -1:
            if at <= start and end <= at + len(sentence):
                return at, at + len(sentence)
            at = text.find(sentence, at + 1)
    begin = 0
    for m in _sentence_ends(text, 0, start):
        begin = m.end()
    m = next(_sentence_ends(text, max(end, start)), None)
    if m is None:
        stop = len(text)
    elif m.group(0)[0] in "\n":
        stop = m.start()          # a line break ends the sentence but is not part of it
    else:
        stop = m.end()            # closing punctuation belongs to the sentence
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    return begin, stop


# "SALVIK – ", "HARBOURTON, March 14 (Northline Wire) – ": the place and
# source a report opens with say nothing about the event itself.
_DATELINE = re.compile(
    r"^[A-ZА-ЯЁ][A-ZА-ЯЁ .'’-]{2,40}(?:,[^–—\n]{1,40}?)?\s+[–—-]+\s+(?=\S)")


def title_from(passage: str) -> str:
    """A one-line title: the passage's first sentence, cut at a word near 90 characters."""
    line = _DATELINE.sub("", " ".join(passage.split()), count=1)
    # Capitalise the first letter, past any opening quote or dash ("“the court…").
    letter = next((i for i, ch in enumerate(line) if ch.isalpha()), None)
    if letter is not None:
        line = line[:letter] + line[letter].upper() + line[letter + 1:]
    stop = next((m for m in _sentence_ends(line) if m.group(0)[0] in ".!?…"), None)
    first = line[: stop.end()] if stop is not None else line
    first = first.strip().rstrip(".")
    if len(first) <= TITLE_LIMIT:
        return first
    cut = first.rfind(" ", 0, TITLE_LIMIT)
    return first[: cut if cut > TITLE_LIMIT // 2 else TITLE_LIMIT].rstrip(",;:") + "…"


def _facts_in(db: sqlite_utils.Database, article_id: int, start: int, end: int,
              kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    if "facts" not in db.table_names():
        return []
    marks = ",".join("?" for _ in kinds)
    # People, organisations and places under their reviewed names and kinds (archive.case.entity_review).
    rows = db.execute(
        f'SELECT coalesce(e.kind, f.kind), f.text, coalesce(e.name, f.value), f.extra, f.start FROM facts f '
        f'LEFT JOIN entities e ON e.id = f.entity_id WHERE f.article_id = ? AND f.start >= ? '
        f'AND f."end" <= ? AND coalesce(e.kind, f.kind) IN ({marks}) AND f.ignored = 0 ORDER BY f.start',
        [article_id, start, end, *kinds],
    ).fetchall()
    return [{"kind": r[0], "text": r[1], "value": r[2], "extra": r[3], "start": r[4]} for r in rows]


def _entities(db, article: Article, start: int, end: int, also: Optional[Fact] = None):
    found = {"person": [], "org": [], "place": []}
    for row in _facts_in(db, article.id, start, end, ("person", "org", "place")):
        if row["value"] not in found[row["kind"]]:
            found[row["kind"]].append(row["value"])
    if also is not None and also.kind in found and also.value not in found[also.kind]:
        found[also.kind].insert(0, also.value)
    return tuple(found["person"]), tuple(found["org"]), tuple(found["place"])


def _published_date(article: Article) -> Optional[PartialDate]:
    raw = (article.published or "")[:10]
    for candidate in (raw, raw[:7], raw[:4]):
        try:
            date = parse_partial_date(candidate)
        except InvalidInput:
            continue
        # The event happened by then, not necessarily on that day.
        return PartialDate(date.value, date.precision, True, "article's publication date")
    return None


def _date_of(value: Any, article: Article) -> Optional[tuple[PartialDate, Optional[PartialDate]]]:
    """Dates from a date fact given as a Fact, a dict or a bare value."""
    if value is None:
        return None
    if isinstance(value, Fact):
        value = {"value": value.value, "text": value.text, "extra": value.extra}
    if isinstance(value, str):
        value = {"value": value}
    if not isinstance(value, dict) or not value.get("value"):
        return None
    extra = value.get("extra") or {}
    if isinstance(extra, str):
        try:
            extra = json.loads(extra)
        except ValueError:
            extra = {}
    try:
        return dates_from_fact_value(
            value["value"], words=value.get("text", ""), published=article.published,
            qualifier=extra.get("qualifier"),
        )
    except InvalidInput:
        return None


def _dates(db, article: Article, start: int, end: int, fact: Optional[Fact] = None):
    if fact is not None and fact.kind == "date":
        dates = _date_of(fact, article)
        if dates:
            return dates
    if fact is not None:
        dates = _date_of(fact.extra.get("date"), article)
        if dates:
            return dates
    for row in _facts_in(db, article.id, start, end, ("date",)):
        dates = _date_of(row, article)
        if dates:
            return dates
    published = _published_date(article)
    if published is None:
        raise InvalidInput(
            f"No date is known for this passage of {article.path} (no date in the sentence and no "
            "publication date); enter the event's date by hand."
        )
    return published, None


def _citation(article: Article, start: int, end: int) -> Citation:
    return Citation(
        id=None, article_id=article.id, article_path=article.path,
        quote=article.text[start:end], start=start, end=end, outlet=article.outlet,
        published=article.published, title=article.title,
    )


def draft_from_fact(db: sqlite_utils.Database, fact: Fact, article: Article) -> Event:
    if not article.text:
        raise InvalidInput(f"The text of {article.path} is needed to draft an event from it.")
    start, end = sentence_span(article.text, fact.start, fact.end, fact.sentence)
    when, until = _dates(db, article, start, end, fact)
    people, orgs, places = _entities(db, article, start, end, fact)
    passage = article.text[start:end]
    return Event(
        id=None, timeline_id=None, start=when, end=until, title=title_from(passage),
        certainty="reported", people=people, organisations=orgs, places=places,
        citations=(_citation(article, start, end),),
    )


def draft_from_passage(db: sqlite_utils.Database, article: Article, start: int, end: int) -> Event:
    text = article.text
    if not text:
        raise InvalidInput(f"The text of {article.path} is needed to draft an event from it.")
    if not (0 <= start < end <= len(text)):
        raise InvalidInput(
            f"The selection {start}–{end} is outside the text of {article.path} ({len(text)} characters)."
        )
    # Trim the selection to its words so the quote does not start with a space.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise InvalidInput("The selection holds no words to cite.")
    when, until = _dates(db, article, start, end)
    people, orgs, places = _entities(db, article, start, end)
    return Event(
        id=None, timeline_id=None, start=when, end=until, title=title_from(text[start:end]),
        certainty="reported", people=people, organisations=orgs, places=places,
        citations=(_citation(article, start, end),),
    )
