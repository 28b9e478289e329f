"""Which files `--data DIR`, `load DIR` and `serve DIR` read: one serialisation of one conversion."""

from __future__ import annotations

import shutil

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.sparql import QueryError
from sphinxcontrib_alignsurvey.sparql.api import open_engine, rdf_sources

from .conftest import SURVEY_A, SURVEY_B

SURVEYS_Q = "PREFIX align: <https://w3id.org/alignsurvey/ontology#> SELECT ?s WHERE { ?s a align:Survey }"


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    """Two conversions: A alone (ttl) and A+B (nt, jsonld, xml)."""
    base = tmp_path_factory.mktemp("graphs")
    assert main(["convert", str(SURVEY_A), "--out", str(base / "a")]) == 0
    assert main(["convert", str(SURVEY_A), str(SURVEY_B), "--out", str(base / "ab"), "--format", "nt,jsonld,xml"]) == 0
    return base


def test_a_conversion_folder_gives_one_serialisation(graphs):
    assert rdf_sources([graphs / "a"]) == [graphs / "a" / "graph.ttl"]
    assert rdf_sources([graphs / "ab"]) == [graphs / "ab" / "graph.nt"]  # the manifest's first by preference


def test_files_the_manifest_does_not_list_are_not_read(graphs, tmp_path):
    folder = tmp_path / "a"
    shutil.copytree(graphs / "a", folder)
    shutil.copy(graphs / "ab" / "graph.nt", folder / "graph.nt")
    assert rdf_sources([folder]) == [folder / "graph.ttl"]
    assert len(open_engine([folder]).select(SURVEYS_Q)) == 1


def test_without_a_manifest_turtle_is_preferred(graphs, tmp_path):
    shutil.copy(graphs / "ab" / "graph.nt", tmp_path / "graph.nt")
    shutil.copy(graphs / "ab" / "graph.rdf", tmp_path / "graph.rdf")
    assert rdf_sources([tmp_path]) == [tmp_path / "graph.nt"]
    shutil.copy(graphs / "a" / "graph.ttl", tmp_path / "graph.ttl")
    assert rdf_sources([tmp_path]) == [tmp_path / "graph.ttl"]
    assert len(open_engine([tmp_path]).select(SURVEYS_Q)) == 1


def test_several_unrelated_graphs_in_a_folder_are_an_error(graphs, tmp_path, capsys):
    shutil.copy(graphs / "a" / "graph.ttl", tmp_path / "survey-a.ttl")
    shutil.copy(graphs / "ab" / "graph.nt", tmp_path / "both.nt")
    with pytest.raises(QueryError, match="several") as caught:
        rdf_sources([tmp_path])
    assert "survey-a.ttl" in str(caught.value) and "both.nt" in str(caught.value)
    assert main(["query", "surveys", "--data", str(tmp_path)]) != 0
    assert "several" in capsys.readouterr().err
    # naming the files still loads all of them
    assert len(open_engine([tmp_path / "survey-a.ttl", tmp_path / "both.nt"]).select(SURVEYS_Q)) == 2
