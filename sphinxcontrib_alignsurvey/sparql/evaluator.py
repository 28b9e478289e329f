"""One evaluator for every query path: the query runs in a forked worker process.

Why a process: pyoxigraph cannot cancel a query, and a query abandoned in a
thread runs on (a cartesian ``COUNT(*)`` kept a thread busy up to 4.6 GB
after its caller had been told "timeout").  A process can be killed, and its
memory is returned the moment it dies.  So the CLI, the Python API, the
Sphinx directive and ``serve`` all evaluate here:

* **fork, not spawn**: on Linux ``fork()`` shares the loaded store
  copy-on-write, so a worker starts in about 2 ms however large the graph;
  nothing is reloaded or copied up front.
* **warm workers**: a worker that finished cleanly waits for the next
  request, so its pages, once copied, stay copied; a fresh fork per query
  cost 6-14 ms more per competency query (copy-on-write faults), a warm one
  about 1 ms (see ``benchmarks/bench_sparql.py --overhead``).  A worker is
  killed instead of reused when it overran, failed, was abandoned mid-answer
  or grew by more than :data:`MAX_GROWTH`.
* **deadline**: the caller waits on the worker's pipe for at most the time
  left, then SIGKILLs and reaps it: the query stops, its memory is freed.
* **memory ceiling**: the worker sets ``RLIMIT_AS`` to what it maps now plus
  the ceiling before each request, so an allocation past it fails inside the
  worker (which dies) and the caller gets :class:`QueryError`.
* **no network** unless SERVICE is allowed, and **death with the parent**:
  see :mod:`.sandbox`.
* **plain data across the pipe**: rows travel as pickled tuples of strings
  (or, for ``serve``, as the bytes of the requested results format), so no
  pyoxigraph iterator ever lives in a thread other than the one that made it
  -- the cause of "PyQuerySolutions is unsendable" with the old thread-based
  deadline.

What a worker does with a request is :mod:`.worker`; this module is the
parent's side.  Forks come from the caller's thread when it is the main thread, otherwise
from one long-lived forking thread, because the parent-death signal fires
when the *thread* that forked ends (``serve`` answers in short-lived
threads).  Parent-side access to the store (``exists``) and forks are
serialised by one lock, so a child never inherits a store in mid-operation.

Without ``fork()`` (Windows) queries run in-process: answers are built
whole, the deadline is checked between batches only, and there is no memory
ceiling.  That fallback is documented, not hidden.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import select
import signal
import struct
import threading
import warnings
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .deadline import Deadline
from .errors import QueryError, QueryTimeout
from .safety import syntax_error
from .worker import (
    BYTES,
    CHUNK,
    END,
    ERROR,
    FRAME,
    HEAD,
    ROWS,
    Request,
    answer,
    failure,
    serve,
    write_all,
)

__all__ = ["CAN_FORK", "Evaluator", "Reply", "Request", "Stats", "Worker"]

MAX_GROWTH = 256 * 1024 * 1024  # resident growth after which a worker is not reused
CAN_FORK = hasattr(os, "fork") and hasattr(select, "poll")


class _Forker:
    """One long-lived thread that forks on behalf of short-lived ones (see module docstring)."""

    def __init__(self) -> None:
        self.jobs: queue.Queue[tuple[Callable[[], int], queue.Queue[object]]] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def fork(self, fork_once: Callable[[], int]) -> int:
        if threading.current_thread() is threading.main_thread():
            return fork_once()
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="alignsurvey-forker", daemon=True)
                self.thread.start()
        reply: queue.Queue[object] = queue.Queue(maxsize=1)
        self.jobs.put((fork_once, reply))
        result = reply.get()
        if isinstance(result, BaseException):
            raise result
        return result  # type: ignore[return-value]

    def _run(self) -> None:
        while True:
            fork_once, reply = self.jobs.get()
            try:
                reply.put(fork_once())
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                reply.put(exc)


_FORKER = _Forker()


class _Expired(Exception):
    pass


class _Ended(Exception):
    pass


class Worker:
    """The parent's handle on one worker process."""

    def __init__(self, pid: int, requests: int, replies: int, network: bool, generation: int) -> None:
        self.pid = pid
        self.requests = requests
        self.replies = replies
        self.network = network
        self.generation = generation
        self.buf = bytearray()
        self.status: int | None = None
        self.rusage: Any = None
        self.resident = _resident(pid)
        _LIVE.add(self)

    def send(self, request: Request) -> None:
        body = pickle.dumps(request, pickle.HIGHEST_PROTOCOL)
        write_all(self.requests, struct.pack(">I", len(body)) + body)

    def frame(self, deadline: Deadline) -> tuple[bytes, bytes]:
        """The next frame, waiting at most until *deadline*."""
        self._fill(FRAME.size, deadline)
        kind, size = FRAME.unpack_from(self.buf)
        self._fill(FRAME.size + size, deadline)
        payload = bytes(self.buf[FRAME.size : FRAME.size + size])
        del self.buf[: FRAME.size + size]
        return kind, payload

    def _fill(self, need: int, deadline: Deadline) -> None:
        poller = None
        while len(self.buf) < need:
            left = deadline.remaining()
            if left is not None:
                if left <= 0:
                    raise _Expired
                if poller is None:
                    poller = select.poll()
                    poller.register(self.replies, select.POLLIN)
                if not poller.poll(max(1, int(left * 1000) + 1)):
                    if deadline.expired():
                        raise _Expired
                    continue
            chunk = os.read(self.replies, max(CHUNK, need - len(self.buf)))
            if not chunk:
                raise _Ended
            self.buf += chunk

    def alive(self) -> bool:
        if self.status is not None:
            return False
        try:
            pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
        except ChildProcessError:
            self.status = -1
            return False
        if pid == 0:
            return True
        self.status, self.rusage = status, rusage
        return False

    def stop(self) -> None:
        """Kill (if still running), reap and close: the process and its memory are gone after this."""
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                _, self.status, self.rusage = os.wait4(self.pid, 0)
            except ChildProcessError:
                self.status = -1
        self.close_fds()

    def reap(self) -> None:
        """Wait for a worker that is ending by itself (it closed its pipe)."""
        if self.status is None:
            try:
                _, self.status, self.rusage = os.wait4(self.pid, 0)
            except ChildProcessError:
                self.status = -1
        self.close_fds()

    def close_fds(self) -> None:
        for fd in (self.requests, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        self.requests = self.replies = -1

    def grown(self) -> bool:
        now = _resident(self.pid)
        return bool(now and self.resident and now - self.resident > MAX_GROWTH)


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Pool:
    """Idle workers of one evaluator, forgotten (not killed) in a forked copy of the process."""

    def __init__(self) -> None:
        self.owner = os.getpid()
        self.idle: list[Worker] = []

    def shutdown(self) -> None:
        idle, self.idle = self.idle, []
        for w in idle:
            if os.getpid() == self.owner:
                w.stop()
            else:
                w.close_fds()


_POOLS: weakref.WeakSet[_Pool] = weakref.WeakSet()
_LIVE: weakref.WeakSet[Worker] = weakref.WeakSet()


def _forget_inherited_pools() -> None:
    """In a forked child: drop (never kill) the parent's workers and our copies of their pipes.

    Why: a copy of a worker's request pipe held elsewhere would keep that
    worker from seeing the end of its input, and a forked copy of a build
    (Sphinx ``-j``) must not kill or talk to workers it does not own.
    """
    for w in list(_LIVE):
        w.close_fds()
        w.status = -1
    for pool in list(_POOLS):
        pool.idle = []
        pool.owner = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited_pools)


