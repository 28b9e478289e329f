"""``-j 2`` gives the same output as a serial build (8 documents, so Sphinx really splits),
also when a card is defined twice: the first document by name keeps it, whatever the reading order."""

from __future__ import annotations

import re
import zlib

import pytest

from sphinxcontrib_alignsurvey.sphinxext.domain import AlignDomain, align_domain
from sphinxcontrib_alignsurvey.sphinxext.records import ObjectKey

from .conftest import ROOTS, build, require_tool

DUPLICATE = "\n.. alignment-method:: dpo\n   :fields: definition\n"
GRAPH = "\n.. alignment-graph::\n   :root: dpo\n   :relation: addresses\n"
WARNING = re.compile(r"/(\w+)\.rst:(\d+): WARNING: method 'dpo' already has a card in (\w+) \(line (\d+)\)")

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-parallel")


def outputs(outdir):
    files = {}
    for path in sorted(outdir.rglob("*.html")):
        files[str(path.relative_to(outdir))] = path.read_text(encoding="utf-8")
    raw = (outdir / "objects.inv").read_bytes()
    files["objects.inv"] = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    return files


def assert_same_outputs(serial, parallel):
    a, b = outputs(serial.outdir), outputs(parallel.outdir)
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name


@pytest.fixture
def merges(monkeypatch):
    """The chunks of documents merged back from parallel readers (none in a serial build)."""
    calls: list[list[str]] = []
    merge = AlignDomain.merge_domaindata

    def counting(self, docnames, otherdata):
        calls.append(sorted(docnames))
        return merge(self, docnames, otherdata)

    monkeypatch.setattr(AlignDomain, "merge_domaindata", counting)
    return calls


def test_parallel_build_equals_serial(make_marked_app, tmp_path, merges):
    """The same sources built serially and with ``-j 2``, each into its own folder."""
    serial = build(make_marked_app(builddir=tmp_path / "serial", freshenv=True))
    assert merges == []
    parallel = build(make_marked_app(builddir=tmp_path / "parallel", parallel=2, freshenv=True))
    assert serial.warning_lines() == [] and parallel.warning_lines() == []
    # the documents were really read by more than one process and merged back into this one
    assert len(merges) >= 2
    assert sorted(d for chunk in merges for d in chunk) == sorted(parallel.app.env.found_docs)
    assert_same_outputs(serial, parallel)
    domain = align_domain(parallel.app.env)
    assert len(list(domain.cards())) == 8
    assert set(domain.data["uses"]) >= {f"doc{i}" for i in range(8)}


def add_duplicates(root):
    for doc in ("doc5", "doc7"):
        with open(root / f"{doc}.rst", "a", encoding="utf-8") as fh:
            fh.write(DUPLICATE)


def with_duplicates(root):
    """dpo has its card in doc0 and again in doc5 and doc7 (another reader's chunk); index draws dpo."""
    add_duplicates(root)
    with open(root / "index.rst", "a", encoding="utf-8") as fh:
        fh.write(GRAPH)
    return root


def duplicate_warnings(result):
    return [WARNING.search(w).groups() for w in result.warning_lines() if "already has a card" in w]


def line_of_duplicate(root, doc):
    lines = (root / f"{doc}.rst").read_text(encoding="utf-8").splitlines()
    return max(i for i, line in enumerate(lines, 1) if line.startswith(".. alignment-method:: dpo"))


def test_duplicate_card_first_document_wins_serial_and_parallel(srcdir, make_marked_app, tmp_path, merges):
    require_tool("dot")
    serial_root = with_duplicates(srcdir)
    serial = build(make_marked_app(builddir=tmp_path / "serial", freshenv=True))
    parallel = build(make_marked_app(builddir=tmp_path / "parallel", parallel=2, freshenv=True))
    assert len(merges) >= 2
    # each later card is named once, at its own line, against the card that keeps the link
    expected = [(doc, str(line_of_duplicate(serial_root, doc)), "doc0", "4") for doc in ("doc5", "doc7")]
    assert duplicate_warnings(serial) == expected
    assert duplicate_warnings(parallel) == expected
    for result in (serial, parallel):
        domain = align_domain(result.app.env)
        assert domain.card(ObjectKey("method", "dpo")).docname == "doc0"
        assert 'href="doc0.html#align-method-dpo"' in result.text("doc1.html")  # a role
        assert 'href="doc0.html#align-method-dpo"' in result.text("index.html")  # the diagram's image map
    assert_same_outputs(serial, parallel)


def test_duplicate_card_in_an_earlier_document_takes_over_incrementally(srcdir, make_marked_app, tmp_path):
    """A card added to doc0 while doc5 and doc7 had it: doc5 and doc7 are not read again, yet
    links and warnings move to doc0, and the output equals a fresh build's (of the same sources,
    read anew into a folder of its own)."""
    root = srcdir
    doc0 = root / "doc0.rst"
    card = ".. alignment-method:: dpo\n"
    doc0.write_text(doc0.read_text(encoding="utf-8").replace(card, card + "   :noindex:\n"), encoding="utf-8")
    add_duplicates(root)
    first = build(make_marked_app())
    line5, line7 = line_of_duplicate(root, "doc5"), line_of_duplicate(root, "doc7")
    assert duplicate_warnings(first) == [("doc7", str(line7), "doc5", str(line5))]
    assert 'href="doc5.html#align-method-dpo"' in first.text("doc1.html")
    read_before = dict(first.app.env.all_docs)

    doc0.write_text(doc0.read_text(encoding="utf-8").replace(card + "   :noindex:\n", card), encoding="utf-8")
    second = build(make_marked_app())
    reread = {d for d, t in second.app.env.all_docs.items() if read_before.get(d) != t}
    assert "doc0" in reread and not reread & {"doc5", "doc7"}
    assert duplicate_warnings(second) == [("doc5", str(line5), "doc0", "4"), ("doc7", str(line7), "doc0", "4")]
    assert 'href="doc0.html#align-method-dpo"' in second.text("doc1.html")  # doc1 was written again

    assert doc0.read_text(encoding="utf-8") == (ROOTS / "test-alignsurvey-parallel" / "doc0.rst").read_text(
        encoding="utf-8"
    )  # the root as it was, with only the duplicates added
    assert_same_outputs(build(make_marked_app(builddir=tmp_path / "fresh", freshenv=True)), second)
