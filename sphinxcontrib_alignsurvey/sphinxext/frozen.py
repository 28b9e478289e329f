"""Card bodies sleep as bytes between reading and writing.

Why: Sphinx keeps every doctree it read in memory until the document is
written, runs every read-time transform over it and pickles it to disk.  A
card renders a few hundred nodes from the graph, and in a project with a
thousand cards those nodes cost more than rendering them did: the read
transforms walk them and the garbage collector's full passes scan them
until the page is written (``benchmarks/bench_sphinx.py --breakdown``).

So a card's children are pickled into one ``bytes`` value as soon as the
directive has built them, and come back unchanged in a post-transform that
runs before references are resolved, for every builder.  Everything a card
registers (uses, references, citations, index entries, its anchor) is
registered at read time as before.  Card text is generated, never parsed
markup, so of the read transforms only smart quotes would change it: that
one is applied to the card here, with Sphinx's own transform and settings.
"""

from __future__ import annotations

import pickle
import re
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxSmartQuotes
from sphinx.transforms.post_transforms import SphinxPostTransform

PAYLOAD = "alignsurvey_frozen"
#: Text without any of these is left as it is by smart quotes (quotes, dashes, ellipses).
_EDUCABLE = re.compile(r"""['"`]|--|\.\.|\. \.""")


def _smart_quotes(card: nodes.Element, document: nodes.document) -> None:
    """Sphinx's smart quotes on the card, as the document's own pass would have done.

    Only the card's text blocks that hold something to educate go through the
    pass (most hold none); a block is whole, so no quote loses its context.
    """
    blocks = [
        node
        for node in card.findall(nodes.TextElement)
        if not isinstance(node.parent, nodes.TextElement) and _EDUCABLE.search(node.astext())
    ]
    if not blocks:
        return
    parents = [block.parent for block in blocks]
    scratch = nodes.document(document.settings, document.reporter)
    scratch.extend(blocks)  # the pass walks these; each stays in its parent's list of children
    SphinxSmartQuotes(scratch, None).apply()
    for block, parent in zip(blocks, parents):
        block.parent = parent
    scratch.children = []


def freeze(card: nodes.Element, document: nodes.document) -> None:
    """Replace *card*'s children by their pickle (the card itself stays, with its ids and classes)."""
    if not card.children:
        return
    _smart_quotes(card, document)
    children = card.children
    card.children = []
    for child in children:
        child.parent = None
        for sub in child.findall():
            sub.__dict__.pop("_document", None)  # or the pickle would pull in the whole document
    card[PAYLOAD] = pickle.dumps(children, protocol=pickle.HIGHEST_PROTOCOL)
    for child in children:  # no parent <-> child cycles left: freed at once, not by the collector
        for sub in child.findall():
            sub.parent = None


def thaw(card: nodes.Element) -> None:
    payload = card.attributes.pop(PAYLOAD, None)
    if payload is not None:
        card.extend(pickle.loads(payload))  # noqa: S301 - pickled by freeze() into this build's doctree


class ThawCards(SphinxPostTransform):
    """Give cards their children back before anything else runs on the tree to be written."""

    default_priority = 1  # before ReferencesResolver (10) and LaTeX's own pre-resolvers (5)

    def run(self, **kwargs: Any) -> None:
        for card in list(self.document.findall(nodes.container)):
            if PAYLOAD in card:
                thaw(card)
