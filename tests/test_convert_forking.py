"""Tasks in forked children: results through a pipe, failures raised here, exits reaped later.

The forks run in a fresh interpreter (a test worker may have threads of its own, and then
:func:`forkable` is rightly false)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from sphinxcontrib_alignsurvey.convert import forking

from .conftest import ROOT


def run_script(script: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


REAP_SCRIPT = r"""
import json, os, time
from sphinxcontrib_alignsurvey.convert import forking

pid, fh = forking.fork(lambda: [1, 2])
got = forking.collect(pid, fh, list)
deadline = time.monotonic() + 30
while forking._EXITING and time.monotonic() < deadline:  # its exit is collected later, without waiting
    forking.reap_exited()
    time.sleep(0.01)
try:
    forking.collect(*forking.fork(lambda: os._exit(3)), list)  # dies before giving a result
    died = None
except RuntimeError as exc:
    died = str(exc)
print(json.dumps({"got": got, "left": forking._EXITING, "gone": not os.path.exists(f"/proc/{pid}"), "died": died}))
"""


def test_a_forked_childs_result_is_taken_without_waiting_for_its_exit_which_is_reaped_later():
    got = run_script(REAP_SCRIPT)
    assert got["got"] == [1, 2] and got["left"] == [] and got["gone"]
    assert got["died"] == "a conversion worker failed: exit status 3"


FAIL_SCRIPT = r"""
import json, os
from sphinxcontrib_alignsurvey.convert import forking

def fails():
    raise ValueError("no such survey part")

try:
    forking.collect(*forking.fork(fails), list)
    raised = None
except RuntimeError as exc:
    raised = str(exc)
real, os.fork = os.fork, lambda: (_ for _ in ()).throw(OSError("no more processes"))
pid, fh = forking.fork(lambda: {"here": os.getpid()})
os.fork = real
print(json.dumps({"raised": raised, "pid": pid, "got": forking.collect(pid, fh, dict), "me": os.getpid()}))
"""


def test_a_failing_task_raises_here_with_its_traceback_and_without_a_fork_runs_here():
    got = run_script(FAIL_SCRIPT)
    assert got["raised"].startswith("a conversion worker failed: Traceback")
    assert "ValueError: no such survey part" in got["raised"]
    assert got["pid"] == 0 and got["got"] == {"here": got["me"]}


def test_a_process_with_another_thread_does_not_fork():
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not forking.forkable()
    finally:
        release.set()
        other.join()


def test_stopping_work_done_here_signals_nobody():
    forking.stop(0)  # pid 0 is work done in this process: os.kill(0, ...) would hit the process group
    forking.stop(-1)
