"""``alignsurvey validate``: check graphs against the SHACL shapes."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..core.manifest import ManifestError
from ..core.resources import BUNDLED_GRAPH
from ..validate import folder_problems, rdf_files, validate_files
from .common import UserError, jobs_option
from .progress import progress_option, reporter


@click.command()
@click.argument("inputs", nargs=-1, metavar="[FILES|DIR]...")
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False), help="Shapes file (default: bundled).")
@click.option("--max", "limit", default=50, show_default=True, help="Print at most this many violations.")
@jobs_option("Check the shapes over the one parsed graph")
@progress_option
def validate(
    inputs: tuple[str, ...], shapes: str | None, limit: int, jobs: int | None, show_progress: bool | None
) -> None:
    """Validate RDF files (default: the bundled graph); exit 1 on any violation.

    A folder written by `alignsurvey convert` is checked as one conversion: its
    outputs must match alignsurvey-manifest.json, and one serialisation of the
    graph is validated (the others carry the same triples).
    """
    try:
        paths = rdf_files(inputs) if inputs else [BUNDLED_GRAPH]
    except ManifestError as exc:
        raise UserError(str(exc)) from None
    for p in paths:
        if not p.is_file():
            raise UserError(f"{p}: no such file")
    problems = [line for raw in inputs if Path(raw).is_dir() for line in folder_problems(Path(raw))]
    if problems:
        for line in problems:
            click.echo(line, err=True)
        raise UserError(
            "the folder does not hold the conversion its manifest lists; run the conversion again "
            "(or validate a graph file by name)"
        )
    try:
        with reporter(show_progress) as steps:
            conforms, violations = validate_files(paths, Path(shapes) if shapes else None, steps, jobs or _cores())
    except Exception as exc:  # a parse error in user data: name the file, no traceback
        raise UserError(f"cannot validate: {exc}") from None
    for v in violations[:limit]:
        click.echo(v.format())
    if len(violations) > limit:
        click.echo(f"... and {len(violations) - limit} more", err=True)
    names = ", ".join(str(p) for p in paths)
    click.echo(f"{names}: {'conforms' if conforms else f'{len(violations)} violation(s)'}", err=True)
    if not conforms:
        raise click.exceptions.Exit(1)


def _cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
