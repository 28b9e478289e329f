"""``align:graph`` (alias ``alignment-graph``): taxonomy, addressing or one concept's neighbourhood.

Why: the directive only chooses what to draw; see :mod:`..graphviz` for how.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..domain import align_domain
from ..graphviz import RELATIONS, addressing, alignment_graph, neighbourhood, taxonomy
from ..records import CONCEPT_KINDS, known
from ..usage import FULL, LABEL
from ..warn import Subtype, unknown_message, warn
from .card import confidence, min_confidence

RELATION_ALIASES = {"taxonomy": "broader", "narrower": "broader"}


class GraphDirective(SphinxDirective):
    has_content = False
    optional_arguments = 1
    final_argument_whitespace = False
    option_spec: ClassVar[dict] = {
        "root": directives.unchanged_required,
        "depth": directives.nonnegative_int,
        "relation": lambda v: RELATION_ALIASES.get(directives.choice(v, (*RELATIONS, *RELATION_ALIASES)), v.lower()),
        "kind": lambda v: directives.choice(v, CONCEPT_KINDS),
        "min-evidence": directives.nonnegative_int,
        "min-confidence": confidence,
        "direction": lambda v: directives.choice(v, ("lr", "tb", "rl", "bt")).upper(),
        "caption": directives.unchanged,
        "align": lambda v: directives.choice(v, ("left", "center", "right")),
        "class": directives.class_option,
    }

    def empty_message(self, view: str, minimum: float) -> str:
        """Why nothing is drawn, naming the option that removed everything when one did."""
        if view == "addresses":
            catalog = align_domain(self.env).catalog
            links = [link for rec in catalog.of_kind("method") for link in getattr(rec, "addressing", ())]
            if not links:
                return "the graph is empty: nothing to draw (the graph has no method-challenge links)"
            confident = [link for link in links if link.shown(minimum)]
            if not confident:
                return (
                    f"the graph is empty: nothing to draw (:min-confidence: {minimum:g} removed all "
                    f"{len(links)} links; the most confident has {max(lk.confidence or 0 for lk in links):.2f})"
                )
            most = max(link.count for link in confident)
            return (
                f"the graph is empty: nothing to draw (:min-evidence: {self.options.get('min-evidence', 1)} "
                f"removed all {len(confident)} links; the best supported has {most} sentence"
                f"{'' if most == 1 else 's'})"
            )
        return "the graph is empty: nothing to draw"

    def warn(self, message: str, subtype: Subtype) -> list[nodes.Node]:
        warn(message, subtype, self.get_location())
        return []

    def run(self) -> list[nodes.Node]:
        domain = align_domain(self.env)
        catalog = domain.catalog
        view = (self.arguments[0] if self.arguments else "").lower()
        relation = self.options.get("relation", "addresses" if view == "addresses" else "broader")
        minimum = min_confidence(self)
        if "root" in self.options:
            name = self.options["root"]
            root = next(filter(None, (catalog.lookup(k, name) for k in CONCEPT_KINDS)), None)
            if root is None:
                suggestion = next(filter(None, (catalog.suggest(k, name) for k in CONCEPT_KINDS)), None)
                domain.graph_warning(
                    unknown_message("concept", name, suggestion) + " (for :root:)", "unknown_id", self.get_location()
                )
                return []
            diagram = neighbourhood(catalog, root, self.options.get("depth", 1), relation, minimum)
            alt = f"Neighbourhood of {known(catalog.get(root), root).label} ({relation})"
        elif view in ("", "taxonomy"):
            kind = self.options.get("kind", "method")
            diagram = taxonomy(catalog, kind, self.options.get("depth"))
            alt = f"Taxonomy of alignment {kind}s"
        elif view == "addresses":
            diagram = addressing(catalog, self.options.get("min-evidence", 1), minimum)
            alt = "Alignment methods and the challenges they address"
        else:
            return self.warn(f"unknown view {view!r}: use taxonomy, addresses, or :root:", "option")
        if not diagram.nodes:
            domain.graph_warning(self.empty_message(view, minimum), "empty", self.get_location())
            return []
        for key in diagram.nodes:
            domain.note_use(key, LABEL)
            domain.note_reference(key)
        if relation != "broader" or view == "addresses":
            for key in diagram.nodes:  # edge counts come from the records
                domain.note_use(key, FULL)
        node = alignment_graph(
            diagram=diagram,
            alt=alt,
            rankdir=self.options.get("direction", "LR"),
            classes=self.options.get("class", []),
            align=self.options.get("align"),
            direction_given="direction" in self.options,
            addresses=view == "addresses",
            depth=self.options.get("depth", 1),
        )
        self.set_source_info(node)
        if "caption" not in self.options:
            return [node]
        figure = nodes.figure("", node, classes=["alignsurvey-figure"])
        if self.options.get("align"):
            figure["align"] = self.options["align"]
        inodes, messages = self.parse_inline(self.options["caption"], lineno=self.lineno)
        figure += nodes.caption(self.options["caption"], "", *inodes)
        self.set_source_info(figure)
        return [figure, *messages]
