"""Load the graph at 1x/10x (100x with --with-100x) into each store and run every competency query.

    python benchmarks/bench_scale.py [--sizes 1,10] [--with-100x] [--stores embedded,oxigraph,virtuoso]
                                     [--repeat 3] [--chunk 100000] [--work DIR] [--bulk]

Stores: the embedded engine (pyoxigraph in memory, through our API),
``location`` (``serve --location``: pyoxigraph on RocksDB through our API;
its "bulk s" column is the reopen time of an unchanged folder), the
Oxigraph server (PyPI ``oxigraph``, RocksDB in a temporary folder) and
Virtuoso (Debian's ``virtuoso-opensource``, project-written ini), both on
127.0.0.1 with free ports and loaded with ``alignsurvey load`` (bounded
chunks over the Graph Store Protocol; Virtuoso with HTTP Digest).  With
``--bulk`` each server's own bulk loader is timed too (``oxigraph load`` into
another folder; Virtuoso's ``ld_add``/``rdf_loader_run()`` into another graph).

Printed per store and size: load time, the server process's memory (RSS
after loading and its peak, VmHWM, after the queries), the suite's total
query time (the median of --repeat runs per query) and how many answers are
identical to the embedded engine's (term by term; in order where the query
has an ORDER BY).  Figures are printed, never asserted.  The Oxigraph 100x
target (server memory under 1.5 GB during the load) is printed as met or not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import scale_graph  # noqa: E402

from sphinxcontrib_alignsurvey.cli import main as cli  # noqa: E402
from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH  # noqa: E402
from sphinxcontrib_alignsurvey.sparql import open_engine, safety  # noqa: E402
from sphinxcontrib_alignsurvey.sparql.queries import bundled_names, read  # noqa: E402

OXIGRAPH_TARGET_MB = 1536


def memory(pid: int) -> tuple[float, float]:
    """(RSS, peak RSS) of a process in MB, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def ordered(text: str) -> bool:
    return any(t.kind == "word" and t.text.upper() == "ORDER" for t in safety.tokens(text))


def same(text: str, mine: object, theirs: object) -> bool:
    if theirs.columns != mine.columns:  # type: ignore[attr-defined]
        return False
    if ordered(text):
        return theirs.rows == mine.rows  # type: ignore[attr-defined]
    return sorted(map(repr, theirs.rows)) == sorted(map(repr, mine.rows))  # type: ignore[attr-defined]


def run_queries(engine: object, repeat: int, reference: dict | None) -> tuple[dict, dict, dict]:
    """Per query: median seconds, the answer, and whether it matches *reference* (None: it is the reference)."""
    times, answers, identical = {}, {}, {}
    for name in bundled_names():
        text = read(name)[1]
        runs = []
        answer = None
        for _ in range(repeat):
            start = time.perf_counter()
            try:
                answer = engine.select(text)  # type: ignore[attr-defined]
            except Exception as exc:  # a benchmark reports every failure and goes on
                answer = exc
                break
            runs.append(time.perf_counter() - start)
        times[name] = statistics.median(runs) if runs else None
        answers[name] = answer
        if reference is not None:
            ok = not isinstance(answer, Exception) and same(text, reference[name], answer)
            identical[name] = ok if not isinstance(answer, Exception) else f"error: {str(answer)[:120]}"
    return times, answers, identical


def wait_port(proc: subprocess.Popen, port: int, limit: float = 120) -> None:
    from sphinxcontrib_alignsurvey.sparql.server import wait_until_listening

    wait_until_listening(proc, port, limit)


def bench_embedded(path: Path, repeat: int) -> tuple[dict, dict]:
    before = memory(os.getpid())[0]
    start = time.perf_counter()
    engine = open_engine([path])
    load = time.perf_counter() - start
    times, answers, _ = run_queries(engine, repeat, None)
    after = memory(os.getpid())
    row = {"load": load, "rss": after[0] - before, "peak": None, "times": times, "identical": None}
    engine.evaluator.close()  # type: ignore[union-attr]
    return row, answers


