"""Benchmark ``alignsurvey convert`` against its floors, end to end and at scale.

Every figure stands beside what it cannot beat, measured in the same
interleaved rounds (so a busy machine slows all of them alike), as wall
seconds and as CPU seconds of the process and the children it waited for
(a shared machine stretches wall time much more than CPU time; compare CPU):

* the import floor: ``python -c "import rdflib, pyoxigraph"``;
* pyoxigraph's own parse-and-serialise of the very triples the conversion
  wrote (N-Triples in, Turtle out), in a fresh process;
* ``alignsurvey convert`` of the two bundled surveys, in a fresh process.

Then generated corpora (1, 10, 100 surveys), each in a fresh process pinned to
one core: CPU seconds, triples per CPU second, peak memory, and a digest of the
output so runs can be compared for byte identity.

With ``--scale 10,100,1000``: the same corpora converted with ``--jobs`` 1, 2
and all cores (``--jobs-list``), in interleaved rounds of fresh processes:
wall seconds (min, median), the speed-up over one job and the parallel
efficiency (speed-up / jobs), CPU seconds of the parent and of the workers,
peak memory of the parent and of the largest worker, and the output digest
(which must be the same for every job count).  The machine may be shared:
the load average is printed with each row.

The package's bytecode is written first (as an installed copy has it), so no
figure counts compiling modules.

Run: python benchmarks/bench_convert.py [--sizes 1,10,100] [--rounds 5]
     python benchmarks/bench_convert.py --scale 10,100,1000 [--rounds 3] [--jobs-list 1,2]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import ROOT, SEEDS, generate  # noqa: E402
from proctime import compile_package, run, summary  # noqa: E402

SCALED = r"""
import json, os, sys, time
from pathlib import Path
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from sphinxcontrib_alignsurvey.convert import convert, write_graph
from sphinxcontrib_alignsurvey.convert.pool import peak_mb  # VmHWM: ru_maxrss counts the parent before exec
paths = sorted(Path(sys.argv[1]).glob("*.md"))
c0, w0 = time.process_time(), time.perf_counter()
conv = convert(paths)
c1 = time.process_time()
write_graph(conv, sys.argv[2], ["ttl"])
c2, w2 = time.process_time(), time.perf_counter()
print(json.dumps({"surveys": len(paths), "triples": conv.build.count, "works": len(conv.build.works),
  "bytes": sum(p.stat().st_size for p in paths), "build_cpu": c1 - c0, "write_cpu": c2 - c1,
  "cpu": c2 - c0, "wall": w2 - w0, "peak_mb": peak_mb()}))
"""

PARALLEL = r"""
import json, sys, time
from pathlib import Path
from sphinxcontrib_alignsurvey.convert import convert, write_graph
from sphinxcontrib_alignsurvey.convert.pool import peak_mb  # VmHWM: ru_maxrss counts the parent before exec

if __name__ == "__main__":
    paths = sorted(Path(sys.argv[1]).glob("*.md"))
    c0 = time.process_time()
    conv = convert(paths, jobs=int(sys.argv[3]))
    write_graph(conv, sys.argv[2], ["ttl"])
    st = conv.worker_stats
    print(json.dumps({"triples": conv.build.count, "parent_cpu": time.process_time() - c0,
      "parent_peak_mb": peak_mb(),
      "workers": len(st.cpu), "worker_cpu": sum(st.cpu.values()),
      "worker_peak_mb": max(st.peak_mb.values(), default=0)}))
"""

OXIGRAPH = r"""
import sys, pyoxigraph as ox
triples = [q.triple for q in ox.parse(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)]
with open(sys.argv[2], "wb") as fh:
    ox.serialize(triples, fh, format=ox.RdfFormat.TURTLE)
