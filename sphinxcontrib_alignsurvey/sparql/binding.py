"""Bind query variables to RDF terms, never by pasting user text into a query.

``--bind concept=dpo`` becomes a :class:`Term`, and every engine (embedded
or remote) receives it in a ``VALUES`` block built from the N-Triples
serialisation of the term (escaped by pyoxigraph, never from the raw user
text), inserted at the start of the top-level WHERE group so that
``COALESCE(?concept, default)`` sees the bound value.

Why not pyoxigraph's ``substitutions=``: it implements SEP-0007, which
refuses variables missing from the SELECT projection (``?concept`` in
``papers-for-concept.rq``) and does not expose the value to ``BIND``, so the
queries' defaults would win; one mechanism also keeps embedded and remote
answers identical.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pyoxigraph as ox

from ..core.namespaces import BASE, PREFIXES
from .errors import QueryError
from .safety import where_brace
from .term import Term

XSD = PREFIXES["xsd"]
#: where a bare id like ``dpo`` is looked up, in this order
BARE_ID_NAMESPACES = ("method", "challenge", "benchmark", "survey", "work")

_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INTEGER = re.compile(r"[+-]?\d+\Z")
_DECIMAL = re.compile(r"[+-]?\d*\.\d+\Z")
_PNAME = re.compile(r"([A-Za-z][\w.\-]*)?:(\S*)\Z")
_BARE = re.compile(r"[\w][\w.\-]*\Z")
_LITERAL = re.compile(r'"(?P<body>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt>\S+))?\Z', re.S)
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def split_bind(spec: str) -> tuple[str, str]:
    """``"concept=dpo"`` -> ``("concept", "dpo")``, with a clear message when malformed."""
    name, sep, value = spec.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VAR.match(name):
        raise QueryError(f"--bind {spec!r}: expected VAR=VALUE, e.g. --bind concept=method:dpo")
    if not value:
        raise QueryError(f"--bind {spec!r}: no value after '='")
    return name, value


def _iri(text: str, spec: str) -> Term:
    try:
        return Term("iri", ox.NamedNode(text).value)
    except ValueError as exc:
        raise QueryError(f"{spec!r}: not a valid IRI ({exc})") from None


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), body)


def parse_value(text: str, exists: Callable[[str], bool] | None = None) -> Term:
    """Read one --bind value as an RDF term.

    Accepted: ``<iri>``, ``prefix:local`` (prefixes of the graph namespaces),
    ``"text"`` with optional ``@lang`` or ``^^datatype``, integers, decimals,
    ``true``/``false``, and bare ids such as ``dpo``, looked up as a method,
    challenge, benchmark, survey or work that *exists* in the graph.
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1], text)
    m = _LITERAL.match(value)
    if m:
        body = _unescape(m.group("body"))
        if m.group("lang"):
            return Term("literal", body, None, m.group("lang").lower())
        if m.group("dt"):
            dt = m.group("dt")
            dt_term = _iri(dt[1:-1], dt) if dt.startswith("<") and dt.endswith(">") else _prefixed(dt, text)
            return Term("literal", body, dt_term.value)
        return Term("literal", body)
    if _INTEGER.match(value):
        return Term("literal", value, XSD + "integer")
    if _DECIMAL.match(value):
        return Term("literal", value, XSD + "decimal")
    if value in ("true", "false"):
        return Term("literal", value, XSD + "boolean")
    if _PNAME.match(value) and ":" in value and not value.startswith(("http:", "https:", "urn:")):
        return _prefixed(value, text)
    if value.startswith(("http://", "https://", "urn:")):
        return _iri(value, text)
    if _BARE.match(value):
        return _bare(value, exists)
    raise QueryError(
        f'cannot read {text!r} as an RDF term: use <iri>, prefix:name, a concept id, a number or a quoted "literal"'
    )


def _prefixed(value: str, spec: str) -> Term:
    prefix, _, local = value.partition(":")
    ns = PREFIXES.get(prefix)
    if ns is None:
        raise QueryError(f"{spec!r}: unknown prefix {prefix!r} (known: {', '.join(sorted(PREFIXES))})")
    return _iri(ns + local, spec)


def _bare(value: str, exists: Callable[[str], bool] | None) -> Term:
    candidates = [BASE + ns + "/" + value for ns in BARE_ID_NAMESPACES]
    if exists is None:
        raise QueryError(f"{value!r}: bare ids need a graph to look them up; write it as method:{value} or <iri>")
    found = [iri for iri in candidates if exists(iri)]
    if len(found) > 1:
        raise QueryError(f"{value!r} is ambiguous: {', '.join(found)}; write the full prefixed name")
    if not found:
        raise QueryError(
            f"{value!r}: no method, challenge, survey or work with that id in the graph; "
            'quote it ("text") to bind a string literal'
        )
    return Term("iri", found[0])


def bind_all(specs: list[str] | tuple[str, ...], exists: Callable[[str], bool] | None) -> dict[str, Term]:
    """All ``VAR=VALUE`` specs as a mapping of variable name to term."""
    out: dict[str, Term] = {}
    for spec in specs:
        name, raw = split_bind(spec)
        if name in out:
            raise QueryError(f"--bind {name}: given twice")
        out[name] = parse_value(raw, exists)
    return out


def check_variables(query_variables: frozenset[str], bindings: Mapping[str, Term]) -> None:
    """Refuse a binding for a variable the query never mentions (almost always a typo)."""
    unknown = sorted(set(bindings) - query_variables)
    if unknown:
        known = ", ".join("?" + v for v in sorted(query_variables)) or "none"
        raise QueryError(f"the query has no variable ?{unknown[0]} to bind (its variables: {known})")


def ntriples(term: Term) -> str:
    """The term in N-Triples syntax, escaped by pyoxigraph."""
    if term.kind == "bnode":
        raise QueryError("blank nodes cannot be bound on a remote endpoint")
    return str(term.to_oxigraph())


def with_values(query: str, bindings: Mapping[str, Term]) -> str:
    """*query* with a VALUES block for *bindings* opening its top-level WHERE group."""
    if not bindings:
        return query
    at = where_brace(query)
    if at is None:
        raise QueryError("cannot bind variables in this query form (no WHERE group to bind them in)")
    names = list(bindings)
    block = " VALUES ({}) {{ ({}) }} ".format(
        " ".join("?" + n for n in names), " ".join(ntriples(bindings[n]) for n in names)
    )
    return query[:at] + block + query[at:]
