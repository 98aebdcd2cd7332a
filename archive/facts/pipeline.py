"""The fact extractor: one call extracts every kind of fact from a case.

All articles given to :func:`extract` together form one case context: short
names link to full names across them, year-less dates without a publication
date borrow the case's dates, and anchored dates ("five days after the
mobilisation was declared") are dated from the other articles' facts. An
article whose dateline prints no year ("MADRID, Dec. 14") takes its year from
its own evidence (dates it states with a year, weekday + date pairs, events
other articles date), else from the same case dates, and its relative dates
are resolved against that
inferred publication date (those facts carry ``extra["published_inferred"]``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional, Sequence

from ..english_model import model_installed
from ..errors import InvalidInput
from ..models import Fact, Region
from ..partial_date import iso_parts, iso_value
from ..progress import CancelToken, ProgressFn, report
from . import dates as dates_mod
from .dates import InferredPublication
from .entities import (Mention, define_abbreviations, known_names, propagate, find_mentions_en, find_mentions_ru, link_mentions,
                       load_natasha, load_spacy)
from .legal import find_legal
from .lexicon import fingerprint, lexicons
from .name_windows import name_windows
from .ner_steps import ner_pipe, steps_supported
from .quantities import find_quantities
from .quotes import find_quotes
from .sentences import Sentences, body_segments
from .spacy_model import single_blas_thread

__all__ = ["EXTRACTOR_VERSION", "FACT_TEXT_LIMIT", "FactInput", "InferredPublication", "extract",
           "facts_limited", "inferred_publications", "warm_up"]

# Bump the number when the rules change output; the lexicons' hash is added so
# that an edited lexicon also re-extracts.
EXTRACTOR_VERSION = "1.5." + fingerprint()
# Without the English model, English names are missing: mark the facts so that
# adding the model re-extracts them.
ENGLISH_NER = model_installed()
if not ENGLISH_NER:
    EXTRACTOR_VERSION += "-noner"

# Windows per spaCy batch: windows are short, and larger batches amortise the
# model's per-batch work without holding much memory.
_NER_BATCH = 256
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{3}")
# Facts are looked for in the first this many characters of an article's body.
# A long news report is under 100,000 characters; beyond this a file is a
# dump or a book, and extraction (a few seconds per million characters) would
# hold up the rest of the archive's facts.
FACT_TEXT_LIMIT = 1_000_000


@dataclass(frozen=True)
class FactInput:
    """One article to extract from. ``key`` is the caller's (returned untouched, used in errors).

    ``published_partial`` is the year-less publication date ingest read from a
    dateline (``notes["published_partial"]``, like ``XXXX-12-14``); it is used
    only when ``published`` is None.
    """
    text: str
    body_end: int
    regions: tuple[Region, ...] = ()
    published: Optional[str] = None
    lang: Optional[str] = None
    title: Optional[str] = None
    key: object = None
    published_partial: Optional[str] = None


def warm_up() -> None:
    """Load the lexicons and the NLP models now (the app calls this on a worker thread)."""
    lexicons()
    if ENGLISH_NER:
        steps_supported(load_spacy())  # the NER driver's one-off self-check, off the first extract()
    load_natasha()


def facts_limited(doc: FactInput) -> bool:
    """Whether :func:`extract` reads only the first ``FACT_TEXT_LIMIT`` characters of this article."""
    segs = body_segments(doc.text, doc.body_end, doc.regions)
    return bool(segs) and segs[-1][1] > FACT_TEXT_LIMIT


def _within_limit(text: str, segs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if not segs or segs[-1][1] <= FACT_TEXT_LIMIT:
        return segs
    # Cut at a space, so the last word is not read as a shorter one.
    cut = text.rfind(" ", FACT_TEXT_LIMIT - 200, FACT_TEXT_LIMIT)
    cut = cut if cut > 0 else FACT_TEXT_LIMIT
    return [(s, min(e, cut)) for s, e in segs if s < cut]


def _guess_lang(text: str) -> str:
    cyr = len(re.findall(r"[А-Яа-яЁё]", text))
    lat = len(re.findall(r"[A-Za-z]", text))
    return "ru" if cyr > lat else "en"


def _check(doc: FactInput, i: int) -> None:
    name = doc.key if doc.key is not None else f"article {i + 1}"
    if not isinstance(doc.text, str):
        raise InvalidInput(f"{name}: the article text must be a string, not {type(doc.text).__name__}.")
    if not isinstance(doc.body_end, int) or doc.body_end < 0:
        raise InvalidInput(f"{name}: body_end must be a non-negative offset (got {doc.body_end!r}).")
    if doc.published is not None and dates_mod.parse_iso(doc.published)[0] is None and not str(doc.published).startswith("XXXX"):
        raise InvalidInput(f"{name}: the publication date {doc.published!r} is not an ISO date (like 2022-12-14).")
    if doc.published_partial is not None and dates_mod.parse_partial(doc.published_partial) is None:
        raise InvalidInput(f"{name}: the partial publication date {doc.published_partial!r} is not like XXXX-12-14 or XXXX-12.")


# How much of an article's start is searched for a weekday printed with its dateline.
_HEAD_CHARS = 600


def _case_dates(docs: Sequence[FactInput], context_published: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted({d.published for d in docs if d.published} | {p for p in context_published if p}))


def _needs_inference(doc: FactInput) -> bool:
    return not doc.published and bool(doc.published_partial)


def _infer(doc: FactInput, case_dates: tuple[str, ...], case_events: Sequence[tuple[str, str]] = ()) -> Optional[InferredPublication]:
    if not _needs_inference(doc):
        return None
    return dates_mod.infer_publication(doc.published_partial, case_dates, doc.text[:_HEAD_CHARS],
                                       doc.text[:doc.body_end], case_events)


def _dated_days(docs: Sequence[FactInput], case_dates: tuple[str, ...]) -> tuple[list[tuple[str, str]], dict]:
    """Day-precise dates of the articles with a printed publication date, as (value, sentence).

    Only computed when some article's year has to be inferred: an event it
    mentions year-less ("arrested on December 6") that another article dates
    gives its year. Also returns the dates found, by article index, for reuse.
    """
    events: list[tuple[str, str]] = []
    found: dict = {}
    if not any(_needs_inference(d) for d in docs):
        return events, found
    for i, d in enumerate(docs):
        if not d.published:
            continue
        segs = body_segments(d.text, d.body_end, d.regions)
        sents = Sentences.of(d.text, segs)
        ctx = dates_mod.DateContext(d.published, tuple(p for p in case_dates if p != d.published))
        lang = (d.lang or _guess_lang("".join(d.text[s:e] for s, e in segs))).lower()[:2]
        raw = dates_mod.find_dates(d.text, segs, ctx, lang=lang, sentence_of=sents.at)
        found[i] = (ctx, lang, raw)
        for r in raw:
            if "anchor" in r.extra or r.extra.get("unresolved") or "relative" in r.extra:
                continue
            if len(r.value) == 10 and r.value[:1].isdigit():
                events.append((r.value, sents.at(r.start)))
    return events, found


def inferred_publications(docs: Sequence[FactInput], *, context_published: Sequence[str] = ()) -> list[Optional[InferredPublication]]:
    """For each article, the publication date :func:`extract` infers for it (or None).

    An article gets one when its own ``published`` is None, its
    ``published_partial`` gives the day and month, and the other articles (or
    ``context_published``) give a year. Raises ``InvalidInput`` like :func:`extract`.
    """
    docs = list(docs)
    for i, d in enumerate(docs):
        _check(d, i)
    case_dates = _case_dates(docs, context_published)
    events, _ = _dated_days(docs, case_dates)
    return [_infer(d, case_dates, events) for d in docs]


@dataclass
class _Doc:
    inp: FactInput
    lang: str
    segments: list[tuple[int, int]]
    sents: Sentences
    ctx: dates_mod.DateContext
    dates: list = None
    mentions: list = None
    # Anchored dates already dated, by their start offset: a later "the same
    # year" chains on "the following year" before it.
    resolved: dict = None
    phrases: list = None
    candidates: dict = None  # anchor candidates built from this article's dates, reused by every anchored date


def extract(docs: Sequence[FactInput], *, context_published: Sequence[str] = (),
            progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None) -> list[list[Fact]]:
    """Facts of each article, in input order; the articles form one case context.

    ``context_published`` adds publication dates of other archive articles
    (used to place year-less dates of articles whose own date is unknown).
    Raises ``Cancelled`` between articles when ``cancel`` is set.
    """
    docs = list(docs)
    for i, d in enumerate(docs):
        _check(d, i)
    if not docs:
        return []
    lex = lexicons()
    total = len(docs)
    case_dates = _case_dates(docs, context_published)
    events, found = _dated_days(docs, case_dates)
    prepared: list[_Doc] = []
    for d in docs:
        segs = _within_limit(d.text, body_segments(d.text, d.body_end, d.regions))
        lang = (d.lang or _guess_lang("".join(d.text[s:e] for s, e in segs))).lower()[:2]
        sents = Sentences.of(d.text, segs)
        others = tuple(p for p in case_dates if p != d.published)
        inferred = _infer(d, case_dates, events)
        if inferred is not None:
            ctx = dates_mod.DateContext(inferred.value, others, inferred.basis)
        else:
            ctx = dates_mod.DateContext(d.published, others)
        prepared.append(_Doc(d, lang, segs, sents, ctx))

    # Entities: the name-bearing windows of English sentences go through spaCy
    # in one stream (big batches are much faster than one call per article);
    # Russian text, and Russian sentences inside English articles, through natasha.
    english: list[tuple[int, tuple[int, int]]] = []
    for i, pd in enumerate(prepared):
        if cancel is not None:
            cancel.check()
        text = pd.inp.text
        early = found.get(i)
        if early is not None and early[0] == pd.ctx and early[1] == pd.lang:
            pd.dates = early[2]
        else:
            pd.dates = dates_mod.find_dates(text, pd.segments, pd.ctx, lang=pd.lang, sentence_of=pd.sents.at)
        pd.mentions = []
        if pd.lang == "ru":
            pd.mentions = find_mentions_ru(text, pd.sents.spans, lex)
            continue
        for s, e in pd.sents.spans:
            english.extend((i, w) for w in name_windows(text, s, e))
        if _CYRILLIC_WORD.search(text, pd.segments[0][0] if pd.segments else 0):
            cyr = [sp for sp in pd.sents.spans if _CYRILLIC_WORD.search(text, sp[0], sp[1])]
            pd.mentions += find_mentions_ru(text, cyr, lex)
    per_doc: dict[int, tuple[list, list]] = {i: ([], []) for i, pd in enumerate(prepared) if pd.lang != "ru"}
    if english and ENGLISH_NER:
        nlp = load_spacy()
        with single_blas_thread():
            stream = ner_pipe(nlp, (prepared[i].inp.text[s:e] for i, (s, e) in english),
                              batch_size=_NER_BATCH, context=english)
            last = -1
            for doc, (i, span) in stream:
                if i != last:
                    if cancel is not None:
                        cancel.check()
                    report(progress, i, total * 2, "Finding names")
                    last = i
                spans, docs_ = per_doc[i]
                spans.append(span)
                docs_.append(doc)
    for i, (spans, docs_) in per_doc.items():
        pd = prepared[i]
        pd.mentions = find_mentions_en(pd.inp.text, spans, docs_, lex, sentences=pd.sents.spans) + pd.mentions
    report(progress, total, total * 2, "Linking names")

    abbreviations: dict[str, str] = {}
    for pd in prepared:
        abbreviations.update(define_abbreviations(pd.inp.text, pd.mentions))
    for pd in prepared:
        for m in pd.mentions:
            if m.kind == "org" and m.name in abbreviations and (not m.value or m.value == m.name):
                m.value = abbreviations[m.name]
                m.basis = f"'{m.name}' is defined in the case as {m.value}"
    link_mentions([pd.mentions for pd in prepared], lex)
    known = known_names([pd.mentions for pd in prepared], lex)
    for pd in prepared:
        extra_mentions = propagate(pd.inp.text, pd.segments, pd.mentions, known)
        if extra_mentions:
            pd.mentions = sorted(pd.mentions + extra_mentions, key=lambda m: m.start)

    results: list[list[Fact]] = []
    for i, pd in enumerate(prepared):
        if cancel is not None:
            cancel.check()
        results.append(_facts_of(pd, prepared, lex))
        report(progress, total + i + 1, total * 2, "Extracting facts")
    return results


def _facts_of(pd: _Doc, prepared: list[_Doc], lex) -> list[Fact]:
    text = pd.inp.text
    sent = pd.sents.at
    facts: list[Fact] = []

    def add(kind, s, e, value, basis, conf, extra):
        facts.append(Fact(kind=kind, text=text[s:e], start=s, end=e, value=str(value), basis=basis,
                          sentence=sent(s), confidence=round(conf, 2), extra=extra))

    for r in pd.dates:
        extra = dict(r.extra)
        value, basis = r.value, r.basis
        conf = r.confidence
        if "anchor" in extra:
            value, basis, extra = _resolve_anchor(pd, r, prepared, text)
            if not extra.get("unresolved"):
                conf = dates_mod.ANCHORED_CONFIDENCE
                if pd.resolved is None:
                    pd.resolved = {}
                pd.resolved[r.start] = replace(r, value=value, extra={})
        add("date", r.start, r.end, value, basis, conf, extra)

    for m in pd.mentions:
        if m.extra.get("demonym"):
            continue  # nationality adjectives are not places (see entities)
        basis = m.basis or (f"named entity ({m.label})" if m.label not in ("RULE", "LEXICON") else
                            "matched a lexicon entry" if m.label == "LEXICON" else "matched a pattern")
        extra = dict(m.extra)
        if m.kind == "place" and m.subtype:
            extra["subtype"] = m.subtype
        add(m.kind, m.start, m.end, m.value, basis, m.confidence, extra)

    taken = [(r.start, r.end) for r in pd.dates]
    for q in find_quantities(text, pd.segments, taken):
        basis = "number in the text" + (f", {q.extra['approx']}" if q.extra.get("approx") else "")
        if q.extra.get("counted") == "age":
            person = q.extra.get("person")
            if person:
                linked = _link_name(person, pd.mentions)
                q.extra["person"] = linked
            basis = "age given after a name" if person else "age"
        add("quantity", q.start, q.end, q.value, basis, q.confidence, q.extra)

    for lg in find_legal(text, pd.sents.spans, pd.lang, pd.mentions, lex):
        add("legal", lg.start, lg.end, lg.key, f"trigger '{text[lg.start:lg.end]}' (lexicon phrase '{lg.phrase}')",
            lg.confidence, lg.extra)

    for q in find_quotes(text, pd.segments, pd.mentions):
        basis = q.extra.get("attribution") or "no speaker named"
        add("quote", q.start, q.end, q.speaker, basis, q.confidence, q.extra)

    facts.sort(key=lambda f: (f.start, f.end, f.kind))
    return facts


def _link_name(surface: str, mentions: list[Mention]) -> str:
    for m in mentions:
        if m.kind == "person" and (m.name == surface or m.name.split()[-1] == surface):
            return m.value
    return surface


# Words either side of a candidate date that make up "its clause" when
# matching the event an anchor names ("signed on Feb 14": the signing).
_CLAUSE_CHARS = 60


def _anchor_phrases(doc: _Doc) -> list[str]:
    """The anchored expressions of an article with their anchor phrases ("five days after the decree was announced")."""
    if doc.phrases is not None:
        return doc.phrases
    out = doc.phrases = []
    for d in doc.dates:
        if "anchor" in d.extra:
            words = doc.inp.text[d.start:d.end]
            tail = d.extra["anchor"].get("text", "")
            out.append(words)
            if tail and tail != "the previous date in the text":
                out.append(tail)
    return out


def _candidate(doc: _Doc, d, where: str) -> tuple:
    if doc.candidates is None:
        doc.candidates = {}
    key = (d.start, d.value, where)
    got = doc.candidates.get(key)
    if got is None:
        got = doc.candidates[key] = _make_candidate(doc, d, where)
    return got


def _make_candidate(doc: _Doc, d, where: str) -> tuple:
    text = doc.inp.text
    s, e = d.start, d.end
    sentence = doc.sents.at(s)
    clause = text[max(0, s - _CLAUSE_CHARS):e + _CLAUSE_CHARS]
    # An anchored expression's own words would otherwise "match" every date
    # beside it ("on Wednesday, five days after the decree was announced").
    for phrase in _anchor_phrases(doc):
        sentence = sentence.replace(phrase, " ")
        clause = clause.replace(phrase, " ")
    return (d.value, text[s:e], sentence, where, clause)


def _paragraph_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _resolve_anchor(pd: _Doc, r, prepared: list[_Doc], text: str):
    extra = dict(r.extra)
    anchor = dict(extra["anchor"])
    anchor_text = anchor.get("text", "")
    if anchor_text == "the previous date in the text":
        anchor_text = ""
    own = [d for d in pd.dates if "anchor" not in d.extra and not d.extra.get("unresolved") and d is not r]
    if not anchor_text and pd.resolved:
        own += [d for start, d in pd.resolved.items() if start < r.start]
    if anchor_text:
        # Nearest first: dates inside the anchor phrase, then this article, then the case.
        own.sort(key=lambda d: (0 if d.start >= r.end and d.start < r.end + len(anchor_text) + 2 else 1,
                                abs(d.start - r.start)))
        cands = [_candidate(pd, d, "in this article") for d in own]
    else:
        # "a year earlier" refers to the date just told: the previous date of its
        # paragraph; for a year with none there, the publication ("sales fell
        # from a year earlier, the company said"); otherwise the previous date.
        before = [d for d in own if d.end <= r.start]
        before.sort(key=lambda d: r.start - d.end)
        para = _paragraph_start(text, r.start)
        in_para = [d for d in before if d.start >= para]
        unit = extra.get("relative", {}).get("unit")
        if in_para:
            before = in_para
        elif unit == "year" and pd.ctx.published and dates_mod.parse_iso(pd.ctx.published)[0] is not None:
            return _shift_from_publication(pd, r, extra, anchor)
        cands = [_candidate(pd, d, "in this article") for d in before]
    if anchor_text:
        for other in prepared:
            if other is pd or not other.dates:
                continue
            for d in other.dates:
                if "anchor" in d.extra or d.extra.get("unresolved"):
                    continue
                cands.append(_candidate(other, d, "in another article of the case"))
    got = dates_mod.resolve_anchor(extra, anchor_text, cands)
    if got is None:
        return r.value, r.basis, extra
    value, basis, exact, anchor["value"] = got
    span = extra.get("relative", {}).get("span")
    if span in ("year", "month", "day") and value[:1].isdigit() and "/" not in value:
        # "the following year" of "5 March 2019" is 2020: the value at the span's precision.
        value = iso_value(*iso_parts(value)[:("year", "month", "day").index(span) + 1])
    extra["anchor"] = anchor
    extra.pop("unresolved", None)
    if not exact:
        extra["approximate"] = True
    return value, basis, extra


def _shift_from_publication(pd: _Doc, r, extra: dict, anchor: dict):
    rel = extra.get("relative", {})
    amount = rel.get("amount", 0)
    value, exact = dates_mod.shift(pd.ctx.published, amount, "year")
    y = dates_mod.parse_iso(value)[0]
    value = str(y)  # "a year earlier" than a report is that year, not that day
    anchor["value"] = pd.ctx.published
    extra["anchor"] = anchor
    extra.pop("unresolved", None)
    n = abs(amount)
    basis = (f"{n} year{'s' if n != 1 else ''} {rel.get('direction', 'before')} the publication date "
             f"({pd.ctx.published}): no earlier date in its paragraph is the reference")
    return value, basis, extra
