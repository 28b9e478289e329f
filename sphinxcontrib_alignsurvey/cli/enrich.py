"""``alignsurvey enrich``: look the cited works up online, write a metadata ``.bib``.

The only command that uses the network, and only when run.  Its output is
what ``alignsurvey convert --metadata FILE`` reads.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .common import UserError, expand_inputs, read_all


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alignsurvey" / "enrich"


@click.command("enrich")
@click.argument("surveys", nargs=-1, required=True, metavar="SURVEY_OR_DIR...")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The metadata .bib to write (read it back with convert --metadata).",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where every answer is kept [default: $XDG_CACHE_HOME/alignsurvey/enrich].",
)
@click.option(
    "--mailto",
    default=None,
    envvar="ALIGNSURVEY_MAILTO",
    help="Your e-mail, sent to Crossref as its etiquette asks (or ALIGNSURVEY_MAILTO).",
)
@click.option(
    "--service",
    "services",
    multiple=True,
    type=click.Choice(["arxiv", "crossref"]),
    default=("arxiv", "crossref"),
    show_default=True,
)
@click.option("--all", "everything", is_flag=True, help="Also look up works the bundled metadata already covers.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the works not found (and why) as JSON, for `alignsurvey check --unverified`.",
)
def enrich_cmd(
    surveys: tuple[str, ...],
    out: Path,
    cache: Path | None,
    mailto: str | None,
    services: tuple[str, ...],
    everything: bool,
    report: Path | None,
) -> None:
    """Resolve authors, year and identifiers of every cited work (online, opt-in)."""
    from ..bibtex.enrich import enrich, write_metadata_bib
    from ..bibtex.enrich.http import ServiceError, Transport
    from ..bibtex.metadata import curated_metadata
    from ..core.atomic import write_text
    from ..core.works import collect_works

    read, failures = read_all(expand_inputs(surveys))
    if failures:
        raise UserError("; ".join(d.format() for d in failures))
    works = collect_works(read)
    known = {} if everything else curated_metadata()
    todo = [
        (n, w.title)
        for n, w in sorted(works.items())
        if everything or not (known.get(n) and known[n].authors and (known[n].arxiv or known[n].doi))
    ]
    transport = Transport(cache=cache or default_cache(), mailto=mailto)
    click.echo(
        f"looking up {len(todo)} of {len(works)} works ({', '.join(services)}; answers cached in {transport.cache})",
        err=True,
    )
    try:
        with click.progressbar(length=len(todo), label="resolving", file=sys.stderr) as bar:
            resolutions = enrich(todo, transport, tuple(services), progress=lambda _: bar.update(1))
    except ServiceError as exc:
        raise UserError(f"{exc} (answers so far are cached; run again to resume)") from None
    found = write_metadata_bib(resolutions, out)
    missing = [r for r in resolutions if not r.found]
    for r in resolutions:
        for problem in r.problems:
            click.echo(f"note: {r.title}: {problem}", err=True)
    for r in missing:
        click.echo(f"not found: {r.title}", err=True)
    if report is not None:
        rows = [{"title": r.title, "normalised": r.normalised, "problems": r.problems} for r in missing]
        write_text(report, json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    click.echo(
        f"{found} work(s) resolved, {len(missing)} not found, {transport.requests} request(s); "
        f"wrote {out} (use: alignsurvey convert ... --metadata {out})",
        err=True,
    )
