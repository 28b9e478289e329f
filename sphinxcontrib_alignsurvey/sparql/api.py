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
``timeout`` (seconds) and ``memory_limit`` (MB) bound each query: the
embedded engine evaluates in a worker process that is killed at the deadline
or when it allocates past the ceiling (see :mod:`.evaluator`), so a query
that is stopped really stops and gives its memory back.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ..core.namespaces import PREFIXES
from ..core.resources import BUNDLED_GRAPH
from . import binding, complete, results, safety
from .deadline import Deadline
from .errors import QueryError, QuerySyntaxError, QueryTimeout
from .evaluator import Evaluator, Reply, Request
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


def load_files(store: ox.Store, paths: Iterable[Path]) -> None:
    """Bulk-load RDF files into *store*, the format from each suffix; a located QueryError otherwise."""
    for path in paths:
        fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
        if fmt is None:
            raise QueryError(f"{path}: unknown RDF format (use {', '.join(sorted(FORMATS_BY_SUFFIX))})")
        try:
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        except (OSError, SyntaxError, ValueError) as exc:
            raise QueryError(f"{path}: cannot load: {exc}") from None


@dataclass(frozen=True, slots=True)
class Policy:
    """What a query may do: read-only, no federation, a time limit (s) and a memory ceiling (MB).

    ``memory_limit`` is what one evaluation may allocate on top of the loaded
    graph; it applies to the embedded engine (a remote endpoint's memory is
    its own business).
    """

    allow_update: bool = False
    allow_service: bool = False
    timeout: float | None = None
    memory_limit: float | None = None


@dataclass
class Answer:
    """A query's answer, still lazy: rows/triples are produced as they are consumed.

    ``form`` is SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE; for SELECT,
    ``columns`` and ``rows`` (sequences of pyoxigraph terms or None, indexed like
    ``columns``) are set, for
    ASK ``boolean``, for CONSTRUCT/DESCRIBE ``triples``.  Consume it in the
    thread that asked; abandoning it stops the evaluation.
    """

    form: str
    columns: tuple[str, ...] = ()
    rows: Iterator[tuple[object, ...]] = field(default_factory=lambda: iter(()))
    boolean: bool | None = None
    triples: Iterable[ox.Triple] = ()


class Engine(Protocol):
    policy: Policy

    def select(self, query: str, bindings: Mapping[str, Term] | None = None, *, limit: int | None = None) -> Result: ...

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool: ...

    def execute(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, limit: int | None = None
    ) -> Answer: ...

    def exists(self, iri: str) -> bool: ...

    def bind(self, specs: Sequence[str]) -> dict[str, Term]: ...

    def with_policy(self, **changes: Any) -> Engine: ...


