"""Bad citations do not become facts: convert records findings and builds no link on flagged citations."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.convert import convert, write_graph
from sphinxcontrib_alignsurvey.core import namespaces as ns
from sphinxcontrib_alignsurvey.core.works import normalise
from sphinxcontrib_alignsurvey.links.model import (
    FlaggedCitations,
    Relation,
    build_links,
)
from sphinxcontrib_alignsurvey.validate import validate_files

from .conftest import DATA

SMALL = DATA / "check" / "small-survey.md"
ALIGN = ns.PREFIXES["align"]
SID = "small-survey"


@pytest.fixture(scope="module")
def conversion():
    return convert([SMALL])


def _work(title: str) -> str:
    return ns.work_iri(normalise(title)).value


def _store(conversion) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in conversion.triples)
    return store


def test_findings_are_in_the_graph_on_entry_and_pointer(conversion) -> None:
    store = _store(conversion)
    rows = {
        (str(r["kind"].value), r["target"].value, r["subject"].value if r["subject"] else None)
        for r in store.query(f"""
        PREFIX align: <{ALIGN}> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?kind ?target ?subject WHERE {{
          ?f a align:CitationFinding ; align:findingKind ?kind ; oa:hasTarget ?target .
          OPTIONAL {{ ?f dcterms:subject ?subject }} }}""")
    }
    entry6 = ns.reference_iri(SID, 6).value
    assert ("citation-off-topic", entry6, None) in rows
    unsupported = [r for r in rows if r[0] == "citation-unsupported"]
    assert len(unsupported) == 1
    _, pointer, subject = unsupported[0]
    assert "/sentence/" in pointer and "/pointer/" in pointer and subject == ns.reference_iri(SID, 4).value
    assert any(r[0] == "claim-quantitative" and "/sentence/" in r[1] for r in rows)


def test_flagged_citations_give_no_citation_context(conversion) -> None:
    flagged_work = _work("Multiple Sequence Alignment of Bacterial Genomes with Suffix Trees")
    # without the check, the off-topic work would be cited alongside the concepts of its sentence
    unflagged = build_links(conversion.surveys, conversion.vocabulary)
    assert flagged_work in unflagged.work_concepts()
    assert flagged_work not in conversion.links.work_concepts()
    # an unsupported single citation is skipped too, other citations of the same work are kept
    refs = FlaggedCitations(citations=frozenset({(SID, 99, 4)}))
    assert refs.skips(SID, 99, 4) and not refs.skips(SID, 98, 4)
    store = _store(conversion)
    context = store.query(f"ASK {{ ?c a <{ALIGN}CitationContext> ; <{ALIGN}work> <{flagged_work}> }}")
    assert not bool(context)


def test_bibtex_keywords_never_come_from_flagged_citations(conversion, tmp_path) -> None:
    write_graph(conversion, tmp_path)
    bib = (tmp_path / "references.bib").read_text(encoding="utf-8")
    entry = bib[bib.index("Multiple Sequence Alignment") :]
    entry = entry[: entry.index("\n}")]
    assert "keywords" not in entry
    assert "keywords" in bib  # other works keep theirs


def test_graph_with_findings_conforms_and_a_broken_finding_does_not(conversion, tmp_path) -> None:
    write_graph(conversion, tmp_path)
    ok, violations = validate_files([tmp_path / "graph.ttl"])
    assert ok, violations
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        (tmp_path / "graph.ttl").read_text(encoding="utf-8")
        + f'\n<{ns.BASE}finding/x> a <{ALIGN}CitationFinding> ; <{ALIGN}findingKind> "made-up" .\n',
        encoding="utf-8",
    )
    ok, violations = validate_files([broken])
    assert not ok and any("finding/x" in str(v) for v in violations)


def test_strict_citations_refuses_and_writes_nothing(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["convert", str(SMALL), "--out", str(out), "--strict-citations"]) == 1
    err = capsys.readouterr().err
    assert "[citation-off-topic]" in err and f"{SMALL}:33:" in err and "nothing was written" in err
    assert not out.exists()
    assert main(["convert", str(SMALL), "--out", str(out)]) == 0  # without the flag: recorded, not refused
    assert (out / "graph.ttl").exists()


def test_conversion_is_byte_identical_across_runs(tmp_path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_graph(convert([SMALL]), a)
    write_graph(convert([SMALL]), b)
    assert (a / "graph.ttl").read_bytes() == (b / "graph.ttl").read_bytes()
    assert Relation.CITED_ALONGSIDE.value == "CitationContext"
