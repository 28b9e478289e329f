"""``.. alignsurvey-example:: examples/PROJECT/FILE``: show an example file and, below it, what it renders.

Why: every example in these docs is a file of a complete project under
``docs/examples/`` that ``tests/test_docs_examples.py`` builds as HTML, text
and LaTeX with no warning allowed; this directive is the only way the pages
show them, so what a reader copies is what the tests ran.  The page title of
an example file is left out of the rendering; ``:source-only:`` shows just
the file (for files whose relative paths only make sense in their project,
or objects that already have a card in these docs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

LANGUAGES = {".rst": "rst", ".md": "markdown", ".py": "python", ".rq": "sparql", ".ttl": "turtle"}


def body_lines(path: Path, lines: list[str]) -> tuple[list[str], int]:
    """The lines after the page title, and the index of the first one."""
    if path.suffix == ".rst" and len(lines) > 1 and lines[1] and set(lines[1]) <= set("=-~*#^\"'"):
        start = 2
    elif path.suffix == ".md" and lines and lines[0].startswith("# "):
        start = 1
    else:
        start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return lines[start:], start


class ExampleDirective(SphinxDirective):
    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"source-only": directives.flag, "caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        rel, abspath = self.env.relfn2path(self.arguments[0])
        path = Path(abspath)
        self.env.note_dependency(rel)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise self.error(f"cannot read example {self.arguments[0]}: {exc.strerror}") from None
        caption = self.options.get("caption") or path.name
        literal = nodes.literal_block(text, text, language=LANGUAGES.get(path.suffix, "text"))
        literal["classes"].append("alignsurvey-example-source")
        self.set_source_info(literal)
        container = nodes.container("", literal_block=True, classes=["literal-block-wrapper"])
        container += nodes.caption(caption, "", nodes.literal(caption, caption))
        container += literal
        result: list[nodes.Node] = [container]
        if "source-only" in self.options:
            return result
        page_suffix = Path(self.env.doc2path(self.env.docname)).suffix
        if path.suffix != page_suffix:
            raise self.error(
                f"{path.name}: a {path.suffix} example renders only on a {path.suffix} page; add :source-only:"
            )
        lines, start = body_lines(path, text.splitlines())
        content = StringList(lines, items=[(abspath, start + i) for i in range(len(lines))])
        output = nodes.container(classes=["alignsurvey-example-output"])
        self.state.nested_parse(content, 0, output)
        result.append(output)
        return result


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("alignsurvey-example", ExampleDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
