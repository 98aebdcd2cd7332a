"""The core's modules import each other without cycles.

A cycle makes the import order matter (a name is missing when the other
side is half-initialised) and ties modules that should be read apart. The
graph is built from the source with ``ast``, so an import hidden in a
function does not count as module-level, while every import that runs when
the module is first imported does (also those under ``if``/``try`` and in
class bodies). ``if TYPE_CHECKING:`` blocks count too: a type named from
the other side of a cycle is still a dependency on it, and moving an import
into a function only hides one. So a second graph counts every import,
also those inside functions, and must be free of cycles as well: an import
may wait in a function for start-up speed (spaCy, the timeline package),
never to break a cycle.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "archive"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_level_imports(tree: ast.Module):
    """The Import/ImportFrom nodes that run when the module is imported."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        else:
            pending.extend(ast.iter_child_nodes(node))


def every_import(tree: ast.Module):
    """Every Import/ImportFrom node, also those in functions (they run when the function is first called)."""
    return (node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)))


def import_graph(imports=module_level_imports) -> dict[str, set[str]]:
    """Module -> the archive modules it imports (at module level, unless ``imports`` says otherwise)."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[:len(base) - (node.level - 1)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                # "from pkg import sub" imports the submodule when there is one.
                targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in files else stem for a in node.names]
            for target in targets:
                # "import archive.search.index" names the module; keep the longest known prefix.
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_one_cycle(graph, set(g)) for g in groups]


def _one_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A path start -> ... -> start inside ``group`` (breadth first, so a shortest one)."""
    start = min(group)
    came_from = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & group):
            if w == start:
                path = [v]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])
                return path[::-1] + [start]
            if w not in came_from:
                came_from[w] = v
                queue.append(w)
    raise AssertionError(f"no cycle in {group}")


def test_the_graph_sees_the_imports_it_should():
    graph = import_graph()
    # Spot checks, so an empty graph cannot pass: relative, absolute and package imports.
    assert "archive.search.index" in graph["archive.search"]
    assert "archive.errors" in graph["archive.search.index"]
    assert "archive.indexing.run" in graph["archive.archive"]
    # Two dots from a subpackage, and a submodule named after "from .pkg import".
    assert "archive.search.writing" in graph["archive.search.engine.segments"]
    assert "archive.search.engine.segments" in graph["archive.search.writer_process"]


def test_cycle_finder_names_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_a_function_level_import_is_not_module_level():
    tree = ast.parse(
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import json\n"
        "try:\n    import re\nexcept ImportError:\n    pass\n"
        "def f():\n    import sys\n"
        "class C:\n    import glob\n"
    )
    names = sorted(a.name for node in module_level_imports(tree) for a in node.names)
    assert names == ["TYPE_CHECKING", "glob", "json", "os", "re"]


def test_archive_has_no_import_cycles():
    found = cycles(import_graph())
    assert not found, "import cycles in archive/: " + "; ".join(" -> ".join(c) for c in found)


def test_every_import_counts_those_inside_functions():
    tree = ast.parse(
        "import os\n"
        "def f():\n    import sys\n    def g():\n        from json import loads\n"
        "class C:\n    def m(self):\n        import glob\n"
    )
    names = sorted(a.name for node in every_import(tree) for a in node.names)
    assert names == ["glob", "loads", "os", "sys"]
    # In the archive: the run loads the timeline package only when it wrote articles.
    assert "archive.timeline.reanchoring" not in import_graph()["archive.indexing.run"]
    assert "archive.timeline.reanchoring" in import_graph(every_import)["archive.indexing.run"]


def test_archive_has_no_import_cycles_counting_imports_inside_functions():
    found = cycles(import_graph(every_import))
    assert not found, ("import cycles in archive/ (imports inside functions included): "
                       + "; ".join(" -> ".join(c) for c in found))


def test_search_index_and_writer_processes_share_a_module_not_each_other():
    graph = import_graph()
    assert "archive.search.index" not in graph["archive.search.writer_process"]
    assert "archive.search.writing" in graph["archive.search.writer_process"]