class _Common:
    """Behaviour both engines share: checks, materialising, binding."""

    policy: Policy

    def _check(self, query: str, bindings: Mapping[str, Term] | None) -> safety.QueryInfo:
        info = safety.check(query, allow_update=self.policy.allow_update, allow_service=self.policy.allow_service)
        if bindings:
            binding.check_variables(info.variables, bindings)
        return info

    def with_policy(self, **changes: Any) -> Any:
        """A copy of this engine (same data, same workers) with some :class:`Policy` fields changed.

        Why: one loaded graph serves callers with different limits, e.g. the
        Sphinx directive's deadline on the engine a build already opened.
        """
        twin = copy.copy(self)
        twin.policy = dataclasses.replace(self.policy, **changes)
        return twin

    def execute(self, query: str, bindings: Mapping[str, Term] | None = None, *, limit: int | None = None) -> Answer:
        raise NotImplementedError

    def select(self, query: str, bindings: Mapping[str, Term] | None = None, *, limit: int | None = None) -> Result:
        """Run a SELECT and return its rows (at most *limit*, the limit pushed into the query)."""
        answer = self.execute(query, bindings, limit=limit)
        if answer.form != "SELECT":
            _close(answer)
            raise QueryError(f"not a SELECT query (it is {answer.form})")
        width = len(answer.columns)
        memo: dict[object, Term] = {}
        return Result(answer.columns, tuple(convert_row(row, width, memo) for row in answer.rows))

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK and return its answer."""
        answer = self.execute(query, bindings)
        if answer.form != "ASK":
            _close(answer)
            raise QueryError(f"not an ASK query (it is {answer.form})")
        return bool(answer.boolean)

    def construct(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, limit: int | None = None
    ) -> list[tuple[Term, Term, Term]]:
        """Run a CONSTRUCT or DESCRIBE and return its triples (at most *limit*)."""
        answer = self.execute(query, bindings, limit=limit)
        if answer.form not in ("CONSTRUCT", "DESCRIBE"):
            _close(answer)
            raise QueryError(f"not a CONSTRUCT or DESCRIBE query (it is {answer.form})")
        return [
            (Term.from_oxigraph(t.subject), Term.from_oxigraph(t.predicate), Term.from_oxigraph(t.object))
            for t in answer.triples
        ]

    def exists(self, iri: str) -> bool:
        raise NotImplementedError

    def bind(self, specs: Sequence[str]) -> dict[str, Term]:
        """``["concept=dpo", "survey=<...>"]`` -> terms, resolving bare ids in this graph."""
        return binding.bind_all(list(specs), self.exists)


def _close(answer: Answer) -> None:
    """Stop the evaluation behind an answer that will not be read."""
    for part in (answer.rows, answer.triples):
        close = getattr(part, "close", None)
        if close is not None:
            close()


class EmbeddedEngine(_Common):
    """A pyoxigraph in-memory store loaded from RDF files, queried through worker processes."""

    def __init__(
        self,
        store: ox.Store,
        sources: Sequence[Path],
        policy: Policy | None = None,
        *,
        evaluator: Evaluator | None = None,
    ) -> None:
        self.sources = tuple(sources)
        self.policy = policy or Policy()
        self.evaluator = evaluator or Evaluator(store)

    @property
    def store(self) -> ox.Store:
        """The loaded data (replaced, not changed in place, by an allowed update)."""
        return self.evaluator.store

    @classmethod
    def from_files(cls, sources: Sequence[str | Path], policy: Policy | None = None) -> EmbeddedEngine:
        store = ox.Store()
        paths = [Path(s) for s in sources]
        load_files(store, paths)
        return cls(store, paths, policy)

    def _memory(self) -> int | None:
        mb = self.policy.memory_limit
        return None if mb is None else int(mb * 2**20)

    def start(
        self,
        query: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        limit: int | None = None,
        mode: str = "rows",
        fmt: str | None = None,
    ) -> tuple[safety.QueryInfo, Reply]:
        """Check *query* and start it in a worker; the reply's head (form, columns) is known on return.

        ``mode="bytes"`` streams the answer serialised as *fmt* (used by ``serve``).
        """
        info = self._check(query, bindings)
        if info.is_update:
            raise QueryError("an UPDATE has no answer to stream")
        # Bindings go in as a VALUES block of pyoxigraph-escaped terms (see .binding):
        # pyoxigraph's own substitutions refuse unprojected variables and are not
        # visible to BIND/COALESCE, which the competency queries use for defaults.
        text = binding.with_values(query, bindings or {})
        shift = _shift(query, text)
        if limit is not None:
            text = safety.with_limit(text, limit)
        request = Request(
            "query",
            text,
            mode=mode,
            fmt=fmt,
            limit=limit,
            memory=self._memory(),
            cpu=self.policy.timeout,
            prefixes=dict(PREFIXES) if fmt == "turtle" else {},
        )
        try:
            reply = self.evaluator.run(request, timeout=self.policy.timeout, network=self.policy.allow_service)
        except QuerySyntaxError as exc:
            raise _unshift(exc, shift) from None
        return info, reply

    def execute(self, query: str, bindings: Mapping[str, Term] | None = None, *, limit: int | None = None) -> Answer:
        """Check and start *query*; rows are read from the worker as the answer is consumed."""
        info = self._check(query, bindings)
        if info.is_update:
            if bindings:
                raise QueryError("variables cannot be bound in an UPDATE")
            self._update(query)
            return Answer("UPDATE")
        info, reply = self.start(query, bindings, limit=limit)
        form = reply.head[0]
        if form == "SELECT":
            return Answer("SELECT", reply.head[1], _decoded_rows(reply, _to_oxigraph))
        if form == "ASK":
            for _ in reply.chunks():  # read to the end, so the worker stays warm for the next query
                pass
            return Answer("ASK", boolean=reply.head[1])
        graph = info.form if info.form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT"
        return Answer(graph, triples=_decoded_triples(reply))

    def select(self, query: str, bindings: Mapping[str, Term] | None = None, *, limit: int | None = None) -> Result:
        """Run a SELECT and return its rows (at most *limit*, the limit pushed into the query)."""
        info = self._check(query, bindings)
        if info.form != "SELECT":
            raise QueryError(f"not a SELECT query (it is {'UPDATE' if info.is_update else info.form})")
        _, reply = self.start(query, bindings, limit=limit)
        if reply.head[0] != "SELECT":
            reply.close()
            raise QueryError(f"not a SELECT query (it is {reply.head[0]})")
        return Result(reply.head[1], tuple(_decoded_rows(reply, _to_term)))

    def _update(self, query: str) -> None:
        """Apply an allowed update: evaluated in a worker that sends the whole changed store back.

        Why not in-process: an update's WHERE clause is a query like any other
        and needs the same deadline and memory ceiling; the worker's changes
        are lost with it, so it returns the store as N-Quads, which replace the
        engine's data only if the update finished.
        """
        request = Request("update", query, memory=self._memory(), cpu=self.policy.timeout)
        reply = self.evaluator.run(request, timeout=self.policy.timeout, network=self.policy.allow_service)
        store = ox.Store()
        try:
            store.bulk_load(input=_ReplyReader(reply), format=ox.RdfFormat.N_QUADS)  # type: ignore[arg-type]  # pyoxigraph's stub wants IO[bytes]; it only calls .read()
        except _Relayed as exc:
            raise exc.error from None
        finally:
            reply.close()
        self.evaluator.replace_store(store)

    def exists(self, iri: str) -> bool:
        """Whether *iri* is the subject of any triple in the store."""
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return False
        return bool(self.evaluator.read(lambda store: next(iter(store.quads_for_pattern(node, None, None)), None)))


def _shift(original: str, bound: str) -> tuple[int, int, int] | None:
    """Where the VALUES block went in: (line, characters before it on that line, its length)."""
    at = safety.where_brace(original)
    if original == bound or at is None:
        return None
    line = original.count("\n", 0, at) + 1
    return line, at - (original.rfind("\n", 0, at) + 1), len(bound) - len(original)


def _unshift(exc: QuerySyntaxError, shift: tuple[int, int, int] | None) -> QuerySyntaxError:
    """A syntax error's column in the query as written, not as bound."""
    if shift is None or exc.line != shift[0] or exc.column is None or exc.column <= shift[1]:
        return exc
    return QuerySyntaxError(exc.detail, exc.line, max(shift[1] + 1, exc.column - shift[2]))