def bench_location(path: Path, repeat: int, work: Path, reference: dict) -> dict:
    """``serve --location``: pyoxigraph on RocksDB, loaded once ("load s"), then reopened ("bulk s": reuse)."""
    from sphinxcontrib_alignsurvey.sparql.api import EmbeddedEngine
    from sphinxcontrib_alignsurvey.sparql.location import open_store

    folder = work / "location"
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    store, _ = open_store(folder, [path])
    load = time.perf_counter() - start
    del store
    start = time.perf_counter()
    store, reused = open_store(folder, [path])
    reopen = time.perf_counter() - start
    engine = EmbeddedEngine(store, [path])
    times, _, identical = run_queries(engine, repeat, reference)
    engine.evaluator.close()
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "load": load,
        "bulk": reopen if reused else None,
        "rss": None,
        "peak": None,
        "times": times,
        "identical": identical,
    }


def bench_oxigraph(path: Path, repeat: int, chunk: int, work: Path, reference: dict, bulk: bool) -> dict:
    from sphinxcontrib_alignsurvey.sparql.server import _die_with_parent, free_port, oxigraph_binary

    location = work / "oxigraph-db"
    shutil.rmtree(location, ignore_errors=True)
    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    row: dict = {}
    try:
        wait_port(proc, port)
        start = time.perf_counter()
        code = cli(
            [
                "load",
                str(path),
                "--endpoint",
                f"http://127.0.0.1:{port}/store",
                "--chunk",
                str(chunk),
                "--state-dir",
                str(work / "state"),
                "--restart",
            ]
        )
        row["load"] = time.perf_counter() - start if code == 0 else None
        row["rss"], load_peak = memory(proc.pid)
        row["load_peak"] = load_peak
        times, _, identical = run_queries(open_engine(endpoint=f"http://127.0.0.1:{port}/query"), repeat, reference)
        row["peak"] = memory(proc.pid)[1]
        row.update(times=times, identical=identical)
    finally:
        proc.terminate()
        proc.wait(60)
    shutil.rmtree(location, ignore_errors=True)
    if bulk:
        start = time.perf_counter()
        subprocess.run(
            [oxigraph_binary(), "load", "--location", str(location), "--file", str(path)],
            check=True,
            capture_output=True,
        )
        row["bulk"] = time.perf_counter() - start
        shutil.rmtree(location, ignore_errors=True)
    return row


def bench_virtuoso(path: Path, repeat: int, chunk: int, work: Path, reference: dict, bulk: bool) -> dict:
    from sphinxcontrib_alignsurvey.sparql import virtuoso

    folder = work / "virtuoso"
    shutil.rmtree(folder, ignore_errors=True)
    row: dict = {}
    with virtuoso.running(folder, memory_mb=2048) as server:
        os.environ["ALIGNSURVEY_ENDPOINT_USER"] = "dba"
        os.environ["ALIGNSURVEY_ENDPOINT_PASSWORD"] = server.password
        try:
            start = time.perf_counter()
            code = cli(
                [
                    "load",
                    str(path),
                    "--endpoint",
                    server.store_url,
                    "--graph",
                    server.graph,
                    "--chunk",
                    str(chunk),
                    "--state-dir",
                    str(work / "state"),
                    "--restart",
                ]
            )
            row["load"] = time.perf_counter() - start if code == 0 else None
            row["rss"], row["load_peak"] = memory(server.process.pid)
            times, _, identical = run_queries(open_engine(endpoint=server.query_url), repeat, reference)
            row["peak"] = memory(server.process.pid)[1]
            row.update(times=times, identical=identical)
            if bulk:
                copy = folder / path.name
                shutil.copyfile(path, copy)
                start = time.perf_counter()
                virtuoso.bulk_load(
                    server.sql_port, [copy], server.graph + "-bulk", user="dba", password=server.password
                )
                row["bulk"] = time.perf_counter() - start
        finally:
            os.environ.pop("ALIGNSURVEY_ENDPOINT_USER", None)
            os.environ.pop("ALIGNSURVEY_ENDPOINT_PASSWORD", None)
    shutil.rmtree(folder, ignore_errors=True)
    return row


