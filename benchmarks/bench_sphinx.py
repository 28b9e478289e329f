"""Benchmark the Sphinx extension; prints figures, asserts nothing.

A generated project of 200 pages with 1,000 card directives and 5,000 roles
is built (html, from scratch) with the extension, and compared with projects
without it, flattened from the extension build's own doctrees (cards
thawed), so they cannot drift apart:

* text baseline: each card becomes plain paragraphs and bullet lists of
  exactly the text it renders, and each role becomes its label as plain text;
* Sphinx baseline: the same paragraphs, each card's paragraphs under a label
  where the card's anchor was, and every reference -- the roles *and* the
  links inside the cards -- a ``:ref:`` to that label, i.e. the same linked
  document written with Sphinx alone;
* sphinx-needs peer: the same content as sphinx-needs objects, one ``need``
  per card with the card's paragraphs as its content and every reference a
  ``:need:`` role (install with ``pip install -e '.[bench]'``).

The extension paces Python's cyclic collector during the build
(``alignsurvey_moderate_gc``, on by default); so that the figures say what
that is worth and what the extension's own work is, each comparison is also
made like for like: the extension at Python's pace, and the baselines and the
peer with the same pace set in their ``conf.py``.

Every variant starts clean in every round (no doctrees, no cached graph);
the extension's incremental rebuild with its cached graph is reported apart.
Also: graph load time at build start (cold and cached), and ``-j 2`` against
``-j 1``.

    python benchmarks/bench_sphinx.py [--pages 200] [--runs 3] [--keep DIR] [--breakdown] [--profile]
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from sphinxcontrib_alignsurvey.core.collector import DOCS_GC_THRESHOLD
from sphinxcontrib_alignsurvey.sparql.api import open_engine
from sphinxcontrib_alignsurvey.sphinxext.catalog import build_catalog
from sphinxcontrib_alignsurvey.sphinxext.directives.card import anchor_for
from sphinxcontrib_alignsurvey.sphinxext.frozen import PAYLOAD, thaw
from sphinxcontrib_alignsurvey.sphinxext.records import ObjectKey
from sphinxcontrib_alignsurvey.sphinxext.sources import compiled_bundled_catalog

CARDS_PER_PAGE = 5
ROLES_PER_PAGE = 25


def generate(root: Path, pages: int) -> None:
    """The extension project: cards and roles over the bundled graph's concepts."""
    catalog = build_catalog(open_engine())
    concepts = sorted(catalog.of_kind("method") + catalog.of_kind("challenge"), key=lambda r: r.key)
    root.mkdir(parents=True)
    (root / "conf.py").write_text(
        "extensions = ['sphinxcontrib_alignsurvey']\nproject = 'bench'\nsuppress_warnings = ['alignsurvey.duplicate']\n"
    )
    write_index(root, pages)
    n = 0
    for i in range(pages):
        lines = [f"Page {i}", "=" * (5 + len(str(i))), ""]
        for j in range(CARDS_PER_PAGE):
            rec = concepts[(i * CARDS_PER_PAGE + j) % len(concepts)]
            noindex = "   :noindex:\n" if (i * CARDS_PER_PAGE + j) >= len(concepts) else ""
            lines.append(f".. alignment-{rec.kind}:: {rec.id}\n{noindex}")
        words = []
        for k in range(ROLES_PER_PAGE):
            rec = concepts[(n + k * 7) % len(concepts)]
            words.append(f":align:{rec.kind}:`{rec.id}`")
        n += ROLES_PER_PAGE
        lines.append("See " + ", ".join(words) + ".\n")
        (root / f"page{i:03d}.rst").write_text("\n".join(lines))


