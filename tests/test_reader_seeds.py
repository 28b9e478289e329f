"""Exactness on the two bundled seeds (requirement 7).

The expected figures are counted here INDEPENDENTLY of the reader: a few
plain line-based regexes over the raw file (``_count`` below) that skip the
title, the References list, display math (``$$`` and ``\\[``), inline math
and the generator-leftover blocks.  None of the reader's helpers is used.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.core.diagnostics import Severity

from .conftest import SURVEY_A, SURVEY_B

HEADING = re.compile(r"^(#{1,6})\s+(?:(\d+(?:\.\d+)*)\.?\s+)?(.*?)\s*$")
CITATION = re.compile(r"\[\s*(\d+(?:\s*[-–—]\s*\d+)?(?:\s*[;,]\s*\d+(?:\s*[-–—]\s*\d+)?)*)\s*\]")
INLINE_MATH = re.compile(r"\$[^$\n]+\$|\\\(.*?\\\)")
REFERENCE = re.compile(r"^\[(\d+)\]\s+(\S.*)$")


def _count(path: Path):
    """(references, (section, number) pairs, leftover blocks, display-math lines), by hand."""
    lines = path.read_text(encoding="utf-8").split("\n")
    section = None
    in_refs = in_changes = False
    closing = None  # closing delimiter of an open display-math block
    pairs: set[tuple[str, int]] = set()
    refs: list[tuple[int, int, str]] = []
    leftovers: list[tuple[str, int]] = []
    math_lines: list[int] = []
    for no, line in enumerate(lines, 1):
        s = line.strip()
        if closing:
            if s.endswith(closing):
                closing = None
            continue
        m = HEADING.match(line)
        if m:
            in_changes = False
            if len(m.group(1)) == 1:
                continue
            if m.group(3).lower() == "references" and not m.group(2):
                in_refs = True
                continue
            section = m.group(2) or m.group(3)
            continue
        if in_refs:
            r = REFERENCE.match(line)
            if r:
                refs.append((int(r.group(1)), no, r.group(2)))
            continue
        if in_changes:
            continue
        if re.match(r"^Here is .*:$", s):
            leftovers.append(("leftover-preamble", no))
            continue
        if s.startswith("Changes made:"):
            leftovers.append(("leftover-changes", no))
            in_changes = True
            continue
        if s.startswith("The citations have been verified"):
            leftovers.append(("leftover-note", no))
            continue
        if s.startswith("$$") or s.startswith("\\["):
            math_lines.append(no)
            end = "$$" if s.startswith("$$") else "\\]"
            if not (len(s) > 2 and s.endswith(end)):
                closing = end
            continue
        for c in CITATION.finditer(INLINE_MATH.sub(" ", line)):
            for part in re.split(r"[;,]", c.group(1)):
                nums = [int(x) for x in re.findall(r"\d+", part)]
                for n in range(nums[0], nums[-1] + 1):
                    pairs.add((section, n))
    return refs, pairs, leftovers, math_lines


COUNTS = {"a": _count(SURVEY_A), "b": _count(SURVEY_B)}


@pytest.fixture(params=["a", "b"])
def seed(request, survey_a, survey_b):
    return request.param, {"a": survey_a, "b": survey_b}[request.param], COUNTS[request.param]


def test_independent_counter_sees_the_known_totals():
    # hand-checked against the files: 69 and 125 entries, numbered 1..n
    assert [n for n, _, _ in COUNTS["a"][0]] == list(range(1, 70))
    assert [n for n, _, _ in COUNTS["b"][0]] == list(range(1, 126))
    assert COUNTS["a"][2] == [] and COUNTS["a"][3] == []
    assert COUNTS["b"][3] == [70, 122, 138]


def test_reference_counts(survey_a, survey_b):
    assert len(survey_a.references) == 69
    assert len(survey_b.references) == 125


def test_references_match_raw_lines(seed):
    _, survey, (refs, _, _, _) = seed
    assert [(r.number, r.line, r.printed) for r in survey.references] == refs


def test_every_reference_cited(seed):
    _, survey, (refs, pairs, _, _) = seed
    cited = {n for s in survey.sentences for n in s.cited_numbers}
    numbers = {n for n, _, _ in refs}
    assert numbers == {n for _, n in pairs}  # independent view: every number cited
    assert cited == numbers  # reader's view agrees
    assert not [d for d in survey.diagnostics if d.kind == "reference-uncited"]


def test_citation_pairs_match_independent_count(seed):
    name, survey, (_, pairs, _, _) = seed
    assert len(pairs) == {"a": 190, "b": 490}[name]
    assert survey.citation_pairs() == pairs


def test_leftover_blocks_of_second_survey(survey_b):
    _, _, leftovers, _ = COUNTS["b"]
    assert [line for _, line in leftovers] == [5, 24, 114, 183, 197, 206, 236, 286, 319, 331, 351, 370, 398, 412, 503]
    found = sorted((d.kind, d.line) for d in survey_b.diagnostics if d.kind.startswith("leftover-"))
    assert found == sorted(leftovers)
    assert all(d.severity is Severity.WARNING for d in survey_b.diagnostics)


def test_leftover_lines_are_not_prose(survey_b):
    """No sentence comes from a leftover block, so "[45]" and "[114]" of the
    "Changes made:" list at line 412 (and the rest) are not counted."""
    skipped = {5, 331, 503, 114, 183, 206, 236, 286, 319, 351, 370, 398}
    skipped |= set(range(24, 28)) | set(range(197, 201)) | set(range(412, 416))
    assert not [s for s in survey_b.sentences if s.line in skipped]
    changes = Path(SURVEY_B).read_text(encoding="utf-8").split("\n")[412]
    assert "[114]" in changes
    # [114] is also cited in the prose of 6.3 (line 400), only there
    assert {s.line for s in survey_b.sentences if 114 in s.cited_numbers and s.section == "6.3"} == {400}


def test_display_math_brackets_not_citations(survey_b):
    math = sorted(d.line for d in survey_b.diagnostics if d.kind == "math-bracket")
    assert math == [70, 122, 138, 556]  # three display blocks and one inline \\( ... \\)
    assert not [s for s in survey_b.sentences if s.line in (70, 122, 123, 124, 138, 139, 140)]
    (inline,) = [s for s in survey_b.sentences if "\\mathbf{R} = [41]" in s.text]
    assert inline.line == 556 and 41 not in inline.cited_numbers


SECTIONS_A = """
3:## 1 Introduction
19:## 2 Theoretical Foundations of AI Alignment
21:### 2.1 Moral and Ethical Theories
39:### 2.2 Value Alignment Frameworks
55:### 2.3 Decision Theory and Formal Models
69:### 2.4 Conceptual and Cultural Considerations
83:## 3 Methodologies and Techniques for AI Alignment
85:### 3.1 Reinforcement Learning from Human Feedback (RLHF)
101:### 3.2 Preference Optimization Techniques
117:### 3.3 Automated and Unsupervised Alignment Methods
133:### 3.4 Hybrid Alignment Approaches
149:## 4 Challenges and Limitations of AI Alignment
151:### 4.1 Technical Complexity and Scalability
165:### 4.2 Ethical and Societal Challenges
179:### 4.3 Vulnerabilities and Security Risks
197:### 4.4 Evaluation and Measurement Challenges
211:### 4.5 Interdisciplinary and Coordination Barriers
227:## 5 Evaluation and Metrics for AI Alignment
229:### 5.1 Alignment Evaluation Frameworks
245:### 5.2 Metrics and Benchmarks
261:### 5.3 Challenges in Evaluation
275:## 6 Case Studies and Applications of AI Alignment
277:### 6.1 Diverse Industry Applications of AI Alignment
291:### 6.2 Case Studies of Successful and Unsuccessful AI Alignment Strategies
307:### 6.3 Societal Impact and Perception of AI Alignment
321:## 7 Ethical and Sociotechnical Considerations
323:### 7.1 Governance and Policy Frameworks
339:### 7.2 Stakeholder Engagement and Inclusion
357:### 7.3 Ethical Principles and Implementation
373:### 7.4 Long-term and Existential Risks
391:## 8 Conclusion
"""

SECTIONS_B = """
3:## 1 Introduction
29:## 2 Theoretical Foundations of AI Alignment
31:### 2.1 Utility-Based and Reward-Theoretic Foundations
43:### 2.2 Game-Theoretic and Decision-Theoretic Approaches
57:### 2.3 Ethical and Philosophical Frameworks
79:### 2.4 Formal Models of Normative Alignment
98:### 2.5 Emerging Paradigms and Critical Limitations
110:## 3 Forward Alignment Techniques
112:### 3.1 Reinforcement Learning from Human and AI Feedback
132:### 3.2 Supervised Fine-Tuning and Instruction Tuning
152:### 3.3 Robustness and Distribution Shift Mitigation
167:### 3.4 Preference Optimization and Divergence Regularization
181:### 3.5 Multimodal and Cross-Domain Alignment
202:## 4 Backward Alignment Techniques
204:### 4.1 Assurance Techniques for Post-Training Alignment
220:### 4.2 Governance and Regulatory Frameworks
234:### 4.3 Human-in-the-Loop Alignment
254:### 4.4 Evaluation and Benchmarking of Alignment
266:### 4.5 Emerging Challenges and Future Directions
282:## 5 Multimodal and Cross-Domain Alignment
284:### 5.1 Foundations of Multimodal Alignment
299:### 5.2 Cross-Domain Adaptation Techniques
317:### 5.3 Evaluation and Benchmarking of Alignment
333:### 5.4 Ethical and Practical Challenges
349:### 5.5 Emerging Trends and Future Directions
366:## 6 Evaluation and Benchmarking of Alignment
368:### 6.1 Quantitative Metrics for Alignment Evaluation
384:### 6.2 Qualitative and Human-Centric Evaluation Methods
396:### 6.3 Benchmarking Frameworks and Datasets
417:### 6.4 Emerging Trends and Open Challenges
431:## 7 Ethical and Societal Implications
433:### 7.1 Ethical Frameworks and Value Pluralism in AI Alignment
447:### 7.2 Fairness, Bias, and Discrimination in AI Systems
459:### 7.3 Governance and Policy for Responsible AI Alignment
471:### 7.4 Public Trust and Societal Acceptance of Aligned AI
485:### 7.5 Long-Term Societal Implications and Existential Risks
499:## 8 Future Directions and Open Challenges
501:### 8.1 Scalability and Generalization in AI Alignment
517:### 8.2 Integration with Emerging AI Paradigms
536:### 8.3 Long-Term and Existential Risks
552:### 8.4 Pluralistic and Dynamic Alignment
564:### 8.5 Evaluation and Benchmarking Challenges
576:## 9 Conclusion
"""


def _expected_sections(listing: str):
    rows = []
    for row in listing.strip().splitlines():
        line, heading = row.split(":", 1)
        hashes, number, title = re.match(r"^(#+) (\d+(?:\.\d+)*) (.*)$", heading).groups()
        parent = number.rsplit(".", 1)[0] if "." in number else None
        rows.append((number, len(hashes), title, int(line), parent))
    return rows


@pytest.mark.parametrize("which", ["a", "b"])
def test_section_tree(which, survey_a, survey_b):
    survey, listing = {"a": (survey_a, SECTIONS_A), "b": (survey_b, SECTIONS_B)}[which]
    expected = _expected_sections(listing)
    assert len(expected) == {"a": 31, "b": 43}[which]
    got = [(s.number, s.level, s.title, s.line, s.parent) for s in survey.sections]
    assert got == expected
    assert [s.key for s in survey.sections] == [s.number for s in survey.sections]
    assert survey.title == "AI Alignment: A Comprehensive Survey" and survey.title_line == 1


def test_sentences_carry_their_section(seed):
    _, survey, _ = seed
    starts = [(s.line, s.number) for s in survey.sections]
    for sentence in survey.sentences:
        owner = [number for line, number in starts if line < sentence.line][-1]
        assert sentence.section == owner


def test_quoted_works_of_first_survey(survey_a):
    works = [(s.line, q) for s in survey_a.sentences for q in s.quoted]
    by_text = {q.text: (line, q) for line, q in works}
    line, reward = by_text["Scalable agent alignment via reward modeling"]
    assert reward.reference == 15 and line == 91
    cyber = [q for q in by_text if q.startswith("Aligning Cyber Space with Physical World: ")]
    assert len(cyber) == 1 and by_text[cyber[0]][1].reference is None
    missing = [(d.line, d.message) for d in survey_a.diagnostics if d.kind == "quoted-work-missing"]
    assert (113, f"work quoted by title is not in the References list: {cyber[0]!r}") in missing


def test_reference_title_cleanup(survey_a, survey_b):
    for survey in (survey_a, survey_b):
        first = survey.reference(1)
        assert first.printed == "AI Alignment  A Comprehensive Survey"
        assert first.title == "AI Alignment: A Comprehensive Survey"
    assert survey_a.reference(15).title == "Scalable agent alignment via reward modeling: a research direction"
    assert survey_a.reference(37).title == (
        "Beyond Reverse KL: Generalizing Direct Preference Optimization with Diverse Divergence Constraints"
    )
    q = survey_b.reference(123)
    assert q.printed == "From $r$ to $Q^ $  Your Language Model is Secretly a Q-Function"
    assert "$Q^ $" in q.title and q.title.startswith("From $r$ to $Q^ $")
    tex = [(d.line, d.kind) for d in survey_b.diagnostics if d.kind == "tex-remnant"]
    assert tex == [(834, "tex-remnant")]
    # titles never keep runs of spaces, printed text is never altered
    for survey in (survey_a, survey_b):
        for ref in survey.references:
            assert "  " not in ref.title
            assert re.sub(r"\s+", "", ref.title.replace(":", "")) == re.sub(r"\s+", "", ref.printed.replace(":", ""))


def test_no_errors_on_seeds(survey_a, survey_b):
    assert survey_a.errors == () and survey_b.errors == ()
