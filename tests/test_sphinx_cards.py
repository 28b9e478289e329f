"""Cards, roles, the domain, indices and warnings, on the bundled graph."""

from __future__ import annotations

import re
import zlib

import pytest

from .conftest import build, strip_tags

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-basic")


@pytest.fixture
def basic(built):
    return built


def test_method_card_shows_label_acronym_definition_relations(basic):
    html = basic.text("index.html")
    card = html[html.index('id="align-method-dpo"') :]
    card = card[: card.index('id="align-method-dpo"') + 20000]
    text = strip_tags(card)
    assert "Direct Preference Optimization" in text and "(DPO)" in text
    assert "rewrites the KL-regularised RLHF objective" in text
    assert "Broader" in text and "Preference optimization" in text
    assert "Narrower" in text and "Identity Preference Optimization" in text
    assert "Key papers" in text and "Discussed in" in text
    assert re.search(r"§3\.4 Preference Optimization and Divergence Regularization \(3 sentences\)", text)
    # "Discussed in": one item per survey (each by its distinct label), its sections listed below it
    discussed = card[card.index('<ul class="alignsurvey-discussions') :]
    discussed = discussed[: discussed.index("</dd>")]
    assert discussed.count(">AI Alignment: A Comprehensive Survey (") == 2
    assert re.search(r"\(1ef323be\)</a></p>\s*<ul[^>]*>\s*<li><p>§", discussed), discussed
    assert "Evidence" in text and "line " in text  # :evidence: 2 shows where the sentences stand


def test_challenge_card_lists_methods_with_evidence_counts(basic):
    html = basic.text("cards.html")
    card = strip_tags(html[html.index('id="align-challenge-distribution-shift"') :])
    assert "Distribution shift" in card and "Addressed by" in card
    assert re.search(r"Addressed by : .*\(\d+ sentences?\)", card)
    # no sentence of the bundled surveys says a method addresses reward hacking (RLHF has it as a limitation)
    hacking = strip_tags(
        html[html.index('id="align-challenge-reward-hacking"') : html.index('id="align-challenge-distribution-shift"')]
    )
    assert "Reward hacking" in hacking and "Addressed by" not in hacking


def test_papers_option_limits_key_works(basic):
    html = basic.text("cards.html")
    start = html.index('id="align-method-rlhf"')
    card = html[start : html.index('id="align-challenge-reward-hacking"')]
    works = card[card.index("alignsurvey-works") :]
    works = works[: works.index("</ul>")]
    assert works.count("<li>") == 2
    assert "more papers" in card


def test_paper_and_survey_cards(basic):
    text = strip_tags(basic.text("cards.html"))
    assert "Beyond Reverse KL" in text and "Cited alongside" in text and "Cited by" in text
    assert "Outline" in text and "3.4 Hybrid Alignment Approaches" in text


def test_noindex_card_has_no_anchor_and_fields_option_restricts(basic):
    html = basic.text("cards.html")
    assert 'id="align-method-ipo"' not in html
    ipo = html[html.index("Identity Preference Optimization</strong>") :]
    ipo = ipo[: ipo.index("</div>")]
    assert "Broader" in ipo and "Key papers" not in ipo and "Discussed in" not in ipo


def test_roles_resolve_across_documents_with_labels(basic):
    html = basic.text("refs.html")
    assert re.search(r'href="cards.html#align-method-rlhf"[^>]*>.*?Reinforcement Learning from Human Feedback', html)
    assert 'href="cards.html#align-challenge-reward-hacking"' in html
    assert 'href="cards.html#align-paper-wang2023beyond"' in html
    assert 'href="cards.html#align-survey-alignment-survey-1ef323be"' in html
    assert re.search(r'href="index.html#align-method-dpo"[^>]*>.*?the DPO paper\S* method', html)


def test_any_role_finds_cards(basic):
    assert re.search(r'Any: <a class="reference internal" href="index.html#align-method-dpo"', basic.text("refs.html"))


def test_reference_without_card_renders_label_with_definition_tooltip(basic):
    html = basic.text("refs.html")
    m = re.search(
        r'<abbr class="[^"]*alignsurvey-nocard[^"]*" title="([^"]+)">Identity Preference Optimization</abbr>', html
    )
    assert m and "regresses preference margins" in m.group(1)


def test_unknown_ids_warn_with_file_line_and_type(basic):
    lines = basic.warning_lines()
    assert any(
        re.search(r"refs\.rst:\d+: WARNING: unknown challenge 'not-a-challenge'.*\[alignsurvey\.unknown_id\]", w)
        for w in lines
    ), lines
    assert any(
        re.search(r"cards\.rst:\d+: WARNING: unknown method 'no-such-method'.*\[alignsurvey\.unknown_id\]", w)
        for w in lines
    ), lines


def test_every_warning_has_an_alignsurvey_type(basic):
    for line in basic.warning_lines():
        assert re.search(r"\[alignsurvey\.[a-z_]+\]$", line), line


def test_objects_inv_lists_cards_for_intersphinx(basic):
    raw = (basic.outdir / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    # "$" stands for the name at the end of the anchor (the inventory format's abbreviation)
    assert "dpo align:method 1 index.html#align-method-$ Direct Preference Optimization" in body
    assert "reward-hacking align:challenge 1 cards.html#align-challenge-$ Reward hacking" in body
    assert "wang2023beyond align:paper 1 cards.html#align-paper-$ Beyond Reverse KL" in body
    assert "ipo align:method" not in body  # :noindex:


def test_domain_indices_and_general_index(basic):
    methods = strip_tags(basic.text("align-methodindex.html"))
    assert "Direct Preference Optimization" in methods and "Reinforcement Learning from Human Feedback" in methods
    assert "Reward hacking" in strip_tags(basic.text("align-challengeindex.html"))
    assert "Beyond Reverse KL" in strip_tags(basic.text("align-workindex.html"))
    genindex = strip_tags(basic.text("genindex.html"))
    assert "Direct Preference Optimization (alignment method)" in genindex
    assert "DPO (alignment method)" in genindex


@pytest.mark.sphinx(confoverrides={"suppress_warnings": ["alignsurvey.unknown_id"]})
def test_suppress_warnings_silences_unknown_ids(app):
    result = build(app)
    assert not [w for w in result.warning_lines() if "unknown_id" in w]
    assert [w for w in result.warning_lines() if "alignsurvey.refused" in w]  # others still warn


def test_a_card_names_the_work_that_introduced_its_concept(basic):
    """issue 12: align:introducedBy, with the work's title, year and arXiv link, though no survey cites it."""
    html = basic.text("index.html")
    card = html[html.index('id="align-method-dpo"') :]
    card = card[: card.index("alignsurvey-evidence-box") if "alignsurvey-evidence-box" in card else 20000]
    assert "Introduced by" in strip_tags(card)
    assert "Direct Preference Optimization: Your Language Model is Secretly a Reward Model (2023)" in strip_tags(card)
    assert 'href="https://arxiv.org/abs/2305.18290"' in card
