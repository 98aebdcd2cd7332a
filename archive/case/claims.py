"""What one article claims about the case, read off its stored facts.

Per article, once (the result is stored and re-made only when the article's
facts change):

* **steps**: each legal step (arrest, ruling, deportation...) with the date
  its sentence gives it, the people and places of that sentence, and its
  polarity: ``pos`` ("was deported"), ``neg`` ("has not been deported") or
  ``modal`` ("could be deported", "is going to be deported"), which states
  no fact;
* **attributes** of people: employer ("an officer with the Federal Guard
  Service", "army officer"), rank ("Major Zhilin"), age ("Zhilin, 36"),
  sentence length ("a six-month suspended sentence"), maximum penalty
  ("up to 15 years") and years of service ("has served in the SPB for 12 years").

People, organisations and places are kept as fact ids, not names, so that
entity review (merging two spellings) changes the analysis without
re-reading the article.
"""
from __future__ import annotations

import bisect
import re
from typing import Optional, Sequence

from ..errors import InvalidInput
from ..facts.sentences import Sentences, body_segments
from ..models import Fact
from ..partial_date import parse_range

__all__ = ["ANALYSIS_VERSION", "article_claims", "STEP_LABELS"]

# Changes whenever the rules below change: stored claims are then re-made.
ANALYSIS_VERSION = "case-10"

STEP_LABELS = {
    "arrest": "Arrest", "detention": "Detention", "court-ruling": "Court ruling", "sentence": "Sentence",
    "appeal": "Appeal", "deportation": "Deportation", "asylum-decision": "Asylum decision",
    "asylum-application": "Asylum application", "extradition-request": "Extradition request",
    "extradition": "Extradition", "wanted-list": "Put on a wanted list", "criminal-case": "Criminal case opened",
    "release": "Release",
}
# A step named beside one of these in a sentence is what that step decided
# about ("an appeals court upheld his deportation"), not a second event.
_OBJECT_OF = {
    "appeal": {"deportation", "detention", "extradition", "court-ruling", "sentence", "asylum-decision"},
    "court-ruling": {"sentence", "deportation", "detention", "release"},
    "asylum-decision": {"asylum-application"},
    "extradition-request": {"extradition"},
}

_MODAL = re.compile(
    r"(?:\b(?:can|cannot|could|may|might|must|should|would|will|shall|to|if|unless|until|whether|risk|faces?|"
    r"facing|going\s+to\s+be|to\s+be|avoid|awaiting|pending)\b|n[’']t\s+be|not\s+be)"
    r"(?:\s+\w+){0,2}\s*$", re.I)
_NEGATION = re.compile(
    r"\b(?:(?:has|have|had|was|were|is|are|been)\s+(?:not|never)|(?:hasn|haven|hadn|wasn|weren|isn|aren)[’']t|"
    r"has\s+yet\s+to\s+be|have\s+yet\s+to\s+be|no\s+one\s+has\s+been)(?:\s+(?:yet|been|formally|actually|been))*\s*$",
    re.I)
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|announced|reported|added|wrote|stated)(?:\s+\w+){0,4}\s+(?:on\s+)?$", re.I)

_ORG_ROLE_BEFORE = re.compile(
    r"\b(?:officer|officers|member|employee|agent|captain|major|colonel|lieutenant|sergeant|general|supervisor|"
    r"head|chief|serving|served|serves|worked|works|working|resign\w*|career)"
    r"(?:\s+[\w’'-]+){0,4}?\s+(?:of|with|in|at|from|for)\s+(?:the\s+)?(?:[\w’'.-]+[’']s\s+)?(?:former\s+)?$", re.I)
_ORG_ROLE_AFTER = re.compile(r"^\s*(?:officer|officers|agent|employee|major|captain|colonel|lieutenant)\b", re.I)
_ARMY = re.compile(
    r"\b(?:army|military)\s+officer\b|\bofficer\s+(?:of|in|with)\s+the\s+(?:army|armed\s+forces)\b|"
    r"\b(?:resign\w*|discharged?)\s+from\s+(?:the\s+)?(?:army|military\s+service|armed\s+forces)\b|"
    r"\bserv\w+\s+in\s+the\s+(?:army|armed\s+forces)\b", re.I)
