"""Small builders of docutils nodes shared by cards, tables and graphs.

Why: every string from the ontology goes into a Text node here, never into
markup, so HTML and LaTeX writers escape it; and every cross-reference is a
``pending_xref`` that the domain resolves at write time.

Cards are node-heavy (a page of cards can hold thousands of references), so
these builders keep the tree flat: a reference holds its label as plain text
and carries the CSS classes itself (``replace_self`` hands them on to the
resolved ``reference``), counts are plain text next to their separator, and
relations are paragraphs of separated references (key works stay a list).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from .records import KINDS, ObjectKey
from .usage import LABEL

if TYPE_CHECKING:
    from .domain import RenderContext


def xref(ctx: RenderContext, key: ObjectKey, text: str | None = None) -> nodes.Node:
    """A reference to object *key* showing *text* (its label by default)."""
    rec = ctx.catalog.get(key)
    label = text if text is not None else (rec.label if rec is not None else key.id)
    if key.kind not in KINDS:
        return nodes.inline(label, label)
    ctx.domain.note_use(key, LABEL)
    ctx.domain.note_reference(key)
    # No inner inline: the label is the reference's only child; the classes sit on the
    # pending_xref, and docutils' replace_self copies them to the resolved node.
    return addnodes.pending_xref(
        "",
        nodes.Text(label),
        refdomain="align",
        reftype=key.kind,
        reftarget=key.id,
        refdoc=ctx.docname,
        refexplicit=True,
        refwarn=False,
        classes=["xref", "align", f"align-{key.kind}", "alignsurvey-ref"],
    )


def joined(items: Sequence[nodes.Node], sep: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, item in enumerate(items):
        if i:
            out.append(nodes.Text(sep))
        out.append(item)
    return out


def para(*children: nodes.Node | str, classes: Iterable[str] = ()) -> nodes.paragraph:
    node = nodes.paragraph(classes=list(classes))
    for child in children:
        node += nodes.Text(child) if isinstance(child, str) else child
    return node


def field(name: str, body: nodes.Node | Sequence[nodes.Node]) -> nodes.field:
    f = nodes.field()
    f += nodes.field_name(name, name)
    fb = nodes.field_body()
    if isinstance(body, nodes.Node):
        fb += body
    else:
        fb += list(body)
    f += fb
    return f


def bullets(items: Iterable[nodes.Node | Sequence[nodes.Node]], classes: Iterable[str] = ()) -> nodes.bullet_list:
    bl = nodes.bullet_list(classes=list(classes))
    for item in items:
        li = nodes.list_item()
        if isinstance(item, nodes.paragraph):
            li += item
        elif isinstance(item, nodes.Node):
            li += para(item)
        else:
            li += para(*item)
        bl += li
    return bl


def count_words(n: int, noun: str = "sentence") -> str:
    return f" ({n} {noun}{'' if n == 1 else 's'})"


def count_text(n: int, noun: str = "sentence", after: str = "") -> nodes.Text:
    """`` (3 sentences)`` as plain text, with *after* (a separator) in the same Text node."""
    return nodes.Text(count_words(n, noun) + after)
