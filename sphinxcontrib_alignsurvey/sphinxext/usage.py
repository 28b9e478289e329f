"""What each document showed, so incremental builds re-read exactly those.

Why: a card or table shows data that lives in the graph, not in the
document; Sphinx alone would keep a stale page when the graph changes (the
classic stale-table bug).  Every directive and role notes which objects it
showed and a digest of what it showed; ``env-get-outdated`` compares them
with the new catalog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .catalog import Catalog
from .state import get_state

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

FULL = "full"  # the whole record was shown (cards, graphs)
LABEL = "label"  # only label and definition were shown (roles, table cells)


def digest(catalog: Catalog, key: str, mode: str) -> str | None:
    """The digest of what *mode* shows of *key*; None when the object is gone."""
    rec = catalog.get(key)
    if rec is None:
        return None
    if mode == FULL:
        return catalog.digests().get(key)
    return catalog.label_digest(key, rec)


def note_use(env: BuildEnvironment, key: str, mode: str = FULL) -> None:
    uses = env.domaindata["align"]["uses"].setdefault(env.docname, {})
    old = uses.get(key)
    if old is not None and (old[0] == FULL or mode != FULL):
        return  # already noted: a full use covers a label use, and the same mode gives the same digest
    uses[key] = (mode, digest(get_state(env).catalog, key, mode))


def note_whole_graph(env: BuildEnvironment) -> None:
    """The document ran SPARQL: it depends on every triple of every source."""
    state = get_state(env)
    env.domaindata["align"]["whole"][env.docname] = state.fingerprint
    for path in state.sources:
        env.note_dependency(str(path))


def note_reference(env: BuildEnvironment, key: str) -> None:
    """A cross-reference, resolved at write time; rewritten when its card moves."""
    refs = env.domaindata["align"]["refs"]
    docname = env.docname
    keys = refs.get(docname)
    if keys is None:
        keys = refs[docname] = set()
    keys.add(key)


def stale_documents(env: BuildEnvironment, catalog: Catalog, fingerprint: str) -> set[str]:
    """Documents whose recorded digests differ from the current catalog."""
    data = env.domaindata["align"]
    out = set()
    for docname, uses in data["uses"].items():
        if any(digest(catalog, key, mode) != old for key, (mode, old) in uses.items()):
            out.add(docname)
    for docname, fp in data["whole"].items():
        if fp != fingerprint or not fingerprint:
            out.add(docname)
    return {d for d in out if d in env.found_docs}
