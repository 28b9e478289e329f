"""Check a machine-written survey's citations: off-topic works, unsupported claims,
unverified titles and stated figures.

Deterministic and offline: every score is a count over the survey itself and
the curated vocabulary (:mod:`.model`), so the same input gives the same
findings.  :func:`check_surveys` is the entry point; :func:`flagged_citations`
tells the link model which citations must not become facts.
"""

from __future__ import annotations

from .findings import Finding, Kind
from .run import DEFAULT, Thresholds, check_survey, check_surveys, flagged_citations

__all__ = ["DEFAULT", "Finding", "Kind", "Thresholds", "check_survey", "check_surveys", "flagged_citations"]
