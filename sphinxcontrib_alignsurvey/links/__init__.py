"""Links: concepts, where sentences mention them, and the relations derived from them.

The layer between the document model and the outputs.  :mod:`.vocabulary`
reads the SKOS schemes, :mod:`.mentions` finds concepts in sentences,
:mod:`.cues` decides which sentences relate a method to a challenge, and
:mod:`.model` computes every derived link once per conversion so the graph
builder and the BibTeX exporter consume the same facts.
"""