def _to_term(value: object) -> Term:
    if value.__class__ is str:
        return Term("iri", value)
    kind = value[0]  # type: ignore[index]
    if kind == "s":
        return Term("literal", value[1])  # type: ignore[index]
    if kind == "l":
        return Term("literal", value[1], None, value[2])  # type: ignore[index]
    if kind == "d":
        return Term("literal", value[1], value[2])  # type: ignore[index]
    if kind == "b":
        return Term("bnode", value[1])  # type: ignore[index]
    raise QueryError("the answer holds an RDF-star triple term, which results cannot represent")


def _to_oxigraph(value: object) -> object:
    if value.__class__ is str:
        return ox.NamedNode(value)
    kind = value[0]  # type: ignore[index]
    if kind == "s":
        return ox.Literal(value[1])  # type: ignore[index]
    if kind == "l":
        return ox.Literal(value[1], language=value[2])  # type: ignore[index]
    if kind == "d":
        return ox.Literal(value[1], datatype=ox.NamedNode(value[2]))  # type: ignore[index]
    if kind == "b":
        return ox.BlankNode(value[1])  # type: ignore[index]
    return ox.Triple(_to_oxigraph(value[1]), _to_oxigraph(value[2]), _to_oxigraph(value[3]))  # type: ignore[index, arg-type]


def _decoded_rows(reply: Reply, decode: Any) -> Iterator[tuple[Any, ...]]:
    """Rows of a reply with each cell decoded once per distinct value (results repeat IRIs a lot)."""
    memo: dict[object, object] = {}
    for batch in reply.chunks():
        for row in batch:
            out: list[object] = []
            for cell in row:
                if cell is None:
                    out.append(None)
                    continue
                term = memo.get(cell)
                if term is None:
                    term = memo[cell] = decode(cell)
                out.append(term)
            yield tuple(out)


def _decoded_triples(reply: Reply) -> Iterator[ox.Triple]:
    for row in _decoded_rows(reply, _to_oxigraph):
        yield ox.Triple(*row)


class _Relayed(Exception):
    """Carries a query error through pyoxigraph's parser, which calls our reader."""

    def __init__(self, error: QueryError) -> None:
        super().__init__(str(error))
        self.error = error


class _ReplyReader:
    """A binary file over a bytes-mode reply, for pyoxigraph's parsers."""

    def __init__(self, reply: Reply) -> None:
        self.chunks = reply.chunks()
        self.buf = b""

    def read(self, n: int = -1) -> bytes:
        try:
            while not self.buf:
                self.buf = next(self.chunks, b"")
                if not self.buf:
                    return b""
        except QueryError as exc:
            raise _Relayed(exc) from None
        if n is None or n < 0:
            n = len(self.buf)
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


