"""The one small API every SPARQL caller shares (CLI, Sphinx extension, scripts).

``open_engine(sources)`` loads RDF files (the bundled graph by default) into
an embedded pyoxigraph store -- the fastest engine that gave identical
answers in ``benchmarks/bench_sparql.py`` -- and ``open_engine(endpoint=URL)``
talks to any SPARQL 1.1 endpoint instead.  Both engines have the same
methods and return engine-neutral :class:`Term` values::

    from sphinxcontrib_alignsurvey.sparql import open_engine
    engine = open_engine()                                   # bundled graph
    result = engine.select(query, engine.bind(["concept=dpo"]))
    result.dicts()    # [{"paper": "https://...", "title": "...", ...}, ...]
    result.table()    # [["paper", "title", ...], [...], ...]

Queries are read-only by default: UPDATE (INSERT, DELETE, LOAD, CLEAR, ...)
and SERVICE are refused unless ``allow_update``/``allow_service`` is given.
``timeout`` (seconds) limits each query (see :mod:`.deadline`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..core.manifest import ManifestError, folder_graph
from ..core.resources import BUNDLED_GRAPH
from . import binding, safety
from .deadline import run_limited
from .errors import QueryError, QuerySyntaxError, QueryTimeout
from .term import Result, Term, convert_row

__all__ = [
    "Answer",
    "EmbeddedEngine",
    "Engine",
    "EndpointEngine",
    "FORMATS_BY_SUFFIX",
    "Policy",
    "QueryError",
    "QuerySyntaxError",
    "QueryTimeout",
    "Result",
    "Term",
    "open_engine",
    "rdf_sources",
]

FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True, slots=True)
class Policy:
    """What a query may do: read-only, no federation, and an optional time limit (s)."""

    allow_update: bool = False
    allow_service: bool = False
    timeout: float | None = None


@dataclass
class Answer:
    """A query's answer, still lazy: rows/triples are produced as they are consumed.

    ``form`` is SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE; for SELECT,
    ``columns`` and ``rows`` (sequences of pyoxigraph terms or None, indexed like
    ``columns``) are set, for
    ASK ``boolean``, for CONSTRUCT/DESCRIBE ``triples``.
    """

    form: str
    columns: tuple[str, ...] = ()
    rows: Iterator[tuple[object, ...]] = field(default_factory=lambda: iter(()))
    boolean: bool | None = None
    triples: Iterable[ox.Triple] = ()


class Engine(Protocol):
    policy: Policy

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> Result: ...

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool: ...

    def execute(self, query: str, bindings: Mapping[str, Term] | None = None) -> Answer: ...

    def exists(self, iri: str) -> bool: ...

    def bind(self, specs: Sequence[str]) -> dict[str, Term]: ...


class _Common:
    """Behaviour both engines share: checks, materialising, binding."""

    policy: Policy

    def _check(self, query: str, bindings: Mapping[str, Term] | None) -> safety.QueryInfo:
        info = safety.check(query, allow_update=self.policy.allow_update, allow_service=self.policy.allow_service)
        if bindings:
            binding.check_variables(info.variables, bindings)
        return info

    def execute(self, query: str, bindings: Mapping[str, Term] | None = None) -> Answer:
        raise NotImplementedError

    def _limited(self, fn: Callable[[], object]) -> object:
        return run_limited(fn, self.policy.timeout)

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> Result:
        """Run a SELECT and return all its rows."""

        def run() -> Result:
            answer = self.execute(query, bindings)
            if answer.form != "SELECT":
                raise QueryError(f"not a SELECT query (it is {answer.form})")
            width = len(answer.columns)
            memo: dict = {}
            return Result(answer.columns, tuple(convert_row(row, width, memo) for row in answer.rows))

        return self._limited(run)  # type: ignore[return-value]

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK and return its answer."""

        def run() -> bool:
            answer = self.execute(query, bindings)
            if answer.form != "ASK":
                raise QueryError(f"not an ASK query (it is {answer.form})")
            return bool(answer.boolean)

        return self._limited(run)  # type: ignore[return-value]

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[tuple[Term, Term, Term]]:
        """Run a CONSTRUCT or DESCRIBE and return its triples."""

        def run() -> list[tuple[Term, Term, Term]]:
            answer = self.execute(query, bindings)
            if answer.form not in ("CONSTRUCT", "DESCRIBE"):
                raise QueryError(f"not a CONSTRUCT or DESCRIBE query (it is {answer.form})")
            return [
                (Term.from_oxigraph(t.subject), Term.from_oxigraph(t.predicate), Term.from_oxigraph(t.object))
                for t in answer.triples
            ]

        return self._limited(run)  # type: ignore[return-value]

    def exists(self, iri: str) -> bool:
        raise NotImplementedError

    def bind(self, specs: Sequence[str]) -> dict[str, Term]:
        """``["concept=dpo", "survey=<...>"]`` -> terms, resolving bare ids in this graph."""
        return binding.bind_all(list(specs), self.exists)