def fmt(value: float | None, scale: float = 1.0, digits: int = 1) -> str:
    return "-" if value is None else f"{value * scale:,.{digits}f}"


def report(size: int, triples: int, rows: dict[str, dict]) -> None:
    print(f"\n== {size}x ({triples:,} triples) ==")
    print(
        f"{'store':10s} {'load s':>8s} {'bulk s':>8s} {'RSS MB':>8s} {'load peak':>10s} {'peak MB':>8s} "
        f"{'queries s':>10s} {'identical':>10s}"
    )
    for store, row in rows.items():
        times = [t for t in row["times"].values() if t is not None]
        total = sum(times) if len(times) == len(row["times"]) else None
        ident = row["identical"]
        same_count = "reference" if ident is None else f"{sum(v is True for v in ident.values())}/{len(ident)}"
        print(
            f"{store:10s} {fmt(row.get('load')):>8s} {fmt(row.get('bulk')):>8s} "
            f"{fmt(row.get('rss'), digits=0):>8s} {fmt(row.get('load_peak'), digits=0):>10s} "
            f"{fmt(row.get('peak'), digits=0):>8s} {fmt(total, digits=2):>10s} {same_count:>10s}"
        )
    names = bundled_names()
    print(f"\n{'query (ms)':22s}" + "".join(f"{s:>12s}" for s in rows))
    for name in names:
        print(f"{name:22s}" + "".join(f"{fmt(r['times'][name], 1000, 0):>12s}" for r in rows.values()))
    for store, row in rows.items():
        for name, ok in (row["identical"] or {}).items():
            if ok is not True:
                print(f"  {store} {name}: {'differs' if ok is False else ok}")
    oxi = rows.get("oxigraph")
    if oxi and oxi.get("load_peak") is not None:
        verdict = "met" if oxi["load_peak"] < OXIGRAPH_TARGET_MB else "NOT met"
        print(
            f"Oxigraph server peak memory during the load: {oxi['load_peak']:,.0f} MB "
            f"(target < {OXIGRAPH_TARGET_MB} MB: {verdict})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--with-100x", action="store_true", help="add the 100x graph (5.3M triples)")
    parser.add_argument("--stores", default="embedded,oxigraph,virtuoso")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--bulk", action="store_true", help="also time each server's own bulk loader")
    parser.add_argument("--work", type=Path, default=None, help="folder for graphs and databases (default: temp)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.with_100x and 100 not in sizes:
        sizes.append(100)
    stores = args.stores.split(",")
    work = args.work or Path(tempfile.mkdtemp(prefix="alignsurvey-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in sizes:
            if size == 1:
                path = BUNDLED_GRAPH
                triples = sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
            else:
                path = work / f"graph-{size}x.nt"
                triples = scale_graph.scale(size, path)
            repeat = 1 if size >= 100 else args.repeat
            rows: dict[str, dict] = {}
            embedded, reference = bench_embedded(path, repeat)
            if "embedded" in stores:
                rows["embedded"] = embedded
            if "location" in stores:
                rows["location"] = bench_location(path, repeat, work, reference)
            if "oxigraph" in stores:
                rows["oxigraph"] = bench_oxigraph(path, repeat, args.chunk, work, reference, args.bulk)
            if "virtuoso" in stores:
                rows["virtuoso"] = bench_virtuoso(path, repeat, args.chunk, work, reference, args.bulk)
            del reference
            report(size, triples, rows)
            sys.stdout.flush()
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
