"""The alignsurvey ontology and its shapes: terms labelled and defined, header complete, vocabularies valid."""

from __future__ import annotations

import pytest
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


# ---- the concept shapes (ontology/shapes.ttl) ------------------------------------------------

USER_VOCABULARY = """@prefix align: <https://w3id.org/alignsurvey/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/vocab/> .
ex:scheme a skos:ConceptScheme ; skos:hasTopConcept ex:solvers .
ex:solvers a skos:Concept, align:Method ; skos:inScheme ex:scheme ; skos:topConceptOf ex:scheme ;
    skos:prefLabel "Numerical solvers"@en ; skos:definition "Methods that solve equations numerically."@en .
ex:newton a skos:Concept, align:Method ; skos:inScheme ex:scheme ; skos:broader ex:solvers ;
    skos:prefLabel "Newton's method"@en ; skos:definition "Iterative root finding with derivatives."@en .
ex:stiffness a skos:Concept, align:Challenge ; skos:inScheme ex:scheme ;
    skos:prefLabel "Stiffness"@en ; skos:definition "Equations whose solutions vary on very different scales."@en .
ex:bench a skos:Concept, align:Benchmark ; skos:inScheme ex:scheme ; align:evaluates ex:stiffness ;
    skos:prefLabel "Stiff test set"@en ; skos:definition "Stiff problems for testing solvers."@en .
"""


def _validate(tmp_path, text: str):
    from sphinxcontrib_alignsurvey.validate import validate_files

    path = tmp_path / "vocabulary.ttl"
    path.write_text(text, encoding="utf-8")
    return validate_files([ontology_file("alignsurvey.ttl"), path])


def test_bundled_vocabularies_conform_to_the_shapes():
    from sphinxcontrib_alignsurvey.validate import validate_files

    names = ("alignsurvey.ttl", "methods.ttl", "challenges.ttl", "benchmarks.ttl")
    conforms, violations = validate_files([ontology_file(n) for n in names])
    assert conforms, "\n".join(v.format() for v in violations[:20])


def test_a_user_vocabulary_without_sources_conforms(tmp_path):
    conforms, violations = _validate(tmp_path, USER_VOCABULARY)
    assert conforms, [v.format() for v in violations]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('skos:definition "Iterative root finding with derivatives."@en', 'skos:note "x"@en'), "has a definition"),
        (
            (
                "ex:newton a skos:Concept, align:Method ; skos:inScheme ex:scheme ; skos:broader ex:solvers",
                "ex:newton a skos:Concept, align:Method ; skos:inScheme ex:scheme ; skos:broader ex:stiffness",
            ),
            "broader concept is a method",
        ),
        (("align:evaluates ex:stiffness", "align:evaluates ex:newton"), "evaluates challenges"),
        (
            (
                "ex:solvers a skos:Concept, align:Method",
                "ex:solvers a skos:Concept, align:System ; skos:broader ex:newton",
            ),
            "not a kind of anything",
        ),
        (
            ('skos:prefLabel "Stiff test set"@en ;', 'skos:prefLabel "Stiff test set"@en ; dcterms:source "a page" ;'),
            "a source is an IRI",
        ),
    ],
)
def test_the_concept_shapes_reject(tmp_path, change, message):
    old, new = change
    text = USER_VOCABULARY.replace("@prefix ex:", "@prefix dcterms: <http://purl.org/dc/terms/> .\n@prefix ex:")
    assert old in text
    conforms, violations = _validate(tmp_path, text.replace(old, new))
    assert not conforms
    assert any(message in v.message for v in violations), [v.format() for v in violations]
