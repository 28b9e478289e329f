"""The curated SKOS vocabularies follow the rules documented in docs/vocabularies.rst."""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS

from sphinxcontrib_alignsurvey.reader import read_survey
from sphinxcontrib_alignsurvey.core.resources import ontology_file

from .conftest import SURVEY_A, SURVEY_B

ALIGN = rdflib.Namespace("https://w3id.org/alignsurvey/ontology#")
SECTION_IRI = re.compile(r"^https://w3id\.org/alignsurvey/survey/([a-z0-9-]+)/section/([0-9.]+)$")


@pytest.fixture(scope="module")
def vocab():
    g = rdflib.Graph()
    g.parse(ontology_file("methods.ttl"))
    g.parse(ontology_file("challenges.ttl"))
    return g


def concepts(g, cls):
    return sorted(set(g.subjects(RDF.type, cls)))


def local(iri) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def test_sizes(vocab):
    assert len(concepts(vocab, ALIGN.Method)) >= 40
    assert len(concepts(vocab, ALIGN.Challenge)) >= 25


REQUIRED_METHODS = """rlhf rlaif reward-modeling dpo ppo sft instruction-tuning inverse-reinforcement-learning cirl
debate weak-to-strong-generalization red-teaming interpretability representation-engineering self-alignment raft
model-merging participatory-alignment social-choice-alignment formal-verification auditing governance opo apo dpa mge
forward-alignment backward-alignment preference-optimization learning-from-feedback assurance""".split()
REQUIRED_CHALLENGES = """reward-hacking specification-gaming goal-misgeneralization deceptive-alignment power-seeking
jailbreaking adversarial-prompting distribution-shift alignment-tax scalable-oversight value-pluralism fine-tuning-attacks
catastrophic-forgetting bias""".split()


def test_required_concepts_exist(vocab):
    methods = {local(c) for c in concepts(vocab, ALIGN.Method)}
    challenges = {local(c) for c in concepts(vocab, ALIGN.Challenge)}
    assert not set(REQUIRED_METHODS) - methods
    assert not set(REQUIRED_CHALLENGES) - challenges


def test_ids_are_unique_and_well_formed(vocab):
    ids = [local(c) for c in concepts(vocab, ALIGN.Method) + concepts(vocab, ALIGN.Challenge)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids), [i for i in ids if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i)]


def test_every_concept_is_complete(vocab):
    all_concepts = concepts(vocab, ALIGN.Method) + concepts(vocab, ALIGN.Challenge)
    defined = set(all_concepts)
    tops = set(vocab.objects(None, SKOS.hasTopConcept))
    for c in all_concepts:
        assert len(list(vocab.objects(c, SKOS.prefLabel))) == 1, c
        assert list(vocab.objects(c, SKOS.definition)), c
        assert list(vocab.objects(c, SKOS.inScheme)), c
        assert list(vocab.objects(c, DCTERMS.source)), c
        broader = list(vocab.objects(c, SKOS.broader))
        if c in tops:
            assert not broader, c
        else:
            assert len(broader) == 1 and broader[0] in defined, (c, broader)


def test_taxonomy_has_no_cycles(vocab):
    for c in concepts(vocab, ALIGN.Method) + concepts(vocab, ALIGN.Challenge):
        seen = set()
        while c is not None:
            assert c not in seen, f"cycle through {c}"
            seen.add(c)
            c = vocab.value(c, SKOS.broader)


def test_sources_are_real_sections():
    g = rdflib.Graph()
    g.parse(ontology_file("methods.ttl"))
    g.parse(ontology_file("challenges.ttl"))
    sections = {}
    for path in (SURVEY_A, SURVEY_B):
        survey = read_survey(path)
        sections[survey.id] = {s.number for s in survey.sections}
    for source in set(g.objects(None, DCTERMS.source)):
        match = SECTION_IRI.match(str(source))
        assert match, source
        sid, number = match.groups()
        assert number in sections[sid], source


def test_curated_addresses_link_methods_to_challenges(vocab):
    for m, c in vocab.subject_objects(ALIGN.addresses):
        assert (m, RDF.type, ALIGN.Method) in vocab
        assert (c, RDF.type, ALIGN.Challenge) in vocab
