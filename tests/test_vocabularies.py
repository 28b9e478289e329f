"""The curated SKOS vocabularies follow the rules documented in docs/vocabularies.rst.

Why these tests: the schemes are hand-written Turtle that the mention finder,
the cards and the BibTeX keywords all trust.  A second parent, a cycle, a
concept cut off from its scheme's top, a label shared by two concepts or an
introducing work without a record would each silently corrupt those outputs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlparse

import pytest
import rdflib
import yaml
from rdflib.namespace import DCTERMS, RDF, SKOS

from sphinxcontrib_alignsurvey.bibtex.metadata import load_metadata
from sphinxcontrib_alignsurvey.core.namespaces import work_iri
from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH, ontology_file
from sphinxcontrib_alignsurvey.core.works import normalise
from sphinxcontrib_alignsurvey.links.mentions import WORD, is_acronym
from sphinxcontrib_alignsurvey.links.vocabulary import (
    concepts_from,
    load_vocabulary,
    read_quads,
)
from sphinxcontrib_alignsurvey.reader import read_survey
from sphinxcontrib_alignsurvey.reader.references import clean_title

from .conftest import ROOT, SURVEY_A, SURVEY_B
from .test_works_metadata import problems, registrable

ALIGN = rdflib.Namespace("https://w3id.org/alignsurvey/ontology#")
SECTION_IRI = re.compile(r"^https://w3id\.org/alignsurvey/survey/([a-z0-9-]+)/section/([0-9.]+)$")
WORK_IRI = re.compile(r"^https://w3id\.org/alignsurvey/work/[0-9a-f]{12}$")
FILES = ("methods.ttl", "challenges.ttl", "benchmarks.ttl")
KIND_CLASSES = (ALIGN.Method, ALIGN.Challenge, ALIGN.Benchmark)
INTRODUCING = ROOT / "ontology" / "works-introducing.yaml"


@pytest.fixture(scope="module")
def vocab() -> rdflib.Graph:
    g = rdflib.Graph()
    for name in FILES:
        g.parse(ontology_file(name))
    return g


def concepts(g, *classes):
    return sorted({c for cls in classes or (*KIND_CLASSES, ALIGN.System) for c in g.subjects(RDF.type, cls)})


def local(iri) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def test_sizes(vocab):
    assert len(concepts(vocab, ALIGN.Method)) >= 250
    assert len(concepts(vocab, ALIGN.Challenge)) >= 90
    assert len(concepts(vocab, ALIGN.Benchmark)) >= 50


REQUIRED_METHODS = [
    "rlhf",
    "rlaif",
    "reward-modeling",
    "dpo",
    "ppo",
    "sft",
    "instruction-tuning",
    "inverse-reinforcement-learning",
    "cirl",
    "debate",
    "weak-to-strong-generalization",
    "red-teaming",
    "interpretability",
    "representation-engineering",
    "self-alignment",
    "raft",
    "model-merging",
    "participatory-alignment",
    "social-choice-alignment",
    "formal-verification",
    "auditing",
    "governance",
    "opo",
    "apo",
    "dpa",
    "mge",
    "forward-alignment",
    "backward-alignment",
    "preference-optimization",
    "learning-from-feedback",
    "assurance",
    "constitutional-ai",
    "kto",
    "ipo",
    "orpo",
    "simpo",
    "rrhf",
    "slic",
    "process-supervision",
    "ida",
    "recursive-reward-modeling",
    "sandwiching",
    "mechanistic-interpretability",
    "probing-classifiers",
    "sparse-autoencoders",
    "activation-steering",
    "automated-red-teaming",
    "adversarial-training",
    "guardrails",
    "safety-classifiers",
    "machine-unlearning",
    "model-editing",
    "alignment-evaluation",
    "cultural-alignment",
]
REQUIRED_CHALLENGES = [
    "reward-hacking",
    "specification-gaming",
    "goal-misgeneralization",
    "deceptive-alignment",
    "power-seeking",
    "jailbreaking",
    "adversarial-prompting",
    "distribution-shift",
    "alignment-tax",
    "scalable-oversight",
    "value-pluralism",
    "fine-tuning-attacks",
    "catastrophic-forgetting",
    "bias",
    "deception",
    "alignment-faking",
    "sandbagging",
    "sycophancy",
    "hallucination",
    "prompt-injection",
    "backdoor-attacks",
    "data-poisoning",
    "privacy-leakage",
    "toxicity",
    "misuse",
    "over-refusal",
]
REQUIRED_BENCHMARKS = [
    "truthfulqa",
    "hh-rlhf",
    "advbench",
    "harmbench",
    "realtoxicityprompts",
    "bbq",
    "xstest",
    "wmdp",
]


def test_required_concepts_exist(vocab):
    ids = {cls: {local(c) for c in concepts(vocab, cls)} for cls in KIND_CLASSES}
    assert not set(REQUIRED_METHODS) - ids[ALIGN.Method]
    assert not set(REQUIRED_CHALLENGES) - ids[ALIGN.Challenge]
    assert not set(REQUIRED_BENCHMARKS) - ids[ALIGN.Benchmark]


def test_ids_are_unique_and_well_formed(vocab):
    ids = [local(c) for c in concepts(vocab)]
    assert len(ids) == len(set(ids))
    bad = [i for i in ids if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i)]
    assert not bad


def test_every_concept_has_one_class_label_definition_and_scheme(vocab):
    for c in concepts(vocab):
        classes = {cls for cls in (*KIND_CLASSES, ALIGN.System) if (c, RDF.type, cls) in vocab}
        assert len(classes) == 1, (c, classes)
        assert len(list(vocab.objects(c, SKOS.prefLabel))) == 1, c
        assert len(list(vocab.objects(c, SKOS.definition))) == 1, c
        assert len(list(vocab.objects(c, SKOS.inScheme))) == 1, c
        assert list(vocab.objects(c, DCTERMS.source)), f"{c}: a bundled concept cites its source"


def _scheme_of(g, c):
    return g.value(c, SKOS.inScheme)


def test_one_parent_per_concept_within_its_scheme_and_kind(vocab):
    """No poly-hierarchy: top concepts have no parent, every other concept exactly one, of its own class and scheme."""
    for c in concepts(vocab, *KIND_CLASSES):
        scheme = _scheme_of(vocab, c)
        broader = list(vocab.objects(c, SKOS.broader))
        if (c, SKOS.topConceptOf, scheme) in vocab:
            assert (scheme, SKOS.hasTopConcept, c) in vocab, c
            assert not broader, c
            continue
        assert len(broader) == 1, (c, broader)
        parent = broader[0]
        assert _scheme_of(vocab, parent) == scheme, (c, parent)
        assert set(vocab.objects(parent, RDF.type)) == set(vocab.objects(c, RDF.type)), (c, parent)


def test_taxonomy_has_no_cycles_and_reaches_a_top_concept(vocab):
    for start in concepts(vocab, *KIND_CLASSES):
        scheme, seen, c = _scheme_of(vocab, start), set(), start
        while (c, SKOS.topConceptOf, scheme) not in vocab:
            assert c not in seen, f"cycle through {c}"
            seen.add(c)
            c = vocab.value(c, SKOS.broader)
            assert c is not None, f"{start} does not reach a top concept of {scheme}"


def test_systems_are_not_kinds_of_methods(vocab):
    """Named models and pipelines are related to the methods they apply, never placed beneath them."""
    systems = concepts(vocab, ALIGN.System)
    assert {local(s) for s in systems} >= {"chatglm-rlhf", "lima", "instructgpt", "llama-guard"}
    for s in systems:
        assert not list(vocab.objects(s, SKOS.broader)), s
        assert not list(vocab.subjects(SKOS.broader, s)), s
        related = list(vocab.objects(s, SKOS.related))
        assert related and all((r, RDF.type, ALIGN.Method) in vocab for r in related), s
    policy_gradient = rdflib.URIRef("https://w3id.org/alignsurvey/method/policy-gradient-methods")
    assert vocab.value(policy_gradient, SKOS.broader) != rdflib.URIRef("https://w3id.org/alignsurvey/method/rlhf")


def test_system_concepts_are_not_read_as_concepts_to_find():
    kinds = {c.id: c.kind for c in load_vocabulary().concepts}
    assert "chatglm-rlhf" not in kinds and "lima" not in kinds
    assert kinds["truthfulqa"] == "benchmark" and kinds["alpacaeval"] == "benchmark"
    assert set(kinds.values()) == {"method", "challenge", "benchmark"}


def test_concepts_from_reads_benchmarks_and_skips_systems(tmp_path):
    path = tmp_path / "v.ttl"
    path.write_text("""@prefix align: <https://w3id.org/alignsurvey/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://x/b> a align:Benchmark ; skos:prefLabel "B"@en ; skos:definition "d"@en .
