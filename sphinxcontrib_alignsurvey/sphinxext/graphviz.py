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
from .layout import LayoutError, natural_size, page_for
from .records import ConceptRecord, ObjectKey, known
from .warn import warn

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
        if not isinstance(rec, ConceptRecord):  # the queue holds concepts and their narrower concepts only
            raise TypeError(f"{key} in the {kind} taxonomy is not a concept")
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


#: Leaves of one parent packed into one table node (2 or more), at most this many rows per column.
PACK_MIN = 2
PACK_ROWS = 8
#: Fill and border of a packed table, per kind (the colours of the single nodes).
TABLE_COLOURS = {
    "method": ("#e8f0fe", "#3367d6"),
    "challenge": ("#fdecea", "#c5221f"),
    "benchmark": ("#e6f4ea", "#188038"),
}
NODE_FONT = 11.0  # points, every node label
EDGE_FONT = 9.0  # points, edge labels (evidence counts)


def html_text(text: str) -> str:
    """Text for a Graphviz HTML-like label: the XML characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def node_label(rec) -> str:
    if isinstance(rec, ConceptRecord) and rec.acronym and len(rec.label) > 28:
        return rec.acronym
    return rec.label


def packed_leaves(diagram: Diagram) -> dict[ObjectKey, list[ObjectKey]]:
    """Parent -> its leaf children to draw as one table (leaves: no other edge in the diagram).

    Why: a tree drawn one box per leaf is a column as tall as its leaves are many (the challenge
    taxonomy was 45 inches); sibling leaves stacked in a table take a third of the room, so the
    drawing keeps a page's shape and its labels stay legible when scaled to the page.
    """
    degree: dict[ObjectKey, int] = {k: 0 for k in diagram.nodes}
    parent: dict[ObjectKey, ObjectKey] = {}
    for a, b, relation, _ in diagram.edges:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
        if relation == "broader":
            parent[a] = b
    groups: dict[ObjectKey, list[ObjectKey]] = {}
    for child, up in parent.items():
        if degree[child] == 1 and child != diagram.root:
            groups.setdefault(up, []).append(child)
    return {up: sorted(kids) for up, kids in groups.items() if len(kids) >= PACK_MIN}


def _table(keys: list[ObjectKey], catalog: Catalog, urls: dict[ObjectKey, str]) -> str:
    """An HTML-like label: the leaves as cells, row by row, each a link to its card where it has one."""
    kind = keys[0].kind
    fill, border = TABLE_COLOURS.get(kind, ("#ffffff", "#5f6368"))
    columns = -(-len(keys) // PACK_ROWS)
    rows = [keys[i : i + columns] for i in range(0, len(keys), columns)]
    out = [
        f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" STYLE="ROUNDED" '
        f'BGCOLOR="{fill}" COLOR="{border}">'
    ]
    for row in rows:
        out.append("<TR>")
        for key in row:
            rec = known(catalog.get(key), key)
            text = "<BR/>".join(html_text(line) for line in _wrap(node_label(rec)).split("\n"))
            attrs = [f'TOOLTIP="{html_text((getattr(rec, "definition", "") or rec.label)[:300])}"']
            if key in urls:
                attrs.append(f'HREF="{html_text(urls[key])}" TARGET="_top"')
            out.append(f'<TD ALIGN="LEFT" {" ".join(attrs)}>{text}</TD>')
        out.append("</TR>")
    out.append("</TABLE>>")
    return "".join(out)


def dot_code(
    diagram: Diagram, catalog: Catalog, urls: dict[ObjectKey, str], rankdir: str, size: str | None = None
) -> str:
    """DOT source; labels go through :func:`dot_string` or :func:`html_text`, never raw.

    *size* (inches, ``"W,H"``) scales the drawing down to fit, as a builder's page needs.
    """
    out = [
        "digraph alignsurvey {",
        f"  graph [rankdir={rankdir}, bgcolor=transparent, nodesep=0.25, ranksep=0.45"
        + (f', size="{size}"' if size else "")
        + "];",
        f'  node [fontname="Helvetica", fontsize={NODE_FONT:g}];',
        f'  edge [fontname="Helvetica", fontsize={EDGE_FONT:g}, color="#5f6368"];',
    ]
    packed = packed_leaves(diagram)
    in_table = {leaf for leaves in packed.values() for leaf in leaves}
    for i, key in enumerate(diagram.nodes):
        rec = catalog.get(key)
        if rec is None or key in in_table:
            continue
        label = node_label(rec)
        attrs = [
            STYLE.get(rec.key.kind, "shape=box"),
            f"label={dot_string(_wrap(label)).replace(chr(10), chr(92) + 'n')}",
        ]
        tip = getattr(rec, "definition", "") or rec.label
        attrs.append(f"tooltip={dot_string(tip[:300])}")
        if key in urls:
            attrs.append(f"URL={dot_string(urls[key])}, target=_top")
        if key == diagram.root:
            attrs.append("penwidth=2.5")
        out.append(f"  n{i} [{', '.join(attrs)}];")
    index = {k: i for i, k in enumerate(diagram.nodes)}
    for up, leaves in sorted(packed.items()):
        out.append(f"  t{index[up]} [shape=plain, label={_table(leaves, catalog, urls)}];")
        out.append(f"  n{index[up]} -> t{index[up]} [arrowhead=none];")
    for a, b, relation, count in diagram.edges:
        if a in in_table:
            continue
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


def min_font(diagram: Diagram) -> float:
    """The smallest label of the drawing, in points at its natural size."""
    return EDGE_FONT if any(relation != "broader" and count for _, _, relation, count in diagram.edges) else NODE_FONT


def split_by_top(diagram: Diagram) -> list[tuple[ObjectKey, Diagram]]:
    """One diagram per top concept of a taxonomy (a concept without a broader one in the diagram)."""
    children: dict[ObjectKey, list[ObjectKey]] = {}
    has_parent = set()
    for child, parent, relation, _ in diagram.edges:
        if relation == "broader":
            children.setdefault(parent, []).append(child)
            has_parent.add(child)
    parts = []
    for top in (k for k in diagram.nodes if k not in has_parent):
        seen, stack = {top}, [top]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        edges = tuple(e for e in diagram.edges if e[0] in seen and e[1] in seen)
        parts.append((top, Diagram(tuple(sorted(seen)), edges)))
    return parts


@dataclass
class Drawing:
    """What one placeholder becomes: DOT source and alternative text per part."""

    parts: list[tuple[str, str]]  # (alt, code)
    titles: list[str]  # the top concept of each part, when split


class Planner:
    """Chooses direction, size and parts so the diagram's labels stay legible in this builder."""

    def __init__(self, app, catalog: Catalog, urls: dict[ObjectKey, str]) -> None:
        self.app = app
        self.catalog = catalog
        self.urls = urls
        self.page = page_for(app.builder.format)
        self.dot = app.config.graphviz_dot
        self.args = tuple(app.config.graphviz_dot_args)

    def label_size(self, diagram: Diagram, rankdir: str) -> tuple[float, bool]:
        """Smallest label once fitted to the page, in points, and whether the drawing had to shrink."""
        code = dot_code(diagram, self.catalog, self.urls, rankdir)
        width, height = natural_size(code, self.dot, self.args)
        if self.page is None:  # plan() only measures labels for a builder that has a page
            raise ValueError(f"no page size known for the {self.app.builder.format} builder")
        scale = self.page.fitted(width, height)
        return min_font(diagram) * scale, scale < 1.0

    def best(self, diagram: Diagram, directions: tuple[str, ...]) -> tuple[str, float, bool]:
        """The direction whose drawing keeps the largest labels, with that size."""
        options = [(self.label_size(diagram, rd), rd) for rd in directions]
        (points, shrinks), rankdir = max(options, key=lambda o: o[0][0])
        return rankdir, points, shrinks

    def code(self, diagram: Diagram, rankdir: str, shrinks: bool) -> str:
        return dot_code(diagram, self.catalog, self.urls, rankdir, self.page.size if shrinks and self.page else None)

    def plan(self, node: alignment_graph) -> Drawing:
        diagram: Diagram = node["diagram"]
        rankdir = node["rankdir"]
        alt = node["alt"]
        if self.page is None or len(diagram.nodes) <= SMALL:
            return Drawing([(alt, dot_code(diagram, self.catalog, self.urls, rankdir))], [])
        directions = (rankdir,) if node.get("direction_given") else (rankdir, "TB" if rankdir == "LR" else "LR")
        try:
            best, points, shrinks = self.best(diagram, directions)
            if points >= self.page.min_font:
                return Drawing([(alt, self.code(diagram, best, shrinks))], [])
            parts = split_by_top(diagram) if diagram.root is None and not node.get("addresses") else []
            if len(parts) < 2:
                self.warn(node, diagram, points)
                return Drawing([(alt, self.code(diagram, best, shrinks))], [])
            drawn, titles, smallest = [], [], float("inf")
            for top, part in parts:
                rd, pts, shr = self.best(part, directions)
                smallest = min(smallest, pts)
                label = known(self.catalog.get(top), top).label
                drawn.append((f"{alt}: {label}", self.code(part, rd, shr)))
                titles.append(label)
            if smallest < self.page.min_font:
                self.warn(node, diagram, smallest, split=True)
            return Drawing(drawn, titles)
        except LayoutError:
            return Drawing([(alt, dot_code(diagram, self.catalog, self.urls, rankdir))], [])

    def warn(self, node: alignment_graph, diagram: Diagram, points: float, split: bool = False) -> None:
        page = self.page
        if page is None:  # plan() only warns about legibility for a builder that has a page
            raise ValueError(f"no page size known for the {self.app.builder.format} builder")
        tops = [k.id for k, _ in split_by_top(diagram)] if diagram.root is None else []
        if node.get("addresses"):
            helps = ":min-evidence: or :min-confidence: (fewer links)"
        elif diagram.root is not None:
            helps = f":depth: below {node.get('depth', 1)} or :relation: broader"
        else:
            helps = ":depth: (fewer levels) or :root: " + (f"(one of {', '.join(tops[:4])})" if tops else "")
        drawn = " even drawn one top concept at a time" if split else ""
        warn(
            f"the diagram of {len(diagram.nodes)} concepts is too large to stay legible in {page.name}{drawn}: "
            f"its smallest labels would be {page.shown(points):.1f} {page.unit} "
            f"(at least {page.shown(page.min_font):g} {page.unit}); draw less with {helps.strip()}",
            "large",
            node,
        )


