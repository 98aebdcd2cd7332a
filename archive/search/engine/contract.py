"""Every Whoosh name the engine uses beyond Whoosh's documented API, and the checks that keep it so.

:data:`REGISTRY` lists each private or internal Whoosh name the modules of
:mod:`archive.search.engine` use, with its owner (a Whoosh module or class)
and, for a callable that the engine calls or overrides, its parameter
names. ``tests/test_whoosh_contract.py`` holds the list to the installed
Whoosh (:func:`check_registry`, with live objects of a small real index for
the names that exist only on instances) and to the source
(:func:`scan_engine`, :func:`scan_outside`, :func:`unused_entries`), so a
Whoosh upgrade that drops or changes a name fails naming it, and the list
cannot fall behind the code.

What the scanners see (from the source, with ``ast``):

* an attribute whose name starts with one underscore (``m._ids``), also
  through ``getattr``/``hasattr``/``setattr``/``delattr`` with a constant
  name, and a keyword argument so named (``_lk=False``);
* an import of such a name from Whoosh, an import from one of
  :data:`INTERNAL_MODULES`, and an import (or an attribute of an imported
  Whoosh module or class) named in :data:`INTERNAL_NAMES`.

An underscore attribute is Whoosh's when Whoosh's source uses the name
(:func:`whoosh_private_names`) and Casefile defines it nowhere but in
subclasses of Whoosh classes (:func:`casefile_names`); a name both define
(``_ix`` is Casefile's ``SearchIndex._ix`` and Whoosh's ``Searcher._ix``)
counts as Whoosh's inside the engine, so the engine registers it or leaves
it alone, and as Casefile's outside, where only Whoosh-only names are
reported. Internal names without an underscore on live objects
(``Searcher.subsearchers``, ``FilterMatcher.child``) cannot be told from
public ones by their spelling: they are registered by hand, and
:func:`unused_entries` keeps every entry used.
"""
from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Optional

__all__ = ["Private", "REGISTRY", "INTERNAL_MODULES", "INTERNAL_NAMES", "resolve", "check_registry",
           "private_uses", "whoosh_private_names", "casefile_names", "scan_engine", "scan_outside",
           "unused_entries"]


@dataclass(frozen=True)
class Private:
    """One Whoosh name the engine relies on.

    ``owner`` is a dotted path to a Whoosh module or class (nested classes
    too). ``live``: the name exists only on instances (set in methods), so
    it is checked on live objects of ``owner``. ``params``: the parameter
    names (without ``self``) of a callable the engine calls or overrides.
    ``groups``: named groups the owner's compiled pattern attribute must have.
    """
    owner: str
    name: str
    live: bool = False
    params: Optional[tuple[str, ...]] = None
    groups: Optional[tuple[str, ...]] = None

    @property
    def symbol(self) -> str:
        return f"{self.owner}.{self.name}"


def _attrs(owner: str, *names: str, live: bool = False) -> tuple[Private, ...]:
    return tuple(Private(owner, n, live=live) for n in names)


def _calls(owner: str, **signatures: tuple[str, ...]) -> tuple[Private, ...]:
    return tuple(Private(owner, n, params=p) for n, p in signatures.items())


_W3 = "whoosh.codec.whoosh3"
_POSTINGS_WRITER = f"{_W3}.W3PostingsWriter"
_LEAF_MATCHER = f"{_W3}.W3LeafMatcher"
_FIELD_WRITER = f"{_W3}.W3FieldWriter"
_TERM_INFO = f"{_W3}.W3TermInfo"
_SEGMENT_WRITER = "whoosh.writing.SegmentWriter"
_SPAN_MATCHER = "whoosh.query.spans.SpanNear2.SpanNear2Matcher"
_FUZZY_NODE = "whoosh.qparser.plugins.FuzzyTermPlugin.FuzzyTermNode"

