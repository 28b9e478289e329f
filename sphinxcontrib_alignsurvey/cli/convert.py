"""``alignsurvey convert``: surveys -> one self-contained RDF graph."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.progress import Progress

from ..core.formats import BY_NAME
from .common import UserError, expand_inputs

FORMATS = tuple(BY_NAME)


def _formats(value: str) -> list[str]:
    chosen = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)} (comma-separated)", param_hint="--format")
    return list(dict.fromkeys(chosen))


@click.command()
@click.argument("surveys", nargs=-1, required=True, metavar="SURVEY_OR_DIR...")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--format", "fmt", default="ttl", show_default=True, help="Comma-separated: ttl,nt,jsonld,xml.")
@click.option("--metadata", "metadata", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Your own BibTeX export (Zotero, JabRef) to merge; wins over bundled metadata. Repeatable.")
@click.option("--strict-citations", is_flag=True,
              help="Refuse surveys whose citation check has errors (off-topic works); nothing is written.")
def convert_cmd(surveys: tuple[str, ...], out: str, fmt: str, metadata: tuple[str, ...],
                strict_citations: bool) -> None:
    """Convert surveys into the alignsurvey knowledge graph and BibTeX files.

    Citations flagged by the citation check (see `alignsurvey check`) are
    recorded in the graph and give no citation-context links or BibTeX keywords."""
    from ..convert import ConversionError, convert, write_graph

    formats = _formats(fmt)
    paths = expand_inputs(surveys)
    console = Console(stderr=True)
    try:
        if sys.stderr.isatty() and len(paths) > 3:
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("reading surveys", total=len(paths))
                conversion = convert(paths, progress=lambda _p: progress.advance(task), metadata=metadata,
                                     strict_citations=strict_citations)
        else:
            conversion = convert(paths, metadata=metadata, strict_citations=strict_citations)
    except ConversionError as exc:
        for d in exc.diagnostics:
            click.echo(d.format(), err=True)
        raise UserError(f"{len(exc.diagnostics)} error(s); nothing was written") from None
    for d in conversion.warnings:
        if d.kind.startswith("metadata"):
            click.echo(d.format(), err=True)
    written = write_graph(conversion, out, formats)
    b = conversion.build
    console.print(
        f"{len(conversion.surveys)} survey(s), {len(b.works)} works, {b.mentions} concept mentions, "
        f"{b.count} triples; {len(conversion.warnings)} warning(s) (see `alignsurvey lint`), "
        f"{len(conversion.findings)} citation finding(s) recorded (see `alignsurvey check`)"
    )
    for path in written:
        click.echo(str(path))


convert_cmd.name = "convert"
