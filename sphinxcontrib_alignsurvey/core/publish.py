"""Replace one conversion in a folder by another as a group, whatever interrupts it.

The protocol, all under the folder's lock (:mod:`.lock`):

1. remove temporaries a killed run left (:func:`.atomic.remove_stale_temps`);
2. find what is ours: the outputs the manifest lists, with their SHA-256, plus
   those of an interrupted switch's journal.  A file this run would replace
   that is not ours (or was changed since) is refused unless *force*;
3. write every output to a temporary file beside its target, and hash it;
4. write the journal (``.alignsurvey-journal.json``: every name and digest
   that may be ours), so a run killed during the switch can be recognised;
5. the switch, with stop signals held back: rename each temporary onto its
   target, delete our stale outputs (listed before, not written now, and
   unchanged), write the new manifest, drop the journal.

What a reader sees: the manifest is replaced last, in one rename, so it
always describes one complete conversion; each output is replaced in one
rename, so a reader of the graph gets the old or the new graph, never a part
of one.  Only a reader that combines several outputs during the switch (a
few renames long) may see a new graph beside an old ``.bib``; after a kill
at that moment the digests no longer match the manifest, ``alignsurvey
validate`` says so, and the next conversion repairs the folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .atomic import (
    fsync_folder,
    move_into_place,
    remove_stale_temps,
    signals_deferred,
    temporaries,
    terminate_raises,
    write_bytes,
)
from .lock import folder_lock
from .manifest import MANIFEST_NAME, Entry, Manifest, ManifestError, read_manifest, sha256_file
from .progress import QUIET, Progress

JOURNAL_NAME = ".alignsurvey-journal.json"


@dataclass(frozen=True, slots=True)
class Output:
    """One file of a conversion: its name in the folder, its role, and how to write its bytes."""

    name: str
    role: str
    write: Callable[[IO[bytes]], None]
    format: str | None = None


@dataclass
class Published:
    manifest: Manifest
    written: list[Path]
    removed: list[Path] = field(default_factory=list)  # stale outputs of the previous conversion
    kept: list[Path] = field(default_factory=list)  # stale outputs changed by hand: left alone
    temporaries_removed: list[Path] = field(default_factory=list)


class ForeignFiles(Exception):
    """Files this run would replace that alignsurvey did not write (or that were changed since)."""

    def __init__(self, problems: list[tuple[Path, str]]) -> None:
        listed = "; ".join(f"{path} ({why})" for path, why in problems)
        super().__init__(f"refusing to replace files alignsurvey did not write: {listed}")
        self.problems = problems


def _owned(folder: Path) -> tuple[dict[str, set[str]], list[tuple[Path, str]]]:
    """Names and digests of what earlier runs wrote here, and a problem if the manifest is not ours."""
    owned: dict[str, set[str]] = {}
    problems: list[tuple[Path, str]] = []
    try:
        manifest = read_manifest(folder)
    except ManifestError:
        manifest = None
        problems.append((folder / MANIFEST_NAME, "not an alignsurvey manifest"))
    for entry in manifest.outputs if manifest else ():
        owned.setdefault(entry.name, set()).add(entry.sha256)
    try:
        journal = json.loads((folder / JOURNAL_NAME).read_bytes())
        for name, digest in journal["owned"]:
            if "/" not in name:
                owned.setdefault(str(name), set()).add(str(digest))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no interrupted switch (the journal is written atomically, so never half)
    return owned, problems


def _is_plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def publish(
    folder: str | Path,
    outputs: Sequence[Output],
    inputs: Sequence[Entry],
    generator: str,
    *,
    force: bool = False,
    wait: float = 0.0,
    on_wait: Callable[[int | None], None] | None = None,
    progress: Progress = QUIET,
) -> Published:
    """Write *outputs* into *folder* as one conversion, replacing the previous one there."""
    folder = Path(folder)
    created: list[Path] = []  # the folders made here, deepest first
    for path in (folder, *folder.parents):
        if path.exists():
            break
        created.append(path)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return _publish(folder, outputs, inputs, generator, force, wait, on_wait, progress)
    except BaseException:
        with suppress(OSError):  # an interrupted first conversion leaves no empty folders behind
            for path in created:
                path.rmdir()
        raise


def _publish(
    folder: Path,
    outputs: Sequence[Output],
    inputs: Sequence[Entry],
    generator: str,
    force: bool,
    wait: float,
    on_wait: Callable[[int | None], None] | None,
    progress: Progress,
) -> Published:
    with terminate_raises(), folder_lock(folder, wait, on_wait):
        cleaned = remove_stale_temps(folder)
        owned, problems = _owned(folder)
        for out in outputs:
            path = folder / out.name
            if not (path.exists() or path.is_symlink()):
                continue
            if not _is_plain_file(path):
                problems.append((path, "not a regular file"))
            elif sha256_file(path) not in owned.get(out.name, ()):
                problems.append(
                    (path, "changed since alignsurvey wrote it" if out.name in owned else "not written by alignsurvey")
                )
        if problems and not force:
            raise ForeignFiles(problems)

        targets = [folder / out.name for out in outputs]
        journal = folder / JOURNAL_NAME
        switching = False
        try:
            with temporaries(targets) as temps:
                entries = []
                for out, tmp in zip(outputs, temps, strict=True):
                    with progress.step(f"writing {out.name}"):
                        with open(tmp, "wb") as fh:
                            out.write(fh)
                            fh.flush()
                            os.fsync(fh.fileno())
                        entries.append(Entry(out.name, out.role, sha256_file(tmp), out.format))
                manifest = Manifest(generator, tuple(inputs), tuple(entries))
                new = {e.name for e in entries}
                stale: list[Path] = []
                kept: list[Path] = []
                for name, digests in sorted(owned.items()):
                    path = folder / name
                    if name in new or name == MANIFEST_NAME or not _is_plain_file(path):
                        continue
                    (stale if sha256_file(path) in digests else kept).append(path)
                everything = sorted(
                    {(n, d) for n, ds in owned.items() for d in ds} | {(e.name, e.sha256) for e in entries}
                )
                write_bytes(journal, json.dumps({"owned": everything}).encode())
                with progress.step("switching to the new outputs"), signals_deferred():
                    switching = True
                    move_into_place(temps, targets)
                    for path in stale:
                        with suppress(FileNotFoundError):
                            path.unlink()
                    write_bytes(folder / MANIFEST_NAME, manifest.to_bytes())
                    fsync_folder(folder)
                    journal.unlink()
        except BaseException:
            if not switching:  # nothing was renamed: the journal has nothing to recover
                with suppress(FileNotFoundError):
                    journal.unlink()
            raise
    return Published(manifest, [*targets, folder / MANIFEST_NAME], stale, kept, cleaned)
