"""The Oxigraph server (PyPI ``oxigraph``) over a temporary database, for tests and comparisons.

``alignsurvey serve`` no longer uses it (see :mod:`.httpd` for why); the
test suite still runs every competency query against it, to show that our
answers match an independent SPARQL server, and uses its writable mode as a
Graph Store for ``alignsurvey load``.

The server process is tied to ours: it gets SIGKILL when the thread that
started it ends (``PR_SET_PDEATHSIG``), so a killed test run leaves no server
listening.  Its database folder is named after our process id, and folders
of processes that no longer run are removed when the next server starts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import sandbox
from .errors import QueryError

LOOPBACK = "127.0.0.1"
TEMP_PREFIX = "alignsurvey-oxigraph-"


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable: next to this Python first, then on PATH."""
    local = Path(sys.executable).parent / "oxigraph"
    if local.is_file():
        return str(local)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise QueryError(
        "the Oxigraph server is not installed: pip install 'sphinxcontrib-alignsurvey[server]' (package oxigraph)"
    )


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def check_port_free(port: int) -> None:
    """Refuse a port another program listens on, before the server would quietly share it.

    Why: the readiness check only sees that *something* answers on the port,
    so without this ``serve`` would announce an endpoint that is not ours.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is free
        try:
            sock.bind((LOOPBACK, port))
        except OSError as exc:
            raise QueryError(
                f"port {port} on {LOOPBACK} is already in use ({exc.strerror}); choose another with --port"
            ) from None


def load_database(location: Path, sources: Sequence[Path]) -> None:
    """Load RDF files into an Oxigraph database directory."""
    cmd = [oxigraph_binary(), "load", "--location", str(location), "--file", *map(str, sources)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, preexec_fn=_die_with_parent)
    if done.returncode != 0:
        raise QueryError(f"oxigraph load failed: {done.stderr.strip() or done.stdout.strip()}")


def serve_command(location: Path, port: int, timeout: float | None, *, writable: bool = False) -> list[str]:
    """The server command line: read-only over *location* unless *writable* (in-memory)."""
    cmd = [oxigraph_binary(), "serve" if writable else "serve-read-only"]
    if not writable:
        cmd += ["--location", str(location)]
    cmd += ["--bind", f"{LOOPBACK}:{port}", "--union-default-graph"]
    if timeout:
        cmd += ["--timeout-s", str(max(1, round(timeout)))]
    return cmd


def wait_until_listening(proc: subprocess.Popen[bytes], port: int, limit: float = 30.0) -> None:
    """Block until the server accepts connections, or fail with its own message."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
            raise QueryError(f"the Oxigraph server stopped at start: {err or f'exit status {proc.returncode}'}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.2)
            if sock.connect_ex((LOOPBACK, port)) == 0 and proc.poll() is None:
                return
        time.sleep(0.05)
    proc.kill()
    raise QueryError(f"the Oxigraph server did not listen on {LOOPBACK}:{port} within {limit:g} s")


def remove_stale_folders(parent: Path | None = None) -> list[Path]:
    """Remove database folders left by servers whose process is gone; returns what was removed.

    Only folders named ``alignsurvey-oxigraph-PID-...`` are considered, and only
    when no process PID runs: a folder of a live process is never touched.
    """
    removed = []
    root = Path(parent or tempfile.gettempdir())
    for folder in root.glob(TEMP_PREFIX + "*-*"):
        pid_text = folder.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or not folder.is_dir() or folder.is_symlink():
            continue
        try:
            os.kill(int(pid_text), 0)
            continue  # still running (or not ours to signal): leave it
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _die_with_parent() -> None:
    """Runs in the forked child before exec: the server gets SIGKILL when our thread ends."""
    if sandbox.capabilities()["parent_death_signal"]:
        sandbox.arm_parent_death_signal()


@contextlib.contextmanager
def running_server(
    sources: Sequence[Path], port: int | None = None, *, timeout: float | None = None, writable: bool = False
) -> Iterator[str]:
    """Serve *sources* on loopback for the duration of the block; yields the query URL.

    With ``writable`` the server starts empty and in memory (read-write), for
    tests of ``alignsurvey load``; *sources* are then ignored.
    """
    if port:
        check_port_free(port)
    else:
        port = free_port()
    remove_stale_folders()
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as tmp:
        location = Path(tmp) / "db"
        if not writable:
            load_database(location, sources)
        proc = subprocess.Popen(
            serve_command(location, port, timeout, writable=writable),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only arms the parent-death signal
        )
        try:
            wait_until_listening(proc, port)
            yield f"http://{LOOPBACK}:{port}/query"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
