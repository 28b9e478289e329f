"""``alignsurvey check``: citation findings, one per line, for people or tools."""

from __future__ import annotations

import json

import click

from .common import UserError, expand_inputs, read_all


@click.command("check")
@click.argument("surveys", nargs=-1, required=True, metavar="SURVEY_OR_DIR...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--metadata",
    "metadata",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Your BibTeX library: its titles count as verified. Repeatable.",
)
@click.option(
    "--lint/--no-lint",
    "with_lint",
    default=False,
    show_default=True,
    help="Also print the structural diagnostics of `alignsurvey lint`.",
)
def check_cmd(surveys: tuple[str, ...], fmt: str, metadata: tuple[str, ...], with_lint: bool) -> None:
    """Check citations: off-topic works, unsupported claims, unverified titles, wrong ids, stated figures.

    Exit 0 when there are only warnings, 1 on any error (as `lint`)."""
    from ..bibtex.verified import verified_identifiers, verified_titles
    from ..check import check_surveys
    from ..core.diagnostics import InputError

    read, failures = read_all(expand_inputs(surveys))
    try:
        verified = verified_titles(metadata)
        identifiers = verified_identifiers(metadata)
    except InputError as exc:  # a malformed works file or --metadata library
        raise UserError(f"{exc.path}:{exc.line}: {exc.message}") from None
    findings = check_surveys(read, verified=verified, identifiers=identifiers)
    diagnostics = list(failures)
    if with_lint:
        diagnostics += [d for s in read for d in s.diagnostics]
    rows = [d.as_dict() | {"reference": None, "score": None} for d in diagnostics]
    rows += [f.as_dict() for f in findings]
    rows.sort(key=lambda r: (r["path"], r["line"], r["kind"], r["reference"] or 0))
    errors = sum(1 for r in rows if r["severity"] == "error")
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for d in diagnostics:
            click.echo(d.format())
        for f in findings:
            click.echo(f.format())
        click.echo(f"{len(read) + len(failures)} file(s): {errors} error(s), {len(rows) - errors} warning(s)", err=True)
    if errors:
        raise click.exceptions.Exit(1)
