"""Endpoint answers in the shapes real stores send, served from 127.0.0.1: exact rows or a clear error.

The recordings are written by hand from each store's documented format:
QLever adds a ``"meta"`` member after ``results``, Comunica a
``"metadata"`` member, Virtuoso writes ``"typed-literal"`` terms and says it
cut an answer only in the ``X-SPARQL-MaxRows`` header.
"""

from __future__ import annotations

import json

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.sparql import QueryError, open_engine
from sphinxcontrib_alignsurvey.sparql.complete import TruncatedAnswer

JSON = {"Content-Type": "application/sparql-results+json"}
XSD = "http://www.w3.org/2001/XMLSchema#"
QUERY = "SELECT ?s ?n WHERE { ?s <urn:p> ?n }"


def bindings(n: int, *, virtuoso: bool = False) -> list[dict]:
    lit = "typed-literal" if virtuoso else "literal"
    return [
        {"s": {"type": "uri", "value": f"urn:s{i}"}, "n": {"type": lit, "datatype": XSD + "integer", "value": str(i)}}
        for i in range(n)
    ]


def doc(rows: list[dict], **extra: object) -> bytes:
    body = {"head": {"vars": ["s", "n"]}, "results": {"bindings": rows}}
    body.update(extra)  # after "results", as QLever and Comunica write them
    return json.dumps(body).encode()


QLEVER = doc(bindings(3), meta={"query-time-ms": 4, "result-size-total": 3})
COMUNICA = doc(bindings(3), metadata={"httpRequests": 2})
VIRTUOSO_HEAD = (
    b'\n{ "head": { "link": [], "vars": ["s", "n"] },\n  "results": { "distinct": false, "ordered": true, "bindings": ['
)


def virtuoso_body(n: int) -> bytes:
    rows = ",\n".join(json.dumps(b) for b in bindings(n, virtuoso=True))
    return VIRTUOSO_HEAD + rows.encode() + b" ] } }"


@pytest.fixture
def query_file(tmp_path) -> str:
    path = tmp_path / "q.rq"
    path.write_text(QUERY)
    return str(path)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("body", [QLEVER, COMUNICA], ids=["qlever-meta", "comunica-metadata"])
def test_members_after_results_are_ignored(canned_endpoint, capsys, query_file, body: bytes) -> None:
    canned_endpoint.answer = lambda request: (200, JSON, body)
    result = open_engine(endpoint=canned_endpoint.url).select(QUERY)
    assert [(r[0].value, r[1].value, r[1].datatype) for r in result] == [
        (f"urn:s{i}", str(i), XSD + "integer") for i in range(3)
    ]
    code, out, _ = run(capsys, "query", query_file, "--endpoint", canned_endpoint.url, "--format", "csv")
    assert code == 0 and out.splitlines() == ["s,n", "urn:s0,0", "urn:s1,1", "urn:s2,2"]


def test_virtuoso_typed_literals_are_literals(canned_endpoint) -> None:
    canned_endpoint.answer = lambda request: (200, JSON, virtuoso_body(2))
    result = open_engine(endpoint=canned_endpoint.url).select(QUERY)
    assert [r[1].python() for r in result] == [0, 1]


def test_virtuoso_row_cap_is_an_error_naming_the_setting(canned_endpoint, capsys, query_file) -> None:
    canned_endpoint.answer = lambda request: (200, {**JSON, "X-SPARQL-MaxRows": "5"}, virtuoso_body(5))
    with pytest.raises(TruncatedAnswer, match="ResultSetMaxRows"):
        open_engine(endpoint=canned_endpoint.url).select(QUERY)
    code, out, err = run(capsys, "query", query_file, "--endpoint", canned_endpoint.url, "--format", "csv")
    assert code == 2 and out == "" and "ResultSetMaxRows" in err and "X-SPARQL-MaxRows: 5" in err


