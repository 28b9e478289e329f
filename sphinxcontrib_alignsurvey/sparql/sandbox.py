"""What a query-evaluating child process does to itself before it runs anything.

Why these measures, each enforced by the kernel rather than by our code:

* **parent-death signal** (``prctl(PR_SET_PDEATHSIG, SIGKILL)``): if the
  process that forked it dies, even by SIGKILL, the child is killed too, so a
  killed ``serve`` or build leaves no evaluation running.
* **no sockets** (a seccomp filter that fails ``socket()`` with EACCES,
  unless SERVICE is allowed): the engine cannot fetch a URL -- not for
  SERVICE, not for LOAD -- even if a request slipped past the text check of
  :mod:`.safety`.  Also ``io_uring_setup``, which could open sockets around
  the filter.  ``prctl(PR_SET_NO_NEW_PRIVS)`` first, as seccomp requires of
  unprivileged processes.
* **memory ceiling** (``RLIMIT_AS``, set per request by the worker): what
  the query may allocate on top of the process as it stands; past it the
  allocation fails and the child dies, never the caller.
* **CPU ceiling** (``RLIMIT_CPU``, per request): a safety net that ends an
  evaluation near its deadline even if no parent is left to kill it.

Each is applied where the platform has it (Linux: all; other POSIX systems:
the resource limits) and reported by :func:`capabilities`.
"""

from __future__ import annotations

import ctypes
import errno
import faulthandler
import os
import platform
import resource
import signal
import stat
import sys

PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
IO_URING_SETUP = 425  # the same number on every architecture that has it

#: audit architecture and socket() syscall number, per machine
_ARCH = {
    "x86_64": (0xC000003E, 41),
    "amd64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
    "arm64": (0xC00000B7, 198),
}
_X32_BIT = 0x40000000  # x32 syscalls on x86_64: refused wholesale


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def _libc() -> ctypes.CDLL | None:
    """The C library: the process's own symbols first (no ``ldconfig`` run, no ``ctypes.util`` import,
    which cost a cold query more than its answer), else the library ``ctypes.util`` finds."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl  # noqa: B018 - present in glibc and musl; a lookup that fails raises AttributeError
        return libc
    except (OSError, AttributeError):
        pass
    from ctypes.util import find_library

    try:
        return ctypes.CDLL(find_library("c") or None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


def capabilities() -> dict[str, bool]:
    """Which measures this platform supports."""
    linux = _LIBC is not None
    return {
        "parent_death_signal": linux,
        "no_sockets": linux and platform.machine().lower() in _ARCH,
        "memory_ceiling": hasattr(resource, "RLIMIT_AS"),
        "cpu_ceiling": hasattr(resource, "RLIMIT_CPU"),
    }


def _prctl(option: int, *args: int) -> None:
    assert _LIBC is not None
    padded = [ctypes.c_ulong(a) for a in (*args, 0, 0, 0, 0)[:4]]
    if _LIBC.prctl(ctypes.c_int(option), *padded) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"prctl({option}): {os.strerror(code)}")


def arm_parent_death_signal() -> None:
    """Be sent SIGKILL when the thread that forked this process ends (Linux only)."""
    if _LIBC is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def die_with_parent(parent: int) -> None:
    """Be killed when *parent* (the forking thread) ends; exit now if it already has."""
    arm_parent_death_signal()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def deny_sockets() -> None:
    """Install a seccomp filter under which ``socket()`` and ``io_uring_setup()`` fail with EACCES."""
    arch = _ARCH.get(platform.machine().lower())
    if _LIBC is None or arch is None:
        return
    audit, socket_nr = arch
    deny = SECCOMP_RET_ERRNO | errno.EACCES
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, JMP|JEQ|K, JMP|JGE|K, RET|K
    prog = [(ld, 0, 0, 4), (jeq, 1, 0, audit), (ret, 0, 0, deny), (ld, 0, 0, 0)]
    if audit == 0xC000003E:
        prog += [(jge, 0, 1, _X32_BIT), (ret, 0, 0, deny)]
    for nr in (socket_nr, IO_URING_SETUP):
        prog += [(jeq, 0, 1, nr), (ret, 0, 0, deny)]
    prog.append((ret, 0, 0, SECCOMP_RET_ALLOW))
    filters = (_Filter * len(prog))(*(_Filter(*p) for p in prog))
    program = _Program(len(prog), filters)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(program))


def quiet_and_detached(keep: tuple[int, ...]) -> None:
    """Default signal handling, stderr to /dev/null, and no inherited sockets.

    Why: a parent's Python handler (``serve`` turns SIGTERM into an
    exception) must not run in the child; the engine's own abort message
    ("memory allocation failed") must not reach the user's terminal -- the
    parent reports the failure; and an inherited client socket would keep a
    connection half-open after the server closed it.
    """
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    if faulthandler.is_enabled():  # its report of our own abort would reach the parent's stderr
        faulthandler.disable()
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in fds:
        if fd in keep or fd <= 2:
            continue
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            pass


def address_space() -> int:
    """Bytes of address space this process maps now (0 if unknown)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def set_ceilings(memory: int | None, cpu: float | None) -> None:
    """Limit what the next request may add: *memory* bytes of address space, *cpu* seconds."""
    if hasattr(resource, "RLIMIT_AS"):
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        limit = resource.RLIM_INFINITY
        if memory is not None:
            limit = address_space() + memory
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
        elif hard != resource.RLIM_INFINITY:
            limit = hard
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    if hasattr(resource, "RLIMIT_CPU"):
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        limit = resource.RLIM_INFINITY
        if cpu is not None:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            limit = int(usage.ru_utime + usage.ru_stime + cpu) + 2
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
        elif hard != resource.RLIM_INFINITY:
            limit = hard
        resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
