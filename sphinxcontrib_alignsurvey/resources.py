"""Where the package's own data lives, installed or in a source checkout.

The ontology files are kept once, in the repository's ``ontology/`` folder;
wheels carry them as ``_ontology/`` inside the package.  The converted seed
surveys ship in ``data/bundled/`` so queries and the Sphinx extension work
without any configuration.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLED = PACKAGE / "data" / "bundled"
BUNDLED_GRAPH = BUNDLED / "graph.ttl"


def ontology_dir() -> Path:
    installed = PACKAGE / "_ontology"
    if installed.is_dir():
        return installed
    checkout = PACKAGE.parent / "ontology"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the alignsurvey ontology files are missing from this installation")


def ontology_file(name: str) -> Path:
    return ontology_dir() / name


def vocabulary_files() -> list[Path]:
    """Schema and curated vocabularies, in a fixed order."""
    return [ontology_file(n) for n in ("alignsurvey.ttl", "methods.ttl", "challenges.ttl", "benchmarks.ttl")]
