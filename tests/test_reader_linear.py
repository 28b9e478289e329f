"""Every reader pass is linear: no input shape makes it hang (issue 15, item 1).

Times are a benchmark's business (``benchmarks/bench_adversarial.py`` prints
them); what is tested here is that the reader finishes.  Each shape is read
in a child process whose CPU time is capped far above what the linear reader
needs (it reads these in about a second), so a quadratic path fails the test
instead of hanging it: before the fix every one of these ran for minutes.
The other tests check that the linear versions give the same answers.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sphinxcontrib_alignsurvey.reader import read_text

from .conftest import ROOT

CPU_LIMIT = 20  # seconds; the reader needs about 1 s for the largest of these

# shape -> size (characters); the old reader took over 40 s of CPU on each
HANG_SHAPES = {
    "dots": 100_000,  # a run of "." with no space after it (never finished)
    "paren-bracket": 100_000,  # "(" x n then "]" x n in one paragraph
    "same-headings": 400_000,  # headings that all have one title
    "quoted-titles": 800_000,  # thousands of references, each quoted by title
    "math-paragraph": 800_000,  # one paragraph, inline math in every sentence
    "spaced-reference": 500_000,  # one reference line of double-space gaps
}

needs_rlimit = pytest.mark.skipif(sys.platform == "win32", reason="CPU limits need POSIX")


def _limit_cpu() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT + 5))


@needs_rlimit
@pytest.mark.parametrize(("shape", "size"), sorted(HANG_SHAPES.items()))
def test_adversarial_shape_is_read_to_the_end(shape, size):
    code = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('shapes', 'benchmarks/adversarial_shapes.py')\n"
        "shapes = importlib.util.module_from_spec(spec); spec.loader.exec_module(shapes)\n"
        "from sphinxcontrib_alignsurvey.reader import read_text\n"
        f"survey = read_text(shapes.SHAPES[{shape!r}]({size}), 'adversarial.md')\n"
        "print(len(survey.sentences), len(survey.references))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=_limit_cpu,
        check=False,
    )
    assert proc.returncode == 0, (
        f"{shape} ({size} characters) not read within {CPU_LIMIT} s of CPU: {proc.stderr[-300:]}"
    )


def test_repeated_headings_keep_their_keys():
    text = "# T\n\n" + "## Same\n\n## 1 Intro\n\n" * 3 + "## Same~2\n\n## References\n\n[1] A Work\n"
    survey = read_text(text, "h.md")
    assert [s.key for s in survey.sections] == ["same", "1", "same~2", "1~2", "same~3", "1~3", "same-2"]
    messages = [d.message for d in survey.diagnostics if d.kind == "section-duplicate"]
    assert "section same appears twice; this one is keyed same~3" in messages


def test_runs_of_sentence_marks_split_as_before():
    survey = read_text("# T\n\n## 1 A\n\nWait... What?! Yes. " + "." * 5000 + "x. End.\n", "d.md")
    # "Yes." is followed by a dot, not a capital: no split there, as before
    assert [s.text[:12] for s in survey.sentences] == ["Wait...", "What?!", "Yes. " + "." * 7, "End."]


def test_unmatched_closers_do_not_swallow_sentences():
    survey = read_text("# T\n\n## 1 A\n\n" + "(" * 300 + "]" * 300 + " One. Two [1]. (Three. Four.)\n", "p.md")
    assert [s.text for s in survey.sentences][-2:] == ["Two [1].", "(Three. Four.)"]


def test_math_spans_are_found_for_every_sentence():
    body = " ".join(f"Step $x_{i}$ holds [{i % 3 + 1}]." for i in range(2000))
    survey = read_text("# T\n\n## 1 A\n\n" + body + "\n\nEnd $[4]$.\n", "m.md")
    assert len(survey.sentences) == 2001
    assert [d.kind for d in survey.diagnostics if d.kind == "math-bracket"] == ["math-bracket"]
