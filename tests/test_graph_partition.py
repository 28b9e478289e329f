"""Ranges of the sorted order written apart and joined give the bytes of the single pass."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.core.namespaces import PREFIXES
from sphinxcontrib_alignsurvey.graph import runs as runs_module
from sphinxcontrib_alignsurvey.graph.partition import cut_at, cut_points, join_ranges, ranges_of, write_range
from sphinxcontrib_alignsurvey.graph.runs import Merged, lower_bound, merge_range
from sphinxcontrib_alignsurvey.graph.serialize import serialize_to


def _lines(rng: random.Random, n: int) -> list[bytes]:
    return [
        f'<https://x.org/{rng.randrange(200)}/{rng.randrange(50)}> <p> "{rng.random()}" .\n'.encode() for _ in range(n)
    ]


def test_lower_bound_finds_the_first_line_not_below_the_key(monkeypatch):
    monkeypatch.setattr(runs_module, "READ_HINT", 64)  # exercise the bisection, not only the final scan
    rng = random.Random(7)
    lines = sorted(set(_lines(rng, 400)))
    fh = io.BytesIO(b"".join(lines))
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for key in [b"", b"<", b"~", *rng.sample(lines, 40), *(line[:20] for line in rng.sample(lines, 40))]:
        want = next((offsets[k] for k, line in enumerate(lines) if line >= key), offsets[-1])
        assert lower_bound(fh, key) == want, key


def test_merged_ranges_are_the_sorted_distinct_union(tmp_path):
    rng = random.Random(3)
    paths, everything = [], set()
    for k in range(6):
        lines = sorted(set(_lines(rng, 300)))
        everything.update(lines)
        paths.append(tmp_path / f"{k}.nt")
        paths[-1].write_bytes(b"".join(lines))
    want = sorted(everything)
    cuts = cut_points(paths, 4)
    assert 1 <= len(cuts) <= 3
    got = [line for lo, hi in ranges_of(cuts) for block in merge_range(paths, lo, hi) for line in block]
    assert got == want


@pytest.mark.parametrize("ranges", [2, 5, 17])
def test_ranges_joined_equal_the_single_pass(seed_conversion, tmp_path, ranges):
    runs = seed_conversion.build.runs
    runs.close_run()
    prefixes = {name: ns for name, ns in sorted(PREFIXES.items()) if ns in runs.namespaces}
    paths = runs.paths
    cuts = cut_points(paths, ranges)
    assert len(cuts) >= min(ranges - 1, 1)
    outputs = [
        write_range(paths, lo, hi, ["ttl"], prefixes, tmp_path, f"r{k}") for k, (lo, hi) in enumerate(ranges_of(cuts))
    ]
    for fmt in ("ttl", "nt"):
        single, joined = io.BytesIO(), io.BytesIO()
        serialize_to(Merged(runs), fmt, single, prefixes)
        join_ranges(fmt, prefixes, outputs, joined)
        assert joined.getvalue() == single.getvalue(), fmt
    assert sum(o.count for o in outputs) == runs.count
    assert all(Path(f).exists() for o in outputs for f in o.files.values())


def test_more_runs_than_may_be_open_are_merged_in_groups(seed_conversion, monkeypatch):
    runs = seed_conversion.build.runs
    runs.close_run()
    assert len(runs.paths) >= 3
    prefixes = {name: ns for name, ns in sorted(PREFIXES.items()) if ns in runs.namespaces}
    whole = io.BytesIO()
    serialize_to(Merged(runs), "nt", whole, prefixes)
    monkeypatch.setattr(runs_module, "MAX_OPEN", 2)
    grouped = io.BytesIO()
    serialize_to(Merged(runs), "nt", grouped, prefixes)
    assert grouped.getvalue() == whole.getvalue()


def test_read_size_per_run_shrinks_as_runs_grow():
    from sphinxcontrib_alignsurvey.graph.runs import MERGE_BUDGET, READ_HINT, read_hint

    assert read_hint(1) == READ_HINT
    assert read_hint(1000) * 1000 <= max(MERGE_BUDGET, 1000 * (64 << 10))


@pytest.mark.parametrize("fraction", [0.0, 0.4, 0.5, 0.9])
def test_a_cut_at_a_fraction_leaves_about_that_share_of_the_lines_before_it(tmp_path, fraction):
    """The forked writer's cut (convert.pool.ForkedRanges): a subject key, near the fraction asked for."""
    rng = random.Random(11)
    paths, everything = [], set()
    for k in range(3):
        lines = sorted(set(_lines(rng, 3000)))
        everything.update(lines)
        path = tmp_path / f"run-{k}.nt"
        path.write_bytes(b"".join(lines))
        paths.append(path)
    [key] = cut_at(paths, fraction)
    assert key.endswith(b"> ") and any(line.startswith(key) for line in everything)  # a whole subject
    before = sum(1 for line in everything if line < key) / len(everything)
    assert abs(before - fraction) < 0.08
    (tmp_path / "empty.nt").write_bytes(b"")
    assert cut_at([tmp_path / "empty.nt"], 0.5) == []
