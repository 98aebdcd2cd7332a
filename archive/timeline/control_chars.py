"""Control characters in user text, made visible before an export writes it.

A NUL or another C0 control character in a title or quote (pasted from a
PDF, or carried by an imported file) makes tools treat a Markdown or CSV
export as a binary file (``grep``, ``git diff`` and editors refuse it) and
some spreadsheets cut the cell there. Exports show each one as its Unicode
"control picture" (U+2400 block: NUL becomes ␀), so nothing is lost silently
and the file stays text. Tab, line feed and carriage return are kept.

    >>> visible_controls("a\\x00b")
    'a␀b'
"""
from __future__ import annotations

import re

__all__ = ["visible_controls"]

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _picture(m: re.Match) -> str:
    code = ord(m.group(0))
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def visible_controls(text: str) -> str:
    """``text`` with control characters other than tab and line breaks replaced by their pictures."""
    return _CONTROLS.sub(_picture, text) if text else text
