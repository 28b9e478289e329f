"""The SERVICE refusal follows the engine, not a guess at its grammar (issue 15, item 5).

The witness for "the engine would call a service" is the engine itself:
each query runs in pyoxigraph against a loopback socket that records the
IRIs it was asked for.  Whatever reached that socket must have been refused
by :func:`safety.check`.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxcontrib_alignsurvey.sparql import QueryError, open_engine, safety
from sphinxcontrib_alignsurvey.sparql.evaluator import Request
from sphinxcontrib_alignsurvey.sparql.lexer import code_text, lex

XSD = "http://www.w3.org/2001/XMLSchema#"
STORE = ox.Store()
for lexical, datatype in (("1", "integer"), ("1e0", "double")):
    STORE.add(
        ox.Quad(
            ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
        )
    )


def engine_calls(query: str, witness, token: str) -> bool:
    """Run *query* in pyoxigraph itself; did it call the service named *token*?"""
    try:
        answer = STORE.query(query, use_default_graph_as_union=True)
        if isinstance(answer, (ox.QuerySolutions, ox.QueryTriples)):
            for _ in zip(range(100), answer):
                pass
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return witness.called(token)


def refused(query: str) -> bool:
    try:
        safety.check(query)
    except QueryError as exc:
        return "SERVICE" in str(exc)
    return False


SHAPES = (
    "comment ended by CR (the issue's)",
    "keyword glued to a prefixed name",
    "keyword glued to SILENT",
    "keyword glued to an integer",
    "keyword glued to a double",
)


def bypass(witness, token: str, shape: str) -> str:
    """Shapes that hid SERVICE from a tokenizer but not from Oxigraph's parser."""
    url = witness.url(token)
    prologue = f"PREFIX : <http://127.0.0.1:{witness.port}/> "
    return {
        SHAPES[0]: f"SELECT * {{ # c\rSERVICE <{url}> {{ }} }}",
        SHAPES[1]: prologue + f"SELECT * {{ SERVICE:{token} {{ }} }}",
        SHAPES[2]: f"SELECT * {{ SERVICESILENT<{url}> {{ }} }}",
        SHAPES[3]: f"SELECT * {{ ?s ?p 1SERVICE <{url}> {{ }} }}",
        SHAPES[4]: f"SELECT * {{ ?s ?p 1e0SERVICE <{url}> {{ }} }}",
    }[shape]


@pytest.mark.parametrize("shape", SHAPES)
def test_known_bypasses_call_the_engine_and_are_refused(service_witness, shape: str) -> None:
    token = service_witness.token()
    query = bypass(service_witness, token, shape)
    assert engine_calls(query, service_witness, token), "the shape no longer reaches the engine's SERVICE"
    assert refused(query), query


def test_the_issue_bypass_is_refused_through_the_python_api(service_witness) -> None:
    token = service_witness.token()
    with pytest.raises(QueryError, match="refused: .*SERVICE"):
        open_engine().select(f"SELECT * {{ # c\rSERVICE <{service_witness.url(token)}> {{ ?s ?p ?o }} }}")
    assert not service_witness.called(token)


def test_the_worker_cannot_open_sockets_even_past_the_check(service_witness) -> None:
    """Defence in depth: a request handed to the evaluator unchecked still fetches nothing."""
    token = service_witness.token()
    engine = open_engine(timeout=20)
    query = f"SELECT * {{ SERVICE <{service_witness.url(token)}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryError, match="network access is off"):
        reply = engine.evaluator.run(Request("query", query), timeout=20, network=False)
        list(reply.chunks())
    assert not service_witness.called(token)


# ---- the property: whatever the engine runs with a SERVICE call, the check refuses

CASE = st.lists(st.booleans(), min_size=7, max_size=7).map(
    lambda flags: "".join(c.upper() if up else c for c, up in zip("service", flags))
)
GAP = st.sampled_from(["", " ", "\t", "\r", "\n", "\r\n", "#c\r", "#c\n", "# x\r\n", "#\r", "\x0b", "\x0c", "\u2028"])
PIECE = st.sampled_from(
    [
        "",
        " ",
        "\r",
        "\n",
        "#",
        "# c",
        "'",
        '"',
        "'''",
        '"""',
        "\\",
        "\\'",
        '\\"',
        "<",
        ">",
        "<urn:x>",
        "<urn:x",
        "<urn:x\\u003E",
        "?v",
        "$v",
        "?v.",
        "_:b",
        "_:b.",
        "ex:a",
        "ex:a.",
        ":a\\#",
        ":a%2",
        "ex:",
        "1",
        "1e0",
        "1.",
        ".5",
        "true",
        "a",
        ".",
        ";",
        ",",
        "(",
        ")",
        "@en",
        "\\u0022",
        "\\u000D",
        "\\U0000000A",
        "\x85",
        "{",
        "}",
        "BIND(1 AS ?z)",
        "FILTER(1<2)",
        "FILTER(?a<?b)",
        "SILENT",
        "OPTIONAL",
        "'a\\'b'",
        '"a\\"b"',
        "'''a''''",
        "\\u0053ERVICE",
        "SERV",
        "ICE",
        "ſervice",
    ]
)
FILLER = st.lists(PIECE, max_size=6).map("".join)
TARGET = st.sampled_from(["<{url}>", ":{token}", "ex:{token}", "<{url}#x>"])
SILENT = st.sampled_from(["", "SILENT", " SILENT ", "silent"])


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(before=FILLER, gap1=GAP, keyword=CASE, silent=SILENT, gap2=GAP, target=TARGET, gap3=GAP, after=FILLER)
def test_no_query_the_engine_runs_with_service_passes_the_check(
    service_witness, before, gap1, keyword, silent, gap2, target, gap3, after
) -> None:
    token = service_witness.token()
    base = f"http://127.0.0.1:{service_witness.port}/"
    iri = target.format(url=service_witness.url(token), token=token)
    query = (
        f"PREFIX : <{base}> PREFIX ex: <{base}> SELECT * WHERE {{ BIND(1 AS ?one) {before}{gap1}"
        f"{keyword}{silent}{gap2}{iri}{gap3}{{ }} {after} }}"
    )
    if engine_calls(query, service_witness, token):
        assert refused(query), repr(query)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("sSeErRvViIcC#'\"<>:?_.\\\r\n {}u0123456789")), max_size=60))
