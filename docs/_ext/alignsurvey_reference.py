"""Reference tables generated from the extension's own code, so the docs cannot drift from it.

Why: the options, their value types, allowed values and defaults of each
directive, the roles, the indices and the configuration values are read
from the registered classes (``option_spec``, the converters' own
``choice`` lists, the defaults written in each directive's ``run``), and
only the one-line descriptions are written in the page.  A description for
an option the code does not have, or an option without a description, is a
warning, so ``sphinx-build -W`` fails until the page is brought up to date.

Directives (each takes its descriptions as a field list in its body)::

   .. alignsurvey-options:: align:graph

      :argument: what the argument is
      :root: what the option does
      ...

   .. alignsurvey-roles::
   .. alignsurvey-indices::
   .. alignsurvey-config::
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives as rst_directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

PACKAGE = "sphinxcontrib_alignsurvey"
EMPTY_DEFAULTS = ("[]", "()", "None", "''", '""')

#: The docutils converters, in words a reader of the table understands.
KNOWN_CONVERTERS: dict[Callable[..., Any], str] = {
    rst_directives.unchanged: "text",
    rst_directives.unchanged_required: "text (required)",
    rst_directives.nonnegative_int: "integer, 0 or more",
    rst_directives.positive_int: "integer, 1 or more",
    rst_directives.flag: "flag (no value)",
    rst_directives.class_option: "class names, space-separated",
    rst_directives.path: "path, relative to the document",
    rst_directives.uri: "URI",
}


# -- reading the code -------------------------------------------------------------------------------


def choices(convert: Callable[..., Any]) -> list[str] | None:
    """The values a converter built on ``directives.choice`` accepts, read from its own error message."""
    try:
        convert("\x00not-a-value")
    except (ValueError, TypeError) as exc:
        found = re.search(r"choose from (.*)$", str(exc))
        if found:
            return re.findall(r'"([^"]*)"', found.group(1))
    return None


def value_text(convert: Callable[..., Any]) -> str:
    """Type and allowed values of one option, from its converter."""
    if convert in KNOWN_CONVERTERS:
        return KNOWN_CONVERTERS[convert]
    values = choices(convert)
    if values is not None:
        shown = []
        as_list = False
        for value in values:
            out = convert(value)
            if isinstance(out, (tuple, list)):
                as_list, out = True, out[0]
            if str(out).lower() == value.lower():
                shown.append(f"``{out}``")
            else:
                shown.append(f"``{value}`` (same as ``{out}``)")
        return ("comma-separated list of " if as_list else "one of ") + ", ".join(shown)
    parts = []
    try:
        if convert("7") == 7:
            parts.append("integer, 0 or more" if _refuses(convert, "-1") else "integer")
    except (ValueError, TypeError):
        parts.append("text")
    try:
        alone = convert(None)
    except (ValueError, TypeError, AttributeError):
        alone = None
    else:
        parts.append(f"or no value (means {alone})" if alone is not None else "or no value")
    return ", ".join(parts) or "text"


def _refuses(convert: Callable[..., Any], value: str) -> bool:
    try:
        convert(value)
    except (ValueError, TypeError):
        return True
    return False


def _own_classes(cls: type) -> Iterable[type]:
    return [c for c in cls.__mro__ if c.__module__.startswith(PACKAGE)]


def _is_options_get(node: ast.AST) -> bool:
    func = getattr(node, "func", None)
    return (
        isinstance(node, ast.Call)
        and isinstance(func, ast.Attribute)
        and func.attr == "get"
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "options"
    )


def _literal(node: ast.expr) -> str:
    if isinstance(node, ast.IfExp):
        return f"{_literal(node.body)} or {_literal(node.orelse)}"
    if isinstance(node, ast.Constant):
        return "none" if node.value is None else f"``{node.value}``"
    text = ast.unparse(node)
    return "none" if text in EMPTY_DEFAULTS else f"``{text}``"


def code_defaults(cls: type) -> dict[str, list[str]]:
    """``self.options.get(NAME, DEFAULT)`` calls in the directive's own code: NAME -> the defaults used."""
    found: dict[str, list[str]] = {}
    for klass in _own_classes(cls):
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        for node in ast.walk(tree):
            if not _is_options_get(node) or not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            default = _literal(node.args[1]) if len(node.args) > 1 else "none"
            seen = found.setdefault(str(node.args[0].value), [])
            if default not in seen:
                seen.append(default)
    return found


