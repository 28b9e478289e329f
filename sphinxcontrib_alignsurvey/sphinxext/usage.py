"""What a document showed of an object, as a digest, so incremental builds re-read exactly those.

Why: a card or table shows data that lives in the graph, not in the
document; Sphinx alone would keep a stale page when the graph changes (the
classic stale-table bug).  Every directive and role notes, through the
domain, which objects it showed and a digest of what it showed;
``env-get-outdated`` asks the domain which documents' digests changed.
"""

from __future__ import annotations

from .catalog import Catalog
from .records import ObjectKey

FULL = "full"  # the whole record was shown (cards, graphs)
LABEL = "label"  # only label and definition were shown (roles, table cells)


def digest(catalog: Catalog, key: ObjectKey, mode: str) -> str | None:
    """The digest of what *mode* shows of *key*; None when the object is gone."""
    rec = catalog.get(key)
    if rec is None:
        return None
    if mode == FULL:
        return catalog.digests().get(key)
    return catalog.label_digest(key, rec)
