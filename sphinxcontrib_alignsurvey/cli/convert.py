"""``alignsurvey convert``: surveys -> one self-contained RDF graph."""

from __future__ import annotations

import click

from ..core.formats import BY_NAME
from .common import UserError, expand_inputs, jobs_option, keep_until_exit
from .progress import progress_option, reporter

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
@click.option(
    "--metadata",
    "metadata",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Your own BibTeX export (Zotero, JabRef) to merge; wins over bundled metadata. Repeatable.",
)
@click.option(
    "--strict-citations",
    is_flag=True,
    help="Refuse surveys whose citation check has errors (off-topic works); nothing is written.",
)
@click.option(
    "--vocabulary",
    "vocabularies",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Your own SKOS vocabulary (Turtle), added to the bundled schemes. Repeatable.",
)
@click.option(
    "--vocabulary-only",
    "only",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Your own SKOS vocabulary (Turtle) used instead of the bundled schemes. Repeatable.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace files in --out that have an output's name but were not written by alignsurvey.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    metavar="SECONDS",
    help="If another conversion is writing --out, wait this long for it instead of failing.",
)
@click.option(
    "--keep-parts",
    is_flag=True,
    help="Keep each survey's part of the conversion in --out (.alignsurvey-parts/), so --add can "
    "add surveys later without reading these again.",
)
@click.option(
    "--add",
    "add",
    is_flag=True,
    help="Add SURVEY... to the conversion already in --out (made with --keep-parts and the same "
    "--metadata and --vocabulary options) instead of replacing it, reading only SURVEY...; a survey "
    "with the id of one there replaces it.",
)
@jobs_option("Convert surveys")
@progress_option
def convert_cmd(
    surveys: tuple[str, ...],
    out: str,
    fmt: str,
    metadata: tuple[str, ...],
    strict_citations: bool,
    vocabularies: tuple[str, ...],
    only: tuple[str, ...],
    force: bool,
    wait: float,
    keep_parts: bool,
    add: bool,
    jobs: int | None,
    show_progress: bool | None,
) -> None:
    """Convert surveys into the alignsurvey knowledge graph and BibTeX files.

    Citations flagged by the citation check (see `alignsurvey check`) are
    recorded in the graph and give no citation-context links or BibTeX keywords.

    The folder holds one conversion: alignsurvey-manifest.json lists its inputs
    and outputs, and outputs of an earlier conversion that this one does not
    write are removed.  Files alignsurvey did not write are never touched.

    Concepts come from the bundled vocabularies of AI alignment; --vocabulary
    adds yours to them, --vocabulary-only uses yours alone (both may be given:
    the --vocabulary-only files replace the bundled schemes and the --vocabulary
    files are added to them).
    """
    from ..convert import ConversionError, convert, write_graph
    from ..convert.pool import default_jobs
    from ..core.atomic import terminate_raises
    from ..core.lock import FolderBusy
    from ..core.publish import ForeignFiles

    formats = _formats(fmt)
    paths = expand_inputs(surveys)
    vocabulary = _vocabulary(vocabularies, only)

    def waiting(pid: int | None) -> None:
        who = f"pid {pid}" if pid else "another process"
        click.echo(f"{out}: waiting up to {wait:g} s for {who} to finish writing it", err=True)

    # SIGTERM/SIGHUP raise, so worker processes and temporary run files go with us
    with terminate_raises(), reporter(show_progress) as steps:
        try:
            conversion = convert(
                paths,
                vocabulary,
                metadata=metadata,
                strict_citations=strict_citations,
                steps=steps,
                jobs=jobs or default_jobs(),
                add_to=out if add else None,
            )
        except ConversionError as exc:
            for d in exc.diagnostics:
                click.echo(d.format(), err=True)
            raise UserError(f"{len(exc.diagnostics)} error(s); nothing was written") from None
        for d in conversion.warnings:
            if d.kind.startswith("metadata"):
                click.echo(d.format(), err=True)
        try:
            written = write_graph(
                conversion,
                out,
                formats,
                force=force,
                wait=wait,
                on_wait=waiting,
                progress=steps,
                keep_parts=keep_parts or add,
            )
        except ForeignFiles as exc:
            listed = "\n".join(f"  {path}: {why}" for path, why in exc.problems)
            raise UserError(
                f"{out}: nothing was written; these files have the names of outputs but alignsurvey did not "
                f"write them (or they were changed since):\n{listed}\n"
                "move them away, choose another --out, or pass --force to replace them"
            ) from None
        except FolderBusy as exc:
            raise UserError(f"{exc}; nothing was written (pass --wait SECONDS to wait for it)") from None
    # the run files go now; the conversion's objects are left to the process's end (the script then
    # exits without freeing them one by one, which took 30-45 ms for the bundled surveys)
    keep_until_exit(conversion, conversion.build.runs.close)
    published = conversion.published
    for path in published.kept if published else ():
        click.echo(
            f"{path}: kept: an output of the previous conversion, changed since alignsurvey wrote it "
            "(no longer part of this conversion)",
            err=True,
        )
    b = conversion.build
    click.echo(
        f"{len(conversion.surveys)} survey(s), {len(b.works)} works, {b.mentions} concept mentions, "
        f"{b.count} triples; {len(conversion.warnings)} warning(s) (see `alignsurvey lint`), "
        f"{len(conversion.findings)} citation finding(s) recorded (see `alignsurvey check`)",
        err=True,
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
