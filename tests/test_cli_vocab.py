"""``alignsurvey vocab stats``: counts per scheme and depth, checked against rdflib and hand-built files."""

from __future__ import annotations

import json

import rdflib
from rdflib.namespace import RDF, SKOS

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.resources import ontology_file

ALIGN = rdflib.Namespace("https://w3id.org/alignsurvey/ontology#")

SMALL = """@prefix align: <https://w3id.org/alignsurvey/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
ex:s a skos:ConceptScheme .
ex:a a align:Method ; skos:inScheme ex:s ; skos:prefLabel "A"@en ; skos:altLabel "AA"@en ; skos:definition "d"@en .
ex:b a align:Method ; skos:inScheme ex:s ; skos:prefLabel "B"@en ; skos:definition "d"@en ; skos:broader ex:a .
ex:c a align:Method ; skos:inScheme ex:s ; skos:prefLabel "C"@en ; skos:definition "d"@en ; skos:broader ex:b .
ex:d a align:Method ; skos:inScheme ex:s ; skos:prefLabel "D"@en ; skos:definition "d"@en ; skos:broader ex:a, ex:c .
ex:e a align:Challenge ; skos:prefLabel "E"@en ; skos:definition "d"@en ; skos:broader ex:missing .
"""


def _stats(capsys, *args):
    assert main(["vocab", "stats", "--format", "json", *args]) == 0
    return {(r["kind"], r["name"]): r for r in json.loads(capsys.readouterr().out)}


def test_bundled_counts_match_the_turtle_files(capsys):
    rows = _stats(capsys)
    g = rdflib.Graph()
    for name in ("methods.ttl", "challenges.ttl", "benchmarks.ttl"):
        g.parse(ontology_file(name))
    for kind, cls, scheme in (
        ("method", ALIGN.Method, "methods"),
        ("challenge", ALIGN.Challenge, "challenges"),
        ("benchmark", ALIGN.Benchmark, "benchmarks"),
    ):
        concepts = set(g.subjects(RDF.type, cls))
        row = rows[(kind, scheme)]
        assert row["concepts"] == len(concepts)
        depth = {}
        for c in concepts:
            d, x = 0, c
            while g.value(x, SKOS.broader) is not None:
                d, x = d + 1, g.value(x, SKOS.broader)
            depth[d] = depth.get(d, 0) + 1
        assert row["by_depth"] == {str(k): v for k, v in sorted(depth.items())}
        assert row["by_depth"]["0"] == len(
            set(g.objects(rdflib.URIRef(f"https://w3id.org/alignsurvey/scheme/{scheme}"), SKOS.hasTopConcept))
        )
        assert row["dangling_broader"] == 0


def test_text_table_has_a_row_per_scheme_and_a_total(capsys):
    assert main(["vocab", "stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:5] == ["scheme", "kind", "concepts", "labels", "introduced"]
    assert [line.split()[0] for line in lines[1:]] == ["benchmarks", "challenges", "methods", "total"]


def test_a_user_file_shallowest_path_and_dangling_broader(tmp_path, capsys):
    path = tmp_path / "v.ttl"
    path.write_text(SMALL, encoding="utf-8")
    rows = _stats(capsys, str(path))
    assert rows[("method", "s")]["by_depth"] == {"0": 1, "1": 2, "2": 1}  # d: min(depth(a), depth(c)) + 1 = 1
    assert rows[("method", "s")]["labels"] == 5
    assert rows[("challenge", "(no scheme)")]["dangling_broader"] == 1


def test_a_cycle_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "v.ttl"
    looped = SMALL.replace('skos:definition "d"@en .\nex:b', 'skos:definition "d"@en ; skos:broader ex:c .\nex:b')
    path.write_text(looped, encoding="utf-8")
    assert main(["vocab", "stats", str(path)]) == 1
    assert "cycle" in capsys.readouterr().err


def test_bad_turtle_names_file_and_line(tmp_path, capsys):
    path = tmp_path / "bad.ttl"
    broken = SMALL.replace("ex:c a align:Method ; skos:inScheme ex:s ;", "ex:c a align:Method ; skos:inScheme ;")
    path.write_text(broken, encoding="utf-8")
    assert main(["vocab", "stats", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: not valid Turtle" in err and "line 7" in err


def test_missing_file(tmp_path, capsys):
    assert main(["vocab", "stats", str(tmp_path / "nope.ttl")]) == 1
    assert "no such file" in capsys.readouterr().err
