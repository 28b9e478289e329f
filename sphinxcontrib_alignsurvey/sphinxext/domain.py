"""The ``align`` domain: owns the cards documents define and resolves references.

Why: like sphinxcontrib-bibtex's domain, it keeps only what documents
define (object key -> docname and anchor) plus per-document usage notes, in
``env.domaindata`` so parallel reads merge cleanly; everything about the
objects themselves comes from the catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from .indices import ChallengeIndex, MethodIndex, WorkIndex
from .records import KINDS
from .roles import AlignXRefRole
from .state import get_state

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


class CardEntry(NamedTuple):
    """Where a card stands: one typed record per defined object."""

    kind: str
    id: str
    docname: str
    anchor: str
    label: str
    lineno: int


def split_key(key: str) -> tuple[str, str]:
    kind, _, ident = key.partition(":")
    return kind, ident


class AlignDomain(Domain):
    name = "align"
    label = "Alignment survey"
    object_types = {
        "method": ObjType(_("alignment method"), "method", "any"),
        "challenge": ObjType(_("alignment challenge"), "challenge", "any"),
        "paper": ObjType(_("work"), "paper", "any"),
        "survey": ObjType(_("survey"), "survey", "any"),
    }
    roles = {kind: AlignXRefRole(kind) for kind in KINDS}
    indices = [MethodIndex, ChallengeIndex, WorkIndex]
    data_version = 1
    initial_data: dict[str, Any] = {
        "objects": {},  # key -> CardEntry
        "uses": {},  # docname -> {key: (mode, digest)}
        "refs": {},  # docname -> {key}
        "whole": {},  # docname -> graph fingerprint
    }

    @property
    def objects(self) -> dict[str, CardEntry]:
        return self.data["objects"]

    # -- objects -----------------------------------------------------------------
    def note_card(self, key: str, label: str, anchor: str, lineno: int) -> None:
        kind, ident = split_key(key)
        other = self.objects.get(key)
        if other is not None and other.docname != self.env.docname:
            logger.warning(
                "%s %r already has a card in %s (line %d); use :noindex: on one of them",
                kind, ident, other.docname, other.lineno,
                location=(self.env.docname, lineno), type="alignsurvey", subtype="duplicate",
            )
            return
        self.objects[key] = CardEntry(kind, ident, self.env.docname, anchor, label, lineno)

    def clear_doc(self, docname: str) -> None:
        for key, entry in list(self.objects.items()):
            if entry.docname == docname:
                del self.objects[key]
        for name in ("uses", "refs", "whole"):
            self.data[name].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        docs = set(docnames)
        for key, entry in otherdata["objects"].items():
            if entry.docname in docs:
                mine = self.objects.get(key)
                if mine is not None and mine.docname != entry.docname:
                    logger.warning(
                        "%s %r already has a card in %s (line %d); use :noindex: on one of them",
                        entry.kind, entry.id, mine.docname, mine.lineno,
                        location=(entry.docname, entry.lineno), type="alignsurvey", subtype="duplicate",
                    )
                    continue
                self.objects[key] = entry
        for name in ("uses", "refs", "whole"):
            for docname, value in otherdata[name].items():
                if docname in docs:
                    self.data[name][docname] = value

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for entry in sorted(self.objects.values(), key=lambda e: (e.kind, e.id)):
            yield entry.id, entry.label, entry.kind, entry.docname, entry.anchor, 1

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        return node.get("reftarget")

    # -- resolution -----------------------------------------------------------------
    def _resolve(
        self, builder: Builder, fromdocname: str, key: str, contnode: nodes.Element, node: pending_xref | None
    ) -> nodes.Element | None:
        catalog = get_state(self.env).catalog
        rec = catalog.get(key)
        entry = self.objects.get(key)
        tooltip = getattr(rec, "definition", "") if rec is not None else ""
        if entry is not None:
            return make_refnode(builder, fromdocname, entry.docname, entry.anchor, contnode, tooltip or entry.label)
        if rec is None:
            return None
        text = contnode.astext()
        if builder.format == "html" and tooltip and tooltip != text:
            out: nodes.Element = nodes.abbreviation(text, text, explanation=tooltip)
        else:
            out = nodes.inline(text, text)
        out["classes"] += ["alignsurvey-ref", "alignsurvey-nocard"]
        return out

    def resolve_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str, target: str,
        node: pending_xref, contnode: nodes.Element,
    ) -> nodes.Element | None:
        if typ == "cite":
            from .bibtex_link import resolve_citation

            return resolve_citation(env, fromdocname, builder, target, node, contnode)  # type: ignore[return-value]
        catalog = get_state(env).catalog
        key = f"{typ}:{target}"
        if catalog.get(key) is None:
            key = catalog.lookup(typ, target) or key
        resolved = self._resolve(builder, fromdocname, key, contnode, node)
        if resolved is None:
            logger.warning(
                "unknown %s %r: not in the alignment graph", typ, target,
                location=node, type="alignsurvey", subtype="unknown_id",
            )
            # An element, never the bare label: the reference's classes move onto what replaces it.
            text = contnode.astext()
            resolved = nodes.inline(text, text, classes=["alignsurvey-ref", "alignsurvey-unknown"])
        return resolved

    def resolve_any_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str,
        node: pending_xref, contnode: nodes.Element,
    ) -> list[tuple[str, nodes.Element]]:
        catalog = get_state(env).catalog
        results = []
        for kind in KINDS:
            key = catalog.lookup(kind, target)
            if key is None or key not in self.objects:
                continue  # :any: only finds objects that have a card
            rec = catalog.get(key)
            inner = contnode
            if rec is not None and contnode.astext() == target:
                inner = nodes.literal(rec.label, rec.label) if isinstance(contnode, nodes.literal) else nodes.inline(rec.label, rec.label)
            ref = self._resolve(builder, fromdocname, key, inner, node)
            if ref is not None:
                results.append((f"align:{kind}", ref))
        return results
