"""``compact()``: the one shortening of IRIs for people, checked against the SPARQL grammar itself."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_alignsurvey.core.namespaces import PREFIXES, compact, is_local_name
from sphinxcontrib_alignsurvey.sparql import formats

NS = "http://example.org/ns/"
STORE = ox.Store()


def engine_reads_as_local_name(local: str) -> bool:
    """Whether Oxigraph parses ``p:<local>`` as the IRI namespace + local."""
    try:
        rows = list(STORE.query(f"PREFIX p: <{NS}>\nSELECT (p:{local} AS ?x) {{}}\n"))
    except SyntaxError:
        return False
    value = rows[0]["x"] if len(rows) == 1 else None  # unbound when p: is read as an expression's operand
    return value is not None and value.value == NS + local


def test_section_iris_are_shown_in_full_not_as_a_broken_prefixed_name():
    section = PREFIXES["survey"] + "alignment-survey-1ef323be/section/3.4"
    assert compact(section) == section
    assert compact(PREFIXES["method"] + "dpo") == "method:dpo"
    assert compact(PREFIXES["align"] + "Addressing") == "align:Addressing"
    assert compact("http://example.org/other") == "http://example.org/other"


def test_the_cli_and_sphinx_share_one_compact():
    assert formats.compact is compact


@settings(max_examples=300, deadline=None, derandomize=True)  # the same examples in every run: CI stays stable
@given(st.text(alphabet="ab9_-.:/%#~éπ·\u0300\u2040Fz ", max_size=6))
def test_local_names_are_exactly_what_the_query_grammar_accepts(local):
    assert is_local_name(local) == engine_reads_as_local_name(local), local


def test_tricky_local_names_against_the_engine():
    for local in ["a.b", "a.", ".a", "-a", "1a", "a%2F", "%2", "%zz", "a:b", "·a", "a·", "é", "a/b", "", "_"]:
        assert is_local_name(local) == engine_reads_as_local_name(local), local


def test_a_namespace_term_is_made_once_and_its_own_attributes_stay_its_own():
    """A term read as an attribute is kept as one, so hot loops make no call; ``iri`` and ``term``
    remain the namespace's own, and private names are no terms."""
    import pytest

    from sphinxcontrib_alignsurvey.core.namespaces import Namespace

    ex = Namespace(NS)
    first = ex.someTerm
    assert first == ox.NamedNode(NS + "someTerm") and ex.someTerm is first and ex.term("someTerm") is first
    assert "someTerm" in vars(ex)
    assert ex.iri == NS and ex.term("iri") == ox.NamedNode(NS + "iri")
    with pytest.raises(AttributeError):
        _ = ex._hidden
