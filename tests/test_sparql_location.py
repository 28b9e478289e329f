"""``serve --location DIR``: the graph is loaded into a database folder once, reused while the inputs are unchanged."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest

from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH
from sphinxcontrib_alignsurvey.sparql import QueryError, open_engine
from sphinxcontrib_alignsurvey.sparql.api import EmbeddedEngine
from sphinxcontrib_alignsurvey.sparql.location import MANIFEST, open_store
from sphinxcontrib_alignsurvey.sparql.queries import bundled_names, read
from sphinxcontrib_alignsurvey.sparql.server import free_port, wait_until_listening


def test_reused_while_the_inputs_are_unchanged_reloaded_when_they_change(tmp_path) -> None:
    graph = tmp_path / "graph.ttl"
    shutil.copyfile(BUNDLED_GRAPH, graph)
    location = tmp_path / "store"
    store, reused = open_store(location, [graph])
    assert not reused and len(store) > 50_000
    del store
    stamp = (location / MANIFEST).stat().st_mtime_ns
    store, reused = open_store(location, [graph])
    assert reused and (location / MANIFEST).stat().st_mtime_ns == stamp
    del store
    with open(graph, "a", encoding="utf-8") as fh:
        fh.write('\n<urn:new> <urn:p> "added" .\n')
    store, reused = open_store(location, [graph])
    assert not reused and any(store.quads_for_pattern(ox.NamedNode("urn:new"), None, None))


def test_every_competency_query_answers_as_in_memory(tmp_path) -> None:
    store, _ = open_store(tmp_path / "store", [BUNDLED_GRAPH])
    on_disk, in_memory = EmbeddedEngine(store, [BUNDLED_GRAPH]), open_engine()
    for name in bundled_names():
        text = read(name)[1]
        assert on_disk.select(text) == in_memory.select(text), name


def test_a_folder_that_is_not_a_store_is_refused(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(QueryError, match="not an alignsurvey store"):
        open_store(tmp_path, [BUNDLED_GRAPH])
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_serve_location_starts_without_reloading(tmp_path) -> None:
    local = open_engine()

    def serve_once() -> str:
        port = free_port()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sphinxcontrib_alignsurvey.cli",
                "serve",
                "--port",
                str(port),
                "--location",
                str(tmp_path / "store"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_until_listening(proc, port, limit=60)  # type: ignore[arg-type]
            remote = open_engine(endpoint=f"http://127.0.0.1:{port}/query")
            assert remote.select(read("citation-edges")[1]) == local.select(read("citation-edges")[1])
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=20)
        return err.decode()

    assert "loaded the store" in serve_once()
    assert "reused the store" in serve_once()
