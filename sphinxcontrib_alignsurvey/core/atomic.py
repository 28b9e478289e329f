"""Write files so that a failure never leaves a half-written output behind.

Temporary files are hidden siblings of their target named
``.NAME.alignsurvey-XXXXXXXX.tmp``, so a later run can tell its own leftovers
(from a run killed without a chance to clean up) from anything else in the
folder, and :func:`remove_stale_temps` removes only those.  SIGTERM and
SIGHUP are turned into an exception while files are written
(:func:`terminate_raises`), so the ``except``/``finally`` blocks below run
instead of the process dying with temporaries on disk.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

#: What marks a temporary file as ours: ``.NAME`` + this + 8 random characters + ``.tmp``.
TEMP_MARK = ".alignsurvey-"
_OURS = re.compile(r"\..+\.alignsurvey-[a-z0-9_]{8}\.tmp")
# before TEMP_MARK existed, the converter's temporaries were ".NAME.XXXXXXXX.tmp" beside its own outputs
_LEGACY = re.compile(r"\.(?:graph\.(?:ttl|nt|jsonld|rdf)|[^/]+\.bib)\.[a-z0-9_]{8}\.tmp")


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM, SIGHUP); raised so clean-up code runs.

    A ``BaseException``, like ``KeyboardInterrupt``, so ordinary ``except
    Exception`` handlers do not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


def _raise(signum: int, frame: object) -> None:
    raise Terminated(signum)


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def terminate_raises() -> Iterator[None]:
    """Within the block, SIGTERM/SIGHUP raise :class:`Terminated` instead of ending the process.

    Only where Python can handle signals (the main thread), and only for signals
    nobody else has claimed: a host application's own handler is left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in _STOP_SIGNALS:
        if signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, _raise)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold back stop signals (and Ctrl-C) for a short critical section; they take effect after it.

    Done with Python handlers that only take note, not with a signal mask: a
    mask covers one thread, and the kernel may deliver a process's signal to
    another one (a progress display's refresh thread, say).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (*_STOP_SIGNALS, signal.SIGINT)
    previous = {signum: signal.signal(signum, lambda n, f: caught.append(n)) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            handler = previous[caught[0]]
            if callable(handler):
                handler(caught[0], None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(caught[0])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temp_beside(target: Path) -> Path:
    """A new, empty temporary file in *target*'s folder, named as ours."""
    import tempfile  # here: every command imports this module (Terminated), few of them write

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}{TEMP_MARK}", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(tmp)


def is_our_temp(name: str) -> bool:
    return bool(_OURS.fullmatch(name) or _LEGACY.fullmatch(name))


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete the temporaries a killed run left in *folder*; call it only while holding the folder's lock."""
    removed = []
    for entry in os.scandir(folder):
        if is_our_temp(entry.name) and entry.is_file(follow_symlinks=False):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def fsync_folder(folder: Path) -> None:
    """Make renames in *folder* durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_write(path: str | Path, mode: str = "wb") -> Iterator[IO]:
    """Write to a temporary file beside *path*, then rename it into place."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_beside(target)
    try:
        text = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with open(tmp, mode, **text) as fh:  # type: ignore[call-overload]
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_write(path, "wb") as fh:
        fh.write(data)


def write_text(path: str | Path, text: str) -> None:
    with atomic_write(path, "w") as fh:
        fh.write(text)


@contextmanager
def atomic_group(targets: list[Path]) -> Iterator[list[Path]]:
    """Temporary paths for several outputs; all are moved into place only if
    the block succeeds, so a failure leaves every target untouched."""
    with temporaries(targets) as temps:
        yield temps
        with signals_deferred():
            move_into_place(temps, targets)


@contextmanager
def temporaries(targets: list[Path]) -> Iterator[list[Path]]:
    """One temporary per target; every one still on disk is removed if the block fails."""
    temps: list[Path] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            temps.append(temp_beside(target))
        yield temps
    except BaseException:
        for tmp in temps:
            with suppress(FileNotFoundError):
                os.unlink(tmp)
        raise


def sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_into_place(temps: list[Path], targets: list[Path]) -> None:
    """Rename each finished temporary onto its target (readers see the old or the new file, never a part)."""
    mode = 0o666 & ~_umask()
    for tmp, target in zip(temps, targets, strict=True):
        os.chmod(tmp, mode)
        os.replace(tmp, target)
