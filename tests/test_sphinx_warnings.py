"""One warning helper with a declared subtype for everything the extension reports."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_args

import pytest

from sphinxcontrib_alignsurvey.sphinxext import warn as warn_module
from sphinxcontrib_alignsurvey.sphinxext.warn import SUBTYPES, Subtype, warn

from .conftest import ROOT

EXTENSION = ROOT / "sphinxcontrib_alignsurvey" / "sphinxext"
REFERENCE = ROOT / "docs" / "reference.rst"


def test_every_declared_subtype_is_described_and_documented():
    assert set(SUBTYPES) == set(get_args(Subtype))
    section = REFERENCE.read_text(encoding="utf-8").split("\nWarnings\n--------\n", 1)[1]
    documented = set(re.findall(r"^``(\w+)``  ", section, flags=re.MULTILINE))
    assert documented == set(SUBTYPES)


def test_an_undeclared_subtype_is_refused():
    with pytest.raises(ValueError, match="undeclared"):
        warn("message", "no_such_subtype")  # type: ignore[arg-type]


def logger_calls(path: Path) -> list[str]:
    """``x.warning(...)``/``x.error(...)``/``x.critical(...)`` calls: log records made without the helper."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        func = node.func if isinstance(node, ast.Call) else None
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("warning", "error", "critical", "warn")
            and isinstance(func.value, ast.Name)
            and func.value.id in ("logger", "logging", "LOGGER")
        ):
            out.append(f"{path.relative_to(EXTENSION)}:{node.lineno}")
    return out


def test_the_extension_reports_only_through_the_helper():
    helper = Path(warn_module.__file__).resolve()
    found = [c for p in sorted(EXTENSION.rglob("*.py")) if p.resolve() != helper for c in logger_calls(p)]
    assert found == []


def test_warnings_carry_type_and_subtype(tmp_path, make_app):
    from .conftest import build

    root = tmp_path / "warned"
    root.mkdir()
    (root / "conf.py").write_text("extensions = ['sphinxcontrib_alignsurvey']\n", encoding="utf-8")
    (root / "index.rst").write_text("Index\n=====\n\n.. align:method:: no-such-method\n", encoding="utf-8")
    result = build(make_app("html", srcdir=root))
    assert [w.rsplit(" ", 1)[-1] for w in result.warning_lines()] == ["[alignsurvey.unknown_id]"]
    quiet = build(
        make_app("html", srcdir=root, freshenv=True, confoverrides={"suppress_warnings": ["alignsurvey.unknown_id"]})
    )
    assert quiet.warning_lines() == []
