"""The shared SPARQL API: loading, reading rows, safety, bindings, time limits."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.sparql import (
    QueryError,
    QuerySyntaxError,
    QueryTimeout,
    binding,
    formats,
    open_engine,
    safety,
)
from sphinxcontrib_alignsurvey.sparql.queries import QUERIES, read

ROOT = Path(__file__).resolve().parents[1]
SURVEYS_Q = "PREFIX align: <https://w3id.org/alignsurvey/ontology#> SELECT ?s WHERE { ?s a align:Survey } ORDER BY ?s"


@pytest.fixture(scope="module")
def engine():
    return open_engine()


def test_the_queries_are_kept_once() -> None:
    assert QUERIES == ROOT / "examples" / "queries"
    assert not (ROOT / "sphinxcontrib_alignsurvey" / "data" / "queries").exists()


def test_an_installed_package_reads_its_shipped_copies(tmp_path, monkeypatch) -> None:
    from sphinxcontrib_alignsurvey.core import resources

    (tmp_path / "_queries").mkdir()
    (tmp_path / "_ontology").mkdir()
    monkeypatch.setattr(resources, "PACKAGE", tmp_path)
    assert resources.queries_dir() == tmp_path / "_queries"
    assert resources.ontology_dir() == tmp_path / "_ontology"


def test_bundled_query_by_bare_name() -> None:
    assert read("surveys")[0] == read("surveys.rq")[0] == QUERIES / "surveys.rq"
    with pytest.raises(QueryError, match="not a bundled query"):
        read("no-such-query")


def test_select_rows_dicts_and_table(engine) -> None:
    result = engine.select(read("surveys")[1])
    assert result.columns == ("survey", "title", "references")
    assert sorted(d["references"] for d in result.dicts()) == [69, 125]
    table = result.table()
    assert table[0] == ["survey", "title", "references"] and len(table) == 3


def test_ask_and_construct(engine) -> None:
    assert engine.ask("ASK { ?s a <https://w3id.org/alignsurvey/ontology#Survey> }") is True
    assert engine.ask("ASK { ?s a <urn:nothing> }") is False
    triples = engine.construct(
        "CONSTRUCT { ?s a ?t } WHERE { ?s a <https://w3id.org/alignsurvey/ontology#Survey> ; a ?t }"
    )
    assert {t[0].value for t in triples} == {r[0].value for r in engine.select(SURVEYS_Q)}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "PREFIX x: <urn:x#>\n# a comment\nclear all",
        "LOAD <http://example.org/data.ttl>",
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused(engine, text: str) -> None:
    with pytest.raises(QueryError, match="refused: .*UPDATE"):
        engine.select(text)


def test_service_is_refused_but_the_word_in_a_string_is_not(engine) -> None:
    with pytest.raises(QueryError, match="refused: .*SERVICE"):
        engine.select("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="refused: .*SERVICE"):
        engine.select("SELECT * WHERE { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    harmless = (
        'PREFIX ex: <urn:ex#>\n# SERVICE in a comment\nSELECT ?x WHERE { BIND("SERVICE <urn:y> { }" AS ?x) '
        "BIND(<urn:SERVICE> AS ?y) BIND(ex:SERVICE AS ?z) BIND('''INSERT''' AS ?service) }"
    )
    assert engine.select(harmless).rows[0][0].value == "SERVICE <urn:y> { }"  # type: ignore[union-attr]


def test_allowed_update_changes_only_the_in_memory_copy() -> None:
    engine = open_engine(allow_update=True)
    engine.execute("INSERT DATA { <urn:a> a <https://w3id.org/alignsurvey/ontology#Survey> }")
    assert len(engine.select(SURVEYS_Q)) == 3
    assert len(open_engine().select(SURVEYS_Q)) == 2


def test_syntax_error_has_line_and_column(engine) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        engine.select("PREFIX x: <urn:x#>\nSELECT * WHERE {\n  ?s ?p ?o . FILTR(?o) }")
    assert info.value.line == 3 and isinstance(info.value.column, int)
    assert f"line 3, column {info.value.column}" in str(info.value)


def test_timeout_abandons_a_long_query() -> None:
    engine = open_engine(timeout=0.05)
    # 16 million joined rows with a string filter each: seconds of work, far past the limit
    slow = (
        "PREFIX align: <https://w3id.org/alignsurvey/ontology#> PREFIX fabio: <http://purl.org/spar/fabio/> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?w a fabio:ScholarlyWork . ?x a align:Survey "
        "FILTER(STRLEN(STR(?b)) + STRLEN(STR(?w)) > 0) }"
    )
    with pytest.raises(QueryTimeout, match="time limit"):
        engine.select(slow)
    # the engine still answers (with room to start a worker on a busy machine)
    assert len(engine.with_policy(timeout=30).select(SURVEYS_Q)) == 2


def test_bindings_are_terms_not_text(engine) -> None:
    q = read("papers-for-concept")[1]
    dpo = engine.select(q, engine.bind(["concept=dpo"]))
    assert dpo.rows and dpo == engine.select(q, engine.bind(["concept=method:dpo"]))
    assert dpo == engine.select(q, engine.bind(["concept=<https://w3id.org/alignsurvey/method/dpo>"]))
    assert dpo != engine.select(q)  # the default (RLHF) no longer applies
    with pytest.raises(QueryError, match="cannot read"):
        engine.bind(['concept="x" } } ; DROP ALL #'])
    hostile = engine.bind(['concept="x\\" } } ; DROP ALL #"'])
    assert hostile["concept"].kind == "literal" and engine.select(q, hostile).rows == ()


@pytest.mark.parametrize(
    ("raw", "kind", "value", "datatype", "language"),
    [
        ("method:dpo", "iri", "https://w3id.org/alignsurvey/method/dpo", None, None),
        ("<urn:x>", "iri", "urn:x", None, None),
        ('"a \\"b\\""', "literal", 'a "b"', None, None),
        ('"chat"@en', "literal", "chat", None, "en"),
        ("42", "literal", "42", "http://www.w3.org/2001/XMLSchema#integer", None),
        ('"3"^^xsd:integer', "literal", "3", "http://www.w3.org/2001/XMLSchema#integer", None),
    ],
)
def test_parse_value(raw, kind, value, datatype, language) -> None:
    term = binding.parse_value(raw)
    assert (term.kind, term.value, term.datatype, term.language) == (kind, value, datatype, language)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("concept", "expected VAR=VALUE"),
        ("concept=nosuchthing", "no method, challenge, survey or work"),
        ("concept=nope:x", "unknown prefix"),
        ("concept=<bad iri>", "not a valid IRI"),
        ("nosuchvar=dpo", "no variable \\?nosuchvar"),
    ],
)
def test_bad_bindings_have_clear_messages(engine, spec: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        engine.select(read("papers-for-concept")[1], engine.bind([spec]))


def test_values_block_opens_the_where_group() -> None:
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    t = binding.with_values(q, {"s": binding.parse_value("<urn:a>")})
    assert t == "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<urn:a>) }  ?s ?p ?o }"
    with pytest.raises(QueryError):
        binding.with_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": binding.parse_value("<urn:a>")})


def test_writers_stream_row_by_row() -> None:
    """Each row is written before the next one is asked for: nothing is held back."""
    import pyoxigraph as ox

    out = io.StringIO()

    def rows():
        for i in range(1000):
            if i:
                assert f"urn:row{i - 1}" in out.getvalue()
            yield (ox.NamedNode(f"urn:row{i}"), ox.Literal(str(i)))

    for fmt in ("csv", "tsv", "json", "xml"):
        out.seek(0)
        out.truncate()
        assert formats.WRITERS[fmt](["a", "b"], rows(), out) == 1000


def test_written_results_read_back_identically(engine) -> None:
    import pyoxigraph as ox

    answer_rows = [tuple(r) for r in engine.execute(read("taxonomy")[1]).rows]
    cols = ("concept", "label", "broader")
    for fmt, qrf in (
        ("json", ox.QueryResultsFormat.JSON),
        ("xml", ox.QueryResultsFormat.XML),
        ("tsv", ox.QueryResultsFormat.TSV),
    ):
        out = io.StringIO()
        formats.WRITERS[fmt](cols, iter(answer_rows), out)
        back = [tuple(s[c] for c in cols) for s in ox.parse_query_results(out.getvalue(), qrf)]
        assert back == answer_rows, fmt


def test_tokenizer_finds_where_brace_after_construct_template() -> None:
    q = 'CONSTRUCT { ?s <urn:p> "{" } WHERE { ?s ?p ?o }'
    assert q[safety.where_brace(q) - 1] == "{" and q[safety.where_brace(q) :].startswith(" ?s ?p ?o")


def test_prefixed_names_reach_the_bibliographic_vocabulary(engine) -> None:
    """``bibo:`` is a known prefix: author lists can be asked for by prefixed name."""
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?work ?p ?list }"
    rows = engine.select(q, engine.bind(["p=bibo:authorList"])).rows
    assert int(rows[0][0].value) >= 70  # every work with verified authors has its list