<http://x/s> a align:System ; skos:prefLabel "S"@en ; skos:definition "d"@en .
""")
    found = concepts_from(read_quads(path))
    assert [(c.id, c.kind) for c in found] == [("b", "benchmark")]


def test_bundled_concept_iris_are_still_defined(vocab):
    """Existing IRIs stay: every concept the bundled graph names is still defined (perhaps with a new class)."""
    bundled = rdflib.Graph().parse(BUNDLED_GRAPH)
    named = {c for cls in (ALIGN.Method, ALIGN.Challenge) for c in bundled.subjects(RDF.type, cls)}
    defined = set(concepts(vocab))
    assert named and not named - defined


# ---- labels -------------------------------------------------------------------------------


def label_key(label: str) -> tuple[str, ...]:
    """The key the mention finder matches a label by: words, lower-cased unless an acronym."""
    words = WORD.findall(label)
    return tuple(words) if is_acronym(label.strip()) else tuple(w.lower() for w in words)


def _labels(g):
    out = defaultdict(set)
    for c in concepts(g, *KIND_CLASSES):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in g.objects(c, prop):
                out[label_key(str(label))].add(c)
    return out


def test_no_label_is_shared_by_two_concepts(vocab):
    """A shared label (also up to the plural the matcher accepts) would silently go to one concept only."""
    labels = _labels(vocab)
    shared = {k: sorted(map(local, v)) for k, v in labels.items() if len(v) > 1}
    for key, owners in labels.items():
        for suffix in ("s", "es"):
            plural = (*key[:-1], key[-1] + suffix)
            if plural in labels and labels[plural] != owners:
                shared[plural] = sorted(map(local, owners | labels[plural]))
    assert not shared


# Labels that were removed because their common sense outside alignment is another one (see the
# comments in the Turtle files); they must not come back.
REMOVED_AMBIGUOUS = [
    "bias",
    "biases",
    "discrimination",
    "meta-learning",
    "multi-objective optimization",
    "Pareto optimization",
    "self-play",
    "continual learning",
    "causal inference",
    "game theory",
    "decision theory",
    "contract theory",
    "polarization",
    "opacity",
    "overconfidence",
    "verbosity",
    "misuse",
    "SMT",
    "CAT",
    "scheming",
    "co-design",
    "co-creation",
    "audits",
    "PRM",
    "CCS",
    "ELK",
    "SAE",
    "NPO",
    "CPO",
    "ITI",
    "BOLD",
    "ETHICS",
    "backdoors",
    "misinformation",
    "overreliance",
    "situational awareness",
    "manipulation",
    "Panacea",
    "circuit analysis",
    "safety training",
    "watermarking",
    "safety evaluation",
    "Do-Not-Answer",
    "sandwiching",
]


def test_removed_ambiguous_labels_stay_removed(vocab):
    labels = _labels(vocab)
    present = [label for label in REMOVED_AMBIGUOUS if label_key(label) in labels]
    assert not present


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Annual safety training reduced injuries among warehouse staff.", False),
        ("Jailbreak prompts make a language model abandon its safety training.", True),
    ],
)
def test_an_ambiguous_phrase_kept_as_a_context_label_counts_only_beside_ai_words(sentence, expected):
    """'safety training' stays out of the labels (workplace training) but names safety fine-tuning beside AI."""
    from sphinxcontrib_alignsurvey.links.mentions import finders

    vocabulary = load_vocabulary()
    _, cued = finders(vocabulary)
    found = {m.concept.rsplit("/", 1)[-1] for m in cued.find(sentence)}
    assert ("safety-fine-tuning" in found) is expected


def test_field_synonyms_are_labels(vocab):
    """Synonyms readers of the field use (issue 12) name the right concept."""
    labels = _labels(vocab)
    expected = {
        "KL-divergence penalty": "divergence-regularization",
        "explainability": "explainable-ai",
        "adversarial vulnerability": "adversarial-attacks",
        "Constitutional AI": "constitutional-ai",
        "KTO": "kto",
        "SimPO": "simpo",
        "guardrails": "guardrails",
        "alignment faking": "alignment-faking",
        "sycophancy": "sycophancy",
        "backdoor attack": "backdoor-attacks",
        "data poisoning": "data-poisoning",
        "cultural alignment": "cultural-alignment",
        "mesa-optimization": "inner-misalignment",
        "activation steering": "activation-steering",
        "sparse autoencoder": "sparse-autoencoders",
    }
    for label, cid in expected.items():
        assert {local(c) for c in labels[label_key(label)]} == {cid}, label


# ---- sources, introducing works and curated relations --------------------------------------


@pytest.fixture(scope="module")
def recorded_works() -> dict[str, dict]:
    """Work IRI -> record, for works.yaml and works-introducing.yaml."""
    out = {}
    for name in ("works.yaml", "works-introducing.yaml"):
        for r in yaml.safe_load((ROOT / "ontology" / name).read_text(encoding="utf-8")):
            out[work_iri(normalise(clean_title(r["printed"]))).value] = r
    return out


def test_sources_are_real_sections_or_recorded_works(vocab, recorded_works):
    sections = {}
    for path in (SURVEY_A, SURVEY_B):
        survey = read_survey(path)
        sections[survey.id] = {s.number for s in survey.sections}
    for source in set(vocab.objects(None, DCTERMS.source)):
        if WORK_IRI.match(str(source)):
            assert str(source) in recorded_works, source
            continue
        match = SECTION_IRI.match(str(source))
        assert match, source
        sid, number = match.groups()
        assert number in sections[sid], source


def test_introducing_works_have_records(vocab, recorded_works):
    introduced = list(vocab.subject_objects(ALIGN.introducedBy))
    assert len(introduced) >= 100
    for concept, work in introduced:
        assert (concept, RDF.type, ALIGN.Challenge) not in vocab, concept
        assert len(list(vocab.objects(concept, ALIGN.introducedBy))) == 1, concept
        assert str(work) in recorded_works, (concept, work)
        assert (concept, DCTERMS.source, work) in vocab, f"{concept}: the introducing work is also a source"


def test_curated_relations_link_the_right_kinds(vocab):
    for m, c in vocab.subject_objects(ALIGN.addresses):
        assert (m, RDF.type, ALIGN.Method) in vocab and (c, RDF.type, ALIGN.Challenge) in vocab, (m, c)
    evaluates = list(vocab.subject_objects(ALIGN.evaluates))
    assert len(evaluates) >= 40
    for b, c in evaluates:
        assert (b, RDF.type, ALIGN.Benchmark) in vocab and (c, RDF.type, ALIGN.Challenge) in vocab, (b, c)


# ---- ontology/works-introducing.yaml -------------------------------------------------------


@pytest.fixture(scope="module")
def introducing() -> list[dict]:
    return yaml.safe_load(INTRODUCING.read_text(encoding="utf-8"))


def independent_source(url: str) -> str:
    """A registrable domain; on github.com, one source per repository owner."""
    domain = registrable(url)
    if domain == "github.com":
        return "github.com/" + urlparse(url).path.split("/")[1].lower()
    return domain


GH = "https://github.com"


def introducing_problems(record: dict) -> list[str]:
    """works.yaml's sourcing rules, with one documented relaxation for the arXiv id: besides an arXiv
    page or the authors' BibTeX, two listings by different owners on github.com count as independent
    (works.yaml counts github.com once)."""
    out = problems(record)
    arxiv = record.get("arxiv")
    if arxiv:
        sources = record.get("sources") or []
        confirming = {independent_source(s["url"]) for s in sources if "arxiv" in s.get("confirms", [])}
        if len(confirming) >= 2:
            out = [p for p in out if not p.startswith(f"arxiv {arxiv}: no arXiv page for it")]
    return out


@pytest.mark.parametrize(
    ("sources", "ok"),
    [
        ([(f"{GH}/a/x/blob/1/README.md", ["title", "arxiv"]), (f"{GH}/a/y/blob/1/R.md", ["arxiv"])], False),
        ([(f"{GH}/a/x/blob/1/README.md", ["title", "arxiv"]), (f"{GH}/b/y/blob/1/R.md", ["arxiv"])], True),
        ([("https://arxiv.org/abs/2305.18290", ["title", "arxiv"])], True),
        ([("https://tomesphere.com/paper/2305.18290", ["title", "arxiv"])], False),
    ],
)
def test_introducing_checker(sources, ok):
    record = {
        "printed": "T",
        "arxiv": "2305.18290",
        "year": 2023,
        "entrytype": "misc",
        "note": "n",
        "sources": [
            {"url": u, "kind": "arxiv" if "arxiv.org" in u else "secondary", "confirms": c} for u, c in sources
        ],
    }
    assert (not introducing_problems(record)) is ok, introducing_problems(record)


def test_introducing_records_meet_the_curation_rules(introducing):
    failures = {r["printed"]: introducing_problems(r) for r in introducing if introducing_problems(r)}
    assert not failures, "\n".join(f"{t}: {'; '.join(p)}" for t, p in failures.items())


def test_introducing_records_are_sorted_unique_and_new(introducing):
    keys = [normalise(clean_title(r["printed"])) for r in introducing]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    cited = yaml.safe_load((ROOT / "ontology" / "works.yaml").read_text(encoding="utf-8"))
    assert not set(keys) & {normalise(clean_title(r["printed"])) for r in cited}
    ids = [r["arxiv"] for r in [*introducing, *cited] if r.get("arxiv")]
    assert len(ids) == len(set(ids)), "an arXiv id belongs to one record"
    assert len(load_metadata(INTRODUCING)) == len(introducing)


def test_every_introducing_record_is_used(vocab, introducing):
    used = {str(o) for o in vocab.objects(None, DCTERMS.source)}
    unused = [r["printed"] for r in introducing if work_iri(normalise(clean_title(r["printed"]))).value not in used]
    assert not unused
