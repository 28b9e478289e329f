"""Users' vocabularies: extend or replace the bundled schemes, and every mistake located as file:line."""

from __future__ import annotations

import pytest

from sphinxcontrib_alignsurvey.links.vocabulary import VocabularyError, load_vocabulary

HEAD = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix align: <https://w3id.org/alignsurvey/ontology#> .
@prefix fl: <https://example.org/fl/> .
fl:s a skos:ConceptScheme .
"""
GOOD = (
    HEAD
    + """fl:fedavg a skos:Concept, align:Method ; skos:inScheme fl:s ;
    skos:prefLabel "Federated averaging"@en ; skos:altLabel "FedAvg"@en ; skos:definition "Averaging."@en .
fl:fedprox a skos:Concept ; skos:inScheme fl:s ; skos:broader fl:fedavg ;
    skos:prefLabel "FedProx"@en ; skos:definition "A proximal variant."@en .
fl:drift a skos:Concept, align:Challenge ; skos:inScheme fl:s ;
    skos:prefLabel "Client drift"@en ; skos:definition "Drift."@en .
fl:leaf a skos:Concept, align:Benchmark ; skos:inScheme fl:s ;
    skos:prefLabel "LEAF"@en ; skos:definition "A benchmark."@en .
"""
)


def write(tmp_path, text, name="mine.ttl"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(path, **kwargs):
    with pytest.raises(VocabularyError) as info:
        load_vocabulary(**kwargs) if kwargs else load_vocabulary([path])
    return [d.format() for d in info.value.diagnostics]


def test_extend_keeps_the_bundled_concepts_and_replace_drops_them(tmp_path):
    path = write(tmp_path, GOOD)
    bundled = load_vocabulary()
    extended = load_vocabulary(extra=[path])
    own = load_vocabulary([path])
    ids = {c.id for c in own.concepts}
    assert ids == {"fedavg", "fedprox", "drift", "leaf"}
    assert len(extended.concepts) == len(bundled.concepts) + 4
    assert {c.id for c in bundled.concepts} < {c.id for c in extended.concepts}
    assert own.cue_sets  # the schema (and its cue sets) is always read


def test_a_plain_skos_concept_takes_the_kind_of_its_broader_concept_and_the_graph_says_so(tmp_path):
    own = load_vocabulary([write(tmp_path, GOOD)])
    kinds = {c.id: c.kind for c in own.concepts}
    assert kinds == {"fedavg": "method", "fedprox": "method", "drift": "challenge", "leaf": "benchmark"}
    typed = {(t.subject.value, t.object.value) for t in own.triples if t.predicate.value.endswith("#type")}
    assert ("https://example.org/fl/fedprox", "https://w3id.org/alignsurvey/ontology#Method") in typed


def test_a_turtle_syntax_error_names_its_line(tmp_path):
    path = write(tmp_path, GOOD + 'fl:x a skos:Concept, align:Method ;\n    skos:prefLabel "X"@en\nfl:y a fl:z .\n')
    found = errors(path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:15: error: [vocabulary] not valid Turtle: Parser error at line 15")


def test_a_concept_without_preflabel_definition_or_scheme_is_located_at_its_subject_line(tmp_path):
    text = GOOD + "\n# a bad one\n<https://example.org/fl/bare> a align:Challenge .\n"
    path = write(tmp_path, text)
    found = errors(path)
    assert f"{path}:15: error: [vocabulary] bare has no skos:prefLabel (in English or without a language)" in found
    assert f"{path}:15: error: [vocabulary] bare has no skos:definition" in found
    assert f"{path}:15: error: [vocabulary] bare is in no skos:ConceptScheme (skos:inScheme)" in found


def test_a_plain_concept_with_no_kind_and_a_broader_of_another_kind_are_errors(tmp_path):
    text = (
        GOOD
        + """fl:orphan a skos:Concept ; skos:inScheme fl:s ; skos:prefLabel "O"@en ; skos:definition "o"@en .
fl:odd a skos:Concept, align:Challenge ; skos:inScheme fl:s ; skos:broader fl:fedavg ;
    skos:prefLabel "Odd"@en ; skos:definition "d"@en .
"""
    )
    path = write(tmp_path, text)
    found = errors(path)
    assert any(f.startswith(f"{path}:13: error:") and "orphan is a skos:Concept without" in f for f in found)
    assert f"{path}:14: error: [vocabulary] odd is a challenge but its broader concept fedavg is a method" in found


def test_errors_of_several_files_come_together(tmp_path):
    a = write(tmp_path, "@prefix x: <http://e/> .\nx:a x:b\n", "a.ttl")
    b = write(tmp_path, HEAD + "fl:q a align:Method .\n", "b.ttl")
    found = errors(None, extra=[a, b])
    assert [f.split(":")[0] for f in found][:1] == [str(a)] and any(f.startswith(f"{b}:5:") for f in found)
    missing = tmp_path / "missing.ttl"
    assert errors(None, extra=[missing]) == [f"{missing}: error: [vocabulary] no such file"]


def test_the_bundled_vocabulary_declares_the_senses_the_finder_reads():
    vocab = load_vocabulary()
    by_id = {c.id: c for c in vocab.concepts}
    ai = "https://w3id.org/alignsurvey/ontology#AIContext"
    assert vocab.cue_sets[ai].document_wide and "language model" in vocab.cue_sets[ai].cues  # included set
    assert "inductive bias" in by_id["bias"].false_senses and "bias" in by_id["bias"].context_labels
    assert all(ai in c.scheme_cues for c in vocab.concepts)


def test_a_method_named_in_ordinary_words_needs_its_own_context():
    """The words "generalized preference optimization" are the GPO method beside its family's names, and
    ordinary English in "the need for generalized preference optimization" (a bundled survey's
    sentence, which once tagged a work with the method)."""
    from sphinxcontrib_alignsurvey.links.mentions import MentionFinder

    vocab = load_vocabulary()
    finder = MentionFinder(vocab.concepts, vocab.cue_sets)
    gpo = "https://w3id.org/alignsurvey/method/gpo"

    def found(text: str) -> list[str]:
        return [m.concept for m in finder.find(text, finder.scope([text]))]

    generic = (
        "Supervised fine-tuning suits domain-specific alignment of language models where task precision"
        " outweighs the need for generalized preference optimization."
    )
    assert gpo not in found(generic)
    assert gpo in found("Generalized Preference Optimization unifies DPO, IPO and SLiC for language models.")
    assert gpo in found("GPO losses are convex functions of the margin in LLM alignment.")