_RANKS = {"captain": "captain", "major": "major", "colonel": "colonel", "lieutenant": "lieutenant",
          "sergeant": "sergeant", "general": "general", "капитан": "captain", "майор": "major",
          "полковник": "colonel", "лейтенант": "lieutenant", "сержант": "sergeant", "генерал": "general"}
_RANK = re.compile(r"(?<![\w-])(captain|major|colonel|lieutenant|sergeant|general|капитан|майор|полковник|"
                   r"лейтенант|сержант|генерал)[а-яё]*(?![\w-])", re.I)
_RANK_AS_NOUN = re.compile(r"^\s*(?:of|in|with|at|from|who|,)", re.I)
_RU_AGE = re.compile(r"котор(?:ому|ой|ым)\s+$", re.I)
_PLACE_AT = re.compile(r"\b(?:in|at|near|outside|inside)\s+(?:the\s+)?$", re.I)
# "Vallin said", "said Petra Vallin", "according to his wife, Mira": a speaker, not the case's subject.
_SPEAKER_AFTER = re.compile(r"^[\W]{0,3}\s*(?:said|says|told|added|wrote|stated|argued)\b", re.I)
_SPEAKER_BEFORE = re.compile(r"\b(?:said|says|told|according\s+to)\s+(?:[\w’',]+\s+){0,3}$", re.I)
# "HARBOURTON, March 14 (Northline Wire) –": the dateline dates the report, not a step.
_DATELINE_AFTER = re.compile(r"^\s*(?:\([^)\n]{0,40}\))?\s*[-–—]\s")
# "His appeal ... was due to be heard", "жалоба ... ещё не рассмотрена": planned or pending, not done.
_PLANNED_AFTER = re.compile(
    r"^[^.;:]{0,50}?(?:\b(?:was|is|were|are)\s+(?:due|scheduled|set|expected)\s+to\b|"
    r"(?<!\w)(?:ещё|еще)\s+не\s+рассмотрен)", re.I)
_COURT = re.compile(r"\b(?:court|judge)\b|(?<!\w)суд(?!\w)", re.I)
# "has served in the SPB for 12 years", "serving at the FGS for 18 years".
_SERVICE_BEFORE = re.compile(r"\bserv(?:ed|ing|es)\b[^.;]{0,40}?\bfor\s+$", re.I)
_PRONOUN = re.compile(r"\b(?:he|him|his|husband)\b", re.I)
_SENTENCE_WORDS = re.compile(r"sentence|prison term|jail term|лишени|условн", re.I)


def _span_date(value: str) -> tuple[Optional[str], Optional[str]]:
    """(ISO date, precision) of a date fact's value, or (None, None) when it cannot be placed."""
    try:
        first, _ = parse_range(str(value))
    except InvalidInput:
        return None, None
    if not first.year_known:
        return None, None
    return first.value, first.precision


def _polarity(before: str) -> str:
    if _NEGATION.search(before):
        return "neg"
    if _MODAL.search(before):
        return "modal"
    return "pos"


