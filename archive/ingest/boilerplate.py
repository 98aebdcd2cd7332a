"""Page boilerplate around an article's body: found, labelled, never deleted.

Text saved from a news site carries the site around the article: photo
credits and breadcrumbs at the top, and after the body an agency sign-off,
teaser lists of other headlines, "Related articles", "Most read", comment
prompts, cookie and privacy notes, browser warnings, footers. Casefile keeps
all of it in the stored text (offsets must stay stable) and records where it
is, so facts and search can tell the article from its page.

The trailing boilerplate starts at the first strong heading ("Related
articles", "More stories", "Most read", "Would you like to comment...") that
has enough body before it, or at the end of the text; from there it reaches
back over sign-offs, notices and teaser blocks (a headline, a one-line
summary, "News", "1 day ago"). Everything from that point on is the tail.
"""
from __future__ import annotations

import re
from typing import Optional

from ..models import Region
from .outlets import agency_name, photo_agencies
from .textlines import Line, plain, split_lines, word_count

__all__ = ["find_boilerplate", "classify_line", "TAIL_LABELS"]

TAIL_LABELS = (
    "sign-off", "teasers", "related-links", "most-read", "comments", "subscribe", "share",
    "cookie-notice", "browser-warning", "footer", "source-url", "advertisement",
)

_HEADINGS = re.compile(
    r"(?P<related>"
    r"(?:related|more|other|recommended|similar|latest|top|further)(?: \w+)?"
    r" (?:articles?|stories|story|news|reads?|reading|coverage|content|posts|links|videos|headlines)"
    r"(?: (?:on|from|about|in) [\w .'’-]+)?"
    r"|related|recommended(?: for you)?|read (?:more|also|next)|see also|also read|what to read next"
    r"|more (?:from|on) [\w .'’-]+|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)"
    r"|читайте (?:также|ещё|еще)|смотрите также|(?:ещё |еще |материалы |новости )?по теме"
    r"|похожие (?:материалы|статьи|новости)|другие (?:новости|материалы)"
    r"|noticias relacionadas|artículos relacionados|más noticias|(?:à )?lire aussi|sur le même sujet"
    r"|mehr zum thema|das könnte sie auch interessieren)"
    r"|(?P<mostread>"
    r"most (?:read|popular|viewed|shared|commented|emailed|watched)(?: (?:articles|stories|news|now|today|this week))?"
    r"|trending(?: now| stories| news)?|popular(?: now| today| stories| news)?"
    r"|самое (?:читаемое|популярное|обсуждаемое)|популярное|lo más leído|les plus lus|meistgelesen)"
    r"|(?P<comments>"
    r"would you like to comment.*|comments?(?: \(\d+\))?|\d+ comments?|leave a (?:comment|reply)"
    r"|join the (?:conversation|discussion)|(?:show|view|add a|read) comments?"
    r"|комментарии(?: \(\d+\))?|comentarios|commentaires|kommentare)"
)
_HEADING_LABELS = {"related": "related-links", "mostread": "most-read", "comments": "comments"}

