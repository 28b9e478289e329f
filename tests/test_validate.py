from __future__ import annotations

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH


def test_bundled_graph_conforms(capsys):
    assert main(["validate", str(BUNDLED_GRAPH)]) == 0
    assert "conforms" in capsys.readouterr().err


def test_violations_are_reported(tmp_path, capsys):
    text = BUNDLED_GRAPH.read_text(encoding="utf-8")
    # drop every title of a survey: the Survey shape requires exactly one
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        text + "\n<https://w3id.org/alignsurvey/survey/alignment-survey-1ef323be> "
        '<http://purl.org/dc/terms/title> "A second title" .\n',
        encoding="utf-8",
    )
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "alignment-survey-1ef323be" in out and "title" in out


def test_unparsable_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    assert "cannot validate" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.ttl", "@prefix : <http://x/> .\n:a :b :c ;\n :d .\n", 3),
        ("bad.nt", "<http://x/a> <http://x/b> <http://x/c> .\n<a> <b> .\n", 2),
        ("bad.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<x>\n</rdf:RDF>\n', 3),
        ("bad.jsonld", '{"@id": 5\n', 2),
    ],
)
def test_unparsable_file_names_file_and_line(tmp_path, capsys, name, text, line):
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:{line}:" in err or (f"{bad}: " in err and f"line {line} " in err), err
    assert "Traceback" not in err


FOUR = "ttl,nt,jsonld,xml"


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    """The seeds converted into all four serialisations."""
    from .conftest import SURVEYS

    out = tmp_path_factory.mktemp("four")
    assert main(["convert", str(SURVEYS), "--out", str(out), "--format", FOUR]) == 0
    return out


def test_the_four_serialisations_carry_the_same_triples(four):
    # Why validating one serialisation of a conversion is enough: the others parse to the same set
    # (the graph has no blank nodes, so set equality is isomorphism)
    import pyoxigraph as ox

    sets = {
        name: set(ox.parse(path=str(four / name), format=ox.RdfFormat.from_extension(name.split(".")[1])))
        for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.rdf")
    }
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in sets["graph.ttl"])
    assert len(sets["graph.ttl"]) > 50_000
    for name, triples in sets.items():
        assert triples == sets["graph.ttl"], name


def test_validate_reads_one_serialisation_of_a_conversion(four, capsys, monkeypatch):
    import importlib

    cli_validate = importlib.import_module("sphinxcontrib_alignsurvey.cli.validate")  # the package exports the command

    seen = []
    real = cli_validate.validate_files

    def spy(paths, *args, **kwargs):
        seen.append(list(paths))
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(cli_validate, "validate_files", spy)
    assert main(["validate", str(four)]) == 0
    assert seen == [[four / "graph.ttl"]]
    assert "graph.ttl" in capsys.readouterr().err


def test_validate_checks_the_outputs_against_the_manifest(tmp_path, capsys):
    from .conftest import SURVEY_A

    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_A), "--out", str(out)]) == 0
    bib = out / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "% edited\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(out)]) == 1
    assert str(bib) in capsys.readouterr().err


def test_progress_is_shown_on_request(capsys, tmp_path):
    graph = tmp_path / "tiny.ttl"
    graph.write_text("<http://x/a> <http://x/p> <http://x/b> .\n", encoding="utf-8")
    assert main(["validate", "--progress", str(graph)]) == 0
    err = capsys.readouterr().err
    assert "parsing" in err and "SHACL" in err
    assert main(["validate", str(graph)]) == 0
    assert "parsing" not in capsys.readouterr().err


def test_the_fast_parser_gives_the_graph_rdflib_gives(four, tmp_path):
    # validate parses with pyoxigraph and hands rdflib's terms to pySHACL: the graph must be rdflib's own, up to
    # what RDF 1.1 counts as the same term (rdflib keeps an explicit xsd:string and a language tag's case)
    import rdflib
    from rdflib.compare import isomorphic
    from rdflib.namespace import XSD

    def rdf11(term):
        if isinstance(term, rdflib.Literal) and (term.language or term.datatype == XSD.string):
            return rdflib.Literal(str(term), lang=term.language.lower() if term.language else None)
        return term

    from sphinxcontrib_alignsurvey.validate import parse_into

    small = tmp_path / "small.ttl"
    small.write_text(
        "@prefix x: <http://x/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'x:a x:p "plain", "typed"^^xsd:string, "Hallo"@de-AT, "01"^^xsd:integer, "2024-01-02"^^xsd:date, '
        '"1.50"^^xsd:decimal, "true"^^xsd:boolean, x:b, [ x:q "in a blank node" ], <rel> .\n',
        encoding="utf-8",
    )
    for path in (small, four / "graph.ttl"):
        ours = rdflib.Graph()
        parse_into(ours, path)
        theirs = rdflib.Graph()
        theirs.addN((*map(rdf11, t), theirs) for t in rdflib.Graph().parse(path, format="turtle"))
        # the converter's graph has no blank nodes: set equality is isomorphism there, and much cheaper
        assert isomorphic(ours, theirs) if path is small else set(ours) == set(theirs), path


