"""The alignsurvey ontology: every term is labelled and defined; the header is complete."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from sphinxcontrib_alignsurvey.core.resources import ontology_file

ALIGN = "https://w3id.org/alignsurvey/ontology#"
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")


def _schema() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file("alignsurvey.ttl"))


def test_ontology_header():
    g = _schema()
    onto = rdflib.URIRef("https://w3id.org/alignsurvey/ontology")
    assert (onto, RDF.type, OWL.Ontology) in g
    assert g.value(onto, OWL.versionIRI) is not None
    assert g.value(onto, DCTERMS.license) is not None
    assert str(g.value(onto, VANN.preferredNamespacePrefix)) == "align"
    assert str(g.value(onto, VANN.preferredNamespaceUri)) == ALIGN


def test_every_term_has_label_and_definition():
    g = _schema()
    terms = set()
    for cls in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        terms |= {t for t in g.subjects(RDF.type, cls) if str(t).startswith(ALIGN)}
    assert len(terms) > 30
    for term in terms:
        assert g.value(term, RDFS.label) is not None, term
        assert g.value(term, SKOS.definition) is not None, term


def test_terms_used_by_the_converter_are_declared():
    from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH

    declared = {str(t) for t in _schema().subjects() if str(t).startswith(ALIGN)}
    data = rdflib.Graph().parse(BUNDLED_GRAPH)
    used = {str(p) for p in data.predicates() if str(p).startswith(ALIGN)}
    used |= {str(o) for o in data.objects(None, RDF.type) if str(o).startswith(ALIGN)}
    assert used - declared == set()
