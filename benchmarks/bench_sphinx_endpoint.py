"""An unchanged Sphinx rebuild against an endpoint, against the embedded engine's cached rebuild.

    python benchmarks/bench_sphinx_endpoint.py [--size 10] [--runs 3] [--store oxigraph|virtuoso] [--modes count,none]
    python benchmarks/bench_sphinx_endpoint.py --graph g100.nt --size 100 --endpoint http://127.0.0.1:7878/query

The test project ``tests/roots/test-alignsurvey-basic`` is built over the
graph at --size times the bundled one: once from the file (embedded engine,
catalog cached under the file's digest) and once from a store on 127.0.0.1
loaded with the same graph (``alignsurvey_endpoint``), with each
``alignsurvey_endpoint_fingerprint`` mode ("none" is the old behaviour:
the whole graph is read at every build).  After a first build, the unchanged
rebuild is timed (the whole ``sphinx-build`` process, median of --runs) and
the graph-loading step the extension logs.  Target: endpoint rebuild within
2x of the embedded one.  Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import scale_graph  # noqa: E402

from sphinxcontrib_alignsurvey.cli import main as cli  # noqa: E402

PROJECT = ROOT / "tests" / "roots" / "test-alignsurvey-basic"
LOADED = re.compile(r"alignsurvey: \d+ objects from .* in ([\d.]+) s( \(cached\))?")


def project(work: Path, name: str, settings: str) -> Path:
    src = work / name
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(PROJECT, src)
    with open(src / "conf.py", "a", encoding="utf-8") as fh:
        fh.write("\n" + settings + "\n")
    return src


def build(src: Path) -> tuple[float, float | None, bool]:
    """(wall seconds of sphinx-build, seconds the extension took to load the graph, from its cache?)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", str(src), str(src / "_build" / "html")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"sphinx-build failed:\n{done.stderr[-2000:]}")
    found = LOADED.search(done.stdout + done.stderr)
    return wall, (float(found.group(1)) if found else None), bool(found and found.group(2))


def measure(src: Path, runs: int) -> tuple[float, float, float | None, bool]:
    first = build(src)[0]
    rebuilds = [build(src) for _ in range(runs)]
    return (
        first,
        statistics.median(r[0] for r in rebuilds),
        statistics.median(r[1] for r in rebuilds if r[1] is not None),
        all(r[2] for r in rebuilds),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store", choices=["oxigraph", "virtuoso"], default="oxigraph")
    parser.add_argument("--modes", default="count,digest,none", help="alignsurvey_endpoint_fingerprint values")
    parser.add_argument("--graph", type=Path, help="use this graph file instead of generating one")
    parser.add_argument("--endpoint", help="a store already loaded with that graph (no store is started)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="alignsurvey-bench-sphinx-endpoint-"))
    try:
        graph = args.graph or work / f"graph-{args.size}x.nt"
        if args.graph is None:
            triples = scale_graph.scale(args.size, graph)
        else:
            with open(graph, "rb") as fh:
                triples = sum(1 for _ in fh)  # N-Triples: one triple a line
        print(f"graph: {args.size}x, {triples:,} triples; project {PROJECT.name}; median of {args.runs} rebuilds")
        rows = [
            (
                "embedded (file)",
                measure(project(work, "embedded", f"alignsurvey_sources = [{str(graph)!r}]"), args.runs),
            )
        ]
        with contextlib.nullcontext(args.endpoint) if args.endpoint else _store(args.store, graph, work) as url:
            for how in args.modes.split(","):
                settings = f"alignsurvey_endpoint = {url!r}\nalignsurvey_endpoint_fingerprint = {how!r}"
                rows.append((f"{args.store} ({how})", measure(project(work, f"endpoint-{how}", settings), args.runs)))
        base = rows[0][1][1]
        print(f"{'source':24s} {'first s':>8s} {'rebuild s':>10s} {'graph s':>8s} {'cached':>7s} {'x embedded':>11s}")
        for name, (first, rebuild, loading, cached) in rows:
            print(
                f"{name:24s} {first:8.2f} {rebuild:10.2f} {loading or 0:8.2f} {'yes' if cached else 'no':>7s} "
                f"{rebuild / base:10.2f}x"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


class _store:
    """A store on 127.0.0.1 loaded with the graph; yields its query URL."""

    def __init__(self, kind: str, graph: Path, work: Path) -> None:
        self.kind, self.graph, self.work = kind, graph, work

    def __enter__(self) -> str:
        from sphinxcontrib_alignsurvey.sparql.server import _die_with_parent, free_port, oxigraph_binary

        if self.kind == "virtuoso":
            from sphinxcontrib_alignsurvey.sparql import virtuoso

            self.ctx = virtuoso.running(self.work / "virtuoso")
            server = self.ctx.__enter__()
            os.environ["ALIGNSURVEY_ENDPOINT_USER"] = "dba"
            os.environ["ALIGNSURVEY_ENDPOINT_PASSWORD"] = server.password
            cli(
                [
                    "load",
                    str(self.graph),
                    "--endpoint",
                    server.store_url,
                    "--graph",
                    server.graph,
                    "--state-dir",
                    str(self.work / "state"),
                ]
            )
            return server.query_url
        port = free_port()
        self.proc = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(self.work / "oxigraph-db"), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        from sphinxcontrib_alignsurvey.sparql.server import wait_until_listening

        wait_until_listening(self.proc, port, 60)
        cli(
            [
                "load",
                str(self.graph),
                "--endpoint",
                f"http://127.0.0.1:{port}/store",
                "--state-dir",
                str(self.work / "state"),
            ]
        )
        return f"http://127.0.0.1:{port}/query"

    def __exit__(self, *exc: object) -> None:
        if self.kind == "virtuoso":
            self.ctx.__exit__(None, None, None)
        else:
            self.proc.terminate()
            self.proc.wait(60)


if __name__ == "__main__":
    main()
