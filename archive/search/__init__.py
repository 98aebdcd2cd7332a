"""The full-text search index: Whoosh schema, analysis, query language, snippets.

See :mod:`archive.search.query` for the query language users type, and
:mod:`archive.search.engine` for the code that relies on Whoosh's internals.
"""
from .index import SORTS, IndexDoc, IndexSession, SearchIndex

__all__ = ["IndexDoc", "IndexSession", "SearchIndex", "SORTS"]
