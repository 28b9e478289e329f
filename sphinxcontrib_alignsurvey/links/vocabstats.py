"""Counts that describe a vocabulary: concepts per scheme and per depth of the taxonomy.

Why a module: curators extending a scheme (or bringing their own) need to see at a
glance how large and how deep each scheme is, and whether any concept hangs off a
broader concept that does not exist; ``alignsurvey vocab stats`` prints this.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..core.namespaces import ALIGN, SKOS, local_name
from .vocabulary import Concept, Vocabulary


class TaxonomyCycle(ValueError):
    """skos:broader loops back on itself; depth is undefined."""


@dataclass
class SchemeStats:
    scheme: str  # IRI, or "" for concepts in no scheme
    kind: str
    concepts: int = 0
    labels: int = 0
    introduced: int = 0  # concepts with align:introducedBy
    dangling: int = 0  # concepts whose broader concept is not in the vocabulary
    by_depth: Counter[int] = field(default_factory=Counter)

    @property
    def name(self) -> str:
        return local_name(self.scheme) if self.scheme else "(no scheme)"

    def as_dict(self) -> dict:
        return {
            "scheme": self.scheme,
            "name": self.name,
            "kind": self.kind,
            "concepts": self.concepts,
            "labels": self.labels,
            "introduced_by": self.introduced,
            "dangling_broader": self.dangling,
            "by_depth": {str(d): n for d, n in sorted(self.by_depth.items())},
        }


def depths(concepts: list[Concept]) -> tuple[dict[str, int], set[str]]:
    """Depth of every concept (0 without a broader concept) and the concepts with a dangling broader.

    A concept with several parents takes the shallowest path.  Iterative and linear in the
    number of broader links, so deep or large user vocabularies cannot exhaust the stack.
    """
    by_iri = {c.iri: c for c in concepts}
    dangling = {c.iri for c in concepts if any(b not in by_iri for b in c.broader)}
    depth: dict[str, int] = {}
    expanding: set[str] = set()
    for start in concepts:
        stack = [start.iri]
        while stack:
            iri = stack[-1]
            if iri in depth:
                stack.pop()
                continue
            parents = [b for b in by_iri[iri].broader if b in by_iri]
            todo = [p for p in parents if p not in depth]
            if todo:
                if iri in expanding:
                    raise TaxonomyCycle(f"skos:broader cycle through <{iri}>")
                expanding.add(iri)
                for p in todo:
                    if p in expanding:
                        raise TaxonomyCycle(f"skos:broader cycle through <{p}>")
                    stack.append(p)
                continue
            depth[iri] = min((depth[p] + 1 for p in parents), default=0)
            expanding.discard(iri)
            stack.pop()
    return depth, dangling


def vocabulary_stats(vocabulary: Vocabulary) -> list[SchemeStats]:
    """One entry per (scheme, kind), sorted by kind then scheme."""
    scheme_of: dict[str, str] = {}
    introduced: set[str] = set()
    for t in vocabulary.triples:
        if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
            continue  # a quoted (RDF-star) triple names no concept and no scheme
        if t.predicate == SKOS.inScheme:
            scheme_of.setdefault(t.subject.value, t.object.value)
        elif t.predicate == ALIGN.introducedBy:
            introduced.add(t.subject.value)
    depth, dangling = depths(list(vocabulary.concepts))
    stats: dict[tuple[str, str], SchemeStats] = {}
    for c in vocabulary.concepts:
        scheme = scheme_of.get(c.iri, "")
        s = stats.setdefault((c.kind, scheme), SchemeStats(scheme, c.kind))
        s.concepts += 1
        s.labels += len(c.labels)
        s.introduced += c.iri in introduced
        s.dangling += c.iri in dangling
        s.by_depth[depth[c.iri]] += 1
    return [stats[k] for k in sorted(stats)]