_TEASER_META = re.compile(
    r"(?:\d+|an?|one) (?:sec|second|min|minute|hour|hr|day|week|month|year)s? ago|yesterday|today|just now"
    r"|\d+ min(?:ute)?s? read|news|opinion|analysis|world|business|sports?|politics|culture|features?"
    r"|video|podcast|economy|markets|europe|asia|africa|americas|\d{1,2}\.?"
    r"|\d+ (?:час(?:а|ов)?|дн(?:я|ей)|день|минут[уы]?) назад|вчера|сегодня"
)
_BREADCRUMB = re.compile(r"[\w&'.-]+(?: [\w&'.-]+)*(?: (?:/|>|›|»|\|) [\w&'.-]+(?: [\w&'.-]+)*)+")
_SHARE = frozenset({
    "share", "share this", "share this article", "share this story", "share on facebook",
    "share on twitter", "share on x", "tweet", "email", "print", "поделиться", "compartir", "partager", "teilen",
})
_ADS = frozenset({
    "advertisement", "advertising", "ad", "sponsored", "sponsored content", "story continues below advertisement",
    "continue reading below", "реклама", "publicidad", "publicité", "anzeige",
})
_CREDIT_SIGNOFF = re.compile(r"\(?(?:reporting|writing|editing|additional reporting|compiled) by\b")
_INLINE_RELATED = re.compile(
    r"(?:related(?: articles?| stories| story| content| coverage)?|read more|read also|also read|see also"
    r"|more on this(?: story)?|читайте также|смотрите также|по теме|lee también|lire aussi)\s*[:\-–—]\s*\S"
)
_SOURCE_URL = re.compile(
    r"(?:original (?:url|article|link|source)|source(?: url| link)?|url|link"
    r"|originally published(?: (?:at|on|in|by))?|источник|оригинал)\s*:"
)
_BARE_URL = re.compile(r"<?https?://\S+>?")
_COOKIE_CONTEXT = re.compile(
    r"\b(?:we use|this (?:web)?site uses|uses cookies|accept|consent|cookie (?:policy|settings|preferences)"
    r"|manage|by (?:continuing|using))|использ"
)
_BROWSER_CONTEXT = re.compile(
    r"outdated|out of date|(?:no longer |not )supported|unsupported|update your|upgrade your"
    r"|please (?:update|upgrade)|enable javascript|устар|обнов|не поддерж"
)
_FOOTER = re.compile(
    r"terms of (?:use|service)|all rights reserved|©|\(c\) (?:19|20)\d\d|copyright (?:©\s*)?(?:19|20)\d\d"
    r"|^published by |editor[- ]in[- ]chief|главный редактор|все права защищены|пользовательское соглашение"
)
# "Meridian Monitor is published weekly." / "The Post is reader-funded": a publication describing itself.
_SELF_DESCRIPTION = re.compile(
    r"^(?:The\s+)?[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,5}\s+is\s+"
    r"(?:(?:published|printed|produced|distributed)\s+(?:daily|weekly|fortnightly|monthly|quarterly|every|by|in|online)"
    r"|reader[- ](?:funded|supported)|free to read|(?:an?\s+)?(?:independent|non-?profit|reader-funded)\s+"
    r"(?:news|media|publication|newsroom|magazine|newspaper|outlet|journalism|weekly|daily))\b"
)
# Site links strung on one line: "Letters to the editor | Corrections policy".
_FOOTER_LINKS = re.compile(
    r"letters to the editor|corrections? policy|contact us|about us|advertise(?: with us)?|careers|impressum"
    r"|imprint|support (?:our|independent) (?:work|journalism)|donate|become a member|ethics policy|masthead"
)
_LINK_SEPARATORS = re.compile(r"\s[|·•]\s")
_COPYRIGHT = re.compile(r"©|all rights reserved|copyright|все права защищены")
_COOKIE_BANNER = re.compile(r"\b(?:we use|this (?:web)?site uses|uses cookies|by (?:continuing|using))")
_PRIVACY = re.compile(r"privacy (?:policy|notice|settings|statement)|политика конфиденциальности")
_SUBSCRIBE = re.compile(r"(?:subscribe|sign up|get (?:our|the) newsletter|newsletter|подпи(?:сывайтесь|шитесь|ска))")
_COMMENT_LINES = re.compile(
    r"(?:please read our comment|commenting is subject to|comments are (?:closed|moderated)"
    r"|register .{0,40}(?:sign in|log in)|(?:sign|log) in to comment)"
)
_CAPTION = re.compile(
    r"^(?:photo|picture|image|foto|фото|pic|illustration)s?\s*(?:[:：]|by\b|credit)"
    r"|\b(?:photo|picture|image)s?\s*(?:by|credit|courtesy|from (?:the |a )?(?:personal |family )?archive)\b"
    r"|\bcourtesy (?:photo|image|picture|of)\b|\bphoto courtesy\b"
    r"|\b(?:file|archive|handout|stock) (?:photo|image|picture)\b"
    r"|\b(?:getty images|shutterstock|ap photo|afp photo|reuters photo|epa-efe)\b",
    re.I,
)
_CREDIT_TOKEN = re.compile(
    r"\w/(?:" + "|".join(re.escape(a) for a in sorted(photo_agencies(), key=len, reverse=True)) + r")\b"
    r"|\b(?:reuters|afp|ap|epa|getty|tass|ria)/\w",
    re.I,
)
_EDGE_PUNCT = " \t.:!?…·•|-–—>»›"


