"""A task in a child forked from this process, its result back through a pipe.

Why fork, and not a pool: the child shares everything this process built
(vocabulary, matchers, the parts read so far) at no cost, where a pool
worker would build them again; for conversion work of a few tenths of a
second that is the difference between using a second core and not.  Only
a process with one thread may fork (:func:`forkable`): a child could inherit
another thread's locks held.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from contextlib import suppress
from typing import IO, TypeVar

T = TypeVar("T")

_EXITING: list[int] = []  # forked children that gave their result and may still be exiting


def forkable() -> bool:
    """Whether this process may fork workers: Linux, and no thread but this one (a progress
    display's, or a library's), whose locks a child could inherit held."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next((line.split()[1] == "1" for line in fh if line.startswith("Threads:")), False)
    except OSError:
        return False


def fork(task: Callable[[], object]) -> tuple[int, IO[bytes]]:
    """Fork a child that runs *task* and writes its result, pickled, to a pipe; (pid, read end).

    The child shares everything this process built (copy on write) and leaves
    with ``os._exit``, so it never runs this process's cleanup; if *task*
    fails, it writes the traceback instead, for :func:`collect` to raise.
    When no process can be made (a process limit, no memory), *task* runs
    here and its result is handed over the same way (pid 0).
    """
    reap_exited()
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return 0, io.BytesIO(pickle.dumps(task(), protocol=pickle.HIGHEST_PROTOCOL))
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                try:
                    result = task()
                except BaseException:  # a bug, or an interrupt: the parent raises it
                    result, code = traceback.format_exc(), 1
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(code)
    os.close(write)
    return pid, os.fdopen(read, "rb")


def collect(pid: int, fh: IO[bytes], kind: type[T]) -> T:
    """What the child of :func:`fork` returned, a *kind*; raises with its traceback (or exit status) if it failed.

    A whole result is all the child owes: its exit, which unmaps its share of
    this process's memory (5 ms for the bundled surveys), is not waited for;
    :func:`reap_exited` collects it later.
    """
    try:
        with fh:
            payload = fh.read()
    except BaseException:  # interrupted while waiting (SIGTERM, Ctrl-C): the child goes too
        stop(pid)
        raise
    try:
        outcome = pickle.loads(payload) if payload else None  # noqa: S301 - written by our own child
    except Exception:  # cut short: the child died while writing
        outcome = None
    if not isinstance(outcome, kind):  # None (no result) or str (the traceback)
        status = os.waitpid(pid, 0)[1] if pid else 0
        why = outcome if isinstance(outcome, str) else f"exit status {os.waitstatus_to_exitcode(status)}"
        raise RuntimeError(f"a conversion worker failed: {why}")
    if pid:
        _EXITING.append(pid)
        reap_exited()
    return outcome


def reap_exited() -> list[int]:
    """Reap the children of :func:`fork` that have exited since they gave their result; still running: []."""
    reaped = []
    for pid in list(_EXITING):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere
            done = pid
        if done:
            _EXITING.remove(pid)
            reaped.append(pid)
    return reaped


def reap(pid: int, fh: IO[bytes]) -> None:
    """Stop a child of :func:`fork` whose result was never collected (this process is failing)."""
    if not fh.closed:
        fh.close()
        stop(pid)


def stop(pid: int) -> None:
    if pid <= 0:  # work done in this process (and os.kill(0, ...) would signal the whole process group)
        return
    with suppress(OSError, ChildProcessError):
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
