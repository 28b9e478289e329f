"""How sure a derived link is, from its evidence.

Why a table per pattern: the patterns of :mod:`.relations` are not equally
reliable ("Y is mitigated by X" is nearly always right, "Y in X" less so).
Each sentence's confidence is the precision its pattern reached on the dev
split of the hand-labelled evaluation set (``python benchmarks/eval_relations.py
--counts`` prints the table below), shrunk towards a prior.  The rules were
tuned on that split, so its counts flatter them; the prior (0.85, worth six
sentences) is what the extractor reached on sentences it had not been tuned
on, and it keeps a pattern seen a few times from being stated as certain.
The held-out split checks the result (``docs/accuracy.rst``).

A link supported by several sentences is more likely right than any one of
them: the chance that every sentence is wrong shrinks with each.  Sentences
of the same survey are not independent (a machine-written survey repeats
itself), so after the first, each further sentence of a survey counts for
half as much (its error is raised to the power 1/2), and a second survey
counts fully.
"""

from __future__ import annotations

from collections.abc import Iterable

from .relations import Claim

# right / fired on the dev split, per pattern (see benchmarks/eval_relations.py).
PATTERN_COUNTS: dict[tuple[Claim, str], tuple[int, int]] = {
    (Claim.ADDRESSES, "X-addresses-Y"): (16, 17),
    (Claim.ADDRESSES, "X-against-Y"): (6, 6),
    (Claim.ADDRESSES, "X-detects-Y"): (11, 11),
    (Claim.ADDRESSES, "X-to-address-Y"): (5, 5),
    (Claim.ADDRESSES, "Y-is-addressed-by-X"): (7, 7),
    (Claim.ADDRESSES, "not-suffer-from"): (1, 1),
    (Claim.ADDRESSES, "robust-to"): (1, 1),
    (Claim.ADDRESSES, "solutions-to-Y-are-X"): (2, 2),
    (Claim.LIMITATION, "X-but-its-Y"): (3, 3),
    (Claim.LIMITATION, "X-but-suffers-Y"): (13, 13),
    (Claim.LIMITATION, "X-is-a-source-of-Y"): (1, 1),
    (Claim.LIMITATION, "X-suffers-Y"): (14, 14),
    (Claim.LIMITATION, "Y-caused-by-X"): (3, 3),
    (Claim.LIMITATION, "Y-in-X"): (5, 5),
    (Claim.LIMITATION, "fails-to-prevent"): (3, 3),
    (Claim.LIMITATION, "not-robust-to"): (1, 1),
    (Claim.LIMITATION, "prone-to"): (2, 2),
    (Claim.LIMITATION, "unlike-X-negated"): (1, 1),
}

PRIOR = 0.85  # precision of the extractor on sentences it was not tuned on (held-out, first round)
PRIOR_WEIGHT = 6  # how many imagined sentences the prior is worth
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
    return round((right + PRIOR * PRIOR_WEIGHT) / (fired + PRIOR_WEIGHT), 2)


def link_confidence(evidence: Iterable[tuple[Claim, str, str]]) -> float:
    """Confidence of a link from its evidence as (claim, pattern, survey) triples, to two decimals.

    Rounded here, once, so the graph, the filters and the docs agree on every value.
    """
    by_survey: dict[str, list[float]] = {}
    for claim, pattern, survey in evidence:
        by_survey.setdefault(survey, []).append(1.0 - evidence_confidence(claim, pattern))
    wrong = 1.0
    for errors in by_survey.values():
        errors.sort()
        wrong *= errors[0]
        for e in errors[1:]:
            wrong *= e**0.5
    return round(min(CEILING, 1.0 - wrong), 2) if by_survey else 0.0