def card_fields(cls: type) -> tuple[str, str] | None:
    """Allowed values and default of a card's ``:fields:``, from the card module's own tables."""
    kind = getattr(cls, "kind", "")
    module = inspect.getmodule(cls)
    body = getattr(module, "ALL_FIELDS", None), getattr(module, "DEFAULT_FIELDS", None)
    if not kind or body[0] is None or body[1] is None:
        return None
    allowed = ", ".join(f"``{f}``" for f in (*body[0][kind], "evidence"))
    return f"comma-separated list of {allowed}", ", ".join(body[1][kind])


# -- writing tables ---------------------------------------------------------------------------------


def table(
    directive: SphinxDirective, header: list[str], rows: list[list[str | list[nodes.Node]]], widths: list[int]
) -> nodes.table:
    """A docutils table; text cells are parsed as inline reST."""
    tbl = nodes.table(classes=["alignsurvey-reference"])
    group = nodes.tgroup(cols=len(header))
    tbl += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for title in header:
        row += nodes.entry("", nodes.paragraph(title, title))
    head += row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            if isinstance(cell, str):
                para = nodes.paragraph()
                inline, messages = directive.parse_inline(cell, lineno=directive.lineno)
                para += inline
                entry += para
                entry += messages
            else:
                entry += cell
            row += entry
        body += row
    return tbl


class DescribedDirective(SphinxDirective):
    """Takes a field list of descriptions in its body and checks it against what the code has."""

    has_content = True
    what: ClassVar[str] = "entry"

    def descriptions(self) -> dict[str, list[nodes.Node]]:
        holder = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, holder)
        found: dict[str, list[nodes.Node]] = {}
        for field_list in holder.findall(nodes.field_list):
            for field in field_list:
                name = field[0].astext().strip()
                found[name] = list(field[1].children)
        return found

    def check(self, described: Iterable[str], existing: Iterable[str], where: str) -> None:
        described, existing = set(described), set(existing)
        for name in sorted(existing - described):
            logger.warning(
                "%s: %s %r has no description here: add a ':%s:' field",
                where,
                self.what,
                name,
                name,
                location=self.get_location(),
            )
        for name in sorted(described - existing):
            logger.warning(
                "%s: described %s %r does not exist in the code", where, self.what, name, location=self.get_location()
            )


class OptionsTable(DescribedDirective):
    """``.. alignsurvey-options:: align:NAME``: the argument, body and every option of one directive."""

    required_arguments = 1
    what = "option"

    def directive_class(self, name: str) -> type:
        domain, _, local = name.partition(":")
        cls = self.env.get_domain(domain).directives.get(local)
        if cls is None:
            raise self.error(f"no directive {name!r} is registered")
        return cls

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        cls = self.directive_class(name)
        text = self.descriptions()
        spec: dict[str, Any] = dict(getattr(cls, "option_spec", None) or {})
        extra = []
        takes_argument = cls.required_arguments + cls.optional_arguments > 0
        if takes_argument:
            extra.append("argument")
        if cls.has_content:
            extra.append("body")
        self.check(text, [*spec, *extra], name)

        out: list[nodes.Node] = []
        aliases = sorted(n for n, c in rst_directives._directives.items() if c is cls and n != name)
        intro = nodes.paragraph()
        intro += nodes.Text("Directive ")
        intro += nodes.literal(f".. {name}::", f".. {name}::")
        if aliases:
            intro += nodes.Text(", also written ")
            for i, alias in enumerate(aliases):
                intro += nodes.Text(", " if i else "")
                intro += nodes.literal(f".. {alias}::", f".. {alias}::")
        intro += nodes.Text(". ")
        if takes_argument:
            count = (f"{cls.required_arguments} required" if cls.required_arguments else "an optional") + (
                " (more may follow)" if cls.optional_arguments and cls.required_arguments else ""
            )
            intro += nodes.Text(f"Argument: {count}; ")
        else:
            intro += nodes.Text("No argument; ")
        intro += nodes.Text("takes a body." if cls.has_content else "no body.")
        out.append(intro)

        def described(key: str) -> list[nodes.Node]:
            return [n.deepcopy() for n in text.get(key, [])] or [nodes.paragraph()]

        rows: list[list[str | list[nodes.Node]]] = []
        if takes_argument:
            rows.append(["*argument*", "text", "--", described("argument")])
        if cls.has_content:
            rows.append(["*body*", "text", "--", described("body")])
        defaults = code_defaults(cls)
        fields = card_fields(cls)
        for option, convert in spec.items():
            value = value_text(convert)
            if convert is rst_directives.flag:
                default = "off"
            else:
                default = " or ".join(defaults.get(option, ["none"]))
            if option == "fields" and fields:
                value, default = fields[0], fields[1]
            rows.append([f"``:{option}:``", value, default, described(option)])
        out.append(table(self, ["Option", "Value", "Default", "What it does"], rows, [14, 26, 14, 46]))
        return out


