"""URLs printed with reference titles, end to end (issue 15, item 12): graph, BibTeX, any split of the work.

Why here: a work's URL is a corpus-wide value (surveys may print different
ones), chosen when the parts are merged, so ``--jobs``, shards and ``--add``
must all give the bytes of one conversion.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.convert import convert, merge_parts, pool, write_graph
from sphinxcontrib_alignsurvey.convert.parts import Context, Settings
from sphinxcontrib_alignsurvey.convert.pool import build_parts
from sphinxcontrib_alignsurvey.core import namespaces as ns
from sphinxcontrib_alignsurvey.core.works import normalise
from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary

from .test_convert_shards import files

FORMATS = ["ttl", "nt"]


@pytest.fixture(scope="module")
def graph(url_outputs: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(url_outputs / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def facts(store: ox.Store, title: str) -> dict[str, list[str]]:
    """Predicate (prefixed) -> sorted values, for the work with this title."""
    work = ns.work_iri(normalise(title))
    out: dict[str, list[str]] = {}
    for quad in store.quads_for_pattern(work, None, None):
        value = quad.object.value
        if isinstance(quad.object, ox.Literal) and quad.object.datatype.value.endswith("anyURI"):
            value += "^^anyURI"
        out.setdefault(ns.compact(quad.predicate.value), []).append(value)
    return {k: sorted(v) for k, v in out.items()}


def test_a_printed_url_is_the_works_url(graph):
    debate = facts(graph, "Scalable Oversight through Structured Debate")
    assert debate["fabio:hasURL"] == ["https://example.org/debate-v2^^anyURI"]  # two references print v2, one v1
    assert debate["dcterms:title"] == ["Scalable Oversight through Structured Debate"]
    probing = facts(graph, "Interpreting Reward Models by Probing")
    assert probing["fabio:hasURL"] == ["https://www.example.org/probing?a=1&b=%7B2%7D^^anyURI"]


def test_arxiv_and_doi_urls_are_identifiers(graph):
    preprint = facts(graph, "Ensembles of Reward Models against Overoptimisation")
    assert preprint["dcterms:identifier"] == ["arXiv:2402.01234"]
    assert preprint["rdfs:seeAlso"] == ["https://arxiv.org/abs/2402.01234"]
    assert "fabio:hasURL" not in preprint
    article = facts(graph, "Preference Optimisation without Rewards")
    assert article["prism:doi"] == ["10.5555/pref.opt.2024"]
    assert article["owl:sameAs"] == ["https://doi.org/10.5555/pref.opt.2024"]
    assert "fabio:hasURL" not in article
    curated = facts(graph, "A General Language Assistant as a Laboratory for Alignment")
    assert curated["dcterms:identifier"] == ["arXiv:2112.00861"]  # works.yaml wins over the printed 2101.99999


def test_titles_and_keys_carry_no_url_pieces(graph):
    pieces = ("http", "www", "arxiv.org", "doi.org", "example")
    rows = graph.query(
        "SELECT ?t ?k WHERE { ?w a <http://purl.org/spar/fabio/ScholarlyWork> ; "
        "<http://purl.org/dc/terms/title> ?t ; <https://w3id.org/alignsurvey/ontology#citationKey> ?k }"
    )
    got = [(row["t"].value, row["k"].value) for row in rows]
    assert len(got) == 5
    assert not [(t, k) for t, k in got if any(p in t.lower() or p in k.lower() for p in pieces)]
    # the printing is kept verbatim, URL and all
    printed = facts(graph, "Preference Optimisation without Rewards")["align:printedTitle"]
    assert printed == ["Preference Optimisation without Rewards https://doi.org/10.5555/pref.opt.2024"]


def test_the_output_validates(url_outputs, capsys):
    assert main(["validate", str(url_outputs)]) == 0
    assert "conforms" in capsys.readouterr().err


def test_any_split_gives_the_same_bytes(url_surveys, url_outputs, tmp_path, monkeypatch):
    paths = sorted(url_surveys.glob("*.md"))
    expected = files(url_outputs, manifest=False)
    # two worker processes (three surveys are fewer than workers are started for by default)
    monkeypatch.setattr(pool, "MIN_SURVEYS_PER_JOB", 1)
    conversion = convert(paths, jobs=2)
    assert all(not p.survey.sentences for p in conversion.parts), "not built by workers"
    write_graph(conversion, tmp_path / "jobs", FORMATS)
    assert files(tmp_path / "jobs", manifest=False) == expected
    # one shard per survey, merged in reverse order
    settings = Settings.read(load_vocabulary())
    parts, keep = [], []
    for path in paths:
        run_dir = tempfile.TemporaryDirectory()
        keep.append(run_dir)
        parts += build_parts([path], settings, Path(run_dir.name), context=Context(settings))
    write_graph(merge_parts(parts[::-1], settings), tmp_path / "shards", FORMATS)
    assert files(tmp_path / "shards", manifest=False) == expected
    # the survey printing debate-v1 added last to parts kept on disk (their references carry the URLs)
    added = tmp_path / "added"
    first = [str(p) for p in paths if p.name != "urls-b.md"]
    assert main(["convert", *first, "--out", str(added), "--format", "ttl,nt", "--keep-parts"]) == 0
    assert main(["convert", str(url_surveys / "urls-b.md"), "--out", str(added), "--format", "ttl,nt", "--add"]) == 0
    assert files(added, manifest=False) == expected
