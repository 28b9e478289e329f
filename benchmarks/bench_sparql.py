"""Compare SPARQL engines on the competency queries and print medians and ratios.

    python benchmarks/bench_sparql.py [--sizes 1,10,100] [--repeat 7] [--limit 60]
    python benchmarks/bench_sparql.py --engines rdflib,pyoxigraph,maplib,owlready2   # candidates

Engines: rdflib's in-memory store, rdflib over oxrdflib (the Oxigraph store
behind rdflib's API), pyoxigraph directly, and our own layers over it (the
API's ``select()`` and the CLI's CSV writer).  Two more candidates run when
asked for and installed (``pip install -e '.[bench]'``): maplib (a
Polars-based engine that evaluates joins column-wise) and owlready2 (SPARQL
translated to SQLite).  Each (engine, size) runs in its own process; a query
past ``--limit`` seconds is reported as timed out and the process is
restarted for the remaining queries.

Answers are compared with pyoxigraph's as multisets of rows, each term
written as kind, lexical form, datatype and language, so a count typed
``xsd:unsignedInt`` differs from the ``xsd:integer`` SPARQL 1.1 requires
(owlready2 returns Python values without datatypes: it is compared on
lexical forms only, marked ``~``).  Ratios are printed two ways: total
suite time over pyoxigraph's, and the geometric mean of per-query ratios.
Also prints the cold ``alignsurvey query`` beside the raw pyoxigraph script (``--cold``).  Figures are printed, never
asserted.

    python benchmarks/bench_sparql.py --overhead [--repeat 15]

prints what evaluating in a worker process costs per competency query on the
bundled graph: pyoxigraph in this process, our API with a warm worker (the
default), and our API forking a fresh worker for every query.

    python benchmarks/bench_sparql.py --cold [--repeat 7]

prints only the cold ``alignsurvey query surveys --format csv`` beside a raw
pyoxigraph script doing the same load and query, CPU and wall seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the package, also when not installed
QUERIES = sorted((ROOT / "examples" / "queries").glob("*.rq"))
ENGINES = ("rdflib", "oxrdflib", "pyoxigraph", "api", "api+csv")


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LEXICAL_ONLY = ("owlready2",)


def _canon(rows: list[list[str]]) -> list[str]:
    return sorted("\x1f".join(r) for r in rows)


def _cell(kind: str, value: str, datatype: str | None = None, language: str | None = None) -> str:
    """One term as comparable text; plain strings and xsd:string are the same term."""
    if language or datatype == XSD_STRING:
        datatype = None
    return f"{kind}|{value}|{datatype or ''}|{(language or '').lower()}"


def _rdflib_cell(t: object) -> str:
    import rdflib

    if t is None:
        return ""
    if isinstance(t, rdflib.Literal):
        return _cell("literal", str(t), str(t.datatype) if t.datatype else None, t.language)
    return _cell("bnode" if isinstance(t, rdflib.BNode) else "iri", str(t))


def _ox_cell(t: object) -> str:
    """A pyoxigraph term, read through the package's own :class:`Term` (as the API returns it)."""
    if t is None:
        return ""
    from sphinxcontrib_alignsurvey.sparql.term import Term

    term = Term.from_oxigraph(t)
    return _cell(term.kind, term.value, term.datatype, term.language)


def _lexical(cell: str) -> str:
    """The value field of a cell; IRIs cannot hold '|', so the last two fields split off safely."""
    return cell.split("|", 1)[1].rsplit("|", 2)[0] if cell else ""


