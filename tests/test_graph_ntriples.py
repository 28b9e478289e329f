"""N-Triples lines written as text equal pyoxigraph's, and the namespaces noted while building are exact."""

from __future__ import annotations

import pyoxigraph as ox

from sphinxcontrib_alignsurvey.core.namespaces import PREFIXES, XSD
from sphinxcontrib_alignsurvey.graph.ntriples import Lines, iri, line, literal
from sphinxcontrib_alignsurvey.graph.serialize import used_prefixes


def test_every_code_point_is_escaped_as_pyoxigraph_escapes_it():
    bad = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        if literal(f"a{c}b") != str(ox.Literal(f"a{c}b")):
            bad.append(hex(cp))
    assert not bad


def test_lines_equal_pyoxigraphs_n_triples():
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    objects = [
        ox.Literal('say "hi"\n\ttab\\'),
        ox.Literal("7", datatype=XSD.integer),
        ox.Literal("x", language="en"),
        ox.NamedNode("https://example.org/o#x"),
        ox.Literal("plain", datatype=XSD.string),
    ]
    triples = [ox.Triple(s, p, o) for o in objects]
    assert "".join(line(t) for t in triples).encode() == ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    w = Lines()
    w.add(iri(s.value), iri(p.value), literal(objects[0].value))
    w.add_int(iri(s.value), iri(p.value), 7)
    assert "".join(w.lines).encode() == ox.serialize(triples[:2], format=ox.RdfFormat.N_TRIPLES)


def test_namespaces_noted_while_building_equal_a_scan_of_every_term(seed_conversion):
    runs = seed_conversion.build.runs
    noted = {name: ns for name, ns in sorted(PREFIXES.items()) if ns in runs.namespaces}
    assert noted == used_prefixes(seed_conversion.triples)


def test_namespaces_of_a_survey_without_citations_or_sections(tmp_path):
    from sphinxcontrib_alignsurvey.convert import convert

    # (a survey without any References list is an error since the reader's hardening)
    bare = tmp_path / "bare.md"
    bare.write_text(
        "# A Survey of Nothing\n\nOne sentence without citations.\n\n## References\n\n[1] A Work\n", encoding="utf-8"
    )
    conversion = convert([bare])
    noted = {name: ns for name, ns in sorted(PREFIXES.items()) if ns in conversion.build.runs.namespaces}
    assert noted == used_prefixes(conversion.triples)
