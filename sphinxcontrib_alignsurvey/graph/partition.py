"""One output written by several processes: the sorted order cut into ranges at subject boundaries.

Why it is exact: N-Triples is one line per triple, and the Turtle serialiser
groups consecutive triples by subject (``;``) and predicate (``,``), ending a
subject's statement with `` .`` before the next subject.  When every range
starts at a new subject, serialising the ranges apart and joining them (the
prefix header once) gives the bytes of serialising the whole at once.
``tests/test_graph_partition.py`` checks that against the single pass.
JSON-LD and RDF/XML wrap the whole document, so they are written in one pass.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ..core.formats import BY_NAME
from .runs import join_blocks, merge_range, quads_of

#: Formats whose ranges can be written apart and joined.
SPLITTABLE = frozenset({"nt", "ttl"})
SAMPLES_PER_RANGE = 64  # sampled subjects per range when choosing the cuts


def subject_key(line: bytes) -> bytes:
    """The subject term and its space: every line of that subject starts with it, no other line does."""
    return line[: line.index(b" ") + 1]


def cut_points(paths: Sequence[Path], ranges: int) -> list[bytes]:
    """At most ``ranges - 1`` subject keys cutting the lines of *paths* into ranges of similar size.

    Sampled, not counted: a line is read at evenly spaced offsets of every
    file (more from bigger files), and the cuts are quantiles of the samples.
    """
    samples = _samples(paths, ranges * SAMPLES_PER_RANGE) if ranges > 1 else []
    return sorted({samples[len(samples) * k // ranges] for k in range(1, ranges)} if samples else set())


def cut_at(paths: Sequence[Path], fraction: float) -> list[bytes]:
    """One subject key with about *fraction* of the lines of *paths* before it (none if they are empty)."""
    samples = _samples(paths, 4 * SAMPLES_PER_RANGE)
    return [samples[min(len(samples) - 1, int(len(samples) * fraction))]] if samples else []


def _samples(paths: Sequence[Path], count: int) -> list[bytes]:
    """About *count* subject keys read at evenly spaced offsets of the files, sorted."""
    sizes = [p.stat().st_size for p in paths]
    total = sum(sizes)
    if not total:
        return []
    step = max(1, total // count)
    samples: list[bytes] = []
    for path, size in zip(paths, sizes, strict=True):
        with open(path, "rb") as fh:
            for offset in range(step // 2, size, step):
                fh.seek(offset)
                fh.readline()
                line = fh.readline()
                if line:
                    samples.append(subject_key(line))
    samples.sort()
    return samples


def ranges_of(cuts: Sequence[bytes]) -> list[tuple[bytes | None, bytes | None]]:
    bounds: list[bytes | None] = [None, *cuts, None]
    return list(itertools.pairwise(bounds))


@dataclass(frozen=True)
class RangeOutput:
    """What writing one range produced: a file per format (the body only) and its distinct triples."""

    files: dict[str, Path]
    count: int


_PROBE = ox.Triple(ox.NamedNode("urn:alignsurvey:probe"), ox.NamedNode("urn:alignsurvey:probe"), ox.Literal(""))


def header(fmt: str, prefixes: dict[str, str]) -> bytes:
    """What the serialiser writes before the first triple (Turtle's prefixes, written with the first triple)."""
    if fmt == "nt":
        return b""
    out = ox.serialize([_PROBE], format=BY_NAME[fmt].oxigraph, prefixes=prefixes)
    if out is None:  # only when given an output to write to
        raise RuntimeError("pyoxigraph returned no bytes")
    return out[: out.index(b"<urn:alignsurvey:probe>")]


def write_range(
    paths: Sequence[Path],
    lo: bytes | None,
    hi: bytes | None,
    formats: Sequence[str],
    prefixes: dict[str, str],
    directory: Path,
    name: str,
    keep_nt: bool = True,
) -> RangeOutput:
    """Merge the lines ``lo <= line < hi`` of the runs and write them in each of *formats* (splittable ones).

    The N-Triples body is the merged lines themselves (kept when *keep_nt*:
    ``nt`` is asked for, or a format that is written whole reads them); the
    Turtle file is pyoxigraph's output for them, whose prefix header
    :func:`join_ranges` skips.  One merge feeds both.
    """
    files: dict[str, Path] = {}
    count = 0
    nt_file = open(directory / f"{name}.nt", "wb") if keep_nt else None  # noqa: SIM115 - closed below

    def counted() -> Iterator[list[bytes]]:
        nonlocal count
        for block in merge_range(paths, lo, hi):
            count += len(block)
            yield block

    def chunks() -> Iterator[bytes]:
        for chunk in join_blocks(counted()):
            if nt_file is not None:
                nt_file.write(chunk)
            yield chunk

    try:
        if "ttl" in formats:
            ttl = directory / f"{name}.ttl"
            with open(ttl, "wb") as out:
                ox.serialize(quads_of(chunks()), out, format=BY_NAME["ttl"].oxigraph, prefixes=prefixes)
            files["ttl"] = ttl
        else:
            for _ in chunks():
                pass
    finally:
        if nt_file is not None:
            nt_file.close()
            files["nt"] = directory / f"{name}.nt"
    return RangeOutput(files, count)


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        yield from join_blocks(iter(lambda: fh.readlines(1 << 22), []))


def join_ranges(fmt: str, prefixes: dict[str, str], outputs: Sequence[RangeOutput], fh: IO[bytes]) -> None:
    """The whole document in *fmt*: the header once, then every range's body in order."""
    head = header(fmt, prefixes)
    fh.write(head)
    for out in outputs:
        with open(out.files[fmt], "rb") as part:
            if fmt != "nt" and out.count and part.read(len(head)) != head:
                raise ValueError(f"{out.files[fmt]}: does not start with the {fmt} header")
            while chunk := part.read(1 << 22):
                fh.write(chunk)


class Ranges:
    """One graph written as ranges elsewhere (a pool of processes); *results* waits for them, in order."""

    def __init__(self, results: Callable[[], list[RangeOutput]]) -> None:
        self._results = results
        self._outputs: list[RangeOutput] | None = None

    @property
    def outputs(self) -> list[RangeOutput]:
        if self._outputs is None:
            self._outputs = self._results()
        return self._outputs

    @property
    def count(self) -> int:
        return sum(o.count for o in self.outputs)

    def chunks(self) -> Iterator[bytes]:
        """The merged N-Triples document, range after range."""
        for out in self.outputs:
            yield from _file_chunks(out.files["nt"])

    def close(self) -> None:
        if self._outputs is not None:
            remove(self._outputs)


def remove(outputs: Sequence[RangeOutput]) -> None:
    for out in outputs:
        for path in out.files.values():
            with suppress(FileNotFoundError):
                os.unlink(path)
