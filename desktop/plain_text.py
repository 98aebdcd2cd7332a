"""User text shown in Qt widgets that guess rich text.

A ``QLabel`` in its default mode, a tooltip and a ``QMessageBox`` render a
string as HTML when it *looks* like HTML (``Qt::mightBeRichText``). A title,
quote or note a user wrote (or an imported CSV or article carried) can
start with ``<b>`` or hold an ``<img src=...>``; shown that way it would be
restyled, load an image, or hide part of itself. These helpers make such
text display literally.

    >>> label.setText("<b>Sources</b> of " + html_text(event.title))
    >>> item.setToolTip(plain_tooltip(citation.quote))
"""
from __future__ import annotations

import html

__all__ = ["html_text", "plain_tooltip"]


def html_text(text: str) -> str:
    """``text`` escaped for a rich-text string (``<``, ``>``, ``&`` and quotes)."""
    return html.escape(text or "", quote=True)


def plain_tooltip(text: str) -> str:
    """A tooltip string that shows ``text`` literally, line breaks kept.

    Tooltips have no plain-text mode, so the text is escaped and wrapped in a
    paragraph (always rich text, never guessed) that keeps white space.
    """
    return "<p style='white-space:pre-wrap'>" + html_text(text) + "</p>"
