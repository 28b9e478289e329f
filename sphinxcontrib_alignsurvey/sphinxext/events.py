"""Build-event handlers: load once, re-read exactly what changed, ship the CSS.

Why: kept apart from ``setup`` so the incremental-build logic (the fix for
stale cards and tables) reads in one place.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file

from .bibtex_export import write_bibtex_file
from .sources import load_state
from .state import get_state, set_state
from .usage import stale_documents

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
CSS = "alignsurvey.css"


def builder_inited(app: Sphinx) -> None:
    """Load the catalog (from the disk cache when the sources are unchanged)."""
    state = load_state(app)
    set_state(app.env, state)
    origin = state.endpoint or ", ".join(p.name for p in state.sources)
    logger.info(
        "alignsurvey: %d objects from %s in %.3f s%s", len(state.catalog.records), origin,
        state.load_seconds, " (cached)" if state.from_cache else "",
    )
    write_bibtex_file(app, state)
    if app.builder.format == "html":
        app.add_css_file(CSS)


def env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Documents whose shown objects changed in the graph; remember where cards were."""
    state = get_state(env)
    state.cards_before = dict(env.domaindata["align"]["objects"])  # type: ignore[attr-defined]
    stale = stale_documents(env, state.catalog, state.fingerprint) - removed - added
    if stale - changed:
        logger.info("alignsurvey: %d document(s) show changed graph data", len(stale - changed))
    return sorted(stale)


def env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Documents that reference an object whose card appeared, moved or vanished."""
    state = get_state(env)
    before = getattr(state, "cards_before", None)
    if before is None:
        return []
    after = env.domaindata["align"]["objects"]
    moved = {k for k in set(before) | set(after)
             if (before.get(k) and (before[k].docname, before[k].anchor)) != (after.get(k) and (after[k].docname, after[k].anchor))}
    if not moved:
        return []
    refs = env.domaindata["align"]["refs"]
    return sorted(d for d, keys in refs.items() if keys & moved and d in env.found_docs)


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
