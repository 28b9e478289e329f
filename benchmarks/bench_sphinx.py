"""Benchmark the Sphinx extension; prints figures, asserts nothing.

A generated project of 200 pages with 1,000 card directives and 5,000 roles
is built (html, fresh) with the extension, and as the baseline with every
directive and role replaced by plain text of the same content and without
the extension.  Also: graph load time at build start (cold and cached), and
``-j 2`` against ``-j 1``.

    python benchmarks/bench_sphinx.py [--pages 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sphinxcontrib_alignsurvey.sparql.api import open_engine
from sphinxcontrib_alignsurvey.sphinxext.catalog import build_catalog

CARDS_PER_PAGE = 5
ROLES_PER_PAGE = 25


def generate(root: Path, pages: int, with_extension: bool) -> None:
    catalog = build_catalog(open_engine())
    concepts = sorted(catalog.of_kind("method") + catalog.of_kind("challenge"), key=lambda r: r.key)
    root.mkdir(parents=True)
    ext = '["sphinxcontrib_alignsurvey"]' if with_extension else "[]"
    (root / "conf.py").write_text(f"extensions = {ext}\nproject = 'bench'\nsuppress_warnings = ['alignsurvey.duplicate']\n")
    toc = "\n".join(f"   page{i:03d}" for i in range(pages))
    (root / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n\n{toc}\n")
    n = 0
    for i in range(pages):
        lines = [f"Page {i}", "=" * (5 + len(str(i))), ""]
        for j in range(CARDS_PER_PAGE):
            rec = concepts[(i * CARDS_PER_PAGE + j) % len(concepts)]
            if with_extension:
                noindex = "   :noindex:\n" if (i * CARDS_PER_PAGE + j) >= len(concepts) else ""
                lines.append(f".. alignment-{rec.kind}:: {rec.id}\n{noindex}")
            else:
                lines.append(f"**{rec.label}**\n\n{rec.definition or rec.label}\n")
        words = []
        for k in range(ROLES_PER_PAGE):
            rec = concepts[(n + k * 7) % len(concepts)]
            words.append(f":align:{rec.kind}:`{rec.id}`" if with_extension else rec.label)
        n += ROLES_PER_PAGE
        lines.append("See " + ", ".join(words) + ".\n")
        (root / f"page{i:03d}.rst").write_text("\n".join(lines))


def sphinx_build(src: Path, out: Path, jobs: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", "-j", str(jobs), str(src), str(out)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="alignsurvey-bench-"))

    start = time.perf_counter()
    engine = open_engine()
    loaded = time.perf_counter()
    build_catalog(engine)
    built = time.perf_counter()
    print(f"graph load (bundled, cold): {loaded - start:.3f} s parse + {built - loaded:.3f} s catalog "
          f"= {built - start:.3f} s (target < 0.3 s)")

    ext, plain = base / "ext", base / "plain"
    generate(ext, args.pages, True)
    generate(plain, args.pages, False)
    print(f"project: {args.pages} pages, {args.pages * CARDS_PER_PAGE} directives, "
          f"{args.pages * ROLES_PER_PAGE} roles ({base})")

    t_plain = sphinx_build(plain, base / "out-plain", 1)
    t_ext = sphinx_build(ext, base / "out-ext", 1)
    t_ext_cached = sphinx_build(ext, base / "out-ext", 1)  # -E: re-read all, catalog from the disk cache
    print(f"baseline (plain text, no extension), -j 1: {t_plain:.2f} s")
    print(f"with the extension, -j 1 (cold catalog):   {t_ext:.2f} s  ratio {t_ext / t_plain:.2f}x")
    print(f"with the extension, -j 1 (cached catalog): {t_ext_cached:.2f} s  ratio {t_ext_cached / t_plain:.2f}x "
          "(target <= 1.3x)")
    t_j2 = sphinx_build(ext, base / "out-ext-j2", 2)
    print(f"with the extension, -j 2: {t_j2:.2f} s  (-j 2 / -j 1 = {t_j2 / t_ext_cached:.2f})")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
