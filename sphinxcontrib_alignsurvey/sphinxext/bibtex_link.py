"""Citations of works through sphinxcontrib-bibtex, when it is enabled.

Why: a paper card should link to the bibliography entry of the same work;
we create exactly what ``:cite:p:`` creates (a ``cite`` pending_xref plus a
noted citation reference) so sphinxcontrib-bibtex lists and resolves it.
Only keys present in the configured .bib files are cited, so no
"key not found" warnings appear when a work has no BibTeX entry.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def _cite_domain(env: BuildEnvironment):
    # A dictionary look-up: get_domain() raises (and translates a message) for every
    # work of every card when sphinxcontrib-bibtex is not enabled.
    domains = env.domains
    if hasattr(domains, "get"):
        return domains.get("cite")
    try:
        return env.get_domain("cite")
    except ExtensionError:
        return None


def has_key(env: BuildEnvironment, key: str) -> bool:
    domain = _cite_domain(env)
    if domain is None:
        return False
    try:
        return key in domain.bibdata.data.entries
    except AttributeError:
        return False


def citation(env: BuildEnvironment, key: str, fallback: str = "") -> nodes.Node | None:
    """A ``:cite:p:`key``` equivalent, or None without bibtex or without the key.

    The reference belongs to the ``align`` domain (reftype ``cite``) and is
    handed to sphinxcontrib-bibtex at resolve time; the citation reference is
    noted now so ``bibliography`` directives list the entry.
    """
    if not has_key(env, key):
        return None
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets
    from sphinxcontrib.bibtex.roles import CitationRef

    domain = _cite_domain(env)
    node = addnodes.pending_xref(
        f":cite:p:`{key}`",
        refdomain="align",
        reftype="cite",
        reftarget=key,
        refdoc=env.docname,
        refexplicit=False,
        refwarn=False,
        alignsurvey_fallback=fallback,
    )
    node += nodes.inline(key, key)
    # The ids must be unique in the document: bibtex uses them for back-references.
    node["ids"].append(f"alignsurvey-cite-{key}-{env.new_serialno('alignsurvey-cite')}")
    domain.citation_refs.append(
        CitationRef(
            citation_ref_id=node["ids"][0],
            docname=env.docname,
            line=0,
            targets=list(parse_citation_targets(key)),
        )
    )
    return node


def resolve_citation(
    env: BuildEnvironment, fromdocname: str, builder, target: str, node, contnode
) -> nodes.Element | None:
    """Delegate to sphinxcontrib-bibtex when a bibliography lists the key; else the fallback text.

    Why: the key may be in the .bib files while no ``bibliography`` directive
    lists it; citing it then would warn, so a card shows its fallback instead.
    """
    domain = _cite_domain(env)
    if domain is not None and any(c.key == target for c in domain.citations):
        resolved = domain.resolve_xref(env, fromdocname, builder, "p", target, node, contnode)
        return _labelled_by_key(resolved, target)
    text = node.get("alignsurvey_fallback", "")
    return nodes.inline(text, text, classes=["alignsurvey-nocitation"])


@cache
def pin_plaintext_backend() -> None:
    """Register pybtex's plaintext backend as a runtime plugin: the class its entry point names.

    Why: sphinxcontrib-bibtex looks that backend up for every citation it
    resolves, and each look-up scans the entry points of every installed
    package (about 4 ms; the handbook's 167 cited works spent 0.6 s of its
    build there).  A runtime plugin is found first, so the scans stop; the
    class is the same, so the output is too.  Done at ``builder-inited``, so
    the reader's own ``:cite:`` roles gain as well.
    """
    from pybtex.plugin import find_plugin, register_plugin

    register_plugin("pybtex.backends", "plaintext", find_plugin("pybtex.backends", "plaintext"), force=True)


def _labelled_by_key(resolved: nodes.Element | None, key: str) -> nodes.Element | None:
    """The citation shows the BibTeX key, as the card's badge does, whatever the bibliography's label style.

    Why: a card read "paper · wang2023beyond" beside "[20]" or "[WJY+23]", two labels for one work;
    the link still goes to the bibliography entry and keeps its formatted entry as tooltip.
    """
    if not isinstance(resolved, nodes.Element):
        return resolved
    refs = list(resolved.findall(nodes.reference))
    if len(refs) != 1:
        return resolved
    ref = refs[0].copy()  # the same target and tooltip, without the style's label
    ref += nodes.literal(key, key)
    out = nodes.inline("", "", ref, classes=["alignsurvey-citation"])
    return out