REGISTRY: tuple[Private, ...] = (
    # codec: the W3 files, with Casefile's own block data (engine/codec.py)
    *_attrs(_W3, "W3Codec", "W3FieldWriter", "W3LeafMatcher", "W3PostingsWriter",
            "WHOOSH3_HEADER_MAGIC", "LENGTHS_COLUMN"),
    *_calls(_W3, _lenfield=("fieldname",), length_to_byte=("length",)),
    *_calls(f"{_W3}.W3Codec", __init__=("blocklimit", "compression", "inlinelimit"),
            field_writer=("storage", "segment"), postings_writer=("dbfile", "byteids"),
            postings_reader=("dbfile", "terminfo", "format_", "term", "scorer")),
    *_attrs(f"{_W3}.W3Codec", "_blocklimit", "_compression", "_inlinelimit", live=True),
    *_calls(_POSTINGS_WRITER, __init__=("postfile", "blocklimit", "byteids", "compression", "inlinelimit"),
            _write_block=("last",), _new_block=()),
    *_attrs(_POSTINGS_WRITER, "_byteids", "_blockcount", "_postfile", "_ids", "_weights", "_values",
            "_minlength", "_maxlength", "_maxweight", "_terminfo", "_format", "_compression",
            "_blocklimit", live=True),
    *_attrs(_TERM_INFO, "_weight", "_df", "_minlength", "_maxlength", "_maxweight", "_minid", "_maxid",
            live=True),
    *_calls(_TERM_INFO, is_inlined=(), inlined_postings=(), extent=()),
    *_calls(_FIELD_WRITER, __init__=("codec", "storage", "segment"), add_postings=("schema", "lengths", "items"),
            start_field=("fieldname", "fieldobj"), start_term=("btext",), finish_term=(), finish_field=()),
    *_attrs(_FIELD_WRITER, "_postwriter", live=True),
    *_calls(_LEAF_MATCHER, __init__=("postfile", "startoffset", "length", "format_", "term", "byteids", "scorer"),
            _read_data=(), _read_ids=(), _read_weights=(), _read_values=()),
    *_attrs(_LEAF_MATCHER, "_postfile", "_startoffset", "_length", "_data", "_dataoffset", "_nextoffset",
            "_blocklength", "_ids", "_weights", "_values", live=True),
    # fastpath: reading postings, lengths and deletions directly
    *_calls("whoosh.util.numeric", byte_to_length=("key",)),
    *_attrs("whoosh.matching.wrappers", "FilterMatcher"),
    *_attrs("whoosh.matching.wrappers.FilterMatcher", "child", live=True),
    *_attrs("whoosh.searching.Searcher", "subsearchers", live=True),
    *_attrs("whoosh.reading.SegmentReader", "deleted_docs_set"),
    *_attrs("whoosh.reading.SegmentReader", "_perdoc", live=True),
    *_calls(f"{_W3}.W3PerDocReader", _cached_reader=("fieldname", "column")),
    *_attrs("whoosh.columns.FixedBytesColumn.Reader", "_count", "_fixedlen", "_dbfile", "_basepos", live=True),
    *_attrs("whoosh.scoring.BM25F", "_field_B", live=True),
    # phrases: Whoosh's span matcher with its span test replaced
    *_attrs("whoosh.query.spans.SpanNear2", "SpanNear2Matcher"),
    *_calls(_SPAN_MATCHER, __init__=("ms", "slop", "ordered", "mindist"), _get_spans=(),
            _replacement=("newchild",), supports_block_quality=(), copy=()),
    *_attrs(_SPAN_MATCHER, "ms", live=True),
    # lexicon: wildcard and fuzzy words expanded by the query itself
    *_calls("whoosh.query.terms.MultiTerm", _btexts=("ixreader",)),
    *_calls("whoosh.support.levenshtein", damerau_levenshtein=("seq1", "seq2", "limit")),
    # parsing: the fuzzy word's node and its tagger's pattern
    *_attrs("whoosh.qparser.plugins.FuzzyTermPlugin", "FuzzyTermNode"),
    Private("whoosh.qparser.plugins.FuzzyTermPlugin", "expr", groups=("prefix",)),
    *_calls("whoosh.qparser.plugins.FuzzyTermPlugin", create=("parser", "match")),
    *_calls(_FUZZY_NODE, query=("parser",)),
    *_attrs(_FUZZY_NODE, "maxdist", "prefixlength", live=True),
    # segments: Whoosh's commit taken apart for writer processes
    *_attrs("whoosh.writing", "SegmentWriter"),
    *_attrs("whoosh.index", "TOC"),
    *_calls("whoosh.index", clean_files=("storage", "indexname", "gen", "segments")),
    *_calls("whoosh.index.TOC", __init__=("schema", "segments", "generation", "version", "release"),
            write=("storage", "indexname"), _pattern=("indexname",)),
    *_attrs("whoosh.index.TOC", "generation", "segments", live=True),
    *_calls("whoosh.index.FileIndex", _segments=(), _read_toc=()),
    *_calls(_SEGMENT_WRITER, __init__=("ix", "poolclass", "timeout", "delay", "_lk", "limitmb", "docbase",
                                       "codec", "compound", "kwargs"),
            _merge_segments=("mergetype", "optimize", "merge"), _finalize_segment=(), _close_segment=()),
    *_attrs(_SEGMENT_WRITER, "_added", "_searcher", "pool", "is_closed", "writelock", "generation",
            "indexname", live=True),
    # SegmentWriter.searcher() keeps the searcher's own close() here and stubs close().
    *_attrs("whoosh.searching.Searcher", "_orig_close", live=True),
)

