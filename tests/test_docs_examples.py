"""Every Sphinx example in the docs is a page of a project under ``docs/examples/`` that builds cleanly.

The docs show examples only through ``.. alignsurvey-example::`` (see
``docs/_ext/alignsurvey_examples.py``), which reads these files; here each
project is built as HTML, text and LaTeX with its own ``conf.py`` and no
warning is allowed.  So what a reader copies from the docs (reST and MyST,
``conf.py``, a survey, a vocabulary file) is what ran here, and a citation key,
an option value or an ID that stops existing fails a test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, build, require_tool, sphinx_app

DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
PROJECTS = sorted(p.parent.name for p in EXAMPLES.glob("*/conf.py"))
BUILDERS = ("html", "text", "latex")
SHOWN = re.compile(r"alignsurvey-example(?:::|\})\s+(examples/\S+)")
#: Sphinx sources written straight into a page, where no test would build them.
SPHINX_LANGUAGES = r"(?:rst|rest|restructuredtext|md|markdown|myst|python|py)"
RST_BLOCK = re.compile(rf"^\s*\.\. (?:code-block|code|sourcecode)::\s*{SPHINX_LANGUAGES}\s*$")
MD_FENCE = re.compile(rf"^\s*```+\s*(?:\{{(?:code-block|code)\}}\s*)?{SPHINX_LANGUAGES}\s*$")
SPHINX_MARKUP = re.compile(r"^\s*\.\. (?:align|alignment-)|:align:\w+:`|\{align:|^\s*extensions\s*=")


def _pages() -> list[Path]:
    return sorted(p for p in [*DOCS.glob("*.rst"), *DOCS.glob("*.md")] if p.is_file())


def _copy(project: str, dest: Path) -> Path:
    """The project at the same depth as in the repository, so paths like ``../../../examples/`` resolve."""
    target = dest / "docs" / "examples" / project
    shutil.copytree(EXAMPLES / project, target, ignore=shutil.ignore_patterns("_build", "_generated"))
    (dest / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    return target


@pytest.fixture(scope="module", params=PROJECTS)
def built(request, tmp_path_factory):
    """One project built with each builder, reading once: (project, builder -> Build)."""
    require_tool("dot")
    src = _copy(request.param, tmp_path_factory.mktemp(request.param))
    return request.param, {builder: build(sphinx_app(builder, src)) for builder in BUILDERS}


def test_there_are_example_projects() -> None:
    assert {"rst", "myst", "bibtex", "own-surveys"} <= set(PROJECTS)


@pytest.mark.parametrize("builder", BUILDERS)
def test_example_project_builds_without_a_warning(built, builder) -> None:
    project, results = built
    result = results[builder]
    assert result.warning_lines() == [], f"{project} ({builder}):\n" + result.warnings


def test_every_example_page_renders_more_than_its_title(built) -> None:
    project, results = built
    out = results["text"].outdir
    sources = [p for p in (EXAMPLES / project).rglob("*") if p.suffix in (".rst", ".md")]
    pages = [p for p in sources if (out / p.relative_to(EXAMPLES / project)).with_suffix(".txt").is_file()]
    assert pages, project
    for page in pages:
        text = (out / page.relative_to(EXAMPLES / project)).with_suffix(".txt").read_text(encoding="utf-8")
        assert len([line for line in text.splitlines() if line.strip()]) > 2, f"{project}/{page.name} is empty"


def test_every_example_file_is_shown_in_the_docs() -> None:
    shown = {m.group(1) for page in _pages() for m in SHOWN.finditer(page.read_text(encoding="utf-8"))}
    files = {
        str(p.relative_to(DOCS))
        for p in EXAMPLES.rglob("*")
        if p.is_file() and "_build" not in p.parts and "_generated" not in p.parts and p.suffix != ".pyc"
    }
    assert sorted(files - shown) == []
    assert sorted(shown - files) == []


def _unbuilt_examples(page: Path) -> list[str]:
    """``page:line`` of each Sphinx-source block written into the page instead of shown from a file."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found = []
    for i, line in enumerate(lines):
        if RST_BLOCK.match(line) if page.suffix == ".rst" else MD_FENCE.match(line):
            found.append(f"{page.name}:{i + 1}")
        elif page.suffix == ".rst" and line.rstrip().endswith("::") and not line.lstrip().startswith(".."):
            indent = None
            for body in lines[i + 1 :]:
                if not body.strip():
                    continue
                width = len(body) - len(body.lstrip())
                if indent is None:
                    indent = width
                if width < (indent or 1) or width <= len(line) - len(line.lstrip()):
                    break
                if SPHINX_MARKUP.search(body):
                    found.append(f"{page.name}:{i + 1}")
                    break
    return found


def test_no_sphinx_example_is_written_into_a_page() -> None:
    assert [where for page in _pages() for where in _unbuilt_examples(page)] == []


def test_the_unbuilt_example_check_can_fail(tmp_path) -> None:
    page = tmp_path / "page.rst"
    page.write_text(
        "T\n=\n\nLike this::\n\n   .. align:method:: dpo\n\n.. code-block:: rst\n\n   x\n", encoding="utf-8"
    )
    assert _unbuilt_examples(page) == ["page.rst:4", "page.rst:8"]


def test_rst_and_myst_examples_are_twins() -> None:
    rst = {p.stem for p in (EXAMPLES / "rst").glob("*.rst")}
    myst = {p.stem for p in (EXAMPLES / "myst").glob("*.md")}
    assert rst == myst
    for query in (EXAMPLES / "rst").glob("*.rq"):
        assert (EXAMPLES / "myst" / query.name).read_text() == query.read_text()


def test_python_api_example_prints_what_its_comments_say(capsys) -> None:
    import runpy

    runpy.run_path(str(EXAMPLES / "python" / "query_api.py"), run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "('paper', 'title', 'sentences')"
    assert len(out) == 6 and all(re.fullmatch(r"\d+ \S.*", line) for line in out[1:4])
    assert out[4:] == ["True", "3"]


def test_readme_sphinx_snippets_are_example_files() -> None:
    """The README's conf.py and page snippets are copies of (parts of) the tested example files."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:python|rst|markdown|md)\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) >= 2
    examples = [
        p.read_text(encoding="utf-8") for p in EXAMPLES.rglob("*") if p.is_file() and p.suffix in (".py", ".rst", ".md")
    ]
    assert [b for b in blocks if not any(b.strip() in text for text in examples)] == []
