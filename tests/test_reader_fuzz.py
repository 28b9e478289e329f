"""Fuzz the reader with adversarial shapes (issue 15, targets).

Hypothesis picks a shape of ``benchmarks/adversarial_shapes.py`` (the same
builders the benchmark times), a size and a filler made of fragments known
to be trouble, and the reader must keep its promises on the result.  Nothing
here is timed: ``benchmarks/bench_adversarial.py --fuzz N`` reports the time
per input of the same kind of inputs.  The linear rewrites of the sentence
splitter are also compared with the plain (quadratic) versions they replace.
"""

from __future__ import annotations

import importlib.util
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxcontrib_alignsurvey.core.works import normalise
from sphinxcontrib_alignsurvey.reader import read_text, sentences
from sphinxcontrib_alignsurvey.reader.citations import CITATION_RE
from sphinxcontrib_alignsurvey.reader.controls import CONTROL
from sphinxcontrib_alignsurvey.reader.references import clean_title

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("adversarial_shapes", ROOT / "benchmarks" / "adversarial_shapes.py")
shapes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shapes)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    ".",
    "..",
    "!?",
    "(",
    ")",
    "[",
    "]",
    "[1]",
    "[0]",
    "[-4]",
    "[1234567]",
    "[١]",
    "[1-200; ",
    "5-1; ",
    ", ",
    "## A\n\n",
    "## 1 A\n\n",
    "# T\n",
    '"',
    "“",
    "”",
    "$",
    "$$",
    "\\(",
    "\\)",
    "*",
    "_",
    "`",
    "> ",
    "- ",
    "1. ",
    "\x0c",
    "\x1b[31m",
    "\x01",
    "\ufffe",
    "\ud800",
    "\u2028",
    "  ",
    "   ",
    "\n",
    "\n\n",
    "A",
    "e.g.",
    "A.",
    "https://x.org/a ",
    "[a](https://x.org/b)",
    "[1] A  B\n",
    "## References\n\n",
    "大语言",
    "Ω",
    "é",
]
FILL = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map("".join)
SHAPE = st.sampled_from(sorted(shapes.SHAPES))
MAX_MESSAGE = 600


def _texts(survey) -> list[str]:
    out = [survey.title, *(s.title for s in survey.sections), *(s.text for s in survey.sentences)]
    out += [t for r in survey.references for t in (r.title, r.printed, r.url)]
    return out


def check(survey) -> None:
    """What the reader promises about any survey it returns."""
    assert not [t for t in _texts(survey) if CONTROL.search(t)]  # item 10
    keys = [s.key for s in survey.sections]
    assert len(keys) == len(set(keys))
    for sentence in survey.sentences:
        assert sentence.text and sentence.text == sentence.text.strip() and sentence.line >= 1
        end = -1
        for c in sentence.citations:
            assert sentence.text[c.start : c.end] == c.text and c.start >= end
            assert CITATION_RE.fullmatch(c.text)  # ASCII digits, at most six of them (item 11)
            assert c.numbers and all(0 <= n <= 999_999 for n in c.numbers)
            end = c.end
    kinds = {(d.kind, d.line) for d in survey.diagnostics}
    for ref in survey.references:
        assert ref.title == clean_title(ref.title)  # clean: no double spaces, no edges
        assert not (ref.url and ref.url in ref.title)  # item 12
        if not ref.title:
            assert ("reference-empty", ref.line) in kinds
        elif not normalise(ref.title):  # item 7 (a repeated number is reported as that instead)
            assert kinds & {("reference-unkeyable", ref.line), ("reference-duplicate-number", ref.line)}
    if not survey.references:
        assert kinds & {("references-missing", 1), ("empty", 1)} or any(k == "references-empty" for k, _ in kinds)
    for d in survey.diagnostics:
        assert d.path == survey.path and d.line >= 0
        assert len(d.message) <= MAX_MESSAGE, d.message[:100]  # item 11: no 137,882-character line
    assert len(set(survey.diagnostics)) == len(survey.diagnostics)  # no identical lines


@SETTINGS
@given(SHAPE, st.integers(0, 3_000), FILL)
def test_adversarial_shapes_read_cleanly(name, size, fill):
    text = shapes.SHAPES[name](size, fill)
    survey = read_text(text, "fuzz.md")
    check(survey)
    assert read_text(text, "fuzz.md") == survey  # deterministic


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS + ["Word ", "Title ", "[2]", "\n[1] ", "\n[2] "]), max_size=200).map("".join))
def test_fragment_soup_reads_cleanly(text):
    check(read_text("# A Survey\n\n## 1 Intro\n\n" + text + "\n\n## References\n\n[1] A Work\n", "soup.md"))


# --- the linear rewrites against the plain versions they replace ----------------------------------

_OLD_CANDIDATE = re.compile(r"[.!?]+[\"'”’)\]*_]*(?=\s)")
_BRACKET = re.compile(r"[()\[\]]")


def plain_protected_spans(text: str) -> list[tuple[int, int]]:
    """The stack scan before issue 15: a closer walks down the stack to its opener."""
    spans, stack = [], []
    for match in _BRACKET.finditer(text):
        i, ch = match.start(), match.group()
        if ch in "([":
            stack.append((ch, i))
            continue
        opener = "(" if ch == ")" else "["
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == opener:
                spans.append((stack[depth][1], i + 1))
                del stack[depth:]
                break
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


BRACKETY = st.text(alphabet=st.sampled_from(list("()[]..!?\"')*_ aA1\n")), max_size=80)


@settings(max_examples=1000, deadline=None)
@given(BRACKETY)
def test_protected_spans_match_the_plain_scan(text):
    assert sentences.protected_spans(text) == plain_protected_spans(text)


@settings(max_examples=1000, deadline=None)
@given(BRACKETY)
def test_sentence_candidates_match_the_plain_pattern(text):
    assert [m.span() for m in sentences._CANDIDATE.finditer(text)] == [m.span() for m in _OLD_CANDIDATE.finditer(text)]
