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
    assert ids("Reward Models and fine tuning") == [
        ("reward-modeling", "Reward Models"),
        ("fine-tuning", "fine tuning"),
    ]
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


# ---- senses: context labels, cues, false senses, a scheme's subject, a document's own acronyms ------------

from sphinxcontrib_alignsurvey.links.mentions import MentionFinder as _Finder  # noqa: E402
from sphinxcontrib_alignsurvey.links.vocabulary import CueSet  # noqa: E402

AI = "https://x/AIContext"
CUES = {AI: CueSet(AI, ("AI", "language model", "trained"), document_wide=True)}


def _s(cid, pref, *alts, kind="challenge", ctx=(), cues=(), false=(), scheme=()):
    return Concept(
        f"https://x/{cid}",
        cid,
        kind,
        pref,
        tuple(alts),
        None,
        "",
        (),
        (),
        context_labels=tuple(ctx),
        cues=tuple(cues),
        false_senses=tuple(false),
        scheme_cues=tuple(scheme),
    )


SENSES_CONCEPTS = [
    _s(
        "bias",
        "Bias and discrimination",
        "gender bias",
        ctx=["bias", "biased"],
        cues=["gender", "social", "discriminat*"],
        false=["inductive bias", "bias term"],
    ),
    _s("fairness", "Fairness", ctx=["fairness"], cues=[AI]),
    _s("debate", "AI safety via debate", "AI debate", "debate", kind="method", false=["debate between"]),
    _s("cav", "Concept activation vectors", "CAV", kind="method"),
    _s("cai", "Constitutional AI", kind="method"),
    _s("rlhf", "Reinforcement learning from human feedback", "RLHF", kind="method"),
    _s("sycophancy", "Sycophancy", scheme=[AI]),
    _s("truthfulqa", "TruthfulQA", kind="benchmark", scheme=[AI]),
]
SENSES = _Finder(SENSES_CONCEPTS, CUES)


def sense(text, scope=None):
    scope = SENSES.scope([text]) if scope is None else scope
    return [(m.concept.rsplit("/", 1)[-1], m.exact) for m in SENSES.find(text, scope)]


def test_a_context_label_needs_one_of_its_cues():
    assert sense("Social biases in hiring models are hard to remove.") == [("bias", "biases")]
    assert sense("The classifier is biased against applicants, i.e. it discriminates.") == [("bias", "biased")]
    assert sense("Convolutions have few biases worth mentioning.") == []
    assert sense("Gender bias persists.") == [("bias", "Gender bias")]  # an ordinary label needs no cue


def test_a_false_sense_claims_its_words_even_beside_a_cue():
    assert sense("A gender-neutral inductive bias of convolutions.") == []
    assert sense("The bias terms of each social-network layer are frozen.") == []


def test_a_false_sense_blocks_the_label_but_not_the_rest_of_the_sentence():
    assert sense("The debate between utilitarians and AI debate protocols differ.") == [("debate", "AI debate")]
    assert sense("Debate improves oversight.") == [("debate", "Debate")]


def test_a_document_wide_cue_set_holds_in_every_sentence_of_a_document_about_it():
    assert sense("Fairness is an open question.") == []  # a sentence alone, no AI cue
    assert sense("Fairness of AI hiring tools is an open question.") == [("fairness", "Fairness")]
    document = ["AI systems are trained on web text.", "A language model answers.", "Fairness is open."]
    scope = SENSES.scope(document)
    assert sense("Fairness is an open question.", scope) == [("fairness", "Fairness")]
    scope = SENSES.scope(
        ["Queues serve requests.", "Routers drop packets.", "Fairness is open.", "AI."] * 3 + ["Links fail."] * 20
    )
    assert sense("Fairness is an open question.", scope) == []  # too few sentences about AI


def test_a_schemes_subject_gates_every_label_but_coined_names():
    assert sense("Sycophancy is banned in amateur golf clubs.") == []
    assert sense("Sycophancy of a language model towards its user.") == [("sycophancy", "Sycophancy")]
    assert sense("Scores on TruthfulQA were reported.") == [("truthfulqa", "TruthfulQA")]


def test_an_acronym_the_document_defines_otherwise_is_not_ours_there():
    text = "Connected automated vehicles (CAVs) share maps; CAVs platoon at junctions."
    assert sense(text) == []
    assert sense("CAVs platoon at junctions.") == [("cav", "CAVs")]  # undefined here: the vocabulary's sense
    scope = SENSES.scope([text])
    assert sense("Each CAV brakes.", scope) == []


def test_an_acronym_defined_with_a_known_long_form_means_that_concept():
    scope = SENSES.scope(["We follow Constitutional AI (CAI) throughout."])
    assert sense("CAI needs no human labels.", scope) == [("cai", "CAI")]
    scope = SENSES.scope(["Reinforcement Learning through Human Feedback (RLHF) is common."])  # near spelling
    assert sense("RLHF is costly.", scope) == [("rlhf", "RLHF")]


def test_results_do_not_depend_on_how_large_the_vocabulary_is():
    noise = [_s(f"n{i}", f"reward w{i} model", f"W{i}X", kind="method") for i in range(2000)]
    big = _Finder([*SENSES_CONCEPTS, *noise], CUES)
    texts = ["Social biases and fairness of AI tools.", "CAV and RLHF, the AI debate.", "Sycophancy of an AI."]
    for text in texts:
        scope = big.scope([text])
        assert [(m.concept, m.start, m.end) for m in big.find(text, scope)] == [
            (m.concept, m.start, m.end) for m in SENSES.find(text, SENSES.scope([text]))
        ]
