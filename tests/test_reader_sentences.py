"""Sentence splitting sanity on the seeds and on known traps (requirement 7)."""

from __future__ import annotations

import re

import pytest

from sphinxcontrib_alignsurvey.reader import read_text

ENDS_ON_ABBREVIATION = re.compile(r"(?:\be\.g\.|\bi\.e\.|\bet al\.|\bvs\.)$")


def _balanced(text: str) -> bool:
    text = re.sub(r"(?<![\w(])\d\)", "", text)  # "1)" enumerations have no opener
    return text.count("[") == text.count("]") and text.count("(") == text.count(")")


@pytest.mark.parametrize("which", ["a", "b"])
def test_seed_sentences_sane(which, survey_a, survey_b):
    survey = {"a": survey_a, "b": survey_b}[which]
    assert len(survey.sentences) == {"a": 526, "b": 772}[which]
    previous = None
    for s in survey.sentences:
        assert not ENDS_ON_ABBREVIATION.search(s.text), s.text
        assert _balanced(s.text), (s.line, s.text)
        if previous is not None and (previous.paragraph, previous.line) == (s.paragraph, s.line):
            # a split inside a line never lands before a lower-case word (hard breaks may)
            assert not s.text[0].islower(), (s.line, s.text)
        previous = s


def test_seed_abbreviations_stay_inside_sentences(survey_b):
    inside = [s for s in survey_b.sentences if "e.g." in s.text or " vs." in s.text]
    assert len(inside) == 16  # 16 with "e.g."; both "vs." sentences also hold an "e.g."


def test_hand_checked_sentences(survey_a, survey_b):
    by_line_b = {}
    for s in survey_b.sentences:
        by_line_b.setdefault(s.line, []).append(s.text)
    assert by_line_b[15] == [  # a list item: the "1." marker and the ** emphasis are not text
        "Value Specification: Translating abstract human values into actionable reward functions often fails to "
        "capture contextual nuances, leading to goal misgeneralization [9].",
        "For instance, models may optimize for superficial reward signals (e.g., verbosity) rather than underlying "
        "intentions.",
    ]
    assert (
        "Yet, these methods struggle with incommensurable values (e.g., fairness vs. utility), as highlighted by [29], "
        "which identifies fundamental limitations in aggregating preferences democratically."
    ) in by_line_b[62]
    first = survey_a.sentences[0]
    assert first.line == 5 and first.section == "1" and first.paragraph == 0
    assert first.text.startswith("AI alignment is a foundational concept") and first.text.endswith(".")
    tex = [s.text for s in survey_b.sentences if s.line == 120][1]
    assert tex.startswith("Given a preference dataset \\( D = ") and tex.endswith("to maximize the likelihood:")


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("Methods e.g. RLHF [1] work. Others fail.", ["Methods e.g. RLHF [1] work.", "Others fail."]),
        ("As Smith et al. [2] show, it works. Next one.", ["As Smith et al. [2] show, it works.", "Next one."]),
        ("Compare A vs. B here. Then C.", ["Compare A vs. B here.", "Then C."]),
        ("That is, i.e. The point stands. Done.", ["That is, i.e. The point stands.", "Done."]),
        ("See [3. Also 4] for it. Fine.", ["See [3. Also 4] for it.", "Fine."]),
        ("A claim (see Sec. 2. Above) holds. B.", ["A claim (see Sec. 2. Above) holds.", "B."]),
        ("Work by J. Smith matters. Yes.", ["Work by J. Smith matters.", "Yes."]),
        ("Math $x. Y$ stays. Z.", ["Math $x. Y$ stays.", "Z."]),
        ("TeX \\( a. B \\) stays. Z.", ["TeX \\( a. B \\) stays.", "Z."]),
        ("Ends [1]. Starts [2] again.", ["Ends [1].", "Starts [2] again."]),
        ("An unclosed [2 bracket. Still splits.", ["An unclosed [2 bracket.", "Still splits."]),
    ],
)
def test_split_traps(prose, expected):
    survey = read_text(f"# T\n\n## 1 S\n\n{prose}\n")
    assert [s.text for s in survey.sentences] == expected


def test_tex_display_math_is_not_prose():
    text = (
        "# T\n\n## 1 S\n\nBefore [1].\n\n\\[\nL = E \\left[2]\n\\]\n\nAfter [1].\n\n"
        "## References\n\n[1] A Work\n\n[2] B Work\n"
    )
    survey = read_text(text)
    assert [s.text for s in survey.sentences] == ["Before [1].", "After [1]."]
    assert [(d.kind, d.line) for d in survey.diagnostics] == [("math-bracket", 7), ("reference-uncited", 17)]


def test_sentence_lines_follow_soft_breaks():
    survey = read_text("# T\n\n## 1 S\n\nOne sentence\ncontinues here. Two\nstarts. Three.\n")
    assert [(s.text, s.line) for s in survey.sentences] == [
        ("One sentence continues here.", 5),
        ("Two starts.", 6),
        ("Three.", 7),
    ]
