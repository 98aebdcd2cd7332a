"""What a search query can say, in one table: F1's help and the search field's tooltip.

The rows follow the README's "Search syntax" table (a test keeps the two in step).
"""
from __future__ import annotations

import html

__all__ = ["SYNTAX", "help_html", "help_text"]

# (examples as typed, what they find)
SYNTAX: tuple[tuple[tuple[str, ...], str], ...] = (
    (("deported protest",),
     "both words, in any form (deported also finds deport, deportation); Russian words are stemmed too"),
    (('"refugee status"',), "the exact phrase"),
    (('(deported OR expelled) AND Kazakhstan NOT "press release"',),
     "boolean operators, in capitals, with parentheses"),
    (("title:mobilization", "outlet:reuters", 'author:"Jane Doe"', "lang:ru", "path:interviews", "body:draft"),
     "one field"),
    (("deport*", "organi?ation"), "wildcards: * any letters, ? one letter"),
    (("Brannick~", "Brannick~2"),
     "fuzzy: one or two letters off (the first two letters must match; ~1/0 lifts that)"),
    (("published:2022-12", "published:[2022-12-01 TO 2022-12-31]", "published:>=2022-12-10"),
     "publication dates; an article dated only 2022-12 is found by a December range"),
    (("Zhilin", "Жилин", "Yekaterina"),
     "a word typed with a capital is also a name, in either script and its usual spellings "
     "(Zhilin finds Жилин; Ekaterina and Yekaterina find the same articles); in lowercase, "
     "or as body:Zhilin, it is matched as written"),
)

_KEYS = ("In the search field Up/Down move through the results and Enter opens one; "
         "in the article F3 and Shift+F3 go to the next and previous match.")


def help_html() -> str:
    """The F1 help: a two-column table of examples and what they find."""
    rows = []
    for examples, meaning in SYNTAX:
        typed = "<br>".join(f"<code>{html.escape(e)}</code>" for e in examples)
        rows.append(f"<tr><td style='padding:2px 12px 2px 0'>{typed}</td>"
                    f"<td style='padding:2px 0'>{html.escape(meaning)}</td></tr>")
    return ("<table cellspacing='0'><tr><th align='left'>you type</th><th align='left'>it finds</th></tr>"
            + "".join(rows) + f"</table><p>{html.escape(_KEYS)}</p>")


def help_text() -> str:
    """The same, as plain lines (the search field's tooltip)."""
    return "\n".join(f"{'   '.join(examples)}  \u2014 {meaning}" for examples, meaning in SYNTAX)
