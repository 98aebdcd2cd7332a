"""One regex for many literal words, shaped as a trie.

Python's regex engine tries the branches of ``a|b|c`` one by one at every
position of the text, so a pattern of a few hundred words costs a few hundred
comparisons per character. Sharing prefixes (``detain|deport`` ->
``de(?:tain|port)``) leaves one comparison per character in most places,
which made the legal trigger scan about five times faster.

    >>> trie_regex(["detain", "deport", "de"])
    'de(?:(?:port|tain))?'

The pattern matches exactly the given words, the longest one first where
several match at the same position (like an alternation sorted by length).
"""
from __future__ import annotations

import re
from typing import Iterable

__all__ = ["trie_regex"]


def trie_regex(words: Iterable[str]) -> str:
    """A regex source matching any of ``words`` (literally), longest first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return _emit(trie)


def _emit(node: dict) -> str:
    branches = [re.escape(ch) + _emit(sub) for ch, sub in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if "" in node else body
