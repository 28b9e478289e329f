"""Shared fixtures: the bundled surveys, Sphinx test roots and builds, and a helper for external tools."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]
SURVEYS = ROOT / "examples" / "surveys"
SURVEY_A = SURVEYS / "alignment-survey-1ef323be.md"
SURVEY_B = SURVEYS / "alignment-survey-ffda8c1d.md"
DATA = Path(__file__).resolve().parent / "data"
ROOTS = Path(__file__).resolve().parent / "roots"


def bench_script(name: str) -> Iterator[Any]:
    """A module fixture's body: the benchmark script ``benchmarks/<name>.py``, imported as a module."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def require_tool(name: str) -> str:
    """Path of an external program; skip without it unless CI requires tools."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("ALIGNSURVEY_REQUIRE_TOOLS"):
        pytest.fail(f"{name} is required (ALIGNSURVEY_REQUIRE_TOOLS is set) but not installed")
    pytest.skip(f"{name} not installed")


@pytest.fixture(scope="session")
def survey_a():
    from sphinxcontrib_alignsurvey.reader import read_survey

    return read_survey(SURVEY_A)


@pytest.fixture(scope="session")
def survey_b():
    from sphinxcontrib_alignsurvey.reader import read_survey

    return read_survey(SURVEY_B)


@pytest.fixture(scope="session")
def seed_conversion():
    """Both bundled surveys, converted once per test session (read-only: do not mutate)."""
    from sphinxcontrib_alignsurvey.convert import convert

    return convert([SURVEY_A, SURVEY_B])


@pytest.fixture(scope="session")
def generated_ten(tmp_path_factory) -> Path:
    """A folder of ten surveys made by ``benchmarks/corpus.py`` (variants of the seeds; read-only)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    folder = tmp_path_factory.mktemp("generated-ten")
    corpus.generate(folder, 10)
    return folder


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory) -> Path:
    """``alignsurvey convert examples/surveys --out DIR`` run once per session; tests only read DIR."""
    from sphinxcontrib_alignsurvey.cli import main

    path = tmp_path_factory.mktemp("seed-outputs")
    assert main(["convert", str(SURVEYS), "--out", str(path)]) == 0
    return path


# Three surveys written for item 12 of issue 15 (URLs printed with titles), by hand: both URL shapes
# (a Markdown link, a bare or <angle> address), arXiv abs/pdf and doi.org addresses, a work with curated
# metadata (works.yaml: arXiv 2112.00861) printed with another arXiv id, and one work whose printed
# address differs between surveys (debate-v2 twice, debate-v1 once).
URL_SURVEYS = {
    "urls-a.md": """# Alignment Methods with Linked References

## 1 Introduction

A general language assistant is a laboratory for alignment [1]. Reward model ensembles reduce reward
hacking [2]. Preference optimisation without a reward model is studied in [3]. Debate is proposed for
scalable oversight [4]. Probing reward models helps interpretability [5].

## References

[1] A General Language Assistant as a Laboratory for Alignment [https://arxiv.org/abs/2101.99999](https://arxiv.org/abs/2101.99999)

[2] Ensembles of Reward Models against Overoptimisation [https://arxiv.org/pdf/2402.01234v2.pdf](https://arxiv.org/pdf/2402.01234v2.pdf)

[3] Preference Optimisation without Rewards https://doi.org/10.5555/pref.opt.2024

[4] Scalable Oversight through Structured Debate https://example.org/debate-v2

[5] Interpreting Reward Models by Probing www.example.org/probing?a=1&b={2}
""",
    "urls-b.md": """# Oversight Methods: A Second Linked Survey

## 1 Introduction

Debate is proposed for scalable oversight [1]. Reward model ensembles reduce reward hacking [2].

## References

[1] Scalable Oversight through Structured Debate. Available at: https://example.org/debate-v1

[2] Ensembles of Reward Models against Overoptimisation
""",
    "urls-c.md": """# Debate for Oversight: A Third Linked Survey

## 1 Introduction

Debate is proposed for scalable oversight [1].

## References

[1] Scalable Oversight through Structured Debate <https://example.org/debate-v2>
""",
}


