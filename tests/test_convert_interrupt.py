"""Interrupted conversions: SIGTERM while writing, SIGKILL while switching, two writers at once.

Why subprocesses: a signal's default action ends the process without any
clean-up, so only a real child shows what a killed run leaves behind.  Every
wait is bounded.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.sparql.api import rdf_sources

from .conftest import ROOT, SURVEY_A, SURVEY_B

FOUR = "ttl,nt,jsonld,xml"

# A convert whose graph writer stops half-way (after its first format) until it is signalled.
SLOW_WRITER = r"""
import sys, time
import sphinxcontrib_alignsurvey.convert as conv
real = conv.serialize_to
def slow(triples, fmt, fh, prefixes):
    real(triples, fmt, fh, prefixes)
    fh.flush()
    print("WRITING", flush=True)
    time.sleep(120)
conv.serialize_to = slow
from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.sparql.api import rdf_sources
sys.exit(main(sys.argv[1:]))
"""

# A convert that is killed (SIGKILL: no clean-up possible) right after its second rename into the folder.
KILLED_WHILE_SWITCHING = r"""
import os, signal, sys
out = os.path.realpath(sys.argv[sys.argv.index("--out") + 1])
real = os.replace
count = 0
def replace(src, dst, *a, **k):
    global count
    real(src, dst, *a, **k)
    if os.path.dirname(os.path.realpath(dst)) == out and not os.path.basename(str(dst)).startswith("."):
        count += 1
        if count == 2:
            os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.sparql.api import rdf_sources
sys.exit(main(sys.argv[1:]))
"""


def child(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )


def wait_for_line(proc: subprocess.Popen, line: bytes, timeout: float = 60) -> None:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sel.select(deadline - time.monotonic()) and proc.stdout.readline().strip() == line:
            return
        if proc.poll() is not None:
            pytest.fail(f"child ended early ({proc.returncode}): {proc.stderr.read().decode()}")
    proc.kill()
    pytest.fail(f"child never printed {line!r}")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_sigterm_while_writing_removes_temporaries_and_keeps_the_old_outputs(tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_B), "--out", str(out)]) == 0
    before = snapshot(out)
    proc = child(SLOW_WRITER, "convert", str(SURVEY_A), str(SURVEY_B), "--out", str(out), "--format", FOUR)
    try:
        wait_for_line(proc, b"WRITING")
        assert any(p.name.endswith(".tmp") for p in out.iterdir())  # the run is half-way
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    err = proc.stderr.read().decode()
    assert code != 0 and "Traceback" not in err, err
    assert "interrupted" in err
    assert snapshot(out) == before  # no temporaries, nothing replaced, no lock left over


def test_sigkill_while_switching_is_repaired_by_the_next_run(tmp_path, capsys):
    out, clean = tmp_path / "out", tmp_path / "clean"
    assert main(["convert", str(SURVEY_A), "--out", str(clean)]) == 0
    assert main(["convert", str(SURVEY_A), str(SURVEY_B), "--out", str(out), "--format", FOUR]) == 0
    old_graph = (out / "graph.ttl").read_bytes()
    proc = child(KILLED_WHILE_SWITCHING, "convert", str(SURVEY_A), "--out", str(out))
    try:
        assert proc.wait(timeout=120) == -signal.SIGKILL, proc.stderr.read().decode()
    finally:
        proc.kill()
        proc.wait(timeout=30)
    # a reader of the folder gets one whole graph, the old or the new one
    assert rdf_sources([out]) == [out / "graph.ttl"]
    assert (out / "graph.ttl").read_bytes() in (old_graph, (clean / "graph.ttl").read_bytes())
    # half switched: a checked folder says so instead of "conforms"
    assert main(["validate", str(out)]) == 1
    assert "interrupted" in capsys.readouterr().err
    # the next run takes the half-written files as its own and leaves exactly one conversion
    assert main(["convert", str(SURVEY_A), "--out", str(out)]) == 0
    assert snapshot(out) == snapshot(clean)
    assert main(["validate", str(out)]) == 0


def test_a_second_convert_fails_while_the_first_writes(tmp_path, capsys):
    out = tmp_path / "out"
    proc = child(SLOW_WRITER, "convert", str(SURVEY_A), "--out", str(out))
    try:
        wait_for_line(proc, b"WRITING")
        assert main(["convert", str(SURVEY_B), "--out", str(out)]) == 1
        assert f"pid {proc.pid}" in capsys.readouterr().err
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert main(["convert", str(SURVEY_B), "--out", str(out)]) == 0


def test_sigterm_during_a_first_conversion_leaves_no_output_folder(tmp_path):
    out = tmp_path / "new" / "out"
    proc = child(SLOW_WRITER, "convert", str(SURVEY_A), "--out", str(out), "--format", FOUR)
    try:
        wait_for_line(proc, b"WRITING")
        assert out.is_dir()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert code != 0 and "interrupted" in proc.stderr.read().decode()
    assert not (tmp_path / "new").exists()  # the folders it made for the outputs are gone with them


# A convert on two cores whose forked run writer (the larger survey's triples, written while the
# parts are merged) stops until it is killed.
STUCK_RUN_WRITER = r"""
import os, sys, time
from sphinxcontrib_alignsurvey.convert import pool
real, parent = pool.write_run, os.getpid()
def stuck(*args, **kwargs):
    if os.getpid() != parent:
        print("RUNNING", os.getpid(), flush=True)
        time.sleep(120)
    return real(*args, **kwargs)
pool.write_run = stuck
from sphinxcontrib_alignsurvey.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_sigterm_while_a_forked_child_writes_stops_it_and_leaves_nothing(tmp_path):
    """The calling process waits for the child's run when it is told to stop: the child goes with it."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)}
    proc = subprocess.Popen(
        [sys.executable, "-c", STUCK_RUN_WRITER, "convert", str(ROOT / "examples" / "surveys")]
        + ["--out", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    try:
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        assert sel.select(60), "the run writer never started"
        line = proc.stdout.readline().split()
        assert line[0] == b"RUNNING", line
        writer = int(line[1])
        time.sleep(0.5)  # the parent merges, then waits for the writer
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert code == 128 + signal.SIGTERM and "interrupted" in proc.stderr.read().decode()
    with pytest.raises(ProcessLookupError):
        os.kill(writer, 0)  # stopped and reaped, not left sleeping
    assert list(scratch.iterdir()) == [] and not out.exists()
