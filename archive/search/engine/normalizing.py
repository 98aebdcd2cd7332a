"""Whoosh's ``Query.normalize()``, without its rule for ``Every``.

Whoosh 2.7.5's compound queries simplify themselves on ``normalize()``
(nested ANDs and ORs merged, duplicates, empty parts and one-part compounds
dropped, overlapping ranges merged), and with one more rule: a compound
holding ``Every("f")`` (``f:*``) drops every other part in field ``f``, and
one holding the unfielded ``Every()`` becomes ``Every()``. Right for an
OR's matches, wrong for an AND: ``title:* title:court`` became
``title:*``, every article with a title. (An OR's parts in ``f`` are kept
too: they add to its score.)

:func:`normalize` hides every ``Every`` (and the ``*`` wildcard that
Whoosh turns into one) from Whoosh's rule behind a stand-in, normalizes,
and puts them back.
"""
from __future__ import annotations

from whoosh import query as wq

__all__ = ["normalize"]


class _KeptEvery(wq.Query):
    """Stands in for an ``Every`` during :func:`normalize`: a query of no single field."""

    def __init__(self, every: wq.Every) -> None:
        self.every = every

    @property
    def boost(self) -> float:
        return self.every.boost

    def __eq__(self, other) -> bool:
        return type(other) is _KeptEvery and other.every == self.every

    def __hash__(self) -> int:
        return hash((_KeptEvery, self.every))

    def __repr__(self) -> str:
        return f"_KeptEvery({self.every!r})"

    def field(self):
        return None

    def with_boost(self, boost: float) -> "_KeptEvery":
        return _KeptEvery(self.every.with_boost(boost))

    def normalize(self) -> "_KeptEvery":
        return self


def _hide(node):
    if type(node) is wq.Wildcard and node.text == "*":
        return _KeptEvery(wq.Every(node.fieldname, boost=node.boost))
    if type(node) is wq.Every:
        return _KeptEvery(node)
    return node


def _restore(node):
    return node.every if type(node) is _KeptEvery else node


def normalize(q: wq.Query) -> wq.Query:
    """``q.normalize()``, except that no part is dropped for an ``Every`` beside it."""
    return q.accept(_hide).normalize().accept(_restore)
