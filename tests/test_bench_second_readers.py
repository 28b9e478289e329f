"""The evaluations' second readers: data that matches the sets they sample, and comparisons that
count what they say.  Figures are printed by the scripts, never asserted here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary

from .conftest import bench_script

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def evaluation():
    yield from bench_script("eval_mentions")


@pytest.fixture(scope="module")
def relations():
    yield from bench_script("eval_relations")


def test_the_second_readers_labels_are_spans_of_their_sentences_and_concepts_of_the_vocabulary():
    ids = {c.id for c in load_vocabulary().concepts}
    rows = [json.loads(line) for line in (BENCH / "data" / "mentions_second_reader.jsonl").open(encoding="utf-8")]
    assert [r["item"] for r in rows] == list(range(1, 151))
    for r in rows:
        for c in r["concepts"]:
            assert c["id"] in ids, (r["item"], c)
            assert c["text"] in r["text"], (r["item"], c)


def test_the_second_reader_is_compared_sentence_by_sentence(evaluation):
    rows = evaluation.load()
    evaluation.predict(rows, load_vocabulary())
    fig = evaluation.second_reader(rows)
    survey = fig["survey"]
    assert survey["sentences"] == 100 and fig["other"]["sentences"] == 50
    # agreement is symmetric in its true positives: reader 2's precision against reader 1 is reader 1's recall
    s = survey["second_vs_first"]
    assert s["tp"] == round(s["precision"] * survey["second"]) == round(s["recall"] * survey["first"])
    # the matcher is scored on the same rows: its true positives against reader 1 are the set's own
    tp = sum(len(set(r.gold) & set(r.predicted)) for r in rows if r.source == "survey" and r.split != "written")
    assert 0 < survey["matcher_vs_first"]["tp"] <= tp


def test_the_relation_second_reader_keys_pairs_of_the_set_and_labels_them_with_the_three_relations():
    first = {}
    for line in (BENCH / "data" / "relations.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        first[(d["survey"], d["sentence"], d["method"], d["challenge"])] = d["text"]
    rows = [json.loads(line) for line in (BENCH / "data" / "relations_second_reader.jsonl").open(encoding="utf-8")]
    assert len(rows) == 100 and len({(r["survey"], r["sentence"], r["method"], r["challenge"]) for r in rows}) == 100
    for r in rows:
        assert first[(r["survey"], r["sentence"], r["method"], r["challenge"])] == r["text"]
        assert r["relation"] in {"addresses", "limitation", "none"}


def test_kappa_is_one_for_the_same_labels_and_zero_for_labels_that_agree_by_chance_alone(relations):
    same = ["addresses", "none", "limitation", "none"]
    assert relations.kappa(same, same) == 1.0
    # each labelling says "none" half the time; they agree on half the items, as chance predicts
    a = ["none", "none", "addresses", "addresses"]
    b = ["none", "addresses", "none", "addresses"]
    assert relations.kappa(a, b) == 0.0


def test_the_citation_second_reader_keys_pairs_of_the_set_and_uses_its_three_labels():
    data = BENCH / "data" / "citations"
    first = {}
    for name in (
        "alignment-survey-1ef323be.jsonl",
        "alignment-survey-ffda8c1d-1.jsonl",
        "alignment-survey-ffda8c1d-2.jsonl",
    ):
        for line in (data / name).open(encoding="utf-8"):
            d = json.loads(line)
            first[(d["survey"], d["sentence"], d["reference"])] = d["text"]
    rows = [json.loads(line) for line in (data / "second-reader.jsonl").open(encoding="utf-8")]
    assert [r["item"] for r in rows] == list(range(1, 121))
    for r in rows:
        assert first[(r["survey"], r["sentence"], r["reference"])] == r["text"]
        assert r["label"] in {"supported", "unsupported", "off-topic"}
