"""Guessing an article's language from its text.

Counting scripts (Cyrillic, Latin, Arabic...) and then the most frequent
function words of each candidate language is enough here: articles are
hundreds of words of monolingual prose, and Casefile only needs the language
to choose an entity model and to offer a filter. No model, no download, and a
few microseconds per article, which matters when indexing 20,000 files.
"""
from __future__ import annotations

import re

__all__ = ["detect_language"]

_SAMPLE_CHARS = 2000
_STOPWORD_CHARS = 1200    # about 200 words: plenty to tell languages apart

_SCRIPTS = {
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
    "arabic": re.compile(r"[\u0600-\u06ff]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
    "han": re.compile(r"[\u4e00-\u9fff]"),
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "hangul": re.compile(r"[\uac00-\ud7af]"),
    "georgian": re.compile(r"[\u10a0-\u10ff]"),
    "armenian": re.compile(r"[\u0530-\u058f]"),
    "devanagari": re.compile(r"[\u0900-\u097f]"),
    "thai": re.compile(r"[\u0e00-\u0e7f]"),
}
_SINGLE_SCRIPT_LANG = {
    "greek": "el", "hebrew": "he", "georgian": "ka", "armenian": "hy",
    "devanagari": "hi", "thai": "th", "hangul": "ko",
}

_STOPWORDS = {
    "en": "the and of to in a is that for was on with he as by it at his from have has are were said be this not but who after an",
    "de": "der die und das ist nicht mit den von zu ein eine sich auf für dem des im auch es wurde hat sie wir nach bei",
    "fr": "le la les des et est une du dans que qui pour pas sur au avec il ce sont par ont été aux cette mais",
    "es": "el la los las de que y en un una por con para del se no es al lo como su fue ha más sus pero",
    "it": "il di che e la per un una del della non sono le in con si da gli è ha nel alla anche dei",
    "pt": "o a de que e do da em um uma para com não os as por no na dos foi ao é se mais pelo",
    "nl": "de het een en van is dat op te in niet zijn met voor ook er maar werd bij naar heeft",
    "pl": "i w z na się nie do że to jest o jak po przez od za dla jego oraz które",
    "tr": "ve bir bu da de için ile olarak çok daha olan gibi ancak sonra kadar ise",
    "ru": "и в не на что с по он как из его за к это от был была для о также который она они но",
    "uk": "і в не на що з та до як його це від був для про також який вона вони але у",
    "bg": "и в не на че с да се от за е са към във със но като след",
}
# word -> languages it is a function word of, so scoring is one lookup per word.
_STOP_INDEX: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words.split():
        _STOP_INDEX[_w] = _STOP_INDEX.get(_w, ()) + (_lang,)
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_CYRILLIC_LANGS = ("ru", "uk", "bg")
_LATIN_LANGS = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr")
_WORDS = re.compile(r"[^\W\d_]+")

# Letters that only some Cyrillic alphabets have.
_MARKERS = (
    ("kk", re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]")),
    ("be", re.compile(r"[ўЎ]")),
    ("sr", re.compile(r"[ђјљњћџЂЈЉЊЋЏ]")),
    ("mk", re.compile(r"[ѓќѕЃЌЅ]")),
    ("uk", re.compile(r"[іїєґІЇЄҐ]")),
)


def _best_by_stopwords(sample: str, langs: tuple[str, ...]) -> str | None:
    words = _WORDS.findall(sample[:_STOPWORD_CHARS].lower())
    if not words:
        return None
    scores = {lang: 0 for lang in langs}
    for w in words:
        for lang in _STOP_INDEX.get(w, ()):
            if lang in scores:
                scores[lang] += 1
    lang, score = max(scores.items(), key=lambda kv: kv[1])
    return lang if score >= max(2, len(words) // 25) else None


def _script_counts(sample: str) -> dict[str, int]:
    if sample.isascii():
        return {"latin": len(_ASCII_LETTERS.findall(sample, 0, 400)) * max(1, len(sample) // 400)}
    counts = {"cyrillic": len(_SCRIPTS["cyrillic"].findall(sample)), "latin": len(_SCRIPTS["latin"].findall(sample))}
    visible = len(sample) - sample.count(" ") - sample.count("\n")
    if counts["cyrillic"] + counts["latin"] >= visible * 0.6:
        return counts  # Cyrillic or Latin prose: no need to count the other scripts
    for name, rx in _SCRIPTS.items():
        if name not in counts:
            counts[name] = len(rx.findall(sample))
    return counts


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (``en``, ``ru``...), or None if unsure."""
    sample = text[:_SAMPLE_CHARS]
    counts = _script_counts(sample)
    total = sum(counts.values())
    if total < 20:
        return None
    script, n = max(counts.items(), key=lambda kv: kv[1])
    if n < total * 0.5:
        return None
    if script == "latin":
        return _best_by_stopwords(sample, _LATIN_LANGS)
    if script == "cyrillic":
        for lang, rx in _MARKERS:
            if len(rx.findall(sample)) >= max(2, n // 200):
                return lang
        return _best_by_stopwords(sample, _CYRILLIC_LANGS) or "ru"
    if script == "arabic":
        return "fa" if re.search(r"[پچژگ]", sample) else "ar"
    if script == "han":
        return "ja" if counts.get("kana", 0) > n * 0.05 else "zh"
    if script == "kana":
        return "ja"
    return _SINGLE_SCRIPT_LANG.get(script)
