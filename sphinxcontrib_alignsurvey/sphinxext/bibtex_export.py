"""``alignsurvey_bibtex_file``: the works' BibTeX, for sphinxcontrib-bibtex.

Why: the exporter belongs to :mod:`sphinxcontrib_alignsurvey.bibtex`; this
module only decides which file it produced applies (the bundled
``references.bib``, the one written when survey Markdown was converted, or a
``references.bib`` beside the configured RDF) and copies it before
sphinxcontrib-bibtex reads its files -- only when the content changed, so an
unchanged graph does not invalidate every citing page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError

from ..core.atomic import write_bytes
from ..core.resources import BUNDLED, BUNDLED_GRAPH

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .state import State

REFERENCES = "references.bib"


def produced_file(state: State) -> Path:
    if state.endpoint:
        raise ConfigError("alignsurvey_bibtex_file needs local sources, not alignsurvey_endpoint")
    if tuple(state.rdf_files) == (BUNDLED_GRAPH,):
        return BUNDLED / REFERENCES
    for rdf in reversed(state.rdf_files):  # the converted graph comes last
        candidate = rdf.parent / REFERENCES
        if candidate.is_file():
            return candidate
    raise ConfigError(
        "alignsurvey_bibtex_file: no BibTeX for these sources; give survey Markdown in alignsurvey_sources "
        f"(converted with its BibTeX) or put a {REFERENCES} beside the RDF file"
    )


def write_bibtex_file(app: Sphinx, state: State) -> Path | None:
    target_name = app.config.alignsurvey_bibtex_file
    if not target_name:
        return None
    source = produced_file(state)
    target = Path(app.confdir, target_name)
    data = source.read_bytes()
    if target.is_file() and target.read_bytes() == data:
        return target
    write_bytes(target, data)
    return target
