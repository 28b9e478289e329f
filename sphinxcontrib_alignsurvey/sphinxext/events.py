"""Build-event handlers: load once, re-read exactly what changed, ship the CSS.

Why: kept apart from ``setup`` so the incremental-build logic (the fix for
stale cards and tables) reads in one place; the domain answers every
question about what documents registered.

Sources that cannot be read (a survey with errors, a malformed RDF file) are
reported as located errors and the build fails with status 1 -- Sphinx's
way for user mistakes.  An exception would be shown as Sphinx's "Extension
error! ... please report" banner with a traceback, which is for bugs.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from docutils import nodes
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file

from ..core.collector import DOCS_GC_THRESHOLD, collect_less, restore
from ..sparql.api import EmbeddedEngine
from .bibtex_export import write_bibtex_file
from .bibtex_link import pin_plaintext_backend
from .catalog import Catalog
from .domain import align_domain
from .sources import SourceError, load_state
from .state import State, set_state
from .warn import error

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
CSS = "alignsurvey.css"


def builder_inited(app: Sphinx) -> None:
    """Load the catalog (from the disk cache when the sources are unchanged)."""
    try:
        state = load_state(app)
    except SourceError as exc:
        for message, subtype, where in exc.findings:
            error(message, subtype, where)
        error("the alignment graph could not be read; the documents are built without it", "source")
        app.statuscode = 1
        state = failed_state()
    else:
        origin = state.endpoint or ", ".join(p.name for p in state.sources)
        logger.info(
            "alignsurvey: %d objects from %s in %.3f s%s",
            len(state.catalog.records),
            origin,
            state.load_seconds,
            " (cached)" if state.from_cache else "",
        )
        write_bibtex_file(app, state)
    if "sphinxcontrib.bibtex" in app.extensions:
        pin_plaintext_backend()
    set_state(app.env, state)
    if app.builder.format == "html":
        app.add_css_file(CSS)


def failed_state() -> State:
    """No graph: look-ups miss quietly, queries see an empty store, documents are read again next time."""
    return State(Catalog(), (), (), failed=True, opener=lambda _state: EmbeddedEngine(ox.Store(), []))


def env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Documents whose shown objects changed in the graph; remember where cards were."""
    domain = align_domain(env)
    domain.remember_cards()
    stale = domain.stale_documents() - removed - added
    if stale - changed:
        logger.info("alignsurvey: %d document(s) show changed graph data", len(stale - changed))
    return sorted(stale)


def env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Documents that reference an object whose card appeared, moved or vanished."""
    return align_domain(env).documents_with_moved_references()


#: The collector's thresholds before each build this process runs, by application (see collector_paced).
_paced: dict[int, tuple[int, ...]] = {}


def collector_paced(app: Sphinx) -> None:
    """``builder-inited``: the cyclic collector runs less often until the build ends.

    Why: the collector's full passes rescan Sphinx's long-lived objects while
    the build allocates doctree nodes; they took 40% of a 200-page build
    (see :mod:`..core.collector`).  ``alignsurvey_moderate_gc = False`` keeps
    Python's pace.
    """
    if app.config.alignsurvey_moderate_gc:
        _paced[id(app)] = collect_less(DOCS_GC_THRESHOLD)


def collector_restored(app: Sphinx, exc: Exception | None) -> None:
    """``build-finished``: the thresholds the process had before this build, even after a failed one."""
    previous = _paced.pop(id(app), None)
    if previous is not None:
        restore(previous)


def build_finished(app: Sphinx, exc: Exception | None) -> None:
    if exc is None and app.builder.format == "html":
        _copy_replacing(STATIC / CSS, Path(app.outdir, "_static"))


def _copy_replacing(source: Path, destination: Path) -> None:
    """Our stylesheet wins over one an older release left in the output folder.

    Sphinx >= 7.4 keeps an existing, different file and warns (fatal under
    ``-W``) unless told to overwrite; older releases always overwrote.
    """
    if "force" in inspect.signature(copy_asset_file).parameters:
        copy_asset_file(source, destination, force=True)
    else:
        copy_asset_file(source, destination)


def plain_text_references(app: Sphinx, doctree, docname: str) -> None:
    """``doctree-resolved``: in text output, a reference without a card reads like one with a card.

    Why: Sphinx's text writer wraps every inline of class ``xref`` in asterisks, so a label
    whose object has no card came out as ``*Annotator bias*`` beside plain linked labels, and
    inside an emphasised evidence line as nested, stray asterisks.  Other builders keep the class.
    """
    if app.builder.format != "text":
        return
    for node in doctree.findall(nodes.inline):
        classes = node["classes"]
        if "xref" in classes and ("alignsurvey-nocard" in classes or "alignsurvey-unknown" in classes):
            classes.remove("xref")


def epub_ignore_image_maps(app: Sphinx) -> list:
    """``html-collect-pages``: sphinx.ext.graphviz leaves ``.map`` files that EPUB cannot list.

    Why: without this every EPUB with a PNG diagram warns "unknown mimetype";
    the maps are only used inline by the HTML writer, so the package may omit them.
    """
    if app.builder.name.startswith("epub"):
        images = Path(app.outdir, "_images")
        maps = [f"_images/{p.name}" for p in sorted(images.glob("*.map"))] if images.is_dir() else []
        app.config.epub_exclude_files = [*app.config.epub_exclude_files, *maps]
    return []
