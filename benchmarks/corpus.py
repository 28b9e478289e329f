"""Generate corpora of synthetic surveys shaped like the bundled seeds.

Each generated survey is a seed with its reference list permuted (citations
renumbered to match) and about half of its reference titles made unique, so
a corpus of N surveys has realistic sizes and a realistic mix of shared and
distinct works.  Deterministic for a given N.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "examples" / "surveys").glob("*.md"))
CITATION = re.compile(r"\[(\d+(?:\s*[;,]\s*\d+)*)\]")
REFERENCE = re.compile(r"^\[(\d+)\] (.*)$", re.M)


def variant(seed_text: str, index: int) -> str:
    rng = random.Random(index)
    head, refs = seed_text.split("## References", 1)
    numbers = [int(m.group(1)) for m in REFERENCE.finditer(refs)]
    shuffled = numbers[:]
    rng.shuffle(shuffled)
    mapping = dict(zip(numbers, shuffled))

    def renumber(match: re.Match[str]) -> str:
        parts = re.split(r"(\s*[;,]\s*)", match.group(1))
        return "[" + "".join(str(mapping.get(int(p), p)) if p.isdigit() else p for p in parts) + "]"

    body = CITATION.sub(renumber, head)
    body = body.replace(
        "# AI Alignment: A Comprehensive Survey", f"# AI Alignment: A Comprehensive Survey, variant {index}", 1
    )
    entries = []
    for m in REFERENCE.finditer(refs):
        title = m.group(2)
        if rng.random() < 0.5:
            title = f"{title} (study {index}-{m.group(1)})"
        entries.append((mapping[int(m.group(1))], title))
    listing = "\n\n".join(f"[{n}] {t}" for n, t in sorted(entries))
    return f"{body}## References\n\n{listing}\n"


def generate(directory: Path, count: int) -> list[Path]:
    """Write *count* surveys into *directory* and return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    paths = []
    for i in range(count):
        path = directory / f"generated-{i:04d}.md"
        path.write_text(variant(seeds[i % len(seeds)], i), encoding="utf-8")
        paths.append(path)
    return paths
