"""Embedded and remote answers agree: a real Oxigraph server on 127.0.0.1, a free port."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pyoxigraph as ox
import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH
from sphinxcontrib_alignsurvey.sparql import QueryError, QuerySyntaxError, open_engine
from sphinxcontrib_alignsurvey.sparql.queries import bundled_names, read
from sphinxcontrib_alignsurvey.sparql.server import free_port, running_server, wait_until_listening


@pytest.fixture(scope="module")
def remote():
    with running_server([BUNDLED_GRAPH]) as url:
        yield open_engine(endpoint=url)


@pytest.fixture(scope="module")
def local():
    return open_engine()


@pytest.mark.parametrize("name", bundled_names())
def test_every_competency_query_answers_the_same_remotely(local, remote, name: str) -> None:
    text = read(name)[1]
    embedded = local.select(text)
    assert remote.select(text) == embedded
    assert embedded.rows


@pytest.mark.parametrize(
    ("name", "binds"),
    [
        ("papers-for-concept", ["concept=dpo"]),
        ("papers-for-concept", ['concept="RLHF"']),
        ("evidence-for-link", ["method=rlhf", "challenge=adversarial-attacks"]),
    ],
)
def test_bound_queries_answer_the_same_remotely(local, remote, name: str, binds: list[str]) -> None:
    text = read(name)[1]
    assert remote.bind(binds) == local.bind(binds)
    assert remote.select(text, remote.bind(binds)) == local.select(text, local.bind(binds))


def test_remote_ask_construct_and_errors(local, remote) -> None:
    ask = "ASK { ?s a <https://w3id.org/alignsurvey/ontology#Survey> }"
    assert remote.ask(ask) is local.ask(ask) is True
    construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a <https://w3id.org/alignsurvey/ontology#Survey> ; a ?t }"
    assert set(remote.construct(construct)) == set(local.construct(construct))
    with pytest.raises(QuerySyntaxError) as info:
        remote.select("SELECT * WHERE {\n ?s ?p }")
    assert info.value.line == 2
    with pytest.raises(QueryError, match="refused"):
        remote.select("DROP ALL")


def test_unreachable_endpoint_is_a_clear_error() -> None:
    engine = open_engine(endpoint=f"http://127.0.0.1:{free_port()}/query", timeout=5)
    with pytest.raises(QueryError, match="cannot reach endpoint"):
        engine.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_load_pushes_the_graph_with_the_graph_store_protocol(local, capsys, tmp_path) -> None:
    with running_server([], writable=True) as url:
        store = url.rsplit("/", 1)[0] + "/store"
        assert main(["load", "--endpoint", store, "--chunk", "20000", "--state-dir", str(tmp_path)]) == 0
        triples = len(list(ox.parse(path=str(BUNDLED_GRAPH), format=ox.RdfFormat.TURTLE)))
        assert f"from 1 file(s) in {-(-triples // 20000)} chunk(s)" in capsys.readouterr().err
        remote = open_engine(endpoint=url)
        for name in ("surveys", "taxonomy", "citation-edges"):
            assert remote.select(read(name)[1]) == local.select(read(name)[1])


def test_serve_command_answers_on_loopback(local) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_listening(proc, port, limit=60)  # type: ignore[arg-type]
        remote = open_engine(endpoint=f"http://127.0.0.1:{port}/query")
        assert remote.select(read("surveys")[1]) == local.select(read("surveys")[1])
        update = urllib.request.Request(
            f"http://127.0.0.1:{port}/update",
            data=b"update=DROP+ALL",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError):  # read-only server
            urllib.request.urlopen(update, timeout=10)
        assert len(remote.select(read("surveys")[1])) == 2
    finally:
        proc.terminate()
        proc.wait(10)
    # SIGTERM to `alignsurvey serve` must shut its Oxigraph server down, not orphan it
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                break
        time.sleep(0.1)
    else:
        pytest.fail(f"the Oxigraph server still answers on port {port} after `serve` was stopped")


def test_serve_refuses_a_port_in_use(capsys) -> None:
    """Another program on the port: a clear message, not an endpoint announced over someone else's."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        before = signal.getsignal(signal.SIGTERM)
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"port {port}" in err and "in use" in err and "SPARQL endpoint" not in err
    # the calling program's SIGTERM handling is its own again (a later SIGTERM is not turned into Ctrl-C)
    assert signal.getsignal(signal.SIGTERM) is before
