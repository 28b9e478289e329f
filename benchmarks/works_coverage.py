"""Coverage of ontology/works.yaml under the sourcing policy: prints figures, is not a test.

    python benchmarks/works_coverage.py

Counts the works with verified authors, year and an identifier (arXiv id or DOI), how
many author lists rest on one authoritative source and how many on two agreeing ones,
which version the names come from, and the records still breaking a rule.  The policy
and the counting live in tests/test_works_metadata.py; the target (>= 95% complete) is
documented in docs/bibtex.rst.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_works_metadata import WORKS, complete, coverage, problems


def main() -> int:
    records = yaml.safe_load(WORKS.read_text(encoding="utf-8"))
    figures = coverage(records)
    total = figures["works"]
    for name in ("authors", "year", "identifier", "complete"):
        print(f"{name:<12} {figures[name]:>4} / {total}  ({100 * figures[name] / total:.1f}%)")
    print(f"authors from one authoritative source: {figures['authors_one_authority']}")
    print(f"authors from two agreeing sources:     {figures['authors_two_sources']}")
    print(f"'not found' works:                     {figures['not_found']}")
    print("authors_from:", dict(sorted(Counter(r.get("authors_from") for r in records if r.get("authors")).items())))
    kinds = Counter(s["kind"] for r in records for s in r.get("sources") or [])
    print("sources by kind:", dict(sorted(kinds.items())))
    print("incomplete:")
    for r in records:
        if not complete(r):
            print("  -", r["printed"])
    broken = [(r["printed"], p) for r in records if (p := problems(r))]
    print(f"records breaking a rule: {len(broken)}")
    for printed, p in broken:
        print("  -", printed, p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
