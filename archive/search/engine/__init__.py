"""Everything of the search index that relies on Whoosh beyond its documented API.

Whoosh-Reloaded 2.7.5 is no longer maintained; the speed of Casefile's
search comes from reaching into it (its posting files, matchers, segment
writer). That code lives here, and only here, so an upgrade or a
replacement of Whoosh has one folder to read, and
:mod:`.contract` lists every such name, checked by
``tests/test_whoosh_contract.py``.

What counts as private (allowed only in this package, each name registered
in :data:`.contract.REGISTRY`):

* any Whoosh name with a leading underscore: module functions
  (``whoosh3._lenfield``), methods (``W3LeafMatcher._read_ids``,
  ``SegmentWriter._finalize_segment``, ``MultiTerm._btexts``), attributes
  of live objects (a matcher's ``._ids``, a reader's ``._perdoc``, a
  writer's ``._added``), private keyword arguments (``_lk=False``);
* anything in Whoosh modules outside its documented API:
  ``whoosh.codec.whoosh3`` (the W3 codec classes, ``LENGTHS_COLUMN``),
  ``whoosh.matching.wrappers`` (``FilterMatcher``), ``whoosh.util`` and
  ``whoosh.support``;
* named internals of documented modules: ``SegmentWriter`` and its
  commit steps, ``TOC`` and ``clean_files`` (``whoosh.index``), the span
  matcher ``SpanNear2.SpanNear2Matcher``, the fuzzy-word parser node
  ``FuzzyTermPlugin.FuzzyTermNode`` with its attributes and its tagger's
  pattern groups, and instance attributes that Whoosh never documents
  (``Searcher.subsearchers``, ``FilterMatcher.child``,
  ``SegmentReader.deleted_docs_set``).

What the rest of :mod:`archive.search` may use (Whoosh's documented API):
the query classes of ``whoosh.query`` (building them, ``normalize``,
``accept``, ``children``, ``matcher`` and subclassing them as queries),
the field types, formats and analyzers of ``whoosh.fields``,
``whoosh.formats``, ``whoosh.analysis``, ``whoosh.columns`` (subclassing
them through their public methods such as ``FieldType.index`` or
``Format.word_values``), ``whoosh.lang`` stemmers, the query parser and
its plugins as plugins (``QueryParser``, ``add_plugin``, a plugin's
``filters``, the syntax nodes of ``whoosh.qparser.syntax`` and their
methods), ``whoosh.index`` (``open_dir``, ``create_index``, ``LockError``),
``whoosh.filedb.filestore`` storages, an index's ``writer()`` (with a
``codec``) and ``searcher()``, writers' public methods (``add_document``,
``delete_document``, ``add_reader``, ``commit`` with a merge policy,
``cancel``), ``SegmentReader(storage, schema, segment)`` in a merge policy
as Whoosh's own policies do, readers' and searchers' public methods
(``leaf_readers``, ``postings``, ``lexicon``, ``search``, ``refresh``,
``up_to_date``...), segments' ``segment_id`` / ``deleted_count`` and the
matcher protocol (``is_active``, ``id``, ``next``, ``skip_to``, ``score``,
``all_ids``), the sorting facets and ``whoosh.writing.CLEAR``.

Modules: :mod:`.codec` (the posting-block format), :mod:`.fastpath` (array
scoring, exact totals and the date order), :mod:`.phrases` (the phrase
query and matcher), :mod:`.lexicon` (wildcard and fuzzy expansion),
:mod:`.parsing` (the fuzzy-word parser node), :mod:`.segments` (segment
commits for writer processes, searcher refresh), :mod:`.fallback` (Whoosh's
own search for the rest, without deleted documents or pruning),
:mod:`.normalizing` (Whoosh's query normalization, keeping the parts beside
``f:*``), :mod:`.contract` (the registry and its checks). This package imports nothing at package level.
"""
