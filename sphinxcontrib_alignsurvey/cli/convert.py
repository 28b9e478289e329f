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
@click.option("--vocabulary", "vocabularies", multiple=True, type=click.Path(dir_okay=False),
              help="Your own SKOS vocabulary (Turtle), added to the bundled schemes. Repeatable.")
@click.option("--vocabulary-only", "only", multiple=True, type=click.Path(dir_okay=False),
              help="Your own SKOS vocabulary (Turtle) used instead of the bundled schemes. Repeatable.")
def convert_cmd(surveys: tuple[str, ...], out: str, fmt: str, metadata: tuple[str, ...],
                strict_citations: bool, vocabularies: tuple[str, ...], only: tuple[str, ...]) -> None:
    """Convert surveys into the alignsurvey knowledge graph and BibTeX files.

    Citations flagged by the citation check (see `alignsurvey check`) are
    recorded in the graph and give no citation-context links or BibTeX keywords.

    Concepts come from the bundled vocabularies of AI alignment; --vocabulary
    adds yours to them, --vocabulary-only uses yours alone (both may be given:
    the --vocabulary-only files replace the bundled schemes and the --vocabulary
    files are added to them)."""
    from ..convert import ConversionError, convert, write_graph

    formats = _formats(fmt)
    paths = expand_inputs(surveys)
    vocabulary = _vocabulary(vocabularies, only)
    console = Console(stderr=True)
    try:
        if sys.stderr.isatty() and len(paths) > 3:
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("reading surveys", total=len(paths))
                conversion = convert(paths, vocabulary, progress=lambda _p: progress.advance(task),
                                     metadata=metadata, strict_citations=strict_citations)
        else:
            conversion = convert(paths, vocabulary, metadata=metadata, strict_citations=strict_citations)
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


def _vocabulary(extra: tuple[str, ...], only: tuple[str, ...]):
    """The vocabulary the options ask for (None: the bundled one); file:line errors end the command."""
    if not extra and not only:
        return None
    from ..links.vocabulary import VocabularyError, load_vocabulary

    try:
        return load_vocabulary(only or None, extra=extra)
    except VocabularyError as exc:
        for d in exc.diagnostics:
            click.echo(d.format(), err=True)
        raise UserError(f"{len(exc.diagnostics)} error(s) in the vocabulary; nothing was written") from None


convert_cmd.name = "convert"
