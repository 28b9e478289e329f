"""Benchmark the survey reader: prints figures, is not a test.

    python benchmarks/bench_reader.py [--runs N] [--corpus 100]

Measures reader time after imports (median of N runs) for the two bundled
seeds, and for a generated corpus of surveys of the same shape: top-level
sections of both seeds recombined and perturbed, references renumbered, in a
temporary directory.  Reports throughput (MB/s) and peak memory
(tracemalloc for one read, ru_maxrss for the process).  Targets: each seed
under 100 ms, throughput at least 5 MB/s.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sphinxcontrib_alignsurvey.reader import read_survey  # noqa: E402  (import cost excluded)

SEEDS = sorted((ROOT / "examples" / "surveys").glob("*.md"))
TARGET_MS = 100.0
TARGET_MBS = 5.0

_TOP = re.compile(r"^## (?!References)", re.M)
_CITE = re.compile(r"\[(\d+(?:\s*[-–;,]\s*\d+)*)\]")
_REF = re.compile(r"^\[(\d+)\]\s+(.*)$", re.M)
_NUMBER = re.compile(r"^(#{2,6}) (\d+)((?:\.\d+)*)", re.M)


def _split_seed(text: str) -> tuple[list[str], dict[int, str]]:
    body, _, refs = text.partition("\n## References\n")
    starts = [m.start() for m in _TOP.finditer(body)] + [len(body)]
    sections = [body[a:b].rstrip("\n") + "\n" for a, b in zip(starts, starts[1:])]
    return sections, {int(m.group(1)): m.group(2) for m in _REF.finditer(refs)}


def generate_corpus(directory: Path, count: int, seed: int = 20240601) -> list[Path]:
    """Surveys of the seeds' shape: 8-9 recombined top-level sections each."""
    pool: list[tuple[str, dict[int, str]]] = []
    for path in SEEDS:
        sections, refs = _split_seed(path.read_text(encoding="utf-8"))
        pool.extend((s, refs) for s in sections)
    rng = random.Random(seed)
    out = []
    for i in range(count):
        chosen = rng.sample(pool, rng.randint(8, min(9, len(pool))))
        mapping: dict[tuple[int, int], int] = {}
        titles: list[str] = []
        parts = [f"# Generated Survey {i}: Alignment Recombined\n"]
        for k, (section, refs) in enumerate(chosen, 1):
            section = _NUMBER.sub(lambda m, k=k: f"{m.group(1)} {k}{m.group(3)}", section)

            def renumber(m: re.Match, refs=refs) -> str:
                def one(n: str) -> str:
                    key = (id(refs), int(n))
                    if key not in mapping:
                        mapping[key] = len(titles) + 1
                        titles.append(refs.get(int(n), f"Untitled work {n}"))
                    return str(mapping[key])

                return "[" + re.sub(r"\d+", lambda d: one(d.group()), m.group(1)) + "]"

            section = _CITE.sub(renumber, section)
            if rng.random() < 0.3:  # perturb: drop a paragraph
                paras = section.split("\n\n")
                if len(paras) > 3:
                    del paras[rng.randrange(2, len(paras))]
                section = "\n\n".join(paras)
            parts.append(section)
        parts.append("## References\n\n" + "\n\n".join(f"[{n}] {t}" for n, t in enumerate(titles, 1)) + "\n")
        path = directory / f"generated-{i:03d}.md"
        path.write_text("\n".join(parts), encoding="utf-8")
        out.append(path)
    return out


def _median_ms(path: Path, runs: int) -> float:
    read_survey(path)  # warm caches (parser construction, regex compilation)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        read_survey(path)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _peak_tracemalloc(path: Path) -> float:
    tracemalloc.start()
    read_survey(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--corpus", type=int, default=100)
    args = parser.parse_args()

    rows = []
    ok = True
    for path in SEEDS:
        size = path.stat().st_size
        ms = _median_ms(path, args.runs)
        mbs = size / 2**20 / (ms / 1000)
        ok &= ms < TARGET_MS and mbs >= TARGET_MBS
        survey = read_survey(path)
        rows.append(
            (
                path.name,
                f"{size / 1024:.0f} KiB",
                f"{ms:.1f}",
                f"{mbs:.2f}",
                f"{_peak_tracemalloc(path):.1f}",
                f"{len(survey.references)} refs, {len(survey.sentences)} sentences",
            )
        )

    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate_corpus(Path(tmp), args.corpus)
        total = sum(p.stat().st_size for p in corpus)
        for p in corpus[:3]:
            read_survey(p)
        per_run = []
        for _ in range(max(1, args.runs // 5)):
            t0 = time.perf_counter()
            errors = sum(len(read_survey(p).errors) for p in corpus)
            per_run.append(time.perf_counter() - t0)
        seconds = statistics.median(per_run)
        mbs = total / 2**20 / seconds
        ok &= mbs >= TARGET_MBS
        peak = max(_peak_tracemalloc(p) for p in corpus[:10])
        rows.append(
            (
                f"corpus of {len(corpus)}",
                f"{total / 2**20:.1f} MiB",
                f"{seconds * 1000:.0f} total",
                f"{mbs:.2f}",
                f"{peak:.1f}",
                f"{seconds * 1000 / len(corpus):.1f} ms/survey, {errors} errors",
            )
        )

    header = ("input", "size", "median ms", "MB/s", "peak MiB", "notes")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"\nprocess peak RSS (ru_maxrss): {rss:.0f} MiB; runs per figure: {args.runs}; python {sys.version.split()[0]}"
    )
    print(
        f"targets: each seed < {TARGET_MS:.0f} ms, throughput >= {TARGET_MBS:.0f} MB/s -> {'met' if ok else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
