"""Which way in time the verb governing a date points: a cheap clause-window heuristic.

A year-less date ("by Jan. 15", "рассмотрят 10 января") is placed before or
after the publication date by the verb that governs it, not by any "will" in
the sentence: in ``"We will appeal," Smith said on Friday`` the governor of
"Friday" is "said". A parser would find the governor exactly, but the
extractor runs over whole archives and a dependency parse of every dated
sentence costs more than the rest of the date rules together; the nearest
tense-bearing word in the date's own clause (before it, else after it) is
right on the cases we measured (tests/test_dates_hard.py).

>>> governing_tense('"We will appeal," Smith said on Friday', 'Friday')
('past', 'said')
>>> governing_tense('The hearing will be held on Jan. 15', 'Jan. 15')
('future', 'will')
"""
from __future__ import annotations

import re
from typing import Optional

__all__ = ["governing_tense"]

# How many words either side of the date are searched for a governor.
_WINDOW = 12

# Quotes, brackets, semicolons and dashes end a clause; a date inside a quote
# is governed inside the quote, one after it by the reporting verb.
_CLAUSE_BREAK = re.compile(r"[\"“”«»„;()\[\]]|\s[—–]\s|\.\s")
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё][\w'’-]*")

_EN_FUTURE = {
    "will", "shall", "'ll", "won't", "wo", "due", "scheduled", "expected", "planned", "plans", "plan",
    "going", "intends", "intend", "aims", "until", "till", "pending", "next", "tomorrow", "upcoming",
    "would", "must", "should", "postponed", "adjourned", "deadline", "set", "expects", "hopes",
}
# "by Jan. 15" names a deadline: ahead of the report unless a past verb says otherwise.
_EN_WEAK_FUTURE = {"by"}
_EN_PAST = {
    "was", "were", "had", "did", "said", "told", "ago", "since", "last", "yesterday", "has", "have",
    "fled", "left", "came", "went", "took", "gave", "began", "met", "sent", "won", "lost", "fell", "rose",
    "ran", "saw", "got", "found", "brought", "caught", "sought", "spent", "stood", "wrote", "spoke",
    "became", "broke", "chose", "drove", "flew", "knew", "led", "paid", "threw", "held", "kept", "heard",
    "struck", "arrived", "former", "earlier", "made", "bought", "sold", "grew", "shot", "felt", "built", "thought",
    "fought", "hid", "rode", "wore", "drew", "sat", "swore", "taught", "withdrew", "overtook", "forbade", "froze",
    "spent", "stole", "bore", "tore", "underwent", "upheld", "overrode", "forgave",
}
# Before a date these name the new, later date ("adjourned until 3 May"); after it, the act itself.
_EN_MOVED = {"postponed", "adjourned", "deferred", "rescheduled"}
_EN_PASSIVE_AUX = {"be", "been", "being"}
# -ed words that are not past verbs, or point ahead.
_EN_NOT_PAST = {"red", "bed", "need", "seed", "feed", "speed", "shed", "united", "based", "alleged", "armed",
                "detailed", "limited", "related", "concerned", "involved", "named", "called", "so-called"}

_RU_FUTURE = re.compile(
    r"^(?:будет|будут|буду|станет|станут|состоится|состоятся|пройд[её]т|пройдут|планиру\w*|намерен\w*|"
    r"собира\w*|должн\w*|назнач\w*|намечен\w*|ожида\w*|отложен\w*|перенес[её]н\w*|продлится|продлятся|"
    r"предстоит|завтра|до|следующ\w*)$")
_RU_PAST = re.compile(r"^(?:\w{2,}(?:ли|ло|лся|лась|лись|лось)|\w{3,}л|\w{4,}ла|вчера|назад|прошл\w*|бывш\w*)$")
_RU_NOT_PAST = {"дело", "село", "тело", "число", "зло", "дела", "села", "тела", "пола", "стола", "зала", "числа", "масла", "или", "они", "ли", "для",
                "февраля", "апреля", "июля", "материал", "канал", "генерал", "капитал", "сигнал", "журнал",
                "персонал", "трибунал", "финал", "интервал", "мол", "пол", "стол", "зал", "ислам", "посол", "котел"}
# Present-tense reporting verbs ("говорит", "сообщают") say when it was told, not when it happens.
_RU_REPORTING = re.compile(r"^(?:говор|сообща|заявля|счита|пиш|рассказыва|отмеча|утвержда|уточня|напомина|подчеркива|"
                           r"находи|находя|содерж|являе|являю|остаё|остае|прожива|проживё)")
# A reporting verb governs a date right after it ("said on Friday", "told reporters
# Friday"); further back it governs a clause whose own verb we may not know
# ("officials said the camp closes in February"), so it does not decide there.
_REPORTING = re.compile(
    r"^(?:said|says|told|tells|stated|added|wrote|according|"
    r"сообщил\w*|заявил\w*|рассказал\w*|сказал\w*|написал\w*|отметил\w*|пишет|говорит|сообщает|заявляет)$")
_REPORTING_REACH = 3
# A complementiser ends the date's clause: "said that the camp closes in February".
_COMPLEMENTISERS = {"that", "что", "чтобы"}
# Right before a date these say "since": the date is past whatever the verb ("находится в СИЗО с 6 декабря").
_SINCE = {"since", "с", "со"}
# A perfective verb in the present form is future ("рассмотрят", "вынесут", "огласит").
_RU_PERFECTIVE_FUTURE = re.compile(r"^(?:рас|раз|вы|о|об|объ|при|по|на|за|с|у|под|пере|от|про|до)\w{2,}(?:ят|ут|ют|ит|ится|ятся|утся)$")


def _clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    before = sentence[:start]
    cut = None
    for m in _CLAUSE_BREAK.finditer(before):
        cut = m.end()
    if cut is not None:
        before = before[cut:]
    after = sentence[end:]
    m = _CLAUSE_BREAK.search(after)
    if m:
        after = after[:m.start()]
    return before, after


def _en_word(words: list[str], i: int) -> Optional[str]:
    w = words[i]
    if w in _EN_FUTURE:
        return "future"
    if w in _EN_WEAK_FUTURE:
        return "weak-future"
    prev = words[i - 1] if i > 0 else ""
    if w in _EN_PAST or (w.endswith("ed") and len(w) > 4 and w not in _EN_NOT_PAST):
        if w not in ("was", "were", "had", "has", "have", "did") and prev in _EN_PASSIVE_AUX:
            return None  # "will be held": the auxiliary further back decides
        if prev == "to":
            return None
        return "past"
    return None


def _ru_word(words: list[str], i: int) -> Optional[str]:
    w = words[i]
    if _RU_FUTURE.match(w):
        return "future"
    if w in _RU_NOT_PAST:
        return None
    if _RU_PAST.match(w):
        return "past"
    if _RU_PERFECTIVE_FUTURE.match(w) and not _RU_REPORTING.match(w):
        return "future"
    return None


def governing_tense(sentence: str, words: str, at: Optional[int] = None) -> tuple[Optional[str], str]:
    """``("future" | "past" | None, deciding word)`` for the date ``words`` in ``sentence``.

    ``at`` is the date's offset in ``sentence`` (the first occurrence of
    ``words`` when None). The nearest tense-bearing word before the date in
    its clause decides; with nothing before, the words after the date decide;
    a deadline "by" leans to the future when no verb decides.
    """
    idx = sentence.find(words) if at is None else at
    if idx < 0:
        return None, ""
    before, after = _clause(sentence, idx, idx + len(words))
    russian = bool(re.search(r"[А-Яа-яЁё]", sentence))
    judge = _ru_word if russian else _en_word
    back = [w.lower() for w in _WORD.findall(before)][-_WINDOW:]
    if back and back[-1] in _SINCE:
        return "past", back[-1]
    weak = ""
    for i in range(len(back) - 1, -1, -1):
        if back[i] in _COMPLEMENTISERS:
            break
        if _REPORTING.match(back[i]) and len(back) - i > _REPORTING_REACH:
            continue
        got = judge(back, i)
        if got == "weak-future":
            weak = weak or back[i]
            continue
        if got == "past" and weak:
            return "past", back[i]
        if got:
            return got, back[i]
    ahead = [w.lower() for w in _WORD.findall(after)][:_WINDOW]
    for i in range(len(ahead)):
        if ahead[i] in _EN_MOVED:
            return "past", ahead[i]  # "on Wednesday postponed the hearing": the postponing is the event
        got = judge(ahead, i)
        if got and got != "weak-future":
            return got, ahead[i]
    if weak:
        return "future", weak
    return None, ""
