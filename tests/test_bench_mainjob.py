"""The main-job benchmark times the README's own quick-start command, step by step.

The figures are never asserted; what is tested is that the steps are read
from the README (so the benchmark cannot drift from what a new user runs) and
run with this interpreter.
"""

from __future__ import annotations

import sys

import pytest

from .conftest import bench_script


@pytest.fixture(scope="module")
def bench():
    yield from bench_script("bench_mainjob")


def test_the_steps_are_the_readmes_after_set_up(bench):
    steps = bench.readme_steps()
    assert [argv[:3] for argv in steps] == [
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli"],
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli"],
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli"],
        [sys.executable, "-m", "sphinx"],
    ]
    assert [argv[3] for argv in steps[:3]] == ["summary", "convert", "validate"]
    assert "examples/handbook" in steps[3]  # the handbook build, with the README's own options


def test_a_changed_readme_changes_the_steps(bench, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# x\n\n## Quick start\n\n```sh\npython3 -m venv .venv && .venv/bin/pip install -e . && "
        ".venv/bin/alignsurvey validate out && echo done\n```\n",
        encoding="utf-8",
    )
    assert bench.readme_steps(readme) == [[sys.executable, "-m", "sphinxcontrib_alignsurvey.cli", "validate", "out"]]
