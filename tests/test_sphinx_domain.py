"""The ``align`` domain owns its data; keys are typed; directives are named like the roles."""

from __future__ import annotations

import ast
import copy
import re

import pytest

from sphinxcontrib_alignsurvey.sphinxext.domain import align_domain
from sphinxcontrib_alignsurvey.sphinxext.records import ObjectKey

from .conftest import ROOT, build, require_tool

EXTENSION = ROOT / "sphinxcontrib_alignsurvey" / "sphinxext"


def sources(*skip: str):
    for path in sorted(EXTENSION.rglob("*.py")):
        if path.name not in skip:
            yield path, path.read_text(encoding="utf-8")


def test_object_keys_parse_format_and_sort_like_their_written_form():
    key = ObjectKey.parse("section:https://w3id.org/alignsurvey/survey/s/section/1")
    assert (key.kind, key.id) == ("section", "https://w3id.org/alignsurvey/survey/s/section/1")
    assert str(key) == "section:https://w3id.org/alignsurvey/survey/s/section/1"
    written = ["paper:a-b", "method:dpo", "challenge:x", "paper:a", "survey:s", "method:dp"]
    assert [str(k) for k in sorted(ObjectKey.parse(w) for w in written)] == sorted(written)
    for bad in ("dpo", ":dpo", "method:"):
        with pytest.raises(ValueError):
            ObjectKey.parse(bad)


def test_only_the_domain_touches_its_data_and_the_state():
    touching = [p.name for p, text in sources("domain.py") if "domaindata" in text]
    assert touching == []
    readers = [p.name for p, text in sources("domain.py", "state.py") if "get_state" in text]
    assert readers == []


def test_keys_are_split_and_joined_in_one_place():
    written = re.compile(r"""split\(":"|partition\(":"\)|f"\{(kind|typ|k|self\.kind)\}:\{""")
    assert [p.name for p, text in sources("records.py") if written.search(text)] == []


def test_renderers_take_a_context_not_the_environment():
    for name in ("nodes.py", "directives/card_body.py"):
        tree = ast.parse((EXTENSION / name).read_text(encoding="utf-8"))
        params = {a.arg for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) for a in f.args.args}
        assert "env" not in params, name


@pytest.mark.sphinx("html", testroot="alignsurvey-parallel")
def test_merging_parallel_readers_gives_the_same_data_in_any_order(app):
    for doc in ("doc3", "doc6"):  # dpo's card is in doc0 too
        with open(app.srcdir / f"{doc}.rst", "a", encoding="utf-8") as fh:
            fh.write("\n.. alignment-method:: dpo\n")
    result = build(app)
    domain = align_domain(result.app.env)
    serial = copy.deepcopy(domain.data)
    docs = sorted(result.app.env.found_docs)
    for order in (docs, docs[::-1], docs[1::2] + docs[::2]):
        for docname in docs:
            domain.clear_doc(docname)
        assert domain.card(ObjectKey("method", "dpo")) is None
        for docname in order:  # each worker sends its own documents back, in whatever order they finish
            domain.merge_domaindata([docname], serial)
        assert domain.data == serial
        assert domain.card(ObjectKey("method", "dpo")).docname == "doc0"


ALIASES = """Names
=====

.. {prefix}method:: dpo
   :evidence: 1

.. {prefix}paper:: cc7ab4f6771f

.. {prefix}survey:: alignment-survey-ffda8c1d
   :fields: references

.. {prefix}query::
   :limit: 2

   PREFIX align: <https://w3id.org/alignsurvey/ontology#>
   SELECT ?m WHERE {{ ?m a align:Method }} ORDER BY ?m

.. {prefix}graph::
   :root: dpo
"""


def test_domain_directive_names_and_their_aliases_give_the_same_page(tmp_path, make_app):
    require_tool("dot")
    pages = {}
    for prefix in ("align:", "alignment-"):
        root = tmp_path / prefix.strip(":-")
        root.mkdir()
        (root / "conf.py").write_text("extensions = ['sphinxcontrib_alignsurvey']\n", encoding="utf-8")
        (root / "index.rst").write_text(ALIASES.format(prefix=prefix), encoding="utf-8")
        result = build(make_app("html", srcdir=root))
        assert result.warning_lines() == []
        pages[prefix] = result.text("index.html")
    assert 'id="align-method-dpo"' in pages["align:"] and "alignsurvey-query" in pages["align:"]
    assert pages["align:"] == pages["alignment-"]
