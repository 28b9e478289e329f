"""``vocab suggest``: a draft vocabulary from a survey of another field, ranked, loadable as written.

The survey is one we wrote for the worked example (examples/other-field/); what it defines,
its headings and its repeated phrases were read off the text, not taken from the code's output.
"""

from __future__ import annotations

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.links.suggest import sentence_case, suggest, to_turtle
from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary
from sphinxcontrib_alignsurvey.reader import read_survey
from sphinxcontrib_alignsurvey.validate import validate_files

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "other-field"
SURVEY = EXAMPLE / "federated-learning-survey.md"


@pytest.fixture(scope="module")
def drafted():
    return suggest([read_survey(SURVEY)], limit=30)


def test_acronym_definitions_become_concepts_with_their_acronym(drafted):
    by_label = {c.label: c for c in drafted}
    # the survey writes "Federated Averaging (FedAvg)", "(DP)", "(SecAgg)", "(PFL)", "(SGD)", "(CAVs)"
    for label, acronym in [
        ("Federated averaging", "FedAvg"),
        ("Differential privacy", "DP"),
        ("Secure aggregation", "SecAgg"),
        ("Personalised federated learning", "PFL"),
        ("Stochastic gradient descent", "SGD"),
        ("Connected automated vehicles", "CAVs"),
    ]:
        assert by_label[label].acronym == acronym, label
        assert by_label[label].defined


def test_headings_become_concepts_split_at_and_and_nested_under_their_section(drafted):
    by_label = {c.label: c for c in drafted}
    # "### 2.2 Client Drift and Heterogeneity" names two concepts; generic headings name none
    assert by_label["Client drift"].heading and by_label["Heterogeneity"].heading
    assert "Introduction" not in by_label and "Benchmarks" not in by_label
    assert by_label["Federated averaging"].parent == by_label["Optimisation methods"].key  # 2.1 under 2


def test_kinds_come_from_the_words(drafted):
    kinds = {c.label: c.kind for c in drafted}
    assert kinds["Client drift"] == "challenge" and kinds["Backdoor attacks"] == "challenge"
    assert kinds["Federated averaging"] == "method"


def test_candidates_are_ranked_by_mentions_and_evidence(drafted):
    scores = [c.score for c in drafted]
    assert scores == sorted(scores, reverse=True)
    top = {c.label for c in drafted[:5]}
    assert {"Differential privacy", "Federated averaging", "Secure aggregation"} <= top


def test_the_draft_loads_and_validates_as_written(tmp_path, drafted):
    path = tmp_path / "draft.ttl"
    path.write_text(to_turtle(drafted, "https://example.org/fl/", "FL"), encoding="utf-8")
    vocab = load_vocabulary([path])
    assert len(vocab.concepts) == len(drafted)
    out = tmp_path / "out"
    assert main(["convert", str(SURVEY), "--vocabulary-only", str(path), "--out", str(out)]) == 0
    ok, violations = validate_files([out / "graph.ttl"])
    assert ok, violations


def test_sentence_case_keeps_acronyms_and_coined_words():
    assert sentence_case("Client Drift and Heterogeneity") == "Client drift and heterogeneity"
    assert sentence_case("non-IID Data") == "non-IID data"
    assert sentence_case("the FedAvg Baseline") == "The FedAvg baseline"


def test_cli_writes_the_draft_and_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "draft.ttl"
    assert main(["vocab", "suggest", str(EXAMPLE), "--limit", "10", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count(" a skos:Concept, align:") == 10 and "# 1. score" in text
    assert main(["vocab", "suggest", str(EXAMPLE), "--out", str(out)]) == 1
    assert "exists" in capsys.readouterr().err
    assert main(["vocab", "suggest", str(EXAMPLE), "--namespace", "fl"]) == 2


def test_the_edited_example_vocabulary_finds_the_fields_concepts_and_the_bundled_one_keeps_out(tmp_path):
    from sphinxcontrib_alignsurvey.convert import convert

    own = convert([SURVEY], load_vocabulary([EXAMPLE / "federated-learning.ttl"]))
    ids = {c.iri: c.id for c in own.vocabulary.concepts}
    found = {ids[m.concept] for links in own.links.surveys.values() for ms in links.mentions.values() for m in ms}
    assert {
        "federated-averaging",
        "fedprox",
        "scaffold",
        "client-drift",
        "secure-aggregation",
        "differential-privacy",
        "backdoor-attacks",
        "leaf",
        "robust-aggregation",
    } <= found
    bundled = convert([SURVEY])
    ids = {c.iri: c.id for c in bundled.vocabulary.concepts}
    tagged = {
        (ids[m.concept], m.exact)
        for links in bundled.links.surveys.values()
        for ms in links.mentions.values()
        for m in ms
    }
    # "Connected automated vehicles (CAVs)" is defined by the survey; "inductive biases" is a prior
    assert not {cid for cid, _ in tagged} & {"concept-activation-vectors", "bias"}
