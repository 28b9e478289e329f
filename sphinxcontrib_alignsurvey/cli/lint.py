"""``alignsurvey lint``: every diagnostic of every survey, for people or tools."""

from __future__ import annotations

import json

import click

from ..core.diagnostics import Diagnostic, Severity
from .common import UserError, expand_inputs, read_all

# json.dumps escapes C0 controls itself; DEL and C1 (0x9b starts a terminal
# escape sequence) it leaves raw, and they can only stand inside strings
_JSON_C1 = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


@click.command()
@click.argument("surveys", nargs=-1, required=True, metavar="SURVEY_OR_DIR...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def lint(surveys: tuple[str, ...], fmt: str) -> None:
    """Check surveys; exit 0 when there are only warnings, 1 on any error."""
    files: list[str] = []
    empty: list[Diagnostic] = []
    for given in surveys:  # one input at a time, so an empty folder is one finding, not the end of the run
        try:
            files.extend(expand_inputs([given]))
        except UserError as exc:
            empty.append(Diagnostic(given, 0, "unreadable", str(exc).removeprefix(f"{given}: "), Severity.ERROR))
    read, failures = read_all(files)
    diagnostics = [*empty, *failures]
    for survey in read:
        diagnostics.extend(survey.diagnostics)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "files": len(files) + len(empty),
                    "errors": errors,
                    "warnings": warnings,
                    "diagnostics": [d.as_dict() for d in diagnostics],
                },
                indent=2,
                ensure_ascii=False,
            ).translate(_JSON_C1)
        )
    else:
        for d in diagnostics:
            click.echo(d.format())
        click.echo(f"{len(files) + len(empty)} file(s): {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise click.exceptions.Exit(1)
