"""The clause grammar of links/relations.py on sentences written for these tests.

Each case is a construction the old rule (an addressing verb anywhere in the
sentence) got wrong or a pattern the grammar must keep; the sentences are not
taken from the evaluation set in benchmarks/data, which measures the grammar
instead of pinning it.
"""

from __future__ import annotations

import pytest

from sphinxcontrib_alignsurvey.links.mentions import MentionFinder
from sphinxcontrib_alignsurvey.links.relations import Claim, extract
from sphinxcontrib_alignsurvey.links.vocabulary import Concept


def _c(cid: str, pref: str, *alts: str, kind: str = "method") -> Concept:
    return Concept(f"https://x/{kind}/{cid}", cid, kind, pref, tuple(alts), None, "", (), ())


CONCEPTS = [
    _c("dpo", "Direct Preference Optimization", "DPO"),
    _c("rlhf", "Reinforcement Learning from Human Feedback", "RLHF"),
    _c("ppo", "Proximal Policy Optimization", "PPO"),
    _c("kl", "KL regularization"),
    _c("red-teaming", "red teaming"),
    _c("ensembles", "reward model ensembles"),
    _c("audits", "ethical audits"),
    _c("social-choice", "social choice theory"),
    _c("reward-hacking", "reward hacking", kind="challenge"),
    _c("jailbreaks", "jailbreaking", "jailbreaks", kind="challenge"),
    _c("shift", "distribution shift", kind="challenge"),
    _c("bias", "bias", "biases", kind="challenge"),
    _c("forgetting", "catastrophic forgetting", kind="challenge"),
]
FINDER = MentionFinder(CONCEPTS)
KINDS = {c.iri: c.kind for c in CONCEPTS}


def claims(text: str) -> dict[tuple[str, str], str]:
    found = extract(text, FINDER.find(text), KINDS)
    return {(f.method.rsplit("/", 1)[-1], f.challenge.rsplit("/", 1)[-1]): f.claim.value for f in found}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the method as agent, in active, passive and instrument forms
        ("KL regularization curbs reward hacking in long training runs.", {("kl", "reward-hacking"): "addresses"}),
        ("Reward hacking is largely prevented by KL regularization.", {("kl", "reward-hacking"): "addresses"}),
        ("Curbing reward hacking through KL regularization is now standard.", {("kl", "reward-hacking"): "addresses"}),
        ("Red teaming reveals jailbreaks before release.", {("red-teaming", "jailbreaks"): "addresses"}),
        ("DPO was designed to avoid reward hacking.", {("dpo", "reward-hacking"): "addresses"}),
        # the method has the problem
        ("DPO is prone to reward hacking on small datasets.", {("dpo", "reward-hacking"): "limitation"}),
        ("RLHF suffers from distribution shift in deployment.", {("rlhf", "shift"): "limitation"}),
        ("Reward hacking in RLHF is widely reported.", {("rlhf", "reward-hacking"): "limitation"}),
        ("DPO improves efficiency but amplifies biases.", {("dpo", "bias"): "limitation"}),
        ("DPO fails to prevent reward hacking when data is scarce.", {("dpo", "reward-hacking"): "limitation"}),
        # owed, hoped for, negated, questioned or attributed: no claim
        ("Future alignment methods such as DPO must address reward hacking.", {}),
        ("DPO could reduce reward hacking in principle.", {}),
        ("DPO does not target jailbreaks at all.", {}),
        ("Whether DPO reduces reward hacking is unclear.", {}),
        ("Several authors claim that DPO eliminates reward hacking.", {}),
        # the verb in another clause, or another agent
        (
            "KL regularization is cheap, while red teaming detects jailbreaks.",
            {("red-teaming", "jailbreaks"): "addresses"},
        ),
        ("Reward model ensembles help PPO resist reward hacking.", {("ensembles", "reward-hacking"): "addresses"}),
        ("Red teaming improves the robustness of DPO to jailbreaks.", {("red-teaming", "jailbreaks"): "addresses"}),
        ("RLHF and reward hacking are both discussed in section 3.", {}),
        # a 'where' clause brings its own subject; a field of study is not what suffers a problem
        ("Safety training includes techniques such as red teaming, where models are exposed to jailbreaks.", {}),
        ("Red teaming, where models are exposed to jailbreaks, is common.", {}),
        ("Classic results on bias in social choice theory limit what any vote can achieve.", {}),
        ("Bias in RLHF is widely reported.", {("rlhf", "bias"): "limitation"}),
    ],
)
def test_claims(text: str, expected: dict[tuple[str, str], str]) -> None:
    assert claims(text) == expected


def test_enumerated_methods_share_the_predicate() -> None:
    got = claims("DPO, PPO and RLHF all suffer from reward hacking.")
    assert got == {
        ("dpo", "reward-hacking"): "limitation",
        ("ppo", "reward-hacking"): "limitation",
        ("rlhf", "reward-hacking"): "limitation",
    }


def test_a_quoted_title_is_not_the_author_claim() -> None:
    assert claims('As "How KL Regularization Prevents Reward Hacking Everywhere" argues, tuning matters.') == {}


def test_every_finding_names_its_pattern() -> None:
    found = extract(
        "KL regularization curbs reward hacking.", FINDER.find("KL regularization curbs reward hacking."), KINDS
    )
    assert [(f.claim, f.pattern) for f in found] == [(Claim.ADDRESSES, "X-addresses-Y")]


def test_sentences_without_both_kinds_are_skipped() -> None:
    assert extract("DPO and PPO are methods.", FINDER.find("DPO and PPO are methods."), KINDS) == []
