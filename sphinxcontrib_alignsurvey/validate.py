"""SHACL validation of converted graphs with pySHACL.

Results are turned into plain records (focus node, path, message) so the CLI
can print them readably and tests can assert on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .core.formats import BY_SUFFIX
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
    out: list[Path] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.suffix in BY_SUFFIX and f.is_file()))
        else:
            out.append(p)
    return out


def validate_files(paths: Sequence[Path], shapes: Path | None = None) -> tuple[bool, list[Violation]]:
    """Validate the union of *paths* against the shapes (bundled by default)."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    data = rdflib.Graph()
    for path in paths:
        try:
            data.parse(path, format=BY_SUFFIX[path.suffix].rdflib if path.suffix in BY_SUFFIX else "turtle")
        except Exception as exc:  # rdflib's parsers raise many unrelated types
            raise UnreadableGraph(_where(path, exc)) from None
    shapes_graph = rdflib.Graph().parse(shapes or ontology_file("shapes.ttl"), format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
    violations = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        def one(pred):
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
