"""How values look on screen: partial dates, fact values, article lines.

Pure functions (no Qt) so they are easy to test. They only present what the
core decided; they never reinterpret it.

    >>> human_date("2022-12-06")
    '6 Dec 2022'
    >>> human_date("2022-12", qualifier="late")
    'Dec 2022 (late)'
    >>> human_date("XXXX-12-06")
    '6 Dec (year unknown)'
"""
from __future__ import annotations

from archive.errors import InvalidInput
from archive.markup import display_text
from archive.partial_date import human_range, parse_range

__all__ = ["human_date", "fact_display", "article_line", "short_date"]

def human_date(value: str | None, qualifier: str | None = None, approximate: bool = False) -> str:
    """An ISO partial date or range as people write it; '' for None.

    The core's short form (``PartialDate.human``); a range of days in one
    month reads ``5–7 Dec 2022``, as the text it came from would write it.
    A value that is no date is shown as it is.
    """
    if not value:
        return ""
    try:
        start, end = parse_range(value)
    except InvalidInput:
        text = value
    else:
        text = human_range(start, end, join_days=True)
    if qualifier:
        text += f" ({qualifier})"
    if approximate:
        text = "c. " + text
    return text


def short_date(value: str | None) -> str:
    """An article's publication date for a list column ('' when unknown)."""
    return human_date(value) if value else ""


def fact_display(fact) -> str:
    """The normalized value of a fact, ready for the facts panel."""
    extra = fact.extra or {}
    if fact.kind == "date":
        return human_date(fact.value, extra.get("qualifier"), bool(extra.get("approximate")))
    if fact.kind == "quantity":
        unit = extra.get("unit") or extra.get("counted") or ""
        return f"{fact.value} {unit}".strip()
    if fact.kind == "legal":
        kind, _, name = fact.value.partition(":")
        label = name.replace("_", " ").replace("-", " ") if name else kind
        return f"{label} ({kind})" if name else label
    if fact.kind == "quote":
        speaker = fact.value or "unattributed"
        return f"\u201c{_clip(display_text(fact.text), 60)}\u201d \u2014 {speaker}"
    return fact.value or fact.text


def article_line(article) -> str:
    """'Outlet · 6 Dec 2022 · Author' for headers and tooltips."""
    bits = [article.outlet or "", human_date(article.published), article.author or ""]
    return " \u00b7 ".join(b for b in bits if b)


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"