# Whoosh modules that are not part of its documented API: everything in them is internal.
INTERNAL_MODULES = ("whoosh.codec.whoosh3", "whoosh.util", "whoosh.support", "whoosh.matching.wrappers")
# Internal Whoosh names spelled without an underscore, in modules that are otherwise public.
INTERNAL_NAMES = frozenset({
    "W3Codec", "W3FieldWriter", "W3LeafMatcher", "W3PostingsWriter", "W3TermInfo", "W3PerDocReader",
    "WHOOSH3_HEADER_MAGIC", "LENGTHS_COLUMN", "length_to_byte", "whoosh3", "FilterMatcher",
    "SegmentWriter", "TOC", "clean_files", "SpanNear2Matcher", "FuzzyTermNode", "byte_to_length",
    "damerau_levenshtein",
})

_UNDEFINED = object()


def resolve(path: str):
    """The Whoosh object at dotted ``path`` (a module, or attributes inside one); raises LookupError."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for i, part in enumerate(parts[cut:], cut):
            obj = getattr(obj, part, _UNDEFINED)
            if obj is _UNDEFINED:
                raise LookupError(f"{'.'.join(parts[:i + 1])} is missing")
        return obj
    raise LookupError(f"{path} cannot be imported")


def _param_names(fn) -> Optional[tuple[str, ...]]:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    return tuple(p for p in sig.parameters if p != "self")


def check_registry(live: Mapping[str, Iterable[object]], registry: Iterable[Private] = REGISTRY) -> list[str]:
    """What in ``registry`` the installed Whoosh lacks or has changed, one line per symbol.

    ``live`` maps an owner (as in :attr:`Private.owner`) to live objects of
    it, for the entries marked ``live``.
    """
    problems: list[str] = []
    for entry in registry:
        try:
            owner = resolve(entry.owner)
        except LookupError as exc:
            problems.append(f"{entry.symbol}: owner missing ({exc})")
            continue
        if entry.live:
            objects = list(live.get(entry.owner, ()))
            if not objects:
                problems.append(f"{entry.symbol}: no live {entry.owner} object to check it on")
                continue
            # Some attributes exist only in some states (a writer's searcher has _orig_close once opened).
            having = [o for o in objects if hasattr(o, entry.name)]
            if not having:
                problems.append(f"{entry.symbol}: missing on a live {type(objects[0]).__qualname__} object")
                continue
            value = getattr(having[0], entry.name)
        else:
            value = getattr(owner, entry.name, _UNDEFINED)
            if value is _UNDEFINED:
                problems.append(f"{entry.symbol}: missing")
                continue
        if entry.params is not None:
            found = _param_names(value)
            if found != entry.params:
                problems.append(f"{entry.symbol}: parameters changed, expected {entry.params}, found {found}")
        if entry.groups is not None:
            found_groups = set(getattr(value, "groupindex", {}) or {})
            lost = [g for g in entry.groups if g not in found_groups]
            if lost:
                problems.append(f"{entry.symbol}: pattern lost its group(s) {', '.join(lost)}")
    return problems


# ---------------------------------------------------------------- reading the source

_ATTR_FUNCS = {"getattr", "hasattr", "setattr", "delattr"}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _internal_module(module: str) -> bool:
    return (any(module == m or module.startswith(m + ".") for m in INTERNAL_MODULES)
            or any(_is_private(part) for part in module.split(".")))


def _whoosh_aliases(tree: ast.Module) -> dict[str, str]:
    """Local names bound to Whoosh modules or objects by the module's imports -> their dotted path."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "whoosh":
                    out[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "whoosh":
            for a in node.names:
                out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def private_uses(tree: ast.Module) -> Iterator[tuple[int, int, str, str]]:
    """``(line, column, name, what)`` for every private or internal name the module's source uses, in order.

    ``what`` is ``attribute``, ``keyword`` (a private name, not necessarily
    Whoosh's), or ``import`` / ``whoosh attribute`` (``name`` is then the
    dotted Whoosh path, always Whoosh's).
    """
    found = [(getattr(at, "lineno", 0), getattr(at, "col_offset", 0), name, what) for at, name, what in _uses(tree)]
    return iter(sorted(found))


def _uses(tree: ast.Module):
    aliases = _whoosh_aliases(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            root = node.value
            if isinstance(root, ast.Name) and root.id in aliases:
                path = f"{aliases[root.id]}.{node.attr}"
                if _is_private(node.attr) or node.attr in INTERNAL_NAMES or _internal_module(aliases[root.id]):
                    yield node, path, "whoosh attribute"
                    continue
            if _is_private(node.attr):
                yield node, node.attr, "attribute"
        elif isinstance(node, ast.Call):
            fn = node.func
            if (isinstance(fn, ast.Name) and fn.id in _ATTR_FUNCS and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
                    and _is_private(node.args[1].value)):
                yield node, node.args[1].value, "attribute"
            for kw in node.keywords:
                if kw.arg and _is_private(kw.arg):
                    yield kw, kw.arg, "keyword"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "whoosh" and (_internal_module(a.name) or a.name.split(".")[-1] in INTERNAL_NAMES):
                    yield node, a.name, "import"
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "whoosh":
            for a in node.names:
                if _internal_module(node.module) or _is_private(a.name) or a.name in INTERNAL_NAMES:
                    yield node, f"{node.module}.{a.name}", "import"


def _identifiers(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.arg):
            yield node.arg
        elif isinstance(node, ast.keyword) and node.arg:
            yield node.arg
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.alias):
            yield node.asname or node.name.split(".")[-1]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            yield node.value


@functools.lru_cache(maxsize=1)
def whoosh_private_names() -> frozenset[str]:
    """Every single-underscore identifier in the installed Whoosh's source."""
    import whoosh

    names: set[str] = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Whoosh's old regular expressions have invalid escapes
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"), filename=str(path))
        names.update(n for n in _identifiers(tree) if _is_private(n))
    return frozenset(names)


def _derived_classes(trees: Iterable[ast.Module]) -> set[str]:
    """Names of the Casefile classes that derive, directly or not, from a Whoosh class."""
    trees = list(trees)
    derived: set[str] = set()
    changed = True
    while changed:
        changed = False
        for tree in trees:
            aliases = _whoosh_aliases(tree)
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef) or node.name in derived:
                    continue
                for base in node.bases:
                    root = base
                    while isinstance(root, ast.Attribute):
                        root = root.value
                    name = base.id if isinstance(base, ast.Name) else None
                    if (isinstance(root, ast.Name) and root.id in aliases) or name in derived:
                        derived.add(node.name)
                        changed = True
                        break
    return derived


