"""The engine benchmark's answer check: the basis for choosing the default engine.

The figures are never asserted; what is tested is that the comparison sees
types (a count typed xsd:unsignedInt is a different answer) and that rdflib
and pyoxigraph, which do agree, compare equal on the bundled graph.
"""

from __future__ import annotations

import json

import pytest

from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH

from .conftest import bench_script

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def bench():
    yield from bench_script("bench_sparql")


def _answers(bench, capsys, engine: str, names: list[str]) -> dict[str, dict]:
    bench.child(engine, str(BUNDLED_GRAPH), names, 1)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return {m["query"]: m for m in lines if "query" in m}


def test_rdflib_and_pyoxigraph_agree_term_by_term(bench, capsys):
    names = ["surveys", "most-cited"]
    ox = _answers(bench, capsys, "pyoxigraph", names)
    rd = _answers(bench, capsys, "rdflib", names)
    for name in names:
        assert ox[name]["rows"], name
        assert bench._compare("rdflib", rd[name], ox[name]) == " ", name
    # the cells carry the datatype, so the comparison below can fail on it
    assert any(f"|{XSD}integer|" in row for row in ox["surveys"]["rows"])


def test_a_differently_typed_count_is_a_different_answer(bench, capsys):
    base = _answers(bench, capsys, "pyoxigraph", ["surveys"])["surveys"]
    retyped = {"rows": sorted(r.replace(f"{XSD}integer", f"{XSD}unsignedInt") for r in base["rows"])}
    assert bench._compare("maplib", retyped, base) == "!"
    assert bench._compare("maplib", dict(base), base) == " "


def test_untyped_engines_are_compared_on_lexical_forms(bench, capsys):
    base = _answers(bench, capsys, "pyoxigraph", ["surveys"])["surveys"]
    lexical = {"rows": bench._canon([[bench._lexical(c) for c in r.split("\x1f")] for r in base["rows"]])}
    assert bench._compare("owlready2", lexical, base) == "~"
    wrong = {"rows": [r.replace("AI", "XX") for r in lexical["rows"]]}
    assert bench._compare("owlready2", wrong, base) == "!"
