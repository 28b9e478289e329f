"""The register of published citation keys: once a key is out, it never changes.

Why: users type keys into ``\\cite`` commands and Sphinx ``:cite:`` roles.
A key made from the first author's name would change the day the authors of
a work become known, so every key the package has published is recorded in
``ontology/citation-keys.tsv`` (key, the work's normalised title, and any
former keys) and wins over the rule in :mod:`.keys`.  New works get a key by
the rule once, and registering it freezes it.  A former key (a work that had
no authors got its author-year key once) is written as biblatex's ``ids``
alias, so documents that cite it still resolve under biblatex.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.resources import ontology_file
from .metadata import MetadataError

REGISTER_FILE = "citation-keys.tsv"


@dataclass(frozen=True, slots=True)
class Registered:
    key: str
    former: tuple[str, ...] = ()


def load_register(path: str | Path | None = None) -> dict[str, Registered]:
    """Normalised title -> its published key; ``MetadataError`` names the bad line."""
    path = Path(path) if path is not None else ontology_file(REGISTER_FILE)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise MetadataError(str(path), 0, f"cannot read the key register: {exc}") from None
    out: dict[str, Registered] = {}
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3) or not all(fields[:2]):
            raise MetadataError(str(path), number, "expected 'KEY<TAB>normalised title[<TAB>former,keys]'")
        key, title = fields[0], fields[1]
        former = tuple(k for k in (fields[2].split(",") if len(fields) == 3 else ()) if k)
        for name in (key, *former):
            if name in seen:
                raise MetadataError(str(path), number, f"key {name!r} is registered twice (first at line {seen[name]})")
            seen[name] = number
        if title in out:
            raise MetadataError(str(path), number, f"this work already has the key {out[title].key!r}")
        out[title] = Registered(key, former)
    return out
