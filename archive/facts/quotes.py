"""Direct quotes ("…", “…”, «…», „…“) and who said them.

The fact's span includes the quote marks. ``value`` is the speaker's
canonical name when the attribution names or points to a person (""...," she
told Reuters" takes the nearest person named before the quote; ""..."
Zhovtis said" links "Zhovtis" to the full name), the attribution's words
otherwise ("the bureau's spokesman"), or ``unattributed``. A quote with no
attribution right after an attributed one in the same paragraph continues
it (""...," he added. "But..."" is the same speaker). Short quoted
phrases (fewer than four words: scare quotes, titles) are not quotes.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Optional, Sequence

__all__ = ["RawQuote", "find_quotes"]

_VERBS = (r"(?:said|says|told|tells|added|adds|stated|states|wrote|writes|explained|noted|insisted|claimed|"
          r"argued|warned|recalled|asked|replied|continued|complained|confirmed|declared|quoted|tweeted|"
          r"сказал[аи]?|рассказал[аи]?|заявил[аи]?|отметил[аи]?|добавил[аи]?|пояснил[аи]?|написал[аи]?|"
          r"сообщил[аи]?|считает|говорит|уточнил[аи]?|подчеркнул[аи]?)")
_PRONOUNS = r"(?:he|she|they|он|она|они)"
_PAIRS = [("“", "”"), ("«", "»"), ("„", "“"), ("‘", "’")]
# An unattributed quote this close after an attributed one, in the same
# paragraph, continues it (room for an attribution naming the speaker's role).
_CONTINUES_WITHIN = 200


@dataclass
class RawQuote:
    start: int
    end: int
    speaker: str
    extra: dict = field(default_factory=dict)
    confidence: float = 0.75


def _spans(text: str, s0: int, e0: int) -> list[tuple[int, int]]:
    out = []
    for open_, close in _PAIRS:
        pat = re.compile(re.escape(open_) + r"[^" + re.escape(open_ + close) + r"\n]{3,2000}?" + re.escape(close))
        for m in pat.finditer(text, s0, e0):
            if open_ == "‘" and re.match(r"\w", text[m.end():m.end() + 1]):
                continue  # an apostrophe, not a closing quote
            out.append((m.start(), m.end()))
    # Straight quotes pair up within a paragraph.
    for para in re.finditer(r"[^\n]+", text[s0:e0]):
        ps = s0 + para.start()
        marks = [ps + i for i, ch in enumerate(para.group()) if ch == '"']
        for a, b in zip(marks[::2], marks[1::2]):
            out.append((a, b + 1))
    out.sort()
    keep: list[tuple[int, int]] = []
    for s, e in out:
        if keep and s < keep[-1][1]:
            continue  # a quote inside a quote
        keep.append((s, e))
    return keep


def find_quotes(text: str, segments: Sequence[tuple[int, int]], mentions: Sequence,
                link_person=None) -> list[RawQuote]:
    """Quotes in the body with their speakers. ``mentions`` are the article's entity mentions."""
    persons = sorted((m for m in mentions if m.kind == "person"), key=lambda m: m.start)
    out: list[RawQuote] = []
    for s0, e0 in segments:
        for s, e in _spans(text, s0, e0):
            inner = text[s + 1:e - 1]
            if len(re.findall(r"\w+", inner)) < 4:
                continue
            speaker, how, words = _speaker(text, s, e, e0, persons)
            prev = out[-1] if out else None
            if speaker is None and prev is not None and prev.speaker != "unattributed" \
                    and s - prev.end <= _CONTINUES_WITHIN and "\n" not in text[prev.end:s]:
                # '"...," he added. "But ..."': the next sentence of the same speech.
                speaker = prev.speaker
                how = f"continues the words of {speaker} quoted just before, in the same paragraph"
            extra = {"speaker": speaker or "unattributed"}
            if words:
                extra["speaker_text"] = words
            if how:
                extra["attribution"] = how
            out.append(RawQuote(s, e, speaker or "unattributed", extra, 0.8 if speaker else 0.6))
    return out