def write_index(root: Path, pages: int) -> None:
    toc = "\n".join(f"   page{i:03d}" for i in range(pages))
    (root / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n\n{toc}\n")


# -- the baseline: the extension's rendering, flattened to plain reST ------------------------------
_SPECIAL = re.compile(r"([\\*`_|:<>\[\]])")


def esc(text: str) -> str:
    """One line of literal text as reST (no markup, list marker or section underline can arise)."""
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return "\\" + text if text and not text[0].isalnum() and text[0] != "\\" else text


def flatten(node: nodes.Node, out: list[str], indent: str = "", links: str = "") -> None:
    """Body elements of a card as paragraphs and bullet lists of their text.

    *links* keeps the references inside them: ``"ref"`` as ``:ref:`` roles, ``"need"`` as ``:need:``.
    """
    if isinstance(node, (addnodes.index, nodes.target, nodes.system_message)):
        return
    if isinstance(node, nodes.paragraph):
        text = linked(node, links) if links and node.next_node(addnodes.pending_xref) else esc(node.astext())
        out += [indent + text, ""]
    elif isinstance(node, nodes.bullet_list):
        for item in node.children:
            sub: list[str] = []
            for child in item.children:
                flatten(child, sub, "", links)
            first = True
            for line in sub:
                if line:
                    out.append(indent + ("- " if first else "  ") + line)
                    first = False
                else:
                    out.append("")
            out.append("")
    elif isinstance(node, nodes.field_list):
        for f in node.children:
            name, body = f.children[0].astext(), f.children[1]
            only = body.children[0] if len(body.children) == 1 else None
            if isinstance(only, nodes.paragraph):
                text = linked(only, links) if links and only.next_node(addnodes.pending_xref) else esc(only.astext())
                out += [indent + esc(f"{name}:") + " " + text, ""]
            else:
                out += [indent + esc(f"{name}:"), ""]
                for child in body.children:
                    flatten(child, out, indent, links)
    elif isinstance(node, nodes.Element):
        for child in node.children:
            flatten(child, out, indent, links)
    else:
        out += [indent + esc(node.astext()), ""]


def need_id(anchor: str) -> str:
    return "N_" + re.sub(r"[^A-Za-z0-9_]", "_", anchor).upper()


#: Anchors of the objects that have a card in the project: only these are link targets, as in the
#: extension's own build (a reference to an object without a card is plain text there too).
CARDED: set[str] = set()


def linked(node: nodes.paragraph, links: str = "ref") -> str:
    """A paragraph of text and ``:align:`` references, each reference as a ``:ref:`` (or ``:need:``)."""
    out = []
    for child in node.children:
        if (
            isinstance(child, addnodes.pending_xref)
            and child.get("refdomain") == "align"
            and (anchor_for(ObjectKey(child["reftype"], child["reftarget"])) in CARDED)
        ):
            anchor = anchor_for(ObjectKey(child["reftype"], child["reftarget"]))
            target = need_id(anchor) if links == "need" else anchor
            out.append(f":{links}:`{esc(child.astext())} <{target}>`")
        else:
            out.append(_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", child.astext())))
    return "".join(out)


def derive_plain(ext: Path, doctrees: Path, plain: Path, pages: int, links: str = "") -> None:
    """A baseline project from the extension build's doctrees (read, cards thawed, not resolved).

    *links*: ``""`` plain text, ``"ref"`` Sphinx labels and ``:ref:``, ``"need"`` sphinx-needs objects.
    """
    plain.mkdir(parents=True)
    conf = "extensions = []\nproject = 'bench'\n"
    if links == "need":
        conf = (
            "extensions = ['sphinx_needs']\nproject = 'bench'\nneeds_id_regex = '^N_[A-Z0-9_]+$'\n"
            "suppress_warnings = ['needs']\n"
        )
    (plain / "conf.py").write_text(conf)
    write_index(plain, pages)
    seen: set[str] = set()
    if not CARDED:
        for i in range(pages):
            with open(doctrees / f"page{i:03d}.doctree", "rb") as fh:
                CARDED.update(
                    n["ids"][0] for n in pickle.load(fh).findall(nodes.container) if PAYLOAD in n and n["ids"]
                )
    for i in range(pages):
        name = f"page{i:03d}"
        with open(doctrees / f"{name}.doctree", "rb") as fh:
            doctree = pickle.load(fh)
        section = doctree.next_node(nodes.section)
        title = section.next_node(nodes.title).astext()
        lines = [title, "=" * len(title), ""]
        for child in section.children[1:]:
            if isinstance(child, nodes.container) and PAYLOAD in child:
                thaw(child)
                anchor = child["ids"][0] if child["ids"] else ""
                if links == "need" and anchor and anchor not in seen:
                    seen.add(anchor)
                    body: list[str] = []
                    flatten(child, body, "   ", links)
                    lines += [f".. need:: {esc(anchor)}", f"   :id: {need_id(anchor)}", "", *body]
                    continue
                if links == "ref" and anchor:
                    lines += [f".. _{anchor}:", ""]
            if links and isinstance(child, nodes.paragraph) and child.next_node(addnodes.pending_xref):
                lines += [linked(child, links), ""]
            else:
                flatten(child, lines, "", links)
        (plain / f"{name}.rst").write_text("\n".join(lines))


def with_conf(src: Path, dest: Path, line: str) -> Path:
    """A copy of the project *src* whose ``conf.py`` ends with *line*."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest)
    with open(dest / "conf.py", "a") as fh:
        fh.write(f"\n{line}\n")
    return dest


PACED = f"import gc; gc.set_threshold(*{DOCS_GC_THRESHOLD!r})  # the extension's pace (core.collector)"


# -- builds ---------------------------------------------------------------------------------------------
def sphinx_build(src: Path, out: Path, jobs: int, keep_doctrees: bool = False) -> float:
    if not keep_doctrees:
        shutil.rmtree(out, ignore_errors=True)
    else:
        for p in out.glob("*"):
            if p.name != ".doctrees":
                shutil.rmtree(p) if p.is_dir() else p.unlink()
    cmd = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", "-j", str(jobs), str(src), str(out)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


BREAKDOWN = r"""
import gc, sys, time, functools
from collections import defaultdict
import sphinx.builders as B
from sphinx.cmd.build import build_main
acc, gc_time, t0 = defaultdict(float), [0.0], [0.0]
def on_gc(phase, info):
    if phase == "start":
        t0[0] = time.perf_counter()
    else:
        gc_time[0] += time.perf_counter() - t0[0]
gc.callbacks.append(on_gc)
def wrap(owner, name, label):
    f = getattr(owner, name)
    @functools.wraps(f)
    def timed(*a, **k):
        g, s = gc_time[0], time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            acc[label] += time.perf_counter() - s - (gc_time[0] - g)
    setattr(owner, name, timed)
wrap(B.Builder, "read", "read phase")
wrap(B.Builder, "write", "write phase")
if sys.argv[3].startswith("ext"):
    from sphinxcontrib_alignsurvey.sphinxext import domain, events, roles
    from sphinxcontrib_alignsurvey.sphinxext.directives import card
    wrap(events, "builder_inited", "  extension: graph load (builder-inited)")
    wrap(card.CardDirective, "run", "  extension: card directives")
    wrap(roles.AlignXRefRole, "run", "  extension: roles")
    wrap(domain.AlignDomain, "resolve_xref", "  extension: resolve_xref")
    from sphinxcontrib_alignsurvey.sphinxext import frozen
    wrap(frozen.ThawCards, "run", "  extension: thaw cards (post-transform)")
s = time.perf_counter()
build_main(["-q", "-E", "-b", "html", sys.argv[1], sys.argv[2]])
import resource
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"total {time.perf_counter() - s:.2f} s, of which garbage collection {gc_time[0]:.2f} s; peak {peak:.0f} MB")
for k, v in sorted(acc.items(), key=lambda kv: kv[0].startswith(" ")):
    print(f"{k} (without gc): {v:.2f} s")
"""


def breakdown(src: Path, out: Path, which: str) -> None:
    """Where the time goes, in-process: read/write phases, garbage collection, the extension's own code."""
    shutil.rmtree(out, ignore_errors=True)
    res = subprocess.run(
        [sys.executable, "-c", BREAKDOWN, str(src), str(out), which],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    print(f"\nbreakdown, {which} (-j 1, cold):")
    print("\n".join("  " + line for line in res.stdout.splitlines()))


def profile(src: Path, out: Path, top: int = 25) -> None:
    import cProfile
    import pstats

    shutil.rmtree(out, ignore_errors=True)
    stats_file = out.parent / "ext.prof"
    cmd = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(stats_file),
        "-m",
        "sphinx",
        "-q",
        "-E",
        "-b",
        "html",
        str(src),
        str(out),
    ]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    del cProfile
    stats = pstats.Stats(str(stats_file))
    print(f"\nprofile of the extension build (cProfile, inflated): top {top} by own time")
    stats.sort_stats("tottime").print_stats(top)
    print("the extension's own functions, by cumulative time")
    stats.sort_stats("cumulative").print_stats("sphinxcontrib_alignsurvey", 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="interleaved rounds of builds (min and median reported)")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the extension build")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time phases, garbage collection and the extension's own code in-process",
    )
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="alignsurvey-bench-"))

    start = time.perf_counter()
    engine = open_engine()
    loaded = time.perf_counter()
    build_catalog(engine)
    built = time.perf_counter()
    print(
        f"graph load (bundled, cold, in-process): {loaded - start:.3f} s parse + {built - loaded:.3f} s catalog "
        f"= {built - start:.3f} s (target < 0.3 s)"
    )
    start = time.perf_counter()
    compiled = compiled_bundled_catalog()
    print(
        f"graph load (bundled, the catalog compiled with it): {time.perf_counter() - start:.3f} s"
        + ("" if compiled is not None else " -- missing or stale: run docs/_tools/compile_catalog.py")
    )

    ext, plain, native = base / "ext", base / "plain", base / "native"
    generate(ext, args.pages)
    print(
        f"project: {args.pages} pages, {args.pages * CARDS_PER_PAGE} directives, "
        f"{args.pages * ROLES_PER_PAGE} roles ({base}); {os.cpu_count()} CPUs"
    )

    t_ext_cold = sphinx_build(ext, base / "out-ext", 1)  # no doctree dir yet: the catalog is built from RDF
    derive_plain(ext, base / "out-ext" / ".doctrees", plain, args.pages)
    derive_plain(ext, base / "out-ext" / ".doctrees", native, args.pages, links="ref")
    needs = base / "needs"
    try:
        import sphinx_needs  # noqa: F401

        derive_plain(ext, base / "out-ext" / ".doctrees", needs, args.pages, links="need")
    except ImportError:
        needs = None  # type: ignore[assignment]
        print("sphinx-needs is not installed (pip install -e '.[bench]'): no peer figures")
    cached = base / "out-ext" / ".doctrees" / "alignsurvey" / "catalog.pickle"
    t0 = time.perf_counter()
    with open(cached, "rb") as fh:
        pickle.load(fh)
    print(f"graph load (cached catalog pickle): {time.perf_counter() - t0:.3f} s")
    t_incremental = sphinx_build(ext, base / "out-ext", 1, keep_doctrees=True)  # -E re-reads; cached catalog

    # Interleaved rounds, so that a slow spell of the machine hits every variant alike; every build clean.
    variants = {"text": plain, "sphinx": native, "ext": ext}
    if needs is not None:
        variants["needs"] = needs
    like = {
        "ext-python": with_conf(ext, base / "ext-python", "alignsurvey_moderate_gc = False"),
        "sphinx-paced": with_conf(native, base / "native-paced", PACED),
    }
    if needs is not None:
        like["needs-paced"] = with_conf(needs, base / "needs-paced", PACED)
    variants.update(like)
    j1: dict[str, list[float]] = {k: [] for k in variants}
    for _ in range(args.runs):
        for name, src in variants.items():
            j1[name].append(sphinx_build(src, base / f"out-{name}", 1))
    lo = {k: min(v) for k, v in j1.items()}
    med = {k: statistics.median(v) for k, v in j1.items()}
    rows = [
        ("text", "text baseline (cards as plain paragraphs, no links)"),
        ("sphinx", "Sphinx baseline (same paragraphs, every link a :ref: to labels)"),
        ("needs", "sphinx-needs peer (one need per card, every link a :need:)"),
        ("ext", "with the extension, as shipped (graph read from RDF)"),
        ("ext-python", "with the extension at Python's collector pace"),
        ("sphinx-paced", "Sphinx baseline at the extension's collector pace"),
        ("needs-paced", "sphinx-needs peer at the extension's collector pace"),
    ]
    print(f"-j 1, {args.runs} interleaved round(s), every build clean; min (median) seconds:")
    for key, label in rows:
        if key in lo:
            print(f"  {label + ':':<68}{lo[key]:6.2f} ({med[key]:.2f})")
    print(f"  {'with the extension, incremental (-E, cached graph), once:':<68}{t_incremental:6.2f}")
    print(f"  {'with the extension, the very first build (no doctrees), once:':<68}{t_ext_cold:6.2f}")

    def ratio(a: str, b: str, label: str, target: str = "") -> None:
        # paired: each round's two builds ran minutes apart at most, so a slow spell of the machine
        # cancels out of their ratio; the median of those ratios is the steadiest figure
        if a in lo and b in lo:
            paired = statistics.median(x / y for x, y in zip(j1[a], j1[b], strict=True))
            print(f"  {label + ':':<52}{lo[a] / lo[b]:.2f}x ({med[a] / med[b]:.2f}x) [{paired:.2f}x]{target}")

    print("ratios, min (median) [median of each round's ratio]:")
    ratio("ext", "sphinx", "extension / Sphinx baseline, as each ships", " (target <= 1.0x)")
    ratio("ext", "needs", "extension / sphinx-needs, as each ships", " (target <= 0.5x)")
    ratio("ext-python", "sphinx", "like for like, Python's pace: / Sphinx baseline")
    ratio("ext-python", "needs", "like for like, Python's pace: / sphinx-needs")
    ratio("ext", "sphinx-paced", "like for like, the extension's pace: / Sphinx")
    ratio("ext", "needs-paced", "like for like, the extension's pace: / sphinx-needs")
    ratio("ext", "text", "extension / text baseline")
    ratio("sphinx-paced", "needs", "Sphinx alone at the extension's pace / sphinx-needs")
    j2 = {"text": [], "ext": []}
    for _ in range(args.runs):
        j2["text"].append(sphinx_build(plain, base / "out-plain-j2", 2))
        j2["ext"].append(sphinx_build(ext, base / "out-ext-j2", 2))
    lo2 = {k: min(v) for k, v in j2.items()}
    print(
        f"-j 2: text baseline {lo2['text']:.2f} s (-j 2 / -j 1 = {lo2['text'] / lo['text']:.2f}); "
        f"extension {lo2['ext']:.2f} s (-j 2 / -j 1 = {lo2['ext'] / lo['ext']:.2f}; "
        f"ratio to the text baseline {lo2['ext'] / lo2['text']:.2f}x)"
    )
    if args.breakdown:
        breakdown(plain, base / "out-bd-plain", "plain")
        breakdown(ext, base / "out-bd-ext", "ext")
        breakdown(like["ext-python"], base / "out-bd-ext-python", "ext-python")
    if args.profile:
        profile(ext, base / "out-prof")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
