"""Sorted runs: a run's bytes are its distinct lines in byte order, however they were made."""

from __future__ import annotations

import random

from sphinxcontrib_alignsurvey.graph.runs import sort_lines


def test_a_run_is_its_distinct_lines_in_byte_order() -> None:
    rng = random.Random(7)
    words = ["<a>", "<b>", "<é>", '"x"', '"日本"', "<a/1>", "<a/10>", "<a/2>"]
    for _ in range(200):
        lines = [f"{rng.choice(words)} {rng.choice(words)} {rng.choice(words)} .\n" for _ in range(rng.randint(0, 40))]
        expected = b"".join(sorted({line.encode("utf-8") for line in lines}))
        assert sort_lines(lines) == expected
        assert sort_lines(reversed(lines)) == expected


def test_repeats_anywhere_are_written_once() -> None:
    lines = ["<b> <p> <o> .\n", "<a> <p> <o> .\n", "<b> <p> <o> .\n", "<a> <p> <o> .\n", "<a> <p> <o> .\n"]
    assert sort_lines(lines) == b"<a> <p> <o> .\n<b> <p> <o> .\n"
    assert sort_lines([]) == b""