def child(engine: str, data: str, names: list[str], repeat: int) -> None:
    """Load *data* with *engine*, time each query, print one JSON line per query.

    ``run`` is what is timed: the query plus reading every value out, as a
    caller would.  ``typed`` gives the comparable answer and is not timed.
    """
    t0 = time.perf_counter()
    if engine in ("rdflib", "oxrdflib"):
        import rdflib

        g = rdflib.Dataset(store="Oxigraph") if engine == "oxrdflib" else rdflib.Graph()
        g.parse(data, format="nt" if data.endswith(".nt") else "turtle")

        def run(q: str) -> object:
            return [["" if v is None else str(v) for v in row] for row in g.query(q)]

        def typed(q: str) -> list[list[str]]:
            return [[_rdflib_cell(v) for v in row] for row in g.query(q)]
    elif engine == "maplib":
        import maplib

        model = maplib.Model()
        model.read(data)

        def run(q: str) -> object:
            return model.query(q).rows()

        def typed(q: str) -> list[list[str]]:
            import pyoxigraph as ox

            answer = ox.parse_query_results(model.query(q, return_json=True), ox.QueryResultsFormat.JSON)
            # compare in the query's projection order, which maplib's "vars" need not follow
            names = [v.value for v in ox.Store().query(q).variables]
            return [[_ox_cell(s[n]) for n in names] for s in answer]
    elif engine == "owlready2":
        import owlready2

        source = data
        if not data.endswith(".nt"):  # owlready2 reads N-Triples, not Turtle
            import pyoxigraph as ox

            source = os.path.join(tempfile.mkdtemp(), "graph.nt")
            ox.serialize(ox.parse(path=data, format=ox.RdfFormat.TURTLE), source, ox.RdfFormat.N_TRIPLES)
        world = owlready2.World()
        world.get_ontology(Path(source).resolve().as_uri()).load(format="ntriples")

        def run(q: str) -> list[list[str]]:
            rows = world.sparql(q, error_on_undefined_entities=False)
            return [["" if v is None else str(getattr(v, "iri", v)) for v in row] for row in rows]

        typed = run
    else:
        import io

        from sphinxcontrib_alignsurvey.sparql import open_engine
        from sphinxcontrib_alignsurvey.sparql.formats import write_csv

        eng = open_engine([data])
        store = eng.store

        def typed(q: str) -> list[list[str]]:
            r = store.query(q, use_default_graph_as_union=True)
            n = len(r.variables)
            return [[_ox_cell(s[i]) for i in range(n)] for s in r]

        if engine == "pyoxigraph":

            def run(q: str) -> object:
                r = store.query(q, use_default_graph_as_union=True)
                n = len(r.variables)
                return [["" if s[i] is None else s[i].value for i in range(n)] for s in r]
        elif engine == "api":

            def run(q: str) -> object:
                return [["" if t is None else t.value for t in row] for row in eng.select(q).rows]

            def typed(q: str) -> list[list[str]]:
                return [
                    ["" if t is None else _cell(t.kind, t.value, t.datatype, t.language) for t in row]
                    for row in eng.select(q).rows
                ]
        else:

            def run(q: str) -> object:
                a = eng.execute(q)
                out = io.StringIO()
                write_csv(a.columns, a.rows, out)
                return out.getvalue()

    print(json.dumps({"load": time.perf_counter() - t0}), flush=True)
    for name in names:
        q = (ROOT / "examples" / "queries" / f"{name}.rq").read_text()
        times = []
        try:
            for _ in range(repeat + 1):  # first run warms up
                t = time.perf_counter()
                run(q)
                times.append(time.perf_counter() - t)
            rows = typed(q)
        except Exception as exc:  # a candidate engine that cannot answer is a result, not a crash
            print(json.dumps({"query": name, "error": f"{type(exc).__name__}: {exc}"[:300]}), flush=True)
            continue
        print(json.dumps({"query": name, "median": statistics.median(times[1:]), "rows": _canon(rows)}), flush=True)


def measure(engine: str, data: str, names: list[str], repeat: int, limit: float) -> tuple[float | None, dict]:
    """Run the child, restarting past a timed-out query; returns load time and per-query results."""
    results: dict[str, dict] = {}
    load = None
    todo = list(names)
    while todo:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", engine, data, ",".join(todo), str(repeat)],
            stdout=subprocess.PIPE,
            text=True,
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


RAW_QUERY = r"""
import sys, pyoxigraph as ox
store = ox.Store()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TURTLE)
with open(sys.argv[2], encoding="utf-8") as fh:
    answer = store.query(fh.read())
sys.stdout.buffer.write(answer.serialize(format=ox.QueryResultsFormat.CSV))
"""