def test_an_answer_as_long_as_the_querys_own_limit_is_complete(canned_endpoint) -> None:
    """Virtuoso sends the header whenever the cap was reached, also for LIMIT = cap: that answer is whole."""
    canned_endpoint.answer = lambda request: (200, {**JSON, "X-SPARQL-MaxRows": "5"}, virtuoso_body(5))
    engine = open_engine(endpoint=canned_endpoint.url)
    assert len(engine.select(QUERY + " LIMIT 5")) == 5
    assert len(engine.select(QUERY, limit=5)) == 5
    with pytest.raises(TruncatedAnswer):
        engine.select(QUERY + " LIMIT 6")


def test_virtuoso_partial_anytime_answer_is_an_error(canned_endpoint) -> None:
    headers = {**JSON, "X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}
    canned_endpoint.answer = lambda request: (200, headers, virtuoso_body(2))
    with pytest.raises(TruncatedAnswer, match="MaxQueryExecutionTime"):
        open_engine(endpoint=canned_endpoint.url).select(QUERY)


def test_qlever_total_larger_than_the_rows_sent_is_an_error(canned_endpoint) -> None:
    body = doc(bindings(3), meta={"query-time-ms": 4, "result-size-total": 40})
    canned_endpoint.answer = lambda request: (200, JSON, body)
    with pytest.raises(TruncatedAnswer, match="3 of 40 rows"):
        open_engine(endpoint=canned_endpoint.url).select(QUERY)


def test_an_answer_exactly_at_a_common_cap_is_probed(canned_endpoint) -> None:
    """1,000 rows and no header: one more row is asked for at offset 1,000; if it exists, the answer was cut."""
    more = {"value": True}

    def answer(request):
        text = canned_endpoint.query_of(request)
        if "OFFSET 1000 LIMIT 1" in text:
            return 200, JSON, doc(bindings(1) if more["value"] else [])
        return 200, JSON, doc(bindings(1000))

    canned_endpoint.answer = answer
    engine = open_engine(endpoint=canned_endpoint.url)
    with pytest.raises(TruncatedAnswer, match="offset 1000"):
        engine.select(QUERY)
    more["value"] = False
    assert len(engine.select(QUERY)) == 1000


def test_a_broken_answer_prints_no_rows(canned_endpoint, capsys, query_file) -> None:
    """The body breaks after two rows: nothing reaches stdout, exit status 2."""
    broken = doc(bindings(3))[:-40]
    canned_endpoint.answer = lambda request: (200, JSON, broken)
    code, out, err = run(capsys, "query", query_file, "--endpoint", canned_endpoint.url, "--format", "csv")
    assert code == 2 and out == "" and "unreadable answer" in err


def test_xml_and_tsv_answers_are_read(canned_endpoint) -> None:
    xml = (
        '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="s"/>'
        '<variable name="n"/></head><results><result><binding name="s"><uri>urn:s0</uri></binding>'
        f'<binding name="n"><literal datatype="{XSD}integer">0</literal></binding></result></results></sparql>'
    ).encode()
    tsv = f'?s\t?n\n<urn:s0>\t"0"^^<{XSD}integer>\n'.encode()
    engine = open_engine(endpoint=canned_endpoint.url)
    for ctype, body in (("application/sparql-results+xml", xml), ("text/tab-separated-values", tsv)):
        canned_endpoint.answer = lambda request, c=ctype, b=body: (200, {"Content-Type": c}, b)
        rows = engine.select(QUERY).rows
        assert [(r[0].value, r[1].python()) for r in rows] == [("urn:s0", 0)]
    accept = canned_endpoint.requests[-1][2]["Accept"]
    assert accept.startswith("application/sparql-results+json") and "sparql-results+xml" in accept


def test_ask_in_each_shape(canned_endpoint) -> None:
    engine = open_engine(endpoint=canned_endpoint.url)
    canned_endpoint.answer = lambda request: (200, JSON, b'{"head": {}, "boolean": true, "meta": {"x": 1}}')
    assert engine.ask("ASK { ?s ?p ?o }") is True
    canned_endpoint.answer = lambda request: (200, JSON, b'{"head": {}, "boolean": "yes"}')
    with pytest.raises(QueryError, match="unreadable"):
        engine.ask("ASK { ?s ?p ?o }")