@pytest.fixture(scope="session")
def url_surveys(tmp_path_factory) -> Path:
    """A folder holding :data:`URL_SURVEYS` (read-only)."""
    folder = tmp_path_factory.mktemp("url-surveys")
    for name, text in URL_SURVEYS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def url_outputs(url_surveys, tmp_path_factory) -> Path:
    """``alignsurvey convert`` of :func:`url_surveys` (graph in Turtle and N-Triples; read-only)."""
    from sphinxcontrib_alignsurvey.cli import main

    path = tmp_path_factory.mktemp("url-outputs")
    assert main(["convert", str(url_surveys), "--out", str(path), "--format", "ttl,nt"]) == 0
    return path


class ServiceWitness:
    """Accepts connections on 127.0.0.1, records each request's path, closes at once."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.paths: list[str] = []
        self.ids = itertools.count()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    head = conn.recv(4096).decode("latin-1")
                except OSError:
                    head = ""
                parts = head.split(" ", 2)
                self.paths.append(parts[1] if len(parts) > 1 else "?")

    def token(self) -> str:
        return f"t{next(self.ids)}"

    def url(self, token: str) -> str:
        return f"http://127.0.0.1:{self.port}/{token}"

    def called(self, token: str) -> bool:
        return any(p.endswith("/" + token) for p in self.paths)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="session")
def service_witness():
    """A loopback socket that records which SERVICE IRIs a SPARQL engine called."""
    witness = ServiceWitness()
    yield witness
    witness.close()


class CannedEndpoint:
    """An HTTP server on 127.0.0.1 that answers every request with recorded answers.

    ``answer(request) -> (status, headers, body)`` decides; every request is
    kept as ``(method, path, headers, body)`` so tests can see what was sent.
    """

    def __init__(self) -> None:
        import http.server

        outer = self
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.answer = lambda request: (200, {"Content-Type": "text/plain"}, b"")

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else b""
                request = (self.command, self.path, dict(self.headers.items()), body)
                outer.requests.append(request)
                status, headers, payload = outer.answer(request)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = _any

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        # Why a short poll: shutdown() waits for the loop's next poll, half a second by default,
        # and some sixty tests stop one of these servers
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()

    def query_of(self, request: tuple[str, str, dict[str, str], bytes]) -> str:
        """The SPARQL text of a recorded GET or form POST."""
        from urllib.parse import parse_qs, urlsplit

        method, path, _, body = request
        params = parse_qs(urlsplit(path).query if method == "GET" else body.decode("utf-8"))
        return params.get("query", [""])[0]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canned_endpoint():
    """A loopback HTTP server whose answers a test sets (see :class:`CannedEndpoint`)."""
    endpoint = CannedEndpoint()
    yield endpoint
    endpoint.close()


# --- Sphinx: test roots under tests/roots/test-<name>/, named by ``@pytest.mark.sphinx(testroot=...)`` ---


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where sphinx.testing finds ``testroot="name"``: ``tests/roots/test-name/``."""
    return ROOTS


def marked(node: pytest.Item) -> tuple[list[Any], dict[str, Any]]:
    """The ``pytest.mark.sphinx`` arguments of a test, nearer marks winning (as sphinx.testing reads them)."""
    pargs: dict[int, Any] = {}
    kwargs: dict[str, Any] = {}
    for info in reversed(list(node.iter_markers("sphinx"))):
        pargs |= dict(enumerate(info.args))
        kwargs.update(info.kwargs)
    return [pargs[i] for i in sorted(pargs)], kwargs


def copy_root(testroot: str, dest: Path) -> Path:
    """A private copy of ``tests/roots/test-<testroot>`` in *dest*."""
    target = dest / f"test-{testroot}"
    shutil.copytree(ROOTS / f"test-{testroot}", target)
    return target


@pytest.fixture
def app_params(app_params, request: pytest.FixtureRequest, tmp_path: Path):
    """sphinx.testing's parameters, with the marked root copied into the test's own folder.

    Why: the extension writes into the source folder (``_generated/*.bib``) and many tests edit
    their root before building; recent Sphinx reads a test root in place and older releases share one
    copy between tests, so either would let one test see another's changes or leave files in tests/roots.
    """
    args, kwargs = app_params
    _, marks = marked(request.node)
    if "srcdir" not in marks:
        srcdir = copy_root(marks.get("testroot", "root"), tmp_path)
        kwargs = {**kwargs, "srcdir": srcdir, "builddir": srcdir / "_build"}
    return type(app_params)(args, kwargs)


