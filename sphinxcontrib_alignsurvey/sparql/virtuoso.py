"""Virtuoso (Debian's ``virtuoso-opensource``) on loopback: the tested scale-out store.

Why a project-written ``virtuoso.ini``: the packaged one listens on every
address, keeps Virtuoso's default 10,000-row cap (answers past it are cut
short, see :mod:`.complete`) and lives in ``/var/lib``.  :func:`write_ini`
writes one into a folder of our own: both ports on 127.0.0.1, the row caps
raised to :data:`MAX_ROWS`, no query time cap (our client keeps its own
deadline), and ``DirsAllowed`` limited to that folder so the bulk loader reads
only files placed there.

Queries go to ``/sparql`` with ``default-graph-uri`` set to the loaded graph:
without it Virtuoso answers over every graph it holds, its own system graphs
included.  Loading goes through ``/sparql-graph-crud-auth`` (HTTP Digest,
credentials from the environment or netrc) or :func:`bulk_load`
(``ld_add`` + ``rdf_loader_run()`` through ``isql``).
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import QueryError
from .server import LOOPBACK, _die_with_parent, free_port

MAX_ROWS = 10_000_000
GRAPH = "https://w3id.org/alignsurvey/graph"

INI = """\
; written by sphinxcontrib-alignsurvey: loopback only, row caps raised
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort         = {host}:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = {dir}
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {dirty}
CheckpointInterval = 0
MaxSortedTopRows   = {max_rows}
ThreadsPerQuery    = 2

