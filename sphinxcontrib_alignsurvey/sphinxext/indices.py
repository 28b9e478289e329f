"""Domain indices of the cards: methods, challenges, benchmarks and papers.

Why: readers of a handbook look things up alphabetically; Sphinx renders
these pages (``align-methodindex`` ...) for every builder that has indices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Index, IndexEntry
from sphinx.transforms.post_transforms import SphinxPostTransform

from .warn import warn

if TYPE_CHECKING:
    from .domain import AlignDomain


class _KindIndex(Index):
    kind = ""

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        wanted = set(docnames) if docnames is not None else None
        groups: dict[str, list[IndexEntry]] = defaultdict(list)
        for entry in cast("AlignDomain", self.domain).cards():
            if entry.kind != self.kind or (wanted is not None and entry.docname not in wanted):
                continue
            letter = (entry.label[:1] or "?").upper()
            groups[letter].append(IndexEntry(entry.label, 0, entry.docname, entry.anchor, entry.id, "", ""))
        content = [(letter, sorted(items, key=lambda e: e.name.lower())) for letter, items in sorted(groups.items())]
        return content, False


class MethodIndex(_KindIndex):
    name = "methodindex"
    localname = "Alignment methods"
    shortname = "methods"
    kind = "method"


class ChallengeIndex(_KindIndex):
    name = "challengeindex"
    localname = "Alignment challenges"
    shortname = "challenges"
    kind = "challenge"


class BenchmarkIndex(_KindIndex):
    name = "benchmarkindex"
    localname = "Alignment benchmarks"
    shortname = "benchmarks"
    kind = "benchmark"


class WorkIndex(_KindIndex):
    """The papers' index; its page keeps the name ``align-workindex`` that links already use."""

    name = "workindex"
    localname = "Papers"
    shortname = "papers"
    kind = "paper"


class UnwrittenIndexLinks(SphinxPostTransform):
    """A ``:ref:`` to one of our indices that no builder writes becomes plain text, with a warning.

    Why: Sphinx registers a label for every domain index whether or not the index has entries,
    but writes only those that have some; so ``:ref:`align-challengeindex``` in a project without
    challenge cards linked to a page that does not exist.  Runs before references are resolved.
    """

    default_priority = 5

    def run(self, **kwargs) -> None:
        from .domain import align_domain

        domain = align_domain(self.env)
        wanted = [
            n
            for n in self.document.findall(addnodes.pending_xref)
            if n.get("refdomain") == "std"
            and n.get("reftype") == "ref"
            and str(n.get("reftarget", "")).startswith(f"{domain.name}-")
        ]
        if not wanted:
            return
        empty = {f"{domain.name}-{cls.name}": cls for cls in domain.indices if not cls(domain).generate()[0]}
        for node in wanted:
            cls = empty.get(node["reftarget"])
            if cls is None:
                continue
            noun = cls.localname.split()[-1].lower().rstrip("s")
            warn(
                f"the index {node['reftarget']} is not written: this documentation has no {noun} cards "
                "(add one, or remove the link)",
                "index",
                node,
            )
            text = node.astext() if node.get("refexplicit") else cls.localname
            node.replace_self(nodes.inline(text, text, classes=["alignsurvey-unwritten-index"]))