class EndpointEngine(_Common):
    """Any SPARQL 1.1 endpoint, spoken to with the SPARQL Protocol (see :mod:`.endpoint`)."""

    def __init__(self, url: str, policy: Policy | None = None, update_url: str | None = None) -> None:
        from . import endpoint

        self.url = url
        self.policy = policy or Policy()
        self.update_url = update_url or endpoint.update_url(url)
        endpoint._check_url(url)

    def execute(self, query: str, bindings: Mapping[str, Term] | None = None, *, limit: int | None = None) -> Answer:
        """Check the query locally (syntax, safety), then send it with bindings as a VALUES block."""
        from . import endpoint

        info = self._check(query, bindings)
        deadline = Deadline(self.policy.timeout)
        if info.is_update:
            if bindings:
                raise QueryError("variables cannot be bound in an UPDATE")
            endpoint.update(self.update_url, query, self.policy.timeout)
            return Answer("UPDATE")
        _parse_only(query, self.policy.timeout)
        text = binding.with_values(query, bindings or {})
        if limit is not None:
            text = safety.with_limit(text, limit)
        if info.form in ("CONSTRUCT", "DESCRIBE"):
            response = endpoint.query(self.url, text, endpoint.N_TRIPLES, deadline)
            try:  # parsed whole before anything is handed out: a broken answer prints nothing
                triples = [q.triple for q in ox.parse(response, ox.RdfFormat.N_TRIPLES)]  # type: ignore[arg-type]  # stub wants IO[bytes]; it only calls .read()
            except (SyntaxError, ValueError, OSError) as exc:
                raise QueryError(f"endpoint {self.url} sent an unreadable graph: {exc}") from None
            finally:
                response.close()
            return Answer(info.form, triples=triples[:limit] if limit is not None else triples)
        parsed = self._results(text, deadline)
        if parsed.boolean is not None:
            return Answer("ASK", boolean=parsed.boolean)
        rows = parsed.rows if limit is None else parsed.rows[:limit]
        return Answer("SELECT", parsed.columns, iter(rows))

    def _results(self, text: str, deadline: Deadline) -> results.Parsed:
        """The whole SELECT/ASK answer to *text*, refused if the store cut it short (see :mod:`.complete`)."""
        from . import endpoint

        response = endpoint.query(self.url, text, results.ACCEPT, deadline)
        try:
            body = results.spool(response)
        finally:
            response.close()
        parsed = results.parse(body, response.headers.get("Content-Type"), self.url)
        if parsed.boolean is None:
            shape = safety.slice_of(text)
            query_limit = shape[0] if shape else None

            def probe(n: int) -> bool:
                sliced = safety.with_slice(text, n, 1)
                return sliced is not None and bool(self._results(sliced, deadline).rows)

            complete.check(self.url, response.headers, len(parsed.rows), query_limit, parsed.extra, probe)
        return parsed

    def exists(self, iri: str) -> bool:
        """Ask the endpoint whether *iri* is the subject of any triple."""
        try:
            term = Term("iri", ox.NamedNode(iri).value)
        except ValueError:
            return False
        return self.ask("ASK { ?x ?p ?o }", {"x": term})


_SYNTAX: Evaluator | None = None
PARSE_BUDGET = 5.0  # s; a query still running after this has parsed (syntax errors are immediate)


def _parse_only(query: str, timeout: float | None = None) -> None:
    """Raise :class:`QuerySyntaxError` (with line and column) if *query* does not parse.

    Why in a worker: pyoxigraph parses and then starts evaluating (an ORDER BY
    or ASK is evaluated before ``query()`` returns), and even on an empty store
    a query of VALUES blocks can run for ever.  A parse that outlives the
    budget has succeeded.
    """
    global _SYNTAX
    if _SYNTAX is None:
        _SYNTAX = Evaluator(ox.Store())
    budget = PARSE_BUDGET if timeout is None else min(PARSE_BUDGET, timeout)
    try:
        reply = _SYNTAX.run(Request("parse", query, memory=256 * 2**20, cpu=budget), timeout=budget)
    except QueryTimeout:
        return
    except QuerySyntaxError:
        raise
    except QueryError:
        return  # evaluation problems on an empty store say nothing about the query text
    list(reply.chunks())


def rdf_sources(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a directory contributes the one graph file it stands for: the graph its
    ``alignsurvey-manifest.json`` lists (Turtle first), else the preferred serialisation of its
    one graph; several unrelated graphs are an error (see :func:`~..core.manifest.folder_graph`)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            from ..core.manifest import ManifestError, folder_graph  # a folder given: read its manifest

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
    memory_limit: float | None = None,
) -> EmbeddedEngine | EndpointEngine:
    """Load *sources* (RDF files or directories; the bundled graph when none), or use *endpoint*.

    *timeout* (s) and *memory_limit* (MB, embedded engine only) bound every query.
    """
    policy = Policy(allow_update, allow_service, timeout, memory_limit)
    if endpoint:
        if sources:
            raise QueryError("give either data files or an endpoint, not both")
        return EndpointEngine(endpoint, policy)
    return EmbeddedEngine.from_files(rdf_sources(sources) if sources else [BUNDLED_GRAPH], policy)
