"""Wall and CPU seconds of a fresh process, for benchmarks on a shared machine.

Why CPU as well as wall: other work on the machine stretches wall time but
barely changes the CPU time a process (and the children it waits for) spends,
so CPU figures can be compared between runs; wall time is printed beside them.

Why bytecode first: an installed package has its modules compiled, but a
checkout run with ``PYTHONDONTWRITEBYTECODE`` set compiles them again in every
process, which would count compiling as start-up.  :func:`compile_package`
writes the bytecode once, as ``pip install`` does.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path


def run(cmd: Sequence[str], cwd: str | Path | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of *cmd* and every child it waited for; raises if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else b""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, list(cmd), stderr=err)
    return wall, usage.ru_utime + usage.ru_stime


def compile_package(root: Path) -> None:
    """Write the package's bytecode (quietly), so start-up figures are those of an installed copy."""
    compileall.compile_dir(str(root / "sphinxcontrib_alignsurvey"), quiet=1)


def summary(pairs: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(wall min, wall median, CPU min, CPU median) of :func:`run`'s (wall, CPU) pairs."""
    walls, cpus = [w for w, _ in pairs], [c for _, c in pairs]
    return min(walls), statistics.median(walls), min(cpus), statistics.median(cpus)