def _person_in(persons, start: int, end: int, text: str = "", first: bool = False):
    # A name in the possessive only describes the speaker: "Zhilin's wife
    # Yekaterina Zhilina", "Petra Vallin, Brannik's lawyer".
    # ``persons`` is sorted by start: bisect instead of reading them all per quote.
    lo, hi = bisect_left(persons, start, key=_start_of), bisect_right(persons, end, key=_start_of)
    inside = [p for p in persons[lo:hi] if p.end <= end]
    if text:
        named = [p for p in inside if not re.match(r"['’]s?\b", text[p.end:p.end + 3])]
        inside = named or inside
    if not inside:
        return None
    return inside[0] if first else inside[-1]


def _start_of(mention) -> int:
    return mention.start


def _last_before(persons, pos: int):
    """The last person (in start order) who ends by ``pos``, or None."""
    i = bisect_right(persons, pos, key=_start_of)
    while i > 0:
        i -= 1
        if persons[i].end <= pos:
            return persons[i]
    return None


def _speaker(text, s, e, limit, persons) -> tuple[Optional[str], str, str]:
    after = text[e:min(limit, e + 160)]
    # ""...," she told Reuters" / ""..." Zhovtis said" / "— сказала Мира". Not
    # across a paragraph break, nor after a full stop outside the quote
    # (""...law". Officials said" starts the next sentence).
    m = re.match(rf"[^\S\n]*[,!?]?[^\S\n]*(?:[—–-]+[^\S\n]*)?(?P<who>[^.!?\n\"“”«»]{{0,80}}?)\s*\b{_VERBS}\b"
                 rf"(?P<tail>[^.!?\n\"“”«»]{{0,60}})", after)
    # A quote closed by its own full stop ends its sentence; what follows may be
    # a new sentence about someone else, so only a name or pronoun counts.
    ended = bool(re.search(r"[.]\W*$", text[s:e]))
    if m:
        who = m.group("who").strip(" ,—–-")
        ws, we = e + m.start("who"), e + m.end("who")
        p = _person_in(persons, ws, we, text)
        if p and not (ended and len(who.split()) > 3):
            return p.value, "named after the quote", text[p.start:p.end]
        if re.fullmatch(_PRONOUNS, who, re.I):
            prev = _last_before(persons, s)
            if prev:
                return prev.value, f"'{who}' taken as the nearest person named before the quote", who
            return None, "", who
        if not who:
            # "...," said Petra Vallin, the lawyer for Brannik: the first name is the speaker.
            ts, te = e + m.start("tail"), e + m.end("tail")
            p = _person_in(persons, ts, min(te, ts + 40), text, first=True)
            if p:
                return p.value, "named after the quote", text[p.start:p.end]
        elif not ended and len(who.split()) <= 6 \
                and not re.search(r"\b(?:it|this|that|which|report|document)\b", who, re.I):
            return who, "described after the quote", who
    # "Zhovtis said: "..."" / "according to X" before the quote, in the same sentence.
    before_start = max(0, s - 160)
    before = text[before_start:s]
    cut = max(before.rfind(". "), before.rfind("\n"))
    if cut >= 0:
        before_start, before = before_start + cut + 1, before[cut + 1:]
    m = re.search(rf"(?P<who>[^.!?\n]{{1,80}}?)\s+{_VERBS}(?:\s+\w+){{0,3}}\s*[:,]?\s*$", before)
    if m:
        p = _person_in(persons, before_start + m.start("who"), before_start + m.end("who"), text)
        if p:
            return p.value, "named before the quote", text[p.start:p.end]
        who = m.group("who").strip()
        if re.fullmatch(_PRONOUNS, who.split()[-1] if who.split() else "", re.I):
            prev = _last_before(persons, before_start + m.start("who"))
            if prev:
                return prev.value, "pronoun before the quote, taken as the nearest person named", who.split()[-1]
    m = re.search(r"according\s+to\s+(?P<who>[^,.;\n]{2,60})", text[max(0, s - 200):min(limit, e + 120)])
    if m:
        base = max(0, s - 200)
        p = _person_in(persons, base + m.start("who"), base + m.end("who"), text)
        if p:
            return p.value, "according to", text[p.start:p.end]
    return None, "", ""