class EmbeddedEngine(_Common):
    """A pyoxigraph in-memory store loaded from RDF files."""

    def __init__(self, store: ox.Store, sources: Sequence[Path], policy: Policy | None = None) -> None:
        self.store = store
        self.sources = tuple(sources)
        self.policy = policy or Policy()

    @classmethod
    def from_files(cls, sources: Sequence[str | Path], policy: Policy | None = None) -> EmbeddedEngine:
        store = ox.Store()
        paths = [Path(s) for s in sources]
        for path in paths:
            fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
            if fmt is None:
                raise QueryError(f"{path}: unknown RDF format (use {', '.join(sorted(FORMATS_BY_SUFFIX))})")
            try:
                store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
            except (OSError, SyntaxError, ValueError) as exc:
                raise QueryError(f"{path}: cannot load: {exc}") from None
        return cls(store, paths, policy)

    def execute(self, query: str, bindings: Mapping[str, Term] | None = None) -> Answer:
        """Check and start *query*; rows are evaluated as the answer is consumed."""
        info = self._check(query, bindings)
        if info.is_update:
            if bindings:
                raise QueryError("variables cannot be bound in an UPDATE")
            try:
                self.store.update(query)
            except SyntaxError as exc:
                raise safety.syntax_error(exc) from None
            except (OSError, RuntimeError, ValueError) as exc:
                raise QueryError(str(exc)) from None
            return Answer("UPDATE")
        # Bindings go in as a VALUES block of pyoxigraph-escaped terms (see .binding):
        # pyoxigraph's own substitutions refuse unprojected variables and are not
        # visible to BIND/COALESCE, which the competency queries use for defaults.
        if bindings:
            _parse_only(query)  # report syntax errors at the user's line and column
        text = binding.with_values(query, bindings or {})
        try:
            answer = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise safety.syntax_error(exc) from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(str(exc)) from None
        if isinstance(answer, ox.QuerySolutions):
            return Answer("SELECT", tuple(v.value for v in answer.variables), _guarded(answer))
        if isinstance(answer, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(answer))
        return Answer(info.form if info.form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", triples=_guarded(answer))

    def exists(self, iri: str) -> bool:
        """Whether *iri* is the subject of any triple in the store."""
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return False
        return next(iter(self.store.quads_for_pattern(node, None, None)), None) is not None


def _guarded(items: Iterable[object]) -> Iterator:  # type: ignore[type-arg]
    """Iterate engine output, turning evaluation errors into :class:`QueryError`."""
    try:
        yield from items
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
        raise QueryError(f"query failed: {exc}") from None


class EndpointEngine(_Common):
    """Any SPARQL 1.1 endpoint, spoken to with the SPARQL Protocol (see :mod:`.endpoint`)."""

    def __init__(self, url: str, policy: Policy | None = None, update_url: str | None = None) -> None:
        from . import endpoint

        self.url = url
        self.policy = policy or Policy()
        self.update_url = update_url or endpoint.update_url(url)
        endpoint._check_url(url)

    def execute(self, query: str, bindings: Mapping[str, Term] | None = None) -> Answer:
        """Check the query locally (syntax, safety), then send it with bindings as a VALUES block."""
        from . import endpoint

        info = self._check(query, bindings)
        if info.is_update:
            if bindings:
                raise QueryError("variables cannot be bound in an UPDATE")
            endpoint.update(self.update_url, query, self.policy.timeout)
            return Answer("UPDATE")
        if not info.uses_service:  # parse locally for line/column errors; SERVICE would be called
            _parse_only(query)
        text = binding.with_values(query, bindings or {})
        if info.form in ("CONSTRUCT", "DESCRIBE"):
            response = endpoint.query(self.url, text, endpoint.N_TRIPLES, self.policy.timeout)
            triples = (q.triple for q in ox.parse(response, ox.RdfFormat.N_TRIPLES))
            return Answer(info.form, triples=_guarded(triples))
        response = endpoint.query(self.url, text, endpoint.JSON_RESULTS, self.policy.timeout)
        try:
            parsed = ox.parse_query_results(response, ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"endpoint {self.url} sent an unreadable answer: {exc}") from None
        if isinstance(parsed, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(parsed))
        return Answer("SELECT", tuple(v.value for v in parsed.variables), _guarded(parsed))

    def exists(self, iri: str) -> bool:
        """Ask the endpoint whether *iri* is the subject of any triple."""
        try:
            term = Term("iri", ox.NamedNode(iri).value)
        except ValueError:
            return False
        return self.ask("ASK { ?x ?p ?o }", {"x": term})


_EMPTY: ox.Store | None = None


def _parse_only(query: str) -> None:
    """Raise :class:`QuerySyntaxError` (with line and column) if *query* does not parse."""
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = ox.Store()
    try:
        _EMPTY.query(query)
    except SyntaxError as exc:
        raise safety.syntax_error(exc) from None
    except (OSError, RuntimeError, ValueError):
        pass  # evaluation problems on an empty store say nothing about the query text


def rdf_sources(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a directory contributes the one graph file it stands for: the graph its
    ``alignsurvey-manifest.json`` lists (Turtle first), else the preferred serialisation of its
    one graph; several unrelated graphs are an error (see :func:`~..core.manifest.folder_graph`)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            try:
                out.append(folder_graph(p))
            except ManifestError as exc:
                raise QueryError(str(exc)) from None
        elif p.is_file():
            out.append(p)
        else:
            raise QueryError(f"{p}: no such file or directory")
    return out


def open_engine(
    sources: Sequence[str | Path] | None = None,
    *,
    endpoint: str | None = None,
    timeout: float | None = None,
    allow_update: bool = False,
    allow_service: bool = False,
) -> EmbeddedEngine | EndpointEngine:
    """Load *sources* (RDF files or directories; the bundled graph when none), or use *endpoint*."""
    policy = Policy(allow_update, allow_service, timeout)
    if endpoint:
        if sources:
            raise QueryError("give either data files or an endpoint, not both")
        return EndpointEngine(endpoint, policy)
    return EmbeddedEngine.from_files(rdf_sources(sources) if sources else [BUNDLED_GRAPH], policy)
