"""``alignsurvey load``: push RDF to a store with the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

from pathlib import Path

import click

from .common import UserError

CONTENT_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".jsonld": "application/ld+json",
}


@click.command("load")
@click.argument("inputs", nargs=-1, metavar="[FILES|DIR]...")
@click.option("--endpoint", required=True, metavar="URL", help="Graph Store endpoint, e.g. http://127.0.0.1:7878/store.")
@click.option("--graph", metavar="IRI", help="Target named graph (default: the default graph).")
@click.option("--replace", is_flag=True, help="Replace the target graph (PUT) instead of adding to it (POST).")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds to wait for each upload.")
def load_cmd(inputs: tuple[str, ...], endpoint: str, graph: str | None, replace: bool, timeout: float) -> None:
    """Upload RDF files (default: the bundled graph) to a SPARQL Graph Store."""
    from ..core.resources import BUNDLED_GRAPH
    from ..sparql.api import rdf_sources
    from ..sparql.endpoint import put_graph
    from ..sparql.errors import QueryError

    try:
        paths = rdf_sources(inputs) if inputs else [BUNDLED_GRAPH]
        for i, path in enumerate(paths):
            ctype = CONTENT_TYPES.get(Path(path).suffix.lower())
            if ctype is None:
                raise UserError(f"{path}: unknown RDF format (use {', '.join(sorted(CONTENT_TYPES))})")
            with open(path, "rb") as body:
                status = put_graph(
                    endpoint, body, ctype, length=Path(path).stat().st_size,
                    graph=graph, replace=replace and i == 0, timeout=timeout or None,
                )
            click.echo(f"{path}: HTTP {status}", err=True)
    except QueryError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot read input: {exc}") from None
    click.echo(f"loaded {len(paths)} file(s) into {endpoint}{' graph ' + graph if graph else ''}", err=True)
