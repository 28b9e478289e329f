"""Where the graph comes from: config values -> files or endpoint -> catalog.

Why: the graph is loaded once per build, at ``builder-inited``.  Local
sources are fingerprinted by content, and the catalog is cached on disk under
that fingerprint, so an unchanged graph costs one small pickle read.  Survey
Markdown is converted with the package's own pipeline (``convert`` +
``write_graph``), never a copy of it.

With no sources configured, the bundled graph's catalog is read as
compiled when the bundled graph was made (:func:`compile_bundled_catalog`):
a clean build of a project that uses the bundled graph then neither parses
the graph nor queries it (0.32 of 0.35 s), unless a query table or diagram
needs the store.  A test keeps the compiled catalog equal to a fresh one.

Sources that cannot be read raise :class:`SourceError` with every finding and
its ``file:line``; the build reports them as located errors (see ``events``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError

from ..core.atomic import atomic_write
from ..core.resources import BUNDLED_CATALOG, BUNDLED_GRAPH
from ..core.version import __version__
from ..sparql import api
from .catalog import Catalog, build_catalog
from .state import State
from .warn import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bumped whenever the records change shape, so old caches are ignored.
CATALOG_FORMAT = 4  # 2: typed ObjectKey keys; 3: benchmarks, limitations, confidence, flags, survey labels; 4: origins
MARKDOWN_SUFFIXES = (".md", ".markdown")
CACHE_DIRNAME = "alignsurvey"


def configured_paths(app: Sphinx) -> tuple[list[Path], list[Path]]:
    """RDF files and survey Markdown files named by ``alignsurvey_sources``."""
    raw = app.config.alignsurvey_sources or []
    if isinstance(raw, (str, os.PathLike)):
        raw = [raw]
    rdf: list[Path] = []
    markdown: list[Path] = []
    for item in raw:
        path = Path(app.confdir, item).resolve()
        if not path.is_file():
            raise ConfigError(f"alignsurvey_sources: {item!s} does not exist (looked for {path})")
        suffix = path.suffix.lower()
        if suffix in MARKDOWN_SUFFIXES:
            markdown.append(path)
        elif suffix in api.FORMATS_BY_SUFFIX:
            rdf.append(path)
        else:
            known = ", ".join(sorted({*api.FORMATS_BY_SUFFIX, *MARKDOWN_SUFFIXES}))
            raise ConfigError(f"alignsurvey_sources: {item!s}: unknown file type (use {known})")
    return rdf, markdown


def configured_vocabularies(app: Sphinx) -> list[Path]:
    """The user's SKOS files named by ``alignsurvey_vocabularies`` (used to convert survey Markdown)."""
    raw = app.config.alignsurvey_vocabularies or []
    if isinstance(raw, (str, os.PathLike)):
        raw = [raw]
    out = []
    for item in raw:
        path = Path(app.confdir, item).resolve()
        if not path.is_file():
            raise ConfigError(f"alignsurvey_vocabularies: {item!s} does not exist (looked for {path})")
        out.append(path)
    return out


def fingerprint(paths: list[Path], endpoint: str | None) -> str:
    """Digest of the sources' bytes, the package version and the cache format."""
    h = hashlib.sha256(f"{CATALOG_FORMAT}\0{__version__}\0{endpoint or ''}".encode())
    for path in paths:
        h.update(str(path).encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def bundled_key() -> str:
    """What the compiled bundled catalog is valid for: the catalog format and the bundled graph's bytes."""
    graph = hashlib.sha256(BUNDLED_GRAPH.read_bytes()).digest()
    return hashlib.sha256(f"{CATALOG_FORMAT}\0".encode() + graph).hexdigest()


def compiled_bundled_catalog() -> Catalog | None:
    """The catalog compiled with the bundled graph, or None when it is missing or not of this graph."""
    try:
        with open(BUNDLED_CATALOG, "rb") as fh:
            key, catalog = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, TypeError, ImportError):
        return None
    return catalog if key == bundled_key() and isinstance(catalog, Catalog) else None