@pytest.fixture
def srcdir(app_params) -> Path:
    """The test's private copy of its marked root (change it before making an app over it)."""
    return app_params.kwargs["srcdir"]


@pytest.fixture
def make_marked_app(app_params, make_app):
    """``make_app`` over the test's marked root and its own copy: call it once per build of that copy.

    Keyword arguments replace the mark's (``confoverrides={...}`` replaces the mark's overrides).
    """

    def make(**kwargs: Any) -> SphinxTestApp:
        return make_app(*app_params.args, **{**app_params.kwargs, **kwargs})

    return make


def _source_suffix_default() -> dict[str, str]:
    from sphinx.config import Config

    entry = Config.config_values["source_suffix"]
    return entry.default if hasattr(entry, "default") else entry[0]


_SOURCE_SUFFIX = dict(_source_suffix_default())  # Sphinx's own, before any test built a project


def restore_source_suffix() -> None:
    """Put back Sphinx's default ``source_suffix``.

    Why: Sphinx's ``merge_source_suffix`` adds an extension's suffixes (MyST's ``.md``) into the
    default dict itself when a project leaves ``source_suffix`` unset, so after one MyST build every
    later project in the process would read its survey Markdown as pages.
    """
    default = _source_suffix_default()
    default.clear()
    default.update(_SOURCE_SUFFIX)


@pytest.fixture(autouse=True)
def _sphinx_default_source_suffix() -> Iterator[None]:
    """Every test ends with Sphinx's default ``source_suffix`` (see :func:`restore_source_suffix`)."""
    yield
    restore_source_suffix()


class Build:
    """The outcome of one Sphinx build: the app, what it printed (colours stripped) and its output folder."""

    def __init__(self, app: SphinxTestApp) -> None:
        self.app = app
        self.status = strip_colors(app.status.getvalue())
        self.warnings = strip_colors(app.warning.getvalue())
        self.outdir = Path(app.outdir)

    def text(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "WARNING" in line or "ERROR" in line]


def build(app: SphinxTestApp) -> Build:
    """Build an app made by sphinx.testing's ``app`` or ``make_app`` fixture and keep what it printed.

    The app is cleaned up at once (its nodes and roles unregistered), not when the test ends, so
    that the next app a test makes over the same root starts as a fresh ``sphinx-build`` would.
    """
    try:
        app.build()
    finally:
        app.cleanup()
        restore_source_suffix()
    return Build(app)


def sphinx_app(buildername: str, srcdir: Path, **options: Any) -> SphinxTestApp:
    """A sphinx.testing app made outside a test's ``make_app``, for a build that a module or session shares."""
    return SphinxTestApp(buildername, srcdir=srcdir, status=StringIO(), warning=StringIO(), **options)


def strip_tags(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class SharedBuilds:
    """Test roots built once per session (per xdist worker) and read by every test that names them.

    Why: the same few roots were built again by each module that reads them; a build that tests
    only read needs to happen once.  Tests that change a root or its output build their own copy
    with ``app``/``make_app`` instead.
    """

    def __init__(self, folder: pytest.TempPathFactory) -> None:
        self.folder = folder
        self.done: dict[str, Build] = {}

    def get(self, buildername: str = "html", *, testroot: str = "root", **options: Any) -> Build:
        key = repr((buildername, testroot, sorted(options.items())))
        if key not in self.done:
            srcdir = copy_root(testroot, self.folder.mktemp("shared"))
            self.done[key] = build(sphinx_app(buildername, srcdir, **options))
        return self.done[key]


@pytest.fixture(scope="session")
def shared_builds(tmp_path_factory: pytest.TempPathFactory) -> SharedBuilds:
    return SharedBuilds(tmp_path_factory)


@pytest.fixture
def built(request: pytest.FixtureRequest, shared_builds: SharedBuilds) -> Build:
    """The root named by the test's ``pytest.mark.sphinx``, built once per session: read it, never change it."""
    args, kwargs = marked(request.node)
    return shared_builds.get(*args, **kwargs)
