"""Turn surveys of AI alignment research into a linked knowledge graph.

The package reads survey documents (:mod:`.reader`), models them
(:mod:`.model`), and renders them as RDF, BibTeX, SPARQL answers and Sphinx
pages.  Importing the package stays cheap: Sphinx machinery is only loaded
when Sphinx calls :func:`setup`.
"""

from __future__ import annotations

from typing import Any

from .core.version import __version__

__all__ = ["__version__", "setup"]


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point, so ``extensions = ["sphinxcontrib_alignsurvey"]`` works."""
    from .sphinxext import setup as _setup

    return _setup(app)
