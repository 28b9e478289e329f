"""The layering, checked on the source: every import, at module level or inside a function.

Why: the package reads like its pipeline (core -> reader -> links -> graph |
BibTeX | check -> convert -> SPARQL -> Sphinx, with the CLI on top) only as
long as no module imports from a layer above its own, siblings stay apart and
no cycle exists.  A function-level import counts like any other, so a lazy
import cannot hide a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = "sphinxcontrib_alignsurvey"
SOURCE = ROOT / PACKAGE

# Lower number = lower layer.  A module may import its own layer's package and any lower layer,
# never a higher one nor a sibling package of the same layer.
LAYERS: dict[str, int] = {
    "core": 0,
    "reader": 1,
    "links": 2,
    "graph": 3,
    "bibtex": 3,
    "check": 3,
    "validate": 3,
    "convert": 4,
    "sparql": 5,
    "sphinxext": 6,
    "cli": 7,
    "": 8,  # the package root: version re-export and the Sphinx entry point
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    where = ROOT / Path(*name.split("."))
    return where.with_suffix(".py").is_file() or where.is_dir()


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module) for every import of the package's own modules in *path*."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            submodules = [f"{target}.{a.name}" for a in node.names if is_module(f"{target}.{a.name}")]
            # "from . import binding" depends on the submodule, not on the package's __init__
            for module in submodules or [target]:
                yield node.lineno, module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    yield node.lineno, alias.name


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


MODULES = sorted(SOURCE.rglob("*.py"))


def test_every_top_level_part_has_a_layer() -> None:
    tops = {p.relative_to(SOURCE).parts[0].removesuffix(".py") for p in MODULES}
    tops.discard("__init__")
    tops.discard("__main__")
    assert tops <= set(LAYERS), f"give these a layer in LAYERS: {sorted(tops - set(LAYERS))}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_from_a_higher_layer_or_a_sibling(path: Path) -> None:
    own = layer_of(module_name(path))
    bad = []
    for line, target in imports(path):
        other = layer_of(target)
        if other == own or other not in LAYERS:
            continue
        if LAYERS[other] >= LAYERS[own]:
            bad.append(f"{path.relative_to(ROOT)}:{line}: {own or 'root'} imports {target}")
    assert not bad, "\n".join(bad)


def test_core_uses_nothing_above_it() -> None:
    bad = [
        f"{p.relative_to(ROOT)}:{line}: {target}"
        for p in MODULES
        if layer_of(module_name(p)) == "core"
        for line, target in imports(p)
        if layer_of(target) != "core"
    ]
    assert not bad, "\n".join(bad)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle in *graph* as a list of modules, or None (iterative DFS, colours)."""
    colour: dict[str, int] = {}
    for start in sorted(graph):
        if colour.get(start):
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(graph.get(start, ())))]
        path = [start]
        colour[start] = 1
        while stack:
            node, todo = stack[-1]
            if not todo:
                colour[node] = 2
                stack.pop()
                path.pop()
                continue
            nxt = todo.pop()
            if colour.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if not colour.get(nxt):
                colour[nxt] = 1
                path.append(nxt)
                stack.append((nxt, sorted(graph.get(nxt, ()))))
    return None


def module_graph() -> dict[str, set[str]]:
    known = {module_name(p) for p in MODULES}
    graph: dict[str, set[str]] = {}
    for p in MODULES:
        name = module_name(p)
        graph[name] = {t for _, t in imports(p) if t in known and t != name}
    return graph


def test_no_import_cycle_between_modules() -> None:
    cycle = find_cycle(module_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
