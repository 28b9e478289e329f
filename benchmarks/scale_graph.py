"""Write a graph N times the bundled one, for benchmarks: ``python benchmarks/scale_graph.py N OUT.nt``.

Copy k>0 renames every survey/work/section/sentence/... IRI under the
alignsurvey base by inserting ``copy{k}/`` and renames blank nodes, while
the vocabulary (ontology, methods, challenges, schemes) is written once and
shared, so the competency queries' answers grow with N as real data would.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sphinxcontrib_alignsurvey.core.namespaces import BASE
from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH

SHARED = tuple(BASE + p for p in ("ontology#", "method/", "challenge/", "scheme/"))


def _term(t: object, k: int) -> object:
    if isinstance(t, ox.NamedNode) and t.value.startswith(BASE) and not t.value.startswith(SHARED):
        return ox.NamedNode(f"{BASE}copy{k}/{t.value[len(BASE) :]}")
    if isinstance(t, ox.BlankNode):
        return ox.BlankNode(f"c{k}x{t.value}")
    return t


def scale(n: int, out: Path) -> int:
    triples = [q.triple for q in ox.parse(path=str(BUNDLED_GRAPH), format=ox.RdfFormat.TURTLE)]
    shared = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(SHARED)]
    own = [t for t in triples if not (isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(SHARED))]

    def gen():
        yield from triples
        for k in range(1, n):
            for t in own:
                yield ox.Triple(_term(t.subject, k), t.predicate, _term(t.object, k))

    with out.open("wb") as fh:
        ox.serialize(gen(), fh, ox.RdfFormat.N_TRIPLES)
    return len(triples) + (n - 1) * len(own) + 0 * len(shared)


if __name__ == "__main__":
    count = scale(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{count} triples -> {sys.argv[2]}")
