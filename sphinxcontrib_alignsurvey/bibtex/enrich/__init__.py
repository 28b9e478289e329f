"""``alignsurvey enrich``: an opt-in online resolver of bibliographic metadata.

Why a resolver at all: a user who converts a survey of their own gets titles
only, and a bibliography without authors is of little use in a reference
manager.  Nothing here runs unless the user asks; everything else in the
package stays offline.

Modules: :mod:`.http` (a polite, rate-limited, caching transport),
:mod:`.services` (arXiv and Crossref: query URLs and response parsing),
:mod:`.match` (when a candidate is accepted), :mod:`.resolve` (the loop and
the ``.bib`` it writes, which ``convert --metadata`` reads).
"""

from .resolve import Resolution, enrich, write_metadata_bib

__all__ = ["Resolution", "enrich", "write_metadata_bib"]
