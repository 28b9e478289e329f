"""SHACL validation of converted graphs with pySHACL.

Results are turned into plain records (focus node, path, message) so the CLI
can print them readably and tests can assert on them.
"""

from __future__ import annotations

import gc
import os
import pickle
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .core.formats import BY_SUFFIX, WRITTEN
from .core.manifest import changed_outputs, folder_graph, read_manifest
from .core.progress import QUIET, Progress
from .core.publish import JOURNAL_NAME
from .core.resources import ontology_file

if TYPE_CHECKING:
    import rdflib


@dataclass(frozen=True, slots=True)
class Violation:
    focus: str
    path: str
    value: str
    message: str
    shape: str
    severity: str

    def format(self) -> str:
        value = f" value {self.value}" if self.value else ""
        return f"{self.severity}: {self.focus} {self.path}{value}: {self.message}"


class UnreadableGraph(ValueError):
    """An input file that is not the RDF its suffix promises; the message names file and line."""


def _where(path: Path, exc: Exception) -> str:
    """``FILE:LINE: reason`` for an rdflib parse error.

    rdflib's Turtle, RDF/XML and JSON-LD errors carry a line; its N-Triples
    errors do not, so pyoxigraph re-reads the file to find the line.
    """
    line = getattr(exc, "lines", None)  # notation3.BadSyntax counts lines from 0
    if isinstance(line, int):
        return f"{path}:{line + 1}: {getattr(exc, '_why', None) or exc}"
    number = getattr(exc, "getLineNumber", None)  # xml.sax.SAXParseException
    if callable(number):
        return f"{path}:{number()}: {exc.getMessage()}"  # type: ignore[attr-defined]
    if isinstance(getattr(exc, "lineno", None), int):  # json.JSONDecodeError
        return f"{path}:{exc.lineno}: {getattr(exc, 'msg', exc)}"  # type: ignore[attr-defined]
    import pyoxigraph as ox

    try:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is not None:
            for _ in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()):
                pass
    except SyntaxError as located:
        return f"{path}: {located}"
    except (OSError, ValueError):
        pass
    return f"{path}: {exc}"


def rdf_files(inputs: Sequence[str | Path]) -> list[Path]:
    """Files as given; a folder contributes the one graph file it stands for (see
    :func:`~.core.manifest.folder_graph`): a conversion's serialisations all carry
    the same triples, so checking one is enough."""
    return [folder_graph(Path(raw)) if Path(raw).is_dir() else Path(raw) for raw in inputs]


def folder_problems(folder: Path) -> list[str]:
    """Why a conversion folder is not what its manifest says: outputs missing or changed, or a switch
    that was interrupted (the journal is still there)."""
    manifest = read_manifest(folder)
    if manifest is None:
        return []
    found = [f"{path}: {why}" for path, why in changed_outputs(folder, manifest)]
    if found and (folder / JOURNAL_NAME).exists():
        found.append(f"{folder}: a conversion was interrupted while switching outputs; run it again to repair")
    return found


def _oxigraph_terms() -> Callable[[object], object]:
    """pyoxigraph term -> the rdflib term rdflib's own parser would make (memoised: terms repeat).

    Two differences, both the same term in RDF 1.1: pyoxigraph lower-cases
    language tags and does not keep an explicit ``^^xsd:string``; the converter's
    own output has neither.
    """
    import pyoxigraph as ox
    import rdflib

    string = "http://www.w3.org/2001/XMLSchema#string"
    memo: dict = {}

    def term(x):
        found = memo.get(x)
        if found is None:
            if isinstance(x, ox.NamedNode):
                found = rdflib.URIRef(x.value)
            elif isinstance(x, ox.BlankNode):
                found = rdflib.BNode(x.value)
            elif x.language:
                found = rdflib.Literal(x.value, lang=x.language)
            elif x.datatype.value == string:
                found = rdflib.Literal(x.value)
            else:
                found = rdflib.Literal(x.value, datatype=rdflib.URIRef(x.datatype.value))
            memo[x] = found
        return found

    return term


def parse_into(data: object, path: Path) -> None:
    """Add *path*'s triples to the rdflib graph *data*.

    The formats the converter writes are parsed by pyoxigraph (faster; the terms
    are the ones rdflib makes, see tests/test_validate.py); anything else, and any
    file pyoxigraph rejects, goes through rdflib, whose errors carry the line.
    """
    import pyoxigraph as ox

    fmt = BY_SUFFIX.get(path.suffix)
    if fmt is not None and fmt in WRITTEN:
        term = _oxigraph_terms()
        triples = []
        try:
            for t in ox.parse(path=str(path), format=fmt.oxigraph, base_iri=path.resolve().as_uri()):
                triples.append((term(t.subject), term(t.predicate), term(t.object), data))
        except (SyntaxError, ValueError, OSError):
            pass  # rdflib below reports it with file and line
        else:
            data.addN(triples)  # type: ignore[attr-defined]
            return
    try:
        data.parse(path, format=fmt.rdflib if fmt else "turtle")  # type: ignore[attr-defined]
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        raise UnreadableGraph(_where(path, exc)) from None


#: Below this many triples the shapes are checked in this process: a fork would cost more than it saves.
MIN_TRIPLES_PER_JOB = 20_000

_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")