@pytest.mark.parametrize(
    "urls",
    [
        ['"www.example.org/a"^^<http://www.w3.org/2001/XMLSchema#anyURI>'],  # not absolute
        ['"https://example.org/a"'],  # a plain string
        [
            '"https://example.org/a"^^<http://www.w3.org/2001/XMLSchema#anyURI>',
            '"https://example.org/b"^^<http://www.w3.org/2001/XMLSchema#anyURI>',
        ],
    ],
)
def test_a_works_url_is_one_absolute_any_uri(url_outputs, tmp_path, capsys, urls):
    """fabio:hasURL (issue 15, item 12): the shape holds the converter to one http(s) xsd:anyURI per work."""
    from sphinxcontrib_alignsurvey.core import namespaces as ns
    from sphinxcontrib_alignsurvey.core.works import normalise

    work = ns.work_iri(normalise("Interpreting Reward Models by Probing")).value
    text = (url_outputs / "graph.nt").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if "http://purl.org/spar/fabio/hasURL" not in line]
    added = [f"<{work}> <http://purl.org/spar/fabio/hasURL> {url} ." for url in urls]
    broken = tmp_path / "broken.nt"
    broken.write_text("\n".join(kept + added) + "\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert work in out and "hasURL" in out


def _broken_everywhere(tmp_path):
    """The bundled graph with a violation for shapes of every kind: cardinality, datatype, class, SPARQL."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(BUNDLED_GRAPH), format=ox.RdfFormat.TURTLE)
    align = "https://w3id.org/alignsurvey/ontology#"

    def first(query):
        return next(iter(store.query(f"PREFIX align: <{align}> " + query)))[0].value

    sentence = first("SELECT ?s WHERE { ?s a <http://purl.org/spar/doco/Sentence> } ORDER BY ?s LIMIT 1")
    link = first("SELECT ?l WHERE { ?l a align:EvidencedLink } ORDER BY ?l LIMIT 1")
    selector = first("SELECT ?s WHERE { ?s a <http://www.w3.org/ns/oa#TextPositionSelector> } ORDER BY ?s LIMIT 1")
    survey = "https://w3id.org/alignsurvey/survey/alignment-survey-1ef323be"
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        BUNDLED_GRAPH.read_text(encoding="utf-8")
        + f'\n<{survey}> <http://purl.org/dc/terms/title> "A second title" .\n'
        + f'<{sentence}> <http://purl.org/spar/c4o/hasContent> "a second text" .\n'
        + f'<{selector}> <http://www.w3.org/ns/oa#start> "not a number" .\n'
        + f"<{link}> <{align}flaggedEvidence> <{survey}> .\n",
        encoding="utf-8",
    )
    return broken, {survey, sentence, selector, link}


def test_checking_in_two_processes_finds_what_one_finds(tmp_path):
    from sphinxcontrib_alignsurvey.core.progress import Progress
    from sphinxcontrib_alignsurvey.validate import validate_files

    broken, focus = _broken_everywhere(tmp_path)
    steps = []

    class Seen(Progress):
        def step(self, label, total=None):
            steps.append(label)
            return super().step(label, total)

    one = validate_files([broken], jobs=1)
    two = validate_files([broken], progress=Seen(), jobs=2)
    assert any("in 2 processes" in label for label in steps)  # the shapes were split
    assert one[0] is False and two[0] is False
    # the same violations in the same order; a blank-node shape's label differs between two parses
    assert [v.format() for v in two[1]] == [v.format() for v in one[1]]
    assert [v.shape for v in two[1] if v.shape.startswith("http")] == [
        v.shape for v in one[1] if v.shape.startswith("http")
    ]
    assert {v.focus for v in one[1]} == focus  # every broken node, from shapes in both groups
    assert any("flagged" in v.message for v in two[1])  # the SPARQL constraint ran in its group


def test_shape_groups_cover_every_targeted_shape_once():
    import rdflib

    from sphinxcontrib_alignsurvey.core.resources import ontology_file
    from sphinxcontrib_alignsurvey.validate import parse_into, shape_groups

    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    data = rdflib.Graph()
    parse_into(data, BUNDLED_GRAPH)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    targeted = {str(s) for p in (sh.targetClass, sh.targetSubjectsOf) for s in shapes.subjects(p, None)}
    groups = shape_groups(shapes, data, 2)
    assert len(groups) == 2 and all(groups)
    assert sorted(s for g in groups for s in g) == sorted(targeted)
    assert shape_groups(shapes, data, 1) == [[]]  # one process: every shape at once
    # a shape pySHACL cannot be told to use by name keeps them together
    shapes.add((rdflib.BNode(), sh.targetClass, rdflib.URIRef("http://x/C")))
    assert shape_groups(shapes, data, 2) == [[]]


def test_a_group_whose_process_dies_is_checked_here():
    import os

    from sphinxcontrib_alignsurvey.validate import _forked

    assert _forked(lambda: os._exit(3))() is None
    assert _forked(lambda: (True, []))() == (True, [])
