"""Benchmarks as a third concept kind, limitations, confidence and flagged evidence on cards."""

from __future__ import annotations

import re
import zlib

import pytest

from .conftest import build, strip_tags

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-kinds")


@pytest.fixture
def kinds(built):
    return built


@pytest.fixture
def kinds_text(shared_builds):
    return shared_builds.get("text", testroot="alignsurvey-kinds")


def card(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find('<div class="alignsurvey-card', start + 10)
    return html[start : end if end > 0 else len(html)]


def test_benchmark_card_lists_the_challenges_it_evaluates(kinds):
    html = kinds.text("index.html")
    text = strip_tags(card(html, "align-benchmark-truthfulqa"))
    assert "TruthfulQA" in text and "benchmark · truthfulqa" in text
    assert re.search(r"Evaluates : .*Untruthful output", text)
    assert 'class="alignsurvey-card alignsurvey-benchmark' in html


def test_challenge_card_lists_the_benchmarks_that_evaluate_it(kinds):
    text = strip_tags(card(kinds.text("index.html"), "align-challenge-untruthful-output"))
    assert re.search(r"Evaluated by : .*TruthfulQA", text)


def test_benchmark_role_index_and_inventory(kinds):
    html = kinds.text("index.html")
    assert re.search(r'href="#align-benchmark-truthfulqa"[^>]*>TruthfulQA</a>', html)
    assert re.search(r'href="#align-benchmark-hh-rlhf"[^>]*>Anthropic HH</a>', html)
    assert "TruthfulQA" in strip_tags(kinds.text("align-benchmarkindex.html"))
    assert "TruthfulQA (alignment benchmark)" in strip_tags(kinds.text("genindex.html"))
    raw = (kinds.outdir / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    assert "truthfulqa align:benchmark 1 index.html#align-benchmark-$ TruthfulQA" in body


def test_unknown_ids_suggest_the_closest_one(kinds):
    lines = kinds.warning_lines()
    assert any(
        re.search(r"index\.rst:\d+: WARNING: unknown benchmark 'truthfulq'.*did you mean truthfulqa\?", w)
        for w in lines
    ), lines
    assert any(re.search(r"limits\.rst:\d+: WARNING: unknown method 'rhlf'.*did you mean rlhf\?", w) for w in lines), (
        lines
    )


def test_method_card_shows_known_limitations_with_confidence_and_evidence(kinds):
    text = strip_tags(card(kinds.text("limits.html"), "align-method-rlhf"))
    assert re.search(r"Known limitations : Annotator bias \(2 sentences, confidence 0\.99\)", text), text
    assert "Reward hacking (1 sentence, confidence 0.96)" in text
    assert "Addresses" not in text  # no sentence says RLHF addresses anything
    assert "Known limitation: Annotator bias :" in text  # the evidence group's head


def test_challenge_card_min_confidence_hides_weaker_links(kinds):
    text = strip_tags(card(kinds.text("limits.html"), "align-challenge-distribution-shift"))
    assert re.search(r"Addressed by : Continual alignment \(2 sentences, confidence 0\.98\)", text), text
    for weaker in ("Automated Preference Optimization", "Memory-augmented", "Reward model transfer"):
        assert weaker not in text  # 0.92, 0.85 and 0.93: below :min-confidence: 0.95
    assert re.search(
        r"A known limitation of : Reinforcement Learning from Human Feedback \(1 sentence, "
        r"confidence 0\.95\), Unsupervised domain adaptation",
        text,
    ), text


def test_min_confidence_above_every_link_leaves_the_field_out(kinds):
    html = kinds.text("limits.html")
    uda = html[html.index("Unsupervised domain adaptation</strong>") :]
    uda = uda[: uda.index("</div>")]
    assert "Known limitations" not in uda  # its one limitation has confidence 0.96 < 0.99


def test_flagged_evidence_is_marked(kinds):
    html = card(kinds.text("limits.html"), "align-method-adversarial-training")
    assert re.search(r'<span class="alignsurvey-flag">flagged: unsupported citation \[35\]</span>', html), html
    rlhf = card(kinds.text("limits.html"), "align-method-rlhf")
    assert "alignsurvey-flag" not in rlhf  # its evidence cites nothing the check flagged


def test_paper_card_shows_authors_year_and_identifiers(kinds):
    html = card(kinds.text("index.html"), "align-paper-wang2023beyond")
    text = strip_tags(html)
    assert "Authors : Wang, Chaoqi; Jiang, Yibo; Yang, Chenghao; Liu, Han; Chen, Yuxin (2023)" in text
    assert '<a class="reference external" href="https://arxiv.org/abs/2309.16240">arXiv:2309.16240</a>' in html
    assert "paper · wang2023beyond" in text


def test_surveys_of_the_same_title_get_distinct_labels(kinds):
    text = strip_tags(card(kinds.text("index.html"), "align-paper-wang2023beyond"))
    assert "AI Alignment: A Comprehensive Survey (1ef323be) [37]" in text
    assert "AI Alignment: A Comprehensive Survey (ffda8c1d) [31]" in text


def test_text_output_has_no_stray_asterisks(kinds_text):
    text = kinds_text.text("limits.txt")
    # a label without a card reads like a linked one, and evidence lines hold no nested emphasis
    assert "Known limitations:\n   Annotator bias (2 sentences" in text, text
    assert "*— AI\n  Alignment: A Comprehensive Survey (ffda8c1d), §3.1" in text
    assert not re.search(r"\*[^*\n]*\*[^*\n]*\*[^*\n]*\*", text.replace("**", "")), text


def test_links_to_written_indices_stay_links(kinds):
    page = kinds.text("index.html")
    assert 'href="align-benchmarkindex.html"' in page and 'href="align-challengeindex.html"' in page
    assert (kinds.outdir / "align-benchmarkindex.html").is_file()
    assert not [w for w in kinds.warning_lines() if "alignsurvey.index" in w]


def test_documented_min_confidence_default_is_the_converters(tmp_path, make_app):
    from sphinxcontrib_alignsurvey.links.confidence import DEFAULT_MIN_CONFIDENCE

    from .conftest import ROOT

    # the reference table prints the registered default (docs/_ext reads it from the config), so the
    # registered default is what must equal the converter's, and the page must describe the setting
    reference = (ROOT / "docs" / "reference.rst").read_text(encoding="utf-8")
    assert ":alignsurvey_min_confidence:" in reference
    src = tmp_path / "p"
    src.mkdir()
    (src / "conf.py").write_text("extensions = ['sphinxcontrib_alignsurvey']\n")
    (src / "index.rst").write_text("T\n=\n")
    assert build(make_app("html", srcdir=src)).app.config.alignsurvey_min_confidence == DEFAULT_MIN_CONFIDENCE
