"""The Whoosh names the search engine relies on are all there, and all listed.

``archive.search.engine.contract.REGISTRY`` lists every private or internal
Whoosh name the engine uses. These tests fail, naming the symbol, when the
installed Whoosh lacks one or changed its parameters (checked on a small
real index for names that only live objects have); when the engine's
source uses such a name without listing it, or lists one it no longer
uses; and when a module outside the engine uses Whoosh internals.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

from archive.search import IndexDoc, SearchIndex
from archive.search.engine import contract, segments
from archive.search.engine.codec import FastCodec
from archive.search.engine.phrases import FastPhrase
from archive.search.query import make_parser

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "archive" / "search" / "engine"


def _sources(paths) -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(paths)}


def _engine_sources() -> dict[str, str]:
    # The contract module names Whoosh's internals only as strings, to check them.
    return _sources(p for p in ENGINE.glob("*.py") if p.name != "contract.py")


def _outside_sources() -> dict[str, str]:
    paths = [p for d in ("archive", "desktop") for p in (ROOT / d).rglob("*.py")]
    return _sources(p for p in paths if ENGINE not in p.parents)


@pytest.fixture(scope="module")
def names():
    """(Casefile's own private names, Whoosh's private names)."""
    everything = _sources(p for d in ("archive", "desktop") for p in (ROOT / d).rglob("*.py"))
    return contract.casefile_names(everything), contract.whoosh_private_names()


def _doc(article_id: int, body: str) -> IndexDoc:
    return IndexDoc(article_id, f"/reports/{article_id}.txt", None, None, None, "en", "2022-12", body, "")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """Live Whoosh objects of a small index (three segments, a deletion), by registry owner."""
    found: dict[str, list] = {}

    def keep(owner: str, obj) -> None:
        found.setdefault(owner, []).append(obj)

    ix = SearchIndex.create(tmp_path_factory.mktemp("contract") / "index")
    # The writers Whoosh makes while committing are caught on their way out of the codec.
    with pytest.MonkeyPatch.context() as mp:
        postings_writer, field_writer = FastCodec.postings_writer, FastCodec.field_writer

        def spy_postings(self, *args, **kwargs):
            keep("whoosh.codec.whoosh3.W3Codec", self)
            w = postings_writer(self, *args, **kwargs)
            keep("whoosh.codec.whoosh3.W3PostingsWriter", w)
            return w

        def spy_fields(self, *args, **kwargs):
            w = field_writer(self, *args, **kwargs)
            keep("whoosh.codec.whoosh3.W3FieldWriter", w)
            return w

        mp.setattr(FastCodec, "postings_writer", spy_postings)
        mp.setattr(FastCodec, "field_writer", spy_fields)
        ix.update([_doc(i, f"court appeal hearing number{i}") for i in range(1, 6)], new=True)
        ix.update([_doc(i, "court appeal lawyer") for i in range(6, 9)], new=True)
        ix.update([_doc(9, "court appeal")], new=True)
        ix.update(delete_ids=[2])

    s = ix._get_searcher()
    keep("whoosh.searching.Searcher", s)
    keep("whoosh.scoring.BM25F", s.weighting)
    leaf = next(leaf for leaf, _ in s.reader().leaf_readers() if leaf.has_deletions())
    keep("whoosh.reading.SegmentReader", leaf)
    m = leaf.postings("body", b"court")
    assert isinstance(m, FilterMatcher)
    keep("whoosh.matching.wrappers.FilterMatcher", m)
    keep("whoosh.codec.whoosh3.W3LeafMatcher", m.child)
    keep("whoosh.codec.whoosh3.W3TermInfo", leaf.term_info("body", b"court"))
    keep("whoosh.columns.FixedBytesColumn.Reader",
         leaf._perdoc._cached_reader(whoosh3._lenfield("body"), LENGTHS_COLUMN))
    keep("whoosh.query.spans.SpanNear2.SpanNear2Matcher", FastPhrase("body", ["court", "appeal"]).matcher(s))
    tree = make_parser(ix._ix.schema).process("court~2")
    keep("whoosh.qparser.plugins.FuzzyTermPlugin.FuzzyTermNode",
         next(n for n in _walk(tree) if contract.resolve("whoosh.qparser.plugins.FuzzyTermPlugin.FuzzyTermNode")
              is type(n)))
    keep("whoosh.index.TOC", ix._ix._read_toc())
    writer = segments.unlocked_writer(ix._ix, limitmb=16)
    writer.add_document(article_id="99", path="x", body="court")
    keep("whoosh.searching.Searcher", writer.searcher())  # the writer's, with its _orig_close
    keep("whoosh.writing.SegmentWriter", writer)
    yield found
    segments.drop_writer(writer)
    ix.close()


def _walk(node):
    yield node
    for child in getattr(node, "nodes", ()) or ():
        yield from _walk(child)


def test_every_registered_name_is_in_the_installed_whoosh(live):
    problems = contract.check_registry(live)
    assert not problems, "Whoosh lacks or changed names the engine uses:\n" + "\n".join(problems)


def test_the_live_objects_are_of_their_owners(live):
    # A probe of the wrong kind would check the wrong object's attributes.
    for owner, objects in live.items():
        cls = contract.resolve(owner)
        assert all(isinstance(o, cls) for o in objects), owner


def test_the_engine_uses_no_unregistered_private_name(names):
    own, whoosh_names = names
    problems = contract.scan_engine(_engine_sources(), own, whoosh_names)
    assert not problems, "register these in archive/search/engine/contract.py:\n" + "\n".join(problems)


def test_the_registry_lists_only_names_the_engine_uses():
    unused = contract.unused_entries(_engine_sources())
    assert not unused, "the engine no longer uses: " + ", ".join(unused)


def test_nothing_outside_the_engine_touches_whoosh_internals(names):
    own, whoosh_names = names
    problems = contract.scan_outside(_outside_sources(), own, whoosh_names)
    assert not problems, "move these into archive/search/engine:\n" + "\n".join(problems)


def test_the_scanners_see_real_code():
    # So an empty scan cannot pass: the engine does use private names, and they are found.
    uses = {name for text in _engine_sources().values()
            for _line, _col, name, _what in contract.private_uses(__import__("ast").parse(text))}
    assert {"_ids", "_read_data", "_postfile", "_lk", "whoosh.codec.whoosh3._lenfield"} <= uses


# ---------------------------------------------------------------- the checks can fail

def test_a_removed_method_is_reported_by_its_symbol(live, monkeypatch):
    monkeypatch.delattr(W3LeafMatcher, "_read_weights")
    assert contract.check_registry(live) == ["whoosh.codec.whoosh3.W3LeafMatcher._read_weights: missing"]


def test_a_removed_instance_attribute_is_reported_by_its_symbol(live, monkeypatch):
    (matcher,) = live["whoosh.codec.whoosh3.W3LeafMatcher"]
    monkeypatch.delattr(matcher, "_startoffset")
    assert contract.check_registry(live) == [
        "whoosh.codec.whoosh3.W3LeafMatcher._startoffset: missing on a live LeafMatcher object"
    ]


def test_a_changed_signature_is_reported_by_its_symbol(live, monkeypatch):
    monkeypatch.setattr(whoosh3, "_lenfield", lambda name, prefix="_": f"{prefix}{name}")
    assert contract.check_registry(live) == [
        "whoosh.codec.whoosh3._lenfield: parameters changed, expected ('fieldname',), found ('name', 'prefix')"
    ]


def test_a_lost_pattern_group_is_reported_by_its_symbol(live, monkeypatch):
    import re

    from whoosh.qparser.plugins import FuzzyTermPlugin

    monkeypatch.setattr(FuzzyTermPlugin, "expr", re.compile(r"~(?P<maxdist>[0-9])?"))
    assert contract.check_registry(live) == [
        "whoosh.qparser.plugins.FuzzyTermPlugin.expr: pattern lost its group(s) prefix"
    ]


def test_an_unregistered_private_access_in_the_engine_is_reported(names):
    own, whoosh_names = names
    source = (
        "from whoosh.codec.whoosh3 import W3LeafMatcher, W3FieldCursor\n"
        "from whoosh.query import Term\n"
        "\n"
        "def skip(m, ix):\n"
        "    m._skip_to_block(lambda: True)\n"
        "    m._read_ids()\n"
        "    return getattr(ix, '_segments')()\n"
    )
    assert contract.scan_engine({"snippet.py": source}, own, whoosh_names) == [
        "snippet.py:1: import whoosh.codec.whoosh3.W3FieldCursor is not in the registry",
        "snippet.py:5: attribute _skip_to_block is Whoosh-private and not in the registry",
    ]


def test_a_name_both_define_must_be_registered_in_the_engine(names):
    own, whoosh_names = names
    # SearchIndex._ix is Casefile's, Searcher._ix is Whoosh's: in the engine it cannot pass unlisted.
    assert "_ix" in own and "_ix" in whoosh_names
    assert contract.scan_engine({"snippet.py": "def f(s):\n    return s._ix\n"}, own, whoosh_names) == [
        "snippet.py:2: attribute _ix is Whoosh-private and not in the registry "
        "(Casefile defines it too: register it or rename Casefile's)"
    ]


def test_whoosh_internals_outside_the_engine_are_reported(names):
    own, whoosh_names = names
    source = (
        "from whoosh.codec.whoosh3 import _lenfield\n"
        "from whoosh import writing\n"
        "from whoosh.query import Term\n"
        "\n"
        "def f(index, ix):\n"
        "    w = writing.SegmentWriter(ix, _lk=False)\n"
        "    return index._ix, ix._segments(), Term('body', 'x')\n"
    )
    assert contract.scan_outside({"snippet.py": source}, own, whoosh_names) == [
        "snippet.py:1: import whoosh.codec.whoosh3._lenfield is Whoosh-internal; call archive.search.engine",
        "snippet.py:6: whoosh attribute whoosh.writing.SegmentWriter is Whoosh-internal; call archive.search.engine",
        "snippet.py:6: keyword _lk is Whoosh-private; call archive.search.engine",
        "snippet.py:7: attribute _segments is Whoosh-private; call archive.search.engine",
    ]


def test_an_unused_entry_is_reported():
    extra = contract.Private("whoosh.codec.whoosh3.W3LeafMatcher", "_skip_to_block")
    assert contract.unused_entries(_engine_sources(), contract.REGISTRY + (extra,)) == [
        "whoosh.codec.whoosh3.W3LeafMatcher._skip_to_block"
    ]
