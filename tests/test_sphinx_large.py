"""Large diagrams stay legible: measured in the HTML (SVG) and PDF output, not estimated.

The HTML check reads what the browser draws: each SVG's size and scale and its
text's font sizes.  The PDF check typesets the LaTeX build and reads every
word's box with ``pdftotext -bbox``; a word of a diagram label at 11 pt has a
known height (measured the same way on a one-label drawing), so each word's
height gives the size it is printed at.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary
from sphinxcontrib_alignsurvey.sphinxext.layout import HTML, LATEX

from .conftest import build, require_tool

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def svg_label_sizes(svg: str) -> tuple[float, float, list[float]]:
    """Width and height (CSS px) the browser draws the SVG at, and each text's size in px."""
    head = re.search(r"<(?:\w+:)?svg [^>]*>", svg).group(0)  # sphinx.ext.graphviz may rewrite it with ns0:
    width = float(re.search(r' width="([\d.]+)pt"', head).group(1)) * 96 / 72
    height = float(re.search(r' height="([\d.]+)pt"', head).group(1)) * 96 / 72
    scale = float(re.search(r'transform="scale\(([\d.]+)', svg).group(1))
    sizes = [float(f) * scale * 96 / 72 for f in re.findall(r'font-size="([\d.]+)"', svg)]
    return width, height, sizes


@pytest.mark.sphinx("html", testroot="alignsurvey-large")
def test_html_diagrams_fit_the_column_with_legible_labels(app):
    require_tool("dot")
    result = build(app)
    assert result.warning_lines() == []
    svgs = sorted((result.outdir / "_images").glob("*.svg"))
    page = result.text("index.html")
    assert "(1 of 7: Evaluation and measurement problems)" in page  # the taxonomy, one top concept at a time
    assert len(svgs) == page.count('type="image/svg+xml"')
    smallest = []
    for svg in svgs:
        width, height, sizes = svg_label_sizes(svg.read_text(encoding="utf-8"))
        assert width <= HTML.width * 96 + 1 and height <= HTML.height * 96 + 1, (svg.name, width, height)
        smallest.append(min(sizes))
    assert min(smallest) >= 9.0, smallest  # px
    # a concept drawn in a table of sibling leaves still links to its card
    assert any('href="../index.html#align-challenge-sycophancy"' in svg.read_text(encoding="utf-8") for svg in svgs)


def reference_height(tmp_path: Path) -> float:
    """Height of an 11 pt diagram word in pdftotext's boxes (same program, same font as the diagrams)."""
    dot = tmp_path / "ref.dot"
    dot.write_text('digraph { node [fontname="Helvetica", fontsize=11]; a [label="Reward"] }', encoding="utf-8")
    subprocess.run(["dot", "-Tpdf", f"-o{tmp_path / 'ref.pdf'}", str(dot)], check=True)
    subprocess.run(["pdftotext", "-bbox", str(tmp_path / "ref.pdf"), str(tmp_path / "ref.html")], check=True)
    (found,) = WORD.findall((tmp_path / "ref.html").read_text(encoding="utf-8"))
    return float(found[3]) - float(found[1])


@pytest.mark.sphinx("latex", testroot="alignsurvey-large")
def test_pdf_diagrams_fit_the_page_with_legible_labels(app, tmp_path):
    for tool in ("dot", "latexmk", "pdflatex", "pdftotext"):
        require_tool(tool)
    result = build(app)
    assert result.warning_lines() == []
    out = result.outdir
    done = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "large.tex"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    log = (out / "large.log").read_text(encoding="latin-1")
    assert "Float too large" not in log
    subprocess.run(["pdftotext", "-bbox", "large.pdf", "large.html"], cwd=out, check=True)
    words = WORD.findall((out / "large.html").read_text(encoding="utf-8"))
    eleven = reference_height(tmp_path)
    printed = {text: 11.0 * (float(y1) - float(y0)) / eleven for _x0, y0, _x1, y1, text in words}
    # words of the diagrams' labels are in the PDF, and the smallest printed word is legible
    assert {"Sycophancy", "Jailbreaking", "TruthfulQA"} <= set(printed), sorted(printed)[:50]
    assert min(printed.values()) >= LATEX.min_font, sorted(printed.items(), key=lambda kv: kv[1])[:5]


def test_a_diagram_that_cannot_be_made_legible_warns_with_the_options_that_help(tmp_path, make_app):
    require_tool("dot")
    root = tmp_path / "huge"
    root.mkdir()
    (root / "conf.py").write_text('extensions = ["sphinxcontrib_alignsurvey"]\n', encoding="utf-8")
    (root / "index.rst").write_text("Huge\n====\n\n.. align:graph::\n   :kind: method\n", encoding="utf-8")
    result = build(make_app("html", srcdir=root))
    lines = result.warning_lines()
    assert len(lines) == 1, lines
    methods = len(load_vocabulary().of_kind("method"))  # every method of the bundled vocabulary
    assert re.search(
        rf"index\.rst:4: WARNING: the diagram of {methods} concepts is too large to stay legible in HTML even "
        r"drawn one top concept at a time: its smallest labels would be [\d.]+ px \(at least 9 px\); "
        r"draw less with :depth: \(fewer levels\) or :root: \(one of backward-alignment, "
        r"forward-alignment\) \[alignsurvey\.large\]",
        lines[0],
    ), lines
    quiet = build(
        make_app("html", srcdir=root, freshenv=True, confoverrides={"suppress_warnings": ["alignsurvey.large"]})
    )
    assert quiet.warning_lines() == []


@pytest.mark.parametrize(("depth", "expected"), [(1, 1), (None, 7)])
def test_only_too_large_taxonomies_are_split(tmp_path, make_app, depth, expected):
    require_tool("dot")
    root = tmp_path / "split"
    root.mkdir()
    (root / "conf.py").write_text(
        'extensions = ["sphinxcontrib_alignsurvey"]\ngraphviz_output_format = "svg"\n', encoding="utf-8"
    )
    option = f"   :depth: {depth}\n" if depth is not None else ""
    (root / "index.rst").write_text(
        f"Split\n=====\n\n.. align:graph::\n   :kind: challenge\n{option}", encoding="utf-8"
    )
    result = build(make_app("html", srcdir=root))
    assert result.text("index.html").count('type="image/svg+xml"') == expected
