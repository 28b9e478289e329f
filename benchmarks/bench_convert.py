"""Benchmark ``alignsurvey convert`` end to end and at scale.

Prints: CLI wall time for the two seeds (startup included); for generated
corpora of 1, 10 and 100 surveys, conversion time, triples/s and peak memory
(each size in a fresh process, so peaks do not mix); and rdflib's Turtle
serializer against pyoxigraph's on the seeds' graph.

Run: python benchmarks/bench_convert.py [--sizes 1,10,100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import SEEDS, generate  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from sphinxcontrib_alignsurvey.convert import convert, write_graph
paths = sorted(Path(sys.argv[1]).glob("*.md"))
t1 = time.perf_counter()
conv = convert(paths)
t2 = time.perf_counter()
write_graph(conv, sys.argv[2], ["ttl"])
t3 = time.perf_counter()
print(json.dumps({"surveys": len(paths), "triples": conv.build.count, "works": len(conv.build.works),
  "bytes": sum(p.stat().st_size for p in paths), "build": t2 - t1, "write": t3 - t2, "total": t3 - t1,
  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cli_seconds(repeat: int, out: Path) -> list[float]:
    exe = shutil.which("alignsurvey", path=str(Path(sys.executable).parent)) or "alignsurvey"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([exe, "convert", *map(str, SEEDS), "--out", str(out)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def scaled(sizes: list[int], work: Path) -> list[dict]:
    rows = []
    for n in sizes:
        corpus = work / f"corpus-{n}"
        generate(corpus, n)
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(corpus), str(work / f"out-{n}")], check=True, capture_output=True, text=True
        )
        rows.append(json.loads(done.stdout))
    return rows


def serializers(repeat: int) -> tuple[float, float, int]:
    import rdflib

    from sphinxcontrib_alignsurvey.convert import convert
    from sphinxcontrib_alignsurvey.graph.serialize import serialize

    conv = convert(SEEDS)
    ox_times, rdflib_times = [], []
    graph = rdflib.Graph()
    data = serialize(conv.triples, "nt")
    graph.parse(data=data, format="nt")
    for _ in range(repeat):
        t = time.perf_counter()
        serialize(conv.triples, "ttl")
        ox_times.append(time.perf_counter() - t)
    for _ in range(max(1, repeat // 2)):
        t = time.perf_counter()
        graph.serialize(format="turtle")
        rdflib_times.append(time.perf_counter() - t)
    return statistics.median(ox_times), statistics.median(rdflib_times), len(conv.triples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cli = cli_seconds(args.repeat, work / "cli")
        print(f"seeds end to end (CLI, startup included): median {statistics.median(cli):.3f} s "
              f"over {args.repeat} runs (min {min(cli):.3f}, max {max(cli):.3f}); target < 2 s")
        print()
        print(f"{'surveys':>8} {'MB in':>7} {'triples':>9} {'works':>7} {'build s':>8} {'write s':>8} "
              f"{'total s':>8} {'triples/s':>10} {'peak MB':>8}")
        for r in scaled(sizes, work):
            print(f"{r['surveys']:>8} {r['bytes'] / 1e6:>7.2f} {r['triples']:>9} {r['works']:>7} {r['build']:>8.2f} "
                  f"{r['write']:>8.2f} {r['total']:>8.2f} {r['triples'] / r['total']:>10.0f} {r['peak_mb']:>8.0f}")
        print("targets: 100 surveys under 60 s and 1 GB")
        print()
        ox_s, rdflib_s, n = serializers(args.repeat)
        print(f"Turtle serializer on the seeds' graph ({n} triples): pyoxigraph {ox_s:.3f} s, "
              f"rdflib {rdflib_s:.3f} s, ratio {rdflib_s / ox_s:.1f}x")


if __name__ == "__main__":
    main()