class RolesTable(DescribedDirective):
    """``.. alignsurvey-roles::``: every role of the ``align`` domain."""

    what = "role"

    def run(self) -> list[nodes.Node]:
        domain = self.env.get_domain("align")
        text = self.descriptions()
        self.check(text, domain.roles, "align roles")
        rows: list[list[str | list[nodes.Node]]] = []
        for role in sorted(domain.roles):
            kind = getattr(domain.roles[role], "kind", role)
            rows.append(
                [
                    f"``:align:{role}:``",
                    f"``ID``, label or key of a {kind}; or ``Title <ID>``",
                    [n.deepcopy() for n in text.get(role, [])] or [nodes.paragraph()],
                ]
            )
        return [table(self, ["Role", "Target", "What it gives"], rows, [18, 30, 52])]


class IndicesTable(DescribedDirective):
    """``.. alignsurvey-indices::``: the domain's indices, the label to reference each and its page."""

    what = "index"

    def run(self) -> list[nodes.Node]:
        domain = self.env.get_domain("align")
        text = self.descriptions()
        names = [index.name for index in domain.indices]
        self.check(text, names, "align indices")
        rows: list[list[str | list[nodes.Node]]] = []
        for index in domain.indices:
            label = f"{domain.name}-{index.name}"
            rows.append(
                [
                    f"``:ref:`{label}```",
                    f"``{label}.html``",
                    index.localname,
                    [n.deepcopy() for n in text.get(index.name, [])] or [nodes.paragraph()],
                ]
            )
        return [table(self, ["Reference", "Page (HTML)", "Title", "Lists"], rows, [26, 24, 18, 32])]


class ConfigTable(DescribedDirective):
    """``.. alignsurvey-config::``: the extension's ``conf.py`` values with their types and defaults."""

    what = "configuration value"

    def run(self) -> list[nodes.Node]:
        config = self.env.config
        names = sorted(n for n in config.values if n.startswith("alignsurvey_"))
        text = self.descriptions()
        self.check(text, names, "configuration")
        rows: list[list[str | list[nodes.Node]]] = []
        for name in names:
            opt = config.values[name]
            default, valid = opt.default, opt.valid_types
            types = sorted(getattr(t, "__name__", str(t)) for t in valid) if valid else [type(default).__name__]
            types_text = ", ".join("None" if t == "NoneType" else t for t in types)
            rows.append(
                [
                    f"``{name}``",
                    types_text,
                    f"``{default!r}``",
                    [n.deepcopy() for n in text.get(name, [])] or [nodes.paragraph()],
                ]
            )
        return [table(self, ["Value", "Type", "Default", "What it does"], rows, [24, 16, 10, 50])]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("alignsurvey-options", OptionsTable)
    app.add_directive("alignsurvey-roles", RolesTable)
    app.add_directive("alignsurvey-indices", IndicesTable)
    app.add_directive("alignsurvey-config", ConfigTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
