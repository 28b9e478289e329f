"""``alignsurvey serve``: fetches nothing, answers only its own Host, stops queries, dies cleanly.

Issue 15, items 2, 4 and 6.  The security and lifetime tests talk to a real
``alignsurvey serve`` process over HTTP, as an attacker on the machine would.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.sparql import open_engine
from sphinxcontrib_alignsurvey.sparql.httpd import RESULT_TYPES, QueryServer, negotiate
from sphinxcontrib_alignsurvey.sparql.queries import bundled_names, read
from sphinxcontrib_alignsurvey.sparql.server import (
    TEMP_PREFIX,
    free_port,
    remove_stale_folders,
    wait_until_listening,
)

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }"


def start_serve(port: int, *args: str, env: dict | None = None) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli", "serve", "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    wait_until_listening(proc, port, limit=60)  # type: ignore[arg-type]
    return proc


@pytest.fixture(scope="module")
def serve():
    port = free_port()
    proc = start_serve(port, "--timeout", "2")
    yield port, proc
    proc.terminate()
    proc.wait(10)


def get(port: int, query: str, host: str | None = None, headers: dict | None = None, timeout: float = 30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest("GET", "/query?" + urllib.parse.urlencode({"query": query}), skip_host=True)
        conn.putheader("Host", host or f"127.0.0.1:{port}")
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def tree(pid: int) -> list[int]:
    """*pid* and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_of(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_service_is_refused_and_nothing_is_fetched(serve, service_witness) -> None:
    port, _ = serve
    for shape in (
        "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * {{ # c\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
    ):
        token = service_witness.token()
        status, body = get(port, shape.format(url=service_witness.url(token)))
        assert status == 403 and "SERVICE" in body, body
        assert not service_witness.called(token)


def test_only_the_bound_address_is_answered(serve) -> None:
    port, _ = serve
    query = read("surveys")[1]
    assert get(port, query)[0] == 200
    assert get(port, query, host=f"localhost:{port}")[0] == 200
    status, body = get(port, query, host=f"attacker.example:{port}")  # DNS rebinding
    assert status == 403 and "Host" in body
    assert get(port, query, host="127.0.0.1")[0] == 403  # another port's origin
    assert get(port, query, headers={"Sec-Fetch-Site": "cross-site"})[0] == 403


def test_a_query_past_its_deadline_stops_in_the_server(serve) -> None:
    port, proc = serve
    started = time.monotonic()
    status, body = get(port, CARTESIAN)
    assert time.monotonic() - started < 2 + 1
    assert status == 503 and "time limit" in body
    before = cpu_of(tree(proc.pid))
    time.sleep(1.5)
    assert cpu_of(tree(proc.pid)) - before < 0.3  # nothing goes on evaluating
    assert get(port, read("surveys")[1])[0] == 200


def test_killed_server_leaves_no_process_and_no_folder(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = start_serve(port, "--timeout", "600", env=env)
    worker = threading.Thread(target=lambda: _quietly(get, port, CARTESIAN, timeout=60), daemon=True)
    worker.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(tree(proc.pid)) < 2:  # the query's worker process
        time.sleep(0.05)
    family = tree(proc.pid)
    assert len(family) >= 2
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(running(p) for p in family):
        time.sleep(0.1)
    assert not any(running(p) for p in family)
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
    assert not list(tmp_path.glob(TEMP_PREFIX + "*"))


def _quietly(fn, *args, **kwargs) -> None:
    try:
        fn(*args, **kwargs)
    except OSError:
        pass


def test_stale_database_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    stale = tmp_path / f"{TEMP_PREFIX}{int(dead.stdout)}-abc"
    (stale / "db").mkdir(parents=True)
    live = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-def"
    live.mkdir()
    other = tmp_path / "alignsurvey-oxigraph-notours"
    other.mkdir()
    assert remove_stale_folders(tmp_path) == [stale]
    assert not stale.exists() and live.exists() and other.exists()


@pytest.fixture(scope="module")
def in_process():
    """Our server in this process, over the bundled graph: for protocol details."""
    engine = open_engine(timeout=30, memory_limit=1024)
    server = QueryServer(engine, 0)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, engine
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name", bundled_names())
def test_answers_match_the_embedded_engine(in_process, name: str) -> None:
    server, engine = in_process
    remote = open_engine(endpoint=server.url, timeout=30)
    text = read(name)[1]
    assert remote.select(text) == engine.select(text)


def test_protocol_formats_and_refusals(in_process) -> None:
    server, _ = in_process
    port = server.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "GET", "/query?" + urllib.parse.urlencode({"query": read("surveys")[1]}), headers={"Accept": "text/csv"}
    )
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/csv")
    assert response.read().decode().splitlines()[0] == "survey,title,references"
    body = "CONSTRUCT { ?s a ?t } WHERE { ?s a <https://w3id.org/alignsurvey/ontology#Survey> ; a ?t }"
    conn.request(
        "POST", "/query", body=body, headers={"Content-Type": "application/sparql-query", "Accept": "text/turtle"}
    )
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/turtle")
    assert b"align:Survey" in response.read()
    for method, path, data, ctype, status in (
        ("POST", "/update", b"update=DROP+ALL", "application/x-www-form-urlencoded", 403),
        ("POST", "/query", b"update=DROP+ALL", "application/x-www-form-urlencoded", 403),
        ("POST", "/query", b"DROP ALL", "application/sparql-query", 403),
        ("GET", "/query?query=SELEC", None, None, 400),
        ("PUT", "/store", b"x", "text/turtle", 405),
        ("GET", "/nothing", None, None, 404),
    ):
        conn.request(method, path, body=data, headers={"Content-Type": ctype} if ctype else {})
        response = conn.getresponse()
        response.read()
        assert response.status == status, (method, path, data)
        conn.close()  # refusals close the connection (an unread body must not become a request)
    conn.close()


def test_negotiation() -> None:
    assert negotiate(None, RESULT_TYPES) == "json"
    assert negotiate("text/tab-separated-values, */*;q=0.1", RESULT_TYPES) == "tsv"
    assert negotiate("application/sparql-results+xml;q=0.5, application/sparql-results+json", RESULT_TYPES) == "json"
    assert negotiate("image/png", RESULT_TYPES) is None


def test_allow_service_is_an_explicit_switch(service_witness) -> None:
    """With --allow-service (here: the engine's policy) the server does call services, network and all."""
    server = QueryServer(open_engine(timeout=10, allow_service=True), 0)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        token = service_witness.token()
        status, _ = get(server.port, f"SELECT * {{ SERVICE SILENT <{service_witness.url(token)}> {{ ?s ?p ?o }} }}")
        assert status == 200 and service_witness.called(token)
    finally:
        server.shutdown()
        server.server_close()
