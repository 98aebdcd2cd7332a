"""Charges and procedural steps, from the trigger phrases in ``legal.json``.

``value`` is the lexicon key (``charge:desertion``, ``step:deportation``);
``extra["actor"]`` is who took the step when the sentence says so: the agent
of a passive ("detained by border guards"), else the nearest institution or
named organisation/place before the trigger in the same clause ("A Kazakh
court has found him guilty", "Moscow has charged him").
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence

from .lexicon import LegalTrigger, Lexicons, lexicons
from .spans import SpanSet
from .trie_regex import trie_regex

__all__ = ["RawLegal", "find_legal"]


@dataclass
class RawLegal:
    start: int
    end: int
    key: str
    phrase: str
    extra: dict = field(default_factory=dict)
    confidence: float = 0.8


def _actor_pattern(lex: Lexicons) -> re.Pattern:
    heads = "|".join(re.escape(h) for h in sorted(lex.actor_heads, key=len, reverse=True))
    # Up to three modifiers: "the Kazakh appeals court", "Russia's interior ministry", "Lessaria's Border Guard Service".
    mod = r"(?:[A-ZА-ЯЁ][\w-]*(?:['’]s)?|(?i:appeals|district|regional|city|military|federal|state|local|national|migration|supreme))"
    return re.compile(rf"(?<![\w])(?:(?i:the|a|an)\s+)?(?:{mod}\s+){{0,3}}(?i:{heads})(?![\w])")


class _TriggerIndex:
    """Every trigger's matches from one scan of the text for the triggers' first words.

    Running each of the lexicon's ~200 patterns over the whole text cost more
    than everything else the rules do together. A trigger can only match
    where its first word starts, so one combined pattern of first words finds
    the candidate positions (a trie-shaped regex, see ``trie_regex``) and
    each trigger is tried only there. The matches are exactly those of
    ``trigger.pattern.finditer`` (leftmost, non-overlapping, in trigger order).
    """

    def __init__(self, triggers: Sequence[LegalTrigger]) -> None:
        self.triggers = list(triggers)
        self.by_prefix: dict[str, list[int]] = defaultdict(list)
        self.scan_always: set[int] = set()
        for ti, t in enumerate(self.triggers):
            first = next((w for w in t.phrase.split() if not re.fullmatch(r"~\d+", w)), "")
            for alt in first.split("|"):
                prefix = alt[:-1] if alt.endswith("*") else alt
                if not prefix or not re.fullmatch(r"\w+", prefix):
                    self.scan_always.add(ti)  # punctuation in the first word: no cheap prefix
                else:
                    self.by_prefix[prefix.lower()].append(ti)
        self.lengths = sorted({len(p) for p in self.by_prefix})
        self.first_words = (re.compile(r"(?<![\w])" + trie_regex(sorted(self.by_prefix)), re.IGNORECASE)
                            if self.by_prefix else None)

    def finditer(self, text: str, lo: int, hi: int) -> Iterator[tuple[re.Match, LegalTrigger]]:
        positions: dict[int, list[int]] = defaultdict(list)
        if self.first_words is not None:
            for m in self.first_words.finditer(text, lo, hi):
                p = m.start()
                seen: set[int] = set()
                for n in self.lengths:
                    for ti in self.by_prefix.get(text[p:p + n].lower(), ()):
                        if ti not in seen:
                            seen.add(ti)
                            positions[ti].append(p)
        # Only triggers with a candidate position (or no cheap prefix) can
        # match; visiting them in trigger order keeps the output order.
        for ti in sorted(positions.keys() | self.scan_always):
            t = self.triggers[ti]
            if ti in self.scan_always:
                for m in t.pattern.finditer(text, lo, hi):
                    yield m, t
                continue
            end = -1
            for p in positions.get(ti, ()):
                if p < end:
                    continue
                m = t.pattern.match(text, p, hi)
                if m:
                    yield m, t
                    end = m.end()


_index_cache: dict[tuple, _TriggerIndex] = {}
_actor_cache: dict[int, re.Pattern] = {}


def find_legal(text: str, sentences: Sequence[tuple[int, int]], lang: Optional[str],
               mentions: Sequence = (), lex: Optional[Lexicons] = None) -> list[RawLegal]:
    """Legal triggers in the given sentences (absolute spans), with actors where stated."""
    lex = lex or lexicons()
    langs = {"ru"} if lang == "ru" else {"en"} if lang in (None, "", "en") else {lang, "en"}
    triggers = [t for t in lex.legal if t.lang in langs]
    if re.search(r"[А-Яа-яЁё]", text) and lang != "ru":
        triggers += [t for t in lex.legal if t.lang == "ru"]
    actor_pat = _actor_cache.get(id(lex))
    if actor_pat is None:
        actor_pat = _actor_cache[id(lex)] = _actor_pattern(lex)
    out: list[RawLegal] = []
    if not sentences:
        return out
    index_key = (id(lex), tuple(map(id, triggers)))
    index = _index_cache.get(index_key)
    if index is None:
        index = _index_cache[index_key] = _TriggerIndex(triggers)
    mentions = _MentionIndex(mentions)
    # Matches are grouped by sentence; a match may not run past its sentence.
    by_sentence: dict[int, list] = {}
    starts = [s for s, _ in sentences]
    lo, hi = sentences[0][0], sentences[-1][1]
    for m, t in index.finditer(text, lo, hi):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.end() <= sentences[i][1]:
            by_sentence.setdefault(i, []).append((m.start(), m.end(), t))
    for i, cands in sorted(by_sentence.items()):
        s0, e0 = sentences[i]
        cands.sort(key=lambda c: (-(c[1] - c[0]), c[2].rank, c[0]))
        chosen: list[tuple[int, int, object]] = []
        claimed = SpanSet()
        for s, e, t in cands:
            if claimed.overlaps(s, e):
                continue
            claimed.add(s, e)
            chosen.append((s, e, t))
        chosen.sort(key=lambda c: c[0])
        for s, e, t in chosen:
            extra: dict = {}
            actor = _actor(text, s0, e0, s, e, mentions, actor_pat, lex)
            if actor:
                extra["actor"], extra["actor_text"] = actor
            out.append(RawLegal(s, e, t.key, t.phrase, extra, 0.8 if t.key.startswith("charge:") else 0.75))
    return out


def _actor(text, s0, e0, s, e, mentions, actor_pat, lex) -> Optional[tuple[str, str]]:
    # Passive agent: "detained by border guards", "deported by the migration police".
    after = text[e:min(e0, e + 80)]
    m = re.match(r"\s+(?:\w+\s+){0,2}?by\s+", after)
    if m:
        pos = e + m.end()
        ent = _mention_at(mentions, pos)
        if ent is not None:
            return ent.value, text[ent.start:ent.end]
        a = actor_pat.match(text, pos)
        if a:
            return _actor_name(a.group()), a.group()
    # Otherwise the nearest institution before the trigger in the same clause
    # (looked for in a window: a sentence the splitter could not break, a
    # page on one line, must not make every trigger read it all again).
    window = max(s0, s - _CLAUSE_WINDOW)
    clause_start = window
    for c in _CLAUSE_BREAK.finditer(text[window:s]):
        clause_start = window + c.end()
    passive = re.search(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+\s+)?$", text[clause_start:s])
    if passive:
        # "Zhilin was detained": the subject is who it happened to, not the actor.
        return None
    best = None
    # The last institution that is the clause's subject: checked from the
    # end, so a clause crowded with them costs one check, not one per name.
    for a in reversed(list(actor_pat.finditer(text, clause_start, s))):
        if not _not_subject(text, clause_start, a.start(), a.end()):
            best = (a.start(), _actor_name(a.group()), a.group())
            break
    for ment in mentions.starting_in(clause_start, s):
        if clause_start <= ment.start and ment.end <= s and ment.kind in ("org", "place") \
                and not ment.extra.get("demonym") and not _not_subject(text, clause_start, ment.start, ment.end):
            if ment.extra.get("demonym") and re.match(r"\s+[a-z]", text[ment.end:ment.end + 3]) and \
                    best and best[0] <= ment.start < best[0] + len(best[2]):
                continue  # part of "Kazakh court", already the actor
            if best is None or ment.start > best[0] + len(best[2]) - 1:
                best = (ment.start, ment.value, text[ment.start:ment.end])
    if best is None:
        return None
    return best[1], best[2]


# A name right after one of these is where or to whom something happened, not
# who acted: "asked for asylum in Kazakhstan", "came to Kazakhstan", "reaching
# Astana or Almaty", "fled Russia". (Lower-case only: "Beijing" is no gerund.)
_COMPLEMENT_BEFORE = re.compile(
    r"(?:\b(?i:in|into|to|from|at|across|via|near|inside|within|towards?|through|for|with|on|against|"
    r"fled|left|reached|entered|crossed|visited)|\b[a-z]+ing)\s+"
    r"(?:(?:the\s+)?[A-ZА-ЯЁ][\w'’.-]*\s+(?:and|or)\s+)?(?:(?i:the|a|an)\s+)?$")
# An institution word that only describes the noun after it: "a military
# officer", "a police document", "the court decision".
_MODIFIED_NOUN = re.compile(
    r"\s+(?:officers?|officials?|documents?|decisions?|spokes(?:man|woman|person)|sources?|statements?|"
    r"records?|members?|employees?|agents?|papers?|files?|buildings?|cells?)\b")


# "ALMATY — A Russian officer...", "Almaty, Dec 7 -": a dateline names where the
# report was filed.
_DATELINE_AFTER = re.compile(r"\s*(?:[—–]|-\s|,\s*(?:\d|[A-Z][a-z]{2}\.?\s+\d))")


def _not_subject(text: str, clause_start: int, start: int, end: int) -> bool:
    """Is the name at ``start:end`` a complement, a modifier or a dateline rather than the clause's actor?"""
    if _COMPLEMENT_BEFORE.search(text, max(clause_start, start - 60), start):
        return True
    if not text[clause_start:start].strip() and _DATELINE_AFTER.match(text, end):
        return True
    return bool(_MODIFIED_NOUN.match(text, end))


