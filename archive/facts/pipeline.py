"""The fact extractor: one call extracts every kind of fact from a case.

All articles given to :func:`extract` together form one case context: short
names link to full names across them, year-less dates without a publication
date borrow the case's dates, and anchored dates ("five days after the
mobilisation was declared") are dated from the other articles' facts. An
article whose dateline prints no year ("MADRID, Dec. 14") takes its year from
the same case dates, and its relative dates are resolved against that
inferred publication date (those facts carry ``extra["published_inferred"]``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from ..errors import InvalidInput
from ..models import Fact, Region
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
EXTRACTOR_VERSION = "1.3." + fingerprint()

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


def _infer(doc: FactInput, case_dates: tuple[str, ...]) -> Optional[InferredPublication]:
    if doc.published or not doc.published_partial:
        return None
    return dates_mod.infer_publication(doc.published_partial, case_dates, doc.text[:_HEAD_CHARS])


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
    return [_infer(d, case_dates) for d in docs]


@dataclass
class _Doc:
    inp: FactInput
    lang: str
    segments: list[tuple[int, int]]
    sents: Sentences
    ctx: dates_mod.DateContext
    dates: list = None
    mentions: list = None


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
    prepared: list[_Doc] = []
    for d in docs:
        segs = _within_limit(d.text, body_segments(d.text, d.body_end, d.regions))
        lang = (d.lang or _guess_lang("".join(d.text[s:e] for s, e in segs))).lower()[:2]
        sents = Sentences.of(d.text, segs)
        others = tuple(p for p in case_dates if p != d.published)
        inferred = _infer(d, case_dates)
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
    if english:
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
        if "anchor" in extra:
            value, basis, extra = _resolve_anchor(pd, r, prepared, text)
        add("date", r.start, r.end, value, basis, r.confidence, extra)

    for m in pd.mentions:
        basis = m.basis or (f"named entity ({m.label})" if m.label not in ("RULE", "LEXICON") else
                            "matched a lexicon entry" if m.label == "LEXICON" else "matched a pattern")
        extra = dict(m.extra)
        if m.kind == "place" and m.subtype:
            extra["subtype"] = m.subtype
        if m.kind == "place" and extra.get("demonym"):
            basis = f"demonym of {m.value}"
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


def _resolve_anchor(pd: _Doc, r, prepared: list[_Doc], text: str):
    extra = dict(r.extra)
    anchor = dict(extra["anchor"])
    anchor_text = anchor.get("text", "")
    if anchor_text == "the previous date in the text":
        anchor_text = ""
    own = [d for d in pd.dates if "anchor" not in d.extra and not d.extra.get("unresolved") and d is not r]
    if anchor_text:
        # Nearest first: dates inside the anchor phrase, then this article, then the case.
        own.sort(key=lambda d: (0 if d.start >= r.end and d.start < r.end + len(anchor_text) + 2 else 1,
                                abs(d.start - r.start)))
    else:
        own = [d for d in own if d.end <= r.start]
        own.sort(key=lambda d: r.start - d.end)
    cands = [(d.value, text[d.start:d.end], pd.sents.at(d.start), "in this article") for d in own]
    if anchor_text:
        for other in prepared:
            if other is pd or not other.dates:
                continue
            for d in other.dates:
                if "anchor" in d.extra or d.extra.get("unresolved"):
                    continue
                cands.append((d.value, other.inp.text[d.start:d.end], other.sents.at(d.start),
                              "in another article of the case"))
    got = dates_mod.resolve_anchor(extra, anchor_text, cands)
    if got is None:
        return r.value, r.basis, extra
    value, basis, exact, anchor["value"] = got
    extra["anchor"] = anchor
    extra.pop("unresolved", None)
    if not exact:
        extra["approximate"] = True
    return value, basis, extra