[HTTPServer]
ServerPort         = {host}:{http_port}
ServerRoot         = {dir}
ServerThreads      = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxSortedTopRows           = {max_rows}
MaxQueryExecutionTime      = 0
MaxQueryCostEstimationTime = 0
"""


def binaries() -> tuple[str, str]:
    """The server and its SQL client: ``virtuoso-t`` and ``isql-vt`` (Debian) or ``isql``."""
    server = shutil.which("virtuoso-t")
    client = shutil.which("isql-vt") or shutil.which("isql")
    if not server or not client:
        raise QueryError("Virtuoso is not installed: apt-get install virtuoso-opensource (virtuoso-t and isql-vt)")
    return server, client


def write_ini(folder: Path, http_port: int, sql_port: int, *, memory_mb: int = 1024, max_rows: int = MAX_ROWS) -> Path:
    """A ``virtuoso.ini`` for a database in *folder*, listening on 127.0.0.1 only.

    *memory_mb* sizes the page buffers (8 kB each; Virtuoso's guide: about
    two thirds of the memory given to it).
    """
    buffers = max(10_000, memory_mb * 2**20 * 2 // 3 // 8192)
    text = INI.format(
        dir=folder.resolve(),
        host=LOOPBACK,
        sql_port=sql_port,
        http_port=http_port,
        buffers=buffers,
        dirty=buffers * 3 // 4,
        max_rows=max_rows,
    )
    path = folder / "virtuoso.ini"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Virtuoso:
    """A running server: where to query and load, and how to reach its SQL port."""

    folder: Path
    http_port: int
    sql_port: int
    password: str
    process: subprocess.Popen[bytes]
    graph: str = GRAPH

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}"

    @property
    def query_url(self) -> str:
        """``/sparql`` over the loaded graph only (Virtuoso's system graphs left out)."""
        return f"{self.base}/sparql?" + urllib.parse.urlencode({"default-graph-uri": self.graph})

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint that takes HTTP Digest credentials."""
        return f"{self.base}/sparql-graph-crud-auth"

    def isql(self, sql: str, timeout: float = 600) -> str:
        return isql(self.sql_port, sql, "dba", self.password, timeout=timeout)


def isql(port: int, sql: str, user: str, password: str, *, timeout: float = 600) -> str:
    """Run SQL statements through ``isql`` on loopback; raise with Virtuoso's message on an error."""
    _, client = binaries()
    done = subprocess.run(
        [client, f"{LOOPBACK}:{port}", user, password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF"],
        input=sql.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
        preexec_fn=_die_with_parent,
    )
    out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or "*** Error" in out:
        raise QueryError(f"Virtuoso isql failed: {out.strip()[-600:]}")
    return out


def wait_until_ready(proc: subprocess.Popen[bytes], port: int, log: Path, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text("utf-8", "replace")[-800:] if log.is_file() else ""
            raise QueryError(f"Virtuoso stopped at start (exit {proc.returncode}): {tail.strip()}")
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex((LOOPBACK, port)) == 0:
                return
        time.sleep(0.1)
    proc.kill()
    raise QueryError(f"Virtuoso did not listen on {LOOPBACK}:{port} within {limit:g} s")


@contextlib.contextmanager
def running(folder: Path | None = None, *, memory_mb: int = 1024, max_rows: int = MAX_ROWS) -> Iterator[Virtuoso]:
    """Start Virtuoso with a fresh database in *folder* (a temporary one by default); stop it after the block.

    The ``dba`` password is replaced by a random one at start (the package's
    default is public knowledge) and is only in :attr:`Virtuoso.password`.
    *max_rows* sets both row caps (``ResultSetMaxRows``, ``MaxSortedTopRows``);
    Virtuoso's own default is 10,000 for each.
    """
    server, _ = binaries()
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="alignsurvey-virtuoso-")))
        folder.mkdir(parents=True, exist_ok=True)
        http_port, sql_port = free_port(), free_port()
        while sql_port == http_port:
            sql_port = free_port()
        ini = write_ini(folder, http_port, sql_port, memory_mb=memory_mb, max_rows=max_rows)
        log = folder / "server.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [server, "+configfile", str(ini), "+foreground"],
                cwd=folder,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,  # only arms the parent-death signal
            )
        try:
            wait_until_ready(proc, http_port, log)
            password = secrets.token_hex(12)
            isql(sql_port, f"USER_SET_PASSWORD('dba', '{password}');\n", "dba", "dba")
            yield Virtuoso(folder, http_port, sql_port, password, proc)
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def bulk_load(
    port: int,
    paths: Sequence[Path],
    graph: str,
    *,
    replace: bool = False,
    user: str | None = None,
    password: str | None = None,
) -> int:
    """Load files with Virtuoso's bulk loader (``ld_add``, ``rdf_loader_run()``); returns the graph's size.

    The files must be in a folder the server's ``DirsAllowed`` names.
    Credentials: *user*/*password*, else the environment or netrc (as for HTTP).
    """
    if user is None or password is None:
        from .endpoint import credentials

        found = credentials(f"http://{LOOPBACK}:{port}/")
        if found is None:
            raise QueryError(
                "Virtuoso's bulk loader needs the dba credentials: set ALIGNSURVEY_ENDPOINT_USER and "
                "ALIGNSURVEY_ENDPOINT_PASSWORD, or a netrc line for 127.0.0.1"
            )
        user, password = found
    statements = [f"SPARQL CLEAR GRAPH <{graph}>;"] if replace else []
    statements += [f"ld_add({_sql_string(str(p.resolve()))}, {_sql_string(graph)});" for p in paths]
    statements += ["rdf_loader_run();", "checkpoint;"]
    files = ", ".join(_sql_string(str(p.resolve())) for p in paths)
    statements.append(
        f"SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL AND ll_file IN ({files});"
    )
    out = isql(port, "\n".join(statements) + "\n", user, password)
    failed = [line for line in out.splitlines() if any(str(p.resolve()) in line for p in paths)]
    if failed:
        raise QueryError("Virtuoso's bulk loader refused: " + "; ".join(failed)[:800])
    count = isql(port, f"SPARQL SELECT COUNT(*) FROM <{graph}> WHERE {{ ?s ?p ?o }};\n", user, password)
    numbers = [line.strip() for line in count.splitlines() if line.strip().isdigit()]
    return int(numbers[-1]) if numbers else 0
