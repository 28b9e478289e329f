"""Rewrite the answers in docs/cookbook.rst from what the commands print now.

Why: the cookbook promises that its answers are what ``alignsurvey query``
prints on the bundled graph, and tests/test_docs_cookbook.py holds it to that.
When the graph changes (a larger vocabulary, better links), run this, then
read the diff: the prose around each answer may need rewording too.

Run: python docs/_tools/refresh_cookbook.py
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

COOKBOOK = Path(__file__).resolve().parents[1] / "cookbook.rst"
DIRECTIVE = re.compile(r"^\.\. code-block:: (\w+)\s*$")


def run(command: str, sparql: str | None) -> list[str]:
    args = shlex.split(command)
    target = args[2]
    if target.endswith(".rq") and not Path(target).exists() and sparql:
        Path(target).write_text(sparql, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli", *args[1:]], capture_output=True, text=True
    )
    return done.stdout.splitlines()


def refresh(lines: list[str]) -> list[str]:
    out: list[str] = []
    sparql: str | None = None
    i = 0
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        out.append(lines[i])
        i += 1
        if not m:
            continue
        start = i
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith("   ")):
            i += 1
        body = lines[start:i]
        trailing = []
        while body and not body[-1].strip():
            trailing.insert(0, body.pop())
        if m.group(1) == "sparql":
            sparql = "\n".join(line[3:] for line in body if line.strip() or True).strip("\n") + "\n"
            out.extend(body + trailing)
            continue
        if m.group(1) != "console":
            out.extend(body + trailing)
            continue
        new: list[str] = []
        for line in body:
            text = line[3:]
            if not text.startswith("$ "):
                continue
            new.append(line)
            command = text[2:]
            if command.startswith("echo "):
                echo = re.fullmatch(r"echo '(.*)' > (\S+)", command)
                assert echo, command
                Path(echo.group(2)).write_text(echo.group(1) + "\n", encoding="utf-8")
                continue
            then_echo = None
            if " && echo " in command:
                command, then_echo = command.split(" && echo ")
            printed = run(command, sparql)
            if then_echo is not None:
                printed.append(then_echo)
            new.extend(("   " + p).rstrip() for p in printed)
        if body and not body[0].strip():
            new.insert(0, body[0])
        out.extend(new + trailing)
    return out


if __name__ == "__main__":
    text = COOKBOOK.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        lines = refresh(text.splitlines())
    COOKBOOK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"rewrote {COOKBOOK}", file=sys.stderr)