def classify_line(raw: str) -> Optional[tuple[str, str]]:
    """``(label, kind)`` for a line that is boilerplate, else None.

    ``kind`` says how the line behaves: ``heading`` (a strong tail heading),
    ``marker`` (boilerplate on its own), ``meta`` (teaser metadata such as
    "News" or "1 day ago"), ``caption``, ``nav`` (a breadcrumb) or
    ``inline-related`` ("Related article: ..." inside the body).
    """
    if len(raw) > 800:
        return None
    spaces = raw.count(" ")
    if spaces > 40:
        # Long lines are prose unless they are a cookie or browser notice; decide that cheaply.
        if spaces > 90:
            return None
        folded = raw.casefold()
        if not any(k in folded for k in ("cookie", "куки", "browser", "браузер")):
            return None
    s = plain(raw)
    if not s:
        return None
    wc = word_count(s)
    if wc > 80:
        return None
    low = s.casefold()
    if ("cookie" in low or "куки" in low) and (wc <= 6 or _COOKIE_CONTEXT.search(low)):
        # "© Outlet. All rights reserved. Terms | Cookie settings" is the site's footer, links and all.
        if wc <= 25 and _COPYRIGHT.search(low) and not _COOKIE_BANNER.search(low):
            return "footer", "marker"
        return "cookie-notice", "marker"
    if ("browser" in low or "браузер" in low) and wc <= 60 and _BROWSER_CONTEXT.search(low):
        return "browser-warning", "marker"
    if wc > 40:
        return None
    key = low.strip(_EDGE_PUNCT)
    if wc <= 10:
        m = _HEADINGS.fullmatch(key)
        if m:
            return _HEADING_LABELS[m.lastgroup], "heading"
        if _TEASER_META.fullmatch(key):
            return "teasers", "meta"
        if key in _SHARE:
            return "share", "marker"
        if key in _ADS:
            return "advertisement", "marker"
        if agency_name(s):
            return "sign-off", "marker"
        if wc <= 8 and _BREADCRUMB.fullmatch(s):
            return "navigation", "nav"
    if _FOOTER.search(low) or _SELF_DESCRIPTION.match(s):
        return "footer", "marker"
    if _FOOTER_LINKS.search(low) and (wc <= 4 or (wc <= 30 and _LINK_SEPARATORS.search(s))):
        return "footer", "marker"
    if _CREDIT_SIGNOFF.match(low) and wc <= 30:
        return "sign-off", "marker"
    if _INLINE_RELATED.match(low):
        return "related-links", "inline-related"
    if _SOURCE_URL.match(low) or _BARE_URL.fullmatch(s):
        return "source-url", "marker"
    if wc <= 12 and _PRIVACY.search(low):
        return "cookie-notice", "marker"
    if wc <= 25 and (_SUBSCRIBE.match(low) or ("subscribe to" in low and wc <= 20)):
        return "subscribe", "marker"
    if wc <= 30 and _COMMENT_LINES.match(low):
        return "comments", "marker"
    if wc <= 25 and (_CAPTION.search(s) or (_CREDIT_TOKEN.search(s) and not s.endswith((".", "!", "?", '"', "”")))):
        return "photo-caption", "caption"
    return None


_INLINE_LABELS = frozenset({
    "cookie-notice", "browser-warning", "subscribe", "source-url", "share", "advertisement",
    "footer", "comments", "related-links",
})
# A thematic break: "---", "***", "___", "* * *", "———" on a line of its own.
_RULE = re.compile(r"^ {0,3}([-*_—–=])(?:[ \t]*\1){2,}[ \t]*$")
_LINK = re.compile(r"\]\([^)]*\)|https?://|www\.")
_EMPHASISED = re.compile(r"^\s*([*_]{1,3}).+\1\s*$")
_PROSE_END = re.compile(r"[.!?…][\"'”’»)]*$")
_FOOTER_MAX_WORDS = 60   # what follows a closing rule and is longer than this is article text
_FOOTER_MAX_LINES = 6
_TEASER_BUDGET = 2       # a teaser's summary line and its headline, above its "News" / "1 day ago"
_TOP_NAV_LINES = 5       # breadcrumbs only count among the first lines


