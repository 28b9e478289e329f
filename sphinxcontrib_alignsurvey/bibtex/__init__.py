"""BibTeX for the cited works: curated metadata, keys, export and overlays.

Entry points:

* :func:`prepare` -- records (title, authors, year, ids, citation key) for the
  works cited by some surveys, from ``ontology/works.yaml`` plus optional user
  ``.bib`` overlays;
* :func:`write_bibliography` ``(surveys, links, labels, path, overlays=())`` --
  write ``references.bib`` alone; *links* is the conversion's link model;
* :func:`bib_payloads` -- ``references.bib`` and ``<survey-id>.bib`` as bytes,
  for ``alignsurvey convert`` to write atomically beside the graph.

Modules: ``metadata`` (read works.yaml), ``keys`` (citation keys), ``latex``
(escaping, brace protection, names), ``records``, ``export`` (bibtexparser
v2 writer), ``overlay`` (user files), ``bibliography`` (the glue above).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bibliography import Bibliography, bib_payloads, keywords, prepare, write_bibliography
    from .metadata import MetadataError
    from .overlay import OverlayError

__all__ = ["Bibliography", "MetadataError", "OverlayError", "bib_payloads", "keywords", "prepare", "write_bibliography"]


def __getattr__(name: str) -> Any:
    """Import the names above on first use (PEP 562).

    Why: ``alignsurvey check`` needs only :mod:`.verified`, and importing a
    submodule runs this file first; loading the writer, bibtexparser and the
    link model here cost a tenth of a second of every check.
    """
    if name in {"Bibliography", "bib_payloads", "keywords", "prepare", "write_bibliography"}:
        from . import bibliography as module
    elif name == "MetadataError":
        from . import metadata as module  # type: ignore[no-redef]
    elif name == "OverlayError":
        from . import overlay as module  # type: ignore[no-redef]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(module, name)
