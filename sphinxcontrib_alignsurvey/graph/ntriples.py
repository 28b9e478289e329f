"""N-Triples lines written as text, the way pyoxigraph writes them.

Why text: the builder's triples are sorted, spilled, merged and de-duplicated
before any serialiser sees them.  As canonical N-Triples lines that is a plain
sort of strings (UTF-8 bytes order equals code point order equals the order
of ``str(triple)``), with no term objects made, no ``key=str`` and no
re-parsing between runs; pyoxigraph parses the merged lines once, for the
formats that need it.  The escaping matches pyoxigraph's exactly
(``tests/test_graph_ntriples.py`` checks every code point), so the lines equal
``f"{triple} .\\n"`` and the files stay byte-identical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from ..core.namespaces import XSD, Namespace

#: What pyoxigraph escapes inside a literal: the short escapes, then every other control character
#: and the two non-characters U+FFFE and U+FFFF as \\uXXXX.
_ESCAPES: dict[int, str] = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
for _cp in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF):
    _ESCAPES.setdefault(_cp, f"\\u{_cp:04X}")
_NEEDS_ESCAPE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_ESCAPES)) + "]")

XSD_STRING = XSD.string.value
INTEGER = f"^^<{XSD.integer.value}>"
DECIMAL = f"^^<{XSD.decimal.value}>"


def literal(value: str) -> str:
    """A plain (``xsd:string``) literal."""
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ESCAPES)
    return f'"{value}"'


def integer(value: int) -> str:
    return f'"{value}"{INTEGER}'


def decimal(value: float) -> str:
    """Two decimals, always written the same way, so the output is byte-identical."""
    return f'"{value:.2f}"{DECIMAL}'


def iri(value: str) -> str:
    """An IRI the caller has already checked (minted by :mod:`..core.namespaces` or read by pyoxigraph)."""
    return f"<{value}>"


def line(triple: ox.Triple) -> str:
    """Any pyoxigraph triple as its N-Triples line."""
    return f"{triple} .\n"


def namespace_of(iri_value: str) -> str:
    return iri_value[: max(iri_value.rfind("/"), iri_value.rfind("#")) + 1]


def term_namespaces(triples: Iterable[ox.Triple], into: set[str]) -> set[str]:
    """Add the namespace of every IRI (and literal datatype) of *triples* to *into*.

    The distinct IRIs first, then one namespace each: triples repeat their predicates and classes.
    """
    iris: set[str] = set()
    named, literal = ox.NamedNode, ox.Literal
    for t in triples:
        subject, obj = t.subject, t.object
        if isinstance(subject, named):
            iris.add(subject.value)
        iris.add(t.predicate.value)
        if isinstance(obj, named):
            iris.add(obj.value)
        elif isinstance(obj, literal):
            iris.add(obj.datatype.value)
    into.update({namespace_of(i) for i in iris})
    return into


class Rendered:
    """``Rendered(ALIGN).survey`` -> ``"<...ontology#survey>"``, cached as a plain attribute after first use."""

    def __init__(self, namespace: Namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        value = iri(self._namespace.term(name).value)
        setattr(self, name, value)
        return value


class Lines:
    """The lines of one run, and the IRIs whose namespaces the output's prefixes may need.

    Why note IRIs here rather than scan the finished lines: every predicate,
    class and datatype passes through :meth:`add` / :meth:`typed`, so the
    namespaces are known once the run is built, for the cost of a set insert,
    instead of a parse of every term.  Subjects and objects that can sit
    directly in a prefix's namespace (a survey, a work, a concept) are passed
    to :meth:`note` or :meth:`add_iri` by the builder; the deeper IRIs it mints
    (sentences, sections, annotations) never can.
    """

    __slots__ = ("lines", "namespaces", "used")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.used: set[str] = set()  # rendered IRIs ("<...>")
        self.namespaces: set[str] = set()  # namespaces of triples added whole

    def add(self, s: str, p: str, o: str) -> None:
        """*o* a literal or an IRI that no prefix can name."""
        self.lines.append(f"{s} {p} {o} .\n")
        self.used.add(p)

    def add_iri(self, s: str, p: str, o: str) -> None:
        """*o* an IRI (a class, a work, a concept) whose namespace may be a prefix's."""
        self.lines.append(f"{s} {p} {o} .\n")
        self.used.add(p)
        self.used.add(o)

    def add_int(self, s: str, p: str, value: int) -> None:
        self.lines.append(f'{s} {p} "{value}"{INTEGER} .\n')
        self.used.add(p)
        self.used.add(_INTEGER_IRI)

    def add_decimal(self, s: str, p: str, value: float) -> None:
        self.lines.append(f'{s} {p} "{value:.2f}"{DECIMAL} .\n')
        self.used.add(p)
        self.used.add(_DECIMAL_IRI)

    def note(self, *iris: str) -> None:
        """Subjects whose namespace may be a prefix's."""
        self.used.update(iris)

    def extend(self, triples: Iterable[ox.Triple]) -> None:
        """Triples made elsewhere (vocabulary, metadata, findings): rendered and scanned."""
        triples = list(triples)
        self.lines.extend(f"{t} .\n" for t in triples)
        term_namespaces(triples, self.namespaces)

    def extend_rendered(self, lines: Iterable[str], namespaces: Iterable[str]) -> None:
        """Lines rendered earlier (by :meth:`extend`) with the namespaces their terms use."""
        self.lines.extend(lines)
        self.namespaces.update(namespaces)

    def all_namespaces(self) -> set[str]:
        return self.namespaces | {namespace_of(i[1:-1]) for i in self.used}


_INTEGER_IRI = iri(XSD.integer.value)
_DECIMAL_IRI = iri(XSD.decimal.value)