def casefile_names(sources: Mapping[str, str]) -> frozenset[str]:
    """The single-underscore names Casefile's own code defines (``sources``: label -> source text).

    Names defined only inside subclasses of Whoosh classes are left out
    when Whoosh uses them too: there they are Whoosh's (an override).
    """
    trees = [ast.parse(text) for text in sources.values()]
    derived = _derived_classes(trees)
    whoosh_names = whoosh_private_names()
    plain: set[str] = set()
    extension: set[str] = set()

    def defined(node) -> Iterator[str]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for sub in ast.walk(t):
                    if isinstance(sub, ast.Name):
                        yield sub.id
                    elif isinstance(sub, ast.Attribute):
                        yield sub.attr
        elif isinstance(node, ast.alias) and node.asname:
            yield node.asname

    def visit(node, in_derived: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_derived
            if isinstance(child, ast.ClassDef):
                inside = child.name in derived
            for name in defined(child):
                if _is_private(name):
                    (extension if in_derived else plain).add(name)
            visit(child, inside)

    for tree in trees:
        visit(tree, False)
    return frozenset(plain | (extension - whoosh_names))


def _registered_names(registry: Iterable[Private]) -> set[str]:
    out: set[str] = set()
    for entry in registry:
        out.add(entry.name)
        out.add(entry.symbol)
        out.update(entry.params or ())  # a private parameter of a registered signature (``_lk``)
    return out


def _known_path(path: str, registry: Iterable[Private]) -> bool:
    """Whether the dotted Whoosh ``path`` (as imported) is a registered entry, by name or by object."""
    symbols = {e.symbol for e in registry}
    if path in symbols:
        return True
    try:
        obj = resolve(path)
    except LookupError:
        return False
    for entry in registry:
        if entry.name == path.rsplit(".", 1)[-1]:
            try:
                if resolve(entry.symbol) is obj:
                    return True
            except LookupError:
                continue
    # A module imported whole (``from whoosh.codec import whoosh3``) is known when entries live in it.
    return inspect.ismodule(obj) and any(e.owner == path for e in registry)


def scan_engine(sources: Mapping[str, str], own: frozenset[str], whoosh_names: frozenset[str],
                registry: Iterable[Private] = REGISTRY) -> list[str]:
    """``label:line`` of every Whoosh private or internal name the engine uses without registering it."""
    registry = tuple(registry)
    names = _registered_names(registry)
    problems = []
    for label, text in sources.items():
        for line, _col, name, what in private_uses(ast.parse(text)):
            if what in ("import", "whoosh attribute"):
                if not _known_path(name, registry):
                    problems.append(f"{label}:{line}: {what} {name} is not in the registry")
            elif name not in names and name in whoosh_names:
                also = " (Casefile defines it too: register it or rename Casefile's)" if name in own else ""
                problems.append(f"{label}:{line}: {what} {name} is Whoosh-private and not in the registry{also}")
    return problems


def scan_outside(sources: Mapping[str, str], own: frozenset[str], whoosh_names: frozenset[str]) -> list[str]:
    """``label:line`` of every Whoosh private or internal name used by a module outside the engine."""
    problems = []
    for label, text in sources.items():
        for line, _col, name, what in private_uses(ast.parse(text)):
            if what in ("import", "whoosh attribute"):
                problems.append(f"{label}:{line}: {what} {name} is Whoosh-internal; call archive.search.engine")
            elif name in whoosh_names and name not in own:
                problems.append(f"{label}:{line}: {what} {name} is Whoosh-private; call archive.search.engine")
    return problems


def unused_entries(sources: Mapping[str, str], registry: Iterable[Private] = REGISTRY) -> list[str]:
    """Registry entries whose name the engine's source never mentions (the list must not outgrow the code)."""
    mentioned: set[str] = set()
    for text in sources.values():
        mentioned.update(_identifiers(ast.parse(text)))
        # Regular-expression group names appear only inside strings: match.group("prefix").
        mentioned.update(re.findall(r"[\"'](\w+)[\"']", text))
    def used(entry: Private) -> bool:
        if entry.groups is not None:
            return all(g in mentioned for g in entry.groups)
        # A constructor is used where its class is (called, or subclassed and called through super).
        return entry.name in mentioned or (entry.name == "__init__" and entry.owner.rsplit(".", 1)[-1] in mentioned)

    return [entry.symbol for entry in registry if not used(entry)]
