"""The command group: lazy sub-commands, help that matches them, and a light start-up."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

from sphinxcontrib_alignsurvey.cli import COMMANDS, cli, main

HEAVY = ("pyoxigraph", "rdflib", "markdown_it", "sphinx", "docutils", "rich", "pyshacl", "bibtexparser", "yaml")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_listed_command_exists_under_its_name(name: str) -> None:
    module, attribute, _ = COMMANDS[name]
    command = getattr(importlib.import_module(f"sphinxcontrib_alignsurvey.cli.{module}"), attribute)
    assert command.name == name
    assert cli.get_command(None, name) is command  # type: ignore[arg-type]


def test_unknown_command_is_a_usage_error(capsys) -> None:
    assert main(["no-such-command"]) == 2
    assert "No such command" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["query", "--help"]])
def test_help_and_version_import_no_heavy_library(argv: list[str]) -> None:
    code = (
        "import sys, json\n"
        "from sphinxcontrib_alignsurvey.cli import main\n"
        f"code = main({argv!r})\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
