"""Every command in ``docs/cookbook.rst`` prints exactly the answer the page shows.

The cookbook says its answers were produced by ``alignsurvey query`` on the
bundled graph; this keeps that true when the converter, the vocabularies or a
query change.  A query saved "to a file" is the ``sparql`` block just above
its command.
"""

from __future__ import annotations

import csv
import io
import re
import shlex
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.cli import main

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cookbook.rst"
DIRECTIVE = re.compile(r"^\.\. code-block:: (\w+)\s*$")


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """(language, lines) of each code block, indentation removed."""
    lines = text.splitlines()
    out: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        i += 1
        if not m:
            continue
        body: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith("   ")):
            body.append(lines[i][3:])
            i += 1
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        out.append((m.group(1), body))
    return out


def _examples() -> list[tuple[str, str | None, list[str]]]:
    """(console text, the sparql block above it, console lines) for each console block."""
    found, sparql = [], None
    for language, body in _blocks(COOKBOOK.read_text(encoding="utf-8")):
        if language == "sparql":
            sparql = "\n".join(body) + "\n"
        elif language == "console":
            found.append(("\n".join(body), sparql, body))
    return found


EXAMPLES = _examples()


def test_the_cookbook_has_examples() -> None:
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("example", EXAMPLES, ids=[e[2][0][2:60] for e in EXAMPLES])
def test_cookbook_example_prints_what_the_page_shows(example, tmp_path, monkeypatch, capsys) -> None:
    _, sparql, body = example
    monkeypatch.chdir(tmp_path)
    printed: list[str] = []
    expected: list[str] = []
    for line in body:
        if not line.startswith("$ "):
            expected.append(line)
            continue
        command = line[2:]
        if command.startswith("echo "):
            m = re.fullmatch(r"echo '(.*)' > (\S+)", command)
            assert m, command
            Path(m.group(2)).write_text(m.group(1) + "\n", encoding="utf-8")
            continue
        then_echo = None
        if " && echo " in command:
            command, then_echo = command.split(" && echo ")
        args = shlex.split(command)
        assert args[0] == "alignsurvey", command
        target = args[2]
        if target.endswith(".rq") and not Path(target).exists():
            assert sparql, f"{command}: no sparql block above it to save as {target}"
            Path(target).write_text(sparql, encoding="utf-8")
        code = main(args[1:])
        out = capsys.readouterr().out
        printed.extend(out.splitlines())
        if then_echo is not None and code == 0:
            printed.append(then_echo)
    assert _rows(printed) == _rows(expected)


def _rows(lines: list[str]) -> list[list[str]]:
    """CSV lines as cells, so quoting the page chose for readability does not matter."""
    return [row for row in csv.reader(io.StringIO("\n".join(lines) + "\n"))]
