"""The ``align`` domain: the one owner of what documents register.

Why: like sphinxcontrib-bibtex's domain and Sphinx's own, every read and
write of ``env.domaindata["align"]`` happens in a method here -- cards
(object key -> docname and anchor), the objects each document showed and
referenced, documents that ran SPARQL -- so clearing a document, merging a
parallel worker's data and finding stale documents are written once.
Everything about the objects themselves comes from the catalog; renderers
get both through a :class:`RenderContext` instead of the environment.

A card defined in several documents links to the one in the first document
by name, whatever order the documents were read in (serial, ``-j N`` or an
incremental build), and every other one gets a ``duplicate`` warning naming it.

Roles, directives and indices are registered on the domain by ``setup()``:
they use the domain, so the domain does not import them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.locale import _
from sphinx.util.nodes import make_refnode

from .bibtex_link import citation, resolve_citation
from .catalog import Catalog
from .records import KINDS, ObjectKey
from .state import State, get_state
from .usage import FULL, digest
from .warn import Location, Subtype, unknown_message, warn

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


class CardEntry(NamedTuple):
    """Where a card stands: one typed record per registered card."""

    key: ObjectKey
    docname: str
    anchor: str
    label: str
    lineno: int

    @property
    def kind(self) -> str:
        return self.key.kind

    @property
    def id(self) -> str:
        return self.key.id


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What a renderer needs: the catalog to read from and the domain to note what it showed."""

    catalog: Catalog
    domain: AlignDomain

    @property
    def docname(self) -> str:
        return self.domain.env.docname


def align_domain(env: BuildEnvironment) -> AlignDomain:
    return cast("AlignDomain", env.get_domain("align"))


