"""Diagrams of the graph for ``alignment-graph``, drawn by sphinx.ext.graphviz.

Why: what to draw is decided while reading (a list of nodes and edges from
the catalog); links to cards can only be computed once all documents are
read, so a placeholder node is turned into a real ``graphviz`` node at
``doctree-resolved``, with URLs only for HTML builders.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from docutils import nodes
from sphinx.ext.graphviz import graphviz

from ..links.confidence import DEFAULT_MIN_CONFIDENCE
from .catalog import Catalog
from .domain import align_domain
from .records import ConceptRecord, ObjectKey

RELATIONS = ("broader", "addresses", "limitations", "evaluates", "all")
STYLE = {
    "method": 'shape=box, style="rounded,filled", fillcolor="#e8f0fe", color="#3367d6"',
    "challenge": 'shape=ellipse, style=filled, fillcolor="#fdecea", color="#c5221f"',
    "benchmark": 'shape=cylinder, style=filled, fillcolor="#e6f4ea", color="#188038"',
}
#: How an edge of each relation is drawn (broader edges are plain lines from the broader concept).
EDGE_STYLE = {
    "addresses": 'style=dashed, color="#c5221f"',
    "limitations": 'style=dotted, color="#b06000", arrowhead=odot',
    "evaluates": 'style=dashed, color="#188038", arrowhead=vee',
}


@dataclass(frozen=True)
class Diagram:
    nodes: tuple[ObjectKey, ...]
    edges: tuple[tuple[ObjectKey, ObjectKey, str, int], ...]  # (from, to, relation, evidence count)
    root: ObjectKey | None = None


class alignment_graph(nodes.General, nodes.Element):
    """Placeholder holding a :class:`Diagram` until references can be resolved."""


Edge = tuple[ObjectKey, ObjectKey, str, int]


def _neighbours(rec: ConceptRecord, relation: str, min_confidence: float) -> list[tuple[ObjectKey, Edge]]:
    out = []
    if relation in ("broader", "all"):
        out += [(b, (rec.key, b, "broader", 0)) for b in rec.broader]
        out += [(n, (n, rec.key, "broader", 0)) for n in rec.narrower]
    for name, links in (("addresses", rec.addressing), ("limitations", rec.limitations)):
        if relation in (name, "all"):
            for link in links:
                if link.shown(min_confidence):
                    edge = (rec.key, link.target) if rec.kind == "method" else (link.target, rec.key)
                    out.append((link.target, (*edge, name, link.count)))
    if relation in ("evaluates", "all"):
        for other in rec.evaluates:
            edge = (rec.key, other) if rec.kind == "benchmark" else (other, rec.key)
            out.append((other, (*edge, "evaluates", 0)))
    return out


def neighbourhood(
    catalog: Catalog, root: ObjectKey, depth: int, relation: str, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> Diagram:
    """Everything within *depth* steps of *root* along *relation* edges."""
    seen = {root: 0}
    edges: set[Edge] = set()
    queue = deque([root])
    while queue:
        key = queue.popleft()
        rec = catalog.get(key)
        if not isinstance(rec, ConceptRecord) or seen[key] >= depth:
            continue
        for other, edge in _neighbours(rec, relation, min_confidence):
            if other not in seen:
                seen[other] = seen[key] + 1
                queue.append(other)
            edges.add(edge)
    keep = set(seen)
    return Diagram(tuple(sorted(keep)), tuple(sorted(e for e in edges if e[0] in keep and e[1] in keep)), root)


def taxonomy(catalog: Catalog, kind: str, depth: int | None) -> Diagram:
    """The broader/narrower tree of one scheme, cut at *depth* levels below the top."""
    concepts = [r for r in catalog.of_kind(kind) if isinstance(r, ConceptRecord)]
    level: dict[ObjectKey, int] = {}
    queue = deque(r.key for r in concepts if not r.broader)
    for k in queue:
        level[k] = 0
    while queue:
        key = queue.popleft()
        rec = catalog.get(key)
        for n in rec.narrower:
            if n not in level:
                level[n] = level[key] + 1
                queue.append(n)
    keep = {k for k, lv in level.items() if depth is None or lv <= depth}
    edges = tuple(sorted((r.key, b, "broader", 0) for r in concepts for b in r.broader if r.key in keep and b in keep))
    return Diagram(tuple(sorted(keep)), edges)


def addressing(catalog: Catalog, min_evidence: int, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Diagram:
    """Methods and the challenges they address, edges labelled with evidence counts.

    Only links at or above *min_confidence* and with at least *min_evidence* sentences are drawn.
    """
    edges = set()
    for rec in catalog.of_kind("method"):
        for link in getattr(rec, "addressing", ()):
            if link.count >= min_evidence and link.shown(min_confidence):
                edges.add((rec.key, link.target, "addresses", link.count))
    keys = {e[0] for e in edges} | {e[1] for e in edges}
    return Diagram(tuple(sorted(keys)), tuple(sorted(edges)))


def dot_string(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, newlines kept out."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _wrap(label: str, width: int = 24) -> str:
    words, lines, line = label.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


def dot_code(diagram: Diagram, catalog: Catalog, urls: dict[ObjectKey, str], rankdir: str) -> str:
    """DOT source; labels go through :func:`dot_string`, never raw."""
    out = [
        "digraph alignsurvey {",
        f"  graph [rankdir={rankdir}, bgcolor=transparent, nodesep=0.25, ranksep=0.45];",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, color="#5f6368"];',
    ]
    for i, key in enumerate(diagram.nodes):
        rec = catalog.get(key)
        if rec is None:
            continue
        label = rec.acronym if isinstance(rec, ConceptRecord) and rec.acronym and len(rec.label) > 28 else rec.label
        attrs = [STYLE.get(rec.kind, "shape=box"), f"label={dot_string(_wrap(label)).replace(chr(10), chr(92) + 'n')}"]
        tip = getattr(rec, "definition", "") or rec.label
        attrs.append(f"tooltip={dot_string(tip[:300])}")
        if key in urls:
            attrs.append(f"URL={dot_string(urls[key])}, target=_top")
        if key == diagram.root:
            attrs.append("penwidth=2.5")
        out.append(f"  n{i} [{', '.join(attrs)}];")
    index = {k: i for i, k in enumerate(diagram.nodes)}
    for a, b, relation, count in diagram.edges:
        if relation == "broader":
            out.append(f"  n{index[b]} -> n{index[a]} [arrowhead=none];")
        else:
            label = f', label="{count}"' if count else ""
            out.append(f"  n{index[a]} -> n{index[b]} [{EDGE_STYLE[relation]}{label}];")
    out.append("}")
    return "\n".join(out) + "\n"


def card_uri(builder, fromdocname: str, docname: str, anchor: str) -> str:
    """A link that still works after sphinx.ext.graphviz rebases SVG links onto ``_images/``.

    Why: a bare ``#anchor`` (same page, or any page of singlehtml) would be
    rebased to ``..#anchor``; so the page name is always spelled out.
    """
    if builder.name == "singlehtml":
        return f"{builder.config.root_doc}{builder.out_suffix}#{anchor}"
    uri = builder.get_relative_uri(fromdocname, docname)
    if not uri or uri.startswith("#"):
        uri = builder.get_target_uri(fromdocname).rsplit("/", 1)[-1] or "./"
    return f"{uri}#{anchor}"


def resolve_graphs(app, doctree: nodes.document, fromdocname: str) -> None:
    """``doctree-resolved``: replace placeholders with graphviz nodes linking to cards."""
    domain = align_domain(app.env)
    catalog = domain.catalog
    for node in list(doctree.findall(alignment_graph)):
        diagram: Diagram = node["diagram"]
        urls: dict[ObjectKey, str] = {}
        if app.builder.format == "html":
            for key in diagram.nodes:
                entry = domain.card(key)
                if entry is not None:
                    urls[key] = card_uri(app.builder, fromdocname, entry.docname, entry.anchor)
        gv = graphviz()
        gv["code"] = dot_code(diagram, catalog, urls, node["rankdir"])
        gv["options"] = {"docname": fromdocname}
        gv["alt"] = node["alt"]
        gv["classes"] = ["alignsurvey-graph", *node.get("classes", [])]
        if node.get("align"):
            gv["align"] = node["align"]
        node.replace_self(gv)
