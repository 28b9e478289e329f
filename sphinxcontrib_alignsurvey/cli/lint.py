"""``alignsurvey lint``: every diagnostic of every survey, for people or tools."""

from __future__ import annotations

import json

import click

from .common import read_all

# json.dumps escapes C0 controls itself; DEL and C1 (0x9b starts a terminal
# escape sequence) it leaves raw, and they can only stand inside strings
_JSON_C1 = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


@click.command()
@click.argument("surveys", nargs=-1, required=True, metavar="SURVEY...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def lint(surveys: tuple[str, ...], fmt: str) -> None:
    """Check surveys; exit 0 when there are only warnings, 1 on any error."""
    read, failures = read_all(surveys)
    diagnostics = list(failures)
    for survey in read:
        diagnostics.extend(survey.diagnostics)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "files": len(surveys),
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
        click.echo(f"{len(surveys)} file(s): {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise click.exceptions.Exit(1)
