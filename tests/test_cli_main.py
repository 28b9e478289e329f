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


def _script(*argv: str) -> subprocess.CompletedProcess:
    """The ``alignsurvey`` script as installed: ``run()``, which may end by ``os._exit``."""
    code = "from sphinxcontrib_alignsurvey.cli import run; run()"
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)


def test_script_query_leaves_fast_with_the_whole_answer_and_its_status(tmp_path) -> None:
    """A kept store is left to the operating system: the answer is still written whole, the status kept."""
    full = _script("query", "citation-edges", "--format", "csv")
    assert full.returncode == 0, full.stderr
    rows = full.stdout.splitlines()
    assert len(rows) > 500 and len(full.stdout) > 65536  # more than a pipe holds: flushed before leaving
    # the same rows as main() called in-process, which frees everything as usual
    code = "import sys; from sphinxcontrib_alignsurvey.cli import main; sys.exit(main())"
    plain = subprocess.run(
        [sys.executable, "-c", code, "query", "citation-edges", "--format", "csv"], capture_output=True, text=True
    )
    assert plain.returncode == 0 and plain.stdout == full.stdout
    # an ASK that is false exits 1; a query that does not parse exits with the query-error status
    (tmp_path / "ask.rq").write_text("ASK { <urn:x:none> ?p ?o }", encoding="utf-8")
    (tmp_path / "broken.rq").write_text("SELECT * WHERE {", encoding="utf-8")
    ask = _script("query", str(tmp_path / "ask.rq"))
    broken = _script("query", str(tmp_path / "broken.rq"))
    assert (ask.returncode, ask.stdout.strip()) == (1, "false"), ask.stderr
    assert broken.returncode not in (0, 1) and "syntax error" in broken.stderr


def test_keep_until_exit_does_nothing_in_process() -> None:
    """main() called from Python (tests, scripts) never keeps a store alive past the command."""
    from sphinxcontrib_alignsurvey.cli.common import KEPT

    assert main(["query", "surveys", "--format", "csv"]) == 0
    assert not KEPT.enabled and KEPT.objects == [] and KEPT.stops == []
