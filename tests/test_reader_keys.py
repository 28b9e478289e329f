"""The title key (``core.works.normalise``) knows every script (issue 15, item 7).

Work IRIs are digests of the key, so for Latin titles it must stay what it
was: a property test compares it with the old rule (kept here verbatim) on
text built from ASCII, accented Latin letters, compatibility characters,
punctuation and TeX, and on every reference of the bundled surveys.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_alignsurvey.core.works import collect_works, normalise
from sphinxcontrib_alignsurvey.reader import read_survey, read_text

from .conftest import DATA, SURVEY_A, SURVEY_B

MALFORMED = DATA / "malformed"

_TEX = re.compile(r"\$[^$]*\$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def legacy_normalise(title: str) -> str:
    """The key before issue 15, for comparison only."""
    text = title
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _TEX.sub(" ", text)
    return _NON_ALNUM.sub(" ", text.lower()).strip()


LATIN = st.lists(
    st.sampled_from(
        list("abcXYZ019 -:;,.!?'\"()[]{}$\\^_&/")
        + list("éèêëÉàâäÅçñõöÜüÿİ")
        + ["e\u0301", "a\u0308", "\u0301"]
        + list("ﬁﬂＡｚ１²③ⅣK€—–“”’…\u00a0\u2009\t")
    ),
    max_size=60,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(LATIN)
def test_latin_keys_are_what_they_were(title):
    # (Latin letters with no decomposition, such as ø, ł, ß, are now kept: see below)
    assert normalise(title) == legacy_normalise(title)


def test_bundled_reference_keys_are_unchanged(survey_a, survey_b):
    for survey in (survey_a, survey_b):
        for ref in survey.references:
            assert normalise(ref.title) == legacy_normalise(ref.title), ref.title


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("大语言模型对齐技术综述", "大语言模型对齐技术综述"),
        ("LLM对齐：主流研究方向与可研究点", "llm对齐 主流研究方向与可研究点"),
        ("Обзор методов выравнивания", "обзор методов выравнивания"),
        ("ΣΥΣΤΗΜΑ Αξιών", "σύστημα αξιών".replace("ύ", "υ")),  # casefolded; final sigma folded too
        ("が and か", "が and か"),  # the voicing mark is part of the letter
        ("β-VAE and VAE", "β vae and vae"),
        ("Café Über Straße", "cafe uber strasse"),
        ("Łukasz and Ørsted", "łukasz and ørsted"),  # before: "ukasz and rsted"
    ],
)
def test_keys_keep_letters_of_every_script(title, key):
    assert normalise(title) == key


def test_distinct_non_latin_titles_get_distinct_keys():
    titles = ["大语言模型对齐技术综述", "直接偏好优化方法研究", "LLM对齐：主流研究方向与可研究点", "LLM安全综述"]
    keys = [normalise(t) for t in titles]
    assert all(keys) and len(set(keys)) == 4  # before: "", "", "llm", "llm"


def test_non_latin_survey_reads_four_works():
    survey = read_survey(MALFORMED / "33-non-latin-references.md")
    assert [d.kind for d in survey.diagnostics] == []  # before: two near-duplicate warnings
    works = collect_works([survey])
    assert sorted(w.title for w in works.values()) == sorted(r.title for r in survey.references)
    assert len(works) == 4  # before: 1 ("llm"), with [3]'s title taken by [1]


def test_convert_writes_every_non_latin_work(tmp_path, capsys):
    from sphinxcontrib_alignsurvey.cli import main

    code = main(["convert", str(MALFORMED / "33-non-latin-references.md"), "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "4 works" in out + err  # before: "1 works"
    bib = (tmp_path / "references.bib").read_text(encoding="utf-8")
    for title in ("大语言模型对齐技术综述", "直接偏好优化方法研究", "LLM对齐：主流研究方向与可研究点", "LLM安全综述"):
        assert title in bib


def test_a_reference_that_cannot_be_keyed_is_an_error():
    survey = read_survey(MALFORMED / "34-unkeyable-reference.md")
    errors = [(d.kind, d.line) for d in survey.errors]
    assert errors == [("reference-unkeyable", 11)]
    text = "# S\n\n## 1 A\n\nCites [1].\n\n## References\n\n[1] $x^2$\n"
    assert [d.kind for d in read_text(text, "tex.md").errors] == ["reference-unkeyable"]


def test_seeds_still_have_no_unkeyable_reference():
    for path in (SURVEY_A, SURVEY_B):
        assert not [d for d in read_survey(path).diagnostics if d.kind == "reference-unkeyable"]


# --- item 12: a work's printed URLs (core.works.Work.urls) -----------------------------------------


def _cites(url: str, name: str) -> str:
    return f"# Survey {name}\n\n## 1 Intro\n\nText [1].\n\n## References\n\n[1] Debate for Oversight {url}\n"


def test_a_works_urls_most_printed_first_then_in_code_point_order():
    texts = [
        _cites("https://example.org/v2", "a"),
        _cites("https://example.org/v1", "b"),
        _cites("<https://example.org/v2>", "c"),
        _cites("https://example.org/v0", "d"),
    ]
    surveys = [read_text(t, f"{n}.md") for t, n in zip(texts, "abcd", strict=True)]
    for order in (surveys, surveys[::-1], surveys[1:] + surveys[:1]):
        (work,) = collect_works(order).values()
        assert work.urls == ["https://example.org/v2", "https://example.org/v0", "https://example.org/v1"]
        assert work.titles == {"Debate for Oversight"}
    (tie,) = collect_works(surveys[:2]).values()
    assert tie.urls == ["https://example.org/v1", "https://example.org/v2"]  # a tie: code-point order
