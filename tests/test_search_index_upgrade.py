"""An index written by an earlier Casefile opens after an upgrade, without a rebuild.

Whoosh pickles each segment's codec, and the schema's field types, into the
index's table of contents by module path. Moving one of those modules would
make every user's index unreadable (the archive would then rebuild it, which
takes minutes for a big archive).
"""
from __future__ import annotations

import re
import sys

import pytest

from archive.errors import StoreError
from archive.search import IndexDoc, SearchIndex
from archive.search.engine import codec

DOCS = [IndexDoc(i, f"{i}.txt", f"Report {i}", "Outlet", None, "en", "2022-12-0%d" % i,
                 f"The court heard the appeal of case {i}.", "") for i in range(1, 4)]


def _toc_modules(folder) -> set[str]:
    toc = next(folder.glob("_MAIN_*.toc")).read_bytes()
    return {m.decode() for m in re.findall(rb"archive(?:\.[a-z_]+)+", toc)}


def test_the_modules_an_index_names_are_the_ones_kept_stable(tmp_path):
    with SearchIndex.create(tmp_path / "ix") as ix:
        ix.update(DOCS)
    # Renaming or moving any of these breaks the indexes users already have:
    # add the old path to the module's list of former names when you do.
    assert _toc_modules(tmp_path / "ix") == {
        "archive.search.analysis", "archive.search.dates", "archive.search.engine.codec"}


def test_an_index_naming_the_codec_by_its_former_path_opens_and_answers(tmp_path, monkeypatch):
    # Write the table of contents as Casefile did before the codec moved into engine/.
    with monkeypatch.context() as m:
        m.setattr(codec.FastCodec, "__module__", "archive.search.codec")
        with SearchIndex.create(tmp_path / "ix") as ix:
            ix.update(DOCS)
    assert "archive.search.codec" in _toc_modules(tmp_path / "ix")
    # Without the former name the index cannot be read: the alias is what opens it.
    with monkeypatch.context() as m:
        m.delitem(sys.modules, "archive.search.codec")
        with pytest.raises(StoreError, match="archive.search.codec"):
            SearchIndex.open(tmp_path / "ix")
    with SearchIndex.open(tmp_path / "ix") as ix:
        result = ix.search("appeal")
        assert result.total == 3 and {h.article_id for h in result.hits} == {1, 2, 3}
        ix.update([IndexDoc(4, "4.txt", "Report 4", None, None, "en", None, "A new appeal.", "")])
        assert ix.search("appeal").total == 4
    # Written again, the table of contents names the codec where it is now.
    assert "archive.search.codec" not in _toc_modules(tmp_path / "ix")