"""


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            h.update(path.name.encode() + b"\0")
            with open(path, "rb") as fh:  # in pieces: this process stays small (a child's peak memory
                while chunk := fh.read(1 << 22):  # counts its parent's at fork on Linux)
                    h.update(chunk)
    return h.hexdigest()[:12]


def floors(rounds: int, work: Path) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) of each variant per round, one of each per round."""
    exe = shutil.which("alignsurvey", path=str(Path(sys.executable).parent)) or "alignsurvey"
    nt_out = work / "nt"
    subprocess.run(
        [exe, "convert", *map(str, SEEDS), "--out", str(nt_out), "--format", "nt"], check=True, capture_output=True
    )
    runs: dict[str, list[tuple[float, float]]] = {
        "import floor": [],
        "pyoxigraph parse+serialise": [],
        "alignsurvey convert": [],
    }
    for _ in range(rounds):  # interleaved: one of each per round
        runs["import floor"].append(run([sys.executable, "-c", "import rdflib, pyoxigraph"]))
        runs["pyoxigraph parse+serialise"].append(
            run([sys.executable, "-c", OXIGRAPH, str(nt_out / "graph.nt"), str(work / "ox.ttl")])
        )
        runs["alignsurvey convert"].append(run([exe, "convert", *map(str, SEEDS), "--out", str(work / "cli")]))
    return runs


def scaled(sizes: list[int], work: Path) -> list[dict]:
    rows = []
    for n in sizes:
        corpus = work / f"corpus-{n}"
        generate(corpus, n)
        out = work / f"out-{n}"
        done = subprocess.run(
            [sys.executable, "-c", SCALED, str(corpus), str(out)], check=True, capture_output=True, text=True
        )
        row = json.loads(done.stdout)
        row["digest"] = digest(out)
        rows.append(row)
    return rows


def _burn(n: int) -> float:
    start = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - start


def free_cores(jobs: int, n: int = 3_000_000) -> float:
    """How many cores this machine gives *jobs* busy processes right now (a shared machine gives fewer)."""
    import multiprocessing

    one = _burn(n)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        start = time.perf_counter()
        pool.map(_burn, [n] * jobs)
        many = time.perf_counter() - start
    return min(jobs, jobs * one / many)


