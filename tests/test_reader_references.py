"""Reference titles: lost colons restored wherever they were lost (issue 15, item 13) and
URLs kept out of titles and keys (item 12).

The titles below are made up for these tests.  ``arxiv_printed`` does to a
title what the seed generator did to arXiv metadata: wrap it at 80 columns
after "Title: " with two-space continuation lines, turn the colon into a
space and drop the line breaks.  ``clean_title`` must give the title back.
"""

from __future__ import annotations

import textwrap

import pytest

from sphinxcontrib_alignsurvey.core.works import normalise
from sphinxcontrib_alignsurvey.reader import read_survey, read_text
from sphinxcontrib_alignsurvey.reader.references import clean_title, split_url

from .conftest import DATA, SURVEY_A, SURVEY_B


def arxiv_printed(title: str) -> str:
    lines = textwrap.wrap(
        "Title: " + title, width=80, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(lines)[len("Title: ") :].replace(":", " ").replace("\n", "")


# the old rule only restored a colon in the first 55 characters; these have theirs later
COLON_LATE = [
    "Towards Efficient Generative Preference Model Evaluation: A Survey from Data to Deployment",
    "Auditing Hidden Objectives in Language Agents with Interpretability Probes: Methods and Limits",
    "Scalable Oversight Through Recursive Debate Between Multiple Language Model Agents: "
    "Theory, Experiments and Open Problems",
    "Understanding the Interaction Between Reward Model Capacity and Policy Optimisation Pressure: An Empirical Study",
    "When Do Preference Models Generalise Beyond the Training Distribution of Their Raters: "
    "Evidence from Controlled Shifts",
    "Value Learning for Household Robots Operating Under Partial Observability and Noisy Human: Feedback Signals",
    "Interpretable Reward Features Help Humans Spot Specification Gaming Early in Deployment: A User Study",
    "Honest Models Under Pressure from Sycophantic Users in Long Multi-Turn Dialogues: Benchmarks",
    # the colon ends the first line exactly: colon and wrap leave three spaces
    "Reward Models as Proxies for Human Values in Open-Ended Dialogue Systems: Evaluation and Pitfalls",
]
COLON_EARLY = [
    "Sparse Feedback: Learning Helpful Assistants from Few Labels",
    "Corrigibility: A Formal Account",
    "Process Supervision at Scale: "
    "Verifying Every Step of Mathematical Reasoning with Learned Critics and Formal Proof Checkers",
]
NO_COLON = [
    "Measuring the Robustness of Constitutional Training Against Adversarial Prompting in Multilingual Settings",
    "A Catalogue of Failure Modes in Automated Red Teaming for Large Language Models and Multimodal Agents",
    "Learning to Defer to Human Overseers When Uncertain About the Preferences of Many Different Stakeholders at Once",
]


@pytest.mark.parametrize("title", COLON_LATE + COLON_EARLY + NO_COLON)
def test_wrapped_titles_get_their_colon_back_and_nothing_else(title):
    printed = arxiv_printed(title)
    assert "  " in printed or ":" not in title and len(title) <= 73
    assert clean_title(printed) == title


def test_the_three_space_case_is_built_as_intended():
    assert "Systems   Evaluation" in arxiv_printed(COLON_LATE[-1])


def test_a_double_space_with_room_on_its_line_is_a_colon_wherever_it_falls():
    # not wrapped at all (a title from another source): every double space has room
    head = "A Very Long Title Head That Goes On and On About Preference Learning Methods"
    assert clean_title(head + "  A Survey") == head + ": A Survey"


def test_only_one_colon_and_never_after_punctuation():
    assert clean_title("Alpha  Beta  Gamma") == "Alpha: Beta Gamma"
    assert clean_title("Alignment --  A Survey") == "Alignment -- A Survey"
    assert clean_title("Is It Safe?  A Study") == "Is It Safe? A Study"


def _legacy_clean(printed: str) -> str:
    """The rule before issue 15, for the comparison below only."""
    import re

    text, out, pos, restored = printed.strip(), [], 0, False
    for match in re.finditer(r" {2,}", text):
        out.append(text[pos : match.start()])
        before = "".join(out).rstrip()
        lost = not restored and (match.end() - match.start() >= 3 or len(before) < 55)
        if lost and before and before[-1] not in ":;,.?!-–—":
            out.append(": ")
            restored = True
        else:
            out.append(" ")
        pos = match.end()
    out.append(text[pos:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def test_bundled_titles_change_only_where_a_colon_was_lost(survey_a, survey_b):
    changed = {
        (survey.id, ref.number): ref.title
        for survey in (survey_a, survey_b)
        for ref in survey.references
        if ref.title != _legacy_clean(ref.printed)
    }
    title = (
        "Arithmetic Control of LLMs for Diverse User Preferences: "
        "Directional Preference Alignment with Multi-Objective Rewards"
    )
    assert changed == {("alignment-survey-1ef323be", 59): title, ("alignment-survey-ffda8c1d", 76): title}


# --- item 12: URLs -------------------------------------------------------------------------------------------


def test_urls_go_to_the_reference_not_the_title():
    survey = read_survey(DATA / "malformed" / "35-url-references.md")
    got = [(r.number, r.title, r.url) for r in survey.references]
    assert got == [
        (1, "Reward Modelling for Oversight", "https://arxiv.org/abs/2401.00001"),
        (2, "Debate as a Route to Alignment", "https://arxiv.org/abs/2401.00002"),
        (3, "Constitutional Training at Scale", "https://example.org/paper.pdf"),
        (4, "", "https://example.org/only-a-link"),
    ]
    for ref in survey.references[:3]:
        assert "http" not in normalise(ref.title)  # before: keys such as "... https arxiv org abs ..."
        assert "http" in ref.printed  # the printed line is kept verbatim
    errors = [(d.kind, d.line, d.message) for d in survey.errors]
    assert errors == [
        ("reference-empty", 15, "reference [4] has no title (only the URL 'https://example.org/only-a-link')")
    ]


@pytest.mark.parametrize(
    ("printed", "title", "url"),
    [
        ("A Title. Available at: <https://x.org/a>", "A Title", "https://x.org/a"),
        ("A Title (www.example.org/p), 2024", "A Title, 2024", "www.example.org/p"),
        ("A Title www.example.org/p", "A Title", "www.example.org/p"),
        ("A Title [PDF](https://x.org/a.pdf)", "A Title", "https://x.org/a.pdf"),
        ("Learning Online https://x.org/b.", "Learning Online", "https://x.org/b"),
        ("Deep [RL](not-a-url) Tricks", "Deep [RL](not-a-url) Tricks", ""),
        ("First https://a.org/1 then https://b.org/2", "First then", "https://a.org/1"),
        ("No URL here: just a title", "No URL here: just a title", ""),
    ],
)
def test_split_url(printed, title, url):
    without, found = split_url(printed)
    assert (clean_title(without), found) == (title, url)


def test_url_in_references_survives_a_long_line():
    # many link-like pieces on one line: still one pass (a rescanning regex took seconds here)
    printed = "A Title " + "[a](b" * 20_000 + " https://x.org/z"
    without, url = split_url(printed)
    assert url == "https://x.org/z" and without.startswith("A Title [a](b")


def test_seeds_have_no_urls(survey_a, survey_b):
    assert not [r for s in (survey_a, survey_b) for r in s.references if r.url]


def test_missing_references_are_an_error_that_says_what_was_expected():
    survey = read_text("# A Survey\n\n## 1 Intro\n\nNo citations.\n", "none.md")
    (error,) = survey.errors
    assert error.kind == "references-missing"
    assert "expected a '## References' heading followed by one line per work: '[1] Title'" in error.message


@pytest.mark.parametrize("name", ["37-references-in-words.md", "38-numbered-list-references.md"])
def test_convert_refuses_a_survey_whose_references_were_not_read(tmp_path, name, capsys):
    from sphinxcontrib_alignsurvey.cli import main

    code = main(["convert", str(DATA / "malformed" / name), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1  # before: exit 0 and empty .bib files
    assert "[references-empty]" in err and "nothing was written" in err
    assert not (tmp_path / "out").exists()


def test_seeds_read_their_references(survey_a, survey_b):
    assert len(survey_a.references) == 69 and len(survey_b.references) > 100
    for path in (SURVEY_A, SURVEY_B):
        assert not [d for d in read_survey(path).errors]
