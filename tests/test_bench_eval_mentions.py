"""The mention evaluation's second reader: data that matches the set it samples, and a comparison
that counts what it says.  Figures are printed by the script, never asserted here."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def evaluation():
    spec = importlib.util.spec_from_file_location("eval_mentions", BENCH / "eval_mentions.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


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