def shape_groups(shapes_graph: rdflib.Graph, data: rdflib.Graph, jobs: int) -> list[list[str]]:
    """The shapes with targets cut into at most *jobs* groups of about equal work; one group means all of them.

    Why: pySHACL checks one focus node at a time in one thread, and a shape's
    work grows with its targets times its constraints, so the shapes of a
    conversion split into groups that cost about the same.  Each group is
    checked with pySHACL's ``use_shapes`` (a shape's nested ``sh:node`` and
    property shapes come with it), so every shape that selects focus nodes is
    checked exactly once.  Shapes that cannot be named to pySHACL -- blank
    nodes with targets, or shapes that are also classes (implicit targets) --
    make one group of everything, as the single run would be.
    """
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS, SH

    g = shapes_graph
    targeted = {s for name in _TARGETS for s in g.subjects(SH[name], None)}
    classes = {s for kind in (RDFS.Class, OWL.Class) for s in g.subjects(RDF.type, kind)}
    shapes = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in g.subjects(RDF.type, kind)}
    if jobs < 2 or len(targeted) < 2 or shapes & classes or any(not isinstance(s, rdflib.URIRef) for s in targeted):
        return [[]]
    graph = data

    def cost(shape: rdflib.term.Node) -> int:
        focus = sum(1 for c in g.objects(shape, SH.targetClass) for _ in graph.subjects(RDF.type, c))
        focus += sum(1 for _ in g.objects(shape, SH.targetNode))
        focus += sum(1 for p in g.objects(shape, SH.targetSubjectsOf) for _ in graph.triples((None, p, None)))
        focus += sum(1 for p in g.objects(shape, SH.targetObjectsOf) for _ in graph.triples((None, p, None)))
        return (1 + focus) * (1 + sum(1 for _ in g.objects(shape, SH.property)))

    groups: list[list[str]] = [[] for _ in range(min(jobs, len(targeted)))]
    load = [0] * len(groups)
    for shape in sorted(targeted, key=lambda s: (-cost(s), str(s))):  # largest first, to the lightest group
        k = load.index(min(load))
        groups[k].append(str(shape))
        load[k] += cost(shape)
    return groups


def _check(data: rdflib.Graph, shapes_graph: rdflib.Graph, use_shapes: list[str]) -> tuple[bool, list[Violation]]:
    """pySHACL over *data* with the shapes named (all of them when none are)."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", allow_warnings=True, use_shapes=use_shapes or None
    )
    violations = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):

        def one(pred, result=result):  # bound now: ruff B023, though one() is only called in this iteration
            value = report.value(result, pred)
            return "" if value is None else str(value)

        violations.append(
            Violation(
                focus=one(SH.focusNode),
                path=one(SH.resultPath),
                value=one(SH.value),
                message=one(SH.resultMessage),
                shape=one(SH.sourceShape),
                severity=one(SH.resultSeverity).rsplit("#", 1)[-1],
            )
        )
    return bool(conforms), violations


def _forked(run: Callable[[], tuple[bool, list[Violation]]]) -> Callable[[], tuple[bool, list[Violation]] | None]:
    """Start *run* in a forked copy of this process (the parsed graph is shared, not copied or parsed again).

    The returned function waits for its answer; None when the child died
    without one (the caller then checks that group itself).
    """
    read_end, write_end = os.pipe()
    # Frozen objects are left alone by the child's garbage collector, so the graph's pages stay shared
    # instead of being copied as the collector walks them (Python's advice for fork without exec).
    pid = -1
    gc.freeze()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns on fork() in a threaded process (a live progress display has a refresh
            # thread); the child only runs pySHACL on its own copy of the graph and writes to its pipe
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    finally:
        if pid != 0:
            gc.unfreeze()
    if pid == 0:  # the child: answer through the pipe, never return into the caller's code
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(run(), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def result() -> tuple[bool, list[Violation]] | None:
        with os.fdopen(read_end, "rb") as answer:
            payload = answer.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not payload:
            return None
        return pickle.loads(payload)  # noqa: S301 - written by our own child a moment ago

    return result


def validate_files(
    paths: Sequence[Path], shapes: Path | None = None, progress: Progress = QUIET, jobs: int = 1
) -> tuple[bool, list[Violation]]:
    """Validate the union of *paths* against the shapes (bundled by default).

    With *jobs* > 1 (and fork(), and a graph of at least
    :data:`MIN_TRIPLES_PER_JOB` triples) the shapes are checked in that many
    processes, each over the one parsed graph (see :func:`shape_groups`); the
    violations are the same as from one process.
    """
    import rdflib

    data = rdflib.Graph()
    for path in paths:
        with progress.step(f"parsing {path.name}"):
            parse_into(data, path)
    with progress.step("reading the SHACL shapes"):
        shapes_graph = rdflib.Graph().parse(shapes or ontology_file("shapes.ttl"), format="turtle")
    if jobs > 1 and hasattr(os, "fork") and len(data) >= MIN_TRIPLES_PER_JOB:
        groups = shape_groups(shapes_graph, data, jobs)
    else:
        groups = [[]]
    where = f" in {len(groups)} processes" if len(groups) > 1 else ""
    with progress.step(f"checking {len(data)} triples against the SHACL shapes{where}"):
        waiting = [(group, _forked(partial(_check, data, shapes_graph, group))) for group in groups[1:]]
        try:
            conforms, violations = _check(data, shapes_graph, groups[0])
        finally:
            answers = [(group, wait()) for group, wait in waiting]  # reaped even when this process failed
        for group, answer in answers:
            answer = answer or _check(data, shapes_graph, group)
            conforms = conforms and answer[0]
            violations += answer[1]
    violations.sort(key=lambda v: (v.focus, v.path, v.message, v.value, v.severity))  # what format() prints
    return conforms, violations
