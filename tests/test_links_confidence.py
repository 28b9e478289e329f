"""Confidence of claimed links: per-pattern evidence, combined over sentences and surveys."""

from __future__ import annotations

from sphinxcontrib_alignsurvey.links.confidence import (
    CEILING,
    DEFAULT_MIN_CONFIDENCE,
    PATTERN_COUNTS,
    PRIOR,
    evidence_confidence,
    link_confidence,
)
from sphinxcontrib_alignsurvey.links.relations import Claim

A = (Claim.ADDRESSES, "X-addresses-Y")


def test_a_pattern_never_measured_gets_the_prior() -> None:
    assert evidence_confidence(Claim.ADDRESSES, "no-such-pattern") == round(PRIOR, 2)


def test_measured_patterns_are_shrunk_towards_the_prior() -> None:
    for (claim, pattern), (right, fired) in PATTERN_COUNTS.items():
        value = evidence_confidence(claim, pattern)
        assert 0.0 < value < 1.0
        if fired:  # between the prior and the raw precision
            raw = right / fired
            assert min(raw, PRIOR) - 0.005 <= value <= max(raw, PRIOR) + 0.005


def test_more_sentences_and_surveys_raise_confidence_up_to_the_ceiling() -> None:
    one = link_confidence([(*A, "s1")])
    same_survey = link_confidence([(*A, "s1"), (*A, "s1")])
    two_surveys = link_confidence([(*A, "s1"), (*A, "s2")])
    assert one == evidence_confidence(*A)
    assert one < same_survey < two_surveys <= CEILING
    assert link_confidence([(*A, f"s{i}") for i in range(20)]) == CEILING
    assert link_confidence([]) == 0.0


def test_the_result_does_not_depend_on_evidence_order() -> None:
    evidence = [(*A, "s1"), (Claim.ADDRESSES, "X-detects-Y", "s1"), (*A, "s2")]
    assert link_confidence(evidence) == link_confidence(list(reversed(evidence)))


def test_every_measured_single_sentence_clears_the_default_minimum() -> None:
    # the default keeps precision at target on the evaluation set; a pattern below it would drop out silently
    assert 0.0 < DEFAULT_MIN_CONFIDENCE < 1.0
    assert all(evidence_confidence(c, p) >= DEFAULT_MIN_CONFIDENCE for c, p in PATTERN_COUNTS)
