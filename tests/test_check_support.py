"""citation-unsupported: a citing clause scored against the title of the work it cites."""

from __future__ import annotations

import pytest

from sphinxcontrib_alignsurvey.check import Kind, Thresholds, check_survey
from sphinxcontrib_alignsurvey.check.model import SurveyModel, VocabularyWords, segments
from sphinxcontrib_alignsurvey.check.support import SupportScorer
from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary
from sphinxcontrib_alignsurvey.reader import read_survey, read_text

from .conftest import DATA

SMALL = DATA / "check" / "small-survey.md"


@pytest.fixture(scope="module")
def words() -> VocabularyWords:
    return VocabularyWords.of(load_vocabulary().concepts)


def _sentence(survey, start: str):
    return next(s for s in survey.sentences if s.text.startswith(start))


def test_segment_is_the_clause_between_neighbouring_brackets() -> None:
    survey = read_text("# T\n\n## 1 A\n\nAlpha beta [1], while gamma delta [2] and more.\n\n## References\n\n"
                       "[1] One\n\n[2] Two\n", "s.md")
    seg = segments(survey.sentences[0])
    assert seg[1][0] == 0 and "Alpha beta" in seg[1][1] and "gamma" in seg[1][1]
    assert seg[2][0] == 1 and "gamma delta" in seg[2][1] and "Alpha" not in seg[2][1]


def test_a_clause_about_something_else_is_unsupported(words) -> None:
    survey = read_survey(SMALL)
    flagged = {(f.sentence, f.reference) for f in check_survey(survey, words) if f.kind is Kind.UNSUPPORTED}
    red_team = _sentence(survey, "Red teaming").index
    debate = _sentence(survey, "Debate lets").index
    assert (red_team, 4) in flagged
    assert (debate, 4) not in flagged


def test_scores_rank_the_matching_clause_above_the_unrelated_one(words) -> None:
    survey = read_survey(SMALL)
    scores = {c.sentence.text[:12]: s for c, s in SupportScorer(SurveyModel.build(survey, words)).score_all(4)}
    assert scores["Debate lets "].score > scores["Red teaming "].score
    assert scores["Debate lets "].coverage > 0.3
    assert scores["Red teaming "].coverage == 0.0 and not scores["Red teaming "].shared


def test_off_topic_references_are_not_also_reported_per_citation(words) -> None:
    survey = read_survey(SMALL)
    findings = check_survey(survey, words, thresholds=Thresholds(off_topic=-0.256, unsupported=10.0))
    assert all(f.reference != 5 for f in findings if f.kind is Kind.UNSUPPORTED)
    assert any(f.reference == 1 for f in findings if f.kind is Kind.UNSUPPORTED)  # threshold 10 flags the rest


def test_unsupported_finding_names_its_pointer(words) -> None:
    survey = read_survey(SMALL)
    [f] = [f for f in check_survey(survey, words) if f.kind is Kind.UNSUPPORTED]
    sentence = next(s for s in survey.sentences if s.index == f.sentence)
    assert sentence.citations[f.pointer].numbers == (4,)
    assert f.line == sentence.line and f.score is not None and not f.is_error
