"""One writer per output folder: an advisory lock on the folder itself.

Why the folder and not a lock file: ``flock`` on the folder's own descriptor
needs no extra file that could be left behind, shipped or deleted while held.
The holder's pid goes into a small hidden file (``.alignsurvey-lock``) only so
that a second writer can say who it is waiting for; the lock is released by
the kernel when the holder exits, however it exits.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, one writer is the user's business
    fcntl = None  # type: ignore[assignment]

HOLDER_NAME = ".alignsurvey-lock"
POLL_SECONDS = 0.1


class FolderBusy(OSError):
    """Another process is writing the folder."""

    def __init__(self, folder: Path, pid: int | None) -> None:
        who = f"another alignsurvey process (pid {pid})" if pid else "another alignsurvey process"
        super().__init__(f"{folder}: {who} is writing this folder")
        self.folder = folder
        self.pid = pid


def holder(folder: Path) -> int | None:
    """The pid the current holder wrote, if it is readable and still running."""
    try:
        pid = int((folder / HOLDER_NAME).read_text(encoding="ascii").strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


@contextmanager
def folder_lock(
    folder: str | Path, wait: float = 0.0, on_wait: Callable[[int | None], None] | None = None
) -> Iterator[None]:
    """Hold *folder* exclusively; if another process holds it, wait up to *wait* seconds, then
    raise :class:`FolderBusy` naming that process.  *on_wait* is called once, before waiting."""
    folder = Path(folder)
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FolderBusy(folder, holder(folder)) from None
                if on_wait and not told:
                    on_wait(holder(folder))
                    told = True
                time.sleep(POLL_SECONDS)
        pid_file = folder / HOLDER_NAME
        pid_file.write_text(f"{os.getpid()}\n", encoding="ascii")
        try:
            yield
        finally:
            with suppress(OSError):
                pid_file.unlink()
    finally:
        os.close(fd)  # releases the lock
