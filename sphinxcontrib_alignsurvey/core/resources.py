"""Where the package's own data lives, installed or in a source checkout.

The ontology files and the competency queries are kept once, in the
repository's ``ontology/`` and ``examples/queries/`` folders; wheels carry them
as ``_ontology/`` and ``_queries/`` inside the package.  The converted seed
surveys ship in ``data/bundled/`` so queries and the Sphinx extension work
without any configuration.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
BUNDLED = PACKAGE / "data" / "bundled"
BUNDLED_GRAPH = BUNDLED / "graph.ttl"
#: The bundled graph's catalog for the Sphinx extension, compiled from it (see sphinxext.sources).
BUNDLED_CATALOG = PACKAGE / "data" / "catalog.pickle"


def _shipped(checkout: str, installed: str) -> Path:
    """A folder kept once in the repository and copied into wheels under another name."""
    wheel = PACKAGE / installed
    if wheel.is_dir():
        return wheel
    repository = PACKAGE.parent.joinpath(*checkout.split("/"))
    if repository.is_dir():
        return repository
    raise FileNotFoundError(f"the alignsurvey {checkout} files are missing from this installation")


def ontology_dir() -> Path:
    return _shipped("ontology", "_ontology")


def queries_dir() -> Path:
    """The competency queries: ``examples/queries/`` in a checkout, ``_queries/`` in a wheel."""
    return _shipped("examples/queries", "_queries")


def query_names() -> list[str]:
    """Names of the bundled queries, without ``.rq``: read by ``query --help`` without loading any engine."""
    return sorted(p.stem for p in queries_dir().glob("*.rq"))


def ontology_file(name: str) -> Path:
    return ontology_dir() / name


def vocabulary_files() -> list[Path]:
    """Schema and curated vocabularies, in a fixed order."""
    return [ontology_file(n) for n in ("alignsurvey.ttl", "methods.ttl", "challenges.ttl", "benchmarks.ttl")]
