"""Roles ``:align:method:`` and friends: a label that links to the object's card.

Why: the target is normalised against the catalog while the document is
read, so an unknown ID warns right there (file and line, subtype
``unknown_id``) and known ones always carry the canonical ID, whatever label
or case the author typed.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.roles import XRefRole

from .domain import align_domain
from .usage import LABEL
from .warn import unknown_message


class AlignXRefRole(XRefRole):
    """Cross-reference to a method, challenge, benchmark, paper or survey; ``Title <id>`` works."""

    innernodeclass = nodes.inline

    def __init__(self, kind: str) -> None:
        super().__init__(warn_dangling=False)
        self.kind = kind

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        domain = align_domain(self.env)
        catalog = domain.catalog
        target = self.target
        key = catalog.lookup(self.kind, target)
        if key is None:
            domain.graph_warning(
                unknown_message(self.kind, target, catalog.suggest(self.kind, target)),
                "unknown_id",
                self.get_location(),
            )
            node = nodes.inline(self.rawtext, self.title if self.has_explicit_title else target)
            node["classes"] += ["alignsurvey-ref", "alignsurvey-unknown"]
            return [node], []
        rec = catalog.get(key)
        domain.note_use(key, LABEL)
        domain.note_reference(key)
        self.target = key.id
        if not self.has_explicit_title:
            self.title = rec.label if rec is not None else key.id
        return super().run()

    def result_nodes(self, document, env, node, is_ref):
        """The label goes straight into the reference, its classes onto the reference itself.

        Why: like the references inside cards (see ``nodes.xref``), one node per
        reference instead of two; a page with thousands of references keeps
        noticeably fewer objects alive until it is written.  ``replace_self``
        copies the classes to the resolved ``reference``.
        """
        mine = ["alignsurvey-ref", f"alignsurvey-{self.kind}"]
        if is_ref and len(node) == 1 and isinstance(node[0], nodes.inline):
            inner = node[0]
            node["classes"] += [*inner["classes"], *mine]
            node.children = []
            node.extend(inner.children)
            # The text is final: the author's title or the object's label from the catalog, so
            # resolvers (ours, intersphinx) keep it instead of rebuilding it from an inventory.
            node["refexplicit"] = True
        else:
            node["classes"] += mine
        return [node], []
