"""``alignsurvey lint``: every diagnostic of every survey, for people or tools."""

from __future__ import annotations

import json

import click

from .common import expand_inputs, read_all


@click.command()
@click.argument("surveys", nargs=-1, required=True, metavar="SURVEY_OR_DIR...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def lint(surveys: tuple[str, ...], fmt: str) -> None:
    """Check surveys; exit 0 when there are only warnings, 1 on any error."""
    files = expand_inputs(surveys)
    read, failures = read_all(files)
    diagnostics = list(failures)
    for survey in read:
        diagnostics.extend(survey.diagnostics)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "files": len(files),
                    "errors": errors,
                    "warnings": warnings,
                    "diagnostics": [d.as_dict() for d in diagnostics],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for d in diagnostics:
            click.echo(d.format())
        click.echo(f"{len(files)} file(s): {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise click.exceptions.Exit(1)