def compile_bundled_catalog() -> Path:
    """Write the bundled graph's catalog; run whenever the bundled graph is converted again."""
    catalog = build_catalog(api.open_engine([BUNDLED_GRAPH]))
    with atomic_write(BUNDLED_CATALOG, "wb") as fh:
        pickle.dump((bundled_key(), catalog), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return BUNDLED_CATALOG


class SourceError(Exception):
    """The graph cannot be read: each finding is (message, subtype, ``file:line`` or None)."""

    def __init__(self, findings: list[tuple[str, Subtype, str | None]]) -> None:
        super().__init__(f"{len(findings)} error(s) in the graph's sources")
        self.findings = findings


def _where(path: str, line: int) -> str:
    return f"{path}:{line}" if line else path


def _convert_markdown(markdown: list[Path], out: Path, vocabularies: Sequence[Path] = (), bundled: bool = True) -> Path:
    """Convert survey Markdown into *out*: ``graph.ttl`` plus the BibTeX the converter writes beside it.

    *vocabularies* are added to the bundled schemes, or replace them when *bundled* is false."""
    from ..convert import ConversionError, convert, write_graph
    from ..links.vocabulary import VocabularyError, load_vocabulary

    vocabulary = None
    if vocabularies or not bundled:
        try:
            vocabulary = load_vocabulary(None if bundled else vocabularies, extra=vocabularies if bundled else ())
        except VocabularyError as exc:
            raise SourceError([(d.message, "source", _where(d.path, d.line)) for d in exc.diagnostics]) from None
    try:
        conversion = convert(markdown, vocabulary)
    except ConversionError as exc:
        raise SourceError([(d.message, "survey", _where(d.path, d.line)) for d in exc.diagnostics]) from None
    for d in conversion.warnings:
        warn(d.message, "survey", _where(d.path, d.line))
    # the cache folder is the extension's own (named by fingerprint): replace whatever is there, and wait for a
    # parallel build of the same project that is converting the same sources
    written = write_graph(conversion, out, ("ttl",), force=True, wait=600.0)
    return written[0]  # graph.ttl first, then references.bib, per-survey .bib and the manifest


def open_endpoint(url: str) -> api.Engine:
    return api.open_engine(endpoint=url)


#: How an endpoint's contents are fingerprinted (``alignsurvey_endpoint_fingerprint``).
#: "count" (default): the number of triples per predicate -- index scans only; sees every load that adds or
#: removes triples, not an in-place edit that keeps every count (a changed title).
#: "digest": every triple's MD5 summed, with the count -- sees any change, but decodes every term (a full scan
#: with string functions: 10-20x the cost of "count" on the Oxigraph server).
#: "size": the count and the total length of the objects.  "none": read the whole graph at every build.
STORE_FINGERPRINTS = {
    "count": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
    "digest": """SELECT (COUNT(*) AS ?n) (SUM(?h) AS ?sum) WHERE { ?s ?p ?o
  BIND (COALESCE(<http://www.w3.org/2001/XMLSchema#integer>(SUBSTR(REPLACE(MD5(CONCAT(
    IF(isBLANK(?s), "_", STR(?s)), " ", STR(?p), " ", IF(isBLANK(?o), "_", STR(?o)), " ", LANG(?o))),
    "[a-f]", ""), 1, 9)), 0) AS ?h) }""",
    "size": """SELECT (COUNT(*) AS ?n) (SUM(STRLEN(STR(?o))) AS ?len) WHERE { ?s ?p ?o }""",
}


def store_fingerprint(engine: api.Engine, how: str) -> str:
    """A short digest of the store's contents: one aggregate query (or the user's own SELECT).

    Why: reading the whole graph from an endpoint at every build took 123 s
    at 100x; one aggregate is a scan of the store without sending it.
    *how* is "count", "digest", "size", "none" (always read again) or a SELECT whose
    answer changes when the data does (e.g. a modification date the store keeps).
    """
    if how == "none":
        return ""
    text = STORE_FINGERPRINTS.get(how, how)
    rows = engine.select(text).rows
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()


def _read_cache(cache: Path, fp: str) -> object | None:
    if not fp or not cache.is_file():
        return None
    try:
        with open(cache, "rb") as fh:
            cached_fp, cached = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, TypeError):
        return None
    return cached if cached_fp == fp else None


