"""Benchmark the concept-mention finder: does its cost grow with the vocabulary?

Figures, each the minimum over interleaved rounds in a fresh process per tree:

* ``build``: building the finder from the vocabulary (once per conversion);
* ``find/1k``: finding mentions in 1,000 sentences of the bundled surveys;
* ``convert``: ``convert()`` of the two bundled surveys in-process (reading,
  checking, mentions, links, graph), CPU seconds.

Each with the bundled vocabulary and with a generated 2,000-concept vocabulary
(the bundled concepts plus generated ones whose labels are two or three words
of the surveys' own prose, and some acronyms: the worst case for a look-up by
first word).  ``--baseline TREE`` runs the same script against another checkout
(e.g. ``/work/main`` before the change) and prints the ratios the targets name:
the 2,000-concept conversion under 2x the baseline's bundled conversion, and
the bundled conversion within 1.5x of it.

Run: python benchmarks/bench_mentions.py [--rounds 5] [--baseline /path/to/other/checkout]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SURVEYS = sorted((ROOT / "examples" / "surveys").glob("*.md"))
GENERATED = 2000

MEASURE = r"""
import json, sys, time
from pathlib import Path
from sphinxcontrib_alignsurvey.core.resources import ontology_file
from sphinxcontrib_alignsurvey.convert import convert
from sphinxcontrib_alignsurvey.links.mentions import MentionFinder
from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary
from sphinxcontrib_alignsurvey.reader import read_survey

surveys, extra = [Path(p) for p in json.loads(sys.argv[1])], sys.argv[2:]
files = [ontology_file(n) for n in ("alignsurvey.ttl", "methods.ttl", "challenges.ttl", "benchmarks.ttl")]
vocab = load_vocabulary([*files, *map(Path, extra)])
read = [read_survey(p) for p in surveys]
texts = [s.text for survey in read for s in survey.sentences]
t0 = time.process_time()
finder = MentionFinder(vocab.concepts)
t1 = time.process_time()
scoped = hasattr(finder, "scope")
found = 0
repeat = max(1, 3000 // len(texts))
t2 = time.process_time()
for _ in range(repeat):
    for survey in read:
        scope = finder.scope([s.text for s in survey.sentences]) if scoped else None
        for s in survey.sentences:
            found += len(finder.find(s.text, scope) if scoped else finder.find(s.text))
t3 = time.process_time()
conv = convert(surveys, vocabulary=vocab)
t4 = time.process_time()
import sphinxcontrib_alignsurvey as package
assert Path(package.__file__).resolve().is_relative_to(Path.cwd().resolve()), package.__file__
print(json.dumps({"concepts": len(vocab.concepts), "sentences": len(texts), "build": t1 - t0,
                  "find_per_1k": (t3 - t2) / (repeat * len(texts)) * 1000, "mentions": found // repeat,
                  "convert": t4 - t3, "triples": conv.build.count}))
"""


def generate_vocabulary(path: Path, count: int, seed: int = 12) -> None:
    """*count* generated concepts whose labels are phrases of the surveys' own words."""
    words = sorted({w.lower() for p in SURVEYS for w in re.findall(r"[A-Za-z]{4,}", p.read_text(encoding="utf-8"))})
    rng = random.Random(seed)
    lines = [
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix align: <https://w3id.org/alignsurvey/ontology#> .",
        "@prefix gen: <https://example.org/generated/> .",
        "gen:scheme a skos:ConceptScheme .",
    ]
    for i in range(count):
        kind = ("Method", "Challenge", "Benchmark")[i % 3]
        labels = [" ".join(rng.sample(words, rng.choice((2, 2, 3)))) for _ in range(2)]
        if i % 4 == 0:
            labels.append("".join(rng.choice("ABCDEFGHKLMNPRSTVX") for _ in range(rng.choice((3, 4, 5)))))
        alts = ", ".join(f'"{label}"@en' for label in labels[1:])
        lines.append(
            f"gen:c{i} a skos:Concept, align:{kind} ; skos:inScheme gen:scheme ; "
            f'skos:prefLabel "{labels[0]}"@en ; skos:altLabel {alts} ; '
            f'skos:definition "Generated concept {i}."@en .'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(tree: Path, extra: list[Path]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    # run in the tree itself: ``python -c`` puts the working directory first on sys.path
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps([str(p) for p in SURVEYS]), *map(str, extra)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(runs: list[dict]) -> dict:
    out = dict(runs[0])
    for key in ("build", "find_per_1k", "convert"):
        out[key] = min(r[key] for r in runs)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with (e.g. main before the change)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "generated.ttl"
        # the bundled vocabulary holds ~440 concepts; generate the rest up to 2,000
        generate_vocabulary(generated, GENERATED - 437)
        trees = {"this": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
        runs: dict[tuple[str, str], list[dict]] = {}
        for _ in range(args.rounds):  # interleaved, so a busy machine slows every variant alike
            for name, tree in trees.items():
                for vocab, extra in (("bundled", []), ("2000", [generated])):
                    runs.setdefault((name, vocab), []).append(measure(tree, extra))
    figures = {key: best(r) for key, r in runs.items()}
    print(
        f"{'tree':9} {'vocabulary':10} {'concepts':>8} {'build s':>8} {'find/1k s':>9} {'mentions':>8} {'convert s':>9}"
    )
    for (name, vocab), f in figures.items():
        print(
            f"{name:9} {vocab:10} {f['concepts']:8d} {f['build']:8.3f} {f['find_per_1k']:9.4f} "
            f"{f['mentions']:8d} {f['convert']:9.3f}"
        )
    this_b, this_g = figures[("this", "bundled")], figures[("this", "2000")]
    print(
        f"\nthis tree: find/1k with 2,000 concepts is {this_g['find_per_1k'] / this_b['find_per_1k']:.2f}x "
        f"the bundled vocabulary's"
    )
    if args.baseline:
        base = figures[("baseline", "bundled")]["convert"]
        print(
            f"targets against the baseline's bundled conversion ({base:.3f} s CPU): "
            f"bundled {this_b['convert'] / base:.2f}x (<= 1.5x), "
            f"2,000 concepts {this_g['convert'] / base:.2f}x (< 2x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
