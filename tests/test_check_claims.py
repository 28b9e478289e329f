"""claim-quantitative: sentences that state a figure, with their citations."""

from __future__ import annotations

import pytest

from sphinxcontrib_alignsurvey.check import Kind, check_survey
from sphinxcontrib_alignsurvey.check.claims import figures
from sphinxcontrib_alignsurvey.check.model import VocabularyWords
from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary
from sphinxcontrib_alignsurvey.reader import read_text


@pytest.mark.parametrize(
    "text, found",
    [
        ("achieves 19% higher robustness", ["19%"]),
        ("shows a 12% drop in accuracy", ["12%"]),
        ("runs 3x faster", ["3x"]),
        ("is 2.5× cheaper", ["2.5×"]),
        ("a 40 percent gain and a threefold speed-up", ["40 percent", "threefold"]),
        ("improves by a factor of 4", ["by a factor of 4"]),
        ("7-12% degradation per month", ["12%"]),
    ],
)
def test_figures_are_found(text, found) -> None:
    assert figures(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "GPT-4 was released in 2023",
        "see Section 3.2",
        "top-5 accuracy",
        "three dimensions",
        "11 proposals",
        "an x-axis",
        "the 0x1F byte",
    ],
)
def test_numbers_that_are_not_figures_are_ignored(text) -> None:
    assert figures(text) == []


def test_only_cited_sentences_with_a_figure_are_listed() -> None:
    survey = read_text(
        "# AI Alignment: T\n\n## 1 A\n\nMethod A is 19% higher on the benchmark [1]. It is 5% better overall. "
        "Nothing here [1].\n\n## References\n\n[1] Alignment of Language Models\n",
        "q.md",
    )
    words = VocabularyWords.of(load_vocabulary().concepts)
    found = [f for f in check_survey(survey, words) if f.kind is Kind.QUANTITATIVE]
    assert len(found) == 1
    assert "'19%'" in found[0].message and "[1]" in found[0].message and not found[0].is_error