@dataclass
class Stats:
    """What the last finished worker cost (for tests and benchmarks)."""

    pid: int = 0
    max_rss: int = 0  # bytes, peak resident size of the last reaped worker
    spawned: int = 0


class Evaluator:
    """Runs requests on *store* in worker processes; one per engine, shared by its copies."""

    def __init__(self, store: ox.Store, *, reuse: bool = True, max_idle: int = 1) -> None:
        self.store = store
        self.reuse = reuse
        self.max_idle = max_idle
        self.lock = threading.RLock()
        self.generation = 0
        self.pool = _Pool()
        self.stats = Stats()
        _POOLS.add(self.pool)
        weakref.finalize(self, self.pool.shutdown)

    # -- store access in the parent, serialised with forks

    def replace_store(self, store: ox.Store) -> None:
        """Use *store* from now on; workers forked from the old one are retired."""
        with self.lock:
            self.store = store
            self.generation += 1
            self.pool.shutdown()

    def read(self, fn: Callable[[ox.Store], Any]) -> Any:
        """Run a short read on the parent's store (never while a fork is under way)."""
        with self.lock:
            return fn(self.store)

    # -- workers

    def _spawn(self, network: bool) -> Worker:
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        parent = os.getpid()
        store = self.store

        def fork_once() -> int:
            with warnings.catch_warnings():
                # Python 3.12+ warns on fork() in a threaded process; the child touches only
                # the store (no parent thread uses it during a fork: self.lock) and its pipes
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:
                os.close(req_w)
                os.close(rep_r)
                serve(store, req_r, rep_w, parent, network)
            return pid

        try:
            pid = _FORKER.fork(fork_once)
        finally:
            os.close(req_r)
            os.close(rep_w)
        self.stats.spawned += 1
        return Worker(pid, req_w, rep_r, network, self.generation)

    def _checkout(self, network: bool) -> Worker:
        with self.lock:
            if self.pool.owner != os.getpid():  # this is a forked copy: the workers are not ours
                self.pool.idle = []
                self.pool.owner = os.getpid()
            while self.pool.idle:
                w = self.pool.idle.pop()
                if w.network == network and w.generation == self.generation and w.alive():
                    return w
                w.stop()
            return self._spawn(network)

    def _checkin(self, w: Worker) -> None:
        with self.lock:
            keep = (
                self.reuse
                and w.generation == self.generation
                and len(self.pool.idle) < self.max_idle
                and not w.grown()
                and w.alive()
            )
            if keep:
                self.pool.idle.append(w)
                return
        self._retire(w)

    def _retire(self, w: Worker) -> None:
        w.stop()
        self._note(w)

    def _note(self, w: Worker) -> None:
        self.stats.pid = w.pid
        if w.rusage is not None:
            self.stats.max_rss = int(w.rusage.ru_maxrss) * 1024

    def close(self) -> None:
        """Stop every idle worker now (they also end with the evaluator or the process)."""
        with self.lock:
            self.pool.shutdown()

    # -- running

    def run(self, request: Request, *, timeout: float | None = None, network: bool = False) -> Reply:
        """Start *request*; returns once the answer's head is known (or raises its error)."""
        deadline = Deadline(timeout)
        if not CAN_FORK:
            return _InlineReply(self, request, deadline)
        for attempt in (1, 2):
            w = self._checkout(network)
            self.stats.pid = w.pid
            try:
                w.send(request)
            except BrokenPipeError:  # an idle worker died (e.g. killed from outside): fork another
                self._retire(w)
                if attempt == 2:
                    raise QueryError("the query engine could not be started") from None
                continue
            reply = Reply(self, w, request, deadline)
            reply.start()
            return reply
        raise AssertionError("unreachable")


