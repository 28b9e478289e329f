"""Citation brackets that are not citations get one clear diagnostic each (issue 15, item 11).

Before: ``[-4]``, ``[1234567]`` and digits of other scripts were dropped or
read silently, a bracket of 1,500 numbers gave a 10,000-character line, 300
backwards ranges gave 300 identical lines, and every unclosed '[' one more.
"""

from __future__ import annotations

from sphinxcontrib_alignsurvey.reader import read_survey, read_text
from sphinxcontrib_alignsurvey.reader.citations import MIN_BUDGET

from .conftest import DATA

BAD = DATA / "malformed" / "36-bad-citations.md"
REFS = "\n\n## References\n\n[1] First Work on Alignment\n\n[2] Second Work on Reward Models\n"


def _read(body: str):
    return read_text("# A Survey\n\n## 1 Introduction\n\n" + body + REFS, "c.md")


def _by_line(survey) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for d in survey.diagnostics:
        out.setdefault(d.line, []).append((d.kind, d.message))
    return out


def test_each_bad_bracket_gets_one_clear_diagnostic():
    found = _by_line(read_survey(BAD))
    assert found[5] == [
        (
            "citation-missing-reference",
            "[0] cites [0], which the References list does not contain (reference numbers start at 1)",
        )
    ]
    assert found[7] == [
        ("citation-malformed", "[-4] holds a negative number; reference numbers start at 1; not read as a citation")
    ]
    too_long = "[1234567] number 1234567 has more than 6 digits; no reference list is that long; not read as a citation"
    assert found[9] == [("citation-malformed", too_long)]
    assert sorted(found[11]) == [
        (
            "citation-malformed",
            "[١] uses digits other than 0-9 (١); write reference numbers with 0-9; not read as a citation",
        ),
        (
            "citation-malformed",
            "[２] uses digits other than 0-9 (２); write reference numbers with 0-9; not read as a citation",
        ),
    ]


def test_a_bracket_of_thousands_of_numbers_gives_two_short_lines():
    survey = read_survey(BAD)
    found = [d for d in survey.diagnostics if d.line == 13]
    assert sorted(d.kind for d in found) == ["citation-long", "citation-missing-reference"]
    assert all(len(d.format()) < 400 for d in found)  # before: one line of 10,000+ characters
    missing = next(d for d in found if d.kind == "citation-missing-reference")
    assert "[3], [4], [5], [6], [7], [8], [9], [10], [11], [12] and 1488 more" in missing.message
    cited = next(c for s in survey.sentences for c in s.citations if s.line == 13)
    assert cited.numbers == tuple(range(1, 1501))  # all are still read


def test_repeated_backwards_ranges_give_one_line():
    found = [d for d in read_survey(BAD).diagnostics if d.line == 15]
    ranges = [d for d in found if d.kind == "citation-range"]
    assert len(ranges) == 1  # before: 300 identical lines
    assert "(and 299 more like it)" in ranges[0].message


def test_other_scripts_digits_are_not_read_as_numbers():
    survey = _read("Arabic-Indic [١] and Devanagari [२] here. Fine [1].")
    assert [c.text for s in survey.sentences for c in s.citations] == ["[1]"]  # before: [١] read as [1]
    assert [d.kind for d in survey.diagnostics].count("citation-malformed") == 2


def test_list_separated_by_spaces_only_is_named():
    survey = _read("Odd [1 2] here. Fine [1; 2].")
    assert [c.text for s in survey.sentences for c in s.citations] == ["[1; 2]"]
    messages = [d.message for d in survey.diagnostics if d.kind == "citation-malformed"]
    assert messages == ["[1 2] is not a citation list: expected [n], [n; m], [n, m] or [n-m]; not read as a citation"]


def test_unclosed_brackets_give_one_warning_per_paragraph():
    survey = _read("Broken [1 and [2 and [1 again.\n\nFine [1] [2].\n\nAgain [2 here.")
    found = [(d.line, d.message) for d in survey.diagnostics if d.kind == "citation-unterminated"]
    assert found == [
        (5, "'[' at '[1 and [2 an' is never closed; not read as a citation (and 2 more in this paragraph)"),
        (9, "'[' at '[2 here.' is never closed; not read as a citation"),
    ]


def test_ranges_are_expanded_within_a_budget():
    body = " ".join(f"Cites [{k}-{k + 199}]." for k in range(1, 200_001, 200))  # 1,000 ranges, 200,000 numbers
    survey = _read(body)
    numbers = sum(len(c.numbers) for s in survey.sentences for c in s.citations)
    # the budget (one number per character of prose, at least MIN_BUDGET), then two ends per range
    assert numbers <= max(MIN_BUDGET, len(body)) + 2 * 1000 < 200_000
    budget = [d for d in survey.diagnostics if d.kind == "citation-range"]
    assert len(budget) == 1 and "read as their ends" in budget[0].message


def test_math_spans_still_hide_brackets():
    survey = _read("Interval $[0, 1]$ and $[-4]$ are math, not citations [1].")
    assert [c.text for s in survey.sentences for c in s.citations] == ["[1]"]
    assert not [d for d in survey.diagnostics if d.kind == "citation-malformed"]
