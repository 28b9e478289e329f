"""``alignsurvey query``: formats, bindings, exit statuses and messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_of_a_bundled_query_by_bare_name(capsys) -> None:
    code, out, _ = run(capsys, "query", "surveys", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["survey", "title", "references"]
    assert sorted(int(r[2]) for r in rows[1:]) == [69, 125]


def test_help_lists_every_bundled_query_name(capsys) -> None:
    from sphinxcontrib_alignsurvey.core.resources import queries_dir

    code, out, _ = run(capsys, "query", "--help")
    names = sorted(p.stem for p in queries_dir().glob("*.rq"))
    assert code == 0 and len(names) >= 10
    listed = out.split("Bundled queries")[1].split(":", 1)[1]
    assert [n.strip() for n in listed.split(",")] == names


def test_json_tsv_xml_and_table(capsys) -> None:
    code, out, _ = run(capsys, "query", "surveys.rq", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["head"]["vars"] == ["survey", "title", "references"]
    assert len(doc["results"]["bindings"]) == 2
    code, out, _ = run(capsys, "query", "surveys", "--format", "tsv")
    assert out.splitlines()[0] == "?survey\t?title\t?references"
    code, out, _ = run(capsys, "query", "surveys", "--format", "xml")
    assert out.count("<result>") == 2
    code, out, _ = run(capsys, "query", "surveys")
    assert "survey:alignment-survey-1ef323be" in out and "2 rows" in out


def test_bind_and_limit(capsys) -> None:
    code, out, _ = run(capsys, "query", "papers-for-concept", "--bind", "concept=dpo", "--format", "csv")
    dpo = list(csv.reader(io.StringIO(out)))
    code, out, _ = run(capsys, "query", "papers-for-concept", "--format", "csv")
    rlhf = list(csv.reader(io.StringIO(out)))
    assert code == 0 and dpo != rlhf and len(dpo) > 1
    code, out, _ = run(capsys, "query", "papers-for-concept", "--format", "csv", "--limit", "2")
    assert list(csv.reader(io.StringIO(out))) == rlhf[:3]


def test_ask_is_an_exit_status(capsys, tmp_path: Path) -> None:
    yes = tmp_path / "yes.rq"
    yes.write_text("ASK { ?s a <https://w3id.org/alignsurvey/ontology#Survey> }")
    no = tmp_path / "no.rq"
    no.write_text("ASK { ?s a <urn:nothing> }")
    assert run(capsys, "query", str(yes))[:2] == (0, "true\n")
    assert run(capsys, "query", str(no))[:2] == (1, "false\n")


def test_construct_writes_turtle(capsys, tmp_path: Path) -> None:
    q = tmp_path / "c.rq"
    q.write_text("CONSTRUCT { ?s a ?t } WHERE { ?s a <https://w3id.org/alignsurvey/ontology#Survey> ; a ?t }")
    code, out, _ = run(capsys, "query", str(q))
    import pyoxigraph as ox

    triples = list(ox.parse(out.encode(), ox.RdfFormat.TURTLE))
    assert code == 0 and len({t.subject for t in triples}) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("PREFIX x: <urn:x#>\nSELECT * WHERE {\n ?s ?p }", ":3:"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--allow-update"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "--allow-service"),
    ],
)
def test_errors_are_one_line_with_status_2(capsys, tmp_path: Path, text: str, message: str) -> None:
    q = tmp_path / "q.rq"
    q.write_text(text)
    code, out, err = run(capsys, "query", str(q))
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unknown_query_and_bad_data(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "query", "no-such-query")
    assert code == 2 and "bundled:" in err
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    code, _, err = run(capsys, "query", "surveys", "--data", str(bad))
    assert code == 2 and "cannot load" in err


def test_data_option_reads_directories(capsys, tmp_path: Path) -> None:
    (tmp_path / "g.nt").write_text(
        "<urn:s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/alignsurvey/ontology#Survey> .\n"
        '<urn:s> <http://purl.org/dc/terms/title> "T" .\n'
        "<urn:s> <https://w3id.org/alignsurvey/ontology#referenceList> <urn:l> .\n"
    )
    code, out, _ = run(capsys, "query", "surveys", "--data", str(tmp_path), "--format", "csv")
    assert code == 0 and out.splitlines()[1:] == ["urn:s,T,0"]


def test_timeout_ends_the_command(capsys, tmp_path: Path) -> None:
    q = tmp_path / "slow.rq"
    q.write_text(
        "PREFIX align: <https://w3id.org/alignsurvey/ontology#> PREFIX fabio: <http://purl.org/spar/fabio/> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?w a fabio:ScholarlyWork . ?x a align:Survey "
        "FILTER(STRLEN(STR(?b)) + STRLEN(STR(?w)) > 0) }"
    )
    code, _, err = run(capsys, "query", str(q), "--timeout", "0.1")
    assert code == 2 and "time limit" in err and "Traceback" not in err


def test_memory_limit_ends_a_growing_query(capsys, tmp_path: Path) -> None:
    """Issue 15: a query that builds every row of a cartesian product stops at the ceiling, exit 2."""
    q = tmp_path / "sorted.rq"
    q.write_text("SELECT ?a ?c WHERE { ?a ?p ?b . ?c ?q ?d } ORDER BY ?a ?c")
    code, out, err = run(capsys, "query", str(q), "--memory-limit", "150", "--timeout", "60", "--format", "csv")
    assert code == 2 and out == ""
    assert "memory limit of 150 MB" in err and "Traceback" not in err
