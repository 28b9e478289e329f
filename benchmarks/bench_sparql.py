"""Compare SPARQL engines on the competency queries and print medians and ratios.

    python benchmarks/bench_sparql.py [--sizes 1,10,100] [--repeat 7] [--limit 60]

Engines: rdflib's in-memory store, rdflib over oxrdflib (the Oxigraph store
behind rdflib's API), pyoxigraph directly, and our own layers over it (the
API's ``select()`` and the CLI's CSV writer).  Each (engine, size) runs in
its own process; a query past ``--limit`` seconds is reported as timed out
and the process is restarted for the remaining queries.  Answers are
compared with pyoxigraph's (as multisets of rows).  Also prints the cold
``alignsurvey query`` time.  Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "examples" / "queries").glob("*.rq"))
ENGINES = ("rdflib", "oxrdflib", "pyoxigraph", "api", "api+csv")


def _canon(rows: list[list[str]]) -> list[str]:
    return sorted("\x1f".join(r) for r in rows)


def child(engine: str, data: str, names: list[str], repeat: int) -> None:
    """Load *data* with *engine*, time each query, print one JSON line per query."""
    t0 = time.perf_counter()
    if engine in ("rdflib", "oxrdflib"):
        import rdflib

        g = rdflib.Dataset(store="Oxigraph") if engine == "oxrdflib" else rdflib.Graph()
        g.parse(data, format="nt" if data.endswith(".nt") else "turtle")

        def run(q: str) -> list[list[str]]:
            res = g.query(q)
            return [["" if v is None else str(v) for v in row] for row in res]
    else:
        import io

        import pyoxigraph as ox

        sys.path.insert(0, str(ROOT))
        from sphinxcontrib_alignsurvey.sparql import open_engine
        from sphinxcontrib_alignsurvey.sparql.formats import write_csv

        eng = open_engine([data])
        store = eng.store

        if engine == "pyoxigraph":

            def run(q: str) -> list[list[str]]:
                r = store.query(q, use_default_graph_as_union=True)
                n = len(r.variables)
                return [["" if s[i] is None else s[i].value for i in range(n)] for s in r]
        elif engine == "api":

            def run(q: str) -> list[list[str]]:
                return [["" if t is None else t.value for t in row] for row in eng.select(q).rows]
        else:

            def run(q: str) -> list[list[str]]:
                a = eng.execute(q)
                out = io.StringIO()
                write_csv(a.columns, a.rows, out)
                return [[str(len(out.getvalue()))]]
    print(json.dumps({"load": time.perf_counter() - t0}), flush=True)
    for name in names:
        q = (ROOT / "examples" / "queries" / f"{name}.rq").read_text()
        times, rows = [], []
        for _ in range(repeat + 1):  # first run warms up
            t = time.perf_counter()
            rows = run(q)
            times.append(time.perf_counter() - t)
        print(json.dumps({"query": name, "median": statistics.median(times[1:]), "rows": _canon(rows)}), flush=True)


def measure(engine: str, data: str, names: list[str], repeat: int, limit: float) -> tuple[float | None, dict]:
    """Run the child, restarting past a timed-out query; returns load time and per-query results."""
    results: dict[str, dict] = {}
    load = None
    todo = list(names)
    while todo:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", engine, data, ",".join(todo), str(repeat)],
            stdout=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + limit * (repeat + 1) + 600  # loading is not the query's time
        started = None
        import selectors

        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
        while True:
            wait = (started + limit * (repeat + 1) - time.monotonic()) if started else (deadline - time.monotonic())
            if wait <= 0 or not sel.select(timeout=wait):
                proc.kill()
                proc.wait()
                results[todo[0]] = {"timeout": True}
                todo = todo[1:]
                break
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                proc.wait()
                for name in todo:
                    results[name] = {"error": f"exit {proc.returncode}"}
                todo = []
                break
            msg = json.loads(line)
            started = time.monotonic()
            if "load" in msg:
                load = msg["load"] if load is None else load
                continue
            results[msg["query"]] = msg
            todo.remove(msg["query"])
            if not todo:
                proc.wait()
                break
    return load, results


def cold_cli(repeat: int = 5) -> float:
    times = []
    exe = Path(sys.executable).parent / "alignsurvey"
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([str(exe), "query", "surveys", "--format", "csv"], capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per query before 'timed out'")
    ap.add_argument("--engines", default=",".join(ENGINES))
    args = ap.parse_args()
    names = [q.stem for q in QUERIES]
    engines = args.engines.split(",")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scale_graph import scale

    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            if size == 1:
                data = str(ROOT / "sphinxcontrib_alignsurvey" / "data" / "bundled" / "graph.ttl")
            else:
                data = os.path.join(tmp, f"graph-x{size}.nt")
                print(f"# generated {scale(size, Path(data))} triples for x{size}", flush=True)
            table: dict[str, tuple[float | None, dict]] = {e: measure(e, data, names, args.repeat, args.limit) for e in engines}
            base = table.get("pyoxigraph", (None, {}))[1]
            print(f"\n## size x{size}  (median ms, warm; ratio = engine / pyoxigraph; '!' = answer differs)")
            print("load s: " + "  ".join(f"{e}={table[e][0]:.2f}" if table[e][0] else f"{e}=-" for e in engines))
            print(f"{'query':22}" + "".join(f"{e:>14}" for e in engines))
            totals = {e: 0.0 for e in engines}
            complete = {e: True for e in engines}
            for name in names:
                cells = []
                for e in engines:
                    r = table[e][1].get(name, {})
                    if "median" not in r:
                        complete[e] = False
                        cells.append(f"{'timeout' if r.get('timeout') else 'error':>14}")
                        continue
                    totals[e] += r["median"]
                    same = e in ("api+csv",) or name not in base or r["rows"] == base[name]["rows"]
                    cells.append(f"{r['median'] * 1000:13.2f}{' ' if same else '!'}")
                print(f"{name:22}" + "".join(cells))
            ox_total = totals.get("pyoxigraph") or float("nan")
            print(f"{'suite total':22}" + "".join(
                f"{totals[e] * 1000:13.1f}{' ' if complete[e] else '+'}" for e in engines))
            print(f"{'ratio to pyoxigraph':22}" + "".join(
                f"{(totals[e] / ox_total if complete[e] else float('inf')):13.2f}x" for e in engines))
    print(f"\ncold `alignsurvey query surveys --format csv`: {cold_cli() * 1000:.0f} ms (median of 5)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4].split(","), int(sys.argv[5]))
    else:
        main()
