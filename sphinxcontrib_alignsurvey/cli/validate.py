"""``alignsurvey validate``: check graphs against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.resources import BUNDLED_GRAPH
from ..validate import rdf_files, validate_files
from .common import UserError


@click.command()
@click.argument("inputs", nargs=-1, metavar="[FILES|DIR]...")
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False), help="Shapes file (default: bundled).")
@click.option("--max", "limit", default=50, show_default=True, help="Print at most this many violations.")
def validate(inputs: tuple[str, ...], shapes: str | None, limit: int) -> None:
    """Validate RDF files (default: the bundled graph); exit 1 on any violation."""
    paths = rdf_files(inputs) if inputs else [BUNDLED_GRAPH]
    if not paths:
        raise UserError("no RDF files found in the given directories")
    for p in paths:
        if not p.is_file():
            raise UserError(f"{p}: no such file")
    try:
        conforms, violations = validate_files(paths, Path(shapes) if shapes else None)
    except Exception as exc:  # a parse error in user data: name the file, no traceback
        raise UserError(f"cannot validate: {exc}") from None
    for v in violations[:limit]:
        click.echo(v.format())
    if len(violations) > limit:
        click.echo(f"... and {len(violations) - limit} more", err=True)
    click.echo(f"{len(paths)} file(s): {'conforms' if conforms else f'{len(violations)} violation(s)'}", err=True)
    if not conforms:
        raise click.exceptions.Exit(1)