def cold(rounds: int = 5) -> None:
    """A cold ``alignsurvey query surveys --format csv`` beside the raw pyoxigraph script doing the
    same load and query (above), in interleaved rounds of fresh processes; CPU seconds compared."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from proctime import compile_package, run, summary

    compile_package(ROOT)
    exe = Path(sys.executable).parent / "alignsurvey"
    graph = ROOT / "sphinxcontrib_alignsurvey" / "data" / "bundled" / "graph.ttl"
    commands = {
        "raw pyoxigraph script": [
            sys.executable,
            "-c",
            RAW_QUERY,
            str(graph),
            str(ROOT / "examples/queries/surveys.rq"),
        ],
        "alignsurvey query (cold)": [str(exe), "query", "surveys", "--format", "csv"],
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            runs[name].append(run(cmd))
    base = min(c for _, c in runs["raw pyoxigraph script"])
    print(f"\ncold query, {rounds} interleaved rounds of fresh processes (seconds):")
    print(f"{'':28} {'wall min':>9} {'median':>7} {'CPU min':>8} {'median':>7} {'x raw':>6}")
    for name, pairs in runs.items():
        wall_min, wall_med, cpu_min, cpu_med = summary(pairs)
        print(f"{name:28} {wall_min:>9.3f} {wall_med:>7.3f} {cpu_min:>8.3f} {cpu_med:>7.3f} {cpu_min / base:>5.2f}x")
    print("target: the cold query at most 1.3x the raw script (CPU minima)")


def _compare(engine: str, result: dict, base: dict | None) -> str:
    """' ' same answer as pyoxigraph, '!' different, '~' same lexical forms (untyped engine)."""
    if engine == "api+csv" or not base or "rows" not in base:
        return " "
    if engine in LEXICAL_ONLY:
        lexical = _canon([[_lexical(c) for c in row.split("\x1f")] for row in base["rows"]])
        return "~" if result["rows"] == lexical else "!"
    return " " if result["rows"] == base["rows"] else "!"


def overhead(repeat: int) -> None:
    """Per-query cost of the worker process (see sparql/evaluator.py), on the bundled graph."""
    from sphinxcontrib_alignsurvey.sparql import open_engine
    from sphinxcontrib_alignsurvey.sparql.evaluator import Evaluator

    warm = open_engine()
    store = warm.store
    cold = open_engine()
    cold.evaluator = Evaluator(cold.store, reuse=False)  # type: ignore[union-attr]

    def direct(q: str) -> object:
        r = store.query(q, use_default_graph_as_union=True)
        n = len(r.variables)
        return [tuple(s[i] for i in range(n)) for s in r]

    runners = {"pyoxigraph": direct, "api, warm worker": warm.select, "api, fork per query": cold.select}
    print(f"# per-query median ms over {repeat} runs, bundled graph ({len(store)} triples)")
    print(f"{'query':22}" + "".join(f"{k:>22}" for k in runners))
    totals = dict.fromkeys(runners, 0.0)
    for path in QUERIES:
        q = path.read_text()
        cells = []
        for label, run in runners.items():
            run(q)  # warm-up
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                run(q)
                times.append(time.perf_counter() - t)
            med = statistics.median(times)
            totals[label] += med
            cells.append(f"{med * 1000:22.2f}")
        print(f"{path.stem:22}" + "".join(cells))
    print(f"{'suite total':22}" + "".join(f"{v * 1000:22.1f}" for v in totals.values()))
    base = totals["pyoxigraph"]
    print(f"{'added per query':22}" + "".join(f"{(v - base) / len(QUERIES) * 1000:22.2f}" for v in totals.values()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per query before 'timed out'")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--overhead", action="store_true", help="only the cost of the worker process per query")
    ap.add_argument("--cold", action="store_true", help="only the cold CLI query beside the raw pyoxigraph script")
    args = ap.parse_args()
    if args.overhead:
        overhead(args.repeat)
        return
    if args.cold:
        cold(args.repeat)
        return
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
            table: dict[str, tuple[float | None, dict]] = {
                e: measure(e, data, names, args.repeat, args.limit) for e in engines
            }
            base = table.get("pyoxigraph", (None, {}))[1]
            print(
                f"\n## size x{size}  (median ms, warm; ratio = engine / pyoxigraph; "
                "'!' = answer differs, '~' = same lexical forms, types not compared)"
            )
            print("load s: " + "  ".join(f"{e}={table[e][0]:.2f}" if table[e][0] else f"{e}=-" for e in engines))
            print(f"{'query':22}" + "".join(f"{e:>14}" for e in engines))
            totals = {e: 0.0 for e in engines}
            complete = {e: True for e in engines}
            logs = {e: 0.0 for e in engines}
            errors: list[str] = []
            for name in names:
                cells = []
                for e in engines:
                    r = table[e][1].get(name, {})
                    if "median" not in r:
                        complete[e] = False
                        cells.append(f"{'timeout' if r.get('timeout') else 'error':>14}")
                        if r.get("error"):
                            errors.append(f"{e} {name}: {r['error']}")
                        continue
                    totals[e] += r["median"]
                    mark = _compare(e, r, base.get(name))
                    cells.append(f"{r['median'] * 1000:13.2f}{mark}")
                    if name in base and "median" in base[name]:
                        logs[e] += math.log(r["median"] / base[name]["median"])
                print(f"{name:22}" + "".join(cells))
            ox_total = totals.get("pyoxigraph") or float("nan")
            print(
                f"{'suite total':22}"
                + "".join(f"{totals[e] * 1000:13.1f}{' ' if complete[e] else '+'}" for e in engines)
            )
            print(
                f"{'ratio of totals':22}"
                + "".join(f"{(totals[e] / ox_total if complete[e] else float('inf')):13.2f}x" for e in engines)
            )
            print(
                f"{'geomean of ratios':22}"
                + "".join(
                    f"{(math.exp(logs[e] / len(names)) if complete[e] else float('inf')):13.2f}x" for e in engines
                )
            )
            for line in errors:
                print("  error: " + line)
    cold()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4].split(","), int(sys.argv[5]))
    else:
        main()