def parallel(sizes: list[int], jobs_list: list[int], rounds: int, work: Path) -> None:
    """Interleaved rounds: every job count once per round, so a busy machine slows all alike.

    Besides wall time, two figures that a busy machine disturbs less: the cores
    it gave two busy processes just before each run ("cores free"), and the
    speed-up the CPU accounting implies on free cores: the one-job CPU time
    over the parent's CPU time plus the workers' CPU time shared by the jobs.
    """
    print(
        f"\nparallel conversion (--jobs), {rounds} interleaved round(s) of fresh processes, wall seconds; "
        "speed-up and efficiency from medians:"
    )
    print(
        f"{'surveys':>8} {'jobs':>5} {'min':>8} {'median':>8} {'speed-up':>9} {'effic.':>7} {'cpu parent':>11} "
        f"{'cpu workers':>12} {'cpu speed-up':>13} {'MB parent':>10} {'MB worker':>10} {'load':>5} "
        f"{'cores free':>10} {'output':>13}"
    )
    for n in sizes:
        corpus = work / f"corpus-{n}"
        if not corpus.exists():
            generate(corpus, n)
        rows: dict[int, list[dict]] = {j: [] for j in jobs_list}
        for _ in range(rounds):
            for jobs in jobs_list:
                out = work / f"par-{n}-{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                load = os.getloadavg()[0]
                cores = free_cores(max(jobs_list))
                start = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-c", PARALLEL, str(corpus), str(out), str(jobs)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                row = json.loads(done.stdout)
                row.update(wall=time.perf_counter() - start, load=load, cores=cores, digest=digest(out))
                rows[jobs].append(row)
        base = statistics.median(r["wall"] for r in rows[jobs_list[0]])
        base_cpu = statistics.median(r["parent_cpu"] + r["worker_cpu"] for r in rows[jobs_list[0]])
        for jobs in jobs_list:
            rs = rows[jobs]
            med = statistics.median(r["wall"] for r in rs)
            parent = statistics.median(r["parent_cpu"] for r in rs)
            workers = statistics.median(r["worker_cpu"] for r in rs)
            ideal = base_cpu / (parent + workers / jobs)
            digests = {r["digest"] for r in rs}
            print(
                f"{n:>8} {jobs:>5} {min(r['wall'] for r in rs):>8.2f} {med:>8.2f} {base / med:>8.2f}x "
                f"{base / med / jobs:>7.2f} {parent:>11.2f} {workers:>12.2f} {ideal:>12.2f}x "
                f"{max(r['parent_peak_mb'] for r in rs):>10.0f} {max(r['worker_peak_mb'] for r in rs):>10.0f} "
                f"{statistics.median(r['load'] for r in rs):>5.2f} {statistics.median(r['cores'] for r in rs):>10.2f} "
                f"{'/'.join(sorted(digests)):>13}"
            )
        same = len({r["digest"] for rs in rows.values() for r in rs}) == 1
        print(f"{'':>8} output identical for every job count: {'yes' if same else 'NO'}")
    print(
        "target: 100 surveys with --jobs 2 at >= 1.7x the speed of one job on 2 cores, output identical; "
        "worker memory does not grow with the corpus"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--scale", default="", help="sizes for the parallel section only, e.g. 10,100,1000")
    ap.add_argument("--jobs-list", default="", help="job counts for --scale (default: 1, 2 and all cores)")
    args = ap.parse_args()
    compile_package(ROOT)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    if args.scale:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        jobs_list = [int(j) for j in args.jobs_list.split(",") if j] or sorted({1, 2, cores})
        with tempfile.TemporaryDirectory() as tmp:
            parallel([int(s) for s in args.scale.split(",") if s], jobs_list, args.rounds, Path(tmp))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        runs = floors(args.rounds, work)
        floor_wall = statistics.median(w for w, _ in runs["import floor"])
        floor_cpu = min(c for _, c in runs["import floor"])
        print(f"\nthe two bundled surveys, {args.rounds} interleaved rounds of fresh processes:")
        print(
            f"{'':32} {'wall min':>9} {'median':>7} {'x floor':>8} {'paired':>7} "
            f"{'CPU min':>8} {'median':>7} {'x floor':>8}"
        )
        for name, pairs in runs.items():
            wall_min, wall_med, cpu_min, cpu_med = summary(pairs)
            # each round's ratio to that round's floor: a slow spell of the machine cancels out of it
            paired = statistics.median(w / f for (w, _), (f, _) in zip(pairs, runs["import floor"], strict=True))
            print(
                f"{name:32} {wall_min:>9.3f} {wall_med:>7.3f} {wall_med / floor_wall:>7.1f}x {paired:>6.2f}x "
                f"{cpu_min:>8.3f} {cpu_med:>7.3f} {cpu_min / floor_cpu:>7.1f}x"
            )
        print("(x floor: wall medians; paired: median of each round's wall ratio; CPU minima)")
        print("targets: convert at most 4x the import floor, under 1 s on a quiet machine")
        print("\ngenerated corpora, one core each (CPU seconds):")
        print(
            f"{'surveys':>8} {'MB in':>7} {'triples':>9} {'build':>7} {'write':>7} {'cpu':>7} "
            f"{'triples/cpu-s':>13} {'peak MB':>8} {'output':>13}"
        )
        for r in scaled(sizes, work):
            print(
                f"{r['surveys']:>8} {r['bytes'] / 1e6:>7.2f} {r['triples']:>9} {r['build_cpu']:>7.2f} "
                f"{r['write_cpu']:>7.2f} {r['cpu']:>7.2f} {r['triples'] / r['cpu']:>13.0f} "
                f"{r['peak_mb']:>8.0f} {r['digest']:>13}"
            )
        print(
            "target: 100 surveys at >= 120k triples per CPU second; the output digest must not change "
            "between versions that promise identical output"
        )


if __name__ == "__main__":
    main()
