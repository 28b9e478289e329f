"""SHACL validation of converted graphs with pySHACL.

Results are turned into plain records (focus node, path, message) so the CLI
can print them readably and tests can assert on them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .core.formats import BY_SUFFIX, WRITTEN
from .core.manifest import changed_outputs, folder_graph, read_manifest
from .core.progress import QUIET, Progress
from .core.publish import JOURNAL_NAME
from .core.resources import ontology_file


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


def validate_files(
    paths: Sequence[Path], shapes: Path | None = None, progress: Progress = QUIET
) -> tuple[bool, list[Violation]]:
    """Validate the union of *paths* against the shapes (bundled by default)."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    data = rdflib.Graph()
    for path in paths:
        with progress.step(f"parsing {path.name}"):
            parse_into(data, path)
    with progress.step("reading the SHACL shapes"):
        shapes_graph = rdflib.Graph().parse(shapes or ontology_file("shapes.ttl"), format="turtle")
    with progress.step(f"checking {len(data)} triples against the SHACL shapes"):
        conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
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
    violations.sort(key=lambda v: (v.focus, v.path, v.message, v.value))
    return bool(conforms), violations