class AlignDomain(Domain):
    name = "align"
    label = "Alignment survey"
    object_types: ClassVar[dict[str, ObjType]] = {
        "method": ObjType(_("alignment method"), "method", "any"),
        "challenge": ObjType(_("alignment challenge"), "challenge", "any"),
        "benchmark": ObjType(_("alignment benchmark"), "benchmark", "any"),
        "paper": ObjType(_("paper"), "paper", "any"),
        "survey": ObjType(_("survey"), "survey", "any"),
    }
    data_version = 2
    initial_data: ClassVar[dict[str, Any]] = {
        "objects": {},  # ObjectKey -> CardEntry: the card references link to
        "cards": {},  # ObjectKey -> {docname: CardEntry}: every registered card, duplicates too
        "uses": {},  # docname -> {ObjectKey: (mode, digest)}
        "refs": {},  # docname -> {ObjectKey}
        "whole": {},  # docname -> graph fingerprint ("" = read again at the next build)
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._read: set[str] = set()  # documents (re)read in this build: their duplicates are reported
        self._cards_before: dict[ObjectKey, tuple[str, str]] | None = None

    # -- the graph -------------------------------------------------------------------
    @property
    def state(self) -> State:
        return get_state(self.env)

    @property
    def catalog(self) -> Catalog:
        return get_state(self.env).catalog

    def context(self) -> RenderContext:
        """Looked up once per directive or role; every node builder it calls takes it."""
        return RenderContext(self.catalog, self)

    def graph_warning(self, message: str, subtype: Subtype, location: Location) -> None:
        """A warning about the graph's content (an unknown ID, nothing to draw); not reported
        when the graph itself could not be read, since that error already explains them all."""
        if not self.state.failed:
            warn(message, subtype, location)

    # -- what the current document registers (read phase) --------------------------
    def note_card(self, key: ObjectKey, label: str, anchor: str, lineno: int) -> None:
        docname = self.env.docname
        defs = self.data["cards"].setdefault(key, {})
        if docname not in defs:  # the first card of a document stands for it
            defs[docname] = CardEntry(key, docname, anchor, label, lineno)
            self._elect(key)

    def note_use(self, key: ObjectKey, mode: str = FULL) -> None:
        """The current document shows *key* (all of it, or only its label): re-read it when that changes."""
        uses = self.data["uses"].setdefault(self.env.docname, {})
        old = uses.get(key)
        if old is not None and (old[0] == FULL or mode != FULL):
            return  # already noted: a full use covers a label use, and the same mode gives the same digest
        uses[key] = (mode, digest(self.catalog, key, mode))

    def note_reference(self, key: ObjectKey) -> None:
        """A cross-reference, resolved at write time; its document is rewritten when the card moves."""
        refs = self.data["refs"]
        keys = refs.get(self.env.docname)
        if keys is None:
            keys = refs[self.env.docname] = set()
        keys.add(key)

    def note_whole_graph(self) -> None:
        """The current document ran SPARQL: it depends on every triple of every source."""
        state = self.state
        self.data["whole"][self.env.docname] = state.fingerprint
        for path in state.sources:
            self.env.note_dependency(str(path))

    def cite(self, key: str, fallback: str = "") -> nodes.Node | None:
        """A citation of the work *key* through sphinxcontrib-bibtex, when it is enabled and knows the key."""
        return citation(self.env, key, fallback)

    # -- questions -------------------------------------------------------------------
    def card(self, key: ObjectKey) -> CardEntry | None:
        return self.data["objects"].get(key)

    def cards(self) -> Iterable[CardEntry]:
        return self.data["objects"].values()

    def stale_documents(self) -> set[str]:
        """Documents whose recorded digests differ from the current catalog, or that ran SPARQL on another graph."""
        catalog, fingerprint = self.catalog, self.state.fingerprint
        out = {
            docname
            for docname, uses in self.data["uses"].items()
            if any(digest(catalog, key, mode) != old for key, (mode, old) in uses.items())
        }
        out.update(docname for docname, fp in self.data["whole"].items() if fp != fingerprint or not fingerprint)
        return {d for d in out if d in self.env.found_docs}

    def remember_cards(self) -> None:
        """Before reading: where every card stands, to find the references a move invalidates."""
        self._cards_before = {key: (e.docname, e.anchor) for key, e in self.data["objects"].items()}

    def documents_with_moved_references(self) -> list[str]:
        """After reading: documents that reference a card that appeared, moved or vanished."""
        before, self._cards_before = self._cards_before, None
        if before is None:
            return []
        after = {key: (e.docname, e.anchor) for key, e in self.data["objects"].items()}
        moved = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        if not moved:
            return []
        return sorted(d for d, keys in self.data["refs"].items() if keys & moved and d in self.env.found_docs)

    # -- the environment's life cycle ----------------------------------------------
    def _elect(self, key: ObjectKey) -> None:
        """The card references link to: the first document by name, so any reading order agrees."""
        defs = self.data["cards"].get(key)
        if defs:
            self.data["objects"][key] = defs[min(defs)]
        else:
            self.data["cards"].pop(key, None)
            self.data["objects"].pop(key, None)

    def clear_doc(self, docname: str) -> None:
        self._read.add(docname)
        for key, defs in list(self.data["cards"].items()):
            if defs.pop(docname, None) is not None:
                self._elect(key)
        for name in ("uses", "refs", "whole"):
            self.data[name].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        docs = set(docnames)
        for key, defs in otherdata["cards"].items():
            mine = None
            for docname, entry in defs.items():
                if docname in docs:
                    mine = self.data["cards"].setdefault(key, {})
                    mine[docname] = entry
            if mine is not None:
                self._elect(key)
        for name in ("uses", "refs", "whole"):
            for docname, value in otherdata[name].items():
                if docname in docs:
                    self.data[name][docname] = value

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        if self.state.failed:  # read without the graph: read it again once the graph loads
            self.data["whole"][docname] = ""

    def check_consistency(self) -> None:
        """Report each duplicate card once all documents are read, so the report does not depend on order."""
        read, self._read = self._read, set()
        for key in sorted(self.data["cards"]):
            defs = self.data["cards"][key]
            if len(defs) < 2 or read.isdisjoint(defs):
                continue
            first = self.data["objects"][key]
            for docname in sorted(defs):
                if docname != first.docname:
                    warn(
                        f"{key.kind} {key.id!r} already has a card in {first.docname} (line {first.lineno}); "
                        "use :noindex: on one of them",
                        "duplicate",
                        location=(docname, defs[docname].lineno),
                    )

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for entry in sorted(self.data["objects"].values(), key=lambda e: e.key):
            yield entry.id, entry.label, entry.kind, entry.docname, entry.anchor, 1

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        return node.get("reftarget")

    # -- resolution -----------------------------------------------------------------
    def _resolve(
        self, builder: Builder, fromdocname: str, key: ObjectKey, contnode: nodes.Element
    ) -> nodes.Element | None:
        rec = self.catalog.get(key)
        entry = self.card(key)
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

    def resolve_xref(  # type: ignore[override]
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Element | None:
        # Sphinx's stub says ``reference``, but ReferencesResolver only calls replace_self() with the
        # result, so any element will do; an unknown or card-less ID resolves to an inline on purpose.
        if typ == "cite":
            return resolve_citation(env, fromdocname, builder, target, node, contnode)
        catalog = self.catalog
        key = ObjectKey(typ, target)
        if catalog.get(key) is None:
            key = catalog.lookup(typ, target) or key
        resolved = self._resolve(builder, fromdocname, key, contnode)
        if resolved is None:
            message = unknown_message(typ, target, catalog.suggest(typ, target), "an ID")
            self.graph_warning(message, "unknown_id", node)
            # An element, never the bare label: the reference's classes move onto what replaces it.
            text = contnode.astext()
            resolved = nodes.inline(text, text, classes=["alignsurvey-ref", "alignsurvey-unknown"])
        return resolved

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        catalog = self.catalog
        results: list[tuple[str, nodes.reference]] = []
        for kind in KINDS:
            key = catalog.lookup(kind, target)
            if key is None or self.card(key) is None:
                continue  # :any: only finds objects that have a card
            rec = catalog.get(key)
            inner = contnode
            if rec is not None and contnode.astext() == target:
                cls = nodes.literal if isinstance(contnode, nodes.literal) else nodes.inline
                inner = cls(rec.label, rec.label)
            ref = self._resolve(builder, fromdocname, key, inner)
            if isinstance(ref, nodes.reference):  # always: the object has a card, so _resolve made a link
                results.append((f"align:{kind}", ref))
        return results
