"""Every local link in a built HTML site points at a file that was written, and at an id in it.

Why: Sphinx's ``linkcheck`` builder checks the links written in the sources
(and, here, no external ones: CI has no network), but not the pages a
cross-reference resolves to: a ``:ref:`` to a domain index that is never
written (an index with no entries) comes out as a link to a missing
``.html`` file and passes both ``-W`` and ``linkcheck``.  This reads the
built files instead, including the links inside SVG diagrams.

Usage: ``python docs/_tools/check_links.py BUILD_DIR [BUILD_DIR ...]``;
prints ``file: dead link -> target`` for each and exits 1 when there is one.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {"href", "src", "xlink:href"}


class _Page(HTMLParser):
    """Collects a page's link targets and the ids it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRS:
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)

    handle_startendtag = handle_starttag


def _parse(path: Path, cache: dict[Path, _Page]) -> _Page:
    if path not in cache:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        page.close()
        cache[path] = page
    return cache[path]


def dead_links(root: Path) -> list[tuple[Path, str]]:
    """(file, link) for each local link whose file or fragment does not exist."""
    cache: dict[Path, _Page] = {}
    dead: list[tuple[Path, str]] = []
    files = sorted(p for p in root.rglob("*") if p.suffix in (".html", ".svg") and p.is_file())
    for source in files:
        for link in _parse(source, cache).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:", "javascript:")):
                continue  # external: not checked here (no network)
            target = source if not parts.path else (source.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            missing_id = (
                target.exists()
                and bool(parts.fragment)
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _parse(target, cache).ids
            )
            if not target.exists() or missing_id:
                dead.append((source, link))
    return dead


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    found = 0
    for arg in argv:
        root = Path(arg)
        if not root.is_dir():
            print(f"{arg}: not a directory", file=sys.stderr)
            return 2
        for source, link in dead_links(root):
            print(f"{source.relative_to(root)}: dead link -> {link}")
            found += 1
    if found:
        print(f"{found} dead local link(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