#: Diagrams of at most this many concepts are drawn as they are, without measuring them.
SMALL = 12


def _graphviz_node(code: str, alt: str, node: alignment_graph, fromdocname: str) -> graphviz:
    gv = graphviz()
    gv["code"] = code
    gv["options"] = {"docname": fromdocname}
    gv["alt"] = alt
    gv["classes"] = ["alignsurvey-graph", *node.get("classes", [])]
    if node.get("align"):
        gv["align"] = node["align"]
    return gv


def resolve_graphs(app, doctree: nodes.document, fromdocname: str) -> None:
    """``doctree-resolved``: replace placeholders with graphviz nodes linking to cards.

    A diagram too large for the builder's page is drawn one top concept at a time (each part in
    its own figure, the caption saying which part it is); one that stays illegible even so is
    drawn whole, with a ``large`` warning naming the options that draw less.
    """
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
        drawing = Planner(app, catalog, urls).plan(node)
        gvs = [_graphviz_node(code, alt, node, fromdocname) for alt, code in drawing.parts]
        if len(gvs) == 1:
            node.replace_self(gvs[0])
            continue
        figure = node.parent
        if isinstance(figure, nodes.figure):
            copies = []
            for i, (gv, title) in enumerate(zip(gvs, drawing.titles, strict=True), start=1):
                part = figure.deepcopy()
                part["ids"] = figure["ids"] if i == 1 else []
                part.replace(next(iter(part.findall(alignment_graph))), gv)
                for caption in part.findall(nodes.caption):
                    caption += nodes.Text(f" ({i} of {len(gvs)}: {title})")
                copies.append(part)
            figure.replace_self(copies)
            for part in copies:
                if not part["ids"]:
                    doctree.set_id(part)  # every figure with a caption has an id (HTML's permalink)
        else:
            node.replace_self(gvs)
