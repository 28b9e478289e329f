"""The citation evaluation's labels: every labelled pair is a citation the reader finds, every
citation the reader finds is labelled, and a pair of an off-topic work is labelled off-topic.
Figures are printed by ``benchmarks/eval_citations.py``, never asserted here."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.reader import read_survey

from .conftest import bench_script

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def evaluation():
    yield from bench_script("eval_citations")


def labelled_surveys() -> list[str]:
    data = BENCH / "data" / "citations"
    return sorted({p.name.removeprefix("references-").removesuffix(".jsonl") for p in data.rglob("references-*.jsonl")})


@pytest.mark.parametrize("sid", labelled_surveys())
def test_every_citation_of_the_survey_is_labelled_once_and_off_topic_works_only_off_topic(evaluation, sid):
    survey = read_survey(evaluation.survey_path(sid))
    refs, pairs = evaluation.load_labels(sid, list(survey.sentences))
    cited = {(s.index, n) for s in survey.sentences for c in s.citations for n in c.numbers}
    assert set(pairs) == cited
    assert set(refs) == {r.number for r in survey.references}
    assert set(refs.values()) <= {"on-topic", "off-topic"}
    for (_, number), label in pairs.items():
        assert label in evaluation.LABELS
        assert (label == "off-topic") == (refs[number] == "off-topic"), (sid, number)


def test_a_label_naming_no_sentence_of_the_survey_is_refused(evaluation):
    survey = read_survey(evaluation.survey_path("alignment-survey-written-e"))
    with pytest.raises(SystemExit, match="not found by the reader"):
        evaluation._sentence_index(list(survey.sentences), 1, "A sentence that is not there.", 1)


def test_the_calibration_bands_count_each_score_once_on_the_side_of_its_decision(evaluation):
    values = [(-2.0, True), (-0.5, True), (-0.5, False), (0.0, False), (3.0, True)]
    below = evaluation._binned(values, (-0.5, 1.0), closed_right=False)  # off-topic: score < threshold
    assert [row.split()[-3:] for row in below] == [["1", "1", "1.00"], ["3", "1", "0.33"], ["1", "1", "1.00"]]
    at_or_below = evaluation._binned(values, (-0.5, 1.0), closed_right=True)  # unsupported: score <= threshold
    assert [row.split()[-3:] for row in at_or_below] == [["3", "2", "0.67"], ["1", "0", "0.00"], ["1", "1", "1.00"]]
    assert evaluation._binned([], (0.0,), closed_right=True)[0].split()[-3:] == ["0", "0", "-"]
