"""Property tests: the reader never raises on content, and citations point at
the brackets they describe (requirement 6)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxcontrib_alignsurvey.core.diagnostics import SurveyError
from sphinxcontrib_alignsurvey.reader import read_bytes, read_text

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = st.sampled_from(
    [
        "#",
        "##",
        "###",
        "# ",
        "## ",
        "[",
        "]",
        "[1]",
        "0",
        "1",
        "2",
        "7",
        "12",
        "999999",
        ";",
        ",",
        "-",
        "–",
        "$",
        "$$",
        "\\(",
        "\\)",
        "\\[",
        "\\]",
        '"',
        "“",
        "”",
        "**",
        "*",
        "_",
        "`",
        "(",
        ")",
        "\n",
        "\n\n",
        " ",
        "  \n",
        "\t",
        "\r\n",
        "References",
        "## References\n",
        "Changes made:",
        "Here is the corrected section:",
        "e.g.",
        "et al.",
        ". ",
        "! ",
        "? ",
        "A",
        "Title",
        "Alignment",
        "1.",
        "- ",
        "> ",
        "---",
        "<b>",
        "&amp;",
        "\ufeff",
        "\x00",
        "\u2028",
    ]
)
SURVEYISH = st.lists(FRAGMENTS, max_size=120).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=400), SURVEYISH)

_NUMBER = re.compile(r"\d+")


def _expand_independently(bracket: str) -> tuple[int, ...]:
    """Numbers named by a citation, computed without the reader's helper."""
    inner = bracket[1:-1]
    out: list[int] = []
    for part in re.split(r"[;,]", inner):
        nums = [int(x) for x in _NUMBER.findall(part)]
        if len(nums) == 2 and 0 <= nums[1] - nums[0] <= 200:
            seq = list(range(nums[0], nums[1] + 1))
        else:
            seq = nums
        out.extend(n for n in seq if n not in out)
    return tuple(out)


def _check_survey(survey) -> None:
    for sentence in survey.sentences:
        assert sentence.text == sentence.text.strip() and sentence.text
        assert sentence.line >= 1
        previous_end = -1
        for c in sentence.citations:
            assert sentence.text[c.start : c.end] == c.text
            assert c.text.startswith("[") and c.text.endswith("]")
            assert c.numbers and c.numbers == _expand_independently(c.text)
            assert c.start >= previous_end  # citations do not overlap and come in order
            previous_end = c.end
        for q in sentence.quoted:
            assert q.text in sentence.text[q.start : q.end]
    for d in survey.diagnostics:
        assert d.line >= 0 and d.kind and d.path == survey.path


@SETTINGS
@given(ANY_TEXT)
def test_read_text_never_raises_and_offsets_hold(text):
    survey = read_text(text, path="prop.md")
    _check_survey(survey)
    lines = text.count("\n") + text.count("\r") + 2
    assert all(d.line <= lines for d in survey.diagnostics)


PART = st.one_of(
    st.integers(0, 400).map(str),
    st.tuples(st.integers(0, 400), st.integers(0, 400), st.sampled_from(["-", "–", " - "])).map(
        lambda t: f"{t[0]}{t[2]}{t[1]}"
    ),
)


@SETTINGS
@given(st.lists(PART, min_size=1, max_size=5), st.sampled_from(["; ", ", ", ";", " , "]))
def test_citation_brackets_expand_to_their_numbers(parts, separator):
    body = separator.join(parts)
    text = f"# T\n\n## 1 S\n\nClaim e.g. here [{body}] holds.\n"
    survey = read_text(text)
    (sentence,) = survey.sentences
    (citation,) = sentence.citations
    assert citation.text == f"[{body}]"
    assert sentence.text[citation.start : citation.end] == citation.text
    assert citation.numbers == _expand_independently(citation.text)


@SETTINGS
@given(st.binary(max_size=600))
def test_read_bytes_only_raises_survey_error(data):
    try:
        survey = read_bytes(data, "bytes.md")
    except SurveyError as exc:
        assert exc.path == "bytes.md" and exc.line >= 1
        assert b"\x00" in data or not _utf8(data)
    else:
        _check_survey(survey)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@SETTINGS
@given(st.text(max_size=300), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_line_ends_and_bom_do_not_change_the_reading(text, newline, bom):
    text = text.replace("\r", "").replace("\x00", "")
    plain = read_text(text)
    data = ("\ufeff" if bom else "") + text.replace("\n", newline)
    other = read_bytes(data.encode("utf-8"), "<string>")
    assert [(s.text, s.line) for s in other.sentences] == [(s.text, s.line) for s in plain.sentences]
    assert [(d.kind, d.line) for d in other.diagnostics] == [(d.kind, d.line) for d in plain.diagnostics]