def article_claims(text: str, body_end: int, regions: Sequence, facts: Sequence[Fact],
                   published: Optional[str] = None) -> dict:
    """The claims of one article (JSON-ready); see the module docstring."""
    sentences = Sentences.of(text, body_segments(text, body_end, regions))
    by_sentence: dict[tuple[int, int], list[Fact]] = {}
    for f in facts:
        span = sentences.span_at(f.start)
        if span[0] == span[1]:
            continue  # not in the body (title line, boilerplate)
        by_sentence.setdefault(span, []).append(f)
    steps: list[dict] = []
    attrs: list[dict] = []
    # One pass over the whole text for the army and rank words (most sentences have none).
    marks = [(m.start(), "army", m) for m in _ARMY.finditer(text, 0, body_end)]
    marks += [(m.start(), "rank", m) for m in _RANK.finditer(text, 0, body_end)]
    marks.sort(key=lambda t: t[0])
    starts = [t[0] for t in marks]
    for (s, e), group in sorted(by_sentence.items()):
        people = [f for f in group if f.kind == "person" and f.id is not None]
        # "Vladimir Putin's Presidential Guard": a possessor is not the subject.
        subjects = [f for f in people if not re.match(r"[’']s\b", text[f.end:f.end + 3])]
        places = [f for f in group if f.kind == "place" and f.id is not None and not f.extra.get("demonym")]
        dates = [f for f in group if f.kind == "date"]
        steps.extend(_steps(text, s, e, group, dates, people, places))
        here = marks[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]
        attrs.extend(_attributes(text, s, e, group, subjects, here))
    mentions = [f.id for f in facts if f.kind == "person" and f.id is not None
                and not _SPEAKER_AFTER.match(text[f.end:f.end + 16])
                and not _SPEAKER_BEFORE.search(text[max(0, f.start - 30):f.start])]
    return {"version": ANALYSIS_VERSION, "published": published, "steps": steps, "attrs": attrs,
            "mentions": mentions}


def _steps(text, s, e, group, dates, people, places) -> list[dict]:
    legal = [f for f in group if f.kind == "legal" and str(f.value).startswith("step:")]
    if not legal:
        return []
    found: dict[str, Fact] = {}
    for f in legal:
        found.setdefault(str(f.value)[5:], f)
    # "Harbourton District Court, 13 March: detention for 30 days": a court's
    # detention order is its ruling, reported elsewhere as "a court ordered him held".
    if "detention" in found and "court-ruling" not in found and _COURT.search(text, s, e):
        found["court-ruling"] = found.pop("detention")
    for head, objects in _OBJECT_OF.items():
        if head in found and _polarity(text[max(s, found[head].start - 60):found[head].start]) == "pos":
            for obj in objects:
                if obj in found and 0 <= found[obj].start - found[head].end <= 50:
                    found.pop(obj)
    out = []
    # Each date belongs to the step trigger nearest to it; the day something
    # was said ("his wife said on Friday") dates no step.
    dated: dict[str, list] = {}
    year_less: set[str] = set()
    for f in dates:
        if _SAID_BEFORE.search(text[max(s, f.start - 40):f.start]) or _DATELINE_AFTER.match(text[f.end:f.end + 48]):
            continue
        # A date follows the step it dates ("arrested on Tuesday", "исполнили
        # 4 апреля"); a date that opens the sentence dates the first step after it.
        earlier = [k for k in found if found[k].start <= f.start]
        if earlier:
            step = max(earlier, key=lambda k: found[k].start)
        else:
            step = min(found, key=lambda k: found[k].start)
        value, precision = _span_date(f.value)
        if value is None:
            if str(f.value).startswith("XXXX"):
                year_less.add(step)
            continue
        rank = {"day": 0, "month": 1, "year": 2}.get(precision, 3)
        dated.setdefault(step, []).append((rank, abs(found[step].start - f.start), value, precision))
    for step, trigger in found.items():
        before = text[max(s, trigger.start - 60):trigger.start]
        polarity = _polarity(before)
        if polarity == "pos" and _PLANNED_AFTER.match(text[trigger.end:min(e, trigger.end + 80)]):
            polarity = "modal"
        date = precision = None
        if dated.get(step):
            _, _, date, precision = min(dated[step])
        out.append({
            "id": f"{s}:{step}", "step": step, "date": date, "precision": precision, "year_less": step in year_less,
            "polarity": polarity, "start": s, "end": e, "quote": text[s:e],
            "trigger": [trigger.start, trigger.end],
            "persons": [f.id for f in people],
            "pronoun": bool(_PRONOUN.search(text[s:e])),
            "places": [f.id for f in places
                       if f.extra.get("subtype") in (None, "city", "facility")
                       and not re.match(r"[’']s\b", text[f.end:f.end + 3])
                       and (_PLACE_AT.search(text[max(s, f.start - 12):f.start])
                            or re.match(r"\s*(?:airport|International Airport)", text[f.end:f.end + 24])
                            or "airport" in f.text.casefold())],
        })
    return out


