"""Keeping the store, the search index and the facts in step with the source folders.

One run over a folder (:func:`archive.indexing.run.index_folder`):

1. walk the folder (not hidden folders, not the archive's own folder) and
   sort files into supported and skipped (:mod:`.scan`);
2. hash each file (sha256) and compare with the store: new, changed,
   unchanged; stored articles whose file is gone are removed, unless the same
   content turned up under another path (a move keeps the article's id, so
   facts and timeline citations stay attached);
3. read new and changed files; a file that cannot be read becomes a
   ``Problem`` and the run goes on;
4. store in batches (``run.BATCH_FILES`` files or ``run.BATCH_SECONDS``,
   whichever comes first) and index them as search documents
   (:mod:`.documents`) through a feed that commits in growing batches
   (:mod:`.feed`): the first batch is searchable within seconds. A cancel
   commits what the store holds to the index and keeps whole store batches
   only. ``meta.index_pending`` is set inside the store transaction and
   cleared after the index commit that covers it: if the process dies in
   between, the next ``Archive.open`` sees it (:mod:`.stale`) and the index is
   rebuilt from the store (:func:`.run.rebuild_index`, :mod:`.repair`);
5. complete year-less publication dates from the case (:mod:`.inferred_dates`);
6. extract facts for articles whose extraction inputs changed (cached by
   hash), then merge entity names archive-wide (:mod:`.fact_pass`).

``arc`` in these modules is the open ``archive.archive.Archive``. Its class is
not imported, not even for type checkers: that module imports these, and
tests/test_import_graph.py keeps archive/ free of import cycles.
"""
