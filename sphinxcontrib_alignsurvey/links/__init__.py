"""Links: concepts, where sentences mention them, and the relations derived from them.

The layer between the document model and the outputs.  :mod:`.vocabulary`
reads the SKOS schemes, :mod:`.mentions` finds concepts in sentences,
:mod:`.relations` reads what a sentence claims about a method and a
challenge (addresses it, or has it as a known limitation), :mod:`.confidence`
says how sure each such link is, and
:mod:`.model` computes every derived link once per conversion so the graph
builder and the BibTeX exporter consume the same facts.
"""