def _nearest_subject(subjects, pos: int):
    before = [f for f in subjects if f.end <= pos]
    if before:
        return max(before, key=lambda f: f.end)
    return min(subjects, key=lambda f: abs(f.start - pos)) if subjects else None


def _attr(kind, value, label, s, e, text, subject, **extra) -> dict:
    return {"kind": kind, "value": value, "label": label, "start": s, "end": e, "quote": text[s:e],
            "person": subject.id if subject is not None else None, **extra}


def _attributes(text, s, e, group, subjects, marks) -> list[dict]:
    out = []
    for f in group:
        if f.kind == "org" and f.id is not None:
            before = text[max(s, f.start - 70):f.start]
            if _ORG_ROLE_BEFORE.search(before) or _ORG_ROLE_AFTER.match(text[f.end:f.end + 12]):
                out.append(_attr("employer", None, f.text, s, e, text, _nearest_subject(subjects, f.start),
                                 org=f.id))
        elif f.kind == "quantity":
            unit = f.extra.get("unit")
            counted = str(f.extra.get("counted") or "")
            if counted == "age" or (unit == "years" and _RU_AGE.search(text[max(s, f.start - 12):f.start])):
                # "Brannik, 34," / "Бранник, которому 35 лет": the person just before;
                # "a 34-year-old captain": the article's subject; "a 28-year-old engineer": someone else.
                named = str(f.extra.get("person") or "")
                near = [g for g in subjects if 0 <= f.start - g.end <= 16
                        and (not named or g.text.split()[-1] == named.split()[-1])]
                if near:
                    subject = near[-1]
                elif named:
                    out.append(_attr("age", str(f.value), f.text, s, e, text, None,
                                     person_name=str(f.extra["person"])))
                    continue
                elif re.match(r"\s*(?:captain|major|officer|colonel|lieutenant|sergeant)\b", text[f.end:f.end + 16],
                              re.I):
                    subject = None
                else:
                    continue
                out.append(_attr("age", str(f.value), f.text, s, e, text, subject))
            elif unit == "years" and not f.extra.get("approx") and _SERVICE_BEFORE.search(
                    text[max(s, f.start - 60):f.start]):
                out.append(_attr("service", f"{f.value} years", f.text, s, e, text,
                                 _nearest_subject(subjects, f.start)))
            elif unit in ("months", "years") and (_SENTENCE_WORDS.search(counted) or _SENTENCE_WORDS.search(
                    text[f.end:f.end + 40])):
                approx = str(f.extra.get("approx") or "")
                if approx in ("up to", "до", "a maximum of", "maximum of", "at most"):
                    charges = sorted({str(g.value)[7:] for g in group
                                      if g.kind == "legal" and str(g.value).startswith("charge:")})
                    out.append(_attr("penalty", f"{f.value} {unit}", f.text, s, e, text,
                                     _nearest_subject(subjects, f.start), charge=",".join(charges)))
                elif not approx:
                    out.append(_attr("sentence", f"{f.value} {unit}", f.text, s, e, text,
                                     _nearest_subject(subjects, f.start)))
    for _, what, m in marks:
        if what == "army":
            out.append(_attr("employer", "army", m.group(0), s, e, text, _nearest_subject(subjects, m.start())))
            continue
        word = m.group(0)
        after = text[m.end():min(e, m.end() + 12)]
        pos = m.start()
        following = [f for f in subjects if 0 <= f.start - m.end() <= 2]
        if following and word[:1].isupper():
            subject = following[0]  # "Major Zhilin", "Colonel Oskar Velde"
        elif word[:1].islower() and (_RANK_AS_NOUN.match(after) or not word[:1].isascii()):
            subject = _nearest_subject(subjects, pos)  # "a captain of", "майора Бюро"
        else:
            continue  # "a major trading partner", "Attorney General"
        rank = _RANKS[m.group(1).casefold()]
        out.append(_attr("rank", rank, word, s, e, text, subject))
    return out
