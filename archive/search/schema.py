"""The Whoosh schema of the search index and the fields users may name.

``SCHEMA_VERSION`` is written beside the index; an index built with another
version cannot be opened (:class:`~archive.errors.StoreError`) and is rebuilt
from the store by the facade.
"""
from __future__ import annotations

from whoosh.analysis import IDAnalyzer
from whoosh.fields import ID, TEXT, Schema

from .analysis import FastPositions, FastText, NameAnalyzer, PathAnalyzer, SkeletonAnalyzer, TextAnalyzer
from .dates import PublishedField

__all__ = [
    "SCHEMA_VERSION", "make_schema", "USER_FIELDS", "DEFAULT_FIELDS", "FIELD_BOOSTS",
    "SNIPPET_FIELDS", "NAMES_FIELD", "NAMES_BOOST",
]

# 2: positions without character ranges (snippets find words at query time).
# 3: array-packed posting blocks and positions (``codec``).
# 4: the ``names`` field (name skeletons across scripts and spellings) and
#    unstemmed Cyrillic names mid-sentence (``analysis.proper_term``).
SCHEMA_VERSION = 4

# Fields a query may name, in the order the error message lists them.
USER_FIELDS = ("title", "outlet", "author", "lang", "path", "published", "body")
# Words without a field search these; page boilerplate counts a tenth, so an
# article that names a word only in its "Related articles" tail ranks below
# articles about it.
DEFAULT_FIELDS = ("title", "body", "boilerplate")
FIELD_BOOSTS = {"title": 2.0, "body": 1.0, "boilerplate": 0.1}
SNIPPET_FIELDS = ("body", "boilerplate", "title")
# Name skeletons of the title and text (``names``); capitalised query words
# also search it, so "Zhilin" finds "Жилина" (see ``query``). Counted a
# little below an exact word, which ranks the spelling the user typed first.
NAMES_FIELD = "names"
NAMES_BOOST = 0.8


def _text(stored: bool = True) -> TEXT:
    field = FastText(analyzer=TextAnalyzer(), stored=stored, multitoken_query="phrase")
    field.format = FastPositions(field_boost=field.format.field_boost)
    return field


def _words(analyzer, stored: bool) -> TEXT:
    """A field of names or path parts: whole words, positions stored as arrays."""
    field = TEXT(analyzer=analyzer, stored=stored, multitoken_query="phrase")
    field.format = FastPositions(field_boost=field.format.field_boost)
    return field


def _names() -> TEXT:
    field = FastText(analyzer=SkeletonAnalyzer(), stored=False, multitoken_query="phrase")
    field.format = FastPositions(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
    """A fresh schema instance (Whoosh pickles it into the index)."""
    return Schema(
        article_id=ID(stored=True, unique=True, sortable=True),
        path=_words(PathAnalyzer(), stored=True),
        title=_text(),
        outlet=_words(NameAnalyzer(), stored=True),
        author=_words(NameAnalyzer(), stored=False),
        lang=ID(analyzer=IDAnalyzer(lowercase=True)),
        published=PublishedField(),
        body=_text(),
        boilerplate=_text(),
        names=_names(),
    )