def _actor_name(words: str) -> str:
    w = re.sub(r"^(?:the|a|an)\s+", "", words.strip(), flags=re.I)
    return w[:1].upper() + w[1:]


def _mention_at(mentions: "_MentionIndex", pos):
    for m in mentions.near(pos, 4):
        if m.start <= pos < m.end or (m.start >= pos and m.start - pos <= 4):
            return m
    return None


# A clause ends at these; the actor of a trigger is looked for after the last one.
_CLAUSE_BREAK = re.compile(r"[;:“”\"«»]|\s(?:but|while|whereas|although|after|before|since|because|when)\s")
_CLAUSE_WINDOW = 600


class _MentionIndex:
    """An article's mentions, found by position without reading them all.

    Lookups return the mentions in their original order, so the rules pick
    exactly what a loop over every mention would.
    """

    def __init__(self, mentions: Sequence) -> None:
        self.items = list(mentions)
        order = sorted(range(len(self.items)), key=lambda i: self.items[i].start)
        self.order = order
        self.starts = [self.items[i].start for i in order]
        self.longest = max((m.end - m.start for m in self.items), default=0)

    def starting_in(self, lo: int, hi: int) -> list:
        """Mentions whose start is in ``[lo, hi)``, in original order."""
        a, b = bisect.bisect_left(self.starts, lo), bisect.bisect_left(self.starts, hi)
        return [self.items[i] for i in sorted(self.order[a:b])]

    def near(self, pos: int, after: int) -> list:
        """Mentions that cover ``pos`` or start up to ``after`` characters after it, in original order."""
        return [m for m in self.starting_in(pos - self.longest, pos + after + 1)]