def _endpoint_state(app: Sphinx, endpoint: str, start: float) -> State:
    """The catalog of an endpoint, from the disk cache while the store's fingerprint is unchanged."""
    engine = open_endpoint(endpoint)
    how = getattr(app.config, "alignsurvey_endpoint_fingerprint", "count") or "none"
    cache = Path(app.doctreedir, CACHE_DIRNAME, "catalog.pickle")
    try:
        store_fp = store_fingerprint(engine, how)
        fp = hashlib.sha256(f"{fingerprint([], endpoint)}\0{store_fp}".encode()).hexdigest() if store_fp else ""
        catalog = _read_cache(cache, fp)
        from_cache = catalog is not None
        if catalog is None:
            catalog = build_catalog(engine)
            if fp:
                with atomic_write(cache, "wb") as fh:
                    pickle.dump((fp, catalog), fh, protocol=pickle.HIGHEST_PROTOCOL)
    except api.QueryError as exc:
        raise SourceError([(f"alignsurvey_endpoint {endpoint}: {exc}", "source", None)]) from None
    state = State(
        catalog,  # type: ignore[arg-type]  # the cache holds the Catalog pickled above
        (),
        (),
        endpoint=endpoint,
        fingerprint=fp,
        from_cache=from_cache,
        _engine=engine,
    )
    state.load_seconds = time.perf_counter() - start
    return state


def load_state(app: Sphinx) -> State:
    """Read the catalog from the disk cache, or build it from the sources."""
    start = time.perf_counter()
    endpoint = app.config.alignsurvey_endpoint or None
    if endpoint:
        return _endpoint_state(app, endpoint, start)

    rdf, markdown = configured_paths(app)
    vocabularies = configured_vocabularies(app) if markdown else []
    bundled = bool(app.config.alignsurvey_bundled_vocabulary)
    sources = [*rdf, *markdown] or [BUNDLED_GRAPH]
    fp = fingerprint([*sources, *vocabularies], "" if bundled else "own vocabulary only")
    cache_dir = Path(app.doctreedir, CACHE_DIRNAME)
    cache = cache_dir / "catalog.pickle"
    converted = cache_dir / f"converted-{fp[:16]}" / "graph.ttl"
    rdf_files = [*rdf, converted] if markdown else (rdf or [BUNDLED_GRAPH])

    catalog = None
    wants_bib = markdown and app.config.alignsurvey_bibtex_file
    if (
        cache.is_file()
        and (not markdown or converted.is_file())
        and (not wants_bib or (converted.parent / "references.bib").is_file())
    ):
        try:
            with open(cache, "rb") as fh:
                cached_fp, cached = pickle.load(fh)
            if cached_fp == fp:
                catalog = cached
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, TypeError):
            catalog = None
    from_cache = catalog is not None
    if catalog is None and not rdf and not markdown:
        catalog = compiled_bundled_catalog()
    engine = None
    if catalog is None:
        if markdown:
            _convert_markdown(markdown, converted.parent, vocabularies, bundled)
        try:
            engine = api.open_engine(rdf_files)
            catalog = build_catalog(engine)
        except api.QueryError as exc:
            raise SourceError([(f"alignsurvey_sources: {exc}", "source", None)]) from None
    if not from_cache:
        with atomic_write(cache, "wb") as fh:
            pickle.dump((fp, catalog), fh, protocol=pickle.HIGHEST_PROTOCOL)
    # The engine the catalog was read with is the one open_query_engine would open (same files,
    # default policy): kept, the graph is loaded once per build instead of twice.
    state = State(
        catalog,
        tuple(sources),
        tuple(rdf_files),
        fingerprint=fp,
        from_cache=from_cache,
        _engine=engine,
        opener=open_query_engine,
    )
    state.load_seconds = time.perf_counter() - start
    return state


def open_query_engine(state: State) -> api.Engine:
    """An engine over the same data the catalog came from."""
    if state.endpoint:
        return open_endpoint(state.endpoint)
    return api.open_engine(list(state.rdf_files))
