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
    survey = read_text(
        "# T\n\n## 1 A\n\nAlpha beta [1], while gamma delta [2] and more.\n\n## References\n\n[1] One\n\n[2] Two\n",
        "s.md",
    )
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


CREDIT = """# AI Alignment: A Survey of Methods

## 1 Methods

Neurosymbolic methods [1] combine symbolic rules with neural networks.
Neurosymbolic methods combine symbolic rules with neural networks [2].
Preference optimization methods [1] train policies from pairs of answers.
ORPO [3] trains without a reference model.
Policies trained this way still show reward hacking [1].

## References

[1] Direct Preference Optimization for Language Model Alignment

[2] Neurosymbolic Methods for Aligning Language Models

[3] Preference Optimization: A Survey of Alignment Methods
"""


def _credit_scores(words):
    survey = read_text(CREDIT, "credit.md")
    scorer = SupportScorer(SurveyModel.build(survey, words))
    return {(c.sentence.text[:16], n): s for n in (1, 2, 3) for c, s in scorer.score_all(n)}


def test_a_bracket_after_a_method_the_title_does_not_name_credits_the_work_with_it(words) -> None:
    scores = _credit_scores(words)
    credited = scores[("Neurosymbolic me", 1)]
    assert credited.credited == "Neurosymbolic methods" and credited.coverage == 0.0
    # the same words with a title that names the method: nothing credited, and a higher score
    named = scores[("Neurosymbolic me", 2)]
    assert named.credited is None and named.score > credited.score
    # a challenge before the bracket backs the clause, it does not credit the work with a method
    assert scores[("Policies trained", 1)].credited is None


def test_a_title_about_a_method_speaks_for_its_broader_method_not_a_narrower_one(words) -> None:
    scores = _credit_scores(words)
    broader = scores[("Preference optim", 1)]  # a DPO title cited for preference optimisation
    assert broader.shared and broader.credited is None
    narrower = scores[("ORPO [3] trains ", 3)]  # a preference-optimisation survey cited for ORPO
    assert narrower.credited == "ORPO" and not narrower.shared


def test_a_credited_method_lowers_the_score_by_the_penalty(words) -> None:
    from sphinxcontrib_alignsurvey.check import support

    scores = _credit_scores(words)
    s = scores[("Neurosymbolic me", 1)]
    assert s.score == pytest.approx(s.coverage + s.profile - 0.05 - support.CREDITED_PENALTY, abs=1e-3)


DECIDE = """# AI Alignment: A Survey of Methods

## 1 Methods

Moral graph elicitation builds a graph of values from many participants [1].
Neurosymbolic methods [2] combine symbolic rules with neural networks.
Neurosymbolic methods [2] combine symbolic rules with neural networks, cutting errors by 40%.
Neurosymbolic methods [2; 3] combine symbolic rules with neural networks.
Systems are often built this way in practice [2].

## References

[1] What are human values, and how do we align AI to them

[2] Direct Preference Optimization for Language Model Alignment

[3] Preference Optimization: A Survey of Alignment Methods
"""


@pytest.fixture(scope="module")
def decide_words() -> VocabularyWords:
    vocabulary = load_vocabulary()
    return VocabularyWords.of(vocabulary.concepts, vocabulary.triples)


def _decide(words):
    survey = read_text(DECIDE, "decide.md")
    scorer = SupportScorer(SurveyModel.build(survey, words))
    out = {}
    for n in (1, 2, 3):
        for c, s in scorer.score_all(n):
            out[(c.sentence.text[:20] + ("%" if "%" in c.sentence.text else ""), n)] = s
    return survey, out


def test_a_concept_the_vocabulary_says_the_work_introduced_is_shared_with_its_title(decide_words) -> None:
    # the title does not name Moral Graph Elicitation; the vocabulary says the work introduced it
    _, scores = _decide(decide_words)
    s = scores[("Moral graph elicitat", 1)]
    assert s.shared and s.score > 1.0 and s.abstain is None


def test_a_stated_figure_lowers_the_score_by_its_penalty(decide_words) -> None:
    from sphinxcontrib_alignsurvey.check import support

    _, scores = _decide(decide_words)
    plain, figure = scores[("Neurosymbolic method", 2)], scores[("Neurosymbolic method%", 2)]
    assert figure.figures == ("40%",) and plain.figures == ()
    assert figure.score < plain.score - 0.1
    assert figure.score == pytest.approx(plain.score - support.FIGURE_PENALTY, abs=2e-3)


def test_a_citation_list_and_a_generic_clause_are_not_judged(decide_words) -> None:
    survey, scores = _decide(decide_words)
    assert scores[("Neurosymbolic method", 3)].abstain == "list"
    assert scores[("Systems are often bu", 2)].abstain == "generic"
    findings = check_survey(survey, decide_words, thresholds=Thresholds(off_topic=-0.256, unsupported=10.0))
    flagged = {(survey.sentences[f.sentence].text[:20], f.reference) for f in findings if f.kind is Kind.UNSUPPORTED}
    assert ("Neurosymbolic method", 2) in flagged  # the single citations are judged
    assert ("Neurosymbolic method", 3) not in flagged and ("Systems are often bu", 2) not in flagged