def test_lexing_covers_every_character_once(text: str) -> None:
    """Every character lands in exactly one token, and inert parts only ever shrink to one space."""
    toks = list(lex(text))
    assert "".join(t.text for t in toks) == text
    assert len(code_text(text)) <= len(text) + len(toks)


def test_harmless_mentions_still_run() -> None:
    for query in (
        'SELECT ?x WHERE { BIND("SERVICE <urn:y> { }" AS ?x) }',
        "SELECT ?x WHERE { BIND(<urn:SERVICE> AS ?x) }",
        "PREFIX ex: <urn:ex#> SELECT ?service WHERE { BIND(ex:SERVICE AS ?service) }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <urn:z> {}\n",
        "SELECT * WHERE { ?s ?p '''SERVICE''' }",
    ):
        assert not refused(query), query


def test_the_negated_classes_match_exactly_the_grammars_characters() -> None:
    """The lexer writes each character class as the negation of its complement (it compiles faster);
    both must agree on every code point, so every range edge and its neighbours are checked."""
    import re

    from sphinxcontrib_alignsurvey.sparql import lexer

    extra = ((0x30, 0x39), (0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040))
    classes = {
        "_B": (lexer.BASE_RANGES, ""),
        "_C": (lexer.BASE_RANGES + ((0x5F, 0x5F),) + extra, "-"),
        "_CU09": (lexer.BASE_RANGES + ((0x5F, 0x5F), (0x30, 0x39)), ""),
        "_VAR": (lexer.BASE_RANGES + ((0x5F, 0x5F),) + extra, ""),
    }
    for name, (ranges, chars) in classes.items():
        members = [*ranges, *((ord(c), ord(c)) for c in chars)]
        pattern = re.compile(getattr(lexer, name))
        edges = {0, 0x10FFFF} | {x + d for lo, hi in members for x in (lo, hi) for d in (-1, 0, 1)}
        for cp in sorted(e for e in edges if 0 <= e <= 0x10FFFF):
            expected = any(lo <= cp <= hi for lo, hi in members)
            assert bool(pattern.fullmatch(chr(cp))) is expected, (name, hex(cp))


ASCII_PIECES = [*"?$_:.-%\\'\"<>#{}()@eE0189aZz \t\n/,;", "SERVICE", "ex:", "\\u0041", "'''", '"""']
ASCII_QUERIES = st.lists(st.sampled_from(ASCII_PIECES), max_size=30).map("".join)


def _lexed(pattern, text: str) -> list[tuple[str | None, int, int]]:
    return [(m.lastgroup, m.start(), m.end()) for m in pattern.finditer(text)]


def test_the_ascii_patterns_read_ascii_text_as_the_full_ones() -> None:
    """The lexer compiles ASCII-only classes for ASCII text (nearly every query): they must match
    exactly the ASCII members of the grammar's classes, and lex every bundled query alike."""
    import re
    from pathlib import Path

    from sphinxcontrib_alignsurvey.sparql import lexer

    full, short = lexer._classes(), lexer._classes(ascii_only=True)
    for name in full:
        wide, narrow = re.compile(full[name]), re.compile(short[name])
        for cp in range(0x80):
            assert bool(wide.fullmatch(chr(cp))) is bool(narrow.fullmatch(chr(cp))), (name, hex(cp))
    token, ascii_token = lexer.patterns(False)[0], lexer.patterns(True)[0]
    assert token.pattern != ascii_token.pattern
    queries = sorted((Path(__file__).parents[1] / "examples" / "queries").glob("*.rq"))
    assert queries
    for path in queries:
        text = path.read_text(encoding="utf-8")
        assert text.isascii()
        assert _lexed(ascii_token, text) == _lexed(token, text)
    assert lexer.patterns(True) is lexer.patterns(True)  # compiled once


@settings(max_examples=300, deadline=None)
@given(text=ASCII_QUERIES)
def test_ascii_and_full_patterns_agree_on_any_ascii_text(text: str) -> None:
    from sphinxcontrib_alignsurvey.sparql import lexer

    (token, head), (ascii_token, ascii_head) = lexer.patterns(False), lexer.patterns(True)
    assert _lexed(ascii_token, text) == _lexed(token, text)
    for start in range(len(text) + 1):
        assert ascii_head.match(text, start).end() == head.match(text, start).end()