class Reply:
    """The answer of one request, read frame by frame from the worker under the deadline."""

    def __init__(self, evaluator: Evaluator, worker: Worker | None, request: Request, deadline: Deadline) -> None:
        self.evaluator = evaluator
        self.worker = worker
        self.request = request
        self.deadline = deadline
        self.head: tuple[Any, ...] = ()
        self.done = False

    def start(self) -> None:
        kind, payload = self._next()
        if kind != HEAD:
            raise self._protocol(kind)
        self.head = pickle.loads(payload)

    def chunks(self) -> Iterator[Any]:
        """Row batches (unpickled lists) or byte chunks, until the answer ends."""
        try:
            while not self.done:
                kind, payload = self._next()
                if kind == END:
                    self._finish()
                    return
                if kind == ROWS:
                    yield pickle.loads(payload)
                elif kind == BYTES:
                    yield payload
                else:
                    raise self._protocol(kind)
        finally:
            self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # may run late in interpreter shutdown
            self.close()

    def close(self) -> None:
        """Abandon the answer: a worker still producing it is killed (it cannot be reused mid-stream)."""
        if not self.done:
            self.done = True
            if self.worker is not None:
                self.evaluator._retire(self.worker)

    def _finish(self) -> None:
        self.done = True
        if self.worker is not None:
            if self.request.op == "update":
                self.worker.reap()
                self.evaluator._note(self.worker)
            else:
                self.evaluator._checkin(self.worker)

    def _next(self) -> tuple[bytes, bytes]:
        assert self.worker is not None
        try:
            kind, payload = self.worker.frame(self.deadline)
        except _Expired:
            self.close()
            raise self.deadline.error() from None
        except _Ended:
            self.done = True
            self.evaluator._retire(self.worker)
            raise self._death() from None
        if kind == ERROR:
            self.done = True
            what, message = pickle.loads(payload)
            if what in ("syntax", "query") and self.request.op != "update":
                self.evaluator._checkin(self.worker)
            else:
                self.evaluator._retire(self.worker)
            raise self._error(what, message)
        return kind, payload

    def _error(self, what: str, message: str) -> QueryError:
        if what == "syntax":
            return syntax_error(SyntaxError(message))
        if what == "memory":
            return self._memory_error()
        return QueryError(message)

    def _memory_error(self) -> QueryError:
        mb = (self.request.memory or 0) / 2**20
        return QueryError(f"query exceeded the memory limit of {mb:g} MB and was stopped")

    def _death(self) -> QueryError:
        """Why a worker ended without finishing its answer."""
        status = self.worker.status if self.worker is not None else None
        if status is not None and status >= 0 and os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            if sig == getattr(signal, "SIGXCPU", None) or (sig == signal.SIGKILL and self.deadline.expired()):
                return self.deadline.error() if self.deadline.seconds else QueryTimeout("query exceeded its CPU limit")
            if self.request.memory is not None and sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS):
                return self._memory_error()
            return QueryError(f"the query engine stopped unexpectedly ({signal.Signals(sig).name})")
        return QueryError(f"the query engine stopped unexpectedly (status {status})")

    def _protocol(self, kind: bytes) -> QueryError:
        self.close()
        return QueryError(f"the query engine sent an unexpected {kind!r} frame")


class _InlineReply(Reply):
    """Without fork(): evaluate in-process, whole, checking the deadline between frames."""

    def __init__(self, evaluator: Evaluator, request: Request, deadline: Deadline) -> None:
        super().__init__(evaluator, None, request, deadline)
        self.frames: list[tuple[bytes, bytes]] = []
        try:
            with evaluator.lock:
                answer(evaluator.store, request, lambda kind, payload: self.frames.append((kind, payload)))
            self.frames.append((END, b""))
        except Exception as exc:  # noqa: BLE001 - reported like a worker's error
            self.frames.append((ERROR, pickle.dumps(failure(exc))))
        self.frames.reverse()
        self.start()

    def close(self) -> None:
        self.done = True

    def _finish(self) -> None:
        self.done = True

    def _next(self) -> tuple[bytes, bytes]:
        if self.deadline.expired():
            self.done = True
            raise self.deadline.error()
        kind, payload = self.frames.pop()
        if kind == ERROR:
            self.done = True
            raise self._error(*pickle.loads(payload))
        return kind, payload
