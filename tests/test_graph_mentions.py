from sphinxcontrib_alignsurvey.links.mentions import MentionFinder
from sphinxcontrib_alignsurvey.links.vocabulary import Concept


def _c(cid, pref, *alts, kind="method"):
    return Concept(f"https://x/{cid}", cid, kind, pref, tuple(alts), None, "", (), ())


FINDER = MentionFinder(
    [
        _c("dpo", "Direct Preference Optimization", "DPO"),
        _c("f-dpo", "f-DPO"),
        _c("fine-tuning", "fine-tuning", "finetuning"),
        _c("reward-modeling", "reward modeling", "reward model", "reward modelling"),
        _c("reward-overopt", "reward model overoptimization", kind="challenge"),
        _c("reward-hacking", "reward hacking", kind="challenge"),
    ]
)


def ids(text):
    return [(m.concept.rsplit("/", 1)[-1], m.exact) for m in FINDER.find(text)]


def test_acronyms_are_case_sensitive():
    assert ids("DPO works") == [("dpo", "DPO")]
    assert ids("the dpo of x") == []


def test_labels_fold_case_plural_and_hyphen():
    assert ids("Reward Models and fine tuning") == [("reward-modeling", "Reward Models"), ("fine-tuning", "fine tuning")]
    assert ids("Direct preference optimization") == [("dpo", "Direct preference optimization")]


def test_word_boundaries():
    assert ids("f-DPO beats DPO") == [("f-dpo", "f-DPO"), ("dpo", "DPO")]
    assert ids("DPOs") == [("dpo", "DPOs")]
    assert ids("XDPO") == []


def test_longest_match_wins():
    assert ids("reward model overoptimization") == [("reward-overopt", "reward model overoptimization")]


def test_offsets_select_exact_text():
    text = "We show that reward modelling reduces reward hacking."
    for m in FINDER.find(text):
        assert text[m.start : m.end] == m.exact

