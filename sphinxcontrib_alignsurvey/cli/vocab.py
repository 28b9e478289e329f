"""``alignsurvey vocab``: inspect vocabularies (``stats``: concepts per scheme and per depth)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import UserError


@click.group()
def vocab() -> None:
    """Inspect the SKOS vocabularies of methods, challenges and benchmarks, or draft your own."""


@vocab.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), metavar="[VOCABULARY.ttl]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(files: tuple[Path, ...], fmt: str) -> None:
    """Count concepts per scheme and per depth (default: the bundled vocabularies).

    Depth 0 is a concept without a broader concept (a top concept); a concept whose
    broader concept is missing from the files is counted as dangling.
    """
    from ..core.resources import ontology_file
    from ..links.vocabstats import TaxonomyCycle, vocabulary_stats
    from ..links.vocabulary import (
        VOCABULARY_FILES,
        Vocabulary,
        concepts_from,
        read_quads,
    )

    for f in files:
        if not f.is_file():
            raise UserError(f"{f}: no such file")
    paths = [ontology_file("alignsurvey.ttl"), *files] if files else [ontology_file(n) for n in VOCABULARY_FILES]
    triples = []
    for path in paths:
        try:
            triples.extend(read_quads(path))
        except SyntaxError as exc:  # pyoxigraph's message gives the line and column
            raise UserError(f"{path}: not valid Turtle: {exc}") from None
    vocabulary = Vocabulary(concepts=tuple(concepts_from(triples)), triples=tuple(triples))
    try:
        rows = vocabulary_stats(vocabulary)
    except TaxonomyCycle as exc:
        raise UserError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in rows], indent=2, sort_keys=True))
        return
    if not rows:
        click.echo("no concepts typed align:Method, align:Challenge or align:Benchmark")
        return
    deepest = max(max(r.by_depth) for r in rows)
    header = ["scheme", "kind", "concepts", "labels", "introduced", *[f"d{d}" for d in range(deepest + 1)]]
    table = [
        [
            r.name,
            r.kind,
            str(r.concepts),
            str(r.labels),
            str(r.introduced),
            *[str(r.by_depth.get(d, 0)) for d in range(deepest + 1)],
        ]
        for r in rows
    ]
    table.append(
        [
            "total",
            "",
            str(sum(r.concepts for r in rows)),
            str(sum(r.labels for r in rows)),
            str(sum(r.introduced for r in rows)),
            *[str(sum(r.by_depth.get(d, 0) for r in rows)) for d in range(deepest + 1)],
        ]
    )
    widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        cells = (cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        click.echo("  ".join(cells).rstrip())
    dangling = sum(r.dangling for r in rows)
    if dangling:
        click.echo(f"{dangling} concept(s) have a broader concept missing from the files", err=True)


@vocab.command()
@click.argument("surveys", nargs=-1, required=True, metavar="SURVEY_OR_DIR...")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the draft here (default: standard output). An existing file is not overwritten.",
)
@click.option(
    "--limit",
    default=40,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="How many candidates to keep, best first.",
)
@click.option(
    "--min-count",
    default=2,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="How often a phrase must repeat to be suggested.",
)
@click.option(
    "--namespace",
    default="https://example.org/vocabulary/",
    show_default=True,
    help="Namespace IRI of the drafted concepts (end it with / or #).",
)
@click.option("--title", default=None, help="Title of the drafted concept scheme (default: the first survey's).")
def suggest(
    surveys: tuple[str, ...], out: Path | None, limit: int, min_count: int, namespace: str, title: str | None
) -> None:
    """Draft a SKOS vocabulary (Turtle) from surveys of any field, ranked, for you to edit.

    Candidates are the acronyms a survey defines ("Federated Averaging (FedAvg)"),
    its section headings and the noun phrases it repeats; each is ranked by how
    often the surveys mention it.  The draft loads and validates as written; edit
    labels, kinds and definitions, then convert with --vocabulary or
    --vocabulary-only.
    """
    from ..convert import ConversionError, read_surveys
    from ..links.suggest import suggest as draft
    from ..links.suggest import to_turtle
    from .common import expand_inputs

    if not namespace.endswith(("/", "#")) or ":" not in namespace:
        raise click.BadParameter("an absolute IRI ending with / or #", param_hint="--namespace")
    if out is not None and out.exists():
        raise UserError(f"{out}: exists; choose another file or delete it first")
    try:
        read = read_surveys(expand_inputs(surveys))
    except ConversionError as exc:
        for d in exc.diagnostics:
            click.echo(d.format(), err=True)
        raise UserError(f"{len(exc.diagnostics)} error(s) in the surveys; nothing was drafted") from None
    candidates = draft(read, limit=limit, min_count=min_count)
    if not candidates:
        raise UserError("no candidates found (no defined acronyms, headings or repeated phrases)")
    text = to_turtle(candidates, namespace, title or read[0].title)
    if out is None:
        click.echo(text, nl=False)
        return
    from ..core.atomic import atomic_write

    with atomic_write(out, "w") as fh:
        fh.write(text)
    click.echo(f"{out}: {len(candidates)} drafted concept(s)", err=True)