def find_boilerplate(text: str, lines: Optional[list[Line]] = None) -> tuple[list[Region], int]:
    """``(regions, body_end)`` for ``text``: every boilerplate region and where the tail begins.

    ``body_end`` is ``len(text)`` when the text has no trailing boilerplate.
    The tail's regions cover ``text[body_end:]`` without gaps.
    """
    if lines is None:
        lines = split_lines(text)
    n = len(lines)
    classes: list[Optional[tuple[str, str]]] = [None] * n
    words_before = [0] * n
    nonblank: list[int] = []
    words = 0
    for i, line in enumerate(lines):
        words_before[i] = words
        if not line.text.strip():
            continue
        nonblank.append(i)
        classes[i] = classify_line(line.text)
        words += word_count(line.text)
    total_words = words

    # The first strong heading with a real body above it.
    start = n
    for i in nonblank:
        c = classes[i]
        if c and c[1] == "heading" and words_before[i] >= max(40, total_words // 5):
            start = i
            break

    # A closing rule with a short block under it that is not prose: a footer.
    rule = _closing_rule(lines, nonblank, classes, words_before)
    if rule is not None:
        classes[rule] = ("footer", "marker")
        start = min(start, rule)

    # Reach back over boilerplate that sits between the body and that heading.
    tail = start
    teaser_lines: set[int] = set()
    budget = 0
    j = start - 1
    while j >= 0:
        line = lines[j]
        if not line.text.strip():
            j -= 1
            continue
        c = classes[j]
        if c and c[1] == "meta":
            budget = _TEASER_BUDGET
            teaser_lines.add(j)
        elif c:
            budget = 0
        elif budget > 0 and word_count(line.text) <= 45:
            budget -= 1
            teaser_lines.add(j)
        else:
            break
        tail = j
        j -= 1

    # A text that is nothing but boilerplate-looking lines keeps all of it as body.
    if tail < n and not any(classes[i] is None for i in nonblank if i < tail):
        tail, teaser_lines = n, set()

    body_end = lines[tail].start if tail < n else len(text)
    regions: list[Region] = []

    for i in nonblank:
        if i >= tail:
            break
        c = classes[i]
        if not c:
            continue
        label, kind = c
        if kind == "caption":
            regions.append(Region(lines[i].start, lines[i].end, "photo-caption"))
        elif kind == "nav" and nonblank.index(i) < _TOP_NAV_LINES:
            regions.append(Region(lines[i].start, lines[i].end, "navigation"))
        elif kind in ("heading", "inline-related") or (kind == "marker" and label in _INLINE_LABELS):
            regions.append(Region(lines[i].start, lines[i].end, label))
    regions = _merge_adjacent(text, regions)

    if tail < n:
        regions.extend(_segment_tail(text, lines, classes, teaser_lines, tail))
    return regions, body_end


def _is_prose(raw: str) -> bool:
    """A line that reads as article text: a sentence of some length, without links or whole-line emphasis."""
    if _LINK.search(raw) or _EMPHASISED.match(raw):
        return False
    s = plain(raw)
    return word_count(s) >= 12 and bool(_PROSE_END.search(s))


def _closing_rule(lines, nonblank, classes, words_before) -> Optional[int]:
    """The line index of a last thematic break that only a short, non-prose footer follows."""
    for pos in range(len(nonblank) - 1, max(-1, len(nonblank) - _FOOTER_MAX_LINES - 2), -1):
        i = nonblank[pos]
        if not _RULE.match(lines[i].text):
            continue
        # "Text\n---" is a Markdown heading underline, not a break: a break stands apart.
        if i > 0 and lines[i - 1].text.strip():
            return None
        after = nonblank[pos + 1:]
        if words_before[i] < 40 or len(after) > _FOOTER_MAX_LINES:
            return None
        if sum(word_count(lines[j].text) for j in after) > _FOOTER_MAX_WORDS:
            return None
        if any(classes[j] is None and _is_prose(lines[j].text) for j in after):
            return None
        return i
    return None


def _merge_adjacent(text: str, regions: list[Region]) -> list[Region]:
    merged: list[Region] = []
    for r in regions:
        prev = merged[-1] if merged else None
        if prev and prev.label == r.label and not text[prev.end:r.start].strip():
            merged[-1] = Region(prev.start, r.end, r.label)
        else:
            merged.append(r)
    return merged


def _segment_tail(text, lines, classes, teaser_lines, tail) -> list[Region]:
    """Split the tail into consecutive labelled regions that tile it."""
    out: list[Region] = []
    current: Optional[str] = None
    start = lines[tail].start
    for i in range(tail, len(lines)):
        if not lines[i].text.strip():
            continue
        c = classes[i]
        if i in teaser_lines:
            label = "teasers"
        elif c and c[1] in ("heading", "marker", "inline-related"):
            label = c[0]
        else:
            label = current or "boilerplate"
        if label != current:
            if current is not None:
                out.append(Region(start, lines[i].start, current))
            current, start = label, lines[i].start
    if current is not None:
        out.append(Region(start, len(text), current))
    return out
